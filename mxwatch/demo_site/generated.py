"""A large generated news site for benchmarks and crawl tests: N distinct articles in English and Spanish.

Each article is a new mix of the demo articles' sentences (one language, 350-900 words, numbers varied), so
no two articles are near-copies of each other or of the seed story. ``GeneratedSite`` serves them like the
demo site (feed, sitemaps, robots.txt, the four publisher layouts) and adds the page weight real publishers
carry: inline analytics and state scripts, a comment thread, a cookie banner, a newsletter box. Everything is
seeded: the same ``n`` and ``seed`` give the same site, byte for byte.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from mxwatch.demo_site.catalog import article_path, load_articles, parse_date
from mxwatch.demo_site.server import DemoSite, _Response

Record = dict[str, Any]

_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-ZÁÉÍÓÚÑ¿¡“\"(])")
_NUMBER = re.compile(r"\b\d{2,4}\b")
BENCH_WORDS = (350, 900)
_COMMENTERS = ("Ana R.", "jmorales", "Pedro_GDL", "techwatcher", "Laura M.", "nearshore_fan", "Carlos T.")
_COMMENTS = {
    "en": ("Great news for the region, hope the jobs are real this time.", "Who pays for the infrastructure?",
           "We heard the same promise in 2019.", "Finally some investment outside the capital."),
    "es": ("Excelente noticia para la región, ojalá sean empleos bien pagados.", "¿Y la infraestructura quién la paga?",
           "Lo mismo prometieron en 2019.", "Por fin inversión fuera de la capital."),
}


def _sentences(paragraphs: list[str]) -> list[str]:
    return [s.strip() for p in paragraphs for s in _SENTENCE_END.split(p) if len(s.split()) >= 4]


def _vary_numbers(sentence: str, rng: random.Random) -> str:
    """Change counts (not years) a little, so recombined sentences are new texts with the same shape."""
    def repl(m: re.Match[str]) -> str:
        value = int(m.group())
        if 1900 <= value <= 2100:
            return m.group()
        return str(max(2, round(value * rng.uniform(0.5, 1.8))))
    return _NUMBER.sub(repl, sentence)


def _body(pool: list[str], rng: random.Random, words_range: tuple[int, int]) -> list[str]:
    """Paragraphs of 1-4 sentences until a target number of words (within ``words_range``) is reached."""
    target = rng.randint(*words_range)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        paragraph = " ".join(_vary_numbers(rng.choice(pool), rng) for _ in range(rng.randint(1, 4)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return paragraphs


def sentence_pools() -> dict[str, list[str]]:
    """The demo articles' sentences by language ("en", "es"): what generated texts are made of."""
    base = [a for a in load_articles() if not a.get("private")]
    return {lang: _sentences([p for a in base if a["lang"] == lang for p in a["paragraphs"]]) for lang in ("en", "es")}


def short_texts(n: int, seed: int = 17, start: int = 0) -> Iterator[tuple[str, str]]:
    """(lang, text) of ``n`` short news items (2-4 sentences, English and Spanish alternating), each naming a
    company never seen before, the way a long stream of real news keeps bringing new names; item ``start + i``
    is the same whatever ``start`` (so workers can split a stream)."""
    pools = sentence_pools()
    for i in range(start, start + n):
        rng = random.Random(f"{seed}:{i}")
        lang = "en" if i % 2 else "es"
        name = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))).title()
        lead = (f"{name} Systems will hire {rng.randint(20, 900)} engineers in Guadalajara." if lang == "en" else
                f"{name} Systems contratará a {rng.randint(20, 900)} ingenieros en Monterrey.")
        body = " ".join(_vary_numbers(rng.choice(pools[lang]), rng) for _ in range(rng.randint(1, 3)))
        yield lang, f"{lead} {body}"


def generated_articles(n: int, seed: int = 17, words: tuple[int, int] | None = None) -> list[Record]:
    """``n`` distinct articles (English and Spanish, every template of the demo site); the demo templates'
    clutter comes with them when served.

    With ``words`` (min, max; the benchmarks use ``BENCH_WORDS``, 350-900), each is that many words of the demo
    articles' sentences recombined, numbers varied. Without, each is a mix of 4-7 demo paragraphs of one
    language (the small site the crawl tests were written against).
    """
    rng = random.Random(seed)
    base = [a for a in load_articles() if not a.get("private")]
    pools = sentence_pools() if words else {}
    paragraphs = {lang: [p for a in base if a["lang"] == lang for p in a["paragraphs"]] for lang in ("en", "es")}
    start = datetime.fromisoformat("2024-01-01T08:00:00-06:00")
    records = []
    for i in range(n):
        model = base[i % len(base)]
        lang = model["lang"]
        record = {
            **model,
            "id": f"gen-{i:06d}",
            "slug": f"{model['slug']}-{i:06d}",
            "title": f"{model['title']} ({i})",
            "published": (start + timedelta(hours=7 * i)).isoformat(),
            "paragraphs": _body(pools[lang], rng, words) if words else rng.sample(paragraphs[lang], rng.randint(4, 7)),
            "comments": model.get("comments", [])[:2],
            "gold": None,
        }
        if words:
            record["comments"] = [{"author": rng.choice(_COMMENTERS), "text": rng.choice(_COMMENTS[lang]),
                                   "replies": []} for _ in range(rng.randint(0, 3))]
        records.append(record)
    return records


