"""Commands over catalogues: extract, update, translate, compile, status, check."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.table import Table
from pipeline.cli.common import (
    AddressOption, app, ComputeOption, counted, DeviceOption, EngineOption, err, ExecutorOption, FastOption, FormatOption, GpusOption, LangOption, LocaleOption, ModelsDirOption, NoProgressOption, out, QuietOption, reports_errors, SourcesArgument, ThreadsOption, WorkersOption, workflow, _Command, _engine_settings, _executor_settings, _finish, _nothing_found, _print_updates, _settings, _show, _sources, _translate, _verbosity,
)



@app.command(cls=_Command)
@reports_errors
def extract(sources: SourcesArgument = None, locale_dir: LocaleOption = None) -> None:
    """Extract each source article's sentences into locale/<domain>.pot."""
    settings = _settings(locale_dir=locale_dir)
    for result in workflow.extract(settings, _sources(settings, sources)):
        state = "written" if result.changed else "unchanged"
        out.print(f"{_show(result.path)}: {counted(result.entries, 'entry', 'entries')} ({state})")


@app.command(cls=_Command)
@reports_errors
def update(
    domains: Annotated[Optional[list[str]], typer.Argument(metavar="[DOMAIN]...", help="Domains (POT names) to merge. Default: every POT under the locale folder.", show_default=False)] = None,
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    purge_obsolete: Annotated[bool, typer.Option(help="Drop obsolete (#~) entries instead of keeping them.")] = False,
    memory: Annotated[bool, typer.Option(help="Let the translation memory fill new entries; --no-memory merges as msgmerge does (software catalogues).")] = True,
) -> None:
    """Create or merge locale/<lang>/LC_MESSAGES/<domain>.po from the templates, keeping every translation."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    report = workflow.update(settings, languages=settings.languages, domains=domains, purge_obsolete=purge_obsolete, use_memory=memory)
    _print_updates(report.results)
    _finish(report)



@app.command(cls=_Command)
@reports_errors
def translate(
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    engine: EngineOption = None,
    refresh_mt: Annotated[bool, typer.Option(help="Also redo entries whose only translation is an earlier machine suggestion (never a human one).")] = False,
    device: DeviceOption = None,
    threads: ThreadsOption = None,
    compute_type: ComputeOption = None,
    fast: FastOption = False,
    models_dir: ModelsDirOption = None,
    quiet: QuietOption = False,
    no_progress: NoProgressOption = False,
    executor: ExecutorOption = None,
    address: AddressOption = None,
    workers: WorkersOption = None,
    gpus: GpusOption = None,
) -> None:
    """Fill untranslated entries with machine suggestions, marked fuzzy with their origin.

    An earlier suggestion is replaced only when nobody has edited it since
    the engine wrote it (its recorded digest): a person's text is left alone.
    A missing model is named once; the exit status is then 2.
    """
    _verbosity(quiet=quiet, no_progress=no_progress)
    settings = _settings(lang=lang, locale_dir=locale_dir)
    settings = _engine_settings(settings, engine=engine, device=device, threads=threads, compute_type=compute_type, fast=fast, models_dir=models_dir)
    settings = _executor_settings(settings, executor=executor, address=address, workers=workers, gpus=gpus)
    report = _translate(settings, refresh_mt=refresh_mt)
    _finish(report)
    if report.missing_models:
        raise typer.Exit(2)


@app.command("compile", cls=_Command)
@reports_errors
def compile_(lang: LangOption = None, locale_dir: LocaleOption = None) -> None:
    """Compile each catalogue into a .mo beside it (fuzzy entries left out, as msgfmt does)."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    report = workflow.compile_all(settings, languages=settings.languages)
    for path, changed in report.results:
        out.print(f"{_show(path)}: {'written' if changed else 'unchanged'}")
    _finish(report)



