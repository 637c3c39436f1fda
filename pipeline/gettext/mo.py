"""Compile catalogues into binary `.mo` files that gettext loads, choosing and refusing what msgfmt does."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.errors import CatalogueError
from pipeline.gettext.entries import is_translated
from pipeline.gettext.formats import format_problems
from pipeline.runtime.atomic import atomic_path


def mo_path(po_path: Path) -> Path:
    """The `.mo` beside a `.po` (gettext's layout: locale/<lang>/LC_MESSAGES/)."""
    return Path(po_path).with_suffix(".mo")


class _Compiled(polib.POFile):
    """The entries msgfmt writes: live, not fuzzy, translated as gettext tests it (a plural entry by its first form)."""

    def translated_entries(self):
        return [e for e in self if not e.obsolete and "fuzzy" not in e.flags and e.msgid and is_translated(e)]


def compiled_entries(po: polib.POFile) -> list[polib.POEntry]:
    """The entries a `.mo` holds, as msgfmt chooses them: a plural entry with only its first form translated included."""
    return _Compiled.translated_entries(po)


def refuse_uncompilable(po: polib.POFile, *, path: Path | str) -> None:
    """Raise CatalogueError (`file:line`) for the first entry `msgfmt -c` would refuse to compile.

    msgfmt -c refuses a translation that does not begin and end with `\\n`
    as its msgid does, and one whose format directives (c-format,
    python-format, …) cannot stand for the msgid's (pipeline.gettext.formats).
    """
    for entry in compiled_entries(po):
        forms = sorted(entry.msgstr_plural.items()) if entry.msgid_plural else [(0, entry.msgstr)]
        for index, msgstr in forms:
            if not msgstr:
                continue
            msgid = entry.msgid if index == 0 else entry.msgid_plural
            problems = []
            if msgid.startswith("\n") != msgstr.startswith("\n"):
                problems.append("the msgid and the translation do not both begin with '\\n'")
            if msgid.endswith("\n") != msgstr.endswith("\n"):
                problems.append("the msgid and the translation do not both end with '\\n'")
            # As msgfmt: a plural form is held to msgid_plural and may leave an argument out.
            problems += format_problems(entry.msgid_plural or entry.msgid, msgstr, entry.flags, strict=not entry.msgid_plural)
            if problems:
                raise CatalogueError(
                    f"{path}:{entry.linenum or '?'}: msgfmt -c refuses {entry.msgid[:40]!r}: {problems[0]}; "
                    "fix the translation (or mark it fuzzy) and compile again."
                )


def mo_bytes(po: polib.POFile) -> bytes:
    """The `.mo` of *po*: the entries msgfmt writes (compiled_entries), in polib's MO layout."""
    compiled = _Compiled(wrapwidth=po.wrapwidth)
    compiled.metadata, compiled.encoding = po.metadata, po.encoding
    compiled.extend(po)
    return compiled.to_binary()


def compile_catalogue(po: polib.POFile, path: Path) -> bool:
    """Write *po* as a `.mo` at *path* atomically, as msgfmt would; CatalogueError for what msgfmt -c refuses.

    Fuzzy entries are left out and a plural entry whose first form is
    translated is kept, as msgfmt does. Returns False when the file already
    holds exactly these bytes.
    """
    path = Path(path)
    refuse_uncompilable(po, path=path.with_suffix(".po"))
    data = mo_bytes(po)
    if path.is_file() and path.read_bytes() == data:
        return False
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return True
