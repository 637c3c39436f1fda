"""The plain-text reader (`txt`): blocks between blank lines, the first line the headline, captions by credit.

A plain-text article is a headline on its first line, then paragraphs
separated by blank lines; a line ending with a photo credit (see
`credit_patterns`) is a caption, wherever it stands.
"""

from __future__ import annotations

import bisect
import re
import typing

from pipeline.article.model import Block
from pipeline.article.readers import register_reader
from pipeline.article.segment import block_spans, caption_pieces, make_block


@register_reader("txt", extensions=(".txt",))
def read_plain_text(text: str, *, path: str, credit: re.Pattern[str], language: str) -> typing.Iterator[Block]:
    """Yield the headline, paragraphs and captions of a plain-text article."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    first = True
    for start, end in block_spans(text, line_starts):
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
