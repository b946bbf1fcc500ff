"""Job counts: the story's site for counts that name no place, landmarks that are no site, and counts that were
missed (hand-written en/es cases, written for the kinds of error dev10 showed).

- A count of the story's company, new or planned, in a sentence that names no place and gives no cue ("It has
  hired 600 workers so far", "La empresa contratará a 250 ingenieros") is at the story's site: the city its
  dateline or first sentence names (a municipality named as such before the dateline's city); not when the
  sentence looks elsewhere (the country, a locative after the count, a combined figure, a subject that is
  neither the company nor a facility: "The report said ...").
- Landmarks are no site: "south of Guadalajara", "conurbado a Mérida", a road named after cities ("the
  Querétaro–Mexico City highway"), a distance's reference ("40 kilometres from the data halls in Querétaro"),
  where a plan was announced ("anunció este martes en Guadalajara").
- A region that spans states ("en la península") leaves a count unplaced; "there"/"allí" takes the place named
  before the count (abroad: unplaced).
- Counts: "hired about 150 of them this year", "another 80 there within 18 months", "about 100 more when",
  "a team of about 150 will stay", "would start with 120 people", "up from about 5,500", "180,000 more than a
  year before", "la plantilla rondaría los 4 mil 500", "De las nuevas plazas, alrededor de 180 serán para
  ingenieros", "The centre has about 1,100 people", "staff today numbers about 450"; not "three people involved
  in the recruitment".
"""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput


