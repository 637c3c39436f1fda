"""The `pipeline` command: one verb per stage, each a few lines over the library.

Only this module prints or exits. Exit codes: 0 ok, 1 a check failed,
2 bad input or usage (one clear line on stderr, never a traceback).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperArgument, TyperCommand
from rich.console import Console
from rich.table import Table

from pipeline import workflow
from pipeline.errors import PipelineError, TranslationInterrupted
from pipeline.gettext.languages import parse_languages
from pipeline.settings import COMPUTE_TYPES, DEVICES, FORMATS, Settings, check_targets, load_settings
from pipeline.wording import counted

class _Argument(TyperArgument):
    """An argument shown in --help and the usage line exactly as its metavar says (`[SOURCE]...`).

    Recent typer adds the Python type (`<list[str]>`) and braces around a
    required argument's name; the metavar already says what to type.
    """

    def display_type_rich(self, ctx):
        return None

    def get_usage_pieces(self, ctx) -> list[str]:
        return [self.metavar] if self.metavar else super().get_usage_pieces(ctx)

    def get_help_record(self, ctx):
        record = super().get_help_record(ctx)
        return (self.metavar, record[1]) if record and self.metavar else record


class _Command(TyperCommand):
    """Every pipeline command: its arguments are shown by their metavars (see :class:`_Argument`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _Argument  # typer builds the parameters itself and takes no class for them


app = typer.Typer(
    help="Offline translation and localisation of newsroom articles: "
    "article → POT → PO per language → machine suggestions → .mo → localised bundle.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _Stdout:
    """sys.stdout (looked up at each write), where a closed pipe stops output but never the work.

    `pipeline run … | head -1` closes stdout after one line; the batch must
    still write its catalogues and bundles, so later output is dropped.
    """

    closed_pipe = False

    def write(self, text: str) -> int:
        if not _Stdout.closed_pipe:
            try:
                sys.stdout.write(text)
            except BrokenPipeError:
                self._closed()
        return len(text)

    def flush(self) -> None:
        if not _Stdout.closed_pipe:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                self._closed()

    def isatty(self) -> bool:
        return not _Stdout.closed_pipe and sys.stdout.isatty()

    def fileno(self) -> int:
        return sys.stdout.fileno()

    @property
    def encoding(self) -> str:
        return getattr(sys.stdout, "encoding", None) or "utf-8"

    @staticmethod
    def _closed() -> None:
        _Stdout.closed_pipe = True
        try:  # so that the interpreter's final flush does not complain either
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass


out = Console(file=_Stdout(), highlight=False, markup=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)

LangOption = Annotated[
    Optional[list[str]],
    typer.Option("--lang", "-l", metavar="LANG", help="Target language code, or a comma-separated list (repeatable). Default: [tool.pipeline] languages."),
]
LocaleOption = Annotated[Optional[Path], typer.Option("--locale-dir", metavar="DIR", help="Catalogue folder. Default: [tool.pipeline] locale_dir.")]
SourcesArgument = Annotated[Optional[list[str]], typer.Argument(metavar="[SOURCE]...", help="Source article(s). Default: [tool.pipeline] sources.", show_default=False)]


def _choice(values: tuple[str, ...]):
    """A typer callback refusing anything but *values* (None passes: the setting decides)."""

    def check(value):
        if value is not None and value not in values:
            raise typer.BadParameter(f"{value!r} is not one of: {', '.join(values)}.")
        return value

    return check


def _engine_choice(value):
    from pipeline.engines import engine_names

    return _choice(tuple(engine_names()))(value)


FormatOption = Annotated[str, typer.Option("--format", metavar="|".join(FORMATS), help="Output format: table or json.", callback=_choice(FORMATS))]


_lock_wait = {"seconds": 10.0}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("newsroom-pipeline")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        out.print(f"pipeline {number}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    wait: Annotated[float, typer.Option("--wait", min=0, metavar="SECONDS", help="Seconds to wait for another pipeline process working on the same catalogues.")] = 10.0,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Offline translation and localisation of newsroom articles."""
    _lock_wait["seconds"] = wait


def reports_errors(command=None, *, writes: bool | str = True):
    """Turn library errors into one line on stderr and their exit code; hold the catalogue lock.

    Only commands that write take the lock (and clean up temporary files a
    killed run left behind): a read-only command creates nothing, so it works
    on a read-only checkout. *writes* may name the boolean option that makes
    a reading command write (`roundtrip --back-translate`).
    """
    if command is None:
        return functools.partial(reports_errors, writes=writes)

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from contextlib import nullcontext

        from pipeline.runtime.lock import project_lock

        try:
            settings = load_settings()
            locale_dir = kwargs.get("locale_dir") or settings.locale_dir
            writing = kwargs.get(writes, False) if isinstance(writes, str) else writes
            held = (
                project_lock(settings.resolve(locale_dir), timeout=_lock_wait["seconds"], tidy=(settings.output_path,))
                if writing
                else nullcontext()
            )
            with held:
                return command(*args, **kwargs)
        except PipelineError as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted; files already written are complete.")
            raise typer.Exit(130) from None

    return wrapper


def _settings(*, lang=None, locale_dir=None, **overrides) -> Settings:
    settings = load_settings()
    settings = settings.with_overrides(languages=parse_languages(lang), locale_dir=locale_dir, **overrides)
    check_targets(settings.languages, source=settings.source_language)
    return settings


def _sources(settings: Settings, sources: list[str] | None) -> tuple[str, ...]:
    return tuple(sources) if sources else settings.sources


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
) -> None:
    """Create or merge locale/<lang>/LC_MESSAGES/<domain>.po from the templates, keeping every translation."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    report = workflow.update(settings, languages=settings.languages, domains=domains, purge_obsolete=purge_obsolete)
    _print_updates(report.results)
    _finish(report)


EngineOption = Annotated[Optional[str], typer.Option(callback=_engine_choice, metavar="ENGINE", help="Translation engine: argos (installed Argos Translate models) or pseudo (pseudo-localisation for QA). Default: [tool.pipeline] engine.")]
DeviceOption = Annotated[Optional[str], typer.Option(callback=_choice(DEVICES), metavar="|".join(DEVICES), help="Where Argos models run: cpu, cuda or auto.")]
ThreadsOption = Annotated[Optional[int], typer.Option(min=0, metavar="N", help="CPU threads per model (0: CTranslate2 chooses).")]
ComputeOption = Annotated[Optional[str], typer.Option(callback=_choice(COMPUTE_TYPES), metavar="TYPE", help="CTranslate2 compute type (default int8 on CPU, as Argos packages are built; float32 matches argostranslate exactly).")]
FastOption = Annotated[bool, typer.Option("--fast", help="Greedy decoding (beam 1): several times faster, lower quality.")]
ModelsDirOption = Annotated[Optional[Path], typer.Option("--models-dir", metavar="DIR", help="Project-local folder of Argos packages (default: argostranslate's, or $ARGOS_PACKAGES_DIR).")]


def _engine_settings(settings: Settings, *, engine=None, device=None, threads=None, compute_type=None, fast=False, models_dir=None) -> Settings:
    return settings.with_overrides(
        engine=engine, device=device, threads=threads, compute_type=compute_type, models_dir=models_dir, beam_size=1 if fast else None
    )


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
) -> None:
    """Fill untranslated entries with machine suggestions, marked fuzzy with their origin."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    settings = _engine_settings(settings, engine=engine, device=device, threads=threads, compute_type=compute_type, fast=fast, models_dir=models_dir)
    report = _translate(settings, refresh_mt=refresh_mt)
    _finish(report)


@app.command("compile", cls=_Command)
@reports_errors
def compile_(lang: LangOption = None, locale_dir: LocaleOption = None) -> None:
    """Compile each catalogue into a .mo beside it (fuzzy entries left out, as msgfmt does)."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    report = workflow.compile_all(settings, languages=settings.languages)
    for path, changed in report.results:
        out.print(f"{_show(path)}: {'written' if changed else 'unchanged'}")
    _finish(report)


BundleFormatOption = Annotated[
    Optional[str],
    typer.Option("--format", metavar="FORMAT[,FORMAT...]", help="Bundle formats, comma-separated: txt, json, md, html, mo, zip. Default: all."),
]
PublishFailingOption = Annotated[
    bool,
    typer.Option("--publish-failing", help="Publish translations that fail an error check anyway (recorded in the manifest)."),
]


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
) -> None:
    """Extract, update, translate what is missing, compile, bundle and write dist/<domain>/review.html: the whole job."""
    from pipeline.bundle import parse_formats

    parse_formats(format)  # a bad --format stops the run before anything is written
    settings = _settings(lang=lang, locale_dir=locale_dir)
    settings = _engine_settings(settings, engine=engine, device=device, threads=threads, compute_type=compute_type, fast=fast, models_dir=models_dir)
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
@reports_errors(writes=False)
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
@reports_errors(writes=False)
def check(
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
    format: FormatOption = "table",
    no_msgfmt: Annotated[bool, typer.Option("--no-msgfmt", help="Skip GNU msgfmt -c.")] = False,
) -> None:
    """QA checks: numbers, protected spans, glossary, punctuation, quotes, whitespace, length, headers, msgfmt -c.

    Exit 1 when an error-severity check fails on a reviewed entry or a header.
    Silence one check on one entry with the flag `#, no-check-<id>`.
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
        for column in ("where", "check", "severity", "problem", "sentence"):
            table.add_column(column, overflow="fold")
        for f in findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            table.add_row(where, f.check, f.severity + (" (fuzzy)" if f.fuzzy else ""), f.message, f.msgid[:60])
        out.print(table)
    elif not report.skipped:
        out.print("All checks passed.")
    _finish(report)


@app.command(cls=_Command)
@reports_errors(writes="back_translate")
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


models_app = typer.Typer(help="Argos Translate model packages: list, install (from a file or the package index), remove.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.callback()
def models_options(models_dir: ModelsDirOption = None) -> None:
    """Argos Translate model packages: list, install (from a file or the package index), remove."""
    try:
        _configure_models(models_dir)
    except PipelineError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None


def _configure_models(models_dir: Path | None) -> None:
    """Point argostranslate at `--models-dir` (given before or after the subcommand) or models_dir."""
    settings = load_settings()
    folder = models_dir or settings.models_dir
    if folder is not None:
        from pipeline.engines.argos import packages as models

        models.configure(models_dir=settings.resolve(folder))


@models_app.command("list", cls=_Command)
@reports_errors(writes=False)
def models_list(format: FormatOption = "table", models_dir: ModelsDirOption = None) -> None:
    """Installed packages (pair, version, size, path) and pairs reachable through English."""
    from pipeline.engines.argos import packages as models

    if models_dir is not None:
        _configure_models(models_dir)
    packages, broken = models.scan_packages()
    for folder, problem in broken:
        err.print(f"warning: {folder}: {problem}; skipped (delete this folder or reinstall the package).")
    pivots = models.pivot_pairs(packages)
    if format == "json":
        data = {
            "packages": [
                {"from": p.from_code, "to": p.to_code, "version": p.version, "name": p.name, "size_bytes": p.size_bytes, "path": str(p.path)}
                for p in packages
            ],
            "pivot_pairs": [list(pair) for pair in pivots],
        }
        out.print_json(json.dumps(data))
        return
    if not packages:
        out.print(f"No model installed in {models.packages_dir()}; install one with `pipeline models install FROM TO` or `pipeline models install FILE.argosmodel`.")
        return
    table = Table(title=f"Argos packages in {models.packages_dir()}")
    for column in ("pair", "version", "size", "path"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for p in packages:
        table.add_row(f"{p.from_code}→{p.to_code}", p.version, f"{p.size_bytes / 2**20:.1f} MiB", str(p.path))
    out.print(table)
    if pivots:
        out.print("Through English: " + ", ".join(f"{a}→{b}" for a, b in pivots))


@models_app.command("install", cls=_Command)
@reports_errors
def models_install(
    what: Annotated[list[str], typer.Argument(metavar="(FILE.argosmodel | FROM TO)", help="A package file (FILE.argosmodel), or FROM TO language codes to fetch from the package index.", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="Replace an installed package of the same name or pair.")] = False,
    index: Annotated[Optional[str], typer.Option(metavar="URL", help="Package index address (default: $ARGOS_PACKAGE_INDEX or argostranslate's).")] = None,
    models_dir: ModelsDirOption = None,
) -> None:
    """Install a package from a file, or FROM TO from the Argos package index (through English if needed)."""
    from pipeline.engines.argos import packages as models
    from pipeline.errors import ConfigError

    if models_dir is not None:
        _configure_models(models_dir)

    if len(what) == 1:
        installed = [models.install_file(Path(what[0]), replace=replace)]
    elif len(what) == 2:
        models.configure(index_url=index or load_settings().index_url)
        installed = models.install_from_index(what[0], what[1], replace=replace)
    else:
        raise ConfigError("give a package file (pipeline models install FILE.argosmodel) or two language codes (pipeline models install en uk).")
    for p in installed:
        out.print(f"installed {p.name}: {p.from_code}→{p.to_code} v{p.version} ({p.size_bytes / 2**20:.1f} MiB) in {p.path}")


@models_app.command("remove", cls=_Command)
@reports_errors
def models_remove(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Source language code.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="Target language code.")],
    models_dir: ModelsDirOption = None,
) -> None:
    """Remove the installed package for a language pair."""
    from pipeline.engines.argos import packages as models

    if models_dir is not None:
        _configure_models(models_dir)

    removed = models.remove(source, target)
    out.print(f"removed {removed.name}: {removed.from_code}→{removed.to_code} v{removed.version}")


memory_app = typer.Typer(help="Translation memory (a rebuildable SQLite index of every reviewed translation): export, import, rebuild.", no_args_is_help=True)
app.add_typer(memory_app, name="memory")


@memory_app.command("export", cls=_Command)
@reports_errors
def memory_export(
    out_file: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="File to write (PO for one language, TMX for any).")],
    format: Annotated[str, typer.Option("--format", metavar="po|tmx", help="po (usable with msgmerge --compendium) or tmx.")] = "po",
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
) -> None:
    """Write the memory as a PO compendium (one language) or TMX (every language given)."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    for result in workflow.memory_export(settings, languages=settings.languages, format=format, out=out_file):
        out.print(f"{result.language}: {counted(result.entries, 'translation')} exported to {_show(result.path)}")


@memory_app.command("import", cls=_Command)
@reports_errors
def memory_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A PO file (its Language header, or --lang) or a TMX file.", show_default=False)],
    lang: Annotated[Optional[str], typer.Option("--lang", "-l", metavar="LANG", help="Language of a PO file without a Language header; for TMX, import only this language.")] = None,
    locale_dir: LocaleOption = None,
) -> None:
    """Add a file's reviewed translations to locale/<lang>/compendium.po and the memory."""
    settings = _settings(locale_dir=locale_dir)
    report = workflow.memory_import(settings, file, language_code=lang)
    for result in report.results:
        out.print(f"{result.language}: {counted(result.changed, 'translation')} added or changed in {_show(result.path)}; memory holds {result.entries}")
    _finish(report)


