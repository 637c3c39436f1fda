"""What every stage runs on: atomic writes, the project lock, the result cache and executors.

- :mod:`~pipeline.runtime.atomic`: every write is a temporary file, then a rename;
- :mod:`~pipeline.runtime.lock`: one process works on a project at a time;
- :mod:`~pipeline.runtime.resultcache`: results of read-only verbs by content;
- :mod:`~pipeline.runtime.executors`: where per-item work runs (serial,
  halves), with :mod:`~pipeline.runtime.parallel`'s forked second half.
"""
