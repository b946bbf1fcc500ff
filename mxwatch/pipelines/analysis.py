"""The NLP analysis of an article: the public entry point.

    from mxwatch.pipelines.analysis import Analyzer, ArticleInput
    Analyzer().analyze(ArticleInput(text=..., title=...))  # -> the brief's analysis object

The title is analysed together with the text (a title mention counts), in one spaCy doc per article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from spacy.tokens import Doc

from mxwatch import settings
from mxwatch.errors import first_line
from mxwatch.pipelines.companies import company_mentions, person_affiliations
from mxwatch.pipelines.heap import release_free_memory
from mxwatch.pipelines.job_counts import job_counts
from mxwatch.pipelines.language import detect_language
from mxwatch.pipelines.nlp import get_nlp
from mxwatch.pipelines.places import place_mentions
from mxwatch.pipelines.relevance import THRESHOLD, relevance_features, relevance_score


@dataclass
class ArticleInput:
    """One article to analyse; ``lang`` is a declared hint, detected when None."""

    text: str
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    authors: list[str] = field(default_factory=list)
    lang: str | None = None


def _doc_text(article: ArticleInput) -> str:
    # A blank line keeps the title its own sentence and paragraph.
    title = _headline(article)
    body = (article.text or "")[: settings.MAX_ANALYSED_CHARS]  # spaCy's limit is 1,000,000 characters
    return f"{title}\n\n{body}" if title else body


def _headline(article: ArticleInput) -> str:
    return (article.title or "").strip()[:1000]


class Analyzer:
    """Turns articles into analysis objects. Models load lazily, once per process (see nlp.get_nlp)."""

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size

    def analyze(self, article: ArticleInput) -> dict:
        """Analyse one article."""
        return next(self.analyze_many([article]))

    def analyze_many(self, articles: Iterable[ArticleInput]) -> Iterator[dict]:
        """Analyse many articles, yielding results in input order. Articles are taken in chunks,
        grouped by language and run through ``nlp.pipe``, so memory stays flat on long streams."""
        it = iter(articles)
        chunk_size = max(1, self.batch_size) * 4
        while chunk := list(islice(it, chunk_size)):
            texts_all = [_doc_text(a) for a in chunk]
            langs = [detect_language(t, a.lang) for t, a in zip(texts_all, chunk, strict=True)]
            results: list[dict | None] = [None] * len(chunk)
            for lang in sorted(set(langs)):
                idx = [i for i, x in enumerate(langs) if x == lang]
                nlp = get_nlp(lang)
                texts = [texts_all[i] for i in idx]
                # Strings spaCy interns for these docs (every unseen name, number, typo) are freed when the zone
                # ends; without it the string store grows for as long as the process runs. Results are plain
                # Python values, built inside the zone.
                with nlp.memory_zone():
                    docs = nlp.pipe(texts, batch_size=self.batch_size)
                    for i, text, doc in zip(idx, texts, docs, strict=True):
                        results[i] = self._result(chunk[i], lang, doc, text)
            release_free_memory()  # the chunk's docs are gone: without this, RSS creeps up on long streams
            yield from results  # type: ignore[misc]

    def analyze_each(self, articles: list[ArticleInput]) -> list[dict | str]:
        """Like ``analyze_many``, but an article that cannot be analysed gets why (one line) instead of its
        analysis, and the rest of the batch is analysed all the same."""
        try:
            return list(self.analyze_many(articles))
        except Exception:  # noqa: BLE001 - find the article that fails, keep the rest of the batch
            results: list[dict | str] = []
            for article in articles:
                try:
                    results.append(self.analyze(article))
                except Exception as exc:  # noqa: BLE001 - recorded on the article, the queue moves on
                    results.append(f"{type(exc).__name__}: {first_line(exc)}")
            return results

    def relevance_features_many(self, articles: Iterable[ArticleInput]) -> Iterator[dict[str, float]]:
        """The relevance model's input signals for each article, in input order (for fitting it)."""
        for article in articles:
            text = _doc_text(article)
            lang = detect_language(text, article.lang)
            doc = get_nlp(lang)(text)
            companies = company_mentions(doc)
            places = place_mentions(doc)
            headline_end = len(_headline(article))
            counts = job_counts(doc, text, lang, companies, places, person_affiliations(text, companies),
                                headline_end)
            yield relevance_features(doc, text, lang, companies, places, counts, headline_end)

    def _result(self, article: ArticleInput, lang: str, doc: Doc, text: str) -> dict:
        # ``text`` is doc.text, passed along because spaCy rebuilds doc.text on every access.
        companies = company_mentions(doc)
        places = place_mentions(doc)
        affiliations = person_affiliations(text, companies)
        headline_end = len(_headline(article))
        counts = job_counts(doc, text, lang, companies, places, affiliations, headline_end)
        score = relevance_score(doc, text, lang, companies, places, counts, headline_end)
        return {
            "url": article.url,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "authors": list(article.authors),
            "lang": lang,
            "text": article.text,
            "relevant": score >= THRESHOLD,
            "relevance": round(score, 3),
            "companies": _company_rows(companies),
            "cities": _city_rows(places),
            "states": _state_rows(places),
            "job_counts": counts,
        }


def _company_rows(mentions: list) -> list[dict]:
    counts: Counter[str] = Counter(m.name for m in mentions)
    surfaces: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        surface = " ".join(m.surface.split())
        if surface != m.name and surface not in surfaces[m.name]:
            surfaces[m.name].append(surface)
    rows = [{"name": n, "aliases": surfaces[n], "mentions": c} for n, c in counts.items()]
    return sorted(rows, key=lambda r: (-r["mentions"], r["name"]))


def _city_rows(mentions: list) -> list[dict]:
    counts: Counter = Counter(m.place for m in mentions if m.place.kind == "city")
    rows = [{"name": p.name, "state": p.state, "lat": p.lat, "lon": p.lon, "mentions": c}
            for p, c in counts.items()]
    return sorted(rows, key=lambda r: (-r["mentions"], r["name"]))


def _state_rows(mentions: list) -> list[dict]:
    counts: Counter = Counter(m.place.name for m in mentions if m.place.kind == "state")
    rows = [{"name": n, "mentions": c} for n, c in counts.items()]
    return sorted(rows, key=lambda r: (-r["mentions"], r["name"]))
