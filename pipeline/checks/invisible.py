"""The `invisible` check: no bidirectional controls, zero-width or control characters a reader cannot see.

As GitHub and compilers flag "trojan source": a right-to-left override
(U+202E) or an isolate (U+2066–U+2069) reorders what a reader sees, a
zero-width space (U+200B) hides inside a word, and a C0 control character
(NUL, carriage return, escape …) is no text at all. A translation holding
more of them than its source is an error, so it is never published. Zero
width joiners and non-joiners (U+200C, U+200D) are spelling in Persian, the
Indic scripts and emoji, and pass. In a program's messages (see
`checks.text.in_article`) a zero-width space or word joiner is a line-break
hint translators of software use on purpose, so only bidi and control
characters count there.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.checks.registry import SOURCE_LANGUAGE, check

if TYPE_CHECKING:
    from pipeline.checks.terms import GlossaryTerm

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e")
ALLOWED_CONTROLS = frozenset("\n\t")  # line breaks and tabs are the catalogue's own (other checks watch them)


def is_invisible(char: str) -> bool:
    """True for a bidi control, a zero-width character or a control character (C0, DEL, C1) other than LF and TAB."""
    return char in BIDI_CONTROLS or char in ZERO_WIDTH or (unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS)


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: a character named so a reader can see it."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"


def invisible_characters(text: str) -> Counter:
    """How many of each invisible character *text* holds."""
    return Counter(char for char in text if is_invisible(char))


@check("invisible", "error")
def invisible(
    source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE, entry=None
) -> list[str]:
    """No invisible or control characters the source does not have."""
    from pipeline.checks.text import in_article

    wanted = invisible_characters(source)
    article = in_article(entry)
    problems = []
    for char, count in invisible_characters(target).items():
        if not article and char in ZERO_WIDTH:
            continue  # software translators' line-break hints
        extra = count - wanted.get(char, 0)
        if extra > 0:
            times = f" ({extra} times)" if extra > 1 else ""
            problems.append(f"the translation holds the invisible character {describe(char)}{times}; remove it")
    return problems
