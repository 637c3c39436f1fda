"""Read an article and segment it into translatable sentences.

The article is kept as its exact text plus the offsets of each block and
sentence; everything between sentences (line endings, blank lines, a BOM,
indentation, photo credits, a missing final newline) is the document's
skeleton and is copied verbatim when the article is rebuilt, so the identity
round trip is byte-exact.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .errors import SourceError

BOM = b"\xef\xbb\xbf"
DEFAULT_CREDIT_PATTERNS = (
    r"\(@\w+(?:/[^()\n]+)?\)",
    r"\((?:Photo|Photos|Photograph|Picture|Image|Credit|Video)s?:\s*[^()\n]+\)",
)
MAX_SOURCE_BYTES = 20 * 1024 * 1024
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


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

    @property
    def domain(self) -> str:
        return Path(self.path).stem

    @property
    def segments(self) -> list[Segment]:
        return [segment for block in self.blocks for segment in block.segments]


def decode(data: bytes, *, name: str) -> tuple[str, bool]:
    """Decode article bytes as UTF-8; return (text, had_bom) or raise SourceError."""
    if not data:
        raise SourceError(f"{name}: the file is empty; give an article with at least a headline.")
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"{name}: {len(data):,} bytes is over the {MAX_SOURCE_BYTES // 2**20} MiB limit for one article; split it into several files."
        )
    if b"\x00" in data:
        raise SourceError(f"{name}: this is a binary file (it contains NUL bytes), not a plain-text article.")
    bom = data.startswith(BOM)
    try:
        text = data[len(BOM) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(BOM) if bom else 0)
        raise SourceError(
            f"{name}: not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); re-save the file as UTF-8."
        ) from None
    if not text.strip():
        raise SourceError(f"{name}: the file holds only whitespace; give an article with at least a headline.")
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS or (
            char == "\r" and text[index + 1 : index + 2] != "\n"
        ):
            line = text.count("\n", 0, index) + 1
            raise SourceError(
                f"{name}:{line}: control character U+{ord(char):04X} is not allowed in an article; remove it (line endings must be LF or CRLF)."
            )
    return text, bom


def read_article(
    path: str | Path,
    *,
    reference: str | None = None,
    credit_patterns: Iterable[str] = DEFAULT_CREDIT_PATTERNS,
    language: str = "en",
) -> Article:
    """Read and segment the article at *path*; *reference* is the name catalogues cite."""
    path = Path(path)
    name = reference or path.as_posix()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{name}: no such file; check the path of the source article.") from None
    except IsADirectoryError:
        raise SourceError(f"{name}: is a folder, not an article file.") from None
    except OSError as exc:
        raise SourceError(f"{name}: cannot be read ({exc.strerror}).") from None
    return parse_article(data, path=name, credit_patterns=credit_patterns, language=language)


def parse_article(
    data: bytes,
    *,
    path: str,
    credit_patterns: Iterable[str] = DEFAULT_CREDIT_PATTERNS,
    language: str = "en",
) -> Article:
    """Segment article bytes (in memory) into blocks and sentences."""
    text, bom = decode(data, name=path)
    credit = _compile_credits(credit_patterns)
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    blocks: list[Block] = []
    for start, end in _block_spans(text, line_starts):
        if not blocks:
            first_line_end = text.find("\n", start, end)
            if first_line_end != -1:  # a headline is one line; the rest is a paragraph
                head_end = first_line_end - (1 if text[first_line_end - 1] == "\r" else 0)
                blocks.append(_block(text, start, head_end, "headline", None, line_of, language))
                start = first_line_end + 1
                while start < end and text[start] in " \t":
                    start += 1
            else:
                blocks.append(_block(text, start, end, "headline", None, line_of, language))
                continue
        match = credit.search(text, start, end)
        if match and match.end() == end:
            blocks.append(_block(text, start, match.start(), "caption", match.group(), line_of, language, end))
        else:
            blocks.append(_block(text, start, end, "body", None, line_of, language))
    digest = hashlib.sha256(data).hexdigest()
    return Article(path=path, text=text, bom=bom, blocks=tuple(blocks), sha256=digest)


def fold(text: str) -> str:
    """Fold hard line breaks (with the blanks around them) into single spaces."""
    return _LINE_BREAK.sub(" ", text)


def render(article: Article, translate: Mapping[str, str] | Callable[[str], str]) -> str:
    """Rebuild the article with each sentence replaced by its translation.

    A block whose sentences all translate to themselves is copied verbatim.
    A changed hard-wrapped block is re-wrapped to the source block's width
    with the source's line ending; captions keep their credit verbatim.
    """
    lookup = translate if callable(translate) else (lambda msgid: translate.get(msgid, msgid))
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


def _compile_credits(patterns: Iterable[str]) -> re.Pattern[str]:
    patterns = list(patterns)
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) + r"(?=[ \t]*$)" if patterns else r"(?!)")
    except re.error as exc:
        raise SourceError(f"credit pattern is not a valid regular expression ({exc}); fix [tool.pipeline] credit_patterns.") from None


def _block_spans(text: str, line_starts: list[int]) -> Iterable[tuple[int, int]]:
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


def _block(text, start, end, role, caption_credit, line_of, language, block_end=None) -> Block:
    segments = tuple(
        Segment(msgid=fold(text[s:e]), start=s, end=e, line=line_of(s), role=role)
        for s, e in _sentence_spans(text, start, end, language)
    )
    return Block(role, start, block_end if block_end is not None else end, line_of(start), segments, caption_credit)


def _sentence_spans(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
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
