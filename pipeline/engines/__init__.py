"""Translation engines behind one small interface, found by name in a public registry.

The pipeline only ever calls :meth:`Engine.translate_batch`; which engine it
holds is decided here, by name. An engine is added with one call::

    register_engine("tiny", TinyEngine, produces_translations=True, options=("prefix",))

Heavy libraries are imported inside the engine that needs them, never at
import time of this package; the built-in factories below import their
modules only when an engine is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Protocol

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
"""Ends the provenance of output that only stands in for a translation (see :func:`register_engine`)."""


@dataclass(frozen=True)
class EngineSpec:
    """A registered engine: how to build it, which options it takes, what its output is."""

    name: str
    factory: Callable[..., Engine]
    produces_translations: bool
    options: tuple[str, ...]


_ENGINES: dict[str, EngineSpec] = {}


def register_engine(
    name: str,
    factory: Callable[..., Engine] | None = None,
    *,
    produces_translations: bool,
    options: Iterable[str] = (),
) -> Callable:
    """Make `--engine NAME` build its engines with *factory*; without *factory*, a decorator.

    *factory* is called by keyword with the declared *options* that are set
    (never None), and nothing else. With *produces_translations* False the
    output only stands in for a translation (pseudo-localisation): its
    provenance line is marked so, and an engine that translates replaces it
    without `--refresh-mt`. A name already registered is a ValueError.
    """

    def register(function: Callable[..., Engine]) -> Callable[..., Engine]:
        if name in _ENGINES:
            raise ValueError(f"engine {name!r} is registered twice")
        _ENGINES[name] = EngineSpec(name, function, bool(produces_translations), tuple(options))
        return function

    return register if factory is None else register(factory)


def unregister_engine(name: str) -> None:
    """Remove the engine called *name* (a KeyError when there is none)."""
    del _ENGINES[name]


def engine_names() -> list[str]:
    """The engines `--engine` accepts."""
    return sorted(_ENGINES)


def engine_spec(name: str) -> EngineSpec:
    """The registration of engine *name*; an EngineError naming the choices when there is none."""
    try:
        return _ENGINES[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(engine_names())}.") from None


def get_engine(name: str, **options) -> Engine:
    """Build the engine called *name*, passing it only the options it declared.

    Options it did not declare, and options set to None, are left out, so one
    set of settings can serve every engine.
    """
    spec = engine_spec(name)
    return spec.factory(**{key: options[key] for key in spec.options if options.get(key) is not None})


def engine_from_settings(settings, name: str | None = None) -> Engine:
    """Build engine *name* (default: the configured one) with its options from *settings*."""
    name = name or settings.engine
    return get_engine(name, **settings.engine_options(name))


def produces_translations(name: str) -> bool:
    """False for engines whose output only stands in for a translation (`pseudo`); True for unregistered names."""
    spec = _ENGINES.get(name)
    return spec.produces_translations if spec else True


def provenance_line(engine: Engine, source: str, target: str) -> str:
    """The engine's provenance for a pair, marked as not a translation when its registration says so."""
    line = engine.provenance(source, target)
    if not produces_translations(getattr(engine, "name", "")) and not line.endswith(NOT_A_TRANSLATION):
        line += NOT_A_TRANSLATION
    return line


def is_placeholder(entry) -> bool:
    """True when an entry holds an unreviewed suggestion that is not a translation (pseudo output).

    A real engine replaces such entries without `--refresh-mt`; a reviewed
    entry (no longer fuzzy) is a human's and never counts.
    """
    from pipeline.gettext.provenance import MT_MARK, is_machine

    return is_machine(entry) and any(
        line.startswith(MT_MARK) and line.endswith(NOT_A_TRANSLATION) for line in entry.tcomment.splitlines()
    )


@register_engine("pseudo", produces_translations=False, options=("expansion",))
def _pseudo(**options) -> Engine:
    from pipeline.engines.pseudo import PseudoEngine

    return PseudoEngine(**options)


ARGOS_OPTIONS = ("device", "threads", "compute_type", "beam_size", "max_batch_size", "batch_type", "models_dir")
"""What `ArgosEngine` accepts; all but the batch options are also `[tool.pipeline]` keys and flags."""


@register_engine("argos", produces_translations=True, options=ARGOS_OPTIONS)
def _argos(**options) -> Engine:
    from pipeline.engines.argos import ArgosEngine

    return ArgosEngine(**options)
