"""PO catalogues: read, write, create and merge them.

A :class:`Catalogue` is what the workflow reads, changes and writes back: the
polib catalogue, the path it came from, what the file held when it was read
(to detect a translator's edit made meanwhile) and the header as written (so
that the file's field order and repeated fields survive a rewrite). Reading
is :mod:`pipeline.poparse` (gettext's grammar, every file msgfmt accepts),
writing is :mod:`pipeline.poformat` (gettext's layout, msgcat-stable).

Merging follows `msgmerge --previous`: an entry whose msgctxt + msgid is
still in the template keeps its translation (every plural form), translator
comments and translator flags, and takes references, extracted comments and
format flags from the template; a new sentence gets the closest translated
entry of the old catalogue as `fuzzy`, with that entry's source as `#|`
lines; vanished entries become obsolete (`#~`) and come back, translation
and all, when their sentence returns.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import polib

from pipeline.runtime.atomic import atomic_path
from pipeline.errors import CatalogueError, ConcurrentEditError
from pipeline.gettext.languages import Language
from pipeline.gettext.provenance import MT_MARK, TM_MARK, is_machine  # noqa: F401 (importers of the catalogue use them)
from pipeline.wording import counted

WRAP_WIDTH = 79
HAND_HEADER = "Translated by hand by the newsroom's translators."
ABSENT = "absent"  # the fingerprint of a catalogue that did not exist when it was read


@dataclass
class MergeReport:
    """What one merge did to a catalogue (entries, a plural entry counting once)."""

    kept: int = 0  # live entries still in the template, translation (if any) kept
    fuzzy_matched: int = 0  # new sentences given a close translation, marked fuzzy
    new: int = 0  # new sentences without any suggestion
    revived: int = 0  # obsolete entries whose sentence came back
    obsoleted: int = 0  # translated live entries whose sentence vanished, now obsolete
    purged: int = 0  # obsolete entries dropped (purge_obsolete)


@dataclass
class Catalogue:
    """A parsed catalogue and what it was read from.

    *fingerprint* is what the file held when read (ABSENT: it did not exist),
    so that a write can refuse to overwrite an edit made meanwhile;
    *header_text* is the header's msgstr as read, so that a rewrite keeps the
    file's field order and repeated fields (polib's `metadata` is a dict);
    *charset* is the encoding the file was read in (it is written in UTF-8);
    *header_entry* keeps the header's comments polib's POFile cannot hold.
    """

    po: polib.POFile
    path: Path | None = None
    fingerprint: str = ABSENT
    header_text: str | None = None
    charset: str = "UTF-8"
    header_entry: polib.POEntry | None = None  # the header as read: its `#.`, `#:` and flags


def catalogue_path(locale_dir: Path, language: str, domain: str) -> Path:
    """Where the catalogue of *domain* in *language* lives."""
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def parse_catalogue(
    data: bytes | str | BinaryIO, *, path: Path | str = "<catalogue>", language: Language | None = None
) -> Catalogue:
    """Parse PO/POT bytes (or a binary stream, or text already decoded) into a Catalogue.

    Raises CatalogueError naming file and line for anything msgfmt would refuse.
    """
    from pipeline.gettext.reader import parse_po

    if not isinstance(data, (bytes, str)):
        data = data.read()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise CatalogueError(f"{path}: the catalogue is empty; delete it and run `pipeline update` to recreate it.")
    parsed = parse_po(data, path=str(path), wrapwidth=WRAP_WIDTH)  # text given is text: no charset to apply
    po = parsed.po
    if parsed.charset.upper().replace("-", "") != "UTF8" and "Content-Type" in po.metadata:
        # Held in memory as text and written as UTF-8: the header must say so.
        po.metadata["Content-Type"] = re.sub(r"charset=[^\s;]+", "charset=UTF-8", po.metadata["Content-Type"])
    catalogue = Catalogue(po, Path(path), fingerprint(raw), parsed.header_text, parsed.charset, parsed.header_entry)
    if language is not None:
        _check_header(po, Path(path), language)
    return catalogue


def open_catalogue(path: Path, *, language: Language | None = None) -> Catalogue:
    """Read the catalogue at *path* (header checked against *language* when given)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueError(f"{path}: no such catalogue; run `pipeline update` to create it.") from None
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror}).") from None
    return parse_catalogue(data, path=path, language=language)


