"""Argos Translate model packages: where they live, which route serves a pair, install and remove.

Everything here goes through argostranslate's own package code; this module adds
what it lacks: checking an archive before anything is extracted, refusing to
overwrite an installed package, cleaning up a half-finished extraction, routes
through English, network timeouts, and errors that say what to do.

argostranslate reads its ``ARGOS_*`` and ``XDG_*`` environment variables once,
when ``argostranslate.settings`` is first imported, and that import creates
folders under the data, config and cache homes. So this module imports
argostranslate only inside functions, and :func:`configure` must run before the
first of them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from pipeline.errors import LanguageError, MissingModelError, ModelError

PIVOT_LANGUAGE = "en"
"""Pairs with no direct package are translated through this language."""

NETWORK_TIMEOUT_S = 30.0
"""Seconds each network read may stall; argostranslate itself never times out."""

TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")
"""The tokenizers ``argostranslate.package.Package`` knows, in the order it tries them."""

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
"""What an archive may unpack to by default; the largest Argos models are a few hundred MB."""

INSTALL_FROM_FILE_HINT = "`pipeline models install FILE.argosmodel`"

_MAX_METADATA_BYTES = 1024**2
_LANGUAGE_CODE = re.compile(r"[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*")

# Set by configure(index_url=...); None means ARGOS_PACKAGE_INDEX or argostranslate's default.
_index_url: str | None = None

# The XDG homes configure(models_dir=...) set itself: a later call may move them, never one the user set.
_homes_set_here: set[str] = set()


@dataclass(frozen=True)
class PackageInfo:
    """One installed translation package; ``name`` is its folder in the models folder."""

    from_code: str
    to_code: str
    version: str
    name: str
    path: Path
    size_bytes: int


@dataclass(frozen=True)
class _ArchiveFacts:
    metadata: dict[str, Any]
    top_folder: str
    uncompressed_bytes: int


def configure(*, models_dir: Path | None = None, index_url: str | None = None) -> None:
    """Point argostranslate at a models folder and/or a package index.

    ``models_dir`` is exported as ``ARGOS_PACKAGES_DIR``, which argostranslate
    reads once at import: calling this with another folder after argostranslate
    has been imported raises :class:`ModelError`. ``index_url`` may be the index
    file itself (``https://host/index.json``) or the folder holding
    ``index.json``, the form ``ARGOS_PACKAGE_INDEX`` takes; it is read at each
    :func:`install_from_index` call.
    """
    global _index_url
    if models_dir is not None:
        folder = Path(models_dir).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise ModelError(f"{folder}: is a file, not a folder of models; give --models-dir (or models_dir) a folder.")
        settings = sys.modules.get("argostranslate.settings")
        if settings is not None and Path(settings.package_data_dir).resolve() != folder:
            raise ModelError(
                f"{folder}: argostranslate is already loaded with models folder "
                f"{settings.package_data_dir}; call configure(models_dir=...) before anything uses a model."
            )
        os.environ["ARGOS_PACKAGES_DIR"] = str(folder)
        if settings is None:
            _keep_argostranslate_beside(folder)
    if index_url is not None:
        _index_url = index_url


def argostranslate_dir(models_dir: Path) -> Path:
    """The hidden folder beside *models_dir* that holds argostranslate's own files for it.

    Its index copy and downloads (``argos-translate/``), and its config folder
    when the user has none: see :func:`configure`.
    """
    folder = Path(models_dir)
    return folder.parent / f".{folder.name}.argos-translate"


def _keep_argostranslate_beside(folder: Path) -> None:
    """Point argostranslate's data, cache and (if the user has none) config homes at :func:`argostranslate_dir`.

    Importing argostranslate creates ``argos-translate`` folders under the XDG
    data, config and cache homes (by default in the home folder), even when
    ``ARGOS_PACKAGES_DIR`` says where packages go; with a project models folder
    they belong beside it. Only this process's environment changes, and only
    the variables the user left unset (or empty, which XDG reads as unset). An
    existing ``~/.config/argos-translate`` is still read: importing creates
    nothing there, and its ``settings.json`` keeps applying.
    """
    state = str(argostranslate_dir(folder))
    user_config = _argostranslate_home() / ".config" / "argos-translate"
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        if os.environ.get(variable) and variable not in _homes_set_here:
            continue
        if variable == "XDG_CONFIG_HOME" and user_config.is_dir():
            continue
        os.environ[variable] = state
        _homes_set_here.add(variable)


def _argostranslate_home() -> Path:
    """The home folder as argostranslate's settings module takes it (a snap's own data folder inside a snap)."""
    return Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()


def packages_dir() -> Path:
    """The folder argostranslate installs packages into (neither created nor imported here).

    Found as argostranslate finds it (``ARGOS_PACKAGES_DIR``, then its
    ``settings.json``, then the XDG data home), without importing it:
    importing argostranslate creates folders in the home folder, and listing
    must create nothing.
    """
    return _package_dirs()[0]


def _package_dirs() -> list[Path]:
    loaded = sys.modules.get("argostranslate.settings")
    if loaded is not None:
        return [Path(folder) for folder in loaded.package_dirs]
    home = _argostranslate_home()
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured is None:
        config = Path(os.getenv("XDG_CONFIG_HOME", default=home / ".config")) / "argos-translate" / "settings.json"
        try:
            stored = json.loads(config.read_text(encoding="utf-8"))
            configured = stored.get("ARGOS_PACKAGES_DIR") if isinstance(stored, dict) else None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            configured = None
    if not isinstance(configured, str):
        data = Path(os.getenv("XDG_DATA_HOME", default=home / ".local" / "share")) / "argos-translate"
        return [data / "packages"]
    return [Path(configured)]


def scan_packages() -> tuple[list[PackageInfo], list[tuple[Path, str]]]:
    """The installed translation packages, and the folders that are not readable packages.

    Read from each folder's ``metadata.json`` directly (argostranslate is not
    imported, so nothing is created). A broken folder is reported with its
    problem instead of failing the whole listing; folders whose metadata names
    no language pair (not translation packages) are left out of both.
    """
    found, broken = [], []
    for folder in _package_dirs():
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise ModelError(f"{folder}: is a file, not a folder of models; point ARGOS_PACKAGES_DIR or --models-dir at a folder.")
        try:
            children = sorted(folder.iterdir())
        except OSError as err:
            raise ModelError(f"{folder}: cannot read the models folder ({err.strerror}); check its permissions.") from None
        for child in children:
            if not child.is_dir():
                continue
            problem, metadata = _package_folder_problem(child)
            if problem:
                broken.append((child, problem))
            elif metadata.get("from_code") and metadata.get("to_code"):
                found.append(
                    PackageInfo(
                        from_code=metadata["from_code"],
                        to_code=metadata["to_code"],
                        version=str(metadata.get("package_version", "")),
                        name=child.name,
                        path=child,
                        size_bytes=_folder_size(child),
                    )
                )
    found.sort(key=lambda info: (info.from_code, info.to_code, info.name))
    return found, broken


def installed_packages() -> list[PackageInfo]:
    """Every installed translation package, sorted by pair.

    A folder in the models folder that is not a readable package makes
    argostranslate fail for every package, so it raises :class:`ModelError`
    naming that folder (listing uses :func:`scan_packages`, which skips it).
    Packages without both language codes (not translation packages) are left out.
    """
    found, broken = scan_packages()
    if broken:
        child, problem = broken[0]
        raise ModelError(f"{child}: {problem}, so no model can be loaded; delete this folder or reinstall the package.")
    return found


def find_route(from_code: str, to_code: str) -> list[PackageInfo]:
    """The packages that translate *from_code* into *to_code*, in the order to apply them.

    One package when a direct one is installed, else two through English, else
    :class:`MissingModelError`. Among packages for the same pair the highest
    version wins. The same code on both sides gives an empty route.
    """
    if from_code == to_code:
        return []
    best = _best_by_pair(installed_packages())
    if (from_code, to_code) in best:
        return [best[from_code, to_code]]
    first, second = (from_code, PIVOT_LANGUAGE), (PIVOT_LANGUAGE, to_code)
    if PIVOT_LANGUAGE not in (from_code, to_code) and first in best and second in best:
        return [best[first], best[second]]
    raise MissingModelError(
        f"No installed model translates {from_code} → {to_code}, directly or through English; "
        f"install one with `pipeline models install {from_code} {to_code}` or from a file with "
        f"{INSTALL_FROM_FILE_HINT}."
    )


def pivot_pairs(packages: list[PackageInfo] | None = None) -> list[tuple[str, str]]:
    """The pairs that the installed *packages* (default: all) serve only through English."""
    pairs = set(_best_by_pair(installed_packages() if packages is None else packages))
    into = {source for source, target in pairs if target == PIVOT_LANGUAGE}
    out_of = {target for source, target in pairs if source == PIVOT_LANGUAGE}
    return sorted(
        (source, target)
        for source in into
        for target in out_of
        if source != target and (source, target) not in pairs
    )


def validate_archive(path: Path, *, max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES) -> dict:
    """Check an ``.argosmodel`` file without extracting it and return its metadata.

    The file must be an unencrypted, intact zip holding one top-level folder
    with ``metadata.json`` (``from_code`` and ``to_code`` set), a ``model/``
    folder and a tokenizer (``sentencepiece.model`` or ``bpe.model``); no member
    may be absolute, climb out with ``..``, contain a backslash or be a symlink;
    the sizes its headers declare must add up to at most
    *max_uncompressed_bytes* (zipfile never extracts more than a member
    declares, so this bounds what extraction writes).
    """
    return _inspect_archive(Path(path), max_uncompressed_bytes=max_uncompressed_bytes).metadata


def install_file(path: Path, *, replace: bool = False) -> PackageInfo:
    """Install an ``.argosmodel`` file through argostranslate, after validating it.

    Refuses when a package with the same folder name or the same pair is
    installed, unless *replace*: then the old package is moved aside, the new
    one installed, and the old one deleted only once that succeeded (it is put
    back if not). A failed extraction removes whatever it wrote, so the models
    folder never keeps a stray folder.
    """
    archive = Path(path)
    facts = _inspect_archive(archive, max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES)
    package, settings = _argos()
    folder = Path(settings.package_data_dir)
    _tidy_staging(folder)
    pair = (facts.metadata["from_code"], facts.metadata["to_code"])
    target = folder / facts.top_folder

    conflicts = [
        old
        for old in _installed_argos_packages()
        if Path(old.package_path).name == facts.top_folder or (old.from_code, old.to_code) == pair
    ]
    if conflicts and not replace:
        old = conflicts[0]
        if (old.from_code, old.to_code) == pair:
            clash = f"{pair[0]} → {pair[1]} is already installed as {Path(old.package_path).name}"
        else:
            clash = f"its folder {facts.top_folder} is already installed, for {old.from_code} → {old.to_code}"
        raise ModelError(f"{archive}: {clash}; remove it first or install again with --replace.")
    if target.exists() and not any(Path(old.package_path) == target for old in conflicts):
        raise ModelError(f"{target}: already exists and is not an installed package; remove it and install {archive} again.")
    try:
        free = shutil.disk_usage(folder).free
    except OSError as err:
        raise ModelError(f"{folder}: cannot read the models folder ({err.strerror}); check that it exists and is writable.") from err
    if free < facts.uncompressed_bytes:
        raise ModelError(
            f"{archive}: needs {facts.uncompressed_bytes} bytes but {folder} has {free} free; free some space and install again."
        )

    with _moved_aside(conflicts, folder) as restore:
        try:
            _extract_then_rename(archive, folder, facts.top_folder)
        except BaseException as err:
            restore()
            if not isinstance(err, Exception):
                raise
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            raise ModelError(f"{archive}: extraction into {folder} failed ({reason}); nothing was installed.") from err
    return _info(package.Package(target))


def _extract_then_rename(archive: Path, folder: Path, top: str) -> None:
    """Extract the (validated) archive into a hidden folder beside the models folder, then rename it in.

    argostranslate's ``install_from_path`` extracts straight into the models
    folder, so a killed install left a half-written package that counted as
    installed. Here the package appears under its name only by the final
    rename (same file system, so atomic): a kill before leaves only the hidden
    staging folder, which argostranslate never reads as a package and the
    next install deletes (see the staging folders below).
    """
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(folder, "installing"), dir=folder.parent))
    try:
        with zipfile.ZipFile(archive) as opened:
            _extract_members(opened, staging)
        os.replace(staging / top, folder / top)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_installed_languages()


def _extract_members(archive: zipfile.ZipFile, into: Path) -> None:
    """Extract every member (a seam for fault-injection tests)."""
    for member in archive.infolist():
        archive.extract(member, into)


def install_from_index(from_code: str, to_code: str, *, replace: bool = False) -> list[PackageInfo]:
    """Download and install the package(s) for a pair from the package index.

    The index is ``configure(index_url=...)``, else ``ARGOS_PACKAGE_INDEX``,
    else argostranslate's default. A pair missing from the index is installed
    as two packages through English when the index has both; a leg of that
    route that is already installed is kept (unless *replace*) and returned as
    it is. Each download is checked with :func:`validate_archive` and installed
    with :func:`install_file`.
    """
    for code in (from_code, to_code):
        if not _LANGUAGE_CODE.fullmatch(code):
            raise LanguageError(f"{code!r} is not a language code; use an ISO 639 code such as `en` or `uk`.")
    available = _best_by_pair(_fetch_index())
    if (from_code, to_code) in available:
        return [_download_and_install(available[from_code, to_code], replace=replace)]

    legs = [(from_code, PIVOT_LANGUAGE), (PIVOT_LANGUAGE, to_code)]
    if PIVOT_LANGUAGE not in (from_code, to_code) and all(leg in available for leg in legs):
        installed = _best_by_pair(installed_packages())
        route = []
        for leg in legs:
            if leg in installed and not replace:
                route.append(installed[leg])
            else:
                route.append(_download_and_install(available[leg], replace=replace))
        return route

    offered = ", ".join(f"{source}→{target}" for source, target in sorted(available)) or "no packages at all"
    raise ModelError(
        f"The package index at {_resolved_index_url()} has no {from_code} → {to_code} package, "
        f"directly or through English (it offers {offered}); install one from a file with {INSTALL_FROM_FILE_HINT}."
    )


def remove(from_code: str, to_code: str) -> PackageInfo:
    """Uninstall the package for a pair and return what was removed.

    Should several packages serve the pair, all go and the highest version is
    returned. Each package is first renamed into a hidden folder beside the
    models folder, then deleted there, so a killed removal never leaves a
    half-deleted package that still counts as installed. (argostranslate's own
    ``uninstall`` deletes in place and imports its translation module, which
    loads Stanza, spaCy and ONNX Runtime; the last writes into the cache home.)
    """
    _, settings = _argos()
    folder = Path(settings.package_data_dir)
    _tidy_staging(folder)
    matches = [old for old in _installed_argos_packages() if (old.from_code, old.to_code) == (from_code, to_code)]
    if not matches:
        raise MissingModelError(f"No installed model translates {from_code} → {to_code}; there is nothing to remove.")
    removed = [_info(old) for old in matches]
    try:
        for old in matches:
            original = Path(old.package_path)
            try:
                # Beside the folder the package is in (a snap may add read-only ones), so the move is a rename.
                doomed = Path(tempfile.mkdtemp(prefix=_staging_prefix(original.parent, "removing"), dir=original.parent.parent))
            except OSError as err:
                raise ModelError(f"{original.parent.parent}: cannot create a folder to remove {original.name} ({err.strerror}); check its permissions.") from err
            try:
                os.replace(original, doomed / original.name)
            except OSError as err:
                raise ModelError(f"{original}: cannot remove the package ({err.strerror}); check the folder's permissions.") from err
            finally:
                # Whatever a kill leaves of it is a dead run's: the next install or remove deletes it.
                shutil.rmtree(doomed, ignore_errors=True)
    finally:
        _forget_installed_languages()
    return max(removed, key=lambda info: _version_key(info.version))


def _forget_installed_languages() -> None:
    """Clear argostranslate's cached language list (as its install and uninstall do) if it was ever loaded."""
    loaded = sys.modules.get("argostranslate.translate")
    if loaded is not None:
        loaded.get_installed_languages.cache_clear()


