"""The analysis's shortcuts give exactly what the plain computation gives: each is compared here with the plain
version it replaced, on sentences written for these tests, the development sets' texts and adversarial
characters."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

from mxwatch.pipelines import companies, job_counts, relevance, term_regex
from mxwatch.pipelines.companies import CompanyMention, get_lexicon
from mxwatch.pipelines.nlp import get_nlp
from mxwatch.pipelines.pattern_data import read_patterns
from mxwatch.pipelines.places import get_gazetteer

REPO = Path(__file__).resolve().parents[1]


def _every_char() -> str:
    return "".join(map(chr, range(sys.maxunicode + 1)))


def test_ignorecase_to_ascii_is_complete() -> None:
    """Every character that re.IGNORECASE matches to an ASCII letter lower-cases to it, is mapped to it by
    IGNORECASE_TO_ASCII, or lower-cases to more than one character (the caller then falls back)."""
    every = _every_char()
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for m in re.finditer(f"(?i:{letter})", every):
            low = m.group().lower()
            assert low == letter or companies.IGNORECASE_TO_ASCII.get(low) == letter or len(low) != 1, m.group()


def _plain_affiliations(text: str, mentions: list[CompanyMention]) -> dict[str, str]:
    """person_affiliations before the title pre-check: the pattern on every mention's window."""
    titles = "|".join(re.escape(t) for t in get_lexicon().person_titles)
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


@pytest.mark.parametrize("text", [
    "Ana Ruiz, chief executive of Telvora, said the plant would open. Ruiz added that Telvora was hiring.",
    "Luis Pérez, the DIRECTOR general de Quantix, habló. Quantix contratará a 200 personas.",
    "Marta Gil, dırector of Telvora, spoke; Telvora is hiring.",  # dotless i: IGNORECASE matches it to "i"
    "Iñaki Sáez, ſecretary of Telvora, spoke. Telvora grew.",  # long s
    "Kim Lee, CEO of Telvora and Quantix, said Telvora and Quantix merge.",
    "İlker Demir, President of Telvora, spoke about Telvora.",  # "İ" lower-cases to two characters
    "Telvora said nothing. " * 12 + "Carlos Soto, head of sales at Telvora, smiled.",
])
def test_person_affiliations_as_before(text: str) -> None:
    names = ("Telvora", "Quantix")
    mentions = [CompanyMention(n, n, m.start(), m.end(), True) for n in names for m in re.finditer(n, text)]
    mentions.sort(key=lambda m: m.start_char)
    assert companies.person_affiliations(text, mentions) == _plain_affiliations(text, mentions)
    assert companies.person_affiliations(text, []) == {}


def test_ascii_extra_is_complete() -> None:
    """term_regex's non-ASCII matches of ASCII letters are every one re.IGNORECASE has."""
    every = _every_char()
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        found = frozenset(m.group() for m in re.finditer(f"(?i:{letter})", every))
        assert term_regex.ignorecase_chars(letter) == found, letter
    assert term_regex.ignorecase_chars("é") == {"é", "É"}


def _plain_relevance_patterns(lang: str) -> dict[str, re.Pattern]:
    """relevance._patterns before term_alternation: one plain alternation per signal."""
    parts: dict[str, list[str]] = {}
    for r in read_patterns("relevance_terms.jsonl"):
        if r["lang"] != lang:
            continue
        term = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", r["term"]))
        parts.setdefault(r["signal"], []).append(term if r["term"].isupper() else f"(?i:{term})")
    return {signal: re.compile(rf"(?<!\w)(?:{'|'.join(sorted(terms, key=len, reverse=True))})(?!\w)")
            for signal, terms in parts.items()}


