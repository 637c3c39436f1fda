"""Markdown and HTML articles through this pipeline and through the anchors, side by side.

For each test article (seeds/valley-floods.md, seeds/harbour-storm.html)
and each tool that handles its format — this pipeline, mdpo (md2po/po2md),
po4a (text -o markdown, xhtml) and translate-toolkit (html2po/po2html) — the
article is extracted, every msgstr is set to its msgid, the article is
rebuilt, and the result is compared with the source byte for byte (and, for
HTML, element by element as html.parser reads it). It also counts what the
translator is shown that is not prose: msgids holding a URL or path, a
photo credit, code, or front-matter keys other than title/description.

    .venv/bin/python bench/bench_anchors.py [--mdpo DIR] [--po4a DIR]

mdpo and po4a are not project dependencies: install them apart (for
example `python3 -m venv /tmp/anchors && /tmp/anchors/bin/pip install
mdpo==2.1.4`, `apt-get install po4a`) and give their bin folders. Each
tool's files are written under bench/out/anchors/.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "anchors"
ARTICLES = {"md": ROOT / "seeds" / "valley-floods.md", "html": ROOT / "seeds" / "harbour-storm.html"}


def fill(pot: Path, po: Path) -> polib.POFile:
    """Write *po*: the template with every msgstr = msgid (the identity translation)."""
    catalogue = polib.pofile(str(pot))
    for entry in catalogue:
        if entry.msgid and not entry.obsolete:
            entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save(str(po))
    return catalogue


def ours(source: Path, work: Path) -> tuple[bytes, list[str]]:
    from pipeline.article import encode, read_article, render

    article = read_article(source)
    return encode(article, render(article, {})), [s.msgid for s in article.segments]


def run(*command: str, cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip()[-300:]}")


def mdpo(source: Path, work: Path, bin_dir: Path) -> tuple[bytes, list[str]]:
    run(str(bin_dir / "md2po"), source.name, "--save", "-p", "md.pot", cwd=work)
    catalogue = fill(work / "md.pot", work / "md.po")
    run(str(bin_dir / "po2md"), source.name, "-p", "md.po", "-s", "out.md", cwd=work)
    return (work / "out.md").read_bytes(), [e.msgid for e in catalogue if e.msgid]


def po4a(source: Path, work: Path, bin_dir: Path, kind: str) -> tuple[bytes, list[str]]:
    options = ["-f", "text", "-o", "markdown"] if kind == "md" else ["-f", "xhtml"]
    run(str(bin_dir / "po4a-updatepo"), *options, "-m", source.name, "-M", "UTF-8", "-p", "po4a.pot", cwd=work)
    catalogue = fill(work / "po4a.pot", work / "po4a.po")
    run(str(bin_dir / "po4a-translate"), *options, "-m", source.name, "-M", "UTF-8", "-p", "po4a.po", "-l", "out", "-k", "0", cwd=work)
    return (work / "out").read_bytes(), [e.msgid for e in catalogue if e.msgid]


def toolkit(source: Path, work: Path) -> tuple[bytes, list[str]]:
    bin_dir = Path(sys.executable).parent
    run(str(bin_dir / "html2po"), "--progress=none", source.name, "tt.pot", cwd=work)
    catalogue = fill(work / "tt.pot", work / "tt.po")
    run(str(bin_dir / "po2html"), "--progress=none", "-t", source.name, "tt.po", "out.html", cwd=work)
    return (work / "out.html").read_bytes(), [e.msgid for e in catalogue if e.msgid]


def tags(page: str) -> list:
    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append(("start", tag, sorted(attrs)))

        def handle_endtag(self, tag):
            found.append(("end", tag))

    Tags().feed(page)
    return found


def shown(msgids: list[str]) -> dict[str, int]:
    """How many msgids show the translator something that is not prose."""
    def count(*needles):
        return sum(1 for m in msgids if any(n in m for n in needles))

    return {
        "url or path": count("http", "/images/", ".jpg", "example.org", "#note"),
        "credit": count("(Photo", "Photo:", "Reuters", "/AP)"),
        "code": count("curl"),
        "other front matter": count("author:", "tags:", "date:", "image:"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mdpo", type=Path, help="folder holding md2po and po2md")
    parser.add_argument("--po4a", type=Path, help="folder holding po4a-updatepo and po4a-translate")
    args = parser.parse_args()
    mdpo_bin = args.mdpo or (Path(shutil.which("md2po")).parent if shutil.which("md2po") else None)
    po4a_bin = args.po4a or (Path(shutil.which("po4a-updatepo")).parent if shutil.which("po4a-updatepo") else None)
    tools = {
        "md": [("this pipeline", lambda s, w: ours(s, w)), ("mdpo 2.1", lambda s, w: mdpo(s, w, mdpo_bin) if mdpo_bin else None),
               ("po4a (text -o markdown)", lambda s, w: po4a(s, w, po4a_bin, "md") if po4a_bin else None)],
        "html": [("this pipeline", lambda s, w: ours(s, w)), ("po4a (xhtml)", lambda s, w: po4a(s, w, po4a_bin, "html") if po4a_bin else None),
                 ("translate-toolkit html2po/po2html", lambda s, w: toolkit(s, w))],
    }
    print("| article | tool | msgids | identity byte-exact | lines differing | same elements (html.parser) | msgids showing a URL or path / credit / code / other front matter |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind, source in ARTICLES.items():
        for name, tool in tools[kind]:
            work = OUT / kind / name.split()[0]
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            shutil.copy(source, work / source.name)
            try:
                result = tool(work / source.name, work)
            except (RuntimeError, OSError, UnicodeDecodeError) as error:
                print(f"| {source.name} | {name} | failed: {error} | | | | |")
                continue
            if result is None:
                print(f"| {source.name} | {name} | not installed | | | | |")
                continue
            rebuilt, msgids = result
            original = source.read_bytes()
            text_a, text_b = original.decode("utf-8"), rebuilt.decode("utf-8", "replace")
            differing = sum(1 for line in difflib.ndiff(text_a.splitlines(), text_b.splitlines()) if line[:1] in "+-")
            same = "yes" if kind != "html" or tags(text_a) == tags(text_b) else "no"
            counts = shown(msgids)
            print(f"| {source.name} | {name} | {len(msgids)} | {'yes' if rebuilt == original else 'no'} | {differing} | "
                  f"{same if kind == 'html' else '—'} | {' / '.join(str(v) for v in counts.values())} |")


if __name__ == "__main__":
    main()
