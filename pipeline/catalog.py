"""PO catalogues: read, write, create and merge, all through polib.

Merging follows msgmerge: unchanged sentences keep their translation; a
changed sentence gets the closest vanished translation as `fuzzy`, with the
old sentence as `#| msgid`; vanished entries become obsolete (`#~`) and come
back, translation and all, when their sentence returns.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polib

from .atomic import atomic_path
from .errors import CatalogueError, ConcurrentEditError
from .languages import Language

WRAP_WIDTH = 79
MT_MARK = "machine translation: "  # starts the translator comment of every MT suggestion
TM_MARK = "translation memory: "
HAND_HEADER = "Translated by hand by the newsroom's translators."


@dataclass
class MergeReport:
    """What one merge did to a catalogue."""

    kept: int = 0
    fuzzy_matched: int = 0
    new: int = 0
    revived: int = 0
    obsoleted: int = 0
    purged: int = 0


def catalogue_path(locale_dir: Path, language: str, domain: str) -> Path:
    """Where the catalogue of *domain* in *language* lives."""
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(path: Path, *, language: Language | None = None) -> polib.POFile:
    """Parse a PO/POT file with polib, or raise CatalogueError naming file and line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueError(f"{path}: no such catalogue; run `pipeline update` to create it.") from None
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not valid UTF-8 (byte offset {exc.start}); re-save it as UTF-8.") from None
    if not text.strip():
        raise CatalogueError(f"{path}: the catalogue is empty; delete it and run `pipeline update` to recreate it.")
    key = fingerprint(data)
    cached = _PARSED.get(key)
    if cached is not None:
        po = pickle.loads(cached)  # same bytes, same catalogue: 5x faster than parsing again
    else:
        po = _parse(text, path)
        if len(_PARSED) >= 512:
            _PARSED.clear()
        _PARSED[key] = pickle.dumps(po, protocol=pickle.HIGHEST_PROTOCOL)
    po.fpath = str(path)
    po.fingerprint = key
    if language is not None:
        _check_header(po, path, language)
    return po


_PARSED: dict[str, bytes] = {}  # fingerprint -> pickled catalogue, for files read again in one run


def _parse(text: str, path: Path) -> polib.POFile:
    """Lint, parse with polib and refuse duplicates."""
    _lint(text, path)
    try:
        # polib's own duplicate check is quadratic (minutes on 10,000 entries):
        # parse, then look for duplicates with a set.
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"{path}: malformed catalogue ({_polib_message(exc)}); fix it in a PO editor or restore it from version control.") from None
    seen: set = set()
    for entry in po:
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in seen:
            raise CatalogueError(
                f"{path}:{entry.linenum}: malformed catalogue (duplicate entry for {entry.msgid[:50]!r}); remove one of the two entries."
            )
        seen.add(key)
    return po


def format_catalogue(po: polib.POFile) -> str:
    """The catalogue as text, exactly as GNU gettext (msgcat, Poedit) would write it."""
    from .poformat import format_po

    po.wrapwidth = WRAP_WIDTH
    return format_po(po, width=WRAP_WIDTH)


ABSENT = "absent"  # the fingerprint of a catalogue that did not exist when it was read


def fingerprint(data: bytes | None) -> str:
    """What a catalogue file held when it was read (to detect edits made meanwhile)."""
    return hashlib.sha256(data).hexdigest() if data is not None else ABSENT


def write_catalogue(po: polib.POFile, path: Path) -> bool:
    """Write *po* atomically at *path*; return False when the file already holds it.

    A catalogue read from disk remembers what the file held (its
    fingerprint); if someone saved the file since (a translator in Poedit),
    nothing is written and ConcurrentEditError says so: their edit wins.
    """
    text = format_catalogue(po)
    path = Path(path)
    try:
        current = path.read_bytes() if path.is_file() else None
    except OSError:
        current = None
    expected = getattr(po, "fingerprint", None)
    if expected is not None and fingerprint(current) != expected:
        raise ConcurrentEditError(
            f"{path}: the file was changed by someone else while the pipeline worked on it; nothing was written, their edit is kept. Run the command again."
        )
    if current is not None and current == text.encode("utf-8"):
        return False
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    po.fingerprint = fingerprint(text.encode("utf-8"))
    return True


def new_catalogue(pot: polib.POFile, language: Language) -> polib.POFile:
    """An empty catalogue for *language* from a template, headers from Babel."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = f"{language.english_name} translation of the newsroom articles."
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "PO-Revision-Date": _now(),
            "Last-Translator": "Newsroom pipeline <newsroom@localhost>",
            "Language-Team": f"{language.english_name} <newsroom-{language.code}@localhost>",
            "Language": language.code,
            "Plural-Forms": language.plural_forms,
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    return po


def is_machine(entry: polib.POEntry) -> bool:
    """True when the entry's translation is an unreviewed machine suggestion."""
    return entry.fuzzy and any(line.startswith(MT_MARK) for line in entry.tcomment.splitlines())


def is_human(entry: polib.POEntry) -> bool:
    """True when a person wrote or reviewed the translation (never to be overwritten)."""
    return bool(entry.msgstr) and not is_machine(entry)


