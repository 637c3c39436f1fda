"""Inline content of marked-up articles (Markdown, HTML): pieces → sentences with markup placeholders → back.

A reader describes each run of inline content (a paragraph, a heading, a
caption) as *pieces* in source offsets: text (copied into the msgid as
written), folded line breaks (a space in the msgid), markup that opens,
closes or stands alone (a placeholder in the msgid, see
:mod:`pipeline.article.protect`) and credits (kept out of translation).
:func:`markup_blocks` splits the run into sentences (sentencex) and never
lets a sentence end inside a pair of tags: sentences a pair spans are one
segment. Each segment remembers the source text of its placeholders, so
:func:`render_markup` puts a translation back into the document with the
markup in the translator's order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from pipeline.article.model import Article, Block, Segment
from pipeline.article.protect import markup_tags
from pipeline.article.segment import MAX_CREDIT_CHARS, sentence_spans


@dataclass(frozen=True)
class Piece:
    """A stretch of inline source: "text", "space" (a folded line break), "open", "close", "void" or "credit"."""

    kind: str
    start: int
    end: int
    name: str = ""  # the placeholder's name for markup ("a", "em" …)
    pair: int = -1  # for "open"/"close": an id shared by the two tags of a pair
    value: str | None = None  # "text": what the msgid shows (`&amp;` → `&`); markup: what a translation gets; credit: its words


@dataclass(frozen=True)
class MarkupSegment(Segment):
    """A sentence of a marked-up article: its msgid's placeholders and the source markup each stands for."""

    markup: tuple[tuple[str, str], ...] = ()  # ("<a1>", "[") …
    context: str = "text"  # how a translation is escaped: "text", "html", or an attribute's quoting


_LETTER = re.compile(r"[^\W\d_]")


def _has_words(text: str) -> bool:
    """Whether *text* holds a letter outside URLs, e-mail addresses and handles (a bare link is no sentence)."""
    from pipeline.article.protect import verbatim_spans

    for span in reversed(verbatim_spans(text)):
        text = text[: span.start] + " " + text[span.end :]
    return bool(_LETTER.search(text))


def _strip_provisional(flat: str) -> str:
    """A flat run without its provisional tags (`<em0/>`), so their names are not taken for words."""
    from pipeline.article.protect import strip_markup

    return strip_markup(flat.replace("0/>", "1/>"))


def markup_blocks(
    text: str,
    pieces: Sequence[Piece],
    *,
    role: str,
    line_of: Callable[[int], int],
    language: str,
    credit: re.Pattern[str] | None,
    context: str = "text",
) -> list[Block]:
    """The blocks of one inline run: usually one, more when a credit stands inside it.

    A run's trailing text that matches a credit pattern becomes a credit
    piece; each credit ends a caption block (its text the block's
    `caption_credit`). Unpaired tags (a pair a credit cuts) become
    standalone placeholders.
    """
    pieces = _fold_breaks(text, list(pieces))
    if credit is not None:
        pieces = _find_credit(text, pieces, credit)
    blocks = []
    run: list[Piece] = []
    for piece in pieces + [Piece("credit", len(text), len(text))]:
        if piece.kind != "credit":
            run.append(piece)
            continue
        block_credit = (text[piece.start : piece.end] if piece.value is None else piece.value) if piece.end > piece.start else None
        segments = _segments(text, _unpair(run), role=("caption" if block_credit else role), line_of=line_of, language=language, context=context)
        if segments:
            start = segments[0].start
            end = piece.end if block_credit else segments[-1].end
            blocks.append(Block("caption" if block_credit else role, start, end, line_of(start), tuple(segments), block_credit))
        run = []
    return blocks


def _fold_breaks(text: str, pieces: list[Piece]) -> list[Piece]:
    """Split text pieces at white space that holds a line break: those runs are one space in the msgid."""
    out = []
    for piece in pieces:
        if piece.kind != "text" or piece.value is not None:
            out.append(piece)
            continue
        position = piece.start
        index = piece.start
        while index < piece.end:
            if text[index] in " \t\r\n":
                run_end = index
                while run_end < piece.end and text[run_end] in " \t\r\n":
                    run_end += 1
                if "\n" in text[index:run_end] or "\r" in text[index:run_end]:
                    if index > position:
                        out.append(Piece("text", position, index))
                    out.append(Piece("space", index, run_end))
                    position = run_end
                index = run_end
            else:
                index += 1
        if piece.end > position:
            out.append(Piece("text", position, piece.end))
    return out


