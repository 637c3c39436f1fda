"""Translation memory: every reviewed translation of a language, indexed in SQLite.

The memory is a **rebuildable cache** of the files git holds: each
language's catalogues (`locale/<lang>/LC_MESSAGES/*.po`) and its archive
`locale/<lang>/compendium.po` (translations kept beyond their articles; it
changes only when a translator imports into it). It lives in
`locale/.cache/memory-<lang>.sqlite`, is git-ignored, and
`pipeline memory rebuild` recreates it from those files.

Schema (one database per language, WAL, every change one transaction):

- ``source``: one row per indexed file, with the size, mtime and SHA-256 it
  had when indexed. `refresh` stats every source and reads only those whose
  size or mtime changed (and whose hash then differs), as git's index does;
  a file modified within ``RACY_NS`` of being recorded is hashed again.
- ``segment``: one row per distinct source sentence, keyed by a hash of its
  normalised text (NFC, runs of white space as one space) and its msgctxt,
  with its length; a contentless FTS5 table of its words and word pairs
  (one token each) is the candidate index, ``feature`` their document counts.
- ``translation``: (segment, source) → msgstr and the domains it occurs in.
  When sources disagree, a catalogue wins over the compendium, then the
  most recently modified file.

Exact lookup is one indexed query on the key. Fuzzy lookup scores
candidates with RapidFuzz's ``fuzz.ratio`` (``pipeline.similar``'s measure,
so scores agree with merges): when the query's length window holds at most
``FULL_SCAN`` segments, all of them (the answer is exactly a full scan's);
otherwise the ``SHORTLIST`` segments sharing the most of the query's rarest
words and word pairs (looked up in the FTS5 index, rarest first within a
budget of ``POSTINGS``). Nothing is held in RAM but the query's candidates.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import polib

from pipeline.gettext.provenance import TM_MARK, set_note
from pipeline.gettext.catalogue import Catalogue, fingerprint, new_catalogue, read_catalogue
from pipeline.errors import CatalogueError, MemoryStoreError
from pipeline.gettext.languages import Language
from pipeline.memory.similar import _length_window

COMPENDIUM = "compendium.po"
CACHE_DIR = ".cache"
SCHEMA_VERSION = "2"
FULL_SCAN = 1000  # as FuzzyIndex: a window this small is scored in full
SHORTLIST = 64  # candidates scored per fuzzy lookup (32 lost weak real-text matches: bench/RESULTS.md)
RARE_TERMS = 8  # features of a query looked up in the index, rarest first ...
POSTINGS = 20_000  # ... while their postings stay within this budget
RACY_NS = 2_000_000_000  # mtime granularity allowance (git's "racily clean" rule)

_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token


@dataclass
class MemoryReport:
    """What the memory answered in one catalogue."""

    exact: int = 0
    fuzzy: int = 0


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


def normalise(text: str) -> str:
    """The form sentences are compared in for an exact match: NFC, white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def segment_key(msgid: str, msgctxt: str | None = None) -> bytes:
    """The exact-lookup key of a sentence (msgctxt None and "" differ, as in gettext)."""
    context = "\x00" if msgctxt is None else "\x01" + msgctxt
    return hashlib.sha256(f"{context}\x04{normalise(msgid)}".encode("utf-8")).digest()[:16]


def cache_dir(locale_dir: Path) -> Path:
    return Path(locale_dir) / CACHE_DIR


def memory_path(locale_dir: Path, language: str) -> Path:
    """Where the memory of *language* is cached."""
    return cache_dir(locale_dir) / f"memory-{language}.sqlite"


def compendium_path(locale_dir: Path, language: str) -> Path:
    """The committed archive of *language*'s translations (a PO file, `msgmerge --compendium` style)."""
    return Path(locale_dir) / language / COMPENDIUM


