"""The stages wired together over a project's files.

Each function here is one CLI verb's work: it finds the files the settings
name, runs the stage functions on plain data, and writes the results
atomically. Nothing here prints; results come back as data.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import polib

from pipeline import article as article_mod
from pipeline.article import Article
from pipeline.bundle import BundleResult, build_language, guard_folder, parse_formats, refuse_same_domain, remove_leftover_temporaries, write_bundle
from pipeline.gettext.catalogue import Catalogue, catalogue_path, open_catalogue, open_catalogues, read_catalogue, write_catalogue
from pipeline.gettext.merge import MergeReport, merge
from pipeline.gettext.mo import compile_catalogue, mo_path
from pipeline.engines import Engine, produces_translations
from pipeline.errors import CatalogueError, ConfigError, EngineError, OutputError, SourceError, TranslationInterrupted
from pipeline.gettext.template import build_template, write_template
from pipeline.gettext.languages import Language, language
from pipeline.memory import MemoryReport, TranslationMemory, apply_memory, memory_sources
from pipeline.settings import Settings
from pipeline.engines.fill import TranslateResult, fill_catalogues, pending_entries
from pipeline.wording import counted
from pipeline.gettext.provenance import BACK_MARK, set_note


@dataclass
class Skipped:
    """A catalogue (or a language) a verb could not use, and why, in one line naming the file."""

    language: str
    domain: str | None
    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass
class Report:
    """What one verb did: its results, what it skipped and why, and its exit status.

    One catalogue's failure never stops another language: the verb skips it,
    records why here, and finishes the rest; the exit status is then 2.
    """

    results: list = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed_checks: int = 0  # error-severity findings on reviewed entries (exit 1)

    @property
    def exit_code(self) -> int:
        if self.skipped:
            return 2
        return 1 if self.failed_checks else 0

    def skip(self, language: str, domain: str | None, error: Exception) -> None:
        """Record that *language* (in *domain*) was skipped because of *error*; once per reason."""
        self._add(Skipped(language, domain, str(error)))

    def absorb(self, other: "Report") -> None:
        """Take over what *other* skipped and failed (a stage of `run`); the same catalogue is named once."""
        for item in other.skipped:
            self._add(item)
        self.failed_checks += other.failed_checks

    def _add(self, item: Skipped) -> None:
        if item not in self.skipped:
            self.skipped.append(item)


@dataclass
class ExtractResult:
    domain: str
    path: Path
    entries: int
    changed: bool


@dataclass
class UpdateResult:
    language: str
    domain: str
    path: Path
    report: MergeReport
    changed: bool
    memory: MemoryReport = field(default_factory=MemoryReport)


@dataclass
class RoundtripResult:
    source: str
    identical: bool
    size: int
    first_difference: int | None = None


@dataclass
class TranslationJob:
    """The pending work of one language across every domain."""

    language: str
    opened: list[Catalogue]
    pending: int
    source_language: str
    refresh_mt: bool = False

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

    def save(self) -> list[Path]:
        return [catalogue.path for catalogue in self.opened if write_catalogue(catalogue)]


def reference(settings: Settings, path: Path) -> str:
    """How catalogues cite a source: relative to the project root when inside it."""
    absolute = settings.resolve(path).resolve()
    try:
        return absolute.relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def load_articles(settings: Settings, sources: list[str] | tuple[str, ...]) -> list[Article]:
    """Read and segment each source article."""
    if not sources:
        raise SourceError("no source article given; name one (e.g. seeds/article.txt) or set [tool.pipeline] sources.")
    articles = [
        article_mod.read_article(
            settings.resolve(source),
            reference=reference(settings, Path(source)),
            credit_patterns=settings.credit_patterns,
            language=settings.source_language,
        )
        for source in dict.fromkeys(sources)
    ]
    refuse_same_domain(articles)  # a domain names files and folders: `..` or a shared stem must not
    return articles


def template_path(settings: Settings, domain: str) -> Path:
    return settings.locale_path / f"{domain}.pot"


def extract(settings: Settings, sources) -> list[ExtractResult]:
    """Write one POT per source (two sources with the same file stem are refused: they would share it)."""
    articles = load_articles(settings, sources)
    by_domain: dict[str, list[Article]] = {}
    for item in articles:
        by_domain.setdefault(item.domain, []).append(item)
    results = []
    for domain, group in by_domain.items():
        path = template_path(settings, domain)
        changed = write_template(group, path)
        entries = len({segment.msgid for item in group for segment in item.segments})
        results.append(ExtractResult(domain, path, entries, changed))
    return results


def known_domains(settings: Settings) -> list[str]:
    """Domains that have a template under the locale folder."""
    try:  # names, not Path objects: a year's archive has thousands
        return sorted(name[:-4] for name in os.listdir(settings.locale_path) if name.endswith(".pot") and len(name) > 4)
    except OSError:
        return []


def update(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    purge_obsolete: bool = False,
) -> Report:
    """Create or merge every catalogue of *languages* for *domains* from its template.

    A catalogue that cannot be read is skipped (and reported); the others are merged.
    """
    domains = domains or known_domains(settings)
    if not domains:
        raise CatalogueError(f"{settings.locale_path}: no template (.pot) found; run `pipeline extract SOURCE` first.")
    for domain in domains:
        if not template_path(settings, domain).is_file() and ("/" in domain or "." in domain):
            stem = Path(domain).stem
            raise ConfigError(
                f"{domain}: update takes domains (template names such as {stem!r}), not files; "
                f"for a source article run `pipeline run {domain}`, or `pipeline extract {domain}` then `pipeline update {stem}`."
            )
    report = Report()
    # Read everything first: a malformed catalogue is skipped before anything is written.
    targets = [(domain, language(code)) for domain in domains for code in languages]
    requests = [(template_path(settings, domain), None) for domain in domains]
    requests += [(catalogue_path(settings.locale_path, lang.code, domain), lang) for domain, lang in targets]
    read = open_catalogues(requests)
    templates = {}
    for domain, found in zip(domains, read):
        if found is None:
            raise CatalogueError(f"{template_path(settings, domain)}: no such template; run `pipeline extract SOURCE` to create it.")
        if isinstance(found, CatalogueError):
            raise found
        templates[domain] = found.po
    plan = []
    for (domain, lang), (path, _), po in zip(targets, requests[len(domains) :], read[len(domains) :]):
        if isinstance(po, CatalogueError):
            report.skip(lang.code, domain, po)
            continue
        plan.append((domain, lang, path, templates[domain], po))
    with open_memories(settings, plan) as memories:
        for domain, lang, path, pot, po in plan:
            merged, merge_report = merge(
                pot, po, lang, fuzzy_threshold=settings.fuzzy_threshold, purge_obsolete=purge_obsolete
            )
            # The memory answers before any engine: MT only sees what it cannot.
            memory_report = apply_memory(merged, memories[lang.code], threshold=settings.memory_threshold)
            if po is not None and _same_entries(po.po, merged):
                target = po  # nothing to merge: keep the file byte for byte
            elif po is not None:
                target = Catalogue(merged, path, po.fingerprint, po.header_text, header_entry=po.header_entry)
            else:
                target = Catalogue(merged, path)
            try:
                changed = write_catalogue(target)
            except CatalogueError as exc:  # a translator saved it meanwhile: their edit wins
                report.skip(lang.code, domain, exc)
                continue
            if changed:
                memories[lang.code].index_file(path, target)
            report.results.append(UpdateResult(lang.code, domain, path, merge_report, changed, memory_report))
    return report


@contextmanager
def open_memories(settings: Settings, plan) -> Iterator[dict[str, TranslationMemory]]:
    """The memory of each language in *plan*, brought up to date with that language's files.

    Only files whose size or mtime changed since they were indexed are read;
    the catalogues of *plan* are passed in already parsed. A catalogue that
    cannot be read is left out of the memory (the verb working on it reports it).
    """
    memories: dict[str, TranslationMemory] = {}
    try:
        for _, lang, path, _, po in plan:
            if lang.code not in memories:
                memories[lang.code] = TranslationMemory.open(settings.locale_path, lang)
                parsed = {p: c for _, l, p, _, c in plan if l.code == lang.code and c is not None}
                memories[lang.code].refresh(memory_sources(settings.locale_path, lang.code), parsed=parsed)
        yield memories
    finally:
        for memory in memories.values():
            memory.close()


def translation_jobs(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    refresh_mt: bool = False,
    report: Report | None = None,
) -> list[TranslationJob]:
    """One job per language, holding its readable catalogues and how many entries are pending.

    Unreadable catalogues are left out and recorded in *report* (when given).
    """
    domains = domains or known_domains(settings)
    jobs = []
    for code in languages:
        lang = language(code)
        opened = []
        for domain in domains:
            path = catalogue_path(settings.locale_path, lang.code, domain)
            if not path.exists():
                continue
            try:
                opened.append(open_catalogue(path, language=lang))
            except CatalogueError as exc:
                if report is None:
                    raise
                report.skip(lang.code, domain, exc)
                continue
        replace = produces_translations(settings.engine)
        pending = len({e.msgid for c in opened for e in pending_entries(c.po, refresh_mt=refresh_mt, replace_placeholders=replace)})
        jobs.append(TranslationJob(lang.code, opened, pending, settings.source_language, refresh_mt))
    return jobs


ProgressFactory = Callable[[str, int], Callable[[int], None] | None]


def translate(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    refresh_mt: bool = False,
    progress: ProgressFactory | None = None,
) -> Report:
    """Fill every language's pending entries with the configured engine; results are TranslateResults.

    The engine is created only when something is pending. A language whose
    catalogue cannot be read, or whose model is missing or fails, is skipped
    and reported; the others are translated. An interruption (Ctrl-C,
    SIGTERM) saves what was finished and is raised again for the caller.
    """
    from pipeline.engines import get_engine

    report = Report()
    engine = None
    for job in translation_jobs(settings, languages=languages, domains=domains, refresh_mt=refresh_mt, report=report):
        if not job.pending:
            continue
        try:
            engine = engine or get_engine(settings.engine, **settings.engine_options())
            engine.provenance(settings.source_language, job.language)  # a missing model fails before any progress
            callback = progress(job.language, job.pending) if progress else None
            result = job.run(engine, callback)
            job.save()
        except TranslationInterrupted as stop:
            stop.saved = job.save()
            raise
        except (EngineError, CatalogueError) as exc:
            report.skip(job.language, None, exc)
            continue
        report.results.append(result)
    return report


def existing_catalogues(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None
) -> Iterator[tuple[Language, str, Path]]:
    """(language, domain, path) of every catalogue that exists for *languages* × *domains*."""
    for lang, domain, path in _catalogue_files(settings, languages=languages, domains=domains):
        yield lang, domain, Path(path)


def _catalogue_files(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None
) -> Iterator[tuple[Language, str, str]]:
    """As existing_catalogues, with each path an absolute string (status builds no Path for a cached row)."""
    domains = domains or known_domains(settings)
    root = os.path.abspath(settings.locale_path)
    for code in languages:
        lang = language(code)
        folder = os.path.join(root, lang.code, "LC_MESSAGES")
        if len(domains) > 50:  # a year's archive: one listing of the folder, not one stat per domain
            try:
                present = {n[:-3] for n in os.listdir(folder) if n.endswith(".po")}
            except OSError:
                present = set()
            prefix = folder + os.sep
            yield from [(lang, domain, f"{prefix}{domain}.po") for domain in domains if domain in present]
            continue
        for domain in domains:
            path = os.path.join(folder, f"{domain}.po")
            if os.path.exists(path):
                yield lang, domain, path


def readable_catalogues(
    settings: Settings, report: Report, *, languages: tuple[str, ...], domains: list[str] | None = None
) -> Iterator[tuple[Language, str, Path, polib.POFile]]:
    """Like existing_catalogues, with each catalogue read; the unreadable are skipped into *report*."""
    for lang, domain, path in existing_catalogues(settings, languages=languages, domains=domains):
        try:
            po = read_catalogue(path, language=lang)
        except CatalogueError as exc:
            report.skip(lang.code, domain, exc)
            continue
        yield lang, domain, path, po


def compile_all(settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None) -> Report:
    """Compile every catalogue of *languages* into a `.mo` beside it; results are (path, changed)."""
    report = Report()
    for _, _, path, po in readable_catalogues(settings, report, languages=languages, domains=domains):
        target = mo_path(path)
        report.results.append((target, compile_catalogue(po, target)))
    return report


def bundle(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    out_dir: Path | None = None,
    use_fuzzy: bool | None = None,
    formats: tuple[str, ...] | str | None = None,
    publish_failing: bool = False,
    mt_failures: dict[str, str] | None = None,
) -> Report:
    """Write the localised bundle of each source in each language in *formats*, and its manifest.

    Results are BundleResults. A translation failing an error check is held
    back (its sentence falls back to the source) unless *publish_failing*;
    the report then fails (exit 1). A language whose catalogue is missing or
    unreadable is skipped, and the manifest says why.
    """
    from datetime import datetime, timezone

    from pipeline import checks

    formats = parse_formats(formats)
    out_dir = settings.resolve(out_dir) if out_dir else settings.output_path
    guard_folder(out_dir, root=settings.root, what="output folder")
    guard_folder(settings.locale_path, root=settings.root, what="locale folder", allow_root=True)
    use_fuzzy = settings.use_fuzzy if use_fuzzy is None else use_fuzzy
    glossary = checks.load_glossary(settings.locale_path / "glossary.csv")
    now = datetime.now(timezone.utc)
    report = Report()
    articles = load_articles(settings, sources)
    locale = settings.locale_path
    remove_leftover_temporaries(
        [locale, *(locale / language(code).code for code in languages), *(locale / language(code).code / "LC_MESSAGES" for code in languages)]
    )
    for item in articles:
        remove_leftover_temporaries([out_dir, out_dir / item.domain], recursive=False)
        remove_leftover_temporaries([out_dir / item.domain / language(code).code for code in languages])
        per_article = []
        skipped = []
        for code in languages:
            lang = language(code)
            path = catalogue_path(settings.locale_path, lang.code, item.domain)
            try:
                if not path.exists():
                    raise CatalogueError(f"{path}: no catalogue for {item.path}; run `pipeline update` first.")
                po = read_catalogue(path, language=lang)
            except CatalogueError as exc:
                report.skip(lang.code, item.domain, exc)
                # The manifest travels in the zip: name the file as the project does, not by this machine's path.
                skipped.append({"code": lang.code, "reason": str(exc).replace(f"{settings.root}{os.sep}", "")})
                continue
            messages = [f.message for f in checks.msgfmt_findings(path, language=lang.code, shown=reference(settings, path))]
            per_article.append(
                build_language(
                    item, po, lang, threshold=settings.bundle_threshold, use_fuzzy=use_fuzzy,
                    publish_failing=publish_failing, glossary=glossary, source_language=settings.source_language,
                    msgfmt_messages=messages, now=now, mt_failure=(mt_failures or {}).get(lang.code),
                )
            )
        results = write_bundle(
            item, per_article, out_dir=out_dir, formats=formats, source_language=settings.source_language,
            threshold=settings.bundle_threshold, use_fuzzy=use_fuzzy, publish_failing=publish_failing, now=now,
            skipped=skipped,
        )
        report.results.extend(results)
        report.failed_checks += sum(len(r.held_back) for r in results if r.bundled)
        report.failed_checks += sum(1 for r in results if not r.bundled and r.manifest_entry.get("catalogue_errors"))
    return report


def report(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    out_dir: Path | None = None,
) -> Report:
    """Write `<out>/<domain>/review.html` for each source: where every language stands, sentence by sentence.

    Results are the pages written. A catalogue that cannot be read is shown
    on the page with why, and skipped in the report (exit 2).
    """
    from pipeline import checks
    from pipeline.runtime.atomic import write_text
    from pipeline.bundle import read_manifest
    from pipeline.review import ReviewData, language_view, now_text, render_review

    out_dir = settings.resolve(out_dir) if out_dir else settings.output_path
    guard_folder(out_dir, root=settings.root, what="output folder")
    glossary = checks.load_glossary(settings.locale_path / "glossary.csv")
    written = Report()
    for item in load_articles(settings, sources):
        # the very counts `pipeline status` prints, from the same function
        rows = {stats.language: (stats, failed) for stats, failed in status(settings, languages=languages, domains=[item.domain]).results}
        folder = out_dir / item.domain
        manifest = read_manifest(folder)
        views = []
        for code in languages:
            lang = language(code)
            path = catalogue_path(settings.locale_path, lang.code, item.domain)
            problem = ""
            try:
                po = read_catalogue(path, language=lang) if path.exists() else None
            except CatalogueError as exc:
                po, problem = None, str(exc)
                written.skip(lang.code, item.domain, exc)
            findings = (
                checks.check_catalogue(po, language=lang.code, glossary=glossary, source_language=settings.source_language)
                if po is not None
                else []
            )
            stats, failed = rows.get(lang.code, (None, 0))
            views.append(
                language_view(
                    item, po, lang, stats=stats, failed_checks=failed, findings=findings,
                    location=reference(settings, path), manifest=manifest, problem=problem,
                )
            )
        target = folder / "review.html"
        if folder.is_symlink() or target.is_symlink():
            raise OutputError(f"{target}: a symbolic link is in the way; the review page is never written through a link.")
        write_text(target, render_review(ReviewData(item, views, now_text()), source_language=settings.source_language))
        written.results.append(target)
    return written


@dataclass
class RunReport(Report):
    """The whole job: each stage's report, in order; skipped catalogues gathered from all stages."""

    extracted: list[ExtractResult] = field(default_factory=list)
    updated: Report = field(default_factory=Report)
    translated: Report = field(default_factory=Report)
    compiled: Report = field(default_factory=Report)
    bundled: Report = field(default_factory=Report)
    review: list[Path] = field(default_factory=list)


