"""Pure work on a large list, shared by two processes when the machine has the cores.

GNU msgmerge runs its fuzzy search on every core (OpenMP); a 10,000-entry
merge is otherwise bound by Python work per entry (formatting lines, scoring
sentences) that one core does alone. :func:`map_halves` computes
``function(items)`` as ``function(first half) + function(second half)``, the
second half in a forked child that inherits the data (nothing is pickled on
the way in) and sends back only its pickled result through a pipe.

It is an optimisation, never a requirement: the answer is the serial one in
every case. Work is shared only when it pays and is safe: at least
*minimum* items, two usable CPUs, ``os.fork`` available and no other thread
running (a fork copies only the calling thread, and a lock another thread
held would stay locked in the child). If the child fails in any way (an
exception, a kill, a short read), the parent computes that half itself.
The child never returns to the caller: it leaves with ``os._exit``, running
no clean-up, flushing no buffer and writing no file.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MINIMUM = 2000  # below this the fork (a few ms) and the pickling cost more than they save


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_share() -> bool:
    """True when a second process may take half the work (see the module's docstring)."""
    return hasattr(os, "fork") and usable_cpus() >= 2 and threading.active_count() == 1


def map_halves(function: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, minimum: int = MINIMUM) -> list[R]:
    """``function(items)``, the second half of *items* computed in a forked child when that pays.

    *function* must be pure (its answer depends on its argument only, it
    writes nothing) and return a list of picklable values.
    """
    if len(items) < minimum or not can_share():
        return function(items)
    half = len(items) // 2
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return function(items)
    if pid == 0:  # the child: compute, send, leave
        status = 1
        try:
            os.close(reader)
            data = pickle.dumps(function(items[half:]), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    try:
        first = function(items[:half])
    except BaseException:
        _reap(pid, reader)
        raise
    second = _collect(pid, reader)
    if second is None:
        second = function(items[half:])
    return first + second


def _collect(pid: int, reader: int) -> list | None:
    """The child's result, or None when it did not deliver one."""
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        result = pickle.loads(data)
    except Exception:  # a child killed mid-write leaves a truncated pickle
        return None
    return result if isinstance(result, list) else None


def _reap(pid: int, reader: int) -> None:
    """Stop and wait for a child whose result is no longer wanted."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    os.close(reader)
    os.waitpid(pid, 0)
