"""What every `pipeline` command shares: the app, the consoles, the options, errors to exit codes.

Only the `pipeline.cli` package prints or exits. Exit codes: 0 ok, 1 a check
failed, 2 bad input or usage (one clear line on stderr, never a traceback).
The library is imported when a command runs, not when `--help` is shown.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperArgument, TyperCommand
from rich.console import Console

from pipeline.errors import ConfigError, PipelineError, TranslationInterrupted
from pipeline.settings import COMPUTE_TYPES, DEVICES, FORMATS, Settings, check_targets, load_settings
from pipeline.wording import counted


class _LazyModule:
    """A module imported on first use: `pipeline --help` needs none of the library."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


workflow = _LazyModule("pipeline.workflow")

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
    still write its catalogues and bundles, so later output is dropped. A
    stream that cannot take the output at all (closed at start, `/dev/full`,
    an I/O error) is remembered in `failed`: the entry point says so in one
    line and exits 2. Characters the terminal's encoding lacks are replaced.
    """

    closed_pipe = False
    failed: str | None = None
    stream = "stdout"

    def _target(self):
        return getattr(sys, self.stream)

    def write(self, text: str) -> int:
        if not type(self).closed_pipe and type(self).failed is None:
            target = self._target()
            if target is None:
                self._failed("it is closed")
                return len(text)
            try:
                try:
                    target.write(text)
                except UnicodeEncodeError:
                    encoding = getattr(target, "encoding", None) or "ascii"
                    target.write(text.encode(encoding, "replace").decode(encoding, "replace"))
            except BrokenPipeError:
                self._closed()
            except (OSError, ValueError) as exc:
                self._failed(getattr(exc, "strerror", None) or str(exc))
        return len(text)

    def flush(self) -> None:
        if not type(self).closed_pipe and type(self).failed is None:
            target = self._target()
            if target is None:
                return
            try:
                target.flush()
            except BrokenPipeError:
                self._closed()
            except (OSError, ValueError) as exc:
                self._failed(getattr(exc, "strerror", None) or str(exc))

    def isatty(self) -> bool:
        target = self._target()
        try:
            return not type(self).closed_pipe and target is not None and target.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self._target().fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._target(), "encoding", None) or "utf-8"

    def _closed(self) -> None:
        type(self).closed_pipe = True
        _silence(self.stream)

    def _failed(self, why: str) -> None:
        type(self).failed = why
        _silence(self.stream)


class _Stderr(_Stdout):
    """sys.stderr, with the same care as :class:`_Stdout`."""

    closed_pipe = False
    failed: str | None = None
    stream = "stderr"


def _silence(stream: str) -> None:
    """Point the stream's descriptor at /dev/null, so the interpreter's final flush does not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1 if stream == "stdout" else 2)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


