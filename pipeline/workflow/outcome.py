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


@dataclass
class Report:
    """What one verb did: its results, what it skipped and why, and its exit status.

    One catalogue's failure never stops another language: the verb skips it,
    records why here, and finishes the rest; the exit status is then 2.
    """

    results: list = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed_checks: int = 0  # error-severity findings on reviewed entries (exit 1)
    notes: list[str] = field(default_factory=list)  # what was repaired on the way (a damaged cache rebuilt): one line each

    @property
    def exit_code(self) -> int:
        if self.skipped:
            return 2
        return 1 if self.failed_checks else 0

    def skip(self, language: str, domain: str | None, error: Exception) -> None:
        """Record that *language* (in *domain*) was skipped because of *error*; once per reason."""
        self._add(Skipped(language, domain, error))

    def absorb(self, other: "Report") -> None:
        """Take over what *other* skipped and failed (a stage of `run`); the same catalogue is named once."""
        for item in other.skipped:
            self._add(item)
        self.notes += [note for note in other.notes if note not in self.notes]
        self.failed_checks += other.failed_checks

    def _add(self, item: Skipped) -> None:
        if item not in self.skipped:
            self.skipped.append(item)
