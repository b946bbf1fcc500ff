"""Relevance: kinds of stories a blind set (dev10) showed misread, each with sentences written here (fictional
companies and events)."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer
from tests.test_relevance import _features, _score

# --- "X over Mexico": the runner-up of a site search is not the site --------------------------------------------

@pytest.mark.parametrize(("lang", "title", "text"), [
    ("en", "Software firm picks Lima for its next hub",
     "Norvale Software will open a development hub in Lima, Peru, and hire 300 engineers, after a site search in "
     "which Monterrey was the other finalist."),
    ("es", "Firma de software elige Santiago para su nuevo centro",
     "La firma de software Norvale abrirá un centro de desarrollo en Santiago, Chile, con 300 ingenieros; "
     "Querétaro quedó en segundo lugar en la búsqueda."),
])
def test_the_runner_up_is_not_the_site(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["ev_mx"] == 0.0 and f["exp_mexico"] == 0.0
    assert f["lede_exp_foreign"] == 1.0


def test_the_chosen_mexican_site_still_counts(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Software firm picks Monterrey",
                  "Norvale Software will open a development hub in Monterrey and hire 300 engineers; Lima was the "
                  "other finalist.")
    assert f["ev_mx"] > 0.5


# --- an acquisition is an expansion; a deal's closing and antitrust approval are no closure or fine ---------------

@pytest.mark.parametrize(("lang", "title", "text"), [
    ("en", "Cloud firm buys Mérida software shop",
     "Aldara Cloud has agreed to acquire Pixelmar, a Mérida software company with 90 developers, and plans to add "
     "another 50 there. The deal is expected to close in the fourth quarter, pending approval from Mexico's "
     "antitrust authority."),
    ("es", "Firma de nube compra desarrolladora de Mérida",
     "Aldara Cloud anunció la adquisición de Pixelmar, una desarrolladora de software de Mérida, Yucatán, que emplea "
     "a 90 programadores. "
     "El cierre de la transacción se espera para el cuarto trimestre."),
])
def test_an_acquisition_is_an_expansion_and_its_closing_no_contraction(analyzer: Analyzer, lang: str, title: str,
                                                                       text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["contraction"] == 0.0
    assert f["ev_mx"] > 0.5


@pytest.mark.parametrize(("title", "text"), [
    ("Electronics maker to close Reynosa plant", "Vantor Electronics will close its Reynosa plant next year, the "
     "company said."),
    ("Competition watchdog fines cloud provider", "Mexico's antitrust authority fined Aldara Cloud 300 million pesos "
     "over its contracts with banks in Monterrey."),
])
def test_closures_and_fines_are_still_contractions(analyzer: Analyzer, title: str, text: str) -> None:
    f = _features(analyzer, "en", title, text)
    assert f["contraction"] > 0.5 and f["head_contraction"] == 1.0


# --- a place "in which to hire" is a possibility, no company's event (rankings of cities) -------------------------

def test_a_ranking_of_places_to_hire_is_no_event(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Monterrey tops ranking of cities for software talent",
                  "Monterrey is the best city in Latin America in which to hire software engineers, according to a "
                  "ranking published by a consultancy on Tuesday.")
    assert f["ev_mx"] == 0.0 and f["exp_mexico"] == 0.0
    assert f["head_non_event"] == 1.0
    g = _features(analyzer, "es", "Ranking de ciudades para invertir en software",
                  "Un estudio explica dónde contratar ingenieros de software en México; Guadalajara encabeza el "
                  "ranking.")
    assert g["ev_mx"] == 0.0


# --- donations, charity: a story type of its own; "would not involve hiring" denies the hiring --------------------

@pytest.mark.parametrize(("lang", "title", "text"), [
    ("en", "Laptop maker donates 2,000 computers to Chiapas schools",
     "Korvo Electronics will donate 2,000 laptops to public schools in Tuxtla Gutiérrez and equip a computer lab, "
     "the company said. The programme would not involve hiring in Mexico."),
    ("es", "Fabricante de computadoras dona 2 mil equipos a escuelas de Chiapas",
     "Korvo Electronics donará 2 mil computadoras portátiles a escuelas públicas de Tuxtla Gutiérrez y equipará un "
     "laboratorio de cómputo, informó la empresa. El programa no implicará contrataciones en México."),
])
def test_a_donation_is_no_expansion(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["head_non_event"] == 1.0
    assert f["ev_mx"] == 0.0
    assert _score(analyzer, lang, title, text) < 0.5


def test_a_company_that_opens_a_centre_and_donates_is_still_an_expansion(analyzer: Analyzer) -> None:
    # the lede states the company's event: the donation in the headline does not turn it into another story
    f = _features(analyzer, "en", "Korvo opens Guadalajara software centre, donates laptops to schools",
                  "Korvo Electronics opened a software development centre in Guadalajara with 200 engineers and "
                  "donated 500 laptops to local schools, the company said.")
    assert f["head_non_event"] == 0.0 and f["ev_mx"] > 0.5


# --- natural disasters that stop plants: disruption, not expansion --------------------------------------------------

@pytest.mark.parametrize(("lang", "title", "text"), [
    ("en", "Floods halt electronics plants in Matamoros",
     "At least eight electronics assembly plants in Matamoros suspended operations on Monday after floods cut off "
     "two industrial parks, the local maquiladora association said."),
    ("es", "Inundaciones paran plantas electrónicas en Matamoros",
     "Al menos ocho plantas de ensamble electrónico de Matamoros suspendieron operaciones este lunes luego de que "
     "las lluvias inundaron dos parques industriales, informó la asociación de maquiladoras."),
])
def test_plants_stopped_by_a_disaster_are_no_expansion(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["ev_mx"] == 0.0 and f["exp_mexico"] == 0.0  # "operations" inside "suspended operations" is no event
    assert f["head_contraction"] == 1.0 and f["head_non_event"] == 1.0
    assert _score(analyzer, lang, title, text) < 0.5


# --- a government's decree or plan states no company's expansion ---------------------------------------------------

def test_a_decree_in_the_lede_is_no_company_event(analyzer: Analyzer) -> None:
    f = _features(analyzer, "es", "Gobierno publica decreto para polo de semiconductores en Sinaloa",
                  "El gobierno federal publicó el decreto para crear un polo de desarrollo en Culiacán, Sinaloa, "
                  "orientado a la fabricación de semiconductores, con estímulos fiscales por diez años.")
    assert f["head_non_event"] == 1.0
    g = _features(analyzer, "es", "Gobierno publica decreto; Vantor abrirá planta de chips en Culiacán",
                  "Vantor Electronics abrirá una planta de semiconductores en Culiacán, Sinaloa, con 400 empleos, "
                  "tras el decreto publicado por el gobierno federal.")
    assert g["head_non_event"] == 0.0


# --- other industries: agencies named after one, companies described as one, steel and theme parks ---------------

def test_an_agency_named_after_an_industry_is_not_that_industry(analyzer: Analyzer) -> None:
    text = ("Vantor Electronics opened a plant in Chihuahua that assembles circuit boards for insulin pumps under US "
            "Food and Drug Administration rules, and has hired 400 workers.")
    assert _features(analyzer, "en", "Electronics maker opens Chihuahua plant", text)["rule"] > 0.3


@pytest.mark.parametrize(("lang", "title", "text"), [
    ("en", "Avocado packer Huerta Verde adds AI sorting in Uruapan",
     "Avocado packer Huerta Verde opened a packing house in Uruapan with machine learning sorting machines."),
    ("en", "Carmaker retools Silao plant with AI quality checks",
     "Norte Motors will invest $500 million to retool its Silao plant with AI quality checks and a software lab, "
     "the automaker said."),
    ("es", "Siderúrgica invertirá en nueva línea en Monclova",
     "La siderúrgica Aceros Norte construirá una línea de laminado en Monclova, Coahuila, con 500 empleos."),
    ("es", "Grupo Selva construirá parque ecoturístico en Tulum",
     "Grupo Selva invertirá 3 mil millones de pesos en un parque ecoturístico en Tulum que generará 900 empleos "
     "y contará con una aplicación de reservaciones."),
])
def test_a_lede_about_another_industry(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    assert _features(analyzer, lang, title, text)["lede_non_tech"] == 1.0


def test_a_carmakers_software_centre_is_tech(analyzer: Analyzer) -> None:
    # named by its industry, but what it opens is a tech site
    f = _features(analyzer, "en", "Carmaker Norte Motors opens Guadalajara software centre",
                  "Carmaker Norte Motors opened a software development centre in Guadalajara that will employ 400 "
                  "engineers, the automaker said.")
    assert f["lede_non_tech"] == 0.0 and f["ev_mx"] > 0.5


def test_tech_for_another_industry_is_still_tech(analyzer: Analyzer) -> None:
    # the other industry is the customer, not the company: a tech lede
    f = _features(analyzer, "es", "Firma de robótica abre centro en León",
                  "La estadounidense Kora Robotics, que diseña software de visión para la industria automotriz, "
                  "abrirá en León, Guanajuato, un centro de ingeniería con 120 ingenieros.")
    assert f["lede_non_tech"] == 0.0 and f["ev_mx"] > 0.5


@pytest.mark.parametrize(("lang", "title", "text"), [
    ("es", "Cadena abrirá 20 tiendas y contratará 600 vendedores",
     "La cadena de tiendas de electrónica Megavolt abrirá 20 sucursales en Jalisco y contratará a 600 vendedores."),
    ("en", "Retailer to open 20 stores, hire 600",
     "Megavolt, an electronics retailer, will open 20 stores in Jalisco and hire 600 sales staff."),
])
def test_a_chain_of_electronics_stores_is_retail(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["ev_mx"] == 0.0 and f["lede_non_tech"] == 1.0


@pytest.mark.parametrize(("lang", "title", "text"), [
    ("en", "Nearshoring boom passes Oaxaca by",
     "Oaxaca has attracted none of the electronics plants that opened in northern Mexico, and no tech company has "
     "announced an investment in the state, economists said."),
    ("es", "El auge de la relocalización no llega a Oaxaca",
     "La planta de semiconductores anunciada en Oaxaca en 2023 nunca se concretó, y ninguna compañía de tecnología "
     "ha invertido en el estado, dijeron economistas."),
])
def test_investment_that_never_came_is_no_event(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["ev_mx"] == 0.0 and f["head_non_event"] == 1.0
