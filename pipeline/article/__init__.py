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
import os
import re
import stat
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from pipeline.errors import SourceError

BOM = b"\xef\xbb\xbf"
DEFAULT_CREDIT_PATTERNS = (
    r"\(@\w+(?:/[^()\n]+)?\)",  # (@NGUmainpage/Newsflash)
    r"\((?i:photo|photograph|picture|image|credit|video|footage)s?:\s*[^()\n]+\)",  # (Photo: Jane Doe/Reuters)
    r"\((?i:photo|photograph|picture|image|video|footage)s?\s+(?i:by|courtesy\s+of)\s+[^()\n]+\)",  # (Photo by John Smith/AP)
)
MAX_CREDIT_CHARS = 300
"""A credit is looked for only in the last this-many characters of a line, so
any credit pattern (configured ones included) costs time linear in the article."""
MAX_SOURCE_BYTES = 20 * 1024 * 1024
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


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


# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def _too_large(name: str, size: int) -> SourceError:
    return SourceError(
        f"{name}: {size:,} bytes is over the {MAX_SOURCE_BYTES // 2**20} MiB limit for one article; split it into several files."
    )


def decode(data: bytes, *, name: str) -> tuple[str, bool]:
    """Decode article bytes as UTF-8; return (text, had_bom) or raise SourceError."""
    if not data:
        raise SourceError(f"{name}: the file is empty; give an article with at least a headline.")
    if len(data) > MAX_SOURCE_BYTES:
        raise _too_large(name, len(data))
    for mark, encoding in _OTHER_BOMS:
        if data.startswith(mark):
            raise SourceError(
                f"{name}: the file is {encoding}, by its byte-order mark, not UTF-8; re-save it as UTF-8 (a UTF-8 BOM is fine)."
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
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = ascii(os.fsencode(name))[2:-1]
        raise SourceError(f"{shown}: the file name is not valid UTF-8; rename the file (catalogues cite it by name).") from None
    data = _read_bounded(path, name)
    return parse_article(data, path=name, credit_patterns=credit_patterns, language=language)


def _read_bounded(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_SOURCE_BYTES, checked before reading.

    Opened without blocking (a FIFO would otherwise wait for a writer forever,
    holding the catalogue lock), then `fstat`ed: only a regular file is read,
    and never more than the limit plus one byte (a sparse 4 GiB file or a
    device would otherwise be read whole into memory).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceError(f"{name}: no such file; check the path of the source article.") from None
    except IsADirectoryError:
        raise SourceError(f"{name}: is a folder, not an article file.") from None
    except OSError as exc:
        raise SourceError(f"{name}: cannot be read ({exc.strerror}).") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"{name}: is a folder, not an article file.")
        if not stat.S_ISREG(info.st_mode):
            kind = (
                "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "not a regular file"
            )
            raise SourceError(f"{name}: is {kind}, not an article file; give a plain-text file.")
        if info.st_size > MAX_SOURCE_BYTES:
            raise _too_large(name, info.st_size)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            chunks, size = [], 0
            while size <= MAX_SOURCE_BYTES:  # the file may grow after fstat
                chunk = handle.read(MAX_SOURCE_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            raise SourceError(f"{name}: cannot be read ({exc.strerror}).") from None
    data = b"".join(chunks)
    if len(data) > MAX_SOURCE_BYTES:
        raise _too_large(name, len(data))
    return data


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
        for piece_start, piece_end, match in _caption_pieces(text, start, end, credit):
            if match is not None:
                blocks.append(_block(text, piece_start, match.start(), "caption", match.group(), line_of, language, match.end()))
                continue
            if not blocks:
                # The article's first line is its headline (unless it is a
                # caption, above); the rest of that block is a paragraph.
                first_line_end = text.find("\n", piece_start, piece_end)
                if first_line_end == -1:
                    blocks.append(_block(text, piece_start, piece_end, "headline", None, line_of, language))
                    continue
                head_end = first_line_end - (1 if text[first_line_end - 1] == "\r" else 0)
                blocks.append(_block(text, piece_start, head_end, "headline", None, line_of, language))
                piece_start = first_line_end + 1
                while piece_start < piece_end and text[piece_start] in " \t":
                    piece_start += 1
            blocks.append(_block(text, piece_start, piece_end, "body", None, line_of, language))
    if not any(block.segments for block in blocks):
        raise SourceError(f"{path}: holds only photo credits, no sentence to translate; give the article's text.")
    digest = hashlib.sha256(data).hexdigest()
    return Article(path=path, text=text, bom=bom, blocks=tuple(blocks), sha256=digest)


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


def _caption_pieces(text: str, start: int, end: int, credit: re.Pattern[str]) -> Iterable[tuple[int, int, re.Match | None]]:
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


def _compile_credits(patterns: Iterable[str]) -> re.Pattern[str]:
    patterns = list(patterns)
    if not all(isinstance(p, str) for p in patterns):
        raise SourceError("credit_patterns must be a list of regular expressions (strings); fix [tool.pipeline] credit_patterns.")
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) + r"(?=[ \t]*\Z)" if patterns else r"(?!)")
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
