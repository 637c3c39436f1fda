"""Translation engines behind one small interface.

The pipeline only ever calls :meth:`Engine.translate_batch`; which engine it
holds is decided here, by name. Heavy libraries are imported inside the
engine that needs them, never at import time of this package.
"""

from __future__ import annotations

from typing import Callable, Protocol

from ..errors import EngineError

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
    from .pseudo import PseudoEngine

    return PseudoEngine(expansion=options.get("expansion", 0.3))


def _argos(**options) -> Engine:
    from .argos import ArgosEngine

    keys = ("device", "threads", "compute_type", "beam_size", "max_batch_size", "batch_type", "models_dir")
    return ArgosEngine(**{key: options[key] for key in keys if options.get(key) is not None})


_FACTORIES: dict[str, Callable[..., Engine]] = {"argos": _argos, "pseudo": _pseudo}
