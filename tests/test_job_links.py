"""Job counts: phrasings found and not found, and each count's company and place (hand-written en/es cases)."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput


def counts(analyzer: Analyzer, text: str, lang: str, title: str = "") -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=title or None, lang=lang))
    return [(j["value"], j["value_max"], j["company"], j["city"], j["state"]) for j in result["job_counts"]]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Globant said it would create 1,000 direct and 3,000 indirect jobs in Monterrey.",
     [(1000, None, "Globant", "Monterrey", "Nuevo León"), (3000, None, "Globant", "Monterrey", "Nuevo León")]),
    ("es", "Foxconn generará mil empleos directos y 3 mil indirectos en Tijuana.",
     [(1000, None, "Foxconn", "Tijuana", "Baja California"), (3000, None, "Foxconn", "Tijuana", "Baja California")]),
    ("en", "Oracle has a workforce of 5,000 in Mexico.", [(5000, None, "Oracle", None, None)]),
    ("es", "Wizeline tiene una plantilla de 1.200 colaboradores en Guadalajara.",
     [(1200, None, "Wizeline", "Guadalajara", "Jalisco")]),
    ("en", "Intel will hire two hundred engineers in Tlaquepaque and another 100 in Zapopan.",
     [(200, None, "Intel", "Tlaquepaque", "Jalisco"), (100, None, "Intel", "Zapopan", "Jalisco")]),
    ("es", "Infosys tiene hoy 45 colaboradores en Monterrey y prevé cerrar el año con 90.",
     [(45, None, "Infosys", "Monterrey", "Nuevo León"), (90, None, "Infosys", "Monterrey", "Nuevo León")]),
    ("es", "HCLTech, que emplea a 700 de sus ingenieros en Guadalajara, abrirá otra oficina.",
     [(700, None, "HCLTech", "Guadalajara", "Jalisco")]),
    ("en", "Amazon laid off about 100 employees in Mexico City last year.",
     [(100, None, "Amazon", "Mexico City", "Ciudad de México")]),
])
def test_phrasings_found(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Local universities graduate 7,000 engineers a year and the school trained 500 students."),
    ("en", "A survey of 1,400 technology professionals found salaries rose 18 percent."),
    ("es", "La empresa capacitará a 10 mil personas y otorgará 500 becas a estudiantes."),
    ("es", "Desde su fundación, la escuela ha formado a más de 3 mil programadores."),
    ("en", "The plant covers 12,000 square metres and cost $300 million in 2019."),
])
def test_not_job_counts(analyzer: Analyzer, lang: str, text: str) -> None:
    assert counts(analyzer, text, lang) == []


def test_company_in_focus_not_last_mentioned(analyzer: Analyzer) -> None:
    text = ("Wizeline opened its Guadalajara office in 2014. Wizeline now competes with Globant and EPAM for talent, "
            "and Oracle runs a campus nearby. It plans to hire 250 more engineers in Mexico this year.")
    assert counts(analyzer, text, "en", "Wizeline to hire 250 engineers") == [(250, None, "Wizeline", None, None)]


def test_la_empresa_is_the_focus_company(analyzer: Analyzer) -> None:
    text = ("HCLTech abrirá un edificio en Guadalajara. HCLTech compite con Infosys por ingenieros. "
            "La empresa tiene 4 mil empleados en el país.")
    assert counts(analyzer, text, "es") == [(4000, None, "HCLTech", None, None)]


def test_relative_clause_owner_and_competitor(analyzer: Analyzer) -> None:
    text = "Unlike Infosys, which employs 4,000 people in Monterrey, Globant has only 300 staff in Mexico."
    assert counts(analyzer, text, "en") == [(4000, None, "Infosys", "Monterrey", "Nuevo León"),
                                            (300, None, "Globant", None, None)]


def test_combined_count_has_no_company(analyzer: Analyzer) -> None:
    text = "Jabil, Sanmina y Flex prevén contratar a cerca de 8 mil trabajadores en Guadalajara."
    assert counts(analyzer, text, "es") == [(8000, None, None, "Guadalajara", "Jalisco")]


def test_place_is_the_sites_not_the_nearest(analyzer: Analyzer) -> None:
    text = ("Google has opened an office in San Pedro Garza García, the municipality next to Monterrey, "
            "with a team of close to 100 employees.")
    assert counts(analyzer, text, "en") == [(100, None, "Google", "San Pedro Garza García", "Nuevo León")]


def test_city_state_qualifier_and_origin(analyzer: Analyzer) -> None:
    text = ("Foxconn, con sede en Monterrey, invertirá en una planta en Ciudad Juárez, Chihuahua, "
            "con la que creará 2 mil plazas.")
    assert counts(analyzer, text, "es") == [(2000, None, "Foxconn", "Ciudad Juárez", "Chihuahua")]


def test_national_and_foreign_counts_are_unplaced(analyzer: Analyzer) -> None:
    text = ("Intel employs 1,500 engineers in Mexico, most of them in Guadalajara. "
            "Intel will also hire 2,000 workers at its plant in Arizona.")
    assert counts(analyzer, text, "en") == [(1500, None, "Intel", None, None), (2000, None, "Intel", None, None)]


def test_several_cities_listed(analyzer: Analyzer) -> None:
    # one state: the state; several states: no one place (the annotation guide's reading, as in the dev sets'
    # and the demo site's gold: "260 employees in Mexico City and Guadalajara" is unplaced)
    text = ("Intel has 900 engineers in Zapopan and Tlaquepaque. "
            "Wizeline had 260 employees in Mexico City and Guadalajara.")
    assert counts(analyzer, text, "en") == [(900, None, "Intel", None, "Jalisco"),
                                            (260, None, "Wizeline", None, None)]


def test_same_facility_takes_the_main_place(analyzer: Analyzer) -> None:
    text = ("Intel will add 500 new positions at its design centre in Tlaquepaque, Jalisco.\n\n"
            "The site already employs close to 1,800 engineers.\n\n"
            "Intel has 3,000 people on staff across Latin America.")
    assert counts(analyzer, text, "en") == [(500, None, "Intel", "Tlaquepaque", "Jalisco"),
                                            (1800, None, "Intel", "Tlaquepaque", "Jalisco"),
                                            (3000, None, "Intel", None, None)]


def test_la_entidad_takes_the_state_named_before(analyzer: Analyzer) -> None:
    text = ("Oracle ampliará su campus en Zapopan, Jalisco.\n\n"
            "La compañía ya cuenta con más de mil 200 colaboradores en la entidad.")
    assert counts(analyzer, text, "es") == [(1200, None, "Oracle", None, "Jalisco")]


def test_sector_total_has_no_company(analyzer: Analyzer) -> None:
    text = ("Oracle opened a building in Zapopan. Jalisco's technology industry employs about 140,000 workers, "
            "according to the state's innovation secretariat.")
    assert counts(analyzer, text, "en") == [(140000, None, None, None, "Jalisco")]


def test_plants_of_a_city_are_a_sector_not_the_focus_company(analyzer: Analyzer) -> None:
    text = ("Samsung will build a plant in Tijuana that will employ 900 workers.\n\n"
            "Tijuana's electronics plants employ about 95,000 people, many at assemblers such as Foxconn.")
    assert counts(analyzer, text, "en") == [(900, None, "Samsung", "Tijuana", "Baja California"),
                                            (95000, None, None, "Tijuana", "Baja California")]


def test_company_named_once_late_is_not_the_storys(analyzer: Analyzer) -> None:
    text = ("El IMSS informó que en septiembre se crearon 154 mil 300 empleos formales.\n\n"
            "Por entidad, Jalisco sumó 24 mil 100 puestos.\n\n"
            "Analistas de Monex señalaron que la recuperación responde a factores estacionales.")
    assert [c[2] for c in counts(analyzer, text, "es")] == [None, None]


def test_municipality_over_metropolitan_area_and_coordinated_modifiers(analyzer: Analyzer) -> None:
    text = ("Jabil will build a plant in El Marqués, a municipality in the Querétaro metropolitan area.\n\n"
            "The $180 million facility will create 250 to 300 engineering and technician jobs.")
    assert counts(analyzer, text, "en") == [(250, 300, "Jabil", "El Marqués", "Querétaro")]


def test_place_in_the_counts_own_clause(analyzer: Analyzer) -> None:
    text = "Hisense emplea a 3 mil 500 personas en Baja California y a otras 1,000 en su planta de Apodaca."
    assert counts(analyzer, text, "es") == [(3500, None, "Hisense", None, "Baja California"),
                                            (1000, None, "Hisense", "Apodaca", "Nuevo León")]


def test_people_with_growth_verbs(analyzer: Analyzer) -> None:
    text = "Accenture said it would grow its Querétaro centre to 2,000 people by 2026."
    assert counts(analyzer, text, "en") == [(2000, None, "Accenture", "Querétaro", "Querétaro")]
    text = "La empresa prevé que su plantilla en Rosarito llegue a 5,500 personas en 2027, dijo Hisense."
    assert [c[0] for c in counts(analyzer, text, "es")] == [5500]


def test_nuevo_leon_is_no_kind_cue(analyzer: Analyzer) -> None:
    result = analyzer.analyze(ArticleInput(text="Globant tiene 900 empleados en Nuevo León.", lang="es"))
    assert [j["kind"] for j in result["job_counts"]] == ["existing"]


def test_this_city_is_the_dateline(analyzer: Analyzer) -> None:
    text = ("ROSARITO, B.C.- Hisense contratará a 2 mil trabajadores para ampliar su complejo en este municipio, "
            "anunció la empresa ante autoridades de Baja California.")
    assert counts(analyzer, text, "es") == [(2000, None, "Hisense", "Rosarito", "Baja California")]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "pasará de X a Y": today's headcount and the future one, not a range
    ("es", "Foxconn ampliará su planta de Tijuana, donde la plantilla pasará de mil 100 a mil 600 empleados en 2026.",
     [(1100, None, "Foxconn", "Tijuana", "Baja California"), (1600, None, "Foxconn", "Tijuana", "Baja California")]),
    # construction jobs belong to the project's owner, not its builder
    ("es", "Samsung construirá una planta en Hermosillo. La constructora regiomontana Garza Ponce edificará la nave "
           "y empleará en el pico de la obra a 700 trabajadores.",
     [(700, None, "Samsung", "Hermosillo", "Sonora")]),
    # the municipality, not the metropolitan area named around it
    ("es", "Intel construirá una planta en Tlajomulco de Zúñiga, al sur de la zona metropolitana de Guadalajara, "
           "donde laborarán mil 200 personas.",
     [(1200, None, "Intel", "Tlajomulco de Zúñiga", "Jalisco")]),
    # the sector is the subject; a company named after the count does not own it
    ("es", "Intel abrirá en Guadalajara. La gobernadora dijo que la industria electrónica en la entidad emplea a "
           "más de 140 mil personas y que Flex sigue siendo el mayor empleador.",
     [(140000, None, None, None, "Jalisco")]),
])
def test_dev2_mechanisms(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Local supplier Forjas Ramírez, based in Monclova, will make brackets and plans to hire another 120 "
           "workers.", [(120, None, "Forjas Ramírez", "Monclova", "Coahuila")]),
    ("es", "La firma regiomontana Estructuras Garza, con sede en Santa Catarina, Nuevo León, suministrará acero "
           "y prevé contratar 60 trabajadores adicionales.",
     [(60, None, "Estructuras Garza", "Santa Catarina", "Nuevo León")]),
])
def test_supplier_new_jobs_at_its_seat(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    # a company's seat given as an apposition places its new hires
    assert counts(analyzer, text, lang) == expected


def test_count_after_offices_in_several_states_is_unplaced(analyzer: Analyzer) -> None:
    # the offices are listed in an earlier clause: the headcount spans them, so no one place
    text = ("La startup mexicana Rutalia abrirá oficinas en Monterrey y Guadalajara, con lo que su plantilla "
            "pasará de 120 a 300 empleados.")
    assert [(v, c, s) for v, _, _, c, s in counts(analyzer, text, "es")] == [(120, None, None), (300, None, None)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Norvale Sensors will build a factory in Villa de Reyes, San Luis Potosí. Production will start in 2027 "
           "with about 200 workers.", (200, "Villa de Reyes")),
    ("es", "La coreana Hanlim Solar construirá una planta en Hermosillo. En su primera etapa, Hanlim contratará a "
           "unos 300 trabajadores.", (300, "Hermosillo")),
])
def test_count_at_the_facility_named_before(analyzer: Analyzer, lang: str, text: str, expected: tuple) -> None:
    # "production will start", "en su primera etapa": the sentence refers to the facility placed earlier
    assert expected in [(v, city) for v, _, _, city, _ in counts(analyzer, text, lang)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "La española Redkraft abrirá en Monterrey un centro con 150 ingenieros. Redkraft, con sede en Bilbao, "
           "tiene unos 1,400 empleados y ya operaba en México con una oficina en la Ciudad de México.",
     (1400, None)),
    ("es", "La española Redkraft abrirá un centro en Monterrey. Redkraft, con sede en Bilbao, tiene 300 empleados "
           "en la Ciudad de México.", (300, "Mexico City")),
    ("en", "Norrvik opened a plant in Saltillo last year. It will open in September with 70 employees.",
     (70, "Saltillo")),
])
def test_seat_abroad_and_opening_headcount(analyzer: Analyzer, lang: str, text: str, expected: tuple) -> None:
    # a company based abroad: its headcount is global unless the sentence places it; "will open in ... with"
    assert expected in [(v, city) for v, _, _, city, _ in counts(analyzer, text, lang)]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "The Mérida centre will be Avantek's third in the country after Mexico City, where the firm has 480 "
           "employees.", (480, "Mexico City")),
    ("en", "Cobaltia will open an office in Monterrey and shut its office in Bogotá, where 25 employees work.",
     (25, None)),
    ("es", "La fintech argentina Pagalia abrirá en Monterrey su primer centro fuera de Argentina, donde creará 250 "
           "puestos.", (250, "Monterrey")),
])
def test_count_in_a_where_clause(analyzer: Analyzer, lang: str, text: str, expected: tuple) -> None:
    # "<place>, where ... N": the place right before the clause, none when it is abroad
    assert expected in [(v, city) for v, _, _, city, _ in counts(analyzer, text, lang)]


def test_part_of_a_total_stated_before(analyzer: Analyzer) -> None:
    # the part is a count of its own (with the unit the sentence gives it) and shares the total's company and
    # place; the total, stated again, is not counted twice
    es = ("La firma Kuantum Soft contratará a 2 mil personas en Zapopan. La empresa dijo que 800 de los 2 mil "
          "puestos serán para ingenieros de software.")
    result = analyzer.analyze(ArticleInput(text=es, lang="es"))
    assert [(j["value"], j["unit"], j["company"], j["city"]) for j in result["job_counts"]] == [
        (2000, "employees", "Kuantum Soft", "Zapopan"), (800, "engineers", "Kuantum Soft", "Zapopan")]
    en = "Novatek Systems will hire 1,000 people in Monterrey. Of the 1,000 new hires, about 300 will be engineers."
    result = analyzer.analyze(ArticleInput(text=en, lang="en"))
    assert [(j["value"], j["approx"], j["unit"], j["city"]) for j in result["job_counts"]] == [
        (1000, False, "employees", "Monterrey"), (300, True, "engineers", "Monterrey")]


def test_part_of_a_total_not_stated_before_counts_both(analyzer: Analyzer) -> None:
    text = "Orbis Data dijo que 120 de las 650 plazas de su nuevo centro en Mérida, Yucatán, serán para analistas."
    assert [c[0] for c in counts(analyzer, text, "es")] == [120, 650]


def test_demonym_places_a_company_with_no_other_place(analyzer: Analyzer) -> None:
    text = ("Maplewave competirá por talento con empresas locales como la tijuanense Blackcomb Digital, que tiene "
            "unos 300 empleados.")
    assert counts(analyzer, text, "es") == [(300, None, "Blackcomb Digital", "Tijuana", "Baja California")]
    # a demonym in the previous sentence belongs to another company
    text = ("Sus clientes incluyen a la regiomontana Grupo Vertice. Kaizen Robotics emplea a 1,900 personas "
            "en el mundo.")
    assert counts(analyzer, text, "es") == [(1900, None, "Kaizen Robotics", None, None)]


def test_facility_count_is_at_the_site_named_just_before(analyzer: Analyzer) -> None:
    # "la obra"/"el centro" is the facility of the sentence before, not the office placed later in the story
    text = ("Nubeterra construirá un centro de datos en Apodaca, Nuevo León. La obra empleará a unos 900 "
            "trabajadores. La empresa opera ya dos centros en El Marqués, donde trabajan 210 colaboradores.")
    assert counts(analyzer, text, "es") == [(900, None, "Nubeterra", "Apodaca", "Nuevo León"),
                                            (210, None, "Nubeterra", "El Marqués", "Querétaro")]
    # the municipality, not the metropolitan area named after it; not where the plan was announced
    text = ("Corvalis Microdevices Inc. will build a plant in El Marqués, a municipality in the Querétaro "
            "metropolitan area, the company said at an event in Mexico City. The facility will create 250 jobs.")
    assert counts(analyzer, text, "en") == [(250, None, "Corvalis Microdevices", "El Marqués", "Querétaro")]


def test_facility_demonym_places_the_count(analyzer: Analyzer) -> None:
    text = "Hyundai Transys informó que podría contratar 300 trabajadores más en su planta leonesa."
    assert [c[3:] for c in counts(analyzer, text, "es")] == [("León", "Guanajuato")]


def test_ranking_figures_borrow_their_unit(analyzer: Analyzer) -> None:
    text = ("Jalisco sumó 6 mil 200 plazas en el semestre, detrás de la Ciudad de México, que sumó 9 mil 800, "
            "según la cámara.")
    assert [c[0] for c in counts(analyzer, text, "es")] == [6200, 9800]


@pytest.mark.parametrize(("text", "expected"), [
    # people coordinated with the unit are one count of it
    ("Kovalent contratará a alrededor de 400 técnicos e ingenieros en Ramos Arizpe.",
     [(400, True, "engineers")]),
    ("Fletes Aztlán emplea a unos 2 mil choferes y trabajadores.", [(2000, True, "workers")]),
    # 'personas' after a verb of employing in the plural
    ("TCS, Infosys y HCLTech en conjunto emplean a más de 20 mil personas en el país.",
     [(20000, True, "employees")]),
    # a headcount change whose target is approximate: both figures
    ("La plantilla de Foxlink en Ciudad Juárez pasará de 2 mil 400 a unos 4 mil empleados.",
     [(2400, False, "employees"), (4000, True, "employees")]),
])
def test_spanish_count_forms(analyzer: Analyzer, text: str, expected: list[tuple]) -> None:
    result = analyzer.analyze(ArticleInput(text=text, lang="es"))
    assert [(j["value"], j["approx"], j["unit"]) for j in result["job_counts"]] == expected


def test_training_people_are_still_not_a_count(analyzer: Analyzer) -> None:
    assert counts(analyzer, "Las universidades capacitarán a 5 mil personas en programación.", "es") == []


@pytest.mark.parametrize(("text", "expected"), [
    # a second figure beside a headcount borrows its unit
    ("Softtek employs more than 15,000 people worldwide and roughly 9,000 in Mexico.", [15000, 9000]),
    ("Brightwave employs 1,400 people across Latin America, including 600 in Guadalajara.", [1400, 600]),
    ("Halvorsen employs about 4,800 people worldwide, 1,100 of them at its wafer fab in Chandler.", [4800, 1100]),
    ("The MTY office of Clip will start with 40 engineers and is expected to reach 150 by the end of 2026.",
     [40, 150]),
    # a part of an unstated total, with the predicate's unit; a sized unit
    ("Kaihong will hire 400 people in Tijuana. The company expects 150-200 of the first hires to be engineers.",
     [400, 150]),
    ("Brightpath Health Systems will open a 600-person engineering and support centre in Heredia.", [600]),
    # shares and small numbers in words are not counts
    ("Sakura will hire 300 people. About one in five of the new hires will be Korean speakers.", [300]),
    ("Soriana will hire 8,000 seasonal workers and open 12 stores, including three in Monterrey.", [8000]),
])
def test_english_count_forms(analyzer: Analyzer, text: str, expected: list[int]) -> None:
    assert [c[0] for c in counts(analyzer, text, "en")] == expected


def test_part_of_an_earlier_total_shares_its_place(analyzer: Analyzer) -> None:
    text = "Hoshida Denki Co. will hire 200 people in Silao. About 90 of the new employees are engineers."
    assert counts(analyzer, text, "en") == [(200, None, "Hoshida Denki", "Silao", "Guanajuato"),
                                            (90, None, "Hoshida Denki", "Silao", "Guanajuato")]


@pytest.mark.parametrize(("text", "kind"), [
    ("Jabil will employ 180 people at the new plant in Tijuana, the company said.", "new"),
    ("The plant will employ about 1,200 workers when fully running, Flex said.", "new"),
    ("Jabil employs 180 people in Tijuana.", "existing"),
    ("Jabil, which employs 180 people in Tijuana, will open a second line.", "existing"),
    ("Flex is expected to employ 300 people in Guadalajara.", "planned"),
])
def test_will_employ_is_new(analyzer: Analyzer, text: str, kind: str) -> None:
    """"will employ" is one verb (a count to come), not "will" beside the headcount verb "employ"."""
    result = analyzer.analyze(ArticleInput(text=text, lang="en"))
    assert [j["kind"] for j in result["job_counts"]] == [kind]
