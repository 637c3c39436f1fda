"""Quality checks over translated PO entries, in the manner of translate-toolkit's filters.

Each check is a small function ``(source, target, *, language, ...) -> list[str]``
that returns one message per problem (an empty list means it passes). Checks
register themselves in ``CHECKS`` with the ``check`` decorator: a stable id,
a severity and a title (the first line of the docstring); ``registry``
describes the catalogue- and file-wide kinds, ``unregister`` removes one.
``check_catalogue`` runs them all and is the one verdict every stage uses:
the publishing gate holds back what its error findings name; the review page
and ``status`` show them. Errors are what would make a published article
wrong (a changed number, a lost link, a misnamed place); warnings are what a
reviewer should look at. Adding a check is one function::

    @check("no-shouting", "warning")
    def no_shouting(source, target, *, language, glossary=(), source_language="en"):
        '''The translation does not shout.'''
        return ["the translation shouts"] if target.isupper() and not source.isupper() else []

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
``markup``                error     Markdown/HTML inline markup placeholders
                                    (``<a1>…</a1>``, ``<code2/>``) all kept, none
                                    added, well nested; they may move.
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
``line-structure``        error     the msgid's number of line breaks (gettext's
                                    rule; a new line changes the layout).
``header``                error     per catalogue: ``Language`` and
                                    ``Plural-Forms`` agree with the catalogue's
                                    language (Babel).
``msgfmt``                error     per catalogue file: GNU ``msgfmt -c`` accepts
                                    it; each complaint charged to its entry.
``format``                error     per catalogue: an entry flagged ``c-format``,
                                    ``python-format``, ``python-brace-format``,
                                    ``qt-format`` consumes its msgid's arguments
                                    (number or name, type; any order).
========================  ========  ==============================================

Only translated entries are checked (non-empty ``msgstr``, not obsolete);
fuzzy ones are checked too, and their findings say so. A translator silences
one check on one entry with a translator comment line ``# no-check-<id>: why``
(or the flag ``#, no-check-<id>``, which GNU tools drop); the header and
msgfmt checks have no such flag, as a wrong header is always fixed in the
header and msgfmt's rules are gettext's own.

Modules: ``registry`` (Check, Finding, ``check``, ``check_catalogue``),
``text`` (shared Unicode and locale facts), and one per family: ``numeric``,
``verbatim``, ``terms`` (the glossary file and its check), ``punctuation``,
``form``, ``catalogue`` (header, msgfmt), ``formats`` (format directives). They register in the order
imported below, which is the order findings come in.
"""

from __future__ import annotations

from pipeline.checks.registry import (
    CHECKS,
    SEVERITIES,
    SILENCE_PREFIX,
    SOURCE_LANGUAGE,
    Check,
    Finding,
    Problem,
    check,
    check_catalogue,
    check_entry,
    is_checked,
    registry_key,
    silenced,
    unregister,
)

# Registration order is finding order: entry checks, then the catalogue's.
from pipeline.checks.numeric import numbers, source_numbers, target_numbers  # noqa: E402  (isort: skip)
from pipeline.checks.verbatim import protected  # noqa: E402
from pipeline.checks.markup import markup  # noqa: E402
from pipeline.checks.terms import GLOSSARY_COLUMNS, GlossaryTerm, glossary, load_glossary, parse_glossary  # noqa: E402
from pipeline.checks.punctuation import brackets, end_punctuation  # noqa: E402
from pipeline.checks.form import (  # noqa: E402
    LENGTH_RATIO_MAX,
    LENGTH_RATIO_MIN,
    LENGTH_RATIO_MIN_SOURCE,
    SCRIPT_WEIGHTS,
    length_ratio,
    line_structure,
    untranslated_copy,
    weighted_length,
    whitespace,
)
from pipeline.checks.invisible import invisible  # noqa: E402
from pipeline.checks.catalogue import header, msgfmt  # noqa: E402
from pipeline.checks.formats import format_directives  # noqa: E402

__all__ = [
    "CHECKS", "SEVERITIES", "SILENCE_PREFIX", "SOURCE_LANGUAGE", "Check", "Finding", "Problem", "check",
    "check_catalogue", "check_entry", "is_checked", "registry_key", "silenced", "unregister",
    "numbers", "source_numbers", "target_numbers", "protected", "markup",
    "GLOSSARY_COLUMNS", "GlossaryTerm", "glossary", "load_glossary", "parse_glossary",
    "brackets", "end_punctuation",
    "LENGTH_RATIO_MAX", "LENGTH_RATIO_MIN", "LENGTH_RATIO_MIN_SOURCE", "SCRIPT_WEIGHTS",
    "length_ratio", "line_structure", "untranslated_copy", "weighted_length", "whitespace",
    "invisible", "header", "msgfmt", "format_directives",
]
