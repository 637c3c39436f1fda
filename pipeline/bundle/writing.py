"""Write a bundle: each language's files atomically, the manifest, the archive; remove what is stale.

Containment: only files the previous manifest lists are ever removed, never
through a symbolic link.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Sequence

from pipeline.article import Article
from pipeline.bundle.formats import FORMATS
from pipeline.bundle.guards import refuse_link, validate_domain
from pipeline.bundle.manifest import MANIFEST, article_manifest, dump_json, kept_languages, read_manifest, safe_relative, sha256
from pipeline.bundle.model import ArticleBundle, BundleResult, LanguageBundle
from pipeline.runtime.atomic import write_bytes, write_text


def write_bundle(
    article: Article,
    bundles: list[LanguageBundle],
    *,
    out_dir: Path,
    formats: Sequence[str],
    source_language: str,
    threshold: float,
    use_fuzzy: bool,
    publish_failing: bool = False,
    skipped: Sequence[dict] = (),
    now: datetime | None = None,
) -> list[BundleResult]:
    """Write each bundled language in *formats*, the manifest and the archive; remove what is stale.

    A language built by an earlier run on the same source and not rebuilt
    now keeps its files, marked `stale` in the manifest. *skipped* are
    manifest items (`code`, `reason`) for languages the caller could not build.
    """
    now = now or datetime.now(timezone.utc)
    domain = validate_domain(article.domain, source=article.path)
    out_dir = Path(out_dir)
    folder = out_dir / domain
    refuse_link(folder)
    archive_path = out_dir / f"{domain}.zip"
    old = read_manifest(folder) or {}
    old_entries = {e.get("code"): e for e in old.get("languages", []) if isinstance(e, dict)}

    written: dict[str, bytes] = {}
    results, entries = _write_languages(bundles, folder=folder, domain=domain, formats=formats, now=now, written=written)
    if old.get("source_sha256") == article.sha256:
        entries.update(kept_languages(folder, old_entries, built={b.language.code for b in bundles}, written=written))
    _remove_unwritten(folder, old_entries, written)

    archive = "zip" in formats and FORMATS["zip"].scope == "article"
    manifest = article_manifest(
        article, bundles, entries, domain=domain, formats=formats, archive=archive, source_language=source_language,
        threshold=threshold, use_fuzzy=use_fuzzy, publish_failing=publish_failing, skipped=skipped, now=now,
    )
    manifest_text = dump_json(manifest)
    write_text(folder / MANIFEST, manifest_text)
    for name in formats:
        chosen = FORMATS[name]
        if chosen.scope == "article":
            path = out_dir / f"{domain}.{name}"
            refuse_link(path)
            write_bytes(path, chosen.function(ArticleBundle(domain, dict(written), manifest_text.encode("utf-8"))))
    if not archive and old.get("archive") == f"{domain}.zip" and not archive_path.is_symlink() and archive_path.is_file():
        archive_path.unlink()
    return results


def _write_languages(
    bundles: list[LanguageBundle], *, folder: Path, domain: str, formats: Sequence[str], now: datetime, written: dict[str, bytes]
) -> tuple[list[BundleResult], dict[str, dict]]:
    """Write every bundled language's files; (a result per language, manifest entries by code). Adds to *written*."""
    results = []
    entries: dict[str, dict] = {}
    for item in bundles:
        code = item.language.code
        result = BundleResult(
            code, domain, item.bundled, item.completeness, fallback=item.fallback,
            held_back=item.held_back, published_failing=item.published_failing,
        )
        entry = dict(item.manifest_entry, built_at=now.isoformat(timespec="seconds"), stale=False)
        if item.bundled:
            refuse_link(folder / code)
            for name in formats:
                chosen = FORMATS[name]
                if chosen.scope != "language":
                    continue
                relative = f"{code}/{domain}.{name}"
                data = chosen.function(item)
                write_bytes(folder / relative, data)
                written[relative] = data
                entry["files"][relative] = sha256(data)
                result.files.append(folder / relative)
        result.manifest_entry = entry
        entries[code] = entry
        results.append(result)
    return results, entries


def _remove_unwritten(folder: Path, old_entries: dict, written: dict[str, bytes]) -> None:
    """Remove what the previous run's manifest lists and this run did not write."""
    for entry in old_entries.values():
        files = entry.get("files")
        names = files.keys() if isinstance(files, dict) else files if isinstance(files, list) else []
        for name in names:
            relative = safe_relative(name)
            if relative is not None and str(relative) not in written:
                _remove_file(folder, relative)


def _remove_file(folder: Path, relative: PurePosixPath) -> bool:
    """Delete folder/relative when it is a regular file reached without any symbolic link."""
    current = folder
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink() or not current.is_dir():
            return False
    target = current / relative.parts[-1]
    if target.is_symlink() or not target.is_file():
        return False
    try:
        target.unlink()
    except OSError:
        return False
    parent = target.parent
    while parent != folder:
        try:
            parent.rmdir()  # only when empty: never a folder holding something we did not write
        except OSError:
            break
        parent = parent.parent
    return True
