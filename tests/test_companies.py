"""Company extraction: normalisation, gazetteer aliases, company cues, and what is not a company.
Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.companies import company_mentions, get_lexicon, normalize_org_name
from mxwatch.pipelines.nlp import get_nlp


def companies(text: str, lang: str) -> set[str]:
    return {m.name for m in company_mentions(get_nlp(lang)(text))}


@pytest.mark.parametrize(("raw", "name"), [
    ("Arkanum Tecnologías, S.A. de C.V.", "Arkanum Tecnologías"),
    ("Pagos Rápidos S.A.P.I. de C.V.", "Pagos Rápidos"),
    ("Kraftwerk Elektronik GmbH", "Kraftwerk Elektronik"),
    ("Norvex Semiconductor Inc. (NASDAQ: NVXS)", "Norvex Semiconductor"),
    ("Andes Digital S.A.S.", "Andes Digital"),
    ("“Quantix Labs”", "Quantix Labs"),
    ("Helvetic Data AG's", "Helvetic Data"),
    ("the Telvora Co.", "Telvora"),
])
def test_normalize_org_name(raw: str, name: str) -> None:
    assert normalize_org_name(raw) == name


def test_mexican_subsidiary_goes_under_parent() -> None:
    lex = get_lexicon()
    assert lex.lookup("Walmart de México") == "Walmart"
    assert lex.lookup("BBVA México") == "BBVA"
    assert lex.lookup("Nu México") == "Nu"
    assert lex.lookup("Grupo México") == "Grupo México"  # a company of its own, not a subsidiary


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # short name the text itself uses; legal suffix and ticker dropped
    ("Norvex Semiconductor Inc. (NASDAQ: NVXS) will open a design centre in Guadalajara. Norvex said it "
     "will hire 200 engineers.", "en", {"Norvex"}),
    # appositive and "firm" cues, a list of companies
    ("Corvid Analytics, a U.S. data analytics company, opened an office in Monterrey, according to "
     "recruitment firm Hays. Companies such as Zentrix, Sanmina and Jabil are hiring too.", "en",
     {"Corvid", "Hays", "Zentrix", "Sanmina", "Jabil"} - {"Corvid"} | {"Corvid Analytics"}),
    # Spanish cues: "la surcoreana X", "X, con sede en", "empresas como"
    ("La surcoreana Daehan Semiconductor contratará a 500 trabajadores en Tlaquepaque. Daehan, con sede "
     "en Seúl, tiene centros en Asia.", "es", {"Daehan"}),
    ("Empresas como Telvora, Quentix y Sanmina anunciaron inversiones en el Bajío.", "es",
     {"Telvora", "Quentix", "Sanmina"}),
    ("Walmart de México y BBVA México anunciaron una alianza con la fintech Klarvo.", "es",
     {"Walmart", "BBVA", "Klarvo"}),
    ("Amazon Web Services y AWS México invertirán en Querétaro; HCL Technologies abrirá oficinas.", "es",
     {"Amazon", "HCLTech"}),
    # Spanish company nouns ("el fondo", "el transportista"), a "X Capital" head word, a hiring verb
    ("La startup Quelvar Digital recibió recursos del fondo regiomontano Pinar Capital y adquirió Norte "
     "Capital. El transportista Rutas Tapatías Unidas pidió un subsidio.", "es",
     {"Quelvar Digital", "Pinar Capital", "Norte Capital", "Rutas Tapatías Unidas"}),
    ("Liverpool contrató a 4 mil personas para la temporada navideña.", "es", {"Liverpool"}),
    # runs the model may miss that name themselves companies: a legal suffix, an appositive
    ("Meridia Cloud Holdings LLC, a Texas-based software company, will hire 90 engineers in León.", "en",
     {"Meridia Cloud Holdings"}),
])
def test_companies_found(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "unwanted"), [
    ("The company said it would hire 100 engineers.\nReporting by Salvador Rodriguez in San Francisco and "
     "Julia Love in Mexico City; Editing by Jonathan Weber", "en", {"Julia Love"}),
    ("Según datos del IMSS y del Inegi, el estado generó 15 mil empleos. Representantes de Canieti y de la "
     "AMITI celebraron el anuncio con el rector del ITESO y de la UNAM.", "es",
     {"IMSS", "Inegi", "Canieti", "AMITI", "ITESO", "UNAM", "Representantes"}),
    ("El Tec de Monterrey y la Universidad de Guadalajara firmaron un convenio con la Secretaría de "
     "Economía y la Unidad Estatal de Protección Civil.", "es",
     {"Tec de Monterrey", "Tec", "Universidad de Guadalajara", "Secretaría de Economía",
      "Unidad Estatal de Protección Civil"}),
    ("Rayados y Tigres empataron en el estadio; Chivas recibirá al líder el sábado.", "es",
     {"Rayados", "Tigres", "Chivas"}),
    ("The benchmark S&P/BMV IPC index fell 0.7 percent as the Bank of Mexico raised rates, said Lorena "
     "Vidal, an economist.", "en", {"S&P", "BMV IPC", "Bank of Mexico", "Bolsa Mexicana de Valores"}),
    ("\"We are growing,\" said Daniela Ortiz, a company spokeswoman. Startups have opened offices in the "
     "Roma neighbourhood and near Ejército Nacional avenue.", "en",
     {"Daniela Ortiz", "Roma", "Ejército Nacional"}),
    # a person after a job title, a dateline's state abbreviation, a headline verb, a product, "City, State"
    ("\"Vamos a crecer\", dijo el director de la planta, Park Seo-yeon, durante la visita. La directora de la "
     "empresa, Ximena Larrañaga, habló después.", "es", {"Park Seo-yeon", "Ximena Larrañaga"}),
    ("Detienen a tres por fraude en Zapopan\n\nZAPOPAN, Jal.- La policía detuvo a tres hombres que usaban "
     "la app de pagos Mercado Pago para cobrar.", "es", {"Detienen", "Jal", "Jal.- La", "Mercado Pago"}),
    ("Norvex Photonics, a Tucson, Arizona-based chipmaker, will open a plant in Hermosillo.", "en",
     {"Tucson"}),
])
def test_not_companies(text: str, lang: str, unwanted: set[str]) -> None:
    found = companies(text, lang)
    assert not found & unwanted, found


def test_accepted_name_counts_wherever_it_is_written() -> None:
    doc = get_nlp("es")("La empresa tapatía Kuali Digital abrirá una oficina. Kuali Digital contratará a 40 "
                        "personas y Kuali Digital ya factura 80 millones de pesos.")
    mentions = [m for m in company_mentions(doc) if m.name == "Kuali Digital"]
    assert len(mentions) == 3


@pytest.mark.parametrize(("text", "lang", "expected", "unwanted"), [
    # a headline's company noun or nationality is no part of the name
    ("Fintech Quorval opens a Monterrey hub\n\nQuorval will hire 200 developers in Monterrey.", "en",
     set(), {"Fintech Quorval"}),
    ("Its payments partner, the Dutch company Adyen, will place a team in Guadalajara.", "en",
     {"Adyen"}, {"Dutch company Adyen"}),
    # places joined by a conjunction are not a company
    ("Andavia Software grows with Hermosillo and Culiacán offices. Andavia Software, a Medellín-based "
     "IT firm, will hire 100 engineers.", "en", {"Andavia Software"}, {"Hermosillo and Culiacán"}),
    # separate companies since their spin-offs, not their former parents
    ("GE HealthCare and Hewlett Packard Enterprise will open offices in Guadalajara.", "en",
     {"GE HealthCare", "Hewlett Packard Enterprise"}, {"GE", "HP"}),
])
def test_descriptors_and_spin_offs(text: str, lang: str, expected: set[str], unwanted: set[str]) -> None:
    found = companies(text, lang)
    assert expected <= found
    assert not (unwanted & found)


def test_mexican_demonym_introduces_a_company() -> None:
    # "la tijuanense X" is "la surcoreana X" with a Mexican city: a company noun is understood
    found = companies("Compite con fabricantes de calzado como la leonesa Flexi y la tijuanense Blackcomb Digital.",
                      "es")
    assert {"Flexi", "Blackcomb Digital"} <= found


def test_acronym_in_brackets_is_the_same_company() -> None:
    from mxwatch.pipelines.companies import CompanyMention, _merge_bracket_acronyms

    def merged(text: str, names: list[str]) -> set[str]:
        mentions = []
        for name in names:
            start = text.index(name)
            mentions.append(CompanyMention(name, name, start, start + len(name), False))
        return {m.name for m in _merge_bracket_acronyms(text, mentions)}

    text = "La láctea Grupo Lácteo del Centro (GLC) abrirá una planta. GLC emplea a 900 personas."
    assert merged(text, ["Grupo Lácteo del Centro", "GLC"]) == {"Grupo Lácteo del Centro"}
    # only the acronym found: the long name is spelled out by the capitalised words before the bracket
    text = "Serventia will buy Puebla's Ingeniería Digital Angelópolis (IDA). IDA employs 60 people."
    assert merged(text, ["IDA"]) == {"Ingeniería Digital Angelópolis"}
    # a formal legal name goes under its acronym, the common short name
    text = "Sistemas Inteligentes del Golfo, S.A. de C.V. (SIGSA) abrirá un centro. SIGSA tiene 95 empleados."
    assert merged(text, ["Sistemas Inteligentes del Golfo", "SIGSA"]) == {"SIGSA"}
    # a bracket that does not spell the name is something else
    text = "Nortia Labs (NASDAQ) and Brightwave (BW) said so."
    assert merged(text, ["Nortia Labs", "Brightwave"]) == {"Nortia Labs", "Brightwave"}


def test_acronym_of_a_long_name_in_a_real_sentence() -> None:
    found = companies("La firma Soluciones Logísticas del Norte (SLN) contratará a 300 personas en Saltillo. "
                      "SLN ya tiene 120 empleados.", "es")
    assert found == {"Soluciones Logísticas del Norte"}


@pytest.mark.parametrize(("text", "expected"), [
    # a dateline's state abbreviation and dash are not part of the name
    ("HERMOSILLO, Son.- Halcón Data, proveedora canadiense de servicios de nube, instalará un centro.",
     {"Halcón Data"}),
    # a name that opens, operates or cuts staff, with no company noun before it
    ("Zentria abrirá en Tijuana un estudio de videojuegos.", {"Zentria"}),
    ("Quantix atiende a 45 bancos en América Latina.", {"Quantix"}),
    # company nouns and modifiers: 'la plataforma de reparto X', 'la empresa cervecera X'
    ("La plataforma de reparto Entregax despidió a 300 empleados.", {"Entregax"}),
    ("La empresa cervecera Tres Volcanes anunció una inversión.", {"Tres Volcanes"}),
])
def test_spanish_companies_without_the_usual_cue(text: str, expected: set[str]) -> None:
    assert companies(text, "es") == expected


def test_dateline_dash_does_not_glue_words_to_the_name() -> None:
    found = companies("MONTERREY, NL.- La japonesa Sakurai Denki construirá una planta en Apodaca.", "es")
    assert found == {"Sakurai Denki"}


def test_agency_after_a_name_is_government() -> None:
    assert companies("Peru's ProInversión agency said the project was the largest this year.", "en") == set()
