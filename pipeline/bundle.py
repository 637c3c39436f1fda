"""Rebuild an article in each target language, plus a manifest.

Layout: `<out>/<domain>/<lang>/<domain>.txt` (the article, same layout and
credits), `<out>/<domain>/<lang>/<domain>.json` (its structure) and
`<out>/<domain>/manifest.json`. Fuzzy translations are used only on request
(gettext's rule); a sentence with no usable translation falls back to the
source and is listed in the manifest.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .article import Article, encode, render
from .atomic import write_text, write_bytes
from .catalog import MT_MARK
from .languages import Language
from .status import catalogue_stats


@dataclass
class BundleResult:
    """What was bundled for one language of one article."""

    language: str
    domain: str
    bundled: bool
    completeness: float
    files: list[Path] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)
    manifest_entry: dict = field(default_factory=dict)


def translations(po: polib.POFile, *, use_fuzzy: bool = False) -> dict[str, str]:
    """msgid → msgstr for the entries gettext would use."""
    return {
        e.msgid: e.msgstr
        for e in po
        if e.msgid and e.msgstr and not e.obsolete and (use_fuzzy or not e.fuzzy)
    }


def bundle_language(
    article: Article,
    po: polib.POFile,
    language: Language,
    *,
    out_dir: Path,
    threshold: float = 80.0,
    use_fuzzy: bool = False,
) -> BundleResult:
    """Write the localised text and structure of *article* in *language* (when complete enough)."""
    stats = catalogue_stats(po, language=language.code, domain=article.domain)
    usable = translations(po, use_fuzzy=use_fuzzy)
    needed = list(dict.fromkeys(s.msgid for s in article.segments))
    covered = sum(1 for msgid in needed if msgid in usable)
    completeness = round(100.0 * covered / len(needed), 1) if needed else 100.0
    fallback = [msgid for msgid in needed if msgid not in usable]
    folder = out_dir / article.domain / language.code
    result = BundleResult(language.code, article.domain, completeness >= threshold, completeness, fallback=fallback)
    notes = sorted(
        {
            line[len(MT_MARK):]
            for e in po
            if e.msgid in usable and e.fuzzy
            for line in e.tcomment.splitlines()
            if line.startswith(MT_MARK)
        }
    )
    if result.bundled:
        text_path = folder / f"{article.domain}.txt"
        json_path = folder / f"{article.domain}.json"
        write_bytes(text_path, encode(article, render(article, usable)))
        write_text(json_path, _dump(_structure(article, usable, language.code)))
        result.files = [text_path, json_path]
    elif folder.exists():
        shutil.rmtree(folder)  # a stale bundle must not pass for a current one
    result.manifest_entry = {
        "code": language.code,
        "english_name": language.english_name,
        "native_name": language.native_name,
        "entries": {k: v["entries"] for k, v in _by_state(stats).items()},
        "words": {k: v["words"] for k, v in _by_state(stats).items()},
        "catalogue_completeness": stats.completeness,
        "completeness": completeness,
        "bundled": result.bundled,
        "reason": None if result.bundled else f"{completeness}% translated, below the {threshold:g}% threshold",
        "files": [p.relative_to(out_dir / article.domain).as_posix() for p in result.files],
        "fallback_to_source": fallback if result.bundled else [],
        "engine_notes": notes,
    }
    return result


def write_manifest(
    article: Article,
    results: list[BundleResult],
    *,
    out_dir: Path,
    source_language: str,
    threshold: float,
    use_fuzzy: bool,
    skipped: dict[str, str] | None = None,
) -> Path:
    """Write `<out>/<domain>/manifest.json`, keeping entries of languages not in this run.

    *skipped* maps each language this run could not bundle to why (its
    catalogue is missing or unreadable); the manifest lists them.
    """
    path = out_dir / article.domain / "manifest.json"
    languages: dict[str, dict] = {}
    if path.is_file():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("source_sha256") == article.sha256:
                languages = {entry["code"]: entry for entry in old.get("languages", [])}
        except (OSError, ValueError, KeyError, TypeError):
            languages = {}
    for result in results:
        languages[result.language] = result.manifest_entry
    skipped = skipped or {}
    for code in skipped:
        languages.pop(code, None)
    manifest = {
        "domain": article.domain,
        "source": article.path,
        "source_language": source_language,
        "source_sha256": article.sha256,
        "threshold": threshold,
        "use_fuzzy": use_fuzzy,
        "languages": [languages[code] for code in sorted(languages)],
        "skipped": [{"code": code, "reason": reason} for code, reason in sorted(skipped.items())],
    }
    write_text(path, _dump(manifest))
    return path


def _structure(article: Article, usable: dict[str, str], code: str) -> dict:
    blocks = []
    for block in article.blocks:
        sentences = [
            {
                "source": s.msgid,
                "target": usable.get(s.msgid, s.msgid),
                "translated": s.msgid in usable,
            }
            for s in block.segments
        ]
        blocks.append(
            {"role": block.role, "line": block.line, "sentences": sentences, "caption_credit": block.caption_credit}
        )
    headline = next((b for b in blocks if b["role"] == "headline"), None)
    return {
        "source": article.path,
        "language": code,
        "headline": " ".join(s["target"] for s in headline["sentences"]) if headline else "",
        "blocks": blocks,
    }


def _by_state(stats) -> dict[str, dict]:
    return {
        "translated": vars(stats.translated),
        "fuzzy_machine": vars(stats.fuzzy_machine),
        "fuzzy_human": vars(stats.fuzzy_human),
        "untranslated": vars(stats.untranslated),
        "obsolete": vars(stats.obsolete),
        "total": vars(stats.total),
    }


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
