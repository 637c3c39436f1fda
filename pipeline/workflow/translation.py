"""`pipeline translate`: fill what the memory could not answer with the configured engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import polib

from pipeline.engines import Engine, produces_translations, provenance_line
from pipeline.engines.fill import (
    PendingSentences, TranslateResult, apply_outputs, edited_suggestions, fill_catalogues, pending_entries, pending_sentences,
)
from pipeline.gettext.provenance import MT_MARK
from pipeline.errors import CatalogueError, EngineError, MissingModelError, TranslationInterrupted
from pipeline.gettext.catalogue import Catalogue, write_catalogue
from pipeline.gettext.languages import language
from pipeline.settings import Settings
from pipeline.workflow.discovery import Catalogues, existing_catalogues
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.outcome import Report

ProgressFactory = Callable[[str, int], Callable[[int], None] | None]


@dataclass(frozen=True)
class EngineWork:
    """What an executor ships for one language pair: masked sentences, nothing else."""

    source: str
    target: str
    sentences: tuple[str, ...]


class EngineTask:
    """The pure engine step of `translate`: an EngineWork in, one output per sentence out.

    A :class:`~pipeline.runtime.executors.BatchedTask`: a pool executor
    (`ray`) builds one engine per actor from the engine's registered factory
    and options (plain data, shipped by value), so each actor loads its model
    once; in this process the engine the driver already built is used, and
    its progress reaches *progress* sentence by sentence.
    """

    def __init__(self, engine_name: str, options: dict, *, engine: Engine | None = None, progress=None):
        from pipeline.engines import engine_spec

        self.engine_name = engine_name
        self.factory = engine_spec(engine_name).factory
        self.options = dict(options)
        self.engine = engine
        self.progress = progress

    def __getstate__(self):
        return {"engine_name": self.engine_name, "factory": self.factory, "options": self.options, "engine": None, "progress": None}

    def _engine(self) -> Engine:
        if self.engine is None:
            self.engine = self.factory(**self.options)
        return self.engine

    def __call__(self, work: EngineWork) -> list[str]:
        return self._engine().translate_batch(list(work.sentences), source=work.source, target=work.target, progress=self.progress)

    def key(self, work: EngineWork) -> tuple[str, str]:
        return work.source, work.target

    def rows(self, work: EngineWork) -> tuple[str, ...]:
        return work.sentences

    def worker(self, key: tuple[str, str]) -> Callable[[list[str]], list[str]]:
        engine, (source, target) = self._engine(), key
        engine.provenance(source, target)  # find the model now: a missing one fails before any batch
        return lambda sentences: engine.translate_batch(sentences, source=source, target=target)


@dataclass
class TranslationJob:
    """The pending work of one language across every domain."""

    language: str
    opened: list[Catalogue]
    pending: int
    source_language: str
    refresh_mt: bool = False
    left_alone: int = 0  # suggestions a person edited, which the engine will not replace

    @property
    def paths(self) -> list[Path]:
        return [catalogue.path for catalogue in self.opened]

    @property
    def catalogues(self) -> list[polib.POFile]:
        return [catalogue.po for catalogue in self.opened]

    def run(self, engine: Engine, progress: Callable[[int], None] | None = None) -> TranslateResult:
        return fill_catalogues(
            self.catalogues,
            engine,
            source=self.source_language,
            target=self.language,
            refresh_mt=self.refresh_mt,
            progress=progress,
        )

    def pending_sentences(self, engine: Engine) -> PendingSentences:
        """What this job ships: its pending sentences, de-duplicated and masked (reads only)."""
        return pending_sentences(
            self.catalogues, source=self.source_language, target=self.language,
            replace_placeholders=produces_translations(getattr(engine, "name", "")), refresh_mt=self.refresh_mt,
        )

    def run_on(self, executor, task: EngineTask, engine: Engine, progress: Callable[[int], None] | None = None) -> TranslateResult:
        """Collect (here), translate (on *executor*), apply (here): what `run` does, with the engine step anywhere.

        With the serial executor the result is `run`'s, byte for byte; an
        interruption in this process applies what was finished before it is raised.
        """
        pending = self.pending_sentences(engine)
        result = TranslateResult(language=self.language)
        if not pending:
            return result
        origin = MT_MARK + provenance_line(engine, self.source_language, self.language)
        work = EngineWork(self.source_language, self.language, tuple(pending.texts))
        task.progress = None if getattr(executor, "reports_rows", False) else progress
        try:
            [outputs] = executor.map(task, [work], progress=progress if getattr(executor, "reports_rows", False) else None)
        except TranslationInterrupted as stop:
            apply_outputs(pending, stop.partial, origin=origin, result=result)
            raise
        return apply_outputs(pending, outputs, origin=origin, result=result)

    def save(self) -> list[Path]:
        return [catalogue.path for catalogue in self.opened if write_catalogue(catalogue)]


def translation_jobs(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    refresh_mt: bool = False,
    report: Report | None = None,
    catalogues: Catalogues | None = None,
) -> list[TranslationJob]:
    """One job per language, holding its readable catalogues and how many entries are pending.

    Unreadable catalogues are left out and recorded in *report* (when given).
    A language with nothing pending holds the shared, read-only catalogues of
    *catalogues*; one with work gets copies of its own, which it may change.
    """
    catalogues = catalogues or Catalogues(settings)
    replace = produces_translations(settings.engine)
    jobs = []
    for code in languages:
        lang = language(code)
        opened = []
        for _, domain, path in existing_catalogues(settings, languages=(lang.code,), domains=domains):
            try:
                opened.append(catalogues.read(path, language=lang))
            except CatalogueError as exc:
                if report is None:
                    raise
                report.skip(lang.code, domain, exc)
        pending = len({e.msgid for c in opened for e in pending_entries(c.po, refresh_mt=refresh_mt, replace_placeholders=replace)})
        edited = sum(len(edited_suggestions(c.po, refresh_mt=refresh_mt, replace_placeholders=replace)) for c in opened)
        if pending:  # the job changes these: never the copies other stages read
            opened = [catalogues.fresh(c.path, language=lang) for c in opened]
        jobs.append(TranslationJob(lang.code, opened, pending, settings.source_language, refresh_mt, edited))
    return jobs


def engine_task_options(settings: Settings, executor) -> dict:
    """The engine's options for an EngineTask; on a cluster, CPU threads default to the worker's CPUs."""
    options = settings.engine_options()
    if getattr(executor, "remote", False) and "threads" in options and not options["threads"]:
        options["threads"] = max(1, int(getattr(executor, "cpus_per_worker", 1)))
    return options


@writes_catalogues
def translate(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    refresh_mt: bool = False,
    progress: ProgressFactory | None = None,
    catalogues: Catalogues | None = None,
) -> Report:
    """Fill every language's pending entries with the configured engine; results are TranslateResults.

    The engine is created only when something is pending. A language whose
    catalogue cannot be read, or whose model is missing or fails, is skipped
    and reported; the others are translated. An interruption (Ctrl-C,
    SIGTERM) saves what was finished and is raised again for the caller.
    A missing model is not a skip: its pair is listed in
    `report.missing_models` (the CLI names them all in one line) and the
    language's missing sentences wait for translators. Suggestions a person
    edited are never replaced; `report.left_alone` counts them.
    """
    from pipeline.engines import engine_from_settings

    report = Report()
    engine = task = executor = None
    for job in translation_jobs(
        settings, languages=languages, domains=domains, refresh_mt=refresh_mt, report=report, catalogues=catalogues
    ):
        report.left_alone += job.left_alone
        if not job.pending:
            continue
        try:
            engine = engine or engine_from_settings(settings)
            executor = executor or settings.get_executor()
            task = task or EngineTask(settings.engine, engine_task_options(settings, executor), engine=engine)
            engine.provenance(settings.source_language, job.language)  # a missing model fails before any progress
            callback = progress(job.language, job.pending) if progress else None
            result = job.run_on(executor, task, engine, callback)
            job.save()
        except TranslationInterrupted as stop:
            stop.saved = job.save()
            raise
        except MissingModelError:
            report.missing_models.append((settings.source_language, job.language))
            continue
        except (EngineError, CatalogueError) as exc:
            report.skip(job.language, None, exc)
            continue
        report.results.append(result)
    return report
