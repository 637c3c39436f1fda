"""Rebuild an article in each target language, in the formats a newsroom publishes, plus a manifest.

Data to data: `build_language` turns (article, catalogue, language) into a
`LanguageBundle` (the published translations, the structure, the compiled
catalogue, the manifest entry) and writes nothing; small writers, one per
format and registered by name in `FORMATS`, turn a bundle into bytes;
`write_bundle` writes them atomically, records each file's SHA-256 in the
manifest and removes what an earlier run wrote and this one did not.

Layout under the output folder:

- `<domain>/<lang>/<domain>.txt`  the article, same layout and credits
- `<domain>/<lang>/<domain>.json` its structure
- `<domain>/<lang>/<domain>.md`   Markdown: headline as heading, captions set apart with credits
- `<domain>/<lang>/<domain>.html` a clean article page with `lang` and `dir`
- `<domain>/<lang>/<domain>.mo`   the compiled catalogue as published
- `<domain>/manifest.json`        what was built, when, by which tool, with checksums
- `<domain>.zip`                  the whole bundle with its manifest

Publishing gate: a translation that fails an error check (the QA registry's
error checks, `line-structure`, msgfmt) is not published: the sentence falls
back to the source and the manifest lists it with the check id, unless the
caller asks to publish failing translations (recorded in the manifest).

Containment: the bundle deletes only files its previous manifest lists,
never through a symbolic link, and refuses folders that are the filesystem
root, the home folder or an ancestor of the project.
"""

from __future__ import annotations

import copy
import hashlib
import html
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

import polib

from pipeline.article import Article, Block, encode, fold, render
from pipeline.runtime.atomic import write_bytes, write_text
from pipeline.gettext.provenance import MT_MARK
from pipeline.errors import OutputError, SourceError
from pipeline.gettext.languages import Language
from pipeline.gettext.stats import catalogue_stats

MANIFEST = "manifest.json"
LINE_STRUCTURE = "line-structure"


# --- names that become paths -------------------------------------------------


def validate_domain(domain: str, *, source: str) -> str:
    """Refuse a domain (a source's file stem) that cannot safely name a folder."""
    if domain in ("", ".", "..") or any(c in domain for c in "/\\\0"):
        raise SourceError(
            f"{source}: its file name gives the domain {domain!r}, which cannot name a folder; rename the file (e.g. article.txt)."
        )
    return domain


def refuse_same_domain(articles: Sequence[Article]) -> None:
    """Refuse two different sources with the same file stem: their bundles would overwrite each other."""
    seen: dict[str, Article] = {}
    for item in articles:
        validate_domain(item.domain, source=item.path)
        first = seen.setdefault(item.domain, item)
        if first is not item and first.path != item.path:
            raise SourceError(
                f"{first.path} and {item.path} have the same file name stem {item.domain!r} and would share one "
                "catalogue and one bundle; rename one of them."
            )


def guard_folder(path: Path, *, root: Path, what: str, allow_root: bool = False) -> Path:
    """Refuse a folder that is the filesystem root, the home folder or an ancestor of the project."""
    resolved = Path(path).resolve()
    project = Path(root).resolve()
    why = None
    if resolved.parent == resolved:
        why = "the filesystem root"
    elif resolved == Path.home().resolve():
        why = "the home folder"
    elif resolved in project.parents:
        why = f"an ancestor of the project {project}"
    elif resolved == project and not allow_root:
        why = "the project folder itself"
    if why:
        raise OutputError(f"{what} {path} is {why}; the pipeline will not write or delete there. Choose a folder inside the project (e.g. dist).")
    return resolved


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise OutputError(
            f"{path} is a symbolic link; the bundle never writes or deletes through a link. Remove the link or choose another --out."
        )


# --- the publishing gate -------------------------------------------------------


@dataclass(frozen=True)
class HeldBack:
    """A translation that failed an error check and so is not published (or was published on request)."""

    msgid: str
    check: str
    message: str
    line: int | None

    def as_dict(self) -> dict:
        return {"msgid": self.msgid, "check": self.check, "message": self.message, "line": self.line}


def line_structure(source: str, target: str) -> list[str]:
    """A msgstr has the msgid's number of line breaks (gettext's rule; an added blank line changes the layout)."""
    if source.count("\n") != target.count("\n"):
        return [f"the translation has {target.count(chr(10))} line breaks, the source {source.count(chr(10))}"]
    return []


