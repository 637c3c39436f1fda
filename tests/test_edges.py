"""Real catalogues at the edges (issue 20): nothing lost, exact means exact, gettext's folder codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import CatalogueError
from pipeline.gettext.catalogue import format_catalogue, new_catalogue, parse_catalogue
from pipeline.gettext.languages import language
from pipeline.gettext.merge import merge

runner = CliRunner()
UK = language("uk")


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _catalogue(pairs: list[tuple[str | None, str, str]]) -> bytes:
    po = new_catalogue(polib.POFile(), UK)
    for msgctxt, msgid, msgstr in pairs:
        po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr, occurrences=[("article.txt", "3")]))
    return format_catalogue(po).encode("utf-8")


# -- 1. a file the reader cannot read as gettext is refused, never rewritten ----------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20)
_pairs = st.lists(st.tuples(st.none() | st.sampled_from(["headline", "caption"]), _text, _text), min_size=1, max_size=6, unique_by=lambda p: (p[0], p[1]))


def _damage(data: bytes, draw) -> bytes:
    """The ways files reach us from elsewhere: other line ends, per line or whole, BOMs, comment lines, trailing blanks."""
    lines = data.split(b"\n")
    how = draw(st.sampled_from(["cr", "crlf", "mixed", "bom", "comments", "blanks"]))
    if how == "cr":
        return b"\r".join(lines)
    if how == "crlf":
        return b"\r\n".join(lines)
    if how == "mixed":
        ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=len(lines), max_size=len(lines)))
        return b"".join(line + end for line, end in zip(lines, ends))
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "comments":
        at = draw(st.integers(0, len(lines)))
        return b"\n".join(lines[:at] + [b"# a comment\r", b"#"] + lines[at:])
    return b"\n".join(line + b" \t" if line.startswith(b"msg") else line for line in lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=_pairs, data=st.data())
def test_no_input_makes_a_merge_lose_a_translation_that_was_in_the_file(pairs, data):
    """Either the file is refused (nothing is written), or every translation in it survives the merge."""
    damaged = _damage(_catalogue(pairs), data.draw)
    try:
        catalogue = parse_catalogue(damaged, path="uk/article.po", language=UK)
    except CatalogueError as exc:
        assert "uk/article.po" in str(exc)
        return
    template = polib.POFile()
    kept = data.draw(st.lists(st.sampled_from(pairs), unique=True))
    for msgctxt, msgid, _ in kept:
        template.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=""))
    merged, _ = merge(template, catalogue, UK)
    written = parse_catalogue(format_catalogue(merged).encode("utf-8"), path="merged.po")
    found = {(e.msgctxt, e.msgid): e.msgstr for e in written.po}
    for msgctxt, msgid, msgstr in pairs:
        assert found.get((msgctxt, msgid)) == msgstr, (msgctxt, msgid)


def test_a_catalogue_with_old_mac_line_ends_is_refused_and_left_unchanged(project):
    path = project / "locale/uk/LC_MESSAGES/article.po"
    crlf = path.read_bytes().replace(b"\n", b"\r")
    path.write_bytes(crlf)
    result = invoke("update", "--lang", "uk")
    assert result.exit_code == 2
    assert "article.po:1: lines end with a lone carriage return" in result.output
    assert path.read_bytes() == crlf
    status = invoke("status", "--lang", "uk")
    assert status.exit_code == 2 and "carriage return" in status.output


def test_gettext_itself_refuses_what_the_reader_refuses(tmp_path):
    """The oracle: msgfmt -c fails on the CR-only file too (and accepts the same file with LF)."""
    data = _catalogue([(None, "The road was closed.", "Дорогу закрили."), ("headline", "Kyiv", "Київ")])
    for name, content, ok in (("lf.po", data, True), ("cr.po", data.replace(b"\n", b"\r"), False)):
        (tmp_path / name).write_bytes(content)
        accepted = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / name)], capture_output=True).returncode == 0
        assert accepted is ok
        if ok:
            assert len(parse_catalogue(content).po) == 2
        else:
            with pytest.raises(CatalogueError, match="lone carriage return"):
                parse_catalogue(content, path=name)


def test_an_entry_hidden_in_a_comment_by_a_lone_cr_is_refused_not_dropped():
    data = _catalogue([(None, "One.", "Один."), (None, "Two.", "Два.")]).replace(
        b'#: article.txt:3\nmsgid "Two."\nmsgstr', b'#: article.txt:3\rmsgid "Two."\rmsgstr'
    )
    assert b'\rmsgstr "\xd0\x94' in data  # the whole entry is now the tail of a comment line
    with pytest.raises(CatalogueError, match=r"x.po:\d+: lines end with a lone carriage return \(.*3 entries in the file, 2 readable"):
        parse_catalogue(data, path="x.po")


# -- 2. exact means exact ----------------------------------------------------------------------


def test_the_memory_writes_a_reviewed_translation_only_for_the_identical_sentence(tmp_path):
    from pipeline.memory import MemoryEntry, TranslationMemory, apply_memory

    with TranslationMemory(tmp_path / "m.sqlite", language="uk") as memory:
        memory.add("other.po", [
            MemoryEntry(None, "done.\n", "готово.\n", ("other",)),
            MemoryEntry(None, "            %s", "            %s", ("other",)),
            MemoryEntry("menu", "Open", "Відкрити", ("other",)),
            MemoryEntry(None, "Kyiv", "Київ", ("other",)),
        ])  # fmt: skip
        po = new_catalogue(polib.POFile(), UK)
        for msgctxt, msgid, flags in ((None, "done.", []), (None, "%s", ["c-format"]), (None, "Open", []), (None, "Kyiv", []), (None, "\nKyiv\n", [])):
            po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr="", flags=list(flags)))
        report = apply_memory(po, memory, threshold=60)
    found = {e.msgid: e for e in po}
    assert report.exact == 1 and found["Kyiv"].msgstr == "Київ" and not found["Kyiv"].fuzzy
    # A normalised hit is at most fuzzy, and carries the newlines its own msgid has.
    assert found["done."].msgstr == "готово." and found["done."].fuzzy and found["done."].previous_msgid == "done.\n"
    assert found["\nKyiv\n"].msgstr == "\nКиїв\n" and found["\nKyiv\n"].fuzzy
    assert found["Open"].msgstr == "" or found["Open"].fuzzy  # another msgctxt is never exact
    for entry in po:
        if entry.msgstr and not entry.fuzzy:
            assert entry.msgid == "Kyiv"


def test_a_suggestion_whose_directives_cannot_serve_the_entry_is_not_offered(tmp_path):
    from pipeline.memory import MemoryEntry, TranslationMemory, apply_memory

    with TranslationMemory(tmp_path / "m.sqlite", language="uk") as memory:
        memory.add("other.po", [MemoryEntry(None, "%s files were removed", "%d файлів видалено", ("other",))])
        po = new_catalogue(polib.POFile(), UK)
        po.append(polib.POEntry(msgid="%s file was removed", msgstr="", flags=["c-format"]))
        po.append(polib.POEntry(msgid="%s files were removed.", msgstr="", flags=[]))
        apply_memory(po, memory, threshold=60)
    assert po[0].msgstr == ""  # %d for %s: msgfmt -c would refuse it once accepted
    assert po[1].msgstr == "%d файлів видалено" and po[1].fuzzy  # no format flag: nothing to keep


def test_update_without_the_memory_is_msgmerge(project):
    """`update --no-memory` (software catalogues): entries msgmerge leaves empty stay empty."""
    po_path = project / "locale/uk/LC_MESSAGES/article.po"
    pot = polib.pofile(str(project / "locale/article.pot"))
    compendium = polib.pofile(str(project / "locale/uk/compendium.po"), wrapwidth=79)
    compendium.append(polib.POEntry(msgid="A sentence only the compendium knows.", msgstr="Речення з компендію.", occurrences=[("archive", "")]))
    compendium.save()
    pot.append(polib.POEntry(msgid="A sentence only the compendium knows.", msgstr="", occurrences=[("seeds/article.txt", "99")]))
    pot.save()
    oracle = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", "-", str(po_path), str(project / "locale/article.pot")], capture_output=True, text=True, check=True
    ).stdout
    result = invoke("update", "--lang", "uk", "--no-memory")
    assert result.exit_code == 0, result.output
    merged = polib.pofile(str(po_path))
    assert merged.find("A sentence only the compendium knows.").msgstr == ""
    expected = polib.pofile(oracle)
    assert {(e.msgid, e.msgstr) for e in merged if not e.obsolete} == {(e.msgid, e.msgstr) for e in expected if not e.obsolete}
    assert invoke("update", "--lang", "uk").exit_code == 0  # with the memory, it answers
    assert polib.pofile(str(po_path)).find("A sentence only the compendium knows.").msgstr == "Речення з компендію."


# -- 4. format-aware checks ----------------------------------------------------------------------

FORMAT_CASES = [
    ("c-format", "%s files in %d dirs", "%d Ordner, %s Dateien"),
    ("c-format", "%s files in %d dirs", "%2$d Ordner, %1$s Dateien"),
    ("c-format", "%2.2u%%", "%2.2u%%"),
    ("c-format", "%lu bytes", "%u Bytes"),
    ("c-format", "%<PRIuMAX> bytes", "%<PRIuMAX> Bytes"),
    ("c-format", "%<PRIuMAX> bytes", "%lu Bytes"),
    ("c-format", "%.*s: %m", "%.*s: %m"),
    ("c-format", "%s", "%s %s"),
    ("c-format", "%s %s", "%s"),
    ("c-format", "%zu", "%Zu"),
    ("c-format", "%x", "%u"),
    ("python-format", "%(n)s of %(m)d", "%(m)d z %(n)s"),
    ("python-format", "%(n)s of %(m)d", "%(m)s z %(n)s"),
    ("python-format", "%s of %d", "%d z %s"),
    ("python-format", "%s of %d", "%s z"),
    ("python-format", "100%% %s", "100%% %s"),
    ("python-brace-format", "{name} has {0}", "{0} hat {name}"),
    ("python-brace-format", "{name} has {0}", "{0} hat"),
    ("python-brace-format", "{name}", "{nom}"),
    ("qt-format", "%1 of %2", "%2 z %1"),
    ("qt-format", "%1 of %2", "%1 z"),
]


def test_format_directives_are_compared_as_msgfmt_compares_them(tmp_path):
    """The oracle is GNU msgfmt -c: the check finds a problem exactly where msgfmt refuses the entry."""
    from pipeline.gettext.formats import format_problems

    po = new_catalogue(polib.POFile(), UK)
    for number, (flag, msgid, msgstr) in enumerate(FORMAT_CASES):
        po.append(polib.POEntry(msgctxt=str(number), msgid=msgid, msgstr=msgstr, flags=[flag]))
    (tmp_path / "all.po").write_text(format_catalogue(po), encoding="utf-8")
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "all.po")], capture_output=True, text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    refused = {int(line.split(":")[1]) for line in done.stderr.splitlines() if line.startswith(str(tmp_path)) and line.split(":")[1].isdigit()}
    written = parse_catalogue((tmp_path / "all.po").read_bytes())
    for entry in written.po:
        mine = format_problems(entry.msgid, entry.msgstr, entry.flags)
        lines = set(range(entry.linenum, entry.linenum + 3))  # msgctxt, msgid, msgstr: msgfmt names one of them
        assert bool(mine) == bool(lines & refused), (entry.msgid, entry.msgstr, mine)
    assert 5 <= len(refused) < len(FORMAT_CASES)


def test_checks_read_directives_versions_credits_and_example_addresses_as_what_they_are():
    from pipeline.checks import check_catalogue, numbers, protected, untranslated_copy

    assert numbers("%2.2u%%", "%2.2u%%", language="de") == []
    assert numbers("%1$s of %2$s", "%2$s von %1$s", language="de") == []
    assert numbers("OpenSSH 8.2p1 or later", "OpenSSH 8.2p1 oder neuer", language="de") == []
    assert numbers("translator-credits", "Jan Nowak <jan@x.pl>, 2019, 2021", language="pl") == []
    assert numbers("50% of the vote", "oyların %50'si", language="tr") == []  # Turkish writes the sign first
    assert numbers("%d of 12 files", "%d z 13 plików", language="pl")  # a real number is still a number
    assert protected("e.g. you@example.com", "np. ty@przyklad.pl", language="pl") == []
    assert protected("write to news@bbc.co.uk", "napisz do nas", language="pl")
    assert untranslated_copy("git add [<options>] [--] <pathspec>...", "git add [<options>] [--] <pathspec>...", language="de") == []
    assert untranslated_copy("The road was closed.", "The road was closed.", language="de")
    po = new_catalogue(polib.POFile(), UK)
    po.append(polib.POEntry(msgid="%s of %d", msgstr="%2$d з %1$s", flags=["c-format"]))
    po.append(polib.POEntry(msgid="%s of %d", msgctxt="bad", msgstr="%s з %s", flags=["c-format"]))
    findings = check_catalogue(po, language="uk")
    assert [(f.check, f.msgctxt) for f in findings if f.severity == "error"] == [("format", "bad")]


# -- 6. every code gettext uses for a folder ----------------------------------------------------

GETTEXT_FOLDERS = ("zh_CN", "zh_TW", "zh_HK", "sr@latin", "ca@valencia", "be@latin")


def test_gettext_folder_codes_are_languages_mapped_to_babel():
    from pipeline.gettext.languages import normalise_code, parse_languages

    assert parse_languages(["zh_CN,sr@latin", "ca@valencia", "be@latin", "zh-TW", "SR@Latin"]) == ("zh_CN", "sr@latin", "ca@valencia", "be@latin", "zh_TW")
    assert {code: language(code).babel_code for code in GETTEXT_FOLDERS} == {
        "zh_CN": "zh_Hans_CN", "zh_TW": "zh_Hant_TW", "zh_HK": "zh_Hant_HK",
        "sr@latin": "sr_Latn", "ca@valencia": "ca_ES_VALENCIA", "be@latin": "be",  # CLDR has no Belarusian Latin data
    }  # fmt: skip
    assert language("sr@latin").plural_forms == language("sr").plural_forms  # msginit's rule, by language
    for wrong in ("ukr", "sr@klingon"):
        with pytest.raises(Exception, match=wrong):
            normalise_code(wrong)


def test_a_project_in_gettext_folders_is_found_by_python_gettext(empty_project):
    import gettext

    assert invoke("extract", "seeds/article.txt").exit_code == 0
    result = invoke("update", "--lang", ",".join(GETTEXT_FOLDERS))
    assert result.exit_code == 0, result.output
    for code in GETTEXT_FOLDERS:
        path = empty_project / "locale" / code / "LC_MESSAGES" / "article.po"
        po = polib.pofile(str(path))
        assert po.metadata["Language"] == code
        entry = po[0]
        entry.msgstr = f"[{code}] {entry.msgid}"
        po.save()
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0
    assert invoke("compile", "--lang", ",".join(GETTEXT_FOLDERS)).exit_code == 0
    for code in GETTEXT_FOLDERS:
        found = gettext.translation("article", str(empty_project / "locale"), languages=[code])
        first = polib.pofile(str(empty_project / "locale" / code / "LC_MESSAGES" / "article.po"))[0]
        assert found.gettext(first.msgid) == f"[{code}] {first.msgid}"


# -- 7. files exactly as gettext writes them -----------------------------------------------------


def test_comments_are_kept_as_gettext_writes_them_the_lone_hash_included(tmp_path):
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#\nmsgid "a"\nmsgstr "b"\n\n#.\nmsgid "c"\nmsgstr "d"\n\n#\n#\n#. x\nmsgid "e"\nmsgstr "f"\n\n# kept\n#\nmsgid "g"\nmsgstr "h"\n'
    )
    (tmp_path / "in.po").write_text(text, encoding="utf-8")
    oracle = subprocess.run(["msgcat", str(tmp_path / "in.po")], capture_output=True, text=True, check=True).stdout
    assert oracle == text  # gettext keeps them
    catalogue = parse_catalogue(text.encode("utf-8"))
    assert format_catalogue(catalogue) == oracle
    template = polib.POFile()
    for entry in catalogue.po:
        template.append(polib.POEntry(msgid=entry.msgid, comment=entry.comment))
    merged, _ = merge(template, catalogue, UK)
    assert [e.tcomment for e in merged] == [e.tcomment for e in catalogue.po] and "\n#\nmsgid \"a\"" in format_catalogue(merged)


def test_every_catalogue_the_project_commits_passes_msgfmt_c_without_a_warning_and_is_msgcat_stable():
    from conftest import ROOT

    files = sorted((ROOT / "locale").rglob("*.po")) + sorted((ROOT / "locale").glob("*.pot"))
    assert any(p.name == "compendium.po" for p in files)
    for path in files:
        if path.suffix == ".po":
            done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
            assert done.returncode == 0 and done.stderr == "", (path, done.stderr)
        assert subprocess.run(["msgcat", str(path)], capture_output=True).stdout == path.read_bytes(), path


# -- 5. compile is msgfmt, with glibc as the oracle -------------------------------------------------

HARNESS = Path(__file__).parent / "support" / "glibc_gettext.c"
UK_PLURAL = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"


def _glibc(tmp_path, mo: bytes, queries: list[str]) -> list[str]:
    """Ask glibc's gettext/ngettext (a tiny C program) each query against *mo*, installed as uk/LC_MESSAGES/d.mo."""
    program = tmp_path / "glibc_gettext"
    if not program.exists():
        subprocess.run(["gcc", "-O1", "-o", str(program), str(HARNESS)], check=True)
    folder = tmp_path / "loc" / "uk" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "d.mo").write_bytes(mo)
    done = subprocess.run(
        [str(program), str(tmp_path / "loc"), "d"], input="".join(q.replace("\n", "\\n") + "\n" for q in queries),
        capture_output=True, text=True, check=True, env={"LANGUAGE": "uk", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return done.stdout.split("\n")[:-1]


def test_compile_answers_glibc_as_msgfmt_does_partly_translated_plurals_included(tmp_path):
    from pipeline.gettext.mo import compile_catalogue

    po = new_catalogue(polib.POFile(), UK)
    po.metadata["Plural-Forms"] = UK_PLURAL
    po.append(polib.POEntry(msgid="Hello", msgstr="Привіт"))
    po.append(polib.POEntry(msgid="%s of %d", msgstr="%2$d з %1$s", flags=["c-format"]))
    po.append(polib.POEntry(msgctxt="menu", msgid="Open", msgstr="Відкрити"))
    po.append(polib.POEntry(msgid="Draft", msgstr="Чернетка", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.append(polib.POEntry(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "%d файл", 1: "%d файли", 2: "%d файлів"}, flags=["c-format"]))
    po.append(polib.POEntry(msgid="%d tank", msgid_plural="%d tanks", msgstr_plural={0: "%d танк", 1: "", 2: ""}))
    path = tmp_path / "uk.po"
    path.write_text(format_catalogue(po), encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "msgfmt.mo"), str(path)], check=True)
    assert compile_catalogue(parse_catalogue(path.read_bytes()).po, tmp_path / "ours.mo")
    queries = ["g\tHello", "g\t%s of %d", "p\tmenu\tOpen", "g\tOpen", "g\tDraft", "g\tEmpty"]
    queries += [f"n\t{one}\t{many}\t{n}" for one, many in (("%d file", "%d files"), ("%d tank", "%d tanks")) for n in (1, 2, 5, 11, 21, 22)]
    theirs = _glibc(tmp_path, (tmp_path / "msgfmt.mo").read_bytes(), queries)
    ours = _glibc(tmp_path, (tmp_path / "ours.mo").read_bytes(), queries)
    assert ours == theirs
    assert theirs[0] == "Привіт" and theirs[2] == "Відкрити" and theirs[4] == "Draft"
    assert "%d танк" in theirs  # the partly translated plural is kept (msgfmt keeps it)


def test_compile_refuses_what_msgfmt_c_refuses_naming_file_and_line(tmp_path):
    from pipeline.errors import CatalogueError
    from pipeline.gettext.mo import compile_catalogue

    for msgid, msgstr, flags in (("done.\n", "готово.", []), ("%s of %d", "%d з %s", ["c-format"])):
        po = new_catalogue(polib.POFile(), UK)
        po.append(polib.POEntry(msgid="Fine.", msgstr="Добре."))
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
        path = tmp_path / "uk.po"
        path.write_text(format_catalogue(po), encoding="utf-8")
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0
        parsed = parse_catalogue(path.read_bytes(), path=path).po
        with pytest.raises(CatalogueError, match=rf"uk.po:{parsed[1].linenum}: msgfmt -c refuses"):
            compile_catalogue(parsed, tmp_path / "uk.mo")
        assert not (tmp_path / "uk.mo").exists()


def test_inttypes_macros_are_system_dependent_strings_that_glibc_expands_as_in_msgfmts_mo(tmp_path):
    """`%<PRIuMAX>` (git's catalogues use it 46–101 times each): glibc finds `%lu`/`%ju` as the running system spells it."""
    import gettext

    from pipeline.gettext.mo import compile_catalogue

    po = new_catalogue(polib.POFile(), UK)
    po.metadata["Plural-Forms"] = UK_PLURAL
    po.append(polib.POEntry(msgid="Hello", msgstr="Привіт"))
    po.append(polib.POEntry(msgid="%<PRIuMAX> bytes", msgstr="%<PRIuMAX> байтів", flags=["c-format"]))
    po.append(polib.POEntry(msgctxt="size", msgid="%s: %<PRId64> of %<PRIu32>", msgstr="%s: %<PRId64> з %<PRIu32>", flags=["c-format"]))
    po.append(polib.POEntry(
        msgid="%<PRIuMAX> object", msgid_plural="%<PRIuMAX> objects",
        msgstr_plural={0: "%<PRIuMAX> об'єкт", 1: "%<PRIuMAX> об'єкти", 2: "%<PRIuMAX> об'єктів"}, flags=["c-format"],
    ))  # fmt: skip
    po.append(polib.POEntry(  # git's: only the plural and its translations use the macro
        msgid="The bundle contains this ref:", msgid_plural="The bundle contains these %<PRIuMAX> refs:",
        msgstr_plural={0: "Пакунок містить це %<PRIuMAX> посилання:", 1: "Пакунок містить ці %<PRIuMAX> посилання:", 2: "Пакунок містить ці %<PRIuMAX> посилань:"},
        flags=["c-format"],
    ))  # fmt: skip
    path = tmp_path / "uk.po"
    path.write_text(format_catalogue(po), encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "msgfmt.mo"), str(path)], check=True)
    assert compile_catalogue(parse_catalogue(path.read_bytes()).po, tmp_path / "ours.mo")
    queries = [f"n\tThe bundle contains this ref:\tThe bundle contains these %lu refs:\t{count}" for count in (1, 2, 5)]
    queries += ["g\tHello"] + [f"g\t{n} bytes" for n in ("%lu", "%ju", "%llu")] + [f"p\tsize\t%s: {a} of {b}" for a in ("%ld", "%lld") for b in ("%u", "%lu")]
    queries += [f"n\t{n} object\t{n} objects\t{count}" for n in ("%lu", "%ju") for count in (1, 3, 5)]
    theirs = _glibc(tmp_path, (tmp_path / "msgfmt.mo").read_bytes(), queries)
    ours = _glibc(tmp_path, (tmp_path / "ours.mo").read_bytes(), queries)
    assert ours == theirs
    assert sum("байтів" in answer for answer in theirs) == 1 and sum("об'єкт" in answer for answer in theirs) == 3  # glibc expanded them
    with open(tmp_path / "ours.mo", "rb") as stream:  # Python's gettext still reads the file (it skips that section)
        assert gettext.GNUTranslations(stream).gettext("Hello") == "Привіт"
