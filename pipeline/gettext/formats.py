"""Format directives as gettext's `format-*.c` read them: parse, and compare a translation's with its msgid's.

An entry flagged `c-format`, `python-format`, `python-brace-format`,
`qt-format` or `kde-format` promises that its msgstr consumes the same
arguments as its msgid: the same argument numbers (or names) with the same
types, in any order (`%1$s … %2$d` may become `%2$d … %1$s`). This is what
`msgfmt -c` checks; the QA checks and the memory ask it here, so a
directive is never read as a number (`%2.2u`) or a span of text.

A directive is a :class:`Directive`: where it lies, which argument it
consumes (a number from 1, or a name) and the argument's type as gettext
classifies it (C: `int`, `unsigned long`, `double`, `string`, … with the
size modifier; `<inttypes.h>` macros such as `%<PRIuMAX>` by their macro).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMATS = ("c", "python", "python-brace", "qt", "kde")


@dataclass(frozen=True)
class Directive:
    """One format directive: its span, the argument it consumes (1-based number or name), its type."""

    start: int
    end: int
    argument: int | str
    type: str


class FormatError(ValueError):
    """A string that is not a valid format string of its language."""


# -- C (gettext's format-c.c, with glibc's extensions and <inttypes.h> macros) ----------------

_C = re.compile(
    r"%(?:(?P<percent>%)|(?:(?P<pos>[1-9]\d*)\$)?(?P<flags>[-+ #0'I]*)"
    r"(?P<width>\*(?:[1-9]\d*\$)?|\d+)?(?:\.(?P<prec>\*(?:[1-9]\d*\$)?|\d*))?"
    r"(?:<(?P<macro>PRI[diouxX](?:8|16|32|64|LEAST8|LEAST16|LEAST32|LEAST64|FAST8|FAST16|FAST32|FAST64|MAX|PTR))>"
    r"|(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>[diouxXeEfFgGaAcCsSpnm]))?)"
)
_C_TYPES = {**dict.fromkeys("di", "int"), **dict.fromkeys("ouxX", "unsigned"), **dict.fromkeys("eEfFgGaA", "double"),
            "c": "char", "C": "wide char", "s": "string", "S": "wide string", "p": "pointer", "n": "count"}  # fmt: skip


def _c(text: str) -> list[Directive]:
    found, sequential, positional = [], 0, None

    def argument(number: str | None, span: tuple[int, int], kind: str) -> None:
        nonlocal sequential, positional
        if number is None:
            if positional:
                raise FormatError(f"{text[span[0]:span[1]]!r} mixes numbered and unnumbered arguments")
            positional, sequential = False, sequential + 1
            found.append(Directive(span[0], span[1], sequential, kind))
        else:
            if positional is False:
                raise FormatError(f"{text[span[0]:span[1]]!r} mixes numbered and unnumbered arguments")
            positional = True
            found.append(Directive(span[0], span[1], int(number), kind))

    position = 0
    while (at := text.find("%", position)) >= 0:
        match = _C.match(text, at)
        if match is None or (match["percent"] is None and match["macro"] is None and match["conv"] is None):
            raise FormatError(f"the directive at {text[at:at + 8]!r} is not a valid C format directive")
        position = match.end()
        if match["percent"] or match["conv"] == "m":
            continue  # `%%`, and glibc's `%m` (strerror (errno)), take no argument
        span = match.span()
        for star in (match["width"], match["prec"]):
            if star and star.startswith("*"):
                argument(star[1:-1] or None, span, "int")
        if match["macro"]:
            letter, size = match["macro"][3], match["macro"][4:]
            kind = f"{'int' if letter in 'di' else 'unsigned'}{size}_t"
        else:
            kind = _C_TYPES[match["conv"]]
            size = match["size"] or ""
            if size in ("q", "ll") or (size == "L" and kind in ("int", "unsigned")):
                size = "ll"
            elif size == "Z":
                size = "z"
            kind = f"{size} {kind}".strip() if size else kind
        argument(match["pos"], span, kind)
    return found


# -- Python (format-python.c) ---------------------------------------------------------------

_PYTHON = re.compile(
    r"%(?:(?P<percent>%)|(?:\((?P<name>[^)]*)\))?(?P<flags>[-+ #0]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%]))"
)
_PYTHON_TYPES = {**dict.fromkeys("diouxX", "integer"), **dict.fromkeys("eEfFgG", "float"), "c": "character",
                 **dict.fromkeys("rsa", "any"), "%": "none"}  # fmt: skip


def _python(text: str) -> list[Directive]:
    found, named, sequential = [], None, 0
    position = 0
    while (at := text.find("%", position)) >= 0:
        match = _PYTHON.match(text, at)
        if match is None:
            raise FormatError(f"the directive at {text[at:at + 8]!r} is not a valid Python format directive")
        position = match.end()
        if match["percent"]:
            continue
        span, name = match.span(), match["name"]
        if name is not None:
            if named is False or "*" in (match["width"] or "") + (match["prec"] or ""):
                raise FormatError("a string with named (%(name)s) and unnamed (%s) directives")
            named = True
            if match["conv"] != "%":
                found.append(Directive(span[0], span[1], name, _PYTHON_TYPES[match["conv"]]))
            continue
        if named:
            raise FormatError("a string with named (%(name)s) and unnamed (%s) directives")
        named = False
        for star in (match["width"], match["prec"]):
            if star == "*":
                sequential += 1
                found.append(Directive(span[0], span[1], sequential, "integer"))
        if match["conv"] != "%":
            sequential += 1
            found.append(Directive(span[0], span[1], sequential, _PYTHON_TYPES[match["conv"]]))
    return found


# -- Python's str.format (format-python-brace.c) ---------------------------------------------

_BRACE_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+|")


def _python_brace(text: str) -> list[Directive]:
    found, position, automatic = [], 0, 0
    size = len(text)
    while position < size:
        char = text[position]
        if char == "}":
            if text.startswith("}}", position):
                position += 2
                continue
            raise FormatError("a single '}' outside a replacement field (write '}}')")
        if char != "{":
            position += 1
            continue
        if text.startswith("{{", position):
            position += 2
            continue
        start, depth, end = position, 0, position
        while end < size:
            if text[end] == "{":
                depth += 1
            elif text[end] == "}":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        if end >= size or depth > 2:
            raise FormatError(f"the replacement field at {text[start:start + 12]!r} is not closed")
        field = text[start + 1 : end]
        name = _BRACE_NAME.match(field)[0]
        if name == "":
            argument: int | str = automatic
            automatic += 1
        else:
            argument = int(name) if name.isdigit() else name
        found.append(Directive(start, end + 1, argument, "any"))
        position = end + 1
    return found


# -- Qt and KDE (%1 … %99) ---------------------------------------------------------------------

_QT = re.compile(r"%(?:L?)([1-9]\d?)")


def _qt(text: str) -> list[Directive]:
    return [Directive(m.start(), m.end(), int(m[1]), "any") for m in _QT.finditer(text)]


_PARSERS = {"c": _c, "python": _python, "python-brace": _python_brace, "qt": _qt, "kde": _qt}


def format_of(flags: list[str] | tuple[str, ...]) -> str | None:
    """The format language an entry's flags declare (`c-format` → "c"), or None."""
    for flag in flags:
        if flag.endswith("-format") and not flag.startswith(("no-", "possible-", "impossible-")):
            kind = flag[: -len("-format")]
            if kind in _PARSERS:
                return kind
    return None


