"""Job counts and their places: the kinds of error dev11 (Mexican press style) showed, with hand-written en/es cases.

- Counts missed: a hiring verb in the participle, conditional or as a noun ("había contratado a 350 personas", "que
  emplearía a 3 mil personas", "la contratación de mil personas", "Arrancó con 35 personas", "se requieren unas mil
  700 personas"); an idiom that holds a training word ("emplea de forma directa a 4 mil personas" is no "forma");
  the rest of a total told before ("Las 600 restantes se ocuparán en ...", "600 de los nuevos puestos", "De las
  nuevas plazas, mil se destinarán a ..."); a change whose first figure is approximate ("pasará de alrededor de
  4 mil a 5 mil profesionales", "grow from about 4,000 to 5,000 staff"); "una veintena de ingenieros"; an elliptic
  figure after "seguirán trabajando" or before "correspondieron a", "entre"; a unit given as the predicate ("pero
  400 serán para desarrolladores de software", "400 will be software engineers"; not money: "los 3 mil millones
  serán para ...").
- Not a new count: a figure told before, restated with a definite article ("buscará cubrir las 500 plazas", "for
  the 500 positions") or in a quotation by the same company ("“Buscamos a 80 ingenieras e ingenieros”").
- Places: the head of an apposition whose landmark comes right before "donde" ("en Kanasín, municipio conurbado a
  la capital del estado, donde trabajarán 350"); where a count's people come from is no site ("140 empleados, la
  mayoría transferidos desde las oficinas ... en Monterrey", not a date: "desde enero"); "ese municipio" is the city
  named just before; "en ella"/"en él" is the facility told before; "en la ciudad" before the count in its clause
  is the story's city; "esta ciudad", "en este destino" the dateline's; "la capital" after Mexico City was named is
  Mexico City.
- "En la región sureste de Coahuila" is Coahuila ("en la región" alone stays no one place); a sentence-initial verb
  the model tags as a place ("Dijo que la entidad ...", the "Seguro Social" of the IMSS) is no place abroad; a list of
  places in another clause after the count is left out whole ("... y contrata a personal de Chiapas, Tabasco y
  Veracruz"); the Secretaría de Desarrollo Sustentable
  is an official's title.
- "salieron cerca de 900 personas" (people who left), "faltan alrededor de mil 300" (a figure after a verb of need)
  are counts.
- A global headcount after "out of"/"de un total de" ("out of roughly 2,000 worldwide"); "has since rehired around
  400 people" (new); "where about 40 people worked".
- A headline's rounded figure ("148 mil empleos" for the body's "148 mil 320") is the same count.
"""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput


def counts(analyzer: Analyzer, text: str, lang: str) -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [(j["value"], j["city"], j["state"]) for j in result["job_counts"]]


