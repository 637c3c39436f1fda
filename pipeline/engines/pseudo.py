"""Pseudo-localisation: deterministic accented, lengthened text for QA.

`The footage shows` becomes `[Ŧĥê ƒööţåĝê ŝĥöŵŝ ~~~~~]`: every letter is
still readable, so a reviewer sees at a glance which text went through the
catalogues, the brackets reveal truncation, and the padding (about 30 %, as
translations into most European languages run longer) reveals layouts that
cannot grow. Protected spans (@handles, URLs, e-mails, numbers) and mask
tokens are kept intact so the checks can see them.
"""

from __future__ import annotations


from pipeline.article.protect import MASK_PATTERN, find_spans
from pipeline.engines import NOT_A_TRANSLATION

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
            results.append(self.pseudolocalise(sentence, source=source, target=target))
            if progress:
                progress(1)
        return results

    def pseudolocalise(self, text: str, *, source: str | None = None, target: str | None = None) -> str:
        """Accent every letter outside protected spans, pad and bracket the result.

        Given the languages, a number with separators is written as the
        target locale writes it (Babel: `61,330` → `61 330` in uk), as a
        translator would, so the checks and the publishing gate see what a
        real translation would give them.
        """
        spans = find_spans(text)
        numbers = {(s.start, s.end): s.text for s in spans if s.kind == "number"}
        keep = [(span.start, span.end) for span in spans]
        keep += [(m.start(), m.end()) for m in MASK_PATTERN.finditer(text)]
        keep.sort()
        pieces, position = [], 0
        for start, end in keep:
            if start < position:
                continue
            pieces.append(text[position:start].translate(_ACCENTED))
            value = text[start:end]
            if (start, end) in numbers and source and target:
                value = _localised_number(value, source=source, target=target)
            pieces.append(value)
            position = end
        pieces.append(text[position:].translate(_ACCENTED))
        padding = "~" * max(1, round(len(text) * self.expansion / 2))
        return f"[{''.join(pieces)} {padding}]"


def _localised_number(value: str, *, source: str, target: str) -> str:
    """*value* (a number as the source locale writes it) as the target locale writes it; as is when not a plain number."""
    if value.isdigit():
        return value  # no separator: years, counts, ordinals stay as they are
    from babel.numbers import NumberFormatError, format_decimal, parse_decimal

    try:
        number = parse_decimal(value, locale=source, strict=True)
        return format_decimal(number, locale=target.replace("-", "_"), decimal_quantization=False)
    except (NumberFormatError, ValueError, LookupError):
        return value
