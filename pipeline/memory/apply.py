"""The memory at work in a merge: fill a catalogue's untranslated entries from it."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.gettext.formats import format_problems
from pipeline.gettext.provenance import TM_MARK, set_note
from pipeline.memory.store import TranslationMemory


@dataclass
class MemoryReport:
    """What the memory answered in one catalogue."""

    exact: int = 0
    fuzzy: int = 0


def apply_memory(po: polib.POFile, memory: TranslationMemory, *, threshold: float = 75.0) -> MemoryReport:
    """Fill untranslated entries of *po* from the memory: exact matches as translations, close ones fuzzy.

    Exact is exact: the same msgid, character for character, in the same
    msgctxt. A sentence that differs only in white space, case or a
    newline is a fuzzy suggestion, given the leading and trailing newlines
    its msgid has (msgfmt -c requires them); one whose format directives
    cannot serve the entry's (see pipeline.gettext.formats) is not offered.
    """
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
        suggestion = with_newlines_of(entry.msgid, match.msgstr)
        if format_problems(entry.msgid, suggestion, entry.flags):
            continue
        entry.msgstr = suggestion
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        entry.previous_msgid = match.msgid
        note = f"{TM_MARK}{match.score:.0f}% match"
        set_note(entry, TM_MARK, note)
        report.fuzzy += 1
    return report


def with_newlines_of(msgid: str, msgstr: str) -> str:
    """*msgstr* beginning and ending with a newline exactly when *msgid* does (gettext's rule for a translation)."""
    if msgid.startswith("\n") and not msgstr.startswith("\n"):
        msgstr = "\n" + msgstr
    elif not msgid.startswith("\n") and msgstr.startswith("\n"):
        msgstr = msgstr.lstrip("\n")
    if msgid.endswith("\n") and not msgstr.endswith("\n"):
        msgstr += "\n"
    elif not msgid.endswith("\n") and msgstr.endswith("\n"):
        msgstr = msgstr.rstrip("\n")
    return msgstr
