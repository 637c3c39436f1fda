"""Where per-item work runs: the executor seam.

A verb says *what* to do for each item (a language pair's pending
sentences, a list of entries to format); an executor decides *where* it
runs. Every executor returns the results in the order of the items, and the
function it runs must be pure: it returns data and writes nothing, because
only the driver (the verb) writes catalogues.

Adding one is a factory and one line::

    @register_executor("threads", options=("workers",))
    def _threads(**options):
        return ThreadsExecutor(**options)

`options` are the keys `[tool.pipeline.executors.threads]` may set.

A function may also be a :class:`BatchedTask`: its items are lists of rows
with a costly per-key setup (a language pair's model). A serial executor
just calls it; a cluster executor (`ray`) splits an item's rows into batches
and builds the worker once per actor of a pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Protocol, Sequence

from pipeline.errors import ConfigError


class Executor(Protocol):
    """Runs a pure function over items; results come back in the items' order."""

    name: str

    def map(self, function: Callable[[Any], Any], items: Sequence[Any], *, progress: Callable[[int], None] | None = None) -> list:
        ...


class BatchedTask(Protocol):
    """A pure function over items that are rows to process with a per-key worker (one model per language pair).

    `task(item)` gives the same results as `task.worker(task.key(item))(task.rows(item))`;
    a pool executor takes the second road, building each worker once per actor.
    """

    def __call__(self, item: Any) -> list:
        ...

    def key(self, item: Any) -> Hashable:
        ...

    def rows(self, item: Any) -> Sequence[Any]:
        ...

    def worker(self, key: Hashable) -> Callable[[list], list]:
        ...


def is_batched(function: Any) -> bool:
    """True when *function* offers the :class:`BatchedTask` methods."""
    return all(callable(getattr(function, name, None)) for name in ("key", "rows", "worker"))


_EXECUTORS: dict[str, Callable[..., Executor]] = {}
_OPTIONS: dict[str, tuple[str, ...]] = {}


def register_executor(name: str, *, options: Sequence[str] = ()) -> Callable[[Callable[..., Executor]], Callable[..., Executor]]:
    """Register an executor factory under *name* (what `--executor NAME` asks for), taking *options* by keyword."""

    def decorate(factory: Callable[..., Executor]) -> Callable[..., Executor]:
        _EXECUTORS[name] = factory
        _OPTIONS[name] = tuple(options)
        return factory

    return decorate


def unregister_executor(name: str) -> None:
    """Forget *name* (tests that add an executor take it away again)."""
    _EXECUTORS.pop(name, None)
    _OPTIONS.pop(name, None)


def executor_options(name: str) -> tuple[str, ...]:
    """The options executor *name* declared (what its `[tool.pipeline.executors.NAME]` table may set)."""
    return _OPTIONS.get(name, ())


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
register_executor("halves", options=("minimum",))(HalvesExecutor)

RAY_OPTIONS = ("address", "workers", "cpus_per_worker", "num_gpus", "batch_size")


@register_executor("ray", options=RAY_OPTIONS)
def _ray(**options) -> Executor:
    """Ray (an optional extra): imported only now, so `pipeline` works without it."""
    from pipeline.runtime.ray_executor import RayExecutor

    return RayExecutor(**options)
