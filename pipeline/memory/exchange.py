"""Exchange: the memory as a PO compendium (`msgmerge --compendium`) or TMX (translate-toolkit), and back."""

from __future__ import annotations

from typing import Iterable

import polib

from pipeline.errors import CatalogueError
from pipeline.gettext.catalogue import new_catalogue
from pipeline.gettext.languages import Language
from pipeline.memory.files import reviewed_entries
from pipeline.memory.store import MemoryEntry

DOMAINS_NOTE = "domains: "


def to_po(entries: Iterable[MemoryEntry], language: Language) -> polib.POFile:
    """The memory as a PO compendium: one reviewed entry per sentence, its domains as references."""
    po = new_catalogue(polib.POFile(), language)
    po.header = f"{language.english_name} translation memory: every reviewed translation of every article."
    po.metadata["Project-Id-Version"] = "translation memory"
    for entry in entries:
        po.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgstr=entry.msgstr,
                occurrences=[(domain, "") for domain in entry.domains],
            )
        )
    return po


def from_po(po: polib.POFile) -> list[MemoryEntry]:
    """The reviewed entries of a PO file as memory entries (references' file names as domains)."""
    return [
        MemoryEntry(e.msgctxt, e.msgid, e.msgstr, tuple(sorted({f for f, _ in e.occurrences})))
        for e in reviewed_entries(po)
    ]


def to_tmx(memories: Iterable[tuple[str, Iterable[MemoryEntry]]], *, source_language: str) -> bytes:
    """TMX 1.4 of (language, entries) pairs: one unit per sentence and language (msgctxt as x-context)."""
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage=source_language)
    for code, entries in memories:
        for entry in entries:
            comment = DOMAINS_NOTE + " ".join(entry.domains) if entry.domains else None
            store.addtranslation(entry.msgid, source_language, entry.msgstr, code.replace("_", "-"), comment=comment, context=entry.msgctxt)
    return bytes(store)


def from_tmx(data: bytes, *, source_language: str, unknown: dict[str, int] | None = None) -> dict[str, list[MemoryEntry]]:
    """Entries by target language from TMX bytes (units whose source is *source_language*).

    A translation in a language code Babel does not know is counted in
    *unknown* (code → how many) and left out; without *unknown* it is a
    CatalogueError naming the code.
    """
    from pipeline.errors import LanguageError
    from translate.misc.xml_helpers import getXMLlang
    from translate.storage.tmx import tmxfile

    from pipeline.gettext.languages import language

    try:
        store = tmxfile.parsestring(data)
    except Exception as exc:  # lxml raises its own XMLSyntaxError tree
        raise CatalogueError(f"not a readable TMX file ({exc}).") from None
    by_language: dict[str, list[MemoryEntry]] = {}
    wanted = source_language.replace("_", "-").lower()
    for unit in store.units:
        nodes = unit.getlanguageNodes()
        texts = [((getXMLlang(node) or "").replace("_", "-"), unit.getNodeText(node)) for node in nodes]
        source = next((text for lang, text in texts if lang.lower() == wanted or lang.lower().startswith(wanted + "-")), None)
        if not source:
            continue
        notes = unit.getnotes()
        domains = ()
        for line in notes.splitlines():
            if line.startswith(DOMAINS_NOTE):
                domains = tuple(sorted(line[len(DOMAINS_NOTE):].split()))
        context = unit.getcontext() or None
        for lang, text in texts:
            if not text or lang.lower() == wanted or lang.lower().startswith(wanted + "-"):
                continue
            try:
                code = language(lang).code
            except LanguageError:
                if unknown is None:
                    raise CatalogueError(f"a unit has a translation in {lang!r}, which is not a known language code.") from None
                unknown[lang] = unknown.get(lang, 0) + 1
                continue
            by_language.setdefault(code, []).append(MemoryEntry(context, source, text, domains))
    return by_language


def merge_into_compendium(compendium: polib.POFile, entries: Iterable[MemoryEntry]) -> int:
    """Add or replace *entries* in a compendium (the imported translation wins); return how many changed."""
    index = {(e.msgctxt, e.msgid): e for e in compendium}
    changed = 0
    for entry in entries:
        stored = index.get((entry.msgctxt, entry.msgid))
        occurrences = [(d, "") for d in entry.domains]
        if stored is None:
            stored = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr, occurrences=occurrences)
            compendium.append(stored)
            index[(entry.msgctxt, entry.msgid)] = stored
            changed += 1
            continue
        union = sorted(set(stored.occurrences) | set(occurrences))
        if stored.msgstr != entry.msgstr or stored.fuzzy or union != stored.occurrences:
            stored.msgstr = entry.msgstr
            stored.flags = [f for f in stored.flags if f != "fuzzy"]
            stored.occurrences = union
            changed += 1
    return changed
