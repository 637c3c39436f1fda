"""Translators' work is never lost: edit/merge cycles, memory, checks, back-translation."""

from __future__ import annotations

import json
import shutil
import subprocess

import polib
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from pipeline.article import parse_article
from pipeline.gettext.catalogue import is_human
from pipeline.gettext.merge import merge
from pipeline.cli import app
from pipeline.engines import get_engine
from pipeline.gettext.template import build_template
from pipeline.gettext.languages import language
from pipeline.engines.fill import fill_catalogues

from conftest import SEED, ROOT, as_gnu_keeps_it

runner = CliRunner()
UK_PO = "locale/uk/LC_MESSAGES/article.po"


def invoke(*args):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def test_scripted_translator_and_editor_session(project):
    po_path = project / UK_PO
    # 1. The translator improves one translation in her text editor (one line of the file changes).
    text = po_path.read_text(encoding="utf-8")
    assert text.count("Відео починається") == 1
    po_path.write_text(text.replace("Відео починається", "Кадри починаються"), encoding="utf-8")
    humans = {e.msgid: e.msgstr for e in polib.pofile(str(po_path))}

    # 2. The editor changes one sentence, deletes one, adds one and moves a paragraph.
    source = SEED.read_text(encoding="utf-8")
    blocks = source.split("\n\n")
    changed_from = "Russia has claimed that its casualties have been much lower but provides infrequent updates on its latest figures."
    changed_to = "Russia has claimed that its casualties have been much lower but provides rare updates on its latest figures."
    deleted = blocks.pop(blocks.index("Two people were killed after Ukraine’s south-eastern city of Zaporizhzhia was reportedly hit by Russian missiles in the early hours of Thursday morning."))
    blocks = [b.replace(changed_from, changed_to) for b in blocks]
    blocks.insert(3, "A drone unit joined the patrol at dawn.")
    blocks.append(blocks.pop(1))  # move a paragraph to the end
    (project / "seeds/article.txt").write_text("\n\n".join(blocks), encoding="utf-8")

    assert invoke("run", "--engine", "pseudo").exit_code == 3  # waiting for translators: previews only
    po = polib.pofile(str(po_path))
    for msgid, msgstr in humans.items():
        entry = po.find(msgid, include_obsolete_entries=True)
        if msgid == changed_from:
            assert entry.obsolete and entry.msgstr == msgstr
            fuzzy = po.find(changed_to)
            assert fuzzy.fuzzy and fuzzy.msgstr == msgstr and fuzzy.previous_msgid == changed_from
        elif msgid == deleted:
            assert entry.obsolete and entry.msgstr == msgstr
        else:
            assert entry.msgstr == msgstr and not entry.fuzzy and not entry.obsolete
    new = po.find("A drone unit joined the patrol at dawn.")
    assert new.fuzzy and new.tcomment.startswith("machine translation: pseudo")
    assert sum("Кадри починаються" in e.msgstr and not e.fuzzy for e in po) == 1  # her edit, kept

    # Written the way GNU gettext writes it: msgcat (as Poedit would save) changes nothing.
    if shutil.which("msgcat"):
        for path in sorted((project / "locale").rglob("*.po")) + sorted((project / "locale").glob("*.pot")):
            done = subprocess.run(["msgcat", str(path)], capture_output=True, check=True)
            assert done.stdout.decode("utf-8") == as_gnu_keeps_it(path.read_text(encoding="utf-8")), path

    # 3. The deleted sentence comes back: so does its translation.
    (project / "seeds/article.txt").write_bytes(SEED.read_bytes())
    assert invoke("run", "--engine", "pseudo").exit_code == 0  # every sentence reviewed again: all published
    po = polib.pofile(str(po_path))
    back = po.find(deleted)
    assert back.msgstr == humans[deleted] and not back.fuzzy and not back.obsolete
    assert invoke("update", "--purge-obsolete").exit_code == 0
    assert not polib.pofile(str(po_path)).obsolete_entries()


SENTENCES = list(dict.fromkeys(s.msgid for s in parse_article(SEED.read_bytes(), path="a.txt").segments))
HUMAN = {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / UK_PO))}

edit = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 200)),
    st.tuples(st.just("change"), st.integers(0, 200), st.sampled_from(["rapidly", "Ukrainian", "the", "new"])),
    st.tuples(st.just("add"), st.text(alphabet="abcdefgh ", min_size=5, max_size=30)),
    st.tuples(st.just("restore"), st.integers(0, 200)),
    st.tuples(st.just("shuffle"), st.randoms(use_true_random=False)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(edit, min_size=1, max_size=6), min_size=1, max_size=4))
