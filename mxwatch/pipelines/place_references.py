"""Places a text gives without naming them: a demonym standing for a place ("la planta tapatía", "sus dos
plantas duranguenses", "la tijuanense sumará 800"), a description ("la capital del país", "la Sultana del
Norte", "the Mexican capital"), a pair of places named just before ("ambas ciudades", "both cities") and the
capital of the state named before ("la capital del estado", "the state capital").

They place job counts (see job_counts.py); they never add a city or state to an article's lists, where
only names count. Data: ``patterns/place_references.jsonl`` and the demonyms of ``mx_cities.jsonl``. The
scan is one dict lookup per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc

from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.places import Place, PlaceMention, fold, get_gazetteer

# A reference to several places of different states, or to places abroad: the count has no one place.
NOWHERE = Place("none", "none", "", "", 0.0, 0.0)
_GEO_LABELS = {"GPE", "LOC"}
_APPOSITION = re.compile(r",\s*(?:(?:la|el|the)\s+)?", re.IGNORECASE)
_PAIR_REACH = 400  # characters back to the two places a pair refers to


@dataclass(frozen=True)
class PlaceReference(PlaceMention):
    """A place given without its name ("en ambas ciudades"): never a qualifier of a city before it."""


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    kind: str  # "description", "pair", "state_capital", "named_capital" or "same_city"
    place: Place | None


@dataclass(frozen=True)
class _Refs:
    first: dict[str, tuple[_Phrase, ...]]  # a phrase's first folded word -> phrases, longest first
    sector_nouns: frozenset[str]
    capital_nouns: frozenset[str]
    triggers: frozenset[int]  # hashes of the lower-cased words (accented and folded) that may start a reference


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(fold(phrase).replace("'s", " 's").split())


@lru_cache(maxsize=1)
def _refs() -> _Refs:
    gaz = get_gazetteer()
    first: dict[str, list[_Phrase]] = {}
    sector, capital = set(), set()
    for r in read_patterns("place_references.jsonl"):
        if r["type"] == "sector_noun":
            sector |= {fold(v) for v in r["values"]}
        elif r["type"] == "capital_noun":
            capital |= {fold(v) for v in r["values"]}
        elif "phrase" in r:  # (the other rows are job_counts.py's: landmarks, roads, regions)
            place = None
            if r["type"] in ("description", "named_capital"):
                place = next((p for p in gaz.surfaces.get(fold(r["place"]), []) if p.kind == r["kind"]), None)
                if place is None:
                    raise ValueError(f"place_references.jsonl: unknown place {r['place']!r}")
            phrase = _Phrase(_words(r["phrase"]), r["type"], place)
            first.setdefault(phrase.words[0], []).append(phrase)
    raw = {w.lower() for r in read_patterns("place_references.jsonl") if "phrase" in r for w in r["phrase"].split()[:1]}
    raw |= {v.lower() for r in read_patterns("mx_cities.jsonl") if r["type"] == "demonym" for v in r["values"]}
    triggers = frozenset(hash_string(w) for w in raw | set(first) | set(gaz.demonyms))
    return _Refs({k: tuple(sorted(v, key=lambda p: -len(p.words))) for k, v in first.items()},
                 frozenset(sector), frozenset(capital), triggers)


def place_references(doc: Doc, places: list[PlaceMention], text: str | None = None) -> list[PlaceMention]:
    """The unnamed places of ``doc`` (``places``: its named Mexican places; ``text``: ``doc.text``, which
    spaCy rebuilds on each access), in text order."""
    gaz, refs = get_gazetteer(), _refs()
    out: list[PlaceMention] = []
    skip_to = 0
    text = text or ""
    # one set lookup per token, on the lower-case hashes (no Token objects made); Python work on a hit only
    triggers = refs.triggers
    for i, h in enumerate(doc.to_array(LOWER).tolist()):
        if h not in triggers or i < skip_to:
            continue
        text = text or doc.text
        tok = doc[i]
        word = fold(tok.lower_)
        phrases = refs.first.get(word)
        if phrases:
            hit = next((p for p in phrases if _matches(doc, i, p.words)), None)
            if hit is not None:
                end = doc[i + len(hit.words) - 1].idx + len(doc[i + len(hit.words) - 1].text)
                place = (hit.place if hit.kind == "description" else _pair(doc, tok.idx, places)
                         if hit.kind == "pair" else _named_capital(doc, i + len(hit.words), tok.idx, hit, places)
                         if hit.kind == "named_capital" else _same_city(tok.idx, places)
                         if hit.kind == "same_city" else _state_capital(tok.idx, places))
                if place is not None and not _apposition(text, tok.idx, places):
                    out.append(PlaceReference(place, text[tok.idx:end], tok.idx, end))
                if place is not None or hit.kind != "named_capital":
                    skip_to = i + len(hit.words)
                    continue  # (a capital named otherwise may start another phrase: "la capital del estado")
        demonym = gaz.demonyms.get(word)
        if demonym is not None and tok.text[:1].islower() and i > 0:
            place = _demonym_place(doc, i, demonym, places, refs)
            if place is not None:
                out.append(PlaceReference(place, tok.text, tok.idx, tok.idx + len(tok.text)))
    return out


def _apposition(text: str, start: int, places: list[PlaceMention]) -> bool:
    """"en Chihuahua, la capital del estado, con 900": the description restates the name just before."""
    return any(0 <= start - p.end_char <= 8 and _APPOSITION.fullmatch(text[p.end_char:start]) for p in places)


def _matches(doc: Doc, i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(doc):
        return False
    return all(fold(doc[i + k].text) == w for k, w in enumerate(words))


def _demonym_place(doc: Doc, i: int, demonym: Place, places: list[PlaceMention], refs: _Refs) -> Place | None:
    """"la planta tapatía": Guadalajara. Not a demonym before a name ("la regiomontana Softtek": the company's
    origin) or after one. A state's demonym (or a city's that shares its state's name: "potosina") is the city
    of that state named last before ("Villa de Reyes, San Luis Potosí ... la planta potosina"), the state
    after a sector ("el sector tecnológico jalisciense") or a plural over several of its cities named ("sus dos
    plantas duranguenses"), else the state (or that city)."""
    prev = doc[i - 1]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if not prev.is_alpha or not prev.text[:1].islower():
        return None
    if nxt is not None and nxt.is_alpha and nxt.text[:1].isupper():
        return None  # "la empresa regiomontana Nortec Digital"
    gaz = get_gazetteer()
    state_name = demonym.state
    if fold(prev.text) in refs.capital_nouns:
        return gaz.capitals.get(state_name, demonym)  # "la capital potosina"
    if demonym.kind == "city" and fold(demonym.name) not in gaz.shared_names:
        return demonym
    state = gaz.states.get(fold(state_name))
    if any(fold(t.text) in refs.sector_nouns for t in doc[max(0, i - 3):i]):
        return state
    start = doc[i].idx
    prior = [p.place for p in places if p.end_char <= start and p.place.kind == "city" and p.place.state == state_name]
    if doc[i].text.endswith("s") and len({p.name for p in prior}) >= 2:
        return state  # "sus dos plantas duranguenses" after Durango and Gómez Palacio
    if prior:
        return prior[-1]
    return demonym if demonym.kind == "city" else state


def _pair(doc: Doc, start: int, places: list[PlaceMention]) -> Place | None:
    """"ambas ciudades": the last two places named before (cities, or places abroad): their state when both
    are Mexican cities of one state, else NOWHERE; None when fewer than two are named close before."""
    gaz = get_gazetteer()
    seen: list[tuple[int, str | None]] = [(p.start_char, p.place.state) for p in places
                                          if p.place.kind == "city" and start - _PAIR_REACH <= p.start_char < start]
    for e in doc.ents:
        if (e.label_ in _GEO_LABELS and start - _PAIR_REACH <= e.start_char < start
                and fold(e.text) not in gaz.surfaces and "mexic" not in fold(e.text)
                and not any(p.start_char <= e.start_char < p.end_char for p in places)):
            seen.append((e.start_char, None))  # abroad
    if len(seen) < 2:
        return None
    last_two = [s for _, s in sorted(seen)[-2:]]
    if None in last_two or last_two[0] != last_two[1]:
        return NOWHERE
    return gaz.states.get(fold(last_two[0]))


def _named_capital(doc: Doc, after: int, start: int, hit: _Phrase, places: list[PlaceMention]) -> Place | None:
    """"all in the capital": the country's capital when the text named it before (not "the capital of Jalisco",
    "the capital's ..." of another, nor "the state capital", which is no such phrase)."""
    if after < len(doc) and fold(doc[after].text) in ("of", "de", "del"):
        return None
    if after < len(doc) and (fold(doc[after].text) in get_gazetteer().demonyms or fold(doc[after].text) == "estatal"):
        return None  # "la capital sonorense", "la capital estatal": a state's capital
    if start > 0 and fold(doc.text[max(0, start - 8):start]).strip().endswith(("state", "'s")):
        return None
    return hit.place if any(p.place == hit.place and p.end_char <= start for p in places) else None


def _same_city(start: int, places: list[PlaceMention]) -> Place | None:
    """"En la misma ciudad, la argentina Globant sumó 300 desarrolladores": the Mexican city named last before."""
    prior = [p for p in places
             if p.end_char <= start and start - p.end_char <= 2 * _PAIR_REACH and p.place.kind == "city"]
    return prior[-1].place if prior else None


def _state_capital(start: int, places: list[PlaceMention]) -> Place | None:
    """"la capital del estado": the capital of the state of the Mexican place named last before."""
    prior = [p for p in places if p.end_char <= start]
    if not prior:
        return None
    return get_gazetteer().capitals.get(prior[-1].place.state)
