"""Error findings of every QA check on real software catalogues (`po/<lang>.po` folders), with a sample to judge.

The catalogues are not shipped here (their projects' licences); bring them with
`git show` from the projects' repositories, e.g.

    mkdir -p /tmp/po/git && for l in uk pl de fr zh_CN ru; do git -C git show HEAD:po/$l.po > /tmp/po/git/$l.po; done
    .venv/bin/python bench/checks_real.py /tmp/po/git /tmp/po/gnome-calculator /tmp/po/mousepad
    .venv/bin/python bench/checks_real.py /tmp/po/git --sample 40 --check numbers

Only files GNU `msgfmt -c` accepts are counted (so every error finding
is one msgfmt did not make), and the language is the file's name
(`sr@latin.po` → sr@latin). It prints, per check, the findings of each
severity and the number of files with an error; `--sample` prints a
seeded random sample of one check's findings (source, target, message)
to be judged by hand. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--check")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args(argv)

    from pipeline import checks
    from pipeline.errors import PipelineError
    from pipeline.gettext.catalogue import open_catalogue

    counts: Counter = Counter()
    failing: Counter = Counter()
    files = refused = entries = 0
    found = []
    for folder in args.folders:
        for path in sorted(folder.glob("*.po")):
            if subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode:
                refused += 1
                continue
            try:
                catalogue = open_catalogue(path)
                language = path.stem
                findings = checks.check_catalogue(catalogue.po, language=language, path=str(path))
            except PipelineError:
                refused += 1
                continue
            files += 1
            entries += sum(1 for e in catalogue.po if checks.is_checked(e))
            by_line = {e.linenum: e for e in catalogue.po}
            with_error = set()
            for finding in findings:
                counts[(finding.check, finding.severity)] += 1
                if finding.severity == "error" and not finding.fuzzy:
                    with_error.add(finding.check)
                if finding.check == args.check:
                    entry = by_line.get(finding.line)
                    found.append((str(path), finding.msgid, entry.msgstr if entry else "", finding.message))
            for check in with_error:
                failing[check] += 1
    print(f"{files} catalogues ({entries} checked entries); {refused} left out (msgfmt -c refuses them or they cannot be read)")
    print("| check | severity | findings | files with a non-fuzzy error |")
    print("|---|---|---:|---:|")
    for (check, severity), n in sorted(counts.items()):
        print(f"| {check} | {severity} | {n} | {failing[check] if severity == 'error' else ''} |")
    if args.sample and found:
        random.Random(args.seed).shuffle(found)
        for path, source, target, message in found[: args.sample]:
            print(f"\n{path}\n  source: {source[:160]!r}\n  target: {target[:160]!r}\n  {message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
