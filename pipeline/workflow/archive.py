"""`pipeline archive`: translate a whole archive into languages, resumably, on any executor.

The memory answers first (`update`); only what it cannot answer is shipped
to the engine, on the configured executor (`serial`, `ray`, …). The
catalogues are the state: articles go in chunks, and after each chunk its
catalogues are written (atomically, whole) before the next is shipped, so a
killed or failed run loses at most the chunk in flight, and a new run finds
what was saved already translated. Engine outputs are also kept in the
project's result cache (`locale/.cache/results.sqlite`, keyed by the
provenance line and the masked sentence) as soon as a chunk's batch comes
back, so a sentence translated once is never shipped again: not in a later
chunk, not after a crash between the batch and the write.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from pipeline.engines import produces_translations, provenance_line
from pipeline.engines.fill import TranslateResult, apply_outputs, pending_sentences
from pipeline.errors import CatalogueError, EngineError, SourceError, TranslationInterrupted
from pipeline.gettext.catalogue import write_catalogue
from pipeline.gettext.provenance import MT_MARK
from pipeline.runtime.resultcache import ResultCache
from pipeline.settings import Settings
from pipeline.workflow.discovery import load_articles
from pipeline.workflow.extraction import extract
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.merging import update
from pipeline.workflow.outcome import Report
from pipeline.workflow.translation import EngineTask, EngineWork, engine_task_options, translation_jobs

ArchiveProgress = Callable[[int, int], None]
"""Called as `progress(done, total)`: distinct sentences finished, of all the archive's pending ones."""

_STEM_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class ArchiveResult(TranslateResult):
    """What one language of an archive run did (a TranslateResult, plus where the sentences came from)."""

    articles: int = 0
    shipped: int = 0  # distinct sentences sent to the executor in this run
    reused: int = 0  # distinct sentences answered from engine outputs kept by an earlier chunk or run
    chunks: int = 0  # chunks written


@dataclass
class ArchiveReport(Report):
    """An archive run: the update's report absorbed, one ArchiveResult per language."""

    sources: list[str] = field(default_factory=list)


def article_date(article) -> date | None:
    """The story's date: the reader's (`Article.date`), else a YYYY-MM-DD in the file name."""
    text = getattr(article, "date", None)
    if not text:
        found = _STEM_DATE.search(Path(article.path).name)
        text = found.group(1) if found else None
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def select_sources(settings: Settings, patterns, *, since: date | None = None, until: date | None = None) -> list[str]:
    """The archive's articles: *patterns* (paths or globs, relative to the project) expanded, then the date range.

    With a range, an article without a date (none from its reader, none in
    its name) is left out. Nothing matched is a SourceError.
    """
    found: list[str] = []
    for pattern in patterns:
        absolute = str(settings.resolve(pattern))
        matches = sorted(glob.glob(absolute, recursive=True)) if glob.has_magic(pattern) else [absolute]
        found.extend(path for path in matches if Path(path).is_file() or not glob.has_magic(pattern))
    found = list(dict.fromkeys(found))
    if found and (since or until):
        kept = []
        for path, article in zip(found, load_articles(settings, found)):
            when = article_date(article)
            if when and (since is None or when >= since) and (until is None or when <= until):
                kept.append(path)
        found = kept
    if not found:
        raise SourceError(f"no article matches {', '.join(patterns)}{_range(since, until)}; check the paths, globs and dates.")
    return found


def _range(since, until) -> str:
    if not (since or until):
        return ""
    return f" between {since or 'the first'} and {until or 'the last'}"


@writes_catalogues
def translate_archive(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    chunk: int = 50,
    refresh_mt: bool = False,
    progress: ArchiveProgress | None = None,
) -> ArchiveReport:
    """Extract, update (memory first), then translate every article of *sources* into *languages*, *chunk* articles at a time.

    Resumable: what a killed run wrote is not done again (see the module
    docstring). A language whose model is missing or fails is skipped and
    reported; the others complete. An interruption (Ctrl-C, SIGTERM) keeps
    every chunk written and is raised again with the catalogues saved.
    """
    from pipeline.engines import engine_from_settings

    report = ArchiveReport(sources=list(sources))
    domains = [item.domain for item in extract(settings, sources)]
    report.absorb(update(settings, languages=languages, domains=domains))
    jobs = [job for job in translation_jobs(settings, languages=languages, domains=domains, refresh_mt=refresh_mt, report=report)]
    total = sum(job.pending for job in jobs)
    done = 0
    if progress:
        progress(0, total)
    engine = executor = task = None
    for job in jobs:
        result = ArchiveResult(language=job.language, articles=len(job.opened))
        if not job.pending:
            report.results.append(result)
            continue
        try:
            engine = engine or engine_from_settings(settings)
            executor = executor or settings.get_executor()
            task = task or EngineTask(settings.engine, engine_task_options(settings, executor), engine=engine)
            origin = MT_MARK + provenance_line(engine, settings.source_language, job.language)
        except (EngineError, CatalogueError) as exc:
            report.skip(job.language, None, exc)
            done += job.pending
            continue
        replace = produces_translations(getattr(engine, "name", ""))
        counted: set[str] = set()
        written: list[Path] = []  # this language's catalogues whose chunk is complete on disk
        try:
            for start in range(0, len(job.opened), max(1, chunk)):
                opened = job.opened[start : start + max(1, chunk)]
                pending = pending_sentences(
                    [c.po for c in opened], source=settings.source_language, target=job.language,
                    replace_placeholders=replace, refresh_mt=refresh_mt,
                )
                if not pending:  # written by an earlier run (or answered by the memory): nothing to do
                    continue
                outputs = _translate_chunk(settings, executor, task, pending, origin, result, progress=None)
                apply_outputs(pending, outputs, origin=origin, result=result)
                for catalogue in opened:
                    try:
                        write_catalogue(catalogue)  # whole, atomically; a translator's save since wins
                        written.append(catalogue.path)
                    except CatalogueError as exc:
                        report.skip(job.language, Path(catalogue.path).stem, exc)
                result.chunks += 1
                fresh = [msgid for msgid in pending.msgids if msgid not in counted]
                counted.update(fresh)
                done += len(fresh)
                if progress:
                    progress(done, total)
        except TranslationInterrupted as stop:
            stop.saved = written
            raise
        except KeyboardInterrupt:
            stop = TranslationInterrupted(f"archive translation interrupted after {done} of {total} sentences", [])
            stop.saved = written
            raise stop from None
        except (EngineError, CatalogueError) as exc:
            report.skip(job.language, None, exc)
            continue
        finally:
            result.sentences = len(counted)
        report.results.append(result)
    return report


def _translate_chunk(settings, executor, task, pending, origin, result, *, progress) -> list[str]:
    """The outputs for *pending*: kept ones from the result cache, the rest from the executor (then kept)."""
    texts = pending.texts
    with ResultCache.open(settings.locale_path) as cache:
        keys = [cache.key("engine-output", origin, text) for text in texts]
        kept = cache.get_many(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(text for text, key in zip(texts, keys) if key not in kept))
        if missing:
            [shipped] = executor.map(task, [EngineWork(pending.source, pending.target, tuple(missing))], progress=progress)
            for text, output in zip(missing, shipped):
                kept[cache.key("engine-output", origin, text)] = output
                cache.put(cache.key("engine-output", origin, text), output)
        result.shipped += len(missing)
        result.reused += len(set(texts)) - len(missing)
    return [kept[key] for key in keys]
