"""The Markdown reader (`md`): CommonMark by markdown-it-py, YAML front matter by PyYAML.

Roles: the front matter's `title` and any `#` heading of level 1 are
headlines; paragraphs, list items, block quotes and lower headings are body;
an image's alt text, and the paragraph right after a paragraph that holds
only an image (the figure's caption), are captions, a photo credit at its
end kept out. Code blocks, HTML blocks, inline code, URLs and front-matter
keys other than :data:`TRANSLATABLE_FRONT_MATTER` never become msgids.

markdown-it-py gives block tokens their lines but inline tokens no offsets,
so each inline rule is wrapped to record where the markup it recognised
starts and ends in the inline source; the inline source's lines are then
found in the article's own lines (block markers such as `> ` and list
indentation stay in the skeleton). A paragraph whose lines cannot be found
verbatim (a tab the parser expanded into spaces) stays untranslated rather
than risk a wrong rebuild.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
import typing
from typing import Callable

from pipeline.article.inline import Piece, line_finder, markup_blocks, plain_blocks, render_markup
from pipeline.article.model import Article, Block, Segment
from pipeline.article.readers import register_reader
from pipeline.article.segment import sentence_spans
from pipeline.errors import SourceError

TRANSLATABLE_FRONT_MATTER = {"title": "headline", "description": "body", "summary": "body", "subtitle": "body"}
"""Front-matter keys whose text is translated, and the role each has; every other key is kept as it is."""


@functools.cache
def _parser():
    """A CommonMark parser whose inline rules note the offsets of the markup they find."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    for name in ("newline", "escape", "backticks", "emphasis", "link", "image", "autolink", "html_inline"):
        rule = next(r for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _noting(name, rule.fn))
    return md