def run(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    out_dir: Path | None = None,
    use_fuzzy: bool | None = None,
    formats: tuple[str, ...] | str | None = None,
    publish_failing: bool = False,
    progress: ProgressFactory | None = None,
) -> RunReport:
    """Extract, update, translate what is missing, compile, bundle and write the review page: the whole job.

    Every language goes as far as it can: one that fails at a stage is
    reported and the others are bundled.
    """
    formats = parse_formats(formats)  # a bad --format is refused before anything is written
    result = RunReport()
    result.extracted = extract(settings, sources)
    domains = [item.domain for item in result.extracted]
    result.updated = update(settings, languages=languages, domains=domains)
    result.absorb(result.updated)
    result.translated = translate(settings, languages=languages, domains=domains, progress=progress)
    result.absorb(result.translated)
    result.compiled = compile_all(settings, languages=languages, domains=domains)
    result.absorb(result.compiled)
    mt_failures = {s.language: s.reason for s in result.translated.skipped}
    result.bundled = bundle(
        settings, sources, languages=languages, out_dir=out_dir, use_fuzzy=use_fuzzy,
        formats=formats, publish_failing=publish_failing, mt_failures=mt_failures,
    )
    result.absorb(result.bundled)
    review = report(settings, sources, languages=languages, out_dir=out_dir)
    result.absorb(review)
    result.review = review.results
    return result


