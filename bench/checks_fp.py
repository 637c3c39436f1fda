"""Run every QA check over real catalogues and count the findings per check and language.

The catalogues are Django's and Sphinx's (both BSD licence), which are not
shipped here; fetch them once:

    pip download --no-deps -d /tmp/dj django==5.1.4
    (cd /tmp/dj && unzip -q -o Django-5.1.4-py3-none-any.whl 'django/conf/locale/*' 'django/contrib/*/locale/*')
    .venv/bin/python bench/checks_fp.py /tmp/dj/django
    pip download --no-deps -d /tmp/sphinx sphinx==8.1.3
    (cd /tmp/sphinx && unzip -q -o sphinx-8.1.3-py3-none-any.whl 'sphinx/locale/*')
    .venv/bin/python bench/checks_fp.py /tmp/sphinx/sphinx

For Django, each language's ``conf/locale/<lang>/LC_MESSAGES/django.po`` and the
``django.po`` of the contrib apps in ``--apps`` (admin, humanize by default); for
Sphinx (a folder whose ``locale/`` holds ``sphinx.po`` files), each language's
``locale/<lang>/LC_MESSAGES/sphinx.po``. The script runs :func:`pipeline.checks.check_catalogue` with no glossary, and prints a
Markdown table of findings per check (rows) and language (columns).
``--dump CHECK`` prints every finding of one check (source, target, message),
so that a sample can be judged entry by entry. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH, so another checkout can be measured

LANGUAGES = ("ja", "zh_Hans", "ko", "ar", "hi", "hy", "el", "uk", "ru", "fr", "de")
SPHINX_LANGUAGES = ("ja", "zh_CN", "ko", "ar", "fa", "hi", "el", "uk_UA", "ru", "fr", "de")
APPS = ("admin", "humanize")


def catalogues(django: Path, language: str, apps: tuple[str, ...]) -> list[Path]:
    """The catalogues of *language* that exist: Django's core one, then the apps'; or Sphinx's one."""
    if (django / "locale" / "sphinx.pot").exists():
        return [path for path in [django / "locale" / language / "LC_MESSAGES" / "sphinx.po"] if path.exists()]
    paths = [django / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"]
    paths += [django / "contrib" / app / "locale" / language / "LC_MESSAGES" / "django.po" for app in apps]
    return [path for path in paths if path.exists()]


def commit(where: Path = ROOT) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("django", type=Path, help="the unpacked django/ (or sphinx/) package folder")
    parser.add_argument("--lang", nargs="*", help="languages (default: 11 in several scripts)")
    parser.add_argument("--apps", nargs="*", default=list(APPS))
    parser.add_argument("--dump", metavar="CHECK", help="print every finding of this check")
    args = parser.parse_args(argv)
    sphinx = (args.django / "locale" / "sphinx.pot").exists()
    args.lang = args.lang or list(SPHINX_LANGUAGES if sphinx else LANGUAGES)

    import polib

    from pipeline import checks

    counts: dict[str, Counter] = {}
    entries: Counter = Counter()
    for language in args.lang:
        counts[language] = Counter()
        for path in catalogues(args.django, language, tuple(args.apps)):
            po = polib.pofile(str(path))
            entries[language] += sum(1 for entry in po if checks.is_checked(entry))
            by_line = {entry.linenum: entry for entry in po}
            for finding in checks.check_catalogue(po, language=language, path=str(path)):
                counts[language][finding.check] += 1
                if finding.check == args.dump:
                    entry = by_line.get(finding.line)
                    target = (entry.msgstr or next(iter(entry.msgstr_plural.values()), "")) if entry else ""
                    print(f"--- {language} {path.parent.parent.parent.parent.name if not sphinx else 'sphinx'}:{finding.line}\n"
                          f"  S: {finding.msgid!r}\n  T: {target!r}\n  -> {finding.message}")

    names = [check.id for check in checks.CHECKS.values()]
    print(f"\ncode: {Path(checks.__file__).parent.parent} at {commit(Path(checks.__file__).parent)}; catalogues: {args.django} ({'sphinx.po' if sphinx else 'conf + ' + ', '.join(args.apps)}); no glossary\n")
    print("| check | " + " | ".join(args.lang) + " | total |")
    print("| --- |" + " ---: |" * (len(args.lang) + 1))
    print("| *entries checked* | " + " | ".join(str(entries[lang]) for lang in args.lang) + f" | {sum(entries.values())} |")
    for name in names:
        row = [counts[lang][name] for lang in args.lang]
        print(f"| `{name}` | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
