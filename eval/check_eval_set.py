"""Sanity check for eval/eval_set.jsonl (stand-alone: does not import mxwatch).

Run: .venv/bin/python eval/check_eval_set.py
Checks that every line parses, has the required keys and values, that every gold company/city/state
string occurs in the article (headline + body, page clutter excluded for HTML) in some spelling listed
in ALIASES, that job counts are well formed and consistent with the gold lists, and the set's quotas.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

PATH = Path(__file__).with_name("eval_set.jsonl")
KINDS = {"new", "planned", "existing", "sector_total"}
UNITS = {"jobs", "employees", "workers", "engineers", "developers", "positions", "hires", "staff"}
JOB_KEYS = {"value", "value_max", "approx", "unit", "kind", "company", "city", "state"}
# Other spellings under which a canonical gold name may appear in the text.
ALIASES = {
    "Mexico City": ["Ciudad de México", "CDMX"],
    "Ciudad de México": ["Mexico City", "CDMX"],
    "Estado de México": ["State of Mexico", "Mexico State", "Edomex", "estado mexiquense"],
    "Ciudad Juárez": ["Juárez"],
    "Tlajomulco de Zúñiga": ["Tlajomulco"],
    "Amazon": ["AWS"],
    "Tata Consultancy Services": ["TCS"],
    "HCLTech": ["HCL Technologies"],
    "CFE": ["Comisión Federal de Electricidad"],
    "Nuevo León": ["NL", "N.L."],
}
# State of every city that carries a job count (the guide fills the state in from the city).
CITY_STATE = {
    "Mexico City": "Ciudad de México", "Guadalajara": "Jalisco", "Zapopan": "Jalisco", "Tlaquepaque": "Jalisco",
    "Tlajomulco de Zúñiga": "Jalisco", "El Salto": "Jalisco", "Monterrey": "Nuevo León", "Apodaca": "Nuevo León",
    "San Pedro Garza García": "Nuevo León", "Santa Catarina": "Nuevo León", "Guadalupe": "Nuevo León",
    "Salinas Victoria": "Nuevo León", "Ciénega de Flores": "Nuevo León", "Querétaro": "Querétaro",
    "El Marqués": "Querétaro", "Colón": "Querétaro", "Hermosillo": "Sonora", "Culiacán": "Sinaloa",
    "Morelia": "Michoacán", "Irapuato": "Guanajuato", "Celaya": "Guanajuato", "León": "Guanajuato",
    "Silao": "Guanajuato", "San Luis Potosí": "San Luis Potosí", "Villa de Reyes": "San Luis Potosí",
    "Mexicali": "Baja California", "Ensenada": "Baja California", "Tijuana": "Baja California",
    "Rosarito": "Baja California", "Toluca": "Estado de México", "Tultepec": "Estado de México",
    "Tultitlán": "Estado de México", "Cuernavaca": "Morelos", "Villahermosa": "Tabasco",
    "Tuxtla Gutiérrez": "Chiapas", "Cancún": "Quintana Roo", "Chetumal": "Quintana Roo", "Oaxaca": "Oaxaca",
    "Torreón": "Coahuila", "Reynosa": "Tamaulipas", "Matamoros": "Tamaulipas", "Pachuca": "Hidalgo",
    "Zacatecas": "Zacatecas", "Durango": "Durango", "Colima": "Colima", "Manzanillo": "Colima",
    "Tepic": "Nayarit", "Campeche": "Campeche", "La Paz": "Baja California Sur", "Los Cabos": "Baja California Sur",
    "Mérida": "Yucatán", "Hunucmá": "Yucatán", "Aguascalientes": "Aguascalientes", "Puebla": "Puebla",
    "Ciudad Juárez": "Chihuahua", "Chihuahua": "Chihuahua", "Meoqui": "Chihuahua",
}
ARTICLE_CONTAINERS = {"entry-content", "post-body", "article-body__content", "story-body", "body-content",
                      "cuerpo-nota", "texto", "contenido", "content-body"}
INLINE_CLUTTER = {"read-also", "te-puede-interesar"}


def fold(s: str) -> str:
    s = re.sub(r"[^\w\s]", " ", s)  # punctuation (dashes, quotes, &) separates words
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


class ArticleText(HTMLParser):
    """Headline (<h1>) plus the text of the article container, minus inline related-story boxes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        names = set((a.get("class") or "").split()) | {a.get("id") or ""}
        self.stack.append((tag, bool(names & ARTICLE_CONTAINERS) or tag == "h1", bool(names & INLINE_CLUTTER)))

    def handle_endtag(self, tag):
        while self.stack:
            t, *_ = self.stack.pop()
            if t == tag:
                break
        if tag in ("p", "div", "h1"):
            self.parts.append("\n\n")

    def handle_data(self, data):
        if any(s[1] for s in self.stack) and not any(s[2] for s in self.stack) \
                and not any(s[0] in ("script", "style") for s in self.stack):
            self.parts.append(data)


