"""Decide what one language's bundle of an article publishes: data to data, nothing written."""

from __future__ import annotations

import copy
from datetime import date as Date
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
    threshold: float = 100.0,
    use_fuzzy: bool = False,
    publish_failing: bool = False,
    story_date: str | None = None,
    mt_failure: str | None = None,
    caption_credit_prefix: str | None = None,
) -> LanguageBundle:
    """Decide what *language*'s bundle of *article* publishes, and in which state; write nothing.

    The publishing policy: the language is **published** when *threshold* %
    of the article's sentences (100 by default: every one) have a reviewed
    translation (fuzzy too with *use_fuzzy*) that passes the gate. Otherwise
    it is a **preview** (waiting for translators or reviewers), or **held
    back** when a translation or the catalogue fails an error check.
    *findings* are the catalogue's QA findings (`checks.check_catalogue`,
    computed once by the caller): a usable translation with an error
    finding is held back (or published and recorded, with
    *publish_failing*). *story_date* (ISO, from the article or its
    settings) is formatted for the language by Babel; None: no date.
    """
    from babel import Locale
    from babel.dates import format_date

    story_date = story_date or article.date
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
    held_ids = {h.msgid for h in held}
    state, reason = _state(
        needed, po, published, held_ids, catalogue_errors if not publish_failing else [],
        completeness=completeness, threshold=threshold, use_fuzzy=use_fuzzy,
    )
    bundled = state == PUBLISHED
    locale = Locale.parse(language.code)
    direction = locale.text_direction
    date = format_date(Date.fromisoformat(story_date), format="long", locale=locale) if story_date else None
    entry = {
        "code": language.code,
        "english_name": language.english_name,
        "native_name": language.native_name,
        "state": state,
        "text_direction": direction,
        "date": date,
        **_counts(po, language.code, article.domain),
        "completeness": completeness,
        "bundled": bundled,
        "reason": reason,
        "use_fuzzy": use_fuzzy,  # whether unreviewed (fuzzy) translations counted
        "files": {},
        "fallback_to_source": fallback,
        "held_back": [h.as_dict() for h in held],
        "published_failing": [h.as_dict() for h in published_failing],
        "catalogue_errors": catalogue_errors,
        "engine_notes": _engine_notes(po, published, mt_failure),
        "source_sha256": article.sha256,  # the article this language was built from (a scoped run keeps it)
    }
    return LanguageBundle(
        article=article,
        language=language,
        published=published,
        structure=_structure(article, published, language.code, direction, draft=not bundled, date=story_date,
                             credit_prefix=caption_credit_prefix),
        mo=_compiled(po, published, use_fuzzy=use_fuzzy, draft=not bundled),
        date=date,
        state=state,
        text_direction=direction,
        bundled=bundled,
        completeness=completeness,
        fallback=fallback,
        held_back=held,
        published_failing=published_failing,
        manifest_entry=entry,
    )


PUBLISHED, PREVIEW, HELD_BACK, FAILED = "published", "preview", "held back", "failed"
STATES = (PUBLISHED, PREVIEW, HELD_BACK, FAILED)
"""A language's one state in the manifest, the console and the review page (`failed`: its catalogue cannot be used)."""

DRAFT_NOTICE = "DRAFT, NOT FOR PUBLICATION"
"""How every format of a preview is marked."""


def policy_words(threshold: float, *, use_fuzzy: bool, publish_failing: bool) -> str:
    """The publishing policy in the newsroom's words, as the manifest records it."""
    which = "a translation (reviewed or not)" if use_fuzzy else "a reviewed translation"
    gate = "" if publish_failing else " that passes the checks"
    if threshold >= 100:
        return f"published only when every sentence has {which}{gate}"
    return f"published when at least {threshold:g}% of the sentences have {which}{gate}; the others are printed in the source language"


def _state(needed, po, published, held_ids, catalogue_errors, *, completeness, threshold, use_fuzzy) -> tuple[str, str | None]:
    """(state, reason in words) for one language: published, preview or held back."""
    from pipeline.wording import counted

    if catalogue_errors:
        return HELD_BACK, "the catalogue fails an error check: " + "; ".join(catalogue_errors)
    if completeness >= threshold:
        return PUBLISHED, None
    entries = {e.msgid: e for e in po if e.msgid and not e.obsolete}
    failing = [m for m in needed if m in held_ids]
    if failing:
        return HELD_BACK, f"{counted(len(failing), 'translation fails', 'translations fail')} an error check (see held_back)"
    from pipeline.engines import is_placeholder

    # pseudo-localisation stands in for a translation: its sentence waits for a translator, not a reviewer
    unreviewed = [
        m for m in needed
        if m not in published and m in entries and entries[m].msgstr and entries[m].fuzzy and not use_fuzzy and not is_placeholder(entries[m])
    ]
    missing = [m for m in needed if m not in published and m not in unreviewed]
    parts = []
    if missing:
        parts.append(f"{counted(len(missing), 'sentence has', 'sentences have')} no translation")
    if unreviewed:
        parts.append(f"{counted(len(unreviewed), 'translation is', 'translations are')} not reviewed")
    waiting = "translators" if missing else "reviewers"
    if missing and unreviewed:
        waiting = "translators and reviewers"
    return PREVIEW, f"waiting for {waiting}: " + " and ".join(parts) + f" ({completeness}% ready)"


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


def _compiled(po: polib.POFile, published: dict[str, str], *, use_fuzzy: bool, draft: bool = False) -> bytes:
    """The catalogue as a `.mo` with exactly the published translations (msgfmt's output when none is held back).

    A preview's catalogue says so in its header (`X-Pipeline-Status`).
    """
    if draft:
        shipped = copy.deepcopy(po)
        shipped.metadata["X-Pipeline-Status"] = DRAFT_NOTICE.lower().capitalize()
        return _compiled(shipped, published, use_fuzzy=True)
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


def _structure(
    article: Article, published: dict[str, str], code: str, direction: str, *, draft: bool = False,
    date: str | None = None, credit_prefix: str | None = None,
) -> dict:
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
                "caption_credit": _credit(block.caption_credit, credit_prefix),
            }
        )
    headline = next((b for b in blocks if b["role"] == "headline"), None)
    structure = {
        "source": article.path,
        "language": code,
        "text_direction": direction,
        "date": date,
        "headline": headline["text"] if headline else "",
        "blocks": blocks,
    }
    if draft:
        structure = {"draft": DRAFT_NOTICE, **structure}
    return structure


def _credit(credit: str | None, prefix: str | None) -> str | None:
    """A caption credit with its first word in the language's convention (`Photo:` → `Fot.`), when one is set.

    Only a leading word followed by `:` (or `by`) inside the parentheses is
    replaced; the name and agency are never touched.
    """
    import re

    if not credit or not prefix:
        return credit
    return re.sub(r"^(\(\s*)(?:photo|picture|image)(?:\s*:|\s+by)\s*", lambda m: m.group(1) + prefix + " ", credit, count=1, flags=re.I)
