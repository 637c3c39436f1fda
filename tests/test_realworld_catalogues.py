"""Real catalogues the project did not write (Django 4.2.16 and 5.1.4, tests/data/realworld/SOURCES.md),
judged against GNU gettext: msgmerge, msgfmt -c --statistics and msgcat are the oracles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.gettext.catalogue import Catalogue, format_catalogue, is_translated, open_catalogue, parse_catalogue, write_catalogue
from pipeline.gettext.merge import merge, template_flags
from pipeline.gettext.languages import language
from pipeline.gettext.writer import format_po
from pipeline.gettext.reader import parse_po
from pipeline.gettext.stats import catalogue_stats

HERE = Path(__file__).resolve().parent / "data" / "realworld"
OLD, NEW = HERE / "django-4.2.16", HERE / "django-5.1.4"
LANGUAGES = ("uk", "pl", "de", "fr", "es", "ja", "ar", "ru", "pt_BR", "zh_Hans")
REAL_FILES = sorted(HERE.glob("django-*/*.po"))
ENV = {**os.environ, "LC_ALL": "C.UTF-8"}

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("msgmerge", "msgfmt", "msgcat")), reason="GNU gettext is not installed"
)


def gettext(*command: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], capture_output=True, env=ENV, check=False)


def template(tmp_path: Path) -> tuple[polib.POFile, Path]:
    """Django 5.1's template: its English catalogue with the translations cleared, as a .pot."""
    pot = open_catalogue(NEW / "en.po").po
    for entry in pot:
        entry.msgstr = ""
        entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
    path = tmp_path / "django.pot"
    write_catalogue(pot, path)
    return pot, path


def by_key(po: polib.POFile) -> dict[tuple, polib.POEntry]:
    return {(e.msgctxt, e.msgid, e.obsolete): e for e in po}


def translation(entry: polib.POEntry) -> tuple:
    return (entry.msgstr, sorted(entry.msgstr_plural.items()), entry.fuzzy)


@pytest.fixture(scope="module")
def merges(tmp_path_factory) -> dict[str, tuple]:
    """Per language: (msgmerge --previous's result, ours, our report, our file), old release into new template."""
    tmp_path = tmp_path_factory.mktemp("merges")
    pot, pot_path = template(tmp_path)
    results = {}
    for code in LANGUAGES:
        old_path = OLD / f"{code}.po"
        reference_path = tmp_path / f"{code}.msgmerge.po"
        done = gettext("msgmerge", "--previous", "--quiet", old_path, pot_path, "-o", reference_path)
        assert done.returncode == 0, done.stderr
        old = open_catalogue(old_path)
        merged, report = merge(pot, old, language(code))
        ours_path = tmp_path / f"{code}.po"
        write_catalogue(Catalogue(merged, ours_path, header_text=old.header_text))
        results[code] = (parse_po(reference_path.read_bytes()).po, parse_po(ours_path.read_bytes()).po, report, ours_path)
        wanted = {(e.msgctxt, e.msgid) for e in pot}
        assert report.kept == len(wanted & {(e.msgctxt, e.msgid) for e in old.po if not e.obsolete})
        assert report.kept + report.fuzzy_matched + report.new == len(pot)
    return results


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_translation_msgmerge_keeps_is_kept(merges, code):
    reference, ours, report, _ = merges[code]
    mine = by_key(ours)
    kept = [key for key, entry in by_key(reference).items() if is_translated(entry) and not (entry.fuzzy and not entry.obsolete)]
    assert kept, "the oracle kept nothing: the fixture is wrong"
    for key in kept:
        assert key in mine, f"{key} lost"
        assert translation(mine[key]) == translation(by_key(reference)[key]), key
    plural = [key for key in kept if by_key(reference)[key].msgid_plural and not key[2]]
    assert len(plural) >= 13  # translated plural entries, every form kept


@pytest.mark.parametrize("code", LANGUAGES)
def test_live_entries_follow_the_template_with_its_format_flags_and_references(merges, code):
    reference, ours, _, _ = merges[code]
    live = [e for e in ours if not e.obsolete]
    assert [(e.msgctxt, e.msgid) for e in live] == [(e.msgctxt, e.msgid) for e in reference if not e.obsolete]
    assert any(e.msgctxt for e in live)  # contexts are part of the data
    for theirs, mine in zip((e for e in reference if not e.obsolete), live):
        assert template_flags(mine.flags) == template_flags(theirs.flags), mine.msgid
        assert (mine.occurrences, mine.comment, mine.msgid_plural) == (theirs.occurrences, theirs.comment, theirs.msgid_plural)
        assert mine.tcomment == theirs.tcomment
    assert sum("python-format" in e.flags for e in live) > 20


@pytest.mark.parametrize("code", LANGUAGES)
def test_vanished_translations_become_obsolete_with_every_form(merges, code):
    reference, ours, report, _ = merges[code]
    mine = by_key(ours)
    obsolete = [key for key, e in by_key(reference).items() if e.obsolete and is_translated(e)]
    assert obsolete
    for key in obsolete:
        assert translation(mine[key]) == translation(by_key(reference)[key])
    # msgmerge drops an old entry it used as a fuzzy suggestion; ours keeps it obsolete as well.
    assert report.obsoleted == sum(1 for e in ours if e.obsolete) >= len(obsolete)


