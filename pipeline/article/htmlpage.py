"""The HTML reader (`html`): a CMS export or any HTML page, read by the standard library's html.parser.

html.parser reports where each tag, text run, entity and comment starts, so
every piece of the page has exact offsets and whatever is not translated is
copied byte for byte. Roles: `<h1>` and `<title>` are headlines;
`<figcaption>` is a caption (an element with class `credit`, or a credit
pattern at its end, is kept out); any other run of text and inline
elements is body. An `<img>` standing alone (in a `<figure>`) gives its
`alt` and `title` as captions. Inline elements (`<a>`, `<em>`, `<abbr>`,
`<sup>` …) are placeholders; `<code>`, `<script>`, `<style>`, `<pre>` and the
like are never translated; attributes other than an image's `alt` and
`title` are never msgids.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Callable

from pipeline.article.inline import MarkupSegment, Piece, line_finder, markup_blocks, plain_blocks, render_markup
from pipeline.article.model import Article, Block
from pipeline.article.readers import register_reader

INLINE = frozenset(
    "a abbr acronym b bdi bdo big br cite code data del dfn em font i img ins kbd label mark q s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
"""Phrasing elements: inside a sentence they are placeholders; every other element ends a run of text."""

UNTRANSLATED = frozenset("script style pre code textarea template svg math noscript iframe object select".split())
"""Elements whose content is never translated (inside a sentence the whole element is one placeholder)."""

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

ROLE_OF = {"h1": "headline", "title": "headline", "figcaption": "caption"}
CREDIT_CLASSES = frozenset({"credit", "photo-credit", "wp-caption-credit", "image-credit"})


@dataclass(frozen=True)
class _Event:
    kind: str  # "start", "startend", "end", "data", "ref", "comment", "other"
    start: int
    end: int
    tag: str = ""
    attrs: tuple = ()
    raw: str = ""


class _Scanner(HTMLParser):
    """Every construct html.parser meets, with its start offset (its end is where the next one starts)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.found: list[tuple] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.found.append(("start", self._at(), tag, tuple(attrs), self.get_starttag_text() or ""))

    def handle_startendtag(self, tag, attrs):
        self.found.append(("startend", self._at(), tag, tuple(attrs), self.get_starttag_text() or ""))

    def handle_endtag(self, tag):
        self.found.append(("end", self._at(), tag, (), ""))

    def handle_data(self, data):
        self.found.append(("data", self._at(), "", (), ""))

    def handle_entityref(self, name):
        self.found.append(("ref", self._at(), "", (), ""))

    def handle_charref(self, name):
        self.found.append(("ref", self._at(), "", (), ""))

    def handle_comment(self, data):
        self.found.append(("comment", self._at(), "", (), ""))

    def handle_decl(self, decl):
        self.found.append(("other", self._at(), "", (), ""))

    def handle_pi(self, data):
        self.found.append(("other", self._at(), "", (), ""))

    def unknown_decl(self, data):
        self.found.append(("other", self._at(), "", (), ""))


def scan(text: str) -> list[_Event]:
    """The page as html.parser reads it, each construct with its exact offsets."""
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    found = sorted(scanner.found, key=lambda f: f[1])
    events = []
    for index, (kind, start, tag, attrs, raw) in enumerate(found):
        end = found[index + 1][1] if index + 1 < len(found) else len(text)
        if kind in ("start", "startend") and raw:
            end = start + len(raw)
        events.append(_Event(kind, start, end, tag, attrs, raw))
    return events


def attribute_spans(raw: str) -> dict[str, tuple[int, int, str]]:
    """Each attribute of a raw start tag: (start, end) of its value as written (quotes included) and its quote.

    Uses html.parser's own attribute grammar, so the spans are those of the
    attributes html.parser reported.
    """
    from html.parser import attrfind_tolerant, tagfind_tolerant  # type: ignore[attr-defined]

    spans: dict[str, tuple[int, int, str]] = {}
    match = tagfind_tolerant.match(raw, 1)
    if match is None:
        return spans
    position = match.end()
    while position < len(raw):
        found = attrfind_tolerant.match(raw, position)
        if not found or found.end() == position:
            break
        name, rest, value = found.group(1, 2, 3)
        if rest and value is not None:
            quote = value[:1] if value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) > 1 else ""
            spans.setdefault(name.lower(), (found.start(3), found.end(3), quote))
        position = found.end()
    return spans


