"""A small trend database stored through the real storage functions, with answers computed by hand in the tests.

Articles (all relevant unless said otherwise; texts are ours):
- baseline, 2017-10-19: Wizeline 260 employees (existing, Mexico City); Jalisco's tech sector 115,000 jobs
  (sector_total, no company); Oracle hundreds of jobs (planned, Jalisco, approx).
- a1, 2024-01-10, a.example: Acme Robotics will hire 400 engineers in Guadalajara (new). Acme ×3, Wizeline ×1.
- a1 copy, 2024-01-11, b.example: a republished copy of a1 (linked by ``duplicate_of``), same analysis.
- a2, 2024-01-20, c.example: another outlet's own story on the same 400 Guadalajara jobs (planned). Acme ×1.
- a3, 2024-02-05: Wizeline has 1,200 employees (existing, Mexico City); Beta Corp 150 new jobs in Monterrey.
- a4, 2023-06-01: Wizeline has 500 employees (existing): older, so not the latest figure.
- a5, 2024-03-01: Jalisco's tech sector 130,000 jobs (sector_total); 200 new jobs in Jalisco, no company.
- a6, 2024-02-10: not relevant: Acme ×5 and 999 new jobs must not count anywhere.
- a7, 2024-09-02, a.example: Acme hires 400 more in Guadalajara: outside the announcement window, a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mxwatch.models import db, store
from mxwatch.models.queries import refresh_trends
from mxwatch.models.tables import Article

GDL = {"name": "Guadalajara", "state": "Jalisco", "lat": 20.67, "lon": -103.39}
MTY = {"name": "Monterrey", "state": "Nuevo León", "lat": 25.67, "lon": -100.31}
CDMX = {"name": "Mexico City", "state": "Ciudad de México", "lat": 19.43, "lon": -99.13}


def job(value: int, kind: str, company: str | None, city: dict | None = None, state: str | None = None,
        value_max: int | None = None, approx: bool = False, unit: str = "jobs") -> dict[str, Any]:
    """A job count of an analysis object."""
    return {"value": value, "value_max": value_max, "approx": approx, "unit": unit, "kind": kind,
            "company": company, "city": city["name"] if city else None,
            "state": state or (city["state"] if city else None), "evidence": f"{company} {value} {kind}"}


def analysis(companies: dict[str, int], cities: dict[str, tuple[dict, int]] | None = None,
             states: dict[str, int] | None = None, jobs: list[dict] | None = None,
             relevant: bool = True) -> dict[str, Any]:
    """An analysis object as the analyzer produces it."""
    return {
        "lang": "en", "relevant": relevant, "relevance": 0.9 if relevant else 0.1,
        "companies": [{"name": n, "aliases": [], "mentions": m} for n, m in companies.items()],
        "cities": [{**c, "mentions": m} for c, m in (cities or {}).values()],
        "states": [{"name": n, "mentions": m} for n, m in (states or {}).items()],
        "job_counts": jobs or [],
    }


def _text(topic: str) -> str:
    # Distinct wording per article, so that only the intended copy is recognised as a republication.
    return " ".join(f"{topic} sentence {i} about {topic} number {i * 7} in its own words." for i in range(12))


A1_TEXT = _text("acme-guadalajara-first")

ARTICLES: list[dict[str, Any]] = [
    {"key": "baseline", "url": "https://seed.example/2017", "published": datetime(2017, 10, 19, tzinfo=UTC),
     "text": _text("baseline"), "is_baseline": True,
     "analysis": analysis({"Wizeline": 3, "Oracle": 1}, {"gdl": (GDL, 2), "cdmx": (CDMX, 1)}, {"Jalisco": 2},
                          [job(260, "existing", "Wizeline", CDMX, unit="employees"),
                           job(115_000, "sector_total", None, state="Jalisco"),
                           job(100, "planned", "Oracle", state="Jalisco", approx=True)])},
    {"key": "a1", "url": "https://a.example/acme", "published": datetime(2024, 1, 10, 9, tzinfo=UTC),
     "text": A1_TEXT,
     "analysis": analysis({"Acme Robotics": 3, "Wizeline": 1}, {"gdl": (GDL, 2)}, {"Jalisco": 1},
                          [job(400, "new", "Acme Robotics", GDL, unit="engineers")])},
    {"key": "a1_copy", "url": "https://b.example/acme-copy", "published": datetime(2024, 1, 11, tzinfo=UTC),
     "text": "(Wire) - " + A1_TEXT,
     "analysis": analysis({"Acme Robotics": 3, "Wizeline": 1}, {"gdl": (GDL, 2)}, {"Jalisco": 1},
                          [job(400, "new", "Acme Robotics", GDL, unit="engineers")])},
    {"key": "a2", "url": "https://c.example/acme-own-story", "published": datetime(2024, 1, 20, tzinfo=UTC),
     "text": _text("acme-other-outlet"),
     "analysis": analysis({"Acme Robotics": 1}, {"gdl": (GDL, 1)}, {},
                          [job(400, "planned", "Acme Robotics", GDL)])},
    {"key": "a3", "url": "https://a.example/wizeline-beta", "published": datetime(2024, 2, 5, tzinfo=UTC),
     "text": _text("wizeline-beta"),
     "analysis": analysis({"Wizeline": 2, "Beta Corp": 2}, {"mty": (MTY, 1), "cdmx": (CDMX, 1)}, {"Nuevo León": 1},
                          [job(1200, "existing", "Wizeline", CDMX, unit="employees"),
                           job(150, "new", "Beta Corp", MTY)])},
    {"key": "a4", "url": "https://d.example/wizeline-2023", "published": datetime(2023, 6, 1, tzinfo=UTC),
     "text": _text("wizeline-2023"),
     "analysis": analysis({"Wizeline": 1}, {}, {}, [job(500, "existing", "Wizeline", unit="employees")])},
    {"key": "a5", "url": "https://e.example/jalisco-sector", "published": datetime(2024, 3, 1, tzinfo=UTC),
     "text": _text("jalisco-sector"),
     "analysis": analysis({}, {}, {"Jalisco": 3},
                          [job(130_000, "sector_total", None, state="Jalisco"),
                           job(200, "new", None, state="Jalisco")])},
    {"key": "a6", "url": "https://f.example/off-topic", "published": datetime(2024, 2, 10, tzinfo=UTC),
     "text": _text("off-topic"),
     "analysis": analysis({"Acme Robotics": 5}, {"gdl": (GDL, 4)}, {}, [job(999, "new", "Acme Robotics", GDL)],
                          relevant=False)},
    {"key": "a7", "url": "https://a.example/acme-again", "published": datetime(2024, 9, 2, tzinfo=UTC),
     "text": _text("acme-again"),
     "analysis": analysis({"Acme Robotics": 2}, {"gdl": (GDL, 1)}, {}, [job(400, "new", "Acme Robotics", GDL)])},
]


def build(database_url: str) -> dict[str, int]:
    """Migrate, store and analyse the fixture's articles, refresh trends; return article ids by key."""
    db.migrate(database_url)
    ids: dict[str, int] = {}
    cache = store.EntityCache()
    with db.session_scope(database_url) as session:
        index = store.load_duplicate_index(session)
        for item in ARTICLES:
            result = store.store_article(session, store.NewArticle(
                url=item["url"], text=item["text"], title=f"title {item['key']}", published=item["published"],
                is_baseline=item.get("is_baseline", False)), index)
            ids[item["key"]] = result.article_id
        assert session.get(Article, ids["a1_copy"]).duplicate_of_id == ids["a1"]
        for item in ARTICLES:
            store.save_analysis(session, session.get(Article, ids[item["key"]]), item["analysis"], cache)
        session.commit()
        refresh_trends(session)
    return ids
