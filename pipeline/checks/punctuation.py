"""The punctuation checks: `end-punctuation` (a sentence still ends like one) and `brackets`."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from pipeline.checks.registry import SOURCE_LANGUAGE, check
from pipeline.checks.text import babel_locale, characters_of_category

if TYPE_CHECKING:
    from pipeline.checks.terms import GlossaryTerm

# Closing quotes and brackets (and the spaces French puts inside guillemets)
# may follow the final punctuation: `…?»`, `….”`, `…\u00a0?\u00a0»`, `…。」`,
# `…）`: any closing or quotation punctuation of Unicode (Pe, Pi, Pf), the
# straight quotes, and white space.
_TRAILING = regex.compile(r"[\p{Pe}\p{Pi}\p{Pf}\"'\s]+$")
_STERM = regex.compile(r"[\p{Sentence_Terminal}…]")  # …: an unfinished sentence still ends one
_FULL_STOP_NAMES = ("FULL STOP", "DANDA")
# The last word before a final period; letters with their combining marks
# (Devanagari vowel signs and virama are marks: `एच्.टी.ऍम.एल.`).
_ABBREVIATED = regex.compile(r"(?:^|[\s(])((?:[\p{L}\p{M}]{1,5}\.)*[\p{L}\p{M}]+)\.$")


def _strip_trailing(text: str) -> str:
    return _TRAILING.sub("", text)


def _last_mark(text: str) -> str:
    stripped = _strip_trailing(text)
    return stripped[-1:] if stripped else ""


@lru_cache(maxsize=1)
def _canonical_ends() -> dict[str, tuple[str, ...]]:
    """Sentence ends whose canonical form (NFC) is another character: `;` ← GREEK QUESTION MARK.

    Normalisation turns U+037E into `;`, so a Greek catalogue ends questions
    with `;`. Found by Unicode names (full stops, question and exclamation
    marks) rather than listed.
    """
    ends: dict[str, list[str]] = {}
    for char in characters_of_category("Po"):
        if unicodedata.normalize("NFC", char) == char:
            continue
        name = unicodedata.name(char, "")
        if _STERM.match(char) or any(word in name for word in ("FULL STOP", "QUESTION MARK", "EXCLAMATION MARK")):
            canonical = unicodedata.normalize("NFC", char)
            if len(canonical) == 1:
                ends.setdefault(canonical, []).append(char)
    return {key: tuple(value) for key, value in ends.items()}


def _script_of(char: str) -> str:
    """The script a punctuation mark belongs to, from its Unicode name (`GREEK QUESTION MARK` → Greek)."""
    return unicodedata.name(char, "").split(" ")[0].title()


@lru_cache(maxsize=None)
def _in_word_mark(char: str) -> bool:
    """A question or exclamation mark written inside a word (Armenian ՞ ՜): by Unicode name and category."""
    if unicodedata.category(char) != "Po" or _STERM.match(char):
        return False
    name = unicodedata.name(char, "")
    return ("QUESTION MARK" in name or "EXCLAMATION MARK" in name) and not any(
        word in name for word in ("INVERTED", "INITIAL", "GREEK")
    )


def _ends_sentence(mark: str, text: str) -> bool:
    """True when *mark* ends a sentence (Unicode Sentence_Terminal, or …) in *text*.

    A mark that is the canonical form of a script's own sentence end (Greek
    `;`) counts in a text written in that script.
    """
    if _STERM.match(mark):
        return True
    # Armenian sets its question and exclamation marks (՞ ՜) on the stressed
    # vowel, inside the sentence's last words: `Համոզված ե՞ք`.
    last = regex.split(r"\p{Sentence_Terminal}", text.rstrip())[-1]
    if any(_in_word_mark(char) for char in last):
        return True
    for original in _canonical_ends().get(unicodedata.normalize("NFC", mark), ()):
        try:
            if regex.search(rf"\p{{Script={_script_of(original)}}}", text):
                return True
        except regex.error:  # a name whose first word is not a script
            continue
    return False


def _is_full_stop(mark: str) -> bool:
    """A full stop of any script: `.`, `。`, `۔`, `։`, `।` (by Unicode name)."""
    name = unicodedata.name(unicodedata.normalize("NFKC", mark)[:1] or mark, "")
    return mark == "." or (bool(_STERM.match(mark)) and any(word in name for word in _FULL_STOP_NAMES))


def _is_colon(mark: str) -> bool:
    return unicodedata.normalize("NFKC", mark) == ":"


@lru_cache(maxsize=None)
def _date_words(locale: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(date words CLDR writes with a final period, casefolded; wide month and day names) of *locale*."""
    from babel import Locale

    loc = Locale.parse(locale)

    def names(table) -> list[str]:  # the strings of a nested CLDR table
        if isinstance(table, str):
            return [table]
        return [name for value in table.values() for name in names(value)] if hasattr(table, "values") else []

    short = {name.casefold() for table in (loc.months, loc.days, loc.day_periods, loc.eras) for name in names(table) if name.endswith(".")}
    wide = [name for table in (loc.months, loc.days) for context in table.values() for name in names(context.get("wide", {}))]
    return frozenset(short), tuple(wide)


def _segment_count(language: str, text: str) -> int:
    import sentencex

    return len([s for s in sentencex.segment(language, text) if s.strip()])


