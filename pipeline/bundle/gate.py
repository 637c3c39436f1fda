"""The publishing gate: the check registry's error findings decide which translations are not published."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import polib

from pipeline.bundle.model import HeldBack

if TYPE_CHECKING:
    from pipeline.checks import Finding


def translations(po: polib.POFile, *, use_fuzzy: bool = False) -> dict[str, str]:
    """msgid → msgstr for the entries gettext would use for an article's sentences.

    Sentences carry no msgctxt, so an entry with one (`msgctxt "alt"`, the
    same msgid) is another message and never replaces the context-less one.
    """
    return {
        e.msgid: e.msgstr
        for e in po
        if e.msgid and e.msgstr and e.msgctxt is None and not e.obsolete and (use_fuzzy or not e.fuzzy)
    }


def gate_failures(findings: Iterable[Finding], usable: dict[str, str]) -> tuple[list[HeldBack], list[str]]:
    """(translations about to be published that fail an error check, catalogue-level errors).

    *findings* are the catalogue's (`checks.check_catalogue`), computed once
    by the caller; only errors count. One held-back item per sentence and
    check (its first message); an error with no msgid is the catalogue's.
    """
    held: dict[tuple[str, str], HeldBack] = {}
    catalogue_errors: list[str] = []
    for finding in findings:
        if finding.severity != "error":
            continue
        if not finding.msgid:
            catalogue_errors.append(f"[{finding.check}] {finding.message}")
        elif finding.msgid in usable and finding.msgctxt is None:  # another context's entry is another message
            held.setdefault((finding.msgid, finding.check), HeldBack(finding.msgid, finding.check, finding.message, finding.line))
    return list(held.values()), catalogue_errors
