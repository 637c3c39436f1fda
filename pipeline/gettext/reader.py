"""Read PO text as GNU gettext's `po-lex.c`/`po-gram.y` do, into polib objects.

polib's own parser silently drops what it does not understand (an entry
whose `msgstr` line was deleted, `#~|` lines, a second header field of the
same name) and splits lines with `str.splitlines()`, so U+2028, NEL, FF or
VT inside a string become syntax errors. This reader is one linear pass over
the lines that builds the same `polib.POFile`/`polib.POEntry` objects and
refuses exactly what `msgfmt` refuses, naming file and line:

* lines end only at `\\n` (a `\\r` before it is ignored and a backslash
  before it joins the next line, as gettext does);
* a string keeps every character but `"` and `\\`, which must be escaped with
  gettext's escapes (`\\n \\t \\r \\a \\b \\f \\v \\\\ \\"`, octal, `\\x` hex);
* every entry has `msgid` and `msgstr` (or `msgid_plural` and `msgstr[0..]`
  in order), and no two entries, live or obsolete, share msgctxt + msgid;
* the text is decoded with the charset the header declares (any Python
  codec; `CHARSET`, the template placeholder, reads as UTF-8); a UTF-8 byte
  order mark is skipped.

The header's `msgstr` is also returned verbatim, so that a writer can keep
the file's field order and repeated fields, which polib's `metadata` dict
cannot hold.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import polib

from pipeline.errors import CatalogueError
from pipeline.gettext.entries import BLANK_COMMENT, new_entry

FIX = "fix it in a PO editor or restore it from version control"


@dataclass
class ParsedPO:
    """A parsed PO file: polib's catalogue, the header as written, the charset it was read in."""

    po: polib.POFile
    header_text: str | None  # the header entry's msgstr, verbatim (None: no header entry)
    charset: str
    header_entry: polib.POEntry | None = None  # its comments, references and flags (polib keeps only some)


_CHARSET = re.compile(rb'^[ \t]*"Content-Type:[^\n]*?charset=([^\s"\\;]+)', re.MULTILINE)
_HEADER_START = re.compile(rb'^[ \t]*msgid[ \t]*""[ \t]*\r?$', re.MULTILINE)
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)")
# The common line, at C speed: an optional keyword and one well-formed string.
_SIMPLE = re.compile(r'[ \t]*(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]*)?"((?:[^"\\]|\\.)*)"[ \t\f\v]*')
_S = r'((?:[^"\\\n]|\\.)*)'  # a string's inside, captured
_C = r'((?:"(?:[^"\\\n]|\\.)*"\n)*)'  # continuation lines, captured together
_ENTRY = re.compile(
    r"((?:#(?!~)[^\n]*\n)*)"  # comments, previous lines included; obsolete entries take the slow path
    rf'(?:msgctxt "{_S}"\n{_C})?msgid "{_S}"\n{_C}msgstr "{_S}"\n{_C}(?:\n+|\Z)'  # and the blank lines after it
)
_CONTINUATION = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_STRING_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]+)|(.))", re.DOTALL)
# A msgid keyword opening a line, whatever ends the line before it (LF, CRLF or a lone CR):
# each must become an entry, or the file is not what this reader understood.
_MSGID_LINE = re.compile(r'(?:\A|[\r\n])[ \t\f\v]*(?:#~[ \t\f\v]*)?msgid[ \t\f\v"]')
_LONE_CR = re.compile(r"\r(?!\n)")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}


