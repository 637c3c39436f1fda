"""Rebuilding an article with its sentences translated, and encoding it as the source was.

Everything between sentences is copied from the source, so with every
sentence "translated" to itself the rebuilt bytes equal the source's.
"""

from __future__ import annotations

import textwrap
from typing import Callable, Mapping

from pipeline.article.model import Article, Block
from pipeline.article.segment import fold
from pipeline.article.source import BOM


def render(
    article: Article,
    translate: Mapping[str, str] | Callable[[str], str],
    *,
    language: str | None = None,
    direction: str | None = None,
) -> str:
    """Rebuild the article with each sentence replaced by its translation, as its reader renders it.

    *translate* maps (or is called with) each msgid; a msgid missing from a
    mapping stays as it is. The reader that read the article (its `format`)
    decides how a block is rebuilt; see :func:`render_skeleton` for plain text.
    *language* and *direction* (a bundle's target) go to a renderer that
    takes them: an HTML page gets them as `lang` and `dir` on its root.
    """
    import inspect

    from pipeline.article.readers import reader

    lookup = translate if callable(translate) else (lambda msgid: translate.get(msgid, msgid))
    renderer = reader(article.format).render
    if language is not None and "language" in inspect.signature(renderer).parameters:
        return renderer(article, lookup, language=language, direction=direction)
    return renderer(article, lookup)


def render_skeleton(article: Article, lookup: Callable[[str], str]) -> str:
    """Rebuild the article from its skeleton, each block's sentences replaced by `lookup(msgid)`.

    A block whose sentences all translate to themselves is copied verbatim.
    A changed hard-wrapped block is re-wrapped to the source block's width
    with the source's line ending; captions keep their credit verbatim.
    """
    text = article.text
    out: list[str] = []
    position = 0
    for block in article.blocks:
        out.append(text[position : block.start])
        out.append(_render_block(text, block, lookup))
        position = block.end
    out.append(text[position:])
    return "".join(out)


def encode(article: Article, text: str) -> bytes:
    """Encode rebuilt text the way the source was encoded (UTF-8, BOM if it had one)."""
    return (BOM if article.bom else b"") + text.encode("utf-8")


def _render_block(text: str, block: Block, lookup: Callable[[str], str]) -> str:
    translations = [lookup(segment.msgid) for segment in block.segments]
    if all(t == s.msgid for t, s in zip(translations, block.segments)):
        return text[block.start : block.end]
    pieces = []
    position = block.start
    for segment, translation in zip(block.segments, translations):
        pieces.append(text[position : segment.start])
        pieces.append(translation)
        position = segment.end
    pieces.append(text[position : block.end])
    rendered = "".join(pieces)
    source = text[block.start : block.end]
    if "\n" not in source:
        return rendered
    newline = "\r\n" if "\r\n" in source else "\n"
    width = max(len(line.rstrip("\r")) for line in source.split("\n"))
    lines = textwrap.wrap(fold(rendered), width=width, break_long_words=False, break_on_hyphens=False)
    return newline.join(lines)
