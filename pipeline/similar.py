"""Find the most similar sentence among many, fast: the fuzzy lookup behind merges.

msgmerge gives a changed ``msgid`` the translation of the most similar vanished
one when their similarity is at least 0.6 (gettext's ``fstrcmp``: twice the
longest common subsequence over the sum of the lengths). RapidFuzz's
``fuzz.ratio`` is that same measure on a 0-100 scale, so the threshold is 60.

Comparing every new sentence with every vanished one is quadratic; on large
catalogues a short list is drawn first, from an inverted index of words:

* an exact length filter: ``ratio >= t`` needs the shorter string to be at
  least ``t / (200 - t)`` of the longer, so only sentences in that length
  window can match;
* candidates share words with the query; a word found in more than
  ``common`` indexed sentences is not looked up (except the query's rarest
  words when all of them are common), and candidates are ranked by the number
  of words they share, then by index; the best ``shortlist`` are scored with
  ``fuzz.ratio``, exactly as a full scan would score them;
* when no candidate reaches the threshold and the length window holds at most
  ``full_scan`` sentences (short queries, small catalogues), the window is
  scanned in full, so short sentences that share no word still match.

This is a heuristic filter: a full scan can find a match that the short list
misses when the best candidate shares few words with the query (the tests
measure agreement with a full scan on random edits; below 1 in 100 differs).
Ties go to the lowest index, as in a full ``process.extractOne`` scan.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import Counter

_WORD = re.compile(r"\w+")


def _features(sentence: str) -> set[str]:
    """Words and word pairs (casefolded): pairs are rare, so they rank near-duplicates first."""
    words = _WORD.findall(sentence.casefold())
    return {*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))}


class FuzzyIndex:
    """The indexed sentences, ready to answer "which one is most like this?" many times.

    *shortlist* is how many word-sharing candidates are scored per query,
    *common* the document frequency above which a word is too common to look
    up (default: 2 % of the sentences, at least 50), *full_scan* the largest
    length window scanned in full when the short list finds nothing.
    """

    def __init__(
        self,
        sentences: list[str],
        *,
        shortlist: int = 32,
        common: int | None = None,
        full_scan: int = 2000,
    ):
        self.sentences = list(sentences)
        self.shortlist = shortlist
        self.common = common if common is not None else max(50, len(self.sentences) // 50)
        self.full_scan = full_scan
        self._postings: dict[str, list[int]] = {}
        for index, sentence in enumerate(self.sentences):
            for word in _features(sentence):
                self._postings.setdefault(word, []).append(index)
        # Indexes sorted by length, for the length window of a query.
        self._by_length = sorted(range(len(self.sentences)), key=lambda i: (len(self.sentences[i]), i))
        self._lengths = [len(self.sentences[i]) for i in self._by_length]

    def __len__(self) -> int:
        return len(self.sentences)

    def best(self, sentence: str, *, threshold: float) -> int | None:
        """Index of the most similar indexed sentence (score >= threshold, 0-100), or None."""
        if not self.sentences:
            return None
        from rapidfuzz import fuzz, process

        low, high = self._window(len(sentence), threshold)
        found = None
        candidates = self._candidates(sentence, low, high)
        if candidates:
            found = process.extractOne(
                sentence, {i: self.sentences[i] for i in candidates}, scorer=fuzz.ratio, score_cutoff=threshold
            )
        if found is None:
            start = bisect.bisect_left(self._lengths, low)
            stop = bisect.bisect_right(self._lengths, high)
            if 0 < stop - start <= self.full_scan:
                window = sorted(self._by_length[start:stop])
                found = process.extractOne(
                    sentence, {i: self.sentences[i] for i in window}, scorer=fuzz.ratio, score_cutoff=threshold
                )
        return found[2] if found is not None else None

    def score(self, sentence: str, index: int) -> float:
        """The similarity (0-100) of *sentence* to the indexed sentence *index*."""
        from rapidfuzz import fuzz

        return fuzz.ratio(sentence, self.sentences[index])

    def _window(self, length: int, threshold: float) -> tuple[int, int]:
        """Lengths an indexed sentence may have and still reach *threshold* against *length* characters."""
        if threshold <= 0:
            return 0, math.inf
        if threshold >= 200:
            return length, length
        # ratio <= 200 * min / (min + max); the 1e-9 absorbs rounding at the edge.
        low = math.ceil(length * threshold / (200 - threshold) - 1e-9)
        high = math.floor(length * (200 - threshold) / threshold + 1e-9)
        return low, high

    def _candidates(self, sentence: str, low: int, high: int) -> list[int]:
        """The indexes sharing the most (not too common) words with *sentence*, in index order."""
        words = [w for w in _features(sentence) if w in self._postings]
        if not words:
            return []
        rare = [w for w in words if len(self._postings[w]) <= self.common]
        if not rare:
            # Only common words: look up the two rarest rather than none.
            rare = sorted(words, key=lambda w: (len(self._postings[w]), w))[:2]
        shared: Counter[int] = Counter()
        for word in rare:
            shared.update(self._postings[word])
        lengths = self.sentences
        ranked = heapq.nsmallest(
            self.shortlist,
            (
                (-count, index)
                for index, count in shared.items()
                if low <= len(lengths[index]) <= high
            ),
        )
        return sorted(index for _, index in ranked)
