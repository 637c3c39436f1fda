"""The `protected` check: handles, URLs, e-mail addresses and placeholders survive translation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
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
    wanted = Counter((span.kind, span.text) for span in verbatim_spans(source))
    problems = []
    for (kind, text), count in wanted.items():
        have = target.count(text)
        if have < count:
            what = {"url": "URL", "email": "e-mail address", "handle": "handle"}.get(kind, kind)
            times = f" ({count - have} of {count} missing)" if count > 1 else ""
            problems.append(f"{what} {text} is missing from the translation{times}")
    return problems

