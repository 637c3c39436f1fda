"""Commands that publish and review: bundle, run, report, roundtrip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from pipeline.cli.common import (
    AddressOption, app, BundleFormatOption, ComputeOption, counted, DateOption, DeviceOption, EngineOption, err, ExecutorOption, FastOption, GpusOption, LangOption, LocaleOption, ModelsDirOption, NoProgressOption, out, PublishFailingOption, QuietOption, reports_errors, SourcesArgument, ThreadsOption, Verbosity, WorkersOption, workflow, _Command, _engine_settings, _executor_settings, _finish, _interruptible, _print_bundles, _print_engine_notes, _print_translations, _print_updates, _progress_bars, _settings, _show, _sources, _story_date, _verbosity,
)



@app.command(cls=_Command)
@reports_errors
def bundle(
    sources: SourcesArgument = None,
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", metavar="DIR", help="Bundle folder. Default: [tool.pipeline] output_dir.")] = None,
    use_fuzzy: Annotated[bool, typer.Option(help="Use fuzzy (unreviewed) translations too.")] = False,
    format: BundleFormatOption = None,
    publish_failing: PublishFailingOption = False,
    date: DateOption = None,
    quiet: QuietOption = False,
) -> None:
    """Publish each article in each language under dist/<domain>/<lang>/ (txt, json, md, html, mo), plus manifest.json and dist/<domain>.zip.

    A language is published only when every sentence has a reviewed
    translation that passes the checks (bundle_threshold); otherwise it gets
    a draft preview under dist/<domain>/preview/<lang>/. Exit 0: all
    published; 3: waiting for translators or reviewers; 1: a check failed;
    2: broken input, usage or engine.
    """
    _verbosity(quiet=quiet)
    story_date = _story_date(date)
    settings = _settings(lang=lang, locale_dir=locale_dir)
    report = workflow.bundle(
        settings, _sources(settings, sources), languages=settings.languages, out_dir=out_dir,
        use_fuzzy=use_fuzzy or None, formats=format, publish_failing=publish_failing, story_date=story_date,
    )
    _print_bundles(report.results)
    _finish(report, outcome=True)


@app.command(cls=_Command)
@reports_errors
def run(
    sources: SourcesArgument = None,
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    engine: EngineOption = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", metavar="DIR", help="Bundle folder. Default: [tool.pipeline] output_dir.")] = None,
    use_fuzzy: Annotated[bool, typer.Option(help="Bundle fuzzy (unreviewed) translations too.")] = False,
    device: DeviceOption = None,
    threads: ThreadsOption = None,
    compute_type: ComputeOption = None,
    fast: FastOption = False,
    models_dir: ModelsDirOption = None,
    format: BundleFormatOption = None,
    publish_failing: PublishFailingOption = False,
    date: DateOption = None,
    quiet: QuietOption = False,
    no_progress: NoProgressOption = False,
    executor: ExecutorOption = None,
    address: AddressOption = None,
    workers: WorkersOption = None,
    gpus: GpusOption = None,
) -> None:
    """Extract, update, translate what is missing, compile, publish (or preview) and write dist/<domain>/review.html: the whole job.

    Exit 0: every language published; 3: waiting for translators or
    reviewers (previews written); 1: a check failed; 2: broken input, usage
    or engine. The README's table of outcomes lists them.
    """
    from pipeline.bundle import parse_formats

    parse_formats(format)  # a bad --format stops the run before anything is written
    story_date = _story_date(date)
    _verbosity(quiet=quiet, no_progress=no_progress)
    settings = _settings(lang=lang, locale_dir=locale_dir)
    settings = _engine_settings(settings, engine=engine, device=device, threads=threads, compute_type=compute_type, fast=fast, models_dir=models_dir)
    settings = _executor_settings(settings, executor=executor, address=address, workers=workers, gpus=gpus)

    def announce(stage, stage_report):
        # each stage's lines as soon as it ends: merges before the translation bars, not after
        if stage == "update":
            _print_updates(stage_report.results)
        elif stage == "translate":
            _print_translations(stage_report.results, settings)
        elif stage == "bundle":
            _print_bundles(stage_report.results)
        elif stage == "report" and not Verbosity.quiet:
            for path in stage_report.results:
                out.print(f"{_show(path)}: review page written")

    with _progress_bars(settings) as progress:
        report = _interruptible(
            workflow.run, settings, _sources(settings, sources), languages=settings.languages, out_dir=out_dir,
            use_fuzzy=use_fuzzy or None, formats=format, publish_failing=publish_failing, progress=progress,
            announce=announce, story_date=story_date,
        )
    _print_engine_notes(report)
    _finish(report, outcome=True)


@app.command(cls=_Command)
@reports_errors
def report(
    sources: SourcesArgument = None,
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", metavar="DIR", help="Bundle folder. Default: [tool.pipeline] output_dir.")] = None,
) -> None:
    """Write dist/<domain>/review.html: each language's counts, and the article sentence by sentence with its state, checks and provenance."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    written = workflow.report(settings, _sources(settings, sources), languages=settings.languages, out_dir=out_dir)
    for path in written.results:
        out.print(f"{_show(path)}: review page written")
    _finish(written)



@app.command(cls=_Command)
@reports_errors
def roundtrip(
    sources: SourcesArgument = None,
    back_translate: Annotated[bool, typer.Option("--back-translate", help="Translate each translation back to the source language with the installed reverse model, score it with chrF and note the score in the entry.")] = False,
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    engine: EngineOption = None,
    models_dir: ModelsDirOption = None,
    worst: Annotated[int, typer.Option(metavar="N", help="How many of the weakest sentences to list.")] = 10,
) -> None:
    """Identity check (extract, msgstr = msgid in memory, rebuild, compare bytes), or --back-translate."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    if back_translate:
        settings = _engine_settings(settings, engine=engine, models_dir=models_dir)
        scored = workflow.back_translate(settings, languages=settings.languages)
        table = Table(title=f"Weakest back-translations (chrF, of {len(scored)})")
        for column in ("lang", "chrF", "source", "back-translation"):
            table.add_column(column, overflow="fold")
        for item in scored[:worst]:
            table.add_row(item.language, f"{item.chrf:.1f}", item.msgid[:70], item.back[:70])
        out.print(table)
        return
    failed = False
    for result in workflow.roundtrip(settings, _sources(settings, sources)):
        if result.identical:
            out.print(f"{result.source}: identical ({counted(result.size, 'byte')})")
        else:
            failed = True
            err.print(f"{result.source}: rebuilt text differs from the source at byte {result.first_difference}")
    if failed:
        raise typer.Exit(1)


