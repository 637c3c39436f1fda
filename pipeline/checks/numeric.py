"""The `numbers` check: numbers are kept, by value, in the target locale's format (Babel)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.article.protect import find_spans, verbatim_spans
from pipeline.checks.formats import is_credits
from pipeline.checks.registry import SOURCE_LANGUAGE, check
from pipeline.gettext.formats import directive_spans
from pipeline.checks.text import SPACES, UNSPACED, babel_locale, characters_of_category, in_article

if TYPE_CHECKING:
    from pipeline.checks.terms import GlossaryTerm


@lru_cache(maxsize=None)
def _number_pattern(locale: str) -> tuple[re.Pattern, str, str]:
    """A regex for the numbers of *locale*, with its group and decimal symbols."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    # A no-break or narrow no-break space groups digits in every locale (ISO
    # 80000); a plain space only where the locale groups with a space anyway.
    groups = {group, "\u00a0", "\u202f"}
    if group in SPACES:
        groups.add(" ")
    groups.discard(decimal)
    separators = "|".join(re.escape(g) for g in sorted(groups))
    # A digit glued to a word is part of it (`IPv6`), except in scripts that
    # write no spaces between words (`午後3時`, `共3个`).
    pattern = re.compile(
        rf"(?:(?<![\w.,])|(?<=[{UNSPACED}]))(?:\d{{1,3}}(?:(?:{separators})\d{{3}})+|\d+)(?:{re.escape(decimal)}\d+)?(?!\d)"
    )
    return pattern, group, decimal


@lru_cache(maxsize=1)
def _unicode_digits() -> dict[int, str]:
    """Every non-ASCII decimal digit (Unicode category Nd) to its ASCII digit."""
    return {ord(char): str(unicodedata.decimal(char)) for char in characters_of_category("Nd") if ord(char) >= 0x80}


@lru_cache(maxsize=None)
def _native_symbols(locale: str) -> dict[int, str]:
    """A str.translate table: every decimal digit to ASCII, other numbering systems' symbols to *locale*'s.

    Fullwidth `１２`, Arabic-Indic `١٢` and Devanagari `१२` digits are read as
    12; the Arabic decimal and group separators (`٫`, `٬`, from CLDR's `arab`
    numbering system) as the locale's own.
    """
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    table = dict(_unicode_digits())
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    for system, symbols in Locale.parse(locale).number_symbols.items():
        if system == "latn":
            continue
        for name, own in (("decimal", decimal), ("group", group)):
            symbol = symbols.get(name)
            if symbol and len(symbol) == 1 and symbol not in (decimal, group) and ord(symbol) > 0x7F:
                table.setdefault(ord(symbol), own)
    return table


@lru_cache(maxsize=None)
def _date_units(locale: str) -> frozenset[str]:
    """Letters that *locale*'s date and time patterns (CLDR, via Babel) write right after a field.

    For ja: 年 月 日 時 分 秒 週; for ko: 년 월 일 시 분 초; for zh: 年 月 日 时 周.
    A number followed by one of them is part of a date or time (`4月`,
    `12時`, `2024年`); scripts that spell dates with words give none.
    """
    from babel import Locale

    loc = Locale.parse(locale)
    patterns = [str(p) for p in loc.datetime_skeletons.values()]
    for table in (loc.date_formats, loc.time_formats, loc.datetime_formats):
        patterns += [str(getattr(p, "pattern", p)) for p in table.values()]
    units: set[str] = set()
    for pattern in patterns:
        unquoted = re.sub(r"'[^']*'", "'", pattern)
        for match in re.finditer(r"[A-Za-z](\w)", unquoted):
            char = match.group(1)
            if not char.isascii() and char.isalpha():
                units.add(char)
    return frozenset(units)


def _parse_number(text: str, locale: str) -> Decimal | None:
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return parse_decimal(text, locale=locale).normalize()
    except (NumberFormatError, ValueError, ArithmeticError):
        return None


