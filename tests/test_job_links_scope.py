"""Job counts: what a place near a count says about it (hand-written en/es cases).

"Most of them in X" is a share, not the count's place; "its first outside X", "a X-based firm", "on the
outskirts of X" and "its first in Latin America" name no site; a facility abroad or a purpose ("to serve
clients in the United States") does not unplace a count; in the sentence that names an indirect count "in
the state", the direct jobs stay at the facility; "the company" in a round-up is the company just named.
"""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput


def places(analyzer: Analyzer, text: str, lang: str) -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [(j["value"], j["city"], j["state"]) for j in result["job_counts"]]


def companies(analyzer: Analyzer, text: str, lang: str) -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [(j["value"], j["company"]) for j in result["job_counts"]]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a share of a headcount: the headcount is unplaced
    ("es", "Wizeline cerró una ronda de inversión. Hoy Wizeline tiene 300 colaboradores, la mayoría en Monterrey.",
     [(300, None, None)]),
    ("en", "Globant has 400 employees, most of them in Guadalajara.", [(400, None, None)]),
    ("es", "Globant tiene su sede en Monterrey, donde trabaja la mayor parte de sus cerca de 900 empleados.",
     [(900, None, None)]),
    ("en", "Oracle employs about 700 people, mostly in a new office in León.", [(700, None, None)]),
    ("es", "Wizeline contratará a 100 ingenieros en Guadalajara. Hoy Wizeline tiene 210 colaboradores, la mayoría "
           "en la Ciudad de México.", [(100, "Guadalajara", "Jalisco"), (210, None, None)]),
    # a share of the kind of people is no share of the place
    ("es", "Wizeline contratará a 300 personas, principalmente ingenieros, en Guadalajara.",
     [(300, "Guadalajara", "Jalisco")]),
    ("en", "Globant will hire 300 people, mostly engineers, in Guadalajara.", [(300, "Guadalajara", "Jalisco")]),
    # ... and a place in a clause of its own still places a count
    ("es", "Intel contratará a 300 ingenieros en Zapopan; la mayoría de sus empleados trabaja en Tlaquepaque.",
     [(300, "Zapopan", "Jalisco")]),
])
def test_share_of_a_headcount_is_no_place(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Intel abrirá en Zapopan un centro de diseño, el primero de la compañía en América Latina, donde "
           "trabajarán 80 ingenieros.", [(80, "Zapopan", "Jalisco")]),
    ("es", "Globant abrirá una oficina en Puebla, su primera fuera de Monterrey, donde contratará a 60 "
           "desarrolladores.", [(60, "Puebla", "Puebla")]),
    ("en", "Globant will open an office in Puebla, its first outside Monterrey, where it will hire 60 developers.",
     [(60, "Puebla", "Puebla")]),
    ("en", "Softtek, a Monterrey-based software maker, has opened an office in Austin, Texas, and plans to hire "
           "60 engineers there.", [(60, None, None)]),
    ("en", "Globant, a Buenos Aires-based firm, will expand in Mexico City. The Guadalajara-based team will start "
           "with 60 developers in March.", [(60, "Guadalajara", "Jalisco")]),
    ("en", "Jabil will close its plant in El Salto, on the outskirts of Guadalajara, eliminating about 600 jobs.",
     [(600, "El Salto", "Jalisco")]),
    ("es", "Jabil cerrará su planta en El Salto, a las afueras de Guadalajara, lo que eliminará unos 600 empleos.",
     [(600, "El Salto", "Jalisco")]),
])
def test_places_that_are_no_site(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Infosys will open a delivery centre in Mérida, Mexico, and hire 200 engineers there to serve clients "
           "in the United States.", [(200, "Mérida", "Yucatán")]),
    ("es", "Infosys abrirá un centro en Mérida, Yucatán, y contratará a 200 ingenieros para atender a clientes en "
           "Estados Unidos.", [(200, "Mérida", "Yucatán")]),
    ("en", "Foxconn will move three lines to a plant in Apodaca, Nuevo León. Foxconn will also hire 60 engineers "
           "locally or transfer them from China.", [(60, "Apodaca", "Nuevo León")]),
    ("es", "Foxconn construirá una planta en Silao, Guanajuato. La planta de Foxconn en Busan, Corea del Sur, "
           "tiene mil 300 empleados.", [(1300, None, None)]),
    ("es", "Intel abrirá un centro en Zapopan. El centro, ubicado en la colonia Providencia, comenzará con 35 "
           "ingenieros.", [(35, "Zapopan", "Jalisco")]),
    ("es", "Las remesas cayeron. Los estados que más recibieron fueron Michoacán, Jalisco y Guanajuato. Los analistas "
           "lo atribuyen al menor empleo en la construcción en Estados Unidos, donde, según la oficina de "
           "estadísticas, el sector eliminó 22 mil empleos en el mes.", [(22000, None, None)]),
])
def test_abroad_or_not(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Oracle construirá un campus en Apodaca, Nuevo León. El campus generará 180 empleos directos y otros "
           "600 indirectos en la entidad.", [(180, "Apodaca", "Nuevo León"), (600, None, "Nuevo León")]),
    ("en", "Oracle will build a campus in Apodaca, Nuevo León. The campus will create 180 direct jobs and another "
           "600 indirect jobs in the state.", [(180, "Apodaca", "Nuevo León"), (600, None, "Nuevo León")]),
    ("es", "Jabil ampliará su planta en El Salto, Jalisco. La ampliación generará 400 empleos directos y cerca de "
           "mil 200 indirectos en el estado. La planta emplea actualmente a 900 trabajadores.",
     [(400, "El Salto", "Jalisco"), (1200, None, "Jalisco"), (900, "El Salto", "Jalisco")]),
])
def test_indirect_jobs_in_the_state(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Estos son los movimientos de la semana.\n\nJabil suma personal en Guadalajara. La estadounidense "
           "contratará 700 trabajadores en su planta de Guadalajara.\n\nKyndryl abre centro. La empresa inauguró "
           "en Puebla un centro con 120 ingenieros.", [(700, "Jabil"), (120, "Kyndryl")]),
    ("en", "Here are the week's moves.\n\nJabil adds staff in Guadalajara. The company will hire 700 workers "
           "at its plant.\n\nKyndryl opens a centre. The company opened a centre in Puebla with 120 engineers.",
     [(700, "Jabil"), (120, "Kyndryl")]),
])
def test_round_up_company_just_named(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert companies(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Exports rose 12%. Formal employment registered with the IMSS reached 2.1 million jobs, and Flex "
           "said it would expand its campus."),
    ("es", "Flex ampliará su campus. En el estado, el empleo formal registrado ante el IMSS llegó a 850 mil "
           "puestos en marzo."),
])
def test_formal_employment_is_a_sector_total(analyzer: Analyzer, lang: str, text: str) -> None:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    assert [(j["kind"], j["company"]) for j in result["job_counts"]] == [("sector_total", None)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # nouns of one phrase joined by "and"/"y" before the place: the place is the count's
    ("es", "Wizeline contratará a 120 ingenieros de software y científicos de datos en Guadalajara.",
     [(120, "Guadalajara", "Jalisco")]),
    ("en", "Oracle will keep a 25-person sales and support office in Zapopan.", [(25, "Zapopan", "Jalisco")]),
    # ... not a clause of its own
    ("es", "Wizeline contratará a 120 ingenieros y abrirá una oficina en Guadalajara.", [(120, None, None)]),
    ("en", "Oracle has 300 employees and the new office is in Zapopan.", [(300, None, None)]),
    ("es", "Globant, con sede en Buenos Aires, tiene 1,900 empleados y una oficina comercial en Querétaro.",
     [(1900, None, None)]),
    # "work from" is a site; "El cierre" is the facility's
    ("en", "Oracle's 90 engineers work from Monterrey today.", [(90, "Monterrey", "Nuevo León")]),
    ("es", "Jabil cerrará su planta en Reynosa y trasladará la producción a Vietnam. El cierre dejará sin empleo a "
           "900 trabajadores.", [(900, "Reynosa", "Tamaulipas")]),
])
def test_noun_phrases_and_sites(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a total of "the city", "el municipio", "local": the city named before
    ("en", "Foxconn will expand its plant in Reynosa. The local association says the city's factories employ "
           "roughly 140,000 people.", [(140000, "Reynosa", "Tamaulipas")]),
    ("es", "La huelga estalló en Matamoros, Tamaulipas. En 2019, un paro similar paralizó a 45 maquiladoras de "
           "la ciudad y afectó a unos 70 mil trabajadores.", [(70000, "Matamoros", "Tamaulipas")]),
    ("es", "Once empresas chinas se instalan en Apodaca, Nuevo León, y el municipio hoy concentra unos 20 mil "
           "empleos manufactureros.", [(20000, "Apodaca", "Nuevo León")]),
    # ... and "el estado" the state
    ("es", "Foxconn abrirá una planta en Hermosillo, Sonora. De acuerdo con el IMSS, el estado registró 28 mil "
           "empleos formales nuevos en el semestre.", [(28000, None, "Sonora")]),
])
def test_totals_of_the_city(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Aptiv ampliará su planta en Ciudad Juárez, Chihuahua. Aptiv, que opera varias plantas en la ciudad, "
           "anunció que prevé contratar a 2 mil personas este año.", [(2000, "Ciudad Juárez", "Chihuahua")]),
    ("es", "Infosys abrirá un centro en Morelia, Michoacán. Infosys, con sede en Bangalore, iniciará operaciones en "
           "abril con 40 ingenieros en un edificio del centro de la ciudad.", [(40, "Morelia", "Michoacán")]),
])
def test_the_city_before_or_after(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a neighbourhood is not abroad
    ("en", "Capgemini employs people across Mexico. In the Mexican capital, Capgemini will also move its 1,500 staff "
           "to a new office in Polanco in 2026.", [(1500, "Mexico City", "Ciudad de México")]),
    # a "local" company is in the story's city
    ("en", "Siemens will open a plant in Saltillo, Coahuila. Siemens will work with the local integrator Automatiza, "
           "which employs 85 people.", [(85, "Saltillo", "Coahuila")]),
    ("es", "Foxconn abrirá una planta en Ciudad Juárez, Chihuahua. Comprará empaques a la empresa local Cartonera "
           "del Norte, que dijo que abrirá 50 plazas.", [(50, "Ciudad Juárez", "Chihuahua")]),
])
def test_neighbourhoods_and_local_firms(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Coppel sufrió un ataque en Culiacán, Sinaloa. La empresa, con sede en esta ciudad, emplea a más de 120 mil "
           "colaboradores.", [(120000, None, None)]),
    ("es", "Kueski abrirá una oficina en Monterrey. La compañía, fundada en 2019 en Guadalajara, tiene hoy 350 "
           "colaboradores.", [(350, None, None)]),
    ("es", "Globant abrirá un centro en Bogotá que atenderá a clientes de Guadalajara. El centro colombiano "
           "comenzará con 200 ingenieros en enero.", [(200, None, None)]),
])
def test_seats_foundings_and_foreign_facilities(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a possessive facility is the facility; an industrial park is no place abroad
    ("en", "A blackout hit Tijuana, Baja California, on Monday. Samsung's television plant, which employs about "
           "7,000 workers, sent most of its staff home.", [(7000, "Tijuana", "Baja California")]),
    ("es", "Foxconn abrirá una planta en Apodaca, Nuevo León. La planta, en el parque industrial Stiva Aeropuerto, "
           "empleará a 900 personas.", [(900, "Apodaca", "Nuevo León")]),
])
def test_possessive_facilities_and_parks(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert places(analyzer, text, lang) == expected