# --- staging folders -----------------------------------------------------------
#
# Installing, replacing and removing work in hidden folders beside the models
# folder (argostranslate reads every folder inside it as a package), named
# ``.<models>.<kind>-<host>-<pid>-<8 random characters>``. A run killed before
# its cleanup leaves one; the next install or remove on the same host, seeing
# that its process is gone, finishes the job. Nothing else is ever touched.

_STAGING_KINDS = ("installing", "replaced", "removing")


def _staging_prefix(folder: Path, kind: str) -> str:
    return f".{folder.name}.{kind}-{_host_tag()}-{os.getpid()}-"


def _host_tag() -> str:
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
        if match and match[2] == _host_tag() and not _process_alive(int(match[3])):
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


def _tidy_staging(folder: Path) -> None:
    """Finish what dead runs left beside *folder*: put back a package a killed replace moved aside, delete the rest.

    A moved-aside package goes back only when its folder name is free and no
    installed package serves its pair (the replace died before the new package
    was renamed in); one that cannot be put back keeps its holding folder.
    """
    served = None
    for kind, staging in _stale_staging(folder):
        if kind == "replaced":
            if served is None:
                served = {(p.from_code, p.to_code) for p in scan_packages()[0]}
            kept = False
            for aside in sorted(staging.iterdir()):
                original = folder / aside.name.split("-", 1)[-1]
                problem, metadata = _package_folder_problem(aside) if aside.is_dir() else ("not a folder", {})
                pair = (metadata.get("from_code"), metadata.get("to_code"))
                if problem or original.exists() or pair in served:
                    continue
                try:
                    os.replace(aside, original)
                    served.add(pair)
                except OSError:
                    kept = True
            if kept:
                continue
        shutil.rmtree(staging, ignore_errors=True)


