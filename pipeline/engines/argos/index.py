"""The Argos package index: fetching it and downloading a package it lists, with timeouts and clear errors.

argostranslate swallows network errors, never times out and reuses stale
downloads; this module wraps its index and download calls so that each
failure is one :class:`ModelError` saying to install from a file instead.
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.engines.argos.library import configured_index_url, import_argostranslate
from pipeline.engines.argos.validate import LANGUAGE_CODE
from pipeline.errors import ModelError

NETWORK_TIMEOUT_S = 30.0
"""Seconds each network read may stall; argostranslate itself never times out."""

INSTALL_FROM_FILE_HINT = "`pipeline models install FILE.argosmodel`"


def resolved_index_url() -> str:
    """The index file's address: argostranslate appends ``index.json`` to ``ARGOS_PACKAGE_INDEX`` itself."""
    _, settings = import_argostranslate()
    url = configured_index_url() or os.environ.get("ARGOS_PACKAGE_INDEX") or settings.package_index
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


def fetch_index() -> list:
    """Refresh argostranslate's local copy of the index and return its translation packages.

    ``update_package_index`` swallows every error and leaves the old copy in
    place, and ``get_available_packages`` recurses without end when no copy
    exists; so the old copy is moved aside first, and a missing new copy means
    the index could not be fetched (the old one is then put back).
    """
    package, settings = import_argostranslate()
    url = resolved_index_url()
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
        and LANGUAGE_CODE.fullmatch(candidate.from_code)
        and LANGUAGE_CODE.fullmatch(candidate.to_code)
    ]


def download(available) -> Path:
    """Download one package the index lists into argostranslate's downloads folder; the caller deletes the file.

    ``download()`` reuses any file of the same name in the cache, which may be
    an older version or a damaged file from an earlier attempt, so that file
    is deleted first.
    """
    package, settings = import_argostranslate()
    pair = f"{available.from_code} → {available.to_code}"
    links = ", ".join(available.links) or "no download links"
    cached = Path(settings.downloads_dir) / (package.argospm_package_name(available) + ".argosmodel")
    cached.unlink(missing_ok=True)
    try:
        with _network_timeout(NETWORK_TIMEOUT_S):
            return Path(available.download())
    except Exception as err:
        cached.unlink(missing_ok=True)
        raise ModelError(
            f"Cannot download the {pair} package from {links} (offline?); "
            f"install a downloaded package with {INSTALL_FROM_FILE_HINT} instead."
        ) from err
