"""Pathological versus ordinary text of the same size through the real `pipeline extract`.

Each pathological article repeats one of the shapes that made a regular
expression (or a scan) rescan the rest of a run from each position: the
e-mail pattern on `a-a-a-…` took 30 s on 80 k characters before it was made
linear. The ordinary article is the seed article repeated to the same size.
Each article is extracted by the installed command in a fresh process (the
way a user runs it) in a project of its own, median of --repeat runs; the
ratio pathological / ordinary has a target of at most 2.

    .venv/bin/python bench/bench_regex.py            # 80 KB, 3 repeats
    .venv/bin/python bench/bench_regex.py --size 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, PYTHON, ROOT, SEED_ARTICLE, machine, median, table, verdict  # noqa: E402


def articles(size: int) -> dict[str, str]:
    """Headline + one paragraph of *size* characters each, per shape."""
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    body = (seed * (size // len(seed) + 1))[:size]

    def fill(unit: str, prefix: str = "", suffix: str = "") -> str:
        return prefix + unit * ((size - len(prefix) - len(suffix)) // len(unit)) + suffix

    return {
        "ordinary (seed article repeated)": body,
        "a-a-a-… (e-mail local part)": fill("a-"),
        "a.a.a.… (e-mail local part, dots)": fill("a."),
        "x@b-b-b-… (e-mail domain)": fill("b-", "x@"),
        "one run of blanks (line folding)": fill(" ", "x", "y"),
        "www.…… (URL tail)": fill(".", "www."),
        "(@a/(@a/… (credits)": fill("(@a/"),
        "(Photo: (Photo: … (credits)": fill("(Photo: "),
        "1,1,1,… (numbers)": fill("1,"),
        "@@@@… (handles)": fill("@"),
    }


def extract_seconds(text: str, workdir: Path) -> float:
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "seeds").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", workdir / "pyproject.toml")
    (workdir / "seeds" / "bench.txt").write_text("Headline\n\n" + text + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "pipeline", "extract", "seeds/bench.txt"], cwd=workdir, env=env, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"extract failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=80_000, help="characters of body text per article (default 80000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"# bench_regex: {args.size:,} characters, median of {args.repeat}\n\n{machine()}\n")
    shapes = articles(args.size)
    times: dict[str, list[float]] = {name: [] for name in shapes}
    for _ in range(args.repeat):  # interleaved, so load changes hit every shape alike
        for name, text in shapes.items():
            times[name].append(extract_seconds(text, OUT / "regex" / "project"))
    ordinary = median(times["ordinary (seed article repeated)"])
    rows = []
    for name, values in times.items():
        ratio = median(values) / ordinary
        rows.append([name, median(values), min(values), max(values), ratio, "—" if name.startswith("ordinary") else verdict(ratio, 2.0, at_least=False)])
    print(table(["article", "median s", "min s", "max s", "ratio to ordinary", "target ≤ 2×"], rows))


if __name__ == "__main__":
    main()
