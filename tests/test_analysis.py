"""The NLP analysis with the real spaCy models (no mocks): the seed baseline and hand-written cases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput
from mxwatch.pipelines.companies import normalize_org_name
from mxwatch.pipelines.language import detect_language

SEED = Path(__file__).resolve().parents[1] / "mxwatch" / "data" / "seed" / "000_dc72ddfe90eb1c51.txt"
KEYS = ["url", "title", "published", "authors", "lang", "text", "relevant", "relevance",
        "companies", "cities", "states", "job_counts"]
JOB_KEYS = ["value", "value_max", "approx", "unit", "kind", "company", "city", "state", "evidence"]


def seed_story() -> ArticleInput:
    """The story alone: title = first line, text = the lines after it up to "Reporting by"."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = []
    for line in lines[1:]:
        if line.startswith("Reporting by"):
            break
        body.append(line)
    return ArticleInput(text="\n".join(body).strip(), title=lines[0].strip(),
                        url="https://www.vallartadaily.com/mexico-tech-industry-benefits/",
                        published=datetime(2017, 10, 19, tzinfo=UTC), authors=["Salvador Rodriguez"])


@pytest.fixture(scope="module")
def seed(analyzer: Analyzer) -> dict:
    return analyzer.analyze(seed_story())


def names(rows: list[dict]) -> set[str]:
    return {r["name"] for r in rows}


def find_count(result: dict, value: int, **expected: object) -> dict:
    hits = [j for j in result["job_counts"] if j["value"] == value]
    assert hits, f"no job count {value} in {result['job_counts']}"
    for j in hits:
        if all(j[k] == v for k, v in expected.items()):
            return j
    raise AssertionError(f"job count {value} lacks {expected}: {hits}")


# --- the seed ------------------------------------------------------------------------------------

def test_seed_shape(seed: dict) -> None:
    assert list(seed) == KEYS
    assert seed["lang"] == "en"
    assert seed["published"] == "2017-10-19T00:00:00+00:00"
    assert seed["authors"] == ["Salvador Rodriguez"]
    assert seed["text"].startswith("Amazon, Facebook and other U.S. tech companies")
    for row in seed["job_counts"]:
        assert list(row) == JOB_KEYS
    for key in ("companies", "cities", "states"):
        order = [(-r["mentions"], r["name"]) for r in seed[key]]
        assert order == sorted(order), key


def test_seed_relevant(seed: dict) -> None:
    assert seed["relevant"] is True
    assert seed["relevance"] >= 0.8
    assert seed["relevance"] == round(seed["relevance"], 3)


def test_seed_companies(seed: dict) -> None:
    found = names(seed["companies"])
    assert {"Amazon", "Facebook", "Oracle", "WeWork", "Wizeline", "Espressive", "Sanmina",
            "Daksha Consulting", "Flex"} <= found
    assert not found & {"Reuters", "LinkedIn", "Congress", "DACA", "Trump", "Timbadia", "Software",
                        "North American Free Trade Agreement", "StartupGDL"}
    amazon = next(c for c in seed["companies"] if c["name"] == "Amazon")
    assert "Amazon.com Inc" in amazon["aliases"]
    assert all("(" not in a for c in seed["companies"] for a in c["aliases"])  # no tickers


def test_seed_places(seed: dict) -> None:
    cities = {c["name"]: c for c in seed["cities"]}
    assert {"Mexico City", "Guadalajara", "Monterrey", "Zapopan"} <= set(cities)
    assert not set(cities) & {"San Francisco", "Santa Clara", "Cairo", "Mexico", "México"}
    assert cities["Guadalajara"]["state"] == "Jalisco"
    assert cities["Mexico City"]["state"] == "Ciudad de México"
    assert cities["Monterrey"]["state"] == "Nuevo León"
    assert abs(cities["Guadalajara"]["lat"] - 20.67) < 0.1 and abs(cities["Guadalajara"]["lon"] + 103.35) < 0.1
    # the title says "Mexico"; neither the country nor the title's words are a city
    assert cities["Guadalajara"]["mentions"] >= 7
    assert "Jalisco" in names(seed["states"])
    assert not names(seed["states"]) & {"Mexico", "México", "California"}


