"""Archive throughput: `pipeline translate` on the serial executor and on Ray with 1 and 2 local workers.

Same archive, same package, same run: a generated archive of --articles
articles (tests/archive_support.py: dated plain-text stories, one sentence
shared by all), extracted and merged once, then translated into uk by each
configuration from the same merged catalogues (restored byte for byte before
each). float32 by default, so the catalogues must be identical across
executors, and the bench checks that they are. Also measured: Ray's start
(`ray.init` of a local 2-CPU Ray) and its fixed cost per translate call on a
one-article project (actors started, model loaded in each, sentences shipped).

    .venv/bin/python bench/bench_archive.py                    # tiny package, 50 articles
    .venv/bin/python bench/bench_archive.py --size base        # the architecture of real Argos packages (slow on 2 cores)

Prints a JSON document; bench/RESULTS.md quotes it.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import _common as common  # noqa: E402


def project(folder: Path, articles: int) -> Path:
    from archive_support import write_archive

    folder.mkdir(parents=True)
    shutil.copy(common.ROOT / "pyproject.toml", folder / "pyproject.toml")
    write_archive(folder / "archive", articles)
    return folder


def prepared(folder: Path, settings) -> dict[Path, bytes]:
    from pipeline import workflow

    sources = sorted(str(p) for p in (folder / "archive").glob("*.txt"))
    workflow.extract(settings, sources)
    workflow.update(settings, languages=settings.languages)
    return {p: p.read_bytes() for p in (folder / "locale").rglob("*.po")}


def timed_translate(settings, merged: dict[Path, bytes]) -> tuple[float, int, dict[str, bytes]]:
    from pipeline import workflow

    for path, data in merged.items():
        path.write_bytes(data)
    start = time.perf_counter()
    report = workflow.translate(settings, languages=settings.languages)
    wall = time.perf_counter() - start
    assert not report.skipped, report.skipped
    sentences = sum(result.sentences for result in report.results)
    return wall, sentences, {str(p): p.read_bytes() for p in merged}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("tiny", "base"), default="tiny")
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--compute-type", default="float32")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    common.isolate_argos(work / "argos")
    common.install_packages([common.cached_package(args.size, "en", "uk")])
    from pipeline.settings import load_settings

    import ray

    results: dict = {"machine": common.machine(), "revision": common.revision(), "package": args.size, "compute_type": args.compute_type, "articles": args.articles}
    start = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR, object_store_memory=256 * 2**20)
    results["ray_init_s"] = round(time.perf_counter() - start, 2)

    configurations = {
        "serial": {"executor": "serial"},
        "ray, 1 worker (2 threads)": {"executor": "ray", "executors": {"ray": {"workers": 1, "cpus_per_worker": 2}}},
        "ray, 2 workers (1 thread each)": {"executor": "ray", "executors": {"ray": {"workers": 2, "cpus_per_worker": 1}}},
    }
    for label, articles in (("one article", 1), ("archive", args.articles)):
        folder = project(work / label.replace(" ", "-"), articles)
        base = load_settings(folder).with_overrides(languages=("uk",), compute_type=args.compute_type)
        merged = prepared(folder, base)
        if label == "one article":  # untimed: Ray's first worker processes and imports, paid once per cluster, not per call
            timed_translate(base.with_overrides(**configurations["ray, 2 workers (1 thread each)"]), merged)
        rows, outputs = {}, {}
        for name, overrides in configurations.items():
            wall, sentences, outputs[name] = timed_translate(base.with_overrides(**overrides), merged)
            rows[name] = {"wall_s": round(wall, 2), "sentences": sentences, "sentences_per_s": round(sentences / wall, 2)}
            print(f"{label}: {name}: {sentences} sentences in {wall:.1f} s", file=sys.stderr, flush=True)
        serial = rows["serial"]
        for name, row in rows.items():
            row["ratio_to_serial"] = round(row["sentences_per_s"] / serial["sentences_per_s"], 3)
            row["overhead_vs_serial_s"] = round(row["wall_s"] - serial["wall_s"], 2)
        results[label] = {"configurations": rows, "identical_catalogues": all(o == outputs["serial"] for o in outputs.values())}
    ray.shutdown()

    # Projection for N nodes of this machine's speed: every node runs 2 actors at the marginal rate measured here
    # (archive sentences over the archive's wall less the one-article wall, i.e. without the per-call fixed cost);
    # the fixed cost is the one-article run's wall (actor start + model load + shipping), paid once per call.
    archive = results["archive"]["configurations"]["ray, 2 workers (1 thread each)"]
    one = results["one article"]["configurations"]["ray, 2 workers (1 thread each)"]
    fixed = one["wall_s"]
    per_node = round((archive["sentences"] - one["sentences"]) / max(archive["wall_s"] - fixed, 1e-9), 2)
    results["ray_per_call_fixed_s"] = fixed
    results["ray_marginal_sentences_per_s_per_node"] = per_node
    sentences = 110_000
    results["projection_110k_sentences_h"] = {
        str(nodes): round((results["ray_init_s"] + fixed + sentences / (nodes * per_node)) / 3600, 2) for nodes in (1, 2, 4, 8, 16, 32)
    }
    results["projection_assumptions"] = (
        f"nodes like this one (2 cores, 2 actors each) at the marginal rate measured here ({per_node} sentences/s per node, {args.size} package, "
        f"{args.compute_type}); a fixed cost of ray.init + one call ({fixed} s) paid once (`translate`: one call per language; "
        "`archive` pays it once per chunk: add chunks x fixed); shipping and the driver's writes scale with sentences and are in the rate; "
        "the driver is not the bottleneck (its collect/apply/write of 110k sentences is minutes, not hours)"
    )
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if all(results[label]["identical_catalogues"] for label in ("one article", "archive")) else 1


if __name__ == "__main__":
    raise SystemExit(main())
