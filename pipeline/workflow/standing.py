"""`pipeline status` and `pipeline check`: where each catalogue stands, cached by content.

Both verbs answer per catalogue, and both cache each catalogue's answer in
the project's result cache (`pipeline.runtime.resultcache`) under a key made
of the code, the settings that matter, the glossary and the catalogue's
content digest: only catalogues that changed are read and checked again.
:func:`_per_catalogue` is that one protocol.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from pipeline.errors import CatalogueError
from pipeline.gettext.languages import Language
from pipeline.settings import Settings
from pipeline.workflow.discovery import Catalogues, catalogue_files, reference
from pipeline.workflow.outcome import Report


def _per_catalogue(
    settings: Settings,
    report: Report,
    *,
    context: tuple,
    files: list[tuple[Language, str, str]],
    compute: Callable[[Language, str, Path], object],
    store: Callable[[object], object],
    load: Callable[[Language, str, object], object],
) -> None:
    """Append to *report* each catalogue's answer: from the cache when its content is known, else *compute*d.

    *store* turns an answer into JSON-able data for the cache, *load* turns
    the cached data back into an answer. A catalogue that cannot be read is
    skipped into *report* and never cached, so it is reported every time.
    """
    from pipeline import checks
    from pipeline.runtime.resultcache import ResultCache, code_version

    glossary = settings.locale_path / "glossary.csv"
    with ResultCache.open(settings.locale_path) as cache:
        context = (*context, code_version(), checks.registry_key(), cache.digest(glossary), settings.source_language)
        wanted = [
            (lang, domain, path, cache.key(context, cache.digest(path), lang.code, domain, reference(settings, Path(path))))
            for lang, domain, path in files
        ]
        hits = cache.get_many([key for *_, key in wanted])
        for lang, domain, path, key in wanted:
            hit = hits.get(key)
            if hit is not None:
                report.results.append(load(lang, domain, hit))
                continue
            try:
                answer = compute(lang, domain, Path(path))
            except CatalogueError as exc:
                report.skip(lang.code, domain, exc)
                continue
            cache.put(key, store(answer))
            report.results.append(answer)


def status(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, catalogues: Catalogues | None = None
) -> Report:
    """Results are (CatalogueStats, number of failing error checks) for every readable catalogue of *languages*."""
    from pipeline.gettext.stats import CatalogueStats, Counts, catalogue_stats

    catalogues = catalogues or Catalogues(settings)

    def compute(lang: Language, domain: str, path: Path):
        catalogue = catalogues.read(path, language=lang)
        findings = catalogues.findings(catalogue, language=lang)
        failed = sum(1 for f in findings if f.severity == "error" and not f.fuzzy)
        return catalogue_stats(catalogue.po, language=lang.code, domain=domain), failed

    def store(answer):
        stats, failed = answer
        return {"stats": {k: vars(v) for k, v in vars(stats).items() if isinstance(v, Counts)}, "failed": failed}

    def load(lang: Language, domain: str, hit):
        return CatalogueStats.from_counts(lang.code, domain, hit["stats"]), hit["failed"]

    report = Report()
    files = list(catalogue_files(settings, languages=languages, domains=domains))
    _per_catalogue(settings, report, context=("status", _msgfmt()), files=files, compute=compute, store=store, load=load)
    return report


def check(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, use_msgfmt: bool = True
) -> Report:
    """Run the QA checks (and GNU `msgfmt -c`, when installed) over every catalogue; results are Findings.

    A catalogue that cannot be used (another language's, an invalid plural
    rule) is skipped and reported like in every verb; milder header problems
    are findings of the `header` check.
    """
    from pipeline import checks

    catalogues = Catalogues(settings)

    def compute(lang: Language, domain: str, path: Path):
        return catalogues.findings(catalogues.read(path, language=lang), language=lang, use_msgfmt=use_msgfmt)

    report = Report()
    files = list(catalogue_files(settings, languages=languages, domains=domains))
    _per_catalogue(
        settings, report, context=("check", use_msgfmt, _msgfmt() if use_msgfmt else None), files=files, compute=compute,
        store=lambda found: [vars(f) for f in found], load=lambda lang, domain, hit: [checks.Finding(**f) for f in hit],
    )
    report.results = [finding for found in report.results for finding in found]
    report.failed_checks = sum(1 for f in report.results if f.severity == "error" and not f.fuzzy)
    return report


def _msgfmt() -> str | None:
    """Which GNU msgfmt the checks run (its findings are part of a cached answer)."""
    import shutil

    return shutil.which("msgfmt")


def status_document(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, by_language: bool = False
) -> tuple[str, Report]:
    """`pipeline status --format json` as text (`gettext.stats.status_json`), and the report of what was skipped.

    The whole document is cached under one key made of every catalogue's
    (size, mtime, inode), as git's index trusts a file's stat: with nothing
    changed, status costs a `stat` per catalogue and one query, whatever the
    size of the archive. A document is stored only when every file is older
    than the mtime granularity allowance (`RACY_NS`) at the moment it was
    looked at, so an edit in the same tick cannot hide behind an equal mtime;
    otherwise (and after a mere touch) the per-catalogue rows, cached by
    content, rebuild it. A document with a skipped (unreadable) catalogue is
    never cached, so the skip is reported every time.
    """
    import time

    from pipeline.gettext.stats import status_items, status_json
    from pipeline.memory import RACY_NS, stat_many
    from pipeline.runtime.resultcache import ResultCache, code_version

    files = list(catalogue_files(settings, languages=languages, domains=domains))
    glossary = os.path.abspath(settings.locale_path / "glossary.csv")

    def document_key(cache: ResultCache) -> tuple[str | None, bool]:
        """(key, whether every file is old enough for its stat to be trusted)."""
        started = time.time_ns()
        found = stat_many([path for _, _, path in files])
        if None in found:
            return None, False
        states = [(lang.code, domain, st.st_size, st.st_mtime_ns, st.st_ino) for (lang, domain, _), st in zip(files, found)]
        newest = max((st.st_mtime_ns for st in found), default=0)
        try:
            st = os.stat(glossary)
            states.append(("glossary", st.st_size, st.st_mtime_ns, st.st_ino))
            newest = max(newest, st.st_mtime_ns)
        except OSError:
            states.append(("glossary", None))
        if not files:
            return None, False
        context = ("status-document", code_version(), settings.source_language, by_language)
        return cache.key(context, states), started - newest > RACY_NS

    with ResultCache.open(settings.locale_path) as cache:
        key, _ = document_key(cache)
        hit = cache.get_text(key) if key else None
    if hit is not None:
        return hit, Report()
    import pipeline.workflow as verbs  # looked up at call time, as the package exports it

    report = verbs.status(settings, languages=languages, domains=domains)
    text = status_json(status_items(report.results, by_language=by_language))
    if key and report.results and not report.skipped:
        with ResultCache.open(settings.locale_path) as cache:
            again, trusted = document_key(cache)
            if again == key and trusted:  # nothing changed while it was computed, and no racy mtime
                cache.put_text(key, text)
    return text, report