def test_seed_job_counts(seed: dict) -> None:
    wize = find_count(seed, 260, company="Wizeline", unit="employees", kind="existing", approx=False)
    assert wize["city"] is None  # "260 employees in Mexico City and Guadalajara": two states, no one place
    daksha = find_count(seed, 250, value_max=300, company="Daksha Consulting", unit="workers",
                        city="Guadalajara", state="Jalisco")
    assert daksha["kind"] in {"planned", "new"}
    find_count(seed, 100, company="Facebook", approx=True, kind="existing", unit="employees")
    find_count(seed, 100, company="Oracle", approx=True, kind="planned", unit="jobs", state="Jalisco")
    find_count(seed, 115000, kind="sector_total", state="Jalisco", company=None, unit="jobs")
    find_count(seed, 105000, kind="sector_total", state="Jalisco", company=None, unit="jobs")
    assert "Wizeline" in wize["evidence"] and "260 employees" in wize["evidence"]


def test_seed_not_job_counts(seed: dict) -> None:
    values = {j["value"] for j in seed["job_counts"]}
    for wrong in (7000, 8000, 600000, 10, 60, 40, 50, 6000, 2017, 2015, 2014, 5, 3, 22):
        assert wrong not in values, wrong
    for j in seed["job_counts"]:
        assert j["kind"] in {"new", "planned", "existing", "sector_total"}
        assert j["kind"] == "sector_total" or j["value"] in {260, 250, 100}


def test_seed_trending_block_never_enters(analyzer: Analyzer) -> None:
    full = SEED.read_text(encoding="utf-8")
    trending = full[full.index("Trending News on PVDN"):]
    result = analyzer.analyze(ArticleInput(text=trending))
    assert result["relevant"] is False


# --- hand-written cases, English and Spanish -------------------------------------------------------

CASES = [
    # (title, text, expected relevant, expected companies, cities, job counts [(value, value_max, unit, kind)])
    ("Foxconn abrirá planta en Nuevo León",
     "La taiwanesa Foxconn invertirá 500 millones de dólares y abrirá una planta de 20,000 metros cuadrados "
     "que generará 1.200 empleos directos en Apodaca, Nuevo León, informó la Secretaría de Economía.",
     True, {"Foxconn"}, {"Apodaca"}, [(1200, None, "jobs", "new")]),
    (None,
     "Wizeline anunció su expansión en México. La empresa contratará a cerca de mil ingenieros en Guadalajara.",
     None, {"Wizeline"}, {"Guadalajara"}, [(1000, None, "engineers", "new")]),
    (None,
     "Globant plans to hire 500 engineers in Bogotá, the Argentine software company said on Tuesday.",
     False, {"Globant"}, set(), [(500, None, "engineers", "planned")]),
    ("Hurricane hits Jalisco coast",
     "A powerful hurricane hit the coast of Jalisco on Monday, forcing thousands of residents of Puerto "
     "Vallarta to evacuate.",
     False, set(), {"Puerto Vallarta"}, []),
    (None,
     "El Tecnológico de Monterrey graduó a 3,000 estudiantes de ingeniería este año.",
     False, set(), set(), []),
    (None,
     "La economía de Jalisco creció 8.8% en el primer trimestre, según el INEGI.",
     False, set(), set(), []),
    (None,
     "Oracle anunció que invertirá en un nuevo centro de datos en Querétaro, que tendrá entre 250 y 300 "
     "empleados. La compañía ya cuenta con más de 2 mil colaboradores en el país.",
     True, {"Oracle"}, {"Querétaro"}, [(250, 300, "employees", None), (2000, None, "employees", "existing")]),
    ("TCS expands in Mexico",
     "Tata Consultancy Services (TCS) will open a delivery center in Querétaro state that could bring "
     "hundreds of jobs; the company already employs 6,000 people in Mexico.",
     True, {"Tata Consultancy Services"}, set(), [(100, None, "jobs", "planned"),
                                                 (6000, None, "employees", "existing")]),
    (None,
     "Softtek, con sede en Monterrey, tiene alrededor de 15 000 empleados y planea sumar miles de puestos "
     "de trabajo en CDMX y Edomex.",
     True, {"Softtek"}, {"Monterrey", "Mexico City"}, [(15000, None, "employees", "existing"),
                                                       (1000, None, "jobs", "planned")]),
    (None,
     "Amazon Web Services invertirá 5,000 millones de dólares en Querétaro y creará alrededor de siete mil "
     "empleos.",
     True, {"Amazon"}, {"Querétaro"}, [(7000, None, "jobs", "new")]),
    (None,
     "Walmart de México abrirá 100 nuevas tiendas en Jalisco este año.",
     False, set(), set(), []),
    (None,
     "HCL Technologies opened a new campus in Guadalajara with 6.000 employees, and Jabil hired 250-300 "
     "technicians in Chihuahua.",
     True, {"HCLTech", "Jabil"}, {"Guadalajara", "Chihuahua"}, [(6000, None, "employees", "new")]),
    (None,
     "Universities in Nuevo León graduate between 7,000 and 8,000 engineers each year, and the WeWork "
     "space in Monterrey serves 6,000 workers.",
     None, {"WeWork"}, {"Monterrey"}, []),
    (None,
     "Intel's design center in Zapopan, Jalisco employs close to 2,000 engineers, and more than 60 "
     "startups opened offices in the state, which counts 5% more tech workers than in 2022.",
     True, {"Intel"}, {"Zapopan"}, [(2000, None, "engineers", "existing")]),
]


