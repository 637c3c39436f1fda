"""Translation engines behind one small interface.

The pipeline only ever calls :meth:`Engine.translate_batch`; which engine it
holds is decided here, by name. Heavy libraries are imported inside the
engine that needs them, never at import time of this package.
"""

from __future__ import annotations

from typing import Callable, Protocol

from pipeline.errors import EngineError

Progress = Callable[[int], None]  # called with the number of sentences just finished


class Engine(Protocol):
    """What every engine offers the translate stage."""

    name: str

    def provenance(self, source: str, target: str) -> str:
        """One line naming the engine (and model) used for a language pair."""

    def translate_batch(
        self, sentences: list[str], *, source: str, target: str, progress: Progress | None = None
    ) -> list[str]:
        """Translate sentences from *source* to *target*, one output per input, in order."""


NOT_A_TRANSLATION = ", not a translation"
"""Ends the provenance of an engine whose output is not a translation (pseudo-localisation)."""


def produces_translations(name: str) -> bool:
    """False for engines whose output only stands in for a translation (`pseudo`)."""
    return name not in _PLACEHOLDER_ENGINES


def is_placeholder(entry) -> bool:
    """True when an entry holds an unreviewed suggestion that is not a translation (pseudo output).

    A real engine replaces such entries without `--refresh-mt`; a reviewed
    entry (no longer fuzzy) is a human's and never counts.
    """
    from pipeline.gettext.provenance import MT_MARK, is_machine

    return is_machine(entry) and any(
        line.startswith(MT_MARK) and line.endswith(NOT_A_TRANSLATION) for line in entry.tcomment.splitlines()
    )


def engine_names() -> list[str]:
    """The engines `--engine` accepts."""
    return sorted(_FACTORIES)


def get_engine(name: str, **options) -> Engine:
    """Build the engine called *name* with its options (unknown options are ignored)."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(engine_names())}.") from None
    return factory(**options)


def _pseudo(**options) -> Engine:
    from pipeline.engines.pseudo import PseudoEngine

    return PseudoEngine(expansion=options.get("expansion", 0.3))


def _argos(**options) -> Engine:
    from pipeline.engines.argos import ArgosEngine

    keys = ("device", "threads", "compute_type", "beam_size", "max_batch_size", "batch_type", "models_dir")
    return ArgosEngine(**{key: options[key] for key in keys if options.get(key) is not None})


_FACTORIES: dict[str, Callable[..., Engine]] = {"argos": _argos, "pseudo": _pseudo}
_PLACEHOLDER_ENGINES = {"pseudo"}
