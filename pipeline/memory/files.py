"""Where a language's memory lives, and the files it is built from.

A memory is built from each language's catalogues
(`locale/<lang>/LC_MESSAGES/*.po`) and its archive `locale/<lang>/compendium.po`;
it lives in `locale/.cache/memory-<lang>.sqlite`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import polib

COMPENDIUM = "compendium.po"
CACHE_DIR = ".cache"
RACY_NS = 2_000_000_000  # mtime granularity allowance (git's "racily clean" rule)


def cache_dir(locale_dir: Path) -> Path:
    return Path(locale_dir) / CACHE_DIR


def memory_path(locale_dir: Path, language: str) -> Path:
    """Where the memory of *language* is cached."""
    return cache_dir(locale_dir) / f"memory-{language}.sqlite"


def compendium_path(locale_dir: Path, language: str) -> Path:
    """The committed archive of *language*'s translations (a PO file, `msgmerge --compendium` style)."""
    return Path(locale_dir) / language / COMPENDIUM


def stat_many(paths: list[str]) -> list[os.stat_result | None]:
    """`os.stat` of each absolute path (None where it fails), in order.

    A year's archive is thousands of files in a few folders: each is stat'ed
    by name relative to its open folder, so the kernel walks the folder's
    path once, not once per file (a third less time for 18,250 files).
    """
    found: list[os.stat_result | None] = []
    folder, fd = None, None
    try:
        for path in paths:
            head, _, name = path.rpartition(os.sep)  # absolute and normalised: no need for os.path.split
            if head != folder:
                if fd is not None:
                    os.close(fd)
                folder, fd = head, None
                try:
                    fd = os.open(head, os.O_RDONLY | os.O_DIRECTORY)
                except OSError:
                    pass
            try:
                found.append(os.stat(name, dir_fd=fd) if fd is not None else os.stat(path))
            except OSError:
                found.append(None)
    finally:
        if fd is not None:
            os.close(fd)
    return found


def memory_sources(locale_dir: Path, language: str) -> list[str]:
    """Every file the memory of *language* is built from: its catalogues and its compendium.

    Absolute, normalised paths as strings, sorted: a year's archive holds
    thousands, and building a `Path` for each costs more than its `stat`.
    """
    folder = os.path.abspath(os.path.join(locale_dir, language, "LC_MESSAGES"))
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".po"))
    except OSError:
        names = []
    prefix = folder + os.sep
    sources = [prefix + name for name in names]
    compendium = compendium_path(locale_dir, language)
    if compendium.is_file():
        sources.append(os.path.abspath(compendium))
    return sources


def reviewed_entries(po: polib.POFile) -> Iterator[polib.POEntry]:
    """Entries a person wrote or reviewed: translated, not fuzzy, singular (obsolete ones too)."""
    for entry in po:
        if entry.msgid and entry.msgstr and not entry.fuzzy and not entry.msgid_plural:
            yield entry
