"""`format_po` writes a catalogue byte for byte as GNU msgcat does, and polib reads it back."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.gettext.writer import entry_lines, format_po

from conftest import ROOT, as_gnu_keeps_it

needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext's msgcat is not installed")

REAL_CATALOGUES = [*sorted((ROOT / "locale").glob("*/LC_MESSAGES/article.po")), ROOT / "locale" / "article.pot"]
UK_PLURALS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"


def msgcat(text: str, *options: str) -> str:
    """What `msgcat` writes for a PO file holding *text*."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "catalogue.po"
        source.write_text(text, encoding="utf-8")
        result = subprocess.run(["msgcat", *options, str(source)], capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"}, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8")


def catalogue(*entries: polib.POEntry, header: str = "") -> polib.POFile:
    po = polib.POFile()
    po.header = header
    po.metadata = {"Project-Id-Version": "article", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": UK_PLURALS}
    for entry in entries:
        po.append(entry)
    return po


# A Python directive with a space inside, which reaches past column 79.
DIRECTIVE_AT_THE_EDGE = "Reports from the front line this morning say that, in all, exactly %(soldier count)d soldiers crossed."


def newsroom_catalogue() -> polib.POFile:
    """Every feature of a catalogue that the writer has to get right."""
    return catalogue(
        polib.POEntry(
            msgid="Heavy gunfire as patrolling Ukrainian troops encounter enemy fighters while stabilising the Lyman area",
            msgstr="Запекла перестрілка: під час стабілізаційних заходів у районі Лимана український патруль натрапив на ворога",
            comment="headline",
            occurrences=[("seeds/article.txt", "1")],
        ),
        polib.POEntry(
            msgid='The soldier said: "contact!" before the shooting broke out, and the footage shows it all.',
            msgstr="Le soldat a dit\u00a0: «\u202fcontact\u00a0!\u202f» avant que la fusillade n’éclate\u00a0; la vidéo montre tout, même les larmes\u00a0?",
            tcomment="Translated by hand.\nChecked against the video\n\nby the desk.",
            comment="body\nprotected: contact",
        ),
        polib.POEntry(
            msgid="Footage shows a local resident bursting into tears and hugging the soldiers as they march past her home.",
            msgstr="视频还显示，一名当地居民泪流满面，在士兵们经过她家时拥抱了他们。「谢谢你们」，她说，然后又哭了起来，久久不愿离开。",
            occurrences=[(f"seeds/part-{n}/article-with-a-long-name.txt", str(n * 7)) for n in range(1, 13)],
        ),
        polib.POEntry(
            msgid="First line\nSecond line with a tab\tand a backslash \\ and \"quotes\"\n",
            msgstr="Перший рядок\nДругий рядок із табуляцією\tі зворотною скісною \\ та «лапками» \"ось\"\n",
        ),
        polib.POEntry(
            msgid="The images begin with a unit of Ukrainian soldiers conducting their stabilisation operation.",
            msgstr="Відео починається з того, як підрозділ українських військових проводить стабілізаційні заходи.",
            flags=["fuzzy"],
            previous_msgid="The images begin with a unit of Ukrainian soldiers conducting their stabilization operation in the area.",
            tcomment="machine translation: pseudo",
        ),
        polib.POEntry(msgid="May", msgctxt="month", msgstr="травень"),
        polib.POEntry(
            msgid="%(count)d soldier crossed the river under heavy fire from the other bank of the Siverskyi Donets",
            msgid_plural="%(count)d soldiers crossed the river under heavy fire from the other bank of the Siverskyi Donets",
            msgstr_plural={
                0: "%(count)d солдат перейшов річку під щільним вогнем з іншого берега Сіверського Дінця",
                1: "%(count)d солдати перейшли річку під щільним вогнем з іншого берега Сіверського Дінця",
                2: "%(count)d солдатів перейшли річку під щільним вогнем з іншого берега Сіверського Дінця",
            },
            flags=["python-format"],
        ),
        polib.POEntry(msgid=DIRECTIVE_AT_THE_EDGE, msgstr=DIRECTIVE_AT_THE_EDGE.upper(), flags=["python-format"]),
        polib.POEntry(msgid="A sentence nobody has translated yet, long enough to need wrapping at the edge.", msgstr=""),
        polib.POEntry(
            msgid="An old sentence that vanished from the article but whose translation is kept for later.",
            msgstr="Старе речення, що зникло зі статті, але переклад якого збережено на потім.",
            tcomment="kept by merge",
            obsolete=True,
        ),
        polib.POEntry(
            msgid="Another vanished sentence.",
            msgctxt="caption",
            msgstr="Ще одне речення, що зникло.",
            flags=["fuzzy"],
            previous_msgid="Another vanished sentence, in an older wording that was a good deal longer than this one.",
            obsolete=True,
        ),
        header="Ukrainian translation of the newsroom articles.\nTranslated by hand by the newsroom's translators.\n\nSee the README.",
    )


def data(po: polib.POFile) -> list[tuple]:
    """What a catalogue says, in polib's terms."""
    rows: list[tuple] = [(po.header, sorted(po.metadata.items()))]
    for e in po:
        # polib's reader skips `#~|` lines: an obsolete entry's previous msgid cannot come back.
        previous = None if e.obsolete else (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)
        rows.append(
            (e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, dict(e.msgstr_plural), e.tcomment, e.comment, e.occurrences, e.flags, previous)
        )
    return rows


# --- Against msgcat -----------------------------------------------------------


@needs_msgcat
@pytest.mark.parametrize("path", REAL_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_real_catalogues_are_written_as_msgcat_writes_them(path: Path):
    po = polib.pofile(str(path))
    text = format_po(po)
    assert text == path.read_text(encoding="utf-8")
    assert msgcat(text) == as_gnu_keeps_it(text)
    # msgcat's reading of the file polib wrote holds the same data, written the same way.
    assert msgcat(path.read_text(encoding="utf-8")) == as_gnu_keeps_it(text)


@needs_msgcat
def test_newsroom_catalogue_is_written_as_msgcat_writes_it():
    text = format_po(newsroom_catalogue())
    assert msgcat(text) == text


@needs_msgcat
@pytest.mark.parametrize("width", [40, 79, 120])
def test_other_page_widths_match_msgcat_width(width: int):
    text = format_po(newsroom_catalogue(), width=width)
    assert msgcat(text, f"--width={width}") == text


def test_polib_reads_back_the_same_catalogue():
    po = newsroom_catalogue()
    assert data(polib.pofile(format_po(po))) == data(po)


# Printable text, spaces, quotes and backslashes frequent; no control characters
# but tab and newline (msgcat refuses them), no line or paragraph separators
# (polib's reader would split a line there), nothing unassigned.
TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cc", "Cs", "Cn", "Zl", "Zp")),
        st.sampled_from([" ", " ", " ", '"', "\\", "\t", "\n", "-", "\u00a0", "中", "я"]),
    ),
    max_size=240,
)