def _find_credit(text: str, pieces: list[Piece], credit: re.Pattern[str]) -> list[Piece]:
    """Turn a credit at the end of the run's last text into a credit piece (closing tags after it stay)."""
    last = max((i for i, p in enumerate(pieces) if p.kind == "text"), default=None)
    if last is None or any(p.kind in ("text", "void", "open") for p in pieces[last + 1 :] if p.kind != "space"):
        return pieces
    piece = pieces[last]
    end = piece.end
    while end > piece.start and text[end - 1] in " \t":
        end -= 1
    match = credit.search(text, max(piece.start, end - MAX_CREDIT_CHARS), end)
    if match is None or match.end() != end or match.start() == piece.start and last == 0:
        return pieces
    out = pieces[:last]
    if match.start() > piece.start:
        out.append(Piece("text", piece.start, match.start()))
    out.append(Piece("credit", match.start(), match.end()))
    out.extend(pieces[last + 1 :])
    return out


def _unpair(pieces: list[Piece]) -> list[Piece]:
    """Tags whose partner is not in *pieces* (or that cross another pair) become standalone placeholders."""
    stack: list[int] = []
    matched: set[int] = set()
    for index, piece in enumerate(pieces):
        if piece.kind == "open":
            stack.append(index)
        elif piece.kind == "close":
            if stack and pieces[stack[-1]].pair == piece.pair:
                matched.add(stack.pop())
                matched.add(index)
            elif any(pieces[i].pair == piece.pair for i in stack):
                # Crossed tags (<b><i></b></i>): the inner ones lose their pairing.
                while stack and pieces[stack[-1]].pair != piece.pair:
                    stack.pop()
                matched.add(stack.pop())
                matched.add(index)
    return [
        Piece("void", p.start, p.end, p.name) if p.kind in ("open", "close") and i not in matched else p
        for i, p in enumerate(pieces)
    ]


def _segments(text: str, pieces: list[Piece], *, role: str, line_of, language: str, context: str) -> list[MarkupSegment]:
    """Split a run into sentences with placeholders; a pair of tags never straddles two sentences."""
    if not _has_words("".join(text[p.start : p.end] if p.value is None else p.value for p in pieces if p.kind == "text")):
        return []
    flat: list[str] = []
    bounds: list[tuple[int, int]] = []  # each piece's span in the flat string
    length = 0
    for piece in pieces:
        if piece.kind == "text":
            value = text[piece.start : piece.end] if piece.value is None else piece.value
        elif piece.kind == "space":
            value = " "
        else:
            value = f"<{piece.name}0/>"  # provisional: every tag one unbreakable word
        flat.append(value)
        bounds.append((length, length + len(value)))
        length += len(value)
    plain = "".join(flat)
    cuts = [list(span) for span in sentence_spans(plain, 0, len(plain), language)]
    if not cuts:
        return []

    starts = [cut[0] for cut in cuts]
    # A tag outside every sentence (between two) joins its neighbour; a pair's sentences become one.
    # joins[k] > 0: sentence k is one segment with sentence k - 1 (a difference array: linear time).
    joins = [0] * (len(cuts) + 1)
    opened: dict[int, int | None] = {}
    for piece, (s, e) in zip(pieces, bounds):
        if piece.kind not in ("open", "close"):
            continue
        k: int | None = bisect.bisect_right(starts, s) - 1
        if k < 0 or s >= cuts[k][1]:  # between sentences
            if piece.kind == "open":
                k = k + 1 if k + 1 < len(cuts) else None
                if k is not None:
                    cuts[k][0] = starts[k] = s
            else:
                k = k if k >= 0 else None
                if k is not None:
                    cuts[k][1] = max(cuts[k][1], e)
        if piece.kind == "open":
            opened[piece.pair] = k
        elif opened.get(piece.pair) is not None and k is not None and k != opened[piece.pair]:
            low, high = sorted((opened[piece.pair], k))
            joins[low + 1] += 1
            joins[high + 1] -= 1
    ordered: list[list[int]] = []
    depth = 0
    for k, (s, e) in enumerate(cuts):
        depth += joins[k]
        if ordered and depth > 0:
            ordered[-1][1] = max(ordered[-1][1], e)
        else:
            ordered.append([s, e])
    # A run with no letter (a footnote mark after a sentence's stop) belongs to the sentence before it.
    merged_spans: list[list[int]] = []
    for span in ordered:
        if merged_spans and not _LETTER.search(_strip_provisional(plain[span[0] : span[1]])):
            merged_spans[-1][1] = span[1]
        elif merged_spans and not _LETTER.search(_strip_provisional(plain[merged_spans[-1][0] : merged_spans[-1][1]])):
            merged_spans[-1][1] = span[1]
        else:
            merged_spans.append(list(span))
    segments = []
    ends = [e for _, e in bounds]
    for flat_start, flat_end in merged_spans:
        first = bisect.bisect_right(ends, flat_start)  # the first piece that reaches into the span
        segment = _segment(text, pieces, bounds, first, flat_start, flat_end, role=role, line_of=line_of, context=context)
        if segment is not None:
            segments.append(segment)
    return segments


