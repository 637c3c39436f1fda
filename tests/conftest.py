"""Shared fixtures: a throw-away copy of the project, built by code."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# argostranslate reads ARGOS_* and XDG_* once, at import, and creates folders
# under them: give the whole test session a temporary home before anything
# imports it, and point its package index at a closed local port so that no
# test can reach the internet. (No "stanza" in the path: argostranslate would
# then pick Stanza as its sentence splitter.)
SESSION_HOME = Path(tempfile.mkdtemp(prefix="pipeline-tests-"))
atexit.register(shutil.rmtree, SESSION_HOME, ignore_errors=True)
for variable, folder in {
    "HOME": "home",
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "ARGOS_PACKAGES_DIR": "argos-packages",
}.items():
    os.environ[variable] = str(SESSION_HOME / folder)
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
os.environ["ARGOS_COMPUTE_TYPE"] = "float32"  # argostranslate's own runs, for equivalence tests



def pytest_configure(config):
    """GNU gettext is an oracle of the suite, never optional: without it the run stops, nothing is skipped."""
    missing = [tool for tool in ("msgfmt", "msgmerge", "msgcat") if shutil.which(tool) is None]
    if missing:
        raise pytest.UsageError(
            f"GNU gettext ({', '.join(missing)}) is needed by the tests as an independent oracle; install it (apt-get install gettext)."
        )

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "article.txt"
LANGUAGES = ("uk", "pl", "de", "fr", "es")


def make_project(root: Path, *, catalogues: bool) -> Path:
    """Copy the project's pyproject and seeds (and, on request, its catalogues) to *root*."""
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    if catalogues:
        # Only what git holds: a checkout where `pipeline run` already ran (the README's first
        # command) also has .mo files, the memory and results caches and the lock.
        shutil.copytree(ROOT / "locale", root / "locale", ignore=shutil.ignore_patterns("*.mo", ".cache", ".pipeline.lock", ".*.tmp"))
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
    """Every file under *folder* with its bytes (to prove nothing changed); git-ignored caches left out."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".pipeline.lock" and ".cache" not in p.relative_to(folder).parts
    }


def as_gnu_keeps_it(text: str) -> str:
    """*text* (a PO file) less this project's `no-check-<id>` flags, which GNU tools drop.

    gettext keeps only the flags it knows (fuzzy, format, range, wrap), so
    `msgcat` writes a catalogue silencing a check without that flag (README,
    "Catalogues are written as GNU gettext writes them"); all else is identical.
    """
    lines = []
    for line in text.split("\n"):
        if line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",") if not flag.strip().startswith("no-check-")]
            if not flags:
                continue
            line = "#," + ",".join(" " + flag for flag in flags)
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture(scope="session")
def argos_packages() -> dict[tuple[str, str], Path]:
    """Tiny genuine Argos packages en→uk, uk→en, en→de, installed in the session's models folder."""
    from pipeline.engines.argos import packages as models
    from support.testmodels import build_package

    built = {}
    for source, target in (("en", "uk"), ("uk", "en"), ("en", "de")):
        path = build_package(SESSION_HOME / "built", from_code=source, to_code=target, size="tiny", seed=7)
        models.install_file(path, replace=True)
        built[source, target] = path
    return built
