"""The memory's fuzzy lookup on real edits: one release's catalogues as the memory, the next release's new sentences as queries.

Real text we did not write: the French translation of the Python
documentation (https://github.com/python/python-docs-fr, translations under
CC0). The catalogues of one branch (e.g. 3.12) are indexed as a language's
memory; the msgids of the next branch (3.13) that the memory does not hold
are the queries: many are sentences the documentation's authors edited
between the releases. Each is looked up by `TranslationMemory.fuzzy` and by
a full RapidFuzz scan (`full_scan`); a lookup agrees when it finds a match
of the same score, or none when the scan finds none.

    git clone https://github.com/python/python-docs-fr && cd python-docs-fr
    for b in 3.12 3.13; do mkdir -p /tmp/docs/$b/fr/LC_MESSAGES
      git ls-tree -r --name-only $b | grep '\\.po$' | while read f; do
        git show "$b:$f" > "/tmp/docs/$b/fr/LC_MESSAGES/$(echo $f | tr / _)"; done; done
    .venv/bin/python bench/bench_memory_real.py /tmp/docs/3.12 /tmp/docs/3.13

--rare-terms / --shortlist override the memory's constants, to compare settings on the same queries.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import machine, table  # noqa: E402

from pipeline import memory as memory_module  # noqa: E402
from pipeline.gettext.catalogue import read_catalogue  # noqa: E402
from pipeline.errors import CatalogueError  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("memory_locale", type=Path, help="locale folder of the older release (<lang>/LC_MESSAGES/*.po)")
    parser.add_argument("query_locale", type=Path, help="locale folder of the newer release")
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rare-terms", type=int, default=None)
    parser.add_argument("--shortlist", type=int, default=None)
    args = parser.parse_args()
    if args.rare_terms:
        memory_module.RARE_TERMS = args.rare_terms
    if args.shortlist:
        memory_module.SHORTLIST = args.shortlist
    print(machine())
    print(f"RARE_TERMS={memory_module.RARE_TERMS} SHORTLIST={memory_module.SHORTLIST}")
    with tempfile.TemporaryDirectory() as folder:
        memory = memory_module.TranslationMemory(Path(folder) / "memory.sqlite", language=args.lang)
        started = time.perf_counter()
        report = memory.refresh(memory_module.memory_sources(args.memory_locale, args.lang))
        built = time.perf_counter() - started
        held = {entry.msgid for entry in memory.entries()}
        new = set()
        for path in sorted((args.query_locale / args.lang / "LC_MESSAGES").glob("*.po")):
            try:
                po = read_catalogue(path)
            except CatalogueError:
                continue
            new.update(e.msgid for e in po if e.msgid and e.msgid not in held and 20 <= len(e.msgid) <= 400)
        queries = random.Random(args.seed).sample(sorted(new), min(args.queries, len(new)))
        print(f"memory: {len(report.indexed)} files, {len(memory)} sentences, indexed in {built:.1f} s ({len(report.skipped)} files skipped)")
        rows = []
        for threshold in (75, 60):
            started = time.perf_counter()
            ours = [memory.fuzzy(q, threshold=threshold) for q in queries]
            looked = time.perf_counter() - started
            started = time.perf_counter()
            full = [memory.full_scan(q, threshold=threshold) for q in queries]
            scanned = time.perf_counter() - started
            found = sum(b is not None for b in full)
            same = sum(a is not None and b is not None and a.score == b.score for a, b in zip(ours, full))
            overall = sum((a is None and b is None) or (a is not None and b is not None and a.score == b.score) for a, b in zip(ours, full))
            rows.append([threshold, len(queries), found, f"{same}/{found}", f"{overall}/{len(queries)}",
                         looked / len(queries) * 1000, scanned / len(queries) * 1000])
        memory.close()
    print(table(["threshold", "queries", "scan finds a match", "ours: same score", "ours: same answer", "ours ms", "full scan ms"], rows))


if __name__ == "__main__":
    main()
