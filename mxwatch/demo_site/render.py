"""HTML pages of the demo site, rendered with Jinja2 templates that imitate four kinds of publisher."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from mxwatch.demo_site.catalog import DISCLAIMER, modified, parse_date

TEMPLATES_DIR = Path(__file__).with_name("templates")
TEMPLATES = ("wire", "magazine", "portal_es", "blog")
# Each layout poses as a different publisher, so the <title> suffix and publisher name vary like on the web.
SITE_NAMES = {
    "wire": "Meridian Business Wire",
    "magazine": "Nearshore Review",
    "portal_es": "El Observador Regional",
    "blog": "Código Norte",
}
HOME_SITE_NAME = "mxwatch demo newsroom"

_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
_MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre"]
_SECTION_LABELS = {
    "business": ("Business", "Negocios"), "tech": ("Technology", "Tecnología"), "markets": ("Markets", "Mercados"),
    "economia": ("Economy", "Economía"), "negocios": ("Business", "Negocios"),
    "tecnologia": ("Technology", "Tecnología"), "startups": ("Startups", "Startups"),
    "industria": ("Industry", "Industria"), "local": ("Local", "Local"), "deportes": ("Sports", "Deportes"),
    "sports": ("Sports", "Deportes"), "seguridad": ("Security", "Seguridad"), "turismo": ("Travel", "Turismo"),
    "real-estate": ("Real estate", "Bienes raíces"), "syndication": ("World", "Mundo"),
}

Record = dict[str, Any]
UrlFor = Callable[[Record], str]


def _date_parts(stamp: datetime) -> dict[str, str]:
    """The ways the templates print a timestamp (ISO, English and Spanish prose, clock time)."""
    hour = stamp.hour % 12 or 12
    return {
        "iso": stamp.isoformat(),
        "en": f"{_MONTHS_EN[stamp.month - 1]} {stamp.day}, {stamp.year}",
        "es": f"{stamp.day} de {_MONTHS_ES[stamp.month - 1]} de {stamp.year}",
        "clock": f"{hour}:{stamp.minute:02d} {'AM' if stamp.hour < 12 else 'PM'}",
        "clock24": f"{stamp.hour:02d}:{stamp.minute:02d}",
        "numeric": f"{stamp.day:02d}/{stamp.month:02d}/{stamp.year}",
    }


def section_label(record: Record) -> str:
    """Human label of a record's section in the record's language."""
    en, es = _SECTION_LABELS.get(record.get("section", ""), (record.get("section", "News").title(),) * 2)
    return es if record.get("lang") == "es" else en


def _json_ld(record: Record, url: str, site: str, base: str) -> str:
    """schema.org NewsArticle for the wire layout; '</' is escaped so the JSON cannot close its script tag."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": record["title"],
        "description": record.get("standfirst") or "",
        "datePublished": parse_date(record["published"]).isoformat(),
        "dateModified": modified(record).isoformat(),
        "inLanguage": record["lang"],
        "articleSection": section_label(record),
        "author": [{"@type": "Person", "name": name} for name in record.get("authors", [])],
        "publisher": {"@type": "Organization", "name": site,
                      "logo": {"@type": "ImageObject", "url": f"{base}/static/logo-wire.png"}},
    }
    if record.get("source"):
        data["isBasedOn"] = record["source"]
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


class PageRenderer:
    """Renders home, article and error pages; every URL it prints is absolute under the given base."""

    def __init__(self, templates_dir: Path = TEMPLATES_DIR) -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(templates_dir)),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def article(self, record: Record, others: Sequence[Record], base: str, url_for: UrlFor) -> str:
        """Render one article in its record's template, with headline lists drawn from `others`."""
        template = record.get("template", "wire")
        if template not in TEMPLATES:
            raise ValueError(f"{record.get('id')}: unknown template {template!r}")
        url = url_for(record)
        site = SITE_NAMES[template]
        peers = [r for r in others if r is not record]
        same_lang = [r for r in peers if r["lang"] == record["lang"]] or peers
        by_title = {r["title"]: r for r in peers}
        related = [by_title[t] for t in record.get("related", []) if t in by_title]
        related += [r for r in same_lang if r not in related][: max(0, 3 - len(related))]

        def links(rs: Sequence[Record]) -> list[dict[str, str]]:
            return [{"title": r["title"], "url": url_for(r)} for r in rs]

        updated = modified(record) if record.get("updated") else None
        context = {
            "a": record,
            "url": url,
            "base": base,
            "site": site,
            "section": section_label(record),
            "published": _date_parts(parse_date(record["published"])),
            "updated": _date_parts(updated) if updated else None,
            "ticker": links(peers[:4]),
            "trending": links(peers[4:9]),
            "most_read": links(same_lang[:5]),
            "related": links(related),
            "more": links(same_lang[5:8]),
            "json_ld": _json_ld(record, url, site, base),
            "newsletter_after": max(1, len(record["paragraphs"]) // 2),
            "post_id": 1000 + sum(map(ord, record["slug"])),
            "disclaimer": DISCLAIMER,
            "year": parse_date(record["published"]).year,
        }
        return self.env.get_template(f"{template}.html").render(**context).lstrip()

    def home(self, records: Sequence[Record], base: str, url_for: UrlFor) -> str:
        """Front page linking every listed record, newest first."""
        entries = [{"title": r["title"], "url": url_for(r), "lang": r["lang"], "section": section_label(r),
                    "date": _date_parts(parse_date(r["published"])), "standfirst": r.get("standfirst", "")}
                   for r in records]
        return self.env.get_template("home.html").render(
            entries=entries, base=base, site=HOME_SITE_NAME, disclaimer=DISCLAIMER)

    def not_found(self, path: str, base: str) -> str:
        """The 404 page."""
        return self.env.get_template("404.html").render(
            path=path, base=base, site=HOME_SITE_NAME, disclaimer=DISCLAIMER)