@app.command(cls=_Command)
@reports_errors
def status(
    domains: Annotated[Optional[list[str]], typer.Argument(metavar="[DOMAIN]...", help="Only these domains (articles). Default: every domain with a template.", show_default=False)] = None,
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    format: FormatOption = "table",
    by_domain: Annotated[
        Optional[bool],
        typer.Option(
            "--by-domain/--by-language",
            help="One row per catalogue, or one per language (sums over its catalogues). "
            "Default: per domain for --format json and when DOMAINs are named, per language for the table.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Per language (or per domain): entries and words translated, fuzzy (machine/human), untranslated, obsolete; failed checks."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    if domains:
        domains = list(dict.fromkeys(domains))
        for domain in domains:
            if "/" in domain or "\\" in domain or domain.startswith(".") or not (settings.locale_path / f"{domain}.pot").is_file():
                err.print(f"error: unknown domain {domain!r}: no template {_show(settings.locale_path / (domain + '.pot'))}; run `pipeline extract` first.")
                raise typer.Exit(2)
    if by_domain is None:
        by_domain = format == "json" or bool(domains)
    text, report = workflow.status_document(settings, languages=settings.languages, domains=domains or None, by_language=not by_domain)
    if text == "[]" and not report.skipped:
        _nothing_found(settings)
    if format == "json":
        typer.echo(text)  # plain: rich's highlighter costs seconds on thousands of rows
        _finish(report)
        return
    from rich import box

    rows = json.loads(text)
    title = "Catalogue status: entries/words" if by_domain else "Catalogue status by language: entries/words"
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, collapse_padding=True)
    caption = "MT: unreviewed machine suggestions · fuzzy: human translations to review · failed: error checks"
    table.caption = caption if by_domain else caption + " · per domain: --by-domain or `pipeline status DOMAIN…`"
    second = "domain" if by_domain else "catalogues"
    for column in ("lang", second, "translated", "MT", "fuzzy", "missing", "obsolete", "complete", "failed"):
        table.add_column(column, justify="left" if column in ("lang", "domain") else "right", no_wrap=True)
    for row in rows:
        cells = [f"{row[k]['entries']}/{row[k]['words']}" for k in ("translated", "fuzzy_machine", "fuzzy_human", "untranslated", "obsolete")]
        label = row["domain"] if by_domain else str(row["catalogues"])
        table.add_row(row["language"], label, *cells, f"{row['completeness']:.1f}%", str(row["failed_checks"]))
    out.print(table)
    _finish(report)


@app.command(cls=_Command)
@reports_errors
def check(
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    format: FormatOption = "table",
    no_msgfmt: Annotated[bool, typer.Option("--no-msgfmt", help="Skip GNU msgfmt -c.")] = False,
) -> None:
    """QA checks: numbers, protected spans, glossary, punctuation, quotes, whitespace, length, headers, msgfmt -c.

    Exit 1 when an error-severity check fails on a reviewed entry or a header.
    Silence one check on one entry with a translator comment line
    `# no-check-<id>: why` (gettext tools keep comments; they drop unknown flags).
    """
    settings = _settings(lang=lang, locale_dir=locale_dir)
    if next(workflow.existing_catalogues(settings, languages=settings.languages), None) is None:
        _nothing_found(settings)
    report = workflow.check(settings, languages=settings.languages, use_msgfmt=not no_msgfmt)
    findings = report.results
    failing = [f for f in findings if f.severity == "error" and not f.fuzzy]
    if format == "json":
        typer.echo(json.dumps([vars(f) for f in findings], ensure_ascii=False, indent=2))
    elif findings:
        table = Table(title=f"{counted(len(findings), 'finding')} ({len(failing)} failing)")
        places = [f"{_show(f.path)}:{f.line}" if f.line else _show(f.path) for f in findings]
        # a path is never cut (it must be copied whole); the prose columns wrap at word boundaries instead
        table.add_column("where", no_wrap=True, min_width=max(map(len, places), default=5))
        table.add_column("check", no_wrap=True)
        table.add_column("severity", no_wrap=True)
        for column in ("problem", "sentence"):
            table.add_column(column, overflow="fold")
        for f, where in zip(findings, places):
            table.add_row(where, f.check, f.severity + (" (fuzzy)" if f.fuzzy else ""), f.message, f.msgid[:60])
        out.print(table)
    elif not report.skipped:
        out.print("All checks passed.")
    _finish(report)


