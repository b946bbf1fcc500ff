"""Job counts in English and Spanish: "will create 1,200 jobs", "con 260 empleados", "hundreds of jobs",
"entre 250 y 300 trabajadores", with their kind, company, city and state.

All vocabulary (units, approximations, number words, kind cues, contexts that make a number of people
something other than jobs) is data in ``patterns/job_terms.jsonl``. A count is a quantity followed,
within a few modifier words, by a unit noun; everything else (money, percentages, years, companies,
graduates, square metres) never reaches a unit and so is never counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc
from text_to_num import alpha2digit

from mxwatch.pipelines.companies import LEGAL_AFTER, CompanyMention
from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.place_references import PlaceReference, place_references
from mxwatch.pipelines.places import PlaceMention, fold, get_gazetteer
from mxwatch.pipelines.term_regex import finditer_at, term_alternation

# Modifiers allowed between a number and its unit ("500 new software jobs"); these words end the
# noun phrase instead, so "500 millones de dólares y ... empleos" does not pair 500 with empleos.
_GAP_STOP = {"and", "or", "y", "o", "e", "de", "del", "in", "en", "of", "to", "a", "that", "que", "the",
             "el", "la", "los", "las", "with", "con", "for", "para", "por", "at", "on", "from", "than",
             "dollars", "dólares", "pesos", "euros", "usd", "mdd", "metros", "meters", "metres", "square",
             "cuadrados", "percent", "por ciento", "years", "años", "which", "who", "will", "would"}
_CLAUSE_BREAK = re.compile(r",\s|;|:|“|”|\"|\s[–—-]\s|\(|\)")
# After a count its clause also ends at a conjunction: "tiene 15 000 empleados y planea sumar ..."
_CLAUSE_END = re.compile(_CLAUSE_BREAK.pattern + r"|\s(?:and|but|while|y|pero|mientras)\s")
_OWNED_GAPS = [["de", "sus"], ["of", "its"], ["of", "their"]]  # "700 de sus ingenieros"
_GEO_LABELS = {"GPE", "LOC"}
_NO_CUE = (None, None)  # unplaced for want of any cue (or for a place abroad in the sentence)
# "in the country", "en el país": a distinct object (built at run time: the compiler shares one constant
# (None, None) among every "return None, None" of this module, _NO_CUE's included), so that no demonym or
# home town places a national count
_NATIONAL = tuple([None, None])
_AT_FOCUS = ("<focus>", "<focus>")  # placed at the article's main facility, known once every count is read
_LIST_GAP = r"\s*(?:,|,?\s*(?:and|y|e))\s*(?:(?:the|la|el|los|las)\s+)?"
_CONJ_END = re.compile(r";|\s(?:and|but|while|y|pero|mientras)\s")
_MIN_VALUE = 2  # "one engineer" is not a job count worth tracking
_RELATIVE_START = re.compile(r"\b(?:que|donde|quien|quienes|where|which|who)\b", re.IGNORECASE)


def _alt(terms: list[str]) -> str:
    """The terms as alternatives, longest first, for a pattern compiled with re.IGNORECASE (all of this module's):
    grouped by first letter (term_alternation), the same matches as the plain "|".join, found faster."""
    ordered = sorted(set(terms), key=len, reverse=True)
    if not ordered or not all(ordered):
        return "|".join(re.escape(t) for t in ordered)
    return term_alternation((t[0], re.escape(t[1:]), True) for t in ordered).removeprefix("(?:").removesuffix(")")


@dataclass
class _Lexicon:
    """Compiled patterns for one language."""

    quantity: re.Pattern
    facility: re.Pattern
    unit_after: re.Pattern
    unit_after_list: re.Pattern
    unit_of: dict[str, str]
    needs_hiring: set[str]
    vague: dict[str, int]
    multiplier: dict[str, int]
    compound: dict[str, int]
    millions: frozenset[str]
    kind_terms: dict[str, re.Pattern]
    sector: re.Pattern
    sector_place: re.Pattern
    not_job_before: re.Pattern
    not_job_idiom: re.Pattern
    not_place_word: re.Pattern  # a verb the model may tag as a place: "Dijo que ..."
    not_job_after: re.Pattern
    hiring: re.Pattern
    company_ref: re.Pattern
    prefilter: re.Pattern
    back_reference: re.Pattern
    unit_before: re.Pattern
    unit_before_of: dict[str, str]
    elliptic: re.Pattern
    count_starts: re.Pattern
    not_subject_before: re.Pattern
    owner_before: re.Pattern
    not_owner_after: re.Pattern
    subject_ref: re.Pattern
    combined: re.Pattern
    relative: re.Pattern
    national: re.Pattern
    state_ref: re.Pattern
    city_ref: re.Pattern
    facility_ref: re.Pattern
    place_not_site: re.Pattern
    company_base: re.Pattern
    based_apposition: re.Pattern
    capital_ref: re.Pattern
    sector_owner_ref: re.Pattern
    workforce_ref: re.Pattern
    sector_state_ref: re.Pattern
    capital_adjective: re.Pattern
    sector_subject: re.Pattern
    definite_subject: re.Pattern
    site_subject: re.Pattern
    metro: re.Pattern
    municipality: re.Pattern
    within_municipality: re.Pattern
    region_ref: re.Pattern
    landmark_before: re.Pattern
    there_after: re.Pattern
    there_before: re.Pattern
    part_place: re.Pattern
    facility_tail: re.Pattern
    title_before: re.Pattern
    title_after: re.Pattern
    home_before: re.Pattern
    home_after: re.Pattern
    home_lead: re.Pattern
    road_after: re.Pattern
    located: re.Pattern
    sector_region_ref: re.Pattern
    locative_end: re.Pattern
    gap_modifier: set[str]
    people_before_unit: set[str]
    change: re.Pattern
    builder_before: re.Pattern
    part_of: re.Pattern
    part_of_after: re.Pattern
    part_is: re.Pattern
    part_no_total: re.Pattern
    part_front: re.Pattern
    predicate_count: re.Pattern  # "400 serán para desarrolladores", "400 will be engineers"
    sized: re.Pattern
    facility_adjective: re.Pattern
    share_between: re.Pattern
    share_before: re.Pattern
    place_not_site_after: re.Pattern
    scope_first: re.Pattern
    not_abroad_between: re.Pattern
    anaphor_start: re.Pattern
    origin_before: re.Pattern
    clause_words: set[str]
    site_before: re.Pattern
    sector_city_ref: re.Pattern
    founded_in: re.Pattern
    local_area_before: re.Pattern
    local_area_after: re.Pattern
    clause_suffixes: tuple[str, ...]
    target: re.Pattern  # a projected headcount right before a count: "grow to", "llegará a", "will have about"
    reporting: re.Pattern
    collective: re.Pattern
    collective_owner: re.Pattern
    office: re.Pattern
    object_prep: re.Pattern  # "for car plants": a collective that is an object
    past_target: re.Pattern  # "expanded its office to about 160 staff": a headcount reached
    count_new: re.Pattern  # inside the count: "400 new positions", "250 hires"
    count_planned: re.Pattern  # "the 70 planned hires"
    possessive: re.Pattern  # right before the count: "its 1,500 staff"
    future_and: re.Pattern  # "will open in 2027 and " (before a coordinated "employ")
    sector_verb: re.Pattern
    country_subject: re.Pattern


@cache
def _lexicon(lang: str) -> _Lexicon:
    rows = read_patterns("job_terms.jsonl")
    rows = [r for r in rows if r["lang"] == lang]

    def terms(kind: str) -> list[str]:
        return [r["term"] for r in rows if r["type"] == kind]

    def place_terms(kind: str) -> list[str]:
        return [t for r in read_patterns("place_references.jsonl") if r["type"] == kind and r["lang"] == lang
                for t in r["terms"]]

    unit_of = {r["term"].lower(): r["unit"] for r in rows if r["type"] == "unit"}
    needs_hiring = {r["term"].lower() for r in rows if r["type"] == "unit" and r.get("needs_hiring_verb")}
    vague = {r["term"].lower(): r["value"] for r in rows if r["type"] == "vague"}
    multiplier = {r["term"].lower(): r["value"] for r in rows if r["type"] == "multiplier"}
    compound = {r["term"].lower(): r["value"] for r in rows if r["type"] == "multiplier" and r.get("compound")}
    word = rf"(?:{_alt(terms('number_word'))})"
    numwords = rf"\b{word}(?:(?:\s+|-)(?:(?:and|y)\s+)?{word})*\b"
    digits = r"\d{1,3}(?:(?:,|\.|\u00a0|\u202f| )\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)?"
    number = rf"(?:{digits}|{numwords})(?:\s*(?:{_alt(list(multiplier))})\b)?"
    if compound:
        # Mexican press writes 1,500 as "mil 500" and 2,300 as "2 mil 300": tried first, so that the
        # thousands are not read alone and the trailing figure taken for the count.
        number = rf"(?:(?:(?:{digits}|{numwords})\s*)?\b(?:{_alt(list(compound))})\s+\d{{1,3}}(?![\d]|[.,]\d)|{number})"
    millions = _millions(multiplier)
    if millions:
        # "un millón 850 mil", "22 millones 410 mil 236", "22 million 512,000": the millions and the rest
        rest = r"\d{1,3}(?:,|\.|\u00a0|\u202f| )\d{3}(?![\d.,]\d)"
        if compound:
            rest += (rf"|(?:(?:\d{{1,3}}|{numwords})\s*)?\b(?:{_alt(list(compound))})\b"
                     rf"(?:\s+\d{{1,3}}(?![\d]|[.,]\d))?")
        number = rf"(?:(?:{digits}|{numwords})\s*\b(?:{_alt(millions)})\s+(?:{rest})|{number})"
    rng = _alt(terms("range"))
    quantity = re.compile(
        rf"(?:(?P<approx>{_alt(terms('approx'))})\s+)?"
        rf"(?:(?P<vague>\b(?:{_alt(list(vague))}))"
        rf"|(?:(?:between|entre|from|de)\s+)?(?P<n1>{number})"
        rf"(?:\s*(?:{rng})\s*(?:(?P<approx2>{_alt(terms('approx'))})\s+)?(?P<n2>{number}))?)",
        re.IGNORECASE,
    )
    unit_after = re.compile(rf"\s*(?P<gap>(?:[^\W\d][\w-]*\s+){{0,3}}?)(?P<unit>{_alt(list(unit_of))})\b",
                            re.IGNORECASE)
    unit_after_list = re.compile(
        rf"\s*(?P<gap>(?:[^\W\d][\w-]*s,\s+){{1,3}}[^\W\d][\w-]*s\s+(?:and|y|e)\s+(?:[^\W\d][\w-]*\s+)?)"
        rf"(?P<unit>{_alt(list(unit_of))})\b", re.IGNORECASE)
    kind_terms = {}
    for kind in ("planned", "new", "existing", "existing_weak"):
        kind_terms[kind] = re.compile(
            rf"\b(?:{_alt([r['term'] for r in rows if r['type'] == 'kind' and r['kind'] == kind])})\b",
            re.IGNORECASE)

    def words(kind: str) -> re.Pattern:
        return re.compile(rf"(?<!\w)(?:{_alt(terms(kind))})(?!\w)", re.IGNORECASE)

    def some_words(kind: str) -> re.Pattern:
        # for kinds a language may lack: no terms never match (an empty alternation would match anywhere)
        return words(kind) if terms(kind) else re.compile(r"(?!)")

    def sector_terms(place: bool) -> re.Pattern:
        chosen = [r["term"] for r in rows if r["type"] == "sector" and bool(r.get("location")) is place]
        return re.compile(rf"(?<!\w)(?:{_alt(chosen)})(?!\w)", re.IGNORECASE)

    # "the company", or a determiner, up to two modifiers and a company noun: "the software company",
    # "la firma india" (the named company itself is usually sentences away). A sector word is no modifier:
    # in "la industria maquiladora" the company noun is an adjective of the industry.
    sector_word = rf"(?:{_alt([r['term'] for r in rows if r['type'] == 'sector'])})(?!\w)"
    modifier = rf"(?!{sector_word})[^\W\d][\w-]*\s+"
    company_ref = re.compile(
        rf"(?<!\w)(?:{_alt(terms('company_ref'))}"
        rf"|(?:{_alt(terms('company_determiner'))})\s+(?:{modifier}){{0,2}}?(?:{_alt(terms('company_noun'))}))"
        rf"(?!\w)", re.IGNORECASE)

    def ending(kind: str) -> re.Pattern:
        # the term right before a mention, allowing a determiner in between ("in the Roma district")
        return re.compile(rf"(?<!\w)(?:{_alt(terms(kind))})\s+(?:(?:the|its|their|la|el|los|las|su|sus)\s+)?$",
                          re.IGNORECASE)

    unit_before_of = {r["term"].lower(): r["unit"] for r in rows if r["type"] == "unit_before"}
    unit_before = re.compile(
        rf"(?<!\w)(?P<lead>{_alt(list(unit_before_of))})\s+(?:(?P<approx>{_alt(terms('approx'))})\s+)?"
        rf"(?P<n1>{number})(?:\s*(?:{rng})\s*(?P<n2>{number}))?"
        r"(?=\s*(?:[,.;:)]|$)|\s+(?:in|at|by|who|that|working|and|as|on|across|en|para|que|y|al|a|por|hacia|"
        # "an engineering team of about 150 will stay in Mexico City"
        r"durante|this|next|este|esta|el|la|will|would|is|are|was|were|today|now|hoy)\b)", re.IGNORECASE)
    elliptic = re.compile(
        rf"(?:(?<!\w)(?P<lead>{_alt(terms('elliptic_lead'))})\s+(?:(?P<approx0>{_alt(terms('approx'))})\s+)?"
        rf"(?P<n0>{number})(?![.,]?\d)(?=\s*(?:[,.;:)]|$)|\s+(?:in|at|by|for|and|next|this|en|para|por|al|a|y|hacia|"
        # ("add another 80 there within 18 months")
        r"durante|este|esta|antes|before|trabajan|laboran|trabajarán|laborarán|serán|son|work|works|más|more|"
        # ("de los cuales cerca de 2 mil correspondieron a la industria electrónica")
        r"there|within|over|when|allí|ahí|dentro|cuando|correspondieron|corresponden|correspondió|corresponderán|"
        r"worldwide|globally)\b))"
        rf"|(?:(?<![\w$€])(?:(?P<approx>{_alt(terms('approx'))})\s+)?(?P<n1>{number})(?![.,]?\d)\s+"
        # ("will add about 100 more when its spa opens", "has hired about 150 of them this year", "180,000 more than
        # a year before")
        rf"(?:{_alt(terms('elliptic'))})(?=\s*(?:[,.;:)]|$)|\s+(?:and|or|y|o|e|in|en|at|when|by|this|next|over|within|"
        # ("Las 600 restantes se ocuparán en ...", "y las 500 restantes a su oficina de Guadalajara")
        rf"than|there|cuando|durante|este|esta|allí|ahí|se|serán|irán|a|al|para|entre)\b))",
        re.IGNORECASE)
    # "800 de los 2 mil puestos serán para ingenieros", "of the 400 new hires, about 250 will be engineers":
    # a part of a total stated before, with the part's own unit when the sentence gives one.
    units = _alt(list(unit_of))
    det = r"(?:the|its|their|these|those|los|las|sus|estos|estas|esos|esas)"
    approx = _alt(terms("approx"))
    part_of = re.compile(
        rf"(?<![\w$€])(?:(?P<approx>{approx})\s+)?(?P<n1>{number})\s+(?:of|de)\s+{det}\s+(?P<n2>{number})\s+"
        rf"(?:[^\W\d][\w-]*\s+){{0,2}}?(?:{units})\b", re.IGNORECASE)
    part_of_after = re.compile(
        rf"(?<!\w)(?:of|de)\s+{det}\s+(?P<n2>{number})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?(?:{units})\b[^.;:]{{0,60}}?,\s*"
        rf"(?:(?P<approx>{approx})\s+)?(?P<n1>{number})(?=\s+(?:will|would|are|were|serán|seran|son|fueron|serían)\b)",
        re.IGNORECASE)
    # (or of "the new" ones, whatever follows: "concentrará 600 de los nuevos puestos")
    part_no_total = re.compile(
        rf"(?<![\w$€])(?:(?P<approx>{approx})\s+)?(?P<n1>{number})(?:\s*(?:{rng})\s*(?P<n2>{number}))?\s+(?:of|de)\s+"
        rf"{det}\s+(?:(?=(?:new|nuevos|nuevas)\s+(?:{units})\b)|(?=(?:[^\W\d][\w-]*\s+){{0,2}}?(?:{units})\b"
        rf"\s+(?:are|will be|would be|to be|serán|son)\b))(?:[^\W\d][\w-]*\s+){{0,2}}?(?P<whole>{units})\b",
        re.IGNORECASE)
    # "De las nuevas plazas, alrededor de 180 serán para ingenieros", "Of the new hires, about 250 will be engineers"
    part_front = re.compile(
        rf"(?<!\w)(?:of|de)\s+{det}\s+(?:[^\W\d][\w-]*\s+){{0,2}}?(?P<whole>{units})\b\s*,\s*"
        rf"(?:(?P<approx>{approx})\s+)?(?P<n1>{number})(?=\s+(?:are|will be|would be|to be|serán|seran|son|serían"
        # ("De las nuevas plazas, mil se destinarán a su centro de entrega de Querétaro")
        rf"|se destinarán|se destinaran|se destinan|irán|iran|van)\b)",
        re.IGNORECASE)
    # "pero 400 serán para desarrolladores de software", "400 will be engineers": the unit is the predicate's
    predicate_count = re.compile(
        rf"(?<![\w$€.,])(?:(?P<approx>{approx})\s+)?(?P<n1>{number})(?![.,]?\d)"
        rf"(?=\s+(?:will be|would be|are|serán|seran|son|serían)\s)", re.IGNORECASE)
    # "a 600-person centre", "a 70-person firm": a sized unit
    sized = re.compile(rf"(?<![\w$€])(?P<n1>{digits})-(?:person|people|employee|strong)\b", re.IGNORECASE)
    part_is = re.compile(r"\s*(?:will|would|are|were|to|serán|seran|son|fueron|serían|serian)\s+(?:be\s+)?"
                         r"(?:para\s+)?(?:(?:the|los|las)\s+)?", re.IGNORECASE)
    # "400 employees, most of them in Guadalajara", "la mayor parte de sus mil 500 empleados": a share
    share_between = re.compile(rf"(?:,|[–—]\s)\s*(?:{_alt(terms('share'))})\s+(?:{_alt(terms('locative'))})\s",
                               re.IGNORECASE)
    share_before = re.compile(rf"(?<!\w)(?:{_alt(terms('share'))})\s+(?:of|de)\s+{det}\s+(?:(?:{approx})\s+)?$",
                              re.IGNORECASE)
    # a sentence whose subject is "the company" or a nationality standing for it ("La estadounidense contratará")
    nationality = [r["value"] for r in read_patterns("companies.jsonl") if r.get("type") == "cue_modifier"]
    anaphor_start = re.compile(
        rf"\s*(?:{company_ref.pattern}|(?:{_alt(terms('company_determiner'))})\s+(?:{_alt(nationality)})\s+(?!(?-i:[A-ZÁÉÍÓÚÑ])))",
        re.IGNORECASE)
    # "grow to 400", "bringing the plant's workforce to more than 9,000", "pasará de 120 a 400", "reach 850",
    # "contará con 150": a projected headcount, planned
    target = re.compile(
        rf"(?:(?<!\w)(?:{_alt(terms('headcount_target'))})(?!\w)(?P<gap>(?:[^,;:.]|(?<=\d)[.,](?=\d)){{0,60}}?)(?<!\w)(?:to|a|hasta)"
        rf"|(?<!\w)(?:{_alt(terms('headcount_reach'))}))"
        rf"\s+(?:(?:the|los|las)\s+)?(?:(?:{approx})\s+)?$", re.IGNORECASE)
    past_target = re.compile(
        rf"(?<!\w)(?:{_alt(terms('headcount_past'))})(?!\w)(?P<gap>(?:[^,;:.]|(?<=\d)[.,](?=\d)){{0,60}}?)(?<!\w)(?:to|a|hasta)"
        rf"\s+(?:(?:the|los|las)\s+)?(?:(?:{approx})\s+)?$", re.IGNORECASE)

    def modifiers(kind: str) -> re.Pattern:
        chosen = [r["term"] for r in rows if r["type"] == "count_modifier" and r["kind"] == kind]
        return re.compile(rf"(?<!\w)(?:{_alt(chosen)})(?!\w)", re.IGNORECASE) if chosen else re.compile(r"(?!)")
    # Where a match of quantity, part_of, part_no_total or elliptic can start: each starts with an approximation,
    # a vague amount, "between"/"entre"/"from"/"de", a figure, a number word, a compound multiplier ("mil 500") or
    # an elliptic lead word. One pass finds those positions; the four are tried there only (finditer_at).
    starters = [*terms("approx"), *vague, "between", "entre", "from", "de", *terms("number_word"), *compound,
                *terms("elliptic_lead")]
    count_starts = re.compile(rf"(?=\d|{_alt(starters)})", re.IGNORECASE)
    return _Lexicon(
        count_starts=count_starts,
        target=target, reporting=some_words("reporting_verb"),
        collective=words("sector_subject") if not terms("sector_collective") else re.compile(
            rf"(?<!\w)(?:{_alt(terms('sector_subject') + terms('sector_collective'))})(?!\w)", re.IGNORECASE),
        collective_owner=some_words("collective_owner"),
        office=some_words("office_noun"),
        object_prep=re.compile(rf"(?<!\w)(?:{_alt(terms('collective_object_prep'))})\s+(?:[^\W\d][\w-]*\s+){{0,2}}$",
                               re.IGNORECASE) if terms("collective_object_prep") else re.compile(r"(?!)"),
        past_target=past_target, count_new=modifiers("new"), count_planned=modifiers("planned"),
        possessive=ending("possessive"), sector_verb=some_words("sector_verb"),
        country_subject=some_words("country_subject"),
        future_and=re.compile(rf"(?<!\w)(?:{_alt(terms('future_aux'))})(?!\w)[^,;:.]*\s(?:and|y)\s+$", re.IGNORECASE)
        if terms("future_aux") else re.compile(r"(?!)"),
        share_between=share_between, share_before=share_before, anaphor_start=anaphor_start,
        origin_before=ending("origin_before"), site_before=ending("site_before"),
        sector_city_ref=some_words("sector_city_ref"),
        local_area_before=ending("local_area"),
        local_area_after=re.compile(rf"\s+(?:{_alt(terms('local_area'))})(?!\w)", re.IGNORECASE),
        founded_in=re.compile(rf"(?<!\w)(?:{_alt(terms('founded'))})\s+(?:in|en)\s+(?:\d{{4}}|[^\W\d]+\s+(?:de\s+)?\d{{4}})"
                              rf"\s+(?:in|en)\s+(?:(?:the|la|el)\s+)?$", re.IGNORECASE),
        clause_words={t.lower() for t in terms("clause_word")}, clause_suffixes=tuple(terms("clause_suffix")),
        # "a Monterrey-based developer", not "the Guadalajara-based team" (the team's site)
        place_not_site_after=re.compile(
            rf"(?:{_alt(terms('place_not_site_after'))})(?!\w)"
            rf"(?!\s+(?:[^\W\d][\w-]*\s+)?(?:{_alt(terms('site_noun'))})(?!\w))", re.IGNORECASE)
        if terms("place_not_site_after") and terms("site_noun") else re.compile(r"(?!)"),
        scope_first=re.compile(
            rf"(?<!\w)(?:{_alt(terms('scope_first') + place_terms('scope_first'))})(?!\w)[^,;:.]{{0,40}}$",
            re.IGNORECASE),
        not_abroad_between=words("not_abroad_between"),
        part_of=part_of, part_of_after=part_of_after, part_is=part_is, part_no_total=part_no_total, sized=sized,
        part_front=part_front, predicate_count=predicate_count,
        # "su planta leonesa", "la oficina regiomontana": a facility placed by a demonym
        facility_adjective=re.compile(rf"(?<!\w)(?:{_alt(terms('facility_noun'))})\s+(?P<adj>[^\W\d]+)", re.IGNORECASE),
        unit_before=unit_before, unit_before_of=unit_before_of, elliptic=elliptic,
        not_subject_before=ending("not_subject_before"), owner_before=ending("owner_before"),
        not_owner_after=ending("not_owner_after"), subject_ref=words("subject_ref"), combined=words("combined"),
        relative=re.compile(rf"(?:{_alt(terms('relative'))})\b", re.IGNORECASE),
        national=re.compile(rf"(?<!\w)(?:{_alt(terms('national') + place_terms('national'))})(?!\w)",
                            re.IGNORECASE),
        state_ref=words("state_ref"), city_ref=words("city_ref"),
        facility_ref=words("facility_ref"),
        facility=re.compile(rf"(?<!\w)(?:{_alt(terms('facility_determiner'))})\s+(?:(?!(?:de|del|of|in|en|the|la|el|and|y)\s)(?:[^\W\d]|\$)[\w$,.-]*\s+){{0,3}}?"
                            rf"(?:{_alt(terms('facility_noun'))})(?!\w)|(?<!\w)(?:{_alt(terms('facility_there'))})(?!\w)"
                            # "Samsung's television plant"
                            rf"|(?<=\w)['’]s\s+(?:(?!(?:of|in|the|and)\s)[^\W\d][\w-]*\s+){{0,2}}?"
                            rf"(?:{_alt(terms('facility_noun'))})(?!\w)",
                            re.IGNORECASE),
        place_not_site=ending("place_not_site"),
        company_base=re.compile(rf"^\s*,\s*(?:{_alt(terms('company_base'))})\s+$", re.IGNORECASE),
        capital_ref=some_words("capital_ref"), sector_owner_ref=some_words("sector_owner_ref"),
        workforce_ref=some_words("workforce_ref"),
        sector_state_ref=some_words("sector_state_ref"),
        capital_adjective=re.compile(rf"(?<!\w)(?:{_alt(terms('capital_noun'))})\s+(?P<adj>[^\W\d]+)", re.IGNORECASE),
        based_apposition=re.compile(rf"\s*,\s*(?:{_alt(terms('company_base'))})\s+[^,;:()]{{2,60}},\s*",
                                    re.IGNORECASE),
        sector_subject=words("sector_subject"),
        # a sentence whose subject is the facility (or the company as "it") told before: "It started production with
        # 420 employees" (not "The company employs 230 people": a global headcount)
        site_subject=re.compile(r"\s*(?:it|we|(?:the|its|la|el|su)\s+(?:plant|site|centre|center|line|planta|centro|"
                                r"línea))\s", re.IGNORECASE),
        # a sentence opening on a definite noun phrase: "The mill, designed to ...", "El informe ..."
        definite_subject=re.compile(r"\s*((?:the|el|la|los|las)\s+(?-i:[a-záéíóúñ])[\w-]*)", re.IGNORECASE),
        metro=re.compile(rf"(?:(?<!\w)(?:{_alt(terms('metro'))})\s+(?:de|of|del)\s+(?:la\s+|el\s+)?$)"
                         rf"|(?:^\s+(?:{_alt(terms('metro'))})(?!\w))", re.IGNORECASE),
        municipality=re.compile(rf"(?:(?<!\w)(?:{_alt(terms('municipality'))})\s+(?:de|of)\s+$)"
                                rf"|(?:^,\s+(?:(?:a|an|un)\s+(?:[^\W\d][\w-]*\s+)?)?(?:{_alt(terms('municipality'))})(?!\w))",
                                re.IGNORECASE),
        # "X, the Monterrey company", "X, una empresa de Saltillo" (not a seat: "X, the Monterrey-based firm")
        home_before=re.compile(r",\s+(?:the|a|an)\s+", re.IGNORECASE),
        home_after=re.compile(rf"\s+(?:[^\W\d][\w-]*\s+)?(?:{_alt(terms('company_noun'))})(?!\w)",
                              re.IGNORECASE),
        home_lead=re.compile(rf",\s+(?:la|una|el|un)\s+(?:{_alt(terms('company_noun'))})\s+(?:de\s+)",
                             re.IGNORECASE),
        title_after=re.compile(rf"\s*(?:{_alt(place_terms('title_after'))})(?!\w)", re.IGNORECASE)
        if place_terms("title_after") else re.compile(r"(?!)"),
        title_before=re.compile(rf"(?<!\w)(?:{_alt(place_terms('title_before'))})\s+$", re.IGNORECASE),
        facility_tail=re.compile(rf"\s(?:a|al|en|para|in|at|to|for)\s+(?:(?:su|sus|la|el|its|their|the)\s+)?"
                                 rf"(?:[^\W\d][\w-]*\s+)?(?:{_alt(terms('facility_noun'))})\s+(?:de|del|en|in|at)$",
                                 re.IGNORECASE),
        part_place=re.compile(rf",\s*(?:{_alt(place_terms('part_lead'))})\s[^,;:()]*?(?:in|en|at)\s+"
                              rf"(?:(?:the|la|el|su|its)\s+)?$", re.IGNORECASE),
        there_before=re.compile(rf"(?<!\w)(?:{_alt(terms('facility_there'))})(?:\s+(?:a|al|to|otros|otras|unos|unas|another))*"
                                 r"\s+$", re.IGNORECASE),  # "contratará allí a otros 80"
        there_after=re.compile(rf"\s+(?:[^\W\d][\w-]*\s+)??(?:{_alt(terms('facility_there'))})(?!\w)", re.IGNORECASE),
        region_ref=re.compile(rf"(?<!\w)(?:{_alt(terms('region_ref') + place_terms('region'))})(?!\w)", re.IGNORECASE),
        sector_region_ref=some_words("sector_region_ref"),
        landmark_before=re.compile(
            rf"(?<!\w)(?:{_alt(place_terms('landmark_before'))})\s+(?:(?:the|la|el)\s+)?$"
            # "40 kilometres from the cluster of data halls in Querétaro"
            rf"|(?<!\w)(?:{_alt(place_terms('distance_noun'))})\s+(?:away\s+)?(?:from|de|of)\s[^,;.]{{0,60}}$"
            # "anunció este martes en Guadalajara"
            rf"|(?<!\w)(?:{_alt(place_terms('announce_verb'))})\s+(?:(?:{_alt(place_terms('time_word'))})\s+){{0,3}}"
            rf"(?:in|en)\s+$"
            # "junto a la carretera Querétaro-San Luis Potosí"
            rf"|(?<!\w)(?:{_alt(place_terms('road_noun'))})\s+(?:[^\W\d][\w.]*\s+){{0,3}}?(?:[^\W\d][\w.]*\s*[–—-]\s*)?$",
            re.IGNORECASE),
        # "the Querétaro–Mexico City highway"
        road_after=re.compile(rf"(?:\s*[–—-]\s*(?:[^\W\d][\w.]*\s+){{1,4}}|\s+)(?:{_alt(place_terms('road_noun'))})(?!\w)",
                              re.IGNORECASE),
        # ", ubicado en el municipio de ", ", located in ": right after a facility that opens a sentence
        located=re.compile(rf",\s*(?:{_alt(terms('located'))})\s+(?:(?:el|the)\s+(?:{_alt(terms('municipality'))})"
                           rf"\s+(?:de|of)\s+)?", re.IGNORECASE) if terms("located") else re.compile(r"(?!)"),
        within_municipality=re.compile(rf"^,\s+(?:en|in)\s+(?:el|the)\s+(?:{_alt(terms('municipality'))})\s+(?:de|of)\s",
                                       re.IGNORECASE),
        locative_end=re.compile(rf"(?<!\w)(?:{_alt(terms('locative'))})\s+(?:(?:the|its|their|la|el|los|las|su|sus)\s+)?"
                                rf"(?:[^\W\d][\w-]*\s+){{0,1}}$", re.IGNORECASE),
        gap_modifier={t.lower() for t in terms("gap_modifier")},
        people_before_unit={t.lower() for t in terms("people_before_unit")},
        change=words("headcount_change"),
        builder_before=re.compile(rf"(?<!\w)(?:{_alt(terms('builder_before'))})\s+(?:[^\W\d][\w-]*\s+){{0,2}}$",
                                  re.IGNORECASE),
        quantity=quantity, unit_after=unit_after, unit_after_list=unit_after_list, unit_of=unit_of,
        needs_hiring=needs_hiring,
        vague=vague, multiplier=multiplier, compound=compound, kind_terms=kind_terms,
        millions=frozenset(t.lower() for t in _millions(multiplier)),
        sector=sector_terms(place=False), sector_place=sector_terms(place=True),
        not_job_before=words("not_job_context"), not_job_idiom=some_words("not_job_idiom"),
        not_place_word=some_words("not_place_word"),
        not_job_after=re.compile(rf"\s+(?:{_alt(terms('not_job_after'))})(?!\w)", re.IGNORECASE)
        if terms("not_job_after") else re.compile(r"(?!)"), hiring=words("hiring_verb"), company_ref=company_ref,
        prefilter=re.compile(rf"\b(?:{_alt(list(unit_of))})\b", re.IGNORECASE),
        back_reference=re.compile(
            rf"(?:up from|down from|compared with|from|desde|frente a|contra)\s+(?:(?:{_alt(terms('approx'))})\s+)?"
            rf"(?P<n1>{number})",
            re.IGNORECASE),
    )


def _millions(multiplier: dict[str, int]) -> list[str]:
    """The multipliers of a million ("millón", "millones", "million") that a smaller number may follow."""
    return [t for t, v in multiplier.items() if v == 1_000_000]


@cache
def _millions_split(millions: tuple[str, ...]) -> re.Pattern:
    """"22 millones 410 mil": the millions, their multiplier and the rest (built once per set of terms)."""
    return re.compile(rf"(?P<head>.*?\S)\s*\b(?P<mult>{_alt(list(millions))})\s+(?P<rest>\S.*)", re.IGNORECASE)


@cache
def _compound_split(compound: tuple[str, ...]) -> re.Pattern:
    """"2 mil 300": the thousands, their multiplier and the rest (built once per set of terms)."""
    return re.compile(rf"(?:(?P<head>.*?\S)\s*)?\b(?P<mult>{_alt(list(compound))})\s+(?P<rest>\d{{1,3}})",
                      re.IGNORECASE)


def parse_number(text: str, lang: str, multiplier: dict[str, int],
                 compound: dict[str, int] | None = None) -> int | None:
    """Integer value of "6,000", "6.000", "6 000", "2 mil", "1.5 million", "dos mil", "hundred".

    ``compound`` multipliers may be followed by the rest of the number: "mil 500" is 1,500 and "2 mil 300"
    is 2,300 (Mexican style); without it they only multiply what precedes them.
    """
    text = text.strip()
    millions = _millions(multiplier)
    m = _millions_split(tuple(millions)).fullmatch(text) if millions else None
    if m:
        high = parse_number(f"{m.group('head')} {m.group('mult')}", lang, multiplier)
        low = parse_number(m.group("rest"), lang, multiplier, compound)
        if high is not None and low is not None and low < 1_000_000:
            return high + low
    if compound:
        m = _compound_split(tuple(compound)).fullmatch(text)
        if m:
            # The thousands are read as their own phrase ("dos mil", "2 mil", "mil"), then the rest added.
            thousands = parse_number(f"{m.group('head') or ''} {m.group('mult')}", lang, multiplier)
            return None if thousands is None else thousands + int(m.group("rest"))
    mult = 1
    m = re.search(r"\s*\b(\w+)$", text)
    if m and m.group(1).lower() in multiplier and text[: m.start()].strip() != "":
        mult = multiplier[m.group(1).lower()]
        head = text[: m.start()].strip()
        if re.fullmatch(r"[^\d]+", head):
            # "dos mil", "two thousand": let text2num read the whole phrase
            head, mult = text, 1
        text = head
    if re.fullmatch(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+", text):
        value = float(re.sub(r"\D", "", text))
    elif re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        value = float(text.replace(",", ".")) if mult > 1 else float(re.sub(r"[.,]\d+$", "", text))
    else:
        converted = alpha2digit(text, lang)
        # text2num leaves a bare "hundred"/"mil" alone or splits odd runs: take the digits it made
        digits = re.findall(r"\d+", converted)
        if len(digits) == 1:
            value = float(digits[0])
        elif text.lower() in multiplier:
            value = float(multiplier[text.lower()])
        else:
            return None
    return int(round(value * mult))


@dataclass
class _Count:
    value: int
    value_max: int | None
    approx: bool
    unit: str
    start: int  # offsets in the doc
    end: int
    partner: _Count | None = None  # the count whose unit an elliptic one borrowed
    kind: str | None = None  # set when the syntax decides it: "pasará de 120 a 400" (120 is the headcount now)
    whole: bool = False  # the total in "800 de los 2 mil puestos": a restatement when stated before
    part_of: _Count | None = None  # for the part, that total (whose company and place it shares)
    part_of_earlier: bool = False  # a part of a total stated earlier ("about 90 of the new employees")
    back_of: _Count | None = None  # for "up from 4,000", "compared with 461,000": the count it is compared with


def _find_counts(sent_text: str, base: int, lang: str, lex: _Lexicon, prior: _Count | None = None) -> list[_Count]:
    """The counts of one sentence; ``prior``, a count just before it, lends its unit to a number whose noun is
    left out ("... 2 mil empleados. En Tijuana laboran unos 900")."""
    counts: list[_Count] = []
    starts = [m.start() for m in lex.count_starts.finditer(sent_text)]
    for q in finditer_at(lex.quantity, sent_text, starts):
        if not q.group("vague") and not q.group("n1"):
            continue
        tail = lex.unit_after.match(sent_text, q.end())
        # "where 210 mechanics, painters and logistics staff worked": a list of trades that a unit ends
        listed = not tail and bool(tail := lex.unit_after_list.match(sent_text, q.end()))
        if not tail:
            continue
        gap = tail.group("gap").lower().split()
        stops = {w for w in gap if w in _GAP_STOP}
        # "250 to 300 engineering and technician jobs", "500 direct and indirect jobs": coordinated modifiers
        coordinated = (bool(gap) and stops <= {"and", "or", "y", "o", "e"} and gap[0] in lex.gap_modifier
                       and gap[-1] not in stops)
        # "400 técnicos e ingenieros", "2 mil choferes y trabajadores": people coordinated with the unit
        coordinated = coordinated or (len(gap) == 2 and gap[0] in lex.people_before_unit
                                      and gap[1] in {"and", "or", "y", "o", "e"})
        # "un millón de empleos", "2 millones de personas": "de" after millions is no stop
        of_millions = gap == ["de"] and q.group(0).split()[-1].lower() in lex.millions
        listed = listed and not stops - {"and", "y", "e"}
        if stops and gap not in _OWNED_GAPS and not coordinated and not of_millions and not listed:
            continue
        unit_term = tail.group("unit").lower()
        # A clause like "universities graduate 7,000 engineers" counts people, not jobs.
        clause_start = _clause_start(sent_text, q.start())
        before = sent_text[clause_start:q.start()]
        # ... but a relative clause starts anew: "un centro de atención a clientes que empleará a 250 personas"
        context = _RELATIVE_START.split(before[-80:])[-1]
        # (not an idiom that holds such a word: "emplea de forma directa a unas 4 mil personas")
        if lex.not_job_before.search(lex.not_job_idiom.sub(" ", context)):
            continue
        if unit_term in lex.needs_hiring and (not lex.hiring.search(sent_text)
                                              or lex.not_job_after.match(sent_text, tail.end())):
            continue  # (nor "three people involved in the recruitment": sources)
        if q.group("vague"):
            value, value_max, approx = lex.vague[q.group("vague").lower()], None, True
        else:
            value = parse_number(q.group("n1"), lang, lex.multiplier, lex.compound)
            value_max = parse_number(q.group("n2"), lang, lex.multiplier, lex.compound) if q.group("n2") else None
            if value is None:
                continue
            if value_max is not None and value_max <= value:
                value_max = None
            approx = bool(q.group("approx") or q.group("approx2"))
            # "in 2017 workers..." never happens, but "2017 hires" would: a bare year is not a count
            if 1900 <= value <= 2100 and re.fullmatch(r"\d{4}", q.group("n1").strip()) and value_max is None:
                continue
        if value < _MIN_VALUE:
            continue
        # (also with the first figure approximate: "pasará de alrededor de 4 mil a 5 mil profesionales")
        from_approx = bool(q.group("approx")) and bool(re.search(r"(?<!\w)(?:from|de)\s+$", before, re.IGNORECASE))
        if (value_max is not None and lex.change.search(before[-60:])
                and (re.match(r"(?:from|de)\s", q.group(0), re.IGNORECASE) and not q.group("approx") or from_approx)):
            # "la plantilla pasará de 120 a 400 empleados": today's headcount and the future one, not a range
            future = _Count(value_max, None, bool(q.group("approx2")), lex.unit_of[unit_term], base + q.start("n2"),
                            base + tail.end())
            counts.append(_Count(value, None, from_approx, lex.unit_of[unit_term], base + q.start("n1"),
                                 base + q.end("n1"), future, kind="existing"))
            counts.append(future)
            continue
        counts.append(_Count(value, value_max, approx, lex.unit_of[unit_term],
                             base + q.start(), base + tail.end()))
        # "projected to reach 115,000 jobs in 2017, up from 105,000 in 2015": the earlier figure
        back = lex.back_reference.search(sent_text, tail.end())
        if back:
            prev = parse_number(back.group("n1"), lang, lex.multiplier, lex.compound)
            if prev and prev >= _MIN_VALUE and not re.fullmatch(r"(?:19|20)\d\d", back.group("n1").strip()):
                # an earlier headcount, or an earlier total (which _kind may still make a sector total)
                counts.append(_Count(prev, None, False, lex.unit_of[unit_term],
                                     base + back.start("n1"), base + back.end("n1"), kind="existing",
                                     back_of=counts[-1]))
    counts.extend(_unit_first_counts(sent_text, base, lang, lex, counts))
    counts.extend(_part_counts(sent_text, base, lang, lex, counts, starts))
    counts.extend(_part_and_sized_counts(sent_text, base, lang, lex, counts, starts))
    counts.extend(_elliptic_counts(sent_text, base, lang, lex, counts, prior, starts))
    counts.sort(key=lambda c: c.start)
    return counts


def _value(m: re.Match, lang: str, lex: _Lexicon, n1: str = "n1", n2: str = "n2") -> tuple[int, int | None] | None:
    value = parse_number(m.group(n1), lang, lex.multiplier, lex.compound)
    if value is None or value < _MIN_VALUE:
        return None
    if re.fullmatch(r"(?:1[89]|20)\d\d", m.group(n1).strip()):
        return None  # a year
    hi = m.group(n2) if n2 in m.re.groupindex else None
    value_max = parse_number(hi, lang, lex.multiplier, lex.compound) if hi else None
    if value_max is not None and value_max <= value:
        value_max = None
    return value, value_max


def _overlaps(start: int, end: int, counts: list[_Count]) -> bool:
    return any(start < c.end and c.start < end for c in counts)


def _unit_first_counts(sent_text: str, base: int, lang: str, lex: _Lexicon, found: list[_Count]) -> list[_Count]:
    """The unit before the number: "a workforce of 5,000", "una plantilla de 1.200", "a team of 40"."""
    out: list[_Count] = []
    for m in lex.unit_before.finditer(sent_text):
        if _overlaps(base + m.start("n1"), base + m.end(), found):
            continue
        got = _value(m, lang, lex)
        if not got:
            continue
        out.append(_Count(got[0], got[1], bool(m.group("approx")), lex.unit_before_of[m.group("lead").lower()],
                          base + m.start("lead"), base + m.end()))
    return out


def _part_counts(sent_text: str, base: int, lang: str, lex: _Lexicon, found: list[_Count],
                 starts: list[int] | None = None) -> list[_Count]:
    """A part of a total: "800 de los 2 mil puestos serán para ingenieros" is 800 (engineers when the
    sentence says so, else the total's unit); the total is marked as such (a restatement when stated before)."""
    out: list[_Count] = []
    part_of = lex.part_of.finditer(sent_text) if starts is None else finditer_at(lex.part_of, sent_text, starts)
    for m in [*part_of, *lex.part_of_after.finditer(sent_text)]:
        whole = next((c for c in found if c.start <= base + m.start("n2") < c.end), None)
        if whole is None or _overlaps(base + m.start("n1"), base + m.end("n1"), found + out):
            continue
        got = _value(m, lang, lex, "n1", "none")
        if not got or got[0] >= whole.value:
            continue
        whole.whole = True
        unit = whole.unit
        after = m.end() if m.re is lex.part_of else m.end("n1")
        verb = lex.part_is.match(sent_text, after)
        if verb:
            tail = lex.unit_after.match(sent_text, verb.end())
            if tail and len(tail.group("gap").split()) <= 2 and not set(tail.group("gap").lower().split()) & _GAP_STOP:
                unit = lex.unit_of[tail.group("unit").lower()]
        out.append(_Count(got[0], None, bool(m.group("approx")), unit, base + m.start("n1"), base + m.end("n1"),
                          part_of=whole))
    return out


def _predicate_tail(sent_text: str, end: int, lex: _Lexicon) -> re.Match | None:
    """The unit a figure's predicate gives it ("... will be engineers", "... serán para desarrolladores"), read
    after ``end``: the unit match when the words between are at most two and none of them stops it, else None."""
    verb = lex.part_is.match(sent_text, end)
    tail = lex.unit_after.match(sent_text, verb.end()) if verb else None
    if tail and len(tail.group("gap").split()) <= 2 and not set(tail.group("gap").lower().split()) & _GAP_STOP:
        return tail
    return None


def _part_and_sized_counts(sent_text: str, base: int, lang: str, lex: _Lexicon, found: list[_Count],
                           starts: list[int] | None = None) -> list[_Count]:
    """"About 90 of the new employees are engineers" (a part of an unstated total, with the predicate's unit),
    "150-200 of the first hires to be engineers", and sized units: "a 600-person engineering centre"."""
    out: list[_Count] = []
    no_total = (lex.part_no_total.finditer(sent_text) if starts is None
                else finditer_at(lex.part_no_total, sent_text, starts))
    # the part ends at its total's noun ("90 of the new employees") or at its figure ("De las nuevas plazas, 400")
    for matches, end in ((no_total, "whole"), (lex.part_front.finditer(sent_text), "n1")):
        for m in matches:
            if _overlaps(base + m.start("n1"), base + m.end(end), found + out) \
                    or (end == "whole" and re.search(r"\b(?:in|de cada)\s+$", sent_text[:m.start()])):
                continue  # "one in five of the new hires": a share
            got = _value(m, lang, lex)
            if not got:
                continue
            tail = _predicate_tail(sent_text, m.end(end), lex)
            unit = lex.unit_of[(tail.group("unit") if tail else m.group("whole")).lower()]
            out.append(_Count(got[0], got[1], bool(m.group("approx")), unit, base + m.start("n1"), base + m.end(end),
                              part_of_earlier=True))
    for m in lex.predicate_count.finditer(sent_text):
        if _overlaps(base + m.start("n1"), base + m.end("n1"), found + out) \
                or re.search(r"(?<!\w)(?:of|de|in|de cada)\s+(?:\S+\s+)?$", sent_text[:m.start()], re.IGNORECASE):
            continue  # (a part of a total, a share: "800 de los 2 mil puestos", "one in five")
        if any(w.lower() in lex.millions for w in m.group("n1").split()):
            continue  # money: "los 3 mil millones serán para ..."
        tail = _predicate_tail(sent_text, m.end("n1"), lex)
        got = _value(m, lang, lex, "n1", "none")
        if not (got and tail):
            continue
        out.append(_Count(got[0], None, bool(m.group("approx")), lex.unit_of[tail.group("unit").lower()],
                          base + m.start("n1"), base + tail.end()))
    for m in lex.sized.finditer(sent_text):
        if _overlaps(base + m.start("n1"), base + m.end(), found + out):
            continue
        got = _value(m, lang, lex, "n1", "none")
        if got:
            out.append(_Count(got[0], None, False, "staff", base + m.start("n1"), base + m.end()))
    return out


# "to employ 200 people in the south-east": a place the gazetteer does not know
_LOCATIVE_AFTER = re.compile(r"\s+(?:in|en|at|across|throughout|por)\s", re.IGNORECASE)
_PRIOR_REACH = 250  # characters from the count before to a number that borrows its unit in the next sentence


def _elliptic_counts(sent_text: str, base: int, lang: str, lex: _Lexicon, found: list[_Count],
                     prior: _Count | None = None, starts: list[int] | None = None) -> list[_Count]:
    """A number whose unit is left out and taken from a neighbouring count: "1,000 direct and 3,000
    indirect jobs", "tiene 45 colaboradores y prevé cerrar 2020 con 90", "hire 200 engineers and another 100";
    with none in the sentence, after a lead word only, from ``prior`` ("En Tijuana laboran unos 900")."""
    if not found and prior is None:
        return []
    out: list[_Count] = []
    for m in (lex.elliptic.finditer(sent_text) if starts is None else finditer_at(lex.elliptic, sent_text, starts)):
        n1, approx = ("n0", "approx0") if m.group("n0") else ("n1", "approx")
        start = base + m.start(n1)
        if _overlaps(start, base + m.end(n1), found + out):
            continue
        if re.match(r"\s*(?:%|por ciento|percent|per cent)", sent_text[m.end(n1):]):
            continue
        got = _value(m, lang, lex, n1, "none")
        if not got or (got[0] < 20 and not re.search(r"\d", m.group(n1))):
            continue  # "including three in Monterrey": a small number in words counts stores or offices
        if re.fullmatch(r"(?:19|20)\d\d", m.group(n1).strip()):
            continue  # "entre 2023 y 2025 en ...": years
        if found:
            nearest = min(found, key=lambda c: abs(c.start - start))
            if abs(nearest.start - start) > 160:
                continue
        elif ((n1 == "n0" or _REST.search(m.group(0))) and prior is not None and start - prior.end <= _PRIOR_REACH
              and not _other_figures(sent_text, m, lex, n1)):
            # (also the rest of a total told before: "... mil 400 plazas serán para Apodaca. Las 600 restantes se
            # ocuparán en Santa Catarina")
            nearest = prior
        else:
            continue
        # "1,000 direct and 3,000 indirect jobs" share their place; "con 90" (a later figure) does not
        rest = nearest is prior and n1 == "n1"
        out.append(_Count(got[0], None, bool(m.group(approx)), nearest.unit, start, base + m.end(n1),
                          None if n1 == "n0" or rest else nearest, part_of=prior if rest else None))
    return out


_REST = re.compile(r"(?<!\w)(?:restantes|remaining)(?!\w)", re.IGNORECASE)


def _other_figures(sent_text: str, m: re.Match, lex: _Lexicon, group: str = "n0") -> bool:
    """Whether the sentence of an elliptic number ``m`` has figures other than years, other elliptic numbers
    and a "from X" start: "expects 10 new companies by year-end, with another 60 in the pipeline" counts
    companies, not the jobs of the sentence before."""
    leads = [e.span("n0") for e in lex.elliptic.finditer(sent_text) if e.group("n0")]
    for x in re.finditer(r"\d+(?:[.,]\d+)*", sent_text):
        if m.start(group) <= x.start() < m.end(group) or any(a <= x.start() < b for a, b in leads):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", x.group(0)) or re.search(r"\bfrom\s+$", sent_text[:x.start()]):
            continue
        if re.match(r"\s+(?:months?|years?|weeks?|days?|meses|mes|años|semanas|días)\b", sent_text[x.end():]):
            continue  # a duration: "another 80 there within 18 months"
        return True
    return False


def _clause_start(text: str, pos: int) -> int:
    last = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, pos):
        last = m.end()
    return last


def _clause_start_conj(text: str, pos: int) -> int:
    last = 0
    for m in _CLAUSE_END.finditer(text, 0, pos):
        last = m.end()
    return last


def _is_sector_total(sent_text: str, rel_start: int, clause_start: int, lex: _Lexicon, has_company: bool,
                     company_starts: tuple[int, ...] = ()) -> bool:
    """Whether the count is a state's, sector's or industry's total employment rather than one company's.

    A sentence that names or refers to a company ("the software company planned to expand in the state")
    is about that company. Sector words ("industry", "sector", "employment in") mark a total anywhere in
    the sentence; bare place nouns ("the state", "la entidad") only as the subject of the count's own
    clause ("the state employs 140,000"), not as a location ("expand in the state, possibly bringing ...").
    """
    before = sent_text[:rel_start]
    if _collective_subject(before, lex, company_starts):
        return True
    # "la industria automotriz en la entidad emplea a 140 mil personas y que General Motors ...": the sector is
    # the subject; companies named after the count do not own it, nor those before it that report it ("la
    # consultora Select estima que en México el sector de servicios de TI emplea a unas 780 mil personas")
    for m in lex.sector.finditer(before, _clause_start_conj(before, rel_start)):
        if (not any(m.start() <= s < rel_start for s in company_starts)
                and not lex.company_ref.search(before, m.start())):
            return True
    if has_company or lex.company_ref.search(sent_text):
        return False
    # "Tabasco perdió mil 800 empleos", "Mexico added about 48,000 jobs": a place's statistics (places are masked
    # with "_" by the caller)
    if lex.facility.search(sent_text, 0, rel_start) and not lex.sector.search(sent_text, clause_start, rel_start):
        # "la planta apodaquense cuenta hoy con 2 mil 100 trabajadores" (in a sentence naming the "secretario de
        # Economía estatal"), "La nueva oficina ... comenzará con 70 ingenieros ... clientes del sector salud": one
        # facility's count, not a total
        return False
    # "Tabasco perdió mil 800 empleos", "Mexico added about 48,000 jobs", "Chihuahua concentra el mayor número, con
    # 98 mil 700 trabajadores, seguido de ...": a place's statistics (places are masked with "_" by the caller)
    if (lex.sector_verb.search(sent_text, 0, rel_start) and not lex.sector_owner_ref.search(sent_text)
            and ("__" in sent_text[:rel_start] or lex.country_subject.search(sent_text, 0, rel_start))):
        return True
    return bool(lex.sector.search(sent_text) or lex.sector_place.search(sent_text, clause_start, rel_start))


_SUBORDINATE_START = re.compile(r"\s*(?:that|which|who|where|when|que|donde|quien|quienes|cuando)\b", re.IGNORECASE)
# a clause that hangs on the one before it: "Export factories in Mexicali, which employ ...", "..., creating 14,500"
_HANGING_START = re.compile(r"\s*(?:that|which|who|where|que|donde|quienes|[^\W\d]+(?:ing|ando|iendo))\b",
                            re.IGNORECASE)


def _collective_subject(before: str, lex: _Lexicon, company_starts: tuple[int, ...]) -> bool:
    """Whether a collective of employers is the subject of the count's clause ("Juarez's export plants employ
    about 320,000 workers", "Las maquiladoras de Piedras Negras emplean a 28 mil", "employers created 368,000",
    "the state had attracted 31 projects, creating some 14,500 jobs"), and no company, company reference or
    owner ("its plants", "both plants") is: a total, nobody's."""
    end = len(before)
    start = _clause_start(before, end)  # not at "and": "Hotels in Cancún and along the Riviera Maya will hire"
    for _ in range(3):
        region = before[start:]
        # not "la Secretaría de Economía", "the economy secretary" (an office), nor "software for car plants"
        if any(not lex.office.search(region, max(0, m.start() - 30), m.start())
               and not lex.office.match(region, m.end() + 1) and not lex.object_prep.search(region, 0, m.start())
               for m in lex.collective.finditer(region)):
            # "Nissan, que tiene dos plantas en el estado con 11 mil trabajadores": the plants' owner's count
            if re.search(r"(?<!\w)(?:with|con)\s+(?:\S+\s+){0,2}$", region, re.IGNORECASE):
                return False
            return not (any(start <= s < end for s in company_starts) or lex.company_ref.search(region)
                        or lex.sector_owner_ref.search(region) or lex.collective_owner.search(region))
        if start == 0 or not _HANGING_START.match(region):
            return False
        start = _clause_start(before, start - 1)
    return False


def _kind(sent_text: str, rel_start: int, rel_end: int, lex: _Lexicon, has_company: bool,
          company_starts: tuple[int, ...] = ()) -> str:
    clause_start = _clause_start(sent_text, rel_start)
    if _is_sector_total(sent_text, rel_start, clause_start, lex, has_company, company_starts):
        return "sector_total"
    nxt = _CLAUSE_END.search(sent_text, rel_end)
    after = sent_text[rel_end:nxt.start() if nxt else len(sent_text)]
    # an opening or hiring in a subordinate clause after the count is another event: "800 at a plant that it
    # opened in 2015" (but "los 3 mil 500 trabajadores que hoy laboran" is a headcount now)
    new_end = m.start() if (m := _SUBORDINATE_START.search(after)) else len(after)
    clause = (sent_text[clause_start:rel_start], after)
    # a projected headcount: "grow to 400", "pasará de 120 a 400", "will have about 400", not across another verb
    # ("ampliará su centro de Guadalajara y contratará a 700 personas"); in the past, a headcount reached
    inside = sent_text[rel_start:rel_end]
    # a count led by its unit ("workforce to about 5,200") is read up to its number
    lead = inside[:digit.start()] if (digit := re.search(r"\d", inside)) else ""
    for pattern, kind in ((lex.target, "planned"), (lex.past_target, "existing")):
        target = pattern.search(clause[0]) or (pattern.search(clause[0] + lead) if lead else None)
        if target and not (target.groupdict().get("gap") and (lex.kind_terms["new"].search(target.group("gap"))
                                                              or _CONJ_END.search(target.group("gap") + " "))):
            return kind
    if lex.count_planned.search(inside):
        return "planned"  # "the 70 planned hires"
    if lex.possessive.search(clause[0]):
        return "existing"  # "will move its 1,500 staff", "1,100 de sus 1,400 empleados"
    # the sentence before the count, after any quotation in it ("“This may be a good landing,” said the head of
    # Wizeline, a firm with 260 employees": the quote's "may" is no cue)
    said = max(sent_text.rfind("”", 0, rel_start), sent_text.rfind('"', 0, rel_start)) + 1
    for scope, (before, after) in enumerate((clause, (sent_text[said:rel_start], ""))):
        offset = clause_start if scope == 0 else said
        # Modal and intention words scope over the whole clause ("possibly bringing hundreds"), and over the
        # clause a participle or relative clause hangs on ("plans to expand a site, adding 400 jobs"); but
        # "would" in reported speech is a reported "will": "DiDi said in February it would hire 200" is new.
        # (not past a headcount of its own: "..., where it employs 3,400 people")
        hanging = (scope == 0 and _HANGING_START.match(before) and not lex.kind_terms["existing"].search(before)
                   and not lex.kind_terms["existing"].search(after))
        plan_before, plan_offset = (sent_text[said:rel_start], said) if hanging else (before, offset)
        planned = [m for m in lex.kind_terms["planned"].finditer(plan_before)
                   if not _reported(m, plan_offset, sent_text, lex)]
        planned += [m for m in lex.kind_terms["planned"].finditer(after)
                    if not _reported(m, rel_end, sent_text, lex)]
        if planned:
            return "planned"
        if scope == 0 and lex.count_new.search(inside):
            return "new"  # "400 new positions", "announced 250 hires", "300 vacantes disponibles"
        nearest: dict[str, int] = {}
        # A longer "new" term holds an "existing" one ("will employ" vs "employ"): the longer term is the verb.
        new_spans = [(side, m.span()) for side, part in ((0, before), (1, after))
                     for m in lex.kind_terms["new"].finditer(part)]
        for kind in ("new", "existing", "existing_weak"):
            dists = []
            for side, part in ((0, before), (1, after)):
                for m in lex.kind_terms[kind].finditer(part):
                    if kind == "new" and side == 1 and scope == 0 and m.start() >= new_end:
                        continue
                    if kind == "existing" and side == 0 and lex.future_and.search(part, 0, m.start()):
                        # "will open in 2027 and employ 140 people": the future scopes over "employ"
                        nearest["new"] = min(nearest.get("new", len(part)), len(part) - m.end())
                        continue
                    if kind != "new" and any(s == side and a <= m.start() and m.end() <= b and (a, b) != m.span()
                                             for s, (a, b) in new_spans):
                        continue
                    dists.append(len(part) - m.end() if side == 0 else m.start())
            if dists:
                nearest[kind] = min(dists)
        if "existing" in nearest and nearest["existing"] <= nearest.get("new", nearest["existing"]):
            return "existing"
        if "new" in nearest:
            return "new"  # "opened a campus with 6,000 employees": the opening wins over a bare "with"
        if nearest and scope == 1:
            return "existing"
        # a bare "with" in the count's clause: the sentence decides ("opened a centre in León, with 120 employees")
    return "existing"


def _reported(m: re.Match, offset: int, sent_text: str, lex: _Lexicon) -> bool:
    """Whether a modal ``m`` (found at ``offset`` in ``sent_text``) is no plan: "would" after a reporting verb,
    or the month May ("will open in May with 50 developers")."""
    if m.group(0) == "May" and offset + m.start() > 0:
        return True
    return m.group(0).lower() == "would" and bool(lex.reporting.search(sent_text, 0, offset + m.start()))


def job_counts(doc: Doc, text: str, lang: str, companies: list[CompanyMention],
               places: list[PlaceMention], affiliations: dict[str, str], headline_end: int = 0) -> list[dict]:
    """Every job count in ``doc`` (whose text is ``text``) as an analysis-object dict (value,
    value_max, approx, unit, kind, company, city, state, evidence), in text order.

    ``text[:headline_end]`` is the headline: a count there that the body states again is the same
    announcement, and only the body's (fuller) sentence is kept."""
    lex = _lexicon(lang)
    out: list[dict] = []
    seen: set[tuple] = set()
    focus: _Focus | None = None
    wholes: dict[int, dict] = {}  # a total restated in "X of the Y", by id of its count: its first record
    for sent in doc.sents:
        base = sent.start_char
        sent_text = text[base:sent.end_char]
        prior = out[-1]["_count"] if out and base - out[-1]["_count"].end <= _PRIOR_REACH else None
        if not lex.prefilter.search(sent_text) and not lex.unit_before.search(sent_text) \
                and not lex.sized.search(sent_text) and not (prior and lex.elliptic.search(sent_text)):
            continue
        for c in _find_counts(sent_text, base, lang, lex, prior):
            if focus is None:
                focus = _focus(doc, text, companies, places, headline_end, lex)
                # places given without a name ("la planta tapatía", "ambas ciudades") place counts too
                places = _with_references(doc, places, text)
                focus.places = places
            in_sent = [m for m in companies if base <= m.start_char < sent.end_char]
            # place names are no kind cues: "Nuevo León" is not "nuevo"
            masked = sent_text
            for p in places:
                if base <= p.start_char < sent.end_char:
                    s_, e_ = p.start_char - base, min(p.end_char, sent.end_char) - base
                    masked = masked[:s_] + "_" * (e_ - s_) + masked[e_:]
            kind = _kind(masked, c.start - base, c.end - base, lex, bool(in_sent),
                         tuple(m.start_char - base for m in in_sent))
            if c.kind and kind != "sector_total":
                kind = c.kind
            if c.back_of is not None and any(r["_count"] is c.back_of and r["kind"] == "sector_total" for r in out):
                kind = "sector_total"  # "employers created 368,000 positions, compared with 461,000 in 2024"
            company = None if kind == "sector_total" else _company_for(c, sent_text, base, in_sent, focus,
                                                                          affiliations, lex)
            if (company is None and kind != "sector_total" and focus.company is None
                    and lex.anaphor_start.match(sent_text)):
                # a round-up of briefs: "Jabil suma personal en Guadalajara. La estadounidense contratará 700"
                company = _company_just_named(base, text, companies)
            sent_places = [p for p in places if base <= p.start_char < sent.end_char]
            # (a count of no company is placed as a total: "the city's factories employ roughly 140,000 people")
            placed = _place_for(c, sent_text, base, sent_places, focus, kind if company else "sector_total", lex)
            if placed is _NO_CUE or placed == _AT_FOCUS:
                placed = _facility_demonym(sent_text, lex) or placed
            if placed is _NO_CUE and company:
                placed = (_demonym_home(company, companies, text, places, (focus.city, focus.state))
                          or _apposition_home(company, companies, text, places, lex) or placed)
            elif placed == _AT_FOCUS and company:
                # "... con la regiomontana Axtel, que tiene cerca de 4 mil empleados": its home, not the story's site
                placed = _demonym_home(company, in_sent, text, places) or placed
            at_site = (placed is _NO_CUE and company is not None and company == focus.company
                       and (kind in ("new", "planned") or kind == "existing" and lex.site_subject.match(sent_text))
                       and c.start >= headline_end and all(_in_title(p, text, lex) for p in sent_places)
                       and _story_site_count(c, sent_text, base, focus, lex, out))
            if at_site:
                placed = _AT_FOCUS
            city, state = placed
            city, state = _where_place(c, text, base, sent_places, focus, lex) or (city, state)
            if company and kind != "sector_total":
                city, state = _company_base(c, text, company, in_sent, sent_places, lex,
                                            kind in ("new", "planned")) or (city, state)
            if lex.share_before.search(text, max(base, c.start - 60), c.start):
                city, state = None, None  # "donde trabaja la mayor parte de sus cerca de mil 500 empleados"
            if (company and kind != "sector_total" and _based_abroad(c, text, company, in_sent, focus, lex)
                    and not any(c.end <= p.start_char < c.end + 40 for p in sent_places)
                    and not lex.city_ref.search(sent_text, c.end - base, c.end - base + 60)):
                city, state = None, None  # "Ciberkraft, con sede en Bilbao, tiene unos 1,400 empleados"
            if c.partner is not None and not (city or state):
                # "1,000 direct and 3,000 indirect jobs in Monterrey": both in Monterrey
                city, state = _place_for(c.partner, sent_text, base, sent_places, focus, kind, lex)
            if c.whole and placed is _NO_CUE and not (city or state) and company and out:
                # "... su plantilla en Monterrey pasará de 120 a 400. De las 280 nuevas plazas, 150 serán para
                # desarrolladores": the total the part is of is the hiring just told, where it was placed
                # (past a count of the company elsewhere: "con sede en São Paulo y unos 900 colaboradores en Brasil")
                prev = next((r for r in reversed(out) if r["company"] == company and (r["city"] or r["state"])
                             and not r["_headline"] and (r["city"], r["state"]) != _AT_FOCUS), None)
                if prev is not None and c.start - prev["_count"].end <= 2 * _PRIOR_REACH:
                    city, state = prev["city"], prev["state"]
            if ((city, state) != _AT_FOCUS and (city or state) and kind != "sector_total" and not focus.placed
                    and c.start >= headline_end and company):
                focus.placed = (city, state)
            record = {"_count": c, "value": c.value, "value_max": c.value_max, "approx": c.approx, "unit": c.unit,
                      "kind": kind, "company": company, "city": city, "state": state,
                      "evidence": " ".join(sent_text.split()),
                      # a company's hiring in a sentence that names no place at all (see below)
                      "_unplaced": placed is _NO_CUE and not (city or state), "_at_site": at_site,
                      "_national": placed is _NATIONAL and not (city or state),
                      "_bare": (placed is _NO_CUE and not (city or state) and not sent_places and company is not None
                                and kind in ("new", "planned") and not _LOCATIVE_AFTER.match(text, c.end)
                                # "En conjunto, las dos sedes sumarán 420": several sites' total, not the last one's
                                and not lex.combined.search(sent_text)
                                and not any(base <= s_ < sent.end_char for s_, _ in focus.foreign))}
            key = (c.value, c.value_max, c.unit, record["evidence"])
            stated = [r for r in out if r["value"] == c.value and r["value_max"] == c.value_max]
            if c.whole and stated:
                wholes[id(c)] = stated[0]
                continue  # "of the 420 positions": the total stated before
            if (any(not r["_headline"] for r in stated) and c.part_of is None
                    and _DEFINITE_BEFORE.search(text, max(0, c.start - 12), c.start)):
                continue  # "buscará cubrir las 500 plazas", "cubrirá las 80 posiciones": the figure told before
            if (company and any(not r["_headline"] and r["company"] == company for r in stated)
                    and _in_quote(text, c.start)):
                continue  # "Clip abrió 80 vacantes ... “Buscamos a 80 ingenieras e ingenieros”": the hiring quoted
            if key not in seen:
                seen.add(key)
                record["_headline"] = c.start < headline_end
                out.append(record)
    by_count = {id(r["_count"]): r for r in out}
    for i, r in enumerate(out):
        c = r["_count"]
        whole = c.part_of and (by_count.get(id(c.part_of)) or wholes.get(id(c.part_of)))
        if c.part_of_earlier:
            whole = next((q for q in reversed(out[:i]) if q["kind"] != "sector_total" and q["company"]), None)
        if whole:  # the part shares its total's company and place when its sentence gives none
            if r["kind"] == "existing" and whole["kind"] in ("new", "planned"):
                r["kind"] = whole["kind"]  # and, lacking a cue, its kind: "About 90 of the new employees are engineers"
            r["company"] = r["company"] or whole["company"]
            if not (r["city"] or r["state"]) or (r["city"], r["state"]) == _AT_FOCUS:
                r["city"], r["state"] = whole["city"], whole["state"]
    for r in out:
        partner = by_count.get(id(r["_count"].partner))
        if partner and not (r["city"] or r["state"]):
            r["city"], r["state"] = partner["city"], partner["state"]
        elif partner and not (partner["city"] or partner["state"]) and not partner["_national"]:
            # (not a count "in Mexico": "employs more than 800 people in Mexico ... has hired about 150 of them")
            partner["city"], partner["state"] = r["city"], r["state"]
    placed_before: list[dict] = []
    for i, r in enumerate(out):
        prev = out[i - 1] if i else None
        if (r["_bare"] and prev is not None and prev["company"] == r["company"] and (prev["city"] or prev["state"])
                and (prev["city"], prev["state"]) != _AT_FOCUS and not prev["_headline"]
                and prev["kind"] in ("new", "planned") and r["_count"].start - prev["_count"].end <= _PRIOR_REACH):
            # "... una nave en Zapopan, lo que sumará mil 500 empleos. La compañía contratará a 120 ingenieros de
            # manera inmediata": the same company's hiring, just placed
            r["city"], r["state"] = prev["city"], prev["state"]
        if (r["city"], r["state"]) == _AT_FOCUS:
            # the facility of this company placed earlier in the story, else the site named just before
            # ("... en Apodaca, Nuevo León. La obra empleará a 900"), else the story's main place
            # (a facility is in a city: "400 directos y mil 200 indirectos en el estado. La planta emplea a 900")
            earlier = sorted((q for q in placed_before if q["company"] == r["company"]), key=lambda q: not q["city"])
            # (the story's site is the one its dateline or lede gives, else that of its first placed count; a story
            # whose lede is abroad has none: "SANTA TERESA, N.M. — ... The plant will employ 650")
            story_site = (None, None) if _lede_abroad(text, focus, headline_end) \
                else _lede_site(text, focus, headline_end, lex) or focus.placed or (focus.city, focus.state)
            r["city"], r["state"] = ((earlier[0]["city"], earlier[0]["state"]) if earlier
                                     else r["_at_site"] and _lede_site(text, focus, headline_end, lex)
                                     or _site_before(r["_count"].start, text, focus, headline_end, lex)
                                     or story_site)
            if r["city"] and r["company"] and not earlier and not r["_headline"]:
                placed_before.append(r)  # the facility's site, for its later counts
        elif (r["city"] or r["state"]) and r["kind"] != "sector_total" and r["company"] and not r["_headline"]:
            placed_before.append(r)
    if focus is not None:
        for metro, (city, state, at) in _metro_sites(text, focus, lex).items():
            for r in out:
                if r["city"] == metro and r["company"] == focus.company and r["_count"].start < at \
                        and r["kind"] != "sector_total":
                    r["city"], r["state"] = city, state
        for city, state, at, prev_start in _located_sites(text, focus, lex):
            # "abrirá en Monterrey un centro ... que dará empleo a 180. El centro, ubicado en San Pedro Garza García,
            # iniciará con 50": the new facility's counts of the sentence before are there
            for r in out:
                if (r["company"] == focus.company and prev_start <= r["_count"].start < at and r["city"]
                        and r["city"] != city and r["state"] == state and r["kind"] in ("new", "planned")):
                    r["city"], r["state"] = city, state
    body = {(r["value"], r["value_max"]) for r in out if not r["_headline"]}
    kept = [r for r in out if not (r["_headline"] and ((r["value"], r["value_max"]) in body
                                                       or r["value_max"] is None and _rounded_in(r["value"], body)))]
    for r in kept:
        del r["_headline"], r["_count"], r["_bare"], r["_unplaced"], r["_at_site"], r["_national"]
        r["city"], r["state"] = r["city"] or None, r["state"] or None  # NOWHERE's empty names
    return kept


def _in_quote(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a quotation of its paragraph (an open “ or an odd number of straight quotes)."""
    para = text[text.rfind("\n", 0, pos) + 1:pos]
    return para.rfind("“") > para.rfind("”") or para.count('"') % 2 == 1


def _rounded_in(value: int, body: set[tuple[int, int | None]]) -> bool:
    """Whether a headline's figure rounds one of the body's ("148 mil empleos" for "148 mil 320 empleos formales"):
    within 1% of it, with more trailing zeros."""
    def zeros(n: int) -> int:
        return len(str(n)) - len(str(n).rstrip("0"))

    return any(hi is None and b and abs(b - value) <= b / 100 and zeros(value) > zeros(b) for b, hi in body)


# a definite determiner right before a count: "las 500 plazas", "the 300 jobs" (a figure told before)
_DEFINITE_BEFORE = re.compile(r"(?<!\w)(?:las|los|the|esas|esos|estas|estos|those|these)\s+$", re.IGNORECASE)


def _in_title(p: PlaceMention, text: str, lex: _Lexicon, base: int = 0) -> bool:
    """Whether a place is named in an official's title or as its government ("según el secretario de Desarrollo
    Económico de Hidalgo", "the Coahuila government said"): no site, and no sign that the sentence looks beyond the
    story's site (a seat, "Monterrey-based", does). ``text`` starts at ``base`` in the document."""
    s, e = p.start_char - base, p.end_char - base
    return bool(lex.title_before.search(text, max(0, s - 60), s) or lex.title_after.match(text, e))


def _story_site_count(c: _Count, sent_text: str, base: int, focus: _Focus, lex: _Lexicon, out: list[dict]) -> bool:
    """Whether a count of the story's company (new or planned, or a headcount whose subject is the facility or
    "it"), in a sentence that names no place and gives no cue, is at the story's site: "It has hired 600 workers so
    far", "We are hiring 300 engineers", "It opens with a team of 35 and will grow to 150 developers". Not when the
    sentence looks elsewhere or beyond one site: a place abroad, a locative after the count ("200 people in the
    south-east", "600 personas en 2026"), the country ("abrirá 150 tiendas en el país y generará 8 mil empleos"), a
    combined figure ("En conjunto, las dos sedes sumarán 420"), a headcount left unplaced just before in the sentence
    ("tiene hoy 45 colaboradores y prevé cerrar 2020 con 90"), nor a subject the lexicon does not know as the
    company or a facility ("The report said AWS would create 300 jobs", "The mill ... will create 1,000 jobs")."""
    if (any(base <= s < base + len(sent_text) for s, _ in focus.foreign) or _LOCATIVE_AFTER.match(focus.text, c.end)
            or lex.national.search(sent_text) or lex.combined.search(sent_text)
            or any(r["_unplaced"] and r["_count"].start >= base for r in out)):
        return False
    subject = lex.definite_subject.match(sent_text)
    return not (subject and not lex.company_ref.match(sent_text, subject.start(1))
                and not lex.facility_ref.match(sent_text, subject.start(1)))


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _lede_end(text: str, headline_end: int) -> int:
    """The end of the body's first sentence (past a dateline's state abbreviation: "KANASÍN, Yuc.-")."""
    m = next((m for m in _SENTENCE_END.finditer(text, headline_end)
              if not re.search(r"(?:^|[\s,.])[A-Z][A-Za-z.]{0,3}$", text[headline_end:m.start()])), None)
    return m.end() if m else len(text)


def _lede_abroad(text: str, focus: _Focus, headline_end: int) -> bool:
    """Whether the story's dateline or first sentence names places abroad and no Mexican one ("SANTA TERESA, N.M. —
    Arcline will build a plant in Santa Teresa ..."): its facility is there, not in the Mexican city named later."""
    end = _lede_end(text, headline_end)
    return (any(headline_end <= s < end for s, _ in focus.foreign)
            and not any(headline_end <= p.start_char < end for p in focus.places))


def _lede_site(text: str, focus: _Focus, headline_end: int, lex: _Lexicon) -> tuple[str | None, str | None] | None:
    """The story's site as its dateline or first sentence gives it: the first Mexican city named there that is no
    origin, landmark or metropolitan area around a municipality ("SILAO, Gto. —", "a plant on the south side of
    the city of Chihuahua", "its centre in Zapopan, on the western edge of Guadalajara"), or a municipality named
    as such after a dateline's city ("QUERÉTARO, Qro.- ... su centro en el municipio de El Marqués")."""
    end = _lede_end(text, headline_end)

    def specificity(p: PlaceMention) -> int:
        # (a mention may hold its noun: "municipio de El Marqués")
        inner = re.match(r".*\s(?:de|of)\s+", text[p.start_char:p.end_char])
        named = bool(inner and lex.municipality.search(inner.group(0)))
        return _specificity(text, p.start_char, p.end_char, lex) + named

    cities = [(specificity(p), p) for p in focus.places
              if headline_end <= p.start_char < end and p.place.kind == "city" and not isinstance(p, PlaceReference)
              and not _not_site(text, p.start_char, p.end_char, lex)]
    cities = [(rank, p) for rank, p in cities if rank >= 0]
    if not cities:
        return None
    best = max(cities, key=lambda t: (t[0], -t[1].start_char))[1]
    return best.place.name, best.place.state


def _with_references(doc: Doc, places: list[PlaceMention], text: str) -> list[PlaceMention]:
    refs = [r for r in place_references(doc, places, text)
            if not any(p.start_char < r.end_char and r.start_char < p.end_char for p in places)]
    return sorted(places + refs, key=lambda p: p.start_char) if refs else places


_NAMED_REACH = 300  # characters back, within the paragraph, to the company "the company" stands for


def _company_just_named(pos: int, text: str, companies: list[CompanyMention]) -> str | None:
    """The company named last before ``pos`` in the same paragraph, not far back."""
    before = [m for m in companies if m.end_char <= pos and pos - m.end_char <= _NAMED_REACH]
    if not before:
        return None
    last = max(before, key=lambda m: m.start_char)
    return None if "\n\n" in text[last.end_char:pos] else last.name


def _not_site(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    """Whether the place at ``text[start:end]`` is an origin, a seat or a landmark, not where jobs are ("based
    in X", "next to X", "su primera fuera de X", "a X-based developer")."""
    before = text[max(0, start - 30):start]
    return bool(lex.place_not_site.search(before) and not lex.site_before.search(before)
                or lex.landmark_before.search(text, max(0, start - 90), start)
                or lex.road_after.match(text, end, end + 40)
                or lex.place_not_site_after.match(text, end, end + 20)
                or lex.founded_in.search(before))  # "fundada en 2019 en Guadalajara


_SITE_REACH = 350  # characters: the sentence before, about; farther back the facility is the story's main one


def _site_before(pos: int, text: str, focus: _Focus, headline_end: int,
                 lex: _Lexicon) -> tuple[str | None, str | None] | None:
    """The Mexican place named last before ``pos`` in the body (not an origin or landmark), as a count's
    site: a city, or the city a state right after it qualifies ("Mérida, Yucatán")."""
    prior = [p for p in focus.places if headline_end <= p.start_char and p.end_char <= pos
             and pos - p.start_char <= _SITE_REACH
             and not _not_site(text, p.start_char, p.end_char, lex) and not _in_title(p, text, lex)]
    if not prior:
        return None
    last = prior[-1]
    if last.place.kind == "state":
        # "Mérida, Yucatán", and "construirá en Ramos Arizpe su planta ..., informó el gobernador de Coahuila":
        # a city of that state named earlier in the same sentence is the site
        # (the city it qualifies, even just out of reach: "in Saltillo, Coahuila")
        qualified = [p for p in focus.places if p.place.kind == "city" and p.place.state == last.place.name
                     and re.fullmatch(r",\s*", text[p.end_char:last.start_char])]
        cities = [p for p in prior[:-1] if p.place.kind == "city" and p.place.state == last.place.name
                  and not re.search(r"[.!?]\s", text[p.end_char:last.start_char])] or qualified
        if cities:
            last = cities[-1]
    # of the places of that sentence, the most specific: "El Marqués, a municipality in the Querétaro metro area"
    same = [p for p in prior if p.place.kind == "city" and not re.search(r"[.!?]\s", text[p.end_char:last.start_char])]
    if same and last.place.kind == "city":
        last = max(same, key=lambda p: (_specificity(text, p.start_char, p.end_char, lex), p.start_char))
    return (last.place.name, last.place.state) if last.place.kind == "city" else (None, last.place.name)


_IN_AREA_OF = re.compile(r",\s*(?:en|in)\s+(?:el|la|the)\s+[^\W\d]+\s+[^\W\d]+\s+(?:de|of)\s+(?:la\s+|el\s+)?",
                         re.IGNORECASE)


def _metro_sites(text: str, focus: _Focus, lex: _Lexicon) -> dict[str, tuple[str, str, int]]:
    """Facilities placed, in a sentence about them, in a municipality of a metropolitan area named before ("abrirá en
    Monterrey su centro ... El centro, ubicado en el municipio de San Pedro Garza García, en el área metropolitana de
    Monterrey, ..."): {the area's city: (the municipality, its state, where that sentence starts)}."""
    sites: dict[str, tuple[str, str, int]] = {}
    cities = [p for p in focus.places if p.place.kind == "city"]
    for q, p in zip(cities, cities[1:], strict=False):
        if (p.place.state != q.place.state or p.place.name == q.place.name
                or not lex.metro.search(text[max(q.end_char, p.start_char - 30):p.start_char])
                or not _IN_AREA_OF.fullmatch(text, q.end_char, p.start_char)):
            continue
        start = max(text.rfind(". ", 0, q.start_char) + 2, text.rfind("\n", 0, q.start_char) + 1)
        if lex.facility_ref.match(text, start) and p.place.name not in sites:
            sites[p.place.name] = (q.place.name, q.place.state, start)
    return sites


def _located_sites(text: str, focus: _Focus, lex: _Lexicon) -> list[tuple[str, str, int, int]]:
    """Sentences that open by placing the facility just told ("El centro, ubicado en San Pedro Garza García, ...",
    "The plant, located in Apodaca, ..."): (its city, state, where the sentence starts, where the one before starts)."""
    out = []
    for p in focus.places:
        if p.place.kind != "city":
            continue
        start = max(text.rfind(". ", 0, p.start_char) + 2, text.rfind("\n", 0, p.start_char) + 1)
        ref = lex.facility_ref.match(text, start)
        if ref and lex.located.fullmatch(text, ref.end(), p.start_char):
            end = len(text[:start].rstrip()) - 1  # the end of the sentence before
            prev_start = max(text.rfind(". ", 0, max(0, end)) + 2, text.rfind("\n", 0, max(0, end)) + 1)
            out.append((p.place.name, p.place.state, start, prev_start))
    return out


@dataclass
class _Focus:
    """What the article is about: its main company and the place of its main facility."""

    company: str | None
    city: str | None
    state: str | None
    foreign: list[tuple[int, int]]  # non-Mexican place names (offsets)
    places: list[PlaceMention]
    placed: tuple[str | None, str | None] | None = None  # the place of the first placed count
    text: str = ""  # the document's
    headline_end: int = 0


def _focus(doc: Doc, text: str, companies: list[CompanyMention], places: list[PlaceMention],
           headline_end: int, lex: _Lexicon) -> _Focus:
    """The company in focus is the most mentioned one, the headline's and the first one named weighing
    more; the main place is the most mentioned Mexican state and, within it, its most mentioned city
    (places given only as a company's origin or a landmark, "based in", "next to", not counted)."""
    score: dict[str, float] = {}
    body = [m for m in companies if m.start_char >= headline_end]
    for m in companies:
        score[m.name] = score.get(m.name, 0.0) + (2.5 if m.start_char < headline_end else 1.0)
    if body:
        score[body[0].name] += 1.0
    company = max(score, key=lambda n: score[n]) if score else None
    if company is not None:
        # A company named once, late in the story ("analysts at Banco Base said"), is no subject of it:
        # the counts of a story about the economy are nobody's.
        para_end = text.find("\n\n", headline_end + 1)
        lead_end = para_end if para_end > 0 else headline_end + 300
        named = [m for m in companies if m.name == company]
        if len(named) < 2 and not any(m.start_char < lead_end for m in named):
            company = None
    state_score: dict[str, float] = {}
    city_score: dict[tuple[str, str], float] = {}
    city_of: dict[tuple[str, str], str] = {}
    for p in places:
        if _not_site(text, p.start_char, p.end_char, lex):
            continue
        weight = 2.0 if p.start_char < headline_end else 1.0
        state = p.place.state if p.place.kind == "city" else p.place.name
        state_score[state] = state_score.get(state, 0.0) + weight
        if p.place.kind == "city":
            key = (p.place.name, state)
            spec = _specificity(text, p.start_char, p.end_char, lex)
            city_score[key] = city_score.get(key, 0.0) + (0.0 if spec < 0 else weight + spec)
            city_of[key] = p.place.name
    city = state = None
    if state_score:
        state = max(state_score, key=lambda n: state_score[n])
        in_state = [k for k in city_score if k[1] == state]
        if in_state:
            city = city_of[max(in_state, key=lambda k: city_score[k])]
    gaz = get_gazetteer()
    local = _not_cities()  # Mexican neighbourhoods and boroughs ("a new office in Polanco") are not abroad
    # nor parks and districts ("of the Santa María industrial park", "en el parque industrial Stiva")
    foreign = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _GEO_LABELS
               and fold(e.text) not in gaz.surfaces and fold(e.text) not in local
               and not re.search(r"m[eé]xic", e.text, re.IGNORECASE) and not lex.not_place_word.fullmatch(e.text)
               and not lex.local_area_before.search(text, max(0, e.start_char - 30), e.start_char)
               and not lex.local_area_after.match(text, e.end_char, e.end_char + 30)]
    return _Focus(company, city, state, foreign, places, text=text, headline_end=headline_end)


@cache
def _not_cities() -> frozenset[str]:
    """Mexican places that are no city (boroughs, neighbourhoods, parks: mx_cities.jsonl's not_city), folded."""
    return frozenset(fold(r["value"]) for r in read_patterns("mx_cities.jsonl") if r.get("type") == "not_city")


def _specificity(text: str, start: int, end: int, lex: _Lexicon) -> int:
    """-1 for a city named as the metropolitan area around a more specific place ("the Querétaro
    metropolitan area", "el área metropolitana de Monterrey"), +1 for one named as a municipality ("el
    municipio de El Marqués", "El Marqués, a municipality in ..."), else 0."""
    around = text[max(0, start - 30):start] + "\x00" + text[end:end + 40]
    pre, post = around.split("\x00")
    inner = re.match(r".*\s(?:de|of|del)\s+(?:la\s+|el\s+)?", text[start:end])
    if lex.metro.search(pre) or lex.metro.match(post) or (inner and lex.metro.search(inner.group(0))):
        return -1  # also a mention that spans it: "la zona metropolitana de Guadalajara"
    if lex.within_municipality.match(post) and fold(text[start:end]) not in get_gazetteer().shared_names:
        # a town of a municipality: "en San José del Cabo, en el municipio de Los Cabos" (not a state's name:
        # "en Querétaro, en el municipio de El Marqués" is the state)
        return 2
    if lex.municipality.search(pre) or lex.municipality.match(post):
        return 1
    return 0


def _subject_mentions(sent_text: str, base: int, mentions: list[CompanyMention], lex: _Lexicon) -> list[list]:
    """Company mentions grouped into coordinated lists ("Jabil, Sanmina y Continental"), each group with
    whether it can own what follows: not the object of a preposition or a comparison ("like Google",
    "clientes como Amazon"), unless a possessive or a facility ("la planta de Foxconn")."""
    groups: list[list] = []
    prev_end = None
    for m in mentions:
        before = sent_text[:m.start_char - base]
        gap = sent_text[prev_end - base:m.start_char - base] if prev_end is not None else None
        if groups and gap is not None and re.fullmatch(r"\s*(?:,|,?\s*(?:and|y|e|&))\s*", gap):
            groups[-1][0].append(m)
        else:
            owner = not lex.not_subject_before.search(before[-40:]) or bool(lex.owner_before.search(before[-40:]))
            if lex.builder_before.search(before[-60:]) or lex.builder_before.search(m.surface + " "):
                owner = False  # "la constructora Garza Ponce empleará a 700": the project owner's jobs
            groups.append([[m], owner])
        prev_end = m.end_char
    return groups


def _company_for(c: _Count, text: str, base: int, in_sent: list[CompanyMention], focus: _Focus,
                 affiliations: dict[str, str], lex: _Lexicon) -> str | None:
    """The company the count belongs to: the owning company named in the count's own clause, else the
    sentence's subject; else one named after the count ("according to Oracle"); else a person's company;
    else ("the company", "la empresa", "it", nothing) the company in focus. A count shared by a
    coordinated list of companies belongs to none of them."""
    rel = c.start - base
    before = [m for m in in_sent if m.end_char <= c.start]
    clause = _clause_start_conj(text, rel)
    groups = _subject_mentions(text, base, before, lex)
    if (before and lex.relative.match(text, clause)
            and not lex.builder_before.search(text[max(0, before[-1].start_char - base - 60):
                                                   before[-1].start_char - base])
            and not lex.builder_before.search(before[-1].surface + " ")):
        gap = LEGAL_AFTER.sub("", text[before[-1].end_char - base:clause])
        if re.fullmatch(r"\s*,?\s*", gap):
            # "Infosys, which employs 4,000 people"; "Intel, Infineon and Qualcomm, which together employ": none
            if len({m.name for m in groups[-1][0]}) > 1 or lex.combined.search(text, clause):
                return None
            return before[-1].name
        if lex.based_apposition.fullmatch(gap):
            # "... A y Precitool, con sede en Tlajomulco, que prevé contratar a 80": the seat is the last one's
            return before[-1].name
    owners = [g for g in groups if g[1]]
    chosen = None
    in_clause = [g for g in owners if g[0][-1].start_char - base >= clause]
    if in_clause:
        chosen = in_clause[-1][0]
    elif owners:
        chosen = owners[0][0]
    if chosen is not None:
        if len({m.name for m in chosen}) > 1 or lex.combined.search(text):
            return None
        return chosen[-1].name
    if lex.sector_subject.search(text, 0, rel) and not (lex.sector_owner_ref.search(text, clause, rel)
                                                        or lex.company_ref.search(text, 0, rel)):
        return None  # "the city's factories employ roughly 140,000 people, many at Foxconn"
    after = [m for m in in_sent if m.start_char >= c.end]
    for m in after:
        if not lex.not_owner_after.search(text[max(0, m.start_char - base - 40):m.start_char - base]):
            # (Spanish lists no subject_ref terms: its empty pattern matches anywhere, so in Spanish a company
            # named after the count never owns it; "... contratará a 220, informó su cliente Oxxo")
            if lex.subject_ref.search(text[:rel]) or lex.company_ref.search(text[:rel]):
                break  # "the company said ... 500 jobs, more than at Intel"
            return m.name
    for surname, company in affiliations.items():
        if re.search(rf"\b{re.escape(surname)}\b", text):
            return company
    return focus.company


def _company_base(c: _Count, text: str, company: str, in_sent: list[CompanyMention],
                  sent_places: list[PlaceMention], lex: _Lexicon,
                  hiring: bool = True) -> tuple[str | None, str | None] | None:
    """For a new or planned count, the Mexican seat of the count's own company given as an apposition
    before the count, with no other place between ("Metalúrgica Apolo, con sede en Santa Catarina, ...
    prevé contratar 60 trabajadores"): a local supplier's new jobs are where it is based. Any other count
    only in a relative clause right after the seat ("Automatiza Bajío, con sede en Irapuato, que ampliará su
    plantilla de 60 a 110")."""
    for m in in_sent:
        if m.name != company or m.end_char > c.start:
            continue
        for p in sent_places:
            if (m.end_char < p.start_char < c.start
                    and lex.company_base.match(LEGAL_AFTER.sub("", text[m.end_char:p.start_char]))
                    and not any(p.end_char <= q.start_char < c.start and not (  # "Santa Catarina, Nuevo León"
                        q.place.kind == "state" and q.place.name == p.place.state
                        and re.fullmatch(r",\s*", text[p.end_char:q.start_char])) for q in sent_places)
                    and (hiring or re.match(r"[^,;:()]*,\s*(?:que|which|that)\s", text[p.end_char:c.start]))):
                if p.place.kind == "city":
                    return p.place.name, p.place.state
                return None, p.place.name
    return None


_OUTSIDE = re.compile(r"(?:outside|fuera de|beyond|más allá de)\s+(?:the\s+|la\s+|el\s+)?$", re.IGNORECASE)
_WHERE = re.compile(r",?\s*(?:where|en donde|donde)\s[^,;:()]*$", re.IGNORECASE)


def _where_place(c: _Count, text: str, base: int, sent_places: list[PlaceMention],
                 focus: _Focus, lex: _Lexicon) -> tuple[str | None, str | None] | None:
    """A count in a "where" clause right after a place is there ("after Mexico City, where the firm has 480
    employees", "fundada en la Ciudad de México, donde trabajan unos 200"); after a place abroad, unplaced."""
    for m in lex.national.finditer(text, base, c.start):
        # (not a superlative's scope: "un centro en Zapopan, el primero de la compañía en América Latina, donde")
        if _WHERE.match(text[m.end():c.start]) and not lex.scope_first.search(text, max(base, m.start() - 45),
                                                                             m.start()) and not any(
                p.start_char < c.start and m.start() < p.end_char for p in sent_places):  # (not "la capital del país")
            return None, None  # "oficinas en Guadalajara ..., su operación en México, donde emplea a unas 4 mil"
    before = [(p.end_char, p) for p in sent_places if p.end_char <= c.start]
    before += [(e, None) for s, e in focus.foreign if base <= s and e <= c.start
               and not lex.scope_first.search(text, max(base, s - 45), s)]
    if not before:
        return None
    end, p = max(before, key=lambda t: t[0])
    if not _WHERE.match(text[end:c.start]):
        return None
    start = p.start_char if p else next(s for s, e in focus.foreign if e == end)
    # not a landmark or a country left ("fuera de Argentina, donde creará"), the metropolitan area around a
    # municipality, or a state (it may qualify a city or a sector: "la industria de Coahuila, donde")
    if _OUTSIDE.search(text[max(base, start - 30):start]):
        return None
    if p is None:
        return None, None
    if lex.landmark_before.search(text, max(0, p.start_char - 90), p.start_char):
        # the landmark of an apposition: "en Kanasín, municipio conurbado a la capital del estado, donde trabajarán
        # 350": the place it describes
        head = [q for q in sent_places if q.end_char <= p.start_char
                and re.fullmatch(r",\s+[^,;:()]{0,50}", text[q.end_char:p.start_char])]
        if not head:
            return None
        p = head[-1]
    if any(q.end_char <= p.start_char and re.fullmatch(_LIST_GAP, text[q.end_char:p.start_char])
           for q in sent_places):
        return None  # "oficinas en Guadalajara y la Ciudad de México, donde trabajan 700": the whole list
    if p.place.kind != "city" or _specificity(text, p.start_char, p.end_char, lex) < 0 or re.search(
            r"\b(?:of|de)\s+$|\bcity$", text[max(base, p.start_char - 12):p.start_char] + text[p.end_char:end]):
        return None
    return p.place.name, p.place.state


def _based_abroad(c: _Count, text: str, company: str, in_sent: list[CompanyMention], focus: _Focus,
                  lex: _Lexicon) -> bool:
    """The count's own company is given a seat abroad as an apposition shortly before its count, with no
    other company between ("Brightwire, con sede en Denver, emplea a unas 12 mil personas"): a global headcount."""
    for m in in_sent:
        if m.name != company or m.end_char > c.start:
            continue
        for s, e in focus.foreign:
            if (m.end_char < s < c.start and c.start - e < 80 and lex.company_base.match(text[m.end_char:s])
                    and not any(e <= o.start_char < c.start for o in in_sent)):
                return True
    return False


def _place_for(c: _Count, text: str, base: int, sent_places: list[PlaceMention], focus: _Focus, kind: str,
               lex: _Lexicon) -> tuple[str | None, str | None]:
    """Where the jobs are. Nothing for counts "in the country"/"en México" or abroad; the Mexican place
    named for them in the sentence (not an origin or landmark: "based in", "next to"), a city standing for
    its state and several cities of different states for none; "in the state"/"en la entidad" and a
    sentence about the same facility ("the plant", "el proyecto") or a new hire with no place of its own
    fall back on the article's main place."""
    rel_s, rel_e = c.start - base, c.end - base
    clause_s = _clause_start_conj(text, rel_s)
    nxt = _CLAUSE_END.search(text, rel_e)
    clause_e = nxt.start() if nxt else len(text)
    covered = [(p.start_char - base, p.end_char - base) for p in sent_places]

    def free(m: re.Match) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in covered)

    def of_place(m: re.Match) -> bool:
        # "en la región sureste de Coahuila": a part of a Mexican place, not the country or a region beyond it
        return any(s >= m.end() and re.fullmatch(r"(?:\s+[^\W\d][\w-]*){0,2}\s+(?:de|del|of)\s+(?:la\s+|el\s+|the\s+)?",
                                                 text[m.end():s]) for s, _ in covered)

    window = [m for m in lex.national.finditer(text, clause_s, min(clause_e, rel_e + 60))
              if free(m) and not of_place(m)]
    national_after = [m for m in window if m.start() >= rel_e]
    national_before = [m for m in window if m.end() <= rel_s]
    first_place_after = min((s for s, _ in covered if s >= rel_e), default=len(text))
    if any(m.start() < first_place_after for m in national_after) or (national_before and not any(
            clause_s <= s < rel_s for s, _ in covered)):
        return _NATIONAL
    if (lex.there_after.match(text, rel_e) or lex.there_before.search(text, clause_s, rel_s)) and not any(
            e <= rel_s for _, e in covered) and not any(base <= s < base + rel_s for s, _ in focus.foreign):
        # "plans to add another 80 there within 18 months, ... for clients in the United States": the place named
        # before this sentence
        return _AT_FOCUS
    foreign_after = [s - base for s, _ in focus.foreign if base + rel_e <= s < base + min(clause_e, rel_e + 60)
                     and lex.locative_end.search(text, rel_e, s - base)
                     # not "hire 200 engineers there to serve clients in the United States"
                     and not lex.not_abroad_between.search(text, rel_e, s - base)]
    if foreign_after and min(foreign_after) < first_place_after:
        return None, None
    conj = _CONJ_END.search(text, rel_e)
    if conj and (conj.start() == rel_e and _coordinated_noun(text, conj.end(), lex)
                 or _noun_phrase_conj(text, base, rel_e, conj, sent_places, lex)):
        conj = _CONJ_END.search(text, conj.end())  # "1,500 operarios y técnicos en ...": one noun phrase
    conj_e = conj.start() if conj else len(text)
    cands = []
    excluded = False
    later = False  # the place before was left out as another clause's
    shared = False  # "400 employees, most of them in Guadalajara": a share is there, not the count
    for i, p in enumerate(sent_places):
        s = p.start_char - base
        # (or a part's place: "has hired about 150 of them this year, including a site-reliability team in Monterrey")
        if s >= rel_e and (shared or lex.share_between.search(text, rel_e, s) or lex.part_place.search(text, rel_e, s)):
            shared = True
            continue
        if kind != "sector_total" and _in_title(p, text, lex, base):
            continue  # "durante un recorrido con el gobernador del estado de Querétaro"
        prev = sent_places[i - 1] if i else None
        listed = prev is not None and _LIST_GAP_IN.fullmatch(text, prev.end_char - base, s)
        if _not_site(text, s, p.end_char - base, lex) or (listed and excluded):
            excluded = True  # "after Guadalajara and Zapopan": the whole list
            continue
        excluded = False
        if s >= conj_e and (not listed or later):
            # another clause after the count: "has 100 employees and the new office is in ...", the whole of a list
            # there ("y contrata a personal de Chiapas, Tabasco y Veracruz")
            later = True
            continue
        later = False
        if s >= rel_e and _ORIGIN_AFTER.search(text, rel_e, s):
            continue  # "abrió con 140 empleados, la mayoría transferidos desde las oficinas ... en Monterrey"
        cands.append(p)
    there = lex.there_after.match(text, rel_e) or lex.there_before.search(text, clause_s, rel_s)
    if there:
        # "will open a hub in Medellín, Colombia, and hire about 500 engineers there": the place named last before
        # the count (abroad: unplaced), not one named after it
        # (not the metropolitan area around it: "its plant in Zapopan, part of the Guadalajara metropolitan area,
        # tripling its headcount there to 3,000")
        before = [(p.end_char - base, p) for p in sent_places if p.end_char - base <= rel_s
                  and not _not_site(text, p.start_char - base, p.end_char - base, lex)
                  and _specificity(text, p.start_char - base, p.end_char - base, lex) >= 0]
        before += [(e - base, None) for s, e in focus.foreign if base <= s and e - base <= rel_s]
        if before:
            before.sort(key=lambda t: t[0])
            last = before[-1][1]
            if last is None:
                return None, None
            # (the city a state qualifies: "in Mérida, Yucatán, ... 600 there")
            cities = [p for _, p in before
                      if p is not None and p.place.kind == "city" and p.place.state == last.place.name]
            cands = [cities[-1] if last.place.kind == "state" and cities else last]
    if cands and all(p.place.kind == "state" for p in cands):
        # "abrirá en la capital michoacana un centro donde trabajarán 200, informó el gobierno de Michoacán"
        capital = _capital_place(text, base, clause_e, focus, lex)
        if capital is not None and capital[1] in {p.place.name for p in cands}:
            return capital
    def city_ref(start: int, end: int = len(text)) -> re.Match | None:
        # (not inside a place's name: "en la Ciudad de México" is no "en la ciudad")
        # nor a company's seat: "La empresa, con sede en esta ciudad, emplea a más de 120 mil"
        def seat(m: re.Match) -> bool:
            pos = m.start() + (3 if text[m.start():m.start() + 3].lower() in ("en ", "in ") else 0)
            return bool(lex.place_not_site.search(text, max(0, pos - 30), pos))

        return next((m for m in lex.city_ref.finditer(text, start, end) if free(m) and not seat(m)), None)

    # (after the count, or before it in its clause: "La planta de Ford en la ciudad emplea a más de 4 mil")
    this_city = city_ref(rel_e) or city_ref(clause_s, rel_s)
    if (this_city and focus.city and not any(clause_s <= p.start_char - base < this_city.start() for p in cands)
            and all(p.place.kind == "state" and p.place.name == focus.state for p in cands)):
        # "the city" (not "this city") with no city in its sentence: the city named last before, in the sentence
        # before ("... se concentraron en Zapopan, donde ... Wizeline, que hoy emplea a mil 100 personas en la ciudad")
        if not re.search(r"\b(?:this|este|esta)\b", this_city.group(0), re.IGNORECASE) and not cands:
            prior = [p for p in focus.places if p.end_char <= base and base - p.end_char <= _SITE_REACH
                     and p.place.kind == "city" and p.place.state == focus.state
                     and not _not_site(focus.text, p.start_char, p.end_char, lex)]
            if prior:
                return prior[-1].place.name, prior[-1].place.state
        # "ROSARITO.- ... contratará a 2 mil trabajadores ... en este municipio": the dateline's city, else the story's
        return _lede_site(focus.text, focus, focus.headline_end, lex) or (focus.city, focus.state)
    city_states = {p.place.state for p in cands if p.place.kind == "city"}
    # "Ciudad Juárez, Chihuahua", "in Zapopan, in the state of Jalisco": the state qualifies the city
    # (a state named before the city is no qualifier: "4 mil empleados en Jalisco, de los cuales mil trabajan en
    # su centro de Tlaquepaque")
    cands = [p for p in cands if isinstance(p, PlaceReference) or not (p.place.name in city_states and any(
        q.place.kind == "city" and q.place.state == p.place.name and q.end_char <= p.start_char for q in cands))]
    if cands:
        def dist(p: PlaceMention) -> int:
            s, e = p.start_char - base, p.end_char - base
            return s - rel_e if s >= rel_e else (rel_s - e) + 1

        # the place in the count's own clause ("y a otras 1,000 en su planta de Apodaca") before any other;
        # then the most specific one (the municipality, not the metropolitan area around it), then the nearest
        def rank(p: PlaceMention) -> tuple:
            s, e = p.start_char - base, p.end_char - base
            own = clause_s <= s and e <= clause_e
            return (not own, -_specificity(text, s, e, lex), dist(p))

        best = min(cands, key=rank)
        # "in Mexico City and Guadalajara": the count spans the listed places
        group = [best]
        for other in cands:
            lo, hi = sorted([other, best], key=lambda p: p.start_char)
            if other is not best and _listed(lo, hi, text, base, sent_places):
                group.append(other)
        states = {p.place.state if p.place.kind == "city" else p.place.name for p in group}
        if len(group) > 1:
            # one state: the state; several ("260 employees in Mexico City and Guadalajara", "contratará a mil 500
            # profesionales en Guadalajara y Monterrey"): no one place, as the annotation guide reads it
            if len(states) == 1:
                return None, states.pop()
            return None, None
        if best.place.kind == "city":
            return best.place.name, best.place.state
        if city_ref(rel_e, clause_e) and focus.city and focus.state == best.place.name:
            return focus.city, focus.state
        return None, best.place.name
    if shared:
        return _NATIONAL
    # (or a region a locative gives the count later in its sentence: "generará 2 mil 500 empleos indirectos entre
    # transportistas, proveedores y distribuidores en la península"; not a purpose: "to serve clients in the Bajío")
    region_after = next((m for m in lex.region_ref.finditer(text, rel_e)
                         if lex.locative_end.search(text, rel_e, m.start())
                         and not lex.not_abroad_between.search(text, rel_e, m.start())), None)
    if (lex.region_ref.search(text, 0, clause_e) or region_after
            or kind == "sector_total" and lex.sector_region_ref.search(text, 0, clause_e)):
        return _NATIONAL  # "En la región lagunera, otras empresas emplean a 40 mil": a region spanning states
    capital = _capital_place(text, base, clause_e, focus, lex)
    if capital is not None:
        return capital
    # places abroad in the sentence, not as an origin ("transfer them from China"); one with a facility named
    # before it ("La planta de Hanwool en Cheonan ... tiene mil 300 empleados") places that facility abroad
    abroad = [(s - base, e - base) for s, e in focus.foreign if base <= s < base + len(text)
              and not lex.origin_before.search(text, max(0, s - base - 30), s - base)]
    # (a country, or a city and its country, not any name the model tags: "ubicado en la colonia Providencia")
    starts = {s for s, _ in abroad}
    countries = get_gazetteer().foreign
    def located_abroad(s: int, e: int) -> bool:
        # (the model may take the preposition in: "en Estados Unidos")
        lead = re.match(r"(?:en|in|at)\s+", text[s:e], re.IGNORECASE)
        return bool((lead or lex.locative_end.search(text, 0, s)) and lex.facility_ref.search(text, 0, s) and (
            fold(text[s + (lead.end() if lead else 0):e]) in countries
            or text[e:e + 1] == "," and any(e + k in starts for k in (2, 3))))

    if foreign_after or (abroad and (not lex.facility_ref.search(text) or any(
            s < rel_s and located_abroad(s, e) for s, e in abroad))):
        return None, None
    # (not one of another conjunct: "generará 180 empleos directos y otros 600 indirectos en la entidad")
    if kind == "sector_total" and lex.sector_city_ref.search(text, 0, clause_e):
        # "the city's factories employ roughly 140,000", "el municipio, que hoy concentra unos 20 mil empleos":
        # the city last named before this sentence, else the story's
        prior = [p for p in focus.places if p.end_char <= base + rel_s and p.place.kind == "city"
                 and not _not_site(text, p.start_char - base, p.end_char - base, lex)]
        if prior or focus.city:
            return (prior[-1].place.name, prior[-1].place.state) if prior else (focus.city, focus.state)
    if (lex.state_ref.search(text, clause_s, conj_e) or lex.state_ref.search(text, 0, clause_e)
            or kind == "sector_total" and lex.sector_state_ref.search(text, 0, clause_e)):
        # "the state", "la entidad": the state last named as a state before this sentence (not the state of a
        # city named in passing: "las oficinas que tiene en Guadalajara y Mérida. ... la entidad tiene 6 mil"),
        # else the state of the city named last
        # "the state", "la entidad": a state named alone as such in the sentence before ("its cloud region in
        # the state of Querétaro. ... has created 400 new jobs in the state"), else the story's state (not one of a
        # ranking or list of states, nor the state of a city named in passing: "las oficinas que tiene en
        # Guadalajara y Mérida. ... la entidad tiene 6 mil"), else the state named last
        prior = [p for p in focus.places if p.end_char <= base]
        stops = [m.end() for m in re.finditer(r"[.!?]\s", focus.text[:max(0, base - 2)])]
        recent = {p.place.name for p in prior if p.place.kind == "state" and p.start_char >= (stops or [0])[-1]}
        if len(recent) == 1:
            return None, recent.pop()
        if focus.state:
            return None, focus.state
        return None, (prior[-1].place.state if prior[-1].place.kind == "city" else prior[-1].place.name) \
            if prior else focus.state
    # (a city reference anywhere before: "Aptiv, que opera varias plantas en la ciudad, anunció que prevé contratar")
    if (city_ref(0, conj_e) or lex.facility_ref.search(text, 0, conj_e)
            # (not a seat: "La empresa, con sede en esta ciudad, emplea a más de 120 mil")
            or any(not re.search(r"\bcon\s+sede$", m.group(0), re.IGNORECASE)
                   for m in lex.facility.finditer(text, 0, conj_e))
            or lex.workforce_ref.search(text, 0, conj_e) and not lex.national.search(text)):
        return _AT_FOCUS
    return _NO_CUE


# between a count and a place after it, where its people come from: "140 empleados, la mayoría transferidos desde las
# oficinas que mantiene en ...", "120 engineers relocated from its offices in ..." (not a date: "desde 2027")
_ORIGIN_AFTER = re.compile(r"(?<!\w)(?:desde\s+(?![\d]|(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
                           r"octubre|noviembre|diciembre|hoy|ahora|el\s+\d|el\s+próximo|la\s+próxima)\b)"
                           r"|(?:transferred|relocated|moved|transferidos|trasladados|reubicados)\s+from)",
                           re.IGNORECASE)


# a list's gap, "y en"/"and in" too: "en León, Guanajuato, y en San Luis Potosí"
_LIST_GAP_IN = re.compile(r"\s*(?:,|,?\s*(?:and|y|e)(?:\s+(?:en|in)(?=\s))?)\s*(?:(?:the|la|el|los|las)\s+)?",
                          re.IGNORECASE)


def _listed(lo: PlaceMention, hi: PlaceMention, text: str, base: int, sent_places: list[PlaceMention]) -> bool:
    """Whether ``hi`` follows ``lo`` in a list of places, past the state that qualifies ``lo`` ("en León,
    Guanajuato, y en San Luis Potosí")."""
    gap_s = lo.end_char - base
    for q in sent_places:
        if (lo.place.kind == "city" and q.place.kind == "state" and q.place.name == lo.place.state
                and lo.end_char <= q.start_char < hi.start_char
                and re.fullmatch(r",\s*", text[gap_s:q.start_char - base])):
            gap_s = q.end_char - base
            break
    return bool(_LIST_GAP_IN.fullmatch(text, gap_s, hi.start_char - base))


def _capital_place(text: str, base: int, clause_e: int, focus: _Focus,
                   lex: _Lexicon) -> tuple[str | None, str | None] | None:
    """A count's clause that places it in a state's capital without naming it: "la capital del estado" (the
    state named last before), "la capital potosina" (the state of the demonym), "the state capital"."""
    gaz = get_gazetteer()
    state = None
    # (from the sentence start: "En la capital potosina, la empresa contratará a 260 ingenieros")
    ref = lex.capital_ref.search(text, 0, clause_e)
    if ref:
        prior = [p for p in focus.places if p.end_char <= base + ref.start()]
        state = (prior[-1].place.state if prior[-1].place.kind == "city" else prior[-1].place.name) \
            if prior else focus.state
    else:
        for m in lex.capital_adjective.finditer(text, 0, clause_e):
            place = gaz.demonyms.get(fold(m.group("adj")))
            if place is not None:
                state = place.state if place.kind == "city" else place.name
                break
    city = gaz.capitals.get(state) if state else None
    return (city.name, city.state) if city else None


def _noun_phrase_conj(text: str, base: int, rel_e: int, conj: re.Match, sent_places: list[PlaceMention],
                      lex: _Lexicon) -> bool:
    """Whether the "and"/"y" after a count joins nouns of one phrase that a place then ends ("120 ingenieros de
    software y científicos de datos en Guadalajara", "a 25-person sales and support office in Zapopan"): at most
    three words before it, at most five after it and no verb among them, then "in"/"en" and the place."""
    if not re.fullmatch(r"(?:\s+[^\W\d][\w-]*){0,3}", text[rel_e:conj.start()]):
        return False
    after = [p for p in sent_places if p.start_char - base >= conj.end()]
    if not after:
        return False
    words = text[conj.end():after[0].start_char - base].split()
    if words and words[-1].lower() in ("the", "la", "el", "los", "las", "su", "sus", "its"):
        words.pop()
    # (ending on a facility of the place: "250 ingenieros de diseño y validación de chips a su centro de Guadalajara")
    facility = lex.facility_tail.search(" " + " ".join(words))
    if facility:
        words = (" " + " ".join(words))[:facility.start()].split() + ["en"]
    if not 2 <= len(words) <= 6 or not re.fullmatch(r"in|en|at", words[-1], re.IGNORECASE) or re.fullmatch(
            r"an?|the|its|their|another|una?|unos|unas|el|la|los|las|sus?|otr[oa]s?", words[0], re.IGNORECASE):
        return False  # (a noun phrase of its own: "tiene 1,900 empleados y una oficina comercial en Querétaro")
    return not any(w.lower() in lex.clause_words or w.lower().endswith(lex.clause_suffixes) or not w.isalpha()
                   for w in words[:-1])


def _coordinated_noun(text: str, pos: int, lex: _Lexicon) -> bool:
    """Whether the word at ``pos`` is a job noun coordinated with the count's own ("operarios y técnicos")."""
    word = re.match(r"[^\W\d]+", text[pos:])
    return bool(word) and (word.group(0).lower() in lex.unit_of or word.group(0).lower() in lex.people_before_unit)


def _facility_demonym(sent_text: str, lex: _Lexicon) -> tuple[str | None, str | None] | None:
    """"contratar 300 trabajadores más en su planta leonesa": the place a demonym gives the facility."""
    gaz = get_gazetteer()
    for m in lex.facility_adjective.finditer(sent_text):
        place = gaz.demonyms.get(fold(m.group("adj")))
        if place is not None:
            return (place.name, place.state) if place.kind == "city" else (None, place.name)
        if fold(m.group("adj")) in gaz.foreign_adjectives:
            return None, None  # "El centro colombiano comenzará con 200 ingenieros": abroad
    return None


def _apposition_home(company: str, companies: list[CompanyMention], text: str, places: list[PlaceMention],
                     lex: _Lexicon) -> tuple[str | None, str | None] | None:
    """"Soluciones Logísticas, the Monterrey company that has resold its products", "Nortec, una empresa de
    Saltillo": the home town an apposition gives the company (any of its mentions), for a count whose sentence places
    it nowhere."""
    for m in companies:
        # (a fuller name of the same company: "Soluciones Logísticas Integrales")
        if m.name != company and not m.name.startswith(company + " "):
            continue
        for p in places:
            if not 0 < p.start_char - m.end_char <= 40 or p.place.kind != "city":
                continue
            gap = text[m.end_char:p.start_char]
            if (lex.home_before.fullmatch(gap) and lex.home_after.match(text, p.end_char)
                    or lex.home_lead.fullmatch(gap)):
                return p.place.name, p.place.state
    return None


def _demonym_home(company: str, companies: list[CompanyMention], text: str, places: list[PlaceMention] = (),
                  story_city: tuple[str | None, str | None] = (None, None)) -> tuple[str | None, str | None] | None:
    """"la tijuanense Blackcomb Digital, que tiene unos 300 empleados": the home town a demonym gives the
    company (any of its mentions), for a count whose sentence places it nowhere. A state's demonym is the one
    city of that state the story names, if it names one ("la startup oaxaqueña X ... con sede en la ciudad de
    Oaxaca")."""
    demonyms = get_gazetteer().demonyms
    for m in companies:
        if m.name != company:
            continue
        before = re.split(r"[.;:!?()\n]", text[max(0, m.start_char - 40):m.start_char])[-1]
        for word in reversed(fold(before).split()[-3:]):
            if word in ("local", "locales"):
                # "the local integrator Automatización Saltillense, which employs 85": the story's city, else the
                # city named last before
                if story_city[0]:
                    return story_city
                named = [p for p in places if p.end_char <= m.start_char and p.place.kind == "city"
                         and not isinstance(p, PlaceReference)]
                return (named[-1].place.name, named[-1].place.state) if named else None
            place = demonyms.get(word)
            if place is not None:
                if place.kind == "state":
                    named = {p.place for p in places if p.place.kind == "city" and p.place.state == place.name
                             and not isinstance(p, PlaceReference)}
                    if len(named) == 1:
                        place = named.pop()
                return (place.name, place.state) if place.kind == "city" else (None, place.name)
    return None
