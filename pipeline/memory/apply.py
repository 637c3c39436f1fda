"""The memory at work in a merge: fill a catalogue's untranslated entries from it."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.gettext.provenance import TM_MARK, set_note
from pipeline.memory.store import TranslationMemory


@dataclass
class MemoryReport:
    """What the memory answered in one catalogue."""

    exact: int = 0
    fuzzy: int = 0


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
