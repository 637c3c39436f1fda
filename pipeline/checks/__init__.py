"""Quality checks over translated PO entries, in the manner of translate-toolkit's filters.

Each check is a small function ``(source, target, *, language, ...) -> list[str]``
that returns one message per problem (an empty list means it passes). Checks
register themselves in ``CHECKS`` with a stable id, a severity and a title (the
first line of the docstring). Errors are what would make a published article
wrong (a changed number, a lost link, a misnamed place); warnings are what a
reviewer should look at.

========================  ========  ==============================================
id                        severity  what it asks
========================  ========  ==============================================
``numbers``               error     the same numbers, by value, in the target
                                    locale's format (Babel): ``61,330`` = ``61 330``
                                    (uk, pl, fr) = ``61.330`` (de, es); ``3.5`` =
                                    ``3,5``; ordinals ``24th`` count as 24; any
                                    Unicode digits (``１２``, ``١٢``, ``१२``); CJK
                                    dates and times (``4月``, ``12時``) from CLDR.
``protected``             error     every verbatim span of protect.verbatim_spans
                                    (@handle, URL, e-mail, placeholder) kept.
``glossary``              error     terms of ``locale/glossary.csv`` kept or
                                    translated as the glossary says.
``end-punctuation``       warning   a sentence still ends like one (Unicode
                                    Sentence_Terminal: ``。`` ``؟`` ``।`` ``։`` …);
                                    an abbreviation (``Aug.``) needs no stop; a
                                    headline does not gain one.
``brackets``              warning   brackets and quotes balanced (unless the
                                    source itself is unbalanced).
``whitespace``            warning   same leading/trailing whitespace; no double
                                    spaces introduced.
``untranslated-copy``     warning   the translation is not a copy of the source.
``length-ratio``          warning   length ratio within [0.4, 2.5] for sources
                                    of 20+ characters, lengths weighted by
                                    script (Han 3, Hangul 2, kana 1.5).
``header``                error     per catalogue: ``Language`` and
                                    ``Plural-Forms`` agree with the catalogue's
                                    language (Babel).
========================  ========  ==============================================

Only translated entries are checked (non-empty ``msgstr``, not obsolete);
fuzzy ones are checked too, and their findings say so. A translator silences
one check on one entry with a translator comment line ``# no-check-<id>: why``
(or the flag ``#, no-check-<id>``, which GNU tools drop); the header check has no such flag, as a
wrong header is always fixed in the header.

Glossary (``locale/glossary.csv``, UTF-8 CSV, header ``term,language,translation,note``):

* ``language`` and ``translation`` empty: the term is never translated; where
  the source has it (case-insensitively, as a whole word), the target must
  have it spelled exactly as in the source (inflectional endings may follow).
* ``language`` set, ``translation`` empty: never translated in that language.
* both set: the required translation in that language; a row for ``uk``
  also applies to ``uk_UA``. Alternatives are separated by ``|``
  (``Запоріжжя|Запорізький``: the city or its adjective). Every word of a
  translation may change its ending, as proper names inflect in most target
  languages: a word of 7+ letters matches from its first ``len - 2`` letters,
  a word of 4–6 letters from its first ``len - 1``, a shorter word whole; the
  match is case-insensitive and must start a word (``Лиман`` matches
  ``Лимана`` and ``Лимані``; ``Kulczycki`` matches ``Kulczyckiego``).
* A language-specific row overrides the every-language row of the same term.

A row with the wrong number of columns, an empty term, an unknown language
code, a translation without a language, or a duplicate raises ConfigError
naming ``file:line``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import polib
import regex

from pipeline.errors import ConfigError, LanguageError
from pipeline.gettext.languages import language as language_facts
from pipeline.article.protect import find_spans, verbatim_spans

SOURCE_LANGUAGE = "en"
SEVERITIES = ("error", "warning")
SILENCE_PREFIX = "no-check-"
GLOSSARY_COLUMNS = ("term", "language", "translation", "note")
# Translations of news prose run between about half and twice the English
# length; outside these bounds a sentence was most likely cut or duplicated.
LENGTH_RATIO_MIN = 0.4
LENGTH_RATIO_MAX = 2.5
LENGTH_RATIO_MIN_SOURCE = 20  # shorter strings (names, labels) vary too much


@dataclass(frozen=True)
class Check:
    """A registered check: its id, severity, title and function."""

    id: str
    severity: str  # "error" or "warning"
    title: str  # first line of the function's docstring
    function: Callable
    scope: str = "entry"  # "entry": (source, target); "catalogue": (po)


@dataclass(frozen=True)
class Finding:
    """One problem one check found in one entry (or header) of a catalogue."""

    check: str
    severity: str
    message: str
    msgid: str
    line: int | None
    path: str
    language: str
    fuzzy: bool

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "<catalogue>")
        fuzzy = " (fuzzy)" if self.fuzzy else ""
        return f"{where}: {self.severity}: [{self.check}] {self.message}{fuzzy}"


@dataclass(frozen=True)
class GlossaryTerm:
    """One row of the glossary: a term that is kept, or translated one way."""

    term: str
    language: str = ""  # "" = every language
    translation: str = ""  # "" = keep the term as it is; "|" separates alternatives
    note: str = ""
    where: str = ""  # "file:line", for messages

    @property
    def verbatim(self) -> bool:
        """True when the term must not be translated."""
        return not self.translation


CHECKS: dict[str, Check] = {}


def check(id: str, severity: str, *, scope: str = "entry") -> Callable[[Callable], Callable]:
    """Register the decorated function as the check *id* of *severity*."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")

    def register(function: Callable) -> Callable:
        if id in CHECKS:
            raise ValueError(f"check {id!r} is registered twice")
        title = (function.__doc__ or id).strip().splitlines()[0].rstrip(".")
        CHECKS[id] = Check(id=id, severity=severity, title=title, function=function, scope=scope)
        return function

    return register


