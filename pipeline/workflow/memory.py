"""`pipeline memory`: rebuild, export and import the translation memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import CatalogueError, SourceError
from pipeline.gettext.catalogue import Catalogue, open_catalogue, read_catalogue, write_catalogue
from pipeline.gettext.languages import language
from pipeline.memory import TranslationMemory, memory_sources
from pipeline.settings import Settings
from pipeline.wording import counted
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.outcome import Report


@dataclass
class MemoryResult:
    """What a `memory` verb did for one language."""

    language: str
    entries: int  # sentences in the memory afterwards (or exported)
    path: Path | None = None
    changed: int = 0
    notes: tuple[str, ...] = ()  # a damaged cache set aside and rebuilt: one line each


@writes_catalogues
def memory_rebuild(settings: Settings, *, languages: tuple[str, ...]) -> list[MemoryResult]:
    """Recreate each language's memory from its catalogues and compendium."""
    results = []
    for code in languages:
        lang = language(code)
        with TranslationMemory.open(settings.locale_path, lang) as memory:
            memory.clear()
            report = memory.refresh(memory_sources(settings.locale_path, lang.code))
            results.append(MemoryResult(lang.code, len(memory), memory.path, len(report.indexed), tuple(memory.notes)))
    return results


@writes_catalogues
def memory_export(settings: Settings, *, languages: tuple[str, ...], format: str, out: Path) -> list[MemoryResult]:
    """Write the memory of *languages* to *out* as a PO compendium (one language) or TMX (any number)."""
    from pipeline.runtime.atomic import atomic_path
    from pipeline.errors import ConfigError
    from pipeline.memory import to_po, to_tmx

    if format not in ("po", "tmx"):
        raise ConfigError(f"unknown memory format {format!r}; use po or tmx.")
    if format == "po" and len(languages) != 1:
        raise ConfigError(f"a PO compendium holds one language, not {len(languages)}; choose one with --lang (or use --format tmx).")
    out = settings.resolve(out)
    from pipeline.runtime.containment import is_inside

    if is_inside(out, settings.locale_path):
        inside = out.resolve().relative_to(settings.locale_path.resolve())
        # Only `<lang>/compendium.po` (the memory's committed archive) may be written there.
        live = "LC_MESSAGES" in inside.parts or ".cache" in inside.parts or out.suffix.lower() != ".po" or out.name != "compendium.po"
    else:
        live = False
    if live or out.is_symlink():
        raise ConfigError(
            f"{out}: --out is a catalogue, a template or a cache under {settings.locale_path} (or a link); an export never "
            "replaces a catalogue. Write it elsewhere (e.g. uk-memory.po)."
        )
    exported = []
    for code in languages:
        lang = language(code)
        with TranslationMemory.open(settings.locale_path, lang) as memory:
            memory.refresh(memory_sources(settings.locale_path, lang.code))
            exported.append((lang, list(memory.entries())))
    if format == "po":
        lang, entries = exported[0]
        write_catalogue(to_po(entries, lang), out)
    else:
        data = to_tmx([(lang.code, entries) for lang, entries in exported], source_language=settings.source_language)
        with atomic_path(out) as tmp:
            tmp.write_bytes(data)
    return [MemoryResult(lang.code, len(entries), out) for lang, entries in exported]


@writes_catalogues
def memory_import(settings: Settings, path: Path, *, language_code: str | None = None) -> Report:
    """Merge a PO or TMX file's reviewed translations into each language's compendium, then index it.

    Results are MemoryResults. The compendium (`locale/<lang>/compendium.po`)
    is the memory's committed archive, so an import survives a `memory
    rebuild`. A TMX's region-tagged languages (`de-DE`) go to the configured
    language they name (`de`); languages the project does not translate into
    are skipped and reported, unless asked for with *language_code*.
    """
    report = Report()
    from pipeline.errors import ConfigError
    from pipeline.memory import compendium_path, from_po, from_tmx, merge_into_compendium, to_po

    path = settings.resolve(path)
    from pipeline.runtime.reading import read_bounded

    try:
        data = read_bounded(path, kind="import", error=SourceError, what="a PO or TMX file", advice="give a regular PO or TMX file")
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file; check the path of the file to import.") from None
    if path.suffix.lower() == ".tmx" or data.lstrip()[:5] in (b"<?xml", b"<tmx "):
        unknown: dict[str, int] = {}
        try:
            by_language = from_tmx(data, source_language=settings.source_language, unknown=unknown)
        except CatalogueError as exc:
            raise CatalogueError(f"{path}: {exc}") from None
        for code, count in unknown.items():
            report.skip(
                code, None,
                CatalogueError(f"{path}: {counted(count, 'unit')} in {code!r}, which is not a known language code; fix its xml:lang (e.g. de-DE)."),
            )
        if not by_language:
            raise SourceError(
                f"{path}: no unit has a {settings.source_language!r} source and a translation; "
                f"the memory holds translations from the project's source language ([tool.pipeline] source_language)."
            )
        by_language = _configured_languages(settings, by_language, path=path, wanted=language_code, report=report)
    else:
        po = read_catalogue(path)
        code = language_code or po.metadata.get("Language", "")
        if not code:
            raise ConfigError(f"{path}: the file has no Language header; say which language it is with --lang.")
        by_language = {language(code).code: from_po(po)}
    for code, entries in by_language.items():
        lang = language(code)
        target = compendium_path(settings.locale_path, lang.code)
        compendium = open_catalogue(target, language=lang) if target.exists() else Catalogue(to_po([], lang), target)
        changed = merge_into_compendium(compendium.po, entries)
        if changed:
            write_catalogue(compendium)
        with TranslationMemory.open(settings.locale_path, lang) as memory:
            memory.refresh(memory_sources(settings.locale_path, lang.code))
            report.results.append(MemoryResult(lang.code, len(memory), target, changed))
            report.notes += memory.notes
    return report


def _configured_languages(settings: Settings, by_language: dict, *, path: Path, wanted: str | None, report: Report) -> dict:
    """TMX entries by the project's own language codes; the rest skipped into *report*."""
    from pipeline.gettext.languages import same_language

    targets = (language(wanted).code,) if wanted else tuple(language(code).code for code in settings.languages)
    chosen: dict[str, list] = {}
    for code, entries in by_language.items():
        match = next((target for target in targets if target == code or same_language(code, target)), None)
        if match is None:
            if not wanted:
                report.skip(
                    code, None,
                    CatalogueError(f"{path}: {counted(len(entries), 'unit')} in {code}, which the project does not translate into; add it to [tool.pipeline] languages or import it with --lang {code}."),
                )
            continue
        chosen.setdefault(match, []).extend(entries)
    return chosen
