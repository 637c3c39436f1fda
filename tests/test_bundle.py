"""Localised bundles: the article rebuilt from the catalogue, credits untouched."""

from __future__ import annotations

import json

import polib

from pipeline import workflow
from pipeline.settings import load_settings

from conftest import SEED


def test_ukrainian_bundle_is_the_catalogue_in_the_article_layout(project):
    settings = load_settings()
    results = workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",)).results
    assert results[0].bundled and results[0].completeness == 100.0
    text = (project / "dist/article/uk/article.txt").read_text(encoding="utf-8")
    po = polib.pofile(str(project / "locale/uk/LC_MESSAGES/article.po"))
    source = SEED.read_text(encoding="utf-8")
    # same layout: same number of lines, blank lines in the same places, no final newline
    assert [bool(line.strip()) for line in text.split("\n")] == [bool(line.strip()) for line in source.split("\n")]
    assert not text.endswith("\n")
    assert text.split("\n")[0] == po[0].msgstr
    for entry in po:
        assert entry.msgstr in text
    assert text.count("(@NGUmainpage/Newsflash)") == source.count("(@NGUmainpage/Newsflash)") == 4
    assert "Heavy Gunfire" not in text


def test_manifest_describes_every_language(project):
    settings = load_settings()
    workflow.bundle(settings, ["seeds/article.txt"], languages=settings.languages)
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == "seeds/article.txt"
    assert len(manifest["source_sha256"]) == 64
    by_code = {entry["code"]: entry for entry in manifest["languages"]}
    assert set(by_code) == {"uk", "pl", "de", "fr", "es"}
    assert by_code["uk"]["native_name"] == "українська" and by_code["de"]["english_name"] == "German"
    assert by_code["uk"]["entries"]["translated"] == 32 and by_code["uk"]["bundled"]
    assert by_code["uk"]["words"]["total"] > 700


def test_incomplete_language_is_not_bundled_and_fuzzy_is_ignored(project):
    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po[:10]:
        entry.flags.append("fuzzy")
    po.save()
    settings = load_settings()
    result = workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",)).results[0]
    assert not result.bundled and result.completeness < 80
    assert not (project / "dist/article/uk").exists()
    result = workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), use_fuzzy=True).results[0]
    assert result.bundled and result.completeness == 100.0


def test_missing_sentences_fall_back_to_source_and_are_listed(project):
    """A newsroom that accepts less (bundle_threshold below 100) publishes with the source standing in."""
    path = project / "locale/de/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    missing = po[5].msgid
    po[5].msgstr = ""
    po.save()
    settings = load_settings().with_overrides(bundle_threshold=80.0)
    result = workflow.bundle(settings, ["seeds/article.txt"], languages=("de",)).results[0]
    assert result.bundled and result.fallback == [missing]
    assert missing in (project / "dist/article/de/article.txt").read_text(encoding="utf-8")
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    assert manifest["languages"][0]["fallback_to_source"] == [missing]
    structure = json.loads((project / "dist/article/de/article.json").read_text(encoding="utf-8"))
    assert structure["blocks"][6]["caption_credit"] == "(@NGUmainpage/Newsflash)"


# --- formats --------------------------------------------------------------------

import gettext
import hashlib
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import bundle as bundle_mod
from pipeline.cli import app
from pipeline.errors import ConfigError, OutputError, SourceError

from conftest import files_snapshot

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def manifest_of(project):
    return json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))


def test_default_bundle_writes_every_format_and_a_checksummed_archive(project):
    result = invoke("bundle", "seeds/article.txt")
    assert result.exit_code == 0, result.output
    manifest = manifest_of(project)
    assert manifest["formats"] == ["txt", "json", "md", "html", "mo", "zip"]
    for code in ("uk", "pl", "de", "fr", "es"):
        for ext in ("txt", "json", "md", "html", "mo"):
            assert (project / f"dist/article/{code}/article.{ext}").is_file()
    listed = {name: digest for entry in manifest["languages"] for name, digest in entry["files"].items()}
    assert len(listed) == 25
    with zipfile.ZipFile(project / "dist/article.zip") as archive:
        names = archive.namelist()
        assert sorted(names) == sorted([f"article/{name}" for name in listed] + ["article/manifest.json"])
        for name in listed:
            data = archive.read(f"article/{name}")
            assert hashlib.sha256(data).hexdigest() == listed[name]
            assert data == (project / "dist/article" / name).read_bytes()
        archived = json.loads(archive.read("article/manifest.json"))
        assert archived == bundle_mod.manifest.without_build_time(manifest)  # the run's time stays out of the archive
        assert "generated_at" not in archived and "generated_at" in manifest