# --------------------------------------------------------------------------- numbers

_SPACES = " \u00a0\u202f"
# Han, Hiragana and Katakana: scripts written without spaces between words
# (Chinese, Japanese), as regex class ranges. Korean puts spaces between
# words, so a digit after Hangul is inside a word (`제3자`, "third party").
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


@lru_cache(maxsize=None)
def _number_pattern(locale: str) -> tuple[re.Pattern, str, str]:
    """A regex for the numbers of *locale*, with its group and decimal symbols."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    # A no-break or narrow no-break space groups digits in every locale (ISO
    # 80000); a plain space only where the locale groups with a space anyway.
    groups = {group, "\u00a0", "\u202f"}
    if group in _SPACES:
        groups.add(" ")
    groups.discard(decimal)
    separators = "|".join(re.escape(g) for g in sorted(groups))
    # A digit glued to a word is part of it (`IPv6`), except in scripts that
    # write no spaces between words (`午後3時`, `共3个`).
    pattern = re.compile(
        rf"(?:(?<![\w.,])|(?<=[{_UNSPACED}]))(?:\d{{1,3}}(?:(?:{separators})\d{{3}})+|\d+)(?:{re.escape(decimal)}\d+)?(?!\d)"
    )
    return pattern, group, decimal


@lru_cache(maxsize=1)
def _every_character() -> str:
    """Every code point, surrogates included, as one string (built in C)."""
    import array

    return array.array("I", range(0x110000)).tobytes().decode("utf-32-le", "surrogatepass")


def _characters_of_category(category: str) -> list[str]:
    """Every character of a general category, by Python's `unicodedata` (the Unicode version of the rest of the code).

    The `regex` module finds the candidates in C (its Unicode data may be
    newer); `unicodedata` decides. Twenty times faster than asking
    `unicodedata` about each of the 1,114,112 code points, with the same
    answer (a test compares them).
    """
    return [char for char in regex.findall(rf"\p{{{category}}}", _every_character()) if unicodedata.category(char) == category]


@lru_cache(maxsize=1)
def _unicode_digits() -> dict[int, str]:
    """Every non-ASCII decimal digit (Unicode category Nd) to its ASCII digit."""
    return {ord(char): str(unicodedata.decimal(char)) for char in _characters_of_category("Nd") if ord(char) >= 0x80}


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
    return values


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
    glued = re.compile(f"[{_UNSPACED}]")
    for match in pattern.finditer(text):
        token = match.group()
        for space in _SPACES:
            token = token.replace(space, group)
        value = _parse_number(token, locale)
        if value is not None:
            values[value] += 1
            after = text[match.end() : match.end() + 2].lstrip()
            before = text[match.start() - 1 : match.start()]
            if after[:1] in units or glued.match(before):
                soft[value] += 1
    return values, soft


def target_numbers(text: str, *, locale: str) -> Counter:
    """The values of the numbers of a translation, read with *locale*'s formats."""
    return _target_numbers(text, locale)[0]


