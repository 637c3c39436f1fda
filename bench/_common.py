"""Shared helpers for the benchmarks: paths, an isolated argostranslate home, cached packages, tables.

Nothing here imports argostranslate: :func:`isolate_argos` must run before the
first import of it, because argostranslate reads ``ARGOS_*`` and ``XDG_*`` once,
at import.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # support.testmodels: the genuine Argos packages the benches translate with
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
SEED_ARTICLE = ROOT / "seeds" / "article.txt"
HEAVY_MODULES = ("argostranslate", "ctranslate2", "torch", "stanza", "spacy")


def isolate_argos(home: Path) -> dict[str, str]:
    """Point HOME, XDG_* and ARGOS_PACKAGES_DIR at *home* (no "stanza" in the path) and return them."""
    home = Path(home).resolve()
    if "stanza" in str(home):
        raise ValueError(f"{home}: argostranslate would pick Stanza as splitter for a path containing 'stanza'")
    values = {
        "HOME": str(home / "home"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # a closed port: nothing reaches the network
    }
    for folder in values.values():
        if not folder.startswith("http"):
            Path(folder).mkdir(parents=True, exist_ok=True)
    os.environ.update(values)
    return values


def cached_package(size: str, from_code: str, to_code: str, *, seed: int = 0) -> Path:
    """Build (once) a genuine random-weight .argosmodel under bench/out/packages/<size>/."""
    from support.testmodels import build_package, package_filename

    folder = OUT / "packages" / f"{size}-seed{seed}"
    path = folder / f"{package_filename(from_code, to_code, '1.0')}.argosmodel"
    if not path.exists():
        print(f"building {size} package {from_code}->{to_code} (cached in {folder}) ...", file=sys.stderr, flush=True)
        path = build_package(folder, from_code=from_code, to_code=to_code, size=size, seed=seed)
    return path


def install_packages(paths: list[Path]) -> None:
    """Install packages into the (isolated) argostranslate packages folder, replacing older copies."""
    from pipeline.engines.argos import packages as models

    for path in paths:
        models.install_file(path, replace=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def machine() -> str:
    """nproc, CPU model and RAM, for the results."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"nproc={os.cpu_count()}, CPU={cpu}, RAM={ram}, load(1 min)={load:.2f}, "
        f"Python {platform.python_version()}; code at {revision()}"
    )


def revision() -> str:
    """The commit the code under test is at, and whether pipeline/ has uncommitted changes (read-only git)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # never let git touch the index
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "pipeline"], cwd=ROOT, env=env, timeout=10).returncode != 0
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' + uncommitted changes in pipeline/' if dirty else ''}" if head else "unknown"


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table (readable in a terminal and pasteable into RESULTS.md)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        if value != value:
            return "–"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
    return str(value)


def verdict(value: float, target: float, *, at_least: bool) -> str:
    """'met' or 'MISSED by x%' for a ratio against its target."""
    if value != value:
        return "n/a"
    ok = value >= target if at_least else value <= target
    if ok:
        return "met"
    gap = (target - value) / target if at_least else (value - target) / target
    return f"MISSED by {gap:.0%}"


def run_json(args: list[str], *, env: dict | None = None, cwd: Path | None = None, timeout: float | None = None):
    """Run a child Python command that prints one JSON line last; return (parsed, ru_maxrss of that child in MiB)."""
    import json
    import resource

    done = subprocess.run(
        args, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    line = done.stdout.strip().splitlines()[-1]
    return json.loads(line), done