def _variants(term: str) -> list[str]:
    swapped = term.replace("s", "\u017f").replace("i", "\u0131").replace("k", "\u212a").replace("I", "\u0130")
    return [term, term.upper(), term.lower(), term.title(), term.swapcase(), swapped, term.replace(" ", "-"),
            term.replace(" ", " \n "), f"x{term}", f"{term}s", f"{term}-{term}", term[:-1]]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_relevance_patterns_match_as_plain_alternations(lang: str) -> None:
    terms = [r["term"] for r in read_patterns("relevance_terms.jsonl")]
    text = " ".join(v for t in terms for v in _variants(t)) + " " + "; ".join(terms)
    text += " La empresa abrirá un centro de ingeniería en Guadalajara; the firm opens an AI hub in Monterrey."
    fast, plain = relevance._patterns(lang), _plain_relevance_patterns(lang)
    assert fast.keys() == plain.keys()
    for signal, pattern in plain.items():
        expected = [m.span() for m in pattern.finditer(text)]
        assert expected  # the text holds every signal's terms
        assert [m.span() for m in fast[signal].finditer(text)] == expected, signal


@pytest.mark.parametrize(("terms", "texts"), [
    # the same first letter in both cases, an acronym among words, one-letter terms, order between prefixes
    ([("a", "i", False), ("a", "rea", True), ("a", "", True), ("A", "I", False), ("s", "oft", True)],
     ["AI ai Ai aI area AREA a A soft SOFT \u017foft", "Aix area"]),
    # a case-sensitive term whose first letter two case-insensitive groups share
    ([("k", "it", True), ("\u212a", "X", False), ("i", "t", True), ("\u0131", "Q", False)],
     ["kit KIT \u212aIT \u212aX it IT \u0131t \u0130T \u0131Q"]),
    ([], ["anything"]),
])
def test_term_alternation_matches_as_plain(terms: list[tuple[str, str, bool]], texts: list[str]) -> None:
    plain = "|".join(f"(?i:{re.escape(f)}{r})" if ic else f"{re.escape(f)}{r}" for f, r, ic in terms) or "(?!)"
    fast = re.compile(rf"(?<!\w){term_regex.term_alternation(terms)}(?!\w)")
    slow = re.compile(rf"(?<!\w)(?:{plain})(?!\w)")
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text


def _plain_alt(terms: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))


