"""Ray for the tests: one small local Ray per module, quiet, with a small object store."""

from __future__ import annotations

import logging

RAY_INIT = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR, object_store_memory=96 * 2**20)