@needs_msgcat
@settings(max_examples=60, deadline=None)
@given(msgid=TEXT.filter(bool), msgstr=TEXT, msgctxt=st.none() | TEXT, previous=st.none() | TEXT, fuzzy=st.booleans())
def test_any_text_is_written_as_msgcat_writes_it_and_read_back(msgid, msgstr, msgctxt, previous, fuzzy):
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt, previous_msgid=previous, flags=["fuzzy"] if fuzzy else [])
    text = format_po(catalogue(entry))
    assert msgcat(text) == text
    (back,) = polib.pofile(text)
    assert (back.msgid, back.msgstr, back.msgctxt, back.previous_msgid, back.fuzzy) == (msgid, msgstr, msgctxt, previous, bool(fuzzy and msgstr))


# --- The rules, spelled out ---------------------------------------------------


def lines(**fields) -> list[str]:
    return entry_lines(polib.POEntry(**fields))


def test_a_string_with_an_inner_newline_starts_empty_and_breaks_after_each_newline():
    assert lines(msgid="one\ntwo\n", msgstr="un\n") == ['msgid ""', '"one\\n"', '"two\\n"', 'msgstr "un\\n"']


def test_long_strings_break_after_a_space_within_79_columns():
    sentence = "These images show heavy gunfire exchanges as patrolling Ukrainian troops encounter enemy forces."
    assert lines(msgid=sentence, msgstr="") == [
        'msgid ""',
        '"These images show heavy gunfire exchanges as patrolling Ukrainian troops "',
        '"encounter enemy forces."',
        'msgstr ""',
    ]


def test_a_string_that_fits_stays_on_the_keyword_line():
    exactly = "x" * (79 - len('msgstr ""'))
    assert lines(msgid="a", msgstr=exactly)[-1] == f'msgstr "{exactly}"'
    # One more word: the string moves to its own lines, where it fits again.
    assert lines(msgid="a", msgstr=exactly + " y")[-2:] == ['msgstr ""', f'"{exactly} y"']


def test_east_asian_wide_characters_take_two_columns():
    # 40 ideographs are 80 columns: 38 fill a 77-column line, then a break between ideographs.
    assert lines(msgid="a", msgstr="中" * 40)[-3:] == ['msgstr ""', f'"{"中" * 38}"', '"中中"']
    # Cyrillic is one column a character, as ASCII is: 79 columns fit.
    assert lines(msgid="a", msgstr="я " * 35) == ['msgid "a"', f'msgstr "{"я " * 35}"']