def test_markdown_has_the_headline_as_heading_and_captions_apart_with_credits(project):
    workflow.bundle(load_settings(), ["seeds/article.txt"], languages=("uk",), formats="md")
    po = polib.pofile(str(project / "locale/uk/LC_MESSAGES/article.po"))
    text = (project / "dist/article/uk/article.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "# " + po[0].msgstr.replace("*", "\\*").replace("_", "\\_")
    captions = [line for line in lines if line.startswith("> ")]
    assert len(captions) == 4 and all(line.endswith("— (@NGUmainpage/Newsflash)") for line in captions)
    assert "Heavy Gunfire" not in text
    assert not (project / "dist/article/uk/article.txt").exists()  # only the format asked for


def test_html_page_has_lang_and_dir_from_babel_and_escapes_every_string(project):
    from babel import Locale

    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    po[1].msgstr = "<script>alert('x')</script> " + po[1].msgstr
    po.save()
    workflow.bundle(load_settings(), ["seeds/article.txt"], languages=("uk",), formats="html")
    page = (project / "dist/article/uk/article.html").read_text(encoding="utf-8")
    assert f'<html lang="uk" dir="{Locale.parse("uk").text_direction}">' in page
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.count("<figure>") == 4 and page.count('<span class="credit">(@NGUmainpage/Newsflash)</span>') == 4
    assert "src=" not in page and "<link" not in page  # no external asset


def test_right_to_left_language_gets_dir_rtl(project):
    settings = load_settings()
    workflow.update(settings, languages=("ar",), domains=["article"])
    path = project / "locale/ar/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = "نص " + entry.msgid  # keeps every number and handle
    po.save()
    workflow.bundle(settings, ["seeds/article.txt"], languages=("ar",), formats="html,md", publish_failing=True)
    page = (project / "dist/article/ar/article.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert manifest_of(project)["languages"][0]["text_direction"] == "rtl"


def test_bundled_mo_is_the_compiled_catalogue_and_gettext_reads_it(project):
    settings = load_settings()
    workflow.compile_all(settings, languages=("de",))
    workflow.bundle(settings, ["seeds/article.txt"], languages=("de",), formats="mo")
    shipped = project / "dist/article/de/article.mo"
    assert shipped.read_bytes() == (project / "locale/de/LC_MESSAGES/article.mo").read_bytes()
    po = polib.pofile(str(project / "locale/de/LC_MESSAGES/article.po"))
    with shipped.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)  # the standard library as the oracle
    assert catalogue.gettext(po[3].msgid) == po[3].msgstr


def test_unknown_format_is_refused_naming_the_flag_and_nothing_is_written(project):
    before = files_snapshot(project)
    result = invoke("bundle", "--format", "txt,yaml")
    assert result.exit_code == 2
    assert "--format" in result.output and "'yaml'" in result.output and "md" in result.output
    assert not (project / "dist").exists()
    result = invoke("run", "--format", "yaml")
    assert result.exit_code == 2 and "--format" in result.output
    assert not (project / "dist").exists() and files_snapshot(project) == before


def test_adding_a_format_is_one_function_and_one_registry_line(project, monkeypatch):
    monkeypatch.setitem(bundle_mod.FORMATS, "shout", bundle_mod.Format("shout", "language", lambda b: b.structure["headline"].upper().encode()))
    workflow.bundle(load_settings(), ["seeds/article.txt"], languages=("de",), formats="shout")
    headline = polib.pofile(str(project / "locale/de/LC_MESSAGES/article.po"))[0].msgstr
    assert (project / "dist/article/de/article.shout").read_text(encoding="utf-8") == headline.upper()
    assert "de/article.shout" in manifest_of(project)["languages"][0]["files"]


# --- manifest ---------------------------------------------------------------------


def test_manifest_records_time_version_built_skipped_dates_and_mt_failure(project):
    from babel.dates import format_date
    from datetime import datetime

    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po[:10]:
        entry.msgstr = ""
    po.save()
    workflow.bundle(load_settings(), ["seeds/article.txt"], languages=("uk", "de", "fr"), mt_failures={"uk": "no model for en→uk"})
    manifest = manifest_of(project)
    when = datetime.fromisoformat(manifest["generated_at"])
    assert when.tzinfo is not None
    assert manifest["tool"]["version"] == bundle_mod.tool_version() != "unknown"
    assert manifest["published"] == ["de", "fr"] and manifest["preview"] == ["uk"]
    by_code = {e["code"]: e for e in manifest["languages"]}
    assert by_code["uk"]["state"] == "preview" and "10 sentences have no translation" in by_code["uk"]["reason"]
    assert by_code["uk"]["engine_notes"] == ["machine translation failed: no model for en→uk"]
    # the story's own date (the seed's [tool.pipeline.story_dates]), never the build date
    assert manifest["story_date"] == "2022-10-06"
    assert by_code["de"]["date"] == format_date(date(2022, 10, 6), format="long", locale="de") == "6. Oktober 2022"
    assert by_code["fr"]["date"] == format_date(date(2022, 10, 6), format="long", locale="fr")
    assert by_code["de"]["date"] != by_code["fr"]["date"]


def test_languages_of_an_earlier_run_are_kept_and_stale_only_when_their_inputs_changed(project):
    settings = load_settings()
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk", "de"))
    first = {e["code"]: e for e in manifest_of(project)["languages"]}
    workflow.bundle(settings, ["seeds/article.txt"], languages=("de",))
    manifest = manifest_of(project)
    assert manifest["published"] == ["de", "uk"]
    by_code = {e["code"]: e for e in manifest["languages"]}
    assert by_code["uk"] == dict(first["uk"], stale=False, stale_reason=None)  # nothing about uk changed: kept as it was
    assert by_code["de"]["stale"] is False
    assert (project / "dist/article/uk/article.txt").is_file()
    path = project / "locale/uk/LC_MESSAGES/article.po"
    path.write_bytes(path.read_bytes() + b"\n# a translator saved the file\n")
    workflow.bundle(settings, ["seeds/article.txt"], languages=("de",))
    uk = next(e for e in manifest_of(project)["languages"] if e["code"] == "uk")
    assert uk["stale"] is True and uk["stale_reason"] == "its catalogue changed"
    assert (project / "dist/article/uk/article.txt").is_file()


def test_bundle_deletes_only_what_it_wrote(project):
    settings = load_settings()
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",))
    mine = project / "dist/article/uk/editor-notes.txt"
    mine.write_text("not the pipeline's", encoding="utf-8")
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), formats="txt")
    assert sorted(p.name for p in (project / "dist/article/uk").iterdir()) == ["article.txt", "editor-notes.txt"]
    assert not (project / "dist/article.zip").exists()  # written by the first run, not asked for now
    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po[:10]:
        entry.flags.append("fuzzy")
    po.save()
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",))
    assert not (project / "dist/article/uk/article.txt").exists()
    assert mine.read_text(encoding="utf-8") == "not the pipeline's"


