"""`pipeline roundtrip`: the identity round trip, and back-translation scored with chrF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pipeline import article as article_mod
from pipeline.engines import Engine
from pipeline.gettext.provenance import BACK_MARK, set_note
from pipeline.gettext.template import build_template
from pipeline.settings import Settings
from pipeline.article.source import read_bounded
from pipeline.workflow.discovery import load_articles, reference
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.translation import translation_jobs


@dataclass
class RoundtripResult:
    source: str
    identical: bool
    size: int
    first_difference: int | None = None


@dataclass
class BackTranslation:
    """One sentence translated back into the source language, scored against it."""

    language: str
    domain: str
    msgid: str
    msgstr: str
    back: str
    chrf: float




@writes_catalogues
def back_translate(
    settings: Settings,
    engine: Engine | None = None,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None] | None] | None = None,
) -> list[BackTranslation]:
    """Translate every translation back to the source language, score it with chrF, note it in the entry.

    Returns the scored sentences, weakest first. Translations and flags are
    never changed; only the `back-translation chrF:` comment line is. Without
    *engine*, the configured one is built from *settings*.
    """
    from sacrebleu.metrics import CHRF

    from pipeline.engines import engine_from_settings

    engine = engine or engine_from_settings(settings)
    chrf = CHRF()
    results = []
    for job in translation_jobs(settings, languages=languages, domains=domains):
        entries = [(p, e) for p, po in zip(job.paths, job.catalogues) for e in po if e.msgstr and not e.obsolete and e.msgid]
        targets = list(dict.fromkeys(e.msgstr for _, e in entries))
        if not targets:
            continue
        callback = progress(job.language, len(targets)) if progress else None
        backs = dict(zip(targets, engine.translate_batch(targets, source=job.language, target=settings.source_language, progress=callback)))
        for path, entry in entries:
            back = backs[entry.msgstr]
            score = round(chrf.sentence_score(back, [entry.msgid]).score, 1)
            set_note(entry, BACK_MARK, f"{BACK_MARK}{score} ({back[:60]}{'…' if len(back) > 60 else ''})", first=False)
            results.append(BackTranslation(job.language, path.stem, entry.msgid, entry.msgstr, back, score))
        job.save()
    return sorted(results, key=lambda r: (r.chrf, r.language, r.msgid))


def roundtrip(settings: Settings, sources) -> list[RoundtripResult]:
    """Identity round trip in memory: every msgstr = its msgid, rebuild, compare bytes."""
    results = []
    for source in sources:
        path = settings.resolve(source)
        item = load_articles(settings, [source])[0]  # refuses what is not a readable article, before reading it again
        data = read_bounded(path, reference(settings, path))
        pot = build_template([item])
        identity = {entry.msgid: entry.msgid for entry in pot}
        rebuilt = article_mod.encode(item, article_mod.render(item, identity))
        difference = next((i for i, (a, b) in enumerate(zip(data, rebuilt)) if a != b), None)
        if difference is None and len(data) != len(rebuilt):
            difference = min(len(data), len(rebuilt))
        results.append(RoundtripResult(item.path, rebuilt == data, len(data), difference))
    return results