# --- argostranslate access ---------------------------------------------------


def _argos():
    """Import argostranslate's package and settings modules (the first call reads the environment).

    That first import creates argostranslate's folders; one it cannot create
    is a :class:`ModelError` naming it.
    """
    try:
        from argostranslate import package, settings
    except OSError as err:
        raise ModelError(
            f"{err.filename or 'argostranslate'}: argostranslate cannot create its folder ({err.strerror or err}); "
            "check the permissions, or give --models-dir a writable folder."
        ) from None

    # argostranslate logs failures (offline index, failed download) without a
    # handler, so logging's last resort would print them to stderr; the library
    # never prints. Handlers the application adds upstream still receive them.
    logger = logging.getLogger("argostranslate.utils")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())
    return package, settings


def _installed_argos_packages() -> list:
    """argostranslate's installed translation packages, with a broken folder named instead of a traceback."""
    package, settings = _argos()
    try:
        found = package.get_installed_packages()
    except Exception as err:
        for folder in settings.package_dirs:
            for child in sorted(Path(folder).iterdir()):
                problem = _package_folder_problem(child)[0] if child.is_dir() else None
                if problem:
                    raise ModelError(
                        f"{child}: {problem}, so no model can be loaded; delete this folder or reinstall the package."
                    ) from err
        raise ModelError(f"{settings.package_data_dir}: argostranslate cannot list the installed packages ({err}).") from err
    return [old for old in found if old.from_code and old.to_code]


