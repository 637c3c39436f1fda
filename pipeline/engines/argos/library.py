"""argostranslate itself: where it keeps its files, and importing it without changing the environment.

argostranslate reads its ``ARGOS_*`` and ``XDG_*`` environment variables once,
when ``argostranslate.settings`` is first imported, and that import creates
folders under the data, config and cache homes. So nothing here imports it
at module level: :func:`configure` records a models folder and an index
address, and :func:`import_argostranslate` sets the variables only around that
first import, then restores ``os.environ`` exactly as it was.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.errors import ModelError

_models_dir: Path | None = None
"""Set by configure(models_dir=...): the folder used when a call names none."""

_index_url: str | None = None
"""Set by configure(index_url=...); None means ARGOS_PACKAGE_INDEX or argostranslate's default."""


def configure(*, models_dir: Path | None = None, index_url: str | None = None) -> None:
    """Point argostranslate at a models folder and/or a package index, for this process.

    Nothing in ``os.environ`` changes. ``models_dir`` applies when argostranslate
    is first imported (see :func:`import_argostranslate`): calling this with
    another folder once it has been imported raises :class:`ModelError`.
    ``index_url`` may be the index file itself (``https://host/index.json``) or
    the folder holding ``index.json``, the form ``ARGOS_PACKAGE_INDEX`` takes;
    it is read at each install from the index.
    """
    global _index_url, _models_dir
    if models_dir is not None:
        folder = _checked_folder(models_dir)
        settings = sys.modules.get("argostranslate.settings")
        if settings is not None and Path(settings.package_data_dir).resolve() != folder:
            raise ModelError(
                f"{folder}: argostranslate is already loaded with models folder "
                f"{settings.package_data_dir}; call configure(models_dir=...) before anything uses a model."
            )
        _models_dir = folder
    if index_url is not None:
        _index_url = index_url


def configured_index_url() -> str | None:
    """The index address given to :func:`configure`, if any."""
    return _index_url


def _checked_folder(models_dir: Path) -> Path:
    folder = Path(models_dir).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ModelError(f"{folder}: is a file, not a folder of models; give --models-dir (or models_dir) a folder.")
    return folder


def argostranslate_dir(models_dir: Path) -> Path:
    """The hidden folder beside *models_dir* that holds argostranslate's own files for it.

    Its index copy and downloads (``argos-translate/``), and its config folder
    when the user has none: see :func:`import_argostranslate`.
    """
    folder = Path(models_dir)
    return folder.parent / f".{folder.name}.argos-translate"


def import_argostranslate(models_dir: Path | None = None):
    """argostranslate's ``package`` and ``settings`` modules, imported for *models_dir* (default: :func:`configure`'s).

    The first import reads the environment and creates argostranslate's
    folders; with a models folder, it runs inside :func:`_environment_for`,
    so those folders go beside it and ``os.environ`` is the same afterwards.
    A folder it cannot create is a :class:`ModelError` naming it. Once
    imported, a different *models_dir* changes nothing here: callers that pass
    one (the engine) read packages from their own folder by path.
    """
    folder = _checked_folder(models_dir) if models_dir is not None else _models_dir
    first = "argostranslate.settings" not in sys.modules
    try:
        with _environment_for(folder) if first and folder is not None else _unchanged():
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


@contextmanager
def _unchanged() -> Iterator[None]:
    yield


@contextmanager
def _environment_for(folder: Path) -> Iterator[None]:
    """Set ``ARGOS_PACKAGES_DIR`` and the unset XDG homes for *folder*; restore ``os.environ`` on leaving.

    Importing argostranslate creates ``argos-translate`` folders under the XDG
    data, config and cache homes (by default in the home folder), even when
    ``ARGOS_PACKAGES_DIR`` says where packages go; with a project models folder
    they belong beside it (:func:`argostranslate_dir`). Only variables the user
    left unset (or empty, which XDG reads as unset) are set. An existing
    ``~/.config/argos-translate`` is still read: importing creates nothing
    there, and its ``settings.json`` keeps applying. What argostranslate's own
    import sets (``KMP_DUPLICATE_LIB_OK``) is its business and stays.
    """
    state = str(argostranslate_dir(folder))
    user_config = _argostranslate_home() / ".config" / "argos-translate"
    changes = {"ARGOS_PACKAGES_DIR": str(folder)}
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        if os.environ.get(variable) or (variable == "XDG_CONFIG_HOME" and user_config.is_dir()):
            continue
        changes[variable] = state
    before = {variable: os.environ.get(variable) for variable in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for variable, value in before.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value


def _argostranslate_home() -> Path:
    """The home folder as argostranslate's settings module takes it (a snap's own data folder inside a snap)."""
    return Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()


def packages_dir(models_dir: Path | None = None) -> Path:
    """The folder argostranslate installs packages into (neither created nor imported here).

    Found as argostranslate finds it (``ARGOS_PACKAGES_DIR``, then its
    ``settings.json``, then the XDG data home), without importing it:
    importing argostranslate creates folders in the home folder, and listing
    must create nothing.
    """
    return package_dirs(models_dir)[0]


def package_dirs(models_dir: Path | None = None) -> list[Path]:
    """Every folder packages are read from: *models_dir*, else argostranslate's (imported or not)."""
    if models_dir is not None:
        return [_checked_folder(models_dir)]
    loaded = sys.modules.get("argostranslate.settings")
    if loaded is not None:
        return [Path(folder) for folder in loaded.package_dirs]
    if _models_dir is not None:
        return [_models_dir]
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


def forget_installed_languages() -> None:
    """Clear argostranslate's cached language list (as its install and uninstall do) if it was ever loaded."""
    loaded = sys.modules.get("argostranslate.translate")
    if loaded is not None:
        loaded.get_installed_languages.cache_clear()
