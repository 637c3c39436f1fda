"""Write a bundle: each language's files atomically (a preview apart), the manifest, the archive; remove what is gone.

Containment: only files the previous manifest lists are ever removed, never
through a symbolic link.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

from pipeline.article import Article
from pipeline.bundle.build import FAILED
from pipeline.bundle.draft import PREVIEW_FOLDER, mark_draft, relative_path
from pipeline.bundle.formats import FORMATS
from pipeline.bundle.guards import refuse_link, validate_domain
from pipeline.bundle.manifest import (
    MANIFEST, article_manifest, dump_json, kept_languages, read_manifest, safe_relative, sha256, without_build_time,
)
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
    catalogue_digests: Mapping[str, str] | None = None,
) -> list[BundleResult]:
    """Write each language in *formats* (a preview apart, marked as a draft), the manifest and the archive.

    A language an earlier run wrote and this run did not touch keeps its
    files and its entry; it is marked `stale` only when its inputs changed
    (the article, or its catalogue according to *catalogue_digests*, code →
    SHA-256 of the catalogue file now). *skipped* are manifest items
    (`code`, `reason`) for languages the caller could not build: their state
    is `failed`. *now* is the build time, recorded in the manifest only
    (default: `SOURCE_DATE_EPOCH` when set, else the clock); the archive
    holds the manifest without it, so the same inputs give the same bytes.
    """
    now = now or build_time()
    domain = validate_domain(article.domain, source=article.path)
    out_dir = Path(out_dir)
    folder = out_dir / domain
    refuse_link(folder)
    archive_path = out_dir / f"{domain}.zip"
    old = read_manifest(folder) or {}
    old_entries = {e.get("code"): e for e in old.get("languages", []) if isinstance(e, dict)}

    written: dict[str, bytes] = {}
    results, entries = _write_languages(bundles, folder=folder, domain=domain, formats=formats, now=now, written=written)
    entries.update(
        kept_languages(
            folder, old_entries, built=set(entries), written=written, source_sha256=article.sha256,
            old_source_sha256=old.get("source_sha256"), catalogue_digests=catalogue_digests or {},
        )
    )
    for item in skipped:  # failed now; files an earlier run wrote for it stay (intact ones), marked stale
        earlier = entries.get(item["code"], {"code": item["code"], "files": {}})
        entries[item["code"]] = dict(
            earlier, state=FAILED, bundled=False, reason=item["reason"], stale=bool(earlier["files"]),
            stale_reason="its catalogue cannot be used now" if earlier["files"] else None,
        )
    _remove_unwritten(folder, old_entries, written)

    published = {name: data for name, data in written.items() if not name.startswith(PREVIEW_FOLDER + "/")}
    archive = "zip" in formats and FORMATS["zip"].scope == "article" and bool(published)
    manifest = article_manifest(
        article, bundles, entries, domain=domain, formats=formats, archive=archive, source_language=source_language,
        threshold=threshold, use_fuzzy=use_fuzzy, publish_failing=publish_failing, now=now,
    )
    write_text(folder / MANIFEST, dump_json(manifest))
    timeless = dump_json(without_build_time(manifest)).encode("utf-8")
    stamp = archive_timestamp(article.date)
    for name in formats:
        chosen = FORMATS[name]
        if chosen.scope == "article":
            path = out_dir / f"{domain}.{name}"
            refuse_link(path)
            if name == "zip" and not archive:
                continue  # nothing published: no archive (an old one is removed below)
            write_bytes(path, chosen.function(ArticleBundle(domain, dict(published), timeless, stamp)))
    if not archive and old.get("archive") == f"{domain}.zip" and not archive_path.is_symlink() and archive_path.is_file():
        archive_path.unlink()
    return results


def build_time() -> datetime:
    """When this build happened: `SOURCE_DATE_EPOCH` (reproducible builds) when set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


def archive_timestamp(story_date: str | None) -> tuple[int, int, int, int, int, int]:
    """The fixed time of every archive member: `SOURCE_DATE_EPOCH`, else the story's date, else 1980-01-01 (zip's first day)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = datetime.fromtimestamp(max(int(epoch), 315532800), tz=timezone.utc)  # zip cannot go before 1980
        return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second - moment.second % 2)
    if story_date:
        day = date.fromisoformat(story_date)
        if day.year >= 1980:
            return (day.year, day.month, day.day, 0, 0, 0)
    return (1980, 1, 1, 0, 0, 0)


def _write_languages(
    bundles: list[LanguageBundle], *, folder: Path, domain: str, formats: Sequence[str], now: datetime, written: dict[str, bytes]
) -> tuple[list[BundleResult], dict[str, dict]]:
    """Write every language's files (a preview apart); (a result per language, manifest entries by code). Adds to *written*."""
    results = []
    entries: dict[str, dict] = {}
    for item in bundles:
        code = item.language.code
        result = BundleResult(
            code, domain, item.bundled, item.completeness, fallback=item.fallback,
            held_back=item.held_back, published_failing=item.published_failing,
            state=item.state, reason=item.manifest_entry.get("reason"),
        )
        entry = dict(item.manifest_entry, built_at=now.isoformat(timespec="seconds"), stale=False)
        entry["files"] = {}
        refuse_link(folder / (PREVIEW_FOLDER if item.draft else code))
        if item.draft:
            refuse_link(folder / PREVIEW_FOLDER / code)
        for name in formats:
            chosen = FORMATS[name]
            if chosen.scope != "language":
                continue
            relative = relative_path(code, domain, name, draft=item.draft)
            data = chosen.function(item)
            if item.draft:
                data = mark_draft(name, data)
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
