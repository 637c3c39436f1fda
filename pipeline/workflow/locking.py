"""The project lock, taken by the library's writing verbs themselves.

A Python caller of `workflow.update` is as safe as the `pipeline update`
command: every verb that writes catalogues, templates, the memory or the
bundle holds `locale/.pipeline.lock` while it works. The lock is re-entrant
within a process, so `run` holds it once across its stages.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from pipeline.settings import Settings

F = TypeVar("F", bound=Callable)

_held: dict[Path, int] = {}  # locale folders this process holds, and how deep
_guard = threading.Lock()


@contextmanager
def holding(settings: Settings) -> Iterator[None]:
    """Hold the project lock on *settings*' locale folder (waiting up to `settings.lock_wait` seconds)."""
    from pipeline.runtime.lock import project_lock

    key = Path(settings.locale_path).absolute()
    with _guard:
        depth = _held.get(key, 0)
        if depth:
            _held[key] = depth + 1
    if depth:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    with project_lock(settings.locale_path, timeout=settings.lock_wait, tidy=(settings.output_path,)):
        with _guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(key, None)


def writes_catalogues(verb: F) -> F:
    """Run *verb* (whose first argument is the Settings) holding the project lock."""

    @functools.wraps(verb)
    def locked(settings: Settings, *args, **kwargs):
        with holding(settings):
            return verb(settings, *args, **kwargs)

    return locked  # type: ignore[return-value]