SHARED_READ_BYTES = 1_000_000  # below this, reading is quicker than starting a second process


def open_catalogues(requests: list[tuple[Path, Language | None]]) -> list[Catalogue | CatalogueError | None]:
    """`open_catalogue` for each (path, language): the catalogue, the error it raised, or None for a missing file.

    Several megabytes of catalogues are read by two processes, each file by one.
    """
    from pipeline.runtime.parallel import map_halves

    size = 0
    for path, _ in requests:
        try:
            size += Path(path).stat().st_size
        except OSError:
            pass
    if size < SHARED_READ_BYTES:
        return _open_each(requests)
    return map_halves(_open_each, requests, minimum=2)


def _open_each(requests: list[tuple[Path, Language | None]]) -> list[Catalogue | CatalogueError | None]:
    results: list[Catalogue | CatalogueError | None] = []
    for path, language in requests:
        try:
            results.append(open_catalogue(path, language=language) if Path(path).exists() else None)
        except CatalogueError as exc:
            results.append(exc)
    return results


def read_catalogue(path: Path, *, language: Language | None = None) -> polib.POFile:
    """The polib catalogue at *path*, for readers that never write it back (see open_catalogue)."""
    return open_catalogue(path, language=language).po


def format_catalogue(catalogue: Catalogue | polib.POFile) -> str:
    """The catalogue as text, exactly as GNU gettext (msgcat, Poedit) would write it."""
    from pipeline.gettext.writer import format_po

    if isinstance(catalogue, Catalogue):
        po, header_text, header_entry = catalogue.po, header_text_for(catalogue), catalogue.header_entry
    else:
        po, header_text, header_entry = catalogue, None, None
    po.wrapwidth = WRAP_WIDTH
    return format_po(po, width=WRAP_WIDTH, header_text=header_text, header_entry=header_entry)


def header_text_for(catalogue: Catalogue) -> str | None:
    """The header msgstr to write: the one read, with the changes made to `po.metadata` since.

    Fields keep the file's order and spelling; a changed value is rewritten in
    place, a removed field dropped, a new one added at the end; a repeated
    field (gettext reads only the first) is kept as it was.
    """
    text = catalogue.header_text
    if text is None:
        return None
    metadata = catalogue.po.metadata
    lines = text.split("\n")
    ends_with_newline = lines[-1] == ""
    if ends_with_newline:
        lines.pop()
    written: list[str] = []
    seen: set[str] = set()
    for line in lines:
        name, colon, value = line.partition(":")
        name = name.strip()
        if not colon or not name or name in seen:
            written.append(line)
            continue
        seen.add(name)
        if name in metadata:
            written.append(line if metadata[name] == value.strip() else f"{name}: {metadata[name]}")
    added = [f"{name}: {value}" for name, value in metadata.items() if name not in seen]
    written += added
    return "\n".join(written) + ("\n" if ends_with_newline or added else "")


def fingerprint(data: bytes | None) -> str:
    """What a catalogue file held when it was read (to detect edits made meanwhile)."""
    return hashlib.sha256(data).hexdigest() if data is not None else ABSENT


def write_catalogue(catalogue: Catalogue | polib.POFile, path: Path | None = None) -> bool:
    """Write a catalogue atomically (at *path*, or where it was read); False when the file already holds it.

    A Catalogue remembers what its file held when it was read; if someone
    saved the file since (a translator in Poedit), nothing is written and
    ConcurrentEditError says so: their edit wins. A bare polib catalogue is
    written without that check (a new file, a template).
    """
    if isinstance(catalogue, Catalogue):
        path = Path(path if path is not None else catalogue.path)
        expected: str | None = catalogue.fingerprint
    else:
        path, expected = Path(path), None
    text = format_catalogue(catalogue)
    data = text.encode("utf-8")
    try:
        current = path.read_bytes() if path.is_file() else None
    except OSError:
        current = None
    if expected is not None and fingerprint(current) != expected:
        raise ConcurrentEditError(
            f"{path}: the file was changed by someone else while the pipeline worked on it; nothing was written, their edit is kept. Run the command again."
        )
    if current is not None and current == data:
        return False
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    if isinstance(catalogue, Catalogue):
        catalogue.path, catalogue.fingerprint = path, fingerprint(data)
        catalogue.header_text, catalogue.charset = header_text_for(catalogue), "UTF-8"
    return True


