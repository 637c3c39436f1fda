"""The installed pipeline's version, from its package metadata (one lookup for the CLI and the manifest)."""

from __future__ import annotations

DISTRIBUTION = "newsroom-pipeline"


def package_version() -> str | None:
    """The installed distribution's version, or None when the package is not installed (run from a source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return None
