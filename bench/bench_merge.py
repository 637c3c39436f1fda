"""Merge a 10,000-entry catalogue: GNU msgmerge against `pipeline.gettext.merge.merge`.

A seeded generator writes a catalogue of N translated sentences and a new
template in which 500 sentences were edited (a word changed, added or
removed) and 1,000 new sentences appear. Both tools merge the same files;
the benchmark times them and counts how many edited entries came back fuzzy
with their old translation (and how many new sentences got a chance match).

    .venv/bin/python bench/bench_merge.py                 # 10,000 entries (msgmerge takes minutes)
    .venv/bin/python bench/bench_merge.py --entries 2000  # quicker
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import OUT, machine, median, table, verdict  # noqa: E402
from _textgen import SentenceGenerator  # noqa: E402

import polib  # noqa: E402

from pipeline.gettext import catalogue as catalog  # noqa: E402
from pipeline.gettext import merge as merging  # noqa: E402
from pipeline.gettext.catalogue import read_catalogue, write_catalogue  # noqa: E402
from pipeline.gettext.merge import merge  # noqa: E402
from pipeline.gettext.languages import language  # noqa: E402

MSGMERGE_TIMEOUT_S = 600


def build_files(folder: Path, *, entries: int, edited: int, new: int, seed: int) -> dict:
    """Write old.po (translated) and new.pot; return what was edited and added."""
    rng = random.Random(seed)
    generator = SentenceGenerator(seed)
    old = [generator.sentence() for _ in range(entries)]
    translations = {s: f"[uk {i:05d}] переклад: {s[::-1]}" for i, s in enumerate(old)}
    changed = {}
    kinds = {}
    for i in rng.sample(range(entries), edited):
        changed[old[i]], kinds[old[i]] = generator.edit(old[i])
    added = [generator.sentence() for _ in range(new)]

    uk = language("uk")
    pot = polib.POFile(wrapwidth=catalog.WRAP_WIDTH)
    pot.metadata = {"Project-Id-Version": "bench", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    template = [changed.get(s, s) for s in old]
    for sentence in added:
        template.insert(rng.randrange(len(template) + 1), sentence)
    for n, sentence in enumerate(template, start=1):
        pot.append(polib.POEntry(msgid=sentence, msgstr="", occurrences=[("bench/article.txt", str(n))], comment="body"))
    po = catalog.new_catalogue(pot, uk)
    for n, sentence in enumerate(old, start=1):
        po.append(polib.POEntry(msgid=sentence, msgstr=translations[sentence], occurrences=[("bench/article.txt", str(n))], comment="body"))
    folder.mkdir(parents=True, exist_ok=True)
    write_catalogue(pot, folder / "new.pot")
    write_catalogue(po, folder / "old.po")
    return {"translations": translations, "changed": changed, "kinds": kinds, "added": added}


def count_recovered(po: polib.POFile, facts: dict) -> tuple[int, int, int]:
    """(edited entries fuzzy with their old translation, edited entries fuzzy with another one, new sentences given a fuzzy match)."""
    by_msgid = {e.msgid: e for e in po if not e.obsolete}
    right = wrong = 0
    for original, edited in facts["changed"].items():
        entry = by_msgid.get(edited)
        if entry is not None and entry.fuzzy and entry.msgstr:
            if entry.msgstr == facts["translations"][original]:
                right += 1
            else:
                wrong += 1
    chance = sum(1 for s in facts["added"] if by_msgid.get(s) is not None and by_msgid[s].fuzzy and by_msgid[s].msgstr)
    return right, wrong, chance


def run_msgmerge(folder: Path, *extra: str) -> tuple[float | None, Path]:
    out = folder / f"msgmerge{''.join(extra).replace('-', '_')}.po"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        subprocess.run(
            ["msgmerge", "--quiet", *extra, "-o", str(out), str(folder / "old.po"), str(folder / "new.pot")],
            check=True,
            timeout=MSGMERGE_TIMEOUT_S,
            capture_output=True,
        )
    except subprocess.TimeoutExpired:
        return None, out
    return time.perf_counter() - started, out


def matcher_in_use() -> str:
    """Which fuzzy matcher pipeline.gettext.merge uses, read from the module's source."""
    import inspect

    source = inspect.getsource(merging)
    if "FuzzyIndex" in source:
        return "FuzzyIndex (pipeline.similar)"
    matchers = [
        name for name, value in vars(merging).items()
        if inspect.isclass(value) and value.__module__ == merging.__name__ and hasattr(value, "best")
    ]
    scan = "rapidfuzz extractOne over every vanished entry" if "extractOne" in source else "?"
    return f"{', '.join(matchers) or 'unknown'} in pipeline.gettext.merge ({scan}); FuzzyIndex not wired in yet"


