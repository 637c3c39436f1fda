"""Argos Translate model packages: which are installed, which route serves a pair, install and remove.

Everything here goes through argostranslate's own package code; this package
adds what it lacks: checking an archive before anything is extracted
(:mod:`.validate`), refusing to overwrite an installed package, cleaning up a
half-finished extraction (:mod:`.staging`), routes through English, network
timeouts (:mod:`.index`), and errors that say what to do. argostranslate is
imported only inside functions, through :mod:`.library`, which never leaves
``os.environ`` changed. The names other modules use (``configure``,
``validate_archive``, ``install_from_index`` …) are all importable from here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.engines.argos import index, staging
from pipeline.engines.argos.index import INSTALL_FROM_FILE_HINT, NETWORK_TIMEOUT_S  # noqa: F401 (re-exported)
from pipeline.engines.argos.library import (  # noqa: F401 (re-exported)
    argostranslate_dir,
    configure,
    forget_installed_languages,
    import_argostranslate,
    package_dirs,
    packages_dir,
)
from pipeline.engines.argos.validate import (  # noqa: F401 (re-exported)
    LANGUAGE_CODE,
    MAX_UNCOMPRESSED_BYTES,
    TOKENIZER_FILES,
    inspect_archive,
    metadata_problem,
    package_folder_problem,
    validate_archive,
)
from pipeline.errors import LanguageError, MissingModelError, ModelError

PIVOT_LANGUAGE = "en"
"""Pairs with no direct package are translated through this language."""


@dataclass(frozen=True)
class PackageInfo:
    """One installed translation package; ``name`` is its folder in the models folder."""

    from_code: str
    to_code: str
    version: str
    name: str
    path: Path
    size_bytes: int


def scan_packages(models_dir: Path | None = None) -> tuple[list[PackageInfo], list[tuple[Path, str]]]:
    """The installed translation packages, and the folders that are not readable packages.

    Read from each folder's ``metadata.json`` directly (argostranslate is not
    imported, so nothing is created), in *models_dir* or else argostranslate's
    folders. A broken folder is reported with its problem instead of failing
    the whole listing; folders whose metadata names no language pair (not
    translation packages) are left out of both.
    """
    found, broken = [], []
    for folder in package_dirs(models_dir):
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
            problem, metadata = package_folder_problem(child)
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


def installed_packages(models_dir: Path | None = None) -> list[PackageInfo]:
    """Every installed translation package (in *models_dir*, else argostranslate's folders), sorted by pair.

    A folder in the models folder that is not a readable package makes
    argostranslate fail for every package, so it raises :class:`ModelError`
    naming that folder (listing uses :func:`scan_packages`, which skips it).
    Packages without both language codes (not translation packages) are left out.
    """
    found, broken = scan_packages(models_dir)
    if broken:
        child, problem = broken[0]
        raise ModelError(f"{child}: {problem}, so no model can be loaded; delete this folder or reinstall the package.")
    return found


def find_route(from_code: str, to_code: str, *, models_dir: Path | None = None) -> list[PackageInfo]:
    """The packages that translate *from_code* into *to_code*, in the order to apply them.

    One package when a direct one is installed, else two through English, else
    :class:`MissingModelError`. Among packages for the same pair the highest
    version wins. The same code on both sides gives an empty route.
    """
    if from_code == to_code:
        return []
    best = _best_by_pair(installed_packages(models_dir))
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


def install_file(path: Path, *, replace: bool = False) -> PackageInfo:
    """Install an ``.argosmodel`` file through argostranslate, after validating it.

    Refuses when a package with the same folder name or the same pair is
    installed, unless *replace*: then the old package is moved aside, the new
    one installed, and the old one deleted only once that succeeded (it is put
    back if not). A failed extraction removes whatever it wrote, so the models
    folder never keeps a stray folder.
    """
    archive = Path(path)
    facts = inspect_archive(archive, max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES)
    package, settings = import_argostranslate()
    folder = Path(settings.package_data_dir)
    _tidy_staging(folder)
    conflicts = _conflicts(archive, facts, replace=replace)
    target = folder / facts.top_folder
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

    with staging.moved_aside(conflicts, folder) as restore:
        try:
            staging.extract_then_rename(archive, folder, facts.top_folder)
        except BaseException as err:
            restore()
            if not isinstance(err, Exception):
                raise
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            raise ModelError(f"{archive}: extraction into {folder} failed ({reason}); nothing was installed.") from err
        forget_installed_languages()
    return _info(package.Package(target))


def _conflicts(archive: Path, facts, *, replace: bool) -> list:
    """The installed packages the archive would overwrite (same folder or same pair); refused unless *replace*."""
    pair = (facts.metadata["from_code"], facts.metadata["to_code"])
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
    return conflicts


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
        if not LANGUAGE_CODE.fullmatch(code):
            raise LanguageError(f"{code!r} is not a language code; use an ISO 639 code such as `en` or `uk`.")
    available = _best_by_pair(index.fetch_index())
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
        f"The package index at {index.resolved_index_url()} has no {from_code} → {to_code} package, "
        f"directly or through English (it offers {offered}); install one from a file with {INSTALL_FROM_FILE_HINT}."
    )


def _download_and_install(available, *, replace: bool) -> PackageInfo:
    downloaded = index.download(available)
    try:
        metadata = validate_archive(downloaded)
        if (metadata["from_code"], metadata["to_code"]) != (available.from_code, available.to_code):
            links = ", ".join(available.links) or "no download links"
            raise ModelError(
                f"{links}: the index lists this file as {available.from_code} → {available.to_code} but it holds "
                f"{metadata['from_code']} → {metadata['to_code']}; report the index entry."
            )
        return install_file(downloaded, replace=replace)
    finally:
        downloaded.unlink(missing_ok=True)


def remove(from_code: str, to_code: str) -> PackageInfo:
    """Uninstall the package for a pair and return what was removed.

    Should several packages serve the pair, all go and the highest version is
    returned. Each package is first renamed into a hidden folder beside the
    models folder, then deleted there, so a killed removal never leaves a
    half-deleted package that still counts as installed. (argostranslate's own
    ``uninstall`` deletes in place and imports its translation module, which
    loads Stanza, spaCy and ONNX Runtime; the last writes into the cache home.)
    """
    _, settings = import_argostranslate()
    _tidy_staging(Path(settings.package_data_dir))
    matches = [old for old in _installed_argos_packages() if (old.from_code, old.to_code) == (from_code, to_code)]
    if not matches:
        raise MissingModelError(f"No installed model translates {from_code} → {to_code}; there is nothing to remove.")
    removed = [_info(old) for old in matches]
    try:
        for old in matches:
            _remove_folder(Path(old.package_path))
    finally:
        forget_installed_languages()
    return max(removed, key=lambda info: _version_key(info.version))


def _remove_folder(original: Path) -> None:
    """Rename an installed package into a staging folder, then delete it there."""
    try:
        # Beside the folder the package is in (a snap may add read-only ones), so the move is a rename.
        doomed = Path(tempfile.mkdtemp(prefix=staging.staging_prefix(original.parent, "removing"), dir=original.parent.parent))
    except OSError as err:
        raise ModelError(f"{original.parent.parent}: cannot create a folder to remove {original.name} ({err.strerror}); check its permissions.") from err
    try:
        os.replace(original, doomed / original.name)
    except OSError as err:
        raise ModelError(f"{original}: cannot remove the package ({err.strerror}); check the folder's permissions.") from err
    finally:
        # Whatever a kill leaves of it is a dead run's: the next install or remove deletes it.
        shutil.rmtree(doomed, ignore_errors=True)


def _tidy_staging(folder: Path) -> None:
    staging.tidy_staging(folder, lambda: {(p.from_code, p.to_code) for p in scan_packages()[0]})


def _installed_argos_packages() -> list:
    """argostranslate's installed translation packages, with a broken folder named instead of a traceback."""
    package, settings = import_argostranslate()
    try:
        found = package.get_installed_packages()
    except Exception as err:
        for folder in settings.package_dirs:
            for child in sorted(Path(folder).iterdir()):
                problem = package_folder_problem(child)[0] if child.is_dir() else None
                if problem:
                    raise ModelError(
                        f"{child}: {problem}, so no model can be loaded; delete this folder or reinstall the package."
                    ) from err
        raise ModelError(f"{settings.package_data_dir}: argostranslate cannot list the installed packages ({err}).") from err
    return [old for old in found if old.from_code and old.to_code]


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