@pytest.mark.parametrize(("title", "text", "relevant", "companies", "cities", "counts"), CASES)
def test_handwritten(analyzer: Analyzer, title: str | None, text: str, relevant: bool | None,
                     companies: set[str], cities: set[str], counts: list[tuple]) -> None:
    result = analyzer.analyze(ArticleInput(text=text, title=title))
    if relevant is not None:
        assert result["relevant"] is relevant, result["relevance"]
    assert companies <= names(result["companies"])
    assert names(result["cities"]) == cities or cities and cities <= names(result["cities"])
    got = [(j["value"], j["value_max"], j["unit"], j["kind"]) for j in result["job_counts"]]
    assert len(got) == len(counts), got
    for (value, value_max, unit, kind), row in zip(counts, got, strict=True):
        assert row[:3] == (value, value_max, unit), got
        if kind is not None:
            assert row[3] == kind, got


def test_job_count_links_company_and_place(analyzer: Analyzer) -> None:
    result = analyzer.analyze(ArticleInput(text=(
        "Daksha Consulting tiene oficinas en Zapopan.\n\n"
        "La empresa contratará a cerca de mil ingenieros en Guadalajara, Jalisco.")))
    (row,) = result["job_counts"]
    assert (row["value"], row["approx"], row["unit"]) == (1000, True, "engineers")
    assert (row["company"], row["city"], row["state"]) == ("Daksha Consulting", "Guadalajara", "Jalisco")
    assert row["evidence"] == "La empresa contratará a cerca de mil ingenieros en Guadalajara, Jalisco."


def test_city_state_disambiguation(analyzer: Analyzer) -> None:
    result = analyzer.analyze(ArticleInput(text=(
        "Intel will expand in the state of Querétaro and in Chihuahua City. Mexico City and the State of "
        "Mexico lead hiring, while San Luis Potosí grows.")))
    cities = {c["name"]: c["state"] for c in result["cities"]}
    assert cities == {"Chihuahua": "Chihuahua", "Mexico City": "Ciudad de México",
                      "San Luis Potosí": "San Luis Potosí"}
    assert names(result["states"]) == {"Querétaro", "Estado de México"}


