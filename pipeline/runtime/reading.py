"""The one bounded reader: every input the pipeline opens goes through :func:`read_bounded`.

Opened without blocking (a FIFO would otherwise wait for a writer forever,
holding the project lock), then `fstat`ed: only a regular file is read, and
never more than its kind's limit plus one byte (`/dev/zero`, a sparse 4 GiB
file or a file that grows while it is read would otherwise be read whole
into memory).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Type

from pipeline.errors import PipelineError

MiB = 1024 * 1024

LIMITS = {
    "article": 20 * MiB,  # one news story; a larger file is several stories
    "catalogue": 128 * MiB,  # a compendium of a year's archive is tens of MB
    "glossary": 8 * MiB,
    "import": 64 * MiB,  # a TMX or PO file given to `memory import`
    "metadata": 1 * MiB,  # a model package's metadata.json
}
"""The most bytes read for each kind of input."""


class TooLarge(PipelineError):
    """An input is over its kind's size limit (raised as the caller's error class)."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(
    path: str | os.PathLike,
    *,
    kind: str,
    error: Type[PipelineError] = PipelineError,
    what: str | None = None,
    name: str | None = None,
    advice: str = "give a regular file",
    limit: int | None = None,
) -> bytes:
    """The bytes of the regular file at *path*, at most the limit of *kind* (see :data:`LIMITS`).

    Anything else (a folder, a FIFO, a device, a socket, a file over the
    limit, an unreadable file) raises *error* with one line naming the file
    (*name*, default the path) and what to do. A missing file raises
    FileNotFoundError, so each caller decides what absence means.
    """
    limit = LIMITS[kind] if limit is None else limit
    name = str(path) if name is None else name
    what = what or f"a {kind} file"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise error(f"{name}: is a folder, not {what}.") from None
    except OSError as exc:
        raise error(f"{name}: cannot be read ({exc.strerror}).") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise error(f"{name}: is a folder, not {what}.")
            raise error(f"{name}: is {file_kind(info.st_mode)}, not {what}; {advice}.")
        if info.st_size > limit:
            raise error(_too_large(name, info.st_size, limit, what))
        chunks, size = [], 0
        while size <= limit:  # the file may grow after fstat
            chunk = os.read(fd, min(limit + 1 - size, 4 * MiB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error(f"{name}: cannot be read ({exc.strerror}).") from None
    finally:
        os.close(fd)
    if size > limit:
        raise error(_too_large(name, size, limit, what))
    return b"".join(chunks)


def _too_large(name: str, size: int, limit: int, what: str) -> str:
    return f"{name}: {size:,} bytes is over the {limit // MiB} MiB limit for {what}; split it into smaller files."