def time_ours(folder: Path, repeats: int) -> dict:
    uk = language("uk")
    reads, merges, writes = [], [], []
    merged = None
    for _ in range(repeats):
        target = folder / "ours.po"
        shutil.copyfile(folder / "old.po", target)  # merged in place, as `pipeline update` does
        started = time.perf_counter()
        pot = read_catalogue(folder / "new.pot")
        po = read_catalogue(target, language=uk)
        read_done = time.perf_counter()
        merged, report = merge(pot, po, uk)
        merge_done = time.perf_counter()
        write_catalogue(merged, target)
        reads.append(read_done - started)
        merges.append(merge_done - read_done)
        writes.append(time.perf_counter() - merge_done)
    total = [a + b + c for a, b, c in zip(reads, merges, writes)]
    return {"read": median(reads), "merge": median(merges), "write": median(writes), "total": median(total), "po": merged, "report": report}


def command_project(folder: Path) -> Path:
    """A project holding the benchmark's template (domain `big`) and old catalogue, for `pipeline update`."""
    project = folder / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "locale/uk/LC_MESSAGES").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.pipeline]\nlanguages = ["uk"]\nlocale_dir = "locale"\n', encoding="utf-8")
    shutil.copyfile(folder / "new.pot", project / "locale/big.pot")
    return project


def time_command(folder: Path, repeats: int, *, profile: bool = False) -> dict:
    """`pipeline update --lang uk big` as a subprocess: cold (no memory index yet) and as a daily run finds it.

    Before each run the catalogue is restored to the old one with its old
    mtime (as yesterday's run left it); the steady state has the memory
    index built by that earlier run (`pipeline memory rebuild`, untimed).
    """
    import os

    project = command_project(folder)
    target = project / "locale/uk/LC_MESSAGES/big.po"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "pipeline", "update", "--lang", "uk", "big"]
    old_time = 10**18  # long before: outside the racy window of the stat cache

    def restore() -> None:
        shutil.copyfile(folder / "old.po", target)
        os.utime(target, ns=(old_time, old_time))

    def run(args) -> float:
        started = time.perf_counter()
        subprocess.run(args, cwd=project, env=env, check=True, capture_output=True)
        return time.perf_counter() - started

    cold, warm = [], []
    for _ in range(repeats):
        shutil.rmtree(project / "locale/.cache", ignore_errors=True)
        restore()
        cold.append(run(command))
        restore()
        subprocess.run([sys.executable, "-m", "pipeline", "memory", "rebuild", "--lang", "uk"], cwd=project, env=env, check=True, capture_output=True)
        warm.append(run(command))
    if profile:
        restore()
        subprocess.run([sys.executable, "-m", "pipeline", "memory", "rebuild", "--lang", "uk"], cwd=project, env=env, check=True, capture_output=True)
        stats = folder / "update.prof"
        run([sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "pipeline", "update", "--lang", "uk", "big"])
        import pstats

        print("\ncProfile of the steady-state command (top 25 by cumulative time):")
        pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(25)
    return {"cold": median(cold), "warm": median(warm), "cold_all": cold, "warm_all": warm, "po": polib.pofile(str(target))}