out = Console(file=_Stdout(), highlight=False, markup=False, soft_wrap=True)
err = Console(file=_Stderr(), highlight=False, markup=False, soft_wrap=True)

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
        from pipeline.version import package_version

        out.print(f"pipeline {package_version() or 'unknown (not installed)'}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    wait: Annotated[float, typer.Option("--wait", min=0, metavar="SECONDS", help="Seconds to wait for another pipeline process working on the same catalogues.")] = 10.0,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Offline translation and localisation of newsroom articles."""
    _lock_wait["seconds"] = wait


def reports_errors(command=None, *, writes: bool = False):
    """Turn library errors into one line on stderr and their exit code.

    The workflow's writing verbs take the project lock themselves; *writes*
    is for the commands that write outside it (model packages), which hold
    it here so that no run translates with a package being replaced.
    """
    if command is None:
        return functools.partial(reports_errors, writes=writes)

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from contextlib import nullcontext

        from pipeline.runtime.lock import project_lock

        Verbosity.quiet, Verbosity.progress = False, True  # each command sets its own (one process may run several)
        try:
            settings = load_settings()
            locale_dir = kwargs.get("locale_dir") or settings.locale_dir
            held = (
                project_lock(settings.resolve(locale_dir), timeout=_lock_wait["seconds"], tidy=(settings.output_path,))
                if writes
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
    from pipeline.gettext.languages import parse_languages

    settings = load_settings()
    settings = settings.with_overrides(
        languages=parse_languages(lang), locale_dir=locale_dir, lock_wait=_lock_wait["seconds"], **overrides
    )
    check_targets(settings.languages, source=settings.source_language)
    return settings


def _sources(settings: Settings, sources: list[str] | None) -> tuple[str, ...]:
    """Sources named on the command line are relative to the current folder (as a shell user means them);
    configured `sources` are relative to the project root."""
    if not sources:
        return settings.sources
    return tuple(source if os.path.isabs(source) else os.path.join(os.getcwd(), source) for source in sources)

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


def _executor_choice(value: Optional[str]) -> Optional[str]:
    from pipeline.runtime.executors import executor_names

    if value is not None and value not in executor_names():
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(executor_names())}.")
    return value


ExecutorOption = Annotated[Optional[str], typer.Option(callback=_executor_choice, metavar="NAME", help="Where the engine work runs: serial (this process, the default) or ray (a Ray cluster; pip install '.[ray]'). Default: [tool.pipeline] executor.")]
AddressOption = Annotated[Optional[str], typer.Option(metavar="auto|ray://HOST:PORT", help="The Ray cluster to join (with --executor ray): auto (the one this machine belongs to) or a Ray Client address. Default: a local Ray.")]
WorkersOption = Annotated[Optional[int], typer.Option(min=1, metavar="N", help="Actors per language pair with --executor ray (default: one per CPU of the cluster).")]
GpusOption = Annotated[Optional[float], typer.Option("--gpus", min=0, metavar="N", help="GPUs per actor with --executor ray (e.g. 1; use with --device cuda).")]


def _executor_settings(settings: Settings, *, executor=None, address=None, workers=None, gpus=None) -> Settings:
    """`--executor` and the options of the executor it names (`--address`, `--workers`, `--gpus` for ray)."""
    settings = settings.with_overrides(executor=executor)
    given = {"address": address, "workers": workers, "num_gpus": gpus}
    given = {key: value for key, value in given.items() if value is not None}
    if given:
        from pipeline.runtime.executors import executor_options

        unknown = [key for key in given if key not in executor_options(settings.executor)]
        if unknown:
            flags = {"address": "--address", "workers": "--workers", "num_gpus": "--gpus"}
            raise ConfigError(f"{', '.join(flags[key] for key in unknown)}: only with --executor ray (the executor is {settings.executor}).")
        tables = {name: dict(table) for name, table in settings.executors.items()}
        tables.setdefault(settings.executor, {}).update(given)
        settings = settings.with_overrides(executors=tables)
    if settings.executor != "serial":
        settings.get_executor()  # a missing library (Ray) is one error line before anything is read or written
    return settings


BundleFormatOption = Annotated[
    Optional[str],
    typer.Option("--format", metavar="FORMAT[,FORMAT...]", help="Bundle formats, comma-separated: txt, json, md, html, mo, zip. Default: all."),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Print only the outcome of each language, problems and the summary (for cron jobs); no progress bars."),
]
NoProgressOption = Annotated[bool, typer.Option("--no-progress", help="No progress bars (the output is otherwise the same).")]
DateOption = Annotated[
    Optional[str],
    typer.Option("--date", metavar="YYYY-MM-DD", help="The story's date, printed in each language's format (default: the article's own date line or front matter, else [tool.pipeline.story_dates]; none: no date line)."),
]


def _story_date(value: str | None) -> str | None:
    """--date checked before anything is read or written."""
    if value is None:
        return None
    from datetime import date

    from pipeline.errors import ConfigError

    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise ConfigError(f"--date: {value!r} is not a date written YYYY-MM-DD (e.g. 2022-10-06).")


class Verbosity:
    """How much a command prints: `quiet` leaves out stage lines, `progress` shows bars on a terminal."""

    quiet = False
    progress = True


def _verbosity(*, quiet: bool = False, no_progress: bool = False) -> None:
    Verbosity.quiet = quiet
    Verbosity.progress = not (quiet or no_progress)


PublishFailingOption = Annotated[
    bool,
    typer.Option("--publish-failing", help="Publish translations that fail an error check anyway (recorded in the manifest)."),
]


def _translate(settings: Settings, *, refresh_mt: bool = False) -> "workflow.Report":
    """`workflow.translate` with a progress bar per language; prints what each language got, and what it left alone."""
    with _progress_bars(settings) as progress:
        report = _interruptible(workflow.translate, settings, languages=settings.languages, refresh_mt=refresh_mt, progress=progress)
    _print_translations(report.results, settings)
    _print_engine_notes(report)
    for changed in workflow.changed_articles(settings, settings.sources):
        err.print(
            f"note: {changed.source} changed since {_show(changed.template)} was extracted ({changed.added} new, "
            f"{changed.removed} removed {'sentence' if changed.added + changed.removed == 1 else 'sentences'}); "
            f"run `pipeline run {changed.source}` to extract, merge and translate them."
        )
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

    import time

    bars: list[Progress] = []

    def start(language: str, total: int):
        if not Verbosity.progress:
            return None
        if not bars:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
            bars.append(Progress(*columns, console=err))
            bars[0].start()
        progress = bars[0]
        task = progress.add_task(f"{settings.engine} {settings.source_language}→{language}", total=total, rate="")
        started = time.monotonic()
        done = [0.0]

        def advance(count: float) -> None:
            # The rate is sentences done over the time since this language started: rich's own speed
            # averages the last few updates only, and an engine reports whole batches at once.
            done[0] += count
            progress.advance(task, count)
            elapsed = time.monotonic() - started
            progress.update(task, rate=f"{done[0] / elapsed:.1f} sentences/s" if elapsed >= 0.5 else "")

        return advance

    try:
        yield start
    finally:
        if bars:
            bars[0].stop()


def _print_translations(results, settings: Settings) -> None:
    if Verbosity.quiet:
        return
    for result in results:
        flagged = f", {len(result.flagged)} flagged for review" if result.flagged else ""
        out.print(f"{result.language}: {counted(result.entries, 'entry', 'entries')} filled by {settings.engine} (fuzzy){flagged}")


def _print_engine_notes(report) -> None:
    """One line for every missing model of the run (never one per language), one for the edits left alone."""
    if report.missing_models:
        pairs = ", ".join(f"{s} → {t}" for s, t in report.missing_models)
        first = report.missing_models[0]
        err.print(
            f"note: no machine-translation model installed for {pairs}; their missing sentences wait for translators. "
            f"Install one per pair: `pipeline models install {first[0]} {first[1]}` (or `pipeline models install FILE.argosmodel` offline)."
        )
    if report.left_alone:
        err.print(
            f"note: {counted(report.left_alone, 'machine suggestion')} edited by a person left alone (still fuzzy: review them, "
            "then remove the fuzzy flag)."
        )


def _finish(report: "workflow.Report", *, outcome: bool = False) -> None:
    """Print what the verb skipped (one line each) and exit with the report's status.

    With *outcome* (`bundle`, `run`) the last line says what the exit status
    means, in the words of the README's table of outcomes.
    """
    for note in getattr(report, "notes", ()):
        err.print(f"note: {note}")
    for skipped in report.skipped:
        err.print(f"error: {skipped.reason}")
    if report.skipped:
        what = ", ".join(dict.fromkeys(f"{s.domain} [{s.language}]" if s.domain else s.language for s in report.skipped))
        err.print(f"skipped: {what}; everything else completed.")
    if outcome:
        for label in dict.fromkeys(f"{s.domain} [{s.language}]" for s in report.skipped if s.domain):
            out.print(f"{label}: failed, not published (the error above)")
        out.print(OUTCOME_WORDS[report.exit_code] + f" (exit {report.exit_code})")
    if report.exit_code:
        raise typer.Exit(report.exit_code)


OUTCOME_WORDS = {
    0: "outcome: every language published",
    1: "outcome: a check failed; a translation or catalogue is held back",
    2: "outcome: broken input, usage or engine; see the errors above",
    3: "outcome: waiting for translators or reviewers; previews written, not published",
}
"""The summary line of `bundle` and `run` for each exit status (the README's table of outcomes)."""


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
    if Verbosity.quiet:
        return
    for result in results:
        r = result.report
        state = "written" if result.changed else "unchanged"
        m = result.memory
        memory = f", {m.exact} from memory, {counted(m.fuzzy, 'memory suggestion')}" if m.exact or m.fuzzy else ""
        out.print(
            f"{_show(result.path)}: {r.kept + r.revived} kept, {r.fuzzy_matched} fuzzy, {r.new} new{memory}, {r.obsoleted} obsoleted ({state})"
        )


def _print_bundles(results, *, out_dir: Path | None = None) -> bool:
    """Print one line per language with its state and why (and each held-back sentence); True when something is held back."""
    held = False
    for result in results:
        label = f"{result.domain} [{result.language}]"
        if result.state == "published":
            fallback = f"; {counted(len(result.fallback), 'sentence is', 'sentences are')} printed in the source language" if result.fallback else ""
            ready = "translated (fuzzy included)" if result.manifest_entry.get("use_fuzzy") else "reviewed"
            out.print(f"{label}: published, {result.completeness:.1f}% {ready}{fallback}")
        else:
            where = ""
            if result.files:
                where = f"; draft in {_show(result.files[0].parent)}/"
            out.print(f"{label}: {result.state}, not published: {result.reason or ''}{where}")
        for item in result.held_back:
            held = True
            line = f" (line {item.line})" if item.line else ""
            err.print(f"{label}: not published{line}, fails [{item.check}] {item.message}: {item.msgid[:60]}")
        for item in result.published_failing:
            err.print(f"{label}: published on request although it fails [{item.check}]: {item.msgid[:60]}")
        if result.state == "held back":
            held = True
    return held