def _role(stack: list[str]) -> str:
    for tag in reversed(stack):
        if tag in ROLE_OF:
            return ROLE_OF[tag]
        if tag in ("p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt"):
            return "body"
    return "body"


def read_html(text: str, *, path: str, credit: re.Pattern[str], language: str) -> typing.Iterator[Block]:
    """Yield the headline, paragraphs and captions of an HTML page, inline markup as placeholders."""
    line_of = line_finder(text)
    events = scan(text)
    blocks: list[Block] = []
    stack: list[str] = []  # open block elements
    unit: list[Piece] | None = None
    unit_role = "body"
    images: list[_Event] = []
    inline_open: list[tuple[str, int]] = []
    skipping: tuple[str, int, int, str] | None = None  # (tag, depth, start, "void"/"credit"/"skeleton")

    def flush() -> None:
        nonlocal unit, images, inline_open
        if unit is not None:
            found = markup_blocks(text, unit, role=unit_role, line_of=line_of, language=language, credit=credit, context="html")
            blocks.extend(found)
            if not found:
                for image in images:
                    blocks.extend(_attribute_blocks(text, image, line_of))
        unit, images, inline_open = None, [], []

    def open_unit() -> None:
        nonlocal unit, unit_role
        if unit is None:
            unit, unit_role = [], _role(stack)

    first_inside = 0
    for number, event in enumerate(events):
        tag = event.tag
        if skipping is not None:
            name, depth, start, purpose = skipping
            if event.kind == "start" and tag == name:
                skipping = (name, depth + 1, start, purpose)
            elif event.kind == "end" and tag == name:
                if depth > 1:
                    skipping = (name, depth - 1, start, purpose)
                else:
                    skipping = None
                    if purpose == "void" and unit is not None:
                        unit.append(Piece("void", start, event.end, name=_name(name)))
                    elif purpose == "credit" and unit is not None:
                        # the credit's words, for the bundle's structure (the page keeps the element as written)
                        inside = events[first_inside:number]
                        words = "".join(unescape(text[e.start : e.end]) for e in inside if e.kind in ("data", "ref"))
                        unit.append(Piece("credit", start, event.end, value=" ".join(words.split())))
            continue
        if event.kind in ("start", "startend"):
            classes = set((dict(event.attrs).get("class") or "").split())
            if classes & CREDIT_CLASSES and event.kind == "start" and tag not in VOID:
                skipping = (tag, 1, event.start, "credit" if unit is not None else "skeleton")
                first_inside = number + 1
            elif tag in UNTRANSLATED and event.kind == "start" and tag not in VOID:
                skipping = (tag, 1, event.start, "void" if unit is not None and tag in INLINE else "skeleton")
                if tag not in INLINE:
                    flush()
            elif tag in INLINE:
                open_unit()
                if tag in VOID or event.kind == "startend":
                    unit.append(Piece("void", event.start, event.end, name=_name(tag)))
                    if tag == "img":
                        images.append(event)
                else:
                    pair = event.start
                    inline_open.append((tag, pair))
                    unit.append(Piece("open", event.start, event.end, name=_name(tag), pair=pair))
            else:
                flush()
                if tag not in VOID and event.kind == "start":
                    stack.append(tag)
        elif event.kind == "end":
            if tag in INLINE:
                if unit is None:
                    continue
                pair = next((p for t, p in reversed(inline_open) if t == tag), None)
                if pair is None:
                    unit.append(Piece("void", event.start, event.end, name=_name(tag)))
                else:
                    while inline_open and inline_open[-1][1] != pair:
                        inline_open.pop()
                    inline_open.pop()
                    unit.append(Piece("close", event.start, event.end, name=_name(tag), pair=pair))
            else:
                flush()
                if tag in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(tag) :]
        elif event.kind in ("data", "ref"):
            if unit is None and not text[event.start : event.end].strip():
                continue
            open_unit()
            raw = text[event.start : event.end]
            # A translator reads `&amp;` as `&`: character references are shown decoded (and escaped again on output).
            unit.append(Piece("text", event.start, event.end, value=unescape(raw) if event.kind == "ref" else None))
        elif event.kind == "comment":
            if unit is not None:
                unit.append(Piece("void", event.start, event.end, name="comment"))
        else:
            flush()
    flush()
    return iter(plain_blocks(blocks))


