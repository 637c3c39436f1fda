"""Source bytes, read safely and decoded: bounded, regular files only, UTF-8 with an optional BOM.

Every reader gets its bytes through here, so a FIFO, a device, a huge file or
a wrong encoding is refused the same way, with what to do, whatever the format.
"""

from __future__ import annotations

import os
import stat
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
