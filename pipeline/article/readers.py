"""Article readers, found by name or file extension in a public registry.

A reader turns a source's decoded text into the article's blocks; the
registry does the rest (safe reading, decoding, credit patterns, the digest,
refusing an article with nothing to translate) and remembers which reader
read it, so the same reader renders the target document back. Adding a
format is one function and one decorator line::

    @register_reader("tiny", extensions=(".tiny",))
    def read_tiny(text, *, path, credit, language):
        ...  # yield Block(...) for each headline, paragraph and caption

A reader's blocks carry offsets into *text*; whatever lies between their
sentences is the document's skeleton, copied verbatim on rendering, so the
identity round trip is byte-exact. A format whose translated text needs more
than the skeleton (escaping, markup) passes its own *render*.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from pipeline.article.model import Article, Block
from pipeline.article.render import render_skeleton
from pipeline.article.segment import DEFAULT_CREDIT_PATTERNS, compile_credits
from pipeline.article.source import decode, read_bounded
from pipeline.errors import SourceError

Segmenter = Callable[..., Iterable[Block]]
"""`(text, *, path, credit, language) -> blocks`: *credit* is the compiled credit pattern."""

Renderer = Callable[..., str]
"""`(article, lookup) -> text`: the article rebuilt with each msgid replaced by `lookup(msgid)`.

A renderer that also takes `language` and `direction` by keyword is given
them when a bundle renders the article for a language (HTML sets `lang`
and `dir` on its root)."""

Dater = Callable[..., "str | None"]  # (text, *, path) -> "YYYY-MM-DD" | None
"""`(text) -> YYYY-MM-DD or None`: the story's own date, as the source gives it."""


@dataclass(frozen=True)
class Reader:
    """A registered source format: its name, its file extensions, how to read it and render it back."""

    name: str
    extensions: tuple[str, ...]  # lower case, with the dot: ".txt"
    read: Segmenter
    render: Renderer
    date: Dater | None = None  # the story's date from the source's metadata (front matter, <meta>)


_READERS: dict[str, Reader] = {}


def register_reader(
    name: str, *, extensions: Iterable[str], render: Renderer = render_skeleton, date: Dater | None = None
) -> Callable[[Segmenter], Segmenter]:
    """Register the decorated function as the reader of format *name*, chosen for files with *extensions*.

    Extensions match case-insensitively, with or without their dot. A name or
    an extension already registered is a ValueError. *render* rebuilds the
    target document (default: the skeleton copy, right for plain text);
    *date* finds the story's date in the decoded text (`Article.date`).
    """
    suffixes = tuple("." + extension.lower().lstrip(".") for extension in extensions)

    def register(function: Segmenter) -> Segmenter:
        if name in _READERS:
            raise ValueError(f"reader {name!r} is registered twice")
        taken = [s for s in suffixes if any(s in other.extensions for other in _READERS.values())]
        if taken:
            raise ValueError(f"extension {taken[0]} already has a reader")
        _READERS[name] = Reader(name, suffixes, function, render, date)
        return function

    return register


def unregister_reader(name: str) -> None:
    """Remove the reader of format *name* (a KeyError when there is none)."""
    del _READERS[name]


def reader_names() -> list[str]:
    """The formats an article may be read as."""
    return sorted(_READERS)


def reader(name: str) -> Reader:
    """The reader of format *name*; a SourceError naming the choices when there is none."""
    try:
        return _READERS[name]
    except KeyError:
        raise SourceError(f"unknown article format {name!r}; choose one of: {', '.join(reader_names())}.") from None


def reader_for(path: str, *, format: str | None = None) -> Reader:
    """The reader *format* names, else the one registered for *path*'s extension."""
    if format is not None:
        return reader(format)
    suffix = Path(path).suffix.lower()
    for candidate in _READERS.values():
        if suffix in candidate.extensions:
            return candidate
    known = ", ".join(f"{extension} ({r.name})" for r in _READERS.values() for extension in r.extensions)
    shown = f"extension {suffix}" if suffix else "no extension"
    raise SourceError(f"{path}: {shown}, which no article reader knows; give a file ending in one of: {known}.")


def read_article(
    path: str | Path,
    *,
    reference: str | None = None,
    credit_patterns: Iterable[str] = DEFAULT_CREDIT_PATTERNS,
    language: str = "en",
    format: str | None = None,
) -> Article:
    """Read and segment the article at *path*; *reference* is the name catalogues cite.

    The reader is *format*, else the one registered for the extension of
    *reference* (default: *path*); the file is checked (regular, bounded)
    before its format is.
    """
    path = Path(path)
    name = reference or path.as_posix()
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = ascii(os.fsencode(name))[2:-1]
        raise SourceError(f"{shown}: the file name is not valid UTF-8; rename the file (catalogues cite it by name).") from None
    data = read_bounded(path, name)
    chosen = reader_for(name, format=format)
    return parse_article(data, path=name, credit_patterns=credit_patterns, language=language, format=chosen.name)


def parse_article(
    data: bytes,
    *,
    path: str,
    credit_patterns: Iterable[str] = DEFAULT_CREDIT_PATTERNS,
    language: str = "en",
    format: str | None = None,
) -> Article:
    """Segment article bytes (in memory) into blocks and sentences, with *format*'s reader or *path*'s extension's."""
    chosen = reader_for(path, format=format)
    text, bom = decode(data, name=path)
    credit = compile_credits(credit_patterns)
    blocks = tuple(chosen.read(text, path=path, credit=credit, language=language))
    if not any(block.segments for block in blocks):
        if chosen.name == "txt":
            raise SourceError(f"{path}: holds only photo credits, no sentence to translate; give the article's text.")
        raise SourceError(f"{path}: holds no sentence to translate (only code, markup or photo credits); give the article's text.")
    digest = hashlib.sha256(data).hexdigest()
    date = chosen.date(text, path=path) if chosen.date is not None else None
    return Article(path=path, text=text, bom=bom, blocks=blocks, sha256=digest, format=chosen.name, date=date)

