"""Compile catalogues into binary `.mo` files that gettext loads."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.runtime.atomic import atomic_path


def mo_path(po_path: Path) -> Path:
    """The `.mo` beside a `.po` (gettext's layout: locale/<lang>/LC_MESSAGES/)."""
    return Path(po_path).with_suffix(".mo")


def compile_catalogue(po: polib.POFile, path: Path) -> bool:
    """Write *po* as a `.mo` at *path* atomically; fuzzy entries are left out, as msgfmt does.

    Returns False when the file already holds exactly these bytes.
    """
    data = po.to_binary()
    path = Path(path)
    if path.is_file() and path.read_bytes() == data:
        return False
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return True
