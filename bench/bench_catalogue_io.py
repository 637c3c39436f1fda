"""Read and write one large real catalogue: polib's parser and writer against the pipeline's.

The catalogue is every entry of the Django catalogues under tests/data/realworld
(each file's entries given their own msgctxt, so they do not collide). CPU time,
best of 5, so that other processes on the machine count less.

    .venv/bin/python bench/bench_catalogue_io.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polib  # noqa: E402

from pipeline.gettext.writer import format_po  # noqa: E402
from pipeline.gettext.reader import parse_po  # noqa: E402


def best(function, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return min(times)


def main() -> int:
    big = polib.POFile()
    big.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for number, path in enumerate(sorted((ROOT / "tests" / "data" / "realworld").glob("*/*.po"))):
        for entry in parse_po(path.read_bytes(), path=str(path)).po:
            entry.msgctxt = f"{number}|{entry.msgctxt}"
            big.append(entry)
    text = format_po(big)
    data = text.encode("utf-8")
    po = parse_po(data).po
    polib_read, our_read = best(lambda: polib.pofile(text)), best(lambda: parse_po(data))
    polib_write, our_write = best(po.__unicode__), best(lambda: format_po(po))
    print(f"{len(po)} entries, {len(data)} bytes")
    print(f"read:  polib {polib_read:.3f} s, pipeline.gettext.reader {our_read:.3f} s ({polib_read / our_read:.2f}x)")
    print(f"write: polib {polib_write:.3f} s (polib's layout), pipeline.gettext.writer {our_write:.3f} s (gettext's layout)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
