"""The query commands of the real ``mxwatch`` console script on the stored fixture: JSON, CSV and tables give the
query layer's answers; bad dates and options exit 2 with one line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests import queries_fixture


@pytest.fixture
def stored(db_url: str) -> str:
    queries_fixture.build(db_url)
    return db_url


def test_query_commands_json_csv_and_table(cli, stored: str) -> None:
    trends = cli("trends", "--metric", "jobs", "--by", "state", "--period", "month", "--since", "2024-01-01",
                 "--until", "2024-03-01", "--json", database_url=stored)
    assert trends.code == 0, trends.stderr
    assert json.loads(trends.stdout) == [{"period": "2024-01", "key": "Jalisco", "value": 400},
                                         {"period": "2024-02", "key": "Nuevo León", "value": 150}]

    companies = cli("companies", "--csv", database_url=stored)
    assert companies.code == 0, companies.stderr
    rows = list(csv.DictReader(io.StringIO(companies.stdout)))
    assert [(r["company"], r["jobs"], r["announcements"], r["first_seen"]) for r in rows] == [
        ("Acme Robotics", "800", "2", "2024-01-10"), ("Beta Corp", "150", "1", "2024-02-05"),
        ("Oracle", "100", "1", "2017-10-19"), ("Wizeline", "0", "0", "2017-10-19")]

    new = cli("companies", "--new-since", "--json", database_url=stored)
    assert [r["company"] for r in json.loads(new.stdout)] == ["Acme Robotics", "Beta Corp"]

    timeline = cli("companies", "--company", "Acme Robotics", database_url=stored)
    assert timeline.code == 0 and "400 engineers new in Guadalajara" in timeline.stdout
    assert "https://c.example/acme-own-story" in timeline.stdout and "https://b.example" not in timeline.stdout

    places = cli("places", "--kind", "city", "--json", database_url=stored)
    assert [(p["place"], p["jobs"]) for p in json.loads(places.stdout)] == [
        ("Guadalajara", 800), ("Monterrey", 150), ("Mexico City", 0)]

    jobs = cli("jobs", "--announcements", "--place", "Guadalajara", "--csv", database_url=stored)
    rows = list(csv.DictReader(io.StringIO(jobs.stdout)))
    assert [(r["date"], r["value"], r["reports"]) for r in rows] == [("2024-09-02", "400", "1"),
                                                                      ("2024-01-10", "400", "2")]

    movers = cli("trends", "--movers", "--metric", "jobs", "--by", "state", "--at", "2024-02-10", "--json",
                 database_url=stored)
    assert [(m["key"], m["change"]) for m in json.loads(movers.stdout)] == [("Jalisco", -400), ("Nuevo León", 150)]

    compare = cli("baseline", "--compare", database_url=stored)
    assert compare.code == 0
    assert "1,200 employees existing in Mexico City" in compare.stdout and "no follow-up figure yet" in compare.stdout


@pytest.mark.parametrize("args", [
    ("trends", "--since", "2024-02-30"),
    ("trends", "--metric", "clicks"),
    ("trends", "--since", "2024-03-01", "--until", "2024-01-01"),
    ("jobs", "--kind", "rumoured"),
    ("jobs", "--company", "Nobody", "--until", "yesterday"),
    ("companies", "--company", "Nobody Inc"),
    ("companies", "--top", "-3"),
    ("places", "--kind", "country"),
])
def test_bad_input_exits_2_with_one_line(cli, sqlite_url: str, args: tuple[str, ...]) -> None:
    queries_fixture.build(sqlite_url)
    result = cli(*args, database_url=sqlite_url)
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("mxwatch: error:") and result.stderr.count("\n") == 1
    assert result.stdout == ""