def stat_many(paths: list[str]) -> list[os.stat_result | None]:
    """`os.stat` of each absolute path (None where it fails), in order.

    A year's archive is thousands of files in a few folders: each is stat'ed
    by name relative to its open folder, so the kernel walks the folder's
    path once, not once per file (a third less time for 18,250 files).
    """
    found: list[os.stat_result | None] = []
    folder, fd = None, None
    try:
        for path in paths:
            head, _, name = path.rpartition(os.sep)  # absolute and normalised: no need for os.path.split
            if head != folder:
                if fd is not None:
                    os.close(fd)
                folder, fd = head, None
                try:
                    fd = os.open(head, os.O_RDONLY | os.O_DIRECTORY)
                except OSError:
                    pass
            try:
                found.append(os.stat(name, dir_fd=fd) if fd is not None else os.stat(path))
            except OSError:
                found.append(None)
    finally:
        if fd is not None:
            os.close(fd)
    return found


def memory_sources(locale_dir: Path, language: str) -> list[str]:
    """Every file the memory of *language* is built from: its catalogues and its compendium.

    Absolute, normalised paths as strings, sorted: a year's archive holds
    thousands, and building a `Path` for each costs more than its `stat`.
    """
    folder = os.path.abspath(os.path.join(locale_dir, language, "LC_MESSAGES"))
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".po"))
    except OSError:
        names = []
    prefix = folder + os.sep
    sources = [prefix + name for name in names]
    compendium = compendium_path(locale_dir, language)
    if compendium.is_file():
        sources.append(os.path.abspath(compendium))
    return sources