# --- containment ---------------------------------------------------------------------


def tree(folder):
    """Every file (with its bytes) and every folder under *folder*."""
    return files_snapshot(folder), sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def test_article_named_dotdot_txt_is_refused_and_writes_nothing(project):
    shutil.copy(project / "seeds/article.txt", project / "seeds/...txt")
    for code in ("uk", "pl"):  # what `./uk` deletion would destroy
        (project / code).mkdir()
        (project / code / "keep.txt").write_text("precious", encoding="utf-8")
    before = tree(project.parent)
    result = invoke("run", "seeds/...txt")
    assert result.exit_code == 2
    assert "'..'" in result.output and "rename the file" in result.output
    assert tree(project.parent) == before


def test_two_sources_with_the_same_stem_are_refused_naming_both(project):
    (project / "other").mkdir()
    (project / "other/article.txt").write_text("Another Headline\n\nAnother body.\n", encoding="utf-8")
    before = tree(project.parent)
    for command in ("run", "bundle", "extract"):
        result = invoke(command, "seeds/article.txt", "other/article.txt")
        assert result.exit_code == 2, result.output
        assert "seeds/article.txt" in result.output and "other/article.txt" in result.output
    assert tree(project.parent) == before
    # the same file named twice is one source, not a conflict
    assert invoke("bundle", "seeds/article.txt", "./seeds/article.txt").exit_code == 0


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b"])
def test_domains_that_cannot_name_a_folder_are_refused(name):
    with pytest.raises(SourceError, match="cannot name a folder"):
        bundle_mod.validate_domain(name, source=f"{name}.txt")


