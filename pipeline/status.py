"""Counts of a catalogue's progress, in entries and in source words."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import polib

from .catalog import is_machine, is_translated


@dataclass
class Counts:
    """A number of entries and the source words they hold."""

    entries: int = 0
    words: int = 0

    def add(self, entry: polib.POEntry) -> None:
        self.entries += 1
        self.words += len(entry.msgid.split())


@dataclass
class CatalogueStats:
    """Where one catalogue stands."""

    language: str
    domain: str
    translated: Counts = field(default_factory=Counts)
    fuzzy_machine: Counts = field(default_factory=Counts)
    fuzzy_human: Counts = field(default_factory=Counts)
    untranslated: Counts = field(default_factory=Counts)
    obsolete: Counts = field(default_factory=Counts)

    @property
    def total(self) -> Counts:
        parts = (self.translated, self.fuzzy_machine, self.fuzzy_human, self.untranslated)
        return Counts(sum(p.entries for p in parts), sum(p.words for p in parts))

    @property
    def completeness(self) -> float:
        """Percentage of entries translated and reviewed (not fuzzy), as po4a counts it."""
        total = self.total.entries
        return round(100.0 * self.translated.entries / total, 1) if total else 100.0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["total"] = asdict(self.total)
        data["completeness"] = self.completeness
        return data


def catalogue_stats(po: polib.POFile, *, language: str, domain: str) -> CatalogueStats:
    """Count a catalogue's entries by state (header entry excluded), as `msgfmt --statistics` does.

    A plural entry counts once, and is translated when its first form is (gettext's test).
    """
    stats = CatalogueStats(language=language, domain=domain)
    for entry in po:
        if not entry.msgid and entry.msgctxt is None:
            continue
        if entry.obsolete:
            stats.obsolete.add(entry)
        elif not is_translated(entry):
            stats.untranslated.add(entry)
        elif entry.fuzzy:
            (stats.fuzzy_machine if is_machine(entry) else stats.fuzzy_human).add(entry)
        else:
            stats.translated.add(entry)
    return stats