def _page_clutter(record: Record, rng: random.Random) -> str:
    """What a real article page carries besides the story: a tag manager, a framework's state blob, ad
    config, a comment thread and a newsletter box (about 25-45 KB, most of it script)."""
    state = ",".join(f'{{"id":{rng.randint(10**6, 10**7)},"slot":"div-gpt-ad-{k}","sizes":[[300,250],[728,90]],'
                     f'"targeting":{{"section":"{record.get("section", "news")}","pos":"{k}"}}}}'
                     for k in range(rng.randint(60, 140)))
    tracking = ";".join(f"window.__t{k}=function(e){{return (e||0)*{rng.randint(2, 99)}+{k}}}"
                        for k in range(rng.randint(80, 160)))
    es = record.get("lang") == "es"
    comments = "".join(f'<li class="c"><b>{rng.choice(_COMMENTERS)}</b><p>{rng.choice(_COMMENTS[record["lang"]])}</p>'
                       f'<a href="#reply">{"Responder" if es else "Reply"}</a></li>' for _ in range(rng.randint(2, 6)))
    return (
        f'<script>window.__NEXT_DATA__={{"props":{{"ads":[{state}]}},"page":"/article",'
        f'"buildId":"b{rng.randint(1, 999)}"}}'
        f"</script>\n<script>{tracking}</script>\n"
        '<div class="gdpr-banner" role="dialog"><p>'
        + ("Usamos cookies para personalizar contenidos y anuncios." if es else
           "We use cookies to personalise content and ads and to analyse our traffic.")
        + '</p><button>OK</button></div>\n'
        f'<section class="comments-widget"><h3>{"Comentarios" if es else "Comments"}</h3>'
        f"<ol>{comments}</ol></section>\n"
        '<div class="newsletter-box"><h4>' + ("Suscríbete al boletín" if es else "Get the morning briefing")
        + '</h4><form><input type="email"><button>' + ("Enviar" if es else "Sign up") + "</button></form></div>\n"
    )


class GeneratedSite(DemoSite):
    """The demo site over generated articles, with heavier real-world pages; ``prerender()`` builds every
    article page up front so that a benchmark measures the crawler, not the site's templating."""

    def __init__(self, articles: list[Record], seed: int = 17, **kwargs: Any) -> None:
        super().__init__(articles=articles, **kwargs)
        self._seed = seed
        self._listed: list[Record] | None = None
        self._positions: dict[int, int] = {}
        self.article_times: list[float] = []  # when each article page was requested (time.monotonic)

    def _record(self, target: str) -> None:
        super()._record(target)
        if target.startswith("/news/"):
            self.article_times.append(time.monotonic())

    def article_rate(self) -> tuple[int, float]:
        """(article pages requested, their pages/s from the first request to the last): a crawler's steady pace,
        without its process start-up. Call ``article_times.clear()`` between crawls."""
        times = self.article_times
        if len(times) < 2:
            return len(times), 0.0
        return len(times), (len(times) - 1) / max(times[-1] - times[0], 1e-9)

    def _listing(self) -> tuple[list[Record], dict[int, int]]:
        # The demo site sorts its listing for every page; with 10,000 articles that is most of the work: once here.
        if self._listed is None:
            listed = [r for r in self._all_records() if not r.get("private")]
            self._listed = sorted(listed, key=lambda r: parse_date(r["published"]), reverse=True)
            self._positions = {id(r): i for i, r in enumerate(self._listed)}
        return self._listed, self._positions

    def _build(self, path: str, base: str) -> _Response:
        record = self._routes.get(path)
        if record is None or record is self.syndicated or record.get("private"):
            return super()._build(path, base)
        listed, positions = self._listing()
        position = positions.get(id(record), 0)
        nearby = listed[max(0, position - 6): position + 12]  # the headline boxes show recent neighbours
        html = self._renderer.article(record, nearby, base, lambda r: base + article_path(r))
        rng = random.Random(f"{self._seed}:{record['id']}")
        html = html.replace("</body>", _page_clutter(record, rng) + "</body>", 1)
        return _Response(200, "text/html; charset=utf-8", html.encode(), parse_date(record["published"]))

    def prerender(self) -> int:
        """Render (and cache) every public article page for the running server; return the bytes rendered."""
        base = self.base_url
        return sum(len(self._response(article_path(r), base).body) for r in self.public_articles())
