"""Pseudo-localisation: deterministic accented, lengthened text for QA.

`The footage shows` becomes `[Ŧĥê ƒööţåĝê ŝĥöŵŝ ~~~~~]`: every letter is
still readable, so a reviewer sees at a glance which text went through the
catalogues, the brackets reveal truncation, and the padding (about 30 %, as
translations into most European languages run longer) reveals layouts that
cannot grow. Protected spans (@handles, URLs, e-mails, numbers) and mask
tokens are kept intact so the checks can see them.
"""

from __future__ import annotations


from ..protect import MASK_PATTERN, find_spans
from . import NOT_A_TRANSLATION

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđêƒĝĥîĵķļɱñöþǫŕŝţûṽŵẋýžÅƁÇĐÊƑĜĤÎĴĶĻṀÑÖÞǪŔŜŦÛṼŴẊÝŽ",
)


class PseudoEngine:
    """The pseudo-localisation engine (`--engine pseudo`)."""

    name = "pseudo"

    def __init__(self, *, expansion: float = 0.3):
        self.expansion = expansion

    def provenance(self, source: str, target: str) -> str:
        return f"pseudo-localisation ({source}→{target}){NOT_A_TRANSLATION}"

    def translate_batch(self, sentences, *, source, target, progress=None):
        results = []
        for sentence in sentences:
            results.append(self.pseudolocalise(sentence))
            if progress:
                progress(1)
        return results

    def pseudolocalise(self, text: str) -> str:
        """Accent every letter outside protected spans, pad and bracket the result."""
        keep = [(span.start, span.end) for span in find_spans(text)]
        keep += [(m.start(), m.end()) for m in MASK_PATTERN.finditer(text)]
        keep.sort()
        pieces, position = [], 0
        for start, end in keep:
            if start < position:
                continue
            pieces.append(text[position:start].translate(_ACCENTED))
            pieces.append(text[start:end])
            position = end
        pieces.append(text[position:].translate(_ACCENTED))
        padding = "~" * max(1, round(len(text) * self.expansion / 2))
        return f"[{''.join(pieces)} {padding}]"
