"""The stages wired together over a project's files.

Each function here is one CLI verb's work: it finds the files the settings
name, runs the stage functions on plain data, and writes the results
atomically. Nothing here prints; results come back as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import polib

from . import article as article_mod
from .article import Article
from .bundle import BundleResult, bundle_language, write_manifest
from .catalog import Catalogue, MergeReport, catalogue_path, merge, open_catalogue, read_catalogue, write_catalogue
from .compile import compile_catalogue, mo_path
from .engines import Engine
from .errors import CatalogueError, SourceError
from .extract import build_template, write_template
from .languages import Language, language
from .memory import MemoryReport, apply_memory, load_memory, memory_path, remember
from .settings import Settings
from .translate import TranslateResult, fill_catalogues, pending_entries


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
    return [
        article_mod.read_article(
            settings.resolve(source),
            reference=reference(settings, Path(source)),
            credit_patterns=settings.credit_patterns,
            language=settings.source_language,
        )
        for source in sources
    ]


def template_path(settings: Settings, domain: str) -> Path:
    return settings.locale_path / f"{domain}.pot"


def extract(settings: Settings, sources) -> list[ExtractResult]:
    """Write one POT per source (articles sharing a file stem share a template)."""
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
    return sorted(p.stem for p in settings.locale_path.glob("*.pot"))


def update(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    purge_obsolete: bool = False,
) -> list[UpdateResult]:
    """Create or merge every catalogue of *languages* for *domains* from its template."""
    domains = domains or known_domains(settings)
    if not domains:
        raise CatalogueError(f"{settings.locale_path}: no template (.pot) found; run `pipeline extract SOURCE` first.")
    # Read everything first: a malformed file stops the run before anything is written.
    plan = []
    for domain in domains:
        pot = read_catalogue(template_path(settings, domain))
        for code in languages:
            lang = language(code)
            path = catalogue_path(settings.locale_path, lang.code, domain)
            po = open_catalogue(path, language=lang) if path.exists() else None
            plan.append((domain, lang, path, pot, po))
    memories = {lang.code: load_memory(memory_path(settings.locale_path, lang.code), lang) for _, lang, *_ in plan}
    for code, memory in memories.items():
        remember(memory, _catalogues_on_disk(settings, code))
    results = []
    for domain, lang, path, pot, po in plan:
        merged, report = merge(
            pot, po, lang, fuzzy_threshold=settings.fuzzy_threshold, purge_obsolete=purge_obsolete
        )
        # The memory answers before any engine: MT only sees what it cannot.
        memory_report = apply_memory(merged, memories[lang.code], threshold=settings.memory_threshold)
        if po is not None and _same_entries(po.po, merged):
            target = po  # nothing to merge: keep the file byte for byte
        elif po is not None:
            target = Catalogue(merged, path, po.fingerprint, po.header_text)
        else:
            target = Catalogue(merged, path)
        results.append(UpdateResult(lang.code, domain, path, report, write_catalogue(target), memory_report))
    for code, memory in memories.items():
        remember(memory, _catalogues_on_disk(settings, code))
        write_catalogue(memory, memory_path(settings.locale_path, code))
    return results


def _catalogues_on_disk(settings: Settings, code: str) -> list[tuple[str, polib.POFile]]:
    """(domain, catalogue) for every catalogue of one language."""
    lang = language(code)
    return [
        (path.stem, read_catalogue(path, language=lang))
        for path in sorted((settings.locale_path / code / "LC_MESSAGES").glob("*.po"))
    ]


def translation_jobs(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    refresh_mt: bool = False,
) -> list[TranslationJob]:
    """One job per language, holding its catalogues and how many entries are pending."""
    domains = domains or known_domains(settings)
    jobs = []
    for code in languages:
        lang = language(code)
        paths = [catalogue_path(settings.locale_path, lang.code, d) for d in domains]
        paths = [p for p in paths if p.exists()]
        opened = [open_catalogue(p, language=lang) for p in paths]
        pending = len({e.msgid for c in opened for e in pending_entries(c.po, refresh_mt=refresh_mt)})
        jobs.append(TranslationJob(lang.code, opened, pending, settings.source_language, refresh_mt))
    return jobs


def existing_catalogues(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None
) -> Iterator[tuple[Language, str, Path]]:
    """(language, domain, path) of every catalogue that exists for *languages* × *domains*."""
    domains = domains or known_domains(settings)
    for code in languages:
        lang = language(code)
        for domain in domains:
            path = catalogue_path(settings.locale_path, lang.code, domain)
            if path.exists():
                yield lang, domain, path


def compile_all(settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None) -> list[tuple[Path, bool]]:
    """Compile every catalogue of *languages* into a `.mo` beside it."""
    results = []
    for lang, _, path in existing_catalogues(settings, languages=languages, domains=domains):
        target = mo_path(path)
        results.append((target, compile_catalogue(read_catalogue(path, language=lang), target)))
    return results


def bundle(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    out_dir: Path | None = None,
    use_fuzzy: bool | None = None,
) -> list[BundleResult]:
    """Write the localised bundle of each source in each language, and its manifest."""
    out_dir = settings.resolve(out_dir) if out_dir else settings.output_path
    use_fuzzy = settings.use_fuzzy if use_fuzzy is None else use_fuzzy
    results = []
    for item in load_articles(settings, sources):
        per_article = []
        for code in languages:
            lang = language(code)
            path = catalogue_path(settings.locale_path, lang.code, item.domain)
            if not path.exists():
                raise CatalogueError(f"{path}: no catalogue for {item.path}; run `pipeline update` first.")
            po = read_catalogue(path, language=lang)
            per_article.append(
                bundle_language(
                    item, po, lang, out_dir=out_dir, threshold=settings.bundle_threshold, use_fuzzy=use_fuzzy
                )
            )
        write_manifest(
            item,
            per_article,
            out_dir=out_dir,
            source_language=settings.source_language,
            threshold=settings.bundle_threshold,
            use_fuzzy=use_fuzzy,
        )
        results.extend(per_article)
    return results


def status(settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None):
    """(CatalogueStats, number of failing error checks) for every catalogue of *languages*."""
    from . import checks
    from .status import catalogue_stats

    glossary = checks.load_glossary(settings.locale_path / "glossary.csv")
    rows = []
    for lang, domain, path in existing_catalogues(settings, languages=languages, domains=domains):
        po = read_catalogue(path, language=lang)
        findings = checks.check_catalogue(po, language=lang.code, glossary=glossary, source_language=settings.source_language)
        failed = sum(1 for f in findings if f.severity == "error" and not f.fuzzy)
        rows.append((catalogue_stats(po, language=lang.code, domain=domain), failed))
    return rows


def check(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, use_msgfmt: bool = True
):
    """Run the QA checks (and GNU `msgfmt -c`, when installed) over every catalogue."""
    from . import checks

    glossary = checks.load_glossary(settings.locale_path / "glossary.csv")
    findings = []
    for lang, _, path in existing_catalogues(settings, languages=languages, domains=domains):
        po = read_catalogue(path)  # header problems become findings, not errors
        shown = reference(settings, path)
        findings += checks.check_catalogue(
            po, language=lang.code, path=shown, glossary=glossary, source_language=settings.source_language
        )
        if use_msgfmt:
            findings += checks.msgfmt_findings(path, language=lang.code, shown=shown)
    return findings


@dataclass
class BackTranslation:
    """One sentence translated back into the source language, scored against it."""

    language: str
    domain: str
    msgid: str
    msgstr: str
    back: str
    chrf: float


BACK_MARK = "back-translation chrF: "


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
            lines = [line for line in entry.tcomment.splitlines() if not line.startswith(BACK_MARK)]
            entry.tcomment = "\n".join(lines + [f"{BACK_MARK}{score} ({back[:60]}{'…' if len(back) > 60 else ''})"])
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
    return key(old) == key(new) and {
        k: v for k, v in old.metadata.items() if k != "PO-Revision-Date"
    } == {k: v for k, v in new.metadata.items() if k != "PO-Revision-Date"}


