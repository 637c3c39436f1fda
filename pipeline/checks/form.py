"""The checks of a translation's form: whitespace, line breaks, a copied source, its length."""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from pipeline.article.protect import find_spans
from pipeline.checks.registry import SOURCE_LANGUAGE, check
from pipeline.checks.terms import GlossaryTerm, term_pattern, terms_for
from pipeline.checks.text import SPACES, in_article
from pipeline.gettext.formats import directive_spans

# Translations of news prose run between about half and twice the English
# length; outside these bounds a sentence was most likely cut or duplicated.
LENGTH_RATIO_MIN = 0.4
LENGTH_RATIO_MAX = 2.5
LENGTH_RATIO_MIN_SOURCE = 20  # shorter strings (names, labels) vary too much


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


_DOUBLE_SPACE = re.compile(f"[{SPACES}]{{2,}}")


@check("whitespace", "warning")
def whitespace(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """Leading and trailing whitespace as in the source, no double spaces added."""
    problems = []
    (source_lead, source_trail), (target_lead, target_trail) = _edges(source), _edges(target)
    if source_lead != target_lead:
        problems.append(f"leading whitespace {target_lead!r} differs from the source's {source_lead!r}")
    if source_trail != target_trail:
        problems.append(f"trailing whitespace {target_trail!r} differs from the source's {source_trail!r}")
    inner_source, inner_target = source.strip(), target.strip()
    if len(_DOUBLE_SPACE.findall(inner_target)) > len(_DOUBLE_SPACE.findall(inner_source)):
        problems.append("the translation has a double space")
    return problems


_WORD = re.compile(r"(?<!\w)[^\W\d_]{2,}")
# What stays English in any language: command-line options, <placeholders>,
# identifiers and paths (`core.editor`, `GIT_DIR`, `a/b`), words in capitals,
# and a synopsis's brackets (`[--force]`, `(add|rm)`).
_NOT_PROSE = re.compile(
    r"(?<![\w-])--?[\w][\w=-]*|<[^<>\n]{1,40}>|\[[^\[\]\n]*\]|\S*[\w][_./=:\\|][\w]\S*|\b[A-Z][A-Z0-9_]+\b"
)


@check("untranslated-copy", "warning")
def untranslated_copy(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """The translation is not a copy of the source.

    Only for a source of at least two words once handles, URLs, e-mails,
    numbers, format directives, never-translated glossary terms and what
    stays English in software (command-line options, `<placeholders>`,
    identifiers, paths, capitalised names, a synopsis's `[brackets]`) are
    taken out; a source that is a command synopsis (`git add [<options>]`)
    is rightly copied.
    """
    if target.strip() != source.strip():
        return []
    words = source
    for start, end in reversed(directive_spans(words)):
        words = words[:start] + " " + words[end:]
    for span in reversed(find_spans(words)):
        words = words[: span.start] + " " + words[span.end :]
    if _NOT_PROSE.search(words) and len(_NOT_PROSE.findall(words)) >= len(_WORD.findall(_NOT_PROSE.sub(" ", words))):
        return []  # as much code as prose: a synopsis, an option list, a key name
    words = _NOT_PROSE.sub(" ", words)
    for term in terms_for(glossary, language):
        if term.verbatim:
            words = term_pattern(term.term).sub(" ", words)
    if len(_WORD.findall(words)) < 2:
        return []
    return ["the translation is a copy of the source"]


# How many characters of English (or of any alphabetic script) one character
# of these scripts carries on average: one Han character is about a word,
# a Hangul block a syllable, a kana a mora. Fitted on Django's catalogues
# (the weighted ja, zh_Hans and ko medians come out at 0.87-0.94, those of
# ar, hi, uk, de, fr at 0.88-1.26) and checked on Sphinx's; see
# bench/RESULTS.md. Every other character counts 1.
SCRIPT_WEIGHTS = (("Han", 3.0), ("Hangul", 2.0), ("Hiragana", 1.5), ("Katakana", 1.5))
_WEIGHTED = [(regex.compile(rf"\p{{Script={script}}}"), weight) for script, weight in SCRIPT_WEIGHTS]


def weighted_length(text: str) -> float:
    """The length of *text* in alphabetic-script characters: Han counts 3, Hangul 2, kana 1.5, the rest 1."""
    length = float(len(text))
    for pattern, weight in _WEIGHTED:
        length += (weight - 1) * len(pattern.findall(text))
    return length


@check("length-ratio", "warning")
def length_ratio(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """The translation is neither far shorter nor far longer than the source.

    For sources of at least 20 characters, the ratio of the two lengths must
    lie within [0.4, 2.5] (after stripping outer whitespace). Lengths are
    weighted by script (weighted_length): a Han character counts 3, a Hangul
    syllable 2, a kana 1.5, so a Chinese, Japanese or Korean translation is
    not "too short" for writing more per character.
    """
    source_length, target_length = weighted_length(source.strip()), weighted_length(target.strip())
    if len(source.strip()) < LENGTH_RATIO_MIN_SOURCE:
        return []
    ratio = target_length / source_length
    if ratio < LENGTH_RATIO_MIN:
        return [f"the translation is {ratio:.0%} of the source's length (under {LENGTH_RATIO_MIN:.0%}): is something missing?"]
    if ratio > LENGTH_RATIO_MAX:
        return [f"the translation is {ratio:.0%} of the source's length (over {LENGTH_RATIO_MAX:.0%}): is something repeated?"]
    return []


@check("line-structure", "error")
def line_structure(
    source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE, entry=None
) -> list[str]:
    """A translation has the source's number of line breaks.

    gettext's rule for a msgstr (a leading or trailing break) and, for one
    line of text (every sentence of an article), no break added or lost: in
    an article that changes the published layout (a new paragraph, a merged
    one), so the publishing gate holds such a translation back. A
    program's messages (references to files no article reader reads) may be
    re-wrapped by their translator, as msgfmt allows.
    """
    if source.startswith("\n") != target.startswith("\n") or source.endswith("\n") != target.endswith("\n"):
        return ["the translation does not begin and end with a line break where the source does (gettext's rule)"]
    inner_source, inner_target = source.strip("\n").count("\n"), target.strip("\n").count("\n")
    if inner_source != inner_target and (inner_source == 0 or inner_target == 0) and in_article(entry):
        return [f"the translation has {target.count(chr(10))} line breaks, the source {source.count(chr(10))}"]
    return []
