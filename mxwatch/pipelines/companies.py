"""Companies: the gazetteer (``patterns/companies.jsonl``), name normalisation for model-found
organisations, and the filters for what is not a company here (``patterns/not_companies.jsonl``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.places import fold, get_gazetteer

COMPANY_LABEL = "ORG"
_PERSON_LABELS = {"PERSON", "PER"}

# Legal-form suffixes and tickers carry no identity: "Amazon.com Inc (AMZN.O)" is Amazon.com.
_TICKER = re.compile(r"\s*\((?:[A-Z]{1,6}(?:\.[A-Z]{1,3})?|(?:NYSE|NASDAQ|Nasdaq|BMV)\s*:\s*[A-Z.]+)\)\s*$")
_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Limited|LLC|L\.L\.C|PLC|plc|AG|SE|NV|"
    r"S\.?A\.?B?\.?\s+de\s+C\.?V|S\.?A\.?P\.?I\.?\s+de\s+C\.?V|S\.?\s+de\s+R\.?L\.?\s+de\s+C\.?V|"
    r"S\.?A|S\.?L)\.?)+\s*$"
)
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_ARTICLE = re.compile(r"^(?:the|la|el|los|las)\s+", re.IGNORECASE)


def normalize_org_name(text: str) -> str:
    """Canonical form of an organisation name: no article, ticker, legal suffix or possessive."""
    name = " ".join(text.split())
    name = _ARTICLE.sub("", name)
    for _ in range(2):  # "Sanmina Corp (SANM.O)'s": ticker, possessive and suffix can stack
        name = _TICKER.sub("", name)
        name = _POSSESSIVE.sub("", name)
        name = _SUFFIX.sub("", name)
    return name.strip(" ,.;:-–“”\"'")


@dataclass(frozen=True)
class CompanyMention:
    """One mention of a company: canonical name, the text as written, offsets, and its origin."""

    name: str
    surface: str
    start_char: int
    end_char: int
    from_gazetteer: bool


class CompanyLexicon:
    """The gazetteer and the not-a-company data, loaded once."""

    def __init__(self) -> None:
        self.entries = read_patterns("companies.jsonl")
        self.canonical: dict[str, str] = {}
        for entry in self.entries:
            for alias in [entry["name"], *entry["aliases"]]:
                self.canonical[fold(alias)] = entry["name"]
                self.canonical[fold(normalize_org_name(alias))] = entry["name"]
        rules = read_patterns("not_companies.jsonl")

        def values(kind: str) -> list[str]:
            return [fold(r["value"]) for r in rules if r["type"] == kind]

        self.not_names = set(values("name"))
        self.not_words = set(values("word"))
        self.descriptors = set(values("descriptor"))
        self.source_before = sorted(values("source_before"), key=len, reverse=True)
        self.source_after = set(values("source_after"))
        self.person_titles = sorted(values("person_title"), key=len, reverse=True)

    def ruler_patterns(self) -> list[dict]:
        """EntityRuler patterns: every alias as an ORG whose ``id`` is the canonical name."""
        patterns = []
        for entry in self.entries:
            for alias in {entry["name"], *entry["aliases"]}:
                patterns.append({"label": COMPANY_LABEL, "pattern": alias, "id": entry["name"]})
        return patterns

    def lookup(self, name: str) -> str | None:
        """Canonical gazetteer name for a (normalised) organisation name, if known."""
        return self.canonical.get(fold(name))


@lru_cache(maxsize=1)
def get_lexicon() -> CompanyLexicon:
    """The process-wide company lexicon."""
    return CompanyLexicon()


def company_patterns() -> list[dict]:
    """Patterns for spaCy's EntityRuler (see :mod:`mxwatch.pipelines.nlp`)."""
    return get_lexicon().ruler_patterns()


def _is_person_by_title(doc: Doc, ent: Span, lex: CompanyLexicon) -> bool:
    """"Timbadia, CEO of ..." or "said Lepe, chief executive": a name followed by a job title."""
    after = doc[ent.end:ent.end + 4]
    if not len(after) or after[0].text != ",":
        return False
    tail = fold(" ".join(t.text for t in after[1:]))
    tail = re.sub(r"^(?:the|a|an|el|la)\s+", "", tail)
    return any(tail.startswith(title) for title in lex.person_titles)


