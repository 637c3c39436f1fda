"""The `ray` executor: items run on a Ray cluster (or a local Ray), results in order.

Lives in `pipeline.runtime` beside the other executors because it knows
nothing about engines or catalogues: it ships items and returns results. A
*batched task* (see :class:`pipeline.runtime.executors.BatchedTask`, e.g. the
translate verb's engine work) is run with Ray Data: the item's rows become a
dataset and `map_batches` sends them through a pool of actors, one pool per
task key (a language pair), each actor building its worker (loading its
model) once in `__init__`. Any other function runs as one Ray task per item.

Ray is imported when the executor is built, never when `pipeline` is: without
it, `--executor ray` is one :class:`ExecutorUnavailable` saying what to
install. A worker that dies in the middle of a batch is restarted and the
batch is run again (`max_restarts`, `max_task_retries`); each row carries its
position, so nothing is lost or counted twice whatever order batches finish in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from pipeline.errors import ConfigError, PipelineError
from pipeline.runtime.executors import is_batched


class ExecutorUnavailable(ConfigError):
    """An executor whose library is not installed, or whose cluster cannot be reached."""


class ExecutorFailed(PipelineError):
    """Work failed on a worker for a reason that is not the pipeline's own error."""


def _reraised(exc: BaseException) -> PipelineError:
    """The pipeline's own error behind a Ray error (a missing model on a worker), else one ExecutorFailed line.

    Ray wraps a worker's exception (RayTaskError.cause; an ActorDiedError
    holds the RayTaskError of the actor's constructor in its args; Ray Data
    chains a SystemException), so the chain is searched breadth first.
    """
    queue, seen, deepest = [exc], set(), exc
    while queue and len(seen) < 32:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PipelineError):
            return current
        if str(current).strip():
            deepest = current
        queue.extend(e for e in (getattr(current, "cause", None), *getattr(current, "args", ()), current.__cause__, current.__context__) if isinstance(e, BaseException))
    first = (str(deepest).strip().splitlines() or [""])[-1][:300]
    return ExecutorFailed(f"ray: the work failed on a worker ({type(deepest).__name__}: {first}); see the Ray logs on that node.")


def import_ray():
    """Ray, or one ExecutorUnavailable naming the extra to install."""
    try:
        import ray
        import ray.data  # noqa: F401  (the [data] extra: pyarrow, pandas)
    except ImportError as exc:
        raise ExecutorUnavailable(
            f"--executor ray needs Ray, which is not installed ({exc.name or exc}); install it with pip install '.[ray]'."
        ) from None
    return ray


@dataclass
class RayExecutor:
    """Items on Ray: batched tasks through a Ray Data actor pool per key, other functions as Ray tasks.

    *address* is what `ray.init` takes (`auto`: the cluster this machine
    belongs to; `ray://HOST:PORT`: a remote head through Ray Client); None
    starts a local Ray unless one is already running in this process.
    *workers* actors per pool (default: one per CPU of the cluster, divided
    by *cpus_per_worker*), *num_gpus* per actor, *batch_size* rows per batch.
    """

    address: str | None = None
    workers: int | None = None
    cpus_per_worker: float = 1
    num_gpus: float = 0
    batch_size: int = 64
    name: str = "ray"
    remote = True  # items and results are shipped: worth it for engine work, not for merges
    reports_rows = True  # progress counts the rows of a batched task, as batches finish

    def __post_init__(self):
        self._ray = import_ray()

    def connect(self):
        """Join (or start) Ray once per process; Ray's own logging stays off the terminal."""
        ray = self._ray
        if not ray.is_initialized():
            try:
                ray.init(address=self.address, log_to_driver=False, logging_level=logging.ERROR, include_dashboard=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = f"the Ray cluster at {self.address}" if self.address else "a local Ray"
                first = (str(exc).strip().splitlines() or [""])[0][:300]
                raise ExecutorUnavailable(f"--executor ray: cannot start or join {where} ({first}); start it with `ray start --head` or check --address.") from None
        # The library never prints: no per-dataset INFO lines, and a failure reaches the caller as one exception.
        logging.getLogger("ray.data").setLevel(logging.CRITICAL)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        return ray

    def pool_size(self) -> int:
        if self.workers:
            return self.workers
        cpus = self._ray.cluster_resources().get("CPU", 1)
        return max(1, int(cpus // max(self.cpus_per_worker, 1e-9)))

    def map(self, function: Callable[[Any], Any], items: Sequence[Any], *, progress: Callable[[int], None] | None = None) -> list:
        ray = self.connect()
        try:
            return self._map(ray, function, items, progress)
        except PipelineError:
            raise
        except Exception as exc:  # Ray's wrappers (RayTaskError, UserCodeException, ActorDiedError): one line, or our own error
            raise _reraised(exc) from None

    def _map(self, ray, function, items, progress) -> list:
        items = list(items)
        if not is_batched(function):
            remote = ray.remote(max_retries=3, num_cpus=self.cpus_per_worker, num_gpus=self.num_gpus)(_call)
            shipped = ray.put(function)  # once, not once per item
            pending = [remote.remote(shipped, item) for item in items]
            results = []
            for ref in pending:
                results.append(ray.get(ref))
                if progress:
                    progress(1)
            return results
        return [self._map_batched(function, item, progress) for item in items]

    def _map_batched(self, task, item, progress) -> list:
        import numpy

        ray = self._ray
        rows = list(task.rows(item))
        if not rows:
            return []
        dataset = ray.data.from_items([{"position": n, "row": row} for n, row in enumerate(rows)])
        size = min(self.pool_size(), -(-len(rows) // self.batch_size))
        # Ray Data's actor pools restart a dead actor and rerun its batch
        # (max_restarts = max_task_retries = -1 by default; tests/test_ray.py kills one).
        translated = dataset.map_batches(
            _Worker,
            fn_constructor_kwargs={"task": task, "key": task.key(item)},
            batch_size=self.batch_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=max(1, size)),
            num_cpus=self.cpus_per_worker,
            num_gpus=self.num_gpus or None,
        )
        outputs: list = [None] * len(rows)
        seen = numpy.zeros(len(rows), dtype=bool)
        for batch in translated.iter_batches(batch_size=None, batch_format="numpy"):
            for position, output in zip(batch["position"].tolist(), batch["output"].tolist()):
                if seen[position]:  # a retried batch whose first run also came back: never twice
                    continue
                seen[position] = True
                outputs[position] = output
            if progress:
                progress(len(batch["position"]))
        if not seen.all():
            raise RuntimeError(f"Ray returned {int(seen.sum())} of {len(rows)} rows")  # an invariant, never expected
        return outputs


def _call(function, item):
    """One item on a Ray worker (a Ray task needs a function of its own, not a builtin or a callable object)."""
    return function(item)


class _Worker:
    """One actor of a pool: builds the task's worker (loads a model) once, then runs batch after batch."""

    def __init__(self, task, key):
        self.run = task.worker(key)

    def __call__(self, batch: dict) -> dict:
        import numpy

        outputs = self.run([str(row) for row in batch["row"].tolist()])
        return {"position": batch["position"], "output": numpy.array(outputs, dtype=object)}
