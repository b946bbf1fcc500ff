"""Relevance: the fitted model keeps tech expansion in Mexico and rejects the hard negatives (hand-written)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput
from mxwatch.pipelines.relevance import FEATURES, WEIGHTS_FILE, score_features
from mxwatch.pipelines.relevance_fit import fit, leave_one_set_out, set_of


@pytest.mark.parametrize(("lang", "title", "text", "relevant"), [
    ("en", "Infosys opens Monterrey delivery centre, will hire 1,000 engineers",
     "Indian IT services company Infosys opened a software delivery centre in Apodaca, Nuevo León, and will hire "
     "1,000 engineers over three years for cloud and data projects, the company said on Monday.", True),
    ("es", "Intel ampliará su centro de diseño en Tlaquepaque con 500 ingenieros",
     "Intel invertirá 200 millones de dólares para ampliar su centro de diseño de semiconductores en Tlaquepaque, "
     "Jalisco, donde contratará a 500 ingenieros de software y hardware, informó la empresa.", True),
    ("en", "Brewer to open $500 million brewery in Zacatecas, creating 900 jobs",
     "Grupo Modelo will build a brewery in Calera, Zacatecas, investing $500 million and hiring 900 workers to "
     "produce beer for export, the state government said. The plant will be the company's largest in the north.",
     False),
    ("es", "Autopartera alemana abrirá planta en Silao con 600 empleos",
     "La fabricante alemana de autopartes Grupo Antolin instalará una planta de asientos y tableros en Silao, "
     "Guanajuato, donde contratará a 600 trabajadores para abastecer a armadoras de la región.", False),
    ("en", "Globant opens Bogotá hub, will hire 400 engineers in Colombia",
     "Globant opened a software development hub in Bogotá and will hire 400 engineers in Colombia over two years. "
     "The company, which also has offices in Mexico, said Colombia offered the talent it needed.", False),
    ("es", "Huracán deja lluvias intensas en Guerrero y Oaxaca",
     "El huracán provocó lluvias intensas en Acapulco y en la costa de Oaxaca, informó Protección Civil. "
     "Las autoridades abrieron albergues y suspendieron clases en 20 municipios.", False),
    # the expansion happens abroad; Mexico is the runner-up and an existing headcount
    ("en", "Zenvia Labs opens Lima hub after Monterrey comes a close second",
     "Software company Zenvia Labs will open a development hub in Lima that will employ 300 engineers, choosing "
     "Peru over Monterrey and Bogotá. The company has 150 employees in Mexico City and no plans to change that.",
     False),
    ("es", "Kontor abre centro en Santiago con 400 ingenieros; México queda segundo",
     "La firma alemana de software Kontor abrirá un centro de desarrollo en Santiago, Chile, donde contratará a "
     "400 ingenieros. La empresa evaluó también Guadalajara, pero eligió Chile por sus costos.", False),
    # tech news in Mexico without any expansion
    ("en", "Hackers expose data of 30,000 Jalisco state workers",
     "Personal data of 30,000 Jalisco state government workers were exposed after attackers broke into a payroll "
     "software system run by a contractor in Guadalajara, officials said. The cloud platform was not affected.",
     False),
    # job cuts and a tech expansion abroad that once considered Mexico
    ("en", "Software maker Orlen Systems cuts 900 jobs; Monterrey office spared",
     "Orlen Systems, a U.S. software company, said it would cut 900 jobs worldwide in a restructuring. Its "
     "Monterrey office, with 300 engineers, was spared, and the company has no plans to expand it.", False),
    ("es", "Pagora abrirá centro de desarrollo en Medellín; descartó Guadalajara",
     "La fintech mexicana Pagora abrirá en Medellín, Colombia, un centro de desarrollo que contratará a 150 "
     "programadores. La empresa tiene 400 empleados en México y no prevé nuevas contrataciones en el país.", False),
    ("es", "Startup de pagos digitales abre oficinas en León con 80 empleos",
     "Tarjetia, startup mexicana de pagos digitales, abrirá oficinas en León, Guanajuato, y contratará a 80 "
     "personas este año para atender a comercios de la región, informó la compañía.", True),
    # other industries that use tech words, a namesake city abroad, and unusual positives
    ("en", "Gear maker Brandt Antriebe to hire 700 at Apodaca plant",
     "German auto-parts maker Brandt Antriebe will build a transmission plant in Apodaca, Nuevo León, and hire "
     "700 workers. The plant will use automated welding lines and robots to supply Ford.", False),
    ("es", "Minera amplía mina de cobre en Sonora con camiones autónomos",
     "La minera canadiense Cobrenorte ampliará su mina de cobre en Cananea, Sonora, donde contratará a 500 "
     "trabajadores. La empresa instalará sensores y camiones autónomos en los tajos.", False),
    ("en", "Chip start-up opens lab in Durango, Colorado",
     "Chip start-up Voltaic Labs opened a test laboratory in Durango, Colorado, and will hire 60 engineers "
     "there. Its boards are assembled by a partner in Tijuana, Mexico.", False),
    ("en", "Seattle start-up hires 50 remote developers in Mexico",
     "Cardinal Apps, a Seattle maker of accounting software, has hired 50 developers who work remotely from "
     "Mexican cities such as Puebla and Morelia, and plans to hire 30 more this year.", True),
    ("es", "Japonesa planea centro de diseño electrónico en Celaya para 2027",
     "La japonesa Tsubaki Denshi planea abrir para 2027 un centro de diseño de electrónica automotriz en "
     "Celaya, Guanajuato, que podría emplear a 150 ingenieros.", True),
])
def test_relevance_cases(analyzer: Analyzer, lang: str, title: str, text: str, relevant: bool) -> None:
    result = analyzer.analyze(ArticleInput(text=text, title=title, lang=lang))
    assert result["relevant"] is relevant, result["relevance"]


def test_weights_are_stored_data_for_every_feature() -> None:
    weights = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "bias" in weights and all(name in weights for name in FEATURES)


def test_score_is_monotonic_in_the_event_sentence() -> None:
    base = dict.fromkeys(FEATURES, 0.5)
    assert score_features({**base, "ev_mx": 1.0}) > score_features({**base, "ev_mx": 0.0})
    assert score_features({**base, "ev_foreign": 1.0}) < score_features({**base, "ev_foreign": 0.0})


def _features(analyzer: Analyzer, lang: str, title: str, text: str) -> dict[str, float]:
    return next(analyzer.relevance_features_many([ArticleInput(text=text, title=title, lang=lang)]))


def _score(analyzer: Analyzer, lang: str, title: str, text: str) -> float:
    return analyzer.analyze(ArticleInput(text=text, title=title, lang=lang))["relevance"]


def test_event_needs_expansion_place_and_tech_in_one_sentence(analyzer: Analyzer) -> None:
    together = _features(analyzer, "en", "Company news",
                         "Nubix will open a software development centre in Guadalajara. The weather was mild.")
    apart = _features(analyzer, "en", "Company news",
                      "Nubix will open a new office. Guadalajara had mild weather. Software sales rose.")
    assert together["ev_mx"] > 0.5
    assert apart["ev_mx"] == 0.0


def test_lede_expansion_abroad_and_other_industries(analyzer: Analyzer) -> None:
    abroad = _features(analyzer, "en", "Software firm picks Bogotá",
                       "Kestrix will open a software hub in Bogotá, Colombia, after weighing Guadalajara. "
                       "Kestrix will hire 200 software engineers in Colombia. It has an office in Monterrey.")
    assert abroad["lede_exp_foreign"] > 0.5 and abroad["ev_foreign"] > 0.5
    # a hyphen in the text matches the term's space ("auto-parts" / "auto parts")
    parts = _features(analyzer, "en", "Auto-parts maker to open plant in Saltillo",
                      "An auto-parts maker will open a plant in Saltillo, Coahuila, with 500 jobs.")
    assert parts["lede_non_tech"] == 1.0 and parts["ev_mx"] == 0.0


def test_sector_share_counts_statistics(analyzer: Analyzer) -> None:
    title = "Empleo en Jalisco crece: IMSS"
    text = ("La industria electrónica de Jalisco sumó 3 mil empleos formales en el trimestre y llegó a 112 mil "
            "trabajadores asegurados, según el IMSS. A nivel nacional se crearon 95 mil empleos formales.")
    assert _features(analyzer, "es", title, text)["sector_share"] == 1.0
    assert analyzer.analyze(ArticleInput(text=text, title=title, lang="es"))["relevant"] is False


def test_set_of_and_leave_one_set_out() -> None:
    assert [set_of(i) for i in ("dev2-en-004", "dev-es-001", "written-3", "demo-017")] == [
        "dev2", "dev", "written", "demo"]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 2))
    y = (x[:, 0] + 0.3 * rng.normal(size=120) > 0).astype(float)
    groups = ["a"] * 40 + ["b"] * 40 + ["c"] * 40
    scores, decisions, lines = leave_one_set_out(x, y, groups, ["en"] * 60 + ["es"] * 60, k=3)
    assert scores.shape == (120,) and (decisions == (y > 0.5)).mean() > 0.85
    assert lines[0].startswith("  leave-one-set-out F1: en ") and "per set: a " in lines[1]


def test_fit_separates_a_simple_signal() -> None:
    x = np.array([[0.0], [0.1], [0.2], [0.8], [0.9], [1.0]])
    y = np.array([0, 0, 0, 1, 1, 1], dtype=float)
    w = fit(x, y, l2=0.01)
    assert w[1] > 0 and (w[0] + w[1] * 0.9) > 0 > (w[0] + w[1] * 0.1)


def test_weights_record_cross_validation() -> None:
    weights = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "eval" not in weights["_fitted_on"]
    assert 0.3 <= weights["_threshold"] <= 0.7 and weights["_cv"]


def test_weights_record_calibration() -> None:
    weights = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert any(line.strip().startswith("calibration (out of fold): Brier") for line in weights["_cv"])


def test_contraction_signals_lower_the_score() -> None:
    base = dict.fromkeys(FEATURES, 0.5)
    assert score_features({**base, "head_contraction": 1.0}) < score_features({**base, "head_contraction": 0.0})
    assert score_features({**base, "lede_exp_foreign": 1.0}) < score_features({**base, "lede_exp_foreign": 0.0})
    assert score_features({**base, "lede_non_tech": 1.0}) < score_features({**base, "lede_non_tech": 0.0})


def test_weights_record_leave_one_set_out() -> None:
    weights = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "dev5" in weights["_fitted_on"]
    assert any(line.strip().startswith("leave-one-set-out F1:") for line in weights["_cv"])


# --- kinds of story the development sets lacked (sentences written for these tests) ---

@pytest.mark.parametrize(("lang", "title", "text"), [
    # a denial in the headline
    ("en", "Chipmaker denies plan for Tijuana plant",
     "Orbis Silicon denied on Monday a newspaper report that it will build a chip plant in Tijuana with 2,000 jobs, "
     "saying it has no plans for new factories in Mexico."),
    ("es", "Tecnológica desmiente que abrirá oficinas en Puebla",
     "La estadounidense Vantix Software desmintió que vaya a abrir un centro de desarrollo en Puebla con 400 "
     "ingenieros, como publicaron medios locales. \"No tenemos ningún proyecto en el estado\", dijo."),
    # a cancellation
    ("en", "Server maker scraps Monterrey plant",
     "Taiwanese server maker Kuolin has cancelled its planned $200 million plant in Apodaca, Nuevo León, which "
     "was to employ 1,500 workers, and will expand in Texas instead."),
    ("es", "Cancela Yuntai su planta de electrónica en Querétaro",
     "La china Yuntai canceló la planta de tarjetas electrónicas que construiría en El Marqués, Querétaro, con 900 "
     "empleos, por la incertidumbre arancelaria."),
    # earnings, a forum, an election, a decree: tech words and Mexican places, no expansion
    ("es", "Fintech Lumo reporta utilidades récord en el trimestre",
     "La fintech Lumo reportó utilidades por 80 millones de dólares en el trimestre; su operación en la Ciudad de "
     "México, con 900 empleados, sumó 3 millones de clientes. La firma no anunció nuevas contrataciones."),
    ("en", "Developers gather in Guadalajara for cloud summit",
     "Some 8,000 developers attended a cloud summit in Guadalajara, where Oracle and IBM showed new software. "
     "No company announced hiring or new offices at the event."),
])
def test_denials_cancellations_and_other_events_are_not_expansion(analyzer: Analyzer, lang: str, title: str,
                                                                  text: str) -> None:
    assert _features(analyzer, lang, title, text)["head_non_event"] == 1.0
    assert analyzer.analyze(ArticleInput(text=text, title=title, lang=lang))["relevant"] is False


def test_a_denied_sentence_states_no_event(analyzer: Analyzer) -> None:
    denied = _features(analyzer, "en", "Company news",
                       "A spokesperson denied that Nubix will open a software centre in Guadalajara.")
    stated = _features(analyzer, "en", "Company news", "Nubix will open a software centre in Guadalajara.")
    assert denied["ev_mx"] == 0.0 and denied["exp_mexico"] == 0.0 and stated["ev_mx"] > 0.5


def test_a_term_inside_a_name_is_not_the_story_type(analyzer: Analyzer) -> None:
    # "Cumbre" (summit) and "Forum" inside names; a title-case headline still counts its words
    assert _features(analyzer, "es", "Cumbre Software abrirá oficinas en León",
                     "Cumbre Software abrirá oficinas en León, Guanajuato, con 90 programadores.")[
        "head_non_event"] == 0.0
    assert _features(analyzer, "en", "Apple Denies Report Of iPhone Plant In Querétaro",
                     "Apple denied a report that it would build a plant in Querétaro.")["head_non_event"] == 1.0


def test_new_mexico_is_abroad(analyzer: Analyzer) -> None:
    text = ("Chipmaker Veyra will add 500 jobs at its chip plant in Las Cruces, New Mexico, the company said. "
            "New Mexico's governor welcomed the semiconductor investment.")
    f = _features(analyzer, "en", "Veyra to add 500 chip jobs in New Mexico", text)
    assert f["ev_mx"] == 0.0 and f["exp_mexico"] == 0.0
    assert analyzer.analyze(ArticleInput(text=text, title="Veyra to add 500 chip jobs in New Mexico",
                                         lang="en"))["relevant"] is False


def test_outside_a_place_is_not_there(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Start-up picks Monterrey",
                  "Lattice AI will open its first office outside the United States in Monterrey, hiring 80 engineers.")
    assert f["lede_exp_foreign"] == 0.0 and f["ev_mx"] > 0.5


@pytest.mark.parametrize(("lang", "title", "text", "relevant"), [
    # a relocation from Asia, told without "open" or "expand"
    ("es", "Fabricante de módulos electrónicos traslada líneas de Suzhou a Apodaca",
     "La taiwanesa Chenguang Electronics trasladará a Apodaca, Nuevo León, las líneas de ensamble de módulos "
     "electrónicos que opera en Suzhou, China, y comenzará a reclutar técnicos en el verano.", True),
    ("en", "Sensor maker moves production from Penang to Tijuana",
     "Sensor maker Arcwave is moving production of its image sensors from Penang, Malaysia, to Tijuana, where it "
     "leased a 20,000-square-metre building and will recruit 400 technicians.", True),
    # a plant closure with tech words, and other industries' plants with tech words
    ("en", "Electronics maker to close Reynosa plant",
     "Contract electronics maker Dynacirc will close its Reynosa plant in December, eliminating 700 jobs, as it "
     "consolidates production in Vietnam. Workers will receive severance.", False),
    ("es", "Banco abrirá 60 sucursales con cajeros inteligentes",
     "El banco Finamex abrirá 60 sucursales en Jalisco y Nuevo León, con cajeros automáticos y aplicación "
     "digital, y contratará a 500 ejecutivos.", False),
    ("en", "Axle maker to build plant in Silao with robotic lines",
     "Brenner Achsen, a maker of axles for pickup trucks, will build a plant in Silao, Guanajuato, with robotic "
     "welding lines and 800 workers.", False),
])
def test_more_kinds(analyzer: Analyzer, lang: str, title: str, text: str, relevant: bool) -> None:
    result = analyzer.analyze(ArticleInput(text=text, title=title, lang=lang))
    assert result["relevant"] is relevant, result["relevance"]


def test_regions_that_hold_mexico_and_short_forms_are_not_abroad(analyzer: Analyzer) -> None:
    region = _features(analyzer, "es", "Surcoreana llevará a Apodaca su primera planta en Norteamérica",
                       "La surcoreana Daewon Display construirá en Apodaca su primera planta de pantallas en "
                       "Norteamérica, con 600 empleos.")
    assert region["lede_exp_foreign"] == 0.0
    short = _features(analyzer, "es", "Fabricante de servidores abre planta en San Nicolás",
                      "La taiwanesa Kuangda inauguró una planta de servidores en San Nicolás de los Garza, Nuevo "
                      "León, que generará 500 empleos.")
    assert short["lede_exp_foreign"] == 0.0 and short["ev_mx"] > 0.5


def test_a_place_given_by_description_counts_through_the_job_counts(analyzer: Analyzer) -> None:
    # no place name in the sentence: the job count resolves "la capital del país" to Mexico City
    title = "Fintech Pagalo contratará 200 ingenieros en la capital del país"
    text = ("La fintech Pagalo contratará a 200 ingenieros de software durante 2026 en su oficina de la capital del "
            "país, informó su director de tecnología.")
    assert _features(analyzer, "es", title, text)["exp_mexico"] > 0.0
    assert analyzer.analyze(ArticleInput(text=text, title=title, lang="es"))["relevant"] is True


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "La fintech Monedo cerró una ronda de 40 millones de dólares y contratará a 120 ingenieros en "
           "Guadalajara."),
    ("es", "Inventec contratará a 600 personas en Santa Catarina si se mantiene la demanda de servidores."),
])
def test_ambiguous_words_are_not_contraction(analyzer: Analyzer, lang: str, text: str) -> None:
    assert _features(analyzer, lang, "Noticias", text)["contraction"] == 0.0


def test_a_place_passed_over_is_not_the_site(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Chipmaker picks Arizona for test plant",
                  "Solvex Semiconductor will build a chip test plant in Phoenix, choosing Arizona over Monterrey, and "
                  "does not plan to open any operations in Mexico.")
    assert f["exp_mexico"] == 0.0 and f["ev_mx"] == 0.0


def test_a_source_is_not_the_story_type(analyzer: Analyzer) -> None:
    # "según un reporte enviado a los reguladores": who was told, not a story about regulation
    f = _features(analyzer, "es", "Ensambladora de servidores invierte en Chihuahua",
                  "La taiwanesa Hexin invertirá 300 millones de dólares en su planta de servidores de Chihuahua, "
                  "según un reporte enviado a los reguladores de Taiwán.")
    assert f["head_non_event"] == 0.0