def _is_source_mention(doc: Doc, ent: Span, lex: CompanyLexicon) -> bool:
    """An organisation cited as a source ("according to X", "X told Reuters") rather than acting."""
    before = fold(doc[max(0, ent.start - 5):ent.start].text)
    if any(before.endswith(cue) for cue in lex.source_before):
        return True
    after = fold(doc[ent.end:ent.end + 1].text)
    return after in lex.source_after


def _rejected(doc: Doc, ent: Span, name: str, lex: CompanyLexicon, person_names: set[str]) -> bool:
    """Model-found organisation that is not a company here (data-driven, see not_companies.jsonl)."""
    folded = fold(name)
    words = set(re.findall(r"[\w.-]+", folded))
    if len(name) <= 2 or not any(ch.isupper() for ch in name) or name.replace(",", "").isdigit():
        return True
    if any(ch in name for ch in "“”\"«»"):  # a quotation swallowed by the model, not a name
        return True
    if folded in lex.not_names or words & lex.not_words:
        return True
    gaz = get_gazetteer()
    if folded in gaz.surfaces or folded in gaz.foreign or folded in {"mexico", "mexican"}:
        return True
    if folded in person_names:
        return True
    before = {fold(t.text) for t in doc[max(0, ent.start - 3):ent.start]}
    if before & lex.descriptors:
        return True
    return _is_person_by_title(doc, ent, lex)


def company_mentions(doc: Doc) -> list[CompanyMention]:
    """Company mentions in text order: gazetteer hits (EntityRuler, ``ent_id_`` set) and model ORGs
    that survive normalisation and the filters. An organisation seen only as a source is dropped."""
    lex = get_lexicon()
    ents = doc.ents  # rebuilt from the tokens on every access: read once
    person_names = set()
    for ent in ents:
        if ent.label_ in _PERSON_LABELS:
            person_names.add(fold(ent.text))
            person_names.add(fold(ent[-1].text))  # "Trump" after "Donald Trump"
    found: list[tuple[CompanyMention, bool]] = []
    for ent in ents:
        if ent.ent_id_:
            found.append((CompanyMention(ent.ent_id_, ent.text, ent.start_char, ent.end_char, True), False))
            continue
        if ent.label_ != COMPANY_LABEL:
            continue
        name = normalize_org_name(ent.text)
        if not name:
            continue
        known = lex.lookup(name)
        if known:
            found.append((CompanyMention(known, ent.text, ent.start_char, ent.end_char, True), False))
        elif not _rejected(doc, ent, name, lex, person_names):
            mention = CompanyMention(name, ent.text, ent.start_char, ent.end_char, False)
            found.append((mention, _is_source_mention(doc, ent, lex)))
    # Merge spellings of one model-found name ("Sanmina", "SANMINA") under its first spelling.
    first_spelling: dict[str, str] = {}
    acting = {fold(m.name) for m, source in found if not source}
    out = []
    for mention, _source in found:
        key = fold(mention.name)
        if key not in acting:
            continue
        name = first_spelling.setdefault(key, mention.name)
        out.append(CompanyMention(name, mention.surface, mention.start_char, mention.end_char,
                                  mention.from_gazetteer))
    return out


def person_affiliations(text: str, mentions: list[CompanyMention]) -> dict[str, str]:
    """Surname -> company from "NAME, <title> of COMPANY" in the doc's ``text`` ("said Timbadia, CEO
    of Daksha Consulting"), so another sentence about that person can be tied to the company."""
    lex = get_lexicon()
    titles = "|".join(re.escape(t) for t in lex.person_titles)
    out: dict[str, str] = {}
    for m in mentions:
        window = text[max(0, m.start_char - 160):m.start_char]
        hit = re.search(
            r"([A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){0,3}),\s+(?:the\s+|el\s+|la\s+|a\s+)?"
            rf"(?:[\w-]+\s+)?(?:{titles})\b[^.;“”\"]{{0,80}}?\b(?:of|at|for|de|en)\s+"
            r"(?:[\w-]+\s+){0,4}$",
            window, flags=re.IGNORECASE)
        if hit:
            surname = hit.group(1).split()[-1]
            if surname[:1].isupper():
                out.setdefault(surname, m.name)
    return out
