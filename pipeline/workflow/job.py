"""`pipeline run`: the whole job, each catalogue read once and checked once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.bundle import parse_formats
from pipeline.settings import Settings
from pipeline.workflow.discovery import Catalogues
from pipeline.workflow.extraction import ExtractResult, extract
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.merging import update
from pipeline.workflow.outcome import Report
from pipeline.workflow.publish import bundle, compile_all
from pipeline.workflow.review import report
from pipeline.workflow.translation import ProgressFactory, translate


@dataclass
class RunReport(Report):
    """The whole job: each stage's report, in order; skipped catalogues gathered from all stages."""

    extracted: list[ExtractResult] = field(default_factory=list)
    updated: Report = field(default_factory=Report)
    translated: Report = field(default_factory=Report)
    compiled: Report = field(default_factory=Report)
    bundled: Report = field(default_factory=Report)
    review: list[Path] = field(default_factory=list)


@writes_catalogues
def run(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    out_dir: Path | None = None,
    use_fuzzy: bool | None = None,
    formats: tuple[str, ...] | str | None = None,
    publish_failing: bool = False,
    progress: ProgressFactory | None = None,
    announce: Callable[[str, Report], None] | None = None,
    story_date: str | None = None,
) -> RunReport:
    """Extract, update, translate what is missing, compile, bundle and write the review page: the whole job.

    Every language goes as far as it can: one that fails at a stage is
    reported and the others are bundled. The stages share one
    :class:`Catalogues`, so a catalogue no stage changed is parsed and
    checked once. *announce* is called with each stage's name and report as
    soon as the stage ends ("update", "translate", "compile", "bundle",
    "report"), so a caller can tell what happened in order.
    """
    tell = announce or (lambda stage, stage_report: None)
    formats = parse_formats(formats)  # a bad --format is refused before anything is written
    shared = Catalogues(settings)
    result = RunReport()
    result.extracted = extract(settings, sources)
    domains = [item.domain for item in result.extracted]
    result.updated = update(settings, languages=languages, domains=domains, catalogues=shared)
    result.absorb(result.updated)
    tell("update", result.updated)
    result.translated = translate(settings, languages=languages, domains=domains, progress=progress, catalogues=shared)
    result.absorb(result.translated)
    tell("translate", result.translated)
    result.compiled = compile_all(settings, languages=languages, domains=domains, catalogues=shared)
    result.absorb(result.compiled)
    mt_failures = {s.language: s.reason for s in result.translated.skipped}
    for source, target in result.translated.missing_models:
        mt_failures[target] = f"no model installed for {source} → {target}; install one with `pipeline models install {source} {target}`"
    result.bundled = bundle(
        settings, sources, languages=languages, out_dir=out_dir, use_fuzzy=use_fuzzy,
        formats=formats, publish_failing=publish_failing, mt_failures=mt_failures, catalogues=shared, story_date=story_date,
    )
    result.absorb(result.bundled)
    tell("bundle", result.bundled)
    review = report(
        settings, sources, languages=languages, out_dir=out_dir, catalogues=shared, use_fuzzy=use_fuzzy, publish_failing=publish_failing,
    )
    result.absorb(review)
    result.review = review.results
    tell("report", review)
    return result


@dataclass
class ChangedArticle:
    """A source whose sentences differ from its template: it changed since `extract`."""

    source: str
    template: Path
    added: int  # sentences in the article and not in the template
    removed: int  # sentences in the template and no longer in the article


def changed_articles(settings: Settings, sources) -> list[ChangedArticle]:
    """Sources whose sentences are not those of their template (`locale/<domain>.pot`): the article changed since extraction.

    A source that cannot be read, or has no template yet, is left out (the
    verbs that read it say why).
    """
    from pipeline.errors import PipelineError
    from pipeline.gettext.catalogue import read_catalogue
    from pipeline.workflow.discovery import load_articles, template_path

    changed = []
    for source in sources:
        try:
            (article,) = load_articles(settings, [source])
            template = template_path(settings, article.domain)
            if not template.is_file():
                continue
            pot = {e.msgid for e in read_catalogue(template) if e.msgid and not e.obsolete}
        except (PipelineError, OSError, ValueError):
            continue
        now = {s.msgid for s in article.segments}
        if now != pot:
            changed.append(ChangedArticle(article.path, template, len(now - pot), len(pot - now)))
    return changed
