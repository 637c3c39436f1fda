"""Start-up cost of the `pipeline` command: `--help`, and `run` with nothing to translate.

The same commands also run on the code of an earlier commit (`--baseline`,
default be71b18, the last commit before the house rebuild of issue 18),
exported beside the copy and run with `python -m pipeline` on the same
project and the same interpreter, so each row has a ratio against the old
code measured in the same run.

Works on a copy of the project (pyproject.toml, seeds, hand catalogues) under
bench/out/startup/; a first `pipeline run --engine pseudo` fills whatever the
hand catalogues lack, so the timed `pipeline run` (the configured engine,
argos) finds nothing to translate. Each command runs as a subprocess through
the installed console script; the median of 5 is reported. A second, in-process
run lists the heavy modules each command imported (expected: none).

    .venv/bin/python bench/bench_startup.py
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _common as common  # noqa: E402
from _common import HEAVY_MODULES, OUT, ROOT, machine, median, table, verdict  # noqa: E402

PIPELINE = Path(sys.executable).with_name("pipeline")
PROJECT = OUT / "startup" / "project"

# Run the CLI in-process and report which heavy modules it imported (at exit, whatever the exit code).
_PROBE = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: print("HEAVY " + json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy))), file=sys.stderr))
sys.argv = ["pipeline", *{argv!r}]
from pipeline.cli import main
main()
"""


def make_project() -> dict[str, str]:
    shutil.rmtree(PROJECT.parent, ignore_errors=True)
    PROJECT.mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", PROJECT / "pyproject.toml")
    shutil.copytree(ROOT / "seeds", PROJECT / "seeds")
    shutil.copytree(ROOT / "locale", PROJECT / "locale", ignore=shutil.ignore_patterns("*.mo"))
    env = os.environ.copy()
    env.update(common.isolate_argos(PROJECT.parent / "home"))
    # A user's shell caches bytecode; a sandbox that sets PYTHONDONTWRITEBYTECODE would time
    # compiling every module of the package on every command instead (about 70 ms here).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(argv: list[str], env: dict, *, code: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Run the console script (or, with *code*, `python -m pipeline` from that exported tree)."""
    command = [str(PIPELINE), *argv] if code is None else [sys.executable, "-m", "pipeline", *argv]
    if code is not None:
        env = {**env, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    # the old code runs on its own revision's project files (settings it knows), beside its package
    cwd = PROJECT if code is None else code / "project"
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done


def export_baseline(revision: str) -> Path | None:
    """The `pipeline/` package of *revision*, exported (read-only git) under bench/out/startup/baseline."""
    folder = PROJECT.parent / "baseline"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision, "pipeline", "pyproject.toml", "seeds", "locale"], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        print(f"baseline {revision}: not available ({archive.stderr.decode().strip()}); no ratios", file=sys.stderr)
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    project = folder / "project"
    project.mkdir()
    for name in ("pyproject.toml", "seeds", "locale"):
        (folder / name).rename(project / name)
    return folder


def heavy_imports(argv: list[str], env: dict) -> list[str] | str:
    code = _PROBE.format(heavy=list(HEAVY_MODULES), argv=argv)
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)
    for line in done.stderr.splitlines():
        if line.startswith("HEAVY "):
            return json.loads(line[len("HEAVY "):])
    return f"? (exit {done.returncode}: {done.stderr.strip()[-200:]})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline", default="be71b18", help="an earlier commit to compare with (default: before issue 18)")
    args = parser.parse_args(argv)
    if not PIPELINE.exists():
        print(f"{PIPELINE}: console script not found; run `.venv/bin/pip install -e .` first", file=sys.stderr)
        return 2
    env = make_project()
    _, prepared = timed(["run", "--engine", "pseudo"], env)
    if prepared.returncode != 0:
        print(f"preparing the copy failed ({prepared.returncode}): {prepared.stderr.strip()}", file=sys.stderr)
        return 2

    commands = {
        "pipeline --help": (["--help"], 0.3),
        "pipeline run (nothing to translate)": (["run"], 0.6),
        "python -c pass (interpreter floor)": (None, None),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, set[int]] = {name: set() for name in commands}
    baseline = export_baseline(args.baseline)
    before: dict[str, list[float]] = {name: [] for name, (command, _) in commands.items() if command is not None}
    timed(["--help"], env)  # warm the file cache once
    if baseline is not None:
        timed(["run", "--engine", "pseudo"], env, code=baseline)  # the old code's caches, as a user of it would have them
    for _ in range(args.repeats):
        for name, (command, _) in commands.items():
            if command is None:
                started = time.perf_counter()
                subprocess.run([sys.executable, "-c", "pass"], env=env)
                times[name].append(time.perf_counter() - started)
                codes[name].add(0)
                continue
            seconds, done = timed(command, env)
            times[name].append(seconds)
            codes[name].add(done.returncode)
            if baseline is not None:
                seconds, old = timed(command, env, code=baseline)
                if old.returncode != 0:
                    raise SystemExit(f"baseline {args.baseline}: `{' '.join(command)}` exited {old.returncode}: {old.stderr.strip()[-300:]}")
                before[name].append(seconds)

    print(f"machine: {machine()}")
    print(f"project copy: {PROJECT}\n")
    rows = []
    for name, (command, target) in commands.items():
        value = median(times[name])
        heavy = heavy_imports(command, env) if command is not None else "–"
        rows.append([
            name,
            value,
            f"{min(times[name]):.3f}–{max(times[name]):.3f}",
            ",".join(map(str, sorted(codes[name]))),
            heavy if isinstance(heavy, str) else (", ".join(heavy) or "none"),
            median(before[name]) if before.get(name) else float("nan"),
            median(before[name]) / value if before.get(name) else float("nan"),
            f"≤ {target} s" if target else "–",
            verdict(value, target, at_least=False) if target else "–",
        ])
    headers = ["command", f"median of {args.repeats} (s)", "min–max", "exit", "heavy modules imported",
               f"{args.baseline} (s)", "speed-up ×", "target", "verdict"]
    print(table(headers, rows))
    _, last = timed(["run"], env)
    filled = [line for line in last.stdout.splitlines() if "filled" in line]
    print(f"\n`pipeline run` filled {len(filled)} catalogue(s) with machine translation (expected 0: nothing to translate)")
    print(f"\nheavy modules looked for: {', '.join(HEAVY_MODULES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
