"""Job counts: Mexican forms of millions ("un millón 850 mil", "2 millones 300 mil", "un millón de empleos")
and the places of counts (hand-written en/es cases)."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput


def counts(analyzer: Analyzer, text: str, lang: str) -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [(j["value"], j["city"], j["state"]) for j in result["job_counts"]]


def values(analyzer: Analyzer, text: str, lang: str) -> list[int]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [j["value"] for j in result["job_counts"]]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "En el estado, el empleo formal ante el IMSS sumó un millón 850 mil puestos en marzo.", [1850000]),
    ("es", "La meta del programa es crear 2 millones 300 mil empleos formales.", [2300000]),
    ("es", "El IMSS reportó 22 millones 373 mil 528 trabajadores afiliados.", [22373528]),
    ("es", "El plan generaría un millón de empleos en el país.", [1000000]),
    ("es", "La industria prevé 1.2 millones de empleos para 2030.", [1200000]),
    ("es", "Las empresas del sector emplean a unos 2 millones de personas.", [2000000]),
    ("en", "Registered employment stood at 22 million 512,000 jobs in June.", [22512000]),
    ("en", "The plan would create 1.2 million jobs.", [1200000]),
    # money in millions is never a count, and does not eat the count after it
    ("es", "Invertirá 500 millones de dólares y creará 300 empleos.", [300]),
    ("es", "Invertirá mil 100 millones de dólares y creará 3 mil empleos.", [3000]),
])
def test_millions(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert values(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "la entidad" is the story's state, not the state of a city named in passing
    ("es", "Globant abrirá en Morelia un centro donde trabajarán 150 ingenieros, informó el gobierno de Michoacán. "
           "La compañía ya tiene oficinas en Monterrey y Mérida. El gobernador dijo que la entidad tiene unos 8 mil "
           "profesionales de tecnología.",
     [(150, "Morelia", "Michoacán"), (8000, None, "Michoacán")]),
    # ... nor one of a list of states the company weighed
    ("es", "Zentek construirá una planta en Huamantla, Tlaxcala, que generará 900 empleos. La empresa había "
           "evaluado terrenos en los estados de Puebla e Hidalgo. La planta producirá sensores. En la entidad, la "
           "manufactura emplea a unas 60 mil personas.",
     [(900, "Huamantla", "Tlaxcala"), (60000, None, "Tlaxcala")]),
    # a state named alone as such just before is the state meant
    ("en", "Amazon's office in Mexico City now has 700 engineers. Separately, AWS opened its cloud region in the "
           "state of Querétaro. AWS said the region has created 300 new jobs in the state.",
     [(700, "Mexico City", "Ciudad de México"), (300, None, "Querétaro")]),
])
def test_the_state_is_the_storys(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the most specific place wins: a town of a municipality ...
    ("es", "La cadena Solmar construirá un centro de datos en San José del Cabo, en el municipio de Los Cabos, "
           "que generará 300 empleos directos.", [(300, "San José del Cabo", "Baja California Sur")]),
    ("en", "Solmar will build a data centre in San José del Cabo, in the municipality of Los Cabos, that will "
           "create 300 jobs.", [(300, "San José del Cabo", "Baja California Sur")]),
    # ... and a facility placed later in a municipality of the metropolitan area named first
    ("es", "La fintech Klar abrirá en Monterrey su centro tecnológico, donde creará 180 puestos de trabajo. El "
           "centro, ubicado en el municipio de San Pedro Garza García, en el área metropolitana de Monterrey, "
           "empezará con 40 empleados.",
     [(180, "San Pedro Garza García", "Nuevo León"), (40, "San Pedro Garza García", "Nuevo León")]),
    # not another site of the company that the area's city keeps
    ("es", "Klar emplea a 500 personas en Monterrey. La empresa abrirá además una oficina en Apodaca, en el área "
           "metropolitana de Monterrey, con 40 empleados.",
     [(500, "Monterrey", "Nuevo León"), (40, "Apodaca", "Nuevo León")]),
])
def test_most_specific_place(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a region that spans states places no count
    ("es", "Nexia abrirá una planta en Gómez Palacio, Durango, con 500 empleos. En la región lagunera, otras "
           "empresas de electrónica emplean a unas 30 mil personas.",
     [(500, "Gómez Palacio", "Durango"), (30000, None, None)]),
    ("es", "Nexia abrirá un centro en Torreón con 200 ingenieros. La región concentra unos 18 mil empleos en "
           "manufactura electrónica.", [(200, "Torreón", "Coahuila"), (18000, None, None)]),
    ("en", "Nexia will open a plant in Torreón with 200 engineers. Electronics makers in the Laguna region employ "
           "about 18,000 people.", [(200, "Torreón", "Coahuila"), (18000, None, None)]),
    # a city named in the region still places its count
    ("es", "Nexia contratará a 300 ingenieros en Torreón, en la región lagunera.", [(300, "Torreón", "Coahuila")]),
])
def test_region_spanning_states(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a list of places of two states, a state qualifying the first city: no one place
    ("es", "Velmar contratará a 900 personas en León, Guanajuato, y en San Luis Potosí durante 2026.",
     [(900, None, None)]),
    ("en", "Velmar will hire 900 people in León, Guanajuato, and in San Luis Potosí next year.", [(900, None, None)]),
    # one state's cities: the state
    ("es", "Velmar contratará a 900 personas en León, Guanajuato, y en Celaya durante 2026.",
     [(900, None, "Guanajuato")]),
    # the city and its state alone still place the count
    ("es", "Velmar contratará a 900 personas en León, Guanajuato, durante 2026.", [(900, "León", "Guanajuato")]),
    # another clause after 'y' is no list
    ("es", "Velmar emplea a 900 personas en León, Guanajuato, y abrirá otra planta en San Luis Potosí.",
     [(900, "León", "Guanajuato")]),
])
def test_list_with_a_state_in_the_middle(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a total stated for the first time as the whole of a part is the hiring just told, where it is placed
    ("es", "La fintech Vortex trasladará su sede a Monterrey, donde pasará de 100 a 300 empleados. La empresa tiene "
           "unos 700 colaboradores en Brasil. De las 200 nuevas plazas, alrededor de 120 serán para desarrolladores.",
     [(100, "Monterrey", "Nuevo León"), (300, "Monterrey", "Nuevo León"), (700, None, None),
      (200, "Monterrey", "Nuevo León"), (120, "Monterrey", "Nuevo León")]),
    # a part placed on its own keeps its place; a restated total is not counted twice
    ("es", "Vortex abrirá centros en Querétaro y Puebla, donde contratará a 280 ingenieros. De las 280 nuevas "
           "plazas, 200 serán en Querétaro.", [(280, None, None), (200, "Querétaro", "Querétaro")]),
])
def test_parts_of_totals(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert counts(analyzer, text, lang) == expected


def test_one_sense_per_text(analyzer: Analyzer) -> None:
    # a bare ambiguous name (Mérida: also Spain's, Venezuela's) is the Mexican city the text names elsewhere,
    # though the model tags this mention as no place and a nationality stands near it
    text = ("Brightwire abrirá centro en Mérida y Campeche\n\nLa empresa estadounidense de telecomunicaciones "
            "Brightwire Networks instalará un centro de operaciones de red en Mérida que empleará a 240 ingenieros y "
            "técnicos, y una oficina de soporte en la ciudad de Campeche con 60 empleados.")
    assert counts(analyzer, text, "es") == [(240, "Mérida", "Yucatán"), (60, "Campeche", "Campeche")]
    # a namesake abroad named as such stays abroad
    text = ("Brightwire abrirá centro en Mérida\n\nBrightwire abrirá un centro en Mérida, Yucatán. La empresa ya "
            "tiene 300 empleados en Mérida, Venezuela.")
    assert counts(analyzer, text, "es") == [(300, None, None)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a state's name before the municipality is the state: the municipality is the site
    ("es", "Ascenty construirá un centro de datos en Querétaro, en el municipio de El Marqués, que generará 500 "
           "empleos.", [(500, "El Marqués", "Querétaro")]),
    # a facility placed in the sentence that opens by naming it
    ("es", "La española Ciberkraft abrirá en Monterrey un centro de seguridad que dará empleo a 180 profesionales. "
           "El centro, ubicado en San Pedro Garza García, iniciará con 50 ingenieros.",
     [(180, "San Pedro Garza García", "Nuevo León"), (50, "San Pedro Garza García", "Nuevo León")]),
    ("en", "Ciberkraft will open a security centre in Monterrey and will hire 180 people.\n\nThe centre, located "
           "in San Pedro Garza García, will start with 50 engineers.",
     [(180, "San Pedro Garza García", "Nuevo León"), (50, "San Pedro Garza García", "Nuevo León")]),
    # not a headcount of the company elsewhere, nor a count two sentences back
    ("es", "Ciberkraft emplea a 300 personas en Monterrey. La empresa abrirá un centro de datos. El centro, ubicado "
           "en Apodaca, iniciará con 50 ingenieros.",
     [(300, "Monterrey", "Nuevo León"), (50, "Apodaca", "Nuevo León")]),
])
def test_facility_placed_after(analyzer: Analyzer, lang: str, text: str, expected: list) -> None:
    assert counts(analyzer, text, lang) == expected