def test_no_break_beside_a_no_break_space():
    french = "Il a dit\u00a0: «\u202fcontact\u202f» " * 4
    wrapped = lines(msgid="a", msgstr=french)[2:]
    assert len(wrapped) > 1
    assert not any(line.startswith(('"\u00a0', '"\u202f', '":', '"»')) for line in wrapped)


def test_a_format_directive_is_never_split():
    assert lines(msgid=DIRECTIVE_AT_THE_EDGE, flags=["python-format"])[1:4] == [
        'msgid ""',
        '"Reports from the front line this morning say that, in all, exactly "',
        '"%(soldier count)d soldiers crossed."',
    ]
    # Without the flag it is plain text, broken after the space inside it.
    assert lines(msgid=DIRECTIVE_AT_THE_EDGE)[1] == '"Reports from the front line this morning say that, in all, exactly %(soldier "'


def test_the_header_is_wrapped_like_any_entry():
    text = format_po(catalogue(header="Header"))
    assert text.splitlines()[:5] == [
        "# Header",
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: article\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
    ]
    assert text.splitlines()[5:] == [
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "',
        '"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"',
    ]


def test_references_are_packed_up_to_the_width_without_dot_slash_or_repeats():
    occurrences = [("./seeds/article.txt", str(n)) for n in range(1, 12, 2)] + [("seeds/article.txt", "1"), ("seeds/article-with-a-longer-name.txt", "")]
    assert lines(msgid="a", occurrences=occurrences)[:-2] == [
        "#: seeds/article.txt:1 seeds/article.txt:3 seeds/article.txt:5",
        "#: seeds/article.txt:7 seeds/article.txt:9 seeds/article.txt:11",
        "#: seeds/article-with-a-longer-name.txt",
    ]


def test_flags_come_in_gettext_order_and_fuzzy_only_on_translations():
    assert lines(msgid="a", msgstr="b", flags=["no-wrap", "python-format", "fuzzy"])[0] == "#, fuzzy, python-format, no-wrap"
    assert lines(msgid="a", msgstr="", flags=["fuzzy"]) == ['msgid "a"', 'msgstr ""']


def test_flags_gettext_does_not_know_are_kept_after_its_own():
    assert lines(msgid="a", msgstr="b", flags=["no-check-length", "fuzzy"])[0] == "#, fuzzy, no-check-length"


def test_comments_are_never_wrapped_and_obsolete_entries_keep_theirs():
    note = "a translator's note far longer than the page is wide, written on one line and left on one line"
    assert lines(msgid="a", msgstr="b", tcomment=note + "\n\nend")[:3] == [f"# {note}", "#", "# end"]
    assert lines(msgid="a", msgstr="b", tcomment="kept", obsolete=True, previous_msgid="old") == [
        "# kept",
        '#~| msgid "old"',
        '#~ msgid "a"',
        '#~ msgstr "b"',
    ]


def test_obsolete_entries_without_a_translation_are_left_out_as_gettext_does():
    po = catalogue(polib.POEntry(msgid="gone", msgstr="", tcomment="note", obsolete=True), polib.POEntry(msgid="kept", msgstr="", obsolete=False))
    assert "gone" not in format_po(po) and 'msgid "kept"' in format_po(po)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab XY09.,;:!?()[]-–/\\\"'«»„“…%$€") + ["\u00a0", "\u202f", "é", "ж", "中", "、", "\u0301", "\u200d", "\u05d0", "🇺", "\t", "\u2028"]), max_size=120), st.integers(5, 80), st.integers(0, 12))
def test_fast_paths_agree_with_the_general_algorithm(text, width, column):
    from pipeline.gettext import linebreak
    from pipeline.gettext import writer as poformat

    kinds = linebreak.break_opportunities(text)
    assert kinds == linebreak.break_opportunities_loop(text)
    assert poformat._wrap_points(text, kinds, width, column) == poformat._wrap_points_general(text, kinds, width, column)


def test_break_positions_agree_with_the_per_character_breaker():
    # The writer's fast path (one regular expression over the class stand-ins) must find
    # the break opportunities the per-character code finds, for every mix of classes it takes.
    import random

    from pipeline.gettext import linebreak

    pool = [chr(c) for c in range(0x20, 0x7F) if chr(c) not in '"\\']
    pool += list("переклад«»„“”‘’—–…·、。「」（）！？ १२١٢‐‑‒‧⁄一二三가나アｱ€£¥‰\u00a0\u2060\u200b\u00ad\u05d0\u0301")
    rng = random.Random(7)
    fast = 0
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 30)))
        positions = linebreak.break_positions(text)
        kinds = linebreak.break_opportunities(text)
        if positions is None:
            continue
        fast += 1
        assert positions == [i for i, kind in enumerate(kinds) if kind == linebreak.POSSIBLE], repr(text)
        assert linebreak.MANDATORY not in kinds
    assert fast > 5000  # the fast path was exercised, not skipped
