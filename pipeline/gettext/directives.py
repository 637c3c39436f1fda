"""Where gettext never breaks a line: inside a format directive of the entry's format language.

gettext protects the directives of the entry's (first) format language, up to
the first invalid directive. C and Python directives are parsed as gettext
0.21 parses them; gettext 0.21 does not protect Python brace directives; the
other languages' directives are treated as plain text here, so one of them
may be split where gettext would not.
"""

from __future__ import annotations

import re


def directive_interiors(value: str, language: str | None, *, translated: bool) -> set[int]:
    """Indexes of the characters inside (not at the start of) each valid directive."""
    if language in ("c", "objc"):
        spans = _c_directives(value, translated=translated, objc=language == "objc")
    elif language == "python":
        spans = _python_directives(value)
    else:
        return set()
    return {index for start, end in spans for index in range(start + 1, end + 1)}


_C_DIRECTIVE = re.compile(
    r"%(?:(?P<number>\d+)\$)?(?P<flags>[-+ #0'I]*)(?P<width>\*(?:\d+\$)?|\d+)?(?:\.(?P<precision>\*(?:\d+\$)?|\d*))?"
    r"(?:<PRI[diouxX](?:MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>|[hlLqjzZt]*(?P<conversion>[%mcCsSiduoxXeEfFgGaApn@]))"
)


def _c_directives(value: str, *, translated: bool, objc: bool) -> list[tuple[int, int]]:
    """gettext's format-c-parse.h: `%s`, `%1$-5d`, `%<PRId64>`; numbered or not, never both."""
    spans: list[tuple[int, int]] = []
    numbered = unnumbered = 0
    index = value.find("%")
    while index >= 0:
        match = _C_DIRECTIVE.match(value, index)
        if not match or ("I" in match["flags"] and not translated) or (match["conversion"] == "@" and not objc):
            break
        arguments = [star[1:-1] for star in (match["width"], match["precision"]) if star and star.startswith("*")]
        if match["conversion"] not in ("%", "m"):  # `%%` and `%m` take no argument
            arguments.append(match["number"] or "")
        if any(argument and int(argument) == 0 for argument in [*arguments, match["number"] or ""]):
            break
        numbered += sum(1 for argument in arguments if argument)
        unnumbered += sum(1 for argument in arguments if not argument)
        if numbered and unnumbered:
            break
        spans.append((index, match.end() - 1))
        index = value.find("%", match.end())
    return spans


def _python_directives(value: str) -> list[tuple[int, int]]:
    """gettext's format-python.c: `%(name)s` or `%5.2f`, never both kinds in one string."""
    spans: list[tuple[int, int]] = []
    named = unnamed = 0
    size, index = len(value), 0

    def char(at: int) -> str:
        return value[at] if at < size else ""

    while index < size:
        if value[index] != "%":
            index += 1
            continue
        start, index = index, index + 1
        has_name = False
        if char(index) == "(":
            depth, index = 0, index + 1
            while index < size and not (value[index] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(value[index], 0)
                index += 1
            if index >= size:
                return spans
            has_name, index = True, index + 1
        while char(index) and char(index) in "-+ #0":
            index += 1
        index, stars = _python_number(value, index)
        if char(index) == ".":
            index, more = _python_number(value, index + 1)
            stars += more
        if stars and named:
            return spans
        unnamed += stars
        if char(index) and char(index) in "hlL":
            index += 1
        conversion = char(index)
        if not conversion or conversion not in "%csriduoxXeEfgG":
            return spans
        if has_name:
            if unnamed:
                return spans
            named += 1
        elif conversion != "%":
            if named:
                return spans
            unnamed += 1
        spans.append((start, index))
        index += 1
    return spans


def _python_number(value: str, index: int) -> tuple[int, int]:
    """Skip a width or precision (`*` or digits); also say whether it was a `*`."""
    if value[index : index + 1] == "*":
        return index + 1, 1
    while value[index : index + 1].isdigit() and value[index].isascii():
        index += 1
    return index, 0