def merge(
    pot: polib.POFile,
    po: polib.POFile | None,
    language: Language,
    *,
    fuzzy_threshold: float = 60.0,
    purge_obsolete: bool = False,
) -> tuple[polib.POFile, MergeReport]:
    """Merge a template into a catalogue like msgmerge, never losing a translation."""
    report = MergeReport()
    result = new_catalogue(pot, language)
    result.fingerprint = getattr(po, "fingerprint", None) if po is not None else ABSENT
    if po is not None:
        result.header = po.header
        result.metadata = dict(po.metadata)
        for key in ("POT-Creation-Date", "Project-Id-Version"):
            if key in pot.metadata:
                result.metadata[key] = pot.metadata[key]
        # The header is the translator's: msgmerge never rewrites Plural-Forms.
        for key, value in (("Language", language.code), ("Plural-Forms", language.plural_forms)):
            if not result.metadata.get(key, "").strip():
                result.metadata[key] = value
    old = {(e.msgctxt, e.msgid): e for e in (po or []) if e.msgid}
    wanted = {(e.msgctxt, e.msgid) for e in pot}
    vanished = [e for key, e in old.items() if key not in wanted and e.msgstr]
    matcher = SimilarEntries(vanished, threshold=fuzzy_threshold)

    for template in pot:
        entry = polib.POEntry(
            msgid=template.msgid,
            msgctxt=template.msgctxt,
            msgstr="",
            occurrences=list(template.occurrences),
            comment=template.comment,
        )
        previous = old.get((template.msgctxt, template.msgid))
        if previous is not None:
            entry.msgstr = previous.msgstr
            entry.tcomment = previous.tcomment
            entry.flags = list(previous.flags)
            entry.previous_msgid = previous.previous_msgid
            if previous.obsolete:
                report.revived += 1
            else:
                report.kept += 1
        else:
            match = matcher.best(template.msgid)
            if match is not None:
                entry.msgstr = match.msgstr
                entry.tcomment = match.tcomment
                entry.flags = [f for f in match.flags if f != "fuzzy"] + ["fuzzy"]
                entry.previous_msgid = match.msgid
                report.fuzzy_matched += 1
            else:
                report.new += 1
        result.append(entry)

    for key, previous in old.items():
        if key in wanted or not previous.msgstr:
            continue
        if purge_obsolete:
            report.purged += 1
            continue
        entry = polib.POEntry(
            msgid=previous.msgid,
            msgctxt=previous.msgctxt,
            msgstr=previous.msgstr,
            tcomment=previous.tcomment,
            flags=list(previous.flags),
            obsolete=True,
        )
        if not previous.obsolete:
            report.obsoleted += 1
        result.append(entry)
    return result, report


class SimilarEntries:
    """Finds the entry whose msgid is most similar to a sentence (msgmerge's measure, 0-100)."""

    def __init__(self, entries: list[polib.POEntry], *, threshold: float):
        from .similar import FuzzyIndex

        self.entries = entries
        self.index = FuzzyIndex([e.msgid for e in entries])
        self.threshold = threshold

    def best(self, msgid: str) -> polib.POEntry | None:
        if not self.entries:
            return None
        found = self.index.best(msgid, threshold=self.threshold)
        return self.entries[found] if found is not None else None


_STRING = r'"(?:[^"\\]|\\[\\"ntrabfv]|\\[0-7]{1,3}|\\x[0-9a-fA-F]+)*"'
_KEYWORD_LINE = re.compile(rf"^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$")


def _lint(text: str, path: Path) -> None:
    """Refuse lines polib would silently skip (unterminated strings, bad escapes, stray text).

    polib drops a malformed entry without a word; reading and rewriting such a
    file would lose it, so every non-comment line must be a keyword with a
    well-formed string or a continuation string.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#~|"):
            continue
        if stripped.startswith("#~"):
            stripped = stripped[2:].strip()
        elif stripped.startswith("#"):
            continue
        if stripped and not _KEYWORD_LINE.match(stripped):
            problem = "bad escape sequence" if re.search(r'\\[^\\"ntrabfv0-7x]', stripped) else "syntax error"
            raise CatalogueError(
                f"{path}:{number}: malformed catalogue ({problem}: {stripped[:60]!r}); fix it in a PO editor or restore it from version control."
            )


def _check_header(po: polib.POFile, path: Path, language: Language) -> None:
    """Refuse a catalogue whose header cannot be used: another language, or an unusable plural rule.

    A valid Plural-Forms that disagrees with Babel is the translator's choice
    (gettext's fr rule has two forms, Babel 2.19's three): the `header` check
    warns about it; only an invalid rule, or plural entries with another
    number of forms than it declares, is refused here.
    """
    from .languages import same_language
    from .plurals import PluralFormsError, parse

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
                f"{path}:{entry.linenum}: plural entry {entry.msgid[:40]!r} has {len(entry.msgstr_plural)} msgstr[n] forms but Plural-Forms says nplurals={nplurals}; give it {nplurals} forms."
            )


def _polib_message(exc: Exception) -> str:
    message = str(exc)
    return message[0].lower() + message[1:] if message else type(exc).__name__


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
