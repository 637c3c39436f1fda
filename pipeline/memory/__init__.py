"""Translation memory: every reviewed translation of a language, indexed in SQLite.

The memory is a **rebuildable cache** of the files git holds: each
language's catalogues (`locale/<lang>/LC_MESSAGES/*.po`) and its archive
`locale/<lang>/compendium.po` (translations kept beyond their articles; it
changes only when a translator imports into it). It lives in
`locale/.cache/memory-<lang>.sqlite`, is git-ignored, and
`pipeline memory rebuild` recreates it from those files.

Schema (one database per language, WAL, every change one transaction):

- ``source``: one row per indexed file, keyed by its path relative to the
  locale folder (`uk/LC_MESSAGES/article.po`, `uk/compendium.po`), with the
  size, mtime and SHA-256 it had when indexed. `refresh` stats every source
  and reads only those whose size or mtime changed (and parses only those
  whose hash then differs), as git's index does; a file modified within
  ``RACY_NS`` of being recorded is hashed again. A project moved, or copied
  with its times (`cp -a`), costs a stat per file; copied without them, a
  read and a hash per file, never a parse.
- ``segment``: one row per distinct source sentence, keyed by a hash of its
  exact text and its msgctxt (a sentence differing only in white space or
  case is another segment: the fuzzy lookup finds it, never the exact one),
  with its length; a contentless FTS5 table of its words and word pairs
  (one token each) is the candidate index, ``feature`` their document counts.
- ``translation``: (segment, source) → msgstr and the domains it occurs in.
  When sources disagree, a catalogue wins over the compendium, then the
  most recently modified file.

Exact lookup is one indexed query on the key. Fuzzy lookup scores
candidates with RapidFuzz's ``fuzz.ratio`` (``pipeline.memory.similar``'s measure,
so scores agree with merges): when the query's length window holds at most
``FULL_SCAN`` segments, all of them (the answer is exactly a full scan's);
otherwise the ``SHORTLIST`` segments sharing the most of the query's rarest
words and word pairs (looked up in the FTS5 index, rarest first within a
budget of ``POSTINGS``). Nothing is held in RAM but the query's candidates.

Modules: :mod:`~pipeline.memory.files` (where it lives, what it is built
from), :mod:`~pipeline.memory.tables` (the schema and its consistent
writes), :mod:`~pipeline.memory.store` (:class:`TranslationMemory`: refresh
and lookups), :mod:`~pipeline.memory.apply` (filling a catalogue),
:mod:`~pipeline.memory.exchange` (PO compendium, TMX) and
:mod:`~pipeline.memory.similar` (the in-memory fuzzy index of merges).
Every public name is importable from this package.
"""

from pipeline.memory.apply import MemoryReport, apply_memory
from pipeline.memory.exchange import DOMAINS_NOTE, from_po, from_tmx, merge_into_compendium, to_po, to_tmx
from pipeline.memory.files import CACHE_DIR, COMPENDIUM, RACY_NS, cache_dir, compendium_path, memory_path, memory_sources, reviewed_entries, stat_many
from pipeline.memory.store import FULL_SCAN, OPTIMIZE_AFTER, POSTINGS, RARE_TERMS, SHORTLIST, Match, MemoryEntry, RefreshReport, TranslationMemory
from pipeline.memory.tables import SCHEMA_VERSION, normalise, segment_key

__all__ = [
    "CACHE_DIR", "COMPENDIUM", "DOMAINS_NOTE", "FULL_SCAN", "OPTIMIZE_AFTER", "POSTINGS", "RACY_NS", "RARE_TERMS", "SCHEMA_VERSION", "SHORTLIST",
    "Match", "MemoryEntry", "MemoryReport", "RefreshReport", "TranslationMemory",
    "apply_memory", "cache_dir", "compendium_path", "from_po", "from_tmx", "memory_path", "memory_sources",
    "merge_into_compendium", "normalise", "reviewed_entries", "segment_key", "stat_many", "to_po", "to_tmx",
]  # fmt: skip
