"""Our merge against `msgmerge --previous` on real catalogues: kept translations, fuzzy suggestions, time.

Each case is an old catalogue and a newer one of the same language, whose
msgids (translations cleared) are the template, e.g. git's `po/uk.po` a
year apart (6,000+ messages):

    git -C git show 5b75ad9ee87d:po/uk.po > /tmp/old-uk.po; git -C git show HEAD:po/uk.po > /tmp/new-uk.po
    .venv/bin/python bench/merge_real.py /tmp/old-uk.po:/tmp/new-uk.po:uk [more old:new:lang ...]

For each case it prints: the translations msgmerge keeps and how many we
keep the same; msgmerge's fuzzy suggestions and how many we reproduce
exactly (same translation), miss (none) or pick otherwise; and both tools'
wall time (best of --repeat runs, same machine, same run), with their ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def state(po):
    return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())), "fuzzy" in e.flags) for e in po if not e.obsolete and e.msgid}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="+", help="OLD.po:NEW.po:LANG")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import polib

    from pipeline.gettext.catalogue import format_catalogue, open_catalogue, parse_catalogue
    from pipeline.gettext.languages import language
    from pipeline.gettext.merge import merge

    totals = [0] * 6
    print("| case | messages | kept (msgmerge) | same | fuzzy (msgmerge) | same | missed | other | ours s | msgmerge s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case in args.cases:
        old_path, new_path, code = case.rsplit(":", 2)
        template = parse_catalogue(Path(new_path).read_bytes()).po
        template[:] = [e for e in template if not e.obsolete]
        for entry in template:
            entry.msgstr, entry.msgstr_plural = "", ({0: "", 1: ""} if entry.msgid_plural else {})
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "t.pot"
            pot.write_text(format_catalogue(template), encoding="utf-8")
            theirs_time = ours_time = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                out = subprocess.run(["msgmerge", "--quiet", "--previous", "-o", "-", old_path, str(pot)], capture_output=True, text=True, check=True).stdout
                theirs_time = min(theirs_time, time.perf_counter() - start)
                start = time.perf_counter()
                merged, _ = merge(template, open_catalogue(Path(old_path)), language(code))
                ours_time = min(ours_time, time.perf_counter() - start)
        ours, theirs = state(merged), state(polib.pofile(out))
        kept = {k: v for k, v in theirs.items() if not v[2] and (v[0] or any(t for _, t in v[1]))}
        same_kept = sum(ours.get(k) == v for k, v in kept.items())
        fuzzy = {k: v for k, v in theirs.items() if v[2]}
        same = sum(ours.get(k) == v for k, v in fuzzy.items())
        missed = sum(not ours.get(k, ("",))[0] and not any(t for _, t in ours.get(k, ("", ()))[1]) for k in fuzzy)
        other = len(fuzzy) - same - missed
        for i, n in enumerate((len(kept), same_kept, len(fuzzy), same, missed, other)):
            totals[i] += n
        print(f"| {Path(old_path).name} → {Path(new_path).name} ({code}) | {len(template)} | {len(kept)} | {same_kept} | {len(fuzzy)} | {same} | {missed} | {other} | {ours_time:.2f} | {theirs_time:.2f} | {theirs_time / ours_time:.2f}× |")
    kept, same_kept, fuzzy, same, missed, other = totals
    print(f"\nkept {same_kept}/{kept}; fuzzy suggestions reproduced {same}/{fuzzy} ({100 * same / max(fuzzy, 1):.1f} %), missed {missed}, other {other}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