# The order in which msginit writes a new catalogue's header fields.
HEADER_ORDER = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date", "Last-Translator",
    "Language-Team", "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Plural-Forms",
)  # fmt: skip


def new_catalogue(pot: polib.POFile, language: Language) -> polib.POFile:
    """An empty catalogue for *language* from a template, headers from Babel, in msginit's order.

    Every field `msgfmt -c` asks for is there (MIME-Version and
    Content-Transfer-Encoding included), so a new file passes it unwarned.
    """
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.encoding = "utf-8"
    po.header = f"{language.english_name} translation of the newsroom articles."
    fields = dict(pot.metadata)
    fields.update(
        {
            "PO-Revision-Date": _now(),
            "Last-Translator": "Newsroom pipeline <newsroom@localhost>",
            "Language-Team": f"{language.english_name} <newsroom-{language.code}@localhost>",
            "Language": language.code,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": language.plural_forms,
        }
    )
    fields.setdefault("Project-Id-Version", "newsroom articles")
    po.metadata = {name: fields[name] for name in HEADER_ORDER if name in fields}
    po.metadata.update({name: value for name, value in fields.items() if name not in po.metadata})
    return po


def is_human(entry: polib.POEntry) -> bool:
    """True when a person wrote or reviewed the translation (never to be overwritten)."""
    return bool(entry.msgstr or any(entry.msgstr_plural.values())) and not is_machine(entry)


