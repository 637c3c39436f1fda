"""The `pipeline` command: one verb per stage, each a few lines over the library.

`common` holds the app, the consoles, the options and the error handling;
each command module registers its verbs on the app when imported. Only this
package prints or exits.
"""

from __future__ import annotations

import errno
import gc
import os
import sys

from pipeline.cli.common import _Stderr, _Stdout, _silence, app  # noqa: F401 (tests reach _Stdout here)
from pipeline.cli import archive, catalogues, memory, packages, publishing  # noqa: F401 (each registers its commands)


def main() -> None:
    """Console-script entry point; SIGTERM stops like Ctrl-C (finished work is saved)."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # A large catalogue is hundreds of thousands of long-lived objects that hold
    # no cycles; with the default thresholds the cyclic collector rescans them
    # all several times as they grow (0.2 s of a 10,000-entry update). Young
    # objects are still collected, every 100,000 allocations.
    gc.set_threshold(100_000, 20, 100)
    code: int | str | None = 0
    try:
        app()
    except SystemExit as stop:
        code = stop.code
    except OSError as exc:  # output written past the consoles (click's echo) to a stream that refuses it
        if exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO):
            raise
        if exc.errno == errno.EPIPE:
            _Stdout.closed_pipe = True
        else:
            _Stdout.failed = exc.strerror
        code = 0
    raise SystemExit(_output_status(code))


def _output_status(code):
    """The exit code once the output is flushed: a stream that could not take it is one line and exit 2."""
    for console in (_Stdout, _Stderr):
        stream = getattr(sys, console.stream)
        if stream is not None and not console.closed_pipe and console.failed is None:
            try:
                stream.flush()
            except BrokenPipeError:
                console.closed_pipe = True
            except (OSError, ValueError) as exc:
                console.failed = getattr(exc, "strerror", None) or str(exc)
        if console.closed_pipe or console.failed is not None:
            _silence(console.stream)
    if _Stdout.failed is not None:
        try:
            os.write(2, f"error: the output could not be written to standard output ({_Stdout.failed}); write it to a file or a terminal.\n".encode("ascii", "replace"))
        except OSError:
            pass
        if code in (0, None):
            return 2
    return code
