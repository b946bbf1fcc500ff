"""A large generated news site for benchmarks: N articles recombined from the demo articles' paragraphs."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from mxwatch.demo_site.catalog import load_articles


def generated_articles(n: int, seed: int = 17) -> list[dict[str, Any]]:
    """``n`` distinct articles (English and Spanish, every template), each a new mix of 4-7 demo paragraphs of
    one language, with realistic sizes and the demo templates' clutter when served."""
    rng = random.Random(seed)
    base = [a for a in load_articles() if not a.get("private")]
    by_lang = {lang: [a for a in base if a["lang"] == lang] for lang in ("en", "es")}
    paragraphs = {lang: [p for a in arts for p in a["paragraphs"]] for lang, arts in by_lang.items()}
    start = datetime.fromisoformat("2024-01-01T08:00:00-06:00")
    records = []
    for i in range(n):
        model = base[i % len(base)]
        lang = model["lang"]
        body = rng.sample(paragraphs[lang], rng.randint(4, 7))
        records.append({
            **model,
            "id": f"gen-{i:06d}",
            "slug": f"{model['slug']}-{i:06d}",
            "title": f"{model['title']} ({i})",
            "published": (start + timedelta(hours=7 * i)).isoformat(),
            "paragraphs": body,
            "comments": model.get("comments", [])[:2],
            "gold": None,
        })
    return records