def gate_failures(
    po: polib.POFile,
    usable: dict[str, str],
    *,
    language: str,
    glossary: Sequence = (),
    source_language: str = "en",
    msgfmt_messages: Sequence[str] = (),
) -> tuple[list[HeldBack], list[str]]:
    """(sentences failing an error check, catalogue-level errors) among the translations about to be published.

    Entry checks come from the QA registry (`checks.check_catalogue`, error
    severity only), plus `line-structure`; msgfmt complaints that name a line
    are charged to the entry at that line, the others to the catalogue.
    """
    from pipeline import checks

    held: dict[tuple[str, str], HeldBack] = {}
    catalogue_errors: list[str] = []
    for finding in checks.check_catalogue(po, language=language, glossary=glossary, source_language=source_language):
        if finding.severity != "error":
            continue
        if not finding.msgid:
            catalogue_errors.append(f"[{finding.check}] {finding.message}")
        elif finding.msgid in usable:
            held.setdefault((finding.msgid, finding.check), HeldBack(finding.msgid, finding.check, finding.message, finding.line))
    entries = sorted((e for e in po if e.msgid and not e.obsolete), key=lambda e: e.linenum or 0)
    for entry in entries:
        if entry.msgid in usable:
            for message in line_structure(entry.msgid, usable[entry.msgid]):
                held.setdefault((entry.msgid, LINE_STRUCTURE), HeldBack(entry.msgid, LINE_STRUCTURE, message, entry.linenum or None))
    for message in msgfmt_messages:
        match = re.search(r":(\d+):", message)
        owner = None
        if match:
            line = int(match.group(1))
            before = [e for e in entries if (e.linenum or 0) <= line]
            owner = before[-1] if before else None
        if owner is not None and owner.msgid in usable:
            held.setdefault((owner.msgid, "msgfmt"), HeldBack(owner.msgid, "msgfmt", message, owner.linenum or None))
        elif owner is None:
            catalogue_errors.append(f"[msgfmt] {message}")
    return list(held.values()), catalogue_errors


# --- building: data to data ----------------------------------------------------


def translations(po: polib.POFile, *, use_fuzzy: bool = False) -> dict[str, str]:
    """msgid → msgstr for the entries gettext would use."""
    return {
        e.msgid: e.msgstr
        for e in po
        if e.msgid and e.msgstr and not e.obsolete and (use_fuzzy or not e.fuzzy)
    }


@dataclass
class LanguageBundle:
    """Everything one language's bundle holds, before anything is written."""

    article: Article
    language: Language
    published: dict[str, str]  # msgid → msgstr actually published
    structure: dict
    mo: bytes
    date: str  # the run's date, formatted for the language by Babel
    text_direction: str  # "ltr" or "rtl", from Babel
    bundled: bool
    completeness: float
    fallback: list[str]
    held_back: list[HeldBack]
    published_failing: list[HeldBack]
    manifest_entry: dict


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
    held_back: list[HeldBack] = field(default_factory=list)
    published_failing: list[HeldBack] = field(default_factory=list)


