"""Bundle formats: one writer function per format, registered by name in `FORMATS`."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Callable, Sequence

from pipeline.article import encode, render
from pipeline.article.protect import strip_markup
from pipeline.bundle.manifest import MANIFEST, dump_json
from pipeline.bundle.model import ArticleBundle, LanguageBundle
from pipeline.errors import ConfigError


@dataclass(frozen=True)
class Format:
    """A bundle format: per language (`LanguageBundle -> bytes`) or per article (`ArticleBundle -> bytes`)."""

    name: str
    scope: str  # "language" or "article"
    function: Callable


FORMATS: dict[str, Format] = {}


def writer(name: str, *, scope: str = "language") -> Callable[[Callable], Callable]:
    """Register a format writer under *name* (also the file extension).

    A `language` writer turns a LanguageBundle into the bytes of
    `<lang>/<domain>.<name>`; an `article` writer turns the ArticleBundle
    into `<domain>.<name>` beside the bundle folder. Formats are written in
    the order registered (the default `--format`).
    """

    def register(function: Callable) -> Callable:
        FORMATS[name] = Format(name, scope, function)
        return function

    return register


def remove_writer(name: str) -> Format:
    """Remove the format *name* from the registry and return it; KeyError when none is registered."""
    return FORMATS.pop(name)


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """`txt,json` → ("txt", "json"), validated against the registry; None → every format."""
    if value is None:
        return tuple(FORMATS)
    items = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    chosen = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in FORMATS:
            raise ConfigError(f"--format: {item!r} is not a bundle format; choose from {', '.join(FORMATS)} (comma-separated).")
        if item not in chosen:
            chosen.append(item)
    if not chosen:
        raise ConfigError(f"--format: no format given; choose from {', '.join(FORMATS)}.")
    return tuple(chosen)


@writer("txt")
def write_txt(bundle: LanguageBundle) -> bytes:
    """The article in the source's own layout (blank lines, line endings, BOM, credits); plain text of a marked-up one."""
    if bundle.article.format == "html":  # an HTML page as text: its blocks, markup left out
        blocks = [strip_markup(b["text"]) + (f" ({b['caption_credit']})" if b["caption_credit"] else "") for b in bundle.structure["blocks"]]
        return ("\n\n".join(blocks) + "\n").encode("utf-8")
    return encode(bundle.article, render(bundle.article, bundle.published))


@writer("json")
def write_json(bundle: LanguageBundle) -> bytes:
    """The article's structure: headline, blocks with role, sentences and credit."""
    return dump_json(bundle.structure).encode("utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # & : no entity; ~ : no ~~~ fence or ~~strike~~
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)]))", re.MULTILINE)


def _md(text: str) -> str:
    """*text* as Markdown that renders as exactly *text* (CommonMark escapes; a list number keeps its digits)."""
    def line_start(match: re.Match) -> str:
        if match.group(2):
            return f"{match.group(1)}\\{match.group(2)}"
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"

    return _MD_LINE_START.sub(line_start, _MD_SPECIAL.sub(r"\\\1", text))


def _md_inline(text: str) -> str:
    """*text* escaped for a place inside a line (after `*`), where a list number or `#` means nothing."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@writer("md")
def write_md(bundle: LanguageBundle) -> bytes:
    """Markdown: the headline as a heading, paragraphs, captions as quotes with their credit.

    A Markdown source is published as itself with its sentences translated.
    """
    if bundle.article.format == "md":
        return encode(bundle.article, render(bundle.article, bundle.published))
    lines = []
    for block in bundle.structure["blocks"]:
        if block["role"] == "headline":
            # a heading's trailing `#`s would close it (`# a #` is "a"): escape each of them
            text = strip_markup(block["text"])
            body = text.rstrip("#")
            lines.append(f"# {_md(body)}" + "\\#" * (len(text) - len(body)))
            if bundle.date:  # the story's own date; none when unknown
                lines.append("")
                lines.append(f"*{_md_inline(bundle.date)}*")
        elif block["role"] == "caption":
            credit = f" — {_md(block['caption_credit'])}" if block["caption_credit"] else ""
            lines.append(f"> *{_md(strip_markup(block['text']))}*{credit}")
        else:
            lines.append(_md(strip_markup(block["text"])))
        lines.append("")
    return "\n".join(lines).encode("utf-8")


_HTML_STYLE = (
    "body{font:1.1rem/1.6 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.9rem;line-height:1.25}time{color:#666}"
    "figure{margin:1.5rem 0;padding:.6rem 1rem;border-left:4px solid #999;background:#f5f5f5}"
    "figcaption{font-style:italic}.credit{font-style:normal;color:#555;font-size:.9rem}"
)


@writer("html")
def write_html(bundle: LanguageBundle) -> bytes:
    """A clean article page with `lang` and `dir`, every string escaped, no external asset.

    An HTML source is published as itself with its sentences translated and
    `lang` and `dir` on its root element.
    """
    e = html.escape
    if bundle.article.format == "html":
        page = render(bundle.article, bundle.published, language=bundle.language.code, direction=bundle.text_direction)
        return encode(bundle.article, page)
    body = []
    for block in bundle.structure["blocks"]:
        text = e(strip_markup(block["text"]))
        if block["role"] == "headline":
            date = bundle.structure.get("date")
            stamp = f'\n<p><time datetime="{e(date)}">{e(bundle.date)}</time></p>' if bundle.date and date else ""
            body.append(f"<h1>{text}</h1>{stamp}")
        elif block["role"] == "caption":
            credit = f' <span class="credit">{e(block["caption_credit"])}</span>' if block["caption_credit"] else ""
            body.append(f"<figure><figcaption>{text}{credit}</figcaption></figure>")
        else:
            body.append(f"<p>{text}</p>")
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(bundle.language.code.replace("_", "-"))}" dir="{e(bundle.text_direction)}">\n'
        '<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(strip_markup(bundle.structure['headline']))}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n"
        "<body>\n<article>\n" + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


@writer("mo")
def write_mo(bundle: LanguageBundle) -> bytes:
    """The compiled catalogue, holding exactly the published translations."""
    return bundle.mo


@writer("zip", scope="article")
def write_zip(bundle: ArticleBundle) -> bytes:
    """One archive `<domain>.zip` holding the whole bundle and its manifest (fixed timestamps, see `writing.archive_timestamp`: same input, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted({**bundle.files, MANIFEST: bundle.manifest}.items()):
            info = zipfile.ZipInfo(f"{bundle.domain}/{name}", date_time=bundle.timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()

