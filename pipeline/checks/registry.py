"""The check registry: what a check is, what it finds, and how a catalogue is checked.

Three scopes of check, each a small function registered with `check`:

- ``entry``: ``(source, target, *, language, glossary, source_language) -> list[str]``,
  run on each translated (source, target) pair of each checked entry (a
  check that declares an ``entry`` keyword also gets the polib entry: its
  flags and references); a translator silences it on one entry with
  ``# no-check-<id>: why``.
- ``catalogue``: ``(po, *, language) -> list[str | Problem]``, run once on
  the parsed catalogue (its header, say).
- ``file``: ``(po, file, *, language) -> list[str | Problem]``, run once on
  the catalogue as it lies on disk (for tools that read files, as GNU
  msgfmt does); it runs only when `check_catalogue` is given the file.

A catalogue or file check returns a `Problem` to charge a message to one
entry, or to report it milder than the check's own severity; a plain
string is a problem of the whole catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from pipeline.errors import ConfigError

if TYPE_CHECKING:
    from pipeline.checks.terms import GlossaryTerm

SOURCE_LANGUAGE = "en"
SEVERITIES = ("error", "warning")
SCOPES = ("entry", "catalogue", "file")
SILENCE_PREFIX = "no-check-"


@dataclass(frozen=True)
class Check:
    """A registered check: its id, severity, title and function."""

    id: str
    severity: str  # "error" or "warning"
    title: str  # first line of the function's docstring
    function: Callable
    scope: str = "entry"  # "entry": (source, target); "catalogue": (po); "file": (po, file)
    wants_entry: bool = False  # an entry check with an `entry` keyword gets the polib entry (its flags, references)


@dataclass(frozen=True)
class Finding:
    """One problem one check found in one entry (or header) of a catalogue."""

    check: str
    severity: str
    message: str
    msgid: str  # "" for a problem of the whole catalogue
    line: int | None
    path: str
    language: str
    fuzzy: bool
    msgctxt: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "<catalogue>")
        fuzzy = " (fuzzy)" if self.fuzzy else ""
        return f"{where}: {self.severity}: [{self.check}] {self.message}{fuzzy}"


@dataclass(frozen=True)
class Problem:
    """What a catalogue or file check reports: a message, the entry it is about, a milder severity."""

    message: str
    entry: polib.POEntry | None = None  # None: the catalogue as a whole
    severity: str | None = None  # None: the check's own


CHECKS: dict[str, Check] = {}


def check(id: str, severity: str, *, scope: str = "entry") -> Callable[[Callable], Callable]:
    """Register the decorated function as the check *id* of *severity*.

    Checks run in the order they were registered; an id is registered once
    (`unregister` frees it).
    """
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")

    def register(function: Callable) -> Callable:
        if id in CHECKS:
            raise ValueError(f"check {id!r} is registered twice")
        import inspect

        title = (function.__doc__ or id).strip().splitlines()[0].rstrip(".")
        wants_entry = scope == "entry" and "entry" in inspect.signature(function).parameters
        CHECKS[id] = Check(id=id, severity=severity, title=title, function=function, scope=scope, wants_entry=wants_entry)
        return function

    return register


def unregister(id: str) -> Check:
    """Remove the check *id* from the registry and return it; KeyError when none is registered."""
    return CHECKS.pop(id)


def registry_key() -> tuple[tuple[str, str, str, str], ...]:
    """Each registered check as (id, severity, scope, module.function), in order: part of the key of cached findings.

    The package's own code is keyed by its files; this keys what was
    registered from outside it (a newsroom's own check), so adding or
    removing one never serves findings computed without it.
    """
    return tuple((c.id, c.severity, c.scope, f"{c.function.__module__}.{c.function.__qualname__}") for c in CHECKS.values())


def _select(checks: Iterable[str | Check] | None, scope: str) -> list[Check]:
    if checks is None:
        return [c for c in CHECKS.values() if c.scope == scope]
    selected = []
    for item in checks:
        if isinstance(item, Check):
            selected.append(item)
        elif item in CHECKS:
            selected.append(CHECKS[item])
        else:
            raise ConfigError(f"{item!r} is not a check; choose from {', '.join(CHECKS)}.")
    return [c for c in selected if c.scope == scope]


def silenced(entry: polib.POEntry) -> set[str]:
    """The ids of the checks the entry turns off: a `no-check-<id>` translator comment line or flag.

    The comment form (`# no-check-numbers: why`) is the one to use: GNU
    msgmerge and msgcat keep translator comments but drop flags they do not
    know, so a flag is lost on the first gettext pass.
    """
    ids = {flag[len(SILENCE_PREFIX) :] for flag in entry.flags if flag.startswith(SILENCE_PREFIX)}
    for line in entry.tcomment.split("\n"):
        line = line.strip()
        if line.startswith(SILENCE_PREFIX):
            ids.add(line[len(SILENCE_PREFIX) :].split(":", 1)[0].strip())
    return ids


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, target) pairs of an entry: the msgstr, or each plural form."""
    if entry.msgid_plural:
        return [
            (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
            if text
        ]
    return [(entry.msgid, entry.msgstr)] if entry.msgstr else []


def is_checked(entry: polib.POEntry) -> bool:
    """True for the entries the checks look at: translated, not obsolete, not the header."""
    return bool(entry.msgid) and not entry.obsolete and bool(_pairs(entry))


def _entry_finding(chosen: Check, message: str, entry: polib.POEntry, *, severity: str, path: str, language: str) -> Finding:
    return Finding(
        check=chosen.id,
        severity=severity,
        message=message,
        msgid=entry.msgid,
        line=entry.linenum or None,
        path=path,
        language=language,
        fuzzy=entry.fuzzy,
        msgctxt=entry.msgctxt,
    )


def check_entry(
    entry: polib.POEntry,
    *,
    language: str,
    glossary: Sequence[GlossaryTerm] = (),
    checks: Iterable[str | Check] | None = None,
    path: str = "",
    source_language: str = SOURCE_LANGUAGE,
) -> list[Finding]:
    """Run the entry checks (all, or those named in *checks*) on one entry, minus its silenced ones."""
    return _check_entry(entry, _select(checks, "entry"), language=language, glossary=glossary, path=path, source_language=source_language)


def _check_entry(
    entry: polib.POEntry, selected: list[Check], *, language: str, glossary: Sequence[GlossaryTerm], path: str, source_language: str
) -> list[Finding]:
    if not is_checked(entry):
        return []
    off = silenced(entry)
    pairs = _pairs(entry)
    findings = []
    for chosen in selected:
        if chosen.id in off:
            continue
        extra = {"entry": entry} if chosen.wants_entry else {}
        for source, target in pairs:
            # one finding per distinct message of a form: 60,000 unclosed '(' are one problem
            shown = list(dict.fromkeys(chosen.function(source, target, language=language, glossary=glossary, source_language=source_language, **extra)))
            if len(shown) > MAX_MESSAGES_PER_ENTRY:
                more = len(shown) - MAX_MESSAGES_PER_ENTRY + 1
                shown = shown[: MAX_MESSAGES_PER_ENTRY - 1] + [f"{chosen.id}: {more} more problems of this kind in this entry"]
            for message in shown:
                findings.append(_entry_finding(chosen, message, entry, severity=chosen.severity, path=path, language=language))
    return findings


MAX_MESSAGES_PER_ENTRY = 20
"""Distinct findings one check reports on one entry; the rest are counted in one more line."""


def _whole_findings(chosen: Check, problems: Iterable[str | Problem], po: polib.POFile, *, path: str, language: str) -> list[Finding]:
    """The findings of a catalogue or file check: each problem charged to its entry, or to the catalogue."""
    findings = []
    for problem in problems:
        if isinstance(problem, str):
            problem = Problem(problem)
        severity = problem.severity or chosen.severity
        if problem.entry is not None:
            findings.append(_entry_finding(chosen, problem.message, problem.entry, severity=severity, path=path, language=language))
        else:
            findings.append(
                Finding(
                    check=chosen.id, severity=severity, message=problem.message, msgid="", line=None,
                    path=path, language=language, fuzzy=bool(po.metadata_is_fuzzy),
                )
            )
    return findings


def check_catalogue(
    po: polib.POFile,
    *,
    language: str,
    path: str | None = None,
    glossary: Sequence[GlossaryTerm] = (),
    source_language: str = SOURCE_LANGUAGE,
    file: str | Path | None = None,
    checks: Iterable[str | Check] | None = None,
) -> list[Finding]:
    """Every finding of the registered checks on one catalogue, in registry order within each scope.

    *path* is the name findings show (the project-relative path); *file* is
    the catalogue on disk, which the file checks (GNU msgfmt) read: without
    it they do not run. Catalogue findings come first, then each translated
    entry's, then the file checks'. Callers compute this once per catalogue
    and hand it to every stage that needs it (gate, review page, status).
    """
    path = path or ""
    checks = None if checks is None else list(checks)  # selected once per scope
    findings = []
    for chosen in _select(checks, "catalogue"):
        findings += _whole_findings(chosen, chosen.function(po, language=language), po, path=path, language=language)
    selected = _select(checks, "entry")
    for entry in po:
        findings += _check_entry(entry, selected, language=language, glossary=glossary, path=path, source_language=source_language)
    if file is not None:
        for chosen in _select(checks, "file"):
            findings += _whole_findings(chosen, chosen.function(po, Path(file), language=language), po, path=path, language=language)
    return findings