def build_language(
    article: Article,
    po: polib.POFile,
    language: Language,
    *,
    threshold: float = 80.0,
    use_fuzzy: bool = False,
    publish_failing: bool = False,
    glossary: Sequence = (),
    source_language: str = "en",
    msgfmt_messages: Sequence[str] = (),
    now: datetime | None = None,
    mt_failure: str | None = None,
) -> LanguageBundle:
    """Decide what *language*'s bundle of *article* publishes; write nothing."""
    from babel import Locale
    from babel.dates import format_date

    now = now or datetime.now(timezone.utc)
    stats = catalogue_stats(po, language=language.code, domain=article.domain)
    usable = translations(po, use_fuzzy=use_fuzzy)
    held, catalogue_errors = gate_failures(
        po, usable, language=language.code, glossary=glossary, source_language=source_language, msgfmt_messages=msgfmt_messages
    )
    published_failing: list[HeldBack] = []
    if publish_failing:
        published_failing, held = held, []
    published = {msgid: text for msgid, text in usable.items() if msgid not in {h.msgid for h in held}}
    needed = list(dict.fromkeys(s.msgid for s in article.segments))
    covered = sum(1 for msgid in needed if msgid in published)
    completeness = round(100.0 * covered / len(needed), 1) if needed else 100.0
    fallback = [msgid for msgid in needed if msgid not in published]
    bundled = completeness >= threshold and not (catalogue_errors and not publish_failing)
    locale = Locale.parse(language.code)
    direction = locale.text_direction
    date = format_date(now.date(), format="long", locale=locale)
    if catalogue_errors and not publish_failing:
        reason = "the catalogue fails an error check: " + "; ".join(catalogue_errors)
    elif completeness < threshold:
        reason = f"{completeness}% translated, below the {threshold:g}% threshold"
    else:
        reason = None
    notes = sorted(
        {
            line[len(MT_MARK):]
            for e in po
            if e.msgid in published and e.fuzzy
            for line in e.tcomment.splitlines()
            if line.startswith(MT_MARK)
        }
    )
    if mt_failure:
        notes.append(f"machine translation failed: {mt_failure}")
    by_state = _by_state(stats)
    entry = {
        "code": language.code,
        "english_name": language.english_name,
        "native_name": language.native_name,
        "text_direction": direction,
        "date": date,
        "entries": {k: v["entries"] for k, v in by_state.items()},
        "words": {k: v["words"] for k, v in by_state.items()},
        "catalogue_completeness": stats.completeness,
        "completeness": completeness,
        "bundled": bundled,
        "reason": reason,
        "files": {},
        "fallback_to_source": fallback if bundled else [],
        "held_back": [h.as_dict() for h in held],
        "published_failing": [h.as_dict() for h in published_failing],
        "catalogue_errors": catalogue_errors,
        "engine_notes": notes,
    }
    return LanguageBundle(
        article=article,
        language=language,
        published=published,
        structure=_structure(article, published, language.code, direction),
        mo=_compiled(po, published, use_fuzzy=use_fuzzy),
        date=date,
        text_direction=direction,
        bundled=bundled,
        completeness=completeness,
        fallback=fallback,
        held_back=held,
        published_failing=published_failing,
        manifest_entry=entry,
    )


