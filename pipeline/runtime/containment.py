"""Containment: every path the pipeline writes, deletes or sweeps lies inside the project's own folders.

A folder is *contained* when, resolved, it lies inside the project root and
no part of it below the root is a symbolic link: a link could send a write,
a deletion or the leftover sweep into another tree.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from pipeline.errors import OutputError

IGNORE_TEXT = "# rebuildable caches (pipeline memory rebuild)\n*\n"


def link_below(path: Path, root: Path) -> Path | None:
    """The first part of *path* below *root* that is a symbolic link (or None)."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def is_inside(path: Path, folder: Path) -> bool:
    """True when *path*, resolved, is *folder* (resolved) or lies under it."""
    resolved, base = Path(path).resolve(), Path(folder).resolve()
    return resolved == base or base in resolved.parents


def check_contained(path: Path, *, root: Path, what: str, allow_root: bool = True) -> Path:
    """Refuse a folder outside *root*, or reached through a symbolic link below it (an OutputError naming it)."""
    path = Path(path)
    absolute = Path(os.path.abspath(path))
    project = Path(root).resolve()
    link = link_below(absolute, Path(os.path.abspath(root)))
    if link is not None:
        raise OutputError(
            f"{what} {path}: {link} is a symbolic link; the pipeline never writes or deletes through a link. "
            "Replace the link with a real folder."
        )
    if not is_inside(absolute, project) or (not allow_root and absolute.resolve() == project):
        raise OutputError(
            f"{what} {path} lies outside the project {project}; the pipeline writes and deletes only inside its own "
            "folders. Choose a folder inside the project (e.g. locale, dist)."
        )
    return absolute


SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")  # a database and SQLite's own side files


def unsafe_database_files(path: Path | str) -> list[tuple[str, str, os.stat_result]]:
    """(name, why, lstat) for each of a SQLite cache's files that must not be opened through.

    A cache file is used only when it is a regular file with one link: a
    symbolic link, a hard link, a folder or anything else is reported, with
    why in words, so the caller sets it aside or removes the name (never
    what it points at).
    """
    found = []
    for suffix in SQLITE_SUFFIXES:
        name = f"{path}{suffix}"
        try:
            info = os.lstat(name)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
            continue
        why = (
            "it is a symbolic link" if stat.S_ISLNK(info.st_mode)
            else "it is a folder" if stat.S_ISDIR(info.st_mode)
            else "it has other hard links" if stat.S_ISREG(info.st_mode)
            else "it is not a regular file"
        )
        found.append((name, why, info))
    return found


def prepare_cache_folder(folder: Path) -> None:
    """Create the cache folder and its `.gitignore`, never through a link.

    A cache folder that is a link or not a folder is set aside (the name only)
    and made again; a `.gitignore` that exists in any form (a dangling link
    included) is left as it is.
    """
    folder = Path(folder)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISDIR(info.st_mode):
        aside = folder.with_name(folder.name + ".damaged")
        if os.path.lexists(aside) and not aside.is_dir():
            os.unlink(aside)
        os.rename(folder, aside)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if os.path.lexists(ignore):
        return
    try:
        fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(IGNORE_TEXT)


_CONFINED: ContextVar[tuple[str, ...]] = ContextVar("confined", default=())


@contextmanager
def confined(*folders: Path) -> Iterator[None]:
    """While the block runs, every atomic write under *folders* must reach its file through no link.

    The project lock confines the locale and output folders: a link planted
    inside them (`locale/uk` pointing elsewhere) cannot carry a write out.
    """
    token = _CONFINED.set(_CONFINED.get() + tuple(os.path.abspath(folder) for folder in folders))
    try:
        yield
    finally:
        _CONFINED.reset(token)


def check_write(path: Path) -> None:
    """Refuse a write to *path* that would pass through a symbolic link below a confined folder."""
    target = os.path.abspath(path)
    for folder in _CONFINED.get():
        if target.startswith(folder.rstrip(os.sep) + os.sep):
            link = link_below(Path(target).parent, Path(folder))
            if link is not None:
                raise OutputError(
                    f"{path}: {link} is a symbolic link; the pipeline never writes through a link out of its folders. "
                    "Replace the link with a real folder."
                )