def is_translated(entry: polib.POEntry) -> bool:
    """True when the entry has a translation, as gettext tests it (of a plural entry, the first form)."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and bool(entry.msgstr_plural[min(entry.msgstr_plural)])
    return bool(entry.msgstr)


# Flags that describe the source string, so come from the template
# (msgmerge: `is_format`, `range`, `do_wrap`); every other flag is the translator's.
_TEMPLATE_FLAG = re.compile(r"(?:(?:no|possible|impossible)-)?[a-z][a-z-]*-format|range:.*|(?:no-)?wrap")


def template_flags(flags: list[str]) -> list[str]:
    """The flags of *flags* that describe the source string (format, range, wrapping)."""
    return [flag for flag in flags if _TEMPLATE_FLAG.fullmatch(flag)]


def translator_flags(flags: list[str]) -> list[str]:
    """The flags of *flags* a translator set (fuzzy, the pipeline's no-check-*)."""
    return [flag for flag in flags if not _TEMPLATE_FLAG.fullmatch(flag)]


def merge(
    pot: polib.POFile,
    po: polib.POFile | Catalogue | None,
    language: Language,
    *,
    fuzzy_threshold: float = 60.0,
    purge_obsolete: bool = False,
) -> tuple[polib.POFile, MergeReport]:
    """Merge a template into a catalogue like `msgmerge --previous`, never losing a translation.

    Where this differs from msgmerge (see the README): an old entry used as a
    fuzzy suggestion still becomes obsolete when its sentence vanished (msgmerge
    drops it); flags gettext does not know (no-check-*) are the translator's
    and kept; the header's Language is the catalogue's folder.
    """
    if isinstance(po, Catalogue):
        po = po.po
    report = MergeReport()
    result = new_catalogue(pot, language)
    if po is not None:
        result.header = po.header
        result.metadata_is_fuzzy = po.metadata_is_fuzzy
        result.metadata = dict(po.metadata)
        for key in ("POT-Creation-Date", "Project-Id-Version"):
            if key in pot.metadata:
                result.metadata[key] = pot.metadata[key]
        # The header is the translator's: msgmerge never rewrites Plural-Forms
        # (the file's rule numbers its translations' forms).
        for key, value in (("Language", language.code), ("Plural-Forms", language.plural_forms)):
            if not result.metadata.get(key, "").strip():
                result.metadata[key] = value
    nplurals = _nplurals(result.metadata.get("Plural-Forms", ""), default=_nplurals(language.plural_forms, default=2))
    old = {(e.msgctxt, e.msgid): e for e in (po or [])}
    wanted = {(e.msgctxt, e.msgid) for e in pot if not e.obsolete}
    # msgmerge offers every translated entry of the old catalogue, obsolete ones included.
    matcher = SimilarEntries([e for e in (po or []) if is_translated(e)], threshold=fuzzy_threshold)
    templates = [t for t in pot if not t.obsolete]
    unmatched = [(t.msgid, t.msgctxt) for t in templates if (t.msgctxt, t.msgid) not in old]
    suggestions = dict(zip(unmatched, matcher.best_many(unmatched)))

    for template in templates:
        entry = _new_entry(
            msgid=template.msgid,
            msgctxt=template.msgctxt,
            msgid_plural=template.msgid_plural,
            occurrences=list(template.occurrences),
            comment=template.comment,
            flags=template_flags(template.flags) if template.flags else [],
        )
        if template.msgid_plural:
            entry.msgstr_plural = {index: "" for index in range(nplurals)}
        previous = old.get((template.msgctxt, template.msgid))
        if previous is not None:
            changed_form = bool(template.msgid_plural) != bool(previous.msgid_plural) or (
                template.msgid_plural and previous.msgid_plural != template.msgid_plural
            )
            _take_translation(entry, previous, nplurals, fuzzy=changed_form)
            if previous.obsolete:
                report.revived += 1
            else:
                report.kept += 1
        else:
            match = suggestions[(template.msgid, template.msgctxt)]
            if match is not None:
                _take_translation(entry, match, nplurals, fuzzy=True)
                report.fuzzy_matched += 1
            else:
                report.new += 1
        result.append(entry)

    for key, previous in old.items():
        if key in wanted or not is_translated(previous):
            continue
        if purge_obsolete:
            report.purged += 1
            continue
        entry = polib.POEntry(
            msgid=previous.msgid,
            msgctxt=previous.msgctxt,
            msgid_plural=previous.msgid_plural,
            msgstr=previous.msgstr,
            msgstr_plural=dict(previous.msgstr_plural),
            tcomment=previous.tcomment,
            flags=list(previous.flags),
            previous_msgctxt=previous.previous_msgctxt,
            previous_msgid=previous.previous_msgid,
            previous_msgid_plural=previous.previous_msgid_plural,
            obsolete=True,
        )
        if not previous.obsolete:
            report.obsoleted += 1
        result.append(entry)
    return result, report


_NEW = object.__new__


def _new_entry(**fields) -> polib.POEntry:
    """`polib.POEntry(**fields)` at a third of the cost: the attributes its
    __init__ sets (fresh containers for each entry), then *fields*."""
    entry = _NEW(polib.POEntry)
    entry.__dict__.update(
        msgid="", msgstr="", msgid_plural="", msgstr_plural={}, msgctxt=None, obsolete=False,
        encoding=polib.default_encoding, comment="", tcomment="", occurrences=[], flags=[],
        previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None, linenum=None,
    )  # fmt: skip
    entry.__dict__.update(fields)
    return entry


def _take_translation(entry: polib.POEntry, source: polib.POEntry, nplurals: int, *, fuzzy: bool) -> None:
    """Give *entry* the translation, translator comments and translator flags of *source*.

    As msgmerge: a singular translation for a plural entry fills every form;
    a plural one for a singular entry gives its first form; either way, or
    when *fuzzy*, the entry is fuzzy with *source*'s own strings as the
    previous ones (unless *source* was already fuzzy: then its previous ones).
    """
    if entry.msgid_plural:
        if source.msgid_plural:
            entry.msgstr_plural = dict(source.msgstr_plural)
        else:
            entry.msgstr_plural = {index: source.msgstr for index in range(nplurals)}
    else:
        entry.msgstr = source.msgstr_plural.get(min(source.msgstr_plural), "") if source.msgid_plural else source.msgstr
    entry.tcomment = source.tcomment
    own = translator_flags(source.flags)
    if fuzzy and "fuzzy" not in own:
        own.append("fuzzy")
    entry.flags = [*own, *entry.flags]
    if fuzzy and not source.fuzzy:
        entry.previous_msgctxt, entry.previous_msgid = source.msgctxt, source.msgid
        entry.previous_msgid_plural = source.msgid_plural or None
    else:
        entry.previous_msgctxt = source.previous_msgctxt
        entry.previous_msgid = source.previous_msgid
        entry.previous_msgid_plural = source.previous_msgid_plural


def _nplurals(plural_forms: str, *, default: int) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms or "")
    return int(found[1]) if found and int(found[1]) > 0 else default