def _package_folder_problem(folder: Path) -> tuple[str | None, dict]:
    """(what is wrong with an installed package folder or None, its metadata)."""
    metadata = folder / "metadata.json"
    if not metadata.is_file():
        return "a folder in the models folder has no metadata.json", {}
    try:
        if metadata.stat().st_size > _MAX_METADATA_BYTES:
            return f"its metadata.json is over {_MAX_METADATA_BYTES} bytes", {}
        loaded = json.loads(metadata.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "its metadata.json cannot be read as JSON", {}
    problem = metadata_problem(loaded)
    if problem:
        return f"its metadata.json {problem}", {}
    return None, loaded


# What argostranslate's Package.load_metadata_from_json reads, and the type it
# assumes (it appends to the lists and formats the strings without checking).
_METADATA_STRINGS = ("code", "package_version", "argos_version", "from_code", "from_name", "to_code", "to_name", "type", "target_prefix")
_METADATA_LISTS = ("from_codes", "to_codes", "links", "languages", "dependencies", "source_languages", "target_languages")


def metadata_problem(metadata: Any) -> str | None:
    """What makes a package's metadata unusable by argostranslate, in words, or None."""
    if not isinstance(metadata, dict):
        return "is not a JSON object"
    for key in _METADATA_STRINGS:
        if key in metadata and metadata[key] is not None and not isinstance(metadata[key], str):
            return f"has {key!r} of type {type(metadata[key]).__name__}, where a string is required"
    for key in _METADATA_LISTS:
        if key in metadata and not isinstance(metadata[key], list):
            return f"has {key!r} of type {type(metadata[key]).__name__}, where a list is required"
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if value is not None and not _LANGUAGE_CODE.fullmatch(value):
            return f"has {key!r} {value!r}, which is not a language code"
    return None


def _info(package) -> PackageInfo:
    path = Path(package.package_path)
    return PackageInfo(
        from_code=package.from_code,
        to_code=package.to_code,
        version=str(package.package_version),
        name=path.name,
        path=path,
        size_bytes=_folder_size(path),
    )


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _version_key(version: str):
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


def _best_by_pair(packages) -> dict[tuple[str, str], Any]:
    """The highest version per (from_code, to_code), for PackageInfo and argostranslate packages alike."""
    best: dict[tuple[str, str], Any] = {}
    for candidate in packages:
        version = candidate.version if isinstance(candidate, PackageInfo) else candidate.package_version
        pair = (candidate.from_code, candidate.to_code)
        current = best.get(pair)
        if current is None:
            best[pair] = candidate
            continue
        current_version = current.version if isinstance(current, PackageInfo) else current.package_version
        if _version_key(str(version)) > _version_key(str(current_version)):
            best[pair] = candidate
    return best


@contextmanager
def _moved_aside(packages: list, folder: Path) -> Iterator:
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
        holding = Path(tempfile.mkdtemp(prefix=_staging_prefix(folder, "replaced"), dir=folder.parent))
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


# --- archives ----------------------------------------------------------------


def _inspect_archive(path: Path, *, max_uncompressed_bytes: int) -> _ArchiveFacts:
    if not path.is_file():
        raise ModelError(f"{path}: no such package file; check the path.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as err:
        raise ModelError(f"{path}: not a zip archive, so not an Argos package (.argosmodel); download it again.") from err
    except OSError as err:
        raise ModelError(f"{path}: cannot read the package file ({err.strerror}).") from err
    with archive:
        by_name: dict[str, zipfile.ZipInfo] = {}
        top_folders: set[str] = set()
        total = 0
        for member in archive.infolist():
            name = member.filename
            parts = PurePosixPath(name).parts
            if name.startswith("/") or re.match(r"[A-Za-z]:", name):
                raise ModelError(f"{path}: member {name!r} has an absolute path; refusing an archive that writes outside its folder.")
            if "\\" in name or ".." in parts:
                raise ModelError(f"{path}: member {name!r} climbs out of its folder; refusing a path-traversal archive.")
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ModelError(f"{path}: member {name!r} is a symbolic link; an Argos package holds only plain files.")
            if member.flag_bits & 0x1:
                raise ModelError(f"{path}: member {name!r} is encrypted; use an unencrypted Argos package.")
            parts = tuple(part for part in parts if part != ".")
            if not parts:
                continue
            clean = "/".join(parts)
            if clean in by_name and not member.is_dir():
                raise ModelError(f"{path}: member {name!r} appears twice; the archive is damaged, download it again.")
            by_name[clean] = member
            top_folders.add(parts[0])
            if len(parts) == 1 and not member.is_dir():
                raise ModelError(f"{path}: file {name!r} lies outside the package folder; an Argos package is one folder zipped.")
            total += member.file_size

        if len(top_folders) != 1:
            found = ", ".join(sorted(top_folders)) or "none"
            raise ModelError(f"{path}: needs exactly one top-level folder but has {found}; an Argos package is one folder zipped.")
        top = top_folders.pop()
        if total > max_uncompressed_bytes:
            raise ModelError(
                f"{path}: unpacks to {total} bytes, over the {max_uncompressed_bytes}-byte limit; refusing a possible zip bomb."
            )

        if f"{top}/metadata.json" not in by_name or by_name[f"{top}/metadata.json"].is_dir():
            raise ModelError(f"{path}: {top}/metadata.json is missing; this is not an Argos package.")
        model_dir = by_name.get(f"{top}/model")
        if not (model_dir and model_dir.is_dir()) and not any(name.startswith(f"{top}/model/") for name in by_name):
            raise ModelError(f"{path}: {top}/model/ is missing; the package holds no translation model.")
        if not any(f"{top}/{tokenizer}" in by_name for tokenizer in TOKENIZER_FILES):
            raise ModelError(f"{path}: no tokenizer ({' or '.join(TOKENIZER_FILES)}) in {top}/; the package is incomplete.")

        try:
            bad_member = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as err:
            raise ModelError(f"{path}: the archive cannot be read ({err}); download it again.") from err
        if bad_member is not None:
            raise ModelError(f"{path}: member {bad_member!r} is corrupt (checksum mismatch); download it again.")

        metadata_member = by_name[f"{top}/metadata.json"]
        if metadata_member.file_size > _MAX_METADATA_BYTES:
            raise ModelError(f"{path}: {top}/metadata.json is over {_MAX_METADATA_BYTES} bytes; this is not an Argos package.")
        try:
            metadata = json.loads(archive.read(metadata_member).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelError(f"{path}: {top}/metadata.json is not valid JSON ({err}); the package is damaged.") from err
    if not isinstance(metadata, dict):
        raise ModelError(f"{path}: {top}/metadata.json must hold a JSON object; the package is damaged.")
    problem = metadata_problem(metadata)
    if problem:
        raise ModelError(f"{path}: {top}/metadata.json {problem}; the package is damaged, nothing was installed.")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _LANGUAGE_CODE.fullmatch(value):
            raise ModelError(f"{path}: {top}/metadata.json has no valid {key!r}; the package cannot say which pair it translates.")
    return _ArchiveFacts(metadata=metadata, top_folder=top, uncompressed_bytes=total)


# --- package index -----------------------------------------------------------


def _resolved_index_url() -> str:
    """The index file's address: argostranslate appends ``index.json`` to ``ARGOS_PACKAGE_INDEX`` itself."""
    _, settings = _argos()
    url = _index_url or os.environ.get("ARGOS_PACKAGE_INDEX") or settings.package_index
    if url.split("?", 1)[0].endswith(".json"):
        return url
    return url.rstrip("/") + "/index.json"


@contextmanager
def _network_timeout(seconds: float) -> Iterator[None]:
    # argostranslate calls urlopen without a timeout, so a silent server would
    # hang forever; the socket default is the only knob it leaves. Process-wide,
    # hence restored right after.
    previous = socket.getdefaulttimeout()
    if previous is None:
        socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def _fetch_index() -> list:
    """Refresh argostranslate's local copy of the index and return its translation packages.

    ``update_package_index`` swallows every error and leaves the old copy in
    place, and ``get_available_packages`` recurses without end when no copy
    exists; so the old copy is moved aside first, and a missing new copy means
    the index could not be fetched (the old one is then put back).
    """
    package, settings = _argos()
    url = _resolved_index_url()
    settings.remote_package_index = url
    local = Path(settings.local_package_index)
    previous = local.with_name(local.name + ".previous")
    if local.exists():
        os.replace(local, previous)
    with _network_timeout(NETWORK_TIMEOUT_S):
        package.update_package_index()
    if not local.exists():
        if previous.exists():
            os.replace(previous, local)
        raise ModelError(
            f"Cannot fetch the package index from {url} (offline, or a wrong address?); "
            f"install a downloaded package with {INSTALL_FROM_FILE_HINT} instead."
        )
    previous.unlink(missing_ok=True)
    try:
        available = package.get_available_packages()
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError) as err:
        raise ModelError(f"The package index at {url} is not a JSON list of packages ({err}); check the index address.") from err
    return [
        candidate
        for candidate in available
        if candidate.type == "translate"
        and isinstance(candidate.from_code, str)
        and isinstance(candidate.to_code, str)
        and _LANGUAGE_CODE.fullmatch(candidate.from_code)
        and _LANGUAGE_CODE.fullmatch(candidate.to_code)
    ]


def _download_and_install(available, *, replace: bool) -> PackageInfo:
    package, settings = _argos()
    pair = f"{available.from_code} → {available.to_code}"
    links = ", ".join(available.links) or "no download links"
    # download() reuses any file of the same name in the cache, which may be an
    # older version or a damaged file from an earlier attempt.
    cached = Path(settings.downloads_dir) / (package.argospm_package_name(available) + ".argosmodel")
    cached.unlink(missing_ok=True)
    try:
        with _network_timeout(NETWORK_TIMEOUT_S):
            downloaded = Path(available.download())
    except Exception as err:
        cached.unlink(missing_ok=True)
        raise ModelError(
            f"Cannot download the {pair} package from {links} (offline?); "
            f"install a downloaded package with {INSTALL_FROM_FILE_HINT} instead."
        ) from err
    try:
        metadata = validate_archive(downloaded)
        if (metadata["from_code"], metadata["to_code"]) != (available.from_code, available.to_code):
            raise ModelError(
                f"{links}: the index lists this file as {pair} but it holds "
                f"{metadata['from_code']} → {metadata['to_code']}; report the index entry."
            )
        return install_file(downloaded, replace=replace)
    finally:
        downloaded.unlink(missing_ok=True)
