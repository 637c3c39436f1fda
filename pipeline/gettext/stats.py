"""Counts of a catalogue's progress, in entries and in source words."""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from pipeline.gettext.entries import is_translated
from pipeline.gettext.provenance import is_machine


_STATES = ("translated", "fuzzy_machine", "fuzzy_human", "untranslated", "obsolete")


def completeness(done: int, total: int) -> float:
    """*done* of *total* as a percentage rounded to one decimal; 100.0 when there is nothing to do.

    The one measure of "how complete" the pipeline shows: a catalogue's
    reviewed entries (`CatalogueStats.completeness`), a bundle's covered
    sentences, the review page's bars.
    """
    return round(100.0 * done / total, 1) if total else 100.0


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
        return completeness(self.translated.entries, self.total.entries)

    @classmethod
    def from_counts(cls, language: str, domain: str, counts: dict[str, dict[str, int]]) -> "CatalogueStats":
        """From the counts as stored by the result cache ({"translated": {"entries": n, "words": n}, ...})."""
        t, m, h, u, o = (counts[name] for name in _STATES)
        return cls(language, domain, Counts(t["entries"], t["words"]), Counts(m["entries"], m["words"]),
                   Counts(h["entries"], h["words"]), Counts(u["entries"], u["words"]), Counts(o["entries"], o["words"]))

    def as_dict(self) -> dict:
        # by hand, not dataclasses.asdict (a deep copy): status encodes thousands of rows
        data: dict = {"language": self.language, "domain": self.domain}
        for name in _STATES:
            counts = getattr(self, name)
            data[name] = {"entries": counts.entries, "words": counts.words}
        t, m, h, u = self.translated, self.fuzzy_machine, self.fuzzy_human, self.untranslated
        entries = t.entries + m.entries + h.entries + u.entries
        data["total"] = {"entries": entries, "words": t.words + m.words + h.words + u.words}
        data["completeness"] = completeness(t.entries, entries)
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


def language_totals(rows: list[tuple[CatalogueStats, int]]) -> list[tuple[CatalogueStats, int, int]]:
    """Sum per-catalogue rows by language: (stats with domain "", failed checks, number of catalogues), in first-seen order."""
    totals: dict[str, list] = {}
    for stats, failed in rows:
        item = totals.get(stats.language)
        if item is None:
            item = totals[stats.language] = [CatalogueStats(language=stats.language, domain=""), 0, 0]
        into = item[0]
        for name in _STATES:
            mine, theirs = getattr(into, name), getattr(stats, name)
            mine.entries += theirs.entries
            mine.words += theirs.words
        item[1] += failed
        item[2] += 1
    return [tuple(item) for item in totals.values()]


def status_items(rows: list[tuple[CatalogueStats, int]], *, by_language: bool = False) -> list[dict]:
    """The rows of `pipeline status --format json`: one per catalogue, or per language (`domain` null, `catalogues` n)."""
    if by_language:
        return [{**stats.as_dict(), "domain": None, "catalogues": count, "failed_checks": failed}
                for stats, failed, count in language_totals(rows)]
    return [{**stats.as_dict(), "failed_checks": failed} for stats, failed in rows]


def status_json(items: list[dict]) -> str:
    """JSON text of *items*, one per line (json's indenting encoder is pure Python: seconds on a year's archive)."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(item) for item in items) + "\n]" if items else "[]"