def _show(value: Decimal) -> str:
    return f"{value:,f}"


@check("numbers", "error")
def numbers(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
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
    for "one-to-one"); both still must match when the source has digits.
    """
    from babel.numbers import format_decimal

    locale = _babel_locale(language)
    expected = source_numbers(source, locale=_babel_locale(source_language))
    found, soft = _target_numbers(target, locale)
    extra = (found - expected) - soft
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


# --------------------------------------------------------------------------- protected spans


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


# --------------------------------------------------------------------------- glossary


def load_glossary(path: Path) -> list[GlossaryTerm]:
    """Read a glossary CSV (term,language,translation,note); a missing file is an empty glossary."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ConfigError(f"{path}: the glossary cannot be read ({exc.strerror}).") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the glossary is not valid UTF-8 (byte offset {exc.start}); re-save it as UTF-8.") from None
    return parse_glossary(text, where=str(path))


def parse_glossary(text: str, *, where: str = "<glossary>") -> list[GlossaryTerm]:
    """Parse glossary CSV text; *where* names the file in error messages."""
    reader = csv.reader(io.StringIO(text, newline=""))
    terms: list[GlossaryTerm] = []
    seen: dict[tuple[str, str], int] = {}
    header_seen = False
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if not header_seen:
                if tuple(cell.strip().lower() for cell in row) != GLOSSARY_COLUMNS:
                    raise ConfigError(f"{where}:{line}: the first row must be the header {','.join(GLOSSARY_COLUMNS)}; add it.")
                header_seen = True
                continue
            if len(row) != len(GLOSSARY_COLUMNS):
                raise ConfigError(
                    f"{where}:{line}: expected {len(GLOSSARY_COLUMNS)} columns ({','.join(GLOSSARY_COLUMNS)}), "
                    f"found {len(row)}; quote cells that contain a comma."
                )
            term, code, translation, note = (cell.strip() for cell in row)
            if not term:
                raise ConfigError(f"{where}:{line}: the term is empty; fill it in or delete the row.")
            if code:
                try:
                    code = language_facts(code).code
                except LanguageError:
                    raise ConfigError(f"{where}:{line}: {code!r} is not a language code Babel knows; use a code such as uk, pl, de, fr or es.") from None
            elif translation:
                raise ConfigError(f"{where}:{line}: the translation {translation!r} of {term!r} needs a language; fill in the language column.")
            if any(not alternative.strip() for alternative in translation.split("|")) and translation:
                raise ConfigError(f"{where}:{line}: the translation {translation!r} has an empty alternative; remove the stray '|'.")
            key = (term.casefold(), code)
            if key in seen:
                raise ConfigError(f"{where}:{line}: {term!r} ({code or 'every language'}) is already on line {seen[key]}; keep one row.")
            seen[key] = line
            terms.append(GlossaryTerm(term=term, language=code, translation=translation, note=note, where=f"{where}:{line}"))
    except csv.Error as exc:
        raise ConfigError(f"{where}:{reader.line_num}: malformed CSV ({exc}); fix the quoting.") from None
    return terms


def _terms_for(glossary: Sequence[GlossaryTerm], language: str) -> list[GlossaryTerm]:
    """The rows that apply to *language*: the most specific row of each term."""
    base = language.split("_")[0]
    rank = {language: 0, base: 1, "": 2}
    best: dict[str, GlossaryTerm] = {}
    for term in glossary:
        if term.language not in rank:
            continue
        key = term.term.casefold()
        if key not in best or rank[term.language] < rank[best[key].language]:
            best[key] = term
    return list(best.values())


