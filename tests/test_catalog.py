"""Extraction to POT and merging into PO catalogues: nothing a translator wrote is lost."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from pipeline.article import parse_article
from pipeline.gettext.catalogue import read_catalogue, write_catalogue
from pipeline.gettext.merge import merge
from pipeline.errors import CatalogueError, LanguageError
from pipeline.gettext.template import build_template, write_template
from pipeline.gettext.languages import language

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


# --- Reading what msgfmt reads, refusing what it refuses (issue 10) -------------------------

from pipeline.gettext.catalogue import Catalogue, format_catalogue, open_catalogue, parse_catalogue  # noqa: E402
from pipeline.gettext.mo import compile_catalogue  # noqa: E402
from pipeline.gettext.stats import catalogue_stats  # noqa: E402
from pipeline.workflow import update  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n\n'
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")


def po_bytes(body: str, *, charset: str = "UTF-8", encoding: str = "utf-8") -> bytes:
    return (HEADER.format(charset=charset) + body).encode(encoding)


def msgfmt_check(path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "body, line, problem",
    [
        ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 5, "missing 'msgstr' section"),
        ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 8, "duplicate message definition"),
        ('#~ msgid "a"\n#~ msgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 8, "duplicate message definition"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', 7, "first plural form has nonzero index"),
        ('msgid "a"\nmsgstr[0] "b"\n', 6, "missing 'msgid_plural' section"),
        ('msgid "a"\nmsgstr "b\n', 6, "syntax error: end-of-line within string"),
    ],
    ids=["missing-msgstr", "live-and-obsolete", "two-obsolete", "plural-index", "plural-without-msgid_plural", "unterminated"],
)
def test_what_msgfmt_refuses_is_refused_with_file_and_line(tmp_path, body, line, problem):
    path = tmp_path / "bad.po"
    path.write_bytes(po_bytes(body))
    if shutil.which("msgfmt"):
        assert msgfmt_check(path).returncode != 0  # the oracle refuses it too
    with pytest.raises(CatalogueError, match=rf"bad.po:{line}: malformed catalogue \({problem}"):
        open_catalogue(path)


def test_line_like_characters_inside_strings_are_text():
    odd = "a\u2028b\u2029c\x85d\fe\vf"
    catalogue = parse_catalogue(po_bytes(f'msgid "{odd}"\nmsgstr "{odd}!"\n'))
    (entry,) = catalogue.po
    assert (entry.msgid, entry.msgstr) == (odd, odd + "!")


def test_an_article_with_a_line_separator_gives_a_template_the_next_command_reads(tmp_path):
    from pipeline.gettext.template import write_template

    article = parse_article("Head\n\nOne\u2028sentence here. Two.\n".encode(), path="a.txt")
    write_template([article], tmp_path / "a.pot")
    assert any("\u2028" in e.msgid for e in read_catalogue(tmp_path / "a.pot"))


@pytest.mark.parametrize("charset, encoding", [("ISO-8859-1", "latin-1"), ("CP1251", "cp1251"), ("KOI8-R", "koi8_r")])
def test_a_catalogue_in_its_declared_charset_is_read_and_rewritten_in_utf8(tmp_path, charset, encoding):
    text = "Привет" if encoding != "latin-1" else "Café crème"
    path = tmp_path / "old.po"
    path.write_bytes(po_bytes(f'msgid "Hello"\nmsgstr "{text}"\n', charset=charset, encoding=encoding))
    catalogue = open_catalogue(path)
    assert catalogue.po[0].msgstr == text and catalogue.charset == charset
    assert write_catalogue(catalogue) is True
    assert "charset=UTF-8" in path.read_text(encoding="utf-8") and text in path.read_text(encoding="utf-8")
    assert open_catalogue(path).po[0].msgstr == text


@needs_gettext
def test_utf8_labelled_latin1_is_read_as_declared_and_compiles_without_a_traceback(tmp_path):
    path = tmp_path / "mislabelled.po"
    path.write_bytes(po_bytes('msgid "Hello"\nmsgstr "Café"\n', charset="ISO-8859-1"))
    po = read_catalogue(path)
    assert po[0].msgstr == "CafÃ©"  # what msgfmt reads too: the bytes as ISO-8859-1
    assert compile_catalogue(po, tmp_path / "mislabelled.mo") is True


def test_an_unknown_charset_is_a_clear_error(tmp_path):
    path = tmp_path / "odd.po"
    path.write_bytes(po_bytes('msgid "a"\nmsgstr "b"\n', charset="NO-SUCH-CHARSET"))
    with pytest.raises(CatalogueError, match="charset=NO-SUCH-CHARSET, which is not a known encoding"):
        open_catalogue(path)


def test_a_byte_order_mark_is_skipped():
    assert parse_catalogue(b"\xef\xbb\xbf" + po_bytes('msgid "a"\nmsgstr "b"\n')).po[0].msgstr == "b"


def test_obsolete_previous_lines_and_every_flag_survive_a_rewrite(tmp_path):
    body = (
        '#, fuzzy, python-format, range: 1..9, no-wrap, no-check-numbers\n#| msgctxt "old"\n#| msgid "before %d"\n'
        'msgid "after %d"\nmsgstr "після %d"\n\n# note\n#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr "зникло"\n'
    )
    path = tmp_path / "x.po"
    path.write_bytes(po_bytes(body))
    catalogue = open_catalogue(path)
    live, gone = catalogue.po
    assert (live.previous_msgctxt, live.previous_msgid) == ("old", "before %d")
    assert set(live.flags) == {"fuzzy", "python-format", "range: 1..9", "no-wrap", "no-check-numbers"}
    assert (gone.obsolete, gone.previous_msgid, gone.tcomment) == (True, "older", "note")
    text = format_catalogue(catalogue)
    assert '#~| msgid "older"\n#~ msgid "gone"' in text and "no-check-numbers" in text and "range: 1..9" in text
    assert format_catalogue(parse_catalogue(text.encode())) == text


def test_header_order_and_repeated_fields_survive_a_merge(tmp_path):
    header = (
        '# Translators: someone\n#. made by hand\n#: somewhere.c:3\n#, no-wrap\nmsgid ""\nmsgstr ""\n"Project-Id-Version: article\\n"\n"Language: uk\\n"\n'
        '"X-Generator: Poedit 3.4\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"X-Generator: Weblate 5\\n"\n'
        '"MIME-Version: 1.0\\n"\n\n'
    )
    path = tmp_path / "uk.po"
    path.write_bytes((header + 'msgid "Head"\nmsgstr "Заголовок"\n').encode())
    old = open_catalogue(path)
    merged, report = merge(template("Head\n\nNew one here.\n"), old, UK)
    assert write_catalogue(Catalogue(merged, path, old.fingerprint, old.header_text, header_entry=old.header_entry)) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Translators: someone\n#. made by hand\n#: somewhere.c:3\n#, no-wrap\nmsgid \"\"\n")
    assert text.index("Project-Id-Version") < text.index("Language: uk") < text.index("Poedit") < text.index("Weblate")
    assert text.index("Weblate") < text.index("MIME-Version") < text.index("Plural-Forms")  # a new field goes last
    assert report.kept == 1 and report.new == 1


def test_a_live_and_an_obsolete_duplicate_never_replaces_a_reviewed_translation(project):
    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = read_catalogue(path)
    reviewed = next(e for e in po if e.msgstr and not e.fuzzy)
    before = path.read_bytes()
    path.write_bytes(before + f'\n#~ msgid "{reviewed.msgid}"\n#~ msgstr "obsolete text"\n'.encode())
    report = update(load_settings(project), languages=("uk",))
    assert report.exit_code == 2
    (skipped,) = report.skipped
    assert "duplicate message definition" in skipped.reason and "article.po:" in skipped.reason
    assert path.read_bytes().startswith(before) and b"obsolete text" in path.read_bytes()  # untouched: the translator resolves it


def test_plural_entries_keep_every_form_through_a_merge_and_count_as_msgfmt_does():
    pot = polib.POFile()
    pot.append(polib.POEntry(msgid="%d soldier", msgid_plural="%d soldiers", msgstr_plural={0: "", 1: ""}, flags=["c-format"]))
    pot.append(polib.POEntry(msgid="May", msgctxt="month", msgstr=""))
    old = polib.POFile()
    old.metadata = {"Plural-Forms": UK.plural_forms}
    old.append(polib.POEntry(msgid="%d soldier", msgid_plural="%d soldiers", msgstr_plural={0: "%d солдат", 1: "%d солдати", 2: "%d солдатів"}))
    old.append(polib.POEntry(msgid="May", msgctxt="month", msgstr="травень", tcomment="checked", flags=["no-check-length-ratio"]))
    old.append(polib.POEntry(msgid="%d tank", msgid_plural="%d tanks", msgstr_plural={0: "%d танк", 1: "%d танки", 2: "%d танків"}))
    merged, report = merge(pot, old, UK)
    soldiers, may, tanks = merged
    assert soldiers.msgstr_plural == old[0].msgstr_plural and soldiers.flags == ["c-format"]
    assert (may.msgstr, may.tcomment, may.flags) == ("травень", "checked", ["no-check-length-ratio"])
    assert tanks.obsolete and tanks.msgstr_plural == old[2].msgstr_plural
    assert (report.kept, report.obsoleted, report.new) == (2, 1, 0)
    stats = catalogue_stats(merged, language="uk", domain="x")
    assert (stats.translated.entries, stats.untranslated.entries, stats.obsolete.entries) == (2, 0, 1)


@needs_gettext
def test_new_catalogues_and_the_compendium_pass_msgfmt_check_without_a_warning(empty_project):
    from pipeline.workflow import extract, memory_export

    settings = load_settings(empty_project)
    extract(settings, ["seeds/article.txt"])
    update(settings, languages=("uk", "pl"))
    for code in ("uk", "pl"):  # the compendium is the memory's PO export
        memory_export(settings, languages=(code,), format="po", out=empty_project / "locale" / code / "compendium.po")
    written = sorted((empty_project / "locale").glob("*/compendium.po")) + sorted((empty_project / "locale").glob("*/LC_MESSAGES/*.po"))
    assert len(written) == 4
    for path in written:
        result = msgfmt_check(path)
        assert (result.returncode, result.stderr) == (0, ""), path


def test_a_comment_after_a_string_belongs_to_the_next_entry_as_in_gettext():
    first, second = parse_catalogue(po_bytes('msgid "a"\nmsgstr "b" # c\n\n  msgid   "d"\n\tmsgstr\t"e"\n')).po
    assert (first.msgstr, first.tcomment, second.tcomment, second.msgstr) == ("b", "", "c", "e")


def test_a_domain_directive_is_refused_with_what_to_do():
    with pytest.raises(CatalogueError, match=r":5: malformed catalogue \(a `domain` directive.*split it, one file per domain"):
        parse_catalogue(po_bytes('domain "x"\nmsgid "a"\nmsgstr "b"\n'), path="d.po")


def test_the_charset_is_the_header_s_not_a_string_s():
    body = 'msgid "Quoted:"\nmsgstr ""\n"Content-Type: text/plain; charset=KOI8-R\\n"\n"Привет"\n'
    assert parse_catalogue(body.encode("utf-8")).po[0].msgstr.endswith("Привет")  # no header: UTF-8
    assert parse_catalogue(body).po[0].msgstr.endswith("Привет")  # text in, text kept


def test_a_machine_suggestion_keeps_a_translator_comment_holding_a_line_separator():
    from pipeline.engines.pseudo import PseudoEngine
    from pipeline.engines.fill import fill_catalogues

    po = polib.POFile()
    po.append(polib.POEntry(msgid="One sentence.", msgstr="", tcomment="see\u2028this"))
    fill_catalogues([po], PseudoEngine(), source="en", target="uk")
    assert po[0].msgstr and po[0].tcomment.split("\n")[-1] == "see\u2028this"


def test_merge_builds_entries_exactly_as_polib_would():
    # merge() makes its entries without polib's __init__ (the cost of 11,000 of them);
    # they must hold exactly the attributes polib's constructor gives, fresh per entry.
    from pipeline.gettext.entries import new_entry as _new_entry

    fields = dict(msgid="a", msgctxt="c", msgid_plural="as", occurrences=[("f.txt", "1")], comment="x", flags=["c-format"])
    assert _new_entry(**fields).__dict__ == polib.POEntry(**fields).__dict__
    assert _new_entry().__dict__ == polib.POEntry().__dict__
    one, two = _new_entry(), _new_entry()
    one.flags.append("fuzzy")
    one.msgstr_plural[0] = "x"
    one.occurrences.append(("f", "1"))
    assert two.flags == [] and two.msgstr_plural == {} and two.occurrences == []


def test_whole_entry_reader_joins_continuation_lines_as_the_line_reader_does():
    # Entries in gettext's layout are read whole (continuation lines without escapes
    # joined by one replace); CRLF line ends send the same text through the line-by-line
    # reader. Both must give the same strings, escapes split across lines included.
    from pipeline.gettext.reader import parse_po

    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: a.txt:1\nmsgid ""\n"first line, "\n"second line"\nmsgstr ""\n"перший, "\n"другий "\n"третій"\n\n'
        'msgid "octal"\nmsgstr ""\n"\\12"\n"3 and \\x4"\n"1 \\"quoted\\" "\n"end"\n\n'
        'msgctxt ""\n"menu"\nmsgid "ctx"\nmsgstr "x"\n'
    )
    fast = parse_po(text).po
    slow = parse_po(text.replace("\n", "\r\n")).po
    strings = lambda po: [(e.msgctxt, e.msgid, e.msgstr) for e in po]  # noqa: E731
    assert strings(fast) == strings(slow)
    assert strings(fast) == [
        (None, "first line, second line", "перший, другий третій"),
        (None, "octal", "\n3 and \x041 \"quoted\" end"),
        ("menu", "ctx", "x"),
    ]


def test_completeness_is_one_rounded_percentage_with_nothing_to_do_complete():
    from pipeline.gettext.stats import completeness

    assert completeness(0, 0) == 100.0
    assert completeness(1, 3) == 33.3
    assert completeness(2, 3) == 66.7
    assert completeness(3, 3) == 100.0
