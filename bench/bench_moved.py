"""A year's project moved: does the first run in a copy placed in another folder cost a re-index?

After a 300-article year (5 languages, every entry reviewed, its memory
index and caches as the daily runs left them: `pipeline memory rebuild`,
`pipeline status` and one `pipeline run`, untimed), the project is copied with its
times (`shutil.copytree` with `copy2`, as `cp -a` does) into another folder,
and the first `pipeline run seeds/new.txt --engine pseudo` of one new
article is timed there, against the same run on a fresh project holding no
archive, interleaved, as subprocesses. Each repeat times a new copy's first
run. The memory and the result cache key files relative to the locale
folder, so the copy should cost a stat per catalogue: target ≤ 1.3× the
fresh project's run.

    .venv/bin/python bench/bench_moved.py                 # 300 articles, 3 repeats
    .venv/bin/python bench/bench_moved.py --reuse         # the archive bench_year.py or an earlier run built
    .venv/bin/python bench/bench_moved.py --size 100 --repeats 1   # quicker
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, machine, median, table, verdict  # noqa: E402
from bench_year import make_project, reset_new_article, timed  # noqa: E402

TARGET = 1.3


def archive(size: int, *, seed: int, reuse: bool) -> Path:
    """bench_year's archive of *size* articles, indexed and with its status cache (built unless reused)."""
    folder = OUT / "year" / f"n{size}"
    marker = folder / ".bench-ready"
    if reuse and marker.is_file() and marker.read_text() == str(seed):
        reset_new_article(folder)
        return folder
    marker.unlink(missing_ok=True)
    print(f"building an archive of {size} articles ...", file=sys.stderr, flush=True)
    project, _ = make_project(folder, size, seed=seed)
    timed(project, "memory", "rebuild")
    timed(project, "status", "--format", "json")
    marker.write_text(str(seed))
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=300, help="articles in the archive")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="use the archive an earlier run built (bench/out/year/nN, same seed)")
    args = parser.parse_args()
    print(machine())
    fresh, _ = make_project(OUT / "year" / "fresh", 0, seed=args.seed)
    project = archive(args.size, seed=args.seed, reuse=args.reuse)
    # Yesterday's run, untimed, in both projects: what a project that runs daily has in its
    # caches (the memory's index, check results, plural-rule answers) is there before the copy.
    for warm in (fresh, project):
        reset_new_article(warm)
        timed(warm, "run", "seeds/new.txt", "--engine", "pseudo")
        reset_new_article(warm)
    copies = OUT / "moved"
    fresh_runs, copy_runs, copy_times = [], [], []
    for repeat in range(args.repeats):
        reset_new_article(fresh)
        fresh_runs.append(timed(fresh, "run", "seeds/new.txt", "--engine", "pseudo"))
        shutil.rmtree(copies, ignore_errors=True)
        started = time.perf_counter()
        copy = Path(shutil.copytree(project, copies / f"copy{repeat}" / "project", copy_function=shutil.copy2))
        copy_times.append(time.perf_counter() - started)
        copy_runs.append(timed(copy, "run", "seeds/new.txt", "--engine", "pseudo"))
        print(f"  repeat {repeat + 1}: fresh {fresh_runs[-1]:.2f} s, first run in the copy {copy_runs[-1]:.2f} s", file=sys.stderr, flush=True)
    shutil.rmtree(copies, ignore_errors=True)
    ratio = median(copy_runs) / median(fresh_runs)
    print(table(
        ["archive articles", "copy s (untimed in the ratio)", "fresh run s", "first run in the copy s", "ratio"],
        [[args.size, median(copy_times), median(fresh_runs), median(copy_runs), ratio]],
    ))
    print()
    print(table(["target", "value", "verdict"], [
        [f"first run of one new article in a copy of a {args.size}-article project ≤ {TARGET}× fresh", f"{ratio:.2f}×", verdict(ratio, TARGET, at_least=False)],
    ]))
    print(f"ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
