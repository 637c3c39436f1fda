"""The editor's day (issue 19): publish only what the newsroom means, and say the same thing everywhere.

The two "Done when" scenarios end to end through the command line, then one
test per smaller point. No model is installed here, as on a fresh clone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
LANGS = ("uk", "pl", "de", "fr", "es")
NEW_PARAGRAPH = "The brigade said the town was quiet by nightfall. Residents began returning on Thursday."
NEW_SENTENCES = ("The brigade said the town was quiet by nightfall.", "Residents began returning on Thursday.")


def invoke(*args, **kwargs):
    return runner.invoke(app, list(args), catch_exceptions=False, **kwargs)


def manifest_of(project: Path) -> dict:
    return json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))


def outcome_lines(output: str) -> dict[str, str]:
    """Language → the state word the console printed for it (`article [uk]: preview, …`)."""
    return {m.group(1): m.group(2) for m in re.finditer(r"^article \[(\w+)\]: (published|preview|held back|failed)\b", output, re.M)}


def published_texts(project: Path) -> dict[str, str]:
    """Every published text file (txt, md, html, json) of the article, by path; previews excluded."""
    folder = project / "dist/article"
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for code in LANGS
        for p in sorted((folder / code).glob("*"))
        if p.suffix in (".txt", ".md", ".html", ".json")
    }


# --- the two scenarios -------------------------------------------------------------


def test_first_scenario_the_editor_adds_a_paragraph_and_a_translator_edits_a_suggestion(project, tmp_path, monkeypatch):
    no_models = str(tmp_path / "no-models")  # nothing installed, as on a fresh clone
    assert invoke("run", "--models-dir", no_models).exit_code == 0  # yesterday: everything published
    before = published_texts(project)

    # The editor adds a paragraph.
    seed = project / "seeds/article.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\n" + NEW_PARAGRAPH, encoding="utf-8")
    # A demo pseudo run gives uk machine suggestions; the translator corrects one and leaves it fuzzy.
    assert invoke("run", "--lang", "uk", "--engine", "pseudo").exit_code == 3
    po_path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    edited = po.find(NEW_SENTENCES[0])
    assert edited.fuzzy and "machine output sha256:" in edited.tcomment
    edited.msgstr = "Бригада повідомила, що до ночі в місті стало тихо."
    po.save()

    # The translator runs what the README tells them to run (argos, no model installed).
    result = invoke("run", "--lang", "uk", "--models-dir", no_models)

    # The same account from the console, the manifest and the exit code.
    assert result.exit_code == 3, result.output
    manifest = manifest_of(project)
    uk = next(e for e in manifest["languages"] if e["code"] == "uk")
    assert outcome_lines(result.output) == {"uk": "preview"} == {"uk": uk["state"]}
    assert manifest["preview"] == ["uk"] and "uk" not in manifest["published"]
    assert uk["reason"] in result.output and uk["reason"].startswith("waiting for")
    assert result.output.rstrip().endswith("outcome: waiting for translators or reviewers; previews written, not published (exit 3)")
    assert result.output.count("no machine-translation model installed for en → uk") == 1  # one line, not one per language
    assert "error:" not in result.output and "skipped" not in result.output
    assert "1 machine suggestion edited by a person left alone" in result.output

    # The translator's edit is kept, still fuzzy.
    kept = polib.pofile(str(po_path)).find(NEW_SENTENCES[0])
    assert kept.msgstr == "Бригада повідомила, що до ночі в місті стало тихо." and kept.fuzzy

    # No English sentence in any published article: uk is a draft apart; the others keep yesterday's bundle.
    assert not (project / "dist/article/uk").exists()
    draft = (project / "dist/article/preview/uk/article.txt").read_text(encoding="utf-8")
    assert draft.startswith("[DRAFT, NOT FOR PUBLICATION]")
    after = published_texts(project)
    assert after == {k: v for k, v in before.items() if not k.startswith("uk/")}
    for text in after.values():
        assert not any(sentence in text for sentence in NEW_SENTENCES)
    # ... and they are stale because the article changed, said so in words.
    others = {e["code"]: e for e in manifest["languages"] if e["code"] != "uk"}
    assert {e["stale_reason"] for e in others.values()} == {"the article changed"}

    # The story's own date, formatted by Babel, in every format that prints one.
    assert manifest["story_date"] == "2022-10-06"
    day = "6 жовтня 2022\u202fр."  # Babel's (CLDR's) long format, narrow no-break space included
    assert f"*{day}*" in (project / "dist/article/preview/uk/article.md").read_text(encoding="utf-8")
    assert f'<time datetime="2022-10-06">{day}</time>' in (project / "dist/article/preview/uk/article.html").read_text(encoding="utf-8")

    # All five tabs are still on the review page.
    page = (project / "dist/article/review.html").read_text(encoding="utf-8")
    assert re.findall(r'<section class="language" id="lang-(\w+)"', page) == list(LANGS)

    # The same bundle built twice (a minute apart on the clock) gives the same zip, byte for byte.
    times = iter([datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=1)])
    monkeypatch.setattr("pipeline.workflow.publish.build_time", lambda: next(times))
    first = invoke("bundle", "--lang", "uk")
    zip_one = (project / "dist/article.zip").read_bytes()
    second = invoke("bundle", "--lang", "uk")
    zip_two = (project / "dist/article.zip").read_bytes()
    assert first.exit_code == second.exit_code == 3
    assert zip_one == zip_two
    assert manifest_of(project)["generated_at"] == "2026-01-01T00:01:00+00:00"  # the build time is in the manifest only
    with zipfile.ZipFile(project / "dist/article.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 10, 6, 0, 0, 0)}  # the story's date
        assert not any(name.startswith("article/preview/") for name in archive.namelist())  # a draft is never in it


def test_second_scenario_a_fully_reviewed_article_publishes_every_language_with_exit_0(project):
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", "seeds/article.txt"], cwd=project, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outcome_lines(done.stdout) == {code: "published" for code in LANGS}
    assert done.stdout.rstrip().endswith("outcome: every language published (exit 0)")
    manifest = manifest_of(project)
    assert manifest["published"] == sorted(LANGS) and manifest["preview"] == manifest["held_back"] == manifest["failed"] == []
    assert manifest["policy"] == "published only when every sentence has a reviewed translation that passes the checks"
    assert {e["state"] for e in manifest["languages"]} == {"published"}
    for code in LANGS:
        assert (project / f"dist/article/{code}/article.txt").is_file()
    assert not (project / "dist/article/preview").exists()
    assert done.stderr == ""


# --- one account: outcomes and exit statuses -----------------------------------------


def test_a_failing_check_is_held_back_exit_1_and_a_broken_catalogue_failed_exit_2(project):
    po_path = project / "locale/de/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "61.330" in e.msgstr)
    entry.msgstr = entry.msgstr.replace("61.330", "61.331")
    po.save()
    result = invoke("bundle", "--lang", "de,pl")
    assert result.exit_code == 1
    assert outcome_lines(result.output) == {"de": "held back", "pl": "published"}
    assert manifest_of(project)["held_back"] == ["de"]
    (project / "locale/pl/LC_MESSAGES/article.po").write_text('msgid "x"\n', encoding="utf-8")
    result = invoke("bundle", "--lang", "de,pl")
    assert result.exit_code == 2
    manifest = manifest_of(project)
    assert manifest["failed"] == ["pl"] and manifest["held_back"] == ["de"]
    assert outcome_lines(result.output) == {"de": "held back", "pl": "failed"}
    assert result.output.rstrip().endswith("outcome: broken input, usage or engine; see the errors above (exit 2)")


def test_a_newsroom_that_accepts_less_sets_it_and_the_manifest_records_it(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("bundle_threshold = 100", "bundle_threshold = 90"), encoding="utf-8")
    po_path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    po[3].msgstr = ""
    po.save()
    result = invoke("bundle", "--lang", "uk")
    assert result.exit_code == 0, result.output
    manifest = manifest_of(project)
    assert manifest["threshold"] == 90 and manifest["policy"].startswith("published when at least 90% of the sentences")
    assert "1 sentence is printed in the source language" in result.output


def test_nothing_published_writes_no_zip_and_removes_the_old_one(project):
    assert invoke("bundle", "--lang", "uk").exit_code == 0
    assert (project / "dist/article.zip").is_file()
    po_path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    po[0].flags.append("fuzzy")
    po.save()
    result = invoke("bundle", "--lang", "uk")
    assert result.exit_code == 3
    assert "waiting for reviewers: 1 translation is not reviewed" in result.output
    assert not (project / "dist/article.zip").exists() and manifest_of(project)["archive"] is None


# --- every format of a preview says so --------------------------------------------


def test_every_format_of_a_preview_is_marked_draft(project):
    po_path = project / "locale/fr/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    po[2].msgstr = ""
    po.save()
    assert invoke("bundle", "--lang", "fr").exit_code == 3
    folder = project / "dist/article/preview/fr"
    assert (folder / "article.txt").read_text(encoding="utf-8").startswith("[DRAFT, NOT FOR PUBLICATION]\n")
    assert (folder / "article.md").read_text(encoding="utf-8").startswith("> **DRAFT, NOT FOR PUBLICATION**")
    html = (folder / "article.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html and ">DRAFT, NOT FOR PUBLICATION</p>" in html
    assert json.loads((folder / "article.json").read_text(encoding="utf-8"))["draft"] == "DRAFT, NOT FOR PUBLICATION"
    import gettext

    with (folder / "article.mo").open("rb") as handle:
        assert gettext.GNUTranslations(handle).info()["x-pipeline-status"] == "Draft, not for publication"
    assert not (project / "dist/article/fr").exists()


# --- dates and reproducibility ---------------------------------------------------------


def test_a_date_line_in_a_plain_text_article_is_its_date_and_never_translated(project):
    seed = project / "seeds/article.txt"
    seed.write_text("Date: 2022-10-05\n\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    assert invoke("run", "--lang", "de").exit_code == 0
    pot = polib.pofile(str(project / "locale/article.pot"))
    assert not any("2022-10-05" in e.msgid or "Date" in e.msgid for e in pot)
    assert manifest_of(project)["story_date"] == "2022-10-05"
    assert "*5. Oktober 2022*" in (project / "dist/article/de/article.md").read_text(encoding="utf-8")
    text = (project / "dist/article/de/article.txt").read_text(encoding="utf-8")
    assert text.startswith("Date: 2022-10-05\n\n")  # the metadata line is skeleton, kept as written


def test_an_impossible_date_line_is_one_clear_error(project):
    seed = project / "seeds/article.txt"
    seed.write_text("Date: 2022-13-45\n\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["extract"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: seeds/article.txt:1: '2022-13-45' is not a date; write the story's date as YYYY-MM-DD (e.g. Date: 2022-10-06)."


def test_no_known_date_means_no_date_line_and_the_option_sets_one(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"seeds/article.txt" = "2022-10-06"', ""), encoding="utf-8")
    assert invoke("bundle", "--lang", "es", "--format", "md,html").exit_code == 0
    md = (project / "dist/article/es/article.md").read_text(encoding="utf-8")
    assert not re.search(r"^\*[^*]+\*$", md, re.M)  # no date line under the headline
    assert "<time" not in (project / "dist/article/es/article.html").read_text(encoding="utf-8")
    assert manifest_of(project)["story_date"] is None
    assert invoke("bundle", "--lang", "es", "--format", "md", "--date", "2022-10-06").exit_code == 0
    assert "*6 de octubre de 2022*" in (project / "dist/article/es/article.md").read_text(encoding="utf-8")
    bad = runner.invoke(app, ["bundle", "--date", "6 Oct"])
    assert bad.exit_code == 2 and "--date" in bad.output


def test_source_date_epoch_sets_the_build_time_and_the_archive_times(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert invoke("bundle", "--lang", "pl").exit_code == 0
    assert manifest_of(project)["generated_at"] == "2023-11-14T22:13:20+00:00"
    with zipfile.ZipFile(project / "dist/article.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    first = (project / "dist/article.zip").read_bytes()
    assert invoke("bundle", "--lang", "pl").exit_code == 0
    assert (project / "dist/article.zip").read_bytes() == first


# --- a machine never overwrites a person -------------------------------------------------


class _Upper:
    name = "upper"

    def __init__(self, **_):
        pass

    def provenance(self, source, target):
        return f"upper {source}→{target}"

    def translate_batch(self, sentences, *, source, target, progress=None):
        if progress:
            progress(len(sentences))
        return [s.upper() for s in sentences]


@pytest.fixture
def upper_engine():
    from pipeline.engines import register_engine, unregister_engine

    register_engine("upper", _Upper, produces_translations=True)
    yield
    unregister_engine("upper")


def test_an_edited_suggestion_is_left_alone_by_a_real_engine_and_by_refresh_mt(empty_project, upper_engine):
    assert invoke("run", "--lang", "uk", "--engine", "pseudo").exit_code == 3
    po_path = empty_project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    edited, untouched = po[1], po[2]
    edited.msgstr = "Виправлено перекладачем."
    po.save()
    result = invoke("translate", "--lang", "uk", "--engine", "upper")
    assert result.exit_code == 0, result.output
    assert "1 machine suggestion edited by a person left alone" in result.output
    po = polib.pofile(str(po_path))
    assert po.find(edited.msgid).msgstr == "Виправлено перекладачем." and po.find(edited.msgid).fuzzy
    assert po.find(untouched.msgid).msgstr == untouched.msgid.upper()  # the engine's own pseudo output was replaced
    # --refresh-mt redoes only what the engine wrote and nobody changed
    again = polib.pofile(str(po_path))
    again.find(untouched.msgid).msgstr = "Теж виправлено."
    again.save()
    result = invoke("translate", "--lang", "uk", "--engine", "upper", "--refresh-mt")
    assert "2 machine suggestions edited by a person left alone" in result.output
    po = polib.pofile(str(po_path))
    assert po.find(untouched.msgid).msgstr == "Теж виправлено."
    assert po.find(edited.msgid).msgstr == "Виправлено перекладачем."


def test_the_digest_proves_what_the_engine_wrote(empty_project):
    from pipeline.gettext.provenance import engine_wrote

    assert invoke("run", "--lang", "pl", "--engine", "pseudo").exit_code == 3
    po = polib.pofile(str(empty_project / "locale/pl/LC_MESSAGES/article.po"))
    assert all(engine_wrote(e) for e in po if e.msgid)
    po[0].msgstr += " "
    assert not engine_wrote(po[0])


# --- the smaller points -----------------------------------------------------------------


def test_a_relative_source_is_read_from_the_current_folder(project, monkeypatch):
    monkeypatch.chdir(project / "seeds")
    result = invoke("run", "article.txt", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert "#: seeds/article.txt:1" in (project / "locale/article.pot").read_text(encoding="utf-8")


def test_translate_after_an_article_edit_says_what_to_run(project):
    seed = project / "seeds/article.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\n" + NEW_PARAGRAPH, encoding="utf-8")
    result = invoke("translate", "--lang", "uk", "--engine", "pseudo")
    assert "note: seeds/article.txt changed since locale/article.pot was extracted (2 new, 0 removed sentences); run `pipeline run seeds/article.txt`" in result.output


def test_run_reports_each_stage_as_it_ends_merges_before_translation(empty_project):
    from pipeline import workflow
    from pipeline.settings import load_settings

    events = []
    settings = load_settings().with_overrides(engine="pseudo")

    def progress(language, total):
        events.append("translate-start")
        return None

    workflow.run(settings, ["seeds/article.txt"], languages=("uk",), progress=progress, announce=lambda stage, report: events.append(stage))
    assert events == ["update", "translate-start", "translate", "bundle", "report"]


def test_the_progress_rate_is_sentences_over_elapsed_time(monkeypatch):
    from pipeline.cli import common
    from pipeline.settings import Settings

    clock = iter([100.0, 102.0])
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    common.Verbosity.progress = True
    with common._progress_bars(Settings(engine="pseudo")) as start:
        advance = start("uk", 32)
        advance(32)
        bars = start.__closure__  # the factory keeps its Progress in its closure
        progress = next(c.cell_contents for c in bars if isinstance(c.cell_contents, list))[0]
        assert progress.tasks[0].fields["rate"] == "16.0 sentences/s"


def test_check_tables_never_cut_a_path_and_help_recommends_the_comment(project):
    po_path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "330" in e.msgstr)
    entry.msgstr = entry.msgstr.replace("330", "331")
    po.save()
    result = runner.invoke(app, ["check", "--lang", "uk"], env={"COLUMNS": "80"}, terminal_width=80)
    assert re.search(r"│ locale/uk/LC_MESSAGES/article\.po:\d+ │", result.output), result.output  # whole, on one line
    help_text = re.sub(r"\s+", " ", runner.invoke(app, ["check", "--help"]).output).replace("- ", "-")
    assert "# no-check-<id>: why" in help_text and "#, no-check" not in help_text


def test_quiet_prints_only_outcomes_and_no_progress_is_accepted(project):
    result = invoke("run", "--lang", "uk,pl", "-q")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "article [uk]: published, 100.0% reviewed",
        "article [pl]: published, 100.0% reviewed",
        "outcome: every language published (exit 0)",
    ]
    assert invoke("run", "--lang", "uk", "--no-progress").exit_code == 0
    assert invoke("translate", "--lang", "uk", "--quiet").exit_code == 0


def test_a_caption_credit_follows_the_language_convention(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + '\n[tool.pipeline.credit_prefix]\npl = "Fot."\n', encoding="utf-8")
    seed = project / "seeds/article.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("(@NGUmainpage/Newsflash)", "(Photo: Jane Doe/Reuters)", 1), encoding="utf-8")
    assert invoke("run", "--lang", "pl,de").exit_code == 0  # a credit is skeleton: the catalogues still cover every sentence
    pl = json.loads((project / "dist/article/pl/article.json").read_text(encoding="utf-8"))
    de = json.loads((project / "dist/article/de/article.json").read_text(encoding="utf-8"))
    credits = lambda s: [b["caption_credit"] for b in s["blocks"] if b["caption_credit"]]
    assert credits(pl)[0] == "(Fot. Jane Doe/Reuters)" and credits(de)[0] == "(Photo: Jane Doe/Reuters)"
    assert "(Fot. Jane Doe/Reuters)" in (project / "dist/article/pl/article.html").read_text(encoding="utf-8")


def test_word_counts_are_whitespace_words_and_differ_from_pocount_only_by_hyphenated_compounds(project):
    """`status` and the manifest count words as whitespace-separated tokens; pocount also splits at hyphens (755 against 758)."""
    from translate.tools.pocount import wordcount

    po = polib.pofile(str(project / "locale/uk/LC_MESSAGES/article.po"))
    ours = json.loads(invoke("status", "--lang", "uk", "--format", "json").output)[0]["total"]["words"]
    theirs = sum(wordcount(e.msgid) for e in po if e.msgid)
    hyphenated = sum(len(re.findall(r"\w-\w", e.msgid)) for e in po if e.msgid)
    assert ours == sum(len(e.msgid.split()) for e in po if e.msgid) == 755
    assert theirs == 758 == ours + hyphenated  # south-eastern, high-rise, Russia-appointed


def test_pseudo_output_waits_for_translators_and_use_fuzzy_says_what_it_published(project):
    seed = project / "seeds/article.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\n" + NEW_SENTENCES[0], encoding="utf-8")
    result = invoke("run", "--lang", "uk", "--engine", "pseudo", "--use-fuzzy")
    assert result.exit_code == 0 and "article [uk]: published, 100.0% translated (fuzzy included)" in result.output
    result = invoke("bundle", "--lang", "uk")
    assert result.exit_code == 3
    assert "waiting for translators: 1 sentence has no translation" in result.output  # pseudo output is no translation


@pytest.mark.parametrize(
    "table, key",
    [('[tool.pipeline.story_dates]\n"seeds/article.txt" = "6 Oct 2022"\n', "story_dates"), ("[tool.pipeline.credit_prefix]\npl = 3\n", "credit_prefix")],
)
def test_story_dates_and_credit_prefixes_are_checked_before_anything_runs(project, table, key):
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8").replace('[tool.pipeline.story_dates]\n"seeds/article.txt" = "2022-10-06"', "")
    pyproject.write_text(text + "\n" + table, encoding="utf-8")
    result = runner.invoke(app, ["bundle"])
    assert result.exit_code == 2 and f"[tool.pipeline] {key} must be" in result.output
    assert not (project / "dist").exists()
