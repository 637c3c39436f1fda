"""`pipeline run` over 1, 10 and 50 articles × 5 languages: pseudo engine and Argos (tiny packages).

Articles are variations of the seed (seeded RNG): paragraphs dropped and
reordered, some sentences replaced by new ones or edited, a few new
paragraphs; so they share many sentences and each has some of its own, like
a day's copy. For each article count a fresh project (pyproject.toml copied,
no catalogues) runs:

1. `pipeline run ARTICLES --engine pseudo`;
2. `pipeline run ARTICLES --engine argos` with tiny en→uk/pl/de/fr/es packages
   (built once into bench/out/packages/), in a child that counts
   `ctranslate2.Translator` constructions per model (each should be 1);
3. the same argos run again: nothing new to translate;
4. the argos run on another fresh project with `--threads <cores>` (the
   engine's default, 0, lets CTranslate2 use 4 threads whatever the cores).

    .venv/bin/python bench/bench_scale.py                  # 1, 10, 50 articles (a few minutes)
    .venv/bin/python bench/bench_scale.py --articles 1 10  # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import _common as common  # noqa: E402
from _common import OUT, ROOT, machine, table  # noqa: E402
from _textgen import SentenceGenerator  # noqa: E402

LANGUAGES = ("uk", "pl", "de", "fr", "es")
PIPELINE = Path(sys.executable).with_name("pipeline")
THREADS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
WORK = OUT / "scale"

# Runs the CLI in-process, counting CTranslate2 Translator constructions per model folder.
_COUNTING = """
import collections, json, sys, atexit
import ctranslate2
counts = collections.Counter()
_Real = ctranslate2.Translator
def _counting(model_path, *args, **kwargs):
    counts[str(model_path)] += 1
    return _Real(model_path, *args, **kwargs)
