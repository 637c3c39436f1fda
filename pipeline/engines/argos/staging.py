"""Staging folders: installing, replacing and removing packages so that a kill never leaves half a package.

These work in hidden folders beside the models folder (argostranslate reads
every folder inside it as a package), named
``.<models>.<kind>-<host>-<pid>-<8 random characters>``. A run killed before
its cleanup leaves one; the next install or remove on the same host, seeing
that its process is gone, finishes the job. Nothing else is ever touched.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from pipeline.engines.argos.validate import package_folder_problem
from pipeline.errors import ModelError

_STAGING_KINDS = ("installing", "replaced", "removing")


def extract_then_rename(archive: Path, folder: Path, top: str) -> None:
    """Extract the (validated) archive into a hidden folder beside the models folder, then rename it in.

    argostranslate's ``install_from_path`` extracts straight into the models
    folder, so a killed install left a half-written package that counted as
    installed. Here the package appears under its name only by the final
    rename (same file system, so atomic): a kill before leaves only the hidden
    staging folder, which argostranslate never reads as a package and the
    next install deletes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(folder, "installing"), dir=folder.parent))
    try:
        with zipfile.ZipFile(archive) as opened:
            extract_members(opened, staging)
        os.replace(staging / top, folder / top)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def extract_members(archive: zipfile.ZipFile, into: Path) -> None:
    """Extract every member (a seam for fault-injection tests)."""
    for member in archive.infolist():
        archive.extract(member, into)


@contextmanager
def moved_aside(packages: list, folder: Path) -> Iterator[Callable[[], None]]:
    """Move installed packages out of the models folder; yield a function that puts them back.

    They go to a hidden folder beside the models folder (same file system, so
    the moves are renames) because argostranslate reads every folder inside it
    as a package. On leaving without an error they are deleted.
    """
    if not packages:
        yield lambda: None
        return
    moved: list[tuple[Path, Path]] = []
    try:
        holding = Path(tempfile.mkdtemp(prefix=staging_prefix(folder, "replaced"), dir=folder.parent))
        for index, old in enumerate(packages):
            original = Path(old.package_path)
            aside = holding / f"{index}-{original.name}"
            os.replace(original, aside)
            moved.append((original, aside))
    except OSError as err:
        for original, aside in moved:
            os.replace(aside, original)
        raise ModelError(f"{folder}: cannot move the old package aside to replace it ({err.strerror}); check the folder's permissions.") from err

    def restore() -> None:
        for original, aside in moved:
            if aside.exists() and not original.exists():
                os.replace(aside, original)

    try:
        yield restore
    finally:
        shutil.rmtree(holding, ignore_errors=True)


def staging_prefix(folder: Path, kind: str) -> str:
    """The name a staging folder of *kind* for *folder* starts with (a random tail follows)."""
    return f".{folder.name}.{kind}-{host_tag()}-{os.getpid()}-"


def host_tag() -> str:
    """This host's name, letters and digits only (another host's process ids mean nothing here)."""
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname()) or "host"


def _stale_staging(folder: Path) -> list[tuple[str, Path]]:
    """(kind, path) of the staging folders beside *folder* that a dead run of this host left."""
    pattern = re.compile(
        rf"\.{re.escape(folder.name)}\.({'|'.join(_STAGING_KINDS)})-([A-Za-z0-9]+)-([0-9]+)-[a-z0-9_]{{8}}"
    )
    try:
        children = sorted(folder.parent.iterdir())
    except OSError:
        return []
    stale = []
    for child in children:
        match = pattern.fullmatch(child.name)
        if match and match[2] == host_tag() and not _process_alive(int(match[3])):
            if child.is_dir() and not child.is_symlink():
                stale.append((match[1], child))
    return stale


def _process_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would terminate the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, for one
        return True
    return True


def tidy_staging(folder: Path, served_pairs: Callable[[], set[tuple[str, str]]]) -> None:
    """Finish what dead runs left beside *folder*: put back a package a killed replace moved aside, delete the rest.

    A moved-aside package goes back only when its folder name is free and no
    installed package serves its pair (``served_pairs()``: the replace died
    before the new package was renamed in); one that cannot be put back keeps
    its holding folder.
    """
    served = None
    for kind, staging in _stale_staging(folder):
        if kind == "replaced":
            if served is None:
                served = served_pairs()
            if not _put_back(staging, folder, served):
                continue
        shutil.rmtree(staging, ignore_errors=True)


def _put_back(staging: Path, folder: Path, served: set[tuple[str, str]]) -> bool:
    """Move the packages a dead replace held in *staging* back into *folder*; False when one could not move."""
    kept = False
    for aside in sorted(staging.iterdir()):
        original = folder / aside.name.split("-", 1)[-1]
        problem, metadata = package_folder_problem(aside) if aside.is_dir() else ("not a folder", {})
        pair = (metadata.get("from_code"), metadata.get("to_code"))
        if problem or original.exists() or pair in served:
            continue
        try:
            os.replace(aside, original)
            served.add(pair)
        except OSError:
            kept = True
    return not kept
