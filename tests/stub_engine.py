"""A deterministic stub engine for fault tests: interrupts after N sentences, drops a mask on purpose.

It keeps the Engine contract (pipeline/engines/__init__.py) as the Argos
engine does: one output per input, progress per sentence, and on an
interruption `TranslationInterrupted` carrying the outputs finished so far.
`python tests/stub_engine.py ARGS…` runs the `pipeline` command with the stub
registered as `--engine stub`, configured by environment variables:
STUB_INTERRUPT_AFTER=N sends SIGTERM to its own process after N sentences
(the real signal path of `pipeline.cli.main`), STUB_DROP_MASKS=1 drops every
mask token from its output.
"""

from __future__ import annotations

import os
import re
import signal
import sys

from pipeline.errors import TranslationInterrupted

MASK = re.compile(r"⟦\d+⟧")


class StubEngine:
    name = "stub"

    def __init__(self, *, interrupt_after: int | None = None, drop_masks: bool = False, **_):
        self.interrupt_after = interrupt_after
        self.drop_masks = drop_masks
        self.calls: list[list[str]] = []

    def provenance(self, source: str, target: str) -> str:
        return f"stub engine ({source}→{target})"

    def translate_batch(self, sentences, *, source, target, progress=None):
        self.calls.append(list(sentences))
        done: list[str] = []
        try:
            for sentence in sentences:
                if self.interrupt_after is not None and len(done) == self.interrupt_after:
                    os.kill(os.getpid(), signal.SIGTERM)  # pipeline.cli.main turns it into KeyboardInterrupt
                text = f"{target}: {sentence}"
                done.append(MASK.sub("", text) if self.drop_masks else text)
                if progress:
                    progress(1)
        except KeyboardInterrupt:
            raise TranslationInterrupted(
                f"translation interrupted after {len(done)} of {len(sentences)} sentences",
                done + [None] * (len(sentences) - len(done)),
            ) from None
        return done


def register(**options) -> StubEngine:
    """Make `--engine stub` build one shared StubEngine with *options*; returns it."""
    from pipeline.engines import register_engine

    engine = StubEngine(**options)
    register_engine("stub", lambda: engine, produces_translations=True)
    return engine


def kill_at_replace(count: int, *, before: bool) -> None:
    """SIGKILL this process at the *count*-th atomic rename (just before or just after it)."""
    real = os.replace
    calls = [0]

    def replace(src, dst, *args, **kwargs):
        calls[0] += 1
        if calls[0] == count and before:
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst, *args, **kwargs)
        if calls[0] == count and not before:
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace


def count_replaces() -> list[int]:
    """Count atomic renames; the count is printed to stderr at exit."""
    import atexit

    real = os.replace
    calls = [0]

    def replace(src, dst, *args, **kwargs):
        calls[0] += 1
        real(src, dst, *args, **kwargs)

    os.replace = replace
    atexit.register(lambda: print(f"replaces: {calls[0]}", file=sys.stderr))
    return calls


if __name__ == "__main__":
    if os.environ.get("KILL_AT_REPLACE"):
        kill_at_replace(int(os.environ["KILL_AT_REPLACE"]), before=os.environ.get("KILL_WHEN") == "before")
    elif os.environ.get("COUNT_REPLACES"):
        count_replaces()
    after = os.environ.get("STUB_INTERRUPT_AFTER")
    register(interrupt_after=int(after) if after else None, drop_masks=os.environ.get("STUB_DROP_MASKS") == "1")
    from pipeline.cli import main

    sys.argv = ["pipeline", *sys.argv[1:]]
    main()
