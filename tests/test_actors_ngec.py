"""Coding free-standing actor strings (CAMEO-style) and the NGEC evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EVAL

from storyline.actors.codes import code_actor, search_nationality, wiki_title
from storyline.actors.kb import load_kb
from storyline.eval.actors import _contradictory, check

WHEN = dt.date(2017, 5, 3)


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.mark.parametrize(
    "text, country, code_1, code_2",
    [
        ("two Chinese warplanes", "CHN", "MIL", ""),
        ("a former CIA official", "USA", "ELI", "SPY"),
        ("Kyiv police", "UKR", "COP", ""),
        ("Boko Haram gunmen", "NGA", "REB", ""),
        ("A Belarusian protester", "BLR", "CVL", "OPP"),
        ("Russia's Defense Ministry", "RUS", "GOV", "MIL"),
        ("the Russian president", "RUS", "GOV", ""),
        ("Syrian rebels", "SYR", "REB", ""),
        ("Chile's Defense Department", "CHL", "GOV", ""),
        ("World Health Organization", "UNO", "HLH", ""),
        ("Kazakhstan", "KAZ", "", ""),
        ("Tehran", "IRN", "GOV", ""),
    ],
)
def test_code_actor(kb, nlp, text, country, code_1, code_2):
    code = code_actor(text, kb, nlp, WHEN)
    assert (code["country"], code["code_1"], code["code_2"]) == (country, code_1, code_2)


def test_code_actor_people_and_non_actors(kb, nlp):
    putin = code_actor("the Russian president", kb, nlp, WHEN)
    assert putin["wiki"] == "Vladimir Putin" and putin["actor_wiki_job"] == "President of Russia"
    rubio = code_actor("US Senator Marco Rubio", kb, nlp, WHEN)
    assert (rubio["country"], rubio["code_1"]) == ("USA", "LEG")  # the title picks the term
    assert code_actor("Ayman Safadi", kb, nlp, WHEN)["country"] == "JOR"
    assert code_actor("Gerald Q. Nonesuch", kb, nlp, WHEN) is None  # an unknown person
    assert code_actor("a cat", kb, nlp, WHEN) is None
    assert code_actor("yesterday", kb, nlp, WHEN)["code_1"] == "JNK"


def test_nationality_and_titles(kb, nlp):
    assert search_nationality("four Saudi men", kb) == ("SAU", "four  men")
    assert search_nationality("an American destroyer", kb) == ("USA", "destroyer")
    assert search_nationality("Great Britain", kb) == ("GBR", "")
    assert wiki_title("the U.N.", kb, nlp)["title"] == "United Nations"
    assert wiki_title("George W.  Bush", kb, nlp)["title"] == "George W. Bush"
    nato = wiki_title("The North Atlantic Treaty Organization", kb, nlp)
    assert nato["title"] == "NATO" and len(nato["intro_para"]) > 30


def test_assertion_checker_is_safe():
    ns = {"code": {"country": "RUS", "code_1": "GOV"}, "wiki": {"title": "X", "intro_para": "abc"}}
    assert check("code['country'] == \"RUS\"  # a comment", ns)
    assert check("len(wiki['intro_para']) > 2", ns)
    assert not check("code['code_1'] == \"MIL\"", ns)
    assert not check("code['missing'] == ''", ns)
    assert not check("__import__('os').system('true')", ns)
    assert not check("code is None", ns) and check("code is None", {"code": None})
    assert _contradictory(["code['code_1'] == \"MIL\"", "code['code_1'] == \"SPY\""])
    assert not _contradictory(["code['code_1'] == \"MIL\"", "code['country'] == \"RUS\""])


def test_ngec_accuracy(nlp):
    path = EVAL / "actors" / "ngec_cases.jsonl"
    if not path.is_file():
        pytest.skip("NGEC cases not available")
    from storyline.eval.actors import evaluate
    from storyline.settings import load

    result = evaluate(path, load(env={}))
    assert result["details"]["counts"]["needs_fixture"] > 0
    assert result["metrics"]["cases_scored"] >= 350
    assert result["metrics"]["accuracy"] >= 0.84, result["details"]["by_function"]
    assert result["metrics"]["accuracy_consistent"] >= result["metrics"]["accuracy"]
    assert result["details"]["counts"]["conflicts_with_another_case"] >= 10
