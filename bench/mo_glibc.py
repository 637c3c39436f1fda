"""`pipeline compile`'s .mo against GNU msgfmt's, asked through glibc's gettext/ngettext, on real catalogues.

    .venv/bin/python bench/mo_glibc.py /tmp/po/git/uk.po /tmp/po/git/de.po …

For every live message of each catalogue it asks glibc (the C harness
`tests/support/glibc_gettext.c`, built with gcc) the message as a C program
on this system asks it (`%<PRIuMAX>` spelled as glibc's <inttypes.h> spells
it here: `%lu` on x86-64 Linux; plurals for n = 1, 2, 5; msgctxt through
`ctx\\4msgid`), once with msgfmt's .mo and once with ours, and prints how
many answers differ. Nothing is asserted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

# glibc's <inttypes.h> on LP64 (x86-64, aarch64 Linux): what a C program's msgid holds after the preprocessor.
LP64 = {"MAX": "l", "PTR": "l", "64": "l", "LEAST64": "l", "FAST64": "l", "FAST16": "l", "FAST32": "l", "8": "", "16": "", "32": "",
        "LEAST8": "", "LEAST16": "", "LEAST32": "", "FAST8": ""}  # fmt: skip


def runtime(text: str) -> str:
    return re.sub(r"<PRI([diouxX])(\w+)>", lambda m: LP64[m[2]] + m[1], text)


def main(argv: list[str] | None = None) -> int:
    from pipeline.gettext.catalogue import open_catalogue
    from pipeline.gettext.mo import compile_catalogue

    files = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    with tempfile.TemporaryDirectory() as tmp:
        harness = Path(tmp) / "glibc_gettext"
        subprocess.run(["gcc", "-O1", "-o", str(harness), str(ROOT / "tests/support/glibc_gettext.c")], check=True)
        total = differ = 0
        print("| catalogue | queries | differ | system-dependent messages |\n|---|---:|---:|---:|")
        for path in files:
            for side in ("ours", "msgfmt"):
                os.makedirs(f"{tmp}/{side}/xx/LC_MESSAGES", exist_ok=True)
            subprocess.run(["msgfmt", "-o", f"{tmp}/msgfmt/xx/LC_MESSAGES/d.mo", str(path)], check=True)
            catalogue = open_catalogue(path)
            compile_catalogue(catalogue.po, Path(f"{tmp}/ours/xx/LC_MESSAGES/d.mo"))
            queries = []
            for entry in catalogue.po:
                if entry.obsolete or not entry.msgid or "\t" in entry.msgid + (entry.msgctxt or ""):
                    continue
                msgid = runtime(entry.msgid).replace("\n", "\\n")
                if entry.msgid_plural:
                    queries += [f"n\t{msgid}\t{runtime(entry.msgid_plural)}\t{n}".replace("\n", "\\n") for n in (1, 2, 5)]
                elif entry.msgctxt is not None:
                    queries.append(f"p\t{entry.msgctxt}\t{msgid}".replace("\n", "\\n"))
                else:
                    queries.append(f"g\t{msgid}")
            answers = {}
            for side in ("ours", "msgfmt"):
                answers[side] = subprocess.run(
                    [str(harness), f"{tmp}/{side}", "d"], input="\n".join(queries) + "\n", capture_output=True, text=True,
                    env={"LANGUAGE": "xx", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
                ).stdout.split("\n")  # fmt: skip
            wrong = sum(a != b for a, b in zip(answers["ours"], answers["msgfmt"]))
            sysdep = sum("<PRI" in e.msgid + e.msgid_plural for e in catalogue.po if not e.obsolete)
            total, differ = total + len(queries), differ + wrong
            print(f"| {path} | {len(queries)} | {wrong} | {sysdep} |")
    print(f"\n{total} queries, {differ} answers differ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
