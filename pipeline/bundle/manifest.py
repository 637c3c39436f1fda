"""The bundle's manifest (`<domain>/manifest.json`): what was built, when, by which tool, with checksums."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

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


def kept_languages(
    folder: Path,
    old_entries: dict,
    *,
    built: set[str],
    written: dict[str, bytes],
    source_sha256: str,
    old_source_sha256: str | None,
    catalogue_digests: Mapping[str, str],
) -> dict[str, dict]:
    """Entries of languages an earlier run wrote and this one did not touch (a `--lang` run): kept as they were.

    Only files still intact (same SHA-256) are kept; their bytes are added
    to *written*, so they are not removed (and a published one stays in the
    archive). An entry is marked `stale` only when its inputs changed since:
    the article, or the language's catalogue (*catalogue_digests*: code →
    SHA-256 of the catalogue now; the entry records the one it was built
    from), and `stale_reason` says which.
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
        if not kept and entry.get("state") != "failed":
            continue
        changed = []
        if entry.get("source_sha256", old_source_sha256) != source_sha256:
            changed.append("the article changed")
        if catalogue_digests.get(code) != entry.get("catalogue_sha256"):
            changed.append("its catalogue changed")
        stale = bool(changed) or (len(kept) != len(entry["files"]))
        reason = " and ".join(changed) if changed else ("some of its files were changed or removed" if stale else None)
        entries[code] = dict(entry, files=kept, stale=stale, stale_reason=reason)
    return entries


def without_build_time(manifest: dict) -> dict:
    """The manifest without the run's times (`generated_at`, each `built_at`): what the archive holds."""
    copy = {k: v for k, v in manifest.items() if k != "generated_at"}
    copy["languages"] = [{k: v for k, v in entry.items() if k != "built_at"} for entry in manifest.get("languages", [])]
    return copy


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
    now: datetime,
) -> dict:
    """The manifest of one article's bundle: the publishing policy, each language's one state and why, the files.

    `published`, `preview`, `held_back` and `failed` list the language codes
    by state (every language of *entries*: built now, failed now, or kept
    from an earlier run); each language's entry has its `state` and
    `reason` in words.
    """
    from pipeline.bundle.build import policy_words

    by_state: dict[str, list[str]] = {"published": [], "preview": [], "held back": [], "failed": []}
    for code in sorted(entries):
        by_state.setdefault(entries[code].get("state") or ("published" if entries[code].get("bundled") else "preview"), []).append(code)
    return {
        "domain": domain,
        "source": article.path,
        "source_language": source_language,
        "source_sha256": article.sha256,
        "story_date": article.date,
        "generated_at": now.isoformat(timespec="seconds"),
        "tool": {"name": TOOL, "version": tool_version()},
        "formats": list(formats),
        "policy": policy_words(threshold, use_fuzzy=use_fuzzy, publish_failing=publish_failing),
        "threshold": threshold,
        "use_fuzzy": use_fuzzy,
        "publish_failing": publish_failing,
        "published": by_state["published"],
        "preview": by_state["preview"],
        "held_back": by_state["held back"],
        "failed": by_state["failed"],
        "archive": f"{domain}.zip" if archive else None,
        "languages": [entries[code] for code in sorted(entries)],
    }
