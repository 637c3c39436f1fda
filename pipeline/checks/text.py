"""Facts about text that several check families share: spaces, unspaced scripts, Unicode categories, locales."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from pipeline.gettext.languages import language as language_facts

SPACES = " \u00a0\u202f"
# Han, Hiragana and Katakana: scripts written without spaces between words
# (Chinese, Japanese), as regex class ranges. Korean puts spaces between
# words, so a digit after Hangul is inside a word (`제3자`, "third party").
UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


@lru_cache(maxsize=1)
def every_character() -> str:
    """Every code point, surrogates included, as one string (built in C)."""
    import array

    return array.array("I", range(0x110000)).tobytes().decode("utf-32-le", "surrogatepass")


def characters_of_category(category: str) -> list[str]:
    """Every character of a general category, by Python's `unicodedata` (the Unicode version of the rest of the code).

    The `regex` module finds the candidates in C (its Unicode data may be
    newer); `unicodedata` decides. Twenty times faster than asking
    `unicodedata` about each of the 1,114,112 code points, with the same
    answer (a test compares them).
    """
    return [char for char in regex.findall(rf"\p{{{category}}}", every_character()) if unicodedata.category(char) == category]


def babel_locale(language: str) -> str:
    """The Babel locale code of a catalogue's *language* (`uk_UA` → `uk_UA`, `zh-Hans` → `zh_Hans`, `sr@latin` → `sr_Latn`)."""
    facts = language_facts(language)
    return facts.babel_code or facts.code


def in_article(entry) -> bool:
    """True when an entry comes from an article: its references are files an article reader reads.

    `extract` gives every article sentence its references; a program's
    messages (references to `.c`, `.py`, `.ui` … files, or none, as git's
    catalogues) follow software conventions: re-wrapped help text, numbers
    spelled as words. A check called without an entry applies the article's rules.
    """
    if entry is None:
        return True
    if not entry.occurrences:
        return False
    from pipeline.article.readers import reader, reader_names

    article = tuple(ext for name in reader_names() for ext in reader(name).extensions)
    return all(path.lower().endswith(article) for path, _ in entry.occurrences)