def _noting(name: str, rule):
    """Wrap an inline rule so the tokens it pushes carry their source span in `meta["span"]`."""

    def noted(state, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        label_end = -1
        if name in ("link", "image") and not silent:
            label_end = state.md.helpers.parseLinkLabel(state, start + (1 if name == "image" else 0), name == "link")
        ok = rule(state, silent)
        if not ok or silent:
            return ok
        end = state.pos
        new = state.tokens[before:]
        if name == "emphasis":
            # one text token per delimiter character; their positions follow on from the rule's start
            length = end - start
            for k, token in enumerate(new[-length:]):
                token.meta["span"] = (start + k, start + k + 1)
        elif name == "newline" or name == "escape":
            if new and new[-1].type in ("softbreak", "hardbreak"):
                lead = start
                while lead > 0 and state.src[lead - 1] == " ":
                    lead -= 1
                new[-1].meta["span"] = (lead if name == "newline" else start, end)
        elif name == "link":
            opening = next(t for t in new if t.type == "link_open")
            opening.meta["span"] = (start, start + 1)
            new[-1].meta["span"] = (label_end, end)
            new[-1].meta["reference"] = _reference(state.src, start + 1, label_end, end)
        elif name == "image" and new and new[-1].type == "image":
            new[-1].meta["span"] = (start, end)
            new[-1].meta["label"] = (start + 2, label_end)
            new[-1].meta["reference"] = _reference(state.src, start + 2, label_end, end)
        elif name == "autolink" and len(new) >= 3 and new[-3].type == "link_open":
            new[-3].meta["span"] = (start, end)
            new[-3].meta["autolink"] = True
        elif new and new[-1].type == {"backticks": "code_inline", "html_inline": "html_inline"}.get(name):
            new[-1].meta["span"] = (start, end)
        return ok

    return noted


def _reference(src: str, label_start: int, label_end: int, end: int) -> str | None:
    """For a shortcut `[label]` or collapsed `[label][]` reference, the closing markup a translation needs: `][label]`.

    Such a link's text is also its reference label, so a translated text
    must name the original label explicitly.
    """
    rest = src[label_end + 1 : end]
    if rest in ("", "[]"):
        return "][" + src[label_start:label_end] + "]"
    return None


def _inline_pieces(children) -> list[Piece] | None:
    """Markup pieces of an inline token's children, in inline-source offsets (text is what lies between)."""
    pieces: list[Piece] = []
    pairs: list[tuple[str, int]] = []  # open tag names and their pair ids
    skip = 0
    for index, token in enumerate(children):
        if skip:
            skip -= 1
            continue
        span = token.meta.get("span") if token.meta else None
        kind = token.type
        if kind == "link_open" and token.meta.get("autolink"):
            pieces.append(Piece("void", *span, name="a"))
            skip = 2
        elif kind in ("link_open", "em_open", "strong_open"):
            if kind != "link_open":
                span = _delimiter_span(token, opening=True)
            pair = len(pieces)
            pairs.append((token.tag, pair))
            pieces.append(Piece("open", *span, name=token.tag, pair=pair))
        elif kind in ("link_close", "em_close", "strong_close"):
            if kind != "link_close":
                span = _delimiter_span(token, opening=False)
            pair = pairs.pop()[1] if pairs else -1
            pieces.append(Piece("close", *span, name=token.tag, pair=pair, value=token.meta.get("reference") if token.meta else None))
        elif kind == "image":
            start, end = span
            label_start, label_end = token.meta["label"]
            pair = len(pieces)
            pieces.append(Piece("open", start, label_start, name="img", pair=pair))
            pieces.append(Piece("close", label_end, end, name="img", pair=pair, value=token.meta.get("reference")))
        elif kind == "code_inline":
            pieces.append(Piece("void", *span, name="code"))
        elif kind == "hardbreak":
            pieces.append(Piece("void", *span, name="br"))
        elif kind == "softbreak":
            pieces.append(Piece("space", *span))
        elif kind == "html_inline":
            pieces.append(Piece("void", *span, name=_html_tag_name(token.content)))
        elif span is None and kind not in ("text", "text_special"):
            return None  # something we do not know the source of
    return pieces


def _delimiter_span(token, *, opening: bool) -> tuple[int, int]:
    position = token.meta["span"][0]
    width = len(token.markup)
    return (position + 1 - width, position + 1) if opening else (position, position + width)


def _html_tag_name(raw: str) -> str:
    """The lower-case tag name of one raw inline HTML tag (html.parser reads it), or "html"."""
    from html.parser import HTMLParser

    found: list[str] = []

    class _Tag(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append(tag)

        def handle_endtag(self, tag):
            found.append(tag)

    parser = _Tag(convert_charrefs=False)
    parser.feed(raw)
    parser.close()
    name = found[0] if found else ""
    return name if name.isascii() and name.isalpha() else "html"


def _pair_raw_html(text: str, pieces: list[Piece]) -> list[Piece]:
    """Raw inline HTML tags (`<abbr …>` … `</abbr>`) become a pair when an opening meets its closing tag."""
    stack: list[int] = []
    out = list(pieces)
    for index, piece in enumerate(pieces):
        if piece.kind != "void" or piece.name in ("a", "code", "br", "html"):
            continue
        raw = text[piece.start : piece.end]
        if raw.startswith("</"):
            for depth in range(len(stack) - 1, -1, -1):
                opening = out[stack[depth]]
                if opening.name == piece.name:
                    out[stack[depth]] = Piece("open", opening.start, opening.end, opening.name, pair=opening.start)
                    out[index] = Piece("close", piece.start, piece.end, piece.name, pair=opening.start)
                    del stack[depth:]
                    break
        elif not raw.endswith("/>"):
            stack.append(index)
    return out


def _front_matter(text: str, path: str = "the article") -> tuple[int, list[tuple[str, int, int, str, str]], dict]:
    """(where the Markdown starts, translatable scalars (key, start, end, value, style), the parsed mapping).

    Front matter is YAML between a first line `---` and a line `---` or `...`.
    """
    if not (text.startswith("---\n") or text.startswith("---\r\n")):
        return 0, [], {}
    position = text.index("\n") + 1
    while True:
        newline = text.find("\n", position)
        line = text[position : (len(text) if newline == -1 else newline)].rstrip("\r")
        if line in ("---", "..."):
            yaml_start, yaml_end = text.index("\n") + 1, position
            body = len(text) if newline == -1 else newline + 1
            break
        if newline == -1:
            return 0, [], {}  # no closing line: not front matter, a thematic break
        position = newline + 1
    import yaml

    source = text[yaml_start:yaml_end]
    try:
        data = yaml.safe_load(source)
        root = yaml.compose(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 2}" if mark is not None else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise SourceError(f"{path}{where}: the front matter is not valid YAML ({problem}); fix the lines between the '---' lines.") from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        # `---` / text / `---` that is not a mapping is Markdown (a thematic break, a setext heading)
        return 0, [], {}
    scalars = []
    for key_node, value_node in root.value:
        if key_node.value in TRANSLATABLE_FRONT_MATTER and isinstance(value_node, yaml.ScalarNode) and isinstance(data.get(key_node.value), str):
            start, end = yaml_start + value_node.start_mark.index, yaml_start + value_node.end_mark.index
            scalars.append((key_node.value, start, end, value_node.value, value_node.style or ""))
    return body, scalars, data


def _scalar_blocks(text: str, scalars, *, line_of, language: str) -> list[Block]:
    """Blocks of the translatable front-matter values (a value whose source is not its text is one segment)."""
    blocks = []
    for key, start, end, value, style in scalars:
        role = TRANSLATABLE_FRONT_MATTER[key]
        if not value.strip():
            continue
        inner_start, inner_end = (start + 1, end - 1) if style in ("'", '"') else (start, end)
        context = f"yaml{style}"
        if text[inner_start:inner_end] == value:
            spans = sentence_spans(text, inner_start, inner_end, language)
        else:
            spans = [(start, end)]
            context = "yaml-whole"
        segments = tuple(
            _yaml_segment(text[s:e] if context != "yaml-whole" else value, s, e, line_of(s), role, context) for s, e in spans
        )
        blocks.append(Block(role, start, end, line_of(start), segments, None))
    return blocks


def _yaml_segment(msgid, start, end, line, role, context):
    from pipeline.article.inline import MarkupSegment

    return MarkupSegment(msgid, start, end, line, role, (), context)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end without the line ending) of every line of *text*."""
    lines, position = [], 0
    while True:
        newline = text.find("\n", position)
        if newline == -1:
            lines.append((position, len(text)))
            return lines
        end = newline - 1 if newline > position and text[newline - 1] == "\r" else newline
        lines.append((position, end))
        position = newline + 1


def _locate(text: str, lines, first_line: int, content: str) -> Callable[[int], int] | None:
    """Map offsets of an inline token's content to offsets of *text*; None when its lines are not found verbatim.

    The content's lines are the source lines less their block markers
    (`> `, list indentation) and, for the first and last, their outer white
    space (a heading's closing `#`s too), so each is found at the end of its
    source line, or, for the last line, as the last occurrence in it.
    """
    parts = content.split("\n")
    starts = []  # (content offset, text offset) of each content line
    offset = 0
    for index, part in enumerate(parts):
        if first_line + index >= len(lines):
            return None
        line_start, line_end = lines[first_line + index]
        line = text[line_start:line_end]
        column = len(line) - len(part)
        if index == len(parts) - 1 and (column < 0 or line[column:] != part):
            column = line.rfind(part)
        if column < 0 or line[column : column + len(part)] != part:
            return None
        starts.append((offset, line_start + column))
        offset += len(part) + 1

    content_starts = [content_start for content_start, _ in starts]

    def at(position: int) -> int:
        content_start, text_start = starts[max(0, bisect.bisect_right(content_starts, position) - 1)]
        return text_start + (position - content_start)

    return at


def read_markdown(text: str, *, path: str, credit: re.Pattern[str], language: str) -> typing.Iterator[Block]:
    """Yield the headline, paragraphs, list items and captions of a Markdown article with front matter."""
    body, scalars, _ = _front_matter(text, path)
    line_of = line_finder(text)
    blocks: list[Block] = _scalar_blocks(text, scalars, line_of=line_of, language=language)
    lines = _lines(text)
    body_line = text.count("\n", 0, body)
    # markdown-it reads the text after the front matter; its line numbers start there.
    tokens = _parser().parse(text[body:])
    figure_before = False
    heading = None
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "heading_close":
            heading = None
        if token.type != "inline" or token.map is None:
            continue
        children = token.children or []
        if heading is not None:
            role = "headline" if heading == "h1" else "body"
        else:
            role = "caption" if figure_before else "body"
        is_figure = heading is None and _only_image(children)
        figure_before = is_figure
        at = _locate(text, lines, body_line + token.map[0], token.content)
        pieces = _inline_pieces(children)
        if at is None or pieces is None:
            continue
        source_pieces = _to_source(token.content, pieces, at)
        source_pieces = _pair_raw_html(text, source_pieces)
        image = next((c for c in children if c.type == "image"), None)
        if is_figure and image.meta.get("reference") is None:
            # The image's alt text is the figure's caption; the image itself is skeleton.
            # (A shortcut reference `![label]` needs its label named when translated: a paragraph, below.)
            label_start, label_end = (at(p) for p in image.meta["label"])
            blocks.extend(markup_blocks(text, [Piece("text", label_start, label_end)], role="caption", line_of=line_of, language=language, credit=credit))
            continue
        blocks.extend(markup_blocks(text, source_pieces, role=role, line_of=line_of, language=language, credit=credit))
    return iter(plain_blocks(blocks))


def _only_image(children) -> bool:
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
    return kinds == ["image"]


def _to_source(content: str, pieces: list[Piece], at: Callable[[int], int]) -> list[Piece]:
    """Markup pieces in source offsets, with the text between them as text pieces."""
    out: list[Piece] = []
    position = 0
    for piece in sorted(pieces, key=lambda p: (p.start, p.end)):
        if piece.start < position:
            continue  # inside markup already taken (an image's label)
        if piece.start > position:
            out.append(Piece("text", at(position), at(piece.start)))
        out.append(Piece(piece.kind, at(piece.start), at(piece.end), piece.name, piece.pair, piece.value))
        position = piece.end
    if position < len(content):
        out.append(Piece("text", at(position), at(len(content))))
    return out


def _escape(value: str, context: str) -> str:
    """A translation's text as it goes into the document: Markdown text as written; YAML values quoted when needed."""
    return value


def _yaml_value(value: str, style: str) -> str:
    """*value* as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    import json

    import yaml

    if style == "" and "\n" not in value:
        try:
            if yaml.safe_load(f"key: {value}") == {"key": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def render_markdown(article: Article, lookup: Callable[[str], str]) -> str:
    """The Markdown article with each changed sentence translated; front-matter values re-quoted as YAML needs."""
    text = article.text
    out: list[str] = []
    position = 0
    from pipeline.article.inline import render_segment

    for block in article.blocks:
        contexts = {getattr(s, "context", "text") for s in block.segments}
        if contexts & {"yaml", "yaml'", 'yaml"', "yaml-whole"}:
            translations = [lookup(s.msgid) for s in block.segments]
            out.append(text[position : block.start])
            if all(t == s.msgid for t, s in zip(translations, block.segments)):
                out.append(text[block.start : block.end])
            else:
                context = next(iter(contexts))
                if context == "yaml-whole":
                    value = translations[0]
                else:
                    inner_start = block.start + (1 if context in ("yaml'", 'yaml"') else 0)
                    pieces, cursor = [], inner_start
                    for segment, translation in zip(block.segments, translations):
                        pieces.append(text[cursor : segment.start])
                        pieces.append(translation)
                        cursor = segment.end
                    pieces.append(text[cursor : block.end - (1 if context in ("yaml'", 'yaml"') else 0)])
                    value = "".join(pieces)
                out.append(_yaml_value(value, "" if context == "yaml" else "quoted"))
            position = block.end
            continue
        for segment in block.segments:
            out.append(text[position : segment.start])
            out.append(render_segment(text, segment, lookup(segment.msgid), escape=_escape))
            position = segment.end
    out.append(text[position:])
    return "".join(out)


def markdown_date(text: str, *, path: str = "") -> str | None:
    """The story's date from the front matter's `date` (YYYY-MM-DD), or None."""
    _, _, data = _front_matter(text)
    return iso_date(data.get("date"))


def iso_date(value: object) -> str | None:
    """A date, a datetime or an ISO 8601 string as YYYY-MM-DD; None for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


register_reader("md", extensions=(".md", ".markdown"), render=render_markdown, date=markdown_date)(read_markdown)
