"""A translation memory of 100,000 and 1,000,000 sentences: build, exact and fuzzy lookup, RSS, agreement.

For each size, child processes (so that each peak RSS is its own):

1. **build**: generate N distinct news-style sentences with translations and
   store them in a fresh `TranslationMemory` (SQLite, FTS5), in sources of
   10,000 entries, as `refresh` would index catalogues;
2. **lookup**: open the memory and time, per sentence, an exact lookup of
   sentences it holds and a fuzzy top-1 lookup (threshold 75, as `update`
   uses) of edited sentences (one word changed, added or removed), plus new
   sentences it does not hold; peak RSS of this process;
3. **agreement**: the same edited sentences through a full RapidFuzz scan of
   every remembered sentence; a lookup agrees when it finds a match of the
   same score (or none when the scan finds none).

    .venv/bin/python bench/bench_memory.py                      # 100,000 and 1,000,000
    .venv/bin/python bench/bench_memory.py --sizes 20000 --queries 100   # quick
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import OUT, PYTHON, machine, table, verdict  # noqa: E402

THRESHOLD = 75.0
CHUNK = 10_000


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(size: int, db: Path, queries: int, seed: int) -> dict:
    from _textgen import SentenceGenerator

    from pipeline.memory import MemoryEntry, TranslationMemory

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    generator = SentenceGenerator(seed)
    rng = random.Random(seed)
    memory = TranslationMemory(db, language="uk")
    stored = 0
    sample: list[str] = []
    spent = 0.0
    while stored < size:
        count = min(CHUNK, size - stored)
        chunk = [generator.sentence() for _ in range(count)]
        entries = [MemoryEntry(None, s, f"[uk] {s[::-1]}", (f"a{stored // CHUNK:05d}",)) for s in chunk]
        sample.extend(rng.sample(chunk, min(len(chunk), max(1, queries * 3 * count // size + 1))))
        started = time.perf_counter()
        memory.add(f"bench-source-{stored // CHUNK:05d}", entries, mtime_ns=stored)
        spent += time.perf_counter() - started
        stored += count
    memory.close()
    rng.shuffle(sample)
    exact = sample[:queries]
    edited = [generator.edit(s)[0] for s in sample[queries : 2 * queries]]
    new = [generator.sentence() for _ in range(queries)]
    return {
        "build_s": spent,
        "rss_mib": _rss_mib(),
        "db_mib": sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()) / 2**20,
        "exact": exact,
        "edited": edited,
        "new": new,
    }


def lookup(db: Path, queries: dict) -> dict:
    from pipeline.memory import TranslationMemory

    memory = TranslationMemory(db, language="uk")
    memory.fuzzy("warm-up sentence for the page cache", threshold=THRESHOLD)
    times = {"exact": [], "fuzzy_edited": [], "fuzzy_new": []}
    answers = []
    found_exact = 0
    for sentence in queries["exact"]:
        started = time.perf_counter()
        found = memory.exact(sentence)
        times["exact"].append(time.perf_counter() - started)
        found_exact += found is not None
    for sentence in queries["edited"]:
        started = time.perf_counter()
        match = memory.fuzzy(sentence, threshold=THRESHOLD)
        times["fuzzy_edited"].append(time.perf_counter() - started)
        answers.append(None if match is None else [match.msgid, match.score])
    for sentence in queries["new"]:
        started = time.perf_counter()
        memory.fuzzy(sentence, threshold=THRESHOLD)
        times["fuzzy_new"].append(time.perf_counter() - started)
    return {
        "segments": len(memory),
        "found_exact": found_exact,
        "answers": answers,
        "times": {k: {"median_ms": statistics.median(v) * 1000, "p95_ms": sorted(v)[int(0.95 * (len(v) - 1))] * 1000, "max_ms": max(v) * 1000} for k, v in times.items()},
        "rss_mib": _rss_mib(),
    }


def agreement(db: Path, queries: dict) -> dict:
    from pipeline.memory import TranslationMemory

    memory = TranslationMemory(db, language="uk")
    started = time.perf_counter()
    answers = []
    for sentence in queries["edited"]:
        match = memory.full_scan(sentence, threshold=THRESHOLD)
        answers.append(None if match is None else [match.msgid, match.score])
    return {"answers": answers, "scan_ms": (time.perf_counter() - started) / max(1, len(queries["edited"])) * 1000, "rss_mib": _rss_mib()}


def child(*args: str) -> dict:
    done = subprocess.run([PYTHON, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--scan", type=int, default=None, help="check agreement with a full scan on the first N edited sentences only (default: all)")
    parser.add_argument("--reuse", action="store_true", help="reuse memories built by an earlier run (same sizes and seed)")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.child:
        role, db, extra = args.child[0], Path(args.child[1]), args.child[2:]
        if role == "build":
            result = build(int(extra[0]), db, int(extra[1]), int(extra[2]))
        else:
            queries = json.loads(Path(extra[0]).read_text(encoding="utf-8"))
            result = (lookup if role == "lookup" else agreement)(db, queries)
        print(json.dumps(result))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    print(machine())
    rows, ratios = [], []
    for size in args.sizes:
        db = OUT / f"memory-{size}.sqlite"
        queries_file = OUT / f"memory-{size}-queries.json"
        built_file = OUT / f"memory-{size}-build.json"
        if args.reuse and db.exists() and built_file.exists():
            built = json.loads(built_file.read_text(encoding="utf-8"))
        else:
            print(f"building {size:,} ...", file=sys.stderr, flush=True)
            built = child("--child", "build", str(db), str(size), str(args.queries), str(args.seed))
            built_file.write_text(json.dumps(built), encoding="utf-8")
        queries_file.write_text(json.dumps({k: built[k] for k in ("exact", "edited", "new")}), encoding="utf-8")
        scan_file = OUT / f"memory-{size}-scan.json"
        scan_file.write_text(json.dumps({"edited": built["edited"][: args.scan]}), encoding="utf-8")
        print(f"lookups {size:,} ...", file=sys.stderr, flush=True)
        found = child("--child", "lookup", str(db), str(queries_file))
        print(f"full scans {size:,} ...", file=sys.stderr, flush=True)
        oracle = child("--child", "agreement", str(db), str(scan_file))
        agree = sum(
            1 for ours, scan in zip(found["answers"], oracle["answers"])
            if (ours is None and scan is None) or (ours is not None and scan is not None and abs(ours[1] - scan[1]) < 1e-9)
        )
        recalled = sum(1 for a in found["answers"] if a is not None)
        t = found["times"]
        rows.append([
            f"{size:,}", found["segments"], built["build_s"], built["db_mib"],
            t["exact"]["median_ms"], t["exact"]["p95_ms"],
            t["fuzzy_edited"]["median_ms"], t["fuzzy_edited"]["p95_ms"], t["fuzzy_new"]["median_ms"],
            f"{agree}/{len(oracle['answers'])}", f"{recalled}/{len(found['answers'])}", oracle["scan_ms"], found["rss_mib"],
        ])
        ratios.append((size, t, agree / max(1, len(oracle["answers"])), found["rss_mib"]))
    print(table(
        ["entries", "segments", "build s", "db MiB", "exact ms (median)", "exact ms (p95)", "fuzzy edited ms (median)",
         "fuzzy edited ms (p95)", "fuzzy new ms (median)", "agreement with full scan", "edited found", "full scan ms", "lookup RSS MiB"],
        rows,
    ))
    largest = ratios[-1]
    print()
    print(table(["target", "value", "verdict"], [
        [f"exact lookup < 1 ms ({largest[0]:,})", f"{largest[1]['exact']['median_ms']:.3f} ms", verdict(largest[1]["exact"]["median_ms"], 1.0, at_least=False)],
        [f"fuzzy top-1 < 20 ms ({largest[0]:,})", f"{largest[1]['fuzzy_edited']['median_ms']:.2f} ms (new: {largest[1]['fuzzy_new']['median_ms']:.2f})", verdict(max(largest[1]['fuzzy_edited']['median_ms'], largest[1]['fuzzy_new']['median_ms']), 20.0, at_least=False)],
        [f"agreement >= 99 % ({largest[0]:,})", f"{largest[2]:.1%}", verdict(largest[2], 0.99, at_least=True)],
        ["RSS largest / smallest <= 1.2", f"{largest[3] / ratios[0][3]:.2f} ({ratios[0][3]:.0f} → {largest[3]:.0f} MiB)", verdict(largest[3] / ratios[0][3], 1.2, at_least=False)],
    ]))


if __name__ == "__main__":
    main()
