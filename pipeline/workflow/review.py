"""`pipeline report`: the review page of each article, every language sentence by sentence."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import CatalogueError, OutputError
from pipeline.gettext.catalogue import catalogue_path
from pipeline.gettext.languages import language
from pipeline.settings import Settings
from pipeline.workflow.discovery import Catalogues, load_articles, reference
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.outcome import Report


@writes_catalogues
def report(
    settings: Settings,
    sources,
    *,
    languages: tuple[str, ...],
    out_dir: Path | None = None,
    catalogues: Catalogues | None = None,
) -> Report:
    """Write `<out>/<domain>/review.html` for each source: where every language stands, sentence by sentence.

    Results are the pages written. A catalogue that cannot be read is shown
    on the page with why, and skipped in the report (exit 2).
    """
    from pipeline.bundle import guard_folder, read_manifest
    from pipeline.review import ReviewData, language_view, now_text, render_review
    from pipeline.runtime.atomic import write_text
    from pipeline.workflow.standing import status

    out_dir = settings.resolve(out_dir) if out_dir else settings.output_path
    guard_folder(out_dir, root=settings.root, what="output folder", catalogues=settings.locale_path)
    catalogues = catalogues or Catalogues(settings)
    written = Report()
    for item in load_articles(settings, sources):
        # the very counts `pipeline status` prints, from the same function
        rows = {stats.language: (stats, failed) for stats, failed in status(settings, languages=languages, domains=[item.domain], catalogues=catalogues).results}
        folder = out_dir / item.domain
        manifest = read_manifest(folder)
        views = []
        for code in languages:
            lang = language(code)
            path = catalogue_path(settings.locale_path, lang.code, item.domain)
            problem = ""
            po, findings = None, []
            try:
                if path.exists():
                    catalogue = catalogues.read(path, language=lang)
                    po, findings = catalogue.po, catalogues.findings(catalogue, language=lang)
            except CatalogueError as exc:
                problem = str(exc)
                written.skip(lang.code, item.domain, exc)
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