def source_numbers(text: str, *, locale: str = SOURCE_LANGUAGE) -> Counter:
    """The values of the numbers of a source sentence, as protect.find_spans sees them."""
    return Counter(dict(_source_values(text, locale)))


# Every catalogue of an article shares its msgids: read each source once, not once per language.
@lru_cache(maxsize=4096)
def _source_values(text: str, locale: str) -> tuple[tuple[Decimal, int], ...]:
    text = text.translate(_native_symbols(locale))
    values: Counter = Counter()
    for span in find_spans(text):
        if span.kind != "number":
            continue
        value = _parse_number(span.text, locale)
        if value is not None:
            values[value] += 1
        else:  # e.g. "2022 100": two numbers protect glued together
            for part in span.text.split():
                part_value = _parse_number(part, locale)
                if part_value is not None:
                    values[part_value] += 1
    return tuple(values.items())


def _target_numbers(text: str, locale: str) -> tuple[Counter, Counter]:
    """(all numbers, the soft ones) of a translation.

    Soft: part of a date or time (`4月`, `12時`), or glued after a Han or kana
    character (`1対1`, `方法は2つ`), where the source may well spell the
    number as a word. A soft number satisfies a source number but is not
    reported as extra.
    """
    pattern, group, _ = _number_pattern(locale)
    text = text.translate(_native_symbols(locale))
    # Digits inside a URL, e-mail or handle are not numbers of the sentence.
    for span in reversed(verbatim_spans(text)):
        text = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
    units = _date_units(locale)
    values: Counter = Counter()
    soft: Counter = Counter()
    glued = re.compile(f"[{UNSPACED}]")
    for match in pattern.finditer(text):
        token = match.group()
        for space in SPACES:
            token = token.replace(space, group)
        value = _parse_number(token, locale)
        if value is not None:
            values[value] += 1
            after = text[match.end() : match.end() + 2].lstrip()
            before = text[match.start() - 1 : match.start()]
            glued_after = text[match.end() : match.end() + 2]
            if after[:1] in units or glued.match(before) or _word_glued(glued_after, glued):
                soft[value] += 1
    return values, soft


def target_numbers(text: str, *, locale: str) -> Counter:
    """The values of the numbers of a translation, read with *locale*'s formats."""
    return _target_numbers(text, locale)[0]


# A version or build string (`8.2p1`, `1.2.3`, `v2.0`): not a number of the sentence when kept as it is.
_VERSION = re.compile(r"(?<![\w.])v?\d+(?:\.\d+)+[a-z]+\d*(?![\w])|(?<![\w.])v?\d+(?:\.\d+){2,}(?![\w])|(?<![\w.])v\d+(?:\.\d+)*(?![\w])")


_LIST = re.compile(r"(?<![\w.])\d+(?:[^\w\s.]\s?\d+){2,}(?![\w])")
# Two numbers in a list or interval (`[-1, 1]`, `1, 2`), which a translator may write `[-1,1]`.
_PAIR = re.compile(r"(?<=[\[(])-?\d+,\s?-?\d+(?=[\])])")
_ACCELERATOR = re.compile(r"(?<![\w&])[_&](?=\d)")


def _word_glued(after: str, unspaced: re.Pattern) -> bool:
    """True when a number runs into the letters of its word (`2진수`, `1-комплемент`), in a script that spaces words.

    In Han or kana a glued letter is a counter (`3台`), the number itself.
    """
    letter = after[1:2] if after[:1] == "-" else after[:1]
    return letter.isalpha() and not unspaced.match(letter)


