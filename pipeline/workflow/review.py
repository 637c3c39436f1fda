"""`pipeline report`: the review page of each article, every language sentence by sentence."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import CatalogueError, OutputError, PipelineError
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
    use_fuzzy: bool | None = None,
    publish_failing: bool = False,
) -> Report:
    """Write `<out>/<domain>/review.html` for each source: where every language stands, sentence by sentence.

    Results are the pages written. A catalogue that cannot be read is shown
    on the page with why, and skipped in the report (exit 2). A scoped run
    (`--lang uk`) keeps the other languages the page already showed, in
    their order (the page names them in a `pipeline-languages` meta tag):
    their tabs are rebuilt from their own catalogues and the manifest, so
    nothing about them changes unless their catalogue did.
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
        shown = _page_languages(folder / "review.html", languages)
        kept = tuple(code for code in shown if code not in languages)
        if kept:
            rows.update(
                (stats.language, (stats, failed))
                for stats, failed in status(settings, languages=kept, domains=[item.domain], catalogues=catalogues).results
            )
        for code in shown:
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
                    use_fuzzy=settings.use_fuzzy if use_fuzzy is None else use_fuzzy, publish_failing=publish_failing,
                )
            )
        target = folder / "review.html"
        if folder.is_symlink() or target.is_symlink():
            raise OutputError(f"{target}: a symbolic link is in the way; the review page is never written through a link.")
        write_text(target, render_review(ReviewData(item, views, now_text()), source_language=settings.source_language))
        written.results.append(target)
    return written


def _page_languages(page: Path, languages: tuple[str, ...]) -> list[str]:
    """The languages the page shows: those it showed before, in their order, then *languages* not among them."""
    import re

    shown: list[str] = []
    try:
        if not page.is_symlink() and page.is_file():
            with page.open(encoding="utf-8", errors="replace") as stream:
                head = stream.read(4096)
            found = re.search(r'<meta name="pipeline-languages" content="([A-Za-z0-9_,@-]*)">', head)
            if found:
                for code in filter(None, found.group(1).split(",")):
                    try:
                        shown.append(language(code).code)
                    except PipelineError:
                        continue
    except OSError:
        shown = []
    return list(dict.fromkeys([*shown, *(language(code).code for code in languages)]))
