"""Read an article, segment it into translatable sentences, and render it back.

The stage in modules: :mod:`.model` (Article, Block, Segment), :mod:`.source`
(bounded reading and decoding), :mod:`.segment` (blocks, captions,
sentences), :mod:`.readers` (the registry of source formats, chosen by
extension or `format=`), :mod:`.plaintext` (the `txt` reader),
:mod:`.markdown` (`md`) and :mod:`.htmlpage` (`html`) with :mod:`.inline`
(inline markup as placeholders, shared by both), :mod:`.render` (rebuild
and encode) and :mod:`.protect` (spans kept verbatim, the markup notation).
Everything callers use is importable from here.
"""

from __future__ import annotations

from pipeline.article.model import ROLES, Article, Block, Segment
from pipeline.article.readers import (
    Reader,
    parse_article,
    read_article,
    reader,
    reader_for,
    reader_names,
    register_reader,
    unregister_reader,
)
from pipeline.article.render import encode, render, render_skeleton
from pipeline.article.segment import DEFAULT_CREDIT_PATTERNS, MAX_CREDIT_CHARS, compile_credits, fold
from pipeline.article.source import BOM, MAX_SOURCE_BYTES, decode
from pipeline.article import plaintext  # noqa: E402,F401  (registers the `txt` reader)
from pipeline.article import markdown  # noqa: E402,F401  (registers the `md` reader)
from pipeline.article import htmlpage  # noqa: E402,F401  (registers the `html` reader)

__all__ = [
    "ROLES", "Article", "Block", "Segment",
    "Reader", "parse_article", "read_article", "reader", "reader_for", "reader_names", "register_reader", "unregister_reader",
    "encode", "render", "render_skeleton",
    "DEFAULT_CREDIT_PATTERNS", "MAX_CREDIT_CHARS", "compile_credits", "fold",
    "BOM", "MAX_SOURCE_BYTES", "decode",
]
