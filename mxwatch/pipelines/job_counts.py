"""Job counts in English and Spanish: "will create 1,200 jobs", "con 260 empleados", "hundreds of jobs",
"entre 250 y 300 trabajadores", with their kind, company, city and state.

All vocabulary (units, approximations, number words, kind cues, contexts that make a number of people
something other than jobs) is data in ``patterns/job_terms.jsonl``. A count is a quantity followed,
within a few modifier words, by a unit noun; everything else (money, percentages, years, companies,
graduates, square metres) never reaches a unit and so is never counted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc
from text_to_num import alpha2digit

from mxwatch.pipelines.companies import CompanyMention
from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.places import PlaceMention

# Modifiers allowed between a number and its unit ("500 new software jobs"); these words end the
# noun phrase instead, so "500 millones de dólares y ... empleos" does not pair 500 with empleos.
_GAP_STOP = {"and", "or", "y", "o", "e", "de", "del", "in", "en", "of", "to", "a", "that", "que", "the",
             "el", "la", "los", "las", "with", "con", "for", "para", "por", "at", "on", "from", "than",
             "dollars", "dólares", "pesos", "euros", "usd", "mdd", "metros", "meters", "metres", "square",
             "cuadrados", "percent", "por ciento", "years", "años", "which", "who", "will", "would"}
_CLAUSE_BREAK = re.compile(r",\s|;|:|“|”|\"|\s[–—-]\s|\(|\)")
# After a count its clause also ends at a conjunction: "tiene 15 000 empleados y planea sumar ..."
_CLAUSE_END = re.compile(_CLAUSE_BREAK.pattern + r"|\s(?:and|but|while|y|pero|mientras)\s")
_MIN_VALUE = 2  # "one engineer" is not a job count worth tracking


def _alt(terms: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))


@dataclass
class _Lexicon:
    """Compiled patterns for one language."""

    quantity: re.Pattern
    unit_after: re.Pattern
    unit_of: dict[str, str]
    needs_hiring: set[str]
    vague: dict[str, int]
    multiplier: dict[str, int]
    compound: dict[str, int]
    kind_terms: dict[str, re.Pattern]
    sector: re.Pattern
    sector_place: re.Pattern
    not_job_before: re.Pattern
    hiring: re.Pattern
    company_ref: re.Pattern
    prefilter: re.Pattern
    back_reference: re.Pattern


@cache
def _lexicon(lang: str) -> _Lexicon:
    rows = read_patterns("job_terms.jsonl")
    rows = [r for r in rows if r["lang"] == lang]

    def terms(kind: str) -> list[str]:
        return [r["term"] for r in rows if r["type"] == kind]

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
    rng = _alt(terms("range"))
    quantity = re.compile(
        rf"(?:(?P<approx>{_alt(terms('approx'))})\s+)?"
        rf"(?:(?P<vague>\b(?:{_alt(list(vague))}))"
        rf"|(?:(?:between|entre|from|de)\s+)?(?P<n1>{number})(?:\s*(?:{rng})\s*(?P<n2>{number}))?)",
        re.IGNORECASE,
    )
    unit_after = re.compile(rf"\s*(?P<gap>(?:[^\W\d][\w-]*\s+){{0,3}}?)(?P<unit>{_alt(list(unit_of))})\b",
                            re.IGNORECASE)
    kind_terms = {}
    for kind in ("planned", "new", "existing", "existing_weak"):
        kind_terms[kind] = re.compile(
            rf"\b(?:{_alt([r['term'] for r in rows if r['type'] == 'kind' and r['kind'] == kind])})\b",
            re.IGNORECASE)

    def words(kind: str) -> re.Pattern:
        return re.compile(rf"(?<!\w)(?:{_alt(terms(kind))})(?!\w)", re.IGNORECASE)

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

    return _Lexicon(
        quantity=quantity, unit_after=unit_after, unit_of=unit_of, needs_hiring=needs_hiring,
        vague=vague, multiplier=multiplier, compound=compound, kind_terms=kind_terms,
        sector=sector_terms(place=False), sector_place=sector_terms(place=True),
        not_job_before=words("not_job_context"), hiring=words("hiring_verb"), company_ref=company_ref,
        prefilter=re.compile(rf"\b(?:{_alt(list(unit_of))})\b", re.IGNORECASE),
        back_reference=re.compile(
            rf"(?:up from|down from|compared with|from|desde|frente a|contra)\s+(?P<n1>{number})",
            re.IGNORECASE),
    )


def parse_number(text: str, lang: str, multiplier: dict[str, int],
                 compound: dict[str, int] | None = None) -> int | None:
    """Integer value of "6,000", "6.000", "6 000", "2 mil", "1.5 million", "dos mil", "hundred".

    ``compound`` multipliers may be followed by the rest of the number: "mil 500" is 1,500 and "2 mil 300"
    is 2,300 (Mexican style); without it they only multiply what precedes them.
    """
    text = text.strip()
    if compound:
        m = re.fullmatch(rf"(?:(?P<head>.*?\S)\s*)?\b(?P<mult>{_alt(list(compound))})\s+(?P<rest>\d{{1,3}})",
                         text, re.IGNORECASE)
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


def _find_counts(sent_text: str, base: int, lang: str, lex: _Lexicon) -> list[_Count]:
    counts: list[_Count] = []
    for q in lex.quantity.finditer(sent_text):
        if not q.group("vague") and not q.group("n1"):
            continue
        tail = lex.unit_after.match(sent_text, q.end())
        if not tail:
            continue
        gap = tail.group("gap").lower().split()
        if any(w in _GAP_STOP for w in gap):
            continue
        unit_term = tail.group("unit").lower()
        # A clause like "universities graduate 7,000 engineers" counts people, not jobs.
        clause_start = _clause_start(sent_text, q.start())
        before = sent_text[clause_start:q.start()]
        if lex.not_job_before.search(before[-80:]):
            continue
        if unit_term in lex.needs_hiring and not lex.hiring.search(sent_text):
            continue
        if q.group("vague"):
            value, value_max, approx = lex.vague[q.group("vague").lower()], None, True
        else:
            value = parse_number(q.group("n1"), lang, lex.multiplier, lex.compound)
            value_max = parse_number(q.group("n2"), lang, lex.multiplier, lex.compound) if q.group("n2") else None
            if value is None:
                continue
            if value_max is not None and value_max <= value:
                value_max = None
            approx = bool(q.group("approx"))
            # "in 2017 workers..." never happens, but "2017 hires" would: a bare year is not a count
            if 1900 <= value <= 2100 and re.fullmatch(r"\d{4}", q.group("n1").strip()) and value_max is None:
                continue
        if value < _MIN_VALUE:
            continue
        counts.append(_Count(value, value_max, approx, lex.unit_of[unit_term],
                             base + q.start(), base + tail.end()))
        # "projected to reach 115,000 jobs in 2017, up from 105,000 in 2015": the earlier figure
        back = lex.back_reference.search(sent_text, tail.end())
        if back:
            prev = parse_number(back.group("n1"), lang, lex.multiplier, lex.compound)
            if prev and prev >= _MIN_VALUE and not re.fullmatch(r"(?:19|20)\d\d", back.group("n1").strip()):
                counts.append(_Count(prev, None, False, lex.unit_of[unit_term],
                                     base + back.start("n1"), base + back.end("n1")))
    return counts


def _clause_start(text: str, pos: int) -> int:
    last = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, pos):
        last = m.end()
    return last


def _is_sector_total(sent_text: str, rel_start: int, clause_start: int, lex: _Lexicon, has_company: bool) -> bool:
    """Whether the count is a state's, sector's or industry's total employment rather than one company's.

    A sentence that names or refers to a company ("the software company planned to expand in the state")
    is about that company. Sector words ("industry", "sector", "employment in") mark a total anywhere in
    the sentence; bare place nouns ("the state", "la entidad") only as the subject of the count's own
    clause ("the state employs 140,000"), not as a location ("expand in the state, possibly bringing ...").
    """
    if has_company or lex.company_ref.search(sent_text):
        return False
    return bool(lex.sector.search(sent_text) or lex.sector_place.search(sent_text, clause_start, rel_start))


def _kind(sent_text: str, rel_start: int, rel_end: int, lex: _Lexicon, has_company: bool) -> str:
    clause_start = _clause_start(sent_text, rel_start)
    if _is_sector_total(sent_text, rel_start, clause_start, lex, has_company):
        return "sector_total"
    nxt = _CLAUSE_END.search(sent_text, rel_end)
    clause = (sent_text[clause_start:rel_start], sent_text[rel_end:nxt.start() if nxt else len(sent_text)])
    for before, after in (clause, (sent_text[:rel_start], "")):
        # Modal and intention words scope over the whole clause ("possibly bringing hundreds").
        if lex.kind_terms["planned"].search(before) or lex.kind_terms["planned"].search(after):
            return "planned"
        nearest: dict[str, int] = {}
        for kind in ("new", "existing", "existing_weak"):
            dists = [len(before) - m.end() for m in lex.kind_terms[kind].finditer(before)]
            dists += [m.start() for m in lex.kind_terms[kind].finditer(after)]
            if dists:
                nearest[kind] = min(dists)
        if "existing" in nearest and nearest["existing"] <= nearest.get("new", nearest["existing"]):
            return "existing"
        if "new" in nearest:
            return "new"  # "opened a campus with 6,000 employees": the opening wins over a bare "with"
        if nearest:
            return "existing"
    return "existing"


def job_counts(doc: Doc, text: str, lang: str, companies: list[CompanyMention],
               places: list[PlaceMention], affiliations: dict[str, str], headline_end: int = 0) -> list[dict]:
    """Every job count in ``doc`` (whose text is ``text``) as an analysis-object dict (value,
    value_max, approx, unit, kind, company, city, state, evidence), in text order.

    ``text[:headline_end]`` is the headline: a count there that the body states again is the same
    announcement, and only the body's (fuller) sentence is kept."""
    lex = _lexicon(lang)
    para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    out: list[dict] = []
    seen: set[tuple] = set()
    for sent in doc.sents:
        base = sent.start_char
        sent_text = text[base:sent.end_char]
        if not lex.prefilter.search(sent_text):
            continue
        for c in _find_counts(sent_text, base, lang, lex):
            in_sent = [m for m in companies if base <= m.start_char < sent.end_char]
            kind = _kind(sent_text, c.start - base, c.end - base, lex, bool(in_sent))
            company = None if kind == "sector_total" else _company_for(c, sent_text, base, in_sent, companies,
                                                                          affiliations, lex)
            city, state = _place_for(c, base, sent.end_char, places, para_starts)
            record = {"value": c.value, "value_max": c.value_max, "approx": c.approx, "unit": c.unit,
                      "kind": kind, "company": company, "city": city, "state": state,
                      "evidence": " ".join(sent_text.split())}
            key = (c.value, c.value_max, c.unit, record["evidence"])
            if key not in seen:
                seen.add(key)
                record["_headline"] = c.start < headline_end
                out.append(record)
    body = {(r["value"], r["value_max"], r["company"]) for r in out if not r["_headline"]}
    kept = [r for r in out if not (r["_headline"] and (r["value"], r["value_max"], r["company"]) in body)]
    for r in kept:
        del r["_headline"]
    return kept


