"""A newsroom's year: does one new article cost more when the archive holds N reviewed articles?

For each N (1, 100, 300, 1,000, 3,650 articles) a project is generated with
N articles already extracted and translated by hand into 5 languages (every
entry reviewed: catalogues written directly by code, as a year of
translators' work would have left them), its memory index as the daily runs
left it (`pipeline memory rebuild`, untimed) and a `pipeline status` run
once (its cache, untimed). Then, as subprocesses, interleaved with the same
commands on a fresh project holding no archive:

- `pipeline run seeds/new.txt --engine pseudo` for one new article (25-30
  sentences; a fifth of them occur in the archive and are answered by the
  memory, a fifth are edited archive sentences that get a memory suggestion,
  pseudo-translation fills the rest; the new files are removed between runs);
- `pipeline status --format json` (a row per catalogue) and `pipeline status`
  (the table: a row per language) with nothing changed.

With --reuse an archive built by an earlier run (same size and seed) is used
as it is (its generation and indexing are then not timed); --prepare only
builds archives. With --cold the kernel's page cache is dropped before every
timed command (Linux, as root: `/proc/sys/vm/drop_caches`), as on the first
run of a morning whose files were evicted overnight; without it the files
are as the previous command left them.

    .venv/bin/python bench/bench_year.py                 # 1, 100, 300, 1000, 3650
    .venv/bin/python bench/bench_year.py --max 300       # quicker
    .venv/bin/python bench/bench_year.py --sizes 3650 --reuse   # again, on the archive built before
    .venv/bin/python bench/bench_year.py --sizes 3650 --reuse --cold   # every command on a cold page cache
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import OUT, PYTHON, machine, median, table, verdict  # noqa: E402
from _textgen import SentenceGenerator  # noqa: E402

import polib  # noqa: E402

from pipeline.article import parse_article  # noqa: E402
from pipeline.gettext.template import build_template  # noqa: E402
from pipeline.gettext.languages import language  # noqa: E402
from pipeline.memory import RACY_NS  # noqa: E402

LANGUAGES = ("uk", "pl", "de", "fr", "es")
SIZES = (1, 100, 300, 1000, 3650)
PYPROJECT = """[tool.pipeline]
source_language = "en"
languages = ["uk", "pl", "de", "fr", "es"]
locale_dir = "locale"
output_dir = "dist"
engine = "pseudo"
sources = ["seeds/new.txt"]
"""
OLD = 10**18  # an mtime long past: the archive was written before today's run
COLD = False  # --cold: drop the page cache before each timed command


def drop_page_cache() -> None:
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as control:
        control.write("3\n")


def article_text(generator: SentenceGenerator, rng: random.Random, extra: list[str] = ()) -> str:
    sentences = [generator.sentence() for _ in range(rng.randint(24, 30) - len(extra))] + list(extra)
    rng.shuffle(sentences)
    headline = sentences.pop(0).rstrip(".?")
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + step]))
        i += step
    return "\n\n".join([headline, *paragraphs]) + "\n"


def _po_text(header: dict[str, str], entries: list[tuple[polib.POEntry, str]]) -> str:
    """A PO file as a simple writer would (no wrapping: valid PO, fast to generate)."""
    lines = ['msgid ""', 'msgstr ""', *(f'"{polib.escape(f"{k}: {v}")}\\n"' for k, v in header.items()), ""]
    for entry, msgstr in entries:
        lines += [f"#. {line}" for line in entry.comment.splitlines()]
        lines.append("#: " + " ".join(f"{f}:{n}" for f, n in entry.occurrences))
        lines += [f'msgid "{polib.escape(entry.msgid)}"', f'msgstr "{polib.escape(msgstr)}"', ""]
    return "\n".join(lines)


def build_archive(project: Path, count: int, *, seed: int) -> tuple[list[str], float]:
    """Write *count* reviewed articles × 5 languages under project/locale; return (some archive sentences, seconds)."""
    started = time.perf_counter()
    generator = SentenceGenerator(seed)
    rng = random.Random(seed)
    locale = project / "locale"
    langs = [language(code) for code in LANGUAGES]
    for lang in langs:
        (locale / lang.code / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    pool: list[str] = []
    for n in range(count):
        domain = f"a{n:05d}"
        text = article_text(generator, rng)
        item = parse_article(text.encode("utf-8"), path=f"seeds/{domain}.txt")
        pot = build_template([item], creation_date="2026-01-01 00:00+0000")
        entries = list(pot)
        pool.extend(rng.sample([e.msgid for e in entries], 2))
        header = dict(pot.metadata)
        (locale / f"{domain}.pot").write_text(_po_text(header, [(e, "") for e in entries]), encoding="utf-8")
        for lang in langs:
            meta = {**header, "Language": lang.code, "Plural-Forms": lang.plural_forms, "Language-Team": f"{lang.english_name} <newsroom-{lang.code}@localhost>"}
            body = _po_text(meta, [(e, f"[{lang.code}] {e.msgid[::-1]}") for e in entries])
            (locale / lang.code / "LC_MESSAGES" / f"{domain}.po").write_text(body, encoding="utf-8")
    for path in locale.rglob("*.po*"):
        os.utime(path, ns=(OLD, OLD))
    return pool, time.perf_counter() - started


def make_project(folder: Path, archive: int, *, seed: int) -> tuple[Path, float]:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "seeds").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    pool, spent = build_archive(folder, archive, seed=seed) if archive else ([], 0.0)
    rng = random.Random(seed + 1)
    generator = SentenceGenerator(seed + 1_000_003)
    reused = rng.sample(pool, min(5, len(pool)))
    edited = [generator.edit(s)[0] for s in rng.sample(pool, min(5, len(pool)))]
    (folder / "seeds/new.txt").write_text(article_text(generator, random.Random(seed + 2), reused + edited), encoding="utf-8")
    return folder, spent


def reset_new_article(project: Path) -> None:
    """Remove what a run of the new article wrote, so the next run does the same work."""
    (project / "locale/new.pot").unlink(missing_ok=True)
    for code in LANGUAGES:
        for suffix in (".po", ".mo"):
            (project / "locale" / code / "LC_MESSAGES" / f"new{suffix}").unlink(missing_ok=True)
    shutil.rmtree(project / "dist", ignore_errors=True)


def timed(project: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    if COLD:
        drop_page_cache()
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "pipeline", *args], cwd=project, env=env, capture_output=True, text=True)
    spent = time.perf_counter() - started
    if done.returncode not in ((0, 3) if args[0] == "run" else (0,)):  # run 3: previews, waiting for reviewers
        raise RuntimeError(f"pipeline {' '.join(args)} in {project} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return spent


def measure(project: Path, repeats: int) -> dict:
    """Median times of the new article's run and of status with nothing changed (run after it)."""
    runs, statuses, tables = [], [], []
    for _ in range(repeats):
        reset_new_article(project)
        runs.append(timed(project, "run", "seeds/new.txt", "--engine", "pseudo"))
        # "Nothing changed" is the steady state: files written within the mtime
        # allowance (RACY_NS) are checked by content on every status until they
        # are older, so a status run a second after the write costs what the
        # per-catalogue path costs (reported by the README), not this figure.
        time.sleep(RACY_NS / 1e9 + 0.1)
        timed(project, "status", "--format", "json")  # yesterday's status filled the cache
        timed(project, "status")
        statuses.append(timed(project, "status", "--format", "json"))
        tables.append(timed(project, "status"))
    return {"run": median(runs), "status": median(statuses), "table": median(tables), "runs": runs, "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max", type=int, default=max(SIZES), help="largest archive to build")
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="keep an archive generated and indexed by an earlier run (bench/out/year/nN, same seed) instead of building it again")
    parser.add_argument("--prepare", action="store_true", help="only build (or reuse) the archives, index them and fill the status cache")
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each timed command (Linux, root)")
    args = parser.parse_args()
    if args.cold:
        global COLD
        try:
            drop_page_cache()
        except OSError as exc:
            parser.error(f"--cold needs to write /proc/sys/vm/drop_caches (Linux, as root): {exc}")
        COLD = True
    print("page cache: dropped before every timed command (--cold)" if args.cold else "page cache: as the previous command left it")
    sizes = args.sizes or [n for n in SIZES if n <= args.max]
    print(machine())
    fresh, _ = make_project(OUT / "year" / "fresh", 0, seed=args.seed)
    rows, verdicts = [], []
    for size in sizes:
        print(f"building an archive of {size} articles x {len(LANGUAGES)} languages ...", file=sys.stderr, flush=True)
        folder = OUT / "year" / f"n{size}"
        marker = folder / ".bench-ready"
        if args.reuse and marker.is_file() and marker.read_text() == str(args.seed):
            project, built, indexed = folder, float("nan"), float("nan")
            reset_new_article(project)
        else:
            marker.unlink(missing_ok=True)
            project, built = make_project(folder, size, seed=args.seed)
            started = time.perf_counter()
            timed(project, "memory", "rebuild")
            indexed = time.perf_counter() - started
            timed(project, "status", "--format", "json")  # yesterday's status filled the cache
            marker.write_text(str(args.seed))
        if args.prepare:
            continue
        # interleave with the fresh project so that load on the machine hits both alike
        ours, base = {"run": [], "status": [], "table": []}, {"run": [], "status": [], "table": []}
        for _ in range(args.repeats):
            for target, into in ((fresh, base), (project, ours)):
                result = measure(target, 1)
                into["run"].append(result["run"])
                into["status"].append(result["status"])
                into["table"].append(result["table"])
        run_ratio = median(ours["run"]) / median(base["run"])
        status_ratio = median(ours["status"]) / median(base["status"])
        table_ratio = median(ours["table"]) / median(base["table"])
        rows.append([size, size * len(LANGUAGES), built, indexed, median(base["run"]), median(ours["run"]), run_ratio,
                     median(base["status"]), median(ours["status"]), status_ratio,
                     median(base["table"]), median(ours["table"]), table_ratio])
        verdicts.append((size, run_ratio, status_ratio, table_ratio))
        print(f"  {size}: run {run_ratio:.2f}x, status --format json {status_ratio:.2f}x, status (table) {table_ratio:.2f}x", file=sys.stderr, flush=True)
        for label, into in (("fresh", base), (f"{size} articles", ours)):
            print(f"    {label} runs: " + ", ".join(f"{t:.2f}" for t in into["run"]) + "; status json: "
                  + ", ".join(f"{t:.2f}" for t in into["status"]) + "; table: " + ", ".join(f"{t:.2f}" for t in into["table"]), file=sys.stderr, flush=True)
    print(table(
        ["archive articles", "catalogues", "generate s", "memory rebuild s", "fresh run s", "archive run s", "run ratio",
         "fresh status json s", "archive status json s", "status json ratio",
         "fresh status table s", "archive status table s", "status table ratio"],
        rows,
    ))
    print()
    print(table(["target", "value", "verdict"], [
        *[[f"one new article after {n} articles ≤ 1.5× fresh", f"{r:.2f}×", verdict(r, 1.5, at_least=False)] for n, r, _, _ in verdicts],
        *[[f"status --format json (every catalogue), nothing changed, {n} articles ≤ 1.5× fresh", f"{s:.2f}×", verdict(s, 1.5, at_least=False)] for n, _, s, _ in verdicts],
        *[[f"status (table, per language), nothing changed, {n} articles ≤ 1.5× fresh", f"{t:.2f}×", verdict(t, 1.5, at_least=False)] for n, _, _, t in verdicts],
    ]))


if __name__ == "__main__":
    main()
