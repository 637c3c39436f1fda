"""A project lock held by another process, for the tests of what a second process does meanwhile."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# The holder takes the lock, says so, then waits to be killed: the tests decide when it ends.
_HOLDER = (
    "import time\nfrom pathlib import Path\nfrom pipeline.runtime.lock import project_lock\n"
    "with project_lock(Path('locale')):\n    print('held', flush=True)\n    time.sleep(600)\n"
)


@contextmanager
def lock_held_elsewhere(project: Path) -> Iterator[subprocess.Popen]:
    """Hold `project/locale`'s lock in a child process for the duration of the block (yielding the child)."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER], cwd=project, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()
