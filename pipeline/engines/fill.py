"""Fill the untranslated entries of catalogues with an engine's suggestions.

Every suggestion is written `fuzzy` with a translator comment naming its
origin and the digest of what the engine wrote (`# machine output sha256:`),
so gettext ignores it until a translator reviews it. A machine never
overwrites a person: an engine replaces an earlier suggestion (pseudo
output, or with `--refresh-mt`) only when its digest proves nobody changed
it; an edited one stays, still fuzzy, and is counted as left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import polib

from pipeline.gettext.provenance import DIGEST_MARK, MT_MARK, REVIEW_MARK, engine_wrote, is_machine, output_digest, set_note
from pipeline.engines import Engine, produces_translations, provenance_line
from pipeline.errors import TranslationInterrupted
from pipeline.article.protect import mask, unmask


@dataclass
class TranslateResult:
    """What one language's machine translation did."""

    language: str
    sentences: int = 0  # distinct sentences sent to the engine
    entries: int = 0  # catalogue entries filled
    flagged: list[str] = field(default_factory=list)  # msgids whose protected spans were lost
    left_alone: int = 0  # earlier machine suggestions a person edited: not replaced


def pending_entries(po: polib.POFile, *, refresh_mt: bool = False, replace_placeholders: bool = True) -> list[polib.POEntry]:
    """Entries that need a machine suggestion: untranslated, or (on request) earlier MT.

    With *replace_placeholders* (an engine that translates), unreviewed
    pseudo-localisation output counts as untranslated: it only stood in for a
    translation. Human translations are never pending.
    """
    from pipeline.engines import is_placeholder

    pending = []
    for entry in po:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue  # plural entries are left to translators: one sentence cannot fill every form
        if not entry.msgstr or (_replaceable(entry, refresh_mt, replace_placeholders) and engine_wrote(entry)):
            pending.append(entry)
    return pending


def edited_suggestions(po: polib.POFile, *, refresh_mt: bool = False, replace_placeholders: bool = True) -> list[polib.POEntry]:
    """Suggestions an engine would replace but a person has changed since it wrote them: left alone."""
    from pipeline.engines import is_placeholder  # noqa: F401 (the registry is loaded)

    return [
        entry for entry in po
        if not entry.obsolete and entry.msgid and not entry.msgid_plural and entry.msgstr
        and _replaceable(entry, refresh_mt, replace_placeholders) and not engine_wrote(entry)
    ]


def _replaceable(entry: polib.POEntry, refresh_mt: bool, replace_placeholders: bool) -> bool:
    """An unreviewed machine suggestion this run's engine would redo (proof of authorship aside)."""
    from pipeline.engines import is_placeholder

    return (refresh_mt and is_machine(entry)) or (replace_placeholders and is_placeholder(entry))


@dataclass
class PendingSentences:
    """One language pair's pending sentences, de-duplicated and masked: what an executor ships.

    `texts` is all an engine sees (plain strings, picklable); the entries
    stay with the driver, which alone writes them (:func:`apply_outputs`).
    """

    source: str
    target: str
    entries: dict[str, list[polib.POEntry]] = field(default_factory=dict)  # msgid -> the entries it fills
    masked: list[tuple[str, tuple]] = field(default_factory=list)  # per msgid, in order: (masked text, originals)

    @property
    def msgids(self) -> list[str]:
        return list(self.entries)

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.masked]

    def __len__(self) -> int:
        return len(self.entries)


def pending_sentences(
    catalogues: list[polib.POFile], *, source: str, target: str, replace_placeholders: bool = True, refresh_mt: bool = False
) -> PendingSentences:
    """Collect the pending sentences of *catalogues* (one language), de-duplicated across them and masked.

    Reads only: nothing is changed until :func:`apply_outputs`.
    """
    pending = PendingSentences(source, target)
    for po in catalogues:
        for entry in pending_entries(po, refresh_mt=refresh_mt, replace_placeholders=replace_placeholders):
            pending.entries.setdefault(entry.msgid, []).append(entry)
    pending.masked = [mask(msgid) for msgid in pending.entries]
    return pending


def apply_outputs(
    pending: PendingSentences, outputs: list[str | None], *, origin: str, result: TranslateResult | None = None
) -> TranslateResult:
    """Write each engine output into its entries, fuzzy, with its *origin* note; None = not translated.

    *outputs* are the engine's (masked) outputs, one per pending sentence in
    order; masks are restored here, and a lost one flags the entry for review.
    """
    result = result if result is not None else TranslateResult(language=pending.target)
    _apply(result, pending.entries, pending.msgids, pending.masked, outputs, origin)
    return result


def fill_catalogues(
    catalogues: list[polib.POFile],
    engine: Engine,
    *,
    source: str,
    target: str,
    refresh_mt: bool = False,
    progress: Callable[[int], None] | None = None,
) -> TranslateResult:
    """Translate what is missing in all *catalogues* of one language, in one batch.

    Sentences are de-duplicated across catalogues; verbatim spans are masked
    on the way in and restored on the way out. The three steps
    (:func:`pending_sentences`, the engine, :func:`apply_outputs`) are public,
    so an executor can run the middle one elsewhere.
    """
    result = TranslateResult(language=target)
    replace = produces_translations(getattr(engine, "name", ""))
    pending = pending_sentences(catalogues, source=source, target=target, replace_placeholders=replace, refresh_mt=refresh_mt)
    if not pending:
        return result
    origin = MT_MARK + provenance_line(engine, source, target)
    try:
        outputs = engine.translate_batch(pending.texts, source=source, target=target, progress=progress)
    except TranslationInterrupted as stop:
        apply_outputs(pending, stop.partial, origin=origin, result=result)
        raise
    return apply_outputs(pending, outputs, origin=origin, result=result)


def _apply(result, by_msgid, msgids, masked, outputs, origin) -> None:
    """Write each finished output into its entries, fuzzy, with its origin (None = not finished)."""
    for msgid, (_, originals), output in zip(msgids, masked, outputs):
        if output is None:
            continue
        text, lost = unmask(output, originals)
        notes = [origin, DIGEST_MARK + output_digest(text)]
        if lost:
            result.flagged.append(msgid)
            notes.append(REVIEW_MARK + "the engine dropped " + ", ".join(lost) + "; restore them")
        for entry in by_msgid[msgid]:
            entry.msgstr = text
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            set_note(entry, (MT_MARK, DIGEST_MARK, REVIEW_MARK), *notes)
            result.entries += 1
        result.sentences += 1
