"""PO text exactly as GNU gettext writes it, so that `msgcat` or Poedit leave no diff.

polib's writer differs from gettext's: it wraps with `textwrap` (breaking
before a space, at another width), never wraps the header, keeps `fuzzy` on
untranslated entries and drops the references of obsolete ones. A translator
who saves a catalogue in a gettext-based editor would then rewrite every long
entry. `format_po` renders a polib catalogue the way gettext 0.21's
`write-po.c` does, with the line breaking of libunistring 1.0 (Unicode 14):

* A string is cut after every `\\n` escape. A string that holds a `\\n` before
  its end, or does not fit on the keyword's line, starts with `msgid ""`.
* Each piece is broken at Unicode line-break opportunities (UAX #14: after a
  space or a hyphen, between ideographs, never before a no-break space or a
  closing quote, never inside an escape sequence or a format directive) so
  that no line is wider than the page, keyword, quotes and `#~ ` included.
  Width is counted in terminal columns: East Asian wide and fullwidth
  characters take two, combining marks and format characters none.
* `#:` references are packed up to the page width (counted in bytes, as
  gettext does), with `./` stripped and duplicates dropped; `#,` flags come in
  gettext's order (`fuzzy`, then format flags, `range:`, `no-wrap`); `fuzzy` is
  not written on an untranslated entry, nor an obsolete entry without a
  translation at all; comments are never wrapped, and obsolete entries keep
  theirs.

Flags gettext does not know (the pipeline's `no-check-*`) are kept, after the
known ones, although msgcat itself would drop them.
"""

from __future__ import annotations

import re
from functools import partial

import polib

from pipeline.gettext.directives import directive_interiors
from pipeline.gettext.entries import BlankComment, first_msgstr
from pipeline.gettext.linebreak import (
    MANDATORY, POSSIBLE, PROHIBITED, UNDEFINED, all_narrow, break_opportunities, break_positions, columns,
)
from pipeline.runtime.executors import get_executor

PAGE_WIDTH = 79  # gettext's default (`msgcat --width`)

# The order in which gettext 0.21 writes format flags (its `format_language`).
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)  # fmt: skip

_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f\\\\"]')
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}
# Other control characters (NUL, ESC …) are never written raw: a raw NUL ends the string for
# GNU gettext and Python alike, so they are written as gettext's octal escapes.
_ESCAPES.update({chr(code): f"\\{code:03o}" for code in (*range(0x20), 0x7F) if chr(code) not in _ESCAPES})


def format_po(
    po: polib.POFile, *, width: int = PAGE_WIDTH, header_text: str | None = None, header_entry: polib.POEntry | None = None
) -> str:
    """The catalogue as GNU msgcat would write it (default width 79).

    The header's fields are written in the order of `po.metadata` (the
    file's own order when the reader filled it), or, given *header_text*,
    exactly as that text says (repeated fields included). *header_entry*, the
    header as read, gives the comments polib's POFile has no place for
    (extracted comments, references, flags other than fuzzy).

    The header entry comes first, then the entries in their order, then the
    obsolete ones; entries are separated by one blank line. An obsolete entry
    without a translation is left out: every gettext tool drops it on reading.
    *width* is msgcat's `--width`.
    """
    header = polib.POEntry(msgid="", msgstr=header_text if header_text is not None else header_msgstr(po.metadata))
    header.tcomment = po.header
    if po.metadata_is_fuzzy:
        header.flags.append("fuzzy")
    if header_entry is not None:
        header.comment, header.occurrences = header_entry.comment, list(header_entry.occurrences)
        header.flags += [flag for flag in header_entry.flags if flag != "fuzzy"]
        header.previous_msgctxt, header.previous_msgid = header_entry.previous_msgctxt, header_entry.previous_msgid
        header.previous_msgid_plural = header_entry.previous_msgid_plural
    obsolete = [e for e in po if e.obsolete and first_msgstr(e)]
    entries = [header, *(e for e in po if not e.obsolete), *obsolete]
    # A 10,000-entry catalogue is formatted on two cores (see pipeline.runtime.parallel).
    return "\n".join(get_executor("halves").map(partial(_entry_text, width=width), entries))


def _entry_text(entry: polib.POEntry, *, width: int) -> str:
    return "".join(line + "\n" for line in entry_lines(entry, width=width))


def header_msgstr(metadata: dict[str, str]) -> str:
    """The header entry's msgstr for *metadata*, one `Name: value` line per field, in its order."""
    return "".join(f"{name}: {value}\n" for name, value in metadata.items())