def _compiled(po: polib.POFile, published: dict[str, str], *, use_fuzzy: bool) -> bytes:
    """The catalogue as a `.mo` with exactly the published translations (msgfmt's output when none is held back)."""
    if not use_fuzzy and all(published.get(e.msgid) == e.msgstr for e in po if e.msgid and e.msgstr and not e.fuzzy and not e.obsolete):
        return po.to_binary()  # nothing held back: byte for byte what `pipeline compile` writes
    shipped = copy.deepcopy(po)
    for entry in shipped:
        if entry.msgid and not entry.obsolete:
            if entry.msgid in published:
                entry.msgstr = published[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            else:
                entry.msgstr = ""
    return shipped.to_binary()


def _block_text(article: Article, block: Block, published: dict[str, str]) -> str:
    """A block's translated sentences joined by the source's own separators, line breaks folded."""
    parts = []
    position = None
    for segment in block.segments:
        if position is not None:
            parts.append(fold(article.text[position : segment.start]) or "")
        parts.append(published.get(segment.msgid, segment.msgid))
        position = segment.end
    return "".join(parts)


def _structure(article: Article, published: dict[str, str], code: str, direction: str) -> dict:
    blocks = []
    for block in article.blocks:
        sentences = [
            {
                "source": s.msgid,
                "target": published.get(s.msgid, s.msgid),
                "translated": s.msgid in published,
            }
            for s in block.segments
        ]
        blocks.append(
            {
                "role": block.role,
                "line": block.line,
                "text": _block_text(article, block, published),
                "sentences": sentences,
                "caption_credit": block.caption_credit,
            }
        )
    headline = next((b for b in blocks if b["role"] == "headline"), None)
    return {
        "source": article.path,
        "language": code,
        "text_direction": direction,
        "headline": headline["text"] if headline else "",
        "blocks": blocks,
    }


# --- writers: one function per format, registered by name ---------------------


@dataclass(frozen=True)
class Format:
    """A bundle format: per language (`LanguageBundle -> bytes`) or per article (`ArticleBundle -> bytes`)."""

    name: str
    scope: str  # "language" or "article"
    function: Callable


FORMATS: dict[str, Format] = {}


def writer(name: str, *, scope: str = "language") -> Callable[[Callable], Callable]:
    """Register a format writer under *name* (also the file extension)."""

    def register(function: Callable) -> Callable:
        FORMATS[name] = Format(name, scope, function)
        return function

    return register


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """`txt,json` → ("txt", "json"), validated against the registry; None → every format."""
    if value is None:
        return tuple(FORMATS)
    items = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    chosen = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in FORMATS:
            from pipeline.errors import ConfigError

            raise ConfigError(f"--format: {item!r} is not a bundle format; choose from {', '.join(FORMATS)} (comma-separated).")
        if item not in chosen:
            chosen.append(item)
    if not chosen:
        from pipeline.errors import ConfigError

        raise ConfigError(f"--format: no format given; choose from {', '.join(FORMATS)}.")
    return tuple(chosen)


@writer("txt")
def write_txt(bundle: LanguageBundle) -> bytes:
    """The article in the source's own layout (blank lines, line endings, BOM, credits)."""
    return encode(bundle.article, render(bundle.article, bundle.published))


@writer("json")
def write_json(bundle: LanguageBundle) -> bytes:
    """The article's structure: headline, blocks with role, sentences and credit."""
    return _dump(bundle.structure).encode("utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def _md(text: str) -> str:
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MD_SPECIAL.sub(r"\\\1", text))


@writer("md")
def write_md(bundle: LanguageBundle) -> bytes:
    """Markdown: the headline as a heading, paragraphs, captions as quotes with their credit."""
    lines = []
    for block in bundle.structure["blocks"]:
        if block["role"] == "headline":
            lines.append(f"# {_md(block['text'])}")
            lines.append("")
            lines.append(f"*{_md(bundle.date)}*")
        elif block["role"] == "caption":
            credit = f" — {_md(block['caption_credit'])}" if block["caption_credit"] else ""
            lines.append(f"> *{_md(block['text'])}*{credit}")
        else:
            lines.append(_md(block["text"]))
        lines.append("")
    return "\n".join(lines).encode("utf-8")


_HTML_STYLE = (
    "body{font:1.1rem/1.6 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.9rem;line-height:1.25}time{color:#666}"
    "figure{margin:1.5rem 0;padding:.6rem 1rem;border-left:4px solid #999;background:#f5f5f5}"
    "figcaption{font-style:italic}.credit{font-style:normal;color:#555;font-size:.9rem}"
)


@writer("html")
def write_html(bundle: LanguageBundle) -> bytes:
    """A clean article page with `lang` and `dir`, every string escaped, no external asset."""
    e = html.escape
    body = []
    for block in bundle.structure["blocks"]:
        text = e(block["text"])
        if block["role"] == "headline":
            body.append(f"<h1>{text}</h1>\n<p><time>{e(bundle.date)}</time></p>")
        elif block["role"] == "caption":
            credit = f' <span class="credit">{e(block["caption_credit"])}</span>' if block["caption_credit"] else ""
            body.append(f"<figure><figcaption>{text}{credit}</figcaption></figure>")
        else:
            body.append(f"<p>{text}</p>")
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(bundle.language.code.replace("_", "-"))}" dir="{e(bundle.text_direction)}">\n'
        '<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(bundle.structure['headline'])}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n"
        "<body>\n<article>\n" + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


@writer("mo")
def write_mo(bundle: LanguageBundle) -> bytes:
    """The compiled catalogue, holding exactly the published translations."""
    return bundle.mo


@dataclass
class ArticleBundle:
    """Every file of one article's bundle (paths relative to its folder) and its manifest."""

    domain: str
    files: dict[str, bytes]
    manifest: bytes


@writer("zip", scope="article")
def write_zip(bundle: ArticleBundle) -> bytes:
    """One archive `<domain>.zip` holding the whole bundle and its manifest (fixed timestamps: same input, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted({**bundle.files, MANIFEST: bundle.manifest}.items()):
            info = zipfile.ZipInfo(f"{bundle.domain}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# --- writing ----------------------------------------------------------------------


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


def _safe_relative(name: object) -> PurePosixPath | None:
    """A manifest file name as a path inside the bundle folder, or None when it could point elsewhere."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    return path


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


