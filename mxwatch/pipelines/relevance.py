"""Relevance: is this article about a tech company opening, expanding or hiring in Mexico?

The score is a logistic model over ten signals, each a number in [0, 1], chosen for being general (they
describe what the story says where, not which words a development set used):
- *the event in one sentence* (``ev_mx``): sentences that hold an expansion term, a Mexican place and tech
  evidence together (a tech term, or a company from the gazetteer), unless other industries' vocabulary is there
  without a specific tech term; and ``ev_foreign``, the same with a place abroad and no Mexican one;
- *where the expansion happens*: ``exp_mexico``, expansion terms whose place in their sentence is Mexican (the
  first place after the term, else the nearest before it), and ``lede_exp_foreign``, the share of the headline
  and lede's expansion terms whose place is abroad ("opens a hub in Bogotá after weighing Guadalajara");
- *what kind of story it is*: job cuts, fines, strikes, outages, "no plans to expand" (``contraction``; and
  ``head_contraction`` when the headline or lede says so), a headline and lede about another industry
  (``lede_non_tech``), the share of job counts that are sector totals (``sector_share``: statistics), and a
  headline or lede that reports another kind of event (``head_non_event``: a denial, cancellation or rumour,
  earnings, a forum, a ranking, an election, a decree);
- a sentence that denies, cancels, calls a rumour or says nothing was announced states no event (it adds nothing
  to ``ev_mx`` or ``exp_mexico``); "New Mexico"/"Nuevo México" is a place abroad, not the country; a place after
  "outside"/"fuera de", or passed over ("choosing Texas over Monterrey", "en lugar de"), is not where the expansion
  is; a relocation ("traslada ... de Suzhou a Apodaca", "moves
  production from Penang to Tijuana") happens at its destination; story-type and denial terms inside a name
  ("Cumbre Digital") do not count; regions that hold Mexico ("Norteamérica") and short forms of a Mexican place
  the story names ("San Nicolás") are not abroad; a sentence that names no place but whose job count puts a
  company's new jobs in Mexico ("en la capital del país") is located in Mexico; a company's home ("based in San
  Diego", "con sede en Los Ángeles") is not the site; a nationality right before the term ("its Brazilian
  operations", and the verb whose object that is) puts it abroad; "launched" is an expansion only when a facility
  follows ("launched a data center", not "launched its latest phone"); a word of a hyphenated compound
  ("open-finance") is no event; sentences of statistics (their job counts are sector totals, no company named)
  state no company's expansion; a company spaCy tags as a place is not a place abroad; the headline or lede's
  story type (earnings, an opinion column, IMSS figures, an IPO, a spin-off ...) does not count when the headline
  or lede itself states the event ("to open Monterrey centre, CEO says on earnings call": a sentence of ``ev_mx``
  that names a company or new jobs; a government's decree "para crear un polo" is no company's event); a donation
  and a flood or earthquake are story types of their own; the runner-up of a site search ("Guadalajara was the other
  finalist") is not the site; an expansion term after "in which to"/"where to"/"dónde" ("the best city in which to
  hire") is a possibility, no event, and one inside a contraction ("suspendieron operaciones") is none either; a
  sentence about a deal's steps ("expected to close, pending antitrust approval") states no closure or fine; other
  industries' words inside an agency's name ("US Food and Drug Administration") do not count; a lede that names the
  company by another industry ("avocado packer Mission Produce", "the automaker said") is about that industry even
  with tech words in it, unless it opens a tech site ("software development centre"); a company's trade ("la plataforma
  de reclutamiento Codelia", "a staffing agency") is no hiring; a dateline's state abbreviation after a Mexican
  place ("HERMOSILLO, Son.-") is not a place abroad;
- ``rule``: the older rule-based score, a weighted geometric mean of Mexico, tech and expansion evidence over
  the whole text, which needs all three together.
Vocabulary is data (``patterns/relevance_terms.jsonl``; a space or hyphen in a term matches either); the weights
are data too (``patterns/relevance_weights.json``), fitted on annotated documents by
``python -m mxwatch.pipelines.relevance_fit`` (L2 penalty and threshold by cross-validation, the threshold folded
into the bias; the fit reports leave-one-set-out figures). The article is relevant at 0.5 or more.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from functools import cache

from spacy.tokens import Doc

from mxwatch.pipelines.companies import CompanyMention
from mxwatch.pipelines.pattern_data import PATTERNS_DIR, read_patterns
from mxwatch.pipelines.places import PlaceMention, fold, get_gazetteer
from mxwatch.pipelines.term_regex import finditer_at, term_alternation

THRESHOLD = 0.5
_GEO_LABELS = {"GPE", "LOC"}
WEIGHTS_FILE = PATTERNS_DIR / "relevance_weights.json"

FEATURES = ("ev_mx", "ev_foreign", "exp_mexico", "lede_exp_foreign", "contraction", "head_contraction",
            "lede_non_tech", "sector_share", "rule", "head_non_event")


@cache
def _patterns(lang: str) -> dict[str, re.Pattern]:
    """One alternation per signal: a single pass over the text finds every term of that signal."""
    return {signal: re.compile(rf"(?<!\w){term_alternation(terms)}(?!\w)") for signal, terms in _terms(lang).items()}


@cache
def _term_starts(lang: str) -> re.Pattern:
    """Where a term of any signal can start: one pass finds them, and each signal is then tried there only
    (a signal's own pass costs as much as this one, at every character of the text)."""
    return re.compile(rf"(?<!\w)(?={term_alternation(t for terms in _terms(lang).values() for t in terms)})")


@cache
def _terms(lang: str) -> dict[str, list[tuple[str, str, bool]]]:
    """Each signal's terms as term_alternation takes them, longest first."""
    rows = read_patterns("relevance_terms.jsonl")
    parts: dict[str, list[tuple[int, tuple[str, str, bool]]]] = {}
    for r in rows:
        if r["lang"] != lang:
            continue
        # a space or hyphen in a term matches either ("auto parts" / "auto-parts", "data-centre" / "data centre")
        first, *others = re.split(r"[\s\-]+", r["term"])
        rest = r"[\s\-]+".join(re.escape(w) for w in [first[1:], *others])
        # Acronyms ("AI", "TI") only in capitals, words in any case.
        ignore_case = not r["term"].isupper()
        # longest first, by the length the plain alternative "(?i:term)" had (ties in file order)
        size = len(re.escape(first[:1]) + rest) + 5 * ignore_case
        parts.setdefault(r["signal"], []).append((size, (first[0], rest, ignore_case)))
    return {signal: [t for _, t in sorted(terms, key=lambda x: -x[0])] for signal, terms in parts.items()}


@cache
def _destination_words(lang: str) -> tuple[str, ...]:
    """The prepositions that put a relocation's destination after them ("to", "a")."""
    return tuple(r["term"] for r in read_patterns("relevance_terms.jsonl")
                 if r["signal"] == "destination" and r["lang"] == lang)


@cache
def _regions_with_mexico(lang: str) -> frozenset[str]:
    """Folded names of regions that hold Mexico ("Norteamérica", "Latin America"): a place there is not abroad."""
    return frozenset(fold(r["term"]) for r in read_patterns("relevance_terms.jsonl")
                     if r["signal"] == "region_with_mexico" and r["lang"] == lang)


@cache
def _weights() -> dict[str, float]:
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def _saturate(n: float, scale: float) -> float:
    return 1.0 - math.exp(-n / scale)


def _in_proper_name(doc: Doc, m: re.Match) -> bool:
    """Is the capitalised term ``m`` part of a longer name ("Cumbre Digital", "Latam Fintech Forum"): next to
    another capitalised word, in a sentence that is not in title case?"""
    if not m.group(0)[:1].isupper():
        return False
    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    if span is None:
        return False
    sent = span.sent
    words = [t for t in sent if t.is_alpha]
    if sum(t.text[:1].isupper() for t in words) > 0.6 * len(words):
        return False  # a title-case headline: every word is capitalised
    around = [doc[i] for i in (span.start - 1, span.end) if sent.start <= i < sent.end]
    return any(t.is_alpha and t.text[:1].isupper() for t in around)


def relevance_features(doc: Doc, text: str, lang: str, companies: list[CompanyMention],
                       places: list[PlaceMention], job_counts: list[dict], headline_end: int = 0) -> dict[str, float]:
    """The signals of :data:`FEATURES` for one article (``doc``, whose text is ``text``; the headline is
    ``text[:headline_end]``)."""
    pats = _patterns(lang)
    if headline_end <= 0:
        # No title: the lede (first paragraph's first sentence) stands for the headline.
        lede = next(iter(doc.sents), None)
        headline_end = min(lede.end_char if lede is not None else 0, text.find("\n") % (len(text) + 1) or len(text))
    sent_starts = [s.start_char for s in doc.sents] or [0]

    def sent_of(pos: int) -> int:
        return bisect_right(sent_starts, pos) - 1

    term_starts = [m.start() for m in _term_starts(lang).finditer(text)]

    def matches(signal: str, start: int = 0, end: int | None = None) -> list[re.Match]:
        pat = pats.get(signal)
        return finditer_at(pat, text, term_starts, start, end) if pat else []

    def distinct(found: list[re.Match]) -> int:
        return len({m.group(0).lower() for m in found})

    def sents(found: list[re.Match]) -> set[int]:
        return {sent_of(m.start()) for m in found}

    # "New Mexico", "Nuevo México": a place abroad, not the country
    # (each holds a match of the country's name: searched only around those)
    country = matches("country")
    namesake_pat = pats.get("not_country")
    namesakes = [(hit.start(), hit.end()) for m in country if namesake_pat
                 and (hit := namesake_pat.search(text, max(0, m.start() - 8), min(len(text), m.end() + 3)))]

    def in_namesake(pos: int) -> bool:
        return any(start <= pos < end for start, end in namesakes)

    country = [m for m in country if not in_namesake(m.start())]
    gaz = get_gazetteer()
    regions = _regions_with_mexico(lang)  # "Norteamérica", "Latin America": not abroad
    foreign_ents = [e for e in doc.ents if e.label_ in _GEO_LABELS and fold(e.text) not in gaz.surfaces
                    and (not re.search(r"m[eé]xic", e.text, re.IGNORECASE) or in_namesake(e.start_char))
                    and fold(e.text) not in regions and e.text[:1].isupper()  # not "diseño" tagged LOC
                    and any(not t.is_stop for t in e)]  # not "La" tagged LOC
    # a company spaCy tags as a place ("Zentria y Codevia abren centros"): the company, not a place abroad
    if companies and foreign_ents:
        starts = {c.start_char for c in companies}
        foreign_ents = [e for e in foreign_ents if e.start_char not in starts]
    # "its first office outside the United States, in Monterrey": a place after "outside" is not where it happens
    # (nor is a company's home: "con sede en Los Ángeles", "based in San Diego")
    outside = matches("outside") if foreign_ents else []
    outside_ends = [m.end() for m in outside]
    if outside_ends:
        foreign_ents = [e for e in foreign_ents if not any(0 <= e.start_char - end <= 5 for end in outside_ends)]
    # "San Nicolás" for "San Nicolás de los Garza" named in the story: a short form of a Mexican place, not abroad
    mx_names = {fold(p.place.name) for p in places} | {fold(p.text) for p in places}
    foreign_ents = [e for e in foreign_ents if not any(fold(e.text) in name for name in mx_names)]
    # "HERMOSILLO, Son.-", "Monterrey, N.L.": a short abbreviation right after a Mexican place and a comma is its
    # state (a dateline's), not a place abroad
    if places and foreign_ents:
        mx_ends = {p.end_char for p in places}
        foreign_ents = [e for e in foreign_ents if not (
            len(re.sub(r"[^\w]", "", e.text)) <= 5 and re.search(r"[.\-–—]$|^[A-Z]+$", e.text)
            and any(text[end:e.start_char] in (",", ", ") for end in mx_ends))]
    foreign_starts = [e.start_char for e in foreign_ents]
    foreign_starts += [start for start, end in namesakes if not any(start <= p < end for p in foreign_starts)]
    if namesakes:
        places = [p for p in places if not in_namesake(p.start_char)]
    # "choosing Texas over Monterrey", "en lugar de Querétaro": the place passed over is not the site
    alt_ends = [m.end() for m in matches("alternative")]
    if alt_ends:
        def passed_over(pos: int) -> bool:
            return any(0 <= pos - end <= 5 for end in alt_ends)

        places = [p for p in places if not passed_over(p.start_char)]
        country = [m for m in country if not passed_over(m.start())]
    # "Guadalajara was the other finalist", "Monterrey quedó en segundo lugar": the runner-up is not the site either
    runner_starts = [m.start() for m in matches("runner_up")]
    if runner_starts:
        def runner_up(end: int) -> bool:
            return any(0 <= start - end <= 3 for start in runner_starts)

        places = [p for p in places if not runner_up(p.end_char)]
        country = [m for m in country if not runner_up(m.end())]
    tech, weak, non_tech = matches("tech"), matches("tech_weak"), matches("non_tech")
    # a tech word inside another industry's phrase ("tiendas de electrónica", "electronics stores") is that industry
    if non_tech and tech:
        tech = [m for m in tech if not any(n.start() <= m.start() < n.end() for n in non_tech)]
    # an agency named after an industry ("the US Food and Drug Administration", "Secretaría de Turismo") is no story
    # of that industry
    if non_tech and (agencies := matches("not_non_tech")):
        non_tech = [m for m in non_tech if not any(a.start() <= m.start() < a.end() for a in agencies)]
    expansion, contraction = matches("expansion"), matches("contraction")
    # "la plataforma de reclutamiento Codelia", "a staffing agency": the word names a company's trade, no event
    if expansion and (trades := matches("business_kind")):
        expansion = [m for m in expansion if not any(t.start() <= m.start() < t.end() for t in trades)]
    # "the deal is expected to close, pending approval from the antitrust authority": a sentence about a deal's
    # steps states no closure or fine
    if contraction and (deal_steps := matches("deal_step")):
        deal_sents = sents(deal_steps)
        contraction = [m for m in contraction if sent_of(m.start()) not in deal_sents]
    # "suspendieron operaciones", "halted operations": the expansion word inside a contraction states none
    if contraction:
        expansion = [m for m in expansion if not any(c.start() <= m.start() < c.end() for c in contraction)]
    # "the best city in which to hire engineers", "where to invest": a possibility, no company's event
    generic_ends = {m.end() for m in matches("generic")}
    if generic_ends:
        expansion = [m for m in expansion if not any(0 < m.start() - end <= 1 for end in generic_ends)]
    # a word of a hyphenated compound modifies the next one: "open-finance rules", "hiring-freeze" are no events
    expansion = [m for m in expansion if text[m.end():m.end() + 1] != "-" or " " in m.group(0)]
    if outside:  # "sede" in "con sede en Los Ángeles" names the home, not a new site
        expansion = [m for m in expansion if not any(o.start() <= m.start() < o.end() for o in outside)]
    # "launched a data center" is an expansion, "launched its latest phone" a product: a facility must follow
    # (searched only in the few words after each launch)
    facility_pat = pats.get("facility")
    products = []  # launches of a product: a story type of their own when the headline or lede has one
    for m in matches("launch"):
        end = sent_starts[sent_of(m.start()) + 1] if sent_of(m.start()) + 1 < len(sent_starts) else len(text)
        if facility_pat and facility_pat.search(text, m.end(), min(end, m.end() + 40)):
            expansion.append(m)
        else:
            products.append(m)
    # "its Brazilian operations", "a Chilean plant": a nationality right before the term puts it abroad
    norp = {e.end_char: e.start_char for e in doc.ents
            if e.label_ == "NORP" and not re.search(r"m[eé]xic", e.text, re.IGNORECASE)}
    abroad = [m for m in expansion if m.start() - 1 in norp] if norp else []
    if abroad:
        # and so is the verb whose object it is ("will expand its Brazilian operations")
        starts = [norp[a.start() - 1] for a in abroad]
        abroad += [m for m in expansion if m not in abroad and any(0 < start - m.end() <= 7 for start in starts)]
        expansion = [m for m in expansion if m not in abroad]
    # a relocation is an expansion where it goes ("moves production from Penang to Tijuana")
    relocation = matches("relocation")
    expansion += relocation
    tech_companies = [c for c in companies if c.from_gazetteer]
    company_counts = [j for j in job_counts if j["kind"] != "sector_total"]
    placed = [j for j in company_counts if j["city"] or j["state"]]
    new_placed = [j for j in placed if j["kind"] in ("new", "planned")]

    # The headline and the first sentence after it: what the story leads with.
    lede_end = next((s.end_char for s in doc.sents if s.start_char >= headline_end), headline_end)
    lede_sents = set(range(sent_of(max(0, lede_end - 1)) + 1))
    # Sentences that deny, cancel, call a rumour or say nothing was announced: they state no expansion.
    # (not inside a name: "Cumbre Digital" holds no summit)
    company_spans = [(c.start_char, c.end_char) for c in companies]

    def outside_names(found: list[re.Match]) -> list[re.Match]:
        return [m for m in found if not any(s <= m.start() < e for s, e in company_spans)
                and not _in_proper_name(doc, m)] if found else found

    negation = outside_names(matches("negation"))
    negated = sents(negation)

    # Every place in text order, Mexican (True) or foreign (False). An expansion term's place is the first one
    # after it in its sentence ("opens a hub in Panama City, choosing it over Guadalajara"), else the nearest
    # one before it ("in Guadalajara, the company will open ...").
    located = sorted([(p.start_char, True) for p in places] + [(m.start(), True) for m in country]
                     + [(pos, False) for pos in foreign_starts])
    loc_starts = [pos for pos, _ in located]
    exp_mx = lede_mx = lede_foreign = 0
    # Sentences where the job counts put a company's new jobs in Mexico: the count's place is resolved there even
    # when no place name is ("en la capital del país", "la planta ensenadense").
    # Only sentences that name no place: a named one says where it happens.
    count_sents = set()
    for j in new_placed:
        if j["company"] and (at := text.find(j["evidence"][:80])) >= 0:
            count_sents.add(sent_of(at))
    count_sents -= {sent_of(pos) for pos in loc_starts}
    # Sentences of statistics: their job counts are sector totals and no company is named ("Jalisco added 11,400
    # formal jobs in July"): jobs of no company are no company's expansion.
    stat_sents = set()
    for j in job_counts:
        if j["kind"] == "sector_total" and (at := text.find(j["evidence"][:80])) >= 0:
            stat_sents.add(sent_of(at))
    if stat_sents:
        stat_sents -= {sent_of(c.start_char) for c in companies}
        stat_sents -= {sent_of(text.find(j["evidence"][:80])) for j in company_counts if j["evidence"] in text}
    relocation_starts = {m.start() for m in relocation}
    destination = set(_destination_words(lang))
    for m in expansion:
        pos, sent = m.start(), sent_of(m.start())
        if sent in negated or sent in stat_sents:
            continue
        i = bisect_right(loc_starts, pos)
        if pos in relocation_starts:
            # the place after "to"/"a" is the destination; the origin ("from Penang", "de Suzhou") is not
            j = next((k for k in range(i, len(located)) if sent_of(located[k][0]) == sent
                      and text[max(0, located[k][0] - 8):located[k][0]].split()[-1:] in ([w] for w in destination)),
                     None)
            i = j if j is not None else i
        if sent in count_sents:
            where = True
        elif i < len(located) and sent_of(located[i][0]) == sent:
            where = located[i][1]
        elif i > 0 and sent_of(located[i - 1][0]) == sent:
            where = located[i - 1][1]
        else:
            continue
        exp_mx += where
        if sent in lede_sents:
            lede_mx += where
            lede_foreign += not where
    lede_foreign += sum(sent_of(m.start()) in lede_sents for m in abroad)

    # One sentence that states the event: an expansion term, a Mexican place and tech evidence together, and no
    # other industry's vocabulary without a specific tech term (a design centre for automotive electronics
    # counts; a gearbox plant "with robots" in the next sentence does not).
    strong_sents = sents(tech)
    tech_sents = strong_sents | sents(weak) | {sent_of(c.start_char) for c in tech_companies}
    exp_sents = sents(expansion)
    mx_sents = {sent_of(pos) for pos, is_mx in located if is_mx} | count_sents
    foreign_sents = {sent_of(pos) for pos, is_mx in located if not is_mx}
    other_sents = sents(non_tech) - strong_sents
    ev_mx = (exp_sents & mx_sents & tech_sents) - other_sents - negated - stat_sents
    ev_foreign = (exp_sents & foreign_sents & tech_sents) - mx_sents

    # The headline or lede states a company's event: a sentence of ``ev_mx`` there that names a company or new jobs
    # (a decree "para crear un polo de desarrollo" is nobody's expansion).
    new_job_sents = {sent_of(at) for j in company_counts
                     if j["kind"] in ("new", "planned") and (at := text.find(j["evidence"][:80])) >= 0}
    lede_event = lede_sents & ev_mx & ({sent_of(c.start_char) for c in companies} | new_job_sents)
    said_pat = pats.get("said")

    def names_speaker(end: int) -> bool:
        """Is the word after ``end`` a verb of saying ("the automaker said")?"""
        return bool(said_pat and said_pat.match(text, end + len(text[end:end + 3]) - len(text[end:end + 3].lstrip())))

    # The rule-based score the model started from: all three kinds of evidence together, over the whole text.
    # (a known company is weak tech evidence: the gazetteer holds breweries and carmakers too, so other
    # industries' vocabulary outweighs it)
    n_mx = len(places) + len(country) + len(count_sents)
    n_foreign = len(foreign_starts)
    share = n_mx / (n_mx + n_foreign) if n_mx + n_foreign else 0.0
    rule_tech = _saturate(max(0.0, distinct(tech) + 0.5 * distinct(weak) + 2 * bool(tech_companies)
                              - 2 * distinct(non_tech)), 2.0)
    jobs_activity = 0.8 if new_placed else 0.4 if placed else 0.2 if job_counts else 0.0
    rule_activity = 1.0 - (1.0 - _saturate(distinct(expansion), 3.0)) * (1.0 - jobs_activity)
    rule = math.sqrt(_saturate(n_mx, 1.5) * min(1.0, 0.5 + share) * rule_tech * rule_activity)
    return {
        "ev_mx": _saturate(len(ev_mx), 1.0),
        "ev_foreign": _saturate(len(ev_foreign), 1.0),
        "exp_mexico": _saturate(exp_mx, 1.5),
        "lede_exp_foreign": lede_foreign / (lede_foreign + lede_mx) if lede_foreign else 0.0,
        "contraction": _saturate(distinct(contraction), 1.5),
        "head_contraction": 1.0 if any(m.start() < lede_end for m in contraction) else 0.0,
        # (or the lede names the company by another industry: "avocado packer Mission Produce", "the automaker said",
        # and opens no tech site: a carmaker's software development centre is tech)
        "lede_non_tech": 1.0 if (lede_sents & sents(non_tech)) and (not (lede_sents & strong_sents) or (any(
            m.start() < lede_end and (any(0 <= c.start_char - m.end() <= 12 for c in companies)
                                      or names_speaker(m.end())) for m in non_tech)
            and not matches("tech_site", 0, lede_end))) else 0.0,
        "sector_share": (len(job_counts) - len(company_counts)) / len(job_counts) if job_counts else 0.0,
        "rule": rule,
        # the headline or lede reports another kind of event: a denial, cancellation or rumour, earnings, a
        # forum, a ranking, an election, a decree
        # (unless the headline or lede states the event itself: "to open a Monterrey centre, CEO says on earnings
        # call", an opinion column on "los 300 ingenieros de AMD" whose lede reports the hiring)
        "head_non_event": 1.0 if any(m.start() < lede_end for m in negation)
        or (not lede_event and (outside_names(matches("non_event", 0, lede_end))
                                        or any(m.start() < lede_end for m in products))) else 0.0,
    }


def score_features(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """The logistic model's probability for one feature vector."""
    w = weights or _weights()
    z = w.get("bias", 0.0) + sum(w.get(name, 0.0) * features[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def relevance_score(doc: Doc, text: str, lang: str, companies: list[CompanyMention], places: list[PlaceMention],
                    job_counts: list[dict], headline_end: int = 0) -> float:
    """Score in [0, 1] that the article (``doc``, whose text is ``text``) reports a tech company's
    expansion in Mexico."""
    return score_features(relevance_features(doc, text, lang, companies, places, job_counts, headline_end))
