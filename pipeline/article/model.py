"""The article model every reader returns: an exact text, its blocks by role, their sentences by offset.

Whatever the source format, an article is kept as its decoded text plus the
offsets of each block and sentence; everything between sentences is the
document's skeleton and is copied verbatim when the article is rebuilt, so
the identity round trip is byte-exact. Roles: `headline`, `body` and
`caption` are translated; a caption's `caption_credit` (the photo credit) is
kept verbatim, never translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROLES = ("headline", "body", "caption")
"""The roles a block (and its sentences) may have; a caption's credit is kept apart, in `caption_credit`."""


@dataclass(frozen=True)
class Segment:
    """One translatable sentence of an article."""

    msgid: str  # the sentence, with hard line breaks folded into spaces
    start: int  # offsets of the sentence in Article.text
    end: int
    line: int  # 1-based line where the sentence starts
    role: str  # "headline", "body" or "caption"


@dataclass(frozen=True)
class Block:
    """A headline, paragraph or caption: lines between blank lines."""

    role: str
    start: int
    end: int  # offset after the block's last character, before its line ending
    line: int
    segments: tuple[Segment, ...]
    caption_credit: str | None  # kept verbatim, never translated


@dataclass(frozen=True)
class Article:
    """A decoded source article and its segmentation."""

    path: str  # as referenced in catalogues, e.g. "seeds/article.txt"
    text: str  # decoded text without the BOM
    bom: bool
    blocks: tuple[Block, ...]
    sha256: str  # of the file's bytes
    format: str = "txt"  # the reader that read it (pipeline.article.readers), which also renders it back
    date: str | None = None  # the story's own date (ISO 8601, YYYY-MM-DD) when the source gives one

    @property
    def domain(self) -> str:
        return Path(self.path).stem

    @property
    def segments(self) -> list[Segment]:
        return [segment for block in self.blocks for segment in block.segments]
