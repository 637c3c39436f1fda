"""Commands that publish and review: bundle, run, report, roundtrip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from pipeline.cli.common import (
    AddressOption, BundleFormatOption, ComputeOption, ExecutorOption, GpusOption, WorkersOption, _executor_settings, DeviceOption, EngineOption, FastOption, LangOption, LocaleOption, ModelsDirOption, PublishFailingOption, SourcesArgument, ThreadsOption, _Command, _engine_settings, _finish, _interruptible, _print_bundles, _print_translations, _print_updates, _progress_bars, _settings, _show, _sources, app, counted, err, out, reports_errors, workflow,
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
) -> None:
    """Rebuild each article in each language under dist/<domain>/<lang>/ (txt, json, md, html, mo), plus manifest.json and dist/<domain>.zip.

    A translation that fails an error check is not published (its sentence
    falls back to the source) and the exit status is 1, unless --publish-failing.
    """
    settings = _settings(lang=lang, locale_dir=locale_dir)
    report = workflow.bundle(
        settings, _sources(settings, sources), languages=settings.languages, out_dir=out_dir,
        use_fuzzy=use_fuzzy or None, formats=format, publish_failing=publish_failing,
    )
    _print_bundles(report.results)
    _finish(report)


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
    executor: ExecutorOption = None,
    address: AddressOption = None,
    workers: WorkersOption = None,
    gpus: GpusOption = None,
) -> None:
    """Extract, update, translate what is missing, compile, bundle and write dist/<domain>/review.html: the whole job."""
    from pipeline.bundle import parse_formats

    parse_formats(format)  # a bad --format stops the run before anything is written
    settings = _settings(lang=lang, locale_dir=locale_dir)
    settings = _engine_settings(settings, engine=engine, device=device, threads=threads, compute_type=compute_type, fast=fast, models_dir=models_dir)
    settings = _executor_settings(settings, executor=executor, address=address, workers=workers, gpus=gpus)
    with _progress_bars(settings) as progress:
        report = _interruptible(
            workflow.run, settings, _sources(settings, sources), languages=settings.languages, out_dir=out_dir,
            use_fuzzy=use_fuzzy or None, formats=format, publish_failing=publish_failing, progress=progress,
        )
    _print_updates(report.updated.results)
    _print_translations(report.translated.results, settings)
    _print_bundles(report.bundled.results)
    for path in report.review:
        out.print(f"{_show(path)}: review page written")
    _finish(report)


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


