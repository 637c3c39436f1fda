"""Spans of a sentence that must reach the target language unchanged.

@handles, URLs, e-mail addresses, {placeholders} and numbers are found here once, so that
extraction (comments for translators), engines (masking) and checks agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: a URL or e-mail may contain an @ or digits, so the longer
# kinds are matched first and their characters are not matched again.
#
# Every pattern runs in time linear in the text (these see whatever an
# article holds): no pattern may rescan an unbounded run from each of its
# positions. The e-mail's local part is bounded to 64 characters (RFC 5321's
# limit): unbounded, `a-a-a-…` made each word start scan the rest of the run
# looking for an `@`, which is quadratic (30 s on 80 k characters).
MAX_EMAIL_LOCAL_PART = 64
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("url", r"\b(?:https?://|www\.)[^\s<>\"“”]+[^\s<>\"“”.,;:!?)\]’']"),
    ("email", rf"\b[\w.+-]{{1,{MAX_EMAIL_LOCAL_PART}}}@[\w-]+(?:\.[\w-]+)+\b"),
    ("handle", r"(?<![\w@])@\w{1,50}(?:/\w+)?"),
    ("placeholder", r"\{\w*\}|%\(\w+\)[sdif]"),
    ("number", r"(?<![\w.])\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"),
)
_MASTER = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS))


@dataclass(frozen=True)
class Span:
    """A protected piece of a sentence."""

    kind: str  # "url", "email", "handle", "placeholder" or "number"
    text: str
    start: int
    end: int


def find_spans(text: str) -> list[Span]:
    """Return the protected spans of *text*, left to right, never overlapping."""
    spans = []
    for match in _MASTER.finditer(text):
        kind = match.lastgroup or "number"
        value = match.group()
        if kind == "number":
            # "2,449" is one number but "6, 12" is two: a thousands group
            # separator followed by a space is a list comma, not a number.
            value = value.rstrip(" \u00a0\u202f,.")
        spans.append(Span(kind, value, match.start(), match.start() + len(value)))
    return spans


def verbatim_spans(text: str) -> list[Span]:
    """Spans that must appear character for character (numbers may be reformatted)."""
    return [span for span in find_spans(text) if span.kind != "number"]


# Masks stand in for verbatim spans while a sentence goes through an engine.
# Digits inside brackets survive subword tokenisers better than names do.
MASK_PATTERN = re.compile(r"⟦(\d+)⟧")


def mask(text: str) -> tuple[str, list[str]]:
    """Replace each verbatim span with a numbered mask; return the text and the originals.

    A sentence that already contains mask-like text is left unmasked, so a
    literal `⟦0⟧` can never be mistaken for a mask (the checks still verify
    its spans).
    """
    if MASK_PATTERN.search(text):
        return text, []
    originals: list[str] = []
    pieces, position = [], 0
    for span in verbatim_spans(text):
        pieces.append(text[position : span.start])
        pieces.append(f"⟦{len(originals)}⟧")
        originals.append(span.text)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces), originals


def unmask(text: str, originals: list[str]) -> tuple[str, list[str]]:
    """Put the originals back; return the text and the originals whose mask was lost."""
    seen: set[int] = set()

    def restore(match: re.Match) -> str:
        index = int(match.group(1))
        if index < len(originals) and index not in seen:
            seen.add(index)
            return originals[index]
        return match.group()

    restored = MASK_PATTERN.sub(restore, text)
    return restored, [original for index, original in enumerate(originals) if index not in seen]
