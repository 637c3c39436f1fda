"""The `markup` check: a translation keeps the inline markup of a Markdown or HTML sentence, well nested.

The msgid shows inline markup as numbered placeholder tags
(:mod:`pipeline.article.protect`): `<a1>the agency</a1>`, `<code2/>`. A
translator may move them (word order differs between languages) but every
one must be there exactly once, none may be added, and each pair must
still open before it closes and nest inside the others properly, or the
rebuilt page would lose a link or break its structure.
"""

from __future__ import annotations

from collections import Counter

from pipeline.article.protect import markup_tags
from pipeline.checks.registry import check


@check("markup", "error")
def markup(source: str, target: str, *, language: str, **context: object) -> list[str]:
    """Inline markup placeholders kept: moved, never dropped, added or mis-nested."""
    wanted = markup_tags(source)
    have = markup_tags(target)
    if not wanted and not have:
        return []
    problems = []
    missing = Counter(t.text for t in wanted) - Counter(t.text for t in have)
    extra = Counter(t.text for t in have) - Counter(t.text for t in wanted)
    for what, tags in (("is missing from the translation", missing), ("is added by the translation; the source has no such markup", extra)):
        for shown in _by_pair(tags):
            problems.append(f"markup {shown} {what}")
    if problems:
        return problems
    stack: list[str] = []
    for tag in have:
        if tag.kind == "open":
            stack.append(tag.key)
        elif tag.kind == "close":
            if tag.key not in stack:
                return [f"{tag.text} closes before <{tag.key}> opens; put the pair back in order"]
            if stack[-1] != tag.key:
                return [f"{tag.text} closes inside <{stack[-1]}>: the pairs cross; nest them as in the source"]
            stack.pop()
    return []


def _by_pair(tags: Counter) -> list[str]:
    """Tag texts to name, a pair's two tags as one `<a1>…</a1>`, in order of first appearance."""
    shown = []
    for text in tags:
        if text.startswith("</") and f"<{text[2:]}" in tags:
            continue
        closing = f"</{text[1:]}"
        shown.append(f"{text}…{closing}" if not text.startswith("</") and closing in tags else text)
    return shown
