"""Relevance: kinds of English stories that a blind set (dev9) showed misread, each with sentences written here."""

from __future__ import annotations

import pytest

from mxwatch.pipelines.analysis import Analyzer, ArticleInput
from tests.test_relevance import _features


def test_shelves_the_noun_denies_nothing(analyzer: Analyzer) -> None:
    # "robots move shelves": furniture, not "shelves a plan"
    f = _features(analyzer, "en", "Retailer opens automated warehouse in Apodaca",
                  "Ventura Commerce opened an automated warehouse in Apodaca, Nuevo León, where robots move shelves "
                  "to pickers and 30 software engineers maintain the e-commerce platform.")
    assert f["head_non_event"] == 0.0 and f["ev_mx"] > 0.5
    g = _features(analyzer, "en", "Chipmaker shelves Jalisco plant",
                  "Norvel Semiconductor shelves its plan to build a chip plant in Jalisco, the company said.")
    assert g["head_non_event"] == 1.0


def test_an_expansion_stated_in_the_lede_outweighs_the_earnings_call(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Tekvia to open Monterrey software centre, CEO says on earnings call",
                  "Tekvia plans to open a software development centre in Monterrey and hire 300 engineers, its chief "
                  "executive said during the company's quarterly earnings call. Revenue rose 8%.")
    assert f["head_non_event"] == 0.0
    g = _features(analyzer, "en", "Tekvia revenue rises 8% on cloud demand",
                  "Tekvia reported quarterly revenue of $300 million, up 8%, on cloud demand in Mexico and Brazil.")
    assert g["head_non_event"] == 1.0


@pytest.mark.parametrize(("title", "text"), [
    ("Opinion: Mexico must fix its grid to win data centres",
     "Mexico wants data centres in Querétaro, but the grid cannot power them. Investors in software and chips "
     "will open plants elsewhere unless the rules change."),
    ("Nuevo León leads formal job creation in May, IMSS data show",
     "Nuevo León added 9,000 formal jobs in May, the most of any state, according to IMSS data, with hiring in "
     "electronics and IT services."),
    ("Mexican fintech Pagaloo prices IPO in New York",
     "Pagaloo, a Mexico City-based payments app, priced its initial public offering on Tuesday; it employs 900 "
     "people in Mexico City."),
    ("Software firm to spin off its Chilean unit",
     "Datamex, a Monterrey-based IT services company, will spin off its Chilean operations into a separate company."),
])
def test_other_kinds_of_story_in_the_lede(analyzer: Analyzer, title: str, text: str) -> None:
    assert _features(analyzer, "en", title, text)["head_non_event"] == 1.0


def test_a_product_launch_is_no_expansion(analyzer: Analyzer) -> None:
    product = _features(analyzer, "en", "Phone maker unveils new model",
                        "Korvo Electronics launched its latest smartphone in Mexico City on Tuesday with AI features.")
    assert product["ev_mx"] == 0.0 and product["exp_mexico"] == 0.0
    launch = _features(analyzer, "en", "Korvo launches Vela 5 phone in Mexico with Spanish AI assistant",
                       "Korvo Electronics launched its latest phone in Mexico on Tuesday. Korvo's Mexican operations "
                       "include a television plant in Tijuana.")
    assert launch["head_non_event"] == 1.0  # a product launch is a story type of its own
    site = _features(analyzer, "en", "Cloud firm news",
                     "Korvo Cloud launched a data center in Querétaro with 80 engineers on Tuesday.")
    assert site["ev_mx"] > 0.5


def test_operations_of_another_nationality_are_abroad(analyzer: Analyzer) -> None:
    # "its Brazilian operations": the unit is in Brazil though the dateline is Mexican
    f = _features(analyzer, "en", "Software firm reorganises",
                  "MONTERREY, Mexico (Wire) - Datamex, Mexico's second IT services company, will expand its Brazilian "
                  "operations, the company said.")
    assert f["ev_mx"] == 0.0
    g = _features(analyzer, "en", "Software firm grows",
                  "Datamex, a Brazilian IT services company, will expand its operations in Monterrey, Mexico.")
    assert g["ev_mx"] > 0.5


def test_statistics_of_a_state_are_no_event(analyzer: Analyzer) -> None:
    # the jobs belong to no company: a sector total, not a hiring event
    f = _features(analyzer, "en", "State figures",
                  "Jalisco added 11,400 formal jobs in July in manufacturing and IT services, official figures show.")
    assert f["ev_mx"] == 0.0


def test_a_mine_with_ai_is_a_mine(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Silver miner deploys AI at Durango mine",
                  "Plata Norte is deploying AI software and drones at its silver mine in Durango, the miner said.")
    assert f["rule"] < 0.3


def test_doubling_a_team_is_expansion(analyzer: Analyzer) -> None:
    f = _features(analyzer, "en", "Accenture buys software firm",
                  "Accenture will more than double the team of the Querétaro software firm it bought, and the AI "
                  "centre in Querétaro will grow to 400 people.")
    assert f["ev_mx"] > 0.5


def test_kinds_decide_whole_articles(analyzer: Analyzer) -> None:
    neg = analyzer.analyze(ArticleInput(
        lang="en", title="Opinion: nearshoring needs power lines, not slogans",
        text="Mexico keeps promising to become North America's factory floor. Investment into Mexico rose, but "
             "electronics assemblers and data center operators tell me they cannot get power in Monterrey. "
             "The author is an economist."))
    assert neg["relevant"] is False