def entry_lines(entry: polib.POEntry, *, width: int = PAGE_WIDTH) -> list[str]:
    """The lines gettext writes for one entry, without line ends."""
    lines = _comment_lines("#", entry.tcomment)
    lines += _comment_lines("#.", getattr(entry, "comment", ""))
    lines += _reference_lines(getattr(entry, "occurrences", []), width)
    flags, language, wrap = _flags(entry)
    if flags:
        lines.append("#," + ",".join(" " + flag for flag in flags))
    page = width if wrap else None

    def strings(prefix: str, keyword: str, value: str) -> list[str]:
        return _string_lines(prefix, keyword, value, page, language)

    previous = "#~| " if entry.obsolete else "#| "
    for keyword in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, "previous_" + keyword, None)
        if value is not None:
            lines += strings(previous, keyword, value)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += strings(prefix, "msgctxt", entry.msgctxt)
    lines += strings(prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        lines += strings(prefix, "msgid_plural", entry.msgid_plural)
        # gettext cannot read a plural entry without msgstr[N]; xgettext writes two.
        plurals = entry.msgstr_plural or {0: "", 1: ""}
        for index in sorted(plurals):
            lines += strings(prefix, f"msgstr[{index}]", plurals[index])
    else:
        lines += strings(prefix, "msgstr", entry.msgstr)
    return lines


def _comment_lines(marker: str, text: str) -> list[str]:
    if not text:
        return [marker] if isinstance(text, BlankComment) else []
    return [marker + (" " + line if line else "") for line in text.split("\n")]


def _reference_lines(occurrences: list[tuple[str, str]], width: int) -> list[str]:
    """`#:` lines with as many references as fit in *width* bytes."""
    references: list[str] = []
    for path, line in occurrences:
        while path.startswith("./"):
            path = path[2:]
        line = str(line).strip()
        reference = f"{path}:{int(line)}" if line.isdigit() else path
        if reference not in references:
            references.append(reference)
    lines: list[str] = []
    current, column = "#:", 2
    for reference in references:
        size = len(reference.encode("utf-8")) + 1
        if column > 2 and column + size > width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + reference
        column += size
    if references:
        lines.append(current)
    return lines


def _flags(entry: polib.POEntry) -> tuple[list[str], str | None, bool]:
    """The flags as gettext writes them, the format language whose directives must not
    be split, and whether the strings are wrapped at all (`no-wrap`)."""
    fuzzy = False
    formats: dict[str, str] = {}  # language -> "yes", "possible", "no" or "impossible"
    value_range: str | None = None
    wrap: bool | None = None
    unknown: list[str] = []
    for flag in entry.flags:
        flag = flag.strip()
        known = _FLAG.fullmatch(flag)
        if flag == "fuzzy":
            fuzzy = True
        elif known and known["language"] in FORMAT_LANGUAGES:
            formats[known["language"]] = {None: "yes", "possible-": "possible", "no-": "no", "impossible-": "impossible"}[known["prefix"]]
        elif flag in ("wrap", "no-wrap"):
            wrap = flag == "wrap"
        elif bounds := _RANGE.fullmatch(flag):
            low, high = int(bounds[1]), int(bounds[2])
            value_range = f"range: {low}..{high}" if low <= high else None  # gettext drops a reversed range
        elif flag and flag not in unknown:
            unknown.append(flag)
    flags = ["fuzzy"] if fuzzy and first_msgstr(entry) else []
    language = None
    for name in FORMAT_LANGUAGES:
        state = formats.get(name)
        if state in ("yes", "possible"):
            flags.append(f"{name}-format")
            language = language or name
        elif state == "no":
            flags.append(f"no-{name}-format")
    if value_range and not entry.obsolete:  # gettext forgets the range of an obsolete entry
        flags.append(value_range)
    if wrap is False:
        flags.append("no-wrap")
    return flags + unknown, language, wrap is not False


_FLAG = re.compile(r"(?P<prefix>possible-|no-|impossible-)?(?P<language>[a-z-]+)-format")
_RANGE = re.compile(r"range:\s+(\d+)\.\.(\d+)")


def _string_lines(prefix: str, keyword: str, value: str, width: int | None, language: str | None) -> list[str]:
    """A keyword and its string, cut and wrapped as gettext's `wrap()` does.

    The string is written in pieces that each end with a `\\n` escape; every
    piece is broken where it would run past the page (*width* None: never).
    """
    # Columns available for the text between the quotes on a continuation line,
    # and where the text starts on the keyword's own line.
    room = (width - 1 - (len(prefix) + 1)) if width is not None else None
    first_start = len(keyword) + 1
    if (
        "\n" not in value
        and (room is None or first_start + len(value) <= room)
        and not _NEEDS_ESCAPE.search(value)
        and all_narrow(value)
    ):
        # Most strings: one line of one-column characters that fits, so no break
        # opportunity can matter (the general path below gives the same line).
        return [f'{prefix}{keyword} "{value}"']
    protected = directive_interiors(value, language, translated=keyword.startswith("msgstr"))
    lines: list[str] = []
    first_line = True
    start = 0
    while True:
        end = value.find("\n", start)
        end = len(value) if end < 0 else end + 1
        column = first_start if first_line else 0
        portion = value[start:end]
        positions = None
        if not protected and not _NEEDS_ESCAPE.search(portion) and all_narrow(portion):
            # The common piece (nothing escaped or protected, one column a character):
            # the break opportunities as a list of positions, wrapped without a
            # Python step per character.
            positions = [] if room is None else break_positions(portion)
        if positions is not None:
            breaks = _wrap_positions(len(portion), positions, room, column)
        else:
            portion, overrides = _escaped(value, start, end, protected)
            if value[end - 1 : end] == "\n":
                overrides[-2] = PROHIBITED  # never break just before the "\n" that ends a piece
            kinds = [override or found for override, found in zip(overrides, break_opportunities(portion))]
            breaks = _wrap_points(portion, kinds, room, column)
        if first_line and portion and (end < len(value) or (room is not None and column > room) or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            if positions is not None:
                breaks = _wrap_positions(len(portion), positions, room, 0)
            else:
                breaks = _wrap_points(portion, kinds, room, 0)
        pieces, last = [], 0
        for point in breaks:
            pieces.append(portion[last:point])
            last = point
        pieces.append(portion[last:])
        for piece in pieces:
            lead = f"{keyword} " if first_line else ""
            lines.append(f'{prefix}{lead}"{piece}"')
            first_line = False
        start = end
        if start >= len(value):
            return lines


def _escaped(value: str, start: int, end: int, protected: set[int]) -> tuple[str, list[int]]:
    """The text of value[start:end] as written between quotes, and per character of
    it the break that must (not) happen before it (UNDEFINED: the text decides)."""
    piece = value[start:end]
    if not protected and not _NEEDS_ESCAPE.search(piece):
        return piece, [UNDEFINED] * len(piece)  # the common case, at C speed
    text: list[str] = []
    overrides: list[int] = []
    for index in range(start, end):
        char = value[index]
        before = PROHIBITED if index in protected else UNDEFINED
        escape = _ESCAPES.get(char)
        if escape:  # `\n` or an octal `\037`: no break inside it
            text.append(escape)
            overrides += [before] + [PROHIBITED] * (len(escape) - 1)
        else:
            text.append(char)
            overrides.append(before)
    return "".join(text), overrides


def _wrap_points(text: str, kinds: list[int], width: int | None, start_column: int) -> list[int]:
    """Where lines must start so that *text* fits in *width* columns, given the kind
    of break possible before each character (libunistring's `u8_width_linebreaks`):
    greedily, at the last opportunity before the overflow."""
    if width is None:
        return []
    if MANDATORY not in kinds and all_narrow(text):
        return _wrap_points_narrow(len(text), kinds, width, start_column)
    return _wrap_points_general(text, kinds, width, start_column)


def _wrap_points_general(text: str, kinds: list[int], width: int, start_column: int) -> list[int]:
    """:func:`_wrap_points` for any text, one character at a time."""
    points: list[int] = []
    last_point: int | None = None
    last_column, piece_width = start_column, 0
    for index, char in enumerate(text):
        kind = kinds[index]
        if kind != PROHIBITED and last_point is not None and last_column + piece_width > width:
            points.append(last_point)
            last_column = 0
        if kind == MANDATORY:
            last_point, last_column, piece_width = None, 0, 0
            continue
        if kind == POSSIBLE:
            last_point = index
            last_column += piece_width
            piece_width = 0
        piece_width += columns(char)
    if last_point is not None and last_column + piece_width > width:
        points.append(last_point)
    return points


def _wrap_points_narrow(length: int, kinds: list[int], width: int, start_column: int) -> list[int]:
    """:func:`_wrap_points` when every character is one column wide: only break
    opportunities need a Python step."""
    return _wrap_positions(length, [i for i, kind in enumerate(kinds) if kind == POSSIBLE], width, start_column)


def _wrap_positions(length: int, positions: list[int], width: int | None, start_column: int) -> list[int]:
    """:func:`_wrap_points_narrow` given the break opportunities as ascending positions."""
    if width is None:
        return []
    points: list[int] = []
    last_point: int | None = None
    last_column, previous = start_column, 0
    for index in positions:
        piece = index - previous
        if last_point is not None and last_column + piece > width:
            points.append(last_point)
            last_column = 0
        last_point, last_column, previous = index, last_column + piece, index
    if last_point is not None and last_column + length - previous > width:
        points.append(last_point)
    return points