@memory_app.command("rebuild", cls=_Command)
@reports_errors
def memory_rebuild(lang: LangOption = None, locale_dir: LocaleOption = None) -> None:
    """Recreate the memory index from the catalogues and compendium of each language."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    for result in workflow.memory_rebuild(settings, languages=settings.languages):
        out.print(f"{result.language}: {counted(result.entries, 'sentence')} from {counted(result.changed, 'file')} in {_show(result.path)}")


def _translate(settings: Settings, *, refresh_mt: bool = False) -> "workflow.Report":
    """`workflow.translate` with a progress bar per language; prints what each language got."""
    with _progress_bars(settings) as progress:
        report = _interruptible(workflow.translate, settings, languages=settings.languages, refresh_mt=refresh_mt, progress=progress)
    _print_translations(report.results, settings)
    return report


def _interruptible(function, *args, **kwargs):
    """Run a library function; an interrupted translation says what was saved, then exits 130."""
    try:
        return function(*args, **kwargs)
    except TranslationInterrupted as stop:
        err.print(f"error: {stop}; {counted(len(stop.saved), 'catalogue')} saved with what was finished. Run the command again to continue.")
        raise typer.Exit(stop.exit_code) from None


@contextlib.contextmanager
def _progress_bars(settings: Settings):
    """A progress factory for the library: one rich bar per language being translated.

    The bars appear only once a language has something to translate.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bars: list[Progress] = []

    def start(language: str, total: int):
        if not bars:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
            bars.append(Progress(*columns, console=err))
            bars[0].start()
        progress = bars[0]
        task = progress.add_task(f"{settings.engine} {settings.source_language}→{language}", total=total, rate="")

        def advance(count: float) -> None:
            progress.advance(task, count)
            speed = progress.tasks[task].speed
            progress.update(task, rate=f"{speed:.1f} sentences/s" if speed else "")

        return advance

    try:
        yield start
    finally:
        if bars:
            bars[0].stop()


