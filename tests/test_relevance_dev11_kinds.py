"""Relevance: kinds of stories a blind set (dev11) showed misread, each with sentences written here (fictional
companies and events)."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer
from tests.test_relevance import _features, _score

# --- a dateline's state abbreviation after a Mexican city is that city's state, not a place abroad ---------------

@pytest.mark.parametrize(("lang", "title", "text"), [
    ("es", "Norvale abre centro de software en Culiacán",
     "CULIACÁN, Sin.- La firma de software Norvale abrió en la capital sinaloense un centro de desarrollo que "
     "arrancó con 45 ingenieros, informó la compañía."),
    ("es", "Norvale abre centro de software en Hermosillo",
     "HERMOSILLO, Son.- La empresa de software Norvale abrió en la ciudad un centro de desarrollo con 70 "
     "ingenieros."),
    ("en", "Norvale opens software centre in Monterrey",
     "MONTERREY, N.L. - Norvale Software opened a development centre in the city this week with 80 engineers, "
     "the company said."),
])
def test_dateline_state_abbreviation_is_not_abroad(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["lede_exp_foreign"] == 0.0
    assert _score(analyzer, lang, title, text) >= 0.5


def test_a_place_abroad_after_a_comma_still_counts(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Norvale opens software hub abroad",
                  "Norvale Software, based in Monterrey, opened a development hub in Lima, Peru, with 80 engineers.")
    assert f["lede_exp_foreign"] > 0.5


# --- a company's trade ("a recruiting platform") is no hiring: a ranking it publishes is still a ranking ----------

@pytest.mark.parametrize(("lang", "title", "text"), [
    ("es", "Monterrey y Puebla suben en ranking de talento digital",
     "Monterrey y Puebla ganaron lugares en el ranking de talento de software 2026, elaborado por la plataforma "
     "de reclutamiento Codelia, que mide cuántos desarrolladores hay en cada ciudad."),
    ("en", "Monterrey and Puebla climb in tech talent ranking",
     "Monterrey and Puebla climbed in the 2026 software talent ranking compiled by the recruiting platform "
     "Codelia, which counts the developers in each Mexican city."),
])
def test_recruiting_platform_is_no_hiring(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    f = _features(analyzer, lang, title, text)
    assert f["head_non_event"] == 1.0
    assert _score(analyzer, lang, title, text) < 0.5


@pytest.mark.parametrize(("lang", "title", "text"), [
    ("es", "Codelia contratará 150 ingenieros en Guadalajara",
     "La plataforma de reclutamiento Codelia contratará 150 ingenieros de software para su nueva oficina en "
     "Guadalajara."),
    ("en", "Codelia to hire 150 engineers in Guadalajara",
     "The recruiting platform Codelia will hire 150 software engineers for its new office in Guadalajara."),
])
def test_a_recruiting_platform_that_hires_still_counts(analyzer: Analyzer, lang: str, title: str, text: str) -> None:
    assert _features(analyzer, lang, title, text)["ev_mx"] > 0.5
    assert _score(analyzer, lang, title, text) >= 0.5