def _term_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def _stem(word: str) -> str:
    if len(word) >= 7:
        return word[:-2]
    if len(word) >= 4:
        return word[:-1]
    return word


@lru_cache(maxsize=None)
def _translation_pattern(translation: str) -> re.Pattern:
    """Any alternative of *translation*, each letter-only word allowed a new ending."""
    alternatives = []
    for alternative in translation.split("|"):
        words = [
            re.escape(_stem(word)) + r"\w*" if word.isalpha() else re.escape(word)
            for word in alternative.split()
        ]
        alternatives.append(r"\s+".join(words))
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})", re.IGNORECASE)


@check("glossary", "error")
def glossary(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """Glossary terms are kept or translated as the glossary says."""
    problems = []
    for term in _terms_for(glossary, language):
        match = _term_pattern(term.term).search(source)
        if match is None:
            continue
        if term.verbatim:
            if not re.search(rf"(?<!\w){re.escape(match.group())}", target):
                problems.append(f"{match.group()!r} must not be translated; keep it as it is ({term.where or 'glossary'})")
        elif not _translation_pattern(term.translation).search(target):
            wanted = " or ".join(repr(t.strip()) for t in term.translation.split("|"))
            problems.append(f"{match.group()!r} must be translated as {wanted} ({term.where or 'glossary'})")
    return problems


# --------------------------------------------------------------------------- punctuation

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
    for char in _characters_of_category("Po"):
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
    base = _babel_locale(language)
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


def _bracket_problems(text: str) -> list[str]:
    stack: list[str] = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in _BRACKETS:
            if not stack or stack[-1] != _BRACKETS[char]:
                return [f"{char!r} closes nothing"]
            stack.pop()
    return [f"{char!r} is never closed" for char in stack]


def _quote_problems(text: str) -> list[str]:
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
    return problems


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


# --------------------------------------------------------------------------- form


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


_DOUBLE_SPACE = re.compile(f"[{_SPACES}]{{2,}}")


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


@check("untranslated-copy", "warning")
def untranslated_copy(source: str, target: str, *, language: str, glossary: Sequence[GlossaryTerm] = (), source_language: str = SOURCE_LANGUAGE) -> list[str]:
    """The translation is not a copy of the source.

    Only for a source of at least two words once handles, URLs, e-mails,
    numbers and never-translated glossary terms are taken out.
    """
    if target.strip() != source.strip():
        return []
    words = source
    for span in reversed(find_spans(words)):
        words = words[: span.start] + " " + words[span.end :]
    for term in _terms_for(glossary, language):
        if term.verbatim:
            words = _term_pattern(term.term).sub(" ", words)
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


# --------------------------------------------------------------------------- header


@check("header", "error", scope="catalogue")
def header(po: polib.POFile, *, language: str) -> list:
    """The header's Language and Plural-Forms agree with the catalogue's language.

    Plural rules are compared by meaning (pipeline.plurals): a valid rule
    that picks other forms than Babel's is a warning naming both rules (the
    gettext convention and CLDR differ, e.g. fr); an invalid one is an error.
    """
    from pipeline.gettext.languages import same_language
    from pipeline.gettext.plurals import PluralFormsError, agree, parse

    facts = language_facts(language)
    problems: list = []
    declared = po.metadata.get("Language", "").strip()
    if not declared:
        problems.append(f"the header has no Language; add 'Language: {facts.code}'")
    elif not same_language(declared, facts.code):
        problems.append(f"the header says Language: {declared} but the catalogue is for {facts.code}")
    plural = po.metadata.get("Plural-Forms", "").strip()
    if not plural:
        problems.append(f"the header has no Plural-Forms; add 'Plural-Forms: {facts.plural_forms}'")
        return problems
    try:
        rule = parse(plural)
    except PluralFormsError as exc:
        return problems + [str(exc)]
    if not agree(rule, parse(facts.babel_plural_forms)):
        problems.append(
            (
                "warning",
                f"Plural-Forms {plural!r} picks other forms than Babel's {facts.babel_plural_forms!r} for {facts.code}"
                " (a valid rule: keep it if it is your team's convention)",
            )
        )
    return problems


# --------------------------------------------------------------------------- running


def _babel_locale(language: str) -> str:
    return language_facts(language).code


def _select(checks: Iterable[str | Check] | None, scope: str) -> list[Check]:
    if checks is None:
        return [c for c in CHECKS.values() if c.scope == scope]
    selected = []
    for item in checks:
        if isinstance(item, Check):
            selected.append(item)
        elif item in CHECKS:
            selected.append(CHECKS[item])
        else:
            raise ConfigError(f"{item!r} is not a check; choose from {', '.join(CHECKS)}.")
    return [c for c in selected if c.scope == scope]


def silenced(entry: polib.POEntry) -> set[str]:
    """The ids of the checks the entry turns off: a `no-check-<id>` translator comment line or flag.

    The comment form (`# no-check-numbers: why`) is the one to use: GNU
    msgmerge and msgcat keep translator comments but drop flags they do not
    know, so a flag is lost on the first gettext pass.
    """
    ids = {flag[len(SILENCE_PREFIX) :] for flag in entry.flags if flag.startswith(SILENCE_PREFIX)}
    for line in entry.tcomment.split("\n"):
        line = line.strip()
        if line.startswith(SILENCE_PREFIX):
            ids.add(line[len(SILENCE_PREFIX) :].split(":", 1)[0].strip())
    return ids


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, target) pairs of an entry: the msgstr, or each plural form."""
    if entry.msgid_plural:
        return [
            (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
            if text
        ]
    return [(entry.msgid, entry.msgstr)] if entry.msgstr else []


def is_checked(entry: polib.POEntry) -> bool:
    """True for the entries the checks look at: translated, not obsolete, not the header."""
    return bool(entry.msgid) and not entry.obsolete and bool(_pairs(entry))


def check_entry(
    entry: polib.POEntry,
    *,
    language: str,
    glossary: Sequence[GlossaryTerm] = (),
    checks: Iterable[str | Check] | None = None,
    path: str = "",
    source_language: str = SOURCE_LANGUAGE,
) -> list[Finding]:
    """Run the entry checks (all, or those named in *checks*) on one entry, minus its silenced ones."""
    if not is_checked(entry):
        return []
    off = silenced(entry)
    findings = []
    for chosen in _select(checks, "entry"):
        if chosen.id in off:
            continue
        for source, target in _pairs(entry):
            for message in chosen.function(source, target, language=language, glossary=glossary, source_language=source_language):
                findings.append(
                    Finding(
                        check=chosen.id,
                        severity=chosen.severity,
                        message=message,
                        msgid=entry.msgid,
                        line=entry.linenum or None,
                        path=path,
                        language=language,
                        fuzzy=entry.fuzzy,
                    )
                )
    return findings


def check_catalogue(
    po: polib.POFile,
    *,
    language: str,
    path: str = "",
    glossary: Sequence[GlossaryTerm] = (),
    checks: Iterable[str | Check] | None = None,
    source_language: str = SOURCE_LANGUAGE,
) -> list[Finding]:
    """Run the catalogue checks on *po*'s header and the entry checks on each translated entry."""
    path = path or ""
    findings = []
    for chosen in _select(checks, "catalogue"):
        for problem in chosen.function(po, language=language):
            # A catalogue check may give (severity, message) where one problem is milder than its default.
            severity, message = problem if isinstance(problem, tuple) else (chosen.severity, problem)
            findings.append(
                Finding(check=chosen.id, severity=severity, message=message, msgid="", line=None, path=path, language=language, fuzzy=po.metadata_is_fuzzy)
            )
    for entry in po:
        findings += check_entry(entry, language=language, glossary=glossary, checks=checks, path=path, source_language=source_language)
    return findings


def msgfmt_findings(path: Path, *, language: str, shown: str = "") -> list[Finding]:
    """Run GNU `msgfmt -c` on a catalogue (when gettext is installed); each complaint is an error."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    done = subprocess.run(
        [msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, env={"LC_ALL": "C", "PATH": ""}
    )
    if done.returncode == 0:
        return []
    return [
        Finding(check="msgfmt", severity="error", message=line.strip(), msgid="", line=None, path=shown or str(path), language=language, fuzzy=False)
        for line in done.stderr.splitlines()
        if line.strip() and "found" not in line
    ]
