"""Unicode line breaking (UAX #14) and terminal width, as libunistring 1.0 does them.

The PO writer breaks long strings where GNU gettext does: gettext asks
libunistring 1.0 (Unicode 14) where a line may break (`u8_width_linebreaks`)
and how many columns a character takes (`uc_width`). For each character of a
text, :func:`break_opportunities` says whether a line may (POSSIBLE), must
(MANDATORY) or must not (PROHIBITED) break before it; :func:`columns` gives
its width in terminal columns.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

_NARROW: set[str] = set()
_NOT_NARROW: set[str] = set()


def all_narrow(text: str) -> bool:
    """True when every character of *text* takes exactly one column."""
    chars = set(text)
    if chars <= _NARROW:
        return True
    for char in chars - _NARROW:
        (_NARROW if columns(char) == 1 else _NOT_NARROW).add(char)
    return chars <= _NARROW


@lru_cache(maxsize=None)
def columns(char: str) -> int:
    """Terminal columns of *char*, as libunistring 1.0's `uc_width` counts them."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0  # control characters are not counted
    category = unicodedata.category(char)
    if category == "Cn":
        return 2 if bisect_right(_WIDE_UNASSIGNED, code) % 2 else 1
    if (category in ("Mn", "Me", "Cf") and code not in _SPACING_MARKS) or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return 0  # combining, format and Hangul medial/final jamo: drawn over their base
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


# Marks libunistring counts as one column although Unicode calls them non-spacing.
_SPACING_MARKS = frozenset({0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F})
# Unassigned code points in blocks reserved for wide characters: start, end + 1, ...
_WIDE_UNASSIGNED = (
    0x2E9A, 0x2E9B, 0x2EF4, 0x2F00, 0x2FD6, 0x2FF0, 0x2FFC, 0x3000, 0x3040, 0x3041, 0x3097, 0x3099,
    0x3100, 0x3105, 0x3130, 0x3131, 0x318F, 0x3190, 0x31E4, 0x31F0, 0x321F, 0x3220, 0xA48D, 0xA490,
    0xA4C7, 0xA4D0, 0xFA6E, 0xFA70, 0xFADA, 0xFB00, 0xFE1A, 0xFE20, 0xFE53, 0xFE54, 0xFE67, 0xFE68,
    0xFE6C, 0xFE70, 0xFF00, 0xFF01, 0x1F203, 0x1F210, 0x1F23C, 0x1F240, 0x1F249, 0x1F250, 0x1F252,
    0x1F260, 0x1F266, 0x1F300, 0x2A6E0, 0x2A700, 0x2B739, 0x2B740, 0x2B81E, 0x2B820, 0x2CEA2,
    0x2CEB0, 0x2EBE1, 0x2F800, 0x2FA1E, 0x30000, 0x3134B, 0x40000
)  # fmt: skip



UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3

# Classes that index the pair table, in libunistring's order.
_CLASSES = (
    "WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 JL JV JT HL RI "
    "ZWJ EB EM".split()
)
# Classes resolved before the table: mandatory breaks, combining marks, spaces.
_BK, _CR, _LF, _CM, _ZW, _SP = range(len(_CLASSES), len(_CLASSES) + 6)
_HL_BA = 100  # a Hebrew letter followed by a hyphen or break-after character
_CLASS_NUMBER = {name: number for number, name in enumerate(_CLASSES)}
_CLASS_NUMBER.update(BK=_BK, CR=_CR, LF=_LF, CM=_CM, ZW=_ZW, SP=_SP)
_AL, _BA, _HY, _HL, _RI, _ZWJ = (_CLASS_NUMBER[name] for name in ("AL", "BA", "HY", "HL", "RI", "ZWJ"))

# Is there a break between a character of the row's class and one of the
# column's? D: yes; I: only with spaces between; P: no (UAX #14 table 7.3 with
# libunistring's amendments).
_PAIRS = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # WJ
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # GL
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # B2
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # BA
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # BB
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # HY
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",  # CL
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",  # CP1
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",  # CP2
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # EX
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # IN
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP1
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP2
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",  # QU
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # IS
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # NU
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",  # PO
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",  # PR
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",  # SY
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # AL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # H2
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # H3
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # ID1
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # ID2
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",  # JL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # JV
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # JT
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # HL
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # RI
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",  # ZWJ
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # EB
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # EM
)
_PAIR_BREAKS = tuple(tuple({"D": 1, "I": 2, "P": 3}[cell] for cell in row) for row in _PAIRS)