def counts(analyzer: Analyzer, text: str, lang: str) -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [(j["value"], j["city"], j["state"]) for j in result["job_counts"]]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the story's site, for a count of its company with no place and no cue
    ("en", "Velmora Systems said on Tuesday that its test line in Tlaquepaque, south of Guadalajara, had shipped "
           "its first lots to a carmaker.\n\nIt has hired 320 workers so far, and the company expects headcount to "
           "reach about 800 by 2028.",
     [(320, "Tlaquepaque", "Jalisco"), (800, "Tlaquepaque", "Jalisco")]),
    ("es", "QUERÉTARO, Qro.- Arvato Digital inauguró su centro de servicios en el municipio de El Marqués, al oriente "
           "de Querétaro.\n\nLa empresa contratará a 250 ingenieros durante el próximo año, dijo su director.",
     [(250, "El Marqués", "Querétaro")]),
    # ... not for a subject that is neither the company nor a facility, nor a count in the country
    ("en", "Norvex opened a design centre in Mérida last year.\n\nThe report said Norvex would create 300 jobs.",
     [(300, None, None)]),
    ("es", "Norvex abrió un centro de diseño en Mérida el año pasado.\n\nNorvex contratará a 200 ingenieros en el "
           "país.",
     [(200, None, None)]),
])
def test_story_site(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "COLÓN, Qro. — Datavia has received permits for a data-centre campus in Colón.\n\nThe campus, on a site "
           "beside the Querétaro–Mexico City highway, will hold five halls. Construction will employ up to 900 "
           "workers at its peak.", [(900, "Colón", "Querétaro")]),
    ("es", "KANASÍN, Yuc.- Cervecera Maya inició operaciones en su planta de este municipio conurbado a Mérida, con "
           "700 empleos directos, informó la empresa.", [(700, "Kanasín", "Yucatán")]),
    ("es", "La alemana Infineon abrirá en Tlaquepaque un centro de diseño con 150 ingenieros, anunció este martes en "
           "Guadalajara su director.", [(150, "Tlaquepaque", "Jalisco")]),
    ("en", "APASEO EL GRANDE, Gto. — Stratus Ridge has bought land in Apaseo el Grande for a data-centre campus.\n\n"
           "The land sits about 40 kilometres from the data halls in Querétaro. The campus would employ about 250 "
           "people when fully built.", [(250, "Apaseo el Grande", "Guanajuato")]),
])
def test_landmarks_are_no_site(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Cervecera Maya abrió su planta en Kanasín, Yucatán, con 700 empleos directos.\n\nLa empresa estimó que "
           "la planta generará además unos 2 mil 500 empleos indirectos entre proveedores y distribuidores en la "
           "península.", [(700, "Kanasín", "Yucatán"), (2500, None, None)]),
    ("en", "Tekton will open a hub in Bogotá, Colombia, and hire about 300 engineers there, after a search in which "
           "Monterrey was the other finalist.", [(300, None, None)]),
    ("es", "Tekton abrirá un centro en Bogotá, Colombia, y contratará allí a unos 300 ingenieros, tras una búsqueda "
           "en la que Monterrey fue finalista.", [(300, None, None)]),
    ("en", "Wiwynn will hire 2,000 workers at its plant in Zapopan, part of the Guadalajara metropolitan area, "
           "tripling its headcount there to 3,000.", [(2000, "Zapopan", "Jalisco"), (3000, "Zapopan", "Jalisco")]),
])
def test_region_and_there(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Google said it employs more than 800 people in Mexico and that it has hired about 150 of them this year.",
     [800, 150]),
    ("en", "Globant bought a testing firm with 120 engineers in Puebla. Globant said it plans to add another 80 there "
           "within 18 months.", [120, 80]),
    ("es", "Globant compró una empresa de pruebas con 120 ingenieros en Puebla. Globant dijo que prevé sumar otros "
           "80 allí dentro de 18 meses.", [120, 80]),
    ("en", "The resort in Tulum opened with 650 employees and will add about 100 more when its spa opens in March.",
     [650, 100]),
    ("en", "Konfío is hiring 80 engineers in Querétaro, according to three people involved in the recruitment. Its "
           "existing engineering team of about 150 will stay in Mexico City.", [80, 150]),
    ("en", "EPAM said it would start with 120 people in its new Guadalajara office.", [120]),
    ("en", "The state counts roughly 9,000 people working in IT services, up from about 5,500 three years ago.",
     [9000, 5500]),
    ("en", "The IMSS reported 22.6 million registered formal jobs in June, 180,000 more than a year before.",
     [22600000, 180000]),
    ("es", "Lenovo ampliará su planta de Apodaca. Con la nueva línea, la plantilla rondaría los 4 mil 500 a finales "
           "de 2027. De las nuevas plazas, alrededor de 180 serán para ingenieros de pruebas.", [4500, 180]),
    ("en", "Oracle is hiring 300 engineers in Zapopan. The centre has about 1,100 people today.", [300, 1100]),
    ("en", "Clip will open an office in Monterrey. Clip's engineering staff today numbers about 450, all in Mexico "
           "City.", [450]),
])
def test_missed_counts(analyzer: Analyzer, lang: str, text: str, expected: list[int]) -> None:
    assert [c[0] for c in counts(analyzer, text, lang)] == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "there" with no place before the count in its sentence: the place named just before (not a place abroad
    # after it that the work serves)
    ("en", "Globant bought a testing firm with 120 engineers in Puebla. Globant said it plans to add another 80 there "
           "within 18 months, serving clients in the United States.", [(120, "Puebla", "Puebla"),
                                                                         (80, "Puebla", "Puebla")]),
    ("es", "Globant compró una empresa de pruebas con 120 ingenieros en Puebla. Globant prevé contratar allí a otros "
           "80 ingenieros para atender a clientes de Estados Unidos.", [(120, "Puebla", "Puebla"),
                                                                         (80, "Puebla", "Puebla")]),
    # a state just in reach qualifies its city just out of it
    ("en", "Kinemat, a Pittsburgh software company whose vision systems inspect castings, has opened an engineering "
           "lab inside a foundry in Saltillo, Coahuila, its first site outside the United States.\n\nThe lab "
           "occupies a fenced area beside one of the foundry's lines, where the company will tune its models on live "
           "production and serve other plants in the north. Kinemat said the lab opened with 25 engineers.",
     [(25, "Saltillo", "Coahuila")]),
    # a story whose lede is abroad: its plant is there, not in the Mexican city named later
    ("en", "SANTA TERESA, N.M. — Arcline will build a packaging plant in Santa Teresa, near the border.\n\nThe plant "
           "will employ about 650 people. Arcline had also looked at sites in Ciudad Juárez, where labour costs are "
           "lower, and expects some employees to commute from Ciudad Juárez.", [(650, None, None)]),
])
def test_there_qualifier_abroad(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a headcount whose subject is the facility, or the company as "it": the story's site
    ("en", "Veltrix said its packaging line in Tlaquepaque, south of Guadalajara, had shipped its first lots.\n\n"
           "It started production with 420 employees working around the clock, Veltrix said.",
     [(420, "Tlaquepaque", "Jalisco")]),
    ("es", "Veltrix dijo que su línea de empaque en Tlaquepaque, al sur de Guadalajara, embarcó sus primeros lotes.\n\n"
           "La planta tiene hoy 420 empleados en tres turnos, dijo Veltrix.", [(420, "Tlaquepaque", "Jalisco")]),
    # ... not "the company" with a headcount: a global one
    ("en", "Kloudflow opened a software office in Mérida, its first outside the United States.\n\nThe company "
           "employs 230 people and is backed by two venture funds.", [(230, None, None)]),
])
def test_site_subject_headcount(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Most of the cuts fall on the Monterrey site, where 210 mechanics, painters and logistics staff worked.",
     [(210, "Monterrey", "Nuevo León")]),
    ("es", "La mayor parte de los recortes cae en la planta de Monterrey, donde trabajaban 210 mecánicos, pintores y "
           "empleados de logística.", [(210, "Monterrey", "Nuevo León")]),
    ("en", "For the 120 people who lost their jobs at Konfío's Mexico City headquarters, the news was bad.",
     [(120, "Mexico City", "Ciudad de México")]),
    ("es", "Para las 120 personas que perdieron su empleo en la sede de Konfío en la Ciudad de México, la noticia fue "
           "mala.", [(120, "Mexico City", "Ciudad de México")]),
])
def test_listed_units_and_cuts(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the place of a part introduced by "including" is the part's, not the count's
    ("en", "Google said it employs more than 800 people in Mexico and that it has hired about 150 of them this year, "
           "including a site-reliability team in Monterrey.", [(800, None, None), (150, None, None)]),
    ("es", "Helion emplea a unas 9 mil personas en México, incluido un equipo de diseño en Tlaquepaque.",
     [(9000, None, None)]),
    # ... not a part set off on its own before the count's place
    ("en", "Globant will hire 500 people, including 200 engineers, in Monterrey.",
     [(500, "Monterrey", "Nuevo León"), (200, "Monterrey", "Nuevo León")]),
])
def test_part_place(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a company's home given by an apposition places its headcount when the sentence places it nowhere
    ("en", "Fjordline has bought Nortec Logistics, the Monterrey company that resells its software.\n\nNortec's "
           "founder will run the subsidiary, and its 45 employees join Fjordline.", [(45, "Monterrey", "Nuevo León")]),
    ("es", "Fjordline compró Nortec Logística, una empresa de Monterrey que revende su software.\n\nEl fundador de "
           "Nortec dirigirá la filial, y sus 45 empleados se suman a Fjordline.", [(45, "Monterrey", "Nuevo León")]),
    # ... not a "-based" seat: a company's seat does not place its hiring
    ("en", "Nuvia Cloud, the Monterrey-based provider of cloud backup, plans to hire 250 engineers over two years.",
     [(250, None, None)]),
])
def test_apposition_home(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "the capital" after Mexico City was named: Mexico City
    ("en", "Clip, founded in Mexico City, will open an office in Monterrey. Clip's engineering staff today numbers "
           "about 450, all in the capital.", [(450, "Mexico City", "Ciudad de México")]),
    # ... not before it is named, nor "the capital of" a state
    ("en", "Clip will open an office in Monterrey. Its staff today numbers about 450, all in the capital.",
     [(450, None, None)]),
    ("en", "Clip has offices in Mexico City and Monterrey. It will hire 300 engineers in the capital of Jalisco.",
     [(300, None, "Jalisco")]),
])
def test_named_capital(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "la misma ciudad"/"the same city": the city named last before
    ("es", "En Guadalajara, la india HCLTech inauguró su segundo centro con 500 ingenieros. En la misma ciudad, la "
           "argentina Globant sumó 300 desarrolladores.", [(500, "Guadalajara", "Jalisco"),
                                                          (300, "Guadalajara", "Jalisco")]),
    ("en", "In Guadalajara, HCLTech opened its second centre with 500 engineers. In the same city, Globant added 300 "
           "developers.", [(500, "Guadalajara", "Jalisco"), (300, "Guadalajara", "Jalisco")]),
])
def test_same_city(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a state in an official's title is no site of a company's jobs: the story's site
    ("es", "PACHUCA, Hgo.- Teleperformance abrirá un centro de contacto en Pachuca.\n\nSegún el secretario de "
           "Desarrollo Económico de Hidalgo, Carlos Mendoza, la empresa contratará a 300 trabajadores bilingües.",
     [(300, "Pachuca", "Hidalgo")]),
    ("en", "HERMOSILLO, Son. — Amkor will open a test plant in Hermosillo.\n\nThe company will hire 250 engineers "
           "this year, the governor of Sonora said.", [(250, "Hermosillo", "Sonora")]),
    # ... but the state of a total that the official gives
    ("es", "QUERÉTARO, Qro.- Nuvia abrió un centro de datos en Querétaro.\n\nEl gobernador de Querétaro dijo que el "
           "estado suma 42 mil empleos en tecnologías de la información.", [(42000, None, "Querétaro")]),
])
def test_title_state(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # nouns joined by "y"/"and", then the facility of the place: one noun phrase
    ("es", "Intel sumará 250 ingenieros de diseño y validación de chips a su centro de Guadalajara, informó la "
           "empresa.", [(250, "Guadalajara", "Jalisco")]),
    ("en", "Intel will add 250 engineers and validation staff at its centre in Guadalajara, the company said.",
     [(250, "Guadalajara", "Jalisco")]),
    # a superlative's scope is no place: "el mayor de la compañía en América Latina, donde ..."
    ("es", "Intel amplía su centro de Guadalajara, el mayor de la compañía en América Latina, donde hoy trabajan "
           "alrededor de mil 800 personas.", [(1800, "Guadalajara", "Jalisco")]),
])
def test_facility_phrase_and_scope(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "en la ciudad"/"in the city" with no city in its sentence: the city named last before, not the dateline's
    ("es", "GUADALAJARA, Jal.- El empleo tecnológico creció en Jalisco durante el semestre.\n\nBuena parte "
           "se concentró en Zapopan, donde la tapatía Wizeline amplió sus oficinas. Wizeline, que hoy emplea a mil "
           "100 personas en la ciudad, prevé contratar otras 300 antes de diciembre.",
     [(1100, "Zapopan", "Jalisco"), (300, "Zapopan", "Jalisco")]),
    ("en", "GUADALAJARA, Jal. — Tech employment grew in Jalisco in the first half.\n\nMuch of it went to Zapopan, "
           "where Wizeline expanded its offices. Wizeline, which employs 1,100 people in the city, plans to hire "
           "another 300 by December.", [(1100, "Zapopan", "Jalisco"), (300, "Zapopan", "Jalisco")]),
])
def test_the_city_named_last(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a state named as its government is no site; the story's site is its dateline's, before a later count's place
    ("en", "RAMOS ARIZPE, Coahuila — Daewon Trim will build a seat plant in this municipality next to Saltillo, the "
           "company and the Coahuila government said on Wednesday.\n\nThe $180 million factory, on 22 hectares of "
           "an industrial park, will start production in 2026 and employ 1,350 workers at full capacity. Daewon said "
           "it would first hire about 300 people for a pilot line in a leased building in Saltillo.",
     [(1350, "Ramos Arizpe", "Coahuila"), (300, "Saltillo", "Coahuila")]),
    ("es", "RAMOS ARIZPE, Coah.- Daewon Trim construirá una planta de asientos en este municipio, junto a Saltillo, "
           "informaron la empresa y el gobernador de Coahuila.\n\nLa fábrica, de 180 millones de dólares, iniciará "
           "producción en 2026 y empleará a mil 350 trabajadores. Daewon dijo que primero contratará a unas 300 "
           "personas para una línea piloto en una nave rentada en Saltillo.",
     [(1350, "Ramos Arizpe", "Coahuila"), (300, "Saltillo", "Coahuila")]),
])
def test_government_and_dateline_site(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected
