"""The `pipeline` command: one verb per stage, each a few lines over the library.

`common` holds the app, the consoles, the options and the error handling;
each command module registers its verbs on the app when imported. Only this
package prints or exits.
"""

from __future__ import annotations

import gc

from pipeline.cli.common import _Stdout, app  # noqa: F401 (tests reach _Stdout here)
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
    app()