def _segment(text, pieces, bounds, first, flat_start, flat_end, *, role, line_of, context) -> MarkupSegment | None:
    """The segment of the flat span [flat_start, flat_end): its msgid, source span and placeholders (numbered from 1)."""
    msgid_parts: list[str] = []
    markup: list[tuple[str, str]] = []
    numbers: dict[int, int] = {}
    count = 0
    words: list[str] = []
    source_start = source_end = None
    for index in range(first, len(pieces)):
        piece, (s, e) = pieces[index], bounds[index]
        if s >= flat_end:
            break
        if e <= flat_start:
            continue
        if piece.kind == "text" and piece.value is not None:  # a character reference: whole or not at all
            a, b = piece.start, piece.end
            msgid_parts.append(piece.value)
            words.append(piece.value)
        elif piece.kind == "text":
            lo, hi = max(s, flat_start), min(e, flat_end)
            a, b = piece.start + (lo - s), piece.start + (hi - s)
            msgid_parts.append(text[a:b])
            words.append(text[a:b])
        elif piece.kind == "space":
            a, b = piece.start, piece.end
            msgid_parts.append(" ")
        else:
            a, b = piece.start, piece.end
            if piece.kind == "close" and piece.pair in numbers:
                tag = f"</{piece.name}{numbers[piece.pair]}>"
            else:
                count += 1
                if piece.kind == "open":
                    numbers[piece.pair] = count
                    tag = f"<{piece.name}{count}>"
                else:
                    tag = f"<{piece.name}{count}/>"
            msgid_parts.append(tag)
            # value: what the markup must become around a changed text (a shortcut link names its label)
            markup.append((tag, text[a:b] if piece.value is None else piece.value))
        source_start = a if source_start is None else source_start
        source_end = b
    if source_start is None:
        return None
    msgid = "".join(msgid_parts)
    if not _has_words("".join(words)):
        return None
    return MarkupSegment(msgid, source_start, source_end, line_of(source_start), role, tuple(markup), context)


def render_markup(article: Article, lookup: Callable[[str], str], *, escape: Callable[[str, str], str]) -> str:
    """Rebuild a marked-up article: each changed sentence is its translation with the placeholders' source markup.

    A sentence that translates to itself is copied from the source, so the
    identity round trip is byte-exact. *escape(text, context)* makes a
    translation's text safe where it lands (HTML text, an attribute value).
    Block renderers (front matter) are applied by the caller.
    """
    text = article.text
    out: list[str] = []
    position = 0
    for block in article.blocks:
        for segment in block.segments:
            out.append(text[position : segment.start])
            out.append(render_segment(text, segment, lookup(segment.msgid), escape=escape))
            position = segment.end
    out.append(text[position:])
    return "".join(out)


def render_segment(text: str, segment: Segment, translation: str, *, escape: Callable[[str, str], str]) -> str:
    """One segment back in the document: the source when unchanged, else the translation with its markup restored."""
    if translation == segment.msgid:
        return text[segment.start : segment.end]
    markup = dict(getattr(segment, "markup", ()))
    context = getattr(segment, "context", "text")
    pieces, position = [], 0
    for tag in markup_tags(translation):
        if tag.text not in markup:
            continue  # not one of ours: stays text (the markup check names it)
        pieces.append(escape(translation[position : tag.start], context))
        pieces.append(markup[tag.text])
        position = tag.end
    pieces.append(escape(translation[position:], context))
    return "".join(pieces)


def line_finder(text: str) -> Callable[[int], int]:
    """`offset -> 1-based line` for *text*."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_right(starts, offset)


def plain_blocks(blocks: Iterable[Block]) -> tuple[Block, ...]:
    """Blocks in source order (readers find some, like front matter and image alt text, out of order)."""
    return tuple(sorted(blocks, key=lambda block: block.start))
