"""Per-catalogue results of read-only verbs (`status`, `check`), cached by content.

A result is stored under a key made of the catalogue's SHA-256, the verb,
everything else it depends on (language, glossary bytes, source language,
the pipeline's own code), so an edited catalogue, glossary or program is
computed afresh and nothing else is. The SHA-256 of a file is itself
remembered by (path, size, mtime) as git's index does; a file modified
within two seconds of being hashed is hashed again. The path is relative to
the locale folder (`uk/LC_MESSAGES/article.po`; a file outside it keeps its
absolute path), so a project moved or copied with its times (`cp -a`) finds
every digest by a stat.

The cache is `locale/.cache/results.sqlite` (git-ignored, safe to delete),
used when `locale/.cache/` exists (the memory's folder: any `update` or `run`
creates it); a read-only verb never creates it. When it cannot be opened or
written (a read-only checkout), results are computed without it.

Answers that are data rather than results about a file (two plural rules
compared: :mod:`pipeline.gettext.plurals`) are kept in the cache of the
project a verb works on: :func:`working_on` names it for a block
(:func:`pipeline.runtime.lock.project_lock` does, for as long as the lock is
held), :func:`project_cache` opens it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Iterator

from pipeline.memory.files import RACY_NS, cache_dir

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS file (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT, recorded_ns INTEGER)",
    "CREATE TABLE IF NOT EXISTS result (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


_SINGLE_QUERIES = 32  # digests asked one query each before the whole file table is loaded (see `_recorded`)


def code_version() -> str:
    """A digest of the pipeline's own source files (name, size, mtime): any change of code, new results."""
    package = Path(__file__).resolve().parent.parent  # the whole pipeline package
    parts = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _unlink_unless_plain(path: Path) -> None:
    """Remove the cache's name (never its target) when it, or a side file, is a link, a hard link or not a file."""
    import stat

    from pipeline.runtime.containment import unsafe_database_files

    for name, _, info in unsafe_database_files(path):
        if not stat.S_ISDIR(info.st_mode):  # a folder cannot be opened: the verb works without its cache
            os.unlink(name)