def time_index(facts: dict, entries_pool: list[str]) -> list[list]:
    """FuzzyIndex alone against a full rapidfuzz scan, on the merge's queries and on a stress case."""
    from rapidfuzz import fuzz, process

    from pipeline.memory.similar import FuzzyIndex

    rows = []
    queries = list(facts["changed"].values()) + facts["added"]
    cases = [("vanished entries (merge case)", list(facts["changed"])), ("every old entry (template rewritten)", entries_pool)]
    for label, choices in cases:
        started = time.perf_counter()
        index = FuzzyIndex(choices)
        built = time.perf_counter() - started
        started = time.perf_counter()
        ours = [index.best(q, threshold=60) for q in queries]
        looked = time.perf_counter() - started
        started = time.perf_counter()
        full = [process.extractOne(q, choices, scorer=fuzz.ratio, score_cutoff=60) for q in queries]
        scanned = time.perf_counter() - started
        same = sum(
            (a is None and b is None) or (a is not None and b is not None and fuzz.ratio(q, choices[a]) == b[1])
            for q, a, b in zip(queries, ours, full)
        )
        edited_n = len(facts["changed"])
        same_edited = sum(
            (a is None and b is None) or (a is not None and b is not None and fuzz.ratio(q, choices[a]) == b[1])
            for q, a, b in list(zip(queries, ours, full))[:edited_n]
        )
        rows.append(
            [label, len(choices), len(queries), built, looked, scanned, scanned / looked if looked else float("nan"),
             f"{same_edited}/{edited_n}", f"{same - same_edited}/{len(queries) - edited_n}"]
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--edited", type=int, default=500)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="runs of our merge (median)")
    parser.add_argument("--skip-msgmerge", action="store_true", help="time only ours (no ratio)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the `pipeline update` command")
    args = parser.parse_args(argv)

    folder = OUT / "merge" / f"n{args.entries}-e{args.edited}-a{args.new}-s{args.seed}"
    shutil.rmtree(folder, ignore_errors=True)
    facts = build_files(folder, entries=args.entries, edited=args.edited, new=args.new, seed=args.seed)
    print(f"machine: {machine()}")
    print(f"files: {folder} ({args.entries} entries, {args.edited} edited, {args.new} new); msgmerge: "
          + subprocess.run(["msgmerge", "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    print(f"pipeline.gettext.merge matcher: {matcher_in_use()}\n")

    ours = time_ours(folder, args.repeats)
    our_right, our_wrong, our_chance = count_recovered(ours["po"], facts)
    command = time_command(folder, args.repeats, profile=args.profile)
    cmd_right, cmd_wrong, cmd_chance = count_recovered(command["po"], facts)

    rows = []
    mm_time = None
    mm_counts = (None, None, None)
    if not args.skip_msgmerge:
        nofuzzy_time, _ = run_msgmerge(folder, "--no-fuzzy-matching")
        mm_time, out = run_msgmerge(folder)
        if mm_time is not None:
            mm_counts = count_recovered(polib.pofile(str(out)), facts)
        rows.append(["GNU msgmerge (fuzzy, default)", mm_time if mm_time is not None else f"timed out (>{MSGMERGE_TIMEOUT_S} s)", "", *mm_counts])
        rows.append(["GNU msgmerge --no-fuzzy-matching", nofuzzy_time, "", "–", "–", "–"])
    rows.append(["ours: read + merge + write (median)", ours["total"], f"merge {ours['merge']:.3f} s, read {ours['read']:.2f} s, write {ours['write']:.2f} s", our_right, our_wrong, our_chance])
    rows.append(["`pipeline update --lang uk big` (subprocess, memory index current; median)", command["warm"], "runs: " + ", ".join(f"{t:.2f}" for t in command["warm_all"]), cmd_right, cmd_wrong, cmd_chance])
    rows.append(["… cold: no memory index yet (indexes the 10,000 entries)", command["cold"], "runs: " + ", ".join(f"{t:.2f}" for t in command["cold_all"]), "", "", ""])
    print(table(["run", "time (s)", "breakdown", f"edited recovered (/{args.edited})", "edited, other translation", f"new given a chance fuzzy (/{args.new})"], rows))

    if mm_time is not None:
        ratio_total = ours["total"] / mm_time
        ratio_merge = ours["merge"] / mm_time
        print()
        print(table(
            ["ratio", "value", "target", "verdict"],
            [
                ["ours (read+merge+write) / msgmerge", ratio_total, "≤ 0.01", verdict(ratio_total, 0.01, at_least=False)],
                ["ours (merge only) / msgmerge", ratio_merge, "≤ 0.01", verdict(ratio_merge, 0.01, at_least=False)],
                ["`pipeline update` command / msgmerge", command["warm"] / mm_time, "≤ 0.01", verdict(command["warm"] / mm_time, 0.01, at_least=False)],
                ["`pipeline update` command, cold / msgmerge", command["cold"] / mm_time, "≤ 0.01", verdict(command["cold"] / mm_time, 0.01, at_least=False)],
                ["msgmerge / command (speed-up)", mm_time / command["warm"], "≥ 100", verdict(mm_time / command["warm"], 100, at_least=True)],
                ["recovered: ours − msgmerge", our_right - mm_counts[0], "≥ 0", "met" if our_right >= mm_counts[0] else f"MISSED by {mm_counts[0] - our_right}"],
            ],
        ))
    elif not args.skip_msgmerge:
        print(f"\nmsgmerge timed out after {MSGMERGE_TIMEOUT_S} s: ours (read+merge+write) is at most {ours['total'] / MSGMERGE_TIMEOUT_S:.4f} of it.")

    print("\nFuzzyIndex alone vs a full rapidfuzz extractOne scan (same queries: edited then new sentences)")
    old_sentences = list(facts["translations"])
    print(table(
        ["indexed", "sentences", "queries", "build (s)", "lookups (s)", "full scan (s)", "speed-up", "same score, edited", "same score, new"],
        time_index(facts, old_sentences),
    ))
    print("\n'same score' = FuzzyIndex returns an entry with the full scan's best score (or both find none).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