def _is_abbreviation(text: str, language: str) -> bool:
    """True when *text* ends with an abbreviation's period (`Aug.`, `Mr.`, `etc.`, `p.m.`, `nachm.`).

    Three sources, none a list of ours: a word with inner periods (`a.m.`,
    `e.g.`, `т.д.`); a date word of the locale in CLDR (`vorm.`, `nachm.`,
    `janv.`), or the start of a month or day name (`Aug`, `Sept`, `Mon`);
    and the abbreviations of the sentencex segmenter (`Mr.`, `etc.`, `Dr.`,
    `bzw.`): it does not split after the word where it does split after a
    made-up one.
    """
    stripped = _strip_trailing(text)
    match = _ABBREVIATED.search(stripped)
    if match is None:
        return False
    word = match.group(1)
    if "." in word:
        return True
    base = babel_locale(language)
    short, wide = _date_words(base)
    if word.casefold() + "." in short:
        return True
    # `Aug` of August, `Sept` of September, with the name's own case (so
    # `sat.` is not Saturday); a whole name (`May.`) ends a sentence.
    if len(word) >= 3 and any(name.startswith(word) and len(name) > len(word) for name in wide):
        return True
    if word in wide:  # the segmenter takes `May.` for an abbreviation
        return False
    code = base.split("_")[0]
    head = stripped[: match.start(1)]
    for continuation in (" next one.", " The next one."):
        if _segment_count(code, stripped + continuation) == 1 and _segment_count(code, head + "Zzqx." + continuation) == 2:
            return True
    return False


_ORDINAL = regex.compile(r"(?:\d|[}%)]\w?)\p{L}{1,3}$")  # 24th, {}th, %(n)sth
_NUMBER_STOP = regex.compile(r"(?:\d|[}%)][a-z]?)\.$")  # 24., {}., %(n)s.


@check("end-punctuation", "warning")
def end_punctuation(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """A sentence ends like a sentence, a headline gains no full stop.

    Sentence ends are Unicode's Sentence_Terminal characters (`.` `!` `?`,
    CJK `。` `！` `？`, Arabic `؟` `۔`, Devanagari `।`, Armenian `։`,
    Ethiopic `።`, Khmer, Myanmar …) and `…`; Greek `;` counts in Greek text
    (it is the normal form of U+037E GREEK QUESTION MARK). Closing quotes and
    brackets may follow. Source ending a sentence: the translation ends one
    too, unless the source's last word is an abbreviation (`Aug.` → `août`).
    Source ending with a colon: the translation ends with a colon (`:` or
    `：`). Source ending with a letter or digit (a headline): the
    translation does not end with a full stop of any script, unless that
    stop belongs to an abbreviation (`nachm.`) or an ordinal (`{}th` → `{}.`).
    """
    source_mark, target_mark = _last_mark(source), _last_mark(target)
    if not source_mark or not target_mark:
        return []
    if _ends_sentence(source_mark, source) and not _ends_sentence(target_mark, target):
        if source_mark == "." and _is_abbreviation(source, source_language):
            return []
        return [f"the source ends a sentence with {source_mark!r} but the translation ends with {target_mark!r}"]
    if _is_colon(source_mark) and not _is_colon(target_mark):
        return [f"the source ends with ':' but the translation ends with {target_mark!r}"]
    if source_mark.isalnum() and _is_full_stop(target_mark):
        stripped = _strip_trailing(target)
        if stripped.endswith("...") or (target_mark == "." and _is_abbreviation(target, language)):
            return []
        if _ORDINAL.search(source.rstrip()) and _NUMBER_STOP.search(stripped):
            return []
        return ["the source has no final punctuation (a headline?) but the translation ends with a full stop"]
    return []


_BRACKETS = {")": "(", "]": "[", "}": "{"}


@lru_cache(maxsize=4096)  # a source is checked once per language
def _bracket_problems(text: str) -> tuple[str, ...]:
    stack: list[str] = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in _BRACKETS:
            if not stack or stack[-1] != _BRACKETS[char]:
                return (f"{char!r} closes nothing",)
            stack.pop()
    return tuple(f"{char!r} is never closed" for char in stack)


@lru_cache(maxsize=4096)  # a source is checked once per language
def _quote_problems(text: str) -> tuple[str, ...]:
    problems = []
    for opening, closing in (("«", "»"), ("‹", "›")):
        if text.count(opening) != text.count(closing):
            problems.append(f"{text.count(opening)} {opening!r} but {text.count(closing)} {closing!r}")
    # „ opens (de, pl, uk …) and is closed by “ or ”; “ also opens (en) and is
    # closed by ”. So the curly double quotes come in pairs, with no more „
    # than closers.
    low, high = text.count("„"), text.count("“") + text.count("”")
    if (low + high) % 2 or low > high:
        problems.append(f"unpaired curly double quotes ({low} „ and {high} “/”)")
    if text.count('"') % 2:
        problems.append(f'an odd number ({text.count(chr(34))}) of straight double quotes')
    return tuple(problems)


@check("brackets", "warning")
def brackets(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """Brackets and quotation marks are balanced.

    Quotes are counted by kind: « », ‹ ›, „ closed by “ or ”, “ ”, and even
    straight ". A source sentence cut inside a quotation is unbalanced
    itself; then the translation is not asked to be balanced either.
    """
    problems = []
    if not _bracket_problems(source):
        problems += [f"brackets: {problem}" for problem in _bracket_problems(target)]
    if not _quote_problems(source):
        problems += [f"quotes: {problem}" for problem in _quote_problems(target)]
    return problems
