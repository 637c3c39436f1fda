"""Merge a template into a catalogue, as `msgmerge --previous` does.

An entry whose msgctxt + msgid is still in the template keeps its
translation (every plural form), translator comments and translator flags,
and takes references, extracted comments and format flags from the template;
a new sentence gets the closest translated entry of the old catalogue as
`fuzzy`, with that entry's source as `#|` lines; vanished entries become
obsolete (`#~`) and come back, translation and all, when their sentence
returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polib

from pipeline.gettext.catalogue import Catalogue, new_catalogue
from pipeline.gettext.entries import is_translated, new_entry
from pipeline.gettext.languages import Language
from pipeline.runtime.executors import get_executor


@dataclass
class MergeReport:
    """What one merge did to a catalogue (entries, a plural entry counting once)."""

    kept: int = 0  # live entries still in the template, translation (if any) kept
    fuzzy_matched: int = 0  # new sentences given a close translation, marked fuzzy
    new: int = 0  # new sentences without any suggestion
    revived: int = 0  # obsolete entries whose sentence came back
    obsoleted: int = 0  # translated live entries whose sentence vanished, now obsolete
    purged: int = 0  # obsolete entries dropped (purge_obsolete)




# Flags that describe the source string, so come from the template
# (msgmerge: `is_format`, `range`, `do_wrap`); every other flag is the translator's.
_TEMPLATE_FLAG = re.compile(r"(?:(?:no|possible|impossible)-)?[a-z][a-z-]*-format|range:.*|(?:no-)?wrap")


def template_flags(flags: list[str]) -> list[str]:
    """The flags of *flags* that describe the source string (format, range, wrapping)."""
    return [flag for flag in flags if _TEMPLATE_FLAG.fullmatch(flag)]


def translator_flags(flags: list[str]) -> list[str]:
    """The flags of *flags* a translator set (fuzzy, the pipeline's no-check-*)."""
    return [flag for flag in flags if not _TEMPLATE_FLAG.fullmatch(flag)]



def merge(
    pot: polib.POFile,
    po: polib.POFile | Catalogue | None,
    language: Language,
    *,
    fuzzy_threshold: float = 60.0,
    purge_obsolete: bool = False,
) -> tuple[polib.POFile, MergeReport]:
    """Merge a template into a catalogue like `msgmerge --previous`, never losing a translation.

    Where this differs from msgmerge (see the README): an old entry used as a
    fuzzy suggestion still becomes obsolete when its sentence vanished (msgmerge
    drops it); flags gettext does not know (no-check-*) are the translator's
    and kept; the header's Language is the catalogue's folder.
    """
    if isinstance(po, Catalogue):
        po = po.po
    report = MergeReport()
    result = _merged_header(pot, po, language)
    nplurals = _nplurals(result.metadata.get("Plural-Forms", ""), default=_nplurals(language.plural_forms, default=2))
    old = {(e.msgctxt, e.msgid): e for e in (po or [])}
    wanted = {(e.msgctxt, e.msgid) for e in pot if not e.obsolete}
    # msgmerge offers every translated entry of the old catalogue, obsolete ones included.
    matcher = SimilarEntries([e for e in (po or []) if is_translated(e)], threshold=fuzzy_threshold)
    templates = [t for t in pot if not t.obsolete]
    unmatched = [(t.msgid, t.msgctxt) for t in templates if (t.msgctxt, t.msgid) not in old]
    suggestions = dict(zip(unmatched, matcher.best_many(unmatched)))

    for template in templates:
        entry = new_entry(
            msgid=template.msgid,
            msgctxt=template.msgctxt,
            msgid_plural=template.msgid_plural,
            occurrences=list(template.occurrences),
            comment=template.comment,
            flags=template_flags(template.flags) if template.flags else [],
        )
        if template.msgid_plural:
            entry.msgstr_plural = {index: "" for index in range(nplurals)}
        previous = old.get((template.msgctxt, template.msgid))
        if previous is not None:
            changed_form = bool(template.msgid_plural) != bool(previous.msgid_plural) or (
                template.msgid_plural and previous.msgid_plural != template.msgid_plural
            )
            _take_translation(entry, previous, nplurals, fuzzy=changed_form)
            if previous.obsolete:
                report.revived += 1
            else:
                report.kept += 1
        else:
            match = suggestions[(template.msgid, template.msgctxt)]
            if match is not None:
                _take_translation(entry, match, nplurals, fuzzy=True)
                report.fuzzy_matched += 1
            else:
                report.new += 1
        result.append(entry)

    for key, previous in old.items():
        if key in wanted or not is_translated(previous):
            continue
        if purge_obsolete:
            report.purged += 1
            continue
        if not previous.obsolete:
            report.obsoleted += 1
        result.append(_obsolete(previous))
    return result, report


def _merged_header(pot: polib.POFile, po: polib.POFile | None, language: Language) -> polib.POFile:
    """An empty catalogue with the merged header: the catalogue's own, the template's date and version."""
    result = new_catalogue(pot, language)
    if po is not None:
        result.header = po.header
        result.metadata_is_fuzzy = po.metadata_is_fuzzy
        result.metadata = dict(po.metadata)
        for key in ("POT-Creation-Date", "Project-Id-Version"):
            if key in pot.metadata:
                result.metadata[key] = pot.metadata[key]
        # The header is the translator's: msgmerge never rewrites Plural-Forms
        # (the file's rule numbers its translations' forms).
        for key, value in (("Language", language.code), ("Plural-Forms", language.plural_forms)):
            if not result.metadata.get(key, "").strip():
                result.metadata[key] = value
    return result


def _obsolete(previous: polib.POEntry) -> polib.POEntry:
    """*previous* as an obsolete entry: its translation and translator's notes, no references."""
    return polib.POEntry(
        msgid=previous.msgid,
        msgctxt=previous.msgctxt,
        msgid_plural=previous.msgid_plural,
        msgstr=previous.msgstr,
        msgstr_plural=dict(previous.msgstr_plural),
        tcomment=previous.tcomment,
        flags=list(previous.flags),
        previous_msgctxt=previous.previous_msgctxt,
        previous_msgid=previous.previous_msgid,
        previous_msgid_plural=previous.previous_msgid_plural,
        obsolete=True,
    )


def _take_translation(entry: polib.POEntry, source: polib.POEntry, nplurals: int, *, fuzzy: bool) -> None:
    """Give *entry* the translation, translator comments and translator flags of *source*.

    As msgmerge: a singular translation for a plural entry fills every form;
    a plural one for a singular entry gives its first form; either way, or
    when *fuzzy*, the entry is fuzzy with *source*'s own strings as the
    previous ones (unless *source* was already fuzzy: then its previous ones).
    """
    if entry.msgid_plural:
        if source.msgid_plural:
            entry.msgstr_plural = dict(source.msgstr_plural)
        else:
            entry.msgstr_plural = {index: source.msgstr for index in range(nplurals)}
    else:
        entry.msgstr = source.msgstr_plural.get(min(source.msgstr_plural), "") if source.msgid_plural else source.msgstr
    entry.tcomment = source.tcomment
    own = translator_flags(source.flags)
    if fuzzy and "fuzzy" not in own:
        own.append("fuzzy")
    entry.flags = [*own, *entry.flags]
    if fuzzy and not source.fuzzy:
        entry.previous_msgctxt, entry.previous_msgid = source.msgctxt, source.msgid
        entry.previous_msgid_plural = source.msgid_plural or None
    else:
        entry.previous_msgctxt = source.previous_msgctxt
        entry.previous_msgid = source.previous_msgid
        entry.previous_msgid_plural = source.previous_msgid_plural


def _nplurals(plural_forms: str, *, default: int) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms or "")
    return int(found[1]) if found and int(found[1]) > 0 else default