ctranslate2.Translator = _counting
atexit.register(lambda: print("TRANSLATORS " + json.dumps(counts), file=sys.stderr))
sys.argv = ["pipeline", *json.loads(sys.argv[1])]
from pipeline.cli import main
main()
"""


def make_articles(count: int, folder: Path, *, seed: int = 0) -> list[Path]:
    """Write *count* variations of the seed article; the first is the seed itself."""
    from pipeline.article import read_article

    seed_article = read_article(common.SEED_ARTICLE)
    headline, *blocks = seed_article.blocks
    rng = random.Random(seed)
    generator = SentenceGenerator(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"story{number:03d}.txt"
        if number == 0:
            shutil.copy(common.SEED_ARTICLE, path)
            paths.append(path)
            continue
        title = seed_article.text[headline.start : headline.end]
        if rng.random() < 0.6:
            title = generator.sentence().rstrip(".!?")
        chosen = [b for b in blocks if rng.random() < 0.75]
        for _ in range(len(chosen) // 4):  # some paragraphs move
            i, j = rng.randrange(len(chosen)), rng.randrange(len(chosen))
            chosen[i], chosen[j] = chosen[j], chosen[i]
        out = [title]
        for block in chosen:
            sentences = []
            for segment in block.segments:
                roll = rng.random()
                if roll < 0.12:
                    sentences.append(generator.sentence())
                elif roll < 0.20:
                    sentences.append(generator.edit(segment.msgid)[0])
                else:
                    sentences.append(segment.msgid)
            text = " ".join(sentences)
            if block.caption_credit:
                text += " " + block.caption_credit
            out.append(text)
            if rng.random() < 0.1:
                out.append(" ".join(generator.sentence() for _ in range(rng.randint(2, 4))))
        path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def distinct_sentences(paths: list[Path]) -> tuple[int, int]:
    """(sentence occurrences, distinct sentences) across the articles."""
    from pipeline.article import read_article

    occurrences, distinct = 0, set()
    for path in paths:
        for segment in read_article(path).segments:
            occurrences += 1
            distinct.add(segment.msgid)
    return occurrences, len(distinct)


def fresh_project(folder: Path, articles: list[Path]) -> list[str]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    shutil.copytree(articles[0].parent, folder / "articles")
    return [f"articles/{p.name}" for p in articles]


def run(project: Path, argv: list[str], env: dict, *, count_translators: bool) -> dict:
    started = time.perf_counter()
    if count_translators:
        command = [sys.executable, "-c", _COUNTING, json.dumps(argv)]
    else:
        command = [str(PIPELINE), *argv]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - started
    translators = None
    for line in done.stderr.splitlines():
        if line.startswith("TRANSLATORS "):
            translators = json.loads(line[len("TRANSLATORS "):])
    if done.returncode not in (0, 1, 3):  # 3: previews only, waiting for reviewers (pseudo and MT output are fuzzy)
        print(done.stdout[-2000:], done.stderr[-3000:], file=sys.stderr)
        raise RuntimeError(f"pipeline {' '.join(argv[:3])}… exited {done.returncode}")
    return {"seconds": seconds, "exit": done.returncode, "translators": translators, "stdout": done.stdout}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args(argv)

    home = common.isolate_argos(WORK / "home")
    env = os.environ.copy()
    env.update(home)
    packages = [common.cached_package("tiny", "en", code) for code in LANGUAGES]
    installed = Path(home["ARGOS_PACKAGES_DIR"])
    if len(list(installed.glob("*/metadata.json"))) != len(LANGUAGES):
        common.install_packages(packages)
    articles = make_articles(max(args.articles), WORK / "articles-all")

    print(f"machine: {machine()}")
    print(f"languages: {', '.join(LANGUAGES)}; argos: tiny packages (2+2 layers, d64, float32, random weights), default engine settings\n")
    rows = []
    checks = []
    for count in args.articles:
        subset = articles[:count]
        source_folder = WORK / f"articles-{count}"
        shutil.rmtree(source_folder, ignore_errors=True)
        source_folder.mkdir(parents=True)
        for path in subset:
            shutil.copy(path, source_folder / path.name)
        subset = [source_folder / p.name for p in subset]
        occurrences, distinct = distinct_sentences(subset)

        project = WORK / f"project-pseudo-{count}"
        names = fresh_project(project, subset)
        pseudo = run(project, ["run", *names, "--engine", "pseudo"], env, count_translators=False)

        project = WORK / f"project-argos-{count}"
        names = fresh_project(project, subset)
        argos = run(project, ["run", *names, "--engine", "argos"], env, count_translators=True)
        again = run(project, ["run", *names, "--engine", "argos"], env, count_translators=True)

        # CTranslate2's intra_threads=0 means 4 threads; this machine may have fewer cores.
        project = WORK / f"project-argos-threads-{count}"
        names = fresh_project(project, subset)
        threaded = run(project, ["run", *names, "--engine", "argos", "--threads", str(THREADS)], env, count_translators=False)

        per_model = argos["translators"] or {}
        checks.append([count, len(per_model), max(per_model.values(), default=0), sum((again["translators"] or {}).values())])
        rows.append([
            count, occurrences, distinct, distinct * len(LANGUAGES),
            pseudo["seconds"], pseudo["seconds"] / count, 1000 * pseudo["seconds"] / (distinct * len(LANGUAGES)),
            argos["seconds"], argos["seconds"] / count, 1000 * argos["seconds"] / (distinct * len(LANGUAGES)),
            again["seconds"],
            threaded["seconds"], argos["seconds"] / threaded["seconds"],
            f"{pseudo['exit']}/{argos['exit']}/{again['exit']}/{threaded['exit']}",
        ])
        print(f"  {count} articles done", file=sys.stderr, flush=True)

    print(table(
        ["articles", "sentences", "distinct (new)", "to translate (× 5 langs)",
         "pseudo s", "pseudo s/article", "pseudo ms/sentence×lang",
         "argos s", "argos s/article", "argos ms/sentence×lang",
         "argos re-run s (nothing new)", f"argos --threads {THREADS} s", "speed-up of --threads", "exit codes"],
        rows,
    ))
    print("\nModel loads (ctranslate2.Translator constructions counted in the argos run's process):")
    print(table(
        ["articles", "models loaded", "max loads of one model (expect 1)", "loads in the re-run (expect 0)"],
        checks,
    ))
    print("\nTimes are wall time of one `pipeline run` process (interpreter start, imports, extract, merge, translate, compile, bundle).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
