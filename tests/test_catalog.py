"""Extraction to POT and merging into PO catalogues: nothing a translator wrote is lost."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from pipeline.article import parse_article
from pipeline.catalog import merge, read_catalogue, write_catalogue
from pipeline.errors import CatalogueError, LanguageError
from pipeline.extract import build_template, write_template
from pipeline.languages import language

from conftest import SEED

UK = language("uk")
REPEATED = "Guardsmen of the battalion named after General Kulchytsky conducted stabilization operation."


def template(text: str) -> polib.POFile:
    return build_template([parse_article(text.encode(), path="a.txt")])


def test_seed_template_has_one_entry_per_distinct_sentence():
    pot = build_template([parse_article(SEED.read_bytes(), path="seeds/article.txt")])
    assert len(pot) == len({e.msgid for e in pot}) == 32
    repeated = pot.find(REPEATED)
    assert repeated.occurrences == [("seeds/article.txt", str(n)) for n in (13, 21, 33, 45)]
    assert repeated.comment.splitlines()[0] == "caption"
    assert pot[0].comment == "headline"
    numbers = next(e for e in pot if "61,330" in e.msgid)
    assert "protected: " in numbers.comment and "61,330" in numbers.comment
    assert all("(@NGUmainpage/Newsflash)" not in e.msgid for e in pot)


def test_reextracting_unchanged_input_leaves_the_pot_untouched(tmp_path):
    article = parse_article(SEED.read_bytes(), path="seeds/article.txt")
    path = tmp_path / "article.pot"
    assert write_template([article], path) is True
    before = path.read_bytes(), path.stat().st_mtime_ns
    assert write_template([article], path) is False
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_merge_keeps_translations_and_obsoletes_vanished_ones():
    po, _ = merge(template("Head\n\nOne sentence. Two sentence.\n"), None, UK)
    po.find("One sentence.").msgstr = "Одне речення."
    po.find("Two sentence.").msgstr = "Два речення."
    merged, report = merge(template("Head\n\nOne sentence. Three is new here.\n"), po, UK)
    assert merged.find("One sentence.").msgstr == "Одне речення."
    vanished = merged.find("Two sentence.", include_obsolete_entries=True)
    assert vanished.obsolete and vanished.msgstr == "Два речення."
    assert report.kept == 2 and report.obsoleted == 1  # header-less entries: Head + One
    revived, report = merge(template("Head\n\nOne sentence. Two sentence.\n"), merged, UK)
    assert revived.find("Two sentence.").msgstr == "Два речення." and not revived.find("Two sentence.").obsolete
    assert report.revived == 1


def test_changed_sentence_gets_old_translation_as_fuzzy_with_previous_msgid():
    po, _ = merge(template("Head\n\nThe soldiers hold their guns in Lyman.\n"), None, UK)
    po.find("The soldiers hold their guns in Lyman.").msgstr = "Військові тримають зброю в Лимані."
    merged, report = merge(template("Head\n\nThe soldiers hold their rifles in Lyman.\n"), po, UK)
    entry = merged.find("The soldiers hold their rifles in Lyman.")
    assert entry.fuzzy and entry.msgstr == "Військові тримають зброю в Лимані."
    assert entry.previous_msgid == "The soldiers hold their guns in Lyman."
    assert report.fuzzy_matched == 1


def test_headers_come_from_babel():
    po, _ = merge(template("Head\n"), None, language("pl"))
    assert po.metadata["Language"] == "pl"
    assert po.metadata["Plural-Forms"] == language("pl").plural_forms
    assert po.metadata["Language-Team"].startswith("Polish")
    assert "charset=UTF-8" in po.metadata["Content-Type"]


def test_unknown_language_is_a_clear_error():
    with pytest.raises(LanguageError, match="'xx' is not a language"):
        language("xx")


def test_malformed_po_names_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"bad.po:4: malformed catalogue \(syntax error"):
        read_catalogue(path)


def test_bad_escape_names_file_and_line(tmp_path):
    path = tmp_path / "esc.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "\\q"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"esc.po:5: malformed catalogue \(bad escape sequence"):
        read_catalogue(path)


def test_duplicate_entries_are_refused(tmp_path):
    path = tmp_path / "dup.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="dup.po"):
        read_catalogue(path)


def test_plural_forms_is_refused_only_when_invalid(tmp_path):
    po, _ = merge(template("Head\n"), None, UK)
    path = tmp_path / "uk.po"
    # Valid but another meaning than Babel's: the translator's header, read and kept as written.
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    write_catalogue(po, path)
    assert read_catalogue(path, language=UK).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    for invalid, message in (
        ("nplurals=2; plural=(n > 2) ? 2 : 0;", "nplurals is 2"),
        ("nplurals=0; plural=0;", "positive whole number"),
        ("nplurals=2; plural=n ** 2;", "plural expression"),
        ("nplurals=2; plural=eval(n);", "plural expression"),
    ):
        po.metadata["Plural-Forms"] = invalid
        path.write_text(path.read_text(encoding="utf-8").replace("nplurals=2; plural=(n != 1);", invalid), encoding="utf-8")
        with pytest.raises(CatalogueError, match=message):
            read_catalogue(path, language=UK)
        path.write_text(path.read_text(encoding="utf-8").replace(invalid, "nplurals=2; plural=(n != 1);"), encoding="utf-8")


def test_plural_entries_must_have_nplurals_forms(tmp_path):
    path = tmp_path / "uk.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: uk\\n"\n'
        f'"Plural-Forms: {UK.plural_forms}\\n"\n\n'
        'msgid "one tank"\nmsgid_plural "%d tanks"\nmsgstr[0] "танк"\nmsgstr[1] "танки"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"uk.po:\d+: plural entry 'one tank' has 2 msgstr\[n\] forms but Plural-Forms says nplurals=3"):
        read_catalogue(path, language=UK)


def test_merge_keeps_the_catalogues_plural_forms_text(tmp_path):
    po, _ = merge(template("Head\n"), None, language("fr"))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"  # what msginit writes for fr
    po.metadata["Plural-Forms"] = "nplurals=2; plural=n>1;"
    merged, _ = merge(template("Head\n"), po, language("fr"))
    assert merged.metadata["Plural-Forms"] == "nplurals=2; plural=n>1;"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_every_written_catalogue_passes_msgfmt_check(tmp_path):
    po, _ = merge(template(SEED.read_text(encoding="utf-8")), None, UK)
    po[1].msgstr = "Переклад із «лапками» та \"escape\" і \\ слешем."
    po[2].msgstr = "Нечіткий переклад."
    po[2].flags.append("fuzzy")
    path = tmp_path / "uk.po"
    write_catalogue(po, path)
    subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "uk.mo"), str(path)], check=True)
    assert polib.pofile(str(path)).find(po[1].msgid).msgstr == po[1].msgstr
