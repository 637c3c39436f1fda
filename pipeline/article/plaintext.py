"""The plain-text reader (`txt`): blocks between blank lines, the first line the headline, captions by credit.

A plain-text article is a headline on its first line, then paragraphs
separated by blank lines; a line ending with a photo credit (see
`credit_patterns`) is a caption, wherever it stands. An article may start
with a metadata line giving the story's date, `Date: 2022-10-06` (ISO 8601):
it becomes `Article.date`, stays in the skeleton (the txt bundle keeps it)
and is never translated.
"""

from __future__ import annotations

import bisect
import re
import typing

from pipeline.article.model import Block
from pipeline.errors import SourceError
from pipeline.article.readers import register_reader
from pipeline.article.segment import block_spans, caption_pieces, make_block


DATE_LINE = re.compile(r"[ \t]*date[ \t]*:[ \t]*(\d{4}-\d{2}-\d{2})[ \t]*(?:\r?\n|\Z)", re.IGNORECASE)
"""The metadata line that gives a plain-text story's date: the article's first line, `Date: YYYY-MM-DD`."""


def plain_text_date(text: str, *, path: str = "") -> str | None:
    """The story's date from the article's `Date: YYYY-MM-DD` first line; None when it has none."""
    from datetime import date

    found = DATE_LINE.match(text)
    if not found:
        return None
    try:
        return date.fromisoformat(found.group(1)).isoformat()
    except ValueError:
        raise SourceError(f"{path}:1: {found.group(1)!r} is not a date; write the story's date as YYYY-MM-DD (e.g. Date: 2022-10-06).") from None


@register_reader("txt", extensions=(".txt",), date=plain_text_date)
def read_plain_text(text: str, *, path: str, credit: re.Pattern[str], language: str) -> typing.Iterator[Block]:
    """Yield the headline, paragraphs and captions of a plain-text article (a `Date:` first line is metadata)."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    metadata = DATE_LINE.match(text)
    skip = metadata.end() if metadata else 0  # the date line is skeleton: never a headline, never translated
    first = True
    for start, end in block_spans(text, line_starts):
        if end <= skip:
            continue
        if start < skip:
            start = skip
            while start < end and text[start] in " \t\r\n":
                start += 1
        for piece_start, piece_end, match in caption_pieces(text, start, end, credit):
            if match is not None:
                yield make_block(text, piece_start, match.start(), "caption", match.group(), line_of, language, match.end())
                first = False
                continue
            if first:
                first = False
                # The article's first line is its headline (unless it is a
                # caption, above); the rest of that block is a paragraph.
                first_line_end = text.find("\n", piece_start, piece_end)
                if first_line_end == -1:
                    yield make_block(text, piece_start, piece_end, "headline", None, line_of, language)
                    continue
                head_end = first_line_end - (1 if text[first_line_end - 1] == "\r" else 0)
                yield make_block(text, piece_start, head_end, "headline", None, line_of, language)
                piece_start = first_line_end + 1
                while piece_start < piece_end and text[piece_start] in " \t":
                    piece_start += 1
            yield make_block(text, piece_start, piece_end, "body", None, line_of, language)