def _print_translations(results, settings: Settings) -> None:
    for result in results:
        flagged = f", {len(result.flagged)} flagged for review" if result.flagged else ""
        out.print(f"{result.language}: {counted(result.entries, 'entry', 'entries')} filled by {settings.engine} (fuzzy){flagged}")


def _finish(report: "workflow.Report") -> None:
    """Print what the verb skipped (one line each) and exit with the report's status."""
    for skipped in report.skipped:
        err.print(f"error: {skipped.reason}")
    if report.skipped:
        what = ", ".join(dict.fromkeys(f"{s.domain} [{s.language}]" if s.domain else s.language for s in report.skipped))
        err.print(f"skipped: {what}; everything else completed.")
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _nothing_found(settings: Settings) -> None:
    """No catalogue to report on is bad input (exit 2), never "all passed"."""
    err.print(
        f"error: no catalogue found under {_show(settings.locale_path)} for {', '.join(settings.languages)}; "
        "run `pipeline update` (or `pipeline run SOURCE`) first."
    )
    raise typer.Exit(2)


def _show(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _print_updates(results) -> None:
    for result in results:
        r = result.report
        state = "written" if result.changed else "unchanged"
        m = result.memory
        memory = f", {m.exact} from memory, {counted(m.fuzzy, 'memory suggestion')}" if m.exact or m.fuzzy else ""
        out.print(
            f"{_show(result.path)}: {r.kept + r.revived} kept, {r.fuzzy_matched} fuzzy, {r.new} new{memory}, {r.obsoleted} obsoleted ({state})"
        )


def _print_bundles(results) -> bool:
    """Print one line per bundle (and each held-back sentence); True when a failing translation was held back."""
    held = False
    for result in results:
        if result.bundled:
            fallback = f", {counted(len(result.fallback), 'sentence falls', 'sentences fall')} back to the source" if result.fallback else ""
            out.print(f"{result.domain} [{result.language}]: bundled, {result.completeness:.1f}% translated{fallback}")
        else:
            out.print(f"{result.domain} [{result.language}]: not bundled, {result.manifest_entry.get('reason') or 'below the threshold'}")
        for item in result.held_back:
            held = True
            where = f" (line {item.line})" if item.line else ""
            err.print(f"{result.domain} [{result.language}]: not published{where}, fails [{item.check}] {item.message}: {item.msgid[:60]}")
        for item in result.published_failing:
            err.print(f"{result.domain} [{result.language}]: published on request although it fails [{item.check}]: {item.msgid[:60]}")
        if result.manifest_entry.get("catalogue_errors") and not result.bundled:
            held = True
    return held


def main() -> None:
    """Console-script entry point; SIGTERM stops like Ctrl-C (finished work is saved)."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # A large catalogue is hundreds of thousands of long-lived objects that hold
    # no cycles; with the default thresholds the cyclic collector rescans them
    # all several times as they grow (0.2 s of a 10,000-entry update). Young
    # objects are still collected, every 100,000 allocations.
    gc.set_threshold(100_000, 20, 100)
    app()
