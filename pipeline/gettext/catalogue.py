"""PO catalogues: read, write and create them (merging is :mod:`pipeline.gettext.merge`).

A :class:`Catalogue` is what the workflow reads, changes and writes back: the
polib catalogue, the path it came from, what the file held when it was read
(to detect a translator's edit made meanwhile) and the header as written (so
that the file's field order and repeated fields survive a rewrite). Reading
is :mod:`pipeline.gettext.reader` (gettext's grammar, every file msgfmt
accepts), writing is :mod:`pipeline.gettext.writer` (gettext's layout,
msgcat-stable).
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
from pipeline.gettext.entries import is_translated  # noqa: F401 (importers of the catalogue use it)
from pipeline.gettext.languages import Language
from pipeline.gettext.provenance import MT_MARK, TM_MARK, is_machine  # noqa: F401 (importers of the catalogue use them)
from pipeline.wording import counted

WRAP_WIDTH = 79
HAND_HEADER = "Translated by hand by the newsroom's translators."
ABSENT = "absent"  # the fingerprint of a catalogue that did not exist when it was read


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


def catalogue_bytes(path: Path) -> bytes:
    """The bytes of the catalogue file at *path*, read through the bounded reader (CatalogueError if unusable)."""
    from pipeline.runtime.reading import read_bounded

    try:
        return read_bounded(path, kind="catalogue", error=CatalogueError, what="a catalogue", advice="a catalogue must be a regular .po file")
    except FileNotFoundError:
        raise CatalogueError(f"{path}: no such catalogue; run `pipeline update` to create it.") from None
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror}).") from None


def open_catalogue(path: Path, *, language: Language | None = None) -> Catalogue:
    """Read the catalogue at *path* (header checked against *language* when given)."""
    path = Path(path)
    return parse_catalogue(catalogue_bytes(path), path=path, language=language)


SHARED_READ_BYTES = 1_000_000  # below this, reading is quicker than starting a second process


def open_catalogues(requests: list[tuple[Path, Language | None]]) -> list[Catalogue | CatalogueError | None]:
    """`open_catalogue` for each (path, language): the catalogue, the error it raised, or None for a missing file.

    Several megabytes of catalogues are read by two processes, each file by one.
    """
    from pipeline.runtime.executors import get_executor

    size = 0
    for path, _ in requests:
        try:
            size += Path(path).stat().st_size
        except OSError:
            pass
    executor = get_executor("serial") if size < SHARED_READ_BYTES else get_executor("halves", minimum=2)
    return executor.map(_open_one, requests)


def _open_one(request: tuple[Path, Language | None]) -> Catalogue | CatalogueError | None:
    path, language = request
    try:
        return open_catalogue(path, language=language) if Path(path).exists() else None
    except CatalogueError as exc:
        return exc


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
            "PO-Revision-Date": timestamp(),
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


def timestamp() -> str:
    """Now, as gettext writes `PO-Revision-Date` and `POT-Creation-Date` (UTC, to the minute)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def is_human(entry: polib.POEntry) -> bool:
    """True when a person wrote or reviewed the translation (never to be overwritten)."""
    return bool(entry.msgstr or any(entry.msgstr_plural.values())) and not is_machine(entry)


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
        # An untranslated entry with xgettext's two empty forms is what msgfmt reads too (it has nothing to pick).
        if entry.msgstr_plural and len(entry.msgstr_plural) != nplurals and any(entry.msgstr_plural.values()):
            raise CatalogueError(
                f"{path}:{entry.linenum}: plural entry {entry.msgid[:40]!r} has {counted(len(entry.msgstr_plural), 'msgstr[n] form')} but Plural-Forms says nplurals={nplurals}; give it {counted(nplurals, 'form')}."
            )
