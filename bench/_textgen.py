"""Seeded generator of news-style English sentences (for catalogues and articles in the benchmarks).

Sentences are built from a small grammar over a newsroom vocabulary (the
seed article's words plus common news words), so they look like copy: varied
subjects, verbs, places, dates and numbers, with shared function words and
recurring phrases, as real catalogues have. Same seed, same sentences.
"""

from __future__ import annotations

import random
import re

from _common import SEED_ARTICLE

_SUBJECT_HEADS = """soldiers troops officials residents rescuers firefighters volunteers doctors nurses
teachers farmers workers engineers journalists reporters analysts investigators prosecutors judges
lawmakers ministers diplomats negotiators protesters students pensioners refugees villagers drivers
pilots sailors guardsmen commanders generals economists scientists researchers activists observers
inspectors experts tenants shoppers miners fishermen bakers nurses paramedics surgeons midwives
architects builders electricians plumbers mechanics cyclists commuters passengers tourists
athletes coaches referees musicians actors painters writers historians archivists librarians
bankers traders investors shareholders landlords bishops priests monks imams rabbis""".split()
_SINGULAR_HEADS = """governor minister mayor president spokesperson commander council government company
ministry agency court parliament police army navy hospital university museum bank union committee
prosecutor correspondent official resident soldier volunteer farmer driver engineer analyst
chancellor ambassador envoy senator regulator watchdog operator broadcaster newspaper charity
foundation cooperative consortium airline railway utility insurer lender retailer supermarket
brewery vineyard orchestra theatre library cathedral monastery municipality prefecture""".split()
_ADJECTIVES = """Ukrainian Russian Polish German French Spanish local regional national international
foreign senior former young elderly injured displaced armed unarmed exhausted frustrated
independent opposition federal municipal private public emergency military civilian southern
northern eastern western central coastal rural urban cautious angry worried hopeful determined
reluctant anonymous veteran retired newly-elected acting interim striking furious grateful
bewildered stranded evacuated volunteer state-owned family-run award-winning""".split()
_VERBS = """said reported confirmed denied announced warned claimed insisted admitted promised
rejected approved criticised welcomed praised condemned described accused urged asked
discussed questioned defended attacked captured liberated destroyed rebuilt repaired evacuated
visited inspected investigated blocked opened closed reopened delayed cancelled postponed
suspended resumed expanded reduced increased doubled halved launched completed abandoned
negotiated signed ratified vetoed overturned upheld challenged funded audited privatised
nationalised renovated demolished flooded shelled bombed mined cleared patrolled guarded
surveyed mapped photographed filmed documented recorded catalogued exhibited auctioned""".split()
_OBJECT_NOUNS = """plan proposal agreement budget report decision vote bridge road railway power plant
hospital school market border crossing talks ceasefire offensive investigation operation
figures statement law reform sanctions aid package convoy evacuation shelter harbour airport
pipeline deal contract station factory warehouse checkpoint highway dam reservoir water
supply grid treaty memorandum inquiry tribunal referendum census harvest vaccine programme
tender auction loan bond tariff quota subsidy pension scheme housing estate stadium
cathedral archive collection exhibition festival parade marathon tournament""".split("\n")
_OBJECT_NOUNS = [w for line in _OBJECT_NOUNS for w in line.split()]
_PLACES = """Lyman Kyiv Kharkiv Donetsk Luhansk Kherson Zaporizhzhia Odesa Lviv Dnipro Mykolaiv
Poltava Sumy Chernihiv Izium Bakhmut Warsaw Krakow Gdansk Wroclaw Poznan Berlin Munich Hamburg
Cologne Leipzig Dresden Paris Lyon Marseille Toulouse Bordeaux Lille Madrid Seville Valencia
Bilbao Zaragoza Brussels Antwerp Geneva Zurich Vienna Salzburg Prague Brno Budapest Bucharest
Vilnius Riga Tallinn Helsinki Stockholm Oslo Copenhagen London Dublin Lisbon Porto Rome Milan
Naples Athens Istanbul Ankara Tbilisi Chisinau Minsk""".split()
_MONTHS = "January February March April May June July August September October November December".split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_TIMES = [part.strip() for part in """last week|this week|next week|last month|earlier this year|in the early hours of the
morning|overnight|at the weekend|in recent days|over the past few months|within hours|after
midnight|before dawn|in the afternoon|late last night|for the second time this year|two days
later|shortly before noon|at the end of the session""".replace("\n", " ").split("|")]
_CLAUSES = [part.strip() for part in """according to the report|officials said|the ministry said in a statement|
witnesses told reporters|the governor added|local media reported|a spokesperson confirmed|
although the details remain unclear|despite heavy rain|as the fighting continued|
while talks were under way|amid growing concern|in a move criticised by the opposition|
after a long debate|for the first time since the war began|under pressure from the allies|
with support from international partners|as prices continued to rise|but gave no further
details|which was later withdrawn|a claim that could not be independently verified|citing
security concerns|to the surprise of many observers|in a rare show of unity""".replace("\n", " ").split("|")]
_NOUNS = """people homes buildings vehicles tanks drones missiles rockets shells families children
workers jobs schools hospitals villages towns tonnes litres kilometres miles units hectares
households patients passengers flights trains containers tickets signatures votes seats""".split()
_QUOTES = [part.strip() for part in """We will not give up|This is only the beginning|Nobody expected this|We need help now|
The situation is under control|I really don't know what to say|It was the worst night of my
life|We are doing everything we can|The numbers speak for themselves|There is no alternative|
We have been waiting for months|Everyone here is exhausted|It is too early to say|This changes
everything|We were not consulted""".replace("\n", " ").split("|")]


def _seed_words() -> list[str]:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    return sorted({w for w in re.findall(r"\b[a-z]{5,}\b", text)})