def test_symlinked_bundle_folder_is_never_followed_on_delete(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "uk").mkdir(parents=True)
    (elsewhere / "uk/article.txt").write_text("someone else's", encoding="utf-8")
    (elsewhere / "manifest.json").write_text(
        json.dumps({"source_sha256": "x", "languages": [{"code": "uk", "files": {"uk/article.txt": "0"}}]}), encoding="utf-8"
    )
    (project / "dist").mkdir()
    (project / "dist/article").symlink_to(elsewhere, target_is_directory=True)
    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po[:10]:
        entry.flags.append("fuzzy")
    po.save()  # a not-bundled run: the old code removed dist/article/uk through the link
    before = tree(elsewhere)
    result = invoke("bundle", "--lang", "uk")
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert tree(elsewhere) == before


def test_manifest_paths_leading_outside_or_through_links_are_never_deleted(project, tmp_path):
    settings = load_settings()
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), formats="txt")
    victim = project / "dist/victim.txt"
    victim.write_text("outside the bundle", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "article.txt").write_text("through a link", encoding="utf-8")
    (project / "dist/article/pl").symlink_to(outside, target_is_directory=True)
    manifest = manifest_of(project)
    manifest["languages"][0]["files"].update({"../victim.txt": "0", "/etc/hostname": "0", "pl/article.txt": "0"})
    (project / "dist/article/manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), formats="json")
    assert victim.read_text(encoding="utf-8") == "outside the bundle"
    assert (outside / "article.txt").read_text(encoding="utf-8") == "through a link"
    assert not (project / "dist/article/uk/article.txt").exists()  # its own file, now not asked for


@pytest.mark.parametrize("folder", ["/", "~", "..", "."])
def test_output_folder_that_is_root_home_or_an_ancestor_is_refused(project, folder):
    from pathlib import Path

    out = Path(folder).expanduser()
    with pytest.raises(OutputError, match="will not write or delete there"):
        workflow.bundle(load_settings(), ["seeds/article.txt"], languages=("uk",), out_dir=out)
    result = invoke("bundle", "--lang", "uk", "--out", str(out))
    assert result.exit_code == 2


def test_locale_folder_that_is_an_ancestor_is_refused(project):
    with pytest.raises(OutputError, match="locale folder"):
        workflow.bundle(load_settings().with_overrides(locale_dir=project.parent), ["seeds/article.txt"], languages=("uk",))


# --- publishing gate ------------------------------------------------------------------


def plant(project, code, old, new):
    path = project / f"locale/{code}/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if old in e.msgstr and not e.fuzzy)
    entry.msgstr = entry.msgstr.replace(old, new)
    po.save()
    return entry


def test_a_changed_number_is_not_published_and_exits_1(project):
    entry = plant(project, "uk", "330", "331")
    result = invoke("run", "seeds/article.txt", "--lang", "uk")
    assert result.exit_code == 1, result.output
    assert "[numbers]" in result.output and "article [uk]: held back, not published" in result.output
    assert not (project / "dist/article/uk").exists()  # never in the published place
    text = (project / "dist/article/preview/uk/article.txt").read_text(encoding="utf-8")
    assert text.startswith("[DRAFT, NOT FOR PUBLICATION]")
    assert "331" not in text and entry.msgid in text  # the source stands in for it
    manifest = manifest_of(project)
    held = manifest["languages"][0]["held_back"]
    assert [(h["msgid"], h["check"]) for h in held] == [(entry.msgid, "numbers")]
    assert manifest["held_back"] == ["uk"] and manifest["languages"][0]["state"] == "held back"
    assert "331" not in (project / "dist/article/preview/uk/article.html").read_text(encoding="utf-8")
    with (project / "dist/article/preview/uk/article.mo").open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext(entry.msgid) == entry.msgid


def test_publish_failing_publishes_and_records_it(project):
    entry = plant(project, "uk", "330", "331")
    result = invoke("bundle", "--lang", "uk", "--publish-failing")
    assert result.exit_code == 0, result.output
    assert "331" in (project / "dist/article/uk/article.txt").read_text(encoding="utf-8")
    manifest = manifest_of(project)
    assert manifest["publish_failing"] is True
    assert [(h["msgid"], h["check"]) for h in manifest["languages"][0]["published_failing"]] == [(entry.msgid, "numbers")]
    assert manifest["languages"][0]["held_back"] == []


def test_a_translation_adding_a_blank_line_is_not_published(project):
    path = project / "locale/de/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    entry = po[4]
    first, rest = entry.msgstr.split(" ", 1)
    entry.msgstr = f"{first}\n\n{rest}"
    po.save()
    result = invoke("bundle", "--lang", "de")
    assert result.exit_code == 1, result.output
    held = manifest_of(project)["languages"][0]["held_back"]
    assert (entry.msgid, "line-structure") in [(h["msgid"], h["check"]) for h in held]
    draft = (project / "dist/article/preview/de/article.txt").read_text(encoding="utf-8")
    assert draft.startswith("[DRAFT, NOT FOR PUBLICATION]\n\n")
    text = draft.split("\n", 2)[2]  # the article after the draft line
    source = SEED.read_text(encoding="utf-8")
    assert [bool(line.strip()) for line in text.split("\n")] == [bool(line.strip()) for line in source.split("\n")]
    assert entry.msgid in text


def test_a_msgfmt_error_is_not_published(project):
    # msgfmt -c: msgid and msgstr must both end (or not) with "\n"; our own line check agrees
    path = project / "locale/fr/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    entry = po[2]
    entry.msgstr += "\n"
    po.save()
    result = invoke("bundle", "--lang", "fr")
    assert result.exit_code == 1
    checks_held = {h["check"] for h in manifest_of(project)["languages"][0]["held_back"] if h["msgid"] == entry.msgid}
    assert "line-structure" in checks_held
    if shutil.which("msgfmt"):
        assert "msgfmt" in checks_held


def test_gate_maps_msgfmt_lines_to_entries():
    from pipeline import checks
    from pipeline.checks.catalogue import charge_to_entries

    po = polib.pofile('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "One 1."\nmsgstr "Eins 1."\n\nmsgid "Two."\nmsgstr "Zwei."\n')
    usable = bundle_mod.translations(po)
    # msgfmt's own text, as the registered `msgfmt` check hands it on (no GNU gettext needed here)
    said = checks.Check("msgfmt", "error", "msgfmt", lambda po, file, *, language: charge_to_entries(po, ["x.po:10: something wrong", "general trouble"], file="x.po"), scope="file")
    findings = checks.check_catalogue(po, language="de", file="x.po", checks=[said])
    held, errors = bundle_mod.gate_failures(findings, usable)
    assert [(h.msgid, h.check) for h in held] == [("Two.", "msgfmt")]
    assert errors == ["[msgfmt] general trouble"]


def test_the_gate_holds_back_exactly_the_error_findings_it_is_given():
    from pipeline.checks import Finding

    po = polib.pofile('msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "One."\nmsgstr "Eins."\n\n#, fuzzy\nmsgid "Two."\nmsgstr "Zwei."\n\nmsgid "Three."\nmsgstr ""\n')

    def found(check, severity, msgid, fuzzy=False):
        return Finding(check, severity, f"{check} says no", msgid, 5, "de.po", "de", fuzzy)

    findings = [
        found("numbers", "error", "One."), found("numbers", "error", "One."), found("brackets", "warning", "One."),
        found("glossary", "error", "Two.", fuzzy=True), found("protected", "error", "Three."), found("header", "error", ""),
    ]
    held, errors = bundle_mod.gate_failures(findings, bundle_mod.translations(po))
    assert [(h.msgid, h.check) for h in held] == [("One.", "numbers")]  # once per sentence and check; only usable ones
    assert errors == ["[header] header says no"]
    held, _ = bundle_mod.gate_failures(findings, bundle_mod.translations(po, use_fuzzy=True))
    assert [(h.msgid, h.check) for h in held] == [("One.", "numbers"), ("Two.", "glossary")]


# --- check and bundle agree: one verdict, the check registry's ----------------------------


def _break_line(project, code="uk", index=3):
    """Put one line break in the middle of a reviewed msgstr; return the entry."""
    path = project / f"locale/{code}/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    entry = po[index]
    assert not entry.fuzzy and entry.msgstr
    words = entry.msgstr.split(" ")
    entry.msgstr = " ".join(words[:3]) + "\n" + " ".join(words[3:])
    po.save()
    return _as_read(path, code)[index]


def _as_read(path, code):
    """The catalogue as the pipeline reads it (its entries' `linenum` are the lines findings name)."""
    from pipeline.gettext.catalogue import read_catalogue
    from pipeline.gettext.languages import language

    return read_catalogue(path, language=language(code))


def test_check_and_bundle_agree_on_a_line_break_added_inside_a_sentence(project):
    entry = _break_line(project)
    checked = invoke("check", "--lang", "uk", "--format", "json")
    assert checked.exit_code == 1, checked.output
    found = [f for f in json.loads(checked.output) if f["severity"] == "error"]
    assert [(f["check"], f["msgid"], f["line"], f["fuzzy"]) for f in found] == [("line-structure", entry.msgid, entry.linenum, False)]
    assert "line-structure" in invoke("check", "--lang", "uk").output
    bundled = invoke("bundle", "--lang", "uk")
    assert bundled.exit_code == 1, bundled.output
    held = manifest_of(project)["languages"][0]["held_back"]
    assert [(h["msgid"], h["check"], h["line"]) for h in held] == [(entry.msgid, "line-structure", entry.linenum)]
    assert entry.msgid in (project / "dist/article/preview/uk/article.txt").read_text(encoding="utf-8")
    status = json.loads(invoke("status", "--lang", "uk", "--format", "json").output)
    assert [row["failed_checks"] for row in status] == [1]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_msgfmt_findings_land_on_their_entry_in_check_and_in_the_gate(project):
    path = project / "locale/fr/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    po[2].msgstr += "\n"
    po.save()
    entry = _as_read(path, "fr")[2]
    checked = invoke("check", "--lang", "fr", "--format", "json")
    assert checked.exit_code == 1
    msgfmt = [f for f in json.loads(checked.output) if f["check"] == "msgfmt"]
    assert [(f["msgid"], f["line"], f["path"]) for f in msgfmt] == [(entry.msgid, entry.linenum, "locale/fr/LC_MESSAGES/article.po")]
    assert str(project) not in msgfmt[0]["message"]
    assert "msgfmt" not in invoke("check", "--lang", "fr", "--format", "json", "--no-msgfmt").output
    invoke("bundle", "--lang", "fr")
    held = [h for h in manifest_of(project)["languages"][0]["held_back"] if h["check"] == "msgfmt"]
    assert [(h["msgid"], h["line"], h["message"]) for h in held] == [(entry.msgid, entry.linenum, msgfmt[0]["message"])]


# --- seams: a check and a format added from outside the package --------------------------


def test_a_check_added_from_outside_shows_in_check_and_holds_back_in_bundle(project):
    from pipeline import checks

    path = project / "locale/de/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    po[4].msgstr = po[4].msgstr.upper()
    po.save()
    msgid = po[4].msgid
    from pipeline.memory import cache_dir

    cache_dir(project / "locale").mkdir(parents=True, exist_ok=True)  # as after `update`: findings are cached
    assert "no-shouting" not in invoke("check", "--lang", "de", "--format", "json").output  # cached without it

    @checks.check("no-shouting", "error")
    def no_shouting(source, target, *, language, glossary=(), source_language="en"):
        """The translation does not shout."""
        return ["the translation shouts"] if target.isupper() and not source.isupper() else []

    try:
        checked = invoke("check", "--lang", "de", "--format", "json")
        assert checked.exit_code == 1
        assert [(f["check"], f["msgid"]) for f in json.loads(checked.output) if f["check"] == "no-shouting"] == [("no-shouting", msgid)]
        assert "no-shouting" in invoke("check", "--lang", "de").output
        assert invoke("bundle", "--lang", "de").exit_code == 1
        held = manifest_of(project)["languages"][0]["held_back"]
        assert (msgid, "no-shouting") in [(h["msgid"], h["check"]) for h in held]
        assert msgid in (project / "dist/article/preview/de/article.txt").read_text(encoding="utf-8")
    finally:
        checks.unregister("no-shouting")
    assert "no-shouting" not in invoke("check", "--lang", "de", "--format", "json").output
    assert invoke("bundle", "--lang", "de").exit_code == 0


def test_a_format_added_from_outside_is_written_by_bundle_format(project):
    @bundle_mod.writer("shout")
    def write_shout(bundle):
        """The headline, shouted."""
        return bundle.structure["headline"].upper().encode("utf-8")

    try:
        result = invoke("bundle", "--lang", "de", "--format", "txt,shout")
        assert result.exit_code == 0, result.output
        headline = polib.pofile(str(project / "locale/de/LC_MESSAGES/article.po"))[0].msgstr
        assert (project / "dist/article/de/article.shout").read_text(encoding="utf-8") == headline.upper()
        assert manifest_of(project)["formats"] == ["txt", "shout"]
    finally:
        assert bundle_mod.remove_writer("shout").function is write_shout
    assert "shout" not in bundle_mod.FORMATS
    assert invoke("bundle", "--lang", "de", "--format", "shout").exit_code == 2


def test_leftover_temporary_files_of_a_killed_write_are_removed(project):
    settings = load_settings()
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), formats="txt")
    leftovers = [
        project / "locale/uk/LC_MESSAGES/.article.po.k3j_x9q2.tmp",
        project / "locale/uk/.compendium.po.abcdefgh.tmp",
        project / "locale/.article.pot.12345678.tmp",
        project / "dist/article/uk/.article.txt.zz9_aa00.tmp",
        project / "dist/article/.manifest.json.qwertyui.tmp",
    ]
    kept = [
        project / "locale/uk/LC_MESSAGES/notes.tmp",
        project / "dist/article/uk/.draft.tmp",
        project / "dist/article/uk/.article.txt.SHOUTING.tmp",
    ]
    for path in leftovers + kept:
        path.write_text("x", encoding="utf-8")
    link = project / "dist/article/uk/.link.abcdefgh.tmp"
    link.symlink_to(project / "seeds/article.txt")
    workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), formats="txt")
    assert [p for p in leftovers if p.exists()] == []
    assert all(p.exists() for p in kept) and link.is_symlink()
    assert (project / "seeds/article.txt").is_file()