@pytest.mark.parametrize("code", ["uk", "ar", "ja"])
def test_a_vanished_plural_entry_stays_obsolete_with_all_its_forms(code, tmp_path):
    """No plural sentence vanished between the two releases: take one out of the template."""
    pot, _ = template(tmp_path)
    old = open_catalogue(OLD / f"{code}.po")
    gone = next(e for e in old.po if e.msgid_plural and is_translated(e) and pot.find(e.msgid, msgctxt=e.msgctxt))
    pot.remove(pot.find(gone.msgid, msgctxt=gone.msgctxt))
    pot_path = tmp_path / "smaller.pot"
    write_catalogue(pot, pot_path)
    reference_path = tmp_path / "msgmerge.po"
    assert gettext("msgmerge", "--previous", "--quiet", OLD / f"{code}.po", pot_path, "-o", reference_path).returncode == 0
    merged, report = merge(pot, old, language(code))
    theirs = by_key(parse_po(reference_path.read_bytes()).po)[(gone.msgctxt, gone.msgid, True)]
    mine = by_key(merged)[(gone.msgctxt, gone.msgid, True)]
    assert translation(mine) == translation(theirs) == translation(gone)
    assert mine.msgid_plural == gone.msgid_plural and len(mine.msgstr_plural) == len(gone.msgstr_plural) >= 1
    assert report.obsoleted >= 1


@pytest.mark.parametrize("code", LANGUAGES)
def test_fuzzy_suggestions_are_msgmerge_s(merges, code):
    reference, ours, report, _ = merges[code]
    mine = by_key(ours)
    suggested = [key for key, e in by_key(reference).items() if not e.obsolete and e.fuzzy and is_translated(e)]
    assert suggested and report.fuzzy_matched == len(suggested)
    for key in suggested:
        theirs = by_key(reference)[key]
        assert translation(mine[key]) == translation(theirs)
        assert (mine[key].previous_msgctxt, mine[key].previous_msgid) == (theirs.previous_msgctxt, theirs.previous_msgid)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_merged_file_passes_msgfmt_check_when_msgmerge_s_does_and_msgcat_leaves_it_alone(merges, code, tmp_path):
    reference, _, _, path = merges[code]
    reference_path = path.with_name(f"{code}.msgmerge.po")
    theirs = gettext("msgfmt", "-c", "-o", os.devnull, reference_path)
    mine = gettext("msgfmt", "-c", "-o", os.devnull, path)
    assert mine.returncode == theirs.returncode
    if theirs.returncode == 0:
        assert mine.stderr == b""  # no warning either
    else:  # Django's fr, es and pt_BR declare nplurals=2 and carry three forms: so does msgmerge's output
        assert b"plural forms" in mine.stderr
    assert gettext("msgcat", path).stdout == path.read_bytes()


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_files_are_read_and_written_as_msgcat_writes_them(path):
    catalogue = parse_catalogue(path.read_bytes(), path=path)
    assert format_catalogue(catalogue).encode("utf-8") == gettext("msgcat", path).stdout


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_status_counts_as_msgfmt_statistics(path):
    stats = catalogue_stats(parse_catalogue(path.read_bytes(), path=path).po, language="xx", domain="django")
    report = gettext("msgfmt", "--statistics", "-o", os.devnull, path).stderr.decode()
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", report)}
    assert stats.translated.entries == counts.get("translated", 0)
    assert stats.fuzzy_machine.entries + stats.fuzzy_human.entries == counts.get("fuzzy", 0)
    assert stats.untranslated.entries == counts.get("untranslated", 0)


# --- Any catalogue survives read -> write -> read ------------------------------

# Every character gettext keeps in a string, the line-like ones included.
STRING = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cc", "Cs", "Cn", "Co")),
        st.sampled_from([" ", '"', "\\", "\t", "\n", "\r", "\f", "\v", "\a", "\u2028", "\u2029", "\x85", "中", "я", "%", "("]),
    ),
    max_size=120,
)
COMMENT_LINE = st.text(
    st.one_of(st.characters(exclude_categories=("Cc", "Cs", "Cn", "Co")), st.sampled_from(["\u2028", "\x85", "\f", " ", "#"])),
    max_size=40,
)
# A comment line cannot end with a backslash: gettext reads backslash-newline as a continuation.
COMMENT = st.lists(COMMENT_LINE.filter(lambda line: not line.endswith("\\")), max_size=3).map("\n".join)
FLAGS = st.tuples(
    st.sampled_from(["", "python-format", "no-python-format", "python-brace-format"]),
    st.sampled_from(["", "c-format", "no-c-format"]),
    st.sampled_from(["", "range: 1..5"]),
    st.sampled_from(["", "no-wrap"]),  # gettext never writes "wrap", the default
).map(lambda flags: [flag for flag in flags if flag])
REFERENCE = st.tuples(st.sampled_from(["a.py", "dir/b.txt", "c"]), st.sampled_from(["", "1", "42"]))
FIELD_NAME = st.from_regex(r"[A-Z][A-Za-z-]{0,12}", fullmatch=True)
FIELD_VALUE = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn", "Co")), max_size=30).map(str.strip)