def status(settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None) -> Report:
    """Results are (CatalogueStats, number of failing error checks) for every readable catalogue of *languages*.

    Each catalogue's row is cached by its content (`pipeline.resultcache`):
    only catalogues that changed are read and checked again.
    """
    from pipeline import checks
    from pipeline.runtime.resultcache import ResultCache, code_version
    from pipeline.gettext.stats import CatalogueStats, Counts, catalogue_stats

    glossary_path = settings.locale_path / "glossary.csv"
    glossary = None
    report = Report()
    with ResultCache.open(settings.locale_path) as cache:
        context = ("status", code_version(), cache.digest(glossary_path), settings.source_language)
        wanted = [
            (lang, domain, path, cache.key(context, cache.digest(path), lang.code, domain))
            for lang, domain, path in _catalogue_files(settings, languages=languages, domains=domains)
        ]
        hits = cache.get_many([key for *_, key in wanted])
        for lang, domain, path, key in wanted:
            hit = hits.get(key)
            if hit is not None:
                report.results.append((CatalogueStats.from_counts(lang.code, domain, hit["stats"]), hit["failed"]))
                continue
            path = Path(path)
            try:
                po = read_catalogue(path, language=lang)
            except CatalogueError as exc:  # never cached: reported every time
                report.skip(lang.code, domain, exc)
                continue
            if glossary is None:
                glossary = checks.load_glossary(glossary_path)
            findings = checks.check_catalogue(po, language=lang.code, glossary=glossary, source_language=settings.source_language)
            failed = sum(1 for f in findings if f.severity == "error" and not f.fuzzy)
            stats = catalogue_stats(po, language=lang.code, domain=domain)
            cache.put(key, {"stats": {k: vars(v) for k, v in vars(stats).items() if isinstance(v, Counts)}, "failed": failed})
            report.results.append((stats, failed))
    return report


