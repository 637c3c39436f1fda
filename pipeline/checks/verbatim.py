"""The `protected` check: handles, URLs, e-mail addresses and placeholders survive translation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.article.protect import verbatim_spans
from pipeline.checks.formats import is_credits
from pipeline.checks.registry import SOURCE_LANGUAGE, check

if TYPE_CHECKING:
    from pipeline.checks.terms import GlossaryTerm


@check("protected", "error")
def protected(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """Handles, URLs, e-mail addresses and placeholders are kept verbatim.

    The spans are whatever protect.verbatim_spans finds, so extraction,
    engines and this check agree on them. An example address
    (`you@example.com`, `https://example.org/`: RFC 2606's reserved names)
    stands for the reader's own, so a translator may localise it; the
    translator credits hold the translators' addresses, not the msgid's.
    """
    if is_credits(source):
        return []
    problems = []
    for (kind, text), count in _wanted(source):
        have = target.count(text)
        if have < count:
            what = {"url": "URL", "email": "e-mail address", "handle": "handle"}.get(kind, kind)
            times = f" ({count - have} of {count} missing)" if count > 1 else ""
            problems.append(f"{what} {text} is missing from the translation{times}")
    return problems


# Every catalogue of an article shares its msgids: find each source's spans once, not once per language.
@lru_cache(maxsize=4096)
def _wanted(source: str) -> tuple[tuple[tuple[str, str], int], ...]:
    """((kind, text), how many times) of each verbatim span of *source*."""
    return tuple(Counter((span.kind, span.text) for span in verbatim_spans(source) if not _example(span.kind, span.text)).items())


# RFC 2606 / RFC 6761: names reserved for examples, documentation and tests.
_EXAMPLE_HOST = re.compile(r"(?:^|[.@/])(?:example\.(?:com|net|org)|[\w-]+\.(?:example|test|invalid|localhost)|localhost)(?:$|[:/?#])", re.IGNORECASE)


def _example(kind: str, text: str) -> bool:
    """True for an e-mail address or URL at a name reserved for examples."""
    if kind == "email":
        return bool(_EXAMPLE_HOST.search(text[text.rfind("@") :]))
    if kind == "url":
        host = text.split("://", 1)[-1].split("/", 1)[0]
        return bool(_EXAMPLE_HOST.search("/" + host + "/"))
    return False
