"""Source bytes, read safely and decoded: bounded, regular files only, UTF-8 with an optional BOM.

Every reader gets its bytes through here, so a FIFO, a device, a huge file or
a wrong encoding is refused the same way, with what to do, whatever the format.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pipeline.errors import SourceError

BOM = b"\xef\xbb\xbf"
MAX_SOURCE_BYTES = 20 * 1024 * 1024
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}

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



def read_bounded(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_SOURCE_BYTES, through the one bounded reader."""
    from pipeline.runtime.reading import read_bounded as bounded

    try:
        return bounded(
            path, kind="article", error=SourceError, what="an article file", name=name,
            advice="give a plain-text file", limit=MAX_SOURCE_BYTES,
        )
    except FileNotFoundError:
        raise SourceError(f"{name}: no such file; check the path of the source article.") from None