def _dev_sentences() -> list[str]:
    """Sentences of two development sets (English and Spanish), and every job-count term in a sentence."""
    texts = []
    for name in ("dev_set.jsonl", "dev4_set.jsonl"):
        for line in (REPO / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts.append(record.get("text") or "")  # (the HTML pages: markup, slow to scan)
    terms = [r["term"] for r in read_patterns("job_terms.jsonl")]
    texts += [f"Unos {t} 1,200 {t} empleos; {t.upper()} 300 jobs, {t.title()} 25." for t in terms]
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_job_count_patterns_match_as_plain_alternations(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = job_counts._lexicon(lang)
    monkeypatch.setattr(job_counts, "_alt", _plain_alt)
    plain = job_counts._lexicon.__wrapped__(lang)
    sentences = _dev_sentences()
    compared = 0
    for name in fast.__dataclass_fields__:
        a, b = getattr(plain, name), getattr(fast, name)
        for key, pattern in (a.items() if isinstance(a, dict) else [(None, a)]):
            if not isinstance(pattern, re.Pattern):
                continue
            other = b[key] if key is not None else b
            assert "(?-i:" not in other.pattern or other.flags & re.IGNORECASE, name
            for s in sentences:
                expected = [(m.span(), m.groups()) for m in pattern.finditer(s)]
                assert [(m.span(), m.groups()) for m in other.finditer(s)] == expected, (name, s)
            compared += 1
    assert compared > 30


@pytest.mark.parametrize("text", ["", "  lead", "Hello  world.\n\nNext one ", "A\u00a0b c", "Dev.F, S.A. de C.V. (DF)"])
def test_doc_words_are_the_tokens_texts(text: str) -> None:
    doc = get_nlp("en")(text)
    words, with_ws, doc_text = companies._doc_words(doc)
    assert words == [t.text for t in doc] and with_ws == [t.text_with_ws for t in doc] and doc_text == doc.text
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 3):
            assert companies._span_text(words, with_ws, start, end) == doc[start:end].text


def test_place_cues_as_plain_comparisons() -> None:
    gaz = get_gazetteer()

    def plain(where: str, means: str, words: str) -> bool:
        cues = gaz.context.get((where, means), ())
        if where == "before":
            return any((" " + words).endswith(" " + c) for c in cues)
        return any((words + " ").startswith(c + " ") for c in cues)

    rng = random.Random(7)
    keys = [*gaz.context, ("before", "no such cue")]
    pieces = [c for cues in gaz.context.values() for c in cues] + ["", "x", "the", "de", "a b"]
    found = 0
    for _ in range(20_000):
        where, means = rng.choice(keys)
        words = rng.choice([" ", "  ", ""]).join(rng.choices(pieces, k=rng.randint(0, 4)))
        assert gaz.cue(where, means, words) == plain(where, means, words), (where, means, words)
        found += plain(where, means, words)
    assert found > 500


def test_ignorecase_chars_beyond_ascii_as_every_code_point_scan() -> None:
    """Non-ASCII first letters (Spanish terms start with "á", "é", "ú"...) are looked up among cased code points
    only; the result equals a scan of every code point, on Latin-1 and Latin Extended-A and on the characters whose
    case is irregular (titlecase digraphs, final sigma, theta symbol, micro sign, Kelvin, dotless and dotted i)."""
    every = _every_char()
    irregular = "ǅǄǆσςΣϑθΘµμΜßẞſİıKΩωŉﬅ–—"  # dashes: uncased first characters of terms today
    for char in [chr(cp) for cp in range(0x80, 0x180)] + list(irregular):
        found = frozenset(m.group() for m in re.finditer(f"(?i:{re.escape(char)})", every))
        assert term_regex.ignorecase_chars(char) == found, char


def _dev_texts() -> list[str]:
    """Every plain text and title of the development sets (the HTML pages' markup left out: slow to scan)."""
    texts = []
    for path in sorted((REPO / "eval").glob("dev*_set.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts += [f"{record.get('title') or ''}\n\n{record.get('text') or ''}"]
    return texts


@pytest.mark.parametrize("lang", ["en", "es"])
def test_relevance_terms_tried_at_term_starts_as_finditer(lang: str) -> None:
    """Each signal tried only where a term of some signal starts finds what its own pass over the text finds,
    over the whole text and over a window of it (the headline's), on the development sets' texts and on every
    term in many spellings."""
    terms = [r["term"] for r in read_patterns("relevance_terms.jsonl")]
    variants = " ".join(v for t in terms for v in _variants(t)) + " " + "; ".join(terms)
    rng = random.Random(11)
    found = 0
    for text in [*_dev_texts(), variants, variants.upper(), variants.replace(" ", "_"), ""]:
        starts = [m.start() for m in relevance._term_starts(lang).finditer(text)]
        windows = [(0, None), (0, rng.randint(0, len(text))), (rng.randint(0, len(text)), len(text) + 5)]
        for signal, pattern in relevance._patterns(lang).items():
            for start, end in windows:
                expected = [m.span() for m in pattern.finditer(text, start, len(text) if end is None else end)]
                got = [m.span() for m in relevance.finditer_at(pattern, text, starts, start, end)]
                assert got == expected, (signal, start, end, text[:80])
                found += len(expected)
    assert found > 5_000


@pytest.mark.parametrize("lang", ["en", "es"])
def test_number_splits_are_the_patterns_parse_number_built(lang: str) -> None:
    """parse_number's millions and compound patterns, compiled once, are the patterns it compiled per call."""
    lex = job_counts._lexicon(lang)
    millions = job_counts._millions(lex.multiplier)
    compound = list(lex.compound)
    assert millions and (compound or lang == "en")
    plain = re.compile(rf"(?P<head>.*?\S)\s*\b(?P<mult>{job_counts._alt(millions)})\s+(?P<rest>\S.*)", re.IGNORECASE)
    fast = job_counts._millions_split(tuple(millions))
    assert (fast.pattern, fast.flags) == (plain.pattern, plain.flags)
    if compound:
        plain = re.compile(rf"(?:(?P<head>.*?\S)\s*)?\b(?P<mult>{job_counts._alt(compound)})\s+(?P<rest>\d{{1,3}})",
                           re.IGNORECASE)
        fast = job_counts._compound_split(tuple(compound))
        assert (fast.pattern, fast.flags) == (plain.pattern, plain.flags)



def _plain_in_list_of(folded: list[str], caps: list[bool], start: int, lex: companies.CompanyLexicon, nouns: set[str],
                      first_cued: bool = False, unless: frozenset[str] = frozenset()) -> bool:
    """companies._in_list_of before the cues were looked up by their last word: every cue compared at every word."""
    i = start - 1
    while i >= 0 and start - i <= 16:
        for cue in lex.list_cues:
            n = cue.count(" ") + 1
            if " ".join(folded[max(0, i - n + 1):i + 1]) == cue:
                window = folded[max(0, i - n - 5):i - n + 1]
                return any(w in nouns for w in window) and not any(w in unless for w in window)
        if folded[i] in {",", "and", "y", "e", "or", "o", "&", "."} or caps[i]:
            i -= 1
            continue
        return first_cued and i + 1 < start and caps[i + 1] and companies._cue_before(folded, i + 1, lex) \
            and any(folded[k] in {",", "and", "y", "e", "or", "o", "&"} for k in range(i + 1, start))
    return False


def test_company_list_cues_by_last_word_as_plain() -> None:
    """Cues looked up by their last word find what comparing every cue finds: on random word sequences made of
    cue words, list nouns, company nouns, separators, capitalised names and words holding spaces."""
    lex = get_lexicon()
    rng = random.Random(5)
    cue_words = [w for cue in lex.list_cues for w in cue.split(" ")]
    pieces = [*cue_words, *lex.list_cues, *sorted(lex.list_nouns), *sorted(lex.cue_nouns)[:40], ",", "y", "and", ".",
              "&", "de", "Acme", "Telvora", "", " ", "a b", "como Acme", "x"]
    found = 0
    for _ in range(20_000):
        folded = rng.choices(pieces, k=rng.randint(1, 14))
        caps = [w[:1].isupper() or rng.random() < 0.2 for w in folded]
        for start in range(len(folded) + 1):
            for first_cued, unless in ((True, frozenset()), (False, frozenset({"retailers"}))):
                expected = _plain_in_list_of(folded, caps, start, lex, lex.list_nouns, first_cued, unless)
                got = companies._in_list_of(folded, caps, start, lex, lex.list_nouns, first_cued, unless)
                assert got == expected, (folded, caps, start, first_cued)
                found += expected
    assert found > 1_000


@pytest.mark.parametrize("lang", ["en", "es"])
def test_count_patterns_tried_at_count_starts_as_finditer(lang: str) -> None:
    """quantity, part_of, part_no_total and elliptic tried only where count_starts finds a possible start give
    what their own passes over the sentence give (spans and groups): on the development sets' sentences, every
    job-count term in a sentence, and those sentences cut at every tenth character and in capitals."""
    lex = job_counts._lexicon(lang)
    sentences = _dev_sentences()
    sentences += [s[:k] for s in sentences[::7] for k in range(0, len(s), 10)] + [s.upper() for s in sentences[::3]]
    found = 0
    for s in sentences:
        starts = [m.start() for m in lex.count_starts.finditer(s)]
        for pattern in (lex.quantity, lex.part_of, lex.part_no_total, lex.elliptic):
            expected = [(m.span(), m.groups()) for m in pattern.finditer(s)]
            assert [(m.span(), m.groups()) for m in term_regex.finditer_at(pattern, s, starts)] == expected, s
            found += len(expected)
    assert found > 1_000
