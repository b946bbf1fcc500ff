"""The baseline: the seed story's facts, stored by `mxwatch init`, with nothing from the page's trending block."""

from __future__ import annotations

import json

# Places and organisations that only the "Trending News on PVDN" block names.
TRENDING_ONLY = ("Puerto Vallarta", "Cancún", "Cancun", "Sayulita", "Nayarit", "Chiapas", "Guerrero", "Michoacán",
                 "Oaxaca", "Bahía de Banderas", "Frontera Comalapa", "Hilton", "CJNG", "AMPI", "Conagua", "Daily Mail",
                 "Google", "Los Chapitos")


def _job(base: dict, company: str | None, value: int) -> dict:
    found = [j for j in base["job_counts"] if j["company"] == company and j["value"] == value]
    assert found, (company, value, base["job_counts"])
    return found[0]


def test_init_stores_the_baseline_once_with_its_facts(cli, db_url: str) -> None:
    first = cli("init", database_url=db_url)
    assert first.code == 0, first.stderr
    assert "baseline stored" in first.stdout
    second = cli("init", database_url=db_url)
    assert second.code == 0 and "baseline already present" in second.stdout

    articles = json.loads(cli("articles", "--json", database_url=db_url).stdout)
    assert len(articles) == 1 and articles[0]["is_baseline"] is True

    result = cli("baseline", "--json", database_url=db_url)
    assert result.code == 0, result.stderr
    base = json.loads(result.stdout)
    assert base["is_baseline"] is True and base["relevant"] is True
    assert base["title"] == "Mexico tech industry benefits from U.S. immigration policies"
    assert base["published"].startswith("2017-10-19")
    assert base["authors"] == ["Salvador Rodriguez", "Julia Love"]

    companies = {c["name"] for c in base["companies"]}
    assert {"Amazon", "Facebook", "Oracle", "WeWork", "Wizeline", "Espressive", "Sanmina", "Daksha Consulting",
            "Flex"} <= companies
    assert "Reuters" not in companies
    cities = {c["name"] for c in base["cities"]}
    assert {"Mexico City", "Guadalajara", "Monterrey", "Zapopan"} <= cities
    assert {s["name"] for s in base["states"]} >= {"Jalisco"}

    wizeline = _job(base, "Wizeline", 260)
    assert wizeline["unit"] == "employees" and wizeline["kind"] == "existing"
    daksha = _job(base, "Daksha Consulting", 250)
    assert daksha["value_max"] == 300 and daksha["city"] == "Guadalajara"
    assert _job(base, "Facebook", 100)["approx"] is True
    oracle = _job(base, "Oracle", 100)
    assert oracle["approx"] is True and oracle["state"] == "Jalisco"
    assert _job(base, None, 115000)["kind"] == "sector_total"
    values = {j["value"] for j in base["job_counts"]}
    assert not values & {7000, 8000, 600000, 6000, 10, 60, 2017}  # graduates, immigrants, members, firms, years

    everything = json.dumps({k: base[k] for k in ("text", "companies", "cities", "states", "job_counts")})
    for name in TRENDING_ONLY:
        assert name not in everything, name