def reviewed_entries(po: polib.POFile) -> Iterator[polib.POEntry]:
    """Entries a person wrote or reviewed: translated, not fuzzy, singular (obsolete ones too)."""
    for entry in po:
        if entry.msgid and entry.msgstr and not entry.fuzzy and not entry.msgid_plural:
            yield entry


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, recorded_ns INTEGER NOT NULL,
    archive INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS segment (
    id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, msgctxt TEXT, msgid TEXT NOT NULL,
    length INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS segment_length ON segment (length, id);
CREATE INDEX IF NOT EXISTS segment_id_length ON segment (id, length);
CREATE TABLE IF NOT EXISTS translation (
    source_id INTEGER NOT NULL, segment_id INTEGER NOT NULL, msgstr TEXT NOT NULL,
    domains TEXT NOT NULL, PRIMARY KEY (source_id, segment_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS translation_segment ON translation (segment_id);
CREATE VIRTUAL TABLE IF NOT EXISTS segment_features USING fts5(
    features, content='', tokenize="unicode61 remove_diacritics 0 tokenchars '_'");
CREATE TABLE IF NOT EXISTS feature (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
"""

OPTIMIZE_AFTER = 100  # files indexed in one refresh that count as a bulk index

# The winning translation of a segment: a catalogue's over the archive's (compendium.po),
# then the most recently modified file's.
_WINNER = """
SELECT t.msgstr FROM translation t JOIN source f ON f.id = t.source_id
WHERE t.segment_id = ? ORDER BY f.archive, f.mtime_ns DESC, f.path LIMIT 1
"""


class TranslationMemory:
    """The memory of one language: open it, refresh it from its files, ask it.

    Every write is one transaction (`BEGIN IMMEDIATE`, WAL journal): a
    process killed mid-write leaves the previous state, and a second process
    waits for the first. A cache file that is not a valid database (or has
    another schema version) is recreated.
    """

    def __init__(self, path: Path, *, language: Language | str):
        self.path = Path(path)
        self.language = language if isinstance(language, str) else language.code
        self._db = self._connect()
        self._length_index = bool(self._db.execute("SELECT 1 FROM sqlite_master WHERE name='segment_id_length'").fetchone())

    # -- opening ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# rebuildable caches (pipeline memory rebuild)\n*\n", encoding="utf-8")
            try:
                return self._open()
            except sqlite3.DatabaseError:
                # A cache: when it is damaged or from another version, start again.
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                return self._open()
        except (OSError, sqlite3.Error) as exc:
            raise MemoryStoreError(f"{self.path}: cannot open the translation memory ({exc}); check the folder's permissions.") from None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = None
            if db.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
                row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                version = row[0] if row else None
            if version not in (None, SCHEMA_VERSION):
                raise sqlite3.DatabaseError("schema version")
            if version is None:
                with _transaction(db):
                    for statement in _statements(_SCHEMA):
                        db.execute(statement)
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?), ('language', ?)", (SCHEMA_VERSION, self.language))
            elif not db.execute("SELECT 1 FROM sqlite_master WHERE name='segment_id_length'").fetchone():
                _add_length_index(db)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

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

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM segment").fetchone()[0]

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._db.in_transaction:  # inside a larger change (a refresh): one commit for all
            yield self._db
            return
        try:
            with _transaction(self._db):
                yield self._db
        except sqlite3.OperationalError as exc:
            raise MemoryStoreError(f"{self.path}: cannot write the translation memory ({exc}).") from None

    # -- keeping it current ----------------------------------------------

    def refresh(self, paths: Iterable[str | Path], *, parsed: "dict[Path, Catalogue] | None" = None) -> RefreshReport:
        """Index the files among *paths* that changed since they were last indexed; forget vanished ones.

        *paths* is every source of this language (`memory_sources`); a file
        already parsed by the caller can be passed in *parsed* (by path) so
        it is not parsed again. An unreadable file is skipped (its previous
        rows stay) and listed in the report.
        """
        report = RefreshReport()
        parsed = {os.path.abspath(p): po for p, po in (parsed or {}).items()}
        # One transaction for the whole refresh: FTS5 merges its index once, and a kill leaves the old state.
        with self._write():
            known = {row[0]: row[1:] for row in self._db.execute("SELECT path, size, mtime_ns, sha256, recorded_ns FROM source")}
            # not resolve(): an lstat per folder, for thousands of files; memory_sources' strings are already absolute
            keys = [path if isinstance(path, str) and os.path.isabs(path) else os.path.abspath(path) for path in paths]
            seen = set(keys)
            for key, stat in zip(keys, stat_many(keys)):
                if stat is None:
                    continue
                row = known.get(key)
                if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns and row[3] - stat.st_mtime_ns > RACY_NS:
                    report.unchanged += 1  # the common case, kept free of Path objects
                    continue
                path = Path(key)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    report.skipped.append((path, exc.strerror or str(exc)))
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

    def index_file(self, path: Path, po: "Catalogue | polib.POFile | None" = None) -> None:
        """Index one file now (after writing it), whatever its recorded state."""
        path = Path(os.path.abspath(path))
        data = path.read_bytes()
        stat = path.stat()
        if po is None or getattr(po, "fingerprint", None) != fingerprint(data):
            po = read_catalogue(path)
        self._index(str(path), po, size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=fingerprint(data), compendium=path.name == COMPENDIUM)

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
            _add_features(db, [(r[0], r[3]) for r in rows], sign=1)
            db.executemany(
                "INSERT INTO translation (source_id, segment_id, msgstr, domains) SELECT ?, id, ?, ? FROM segment WHERE key=?",
                ((source_id, e.msgstr, " ".join(e.domains), k) for k, e in wanted.items()),
            )
            if row is not None:
                _drop_orphans(db)
        return len(segments)

    def _forget(self, key: str) -> None:
        with self._write() as db:
            row = db.execute("SELECT id FROM source WHERE path=?", (key,)).fetchone()
            if row is None:
                return
            _mark_dropped(db, row[0])
            db.execute("DELETE FROM source WHERE id=?", (row[0],))
            _drop_orphans(db)

    def clear(self) -> None:
        """Forget everything (before a rebuild)."""
        with self._write() as db:
            for table in ("translation", "segment", "source", "feature"):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO segment_features (segment_features) VALUES ('delete-all')")

    # -- asking it -------------------------------------------------------

    def exact(self, msgid: str, msgctxt: str | None = None) -> str | None:
        """The remembered translation of *msgid* (same sentence once normalised, same msgctxt), or None."""
        row = self._db.execute("SELECT id FROM segment WHERE key=?", (segment_key(msgid, msgctxt),)).fetchone()
        if row is None:
            return None
        found = self._db.execute(_WINNER, (row[0],)).fetchone()
        return found[0] if found else None

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
        winner = self._db.execute(_WINNER, (segment_id,)).fetchone()
        return Match(text, winner[0], score) if winner else None

    def _shortlist(self, msgid: str, low: float, high: float) -> dict[int, str]:
        """The segments in the length window sharing the most rare words and word pairs with *msgid*, by id."""
        terms = sorted(_features(msgid))
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
        winner = self._db.execute(_WINNER, (best[2],)).fetchone()
        return Match(best[0], winner[0], best[1])

    def entries(self) -> Iterator[MemoryEntry]:
        """Every remembered sentence with its winning translation and all its domains, oldest first."""
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


def _add_length_index(db: sqlite3.Connection) -> None:
    """Give a memory indexed by an earlier release its (id, length) index (tens of ms per 100,000 sentences).

    Only an optimisation: when it cannot be written (a read-only cache, a
    writer holding the lock past the timeout) the memory is used without it.
    """
    try:
        with _transaction(db):
            db.execute("CREATE INDEX IF NOT EXISTS segment_id_length ON segment (id, length)")
    except sqlite3.OperationalError:
        if db.in_transaction:
            db.execute("ROLLBACK")


def _entry(row) -> MemoryEntry:
    return MemoryEntry(row[1], row[2], row[3], tuple(sorted(row[4])))


def _features(sentence: str) -> set[str]:
    """Words and word pairs, lower-cased (as in `pipeline.similar`): pairs are rare, so near-duplicates rank first."""
    words = [w.lower() for w in _WORD.findall(sentence)]
    return {*words, *(f"{a}_{b}" for a, b in zip(words, words[1:]))}


def _add_features(db: sqlite3.Connection, segments: list[tuple[int, str]], *, sign: int) -> None:
    """Add (sign 1) or remove (sign -1) segments (id, msgid) in the feature index and its counts."""
    counts: dict[str, int] = {}
    rows = []
    for segment_id, msgid in segments:
        features = _features(msgid)
        for feature in features:
            counts[feature] = counts.get(feature, 0) + 1
        text = " ".join(sorted(features))
        rows.append(("delete", segment_id, text) if sign < 0 else (segment_id, text))
    if sign > 0:
        db.executemany("INSERT INTO segment_features (rowid, features) VALUES (?, ?)", rows)
    else:
        db.executemany("INSERT INTO segment_features (segment_features, rowid, features) VALUES (?, ?, ?)", rows)
    db.executemany(
        "INSERT INTO feature (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        ((term, sign * n) for term, n in counts.items()),
    )


def _mark_dropped(db: sqlite3.Connection, source_id: int) -> None:
    """Remove a source's translations, remembering their segments for `_drop_orphans`."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS dropped (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.dropped")
    db.execute("INSERT INTO temp.dropped SELECT segment_id FROM translation WHERE source_id=?", (source_id,))
    db.execute("DELETE FROM translation WHERE source_id=?", (source_id,))


def _drop_orphans(db: sqlite3.Connection) -> None:
    """Delete the dropped segments no translation refers to any more."""
    orphans = db.execute(
        "SELECT id, msgid FROM segment WHERE id IN (SELECT id FROM temp.dropped) "
        "AND NOT EXISTS (SELECT 1 FROM translation t WHERE t.segment_id = segment.id)"
    ).fetchall()
    _add_features(db, orphans, sign=-1)
    db.executemany("DELETE FROM segment WHERE id=?", ((i,) for i, _ in orphans))


def _statements(script: str) -> list[str]:
    """Split the schema into statements (trigger bodies hold semicolons)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and (not text.upper().startswith("CREATE TRIGGER") or text.endswith("END;")):
            statements.append(text)
            current = []
    return statements


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


# -- the memory at work in a merge ------------------------------------------


def apply_memory(po: polib.POFile, memory: TranslationMemory, *, threshold: float = 75.0) -> MemoryReport:
    """Fill untranslated entries of *po* from the memory: exact matches as translations, close ones fuzzy."""
    report = MemoryReport()
    for entry in po:
        if not entry.msgid or entry.obsolete or entry.msgstr or entry.msgid_plural:
            continue
        exact = memory.exact(entry.msgid, entry.msgctxt)
        if exact is not None:
            entry.msgstr = exact
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            report.exact += 1
            continue
        match = memory.fuzzy(entry.msgid, threshold=threshold)
        if match is None:
            continue
        entry.msgstr = match.msgstr
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        entry.previous_msgid = match.msgid
        note = f"{TM_MARK}{match.score:.0f}% match"
        set_note(entry, TM_MARK, note)
        report.fuzzy += 1
    return report


# -- exchange: PO (msgmerge --compendium) and TMX (translate-toolkit) ---------

DOMAINS_NOTE = "domains: "


def to_po(entries: Iterable[MemoryEntry], language: Language) -> polib.POFile:
    """The memory as a PO compendium: one reviewed entry per sentence, its domains as references."""
    po = new_catalogue(polib.POFile(), language)
    po.header = f"{language.english_name} translation memory: every reviewed translation of every article."
    po.metadata["Project-Id-Version"] = "translation memory"
    for entry in entries:
        po.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                occurrences=[(domain, "") for domain in entry.domains],
            )
        )
    return po


def from_po(po: polib.POFile) -> list[MemoryEntry]:
    """The reviewed entries of a PO file as memory entries (references' file names as domains)."""
    return [
        MemoryEntry(e.msgctxt, e.msgid, e.msgstr, tuple(sorted({f for f, _ in e.occurrences})))
        for e in reviewed_entries(po)
    ]


def to_tmx(memories: Iterable[tuple[str, Iterable[MemoryEntry]]], *, source_language: str) -> bytes:
    """TMX 1.4 of (language, entries) pairs: one unit per sentence and language (msgctxt as x-context)."""
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage=source_language)
    for code, entries in memories:
        for entry in entries:
            comment = DOMAINS_NOTE + " ".join(entry.domains) if entry.domains else None
            store.addtranslation(entry.msgid, source_language, entry.msgstr, code.replace("_", "-"), comment=comment, context=entry.msgctxt)
    return bytes(store)


def from_tmx(data: bytes, *, source_language: str) -> dict[str, list[MemoryEntry]]:
    """Entries by target language from TMX bytes (units whose source is *source_language*)."""
    from translate.misc.xml_helpers import getXMLlang
    from translate.storage.tmx import tmxfile

    from pipeline.gettext.languages import language

    try:
        store = tmxfile.parsestring(data)
    except Exception as exc:  # lxml raises its own XMLSyntaxError tree
        raise CatalogueError(f"not a readable TMX file ({exc}).") from None
    by_language: dict[str, list[MemoryEntry]] = {}
    wanted = source_language.replace("_", "-").lower()
    for unit in store.units:
        nodes = unit.getlanguageNodes()
        texts = [((getXMLlang(node) or "").replace("_", "-"), unit.getNodeText(node)) for node in nodes]
        source = next((text for lang, text in texts if lang.lower() == wanted or lang.lower().startswith(wanted + "-")), None)
        if not source:
            continue
        notes = unit.getnotes()
        domains = ()
        for line in notes.splitlines():
            if line.startswith(DOMAINS_NOTE):
                domains = tuple(sorted(line[len(DOMAINS_NOTE):].split()))
        context = unit.getcontext() or None
        for lang, text in texts:
            if not text or lang.lower() == wanted or lang.lower().startswith(wanted + "-"):
                continue
            code = language(lang).code
            by_language.setdefault(code, []).append(MemoryEntry(context, source, text, domains))
    return by_language


def merge_into_compendium(compendium: polib.POFile, entries: Iterable[MemoryEntry]) -> int:
    """Add or replace *entries* in a compendium (the imported translation wins); return how many changed."""
    index = {(e.msgctxt, e.msgid): e for e in compendium}
    changed = 0
    for entry in entries:
        stored = index.get((entry.msgctxt, entry.msgid))
        occurrences = [(d, "") for d in entry.domains]
        if stored is None:
            stored = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr, occurrences=occurrences)
            compendium.append(stored)
            index[(entry.msgctxt, entry.msgid)] = stored
            changed += 1
            continue
        union = sorted(set(stored.occurrences) | set(occurrences))
        if stored.msgstr != entry.msgstr or stored.fuzzy or union != stored.occurrences:
            stored.msgstr = entry.msgstr
            stored.flags = [f for f in stored.flags if f != "fuzzy"]
            stored.occurrences = union
            changed += 1
    return changed
