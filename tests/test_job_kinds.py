"""The kind of each job count (new / planned / existing / sector_total), as eval/ANNOTATION.md and its decisions
define them. Every sentence here is written for this file: real company names, invented events and figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from mxwatch.pipelines.analysis import ArticleInput

if TYPE_CHECKING:
    from mxwatch.pipelines.analysis import Analyzer


def kinds(analyzer: Analyzer, text: str, lang: str) -> dict[int, str]:
    result = analyzer.analyze(ArticleInput(text=text, lang=lang))
    return {j["value"]: j["kind"] for j in result["job_counts"]}


# (lang, text, {value: kind}) — one rule per group, English and Spanish
CASES = [
    # a facility that opens or starts with N people: new ("opened with 80", "starts with 40")
    ("en", "Globant opened a delivery centre in Mérida, Yucatán, with 140 engineers, the company said.", {140: "new"}),
    ("en", "The Kyndryl office in Puebla starts with 35 employees and will serve banks.", {35: "new"}),
    ("es", "El centro de Softtek en Aguascalientes iniciará operaciones en marzo con 80 colaboradores.", {80: "new"}),
    ("es", "Globant abrirá una oficina en León, donde laborarán 300 personas cuando esté terminada.", {300: "new"}),
    ("es", "Bimbo anunció la creación de 450 empleos directos en su nueva planta de Mexicali.", {450: "new"}),
    # "will ... and employ N": the future scopes over the coordinated verb
    ("en", "The plant will open in 2027 and employ 650 people, Lenovo said.", {650: "new"}),
    # reported speech: "said it would hire" is a reported "will", new; "May" the month is no modal
    ("en", "Flex said on Monday it would hire 900 workers at its plant in Zapopan.", {900: "new"}),
    ("en", "The centre will open in May with 45 developers.", {45: "new"}),
    # a plan or an estimate is planned
    ("es", "La empresa Wizeline no descarta abrir una oficina en Mérida con unas 50 plazas.", {50: "planned"}),
    ("es", "La empresa Ternium estimó que el proyecto generará 900 empleos indirectos en Pesquería.", {900: "planned"}),
    ("es", "La Secretaría de Economía dijo que el proyecto de Amazon podría generar 5 mil empleos en Querétaro.",
     {5000: "planned"}),
    # a projected future headcount is planned; the headcount it grows from is existing
    ("en", "Jabil will add 800 workers in Chihuahua, bringing the plant's workforce to about 5,200.",
     {800: "new", 5200: "planned"}),
    ("en", "EPAM will expand its Guadalajara office to 600 employees from 250 by the end of 2027.",
     {600: "planned", 250: "existing"}),
    ("en", "Amazon said its Querétaro data centre campus will have about 350 employees when all buildings are running.",
     {350: "planned"}),
    ("es", "Kueski contratará a 300 personas, con lo que su plantilla en Guadalajara pasará de 800 a mil 100 "
           "colaboradores.", {300: "new", 800: "existing", 1100: "planned"}),
    ("es", "El nuevo centro de Oracle en Zapopan contará con 200 ingenieros al cierre de 2027.", {200: "planned"}),
    ("es", "Con esta ampliación llegaremos a cerca de 3 mil colaboradores, dijo el director de la planta de Bosch en "
           "Celaya.", {3000: "planned"}),
    # ... but not across another verb: "ampliará su planta ... y contratará a 700" is a hiring
    ("es", "La empresa Bosch ampliará su planta de Juárez y contratará a 700 personas en los próximos 12 meses.",
     {700: "new"}),
    # a headcount reached in the past is existing
    ("en", "Oracle expanded its Zapopan campus to about 1,900 staff last year.", {1900: "existing"}),
    # cuts, the staff a company moves or keeps, a headcount it operates with: existing
    ("en", "Intel said it would cut about 300 jobs at its design centre in Tlaquepaque.", {300: "existing"}),
    ("en", "Capgemini will move its 1,200 staff to a new office in Monterrey.", {1200: "existing"}),
    ("es", "Intel recortará 200 puestos en su centro de Tlaquepaque.", {200: "existing"}),
    ("es", "El centro de Kyndryl en Toluca opera con alrededor de 150 empleados.", {150: "existing"}),
    ("es", "Accenture sumó 250 desarrolladores en Monterrey el año pasado; hoy trabajan ahí 1,100 de sus 1,400 "
           "empleados en México.", {250: "new", 1100: "existing", 1400: "existing"}),
    # an opening in a clause after the count is another event
    ("en", "Bosch employs 9,000 people in Mexico, including 800 at a plant in Juárez that it opened in 2015.",
     {9000: "existing", 800: "existing"}),
    # a modal inside a quotation is no cue for a count after it
    ("en", "“This may change the market,” said the head of Wizeline, a software firm with 300 employees in "
           "Guadalajara.", {300: "existing"}),
    # words inside the count: "new positions", "planned hires"
    ("en", "Skyworks confirmed 400 new positions at its Mexicali plant.", {400: "new"}),
    ("en", "Of the 90 planned hires, about 30 will be data scientists.", {90: "planned"}),
    # a part of a total takes the total's kind when it has no cue of its own
    ("en", "Oracle will hire 400 engineers in Zapopan. About 150 of the new employees are engineers.",
     {400: "new", 150: "new"}),
    # a collective of employers as the subject: a sector total
    ("en", "Hotels in Cancún and along the Riviera Maya will hire about 5,000 seasonal workers, the hotel "
           "association said.", {5000: "sector_total"}),
    ("es", "Las maquiladoras de Matamoros emplean a unos 60 mil trabajadores, según la asociación local.",
     {60000: "sector_total"}),
    # ... not a company's plants, nor plants after a preposition, nor a few firms' combined count
    ("es", "Nissan, que tiene dos plantas en Aguascalientes con alrededor de 11 mil trabajadores, es cliente de la "
           "firma.", {11000: "existing"}),
    ("en", "Softtek develops software for car plants and employs 260 people in Monterrey.", {260: "existing"}),
    ("es", "Tres empresas tecnológicas generarán en conjunto mil 450 empleos en Querétaro, anunció el gobernador.",
     {1450: "new"}),
    # a place that adds or loses jobs, or heads a ranking, in a sentence without a company: statistics
    ("en", "Sonora lost 1,900 formal jobs in May.", {1900: "sector_total"}),
    ("es", "En contraste, Tabasco perdió 2 mil 300 empleos.", {2300: "sector_total"}),
    ("es", "Nuevo León concentra el mayor número, con 54 mil 300 trabajadores, seguido de Jalisco, con 41 mil 800.",
     {54300: "sector_total", 41800: "sector_total"}),
    # a sector as the subject, after the company that reports the figure
    ("es", "La consultora Deloitte estima que en México el sector de centros de datos emplea a unas 9 mil personas.",
     {9000: "sector_total"}),
    ("es", "Analistas de Citibanamex prevén que el año cierre con unos 580 mil empleos formales nuevos.",
     {580000: "sector_total"}),
    # ... but one facility's headcount is no total, even beside a state office
    ("es", "Según el secretario de Desarrollo Económico estatal, la nueva oficina cuenta hoy con 120 ingenieros.",
     {120: "existing"}),
    # an announced opening is new
    ("en", "Its rival Infosys announced last year a new centre in Apodaca with about 120 employees.", {120: "new"}),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[f"{c[0]}-{c[1][:40]}" for c in CASES])
def test_kinds(analyzer: Analyzer, lang: str, text: str, expected: dict[int, str]) -> None:
    got = kinds(analyzer, text, lang)
    assert {v: got.get(v) for v in expected} == expected, got


def test_a_total_compared_with_an_earlier_one_stays_a_total(analyzer: Analyzer) -> None:
    got = kinds(analyzer, "Over the first seven months, employers created 310,000 formal positions, compared with "
                          "402,000 in the same period of 2024.", "en")
    assert got == {310000: "sector_total", 402000: "sector_total"}