class SentenceGenerator:
    """Distinct news-style sentences from a seeded RNG."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.extra = _seed_words()
        self.seen: set[str] = set()

    def subject(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            head = r.choice(_SUBJECT_HEADS)
            adjective = r.choice(_ADJECTIVES) + " " if r.random() < 0.6 else ""
            lead = r.choice(["The ", "", "Several ", "Dozens of ", "Some ", "Hundreds of ", "Two ", "Most "])
            text = f"{lead}{adjective}{head}"
        else:
            head = r.choice(_SINGULAR_HEADS)
            adjective = r.choice(_ADJECTIVES) + " " if r.random() < 0.5 else ""
            text = f"The {adjective}{head}"
            if r.random() < 0.3:
                text += f" of {r.choice(_PLACES)}"
        return text[0].upper() + text[1:]

    def obj(self) -> str:
        r = self.rng
        base = r.choice(["the ", "a new ", "its own ", "the long-awaited ", "a controversial ", "the disputed ", "the "])
        base += r.choice(_OBJECT_NOUNS)
        if r.random() < 0.4:
            base += f" {r.choice(['in', 'outside', 'north of', 'south of', 'near', 'between'])} {r.choice(_PLACES)}"
            if base.endswith(tuple(_PLACES)) and " between " in base:
                base += f" and {r.choice(_PLACES)}"
        if r.random() < 0.3:
            base += f" affecting {r.randint(2, 99_000):,} {r.choice(_NOUNS)}"
        return base

    def when(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.35:
            return f"on {r.choice(_DAYS)}"
        if roll < 0.55:
            return f"on {r.randint(1, 28)} {r.choice(_MONTHS)}"
        return r.choice(_TIMES)

    def clause(self) -> str:
        r = self.rng
        parts = [self.subject(), r.choice(_VERBS), self.obj()]
        if r.random() < 0.4:
            parts.insert(1, r.choice(["reportedly", "also", "finally", "quietly", "again", "initially", "swiftly", "partly", "formally"]))
        if r.random() < 0.35:
            parts.append(f"{r.choice(['with', 'without', 'for'])} {r.choice(['the help of', 'the support of', 'the approval of', 'a warning from'])} {self._lower(self.subject())}")
        if r.random() < 0.6:
            parts.append(self.when())
        if r.random() < 0.3:
            parts.append(f"{r.choice(['after', 'before', 'despite', 'because of'])} the {r.choice(self.extra).lower()} of the {r.choice(self.extra).lower()}")
        return " ".join(parts)

    def _lower(self, text: str) -> str:
        return text if text.split(" ", 1)[0] in _PLACES else text[0].lower() + text[1:]

    def sentence(self) -> str:
        """A new distinct sentence (5 to 60 words)."""
        r = self.rng
        while True:
            roll = r.random()
            end = "."
            if roll < 0.2:
                text = self.clause()
            elif roll < 0.45:
                text = f"{self.clause()}, {r.choice(_CLAUSES)}"
            elif roll < 0.55:
                text = f"{self.clause()}, and {self._lower(self.clause())}"
            elif roll < 0.65:
                text = f"{r.choice(['He', 'She', 'The statement', 'The report', self.subject()])} said that {self._lower(self.clause())}, adding that {self._lower(self.clause())}"
            elif roll < 0.75:
                text = f"“{r.choice(_QUOTES)},” {self._lower(self.subject())} {r.choice(['said', 'told reporters', 'wrote', 'added'])} {self.when()}"
            elif roll < 0.83:
                items = ", ".join(f"{r.randint(2, 9999):,} {n}" for n in r.sample(_NOUNS, r.randint(2, 6)))
                text = f"{self.subject()} reported that between {self.when()[3:] if r.random() < 0.5 else r.randint(1, 28)} {r.choice(_MONTHS)} and {r.randint(1, 28)} {r.choice(_MONTHS)}, {r.choice(_PLACES)} had lost about {items}"
            elif roll < 0.92:
                text = f"{r.choice(_ADJECTIVES).capitalize()} {r.choice(_SUBJECT_HEADS)} {r.choice(['hold', 'carry', 'inspect', 'repair', 'guard'])} {self.obj()} in {r.choice(_PLACES)}, {r.choice(_PLACES)} region, in an undated photo"
            elif roll < 0.97:
                text = f"{self.subject()} {r.choice(_VERBS)} {self.obj()}"
            else:
                text = f"Why do {self._lower(self.subject())} {r.choice(['advance', 'wait', 'hesitate', 'protest'])} {r.choice(['metre by metre', 'day after day', 'so slowly', 'again'])}"
                end = "?"
            text = text[0].upper() + text[1:] + end
            if text not in self.seen:
                self.seen.add(text)
                return text

    def words(self) -> list[str]:
        return _SUBJECT_HEADS + _ADJECTIVES + _VERBS + _NOUNS + _PLACES + _OBJECT_NOUNS + self.extra

    def edit(self, sentence: str) -> tuple[str, str]:
        """A small edit of *sentence*: one word changed, added or removed; returns (new, kind)."""
        r = self.rng
        words = sentence[:-1].split(" ")
        end = sentence[-1]
        kind = r.choice(["changed", "added", "removed"])
        while True:
            edited = list(words)
            if kind == "changed":
                i = r.randrange(len(edited))
                edited[i] = r.choice(self.words())
            elif kind == "added":
                edited.insert(r.randrange(1, len(edited) + 1), r.choice(self.words()).lower())
            else:
                if len(edited) < 4:
                    kind = "changed"
                    continue
                del edited[r.randrange(1, len(edited))]
            text = " ".join(edited) + end
            if text != sentence and text not in self.seen:
                self.seen.add(text)
                return text, kind
