"""The `protected` check: handles, URLs, e-mail addresses and placeholders survive translation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.article.protect import verbatim_spans
from pipeline.checks.registry import SOURCE_LANGUAGE, check

if TYPE_CHECKING:
    from pipeline.checks.terms import GlossaryTerm


@check("protected", "error")
def protected(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """Handles, URLs, e-mail addresses and placeholders are kept verbatim.

    The spans are whatever protect.verbatim_spans finds, so extraction,
    engines and this check agree on them.
    """
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
    return tuple(Counter((span.kind, span.text) for span in verbatim_spans(source)).items())
