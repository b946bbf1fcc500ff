"""Places a text gives without naming them, as the place of a job count: demonyms ("la planta tapatía"),
descriptions ("la capital del país", "la Sultana del Norte", "the Mexican capital") and pairs ("ambas
ciudades", "both cities"); and headquarters cities beside national headcounts. Hand-written sentences (none
copied from a development set), run through the real analyzer."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput


def counts(analyzer: Analyzer, text: str, lang: str = "es") -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, lang=lang))
    return [(j["value"], j["city"], j["state"]) for j in result["job_counts"]]


def places(analyzer: Analyzer, text: str, lang: str = "es") -> tuple[set[str], set[str]]:
    result = analyzer.analyze(ArticleInput(text=text, lang=lang))
    return {c["name"] for c in result["cities"]}, {s["name"] for s in result["states"]}


@pytest.mark.parametrize(("text", "expected"), [
    # a city's demonym after a facility noun is that city, whatever was named last
    ("Vantor ampliará su complejo de Guadalajara y abrirá una nave en El Salto. "
     "La planta tapatía contratará a 500 operarios el próximo año.", (500, "Guadalajara", "Jalisco")),
    ("Kestro tiene oficinas en Saltillo y en la Ciudad de México. "
     "El equipo regiomontano de la firma suma 140 ingenieros.", (140, "Monterrey", "Nuevo León")),
    ("Quorra abrió un centro en Puebla. En sus oficinas capitalinas trabajan 320 personas.",
     (320, "Mexico City", "Ciudad de México")),
    # a noun left out after the demonym: "la tijuanense"
    ("Norlux ampliará sus plantas de Mexicali y Tijuana: la mexicalense sumará 300 trabajadores y la "
     "tijuanense contratará a 450 trabajadores.", (450, "Tijuana", "Baja California")),
])
def test_city_demonym_places_the_count(analyzer: Analyzer, text: str, expected: tuple) -> None:
    assert expected in counts(analyzer, text)


@pytest.mark.parametrize(("text", "expected"), [
    # a state's demonym (or one shared by a state and its capital) is the city of that state named before
    ("Telvia construirá una planta en Silao, Guanajuato, y tiene oficinas en Monterrey. "
     "La planta guanajuatense empleará a 900 personas.", (900, "Silao", "Guanajuato")),
    ("Orvex levantará una fábrica en Soledad de Graciano Sánchez, San Luis Potosí, y otra en Saltillo. "
     "La fábrica potosina contratará a 650 trabajadores.", (650, "Soledad de Graciano Sánchez", "San Luis Potosí")),
    # none named: the state
    ("Dataluma invertirá 90 millones de dólares en el Estado de México y opera ya en Querétaro. "
     "El nuevo centro mexiquense empleará a 120 personas.", (120, None, "Estado de México")),
    # after a sector: the state's total
    ("Ferrotec abrirá oficinas en Guadalajara y en Monterrey. "
     "La industria electrónica neoleonesa emplea a 90 mil personas.", (90000, None, "Nuevo León")),
    # a plural over two cities of the state: the state
    ("Arvel tiene plantas en Torreón y en Saltillo. Sus dos naves coahuilenses suman 2 mil 300 trabajadores.",
     (2300, None, "Coahuila")),
])
def test_state_demonym_places_the_count(analyzer: Analyzer, text: str, expected: tuple) -> None:
    assert expected in counts(analyzer, text)


def test_demonym_before_a_company_name_is_its_origin_not_the_site(analyzer: Analyzer) -> None:
    text = "La empresa tapatía Kordia Software abrirá una oficina en Mérida, Yucatán, con 80 programadores."
    assert counts(analyzer, text) == [(80, "Mérida", "Yucatán")]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Finora abrirá una oficina en Monterrey. En la capital del país, la empresa contratará a 240 ingenieros.",
     "es", (240, "Mexico City", "Ciudad de México")),
    ("Finora abrirá una oficina en Monterrey y mantendrá 310 empleados en la capital mexicana.",
     "es", (310, "Mexico City", "Ciudad de México")),
    ("Krento abrió en Zapopan. En la Sultana del Norte la empresa tiene 95 ingenieros.",
     "es", (95, "Monterrey", "Nuevo León")),
    ("Krento abrió en Tijuana. En la Perla Tapatía contratará a 130 desarrolladores.",
     "es", (130, "Guadalajara", "Jalisco")),
    ("Lanford opens an office in Monterrey. It already has 410 employees in the Mexican capital.",
     "en", (410, "Mexico City", "Ciudad de México")),
])
def test_descriptions_place_the_count(analyzer: Analyzer, text: str, lang: str, expected: tuple) -> None:
    assert expected in counts(analyzer, text, lang)


def test_descriptions_and_demonyms_add_no_city(analyzer: Analyzer) -> None:
    cities, states = places(analyzer, "Finora abrirá una oficina en Monterrey y mantendrá 310 empleados en la "
                                      "capital del país y 40 en su oficina tapatía.")
    assert cities == {"Monterrey"} and states == set()


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # two cities of one state: the state
    ("Nexora abrirá centros en Apodaca y en Escobedo y contratará a 800 personas en ambas ciudades.",
     "es", (800, None, "Nuevo León")),
    ("Brandt will open sites in Hermosillo and Nogales, hiring 500 workers in both cities.",
     "en", (500, None, "Sonora")),
    # two states: no place
    ("Nexora abrirá centros en León y en Querétaro. La empresa contratará a 700 personas en ambas ciudades.",
     "es", (700, None, None)),
    # abroad: no place, even with Mexican cities named later
    ("Cadenza contratará a 350 ingenieros en Lima y Quito, repartidos en ambas ciudades. La firma tiene "
     "oficinas en Guadalajara.", "es", (350, None, None)),
])
def test_a_pair_of_places(analyzer: Analyzer, text: str, lang: str, expected: tuple) -> None:
    assert expected in counts(analyzer, text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    # a headquarters city or the company's home demonym does not place a national headcount
    ("La regiomontana Ternix abrirá una planta en Apodaca. Ternix, con sede en Monterrey, emplea a 7 mil "
     "personas en el país.", "es"),
    ("La firma tiene oficinas en Tijuana y en la Ciudad de México, pero no crecerá en México, donde emplea a "
     "unas 2 mil personas.", "es"),
])
def test_national_headcount_has_no_place(analyzer: Analyzer, text: str, lang: str) -> None:
    national = [c for c in counts(analyzer, text, lang) if c[0] in (7000, 2000)]
    assert national == [(national[0][0], None, None)]


def test_state_capital_in_a_list_of_places(analyzer: Analyzer) -> None:
    text = ("Trelko abrirá oficinas en Guadalupe y en Monterrey, Nuevo León. Contratará a 90 personas en Guadalupe "
            "y a 60 personas en la capital del estado.")
    assert (60, "Monterrey", "Nuevo León") in counts(analyzer, text)


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a noun left out across sentences: the unit of the count just before, the place of its own sentence
    ("Orbita tiene 1.800 empleados en el país. En Hermosillo laboran unos 600, en su planta de arneses.",
     "es", (600, "Hermosillo", "Sonora")),
    ("Orbita tiene 1.800 empleados en el país. En su oficina de Colima trabajan otros 45.",
     "es", (45, "Colima", "Colima")),
    ("Velmar's Saltillo plant employs 900 people. Another 250 work at its design centre in Monterrey.",
     "en", (250, "Monterrey", "Nuevo León")),
])
def test_noun_left_out_across_sentences(analyzer: Analyzer, text: str, lang: str, expected: tuple) -> None:
    assert expected in counts(analyzer, text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Orbita tiene 1.800 empleados en el país. En 2025 trabajan 48 horas a la semana.", "es"),
    ("Orbita tiene 1.800 empleados en el país. La planta produce 300 mil arneses al año.", "es"),
    ("Velmar employs 900 people. The plant opened in 2019 and makes 40,000 units.", "en"),
])
def test_no_count_without_a_lead_word(analyzer: Analyzer, text: str, lang: str) -> None:
    assert [c[0] for c in counts(analyzer, text, lang)] == [1800 if lang == "es" else 900]


def test_a_description_in_apposition_restates_the_city(analyzer: Analyzer) -> None:
    text = "Corvan tiene una planta en Durango, la capital del estado, con 420 trabajadores."
    assert counts(analyzer, text) == [(420, "Durango", "Durango")]


def test_demonym_home_in_a_relative_clause_beats_the_story_site(analyzer: Analyzer) -> None:
    text = ("Lumex abrirá un centro en Silao, donde trabajarán 150 ingenieros.\n\n"
            "Competirá con la tapatía Brivo, que tiene cerca de 700 empleados.")
    assert (700, "Guadalajara", "Jalisco") in counts(analyzer, text)


def test_state_demonym_home_is_the_one_city_of_that_state_named(analyzer: Analyzer) -> None:
    text = ("La startup chiapaneca Pakal Datos, que crea software para cafetaleros, tiene 35 programadores. "
            "Tiene su sede en Tuxtla Gutiérrez y abrirá una oficina en Mérida.")
    assert (35, "Tuxtla Gutiérrez", "Chiapas") in counts(analyzer, text)


def test_a_bare_follow_up_hire_takes_the_place_just_given(analyzer: Analyzer) -> None:
    text = ("Norvia ampliará su planta de Ramos Arizpe, donde creará 600 empleos.\n\n"
            "La compañía contratará a 80 ingenieros de manera inmediata, dijo su director.")
    assert (80, "Ramos Arizpe", "Coahuila") in counts(analyzer, text)


def test_a_follow_up_hire_in_an_unknown_region_stays_unplaced(analyzer: Analyzer) -> None:
    text = ("Norvia will open an office in Mérida with 40 developers. "
            "The firm aims to employ 300 people in the south-east by 2028.")
    assert (300, None, None) in counts(analyzer, text, "en")


def test_no_borrowed_unit_beside_another_figure(analyzer: Analyzer) -> None:
    text = ("Tessa plans to hire hundreds of engineers in Mérida. A local incubator expects 12 new startups "
            "this year, with another 40 in the pipeline.")
    assert [c[0] for c in counts(analyzer, text, "en")] == [100]


def test_city_nicknames(analyzer: Analyzer) -> None:
    text = ("Tarvex abrirá una oficina en Toluca. En la Ciudad de los Palacios ya trabajan 210 empleados de la firma "
            "y en la Ciudad de la Eterna Primavera contratará a 75 ingenieros.")
    found = counts(analyzer, text)
    assert (210, "Mexico City", "Ciudad de México") in found and (75, "Cuernavaca", "Morelos") in found
    assert {"Mexico City", "Cuernavaca", "Toluca"} <= places(analyzer, text)[0]


def test_more_after_a_number_borrows_the_unit_before(analyzer: Analyzer) -> None:
    text = ("La coreana Sunhwa emplea a 800 personas en Mexicali. "
            "La empresa contratará a 150 más en la planta mexicalense el próximo año.")
    assert (150, "Mexicali", "Baja California") in counts(analyzer, text)
