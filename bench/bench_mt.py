"""Machine translation throughput: naive argostranslate, bare CTranslate2, our ArgosEngine.

Uses a `base` en→uk package (the architecture of real Argos packages, random
int8 weights; built once into bench/out/packages/) and the seed article's
unique sentences. Every configuration runs in a child process of its own, so
its peak RSS is its own; the parent only orchestrates.

Phases:
1. search: bare CTranslate2 over batch_type × max_batch_size with
   intra_threads=2, then intra_threads=1 for the two best (inter_threads=1,
   beam 4, length penalty 0.2), one run each, plus a reference run with
   intra_threads=0 (CTranslate2's default, which ours uses by default);
2. compare: the best bare configuration, ours (default settings, and the best
   bare settings if they differ), ours --fast (beam 1) and naive argostranslate
   (`translate(paragraph)` once per block, its paragraph cache defeated), each
   run `--repeats` times, interleaved; medians are reported;
3. int8 agreement: ours batched vs one sentence at a time.

    .venv/bin/python bench/bench_mt.py            # about 7-8 minutes on 2 cores
    .venv/bin/python bench/bench_mt.py --quick    # about 4 minutes: no intra_threads=1 search, 1 repeat
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import _common as common  # noqa: E402
from _common import OUT, machine, median, table, verdict  # noqa: E402

HOME = OUT / "home-mt"
BEAM = 4
LENGTH_PENALTY = 0.2
EXAMPLE_SIZES = (8, 16, 32, 64)
TOKEN_SIZES = (512, 1024, 2048)


# --------------------------------------------------------------------------- children


def _article():
    from pipeline.article import read_article

    article = read_article(common.SEED_ARTICLE)
    sentences = list(dict.fromkeys(s.msgid for s in article.segments))
    blocks = [article.text[block.start : block.end] for block in article.blocks]
    return sentences, blocks


def _package_path() -> Path:
    from pipeline.engines.argos import packages as models

    return models.find_route("en", "uk")[0].path


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_bare(config: dict) -> dict:
    import ctranslate2
    import sentencepiece

    sentences, _ = _article()
    path = _package_path()
    started = time.perf_counter()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(path / "model"), device="cpu", compute_type="int8", inter_threads=1, intra_threads=config["intra_threads"]
    )
    loaded = time.perf_counter() - started
    options = dict(
        beam_size=config.get("beam_size", BEAM),
        length_penalty=LENGTH_PENALTY,
        replace_unknowns=True,
        max_batch_size=config["max_batch_size"],
        batch_type=config["batch_type"],
    )
    translator.translate_batch([sp.encode(sentences[0], out_type=str)], **options)  # warm-up
    started = time.perf_counter()
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    results = translator.translate_batch(tokens, **options)
    outputs = [sp.decode_pieces(r.hypotheses[0]) for r in results]
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "load_seconds": loaded,
        "sentences": len(sentences),
        "decoded": len(sentences),
        "target_tokens": sum(len(r.hypotheses[0]) for r in results),
        "rss_mib": _rss_mib(),
        "outputs": outputs,
    }


def child_ours(config: dict) -> dict:
    from pipeline.engines.argos import ArgosEngine

    sentences, _ = _article()
    started = time.perf_counter()
    engine = ArgosEngine(**config)
    engine.translate_batch([sentences[0]], source="en", target="uk")  # loads the model; warm-up
    loaded = time.perf_counter() - started
    leg = next(iter(engine._legs.values()))
    started = time.perf_counter()
    outputs = engine.translate_batch(sentences, source="en", target="uk")
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "load_seconds": loaded,
        "sentences": len(sentences),
        "decoded": len(sentences),
        "target_tokens": sum(len(leg.tokenizer.encode(o)) for o in outputs),  # re-encoded: ≈ tokens generated
        "rss_mib": _rss_mib(),
        "outputs": outputs,
    }


def child_naive(config: dict) -> dict:
    os.environ["ARGOS_COMPUTE_TYPE"] = "int8"  # as the package is built and as ours runs on CPU
    import argostranslate.translate as argos

    sentences, blocks = _article()
    started = time.perf_counter()
    translation = argos.get_translation_from_codes("en", "uk")
    argos.translate("Warm up.", "en", "uk")  # loads the model and the sentence splitter
    loaded = time.perf_counter() - started
    calls = {"paragraphs": 0}
    underlying = translation.underlying
    real = underlying.hypotheses

    def counted(text, num_hypotheses=4):
        calls["paragraphs"] += 1
        return real(text, num_hypotheses)

    underlying.hypotheses = counted
    splitter = underlying.sentencizer
    decoded = sum(len(splitter.split_sentences(line)) for block in blocks for line in block.split("\n") if line.strip())
    started = time.perf_counter()
    outputs = []
    for block in blocks:
        translation.cache = {}  # CachedTranslation keeps the previous call's paragraphs: never a hit
        outputs.append(argos.translate(block, "en", "uk"))
    seconds = time.perf_counter() - started
    expected = sum(1 for block in blocks for line in block.split("\n") if line.strip())
    if calls["paragraphs"] != expected:
        raise RuntimeError(f"argostranslate decoded {calls['paragraphs']} paragraphs, expected {expected}: cache hit?")
    tokenizer = underlying.pkg.tokenizer
    return {
        "seconds": seconds,
        "load_seconds": loaded,
        "sentences": len(sentences),
        "decoded": decoded,
        "target_tokens": sum(len(tokenizer.encode(o)) for o in outputs),  # re-encoded: ≈ tokens generated
        "rss_mib": _rss_mib(),
        "outputs": outputs,
    }


def child_agreement(config: dict) -> dict:
    from pipeline.engines.argos import ArgosEngine

    sentences, _ = _article()
    batched = ArgosEngine(**config).translate_batch(sentences, source="en", target="uk")
    alone_engine = ArgosEngine(**config)
    alone = [alone_engine.translate_batch([s], source="en", target="uk")[0] for s in sentences]
    return {"same": sum(a == b for a, b in zip(batched, alone)), "sentences": len(sentences)}


CHILDREN = {"bare": child_bare, "ours": child_ours, "naive": child_naive, "agreement": child_agreement}


# --------------------------------------------------------------------------- parent


def run_child(kind: str, config: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, json.dumps(config)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {kind} {config} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def label(kind: str, config: dict) -> str:
    if kind == "bare":
        beam = f", beam {config['beam_size']}" if config.get("beam_size", BEAM) != BEAM else ""
        return f"bare ct2 {config['batch_type']} {config['max_batch_size']}, intra {config['intra_threads']}{beam}"
    if kind == "ours":
        settings = ", ".join(f"{k}={v}" for k, v in config.items()) or "defaults"
        return f"ours ArgosEngine ({settings})"
    return "naive argostranslate.translate per block"


def prepare() -> None:
    common.isolate_argos(HOME)
    package = common.cached_package("base", "en", "uk")
    installed = HOME / "argos-packages"
    if not any(installed.glob("*/metadata.json")):
        common.install_packages([package])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="search intra_threads=2 only, 1 repeat")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved runs per compared configuration (default 3, 1 with --quick)")
    parser.add_argument("--pairs", type=int, default=None, help="extra back-to-back runs of best bare and ours default (default 3, 0 with --quick)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        common.isolate_argos(HOME)
        kind, config = args.child
        print(json.dumps(CHILDREN[kind](json.loads(config)), ensure_ascii=False))
        return 0

    repeats = args.repeats or (1 if args.quick else 3)
    if args.pairs is None:
        args.pairs = 0 if args.quick else 3
    prepare()
    began = time.perf_counter()
    print(f"machine: {machine()}")
    print(f"model: base en→uk (6+6 layers, d512, int8, random weights); sentences: seed article's unique sentences\n")

    # 1. search: every batch setting with intra_threads=2; intra_threads=1 (about half as
    # fast on 2 cores) only with the two best of those, to keep the script under 8 minutes.
    def search(configs):
        found = []
        for config in configs:
            result = run_child("bare", config)
            found.append((config, result))
            print(f"  search {label('bare', config)}: {result['seconds']:.2f} s", file=sys.stderr, flush=True)
        return found

    searched = search(
        {"batch_type": batch_type, "max_batch_size": size, "intra_threads": 2}
        for batch_type, sizes in (("examples", EXAMPLE_SIZES), ("tokens", TOKEN_SIZES))
        for size in sizes
    )
    if not args.quick:
        leaders = sorted(searched, key=lambda item: item[1]["seconds"])[:2]
        searched += search({**config, "intra_threads": 1} for config, _ in leaders)
    best_config = min(searched, key=lambda item: item[1]["seconds"])[0]
    # CTranslate2's intra_threads=0 ("default") with ours' batch settings: a reference, not a candidate.
    default_reference = search([{"batch_type": "examples", "max_batch_size": 32, "intra_threads": 0}])
    print("Phase 1, search (one run each; bare CTranslate2, beam 4; the last row is a reference: intra_threads=0 as in ours' default):")
    print(table(
        ["configuration", "s", "sentences/s", "target tokens/s", "peak RSS MiB"],
        [[label("bare", c), r["seconds"], r["sentences"] / r["seconds"], r["target_tokens"] / r["seconds"], r["rss_mib"]] for c, r in searched + default_reference],
    ))
    print(f"best bare: {label('bare', best_config)}\n")

    # 2. compare
    ours_best = {"max_batch_size": best_config["max_batch_size"], "batch_type": best_config["batch_type"], "threads": best_config["intra_threads"]}
    compared = {
        "best bare": ("bare", best_config),
        "ours default": ("ours", {}),
        "naive": ("naive", {}),
        "ours --fast": ("ours", {"beam_size": 1}),
    }
    if ours_best != {"max_batch_size": 32, "batch_type": "examples", "threads": 0}:
        compared["ours, best bare settings"] = ("ours", ours_best)
        compared["ours --fast, best bare settings"] = ("ours", {**ours_best, "beam_size": 1})
    if ours_best != {"max_batch_size": 1024, "batch_type": "tokens", "threads": 0}:
        compared["ours, tokens 1024 (less memory)"] = ("ours", {"max_batch_size": 1024, "batch_type": "tokens"})
    runs: dict[str, list[dict]] = {name: [] for name in compared}
    pair_ratios: list[float] = []  # best bare time / ours default time, run back to back
    rng = random.Random(0)

    def run_pair(tag: str) -> None:
        pair = ["best bare", "ours default"]
        rng.shuffle(pair)
        for name in pair:
            kind, config = compared[name]
            runs[name].append(run_child(kind, config))
            print(f"  {tag} {name}: {runs[name][-1]['seconds']:.2f} s", file=sys.stderr, flush=True)
        pair_ratios.append(runs["best bare"][-1]["seconds"] / runs["ours default"][-1]["seconds"])

    # On a shared machine the load drifts: the two configurations the 0.95 target
    # compares always run back to back, and their per-pair ratios are reported too.
    units = [name for name in compared if name not in ("best bare", "ours default")] + ["pair"]
    for repeat in range(repeats):
        rng.shuffle(units)
        for name in units:
            tag = f"repeat {repeat + 1}/{repeats}"
            if name == "pair":
                run_pair(tag)
                continue
            kind, config = compared[name]
            runs[name].append(run_child(kind, config))
            print(f"  {tag} {name}: {runs[name][-1]['seconds']:.2f} s", file=sys.stderr, flush=True)
    for extra in range(args.pairs):
        run_pair(f"extra pair {extra + 1}/{args.pairs}")

    def summary(name):
        results = runs[name]
        seconds = median([r["seconds"] for r in results])
        first = results[0]
        return {
            "seconds": seconds,
            "sps": first["sentences"] / seconds,
            "tps": median([r["target_tokens"] for r in results]) / seconds,
            "rss": median([r["rss_mib"] for r in results]),
            "load": median([r["load_seconds"] for r in results]),
            "decoded": first["decoded"],
            "spread": (min(r["seconds"] for r in results), max(r["seconds"] for r in results)),
        }

    stats = {name: summary(name) for name in compared}
    print(f"Phase 2, compare (median of {repeats} interleaved run(s) (best bare and ours default: {repeats + args.pairs}), each in its own process; time excludes model load):")
    rows = []
    for name, (kind, config) in compared.items():
        s = stats[name]
        rows.append([name, label(kind, config), s["seconds"], f"{s['spread'][0]:.2f}–{s['spread'][1]:.2f}", s["decoded"], s["sps"], s["tps"], s["rss"], s["load"]])
    print(table(["run", "configuration", "s (median)", "min–max", "sentences decoded", "sentences/s", "target tokens/s", "peak RSS MiB", "load+warm-up s"], rows))

    def ratio(a, b):
        return stats[b]["seconds"] / stats[a]["seconds"]

    ratios = [
        ["ours default / best bare (speed, ratio of medians)", ratio("ours default", "best bare"), "≥ 0.95", True],
        [f"ours default / best bare (speed, median of {len(pair_ratios)} back-to-back pairs)", median(pair_ratios), "≥ 0.95", True],
        ["ours default / naive (speed)", ratio("ours default", "naive"), "≥ 2.4", True],
        ["ours --fast / naive (speed)", ratio("ours --fast", "naive"), "≥ 5", True],
        ["RSS ours default / bare with the same settings (examples 32, intra 0; search row)", stats["ours default"]["rss"] / default_reference[0][1]["rss_mib"], "≤ 1.2", False],
        ["RSS ours default / best bare", stats["ours default"]["rss"] / stats["best bare"]["rss"], "≤ 1.2", False],
    ]
    if "ours, best bare settings" in stats:
        ratios += [
            ["ours, best bare settings / best bare (speed)", ratio("ours, best bare settings", "best bare"), "≥ 0.95", True],
            ["ours, best bare settings / naive (speed)", ratio("ours, best bare settings", "naive"), "≥ 2.4", True],
            ["ours --fast, best bare settings / naive (speed)", ratio("ours --fast, best bare settings", "naive"), "≥ 5", True],
            ["RSS ours, best bare settings / best bare", stats["ours, best bare settings"]["rss"] / stats["best bare"]["rss"], "≤ 1.2", False],
        ]
    print("\nRatios (speed = inverse time ratio, same sentences):")
    print(table(
        ["ratio", "value", "target", "verdict"],
        [[name, value, target, verdict(value, float(target.split()[-1]), at_least=at_least)] for name, value, target, at_least in ratios],
    ))

    # 3. agreement
    agreement = run_child("agreement", {})
    print(f"\nint8 agreement, ours batched vs one sentence at a time (default settings): "
          f"{agreement['same']}/{agreement['sentences']} identical ({agreement['same'] / agreement['sentences']:.0%})")
    if (ours_best["batch_type"], ours_best["max_batch_size"]) != ("examples", 32):
        agreement = run_child("agreement", ours_best)
        print(f"int8 agreement with the best bare settings: {agreement['same']}/{agreement['sentences']} identical")
    print(f"\ntotal wall time: {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