def _class_string(text: str) -> str:
    """One stand-in character per character of *text*, naming its line-break class."""
    table = _CLASS_CHARS
    for char in set(text).difference(_CLASS_SEEN):
        table[ord(char)] = chr(_CLASS_BASE + _line_break_class(ord(char)))
        _CLASS_SEEN.add(char)
    return text.translate(table)


def break_opportunities(text: str) -> list[int]:
    """For each character, whether a line may (or must) break before it.

    Most text needs only the pair table: then regular expressions over the
    classes find the breaks in C (one Python step per space run, not per
    character); text with classes that need the full state machine (marks,
    joiners, line ends, regional indicators, Hebrew) takes the loop below.
    """
    classes = _class_string(text)
    if _SPECIAL_CLASSES.search(classes):
        return break_opportunities_loop(text)
    result = [PROHIBITED] * len(text)
    pairs = _PAIR_BREAKS
    # Letters and digits never break against each other without a space, so a
    # direct break can only touch one of the (few) other characters.
    candidates = set()
    for match in _UNCOMMON_CLASS.finditer(classes):
        candidates.update((match.start(), match.start() + 1))
    for index in candidates:
        if 0 < index < len(classes) and classes[index - 1] != _SPACE and classes[index] != _SPACE:
            if pairs[ord(classes[index - 1]) - _CLASS_BASE][ord(classes[index]) - _CLASS_BASE] == 1:
                result[index] = POSSIBLE
    for match in _BREAK_AFTER_SPACES.finditer(classes):
        before = ord(classes[match.start() - 1]) - _CLASS_BASE
        after = match.end() - 1
        if pairs[before][ord(classes[after]) - _CLASS_BASE] in (1, 2):
            result[after] = POSSIBLE
    return result


def break_positions(text: str) -> list[int] | None:
    """Where a line may break before a character of *text* (ascending), as
    :func:`break_opportunities` finds them, or None for text whose classes
    need the full state machine. Text without escapes has no mandatory break.

    One regular expression over the class stand-ins finds every break in C:
    a direct break between two classes, or one after a run of spaces.
    """
    classes = _class_string(text)
    if _SPECIAL_CLASSES.search(classes):
        return None
    return list(map(_MATCH_END, _BREAK_POSITIONS.finditer(classes)))


def break_opportunities_loop(text: str) -> list[int]:
    """The general case of :func:`break_opportunities`, one character at a time."""
    result = [PROHIBITED] * len(text)
    prev = last = _BK  # class of the previous character / of the last one not a space
    seen_space = False
    regional = 0
    classes = _CLASS_OF
    for index, char in enumerate(text):
        prop = classes.get(char)
        if prop is None:
            prop = classes[char] = _line_break_class(ord(char))
        if prop in (_BK, _CR, _LF):
            result[index] = MANDATORY
            prev, last, seen_space = prop, _BK, False
        else:
            if prop == _SP:
                seen_space = True
            elif prop == _ZW:
                last, seen_space = _ZW, False
            elif prop in (_CM, _ZWJ):
                if last == _BK:
                    last, seen_space = _AL, False
                elif last == _ZW or seen_space:
                    result[index] = POSSIBLE
                    last, seen_space = _AL, False
            else:
                if last == _BK:
                    kind = 3
                elif last == _ZW:
                    kind = 1
                elif prev == _ZWJ:
                    kind = 3
                elif last == _RI and prop == _RI:
                    kind = 1 if regional % 2 == 0 else 2
                elif prev == _HL_BA:
                    kind = 3
                else:
                    kind = _PAIR_BREAKS[last][prop]
                if kind == 1 or (kind == 2 and seen_space):
                    result[index] = POSSIBLE
                last, seen_space = prop, False
            prev = _HL_BA if prev == _HL and prop in (_HY, _BA) else prop
        regional = regional + 1 if prop == _RI else 0
    return result