# msgmerge compares a new msgid with every old one its length allows: so do we (RapidFuzz's
# scan of a length window is C++; a word shortlist lost 16 % of msgmerge's suggestions
# on git's 6,322-message catalogues, bench/merge_real.py).
EXACT = 1 << 62


class SimilarEntries:
    """Finds the entry whose msgid is most similar to a sentence (msgmerge's measure, 0-100).

    As msgmerge, an entry of another context scores 1 % less.
    """

    def __init__(self, entries: list[polib.POEntry], *, threshold: float):
        self.entries = entries
        self.threshold = threshold
        self._index = None
        self._by_context: dict[str | None, tuple[list[int], object] | None] = {}

    @property
    def index(self):
        """The index over every entry, built on the first question (a merge with no new sentence asks none)."""
        if self._index is None:
            from pipeline.memory.similar import FuzzyIndex

            self._index = FuzzyIndex([e.msgid for e in self.entries], full_scan=EXACT, ngram_ties=True)
        return self._index

    def best(self, msgid: str, *, msgctxt: str | None = None) -> polib.POEntry | None:
        found = self._best_position(msgid, msgctxt)
        return self.entries[found] if found is not None else None

    def best_many(self, questions: list[tuple[str, str | None]]) -> list[polib.POEntry | None]:
        """`best` for each (msgid, msgctxt) of *questions*, on two cores when there are many."""
        if not self.entries or not questions:
            return [None] * len(questions)
        self.index  # built once, before a second process shares the questions
        found = get_executor("halves", minimum=200).map(lambda question: self._best_position(*question), questions)
        return [self.entries[position] if position is not None else None for position in found]

    def _best_position(self, msgid: str, msgctxt: str | None) -> int | None:
        """Position in `entries` of the best match, or None."""
        if not self.entries:
            return None
        found = self.index.best(msgid, threshold=self.threshold)
        if found is None:
            return None
        if self.entries[found].msgctxt == msgctxt:
            return found
        penalised = self.index.score(msgid, found) * 0.99
        same = self._same_context(msgctxt)
        if same is not None:
            positions, index = same
            better = index.best(msgid, threshold=max(self.threshold, penalised))
            if better is not None:
                return positions[better]
        return found if penalised >= self.threshold else None

    def _same_context(self, msgctxt: str | None):
        from pipeline.memory.similar import FuzzyIndex

        if msgctxt not in self._by_context:
            positions = [i for i, e in enumerate(self.entries) if e.msgctxt == msgctxt]
            self._by_context[msgctxt] = (positions, FuzzyIndex([self.entries[i].msgid for i in positions], full_scan=EXACT, ngram_ties=True)) if positions else None
        return self._by_context[msgctxt]
