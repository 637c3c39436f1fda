"""Spans of a sentence that must reach the target language unchanged.

@handles, URLs, e-mail addresses, {placeholders} and numbers are found here once, so that
extraction (comments for translators), engines (masking) and checks agree.

Inline markup of Markdown and HTML articles (links, emphasis, `<abbr>`,
inline code …) is shown in a msgid as numbered placeholder tags:
`<a1>Reuters</a1>` for a pair, `<code2/>` for a piece with nothing to
translate inside. :func:`markup_tags` reads them; engines get them masked
like the other verbatim spans, so they come back in place.
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


MARKUP_PATTERN = re.compile(r"<(/?)([a-z]+)([1-9][0-9]*)(/?)>")
"""A placeholder of the markup notation: `<em1>`, `</em1>`, `<br2/>` (name: lower-case letters, then its number)."""


@dataclass(frozen=True)
class MarkupTag:
    """One placeholder of a msgid's inline markup: an opening, a closing or a standalone tag."""

    kind: str  # "open", "close" or "void"
    name: str  # "a", "em", "code" …
    number: int
    text: str  # as written: "<a1>"
    start: int
    end: int

    @property
    def key(self) -> str:
        """What pairs an opening with its closing tag: name and number, `a1`."""
        return f"{self.name}{self.number}"


def markup_tags(text: str) -> list[MarkupTag]:
    """The placeholders of the markup notation in *text*, left to right (`<a1/ >` and `</a1/>` are text)."""
    tags = []
    for match in MARKUP_PATTERN.finditer(text):
        closing, name, number, void = match.groups()
        if closing and void:
            continue
        kind = "close" if closing else "void" if void else "open"
        tags.append(MarkupTag(kind, name, int(number), match.group(), match.start(), match.end()))
    return tags


def strip_markup(text: str) -> str:
    """*text* without its markup placeholders (what a reader of the plain text sees)."""
    pieces, position = [], 0
    for tag in markup_tags(text):
        pieces.append(text[position : tag.start])
        position = tag.end
    pieces.append(text[position:])
    return "".join(pieces)


def mask(text: str) -> tuple[str, list[str]]:
    """Replace each verbatim span and markup placeholder with a numbered mask; return the text and the originals.

    A sentence that already contains mask-like text is left unmasked, so a
    literal `⟦0⟧` can never be mistaken for a mask (the checks still verify
    its spans).
    """
    if MASK_PATTERN.search(text):
        return text, []
    originals: list[str] = []
    pieces, position = [], 0
    # Markup placeholders are masked like verbatim spans: an engine must give them back, not translate them.
    spans = [(span.start, span.end) for span in verbatim_spans(text)]
    spans += [(tag.start, tag.end) for tag in markup_tags(text)]
    for start, end in sorted(spans):
        if start < position:
            continue
        pieces.append(text[position:start])
        pieces.append(f"⟦{len(originals)}⟧")
        originals.append(text[start:end])
        position = end
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