_H2, _H3 = _CLASS_NUMBER["H2"], _CLASS_NUMBER["H3"]
_CLASS_OF: dict[str, int] = {}  # memo: line-break class of each character seen
_CLASS_BASE = 0x3400  # stand-ins with no meaning in a regular expression
_CLASS_CHARS: dict[int, str] = {}
_CLASS_SEEN: set[str] = set()


def _pair_regexes() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    special = [_BK, _CR, _LF, _CM, _ZW, _RI, _ZWJ, _HL]
    simple = [c for c in range(len(_PAIR_BREAKS)) if c not in special]
    common = [_AL, _NU]
    assert all(_PAIR_BREAKS[a][b] != 1 for a in common for b in common)
    stand_in = lambda c: chr(_CLASS_BASE + c)  # noqa: E731
    non_space = "".join(stand_in(c) for c in simple)
    return (
        re.compile(f"[{''.join(stand_in(c) for c in special)}]"),
        re.compile(f"[^{''.join(stand_in(c) for c in common)}{stand_in(_SP)}]"),
        re.compile(f"(?<=[{non_space}]){stand_in(_SP)}+[{non_space}]"),
    )


@lru_cache(maxsize=4096)
def _line_break_class(code: int) -> int:
    if 0xAC00 <= code <= 0xD7A3:  # Hangul syllables: LV (H2) every 28th, LVT (H3) between
        return _H2 if (code - 0xAC00) % 28 == 0 else _H3
    starts, classes = _line_break_table()
    return classes[bisect_right(starts, code) - 1]


@lru_cache(maxsize=1)
def _line_break_table() -> tuple[list[int], list[int]]:
    starts: list[int] = []
    classes: list[int] = []
    code = 0
    for delta, name in re.findall(r"([0-9a-f]+)([A-Z][A-Z0-9]*)", _LINE_BREAK_RANGES):
        code += int(delta, 16)
        starts.append(code)
        classes.append(_CLASS_NUMBER[name])
    return starts, classes