def directives(text: str, kind: str) -> list[Directive]:
    """The directives of *text* in the format language *kind*; FormatError when it is not a valid one."""
    return _PARSERS[kind](text)


def compare(msgid: str, msgstr: str, kind: str, *, strict: bool = True) -> list[str]:
    """What stops *msgstr* from standing for *msgid* in format language *kind*, as msgfmt -c says it.

    Arguments are compared by number or name, so a translation may reorder
    them (`%1$s`/`%2$s`, `{name}`). *strict* (a singular entry) wants the
    same arguments; a plural form may leave some out (`one file` for `%d`).
    """
    try:
        wanted = directives(msgid, kind)
    except FormatError:
        return []  # a msgid that is not a valid format string: the flag is wrong, not the translation
    try:
        given = directives(msgstr, kind)
    except FormatError as exc:
        return [f"the translation is not a valid {kind}-format string: {exc}"]
    source = {d.argument: d.type for d in wanted}
    target = {d.argument: d.type for d in given}
    if kind == "python" and wanted and given and isinstance(wanted[0].argument, str) != isinstance(given[0].argument, str):
        return ["the source names its arguments and the translation does not, or the other way round"]
    problems = []
    for argument, kind_there in target.items():
        if argument not in source:
            problems.append(f"the translation has {_name(argument)}, which the source does not")
        elif source[argument] != kind_there and (strict or "any" not in (source[argument], kind_there)):
            problems.append(f"{_name(argument)} is a {source[argument]} in the source but a {kind_there} in the translation")
    if strict:
        for argument in source:
            if argument not in target:
                problems.append(f"{_name(argument)} of the source is missing from the translation")
    return problems


def _name(argument: int | str) -> str:
    return f"argument {argument}" if isinstance(argument, int) else f"argument '{argument}'"


def format_problems(msgid: str, msgstr: str, flags, *, strict: bool = True) -> list[str]:
    """`compare` under the format language *flags* declare; nothing when they declare none."""
    kind = format_of(flags)
    return compare(msgid, msgstr, kind, strict=strict) if kind and msgstr else []


def directive_spans(text: str, kind: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each directive of *text*: of format *kind*, or (None) of any printf-like or brace kind that parses."""
    kinds = [kind] if kind else ["c", "python-brace"]
    spans: list[tuple[int, int]] = []
    for each in kinds:
        try:
            spans += [(d.start, d.end) for d in directives(text, each)]
        except FormatError:
            continue
    return sorted(set(spans))
