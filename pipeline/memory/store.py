"""A language's translation memory: open it, keep it current with its files, ask it.

See :mod:`pipeline.memory` for the tables, the refresh rule and the lookups.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import polib

from pipeline.errors import CatalogueError, MemoryStoreError
from pipeline.gettext.catalogue import Catalogue, fingerprint, read_catalogue
from pipeline.gettext.languages import Language
from pipeline.memory import tables
from pipeline.memory.files import COMPENDIUM, RACY_NS, memory_path, reviewed_entries, stat_many
from pipeline.memory.similar import _length_window, word_features
from pipeline.memory.tables import SCHEMA_VERSION, segment_key
from pipeline.runtime.containment import prepare_cache_folder
from pipeline.runtime.reading import read_bounded

FULL_SCAN = 1000  # as FuzzyIndex: a window this small is scored in full
SHORTLIST = 64  # candidates scored per fuzzy lookup (32 lost weak real-text matches: bench/RESULTS.md)
RARE_TERMS = 8  # features of a query looked up in the index, rarest first ...
POSTINGS = 20_000  # ... while their postings stay within this budget
OPTIMIZE_AFTER = 100  # files indexed in one refresh that count as a bulk index


REQUIRED_TABLES = ("meta", "source", "segment", "translation", "segment_features", "feature")
"""What a memory of this schema holds; a file missing one is damaged."""


def _busy(exc: sqlite3.Error) -> bool:
    """A lock or a full disk is not damage: the file is kept."""
    text = str(exc).lower()
    return any(word in text for word in ("locked", "busy", "full", "readonly", "read-only", "unable to open"))


def _recovering(method):
    """Run *method*; when SQLite finds the cache damaged, set it aside, rebuild it and try once more."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            self._recover(exc)
            return method(self, *args, **kwargs)

    return wrapper


@dataclass
class RefreshReport:
    """What one refresh of the index did."""

    indexed: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # unreadable: (path, why)


@dataclass(frozen=True)
class Match:
    """A fuzzy answer: the remembered sentence, its translation and the similarity (0-100)."""

    msgid: str
    msgstr: str
    score: float


@dataclass(frozen=True)
class MemoryEntry:
    """One remembered sentence with its winning translation and the domains it occurs in."""

    msgctxt: str | None
    msgid: str
    msgstr: str
    domains: tuple[str, ...] = ()


