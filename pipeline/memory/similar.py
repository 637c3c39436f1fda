"""Find the most similar sentence among many, fast: the fuzzy lookup behind merges.

msgmerge gives a changed ``msgid`` the translation of the most similar vanished
one when their similarity is at least 0.6 (gettext's ``fstrcmp``: twice the
longest common subsequence over the sum of the lengths). RapidFuzz's
``fuzz.ratio`` is that measure on a 0-100 scale, so the threshold is 60.

A lookup narrows the sentences to compare in two steps, then scores them with
``fuzz.ratio`` exactly as a full scan would:

1. **Length window (exact).** ``ratio >= t`` needs the shorter string to be at
   least ``t / (200 - t)`` as long as the longer one (3/7 at 60), so only
   sentences in that window of lengths can match. When the index or the
   window holds at most ``full_scan`` sentences, all of them are scored: the
   answer is then exactly a full scan's.
2. **Shared words (heuristic), for larger windows.** An inverted index of
   words and word pairs gives the sentences sharing the most of them with the
   query (a feature found in more than ``common`` sentences is not looked up,
   unless the query has nothing rarer); the best ``shortlist`` are scored.

Step 2 is how msgmerge copes with large catalogues too (an n-gram index in
gettext's ``msgl-fsearch.c``). It finds edited sentences, whose neighbours
share most words, as a full scan does; for an unrelated sentence whose best
score is a chance resemblance just above the threshold it can miss that weak
match or return a slightly weaker one (``tests/test_similar.py`` and
``bench/RESULTS.md`` give the measured rates).

Ties go to the lowest index, as in a full ``rapidfuzz.process.extractOne`` scan,
or (``ngram_ties``, the merge's choice) to the sentence sharing most
character 4-grams with the query, as msgmerge's candidates are ranked.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict

_WORD = re.compile(r"[^\W_]+")  # letters and digits: what SQLite FTS5's unicode61 tokenizer calls a token


def word_features(sentence: str) -> set[str]:
    """Words and word pairs (`a_b`), casefolded: pairs are rare, so near-duplicates rank first.

    The one definition of a sentence's features, for this index and the
    translation memory's FTS5 index alike: `_` joins a pair because no word
    holds one, and the memory's tokenizer keeps it inside a token.
    """
    words = _WORD.findall(sentence.casefold())
    return {*words, *map("_".join, zip(words, words[1:]))}


class FuzzyIndex:
    """Sentences indexed to answer "which one is most like this?" many times.

    *full_scan* is the most sentences scored in full (an index that small, or
    the query's length window in a larger one: exact answers);
    beyond it, the *shortlist* sentences sharing the most words with the query
    are scored; *common* is the number of sentences above which a word is too
    common to look up (default: 2 % of the sentences, at least 50).
    *ngram_ties*: of equally similar sentences, prefer the one sharing most
    character 4-grams with the query, as msgmerge does (else the first).
    """

    def __init__(
        self,
        sentences: list[str],
        *,
        full_scan: int = 1000,
        shortlist: int = 64,
        common: int | None = None,
        ngram_ties: bool = False,
    ):
        self.sentences = list(sentences)
        self.ngram_ties = ngram_ties
        self.full_scan = full_scan
        self.shortlist = shortlist
        self.common = common if common is not None else max(50, len(self.sentences) // 50)
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for index, sentence in enumerate(self.sentences):
            for feature in word_features(sentence):
                postings[feature].append(index)
        self._postings: dict[str, list[int]] = dict(postings)
        self._by_length = sorted(range(len(self.sentences)), key=lambda i: (len(self.sentences[i]), i))
        self._lengths = [len(self.sentences[i]) for i in self._by_length]
        self._arrays: dict[str, object] = {}  # feature -> its postings as a numpy array, made on first use
        self._lengths_np = None

    def __len__(self) -> int:
        return len(self.sentences)

    def best(self, sentence: str, *, threshold: float) -> int | None:
        """Index of the most similar indexed sentence (score >= threshold, 0-100), or None."""
        if not self.sentences or threshold > 100:
            return None
        from rapidfuzz import fuzz, process

        if len(self.sentences) <= self.full_scan:
            # RapidFuzz rejects a sentence outside the length window in a few
            # nanoseconds, so a plain scan beats building any candidate list.
            candidates = self.sentences
        else:
            low, high = _length_window(len(sentence), threshold)
            start = bisect.bisect_left(self._lengths, low)
            stop = bisect.bisect_right(self._lengths, high)
            if stop == start:
                return None
            if stop - start <= self.full_scan:
                candidates = {i: self.sentences[i] for i in sorted(self._by_length[start:stop])}
            else:
                candidates = {i: self.sentences[i] for i in self._shortlist(sentence, low, high)}
                if not candidates:
                    return None
        found = process.extractOne(sentence, candidates, scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None:
            return None
        if not self.ngram_ties:
            return found[2]
        # msgmerge's tie-break: of equally similar sentences, the one sharing most 4-grams, then the first.
        best = found[1] - 1e-9
        tied = [t for t in process.extract(sentence, candidates, scorer=fuzz.ratio, score_cutoff=best, limit=None) if t[1] >= best]
        if len(tied) <= 1:
            return found[2]
        grams = _ngrams(sentence)
        return min(tied, key=lambda t: (-len(grams & _ngrams(t[0])), t[2]))[2]

    def score(self, sentence: str, index: int) -> float:
        """The similarity (0-100) of *sentence* to indexed sentence *index*."""
        from rapidfuzz import fuzz

        return fuzz.ratio(sentence, self.sentences[index])

    def _shortlist(self, sentence: str, low: float, high: float) -> list[int]:
        """Indexes in the length window sharing the most features with *sentence*, in index order."""
        features = [f for f in word_features(sentence) if f in self._postings]
        if not features:
            return []
        rare = [f for f in features if len(self._postings[f]) <= self.common]
        if not rare:
            # Only common words: the two least common rather than nothing.
            rare = sorted(features, key=lambda f: (len(self._postings[f]), f))[:2]
        # Count the shared features per sentence in numpy (the count was the cost:
        # thousands of postings per query); keep the `shortlist` most shared in the
        # length window, ties to the lowest index (a stable sort of ascending ids).
        import numpy

        postings = [self._posting_array(f) for f in rare]
        ids, counts = numpy.unique(numpy.concatenate(postings) if len(postings) > 1 else postings[0], return_counts=True)
        lengths = self._length_array()[ids]
        inside = (lengths >= low) & (lengths <= high)
        ids, counts = ids[inside], counts[inside]
        if ids.size > self.shortlist:
            ids = numpy.sort(ids[numpy.argsort(-counts, kind="stable")[: self.shortlist]])
        return ids.tolist()

    def _posting_array(self, feature: str):
        array = self._arrays.get(feature)
        if array is None:
            import numpy

            array = self._arrays[feature] = numpy.array(self._postings[feature], dtype=numpy.int64)
        return array

    def _length_array(self):
        if self._lengths_np is None:
            import numpy

            self._lengths_np = numpy.array([len(sentence) for sentence in self.sentences], dtype=numpy.int64)
        return self._lengths_np


def _ngrams(text: str, size: int = 4) -> set[str]:
    """The character *size*-grams of *text* (gettext's msgl-fsearch ranks candidates by shared 4-grams)."""
    return {text[i : i + size] for i in range(max(len(text) - size + 1, 1))}


def _length_window(length: int, threshold: float) -> tuple[float, float]:
    """The lengths a sentence may have and still reach *threshold* against one of *length* characters."""
    if threshold <= 0:
        return 0, math.inf
    # ratio <= 200 * shorter / (shorter + longer); the 1e-9 keeps the edge inside.
    low = math.ceil(length * threshold / (200 - threshold) - 1e-9)
    high = math.floor(length * (200 - threshold) / threshold + 1e-9)
    return low, high
