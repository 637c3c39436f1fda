"""The `format` check: a translation consumes its msgid's format arguments, as `msgfmt -c` demands."""

from __future__ import annotations

import polib

from pipeline.checks.registry import Problem, check, is_checked, silenced
from pipeline.gettext.formats import format_of, format_problems

CREDITS = frozenset({"translator-credits", "translator_credits", "TRANSLATORS", "translated-by"})


def is_credits(source: str) -> bool:
    """True for the msgid whose translation lists the translators (GNOME's `translator-credits`, …)."""
    return source.strip() in CREDITS


@check("format", "error", scope="catalogue")
def format_directives(po: polib.POFile, *, language: str) -> list[Problem]:
    """Format directives (c-format, python-format, python-brace-format, qt-format) agree with the msgid's.

    Only entries whose flags declare a format language are read, and their
    directives are compared as directives (pipeline.gettext.formats):
    argument by argument, each with its type, in any order, never as
    numbers or text. A plural form is compared with `msgid_plural` and may
    leave an argument out (`one file` for `%d files`), as msgfmt allows.
    """
    problems = []
    for entry in po:
        if not is_checked(entry) or "format" in silenced(entry) or format_of(entry.flags) is None:
            continue
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text, False) for _, text in sorted(entry.msgstr_plural.items()) if text]
        else:
            pairs = [(entry.msgid, entry.msgstr, True)]
        for msgid, msgstr, strict in pairs:
            problems += [Problem(message, entry=entry) for message in format_problems(msgid, msgstr, entry.flags, strict=strict)]
    return problems