def decode_po(data: bytes, *, path: str = "<catalogue>") -> tuple[str, str]:
    """The text of a PO file and the charset it was decoded with (the header's)."""
    if data.startswith(codecs.BOM_UTF8):
        data, charset, found = data[3:], "UTF-8", None
    else:
        # The charset of the header entry (the first `msgid ""`), not of some string that quotes one.
        header = _HEADER_START.search(data)
        end = data.find(b"\n\n", header.end()) if header else -1
        found = _CHARSET.search(data, header.end(), end if end >= 0 else len(data)) if header else None
        charset = found[1].decode("ascii", "replace") if found else "UTF-8"
        if charset.upper() == "CHARSET":
            charset = "UTF-8"
    declared = f", although the header declares charset={charset}" if found else ""
    try:
        info = codecs.lookup(charset)
        codec = info.name
    except LookupError:
        raise CatalogueError(
            f"{path}: the header declares charset={charset}, which is not a known encoding; set it to the file's real encoding (usually UTF-8)."
        ) from None
    # rot13, base64, zlib, hex … are transforms, not character sets; UTF-16 and UTF-32 cannot hold
    # gettext's ASCII keywords, so a file that declares them was not written in them.
    try:
        keywords = "msgid".encode(codec) == b"msgid" and info.name not in ("idna", "punycode")  # host-name codecs
    except (UnicodeError, ValueError, TypeError, LookupError):
        keywords = False
    if not getattr(info, "_is_text_encoding", True) or not keywords:
        raise CatalogueError(
            f"{path}: the header declares charset={charset}, which is not a character set gettext can read a PO file in; "
            "set it to the file's real encoding (usually UTF-8)."
        )
    try:
        return data.decode(codec), charset
    except UnicodeError as exc:
        if not isinstance(exc, UnicodeDecodeError):  # a codec that fails without saying where
            raise CatalogueError(
                f"{path}: cannot be decoded as charset={charset} ({exc}); set the charset to the file's real encoding (usually UTF-8)."
            ) from None
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogueError(
            f"{path}:{line}: not valid {charset} (byte offset {exc.start}){declared}; "
            "re-save the file in that encoding or correct the charset in its Content-Type header."
        ) from None


def parse_po(data: bytes | str, *, path: str = "<catalogue>", wrapwidth: int = 79) -> ParsedPO:
    """Parse PO/POT bytes (or text already decoded) into a polib catalogue, or raise CatalogueError."""
    if isinstance(data, bytes):
        text, charset = decode_po(data, path=path)
    else:
        text, charset = (data[1:] if data.startswith("\ufeff") else data), "UTF-8"
    parser = _Parser(path)
    parser.run(text)
    _refuse_vanished(text, parser, path)
    po = polib.POFile(wrapwidth=wrapwidth)
    po.encoding = "utf-8"
    header_text = None
    if parser.header is not None:
        header = parser.header
        header_text = header.msgstr
        po.header = header.tcomment
        po.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in header.flags else 0
        for line in header_text.split("\n"):
            key, colon, value = line.partition(":")
            if colon and key.strip():
                po.metadata.setdefault(key.strip(), value.strip())  # gettext reads the first of repeated fields
    po.extend(parser.entries)
    return ParsedPO(po, header_text, charset, parser.header)


def _joined(lines: list[str]) -> str:
    """Comment lines as polib's one string; a lone empty line (`#`) as BLANK_COMMENT, so that it is written back."""
    return BLANK_COMMENT if lines == [""] else "\n".join(lines)


def _refuse_vanished(text: str, parser: "_Parser", path: str) -> None:
    """Refuse a file whose entries did not all become entries (e.g. old Mac CR-only line ends).

    gettext ends lines only at `\\n`: a file saved with lone `\\r` line ends
    reads as one long comment, "0 entries", and a merge would then write a
    fresh catalogue over every translation in it. Each `msgid` that opens a
    line, by any line end, must therefore have become an entry.
    """
    read = len(parser.entries) + (parser.header is not None)
    if "msgid" not in text:
        return
    expected = len(_MSGID_LINE.findall(text))
    if expected <= read:
        return
    lone = _LONE_CR.search(text)
    if lone:
        line = text.count("\n", 0, lone.start()) + 1
        raise CatalogueError(
            f"{path}:{line}: lines end with a lone carriage return (classic Mac OS line ends), which gettext does not read "
            f"({expected} entries in the file, {read} readable); convert the line ends to LF (e.g. `tr '\\r' '\\n'`) and try again."
        )
    raise CatalogueError(
        f"{path}: {expected} entries begin with msgid but only {read} could be read as gettext; "
        f"{FIX}."
    )


