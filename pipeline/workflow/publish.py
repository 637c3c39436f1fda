"""`pipeline compile` and `pipeline bundle`: what gettext and the newsroom publish."""

from __future__ import annotations

from pathlib import Path

from pipeline.bundle import build_language, guard_folder, parse_formats, write_bundle
from pipeline.bundle.writing import build_time
from pipeline.errors import CatalogueError
from pipeline.gettext.catalogue import catalogue_path
from pipeline.gettext.languages import language
from pipeline.gettext.mo import compile_catalogue, mo_path
from pipeline.runtime.atomic import remove_leftovers
from pipeline.settings import Settings
from pipeline.workflow.discovery import Catalogues, load_articles
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.outcome import Report, Skipped


@writes_catalogues
def compile_all(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None, catalogues: Catalogues | None = None
) -> Report:
    """Compile every catalogue of *languages* into a `.mo` beside it; results are (path, changed)."""
    report = Report()
    catalogues = catalogues or Catalogues(settings)
    for _, _, catalogue in catalogues.each(report, languages=languages, domains=domains):
        target = mo_path(catalogue.path)
        try:
            report.results.append((target, compile_catalogue(catalogue.po, target)))
        except CatalogueError as exc:  # what msgfmt -c refuses: this catalogue only, the others compile
            report.skip(catalogue.path.parent.parent.name, catalogue.path.stem, exc)
    return report


@writes_catalogues
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
    catalogues: Catalogues | None = None,
    story_date: str | None = None,
) -> Report:
    """Write the localised bundle of each source in each language in *formats*, and its manifest.

    Results are BundleResults, each with its state: **published** (the
    publishing policy, `settings.bundle_threshold`, is met), **preview**
    (written apart as a draft; the report waits, exit 3), **held back** (a
    translation or the catalogue fails an error check; exit 1, unless
    *publish_failing*) or **failed** (the catalogue is missing or cannot be
    read; skipped, exit 2). *story_date* (YYYY-MM-DD) overrides every
    source's own date and `story_dates`.
    """
    import dataclasses

    formats = parse_formats(formats)
    out_dir = settings.resolve(out_dir) if out_dir else settings.output_path
    guard_folder(out_dir, root=settings.root, what="output folder", catalogues=settings.locale_path)
    guard_folder(settings.locale_path, root=settings.root, what="locale folder", allow_root=True)
    use_fuzzy = settings.use_fuzzy if use_fuzzy is None else use_fuzzy
    catalogues = catalogues or Catalogues(settings)
    now = build_time()
    report = Report()
    articles = load_articles(settings, sources)
    locale = settings.locale_path
    for folder in [locale, *(locale / language(code).code for code in languages), *(locale / language(code).code / "LC_MESSAGES" for code in languages)]:
        remove_leftovers(folder, recursive=False)
    for item in articles:
        item = dataclasses.replace(item, date=story_date or item.date or settings.story_dates.get(item.path))
        for folder in [out_dir, out_dir / item.domain, *(out_dir / item.domain / language(code).code for code in languages)]:
            remove_leftovers(folder, recursive=False)
        per_article = []
        skipped = []
        for code in languages:
            lang = language(code)
            path = catalogue_path(settings.locale_path, lang.code, item.domain)
            try:
                if not path.exists():
                    raise CatalogueError(f"{path}: no catalogue for {item.path}; run `pipeline update` first.")
                catalogue = catalogues.read(path, language=lang)
            except CatalogueError as exc:
                report.skip(lang.code, item.domain, exc)
                # The manifest travels in the zip: name the file as the project does, not by this machine's path.
                skipped.append({"code": lang.code, "reason": Skipped(lang.code, item.domain, exc).describe(settings.root)})
                continue
            built = build_language(
                item, catalogue.po, lang, findings=catalogues.findings(catalogue, language=lang),
                threshold=settings.bundle_threshold, use_fuzzy=use_fuzzy, publish_failing=publish_failing,
                mt_failure=(mt_failures or {}).get(lang.code), caption_credit_prefix=settings.credit_prefix.get(lang.code),
            )
            built.manifest_entry["catalogue_sha256"] = catalogue.fingerprint  # the SHA-256 of the bytes it was built from
            per_article.append(built)
        results = write_bundle(
            item, per_article, out_dir=out_dir, formats=formats, source_language=settings.source_language,
            threshold=settings.bundle_threshold, use_fuzzy=use_fuzzy, publish_failing=publish_failing, now=now,
            skipped=skipped, catalogue_digests=_catalogue_digests(settings, item.domain),
        )
        report.results.extend(results)
        report.failed_checks += sum(len(r.held_back) for r in results if r.state in ("published", "held back"))
        report.failed_checks += sum(1 for r in results if r.state == "held back" and r.manifest_entry.get("catalogue_errors"))
        report.waiting.extend(f"{r.domain} [{r.language}]" for r in results if r.state == "preview")
    return report


def _digest(path: Path) -> str | None:
    """The SHA-256 of the file at *path* (None when it cannot be read)."""
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _catalogue_digests(settings: Settings, domain: str) -> dict[str, str]:
    """Language code → SHA-256 of `<lang>/LC_MESSAGES/<domain>.po` now, for every language folder that has one."""
    digests = {}
    try:
        folders = sorted(p for p in settings.locale_path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return digests
    for folder in folders:
        path = folder / "LC_MESSAGES" / f"{domain}.po"
        digest = _digest(path) if path.is_file() else None
        if digest:
            digests[folder.name] = digest
    return digests
