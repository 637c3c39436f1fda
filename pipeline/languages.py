"""Locale facts, all from Babel: validation, names, plural forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import LanguageError

_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Language:
    """A target language as the catalogues and manifest describe it."""

    code: str  # as configured, e.g. "uk" or "pt_BR"
    english_name: str
    native_name: str
    plural_forms: str  # the Plural-Forms header value
    nplurals: int


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    """Validate *code* with Babel and return its facts, or raise LanguageError."""
    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural

    if not isinstance(code, str) or not _CODE.match(code):
        raise LanguageError(f"{code!r} is not a language code; use a code such as uk, pl, de, fr, es or pt_BR.")
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f"{code!r} is not a language Babel knows; use a code such as uk, pl, de, fr, es or pt_BR.") from None
    plural = get_plural(locale)
    return Language(
        code=code.replace("-", "_"),
        english_name=locale.english_name or code,
        native_name=locale.get_display_name(locale) or code,
        plural_forms=plural.plural_forms,
        nplurals=plural.num_plurals,
    )


def normalise_code(code: str) -> str:
    """The catalogue form of a language code, through Babel: `UK` → `uk`, `uk-UA` → `uk_UA`.

    Only case and separators are normalised. A code Babel reads only as an
    alias of another (`ukr` → `uk_UA`, `iw` → `he_IL`) is refused with the
    code to use, because the catalogue folder is named by the code.
    """
    from babel import Locale, UnknownLocaleError

    if not isinstance(code, str) or not _CODE.match(code):
        raise LanguageError(f"{code!r} is not a language code; use a code such as uk, pl, de, fr, es or pt_BR.")
    wanted = code.replace("-", "_")
    try:
        normal = str(Locale.parse(wanted))
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f"{code!r} is not a language Babel knows; use a code such as uk, pl, de, fr, es or pt_BR.") from None
    if normal.lower() != wanted.lower():
        raise LanguageError(f"{code!r} is not the code catalogues use for this language; did you mean {normal.split('_')[0]!r} (or {normal!r})?")
    return normal


def parse_languages(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Split `--lang uk,pl --lang de` into validated codes, keeping order, without repeats."""
    if not values:
        return None
    codes: list[str] = []
    for value in values:
        for code in value.split(","):
            code = code.strip()
            if code:
                code = language(normalise_code(code)).code
                if code not in codes:
                    codes.append(code)
    return tuple(codes) or None
