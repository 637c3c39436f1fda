"""FuzzyIndex against a full RapidFuzz scan: time per lookup and agreement, by number of indexed sentences.

For each size N, N generated sentences are indexed; the queries are 200
edited copies of indexed sentences (a word changed, added or removed) and 200
new sentences. "Agreement" counts lookups that return an entry with the full
scan's best score (or, like the full scan, none). Rows: the default index
(exact up to `full_scan` = 1,000 sentences in the length window), and the
shared-word short list alone (`full_scan=0`) with several short-list sizes.

    .venv/bin/python bench/bench_similar.py     # about 1 minute
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import machine, table  # noqa: E402
from _textgen import SentenceGenerator  # noqa: E402

from rapidfuzz import fuzz, process  # noqa: E402

from pipeline.memory.similar import FuzzyIndex  # noqa: E402

THRESHOLD = 60


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000, 5000, 10000])
    parser.add_argument("--queries", type=int, default=200, help="edited queries and as many new ones")
    args = parser.parse_args(argv)

    generator = SentenceGenerator(1)
    pool = [generator.sentence() for _ in range(max(args.sizes))]
    rng = random.Random(2)
    variants = [
        ("default (full_scan=1000, shortlist=64)", {}),
        ("short list only, 32", {"full_scan": 0, "shortlist": 32}),
        ("short list only, 64", {"full_scan": 0, "shortlist": 64}),
        ("short list only, 128", {"full_scan": 0, "shortlist": 128}),
    ]
    rows = []
    for size in args.sizes:
        indexed = pool[:size]
        edited = [generator.edit(indexed[i])[0] for i in rng.sample(range(size), min(args.queries, size))]
        new = [generator.sentence() for _ in range(args.queries)]
        queries = edited + new
        started = time.perf_counter()
        full = [process.extractOne(q, indexed, scorer=fuzz.ratio, score_cutoff=THRESHOLD) for q in queries]
        scan = (time.perf_counter() - started) / len(queries)
        rows.append([size, "full extractOne scan", 1000 * scan, "–", "100 %", "100 %", f"{sum(f is not None for f in full[len(edited):])}/{len(new)}"])
        for name, options in variants:
            index = FuzzyIndex(indexed, **options)
            started = time.perf_counter()
            found = [index.best(q, threshold=THRESHOLD) for q in queries]
            lookup = (time.perf_counter() - started) / len(queries)
            same = [
                (a is None and b is None) or (a is not None and b is not None and fuzz.ratio(q, indexed[a]) == b[1])
                for q, a, b in zip(queries, found, full)
            ]
            if not options:
                last_default = (size, queries[len(edited):], found[len(edited):], full[len(edited):], indexed)
            rows.append([
                size, name, 1000 * lookup, scan / lookup,
                f"{100 * sum(same[:len(edited)]) / len(edited):.1f} %",
                f"{100 * sum(same[len(edited):]) / len(new):.1f} %",
                f"{sum(f is not None for f in found[len(edited):])}/{len(new)}",
            ])
        print(f"  {size} done", file=sys.stderr, flush=True)
    print(f"machine: {machine()}\n")
    print(table(
        ["indexed", "method", "ms per lookup", "speed-up vs scan", "agreement, edited", "agreement, new", "new sentences matched"],
        rows,
    ))
    size, queries, found, full, indexed = last_default
    missed = [b[1] for a, b in zip(found, full) if a is None and b is not None]
    weaker = [b[1] - fuzz.ratio(q, indexed[a]) for q, a, b in zip(queries, found, full) if a is not None and b is not None and fuzz.ratio(q, indexed[a]) < b[1]]
    print(f"\nDisagreements of the default index on new sentences at {size}:")
    if missed:
        print(f"  {len(missed)} weak matches missed (full-scan score median {statistics.median(missed):.1f}, max {max(missed):.1f})")
    if weaker:
        print(f"  {len(weaker)} answered with a weaker match (shortfall median {statistics.median(weaker):.1f}, max {max(weaker):.1f} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