def test_no_human_translation_is_ever_lost_or_changed(cycles):
    uk = language("uk")
    sentences = list(SENTENCES)
    po = None
    pot = polib.POFile()
    for entry in build_template([parse_article(SEED.read_bytes(), path="a.txt")]):
        pot.append(entry)
    po, _ = merge(pot, None, uk)
    for entry in po:
        entry.msgstr = HUMAN[entry.msgid]
    engine = get_engine("pseudo")
    for cycle in cycles:
        for op in cycle:
            if op[0] == "delete" and sentences:
                sentences.pop(op[1] % len(sentences))
            elif op[0] == "change" and sentences:
                i = op[1] % len(sentences)
                sentences[i] = sentences[i].replace(" ", f" {op[2]} ", 1)
            elif op[0] == "add" and op[1].strip():
                sentences.append(op[1].strip().capitalize() + ".")
            elif op[0] == "restore":
                sentences.append(SENTENCES[op[1] % len(SENTENCES)])
            elif op[0] == "shuffle":
                op[1].shuffle(sentences)
        text = "Headline\n\n" + "\n\n".join(sentences)
        pot = build_template([parse_article(text.encode(), path="a.txt")])
        po, _ = merge(pot, po, uk)
        fill_catalogues([po], engine, source="en", target="uk")
        po = polib.pofile(str(po))  # through the file format, as on disk
        active = {e.msgid: e for e in po if not e.obsolete}
        obsolete = {e.msgid: e for e in po.obsolete_entries()}
        for msgid, msgstr in HUMAN.items():
            entry = active.get(msgid) or obsolete.get(msgid)
            assert entry is not None, f"lost: {msgid}"
            assert entry.msgstr == msgstr and not entry.fuzzy
            assert is_human(entry)


def test_memory_reuses_translations_across_articles(project):
    second = (
        "A second report\n\n"
        "The footage also shows a local resident bursting into tears and hugging the Ukrainian soldiers as they march past her home.\n\n"
        "The footage also shows a local resident bursting into tears and hugging Ukrainian soldiers as they march past her house.\n\n"
        "Completely unrelated words about weather."
    )
    (project / "seeds/second.txt").write_text(second, encoding="utf-8")
    assert invoke("extract", "seeds/second.txt").exit_code == 0
    result = invoke("update", "--lang", "uk")
    assert "1 from memory, 1 memory suggestion" in result.output
    po = polib.pofile(str(project / "locale/uk/LC_MESSAGES/second.po"))
    human = polib.pofile(str(project / UK_PO))
    exact = po.find("The footage also shows a local resident bursting into tears and hugging the Ukrainian soldiers as they march past her home.")
    assert exact.msgstr == human.find(exact.msgid).msgstr and not exact.fuzzy
    close = po.find("The footage also shows a local resident bursting into tears and hugging Ukrainian soldiers as they march past her house.")
    assert close.fuzzy and close.msgstr == exact.msgstr and close.tcomment.startswith("translation memory: 9")
    assert po.find("Completely unrelated words about weather.").msgstr == ""
    # MT then only sees what the memory could not answer
    assert "uk: 2 entries filled by pseudo" in invoke("translate", "--lang", "uk", "--engine", "pseudo").output
    # the memory knows which articles a translation occurs in (through its PO export)
    assert invoke("memory", "export", "--lang", "uk", "--out", "uk-memory.po").exit_code == 0
    memory = polib.pofile(str(project / "uk-memory.po"))
    assert memory.find(exact.msgid).occurrences == [("article", ""), ("second", "")]


def test_check_passes_clean_catalogues_and_fails_a_planted_error(project):
    assert invoke("check").exit_code == 0
    po = polib.pofile(str(project / UK_PO), wrapwidth=79)
    entry = next(e for e in po if "61" in e.msgid)
    assert "330" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("330", "333", 1)
    po.save()
    result = invoke("check", "--lang", "uk", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)
    assert {f["check"] for f in findings if f["severity"] == "error"} == {"numbers"}
    entry.flags.append("no-check-numbers")
    po.save()
    assert invoke("check", "--lang", "uk").exit_code == 0
    status = json.loads(invoke("status", "--lang", "uk", "--format", "json").output)
    assert status[0]["failed_checks"] == 0


def test_back_translation_scores_every_entry_and_changes_no_translation(project, argos_packages):
    before = {e.msgid: (e.msgstr, e.flags) for e in polib.pofile(str(project / UK_PO))}
    result = invoke("roundtrip", "--back-translate", "--lang", "uk", "--worst", "3")
    assert result.exit_code == 0, result.output
    assert "Weakest back-translations" in result.output
    po = polib.pofile(str(project / UK_PO))
    for entry in po:
        assert (entry.msgstr, entry.flags) == before[entry.msgid]
        assert any(line.startswith("back-translation chrF: ") for line in entry.tcomment.splitlines())