class ResultCache:
    """JSON results by content key; every method is a no-op (a miss) when the cache is unavailable."""

    def __init__(self, path: Path | None, *, root: Path | None = None, read_only: bool = False):
        self.path = path
        self.read_only = read_only  # put() keeps nothing: a forked helper process never writes
        # Files are keyed relative to *root*, by default the locale folder the cache folder is in.
        root = root if root is not None else (Path(path).parent.parent if path is not None else None)
        self._prefix = os.path.abspath(root).rstrip(os.sep) + os.sep if root is not None else None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes]] = []
        self._files: list[tuple] = []
        self._known: dict[str, tuple] | None = None
        self._asked = 0  # digests looked up one query each, before loading the whole table
        if path is None:
            return
        try:
            _unlink_unless_plain(path)
            db = sqlite3.connect(path, timeout=5, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                db.execute(statement)
            self._db = db
        except (sqlite3.Error, OSError):
            self._db = None

    @classmethod
    def open(cls, locale_dir: Path) -> "ResultCache":  # noqa: D102 (documented below)
        """The cache under *locale_dir*'s cache folder, if that folder exists.

        A read-only verb never creates the folder (on a fresh checkout it
        writes nothing at all); `update`, `run` and the `memory` verbs do.
        """
        folder = cache_dir(locale_dir)
        if folder.is_symlink() or not folder.is_dir():
            return cls(None)
        return cls(folder / "results.sqlite")

    def __enter__(self) -> "ResultCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Store what was computed (one transaction), then close; a failure loses only the cache."""
        if self._db is None:
            return
        try:
            if self._pending or self._files:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO result VALUES (?, ?)", self._pending)
                self._db.executemany("INSERT OR REPLACE INTO file VALUES (?, ?, ?, ?, ?)", self._files)
                self._db.execute("COMMIT")
        except sqlite3.Error:
            pass
        finally:
            self._db.close()
            self._db = None

    def digest(self, path: str | Path) -> str | None:
        """The SHA-256 of a file, from the stat cache when the file is unchanged; None if unreadable."""
        # not resolve(): one lstat per folder, for thousands of files; status passes absolute strings already
        path = path if isinstance(path, str) and os.path.isabs(path) else os.path.abspath(path)
        try:
            stat = os.stat(path)
        except OSError:
            return None
        key = self.file_key(path)
        row = self._recorded(key) if self._db is not None else None
        if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns and row[3] - stat.st_mtime_ns > RACY_NS:
            return row[2]
        from pipeline.errors import PipelineError
        from pipeline.runtime.reading import read_bounded

        try:
            data = read_bounded(path, kind="catalogue")
        except (OSError, PipelineError):
            return None
        sha = hashlib.sha256(data).hexdigest()
        self._files.append((key, stat.st_size, stat.st_mtime_ns, sha, time.time_ns()))
        return sha

    def file_key(self, path: str) -> str:
        """How the file at absolute *path* is recorded: relative to the locale folder, or absolute outside it."""
        prefix = self._prefix
        return path[len(prefix):] if prefix is not None and path.startswith(prefix) else path

    def _recorded(self, path: str) -> tuple | None:
        """(size, mtime_ns, sha256, recorded_ns) stored for the file keyed *path*, or None.

        A run's report asks about its few new catalogues: one query each. Past
        `_SINGLE_QUERIES` of them (status over an archive asks about thousands),
        the whole table is loaded once instead.
        """
        try:
            if self._known is None and self._asked < _SINGLE_QUERIES:
                self._asked += 1
                found = self._db.execute("SELECT size, mtime_ns, sha256, recorded_ns FROM file WHERE path=?", (path,)).fetchone()
                return tuple(found) if found else None
            if self._known is None:
                rows = self._db.execute("SELECT path, size, mtime_ns, sha256, recorded_ns FROM file").fetchall()
                self._known = {p: (size, mtime, sha, recorded) for p, size, mtime, sha, recorded in rows}
        except sqlite3.Error:
            self._known = {}
        return self._known.get(path)

    def key(self, *parts: Any) -> str:
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def get(self, key: str) -> Any | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM result WHERE key=?", (key,)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The cached results among *keys* (missing ones absent)."""
        found: dict[str, Any] = {}
        if self._db is None:
            return found
        try:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._db.execute(f"SELECT key, value FROM result WHERE key IN ({','.join('?' * len(part))})", part).fetchall()
                # one decoder call for the lot: thousands of json.loads calls cost more than the parsing
                values = json.loads("[" + ",".join(value for _, value in rows) + "]")
                found.update(zip((key for key, _ in rows), values))
        except (sqlite3.Error, ValueError):
            return {}
        return found

    def get_text(self, key: str) -> str | None:
        """A text stored by put_text, as it was (no JSON decoding: a status document is megabytes)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM result WHERE key=?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row and isinstance(row[0], str) else None

    def put_text(self, key: str, text: str) -> None:
        """Store *text* under *key* verbatim (its key must not be one that get() decodes)."""
        if self._db is not None and not self.read_only:
            self._pending.append((key, text))

    def put(self, key: str, value: Any) -> None:
        if self._db is not None and not self.read_only:
            self._pending.append((key, json.dumps(value, ensure_ascii=False)))


# The project this process works on: (its locale folder, the process that said so).
_PROJECT: ContextVar[tuple[str, int] | None] = ContextVar("pipeline_project", default=None)


@contextmanager
def working_on(locale_dir: Path) -> Iterator[None]:
    """Within the block, this process works on the project whose catalogues are under *locale_dir*."""
    token = _PROJECT.set((os.path.abspath(locale_dir), os.getpid()))
    try:
        yield
    finally:
        _PROJECT.reset(token)


def project_cache() -> ResultCache:
    """The result cache of the project named by :func:`working_on`; outside one, a cache that keeps nothing.

    A process forked inside the block (`pipeline.runtime.parallel`) reads it
    and never writes it: only the process that works on the project writes.
    """
    project = _PROJECT.get()
    if project is None:
        return ResultCache(None)
    cache = ResultCache.open(Path(project[0]))
    cache.read_only = project[1] != os.getpid()
    return cache