class TranslationMemory:
    """The memory of one language: open it, refresh it from its files, ask it.

    Every write is one transaction (`BEGIN IMMEDIATE`, WAL journal): a
    process killed mid-write leaves the previous state, and a second process
    waits for the first. A cache file that is not a valid database (or has
    another schema version) is recreated.
    """

    def __init__(self, path: Path, *, language: Language | str, root: Path | None = None):
        self.path = Path(path)
        self.language = language if isinstance(language, str) else language.code
        # Sources are keyed by their path relative to *root*, the locale folder
        # (`uk/LC_MESSAGES/article.po`), so that a moved or copied project finds
        # its files known; by default the folder above the cache folder.
        self.root = os.path.abspath(root if root is not None else self.path.parent.parent)
        self._prefix = self.root.rstrip(os.sep) + os.sep
        self.notes: list[str] = []  # one line each time a damaged cache was set aside and rebuilt
        self._sources: list | None = None  # what the last refresh indexed, to re-index after a recovery
        self._db = self._connect()
        self._length_index = bool(self._db.execute("SELECT 1 FROM sqlite_master WHERE name='segment_id_length'").fetchone())

    # -- opening ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            prepare_cache_folder(self.path.parent)
            self._set_aside_if_not_a_file()
            try:
                return self._open_when_free()
            except sqlite3.DatabaseError as exc:
                if _busy(exc):
                    raise
                # A cache: damaged, of another schema, or missing a table: set it aside and start again.
                self._set_aside(str(exc))
                return self._open_when_free()
        except (OSError, sqlite3.Error) as exc:
            raise MemoryStoreError(f"{self.path}: cannot open the translation memory ({exc}); check the folder's permissions.") from None

    def _set_aside_if_not_a_file(self) -> None:
        """A memory file that is a link, a folder, a hard link or anything but a regular file is never opened through."""
        from pipeline.runtime.containment import unsafe_database_files

        for name, why, _ in unsafe_database_files(self.path):
            if name != str(self.path):
                os.unlink(name)  # SQLite's own side files: removing the name never touches what it pointed at
                continue
            self._set_aside(why)

    def _set_aside(self, why: str) -> None:
        """Move the cache file (the name only: never its target) out of the way, and note it."""
        aside = Path(f"{self.path}.damaged")
        if os.path.lexists(aside):
            if aside.is_dir() and not aside.is_symlink():
                import shutil

                shutil.rmtree(aside)
            else:
                os.unlink(aside)
        if os.path.lexists(self.path):
            os.rename(self.path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.notes.append(
            f"{self.path}: the translation memory could not be used ({why}); it was set aside as {aside.name} and rebuilt from the catalogues."
        )

    def _open_when_free(self, *, wait: float = 60.0) -> sqlite3.Connection:
        """:meth:`_open`, tried again while another process holds the file.

        Two processes creating the same memory at once can meet SQLITE_BUSY
        where SQLite calls no busy handler (switching a new file to WAL):
        the connection's own timeout does not cover that, so it is retried here.
        """
        deadline = time.monotonic() + wait
        while True:
            try:
                return self._open()
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = None
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if "meta" in names:
                row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                version = row[0] if row else None
            if version not in (None, SCHEMA_VERSION):
                raise sqlite3.DatabaseError("schema version")
            if version is None:
                if names - {"meta"}:
                    raise sqlite3.DatabaseError("not a translation memory")  # another application's database
                with tables.transaction(db):
                    for statement in tables.statements(tables.SCHEMA):
                        db.execute(statement)
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?), ('language', ?)", (SCHEMA_VERSION, self.language))
            else:
                missing = set(REQUIRED_TABLES) - names
                if missing:
                    raise sqlite3.DatabaseError(f"table {sorted(missing)[0]} is missing")
                if "segment_id_length" not in names:
                    tables.add_length_index(db)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _recover(self, exc: sqlite3.DatabaseError) -> None:
        """Damage found while working (a malformed page): set the file aside, reopen it empty, re-index."""
        if _busy(exc):
            raise MemoryStoreError(f"{self.path}: the translation memory is busy ({exc}); run the command again.") from None
        try:
            self._db.close()
        except sqlite3.Error:
            pass
        try:
            self._set_aside(str(exc))
            self._db = self._open()
            self._length_index = True
        except (OSError, sqlite3.Error) as again:
            raise MemoryStoreError(f"{self.path}: cannot rebuild the translation memory ({again}); run `pipeline memory rebuild`.") from None
        if self._sources is not None:
            self._refresh(self._sources, parsed=None)

    @classmethod
    def open(cls, locale_dir: Path, language: Language | str) -> "TranslationMemory":
        """The memory of *language* under *locale_dir* (created empty when absent)."""
        code = language if isinstance(language, str) else language.code
        return cls(memory_path(locale_dir, code), language=language)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_recovering
    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM segment").fetchone()[0]

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._db.in_transaction:  # inside a larger change (a refresh): one commit for all
            yield self._db
            return
        try:
            with tables.transaction(self._db):
                yield self._db
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise  # damage (a missing table): the caller sets the cache aside and rebuilds it
            raise MemoryStoreError(f"{self.path}: cannot write the translation memory ({exc}).") from None

    # -- keeping it current ----------------------------------------------

    def refresh(self, paths: Iterable[str | Path], *, parsed: "dict[Path, Catalogue] | None" = None) -> RefreshReport:
        """Index the files among *paths* that changed since they were last indexed (see :meth:`_refresh`).

        A cache found damaged on the way is set aside and rebuilt from *paths* (noted in :attr:`notes`).
        """
        self._sources = list(paths)
        try:
            return self._refresh(self._sources, parsed=parsed)
        except sqlite3.DatabaseError as exc:
            self._sources, sources = None, self._sources
            self._recover(exc)
            self._sources = sources
            return self._refresh(sources, parsed=parsed)

    def _refresh(self, paths: Iterable[str | Path], *, parsed: "dict[Path, Catalogue] | None" = None) -> RefreshReport:
        """Index the files among *paths* that changed since they were last indexed; forget vanished ones.

        *paths* is every source of this language (`memory_sources`); a file
        already parsed by the caller can be passed in *parsed* (by path) so
        it is not parsed again. An unreadable file is skipped (its previous
        rows stay) and listed in the report.
        """
        report = RefreshReport()
        parsed = {self.source_key(os.path.abspath(p)): po for p, po in (parsed or {}).items()}
        # One transaction for the whole refresh: FTS5 merges its index once, and a kill leaves the old state.
        with self._write():
            known = {row[0]: row[1:] for row in self._db.execute("SELECT path, size, mtime_ns, sha256, recorded_ns FROM source")}
            # not resolve(): an lstat per folder, for thousands of files; memory_sources' strings are already absolute
            files = [path if isinstance(path, str) and os.path.isabs(path) else os.path.abspath(path) for path in paths]
            keys = [self.source_key(file) for file in files]
            seen = set(keys)
            for file, key, stat in zip(files, keys, stat_many(files)):
                if stat is None:
                    continue
                row = known.get(key)
                if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns and row[3] - stat.st_mtime_ns > RACY_NS:
                    report.unchanged += 1  # the common case, kept free of Path objects
                    continue
                path = Path(file)
                try:
                    data = read_bounded(path, kind="catalogue", error=CatalogueError, what="a catalogue")
                except OSError as exc:
                    report.skipped.append((path, exc.strerror or str(exc)))
                    continue
                except CatalogueError as exc:
                    report.skipped.append((path, str(exc)))
                    continue
                digest = fingerprint(data)
                if row and row[2] == digest:
                    with self._write() as db:
                        db.execute(
                            "UPDATE source SET size=?, mtime_ns=?, recorded_ns=? WHERE path=?",
                            (stat.st_size, stat.st_mtime_ns, time.time_ns(), key),
                        )
                    report.unchanged += 1
                    continue
                po = parsed.get(key)
                if po is None or getattr(po, "fingerprint", None) != digest:
                    try:
                        po = read_catalogue(path)
                    except CatalogueError as exc:
                        report.skipped.append((path, str(exc)))
                        continue
                self._index(key, po, size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=digest, compendium=path.name == COMPENDIUM)
                report.indexed.append(path)
            for key in sorted(set(known) - seen):
                self._forget(key)
                report.removed.append(key)
            if len(report.indexed) >= OPTIMIZE_AFTER:
                # After a bulk index (a rebuild, a first run over an archive) merge FTS5's
                # segments into one b-tree: the same answers, lookups about twice as fast.
                self._db.execute("INSERT INTO segment_features(segment_features) VALUES('optimize')")
        return report

    @_recovering
    def index_file(self, path: Path, po: "Catalogue | polib.POFile | None" = None) -> None:
        """Index one file now (after writing it), whatever its recorded state."""
        path = Path(os.path.abspath(path))
        data = read_bounded(path, kind="catalogue", error=CatalogueError, what="a catalogue")
        stat = path.stat()
        if po is None or getattr(po, "fingerprint", None) != fingerprint(data):
            po = read_catalogue(path)
        self._index(self.source_key(str(path)), po, size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=fingerprint(data), compendium=path.name == COMPENDIUM)

    def source_key(self, path: str) -> str:
        """The key of the file at absolute *path*: relative to the locale folder, or *path* itself outside it."""
        return path[len(self._prefix):] if path.startswith(self._prefix) else path

    @_recovering
    def add(self, source: str, entries: Iterable[MemoryEntry], *, mtime_ns: int = 0) -> int:
        """Store *entries* as the whole content of a named *source* (not a file); return how many.

        For benchmarks and imports that never touch a file; a later
        `refresh` forgets such a source, as it is not among the files.
        """
        return self._store(source, list(entries), size=0, mtime_ns=mtime_ns, sha256="")

    def _index(self, key: str, po, *, size: int, mtime_ns: int, sha256: str, compendium: bool) -> None:
        po = po.po if isinstance(po, Catalogue) else po  # a Catalogue, or a bare polib catalogue
        domain = Path(key).stem
        entries = []
        for entry in reviewed_entries(po):
            domains = tuple(sorted({f for f, _ in entry.occurrences})) if compendium else (domain,)
            entries.append(MemoryEntry(entry.msgctxt, entry.msgid, entry.msgstr, domains))
        self._store(key, entries, size=size, mtime_ns=mtime_ns, sha256=sha256)

    def _store(self, key: str, entries: list[MemoryEntry], *, size: int, mtime_ns: int, sha256: str) -> int:
        segments: dict[bytes, MemoryEntry] = {}
        for entry in entries:
            segments.setdefault(segment_key(entry.msgid, entry.msgctxt), entry)  # the first of two equal sentences
        with self._write() as db:
            row = db.execute("SELECT id FROM source WHERE path=?", (key,)).fetchone()
            now = time.time_ns()
            if row is None:
                source_id = db.execute(
                    "INSERT INTO source (path, size, mtime_ns, sha256, recorded_ns, archive) VALUES (?, ?, ?, ?, ?, ?)",
                    (key, size, mtime_ns, sha256, now, int(Path(key).name == COMPENDIUM)),
                ).lastrowid
                wanted = segments
            else:
                source_id = row[0]
                db.execute("UPDATE source SET size=?, mtime_ns=?, sha256=?, recorded_ns=? WHERE id=?", (size, mtime_ns, sha256, now, source_id))
                # Only what changed: a re-saved catalogue mostly holds the same translations.
                stored = {
                    k: (segment_id, msgstr, domains)
                    for k, segment_id, msgstr, domains in db.execute(
                        "SELECT s.key, s.id, t.msgstr, t.domains FROM translation t JOIN segment s ON s.id = t.segment_id WHERE t.source_id=?",
                        (source_id,),
                    )
                }
                wanted = {k: e for k, e in segments.items() if stored.get(k, (None,))[1:] != (e.msgstr, " ".join(e.domains))}
                gone = [v[0] for k, v in stored.items() if k not in segments or k in wanted]
                db.execute("CREATE TEMP TABLE IF NOT EXISTS dropped (id INTEGER PRIMARY KEY)")
                db.execute("DELETE FROM temp.dropped")
                db.executemany("INSERT INTO temp.dropped VALUES (?)", ((i,) for i in gone))
                db.executemany("DELETE FROM translation WHERE source_id=? AND segment_id=?", ((source_id, i) for i in gone))
            keys = list(wanted)
            known = set()
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                known.update(k for (k,) in db.execute(f"SELECT key FROM segment WHERE key IN ({','.join('?' * len(part))})", part))
            fresh = [k for k in keys if k not in known]
            next_id = (db.execute("SELECT max(id) FROM segment").fetchone()[0] or 0) + 1
            rows = [(next_id + i, k, wanted[k].msgctxt, wanted[k].msgid, len(wanted[k].msgid)) for i, k in enumerate(fresh)]
            db.executemany("INSERT INTO segment (id, key, msgctxt, msgid, length) VALUES (?, ?, ?, ?, ?)", rows)
            tables.add_features(db, [(r[0], r[3]) for r in rows], sign=1)
            db.executemany(
                "INSERT INTO translation (source_id, segment_id, msgstr, domains) SELECT ?, id, ?, ? FROM segment WHERE key=?",
                ((source_id, e.msgstr, " ".join(e.domains), k) for k, e in wanted.items()),
            )
            if row is not None:
                tables.drop_orphans(db)
        return len(segments)

    def _forget(self, key: str) -> None:
        with self._write() as db:
            row = db.execute("SELECT id FROM source WHERE path=?", (key,)).fetchone()
            if row is None:
                return
            tables.mark_dropped(db, row[0])
            db.execute("DELETE FROM source WHERE id=?", (row[0],))
            tables.drop_orphans(db)

    @_recovering
    def clear(self) -> None:
        """Forget everything (before a rebuild)."""
        with self._write() as db:
            for table in ("translation", "segment", "source", "feature"):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO segment_features (segment_features) VALUES ('delete-all')")

    # -- asking it -------------------------------------------------------

    @_recovering
    def exact(self, msgid: str, msgctxt: str | None = None) -> str | None:
        """The remembered translation of exactly *msgid* in exactly *msgctxt*, or None."""
        row = self._db.execute("SELECT id FROM segment WHERE key=?", (segment_key(msgid, msgctxt),)).fetchone()
        if row is None:
            return None
        found = self._db.execute(tables.WINNER, (row[0],)).fetchone()
        return found[0] if found else None

    @_recovering
    def fuzzy(self, msgid: str, *, threshold: float) -> Match | None:
        """The most similar remembered sentence (fuzz.ratio >= threshold), or None; ties go to the oldest."""
        from rapidfuzz import fuzz, process

        low, high = _length_window(len(msgid), threshold)
        high = min(high, 1 << 62)
        # Counted on the (length, id) index alone: no sentence is read unless all will be scored.
        in_window = self._db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM segment WHERE length BETWEEN ? AND ? LIMIT ?)", (low, high, FULL_SCAN + 1)
        ).fetchone()[0]
        if in_window <= FULL_SCAN:
            candidates = dict(self._db.execute("SELECT id, msgid FROM segment WHERE length BETWEEN ? AND ? ORDER BY id", (low, high)))
        else:
            candidates = self._shortlist(msgid, low, high)
        if not candidates:
            return None
        found = process.extractOne(msgid, candidates, scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None:
            return None
        text, score, segment_id = found
        winner = self._db.execute(tables.WINNER, (segment_id,)).fetchone()
        return Match(text, winner[0], score) if winner else None

    def _shortlist(self, msgid: str, low: float, high: float) -> dict[int, str]:
        """The segments in the length window sharing the most rare words and word pairs with *msgid*, by id."""
        terms = sorted(word_features(msgid))
        if not terms:
            return {}
        counts = []
        for start in range(0, len(terms), 500):
            part = terms[start : start + 500]
            counts += self._db.execute(f"SELECT df, term FROM feature WHERE term IN ({','.join('?' * len(part))}) AND df > 0", part).fetchall()
        if not counts:
            return {}
        counts.sort()
        # The rarest features first, until their postings would exceed the budget.
        chosen, postings = [], 0
        for df, term in counts[:RARE_TERMS]:
            if chosen and postings + df > POSTINGS:
                break
            chosen.append(term)
            postings += df
        # Rank by how many of the chosen features a segment shares, counted by SQLite
        # (bm25 costs 4x more and ranks no better for this); then keep those in the
        # length window, read from the small (id, length) index rather than from
        # each segment's row: on a cold disk cache those random reads were the cost.
        union = " UNION ALL ".join("SELECT rowid AS id FROM segment_features WHERE segment_features MATCH ?" for _ in chosen)
        ranked = self._db.execute(
            f"SELECT id, count(*) AS n FROM ({union}) GROUP BY id ORDER BY n DESC, id LIMIT ?",
            (*[f'"{t}"' for t in chosen], SHORTLIST * 4),
        ).fetchall()
        if not ranked:
            return {}
        ids = [segment_id for segment_id, _ in ranked]
        lengths = dict(
            self._db.execute(
                f"SELECT id, length FROM segment {'INDEXED BY segment_id_length' if self._length_index else ''} "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
        )
        keep = [segment_id for segment_id in ids if low <= lengths.get(segment_id, -1) <= high][:SHORTLIST]
        if not keep:
            return {}
        rows = self._db.execute(f"SELECT id, msgid FROM segment WHERE id IN ({','.join('?' * len(keep))})", keep).fetchall()
        return dict(sorted(rows))

    @_recovering
    def full_scan(self, msgid: str, *, threshold: float) -> Match | None:
        """The answer of a RapidFuzz scan over every remembered sentence (the oracle for `fuzzy`)."""
        from rapidfuzz import fuzz, process

        best = None
        rows = self._db.execute("SELECT id, msgid FROM segment ORDER BY id")
        while chunk := rows.fetchmany(50_000):
            found = process.extractOne(msgid, dict(chunk), scorer=fuzz.ratio, score_cutoff=threshold)
            if found is not None and (best is None or found[1] > best[1]):
                best = found
        if best is None:
            return None
        winner = self._db.execute(tables.WINNER, (best[2],)).fetchone()
        return Match(best[0], winner[0], best[1])

    @_recovering
    def entries(self) -> Iterator[MemoryEntry]:
        """Every remembered sentence with its winning translation and all its domains, oldest first."""
        return iter(list(self._entries()))

    def _entries(self) -> Iterator[MemoryEntry]:
        rows = self._db.execute(
            "SELECT s.id, s.msgctxt, s.msgid, t.msgstr, t.domains FROM segment s "
            "JOIN translation t ON t.segment_id = s.id JOIN source f ON f.id = t.source_id "
            "ORDER BY s.id, f.archive, f.mtime_ns DESC, f.path"
        )
        current = None
        for segment_id, msgctxt, msgid, msgstr, domains in rows:
            if current is None or current[0] != segment_id:
                if current is not None:
                    yield _entry(current)
                current = [segment_id, msgctxt, msgid, msgstr, set()]
            current[4].update(domains.split())
        if current is not None:
            yield _entry(current)


def _entry(row) -> MemoryEntry:
    return MemoryEntry(row[1], row[2], row[3], tuple(sorted(row[4])))
