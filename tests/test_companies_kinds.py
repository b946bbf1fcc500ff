"""Company extraction: kinds of errors that blind-written sets showed (people with their titles, common words
capitalised by a headline, figures after a name, products, datelines, tickers and listings, former names,
ambiguous names beside known companies). Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.companies import company_mentions
from mxwatch.pipelines.nlp import get_nlp


def companies(text: str, lang: str) -> set[str]:
    return {m.name for m in company_mentions(get_nlp(lang)(text))}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a person's title capitalised before the name: the person, not a company
    ("Tecnova will list its Chilean unit separately. Chief Executive Blanca Treviño said the split lets it grow.",
     "en", {"Tecnova"}),
    ("Founder Itzel Camarena, a former data scientist at IBM, said the startup would use the credits.", "en",
     {"IBM"}),
    # "X, the company's vice president": the company's person
    ("The plant employs 900 people, said Rodrigo Bastida, the company's vice president of logistics. "
     "\"We are growing,\" Bastida said.", "en", set()),
    # a company noun or a number word opening a headline
    ("Chipmaker picks Arizona over Mexicali for its first plant.", "en", set()),
    ("Tres fabricantes de electrónica anuncian 2 mil empleos en el norte del país.", "es", set()),
    ("Autopartera alemana abrirá planta en Celaya con 600 empleos.", "es", set()),
    # a sentence's first word that the text also writes in lower case
    ("Ransomware attack disrupts payments at Quelvix Logistics. The ransomware attack began on Monday, "
     "Quelvix Logistics said.", "en", {"Quelvix Logistics"}),
])
def test_not_a_company(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a figure after the name is a count, and a verb before it is no part of the name
    ("Grupo Xcaret said it will hire 900 people for its parks and hotels, and Palace Resorts 700.", "en",
     {"Grupo Xcaret", "Palace Resorts"}),
    ("En Monterrey, la chilena Sonda anunció 250 posiciones en Apodaca.", "es", {"Sonda"}),
    # a press release's boilerplate heading runs into its next sentence
    ("Quetzal Labs abrirá oficinas en Puebla. Acerca de Quetzal Labs Fundada en 2011, Quetzal Labs ofrece "
     "servicios de ingeniería de software.", "es", {"Quetzal Labs"}),
    # names joined by '&' are not shortened to a surname the text also uses for a person
    ("Explicó la abogada Regina Lozano, del despacho Lozano & Ibarra, que las empresas deberán cumplir.", "es",
     {"Lozano & Ibarra"}),
    # a cued name whose last word the model tagged alone
    ("A survey of 80 outsourcing buyers by the consultancy Ascend Nearshore found that a third had moved work.",
     "en", {"Ascend Nearshore"}),
])
def test_name_boundaries(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # an ambiguous gazetteer name beside known companies
    ("Liverpool, Coppel y Elektra también fueron apercibidas por la dependencia.", "es",
     {"Liverpool", "Coppel", "Elektra"}),
    ("Suppliers are following. Magna and Lear said they would expand nearby plants in Saltillo.", "en",
     {"Magna", "Lear"}),
    # a product is no company unless presented as one; a product's short form is no company
    ("Several hotel chains screen applicants with WhatsApp chatbots, Grupo Posadas said.", "en", {"Grupo Posadas"}),
    ("Samsung Electronics said the Galaxy Z Fold8 will go on sale in October.", "en", {"Samsung"}),
    # a place is no company, nor a place's short form
    ("Concentrix will hire 700 people for a U.S. client that wanted agents working U.S. Pacific hours, "
     "Concentrix said.", "en", {"Concentrix"}),
    ("SEÚL/CIUDAD DE MÉXICO, 28 de mayo (ANM).- La surcoreana Hanbit Display contratará a 800 personas en "
     "Tijuana, informó la compañía en Seúl.", "es", {"Hanbit Display"}),
    # tickers, offerings, payment systems and former names
    ("Kavak priced its IPO on Tuesday. The shares will trade under the ticker KVK.", "en", {"Kavak"}),
    ("Clip acepta transferencias SPEI y pagos con tarjeta.", "es", {"Clip"}),
    ("The company operates in Brazil through its Aligned Latam unit, formerly Odata, Aligned Data Centers said.",
     "en", {"Aligned Data Centers"}),
    # an exchange as a business, not as a listing
    ("The shares will begin trading on the New York Stock Exchange on Wednesday, Kavak said.", "en",
     {"Kavak", "New York Stock Exchange"}),
    ("Globant, listed on the New York Stock Exchange, works in 18 countries.", "en", {"Globant"}),
    # a name as the text writes it (Nubank, Movistar), as Meta and Facebook
    ("Nubank's Mexican arm and Kavak have both expanded technology hubs in the capital.", "en",
     {"Nubank", "Kavak"}),
    ("The phone is sold through carriers Telcel, AT&T and Movistar.", "en", {"Telcel", "AT&T", "Movistar"}),
])
def test_kinds(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a known company reporting its own news is named, not quoted as a source
    ("La china Lenovo informó que ampliará su planta de servidores en Apodaca con 500 empleos.", "es", {"Lenovo"}),
    # a plant "de" a city abroad names a place, not a company ("plantas de Caterpillar y Lear" do name companies)
    ("En su lugar, Orvane ampliará su planta de Fort Worth, Texas, donde contratará a 600 personas.", "es",
     {"Orvane"}),
    ("Las plantas de Caterpillar y Lear en Saltillo contratarán a 300 personas.", "es", {"Caterpillar", "Lear"}),
    # company nouns: 'payments processor X', 'department store chain X', 'la zapatera X', 'el operador logístico X'
    ("Payments processor Trellis will hire 350 people in Mexico City.", "en", {"Trellis"}),
    ("Revenue grew, helped by contracts with department store chain Liverpool.", "en", {"Liverpool"}),
    ("En León, la zapatera Calzamex abrirá diez tiendas y trabajará con el operador logístico Transportes Ruvalcaba.",
     "es", {"Calzamex", "Transportes Ruvalcaba"}),
    # a country, a cloud region and people are no companies
    ("\"Estamos en pláticas con empresas de Estados Unidos, Taiwán y Corea\", dijo el subsecretario.", "es", set()),
    ("Usuarios en Monterrey y la Ciudad de México reportaron cobros duplicados.", "es", set()),
])
def test_more_kinds(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # "Grupo X" and "X" are one company, named as the text first writes it
    ("Herdez invertirá 80 mdd en planta de alimentos. Grupo Herdez construirá una planta de salsas.", "es",
     {"Herdez"}),
    ("La firma tiene como clientes a Bimbo y Sigma.", "es", {"Bimbo", "Sigma"}),
    ("Tendrá como clientes a empresas como Grupo Elektra y Liverpool.", "es", {"Grupo Elektra", "Liverpool"}),
])
def test_grupo_as_written(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # a unit named after its parent, a company found in the gazetteer, goes under the parent
    ("Aligned Data Centers broke ground in El Marqués. Aligned's Latin America president said the company runs "
     "campuses in Chile through its Aligned Latam unit.", "en", {"Aligned Data Centers"}),
    # a standard is no company; known names as the text writes them
    ("Luxshare will build USB-C cables in Chihuahua, and Citibanamex will finance the plant.", "en",
     {"Luxshare", "Citibanamex"}),
])
def test_units_and_names(text: str, lang: str, expected: set[str]) -> None:
    assert companies(text, lang) == expected