# Line-break class of every code point, as runs: "<distance from the previous
# run's start, in hex><class>". Unicode 14 LineBreak.txt as libunistring 1.0
# resolves it: AI, SA and XX are AL, CB is ID1, CJ is NS, NL is BK; OP and CP
# split by East Asian width; ID2 is an unassigned emoji code point.
_LINE_BREAK_RANGES = """
0CM 9BA 1LF 1BK 2CR 1CM 12SP 1EX 1QU 1AL 1PR 1PO 1AL 1QU 1OP1 1CP1 1AL 1PR 1IS
1HY 1IS 1SY 1NU aIS 2AL 3EX 1AL 1bOP1 1PR 1CP1 1AL 1dOP1 1BA 1CL 1AL 1CM 6BK
1CM 1aGL 1OP1 1PO 1PR 3AL 5QU 1AL 1BA 1AL 2PO 1PR 1AL 2BB 1AL 6QU 1AL 3OP1 1AL
208BB 1AL 3BB 1AL 12BB 1AL 20CM 4fGL 1CM cGL 7CM dAL eIS 1AL 104CM 7AL ffIS
1BA 1AL 4PR 1AL 1CM 2dBA 1CM 1AL 1CM 2AL 1CM 2EX 1CM 1AL 8HL 1bAL 4HL 4AL 16PO
3IS 2AL 2CM bEX 1CM 1EX 3AL 2bCM 15NU aPO 1NU 2AL 3CM 1AL 63EX 1AL 1CM 7AL 2CM
6AL 2CM 2AL 1CM 4AL 2NU aAL 17CM 1AL 1eCM 1bAL 5bCM bAL fNU aAL 21CM 9AL 4IS
1EX 1AL 3CM 1PR 2AL 16CM 4AL 1CM 9AL 1CM 3AL 1CM 5AL 2bCM 3AL 3cCM 8AL 2aCM
18AL 1CM 21AL 36CM 3AL 1CM 12AL 1CM 7AL aCM 2BA 2NU aAL 11CM 3AL 38CM 1AL 1CM
7AL 2CM 2AL 2CM 3AL 9CM 1AL aCM 2AL 2NU aAL 2PO 2AL 5PO 1AL 1PR 1AL 2CM 1AL
2CM 3AL 38CM 1AL 1CM 5AL 4CM 2AL 2CM 3AL 3CM 1AL 14NU aCM 2AL 3CM 1AL bCM 3AL
38CM 1AL 1CM 8AL 1CM 3AL 1CM 3AL 14CM 2AL 2NU aAL 1PR 1AL 8CM 6AL 1CM 3AL 38CM
1AL 1CM 7AL 2CM 2AL 2CM 3AL 7CM 3AL aCM 2AL 2NU aAL 12CM 1AL 3bCM 5AL 3CM 3AL
1CM 4AL 9CM 1AL eNU aAL 9PR 1AL 6CM 5AL 37CM 1AL 1CM 7AL 1CM 3AL 1CM 4AL 7CM
2AL bCM 2AL 2NU aAL 7BB 1AL 9CM 3BB 1AL 37CM 1AL 1CM 7AL 1CM 3AL 1CM 4AL 7CM
2AL bCM 2AL 2NU aAL 10CM 4AL 37CM 2AL 1CM 7AL 1CM 3AL 1CM 4AL 9CM 1AL aCM 2AL
2NU aAL 9PO 1AL 7CM 3AL 46CM 1AL 4CM 6AL 1CM 1AL 1CM 8AL 6NU aAL 2CM 2AL 4bPR
1AL 10NU aBA 2AL 74NU aAL 27BB 4AL 1BB 2GL 1BB 2BA 1GL 1EX 5GL 1AL 1EX 1AL 3CM
2AL 6NU aAL aBA 1CM 1AL 1CM 1AL 1CM 1OP1 1CL 1OP1 1CL 1CM 2AL 31CM eBA 1CM 5BA
1CM 2AL 5CM bAL 1CM 24AL 1BA 2AL 6CM 1AL 9BB 2BA 1BB 1AL 5GL 2AL 65NU aBA 2AL
44NU aAL 66JL 60JV 48JT 58AL 15dCM 3AL 1BA 1AL 9eBA 1AL 27fBA 1AL 1aOP1 1CL
1AL 4eBA 3AL 24CM 4AL 1cCM 3BA 2AL 1bCM 2AL 1eCM 2AL 60BA 2NS 1AL 1BA 1AL 1BA
1PR 1AL 4NU aAL 18EX 2BA 2BB 1AL 1EX 2AL 1CM 3GL 1CM 1NU aAL 6bCM 2AL 22CM 1AL
76CM cAL 4CM cAL 8EX 2NU aAL 80NU aAL 3dCM 5AL 63CM 1NU aAL 6NU aAL 16CM 1fAL
31CM 5AL 2fCM 11AL bNU aBA 2AL 1BA 4AL aCM 9AL 9BA 2AL 1CM 3AL 1eCM dAL 2NU
aAL 2cCM eAL 30CM 14AL 3BA 5NU aAL 6NU aAL 24BA 2AL 50CM 3AL 1CM 15AL 4CM 1AL
6CM 1AL 2CM 3AL c6CM 40AL 1fdBB 1AL 2BA 7GL 1BA 3ZW 1CM 1ZWJ 1CM 2BA 1GL 1BA
2B2 1AL 3QU 2OP1 1QU 3OP1 1QU 1AL 4IN 3BA 1BK 2CM 5GL 1PO 8AL 1QU 2AL 1NS 2AL
6IS 1OP1 1CL 1NS 3AL cBA 1AL 1BA 4AL 1BA 3WJ 1AL 5CM aAL dOP1 1CL 1AL eOP1 1CL
1AL 11PR 7PO 1PR ePO 1PR 4PO 1PR 2PO 1PR 1PO 1PR fCM 21AL 12PO 1AL 5PO 1AL cPR
1AL fbPR 2AL dbIN 1AL 18OP1 1CL 1OP1 1CL 1AL eID1 2AL dOP2 1CL 1AL c5ID1 4AL
20cID1 4AL 10ID1 2AL 2ID1 1AL 1ID1 3EB 1ID1 2AL 19ID1 3AL 2cID1 1AL 16ID1 1AL
3dID1 cAL 4ID1 1AL 1ID1 3AL 1ID1 2AL 3ID1 2AL 2ID1 1AL 2ID1 3AL 8ID1 1AL 6ID1
5AL 1ID1 2EB 1ID1 1AL 2ID1 8AL 3ID1 2EB 4AL 4dQU 6AL 1EX 2ID1 1AL 3OP1 1CL
1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1AL 4fOP1 1CL 1AL 1fOP1
1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1AL 193OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1
1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1AL 3fOP1
1CL 1OP1 1CL 1AL 20OP1 1CL 1AL 2f1CM 3AL 7EX 1BA 3AL 1EX 1BA 1AL 70BA 1AL eCM
1AL 60CM 20QU eBA 8AL 1BA 1OP1 1BA 1AL 2QU 2AL 2QU 2OP1 1CL 1OP1 1CL 1OP1 1CL
1OP1 1CL 1BA 4EX 1AL 1BA 2AL 1BA 2AL 5B2 2BA 3AL 1BA 2OP1 1BA 8AL 1BA 1AL 1BA
2AL 3EX 2OP1 1CL 1OP1 1CL 1OP1 1CL 1OP1 1CL 1BA 1AL 22ID1 1aAL 1ID1 59AL cID1
d6AL 1aID1 cAL 4BA 1CL 2ID1 2NS 1ID1 2OP2 1CL 1OP2 1CL 1OP2 1CL 1OP2 1CL 1OP2
1CL 1ID1 2OP2 1CL 1OP2 1CL 1OP2 1CL 1OP2 1CL 1NS 1OP2 1CL 2ID1 aCM 6ID1 5CM
1ID1 5NS 2ID1 3AL 1NS 1ID1 1NS 1ID1 1NS 1ID1 1NS 1ID1 1NS 1ID1 19NS 1ID1 1fNS
1ID1 1NS 1ID1 1NS 1ID1 6NS 1ID1 6NS 2AL 2CM 2NS 4ID1 1NS 2ID1 1NS 1ID1 1NS
1ID1 1NS 1ID1 1NS 1ID1 19NS 1ID1 1fNS 1ID1 1NS 1ID1 1NS 1ID1 6NS 1ID1 6NS 2ID1
4NS 4ID1 1AL 5ID1 2bAL 1ID1 5eAL 1ID1 54AL cNS 10ID1 1fAL 1ID1 28AL 8ID1
1b70AL 40ID1 5215NS 1ID1 477AL 3ID1 37AL 37BA 2AL 10dBA 1EX 1BA 1AL 10NU aAL
45CM 4AL 1CM aAL 20CM 2AL 50CM 2AL 1BA 5AL 10aCM 1AL 3CM 1AL 4CM 1AL 17CM 5AL
4CM 1AL bPO 1AL 3bBB 2EX 2AL 8CM 2AL 32CM 12AL 8BA 2NU aAL 6CM 12AL aBB 1AL
2CM 1NU aAL 1cCM 8BA 2AL 17CM dAL cJL 1dAL 3CM 4AL 2fCM eAL 6BA 3AL 6NU aAL
16NU aAL 2fCM eAL cCM 1AL 8CM 2AL 2NU aAL 3BA 3AL 8bCM 5BA 2AL 3CM 2AL ecCM
8BA 1CM 2AL 2NU aAL 6H2 2ba4AL cJV 17AL 4JT 31AL 2104ID1 200AL 1dHL 1CM 1HL
aAL 1HL dAL 1HL 5AL 1HL 1AL 1HL 2AL 1HL 2AL 1HL aAL 1eeCL 1OP1 1AL bcPO 1AL
3CM 10IS 1CL 2IS 2EX 2OP2 1CL 1IN 1AL 6CM 10ID1 5OP2 1CL 1OP2 1CL 1OP2 1CL
1OP2 1CL 1OP2 1CL 1OP2 1CL 1OP2 1CL 1OP2 1CL 1ID1 2OP2 1CL 1ID1 7CL 1ID1 1CL
1AL 1NS 2EX 2ID1 1OP2 1CL 1OP2 1CL 1OP2 1CL 1ID1 8AL 1ID1 1PR 1PO 1ID1 1AL
93WJ 1AL 1EX 1ID1 2PR 1PO 1ID1 2OP2 1CL 1ID1 2CL 1ID1 1CL 1ID1 bNS 2ID1 3EX
1ID1 1bOP2 1ID1 1CL 1ID1 1dOP2 1ID1 1CL 1ID1 1OP2 1CL 2OP2 1CL 2NS 1ID1 1NS
aID1 2dNS 2ID1 1fAL 3ID1 6AL 2ID1 6AL 2ID1 6AL 2ID1 3AL 3PO 1PR 1ID1 3PR 2AL
12CM 3ID1 1AL 103BA 3AL faCM 1AL e2CM 1AL 95CM 5AL 24BA 1AL 30BA 1AL cfNU aAL
3adBA 1AL c7BA 1AL e1CM 3AL 1CM 2AL 5CM 4AL 28CM 3AL 4CM 1AL 10BA 8AL 8dCM 2AL
9BA 6IN 1AL 42BA 7AL 1e4CM 4AL 8NU aAL 171CM 2BA 1AL 98CM bAL 31CM 4AL 7aCM
3AL 35CM fBA 2AL 1dNU aCM 1AL 2CM 2AL aCM 4AL 2dCM bAL 3BA 4CM 1AL 2dNU aAL
6CM 3AL 24CM eAL 1NU aBA 4AL 1CM 2AL 2cCM 1AL 1BB 1AL aCM 3AL 30CM eAL 4BA 2AL
1BA 1CM 4AL 1CM 2NU aAL 1BB 1AL 1BA 3AL 4cCM cBA 2AL 1BA 2AL 1CM 1AL 6aBA 1AL
35CM cAL 5NU aAL 6CM 4AL 37CM 2AL 1CM 7AL 2CM 2AL 2CM 3AL 9CM 1AL aCM 2AL 2CM
7AL 3CM 5AL c0CM 12AL 4BA 4AL 1NU aBA 2AL 2CM 1AL 51CM 14AL cNU aAL d5CM 7AL
2CM 9BB 1BA 2EX 2AL 3BA fAL 4CM 2AL 52CM 11BA 2AL dNU aAL 6BB dAL 3eCM dAL 8NU
aAL 66NU aAL 2BA 3AL edCM fAL a5NU aAL 46CM 6AL 1CM 2AL 2CM 4AL 1CM 1AL 1CM
2BA 3AL 9NU aAL 77CM 7AL 2CM 7AL 1BB 1AL 1CM 1AL 1cCM aAL 28CM 7AL 1CM 4BB 1AL
1BA 4BB 1AL 1CM 1AL 9CM bAL 2eCM 10BA 3AL 1BB 3BA 2AL 18cCM 8AL 1CM 8AL 1BA
5AL aNU aAL 16BB 1EX 1AL 20CM 16AL 1CM eAL 7aCM 6AL 3CM 1AL 1CM 2AL 1CM 7AL
1CM 1AL 8NU aAL 30CM 5AL 1CM 2AL 1CM 5AL 8NU aAL 149CM 4AL e6PO 4AL 1eBA 1AL
470BA 5AL de3OP1 3CL 3AL 24CL 1AL 3OP1 1CL 1OP1 1CL 1AL efOP1 1CL 2AL b4GL
7OP1 1CL 1AL 1195OP1 1CL 1AL 2490NU aAL 4BA 2AL 50NU aAL 26CM 5BA 1AL 3aCM 7BA
3AL aBA 1AL bNU aAL 33dBA 2AL b6CM 1AL 1CM 37AL 7CM 4AL 4dNS 4GL 1AL bCM 2AL
eID1 17f8AL 8ID1 300AL 200ID1 9AL 22f7ID1 123AL 2dNS 3AL 11NS 4AL 8ID1 18cAL
9a1CM 2BA 1CM 4AL 125cCM 2eAL 2CM 17AL 21eCM 5AL 3CM 16AL 2CM 7AL 1eCM 4AL
94CM 3AL 589NU 32AL 200CM 37AL 4CM 32AL 8CM 1AL eCM 1AL 2BA 4AL 10CM 5AL 1CM
fAL 550CM 7AL 1CM 11AL 2CM 7AL 1CM 2AL 1CM 5AL 105CM 7AL 9NU aAL 164CM 1AL
3dCM 4NU aAL 5PR 1AL 5d0CM 7AL 6dCM 7AL 5NU aAL 4OP1 2AL 34cPO 1AL 3PO 1AL
34fID1 2cID2 4ID1 64ID2 cID1 fID2 2ID1 fID2 1ID1 fID2 1ID1 25ID2 aAL dID1 3AL
5dID1 3AL 3dID1 1ID2 38RI 1aID1 3ID2 dID1 2cID2 4ID1 9ID2 7ID1 2ID2 eID1 6ID2
9aID1 85EB 1ID1 16AL 2ID1 17AL 2ID1 5AL 1ID1 5EB 3ID1 2EB 1ID1 2EB 3ID1 2eEM
5ID1 42EB 2ID1 2EB bID1 15EB 13ID1 3EB 1ID1 4EB 3ID1 1EB 3ID1 7EB 1ID1 1EB
1ID1 eAL 1ID1 1AL 1ID1 1AL 1ID1 5EB 1ID1 4AL 1ID1 1AL 2ID1 4dAL 7ID1 10AL eID1
dAL 18ID1 2aEB 2ID1 4EB 1ID1 15EB 1ID1 4EB 2ID1 3dAL 8ID1 18AL 6ID1 4bEB 3ID1
3EB 5AL 26QU 3NS 3AL 4ID1 23EB 1ID1 10EB 3ID1 9EB 1ID1 bEB 1ID1 bID2 5ID1
10ID2 3ID1 dID2 3AL 74ID2 cAL 55ID1 4ID2 7ID1 cID2 4ID1 1ID2 fAL cID2 4AL
38ID2 8AL aID2 6AL 28ID2 8AL 1eID2 2ID1 2ID2 4eAL cEB 1ID1 2EB 1ID1 8EB 8ID1
6EB 1ID1 9EB aID1 2EB 3ID1 38EB 1ID1 3dEB 2ID1 1EB 2ID1 1EB 1ID1 11EB 3ID1 1EB
dID1 22AL 54ID2 cID1 eID2 2ID1 5ID2 3ID1 5ID2 3ID1 7ID2 9ID1 1dID2 3ID1 bID2
5ID1 3EB 3ID2 aID1 aID2 6ID1 8ID2 8EB 7ID2 9AL f0NU aAL 6ID2 3feAL 2ID1 fffeAL
2ID1 fffeAL a0003CM 1AL 1eCM 60AL 80CM f0AL
"""


