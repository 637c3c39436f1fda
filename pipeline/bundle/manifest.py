"""The bundle's manifest (`<domain>/manifest.json`): what was built, when, by which tool, with checksums."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Sequence

from pipeline.article import Article
from pipeline.bundle.model import LanguageBundle

MANIFEST = "manifest.json"
TOOL = "newsroom-pipeline"


def read_manifest(folder: Path) -> dict | None:
    """The manifest an earlier run left in *folder* (None when absent, unreadable or a link)."""
    path = folder / MANIFEST
    try:
        if path.is_symlink() or not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def safe_relative(name: object) -> PurePosixPath | None:
    """A manifest file name as a path inside the bundle folder, or None when it could point elsewhere."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    return path


def sha256(data: bytes) -> str:
    """The hex SHA-256 of *data*, as the manifest records each file."""
    return hashlib.sha256(data).hexdigest()


def dump_json(data: dict) -> str:
    """*data* as the bundle writes JSON: UTF-8 text, indented, with a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def tool_version() -> str:
    """The installed pipeline's version, as the manifest names it ("unknown" when not installed)."""
    from pipeline.version import package_version

    return package_version() or "unknown"


def kept_languages(folder: Path, old_entries: dict, *, built: set[str], written: dict[str, bytes]) -> dict[str, dict]:
    """Entries of languages an earlier run built on the same source and this one did not: kept and marked `stale`.

    Only files still intact (same SHA-256) are kept; their bytes are added
    to *written*, so the archive holds them and they are not removed.
    """
    entries = {}
    for code, entry in old_entries.items():
        if code in built or not isinstance(code, str) or not isinstance(entry.get("files"), dict):
            continue
        kept = {}
        for name, digest in entry["files"].items():
            relative = safe_relative(name)
            path = folder / str(relative) if relative else None
            if path and not path.is_symlink() and path.is_file():
                data = path.read_bytes()
                if sha256(data) == digest:
                    kept[name] = digest
                    written[name] = data
        if kept:
            entries[code] = dict(entry, files=kept, stale=True)
    return entries


def article_manifest(
    article: Article,
    bundles: Sequence[LanguageBundle],
    entries: dict[str, dict],
    *,
    domain: str,
    formats: Sequence[str],
    archive: bool,
    source_language: str,
    threshold: float,
    use_fuzzy: bool,
    publish_failing: bool,
    skipped: Sequence[dict],
    now: datetime,
) -> dict:
    """The manifest of one article's bundle: the run's options, what was built and skipped, each language's entry."""
    return {
        "domain": domain,
        "source": article.path,
        "source_language": source_language,
        "source_sha256": article.sha256,
        "generated_at": now.isoformat(timespec="seconds"),
        "tool": {"name": TOOL, "version": tool_version()},
        "formats": list(formats),
        "threshold": threshold,
        "use_fuzzy": use_fuzzy,
        "publish_failing": publish_failing,
        "built": [b.language.code for b in bundles if b.bundled],
        "skipped": [
            *({"code": b.language.code, "reason": b.manifest_entry["reason"]} for b in bundles if not b.bundled),
            *skipped,
        ],
        "archive": f"{domain}.zip" if archive else None,
        "languages": [entries[code] for code in sorted(entries)],
    }
