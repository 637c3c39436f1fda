"""Where a translation came from, written as translator-comment lines.

Every note the pipeline leaves in a catalogue is one translator-comment line
that starts with a marker from this module (`#  machine translation: …`).
A comment, not a flag, because GNU msgmerge and msgcat keep translator
comments and drop flags they do not know. Notes are set through
:func:`set_note` only, so a second run replaces its own line and never a
translator's.
"""

from __future__ import annotations

import polib

MT_MARK = "machine translation: "  # starts the translator comment of every MT suggestion
TM_MARK = "translation memory: "  # an answer the translation memory gave
REVIEW_MARK = "needs review: "  # what a reviewer must look at (an engine dropped a placeholder)
BACK_MARK = "back-translation chrF: "  # `roundtrip --back-translate`'s score
DIGEST_MARK = "machine output sha256: "  # proof that the engine wrote the msgstr and nobody changed it since


def comment_lines(entry: polib.POEntry) -> list[str]:
    """The translator-comment lines of *entry* (PO comment lines end only at \\n)."""
    return entry.tcomment.split("\n") if entry.tcomment else []


def notes(entry: polib.POEntry | None, marker: str) -> list[str]:
    """The text after *marker* on each of *entry*'s comment lines that start with it."""
    if entry is None:
        return []
    return [line[len(marker):] for line in comment_lines(entry) if line.startswith(marker)]


def set_note(entry: polib.POEntry, marker: str | tuple[str, ...], *texts: str, first: bool = True) -> None:
    """Replace *entry*'s lines that start with *marker* (one or several) by *texts* (full lines).

    The new lines go before the translator's own lines (*first*) or after
    them; lines with other markers and the translator's comments are kept in
    their order.
    """
    markers = (marker,) if isinstance(marker, str) else marker
    kept = [line for line in comment_lines(entry) if not line.startswith(markers)]
    entry.tcomment = "\n".join([*texts, *kept] if first else [*kept, *texts])


def is_machine(entry: polib.POEntry) -> bool:
    """True when the entry's translation is an unreviewed machine suggestion."""
    return entry.fuzzy and any(line.startswith(MT_MARK) for line in comment_lines(entry))


def output_digest(text: str) -> str:
    """The digest an engine records of its own output (the first 16 hex digits of the SHA-256 of the msgstr)."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def engine_wrote(entry: polib.POEntry) -> bool:
    """True when *entry*'s msgstr is exactly what an engine wrote: its recorded digest matches.

    Only such an entry may be replaced by an engine. A suggestion a person
    edited (or one from before digests were recorded) has no matching
    digest, and is a person's text.
    """
    recorded = notes(entry, DIGEST_MARK)
    return bool(entry.msgstr) and bool(recorded) and recorded[0].strip() == output_digest(entry.msgstr)