def article_text(rec: dict) -> str:
    if rec["format"] == "text":
        return rec["text"]
    p = ArticleText()
    p.feed(rec["html"])
    return re.sub(r"\n{3,}", "\n\n", "".join(p.parts)).strip()


def occurs(name: str, text: str) -> bool:
    t = fold(text)
    for form in [name] + ALIASES.get(name, []):
        if re.search(r"(?<![a-z0-9])" + re.escape(fold(form)) + r"(?![a-z0-9])", t):
            return True
    return False


def main() -> int:
    errors, warnings = [], []
    recs = []
    for n, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: {exc}")
    ids = Counter(r.get("id") for r in recs)
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    stats = Counter()
    for r in recs:
        rid = r.get("id", "?")
        for k in ("id", "lang", "format", "url", "title", "published", "gold"):
            if k not in r:
                errors.append(f"{rid}: missing {k}")
        if r.get("lang") not in ("en", "es"):
            errors.append(f"{rid}: bad lang")
        if r.get("format") not in ("text", "html") or r["format"] not in r:
            errors.append(f"{rid}: bad format / missing {r.get('format')} field")
            continue
        if not rid.startswith(f"ev-{r['lang']}-"):
            errors.append(f"{rid}: id does not match lang")
        text = article_text(r)
        if r["format"] == "text" and not text.startswith(r["title"] + "\n\n"):
            errors.append(f"{rid}: text does not start with the headline line and a blank line")
        if r["format"] == "html" and r["title"] not in text:
            errors.append(f"{rid}: headline not found in the page's article")
        words = len(text.split())
        if not 150 <= words <= 450:
            errors.append(f"{rid}: {words} words of article text")
        g = r["gold"]
        for k in ("relevant", "companies", "cities", "states", "job_counts"):
            if k not in g:
                errors.append(f"{rid}: gold missing {k}")
        if not isinstance(g.get("relevant"), bool):
            errors.append(f"{rid}: relevant not bool")
        for field in ("companies", "cities", "states"):
            if len(set(g[field])) != len(g[field]):
                errors.append(f"{rid}: duplicate in {field}")
            for name in g[field]:
                if not occurs(name, text):
                    errors.append(f"{rid}: {field[:-1]} {name!r} not in article text")
        for j in g["job_counts"]:
            where = f"{rid}: job {j.get('value')}"
            if set(j) != JOB_KEYS:
                errors.append(f"{where}: keys {sorted(j)}")
                continue
            if not isinstance(j["value"], int) or j["value"] <= 0:
                errors.append(f"{where}: value")
            if j["value_max"] is not None and (not isinstance(j["value_max"], int) or j["value_max"] <= j["value"]):
                errors.append(f"{where}: value_max")
            if not isinstance(j["approx"], bool):
                errors.append(f"{where}: approx")
            if j["unit"] not in UNITS:
                errors.append(f"{where}: unit {j['unit']}")
            if j["kind"] not in KINDS:
                errors.append(f"{where}: kind {j['kind']}")
            if j["kind"] == "sector_total" and j["company"] is not None:
                errors.append(f"{where}: sector total with a company")
            if j["company"] is not None and j["company"] not in g["companies"]:
                errors.append(f"{where}: company {j['company']!r} not in gold companies")
            if j["city"] is not None:
                if j["city"] not in g["cities"]:
                    errors.append(f"{where}: city {j['city']!r} not in gold cities")
                if CITY_STATE.get(j["city"]) != j["state"]:
                    errors.append(f"{where}: state {j['state']!r} does not match city {j['city']!r}")
            elif j["state"] is not None and j["state"] not in g["states"]:
                warnings.append(f"{where}: state {j['state']!r} not in gold states")
        stats["docs"] += 1
        stats[f"lang:{r['lang']}"] += 1
        stats[f"format:{r['format']}"] += 1
        stats[f"{r['lang']}:{'relevant' if g['relevant'] else 'negative'}"] += 1
        stats["relevant" if g["relevant"] else "negative"] += 1
        stats["companies"] += len(g["companies"])
        stats["cities"] += len(g["cities"])
        stats["states"] += len(g["states"])
        stats["job_counts"] += len(g["job_counts"])
        for j in g["job_counts"]:
            stats[f"kind:{j['kind']}"] += 1
            stats["approx"] += j["approx"]
            stats["ranges"] += j["value_max"] is not None
        stats["words"] += words
    quotas = [("documents >= 84", stats["docs"] >= 84),
              ("half Spanish", stats["lang:es"] == stats["lang:en"]),
              ("a third html (>= 28)", stats["format:html"] >= 28),
              ("a quarter negatives (>= 21)", stats["negative"] >= 21)]
    for name, ok in quotas:
        if not ok:
            errors.append(f"quota failed: {name}")
    for k in sorted(stats):
        print(f"{k:20s} {stats[k]}")
    print(f"{'mean words':20s} {stats['words'] / max(stats['docs'], 1):.0f}")
    for w in warnings:
        print("WARNING", w)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
