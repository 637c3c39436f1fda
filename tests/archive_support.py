"""A generated archive: dated plain-text articles whose sentences partly repeat across articles (as wire copy does)."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "the mayor said a bridge over the river will open in May after repairs that cost 12 million dollars while police "
    "and residents gathered near the old station to watch soldiers march past their homes"
).split()
SHARED = "The mayor said the work would go on."  # in every article: translated once per language


def write_archive(folder: Path, articles: int, *, seed: int = 3) -> list[Path]:
    """*articles* articles named YYYY-MM-DD-storyN.txt under *folder*, one a day from 2024-01-01."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(articles):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).capitalize() + "." for _ in range(4)]
        text = f"Story {number} from the river town\n\n{sentences[0]} {sentences[1]}\n\n{sentences[2]} {sentences[3]} {SHARED}\n"
        path = folder / f"2024-01-{number + 1:02d}-story{number}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