class _Parser:
    """One pass over the lines; `entries` and `header` hold the result."""

    def __init__(self, path: str):
        self.path = path
        self.entries: list[polib.POEntry] = []
        self.header: polib.POEntry | None = None
        self.seen: dict[tuple[str | None, str], int] = {}
        self._reset()

    def _reset(self) -> None:
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.previous: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.plural: dict[int, str] = {}
        self.obsolete: bool | None = None
        self.stage = ""  # the last keyword read: "", msgctxt, msgid, msgid_plural, msgstr
        self.current: str | None = None  # where a continuation string goes
        self.previous_current: str | None = None
        self.start = 0  # line of the first keyword
        self.has_comments = False

    def fail(self, line: int, problem: str, column: int | None = None) -> None:
        where = f"{self.path}:{line}" + (f":{column}" if column else "")
        raise CatalogueError(f"{where}: malformed catalogue ({problem}); {FIX}.")

    def run(self, text: str) -> None:
        simple = _SIMPLE.fullmatch
        entry = _ENTRY.match
        if "\\\n" in text:
            # gettext's lexer drops every backslash-newline pair, in strings and comments alike.
            text = text.replace("\\\n", "")
        position, number, size = 0, 1, len(text)
        while position < size:
            if self.stage in ("", "msgstr"):
                # The common entry in gettext's own layout, whole, at C speed; anything
                # else (obsolete, plural, CRLF, odd spacing, errors) line by line below.
                found = entry(text, position)
                if found and self._entry(found, number):
                    number += text.count("\n", position, found.end())
                    position = found.end()
                    continue
            end = text.find("\n", position)
            if end < 0:
                end = size
            line = text[position:end]
            position = end + 1
            if line.endswith("\r"):
                line = line[:-1]
            stripped = line.lstrip(" \t\f\v")
            if stripped:
                if stripped[0] == "#":
                    self._comment(stripped, number)
                else:
                    match = simple(line)
                    if match:
                        self._string(match[1], match[2], match[3], number, obsolete=False, column=match.start(3))
                    else:
                        self._complex(stripped, number, obsolete=False)
            number += 1
        self._finish(number)

    def _entry(self, found: re.Match, number: int) -> bool:
        """Take one entry the fast pattern matched; False (nothing taken) when a string is malformed."""
        strings = []
        try:
            for first, rest in ((found[2], found[3]), (found[4], found[5]), (found[6], found[7])):
                if first is None:
                    strings.append(None)
                    continue
                value = self._unescape(first, number) if "\\" in first else first
                if rest and "\\" in rest:
                    value += "".join(self._unescape(piece, number) for piece in _CONTINUATION.findall(rest))
                elif rest:
                    # Lines of exactly `"text"\n` (the pattern's `_C`), and no line holds a
                    # newline: dropping every `"\n"` joins them, in C.
                    value += rest[1:-2].replace('"\n"', "")
                strings.append(value)
        except CatalogueError:
            return False  # let the line-by-line reader name the exact line
        if self.stage:
            self._finish(number)  # the pending entry ends where this one begins
        comments = found[1]
        if comments:
            for line in comments.split("\n")[:-1]:
                self._comment(line, number)
                number += 1
        msgctxt, msgid, msgstr = strings
        self.start, self.obsolete = number, False
        self.fields = {"msgid": msgid, "msgstr": msgstr} if msgctxt is None else {"msgctxt": msgctxt, "msgid": msgid, "msgstr": msgstr}
        self.stage = "msgstr"
        self._finish(number)
        return True

    # -- comments -------------------------------------------------------------

    def _comment(self, line: str, number: int) -> None:
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                self._previous(rest[1:], number, obsolete=True)
                return
            body = rest.lstrip(" \t\f\v")
            if not body:
                return
            if body[0] == "#":
                self._comment(body, number)  # "#~ #, fuzzy" and the like: a comment of the obsolete entry
                return
            match = _SIMPLE.fullmatch(body)
            if match:
                self._string(match[1], match[2], match[3], number, obsolete=True, column=None)
            else:
                self._complex(body, number, obsolete=True)
            return
        if kind == "|":
            self._previous(line[2:], number, obsolete=False)
            return
        if self.stage:
            self._finish(number)
        self.has_comments = True
        if kind == ".":
            body = line[2:]
            self.comment.append(body[1:] if body.startswith(" ") else body)
        elif kind == ":":
            for reference in line[2:].split():
                file, colon, place = reference.rpartition(":")
                self.occurrences.append((file, place) if colon and place.isdigit() else (reference, ""))
        elif kind in (",", "!"):
            for flag in line[2:].split(","):
                flag = flag.strip()
                if flag and flag not in self.flags:
                    self.flags.append(flag)
        else:
            body = line[1:]
            self.tcomment.append(body[1:] if body.startswith(" ") else body)

    def _previous(self, body: str, number: int, *, obsolete: bool) -> None:
        if self.stage:
            self._finish(number)
        body = body.strip(" \t\f\v")
        match = _SIMPLE.fullmatch(body)
        if not match or match[2] is not None or (match[1] or "").startswith("msgstr"):
            self.fail(number, f"not a previous msgctxt, msgid or msgid_plural: {body[:60]!r}")
        value = self._unescape(match[3], number)
        keyword = match[1]
        if keyword is None:
            if self.previous_current is None:
                self.fail(number, "a previous-string continuation without its keyword")
            self.previous[self.previous_current] += value
        else:
            if keyword in self.previous:
                self.fail(number, f"two previous {keyword} lines in one entry")
            self.previous[keyword] = value
            self.previous_current = keyword
        self.has_comments = True

    # -- keywords and strings ---------------------------------------------------

    def _complex(self, line: str, number: int, *, obsolete: bool) -> None:
        """A line the fast pattern did not take: several strings, or an error to report precisely."""
        if line.startswith("domain") and line[6:7] in (" ", "\t", '"'):
            self.fail(number, "a `domain` directive: this catalogue holds several domains; split it, one file per domain")
        keyword = _KEYWORD.match(line)
        rest = line
        name = index = None
        if keyword:
            name, index = keyword[1], keyword[2]
            rest = line[keyword.end() :]
            if rest and rest[0] not in ' \t"':
                self.fail(number, f"syntax error: {line[:60]!r}")
        pieces = []
        position = 0
        rest_stripped = rest.strip(" \t\f\v")
        trailing = None
        while position < len(rest_stripped):
            if rest_stripped[position] in " \t\f\v":
                position += 1
                continue
            if rest_stripped[position] == "#" and pieces:
                trailing = rest_stripped[position:]  # gettext: a comment may follow a string on its line
                break
            if rest_stripped[position] != '"':
                self.fail(number, f"syntax error: {line[:60]!r}")
            token = _STRING_TOKEN.match(rest_stripped, position)
            if token is None:
                self.fail(number, "syntax error: end-of-line within string, the closing quote is missing")
            pieces.append(token[1])
            position = token.end()
        if not pieces:
            self.fail(number, f"syntax error: {line[:60]!r}" if not keyword else f"{name} without a string")
        self._string(name, index, pieces[0], number, obsolete=obsolete, column=None)
        for piece in pieces[1:]:
            self._string(None, None, piece, number, obsolete=obsolete, column=None)
        if trailing is not None:
            self._comment(trailing, number)

    def _string(self, keyword: str | None, index: str | None, raw: str, number: int, *, obsolete: bool, column: int | None) -> None:
        value = self._unescape(raw, number) if "\\" in raw else raw
        if keyword is None:
            if self.current is None:
                self.fail(number, "a string without a keyword before it")
            if self.current == "plural":
                last = max(self.plural)
                self.plural[last] += value
            else:
                self.fields[self.current] += value
            return
        if keyword.startswith("msgstr"):
            keyword = "msgstr"
        stage = self.stage
        if keyword in ("msgctxt", "msgid"):
            if stage == "msgstr":
                self._finish(number)
                stage = ""
            elif stage in ("msgid", "msgid_plural") or (stage == "msgctxt" and keyword == "msgctxt"):
                self.fail(self.start, "missing 'msgstr' section")
            if self.obsolete is not None and self.obsolete != obsolete and stage:
                self.fail(number, "an entry mixes obsolete (#~) and live lines")
            if not stage:
                self.start = number
                self.obsolete = obsolete
        elif keyword == "msgid_plural":
            if stage != "msgid":
                self.fail(number, "msgid_plural without msgid before it")
        else:  # msgstr
            if stage == "msgid":
                if index is not None:
                    self.fail(number, "missing 'msgid_plural' section")
            elif stage == "msgid_plural":
                if index is None:
                    self.fail(number, "a plural entry needs msgstr[0], msgstr[1], …, not msgstr")
                if int(index) != 0:
                    self.fail(number, "first plural form has nonzero index")
            elif stage == "msgstr" and index is not None and "msgid_plural" in self.fields:
                if int(index) != max(self.plural) + 1:
                    self.fail(number, "plural form has wrong index")
            elif stage == "msgstr":
                self.fail(number, "a second msgstr in one entry")
            else:
                self.fail(number, "msgstr without msgid before it")
        if self.obsolete is not None and self.obsolete != obsolete:
            self.fail(number, "an entry mixes obsolete (#~) and live lines")
        self.stage = keyword
        if keyword == "msgstr" and index is not None:
            self.plural[int(index)] = value
            self.current = "plural"
        else:
            self.fields[keyword] = value
            self.current = keyword

    def _unescape(self, raw: str, number: int) -> str:
        if "\\" not in raw:
            return raw
        octets = False

        def replace(match: re.Match) -> str:
            nonlocal octets
            if match[3] is not None:
                char = _SIMPLE_ESCAPES.get(match[3])
                if char is None:
                    self.fail(number, f"bad escape sequence \\{match[3]}: gettext knows \\n \\t \\r \\\\ \\\" and a few more")
                return char
            code = int(match[1], 8) if match[1] is not None else int(match[2], 16)
            if code > 0xFF:
                self.fail(number, "an octal or hex escape beyond one byte")
            if code > 0x7F:
                octets = True
                return chr(0xDC00 + code)  # a lone byte; decoded below with its neighbours
            return chr(code)

        value = _ESCAPE.sub(replace, raw)
        if octets:
            # "\303\251": bytes of the file's encoding spelled as escapes; gettext reads them as bytes.
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return value

    # -- entries ----------------------------------------------------------------

    def _finish(self, number: int) -> None:
        stage = self.stage
        if not stage:
            if self.previous:
                self.fail(number - 1, "previous (#|) lines without an entry after them")
            self._reset()  # comments alone at the end of a file: gettext ignores them too
            return
        if stage != "msgstr":
            self.fail(self.start, "missing 'msgstr' section")
        fields = self.fields
        msgid = fields.get("msgid")
        if msgid is None:
            self.fail(self.start, "missing 'msgid' section")
        msgctxt = fields.get("msgctxt")
        entry = new_entry(
            msgid=msgid,
            msgstr=fields.get("msgstr", ""),
            msgid_plural=fields.get("msgid_plural", ""),
            msgstr_plural=self.plural,
            msgctxt=msgctxt,
            obsolete=bool(self.obsolete),
            encoding="utf-8",
            comment=_joined(self.comment),
            tcomment=_joined(self.tcomment),
            occurrences=self.occurrences,
            flags=self.flags,
            previous_msgctxt=self.previous.get("msgctxt"),
            previous_msgid=self.previous.get("msgid"),
            previous_msgid_plural=self.previous.get("msgid_plural"),
            linenum=self.start,
        )
        key = (msgctxt, msgid)
        first = self.seen.get(key)
        if first is not None:
            what = "header" if key == (None, "") else repr(msgid[:50])
            raise CatalogueError(
                f"{self.path}:{self.start}: malformed catalogue (duplicate message definition of {what}; the first is at line {first}); "
                "remove one of the two entries (an obsolete #~ entry counts too)."
            )
        self.seen[key] = self.start
        if key == (None, "") and not self.obsolete and self.header is None:
            self.header = entry
        else:
            self.entries.append(entry)
        self._reset()
