"""Locale facts, all from Babel: validation, names, plural forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.gettext import plurals
from pipeline.errors import LanguageError

# gettext's folder names: `ll`, `ll_CC`, `ll_Scrp`, and any of them with an `@modifier` (`sr@latin`, `ca@valencia`).
_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z]{2,20})?$")


@dataclass(frozen=True)
class Language:
    """A target language as the catalogues and manifest describe it."""

    code: str  # as configured, e.g. "uk" or "pt_BR"
    english_name: str
    native_name: str
    plural_forms: str  # the Plural-Forms a new catalogue gets: GNU msginit's, else Babel's
    nplurals: int
    babel_plural_forms: str  # what the installed Babel says (its text changes between releases)
    babel_code: str = ""  # the Babel locale its facts come from: `sr@latin` → sr_Latn, `ca@valencia` → ca_ES_VALENCIA


def _babel_locale(code: str):
    """The Babel locale of a gettext folder code; `@modifier` read as a script (`latin`) or a variant (`valencia`).

    The modifier is looked up in CLDR's own English names of scripts and
    variants (Babel), so `@cyrillic`, `@devanagari` or `@shaw` need no table
    here. A script CLDR has no locale data for (`be@latin`) keeps the
    language's data: the plural rules and number formats do not depend on
    the script. An unknown modifier is an error.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    base, _, modifier = code.replace("-", "_").partition("@")
    locale = Locale.parse(base)
    if not modifier:
        return locale
    english = Locale("en")
    script = next((key for key, name in english.scripts.items() if modifier.lower() in (name.lower(), key.lower())), None)
    variant = modifier.upper() if modifier.upper() in english.variants else None
    if script is None and variant is None:
        raise LanguageError(f"{code!r}: gettext modifier @{modifier} names no script or variant CLDR knows; use e.g. sr@latin or ca@valencia.")
    territory = locale.territory
    if variant and not territory:
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = Locale.parse(likely).territory if likely else None
    try:
        return Locale(locale.language, territory=territory, script=script or locale.script, variant=variant)
    except (UnknownLocaleError, ValueError):
        return locale


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    """Validate *code* with Babel and return its facts, or raise LanguageError."""
    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural

    if not isinstance(code, str) or not _CODE.match(code):
        raise LanguageError(f"{code!r} is not a language code; use a code such as uk, pl, de, fr, es or pt_BR.")
    try:
        locale = _babel_locale(code)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f"{code!r} is not a language Babel knows; use a code such as uk, pl, de, fr, es or pt_BR.") from None
    code = code.replace("-", "_")
    babel_rule = get_plural(locale).plural_forms
    conventional = plurals.gettext_rule(code.partition("@")[0]) or babel_rule
    return Language(
        code=code,
        english_name=locale.english_name or code,
        native_name=locale.get_display_name(locale) or code,
        plural_forms=conventional,
        nplurals=plurals.parse(conventional).nplurals,
        babel_plural_forms=babel_rule,
        babel_code=str(locale),
    )


def normalise_code(code: str) -> str:
    """The catalogue form of a language code, through Babel: `UK` → `uk`, `uk-UA` → `uk_UA`.

    Only case and separators are normalised. gettext's folder names are
    codes too: `zh_CN` (Babel's zh_Hans_CN, the same language and
    territory) and an `@modifier` (`sr@latin`, `ca@valencia`, kept lower
    case). A code Babel reads only as an alias of another (`ukr` → `uk_UA`,
    `iw` → `he_IL`) is refused with the code to use, because the catalogue
    folder is named by the code.
    """
    from babel import Locale, UnknownLocaleError

    if not isinstance(code, str) or not _CODE.match(code):
        raise LanguageError(f"{code!r} is not a language code; use a code such as uk, pl, de, fr, es or pt_BR.")
    wanted, at, modifier = code.replace("-", "_").partition("@")
    try:
        parsed = Locale.parse(wanted)
        if modifier:
            _babel_locale(code)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f"{code!r} is not a language Babel knows; use a code such as uk, pl, de, fr, es or pt_BR.") from None
    normal = str(parsed)
    parts = wanted.split("_")
    if normal.lower() != wanted.lower():
        # gettext's `ll_CC` where CLDR adds the script (`zh_CN` is zh_Hans_CN): the same language and territory.
        if len(parts) == 2 and parts[0].lower() == parsed.language and parsed.territory and parts[1].upper() == parsed.territory:
            normal = f"{parsed.language}_{parsed.territory}"
        else:
            raise LanguageError(f"{code!r} is not the code catalogues use for this language; did you mean {normal.split('_')[0]!r} (or {normal!r})?")
    return normal + (f"@{modifier.lower()}" if modifier else "")


def same_language(declared: str, code: str) -> bool:
    """True when a header's `Language` names the language of *code* (zh_CN is zh_Hans; zh_TW is not).

    Both are expanded with CLDR's likely subtags (Babel), so a header may
    name the script, the territory or neither.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    def expand(value: str) -> tuple[str, str | None, str | None]:
        locale = _babel_locale(value)
        parts = [locale.language, locale.script, locale.territory]
        likely = get_global("likely_subtags")
        for key in ("_".join(p for p in parts if p), f"{locale.language}_{locale.territory}" if locale.territory else "", locale.language):
            if key in likely:
                full = Locale.parse(likely[key])
                return (locale.language, locale.script or full.script, locale.territory or full.territory)
        return (locale.language, locale.script, locale.territory)

    if declared.replace("-", "_") == code:
        return True
    if "@" in code and declared.strip().lower() == code.partition("@")[0].partition("_")[0].lower():
        return True  # `Language: sr` in sr@latin/: a header naming the language only (GNOME's files do)
    try:
        a, b = expand(declared), expand(code)
    except (UnknownLocaleError, ValueError, TypeError, LanguageError):
        return False
    if a[0] != b[0]:
        return False
    if a[1] and b[1] and a[1] != b[1]:
        return False
    # A territory matters only when the folder names one (uk vs uk_UA agree).
    code_has_territory = "_" in code and _babel_locale(code).territory is not None
    return not (code_has_territory and a[2] and b[2] and a[2] != b[2])


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