def _name(tag: str) -> str:
    return tag if tag.isascii() and tag.isalpha() else "span"


def _attribute_blocks(text: str, image: _Event, line_of) -> list[Block]:
    """Caption blocks of a standalone image's `alt` and `title` (one segment each: an attribute is one unit)."""
    blocks = []
    spans = attribute_spans(image.raw)
    for name in ("alt", "title"):
        if name not in spans:
            continue
        start, end, quote = spans[name]
        if quote:
            start, end = start + 1, end - 1
        start, end = image.start + start, image.start + end
        value = text[start:end]
        if not re.search(r"\w", value) or "\n" in value:
            continue
        line = line_of(start)
        segment = MarkupSegment(unescape(value.strip()), start + (len(value) - len(value.lstrip())), end - (len(value) - len(value.rstrip())), line, "caption", (), f"attr{quote}")
        blocks.append(Block("caption", segment.start, segment.end, line, (segment,), None))
    return blocks


def _escape(value: str, context: str) -> str:
    """A translation's text made safe where it lands: `<` in HTML text, the quote in an attribute."""
    if context == "html":
        return value.replace("&", "&amp;").replace("<", "&lt;")
    if context.startswith("attr"):
        value = value.replace("&", "&amp;")
    if context == 'attr"':
        return value.replace('"', "&quot;")
    if context == "attr'":
        return value.replace("'", "&#39;")
    if context == "attr":
        return '"' + value.replace('"', "&quot;") + '"'
    return value


def render_html(article: Article, lookup: Callable[[str], str], *, language: str | None = None, direction: str | None = None) -> str:
    """The page with each changed sentence translated; with *language*, `lang` and `dir` set on the root element."""
    rendered = render_markup(article, lookup, escape=_escape)
    if language is None:
        return rendered
    root = next((e for e in scan(article.text) if e.kind in ("start", "startend") and e.tag == "html"), None)
    if root is None:  # a fragment: its first element is the root
        root = next((e for e in scan(article.text) if e.kind in ("start", "startend")), None)
    first = article.segments[0].start if article.segments else len(article.text)
    if root is None or root.end > first:
        return rendered
    tag = _with_attributes(root.raw, {"lang": language.replace("_", "-"), "dir": direction or "ltr"})
    return rendered[: root.start] + tag + rendered[root.end :]


def _with_attributes(raw: str, values: dict[str, str]) -> str:
    """The raw start tag with each attribute of *values* set (replaced where present, else added before `>`)."""
    from html import escape

    spans = attribute_spans(raw)
    edits = []
    for name, value in values.items():
        quoted = '"' + escape(value) + '"'
        if name in spans:
            start, end, _ = spans[name]
            edits.append((start, end, quoted))
        else:
            close = len(raw) - (2 if raw.endswith("/>") else 1)
            edits.append((close, close, f" {name}={quoted}"))
    for _, (start, end, value) in sorted(enumerate(edits), key=lambda item: (item[1][0], item[0]), reverse=True):
        raw = raw[:start] + value + raw[end:]
    return raw


def html_date(text: str, *, path: str = "") -> str | None:
    """The story's date: `<meta property="article:published_time">`, else the first `<time datetime>`."""
    from pipeline.article.markdown import iso_date

    times = []
    for event in scan(text):
        if event.kind not in ("start", "startend"):
            continue
        attrs = {k: v for k, v in event.attrs}
        if event.tag == "meta" and (attrs.get("property") or attrs.get("name")) in ("article:published_time", "date", "datePublished"):
            date = iso_date(attrs.get("content"))
            if date:
                return date
        if event.tag == "time" and attrs.get("datetime"):
            times.append(attrs["datetime"])
    return next((d for d in map(iso_date, times) if d), None)


register_reader("html", extensions=(".html", ".htm"), render=render_html, date=html_date)(read_html)
