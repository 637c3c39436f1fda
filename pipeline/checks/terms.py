"""The glossary (`locale/glossary.csv`) and the `glossary` check.

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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.checks.registry import SOURCE_LANGUAGE, check
from pipeline.errors import ConfigError, LanguageError
from pipeline.gettext.languages import language as language_facts

GLOSSARY_COLUMNS = ("term", "language", "translation", "note")


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


def load_glossary(path: Path) -> list[GlossaryTerm]:
    """Read a glossary CSV (term,language,translation,note); a missing file is an empty glossary."""
    from pipeline.runtime.reading import read_bounded

    path = Path(path)
    try:
        data = read_bounded(path, kind="glossary", error=ConfigError, what="a glossary", advice="glossary.csv must be a regular CSV file")
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


def terms_for(glossary: Sequence[GlossaryTerm], language: str) -> list[GlossaryTerm]:
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


@lru_cache(maxsize=None)
def term_pattern(term: str) -> re.Pattern:
    """*term* as a whole word, case-insensitively."""
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
    for term in terms_for(glossary, language):
        match = term_pattern(term.term).search(source)
        if match is None:
            continue
        if term.verbatim:
            if not re.search(rf"(?<!\w){re.escape(match.group())}", target):
                problems.append(f"{match.group()!r} must not be translated; keep it as it is ({term.where or 'glossary'})")
        elif not _translation_pattern(term.translation).search(target):
            wanted = " or ".join(repr(t.strip()) for t in term.translation.split("|"))
            problems.append(f"{match.group()!r} must be translated as {wanted} ({term.where or 'glossary'})")
    return problems
