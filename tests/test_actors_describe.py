"""Coding actors the knowledge base does not know from what their string says (titles,
demonyms, towns and provinces, proper names of organisations, misspellings), category-wide
knowledge (legislatures, state media), and dropping spurious actors from comment threads."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.actors.codes import code_actor, wiki_title
from storyline.actors.describe import role_title
from storyline.actors.kb import load_kb
from storyline.actors.places import place_country
from storyline.actors.resolve import resolve_text
from storyline.eval.actors import case_date, cross_conflicts

WHEN = dt.date(2022, 3, 1)


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def triple(code):
    return None if code is None else (code["country"], code["code_1"], code["code_2"])


@pytest.mark.parametrize(
    "text, expected",
    [
        # unknown people described by their own string
        ("the Chilean mines minister Juan Pablo Arriagada", ("CHL", "GOV", "")),
        ("Kharkiv regional governor Oleh Synehubov", ("UKR", "GOV", "")),
        ("Punjab chief minister Usman Buzdar", ("PAK", "GOV", "")),
        ("Lt. Gen. Samuel Okonjo", ("", "MIL", "")),
        ("Abdi Warsame, a member of the al-Shabaab militia", ("SOM", "PRM", "")),
        # towns and provinces give the country (the gazetteer, with alternate spellings)
        ("Dehli police", ("IND", "COP", "")),
        ("Sindh provincial government", ("PAK", "GOV", "")),
        ("Santa Marta Self Defense Forces", ("COL", "PRM", "")),
        # misspelt actor nouns
        ("white supremicists", ("", "CRM", "")),
        ("Katushya", ("", "MIL", "")),
        # places and premises named instead of actors
        ("an amusement park in Kabul", ("AFG", "CVL", "")),
        # the head of an international body acts for the bloc's executive
        ("president of the European Council", ("EUR", "GOV", "")),
        ("the UN Secretary-General", ("UNO", "GOV", "")),
        ("a UN official", ("UNO", "IGO", "")),
        # national legislatures and state media of any country
        ("the Sejm", ("POL", "LEG", "")),
        ("Storting", ("NOR", "LEG", "")),
        ("KCNA", ("PRK", "GOV", "JRN")),
    ],
)
def test_described_actors(kb, nlp, text, expected):
    assert triple(code_actor(text, kb, nlp, WHEN)) == expected


@pytest.mark.parametrize(
    "text", ["Two subjects", "Mechanism", "puppies", "Romy Rutherford", "Mr. Gerald Nonesuch"]
)
def test_non_actors_stay_uncoded(kb, nlp, text):
    assert code_actor(text, kb, nlp, WHEN) is None


def test_proper_names_of_unknown_organisations(kb, nlp):
    court = code_actor("Madras High Court", kb, nlp, WHEN)
    assert (court["country"], court["code_1"], court["wiki"]) == ("IND", "JUD", "Madras High Court")
    college = code_actor("Amherst College", kb, nlp, WHEN)
    assert (college["country"], college["code_1"]) == ("USA", "EDU")
    soldiers = code_actor("Slovak Soldiers", kb, nlp, WHEN)  # generic, not a name
    assert (soldiers["country"], soldiers["code_1"], soldiers["wiki"]) == ("SVK", "MIL", "")
    league = code_actor("President of the Chadian Human Rights League", kb, nlp, WHEN)
    assert league["country"] == "TCD" and league["wiki"] == ""  # a title, not a name


def test_context_gives_the_missing_country(kb, nlp):
    assert triple(code_actor("Defense Minister", kb, nlp, WHEN)) == ("", "GOV", "MIL")
    assert triple(code_actor("Defense Minister", kb, nlp, WHEN, context="German")) == (
        "DEU",
        "GOV",
        "MIL",
    )
    putin = code_actor("Vladimir Putin", kb, nlp, WHEN, context="Germany")
    assert putin["country"] == "RUS"  # the string's own country wins


def test_role_titles(kb, nlp):
    assert role_title("MEPs", kb) == "Member of the European Parliament"
    assert wiki_title("MEPs", kb, nlp)["title"] == "Member of the European Parliament"
    envoy = code_actor("Canadian Ambassador to the United Nations", kb, nlp, WHEN)
    assert envoy["wiki"] == "Permanent Representative of Canada to the United Nations"
    assert role_title("Vladimir Putin", kb) is None


def test_places_need_weight_and_one_country():
    assert place_country("Santa Marta") == "COL"
    assert place_country("Madras") == "IND"  # an alternate name of a big city
    assert place_country("Hamas") is None  # an alternate name of a mid-sized German town
    assert place_country("Valencia") is None  # Spain and Venezuela
    assert place_country("Northern") is None


def test_eval_dates_and_cross_case_conflicts():
    def case(name: str, code_1: str, **extra: str) -> dict:
        return {"input": name, "asserts": [f"code['code_1'] == '{code_1}'"], **extra}

    cases = [
        case("Vladimir Putin", "GOV"),
        case("Vladimir Putin", "SPY"),
        case("Vladimir Putin", "SPY", date="1999-01-01"),
        case("Sergei Lavrov", "GOV"),
    ]
    assert cross_conflicts(cases) == {0, 1}
    assert case_date(cases[2]) == dt.date(1999, 1, 1)
    assert case_date({"date": "12 April 2022"}) == dt.date(2022, 4, 12)


THREAD = (
    "Comments\n"
    "jdoe (Ohio)\n"
    "LOL Never happen. Putin will play Trump like a Stradivarius.\n"
    "mkline (Boston)\n"
    "Sally Yates warned the White House. Voting matters in EVERY ELECTION (Local and National).\n"
    "pat (Denver)\n"
    "The Syrian Observatory for Human Rights counts the dead, and Crimea is still occupied.\n"
)


def test_comment_thread_noise_is_dropped(nlp, kb):
    bodies = []
    for line in THREAD.splitlines(keepends=True)[2::2]:
        start = THREAD.index(line)
        bodies.append((start, start + len(line.rstrip("\n"))))
    mentions = resolve_text(THREAD, nlp, kb, published="2017-05-03", bodies=bodies)
    names = {m.actor_name for m in mentions}
    assert not names & {"LOL Never", "Stradivarius", "Local and National", "Crimea"}, names
    assert {"Sally Yates", "Vladimir Putin", "Donald Trump"} <= names
    assert any("Syrian Observatory" in (n or "") for n in names), names
    kept = {m.actor_name for m in resolve_text(THREAD, nlp, kb, published="2017-05-03")}
    assert {"Stradivarius", "Local and National"} <= kept  # only comments are filtered


def test_places_tagged_as_organisations_are_not_actors(nlp, kb):
    mentions = resolve_text("Russia took Crimea in 2014.", nlp, kb, published="2017-05-03")
    assert "Crimea" not in {m.actor_name for m in mentions}
    assert nlp("Russia took Crimea in 2014.").ents[1].label_ == "ORG"  # what spaCy says


def test_noise_rules():
    from storyline.actors.noise import looks_like_org, looks_like_person

    kb = load_kb()
    assert not looks_like_person("LOL Never") and not looks_like_person("carnival barker")
    assert looks_like_person("Sally Yates") and looks_like_person("JOHN SMITH")
    assert looks_like_org("Acme Corp", kb) and looks_like_org("American Enterprise Fund", kb)
    assert not looks_like_org("Stradivarius", kb) and not looks_like_org("Local and National", kb)