# atomic.atomic_path's temporary names: "." + target name + "." + mkstemp's 8 characters + ".tmp"
_LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def remove_leftover_temporaries(folders: Sequence[Path], *, recursive: bool = False) -> list[Path]:
    """Remove temporary files of the pipeline's own pattern that a killed write left behind.

    Call it while holding the project lock (no other pipeline process is
    writing then). Only regular files are removed; links are neither
    removed nor followed.
    """
    removed = []
    pending = [Path(f) for f in folders]
    while pending:
        folder = pending.pop()
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            listing = list(os.scandir(folder))
        except OSError:
            continue
        if not recursive:  # a catalogue folder holds thousands of entries: only names of our pattern matter
            listing = [item for item in listing if item.name.endswith(".tmp") and _LEFTOVER.match(item.name)]
        for item in listing:
            if item.is_symlink():
                continue
            if item.is_dir(follow_symlinks=False):
                if recursive:
                    pending.append(Path(item.path))
            elif item.is_file(follow_symlinks=False) and _LEFTOVER.match(item.name):
                try:
                    os.unlink(item.path)
                    removed.append(Path(item.path))
                except OSError:
                    pass
    return removed


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tool_version() -> str:
    """The installed pipeline's version (from its package metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsroom-pipeline")
    except PackageNotFoundError:
        return "unknown"


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

    Only files the previous manifest lists are ever removed, and never
    through a symbolic link. A language built by an earlier run on the same
    source and not rebuilt now keeps its files, marked `stale` in the manifest.
    """
    now = now or datetime.now(timezone.utc)
    domain = validate_domain(article.domain, source=article.path)
    out_dir = Path(out_dir)
    folder = out_dir / domain
    _refuse_link(folder)
    archive_path = out_dir / f"{domain}.zip"
    old = read_manifest(folder) or {}
    old_entries = {e.get("code"): e for e in old.get("languages", []) if isinstance(e, dict)}
    built_codes = {b.language.code for b in bundles}

    written: dict[str, bytes] = {}
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
            _refuse_link(folder / code)
            for name in formats:
                chosen = FORMATS[name]
                if chosen.scope != "language":
                    continue
                relative = f"{code}/{domain}.{name}"
                data = chosen.function(item)
                write_bytes(folder / relative, data)
                written[relative] = data
                entry["files"][relative] = _sha256(data)
                result.files.append(folder / relative)
        result.manifest_entry = entry
        entries[code] = entry
        results.append(result)

    # Languages an earlier run built on the same source, not rebuilt now: kept and marked, if intact.
    if old.get("source_sha256") == article.sha256:
        for code, entry in old_entries.items():
            if code in built_codes or not isinstance(code, str) or not isinstance(entry.get("files"), dict):
                continue
            kept = {}
            for name, digest in entry["files"].items():
                relative = _safe_relative(name)
                path = folder / str(relative) if relative else None
                if path and not path.is_symlink() and path.is_file():
                    data = path.read_bytes()
                    if _sha256(data) == digest:
                        kept[name] = digest
                        written[name] = data
            if kept:
                entries[code] = dict(entry, files=kept, stale=True)

    # Remove what the previous run wrote and this one did not.
    for entry in old_entries.values():
        files = entry.get("files")
        names = files.keys() if isinstance(files, dict) else files if isinstance(files, list) else []
        for name in names:
            relative = _safe_relative(name)
            if relative is not None and str(relative) not in written:
                _remove_file(folder, relative)

    archive = "zip" in formats and FORMATS["zip"].scope == "article"
    manifest = {
        "domain": domain,
        "source": article.path,
        "source_language": source_language,
        "source_sha256": article.sha256,
        "generated_at": now.isoformat(timespec="seconds"),
        "tool": {"name": "newsroom-pipeline", "version": tool_version()},
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
    manifest_text = _dump(manifest)
    write_text(folder / MANIFEST, manifest_text)
    for name in formats:
        chosen = FORMATS[name]
        if chosen.scope == "article":
            path = out_dir / f"{domain}.{name}"
            _refuse_link(path)
            write_bytes(path, chosen.function(ArticleBundle(domain, dict(written), manifest_text.encode("utf-8"))))
    if not archive and old.get("archive") == f"{domain}.zip" and not archive_path.is_symlink() and archive_path.is_file():
        archive_path.unlink()
    return results


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