_NU = _CLASS_NUMBER["NU"]
_SPACE = chr(_CLASS_BASE + _SP)
_SPECIAL_CLASSES, _UNCOMMON_CLASS, _BREAK_AFTER_SPACES = _pair_regexes()


def _break_positions_regex() -> re.Pattern:
    """Alternatives grouped by the classes after: `[A] +(?=[B])` for a break
    after spaces, `[A](?=[B])` for a direct break (the match ends where the
    line may break; the class before is consumed, as the next break lies
    beyond it)."""
    special = {_BK, _CR, _LF, _CM, _ZW, _RI, _ZWJ, _HL}
    simple = [c for c in range(len(_PAIR_BREAKS)) if c not in special]
    stand_in = lambda c: re.escape(chr(_CLASS_BASE + c))  # noqa: E731
    alternatives = []
    for kinds, spaced in (((1, 2), stand_in(_SP) + "+"), ((1,), "")):
        groups: dict[tuple[int, ...], list[int]] = {}
        for a in simple:
            after = tuple(b for b in simple if _PAIR_BREAKS[a][b] in kinds)
            if after:
                groups.setdefault(after, []).append(a)
        for after, before in groups.items():
            alternatives.append(f"[{''.join(map(stand_in, before))}]{spaced}(?=[{''.join(map(stand_in, after))}])")
    return re.compile("|".join(alternatives))


_BREAK_POSITIONS = _break_positions_regex()
_MATCH_END = re.Match.end
