"""Translation memory: a per-language compendium of reviewed translations.

Every reviewed (non-fuzzy) translation of every domain is kept in
`locale/<lang>/compendium.po`, a plain PO file in the spirit of
`msgmerge --compendium` (a translator can open it, and GNU tools can use it).
New sentences are answered from it before any engine runs: an exact match
becomes the translation (reviewed, so not fuzzy); a close match becomes a
fuzzy suggestion with its score and source sentence in a comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from .catalog import TM_MARK, SimilarEntries, new_catalogue, read_catalogue
from .languages import Language

COMPENDIUM = "compendium.po"


@dataclass
class MemoryReport:
    """What the memory answered in one catalogue."""

    exact: int = 0
    fuzzy: int = 0


def memory_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / COMPENDIUM


def load_memory(path: Path, language: Language) -> polib.POFile:
    """The compendium at *path*, or an empty one."""
    if path.exists():
        return read_catalogue(path, language=language)
    memory = new_catalogue(polib.POFile(), language)
    memory.header = f"{language.english_name} translation memory: every reviewed translation of every article."
    memory.metadata["Project-Id-Version"] = "translation memory"
    return memory


def remember(memory: polib.POFile, catalogues: list[tuple[str, polib.POFile]]) -> int:
    """Add or update every reviewed translation of *catalogues* (domain, po); return how many changed."""
    index = {(e.msgctxt, e.msgid): e for e in memory}
    changed = 0
    for domain, po in catalogues:
        for entry in po:
            if not entry.msgid or entry.obsolete or entry.fuzzy or not entry.msgstr or entry.msgid_plural:
                continue
            stored = index.get((entry.msgctxt, entry.msgid))
            if stored is None:
                stored = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr=entry.msgstr)
                memory.append(stored)
                index[(entry.msgctxt, entry.msgid)] = stored
                changed += 1
            elif stored.msgstr != entry.msgstr:
                stored.msgstr = entry.msgstr
                changed += 1
            if (domain, "") not in stored.occurrences:
                stored.occurrences.append((domain, ""))
                stored.occurrences.sort()
    return changed


def apply_memory(po: polib.POFile, memory: polib.POFile, *, threshold: float = 75.0) -> MemoryReport:
    """Fill untranslated entries of *po* from the memory: exact matches as translations, close ones fuzzy."""
    report = MemoryReport()
    known = {(e.msgctxt, e.msgid): e for e in memory if e.msgstr and not e.fuzzy}
    index = None
    for entry in po:
        if not entry.msgid or entry.obsolete or entry.msgstr or entry.msgid_plural:
            continue
        exact = known.get((entry.msgctxt, entry.msgid))
        if exact is not None:
            entry.msgstr = exact.msgstr
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            report.exact += 1
            continue
        if index is None:
            index = SimilarEntries(list(known.values()), threshold=threshold)
        match = index.best(entry.msgid)
        if match is None:
            continue
        score = _score(entry.msgid, match.msgid)
        entry.msgstr = match.msgstr
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        entry.previous_msgid = match.msgid
        note = f"{TM_MARK}{score:.0f}% match"
        entry.tcomment = "\n".join([note] + [l for l in (entry.tcomment.split("\n") if entry.tcomment else []) if not l.startswith(TM_MARK)])
        report.fuzzy += 1
    return report


def _score(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)

