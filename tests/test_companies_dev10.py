"""Company extraction: kinds of errors the blind set dev10 showed (products, brands and units of a company named
like companies, a title-case headline's verb glued to a name, a person's surname named alone, associations, the
form of a gazetteer name the text writes first, Spanish names cut short or shortened by the text, quotations).
Every sentence here was written for these tests; the events and figures are invented."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.companies import company_mentions
from mxwatch.pipelines.nlp import get_nlp


def companies(text: str, lang: str) -> set[str]:
    return {m.name for m in company_mentions(get_nlp(lang)(text))}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # software products named beside the company that sells them
    ("Oracle's new Guadalajara region offers databases, Kubernetes and its Vertex AI tools to banks.", "en",
     {"Oracle"}),
    # a maker's name before a product or skill noun is the product
    ("Brixa Consulting will add 80 consultants in Puebla to move clients' SAP systems to the cloud and to run "
     "SAP support for carmakers.", "en", {"Brixa Consulting"}),
    # ... but the maker acting, introduced as a company or backing someone, is the company
    ("SAP, the German software group, will open a lab in Zapopan.", "en", {"SAP"}),
    ("With Microsoft support, the start-up Kovra trained 300 engineers in Mérida.", "en", {"Microsoft", "Kovra"}),
    # names in a list of brands
    ("Grupo Posadas, which runs brands such as Fiesta Americana and Live Aqua, will add 300 staff in Cancún.", "en",
     {"Grupo Posadas"}),
    ("La hotelera Grupo Posadas, que opera marcas como Fiesta Americana y Live Aqua, contratará a 300 personas.",
     "es", {"Grupo Posadas"}),
])
def test_products_and_brands(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a unit of the company the story is about, named with a possessive
    ("Mercado Libre will spend more on warehouses and on its Mercado Pago lending arm this year.", "en",
     {"Mercado Libre"}),
    ("Mercado Libre posted higher sales. The group's payments unit, Mercado Pago, added two million accounts.",
     "en", {"Mercado Libre"}),
    ("Mercado Libre destinará parte de la inversión a su brazo financiero, Mercado Pago, según la empresa.", "es",
     {"Mercado Libre"}),
    # the same name listed among competitors is a company
    ("The Querétaro payments company Kovra competes with Mercado Pago, Getnet and the big banks.", "en",
     {"Kovra", "Mercado Pago", "Getnet"}),
    ("La fintech Kovra compite con Mercado Pago y Getnet por los comercios pequeños.", "es",
     {"Kovra", "Mercado Pago", "Getnet"}),
])
def test_units_of_a_company(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a title-case headline's verb ends the name; the web domain names the company's short name
    ("Tarsal Tech Announces Design Centre in Aguascalientes\n\nAGUASCALIENTES — Tarsal Tech will hire 90 engineers "
     "for a Design Centre in the city. Press: media@tarsal.example.com", "en", {"Tarsal"}),
    ("Vorlane Robotics Opens Test Lab in Saltillo\n\nVorlane Robotics, a maker of welding cells, said the lab would "
     "employ 45 people.", "en", {"Vorlane Robotics"}),
    # the model's span that opens with an indefinite article is a common noun, not a name
    ("Quimbal Systems said it would build a Centre of Excellence for plant software in León.", "en",
     {"Quimbal Systems"}),
])
def test_headline_verbs(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a surname the text gave with a title is a person where it stands alone
    ("Pellar Infotech will double its Mérida staff, said Pellar's head of delivery, Anand Kulkarni, on Monday. "
     "Kulkarni said the firm would hire 80 more engineers.", "en", {"Pellar"}),
    ("Dijo la directora de operaciones de Pellar Infotech, Sunita Rao, que la empresa contratará a 80 ingenieros. "
     "Rao agregó que abrirán otra oficina.", "es", {"Pellar Infotech"}),
])
def test_surnames_of_titled_people(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # an economic development partnership is an association
    ("The Greater Tucson Partnership said Amphora Devices would add 300 jobs at its plant near Nogales.", "en",
     {"Amphora Devices"}),
    # a plural possessive before "groups" names who the groups are made of
    ("Tenvik Data will use recycled water at its Apodaca campus. Ranchers' groups had asked for a water study.",
     "en", {"Tenvik Data"}),
    # a gang calling itself by a name
    ("A crew calling itself Red Lynx said it had stolen files from Banorte.", "en", {"Banorte"}),
    # a word opening a quotation, named nowhere else
    ("“Reliability is what our clients buy,” said Corvane's plant director, Luis Ortega.", "en", set()),
    # an event word in the name's first place does not make a fund an event
    ("The start-up is backed by Summit Peak Ventures and Ridgeway Capital.", "en",
     {"Summit Peak Ventures", "Ridgeway Capital"}),
])
def test_not_companies(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a gazetteer name whose first word is an alias: the form the text writes first
    ("EPAM hires in Mérida\n\nEPAM Systems will add 200 engineers in Mérida. EPAM said the office opens in May.",
     "en", {"EPAM"}),
    ("EPAM Systems abre oficina en Mérida\n\nEPAM Systems contratará a 200 ingenieros. EPAM dijo que abrirá en mayo.",
     "es", {"EPAM Systems"}),
    # one form only: the canonical name
    ("Companies such as EPAM and Globant hire engineers in Guadalajara.", "en", {"EPAM Systems", "Globant"}),
])
def test_gazetteer_name_as_written(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # Spanish business nouns open company names in English stories
    ("The work will be done by a local partner, Sistemas Zempoala, and by Muebles Arteaga, which leased the "
     "second building.", "en", {"Sistemas Zempoala", "Muebles Arteaga"}),
    # a name the model cut before "del"
    ("The third building went to the tyre importer, Llantas del Bajío, which will employ 60 people.", "en",
     {"Llantas del Bajío"}),
    # a longer name is the shorter form the text also writes alone
    ("Kestwick Software bought Soluciones Portuarias Integrales, a Veracruz reseller. Soluciones Portuarias' staff "
     "of 40 will join Kestwick.", "en", {"Kestwick", "Soluciones Portuarias"}),
    ("Kestwick Software compró Soluciones Portuarias Integrales, su distribuidor en Veracruz. Los 40 empleados de "
     "Soluciones Portuarias se unirán a Kestwick.", "es", {"Kestwick", "Soluciones Portuarias"}),
])
def test_spanish_names(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a town written with its foreign state or country is a place, wherever else the text names it
    ("Velmora Devices will hire 300 people at its Chandler, Arizona, plant. Chandler has a large pool of "
     "technicians, the company said.", "en", {"Velmora Devices"}),
    ("Kaltrix Medical abrirá un centro en Heredia, Costa Rica, y no en Guadalajara. Heredia ya tiene 20 empresas del "
     "sector, dijo Kaltrix Medical.", "es", {"Kaltrix Medical"}),
    # a company's cloud region named with a possessive
    ("Oracle will add a second data hall for its Mexico North cloud region in Apodaca.", "en", {"Oracle"}),
    # a metropolitan area's development group
    ("Economic developers at Greater Tulsa estimated 2,000 indirect jobs from Valtro Semiconductor's plant.", "en",
     {"Valtro Semiconductor"}),
    # a future-tense verb opening a question in an interview
    ("¿Invertirán más en Mérida? La tecnológica Zentrik dijo que sí.", "es", {"Zentrik"}),
    # "Hoteles" opening a hotel chain's name stays in it
    ("En Campeche, la cadena local Hoteles Costamar contratará a 90 personas.", "es", {"Hoteles Costamar"}),
])
def test_places_regions_and_openers(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a list after both a company noun and "brands" names companies
    ("Suppliers to companies and brands such as Bimbo, Cemex and Coppel will meet in Monterrey.", "en",
     {"Bimbo", "Cemex", "Coppel"}),
    # a gang naming itself, but not a company renamed
    ("Hackers calling themselves Grey Harbor posted the files; the bank said Grey Harbor had not contacted it.",
     "en", set()),
    ("Un grupo que se hace llamar Lobo Rojo reivindicó el ataque contra Coppel.", "es", {"Coppel"}),
    ("Kuali, which renamed itself Brixo last year, will hire 60 engineers in Guadalajara. Brixo said the office "
     "opens in May.", "en", {"Kuali", "Brixo"}),
])
def test_lists_and_self_names(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a hyphenated company noun, which the tokenizer splits in three, still introduces a name
    ("Quillon bought the Mexican payroll start-up Tandri for $80 million. Tandri's founders left last year.", "en",
     {"Tandri"}),
    # Mexican companies in the gazetteer: an industrial-park developer, a job board
    ("La china Hengtai se mudará a un parque industrial desarrollado por Finsa en Apodaca.", "es",
     {"Hengtai", "Finsa"}),
    ("Según la bolsa de trabajo OCC, las vacantes de ingeniería crecieron 12% en Jalisco.", "es", {"OCC"}),
])
def test_cues_and_gazetteer(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a staffing firm introduced as a recruiter, or as "la firma local de reclutamiento"
    ("Local recruiter Grupo Talento Norteño said wages for line operators had risen 9% in a year.", "en",
     {"Grupo Talento Norteño"}),
    ("La firma local de reclutamiento Talento Potosino estima que hay 900 vacantes abiertas en la zona.", "es",
     {"Talento Potosino"}),
    # a person named after a company noun is no list's first item
    ("Demand is strong, said recruiter Ana Lucía Ferrer of the staffing firm Talenta Norte.", "en",
     {"Talenta Norte"}),
])
def test_recruiters(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a name opening with "Cumbre" is an event unless the text presents it as a company
    ("La consultora mexicana Cumbre Andina abrirá en Puebla un centro con 200 empleos.", "es", {"Cumbre Andina"}),
    ("La Cumbre Nearshoring reunió a 300 empresarios en Monterrey; Kavak fue patrocinador.", "es", {"Kavak"}),
    # a city's nickname
    ("El nuevo centro de Cumbre Andina en la Angelópolis contratará primero a 120 desarrolladores, dijo la "
     "consultora Cumbre Andina.", "es", {"Cumbre Andina"}),
])
def test_events_and_nicknames(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # "competitors are A and B" lists companies; an owner named with "propiedad de" is a company
    ("Sus principales competidores son Lala, que emplea a 30 mil personas, y la francesa Danone.", "es",
     {"Lala", "Danone"}),
    ("Its main rivals are Kovra and Getnet, the company said.", "en", {"Kovra", "Getnet"}),
    ("Compite con la departamental Suburbia, propiedad de Liverpool, y con la irlandesa Primark.", "es",
     {"Suburbia", "Liverpool", "Primark"}),
    # ... but a nationality after "are" is no company
    ("The start-ups the fund backs are Colombian and Chilean, its partner said.", "en", set()),
    ("Las empresas del fondo son Colombianas en su mayoría.", "es", set()),
])
def test_lists_after_are(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # an appositive "a <company noun> from <place>" where the model saw no person
    ("Bytewell, a software developer from Wrocław, has opened a delivery hub in Mérida with 60 engineers.", "en",
     {"Bytewell"}),
    # ... and a person the model tagged stays a person
    ("Tomasz Wrona, a software developer from Poznań, moved to Mérida last year.", "en", set()),
])
def test_appositive_from(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # names a company competes with, or its rivals include, are companies even where the model saw people
    ("Clip competes for merchants with Mercado Pago, Pagora and the terminals offered by banks.", "en",
     {"Clip", "Mercado Pago", "Pagora"}),
    ("Sus rivales incluyen a Zelvo y Tarpan, ambas de Monterrey.", "es", {"Zelvo", "Tarpan"}),
    ("La fintech compite con Zelvo y Tarpan por los comercios pequeños.", "es", {"Zelvo", "Tarpan"}),
    # ... but a city competing with another city names no company
    ("Guadalajara ya compite con Bangalore por ingenieros, dijo el director de Cognizant.", "es", {"Cognizant"}),
])
def test_rival_lists(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a generic word opening a name stays when a company noun introduces the name
    ("Grupo Posadas sumará 180 empleados, mientras que la cadena City Suites abrirá 90 vacantes.", "es",
     {"Grupo Posadas", "City Suites"}),
])
def test_generic_word_after_company_noun(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected
