"""`pipeline run`: the whole job, each catalogue read once and checked once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
) -> RunReport:
    """Extract, update, translate what is missing, compile, bundle and write the review page: the whole job.

    Every language goes as far as it can: one that fails at a stage is
    reported and the others are bundled. The stages share one
    :class:`Catalogues`, so a catalogue no stage changed is parsed and
    checked once.
    """
    formats = parse_formats(formats)  # a bad --format is refused before anything is written
    shared = Catalogues(settings)
    result = RunReport()
    result.extracted = extract(settings, sources)
    domains = [item.domain for item in result.extracted]
    result.updated = update(settings, languages=languages, domains=domains, catalogues=shared)
    result.absorb(result.updated)
    result.translated = translate(settings, languages=languages, domains=domains, progress=progress, catalogues=shared)
    result.absorb(result.translated)
    result.compiled = compile_all(settings, languages=languages, domains=domains, catalogues=shared)
    result.absorb(result.compiled)
    mt_failures = {s.language: s.reason for s in result.translated.skipped}
    result.bundled = bundle(
        settings, sources, languages=languages, out_dir=out_dir, use_fuzzy=use_fuzzy,
        formats=formats, publish_failing=publish_failing, mt_failures=mt_failures, catalogues=shared,
    )
    result.absorb(result.bundled)
    review = report(settings, sources, languages=languages, out_dir=out_dir, catalogues=shared)
    result.absorb(review)
    result.review = review.results
    return result
