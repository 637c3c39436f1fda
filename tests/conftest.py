"""Shared fixtures: a throw-away copy of the project, built by code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "article.txt"
LANGUAGES = ("uk", "pl", "de", "fr", "es")


def make_project(root: Path, *, catalogues: bool) -> Path:
    """Copy the project's pyproject and seeds (and, on request, its catalogues) to *root*."""
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    if catalogues:
        shutil.copytree(ROOT / "locale", root / "locale", ignore=shutil.ignore_patterns("*.mo"))
    return root


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the project with its hand-made catalogues; cwd set to it."""
    monkeypatch.chdir(make_project(tmp_path / "project", catalogues=True))
    return tmp_path / "project"


@pytest.fixture
def empty_project(tmp_path, monkeypatch) -> Path:
    """A project with the seed article but no catalogues yet; cwd set to it."""
    monkeypatch.chdir(make_project(tmp_path / "fresh", catalogues=False))
    return tmp_path / "fresh"


def files_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* with its bytes (to prove nothing changed)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
