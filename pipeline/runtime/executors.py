"""Where per-item work runs: the executor seam.

A verb says *what* to do for each item (a language pair's pending
sentences, a list of entries to format); an executor decides *where* it
runs. Every executor returns the results in the order of the items, and the
function it runs must be pure: it returns data and writes nothing, because
only the driver (the verb) writes catalogues.

Adding one is a factory and one line::

    @register_executor("threads")
    def _threads(**options):
        return ThreadsExecutor(**options)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

from pipeline.errors import ConfigError


class Executor(Protocol):
    """Runs a pure function over items; results come back in the items' order."""

    name: str

    def map(self, function: Callable[[Any], Any], items: Sequence[Any], *, progress: Callable[[int], None] | None = None) -> list:
        ...


_EXECUTORS: dict[str, Callable[..., Executor]] = {}


def register_executor(name: str) -> Callable[[Callable[..., Executor]], Callable[..., Executor]]:
    """Register an executor factory under *name* (what `--executor NAME` asks for)."""

    def decorate(factory: Callable[..., Executor]) -> Callable[..., Executor]:
        _EXECUTORS[name] = factory
        return factory

    return decorate


def unregister_executor(name: str) -> None:
    """Forget *name* (tests that add an executor take it away again)."""
    _EXECUTORS.pop(name, None)


def executor_names() -> list[str]:
    return sorted(_EXECUTORS)


def get_executor(name: str = "serial", **options: Any) -> Executor:
    """The executor registered as *name*, built with *options*."""
    try:
        factory = _EXECUTORS[name]
    except KeyError:
        raise ConfigError(f"unknown executor {name!r}; choose one of: {', '.join(executor_names())}.") from None
    return factory(**options)


@dataclass
class SerialExecutor:
    """Each item in turn, in this process: the default."""

    name: str = "serial"

    def map(self, function, items, *, progress=None) -> list:
        results = []
        for item in items:
            results.append(function(item))
            if progress:
                progress(1)
        return results


@dataclass
class HalvesExecutor:
    """The second half of the items in a forked child, when that pays (see `pipeline.runtime.parallel`)."""

    minimum: int = 2000
    name: str = "halves"

    def map(self, function, items, *, progress=None) -> list:
        from pipeline.runtime.parallel import map_halves

        results = map_halves(lambda chunk: [function(item) for item in chunk], list(items), minimum=self.minimum)
        if progress:
            progress(len(results))
        return results


register_executor("serial")(SerialExecutor)
register_executor("halves")(HalvesExecutor)
