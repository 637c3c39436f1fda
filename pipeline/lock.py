"""One pipeline process at a time per catalogue folder.

An OS-level file lock (released by the kernel when its holder dies, so a
killed run leaves no stale lock) on `locale/.pipeline.lock`; a second process
waits up to a timeout, then fails with a clear message.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import LockError, OutputError

LOCK_NAME = ".pipeline.lock"


@contextmanager
def project_lock(locale_dir: Path, *, timeout: float = 10.0) -> Iterator[None]:
    """Hold the lock on *locale_dir* for the duration of the block."""
    from filelock import FileLock, Timeout

    path = Path(locale_dir) / LOCK_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create the catalogue folder ({exc.strerror}).") from None
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockError(
            f"{path}: another pipeline process is working on these catalogues; wait for it to finish (or use --wait SECONDS)."
        ) from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the lock file ({exc.strerror}); check the folder's permissions.") from None
    try:
        path.write_text(f"{os.getpid()}\n", encoding="ascii")
    except OSError:
        pass
    try:
        yield
    finally:
        lock.release()