def status_document(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, by_language: bool = False
) -> tuple[str, Report]:
    """`pipeline status --format json` as text (`status.status_json`), and the report of what was skipped.

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

    from pipeline.memory import RACY_NS, stat_many
    from pipeline.runtime.resultcache import ResultCache, code_version
    from pipeline.gettext.stats import status_items, status_json

    files = list(_catalogue_files(settings, languages=languages, domains=domains))
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
    report = status(settings, languages=languages, domains=domains)
    text = status_json(status_items(report.results, by_language=by_language))
    if key and report.results and not report.skipped:
        with ResultCache.open(settings.locale_path) as cache:
            again, trusted = document_key(cache)
            if again == key and trusted:  # nothing changed while it was computed, and no racy mtime
                cache.put_text(key, text)
    return text, report


def check(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, use_msgfmt: bool = True
) -> Report:
    """Run the QA checks (and GNU `msgfmt -c`, when installed) over every catalogue; results are Findings.

    A catalogue that cannot be used (another language's, an invalid plural
    rule) is skipped and reported like in every verb; milder header problems
    are findings of the `header` check. Findings are cached per catalogue by
    content, as for `status`.
    """
    import shutil

    from pipeline import checks
    from pipeline.runtime.resultcache import ResultCache, code_version

    glossary_path = settings.locale_path / "glossary.csv"
    glossary = None
    report = Report()
    with ResultCache.open(settings.locale_path) as cache:
        msgfmt = shutil.which("msgfmt") if use_msgfmt else None
        context = ("check", code_version(), cache.digest(glossary_path), settings.source_language, use_msgfmt, msgfmt)
        wanted = []
        for lang, domain, path in existing_catalogues(settings, languages=languages, domains=domains):
            shown = reference(settings, path)
            wanted.append((lang, domain, path, shown, cache.key(context, cache.digest(path), lang.code, shown)))
        hits = cache.get_many([key for *_, key in wanted])
        for lang, domain, path, shown, key in wanted:
            hit = hits.get(key)
            if hit is not None:
                report.results += [checks.Finding(**f) for f in hit]
                continue
            try:
                po = read_catalogue(path, language=lang)
            except CatalogueError as exc:  # never cached: reported every time
                report.skip(lang.code, domain, exc)
                continue
            if glossary is None:
                glossary = checks.load_glossary(glossary_path)
            found = checks.check_catalogue(
                po, language=lang.code, path=shown, glossary=glossary, source_language=settings.source_language
            )
            if use_msgfmt:
                found += checks.msgfmt_findings(path, language=lang.code, shown=shown)
            cache.put(key, [vars(f) for f in found])
            report.results += found
    report.failed_checks = sum(1 for f in report.results if f.severity == "error" and not f.fuzzy)
    return report


@dataclass
class BackTranslation:
    """One sentence translated back into the source language, scored against it."""

    language: str
    domain: str
    msgid: str
    msgstr: str
    back: str
    chrf: float




def back_translate(
    settings: Settings,
    engine: Engine,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    progress: Callable[[str, int], Callable[[int], None] | None] | None = None,
) -> list[BackTranslation]:
    """Translate every translation back to the source language, score it with chrF, note it in the entry.

    Returns the scored sentences, weakest first. Translations and flags are
    never changed; only the `back-translation chrF:` comment line is.
    """
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    results = []
    for job in translation_jobs(settings, languages=languages, domains=domains):
        entries = [(p, e) for p, po in zip(job.paths, job.catalogues) for e in po if e.msgstr and not e.obsolete and e.msgid]
        targets = list(dict.fromkeys(e.msgstr for _, e in entries))
        if not targets:
            continue
        callback = progress(job.language, len(targets)) if progress else None
        backs = dict(zip(targets, engine.translate_batch(targets, source=job.language, target=settings.source_language, progress=callback)))
        for path, entry in entries:
            back = backs[entry.msgstr]
            score = round(chrf.sentence_score(back, [entry.msgid]).score, 1)
            set_note(entry, BACK_MARK, f"{BACK_MARK}{score} ({back[:60]}{'…' if len(back) > 60 else ''})", first=False)
            results.append(BackTranslation(job.language, path.stem, entry.msgid, entry.msgstr, back, score))
        job.save()
    return sorted(results, key=lambda r: (r.chrf, r.language, r.msgid))


def roundtrip(settings: Settings, sources) -> list[RoundtripResult]:
    """Identity round trip in memory: every msgstr = its msgid, rebuild, compare bytes."""
    results = []
    for source in sources:
        path = settings.resolve(source)
        data = path.read_bytes() if path.is_file() else b""
        item = load_articles(settings, [source])[0]
        pot = build_template([item])
        identity = {entry.msgid: entry.msgid for entry in pot}
        rebuilt = article_mod.encode(item, article_mod.render(item, identity))
        difference = next((i for i, (a, b) in enumerate(zip(data, rebuilt)) if a != b), None)
        if difference is None and len(data) != len(rebuilt):
            difference = min(len(data), len(rebuilt))
        results.append(RoundtripResult(item.path, rebuilt == data, len(data), difference))
    return results


def _same_entries(old: polib.POFile, new: polib.POFile) -> bool:
    """True when a merge changed nothing but header dates."""
    def key(po):
        return [
            (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()), e.obsolete, tuple(e.flags),
             e.comment, e.tcomment, tuple(e.occurrences), e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)
            for e in po
        ]
    if len(old) != len(new):  # a merge that added or dropped entries: no need to build every key
        return False
    return key(old) == key(new) and {
        k: v for k, v in old.metadata.items() if k != "PO-Revision-Date"
    } == {k: v for k, v in new.metadata.items() if k != "PO-Revision-Date"}




@dataclass
class MemoryResult:
    """What a `memory` verb did for one language."""

    language: str
    entries: int  # sentences in the memory afterwards (or exported)
    path: Path | None = None
    changed: int = 0


def memory_rebuild(settings: Settings, *, languages: tuple[str, ...]) -> list[MemoryResult]:
    """Recreate each language's memory from its catalogues and compendium."""
    results = []
    for code in languages:
        lang = language(code)
        with TranslationMemory.open(settings.locale_path, lang) as memory:
            memory.clear()
            report = memory.refresh(memory_sources(settings.locale_path, lang.code))
            results.append(MemoryResult(lang.code, len(memory), memory.path, len(report.indexed)))
    return results