def _blank(text: str, spans) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _numbers_only(source: str, target: str) -> tuple[str, str]:
    """*source* and *target* without what holds digits but is not a number: format directives, versions kept verbatim.

    A directive with digits (`%1$s`, `%2.2u`, `%0.1f`, `{0}`) is an argument
    (the `format` check compares those); it is taken out of both sides only
    when the source has one, so `%50` in a Turkish "50 %" stays a number.
    """
    def numbered(text):
        return [(a, b) for a, b in directive_spans(text) if any(c.isdigit() for c in text[a:b])]

    if "%" in source or "{" in source:
        # `% o` in "50% of" parses as C's space flag: such a directive does not make the source a format string.
        if any(" " not in source[a:b] for a, b in directive_spans(source)):
            source, target = _blank(source, numbered(source)), _blank(target, numbered(target))
    # A list of three or more numbers (`0,1,2,…,9,A,…`, `1/2/3`): the same numbers, in any locale's separators.
    lists = list(_LIST.finditer(source)) + list(_PAIR.finditer(source))
    if lists:
        wanted = sorted(int(n) for m in lists for n in re.findall(r"\d+", m.group()))  # int() reads any script's digits
        theirs = list(_LIST.finditer(target)) + list(_PAIR.finditer(target))
        if sorted(int(n) for m in theirs for n in re.findall(r"\d+", m.group())) == wanted:
            source, target = _blank(source, [m.span() for m in lists]), _blank(target, [m.span() for m in theirs])
    # A menu's accelerator (`_3 places`, `&2 columns`) is not part of the number.
    source = _ACCELERATOR.sub("", source)
    target = _ACCELERATOR.sub("", target)
    versions = [m for m in _VERSION.finditer(source) if m.group() in target]
    if versions:
        kept = {m.group() for m in versions}
        source = _blank(source, [m.span() for m in versions])
        target = _blank(target, [m.span() for m in _VERSION.finditer(target) if m.group() in kept])
    return source, target


def _show(value: Decimal) -> str:
    return f"{value:,f}"


@check("numbers", "error")
def numbers(
    source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE, entry=None
) -> list[str]:
    """Numbers are kept, by value, in the target language's format.

    Source numbers are read with the source locale's symbols, target numbers
    with the target locale's (Babel), so `61,330` (en) equals `61 330` (uk)
    and `61.330` (de), and `3.5` equals `3,5`. Ordinals count as their number
    (`24th` → 24, rendered `24`, `24.` or `24e`). Fullwidth, Arabic-Indic and
    other Unicode digits count as their value. Numbers written as digits
    must stay digits; the two sides are compared as multisets of values. A
    target number that is part of a date or time in the target locale's
    CLDR patterns (`4月`, `12時`, `2024年`, `3일`) may stand for a month,
    weekday or hour the source spells in words (`April`, `noon`), so it is
    not reported as extra; nor is a digit glued after Han or kana (`1対1`
    for "one-to-one") or to the letters of its word (`2진수` for "binary",
    `1-комплемент`); both still must match when the source has digits. A
    list of numbers (`0,1,2,3`) counts as its numbers in any separators,
    and a menu accelerator (`_3 places`) is not part of its number.
    Format directives (`%2.2u`, `%1$s`, `{0}`) are arguments, not numbers;
    a version string kept verbatim (`8.2p1`, `2.45.1`) is not a number; the
    translator credits (`translator-credits`) are names and years, not a
    translation of the msgid. In a program's message (references to files
    no article reader reads) a number spelled as a word is the translator's
    choice: only a number replaced by another is reported.
    """
    from babel.numbers import format_decimal

    if is_credits(source):
        return []
    source, target = _numbers_only(source, target)

    locale = babel_locale(language)
    expected = source_numbers(source, locale=babel_locale(source_language))
    found, soft = _target_numbers(target, locale)
    extra = (found - expected) - soft
    if not in_article(entry) and not ((expected - found) and extra):
        # A program's message spells numbers as words freely ("takes 1 or 2 arguments" → "один или два");
        # only a number replaced by another one is an error there.
        return []
    problems = [
        f"number {_show(value)} is missing from the translation"
        + (f" ({count}×)" if count > 1 else "")
        + f"; in {locale} write it {format_decimal(value, locale=locale)}"
        for value, count in (expected - found).items()
    ]
    problems += [
        f"number {_show(value)} is in the translation but not in the source" + (f" ({count}×)" if count > 1 else "")
        for value, count in extra.items()
    ]
    return problems
