"""Atomic file writes: a temporary file in the same folder, flushed, then renamed.

A reader (or a process killed mid-write) sees either the old file or the new
one, never a truncated mix.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.errors import OutputError


# tempfile.mkstemp(prefix=".<name>.", suffix=".tmp") names: 8 characters from its alphabet.
_LEFTOVER = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def remove_leftovers(folder: str | os.PathLike, *, recursive: bool = True) -> list[Path]:
    """Delete the temporary files of :func:`atomic_path` that a killed process left in *folder*.

    Call only while holding the project lock, so no write of ours is in
    progress there. Only regular files named in this module's own pattern
    (`.<name>.<8 random characters>.tmp`) are touched; a symbolic link is
    neither removed nor followed, *folder* itself included. *recursive*
    sweeps the subfolders too. Returns what was removed.
    """
    removed = []
    pending = [Path(folder)]
    while pending:
        current = pending.pop()
        try:
            if current.is_symlink() or not current.is_dir():
                continue
            listing = list(os.scandir(current))
        except OSError:
            continue
        if recursive:
            pending += [Path(item.path) for item in listing if item.is_dir(follow_symlinks=False)]
        # a year's archive holds thousands of names: the suffix test first, at C speed
        for item in [item for item in listing if item.name.endswith(".tmp") and _LEFTOVER.fullmatch(item.name)]:
            try:
                if item.is_file(follow_symlinks=False):
                    os.unlink(item.path)
                    removed.append(Path(item.path))
            except OSError:
                pass  # the next run tries again
    return removed


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside *path*; on success rename it over *path*.

    For writers that insist on a file name (polib's ``save_as_mofile``).
    """
    from pipeline.runtime.containment import check_write

    target = Path(path)
    check_write(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror}); check the folder's permissions.") from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp_path, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror}); check the folder's permissions and free space.") from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(path: str | os.PathLike, data: bytes) -> bool:
    """Write *data* to *path* atomically; return False (and touch nothing) when unchanged."""
    target = Path(path)
    try:
        if target.is_file() and target.read_bytes() == data:
            return False
    except OSError:
        pass
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return True


def write_text(path: str | os.PathLike, text: str) -> bool:
    """Write UTF-8 *text* atomically; return False when the file already holds it."""
    return write_bytes(path, text.encode("utf-8"))
