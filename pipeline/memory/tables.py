"""The memory's SQLite tables, and the writes that keep them consistent.

See :mod:`pipeline.memory` for what each table holds. Every change runs in
one transaction (:func:`transaction`); the feature index (FTS5) and its
document counts are changed together by :func:`add_features`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from contextlib import contextmanager
from typing import Iterator

from pipeline.memory.similar import word_features

SCHEMA_VERSION = "4"  # 3: sources keyed relative to the locale folder; casefolded features; 4: exact keys


def normalise(text: str) -> str:
    """A sentence with NFC and white space collapsed: equal forms are close, never the same (see segment_key)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def segment_key(msgid: str, msgctxt: str | None = None) -> bytes:
    """The exact-lookup key of a sentence: its very text and msgctxt (None and "" differ, as in gettext).

    Not normalised: `done.` and `done.\\n`, or `%s` and `  %s`, are different
    messages to gettext (msgfmt -c refuses a translation whose leading or
    trailing newline differs), so one's translation is never the other's
    reviewed answer; the fuzzy lookup offers it.
    """
    context = "\x00" if msgctxt is None else "\x01" + msgctxt
    return hashlib.sha256(f"{context}\x04{msgid}".encode("utf-8", "surrogatepass")).digest()[:16]


SCHEMA = """
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

# The winning translation of a segment: a catalogue's over the archive's (compendium.po),
# then the most recently modified file's.
WINNER = """
SELECT t.msgstr FROM translation t JOIN source f ON f.id = t.source_id
WHERE t.segment_id = ? ORDER BY f.archive, f.mtime_ns DESC, f.path LIMIT 1
"""


def add_length_index(db: sqlite3.Connection) -> None:
    """Give a memory indexed by an earlier release its (id, length) index (tens of ms per 100,000 sentences).

    Only an optimisation: when it cannot be written (a read-only cache, a
    writer holding the lock past the timeout) the memory is used without it.
    """
    try:
        with transaction(db):
            db.execute("CREATE INDEX IF NOT EXISTS segment_id_length ON segment (id, length)")
    except sqlite3.OperationalError:
        if db.in_transaction:
            db.execute("ROLLBACK")


def add_features(db: sqlite3.Connection, segments: list[tuple[int, str]], *, sign: int) -> None:
    """Add (sign 1) or remove (sign -1) segments (id, msgid) in the feature index and its counts.

    A pair of words is one FTS5 token (`a_b`: the table's tokenizer keeps `_`
    inside tokens), so rare pairs rank near-duplicates first.
    """
    counts: dict[str, int] = {}
    rows = []
    for segment_id, msgid in segments:
        features = word_features(msgid)
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


def mark_dropped(db: sqlite3.Connection, source_id: int) -> None:
    """Remove a source's translations, remembering their segments for `drop_orphans`."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS dropped (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.dropped")
    db.execute("INSERT INTO temp.dropped SELECT segment_id FROM translation WHERE source_id=?", (source_id,))
    db.execute("DELETE FROM translation WHERE source_id=?", (source_id,))


def drop_orphans(db: sqlite3.Connection) -> None:
    """Delete the dropped segments no translation refers to any more."""
    orphans = db.execute(
        "SELECT id, msgid FROM segment WHERE id IN (SELECT id FROM temp.dropped) "
        "AND NOT EXISTS (SELECT 1 FROM translation t WHERE t.segment_id = segment.id)"
    ).fetchall()
    add_features(db, orphans, sign=-1)
    db.executemany("DELETE FROM segment WHERE id=?", ((i,) for i, _ in orphans))


def statements(script: str) -> list[str]:
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
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