def test_aliases_and_accents(analyzer: Analyzer) -> None:
    result = analyzer.analyze(ArticleInput(text=(
        "Kio Networks abrió un centro de datos en Queretaro; AWS y Amazon.com también invierten en "
        "CDMX, GDL y MTY."), lang="es"))
    assert {c["name"] for c in result["cities"]} == {"Querétaro", "Mexico City", "Guadalajara", "Monterrey"}
    amazon = next(c for c in result["companies"] if c["name"] == "Amazon")
    assert amazon["mentions"] == 2 and set(amazon["aliases"]) == {"AWS", "Amazon.com"}


# --- batches, language, names ----------------------------------------------------------------------

def test_analyze_many_keeps_order_over_mixed_languages(analyzer: Analyzer) -> None:
    texts = [
        ("Oracle abrirá oficinas en Guadalajara y contratará 300 ingenieros.", "es"),
        ("Jabil will hire 1,500 workers at its plant in Chihuahua City.", "en"),
        ("Softtek contratará 200 desarrolladores en Monterrey.", "es"),
        ("Globant opened an office in Mérida, Yucatán with 120 engineers.", "en"),
        ("Intel invertirá en Jalisco y creará 400 empleos.", None),
    ]
    articles = [ArticleInput(text=t, lang=lang, url=f"https://example.com/{i}") for i, (t, lang) in
                enumerate(texts)]
    results = list(analyzer.analyze_many(articles))
    assert [r["url"] for r in results] == [a.url for a in articles]
    assert [r["lang"] for r in results] == ["es", "en", "es", "en", "es"]
    assert [r["job_counts"][0]["value"] for r in results] == [300, 1500, 200, 120, 400]
    assert [r["companies"][0]["name"] for r in results] == ["Oracle", "Jabil", "Softtek", "Globant", "Intel"]
    assert results[0] == analyzer.analyze(articles[0])


def test_language_detection_and_hint() -> None:
    assert detect_language("La empresa contratará a cerca de mil ingenieros en Guadalajara.") == "es"
    assert detect_language("The company will hire about a thousand engineers in Guadalajara.") == "en"
    assert detect_language("The company will hire engineers.", "es-MX") == "es"
    assert detect_language("La empresa contratará ingenieros.", "fr") == "es"
    assert detect_language("") == "en"


@pytest.mark.parametrize(("raw", "name"), [
    ("Amazon.com Inc (AMZN.O)", "Amazon.com"),
    ("Oracle Corp", "Oracle"),
    ("Sanmina Corp.", "Sanmina"),
    ("Grupo Bimbo S.A.B. de C.V.", "Grupo Bimbo"),
    ("Softtek S.A. de C.V.", "Softtek"),
    ("Facebook's", "Facebook"),
    ("the Wizeline Inc", "Wizeline"),
])
def test_normalize_org_name(raw: str, name: str) -> None:
    assert normalize_org_name(raw) == name


def test_headline_count_restated_in_body_is_one_announcement(analyzer: Analyzer) -> None:
    result = analyzer.analyze(ArticleInput(
        title="Oracle ampliará su centro en Zapopan; prevé 600 empleos",
        text="Oracle ampliará su centro de desarrollo de software en Zapopan, Jalisco, donde prevé crear 600 "
             "empleos en los próximos dos años, informó la empresa. La compañía ya emplea a 2 mil personas "
             "en el estado.",
    ))
    six_hundred = [j for j in result["job_counts"] if j["value"] == 600]
    assert len(six_hundred) == 1, result["job_counts"]
    assert six_hundred[0]["evidence"].startswith("Oracle ampliará su centro de desarrollo de software")


