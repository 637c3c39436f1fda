"""One way to make a catalogue entry, and gettext's test of whether it is translated."""

from __future__ import annotations

import polib

_NEW = object.__new__


class BlankComment(str):
    """A comment that is one empty line (`#` or `#.` alone), which gettext keeps.

    polib holds comments as one string, where "" is no comment at all; this
    empty string says "one empty line" to the writer. Any edit of the
    comment replaces it with a plain string, as it should.
    """

    __slots__ = ()


BLANK_COMMENT = BlankComment("")


def new_entry(**fields) -> polib.POEntry:
    """`polib.POEntry(**fields)` at a third of the cost.

    The reader and the merge make every entry of a catalogue (tens of
    thousands): polib's __init__ was a third of a parse. This sets exactly
    the attributes that __init__ sets, with fresh containers for each entry
    (tests/test_catalog.py compares the two), then *fields*.
    """
    entry = _NEW(polib.POEntry)
    entry.__dict__.update(
        msgid="", msgstr="", msgid_plural="", msgstr_plural={}, msgctxt=None, obsolete=False,
        encoding=polib.default_encoding, comment="", tcomment="", occurrences=[], flags=[],
        previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None, linenum=None,
    )  # fmt: skip
    entry.__dict__.update(fields)
    return entry


def first_msgstr(entry: polib.POEntry) -> str:
    """The translation gettext tests for emptiness (of a plural entry, the first form)."""
    if entry.msgid_plural:
        return entry.msgstr_plural[min(entry.msgstr_plural)] if entry.msgstr_plural else ""
    return entry.msgstr


def is_translated(entry: polib.POEntry) -> bool:
    """True when the entry has a translation, as gettext tests it (of a plural entry, the first form)."""
    return bool(first_msgstr(entry))