def memory_export(settings: Settings, *, languages: tuple[str, ...], format: str, out: Path) -> list[MemoryResult]:
    """Write the memory of *languages* to *out* as a PO compendium (one language) or TMX (any number)."""
    from pipeline.runtime.atomic import atomic_path
    from pipeline.errors import ConfigError
    from pipeline.memory import to_po, to_tmx

    if format not in ("po", "tmx"):
        raise ConfigError(f"unknown memory format {format!r}; use po or tmx.")
    if format == "po" and len(languages) != 1:
        raise ConfigError(f"a PO compendium holds one language, not {len(languages)}; choose one with --lang (or use --format tmx).")
    out = settings.resolve(out)
    exported = []
    for code in languages:
        lang = language(code)
        with TranslationMemory.open(settings.locale_path, lang) as memory:
            memory.refresh(memory_sources(settings.locale_path, lang.code))
            exported.append((lang, list(memory.entries())))
    if format == "po":
        lang, entries = exported[0]
        write_catalogue(to_po(entries, lang), out)
    else:
        data = to_tmx([(lang.code, entries) for lang, entries in exported], source_language=settings.source_language)
        with atomic_path(out) as tmp:
            tmp.write_bytes(data)
    return [MemoryResult(lang.code, len(entries), out) for lang, entries in exported]