def _company_for(c: _Count, text: str, base: int, in_sent: list[CompanyMention],
                 companies: list[CompanyMention], affiliations: dict[str, str], lex: _Lexicon) -> str | None:
    """Nearest company before the count in its sentence (else after); else a person's company;
    else, for "the company"/"la empresa" or nothing at all, the company in focus (last mentioned)."""
    before = [m for m in in_sent if m.end_char <= c.start]
    if before:
        return before[-1].name
    if in_sent:
        return min(in_sent, key=lambda m: m.start_char - c.start).name
    for surname, company in affiliations.items():
        if re.search(rf"\b{re.escape(surname)}\b", text):
            return company
    prior = [m for m in companies if m.end_char <= base]
    return prior[-1].name if prior else None


def _place_for(c: _Count, base: int, end: int, places: list[PlaceMention],
               para_starts: list[int]) -> tuple[str | None, str | None]:
    """City and state in the count's sentence (nearest to it), else the last one earlier in its paragraph."""
    in_sent = [p for p in places if base <= p.start_char < end]
    pool = in_sent
    if not pool:
        para_start = para_starts[bisect_right(para_starts, c.start) - 1]
        pool = [p for p in places if para_start <= p.start_char < base][-1:]
    cities = [p for p in pool if p.place.kind == "city"]
    states = [p for p in pool if p.place.kind == "state"]

    def dist(p: PlaceMention) -> int:
        return p.start_char - c.end if p.start_char >= c.end else (c.start - p.end_char) + 1

    if cities:
        city = min(cities, key=dist).place
        return city.name, city.state
    if states:
        return None, min(states, key=dist).place.name
    return None, None