@st.composite
def entries(draw, *, obsolete: bool) -> polib.POEntry:
    msgid = draw(STRING.filter(bool))
    plural = draw(st.booleans())
    translated = obsolete or draw(st.booleans())
    entry = polib.POEntry(
        msgid=msgid,
        msgctxt=draw(st.none() | STRING),
        tcomment=draw(COMMENT),
        flags=[f for f in draw(FLAGS) if not (obsolete and f.startswith("range:"))]  # gettext drops those
        + (["fuzzy"] if translated and draw(st.booleans()) else []),
        obsolete=obsolete,
    )
    if not obsolete:
        entry.comment = draw(COMMENT)
        entry.occurrences = draw(st.lists(REFERENCE, unique=True, max_size=3))
    first = STRING.filter(bool) if translated else st.just("")
    if plural:
        entry.msgid_plural = draw(STRING.filter(bool))
        forms = draw(st.integers(1, 4))
        entry.msgstr_plural = {0: draw(first), **{i: draw(STRING) for i in range(1, forms)}}
    else:
        entry.msgstr = draw(first)
    if draw(st.booleans()):
        entry.previous_msgid = draw(STRING)
        entry.previous_msgctxt = draw(st.none() | STRING)
        entry.previous_msgid_plural = draw(st.none() | STRING.filter(bool))
    return entry


@st.composite
def catalogues(draw) -> tuple[polib.POFile, str]:
    po = polib.POFile()
    po.header = draw(COMMENT)
    fields = [("Content-Type", "text/plain; charset=UTF-8")]
    fields += draw(st.lists(st.tuples(FIELD_NAME, FIELD_VALUE), max_size=4))
    fields += [("X-Repeated", "one"), ("X-Repeated", "two")]
    fields = draw(st.permutations(fields))
    header_text = "".join(f"{name}: {value}\n" for name, value in fields)
    for name, value in fields:
        po.metadata.setdefault(name, value)
    seen = set()
    for entry in draw(st.lists(entries(obsolete=False), min_size=1, max_size=4)) + draw(st.lists(entries(obsolete=True), max_size=3)):
        if (entry.msgctxt, entry.msgid) not in seen:
            seen.add((entry.msgctxt, entry.msgid))
            po.append(entry)
    return po, header_text


def facts(po: polib.POFile) -> list[tuple]:
    rows: list[tuple] = [(po.header, sorted(po.metadata.items()))]
    for e in po:
        rows.append(
            (
                e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()), e.tcomment,
                e.comment, e.occurrences, sorted(e.flags), e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural,
            )
        )  # fmt: skip
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogues())
def test_any_catalogue_survives_read_write_read_and_msgcat(tmp_path_factory, drawn):
    po, header_text = drawn
    text = format_po(po, header_text=header_text)
    parsed = parse_po(text.encode("utf-8"), path="drawn.po")
    assert facts(parsed.po) == facts(po)
    assert parsed.header_text == header_text  # field order and repeated fields
    assert format_catalogue(Catalogue(parsed.po, header_text=parsed.header_text)) == text
    path = tmp_path_factory.mktemp("drawn") / "drawn.po"
    path.write_bytes(text.encode("utf-8"))
    done = gettext("msgcat", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == text


@pytest.mark.parametrize("path", REAL_FILES[::4], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_whole_entry_fast_path_reads_what_the_line_by_line_reader_reads(path):
    """CRLF line ends keep every entry off the fast path: both readings must agree."""
    data = path.read_bytes()
    fast, slow = parse_po(data), parse_po(data.replace(b"\n", b"\r\n"))
    assert facts(fast.po) == facts(slow.po) and fast.header_text == slow.header_text
    assert [e.linenum for e in fast.po] == [e.linenum for e in slow.po]


@pytest.mark.parametrize("path", [p for p in REAL_FILES if p.stem != "en"], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_real_catalogue_is_refused_under_its_language_exactly_when_msgfmt_c_refuses_it(path):
    """Read as `update` reads it (header checked for its folder's language): zh_CN under zh_Hans is fine,
    and the only refusals are Django's fr/es/pt_BR files whose plural entries carry 3 forms for nplurals=2,
    which `msgfmt -c` refuses too."""
    from pipeline.errors import CatalogueError

    checked = gettext("msgfmt", "-c", "-o", os.devnull, path)
    try:
        open_catalogue(path, language=language(path.stem))
    except CatalogueError as exc:
        assert checked.returncode != 0 and b"nplurals" in checked.stderr, str(exc)
        assert "msgstr[n] forms but Plural-Forms says nplurals=2" in str(exc) and f"{path}:" in str(exc)
    else:
        assert checked.returncode == 0, checked.stderr
