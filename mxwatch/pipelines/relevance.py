"""Relevance: is this article about a tech company opening, expanding or hiring in Mexico?

Three pieces of evidence must all be present, so the score is a weighted geometric mean:
- *Mexico*: Mexican places and the country's name, discounted when foreign places dominate;
- *tech*: tech vocabulary, or a company from the tech gazetteer;
- *activity*: expansion vocabulary (open, expand, hire, invest, ...) and job counts placed in Mexico.
Vocabulary is data (``patterns/relevance_terms.jsonl``). The article is relevant at 0.5 or more.
"""

from __future__ import annotations

import math
import re
from functools import cache

from spacy.tokens import Doc

from mxwatch.pipelines.companies import CompanyMention
from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.places import PlaceMention, fold, get_gazetteer

THRESHOLD = 0.5
_GEO_LABELS = {"GPE", "LOC"}


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


def _saturate(n: float, scale: float) -> float:
    return 1.0 - math.exp(-n / scale)


def relevance_score(doc: Doc, text: str, lang: str, companies: list[CompanyMention], places: list[PlaceMention],
                    job_counts: list[dict]) -> float:
    """Score in [0, 1] that the article (``doc``, whose text is ``text``) reports a tech company's
    expansion in Mexico."""
    pats = _patterns(lang)

    def hits(signal: str) -> tuple[int, int]:
        """(distinct terms, total occurrences) of a signal's vocabulary."""
        pat = pats.get(signal)
        found = [m.lower() for m in pat.findall(text)] if pat else []
        return len(set(found)), len(found)

    _, country = hits("country")
    n_mx = len(places) + country
    gaz = get_gazetteer()
    foreign = sum(1 for e in doc.ents if e.label_ in _GEO_LABELS and fold(e.text) not in gaz.surfaces
                  and not re.search(r"m[eé]xic", e.text, re.IGNORECASE))
    share = n_mx / (n_mx + foreign) if n_mx + foreign else 0.0
    mexico = _saturate(n_mx, 1.5) * min(1.0, 0.5 + share)

    tech_terms, _ = hits("tech")
    # A known tech company is strong evidence, but alone (a "Google reviews" aside) not enough.
    tech = _saturate(tech_terms + (2 if any(c.from_gazetteer for c in companies) else 0), 2.0)

    expansion_terms, _ = hits("expansion")
    expansion = _saturate(expansion_terms, 3.0)
    placed = [j for j in job_counts if j["kind"] != "sector_total" and (j["city"] or j["state"])]
    jobs = 0.8 if placed else (0.2 if job_counts else 0.0)
    activity = 1.0 - (1.0 - expansion) * (1.0 - jobs)

    score = math.sqrt(mexico * tech * activity)
    return max(0.0, min(1.0, score))
