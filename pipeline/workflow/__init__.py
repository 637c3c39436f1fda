"""The verbs: the stages wired together over a project's files.

One module per verb (`extraction`, `merging`, `translation`, `publish`,
`review`, `standing`, `memory`, `roundtrips`, `job`), over one discovery of
articles and catalogues (`discovery`) and one report type (`outcome`). Each
verb finds the files the settings name, runs the stage functions on plain
data, writes the results atomically holding the project lock (`locking`),
and returns a report. Nothing here prints.
"""

from pipeline.workflow.discovery import (
    Catalogues,
    catalogue_files,
    existing_catalogues,
    known_domains,
    load_articles,
    reference,
    template_path,
)
from pipeline.workflow.extraction import ExtractResult, extract
from pipeline.workflow.job import ChangedArticle, RunReport, changed_articles, run
from pipeline.workflow.memory import MemoryResult, memory_export, memory_import, memory_rebuild
from pipeline.workflow.merging import UpdateResult, update
from pipeline.workflow.outcome import Report, Skipped
from pipeline.workflow.publish import bundle, compile_all
from pipeline.workflow.review import report
from pipeline.workflow.roundtrips import BackTranslation, RoundtripResult, back_translate, roundtrip
from pipeline.workflow.standing import check, status, status_document
from pipeline.workflow.translation import ProgressFactory, TranslationJob, translate, translation_jobs

__all__ = [
    "ArchiveReport", "ArchiveResult", "BackTranslation", "Catalogues", "ChangedArticle", "changed_articles", "ExtractResult", "MemoryResult", "ProgressFactory", "Report", "RoundtripResult",
    "RunReport", "Skipped", "TranslationJob", "UpdateResult", "back_translate", "bundle", "catalogue_files", "check",
    "compile_all", "existing_catalogues", "extract", "known_domains", "load_articles", "memory_export", "memory_import",
    "memory_rebuild", "reference", "report", "roundtrip", "run", "status", "status_document", "template_path",
    "select_sources", "translate", "translate_archive", "translation_jobs", "update",
]  # fmt: skip


_LAZY = {"ArchiveReport", "ArchiveResult", "select_sources", "translate_archive"}


def __getattr__(name: str):
    """The archive verb is imported when first asked for: a daily `run` never needs it."""
    if name in _LAZY:
        from pipeline.workflow import archive

        return getattr(archive, name)
    raise AttributeError(f"module 'pipeline.workflow' has no attribute {name!r}")
