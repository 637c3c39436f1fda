"""Checks of a catalogue as a whole: its `header`, and GNU `msgfmt -c` on the file."""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

import polib

from pipeline.checks.registry import Problem, check
from pipeline.gettext.languages import language as language_facts


@check("header", "error", scope="catalogue")
def header(po: polib.POFile, *, language: str) -> list[str | Problem]:
    """The header's Language and Plural-Forms agree with the catalogue's language.

    Plural rules are compared by meaning (pipeline.gettext.plurals): the
    rule the pipeline writes (GNU msginit's table) and Babel's (CLDR) are
    both right (they differ for fr, es, pt: gettext's two forms, CLDR's
    three); another valid rule is a warning that names them and explains
    what keeping it means; an invalid one is an error.
    """
    from pipeline.gettext.languages import same_language
    from pipeline.gettext.plurals import PluralFormsError, agree, parse

    facts = language_facts(language)
    problems: list[str | Problem] = []
    declared = po.metadata.get("Language", "").strip()
    if not declared:
        problems.append(f"the header has no Language; add 'Language: {facts.code}'")
    elif not same_language(declared, facts.code):
        problems.append(f"the header says Language: {declared} but the catalogue is for {facts.code}")
    plural = po.metadata.get("Plural-Forms", "").strip()
    if not plural:
        # gettext needs the rule only to pick a plural form; without plural entries it is advice.
        problems.append(
            Problem(f"the header has no Plural-Forms; add 'Plural-Forms: {facts.plural_forms}'", severity=None if any(e.msgid_plural for e in po) else "warning")
        )
        return problems
    try:
        rule = parse(plural)
    except PluralFormsError as exc:
        return problems + [str(exc)]
    gettext_rule = parse(facts.plural_forms)
    babel_rule = parse(facts.babel_plural_forms)
    if not agree(rule, gettext_rule) and not agree(rule, babel_rule):
        others = f"gettext's (msginit) {facts.plural_forms!r}"
        if not agree(gettext_rule, babel_rule):
            others += f" and CLDR's (Babel) {facts.babel_plural_forms!r}"
        problems.append(
            Problem(
                f"Plural-Forms {plural!r} is a valid rule of {rule.nplurals} forms that picks other forms than {others}"
                f" for {facts.code}; if it is your team's convention, keep it, and make sure each plural entry's"
                f" msgstr[0]…msgstr[{rule.nplurals - 1}] follow it",
                severity="warning",
            )
        )
    return problems


@check("msgfmt", "error", scope="file")
def msgfmt(po: polib.POFile, file: Path, *, language: str) -> list[Problem]:
    """GNU `msgfmt -c` accepts the catalogue file.

    Runs only where GNU gettext is installed. Each complaint that names a
    line is charged to the entry that line belongs to (the last entry
    starting at or before it), the others to the catalogue; the file's own
    name is taken off the message, as the finding carries it.
    """
    import shutil
    import subprocess

    program = shutil.which("msgfmt")
    if program is None:
        return []
    done = subprocess.run(
        [program, "-c", "-o", "/dev/null", str(file)], capture_output=True, text=True, env={"LC_ALL": "C", "PATH": ""}
    )
    if done.returncode == 0:
        return []
    messages = [line.strip() for line in done.stderr.splitlines() if line.strip() and "found" not in line]
    return charge_to_entries(po, messages, file=str(file))


def charge_to_entries(po: polib.POFile, messages: list[str], *, file: str) -> list[Problem]:
    """msgfmt's messages as Problems: `FILE:LINE: text` charged to the entry holding LINE, others to the catalogue.

    An entry holds the lines from its first (polib's `linenum`) to the next
    entry's; a line before the first entry is the header's, so the catalogue's.
    """
    entries = sorted((e for e in po if e.msgid and not e.obsolete), key=lambda e: e.linenum or 0)
    starts = [e.linenum or 0 for e in entries]
    prefix = re.compile(rf"^{re.escape(file)}:(?:(\d+):)?\s*")
    problems = []
    for message in messages:
        match = prefix.match(message)
        if match is None:
            problems.append(Problem(message))
            continue
        text = message[match.end() :] or message
        owner = None
        if match.group(1):
            index = bisect_right(starts, int(match.group(1)))
            owner = entries[index - 1] if index else None
            if owner is None:  # the header: no entry to name, so keep the line
                text = f"line {match.group(1)}: {text}"
        problems.append(Problem(text, entry=owner))
    return problems