def test_one_leftover_sweep_one_folder_or_recursive_never_through_a_link(tmp_path):
    import os
    import tempfile

    from pipeline.runtime.atomic import remove_leftovers

    (tmp_path / "a/b").mkdir(parents=True)
    handle, name = tempfile.mkstemp(prefix=".real.po.", suffix=".tmp", dir=tmp_path / "a/b")  # as atomic_path names them
    os.close(handle)
    top, deep = tmp_path / "a/.x.po.abcdefgh.tmp", Path(name)
    top.write_text("x", encoding="utf-8")
    assert remove_leftovers(tmp_path / "a", recursive=False) == [top] and deep.exists()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".y.po.abcdefgh.tmp").write_text("y", encoding="utf-8")
    (tmp_path / "a/link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "a/.z.po.abcdefgh.tmp").symlink_to(outside / ".y.po.abcdefgh.tmp")
    assert remove_leftovers(tmp_path / "a/link") == []  # the folder itself a link: not followed
    assert remove_leftovers(tmp_path / "a") == [deep]
    assert (outside / ".y.po.abcdefgh.tmp").exists() and (tmp_path / "a/.z.po.abcdefgh.tmp").is_symlink()


def test_run_records_why_machine_translation_failed(empty_project):
    result = invoke("run", "seeds/article.txt", "--lang", "fr", "--engine", "argos")  # no en→fr model exists here
    assert result.exit_code == 3, result.output  # waiting for translators: a missing model breaks nothing
    assert result.output.count("no machine-translation model installed for en → fr") == 1
    assert "error:" not in result.output and "skipped" not in result.output
    manifest = json.loads((empty_project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    entry = manifest["languages"][0]
    assert manifest["published"] == [] and manifest["preview"] == ["fr"] and entry["state"] == "preview"
    assert len(entry["engine_notes"]) == 1 and entry["engine_notes"][0].startswith("machine translation failed: no model installed")
    assert "pipeline models install en fr" in entry["engine_notes"][0]