def kinds(analyzer: Analyzer, text: str, lang: str) -> list[tuple]:
    result = analyzer.analyze(ArticleInput(text=text, title=None, lang=lang))
    return [(j["value"], j["kind"]) for j in result["job_counts"]]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Vantro amplió su planta de Tlajomulco de Zúñiga. En 2025, la firma ya había contratado a 350 personas en "
           "la planta para atender pedidos.", [350]),
    ("es", "Texas Instruments anunció en 2024 una fábrica en Sherman, Texas, que emplearía a 3 mil personas.", [3000]),
    ("es", "En 2023, Accenture había anunciado la contratación de mil personas en Guadalajara.", [1000]),
    ("es", "La nueva oficina de Corvix está en Tlaquepaque. Arrancó con 35 personas que antes trabajaban desde casa.",
     [35]),
    ("es", "Solo en Cancún se requieren unas mil 700 personas para la temporada.", [1700]),
    # an idiom that holds a training word ("forma") is no training context
    ("es", "El sector de centros de datos del estado emplea de forma directa a unas 4 mil personas, calcula la "
           "asociación.", [4000]),
    ("es", "Amazon emplea de forma directa a más de 13 mil personas en México.", [13000]),
    ("es", "La oficina de Celaya comenzará con una veintena de ingenieros.", [20]),
    ("es", "Jalisco registró 9 mil 400 empleos formales nuevos, de los cuales cerca de 2 mil correspondieron a la "
           "industria electrónica.", [9400, 2000]),
    ("es", "Nortek creará mil 800 empleos directos y unos 2 mil 500 indirectos entre sus proveedores del estado.",
     [1800, 2500]),
    # ... but still no count where a training verb is one
    ("es", "La empresa forma a 300 técnicos al año con el Conalep.", []),
])
def test_counts_missed(analyzer: Analyzer, lang: str, text: str, expected: list[int]) -> None:
    assert [v for v, _, _ in counts(analyzer, text, lang)] == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the rest of a total told before, in the next sentence, where its own sentence places it
    ("es", "Wistron prevé contratar a 2 mil personas en Nuevo León. De ese total, mil 400 plazas serán para la planta "
           "de Apodaca. Las 600 restantes se ocuparán en la nave de Santa Catarina.",
     [(2000, None, "Nuevo León"), (1400, "Apodaca", "Nuevo León"), (600, "Santa Catarina", "Nuevo León")]),
    ("es", "Datacorp creará 900 empleos directos. El mayor de los proyectos se levantará en El Marqués y concentrará "
           "600 de los nuevos puestos. Los 300 restantes serán para el centro de Apodaca.",
     [(900, None, None), (600, "El Marqués", "Querétaro"), (300, "Apodaca", "Nuevo León")]),
    ("en", "Kestrel will create 900 jobs at two data centres. The larger one, in El Marqués, will take 600 of the new "
           "jobs.", [(900, None, None), (600, "El Marqués", "Querétaro")]),
    ("es", "TCS contratará a 1,500 personas en México. De las nuevas plazas, mil se destinarán a su centro de entrega "
           "de Querétaro, y las 500 restantes a su oficina de Guadalajara.",
     [(1500, None, None), (1000, "Querétaro", "Querétaro"), (500, "Guadalajara", "Jalisco")]),
    ("es", "Mercado Libre contratará 1.200 personas en México durante 2027.\n\nLa mayor parte irá a logística, pero "
           "400 serán para desarrolladores de software que irán a su centro de tecnología de la Ciudad de México.",
     [(1200, None, None), (400, "Mexico City", "Ciudad de México")]),
    ("en", "Kestrel will hire 1,200 people in Mexico next year; 400 will be software engineers at its Guadalajara "
           "centre.", [(1200, None, None), (400, "Guadalajara", "Jalisco")]),
    ("es", "Los 3 mil millones serán para ingenieros de la planta de Apodaca.", []),
    ("es", "Neoris tiene más de 4 mil empleados en el país. En su sede de San Pedro Garza García seguirán trabajando "
           "alrededor de mil 300.", [(4000, None, None), (1300, "San Pedro Garza García", "Nuevo León")]),
])
def test_rest_of_total(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "Con estas contrataciones, la plantilla del centro queretano de TCS pasará de alrededor de 4 mil a 5 mil "
           "profesionales.", [(4000, "existing"), (5000, "planned")]),
    ("en", "With the new hires, headcount at the Querétaro centre will grow from about 4,000 to 5,000 staff.",
     [(4000, "existing"), (5000, "planned")]),
    # a figure with a thousands point inside the change
    ("es", "Con esa incorporación, el equipo tecnológico de Mercado Libre en la capital del país pasará de 1.800 a "
           "2.200 personas.", [(1800, "existing"), (2200, "planned")]),
    ("es", "En lo que va de 2026, Mercado Libre ha contratado a 1.500 personas en el país.", [(1500, "new")]),
])
def test_change_and_kind(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert kinds(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("es", "TCS contratará a 500 ingenieros en Guadalajara. La empresa buscará cubrir las 500 plazas con egresados "
           "de la zona metropolitana.", [500]),
    ("en", "Kestrel will hire 500 engineers in Guadalajara. Recruiting for the 500 positions begins in March.", [500]),
    # the company's hiring quoted
    ("es", "La empresa de pagos Clip abrió 80 vacantes para ingenieros de software en Guadalajara.\n\n\"¡Estamos "
           "contratando! Buscamos a 80 ingenieras e ingenieros backend\", escribió su director.", [80]),
    ("en", "Clip opened 80 vacancies for software engineers in Guadalajara.\n\n“We are hiring 80 engineers for our new "
           "hub,” its engineering director wrote.", [80]),
    # ... not another company's figure, nor a figure outside a quotation
    ("en", "Clip opened 80 vacancies in Guadalajara.\n\nKavak will hire 80 engineers there too.", [80, 80]),
])
def test_restated_figure(analyzer: Analyzer, lang: str, text: str, expected: list[int]) -> None:
    assert [v for v, _, _ in counts(analyzer, text, lang)] == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # the head of an apposition whose landmark stands right before "donde"
    ("es", "MÉRIDA, Yuc.- La firma Tekvia abrirá en enero un centro de desarrollo en Kanasín, municipio conurbado a "
           "la capital del estado, donde trabajarán 350 ingenieros al término de su primer año.",
     [(350, "Kanasín", "Yucatán")]),
    # where the people come from is no site
    ("es", "MONTERREY, NL.- Accenture inauguró un centro de servicios en San Pedro Garza García.\n\nEl centro, ubicado "
           "en una torre de la zona de Valle Oriente, abrió con 140 empleados, la mayoría transferidos desde las "
           "oficinas que la consultora mantiene en el centro de Monterrey.",
     [(140, "San Pedro Garza García", "Nuevo León")]),
    ("es", "MONTERREY, NL.- Accenture inauguró un centro de servicios en San Pedro Garza García.\n\nEl centro abrió "
           "con 140 empleados desde enero en San Pedro Garza García.", [(140, "San Pedro Garza García", "Nuevo León")]),
    ("en", "MONTERREY — Accenture opened a centre in San Pedro Garza García.\n\nThe centre opened with 140 employees, "
           "most of them relocated from its offices in downtown Monterrey.",
     [(140, "San Pedro Garza García", "Nuevo León")]),
    # "ese municipio": the city named just before
    ("es", "GUADALAJARA, Jal.- Flex tiene más de 800 vacantes abiertas en su campus de Zapopan. La compañía emplea en "
           "ese municipio a alrededor de 11 mil personas.",
     [(800, "Zapopan", "Jalisco"), (11000, "Zapopan", "Jalisco")]),
    # "en ella", "en él": the facility told before
    ("es", "AGUASCALIENTES, Ags.- Texas Instruments ampliará su planta en esta ciudad. La fábrica prueba circuitos "
           "analógicos. Actualmente laboran en ella mil 900 trabajadores.",
     [(1900, "Aguascalientes", "Aguascalientes")]),
    ("es", "Amazon inauguró un centro de distribución en Tultitlán, Estado de México. En su primer día ya trabajaban "
           "en él 620 colaboradores.", [(620, "Tultitlán", "Estado de México")]),
    # "en la ciudad" before the count in its clause: the story's city, not the last of a list of other states' cities
    ("es", "HERMOSILLO, Son.- Datanova abrió en la capital sonorense un centro que arrancó con 60 ingenieros.\n\n"
           "Datanova tiene en el país unos mil 800 empleados, repartidos entre Guadalajara, Mérida y la Ciudad de "
           "México.\n\nLa secretaria de Economía de Sonora dijo que la empresa es la tercera que se instala en la "
           "entidad. La planta de Ford en la ciudad emplea a más de 4 mil trabajadores.",
     [(60, "Hermosillo", "Sonora"), (1800, None, None), (4000, "Hermosillo", "Sonora")]),
    # "esta ciudad": the dateline's city, not the city the story names most
    ("es", "LEÓN, Gto.- Nodo Sistemas contratará a 40 programadores y abrirá una oficina en Celaya.\n\nLa compañía hoy "
           "emplea a sesenta personas en esta ciudad. La oficina de Celaya, en el parque tecnológico de Celaya, "
           "atenderá a proveedores de Celaya.", [(40, "León", "Guanajuato"), (60, "León", "Guanajuato")]),
    # "la capital" after Mexico City was named: Mexico City (not "la capital sonorense")
    ("es", "La fintech Clara, con sede en la Ciudad de México, abrirá un centro en Bogotá.\n\nEn 2025, la firma había "
           "contratado a 120 ingenieros en su sede de la capital.", [(120, "Mexico City", "Ciudad de México")]),
    ("es", "Datanova tiene oficinas en la Ciudad de México.\n\nLa empresa abrió en la capital sonorense un centro que "
           "arrancó con 60 ingenieros.", [(60, "Hermosillo", "Sonora")]),
    # "en este destino": the dateline's city
    ("es", "CANCÚN, Q. Roo.- Los hoteles del Caribe mexicano buscan cubrir vacantes antes de la temporada. Solo en "
           "este destino se requieren unas mil 700 personas.", [(1700, "Cancún", "Quintana Roo")]),
])
def test_places(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a headline's rounded figure is the body's count, told once
    ("es", "IMSS: se crearon 148 mil empleos formales en octubre\n\nMéxico generó 148 mil 320 empleos formales en "
           "octubre, informó el organismo.", [148320]),
    ("en", "Mexico adds 148,000 formal jobs in October\n\nMexico added 148,320 formal jobs in October, the social "
           "security institute said.", [148320]),
    # ... not a different figure
    ("es", "Nortek contratará a 150 ingenieros\n\nNortek contratará a 158 ingenieros en Saltillo.", [150, 158]),
])
def test_headline_rounded(analyzer: Analyzer, lang: str, text: str, expected: list[int]) -> None:
    result = analyzer.analyze(ArticleInput(text=text.split("\n\n", 1)[1], title=text.split("\n\n", 1)[0],
                                           lang=lang))
    assert sorted(j["value"] for j in result["job_counts"]) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # "en la región" of a named state is that state, not a region beyond it
    ("es", "RAMOS ARIZPE, Coah.- Foxconn abrió una planta con 1,200 empleados.\n\nCon esta apertura, la empresa suma "
           "alrededor de 4,500 trabajadores en la región sureste de Coahuila.",
     [(1200, "Ramos Arizpe", "Coahuila"), (4500, None, "Coahuila")]),
    ("es", "Foxconn emplea a 900 personas en la región, sobre todo en Saltillo.", [(900, None, None)]),
    # a sentence-initial verb the model takes for a place abroad is none: "la entidad" is the state named before
    ("es", "QUERÉTARO, Qro.- Empresarios debatieron sobre energía en un foro.\n\nEl secretario de Desarrollo "
           "Sustentable del estado de Querétaro, Marcelo Villaseñor, presentó un estudio sobre infraestructura. Dijo "
           "que la entidad cerró octubre con 720 mil trabajadores asegurados.", [(720000, None, "Querétaro")]),
    # an official's state is no site of a company's count
    ("es", "Según la secretaria de Desarrollo Sustentable del estado de Querétaro, Arvato contratará a 300 personas en "
           "el país.", [(300, None, None)]),
    # nor part of an institute's name ("Instituto Mexicano del Seguro Social")
    ("es", "AGUASCALIENTES, Ags.- Texas Instruments ampliará su planta.\n\nSegún el Instituto Mexicano del Seguro "
           "Social, la industria electrónica de la entidad cerró septiembre con 14 mil 500 empleos formales.",
     [(14500, None, "Aguascalientes")]),
    # a list of places in another clause after the count is left out whole, not only its first place
    ("es", "CANCÚN, Q. Roo.- Los hoteles buscan personal para la temporada.\n\nPalace Resorts, por ejemplo, abrió 450 "
           "vacantes en sus hoteles de la entidad y contrata a personal de Chiapas, Tabasco y Veracruz.",
     [(450, None, "Quintana Roo")]),
    ("en", "CANCÚN — Resorts are short of staff for the season.\n\nPalace Resorts opened 450 vacancies at its hotels "
           "in the state and recruits staff from Chiapas, Tabasco and Veracruz.", [(450, None, "Quintana Roo")]),
])
def test_region_title_and_verbs(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # people who left ("salieron"), a figure after a verb of need ("faltan")
    ("es", "El anuncio coincide con el cierre de la planta que Nortek mantenía en Reynosa, Tamaulipas, donde en 2025 "
           "salieron cerca de 900 personas.", [(900, "Reynosa", "Tamaulipas")]),
    ("es", "CANCÚN, Q. Roo.- Los hoteles buscan personal.\n\nSolo en este destino se requieren unas mil 700 personas, "
           "mientras que en Playa del Carmen faltan alrededor de mil 300.",
     [(1700, "Cancún", "Quintana Roo"), (1300, "Playa del Carmen", "Quintana Roo")]),
])
def test_need_and_departures(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert counts(analyzer, text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a global headcount after "out of" / "de un total de"; "rehired"; "where about 40 people worked"
    ("en", "Wizeline currently employs about 1,500 people in Mexico, out of roughly 2,000 worldwide. It has since "
           "rehired around 400 people, Garza said.", [(1500, "existing"), (2000, "existing"), (400, "new")]),
    ("es", "Wizeline emplea a unas mil 500 personas en México, de un total de 2 mil en el mundo.",
     [(1500, "existing"), (2000, "existing")]),
    ("en", "The company also closed a small customer service office in Guadalajara, where about 40 people worked.",
     [(40, "existing")]),
])
def test_global_and_past(analyzer: Analyzer, lang: str, text: str, expected: list[tuple]) -> None:
    assert kinds(analyzer, text, lang) == expected
