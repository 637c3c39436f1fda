"""Segmentation: blocks by blank lines, captions by their credit, sentences by sentencex.

Readers call these on the decoded text: :func:`sentence_spans` splits a region
into sentences (offsets in the text, so the skeleton between them is kept),
:func:`fold` turns a hard-wrapped sentence into its msgid, and the credit
patterns find a caption by the photo credit that ends its line.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from pipeline.article.model import Block, Segment
from pipeline.errors import SourceError

DEFAULT_CREDIT_PATTERNS = (
    r"\(@\w+(?:/[^()\n]+)?\)",  # (@NGUmainpage/Newsflash)
    r"\((?i:photo|photograph|picture|image|credit|video|footage)s?:\s*[^()\n]+\)",  # (Photo: Jane Doe/Reuters)
    r"\((?i:photo|photograph|picture|image|video|footage)s?\s+(?i:by|courtesy\s+of)\s+[^()\n]+\)",  # (Photo by John Smith/AP)
)
MAX_CREDIT_CHARS = 300
"""A credit is looked for only in the last this-many characters of a line, so
any credit pattern (configured ones included) costs time linear in the article."""


def fold(text: str) -> str:
    """Fold hard line breaks (with the blanks around them) into single spaces.

    What `re.sub(r"[ \t]*\r?\n[ \t]*", " ", text)` does, without a regular
    expression: that pattern rescans a long run of blanks that holds no line
    break from each of its positions (quadratic time).
    """
    if "\n" not in text:
        return text
    parts = text.split("\n")
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if index > 0:
            part = part.lstrip(" \t")
        if index < last:
            if part.endswith("\r"):
                part = part[:-1]
            part = part.rstrip(" \t")
        parts[index] = part
    return " ".join(parts)


def caption_pieces(text: str, start: int, end: int, credit: re.Pattern[str]) -> Iterable[tuple[int, int, re.Match | None]]:
    """Split the block text[start:end] after each line that ends with a credit.

    Yields (start, end, credit match) for each caption, the credit excluded
    from its text, and (start, end, None) for the text after the last credit.
    A caption can stand anywhere: on the article's first line, or as a line
    inside a paragraph with no blank line around it.
    """
    position = start
    line_start = start
    while line_start < end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline == -1 else newline
        content_end = line_end
        while content_end > line_start and text[content_end - 1] in " \t\r":
            content_end -= 1
        match = credit.search(text, max(line_start, content_end - MAX_CREDIT_CHARS), content_end)
        if match is not None and match.end() == content_end:
            yield position, content_end, match
            position = line_end + 1 if newline != -1 else end
            while position < end and text[position] in " \t\r\n":
                position += 1
        line_start = line_end + 1 if newline != -1 else end
    if position < end:
        yield position, end, None


def compile_credits(patterns: Iterable[str]) -> re.Pattern[str]:
    """One expression matching any credit pattern at a line's end; a SourceError naming a bad pattern."""
    patterns = list(patterns)
    if not all(isinstance(p, str) for p in patterns):
        raise SourceError("credit_patterns must be a list of regular expressions (strings); fix [tool.pipeline] credit_patterns.")
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) + r"(?=[ \t]*\Z)" if patterns else r"(?!)")
    except re.error as exc:
        raise SourceError(f"credit pattern is not a valid regular expression ({exc}); fix [tool.pipeline] credit_patterns.") from None


def block_spans(text: str, line_starts: list[int]) -> Iterable[tuple[int, int]]:
    """Yield (start, end) of each run of non-blank lines, trimmed of outer blanks."""
    block_start = None
    block_end = 0
    for index, line_start in enumerate(line_starts):
        line_end = line_starts[index + 1] - 1 if index + 1 < len(line_starts) else len(text)
        line = text[line_start:line_end]
        if line.strip():
            content_start = line_start + (len(line) - len(line.lstrip()))
            content_end = line_start + len(line.rstrip())
            if block_start is None:
                block_start = content_start
            block_end = content_end
        elif block_start is not None:
            yield block_start, block_end
            block_start = None
    if block_start is not None:
        yield block_start, block_end


def make_block(
    text: str, start: int, end: int, role: str, caption_credit: str | None, line_of: Callable[[int], int], language: str, block_end: int | None = None
) -> Block:
    """The block text[start:end] of *role*, split into sentences (*block_end*: where its credit ends)."""
    segments = tuple(
        Segment(msgid=fold(text[s:e]), start=s, end=e, line=line_of(s), role=role)
        for s, e in sentence_spans(text, start, end, language)
    )
    return Block(role, start, block_end if block_end is not None else end, line_of(start), segments, caption_credit)


def sentence_spans(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """Offsets of the sentences in text[start:end], found by sentencex."""
    from sentencex import segment as split_sentences

    region = text[start:end]
    spans = []
    position = 0
    for sentence in split_sentences(language, region):
        sentence = sentence.strip()
        if not sentence:
            continue
        found = region.find(sentence, position)
        if found == -1:  # the splitter changed the text: keep the rest whole
            break
        spans.append((start + found, start + found + len(sentence)))
        position = found + len(sentence)
    rest = region[position:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        spans.append((start + position + lead, start + position + len(rest.rstrip())))
    return spans

