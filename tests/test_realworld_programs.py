"""Programs' catalogues (Xfce Mousepad, GNOME Calculator; tests/data/programs/SOURCES.md) against GNU gettext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.checks import check_catalogue
from pipeline.gettext.catalogue import format_catalogue, open_catalogue, parse_catalogue
from pipeline.gettext.languages import language
from pipeline.gettext.merge import merge

DATA = Path(__file__).parent / "data" / "programs"
FILES = sorted(DATA.glob("*/*.po"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_read_then_write_is_msgcat_and_checks_find_no_error_msgfmt_accepts(path):
    code = path.stem
    catalogue = open_catalogue(path, language=language(code))  # sr@latin, ca@valencia, be@latin: gettext's folder codes
    oracle = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
    assert format_catalogue(catalogue) == oracle
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0
    errors = [str(f) for f in check_catalogue(catalogue.po, language=code, path=path.name) if f.severity == "error" and not f.fuzzy]
    assert errors == []


@pytest.mark.parametrize("code", ["pl", "zh_CN"])
def test_merge_keeps_every_translation_msgmerge_keeps_and_its_fuzzy_suggestions(code, tmp_path):
    old, new = DATA / "mousepad-2021" / f"{code}.po", DATA / "mousepad-2026" / f"{code}.po"
    template = parse_catalogue(new.read_bytes()).po
    for entry in template:
        entry.msgstr, entry.msgstr_plural = "", ({0: "", 1: ""} if entry.msgid_plural else {})
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    template[:] = [e for e in template if not e.obsolete]
    pot = tmp_path / "mousepad.pot"
    pot.write_text(format_catalogue(template), encoding="utf-8")
    oracle = polib.pofile(
        subprocess.run(["msgmerge", "--quiet", "--previous", "-o", "-", str(old), str(pot)], capture_output=True, text=True, check=True).stdout
    )
    merged, _ = merge(template, open_catalogue(old), language(code))

    def state(po):
        return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())), "fuzzy" in e.flags) for e in po if not e.obsolete and e.msgid}

    ours, theirs = state(merged), state(oracle)
    kept = {k: v for k, v in theirs.items() if not v[2] and (v[0] or any(t for _, t in v[1]))}
    assert kept and all(ours[k] == v for k, v in kept.items())
    suggested = {k: v for k, v in theirs.items() if v[2]}
    same = sum(ours[k] == v for k, v in suggested.items())
    assert suggested and same / len(suggested) >= 0.98, (same, len(suggested))


def test_equally_similar_suggestions_go_to_the_one_sharing_most_4_grams_as_in_msgmerge(tmp_path):
    """Two old msgids score the same against a new one: msgmerge takes the one sharing more 4-grams (git's uk catalogue had this case)."""
    old = polib.POFile()
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "uk", "Plural-Forms": language("uk").plural_forms}
    old.append(polib.POEntry(msgid="cannot store %s", msgstr="не вдалося зберегти %s", flags=["c-format"]))
    old.append(polib.POEntry(msgid="can't open file %s", msgstr="не вдалося відкрити файл %s", flags=["c-format"]))
    template = polib.POFile()
    template.append(polib.POEntry(msgid="can't load tree %s", msgstr="", flags=["c-format"]))
    (tmp_path / "old.po").write_text(format_catalogue(old), encoding="utf-8")
    (tmp_path / "t.pot").write_text(format_catalogue(template), encoding="utf-8")
    oracle = polib.pofile(
        subprocess.run(["msgmerge", "--quiet", "--previous", "-o", "-", str(tmp_path / "old.po"), str(tmp_path / "t.pot")], capture_output=True, text=True, check=True).stdout
    )
    merged, _ = merge(template, parse_catalogue((tmp_path / "old.po").read_bytes()), language("uk"))
    ours, theirs = merged.find("can't load tree %s"), oracle.find("can't load tree %s")
    assert theirs.previous_msgid == "can't open file %s"  # the file order would give the other one
    assert (ours.msgstr, ours.previous_msgid) == (theirs.msgstr, theirs.previous_msgid)
