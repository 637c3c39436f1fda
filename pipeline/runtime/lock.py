"""One pipeline process at a time per catalogue folder.

An OS-level file lock (released by the kernel when its holder dies, so a
killed run leaves no stale lock) on `locale/.pipeline.lock`; a second process
waits up to a timeout, then fails with a clear message.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.errors import LockError, OutputError

LOCK_NAME = ".pipeline.lock"


@contextmanager
def project_lock(locale_dir: Path, *, timeout: float = 10.0, tidy: Iterable[Path] = ()) -> Iterator[None]:
    """Hold the lock on *locale_dir* for the duration of the block.

    Once held, temporary files a killed run left under *locale_dir* and the
    *tidy* folders are removed. A catalogue folder this call had to create is
    removed again when it holds nothing but the lock on leaving, so a command
    that fails (or writes nothing) leaves no new `locale/` behind.
    """
    from filelock import FileLock, Timeout

    from pipeline.runtime.atomic import remove_leftovers
    from pipeline.runtime.containment import confined
    from pipeline.runtime.resultcache import working_on

    folder = Path(locale_dir)
    path = folder / LOCK_NAME
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the catalogue folder ({exc.strerror}).") from None
    _unlink_if_shared(path)
    lock = FileLock(str(path), timeout=timeout)
    try:
        while True:
            lock.acquire()
            if path.exists():
                break
            # The holder we waited for removed the folder it had created (and
            # the lock file with it): this lock is on a deleted file, take a new one.
            lock.release()
            folder.mkdir(parents=True, exist_ok=True)
    except Timeout:
        raise LockError(
            f"{path}: another pipeline process is working on these catalogues; wait for it to finish (or use --wait SECONDS)."
        ) from None
    except OSError as exc:
        if created:
            _remove_if_only_lock(folder, path)
        raise OutputError(f"{path}: cannot create the lock file ({exc.strerror}); check the folder's permissions.") from None
    _write_pid(path)
    try:
        for place in (folder, *tidy):
            remove_leftovers(place)
        with working_on(folder), confined(folder, *tidy):  # answers that are data go to this project's result cache
            yield
    finally:
        if created:
            _remove_if_only_lock(folder, path)
        lock.release()


def _remove_if_only_lock(folder: Path, path: Path) -> None:
    try:
        if [child.name for child in folder.iterdir()] == [LOCK_NAME]:
            path.unlink()
            folder.rmdir()
    except OSError:
        pass


def _unlink_if_shared(path: Path) -> None:
    """A lock file with other hard links: drop our name, so opening it never truncates the other file."""
    try:
        info = os.lstat(path)
    except OSError:
        return
    if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
        try:
            path.unlink()
        except OSError:
            pass


def _write_pid(path: Path) -> None:
    """Note our process id in the lock file, never through a link or into a file with other names."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    except OSError:
        pass
    finally:
        os.close(fd)
