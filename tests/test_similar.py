"""FuzzyIndex: the fuzzy lookup of merges, checked against a full RapidFuzz scan."""

from __future__ import annotations

import random
import re

import pytest
from rapidfuzz import fuzz, process

from pipeline.memory.similar import FuzzyIndex

from conftest import SEED

THRESHOLD = 60
VOCABULARY = sorted(set(re.findall(r"[A-Za-z’]+|\d[\d,]*", SEED.read_text(encoding="utf-8"))))


def sentences(rng: random.Random, count: int) -> list[str]:
    """Distinct sentences of 4 to 30 words of the seed article's vocabulary."""
    made: dict[str, None] = {}
    while len(made) < count:
        words = rng.choices(VOCABULARY, k=rng.randint(4, 30))
        made[" ".join(words).capitalize() + "."] = None
    return list(made)


def edit(rng: random.Random, sentence: str) -> str:
    """One word changed, added or removed (a copy editor's small change)."""
    words = sentence[:-1].split(" ")
    kind = rng.choice(("changed", "added", "removed") if len(words) > 4 else ("changed", "added"))
    if kind == "changed":
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
    elif kind == "added":
        words.insert(rng.randrange(len(words) + 1), rng.choice(VOCABULARY))
    else:
        del words[rng.randrange(len(words))]
    return " ".join(words) + "."


def full_scan(query: str, choices: list[str]) -> tuple[int, float] | None:
    found = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=THRESHOLD)
    return (found[2], found[1]) if found else None


def test_finds_an_edited_sentence_among_unrelated_ones():
    index = FuzzyIndex(
        [
            "Rescuers are reportedly working to free people trapped under rubble.",
            "The soldiers hold their guns in a residential area of Lyman.",
            "Putin said the situation in the new territories will stabilise.",
        ]
    )
    assert index.best("The soldiers hold their rifles in a residential area of Lyman.", threshold=THRESHOLD) == 1
    assert index.best("The soldiers hold guns in a residential area of Lyman.", threshold=THRESHOLD) == 1
    assert index.best("Rescuers are working to free people trapped under the rubble.", threshold=THRESHOLD) == 0


def test_ignores_unrelated_sentences():
    index = FuzzyIndex(["The soldiers hold their guns in a residential area of Lyman."])
    assert index.best("Two people were killed after the city was hit by missiles.", threshold=THRESHOLD) is None
    assert FuzzyIndex([]).best("Anything at all.", threshold=THRESHOLD) is None


def test_threshold_is_inclusive_and_scored_like_fuzz_ratio():
    index = FuzzyIndex(["abcde", "zzzzz"])
    assert fuzz.ratio("abcxy", "abcde") == 60
    assert index.best("abcxy", threshold=60) == 0
    assert index.best("abcxy", threshold=60.01) is None
    assert index.score("abcxy", 0) == 60


def test_ties_go_to_the_lowest_index_as_in_a_full_scan():
    index = FuzzyIndex(["The war goes on.", "The war went on.", "The war goes on."])
    assert index.best("The war goes on!", threshold=THRESHOLD) == 0
    far = "A much longer sentence that cannot match, so the short list path is taken for the query."
    index = FuzzyIndex([far, "The war goes on.", "The war went on.", "The war goes on."], full_scan=0)
    assert index.best("The war goes on!", threshold=THRESHOLD) == 1


def test_short_sentence_sharing_no_word_still_matches():
    # "liberated" vs "liberation": no word in common, similar enough; found by the length window.
    index = FuzzyIndex(["Town liberated.", *(f"Sentence number {n} is long enough to be elsewhere." for n in range(50))])
    assert index.best("Towns liberation.", threshold=THRESHOLD) == 0


def expected_index(query: str, choices: list[str]) -> int | None:
    found = full_scan(query, choices)
    return found[0] if found else None


def test_small_index_equals_a_full_scan_on_random_cases():
    rng = random.Random(7)
    indexed = sentences(rng, 800)
    index = FuzzyIndex(indexed)  # 800 <= full_scan: scored in full, exact by construction
    queries = [edit(rng, rng.choice(indexed)) for _ in range(200)] + sentences(random.Random(8), 200)
    for query in queries:
        assert index.best(query, threshold=THRESHOLD) == expected_index(query, indexed), query


def test_small_length_window_equals_a_full_scan():
    """In a large index, a query whose length window is small is still scored exactly."""
    rng = random.Random(9)
    short = [s for s in sentences(rng, 900) if len(s) < 60][:500]
    long = [s for s in sentences(rng, 2000) if len(s) > 150][:700]
    indexed = long[:350] + short + long[350:]
    index = FuzzyIndex(indexed, full_scan=600)  # the short window (< 600) is scored in full
    queries = [edit(rng, rng.choice(short)) for _ in range(200)] + [s for s in sentences(random.Random(10), 600) if len(s) < 40][:100]
    for query in queries:
        assert index.best(query, threshold=THRESHOLD) == expected_index(query, indexed), query


def test_shortlist_finds_what_a_full_scan_finds_for_edited_sentences():
    rng = random.Random(11)
    indexed = sentences(rng, 3000)
    index = FuzzyIndex(indexed, full_scan=0)  # always the shared-word short list
    queries = [edit(rng, rng.choice(indexed)) for _ in range(300)]
    agree = 0
    for query in queries:
        expected = full_scan(query, indexed)
        found = index.best(query, threshold=THRESHOLD)
        if expected is None:
            agree += found is None
        else:
            agree += found is not None and index.score(query, found) == expected[1]
    assert agree / len(queries) >= 0.99


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shortlist_never_invents_a_match(seed):
    """Whatever the short list returns is a real match a full scan would also accept."""
    rng = random.Random(seed)
    indexed = sentences(rng, 1500)
    index = FuzzyIndex(indexed, full_scan=0, shortlist=8)
    for query in sentences(random.Random(seed + 100), 100) + [edit(rng, s) for s in indexed[:100]]:
        found = index.best(query, threshold=THRESHOLD)
        expected = full_scan(query, indexed)
        if found is not None:
            assert expected is not None and THRESHOLD <= index.score(query, found) <= expected[1]
