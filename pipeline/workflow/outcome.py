"""What a verb did: its results, what it skipped and why, and its exit status."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Skipped:
    """A catalogue (or a language) a verb could not use, and the error that stopped it.

    The error object is kept (not its text) until the CLI or the manifest
    renders it: :meth:`describe` names files relative to the project.
    """

    language: str
    domain: str | None
    error: Exception

    @property
    def reason(self) -> str:
        return str(self.error)

    def describe(self, root: Path) -> str:
        """The reason with the project's own paths written relative to *root* (for files that travel)."""
        return self.reason.replace(f"{root}{os.sep}", "")

    def __str__(self) -> str:
        return self.reason

    def __eq__(self, other) -> bool:  # the same reason for the same catalogue is one skip
        return isinstance(other, Skipped) and (self.language, self.domain, self.reason) == (other.language, other.domain, other.reason)

    __hash__ = None


EXIT_PUBLISHED = 0
"""Everything done (for `bundle` and `run`: every language published)."""
EXIT_CHECK_FAILED = 1
"""A check failed: a translation or a catalogue fails an error check (held back)."""
EXIT_BROKEN = 2
"""Broken input, usage or engine: a catalogue or source cannot be used, an option is wrong, an engine failed."""
EXIT_WAITING = 3
"""Waiting for translators or reviewers: a language is a preview (nothing broken, no check failed)."""


@dataclass
class Report:
    """What one verb did: its results, what it skipped and why, and its exit status.

    One catalogue's failure never stops another language: the verb skips it,
    records why here, and finishes the rest. The exit status is the worst
    outcome: 2 (something skipped: broken) over 1 (a check failed) over 3
    (a language waits for translators or reviewers) over 0.
    """

    results: list = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed_checks: int = 0  # error-severity findings on reviewed entries (exit 1)
    waiting: list[str] = field(default_factory=list)  # languages (domain [lang]) published as a preview only (exit 3)
    missing_models: list[tuple[str, str]] = field(default_factory=list)  # (source, target) pairs no installed model translates
    left_alone: int = 0  # machine suggestions a person edited, which the engine did not replace
    notes: list[str] = field(default_factory=list)  # what was repaired on the way (a damaged cache rebuilt): one line each

    @property
    def exit_code(self) -> int:
        if self.skipped:
            return EXIT_BROKEN
        if self.failed_checks:
            return EXIT_CHECK_FAILED
        return EXIT_WAITING if self.waiting else EXIT_PUBLISHED

    def skip(self, language: str, domain: str | None, error: Exception) -> None:
        """Record that *language* (in *domain*) was skipped because of *error*; once per reason."""
        self._add(Skipped(language, domain, error))

    def absorb(self, other: "Report") -> None:
        """Take over what *other* skipped and failed (a stage of `run`); the same catalogue is named once."""
        for item in other.skipped:
            self._add(item)
        self.notes += [note for note in other.notes if note not in self.notes]
        self.failed_checks += other.failed_checks
        self.waiting.extend(w for w in other.waiting if w not in self.waiting)
        self.missing_models.extend(p for p in other.missing_models if p not in self.missing_models)
        self.left_alone += other.left_alone

    def _add(self, item: Skipped) -> None:
        if item not in self.skipped:
            self.skipped.append(item)
