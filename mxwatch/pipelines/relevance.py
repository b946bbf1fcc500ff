"""Relevance: is this article about a tech company opening, expanding or hiring in Mexico?

The score is a logistic model over a handful of signals, each a number in [0, 1]:
- *Mexico*: Mexican places and the country's name, and their share against foreign places (in the text and
  in the headline);
- *tech*: tech vocabulary (specific and generic terms apart), companies from the tech gazetteer, and the
  vocabulary of other industries and news (breweries, car parts, tourism, crime...) against it;
- *activity*: expansion vocabulary (open, expand, hire, invest, ...) and job counts placed in Mexico;
- *where and about what*: expansion terms whose nearest place in their sentence is Mexican vs foreign, new or
  planned job counts placed in Mexico vs unplaced, and tech vs other-industry vocabulary in the sentences that
  carry an expansion term (and the headline), not anywhere in the text;
- *not an expansion*: job cuts, fines, strikes, outages, thefts, "no plans to expand" (anywhere, and in the
  headline or lede), and a headline that names only places abroad;
- the older rule-based score, a weighted geometric mean that needs all three together.
Vocabulary is data (``patterns/relevance_terms.jsonl``); the weights are data too
(``patterns/relevance_weights.json``), fitted on annotated documents by
``python -m mxwatch.pipelines.relevance_fit`` (L2 penalty and threshold by cross-validation; the threshold
is folded into the bias). The article is relevant at 0.5 or more.
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

THRESHOLD = 0.5
_GEO_LABELS = {"GPE", "LOC"}
WEIGHTS_FILE = PATTERNS_DIR / "relevance_weights.json"

FEATURES = ("mexico", "mx_share", "tech", "tech_weak", "non_tech", "tech_company", "expansion", "jobs_placed",
            "jobs_any", "jobs_foreign",
            "sector_only", "head_mexico", "head_foreign", "head_tech", "head_expansion", "rule",
            "exp_mexico", "exp_foreign_share", "tech_near", "non_tech_near", "jobs_new_mexico", "jobs_new_elsewhere",
            "contraction", "head_contraction", "head_foreign_only")


@cache
def _patterns(lang: str) -> dict[str, re.Pattern]:
    """One alternation per signal: a single pass over the text finds every term of that signal."""
    rows = read_patterns("relevance_terms.jsonl")
    parts: dict[str, list[str]] = {}
    for r in rows:
        if r["lang"] != lang:
            continue
        term = re.escape(r["term"])
        # Acronyms ("AI", "TI") only in capitals, words in any case.
        parts.setdefault(r["signal"], []).append(term if r["term"].isupper() else f"(?i:{term})")
    return {signal: re.compile(rf"(?<!\w)(?:{'|'.join(sorted(terms, key=len, reverse=True))})(?!\w)")
            for signal, terms in parts.items()}


@cache
def _weights() -> dict[str, float]:
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def _saturate(n: float, scale: float) -> float:
    return 1.0 - math.exp(-n / scale)


def relevance_features(doc: Doc, text: str, lang: str, companies: list[CompanyMention],
                       places: list[PlaceMention], job_counts: list[dict], headline_end: int = 0) -> dict[str, float]:
    """The signals of :data:`FEATURES` for one article (``doc``, whose text is ``text``; the headline is
    ``text[:headline_end]``)."""
    pats = _patterns(lang)
    if headline_end <= 0:
        # No title: the lede (first paragraph's first sentence) stands for the headline.
        lede = next(iter(doc.sents), None)
        headline_end = min(lede.end_char if lede is not None else 0, text.find("\n") % (len(text) + 1) or len(text))

    def hits(signal: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """(distinct terms, total occurrences) of a signal's vocabulary."""
        pat = pats.get(signal)
        found = [m.group(0).lower() for m in pat.finditer(text, start, len(text) if end is None else end)] \
            if pat else []
        return len(set(found)), len(found)

    _, country = hits("country")
    n_mx = len(places) + country
    gaz = get_gazetteer()
    foreign_ents = [e for e in doc.ents if e.label_ in _GEO_LABELS and fold(e.text) not in gaz.surfaces
                    and not re.search(r"m[eé]xic", e.text, re.IGNORECASE)]
    foreign = len(foreign_ents)
    share = n_mx / (n_mx + foreign) if n_mx + foreign else 0.0
    mexico = _saturate(n_mx, 1.5)

    tech_terms, _ = hits("tech")
    tech_company = 1.0 if any(c.from_gazetteer for c in companies) else 0.0
    tech = _saturate(tech_terms, 2.0)
    weak_terms, _ = hits("tech_weak")
    non_tech_terms, _ = hits("non_tech")
    expansion_terms, _ = hits("expansion")
    expansion = _saturate(expansion_terms, 3.0)
    company_counts = [j for j in job_counts if j["kind"] != "sector_total"]
    placed = [j for j in company_counts if j["city"] or j["state"]]
    unplaced = [j for j in company_counts if not (j["city"] or j["state"])]
    new_placed = [j for j in placed if j["kind"] in ("new", "planned")]
    new_unplaced = [j for j in unplaced if j["kind"] in ("new", "planned")]

    # the headline and the first sentence after it: what the story leads with
    lede_end = next((s.end_char for s in doc.sents if s.start_char >= headline_end), headline_end)
    head_mx = any(p.start_char < headline_end for p in places) or hits("country", 0, headline_end)[1] > 0
    head_foreign = any(e.start_char < headline_end for e in foreign_ents)

    # Where and about what the expansion happens: sentences (and the headline) that carry an expansion term.
    # Their places (Mexican vs foreign) and their vocabulary (tech vs other industries) speak for the expanding
    # subject, where the same words anywhere else in the text may be background.
    sent_starts = [s.start_char for s in doc.sents] or [0]

    def sent_of(pos: int) -> int:
        return bisect_right(sent_starts, pos) - 1

    exp_pat = pats.get("expansion")
    exp_hits = [(m.start(), sent_of(m.start())) for m in exp_pat.finditer(text)] if exp_pat else []
    exp_sents = {sent for _, sent in exp_hits}
    head_sents = set(range(0, sent_of(max(0, headline_end - 1)) + 1))
    country_pat = pats.get("country")
    # Every place in text order, Mexican (True) or foreign (False): an expansion term's place is the first
    # one after it in its sentence ("opens a hub in Panama City, choosing it over Guadalajara"), else the
    # nearest one before it ("in Guadalajara, the company will open ...").
    located = sorted([(p.start_char, True) for p in places]
                     + ([(m.start(), True) for m in country_pat.finditer(text)] if country_pat else [])
                     + [(e.start_char, False) for e in foreign_ents])
    loc_starts = [pos for pos, _ in located]
    exp_mx = exp_foreign = 0
    for pos, sent in exp_hits:
        i = bisect_right(loc_starts, pos)
        if i < len(located) and sent_of(located[i][0]) == sent:
            where = located[i][1]
        elif i > 0 and sent_of(located[i - 1][0]) == sent:
            where = located[i - 1][1]
        else:
            continue
        exp_mx += where
        exp_foreign += not where
    near = exp_sents | head_sents

    def near_terms(signal: str) -> int:
        pat = pats.get(signal)
        return len({m.group(0).lower() for m in pat.finditer(text) if sent_of(m.start()) in near}) if pat else 0

    tech_near = near_terms("tech") + 0.5 * near_terms("tech_weak") + (
        1.0 if any(c.from_gazetteer and sent_of(c.start_char) in near for c in companies) else 0.0)
    non_tech_near = near_terms("non_tech")

    # The rule-based score the model started from: all three kinds of evidence together.
    # (a known company is weak tech evidence: the gazetteer holds breweries and carmakers too, so other
    # industries' vocabulary outweighs it)
    rule_tech = _saturate(max(0.0, tech_terms + 0.5 * weak_terms + 2 * tech_company - 2 * non_tech_terms), 2.0)
    jobs_activity = 0.8 if new_placed else 0.4 if placed else 0.2 if job_counts else 0.0
    rule_activity = 1.0 - (1.0 - expansion) * (1.0 - jobs_activity)
    rule = math.sqrt(mexico * min(1.0, 0.5 + share) * rule_tech * rule_activity)
    return {
        "mexico": mexico, "mx_share": share, "tech": tech, "tech_weak": _saturate(weak_terms, 2.0),
        "non_tech": _saturate(non_tech_terms, 2.0), "tech_company": tech_company, "expansion": expansion,
        "jobs_placed": 1.0 if placed else 0.0, "jobs_any": 1.0 if job_counts else 0.0,
        "jobs_foreign": 1.0 if unplaced and not placed else 0.0,
        "sector_only": 1.0 if job_counts and not company_counts else 0.0,
        "head_mexico": 1.0 if head_mx else 0.0, "head_foreign": 1.0 if head_foreign else 0.0,
        "head_tech": 1.0 if hits("tech", 0, headline_end)[0] or any(
            c.from_gazetteer and c.start_char < headline_end for c in companies) else 0.0,
        "head_expansion": 1.0 if hits("expansion", 0, headline_end)[0] else 0.0,
        "rule": rule,
        "exp_mexico": _saturate(exp_mx, 1.5),
        "exp_foreign_share": exp_foreign / (exp_foreign + exp_mx) if exp_foreign else 0.0,
        "jobs_new_mexico": 1.0 if new_placed else 0.0,
        "jobs_new_elsewhere": 1.0 if new_unplaced and not new_placed else 0.0,
        "tech_near": _saturate(tech_near, 2.0), "non_tech_near": _saturate(non_tech_near, 1.5),
        "contraction": _saturate(hits("contraction")[0], 1.5),
        "head_contraction": 1.0 if hits("contraction", 0, lede_end)[0] else 0.0,
        "head_foreign_only": 1.0 if head_foreign and not head_mx else 0.0,
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