# --- Mexican number style, recaps of earlier announcements -----------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Wizeline celebró una década en México con una plantilla de mil 500 colaboradores.", [(1500, None)]),
    ("La empresa Softtek tiene 2 mil 300 empleados en Monterrey.", [(2300, None)]),
    ("Intel creará mil 200 empleos en Jalisco.", [(1200, None)]),
    ("Intel contratará dos mil 300 ingenieros en Jalisco.", [(2300, None)]),
    ("Intel contratará entre mil 200 y mil 500 ingenieros en Jalisco.", [(1200, 1500)]),
    ("Intel creará mil empleos en Jalisco.", [(1000, None)]),
    ("Intel ya tiene 2 mil ingenieros en Jalisco.", [(2000, None)]),
    ("Intel generará miles de empleos en Jalisco.", [(1000, None)]),
    ("Intel invertirá mil 500 millones de pesos en Jalisco.", []),
    ("Intel invertirá 2 mil 500 millones de dólares en Jalisco y creará 300 empleos.", [(300, None)]),
])
def test_spanish_thousands_written_mil_and_digits(analyzer: Analyzer, text: str, expected: list[tuple]) -> None:
    result = analyzer.analyze(ArticleInput(text=text, lang="es"))
    assert [(j["value"], j["value_max"]) for j in result["job_counts"]] == expected, result["job_counts"]


def test_recap_of_an_earlier_plan_keeps_the_company(analyzer: Analyzer) -> None:
    # A 2023 follow-up recalls the 2017 announcement through "the software company" and "the state".
    result = analyzer.analyze(ArticleInput(
        text="Oracle Corp now has about 2,500 employees at its campus in Zapopan, the company said on Tuesday.\n\n"
             "Six years ago, Jalisco officials said the software company planned to expand in the state, possibly "
             "bringing hundreds of jobs. Six years ago, Oracle said it planned to expand in Jalisco, possibly "
             "bringing hundreds of jobs. Local officials said they expect the new building to bring hundreds of "
             "jobs to the state.",
        published=datetime(2023, 6, 20, tzinfo=UTC)))
    recaps = [j for j in result["job_counts"] if j["value"] == 100]
    assert len(recaps) == 3, result["job_counts"]
    for row in recaps:
        assert (row["company"], row["kind"], row["approx"]) == ("Oracle", "planned", True), row
    assert recaps[0]["state"] == "Jalisco"


def test_sector_totals_stay_sector_totals_beside_companies(analyzer: Analyzer) -> None:
    english = analyzer.analyze(ArticleInput(
        text="Oracle now has about 2,500 employees in Zapopan.\n\n"
             "Jalisco's technology industry employs about 140,000 workers, according to the state's innovation "
             "secretariat, up from 115,000 in 2017."))
    find_count(english, 2500, company="Oracle", kind="existing")
    for value in (140000, 115000):
        find_count(english, value, kind="sector_total", company=None, state="Jalisco")
    spanish = analyzer.analyze(ArticleInput(
        text="Jabil invertirá en Ciudad Juárez. En Ciudad Juárez laboran más de 300 mil trabajadores en la "
             "industria maquiladora de exportación, de acuerdo con el Inegi.", lang="es"))
    find_count(spanish, 300000, kind="sector_total", company=None)


def test_long_streams_do_not_grow_the_string_store() -> None:
    # Each item names a company never seen before: without a memory zone every name (and number) would stay
    # interned in the vocab for the life of the process.
    from mxwatch.demo_site.generated import short_texts
    from mxwatch.pipelines.nlp import get_nlp

    analyzer = Analyzer()

    def run(start: int) -> list[dict]:
        items = [ArticleInput(text=text, lang=lang) for lang, text in short_texts(120, start=start)]
        return list(analyzer.analyze_many(items))

    run(0)
    sizes = {lang: len(get_nlp(lang).vocab.strings) for lang in ("en", "es")}
    results = run(10_000)
    assert {lang: len(get_nlp(lang).vocab.strings) for lang in ("en", "es")} == sizes
    # Freed strings are not needed later: the same items give the same analyses again, new names included.
    assert run(10_000) == results
    leads = [r["text"].split(" Systems ")[0] + " Systems" for r in results]
    found = sum(lead in {c["name"] for c in r["companies"]} for lead, r in zip(leads, results, strict=True))
    assert found >= 0.9 * len(results)
