"""Decide what one language's bundle of an article publishes: data to data, nothing written."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Sequence

import polib

from pipeline.article import Article, Block, fold
from pipeline.bundle.gate import gate_failures, translations
from pipeline.bundle.model import HeldBack, LanguageBundle
from pipeline.gettext.languages import Language
from pipeline.gettext.provenance import MT_MARK
from pipeline.gettext.stats import catalogue_stats
from pipeline.gettext.stats import completeness as percent

if TYPE_CHECKING:
    from pipeline.checks import Finding


def build_language(
    article: Article,
    po: polib.POFile,
    language: Language,
    *,
    findings: Sequence[Finding],
    threshold: float = 80.0,
    use_fuzzy: bool = False,
    publish_failing: bool = False,
    now: datetime | None = None,
    mt_failure: str | None = None,
) -> LanguageBundle:
    """Decide what *language*'s bundle of *article* publishes; write nothing.

    *findings* are the catalogue's QA findings (`checks.check_catalogue`,
    computed once by the caller): a usable translation with an error
    finding is held back (or published and recorded, with
    *publish_failing*); an error of the whole catalogue keeps the language
    out of the bundle.
    """
    from babel import Locale
    from babel.dates import format_date

    now = now or datetime.now(timezone.utc)
    usable = translations(po, use_fuzzy=use_fuzzy)
    held, catalogue_errors = gate_failures(findings, usable)
    published_failing: list[HeldBack] = []
    if publish_failing:
        published_failing, held = held, []
    published = {msgid: text for msgid, text in usable.items() if msgid not in {h.msgid for h in held}}
    needed = list(dict.fromkeys(s.msgid for s in article.segments))
    covered = sum(1 for msgid in needed if msgid in published)
    completeness = percent(covered, len(needed))
    fallback = [msgid for msgid in needed if msgid not in published]
    bundled = completeness >= threshold and not (catalogue_errors and not publish_failing)
    locale = Locale.parse(language.code)
    direction = locale.text_direction
    date = format_date(now.date(), format="long", locale=locale)
    if catalogue_errors and not publish_failing:
        reason = "the catalogue fails an error check: " + "; ".join(catalogue_errors)
    elif completeness < threshold:
        reason = f"{completeness}% translated, below the {threshold:g}% threshold"
    else:
        reason = None
    entry = {
        "code": language.code,
        "english_name": language.english_name,
        "native_name": language.native_name,
        "text_direction": direction,
        "date": date,
        **_counts(po, language.code, article.domain),
        "completeness": completeness,
        "bundled": bundled,
        "reason": reason,
        "files": {},
        "fallback_to_source": fallback if bundled else [],
        "held_back": [h.as_dict() for h in held],
        "published_failing": [h.as_dict() for h in published_failing],
        "catalogue_errors": catalogue_errors,
        "engine_notes": _engine_notes(po, published, mt_failure),
    }
    return LanguageBundle(
        article=article,
        language=language,
        published=published,
        structure=_structure(article, published, language.code, direction),
        mo=_compiled(po, published, use_fuzzy=use_fuzzy),
        date=date,
        text_direction=direction,
        bundled=bundled,
        completeness=completeness,
        fallback=fallback,
        held_back=held,
        published_failing=published_failing,
        manifest_entry=entry,
    )


def _counts(po: polib.POFile, code: str, domain: str) -> dict:
    """The manifest's catalogue counts: entries and words by state, and the catalogue's completeness."""
    stats = catalogue_stats(po, language=code, domain=domain)
    by_state = {
        "translated": vars(stats.translated),
        "fuzzy_machine": vars(stats.fuzzy_machine),
        "fuzzy_human": vars(stats.fuzzy_human),
        "untranslated": vars(stats.untranslated),
        "obsolete": vars(stats.obsolete),
        "total": vars(stats.total),
    }
    return {
        "entries": {k: v["entries"] for k, v in by_state.items()},
        "words": {k: v["words"] for k, v in by_state.items()},
        "catalogue_completeness": stats.completeness,
    }


def _engine_notes(po: polib.POFile, published: dict[str, str], mt_failure: str | None) -> list[str]:
    """The machine-translation notes of the published fuzzy entries, and why machine translation failed."""
    notes = sorted(
        {
            line[len(MT_MARK):]
            for e in po
            if e.msgid in published and e.fuzzy
            for line in e.tcomment.splitlines()
            if line.startswith(MT_MARK)
        }
    )
    if mt_failure:
        notes.append(f"machine translation failed: {mt_failure}")
    return notes


def _compiled(po: polib.POFile, published: dict[str, str], *, use_fuzzy: bool) -> bytes:
    """The catalogue as a `.mo` with exactly the published translations (msgfmt's output when none is held back)."""
    if not use_fuzzy and all(published.get(e.msgid) == e.msgstr for e in po if e.msgid and e.msgstr and not e.fuzzy and not e.obsolete):
        return po.to_binary()  # nothing held back: byte for byte what `pipeline compile` writes
    shipped = copy.deepcopy(po)
    for entry in shipped:
        if entry.msgid and not entry.obsolete:
            if entry.msgid in published:
                entry.msgstr = published[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            else:
                entry.msgstr = ""
    return shipped.to_binary()


def _block_text(article: Article, block: Block, published: dict[str, str]) -> str:
    """A block's translated sentences joined by the source's own separators, line breaks folded."""
    parts = []
    position = None
    for segment in block.segments:
        if position is not None:
            parts.append(fold(article.text[position : segment.start]) or "")
        parts.append(published.get(segment.msgid, segment.msgid))
        position = segment.end
    return "".join(parts)


def _structure(article: Article, published: dict[str, str], code: str, direction: str) -> dict:
    blocks = []
    for block in article.blocks:
        sentences = [
            {
                "source": s.msgid,
                "target": published.get(s.msgid, s.msgid),
                "translated": s.msgid in published,
            }
            for s in block.segments
        ]
        blocks.append(
            {
                "role": block.role,
                "line": block.line,
                "text": _block_text(article, block, published),
                "sentences": sentences,
                "caption_credit": block.caption_credit,
            }
        )
    headline = next((b for b in blocks if b["role"] == "headline"), None)
    return {
        "source": article.path,
        "language": code,
        "text_direction": direction,
        "headline": headline["text"] if headline else "",
        "blocks": blocks,
    }
