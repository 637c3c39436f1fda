"""`pipeline archive`: a whole archive into languages, resumable, one progress bar."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

import typer

from pipeline.cli.common import (
    AddressOption, ComputeOption, DeviceOption, EngineOption, ExecutorOption, FastOption, GpusOption, LangOption, LocaleOption, ModelsDirOption, ThreadsOption, WorkersOption, _Command, _engine_settings, _executor_settings, _finish, _interruptible, _settings, app, counted, err, out, reports_errors, workflow,
)
from pipeline.errors import ConfigError


def _date(value: Optional[str], flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{flag} {value!r}: not a date; write it as YYYY-MM-DD.") from None


@app.command(cls=_Command)
@reports_errors
def archive(
    sources: Annotated[list[str], typer.Argument(metavar="SOURCE|GLOB...", help="Articles: paths or quoted globs ('archive/**/*.txt').", show_default=False)],
    lang: LangOption = None,
    since: Annotated[Optional[str], typer.Option(metavar="YYYY-MM-DD", help="Only stories dated on or after this day (the reader's date, else a date in the file name).")] = None,
    until: Annotated[Optional[str], typer.Option(metavar="YYYY-MM-DD", help="Only stories dated on or before this day.")] = None,
    chunk: Annotated[int, typer.Option(min=1, metavar="N", help="Articles translated and written together; a killed run loses at most the chunk in flight.")] = 50,
    locale_dir: LocaleOption = None,
    engine: EngineOption = None,
    refresh_mt: Annotated[bool, typer.Option(help="Also redo entries whose only translation is an earlier machine suggestion.")] = False,
    device: DeviceOption = None,
    threads: ThreadsOption = None,
    compute_type: ComputeOption = None,
    fast: FastOption = False,
    models_dir: ModelsDirOption = None,
    executor: ExecutorOption = None,
    address: AddressOption = None,
    workers: WorkersOption = None,
    gpus: GpusOption = None,
) -> None:
    """Translate every article (or a glob or date range) into each language: memory first, then the engine; run it again to resume."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    settings = _engine_settings(settings, engine=engine, device=device, threads=threads, compute_type=compute_type, fast=fast, models_dir=models_dir)
    settings = _executor_settings(settings, executor=executor, address=address, workers=workers, gpus=gpus)
    chosen = workflow.select_sources(settings, sources, since=_date(since, "--since"), until=_date(until, "--until"))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("sentences"), TimeRemainingColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task(f"archive: {len(chosen)} articles → {', '.join(settings.languages)}", total=None)
        report = _interruptible(
            workflow.translate_archive, settings, chosen, languages=settings.languages, chunk=chunk, refresh_mt=refresh_mt,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for result in report.results:
        out.print(
            f"{result.language}: {counted(result.articles, 'article')}, {counted(result.entries, 'entry', 'entries')} filled by "
            f"{settings.engine} (fuzzy): {counted(result.shipped, 'sentence')} translated, {result.reused} reused (translated by an earlier chunk or run)"
        )
    _finish(report)
