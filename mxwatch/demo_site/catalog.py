"""What the demo site publishes: our article records, the syndicated seed copy, and where each one lives."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

ARTICLES_PATH = Path(__file__).with_name("articles.jsonl")
SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "seed" / "000_dc72ddfe90eb1c51.txt"
SYNDICATION_PATH = "/syndication/2017/10/mexico-tech-industry-benefits.html"
DISCLAIMER = "Demo site: articles are fictional and written for mxwatch tests."

# The seed page carries a teaser and a "Trending News" block after the story; the story ends at this line.
_STORY_END_PREFIX = "Reporting by"


def load_articles(path: Path | str = ARTICLES_PATH) -> list[dict[str, Any]]:
    """Return the demo article records (gold annotations included), in file order."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON object: {exc}") from exc
    return records


def load_syndicated(seed_path: Path | str = SEED_PATH) -> dict[str, Any] | None:
    """Build the republished copy of the seed story, or None when the seed file is absent.

    Only the story is used: the first line is the headline, and the body runs up to and including the
    "Reporting by" line; whatever the source page carried after it is not part of the story.
    """
    path = Path(seed_path)
    if not path.is_file():
        return None
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    title, body = lines[0], [line for line in lines[1:] if line]
    end = next((i for i, line in enumerate(body) if line.startswith(_STORY_END_PREFIX)), None)
    if end is None:
        raise ValueError(f"{path}: no '{_STORY_END_PREFIX}' line, cannot tell where the story ends")
    paragraphs = body[: end + 1]
    paragraphs[0] = "(Reuters) - " + paragraphs[0]
    return {
        "id": "syndicated-reuters-2017-10",
        "slug": "mexico-tech-industry-benefits",
        "section": "syndication",
        "lang": "en",
        "template": "wire",
        "title": title,
        "standfirst": "",
        "published": "2017-10-20T08:00:00-05:00",
        "authors": ["Salvador Rodriguez", "Julia Love"],
        "paragraphs": paragraphs,
        "source": "Reuters",
        "path": SYNDICATION_PATH,
    }


def article_path(record: dict[str, Any]) -> str:
    """Clean URL path of a record: /news/<yyyy>/<mm>/<slug>.html, or /private/... for the embargoed one."""
    if record.get("path"):
        return str(record["path"])
    published = parse_date(record["published"])
    root = "private" if record.get("private") else "news"
    return f"/{root}/{published:%Y}/{published:%m}/{record['slug']}.html"


def parse_date(value: str) -> datetime:
    """Parse an ISO 8601 timestamp with offset, as stored in the records."""
    return datetime.fromisoformat(value)


def modified(record: dict[str, Any]) -> datetime:
    """When a record last changed: its `updated` stamp, else its publication date."""
    return parse_date(record.get("updated") or record["published"])
