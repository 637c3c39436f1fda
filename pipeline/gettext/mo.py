"""Compile catalogues into binary `.mo` files that gettext loads, choosing and refusing what msgfmt does."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import polib

from pipeline.errors import CatalogueError
from pipeline.gettext.entries import is_translated
from pipeline.gettext.formats import FormatError, directives, format_of, format_problems
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
    """The `.mo` of *po*: the entries msgfmt writes (compiled_entries).

    In polib's layout (no hash table), unless an entry needs the MO format's
    system-dependent section (`c-format` with `<inttypes.h>` macros): then
    in msgfmt's (revision 1, gettext's hash table), which glibc needs for
    those messages.
    """
    entries = compiled_entries(po)
    if any(_system_dependent(e) for e in entries):
        return _write_mo(po.metadata_as_entry().msgstr, entries)
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


# -- the MO format, written here: polib's writer has no section for system-dependent strings ----------

_MAGIC = 0x950412DE
_SEGMENTS_END = 0xFFFFFFFF
_MACRO = re.compile(r"<(PRI[diouxX](?:8|16|32|64|LEAST8|LEAST16|LEAST32|LEAST64|FAST8|FAST16|FAST32|FAST64|MAX|PTR))>")


def _hash(data: bytes) -> int:
    """gettext's `hash_string` (hashpjw, 32 bits), which glibc uses to look a msgid up."""
    value = 0
    for byte in data:
        value = ((value << 4) + byte) & 0xFFFFFFFF
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
            value ^= high
    return value


def _next_prime(n: int) -> int:
    n = max(n, 3) | 1
    while any(n % d == 0 for d in range(3, int(n**0.5) + 1, 2)):
        n += 2
    return n


def _pieces(text: str) -> tuple[list[bytes], list[str]] | None:
    """A c-format string cut at its `<inttypes.h>` macros: static pieces and the macro names between them."""
    spans = []
    for directive in _directives_or_none(text):
        match = _MACRO.search(text, directive.start, directive.end)
        if match:
            spans.append(match)
    if not spans:
        return None
    pieces, names, position = [], [], 0
    for match in spans:
        pieces.append(text[position : match.start()].encode("utf-8"))
        names.append(match[1])
        position = match.end()
    pieces.append(text[position:].encode("utf-8"))
    return pieces, names


def _system_dependent(entry: polib.POEntry) -> bool:
    """True for a c-format message any of whose strings uses an `<inttypes.h>` macro (msgfmt's rule)."""
    if format_of(entry.flags) != "c":
        return False
    texts = [entry.msgid, entry.msgid_plural, *entry.msgstr_plural.values()] if entry.msgid_plural else [entry.msgid, entry.msgstr]
    return any("<PRI" in text and _pieces(text) for text in texts)


def _directives_or_none(text: str):
    try:
        return directives(text, "c")
    except FormatError:
        return []


def _key(entry: polib.POEntry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def _value(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\x00".join(text for _, text in sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def _write_mo(header: str, entries: list[polib.POEntry]) -> bytes:
    """A `.mo` as GNU msgfmt writes it: sorted strings, gettext's hash table, and (revision 1) system-dependent strings.

    A `c-format` entry whose msgid uses `<inttypes.h>` macros (`%<PRIuMAX>`)
    goes to the system-dependent section, cut at its macros; glibc
    expands each macro for the running system when it loads the file.
    """
    plain: list[tuple[bytes, bytes]] = [(b"", header.encode("utf-8"))]
    sysdep: list[tuple[tuple[list[bytes], list[str]], tuple[list[bytes], list[str]]]] = []
    for entry in entries:
        plural = f"\x00{entry.msgid_plural}" if entry.msgid_plural else ""
        msgstr = _value(entry)
        cut = _pieces(_key(entry)) or ([_key(entry).encode("utf-8")], []) if _system_dependent(entry) else None
        if cut is None:
            plain.append(((_key(entry) + plural).encode("utf-8"), msgstr.encode("utf-8")))
        else:
            # As msgfmt: glibc finds a message by its msgid, so only that part is cut; the plural stays as written.
            cut[0][-1] += plural.encode("utf-8")
            sysdep.append((cut, _pieces(msgstr) or ([msgstr.encode("utf-8")], [])))
    plain.sort(key=lambda pair: pair[0])
    names = sorted({name for (ids, strs) in sysdep for name in ids[1] + strs[1]})
    index = {name: i for i, name in enumerate(names)}
    count, size = len(plain), _next_prime((len(plain) + len(sysdep)) * 4 // 3) if plain else 0
    header_size = 48 if sysdep else 28
    originals = header_size
    translations = originals + 8 * count
    hash_at = translations + 8 * count
    after = hash_at + 4 * size
    segments_at = after
    orig_sysdep_at = segments_at + 8 * len(names)
    trans_sysdep_at = orig_sysdep_at + 4 * len(sysdep)
    tables_end = trans_sysdep_at + 4 * len(sysdep)
    # The sysdep string descriptors, then every string's bytes.
    descriptors = bytearray()
    descriptor_at = tables_end
    layouts = []  # per sysdep string: (descriptor offset of original, of translation)
    chunks: list[tuple[str, object]] = []
    for ids, strs in sysdep:
        pair = []
        for pieces, macros in (ids, strs):
            pair.append(descriptor_at + len(descriptors))
            descriptors += b"\0" * (4 + 8 * (len(macros) + 1))
            chunks.append(("sysdep", (pair[-1] - descriptor_at, pieces, macros)))
        layouts.append(pair)
    data = bytearray()
    data_at = descriptor_at + len(descriptors)

    def place(raw: bytes) -> int:
        offset = data_at + len(data)
        data.extend(raw + b"\0")
        return offset

    name_offsets = [place(name.encode("ascii")) for name in names]
    original_entries = [(len(msgid), place(msgid)) for msgid, _ in plain]
    translation_entries = [(len(msgstr), place(msgstr)) for _, msgstr in plain]
    for _, (relative, pieces, macros) in chunks:
        start = place(b"".join(pieces))
        fields = [start]
        for piece, macro in zip(pieces, macros):
            fields += [len(piece), index[macro]]
        fields += [len(pieces[-1]) + 1, _SEGMENTS_END]  # the last piece with its NUL
        struct.pack_into(f"<{len(fields)}I", descriptors, relative, *fields)
    table = [0] * size
    for number, (msgid, _) in enumerate(plain):
        value = _hash(msgid.split(b"\0", 1)[0])  # glibc hashes the msgid, not its plural
        slot, step = value % size, 1 + value % (size - 2)
        while table[slot]:
            slot = slot - (size - step) if slot >= size - step else slot + step
        table[slot] = number + 1
    out = bytearray()
    out += struct.pack("<7I", _MAGIC, 1 if sysdep else 0, count, originals, translations, size, hash_at)
    if sysdep:
        out += struct.pack("<5I", len(names), segments_at, len(sysdep), orig_sysdep_at, trans_sysdep_at)
    for length, offset in original_entries:
        out += struct.pack("<2I", length, offset)
    for length, offset in translation_entries:
        out += struct.pack("<2I", length, offset)
    out += struct.pack(f"<{size}I", *table)
    for name, offset in zip(names, name_offsets):
        out += struct.pack("<2I", len(name) + 1, offset)
    out += struct.pack(f"<{len(sysdep)}I", *[pair[0] for pair in layouts])
    out += struct.pack(f"<{len(sysdep)}I", *[pair[1] for pair in layouts])
    return bytes(out + descriptors + data)