class SimilarEntries:
    """Finds the entry whose msgid is most similar to a sentence (msgmerge's measure, 0-100).

    As msgmerge, an entry of another context scores 1 % less.
    """

    def __init__(self, entries: list[polib.POEntry], *, threshold: float):
        self.entries = entries
        self.threshold = threshold
        self._index = None
        self._by_context: dict[str | None, tuple[list[int], object] | None] = {}

    @property
    def index(self):
        """The index over every entry, built on the first question (a merge with no new sentence asks none)."""
        if self._index is None:
            from pipeline.memory.similar import FuzzyIndex

            self._index = FuzzyIndex([e.msgid for e in self.entries])
        return self._index

    def best(self, msgid: str, *, msgctxt: str | None = None) -> polib.POEntry | None:
        found = self._best_position(msgid, msgctxt)
        return self.entries[found] if found is not None else None

    def best_many(self, questions: list[tuple[str, str | None]]) -> list[polib.POEntry | None]:
        """`best` for each (msgid, msgctxt) of *questions*, on two cores when there are many."""
        from pipeline.runtime.parallel import map_halves

        if not self.entries or not questions:
            return [None] * len(questions)
        self.index  # built once, before a second process shares the questions
        found = map_halves(lambda part: [self._best_position(msgid, msgctxt) for msgid, msgctxt in part], questions, minimum=200)
        return [self.entries[position] if position is not None else None for position in found]

    def _best_position(self, msgid: str, msgctxt: str | None) -> int | None:
        """Position in `entries` of the best match, or None."""
        if not self.entries:
            return None
        found = self.index.best(msgid, threshold=self.threshold)
        if found is None:
            return None
        if self.entries[found].msgctxt == msgctxt:
            return found
        penalised = self.index.score(msgid, found) * 0.99
        same = self._same_context(msgctxt)
        if same is not None:
            positions, index = same
            better = index.best(msgid, threshold=max(self.threshold, penalised))
            if better is not None:
                return positions[better]
        return found if penalised >= self.threshold else None

    def _same_context(self, msgctxt: str | None):
        from pipeline.memory.similar import FuzzyIndex

        if msgctxt not in self._by_context:
            positions = [i for i, e in enumerate(self.entries) if e.msgctxt == msgctxt]
            self._by_context[msgctxt] = (positions, FuzzyIndex([self.entries[i].msgid for i in positions])) if positions else None
        return self._by_context[msgctxt]


def _check_header(po: polib.POFile, path: Path, language: Language) -> None:
    """Refuse a catalogue whose header cannot be used: another language, or an unusable plural rule.

    A valid Plural-Forms that disagrees with Babel is the translator's choice
    (gettext's fr rule has two forms, Babel 2.19's three): the `header` check
    warns about it; only an invalid rule, or plural entries with another
    number of forms than it declares, is refused here.
    """
    from pipeline.gettext.languages import same_language
    from pipeline.gettext.plurals import PluralFormsError, parse

    declared = po.metadata.get("Language", "").strip()
    if declared and not same_language(declared, language.code):
        raise CatalogueError(
            f"{path}: header says Language: {declared} but the file is under {language.code}/; fix the header or move the file."
        )
    value = po.metadata.get("Plural-Forms")
    plurals = [e for e in po if e.msgid_plural]
    if not value:
        if plurals:
            raise CatalogueError(f"{path}: the catalogue has plural entries but no Plural-Forms header; add 'Plural-Forms: {language.plural_forms}'.")
        return
    try:
        nplurals = parse(value).nplurals
    except PluralFormsError as exc:
        raise CatalogueError(f"{path}: {exc}; fix the header (gettext's rule for {language.code} is {language.plural_forms!r}).") from None
    for entry in plurals:
        if entry.msgstr_plural and len(entry.msgstr_plural) != nplurals:
            raise CatalogueError(
                f"{path}:{entry.linenum}: plural entry {entry.msgid[:40]!r} has {counted(len(entry.msgstr_plural), 'msgstr[n] form')} but Plural-Forms says nplurals={nplurals}; give it {counted(nplurals, 'form')}."
            )


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