def memory_import(settings: Settings, path: Path, *, language_code: str | None = None) -> Report:
    """Merge a PO or TMX file's reviewed translations into each language's compendium, then index it.

    Results are MemoryResults. The compendium (`locale/<lang>/compendium.po`)
    is the memory's committed archive, so an import survives a `memory
    rebuild`. A TMX's region-tagged languages (`de-DE`) go to the configured
    language they name (`de`); languages the project does not translate into
    are skipped and reported, unless asked for with *language_code*.
    """
    report = Report()
    from pipeline.errors import ConfigError
    from pipeline.memory import compendium_path, from_po, from_tmx, merge_into_compendium, to_po

    path = settings.resolve(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror}).") from None
    if path.suffix.lower() == ".tmx" or data.lstrip()[:5] in (b"<?xml", b"<tmx "):
        try:
            by_language = from_tmx(data, source_language=settings.source_language)
        except CatalogueError as exc:
            raise CatalogueError(f"{path}: {exc}") from None
        if not by_language:
            raise SourceError(
                f"{path}: no unit has a {settings.source_language!r} source and a translation; "
                f"the memory holds translations from the project's source language ([tool.pipeline] source_language)."
            )
        by_language = _configured_languages(settings, by_language, path=path, wanted=language_code, report=report)
    else:
        po = read_catalogue(path)
        code = language_code or po.metadata.get("Language", "")
        if not code:
            raise ConfigError(f"{path}: the file has no Language header; say which language it is with --lang.")
        by_language = {language(code).code: from_po(po)}
    for code, entries in by_language.items():
        lang = language(code)
        target = compendium_path(settings.locale_path, lang.code)
        compendium = open_catalogue(target, language=lang) if target.exists() else Catalogue(to_po([], lang), target)
        changed = merge_into_compendium(compendium.po, entries)
        if changed:
            write_catalogue(compendium)
        with TranslationMemory.open(settings.locale_path, lang) as memory:
            memory.refresh(memory_sources(settings.locale_path, lang.code))
            report.results.append(MemoryResult(lang.code, len(memory), target, changed))
    return report


def _configured_languages(settings: Settings, by_language: dict, *, path: Path, wanted: str | None, report: Report) -> dict:
    """TMX entries by the project's own language codes; the rest skipped into *report*."""
    from pipeline.gettext.languages import same_language

    targets = (language(wanted).code,) if wanted else tuple(language(code).code for code in settings.languages)
    chosen: dict[str, list] = {}
    for code, entries in by_language.items():
        match = next((target for target in targets if target == code or same_language(code, target)), None)
        if match is None:
            if not wanted:
                report.skip(
                    code, None,
                    CatalogueError(f"{path}: {counted(len(entries), 'unit')} in {code}, which the project does not translate into; add it to [tool.pipeline] languages or import it with --lang {code}."),
                )
            continue
        chosen.setdefault(match, []).extend(entries)
    return chosen
