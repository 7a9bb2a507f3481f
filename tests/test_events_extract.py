"""Event coding of hard sentences: passive, negation, cancellation, denial, the future,
conditions, coordination, nominal events, reported demands and refusals."""

from __future__ import annotations

import pytest

from storyline.events.ontology import coded_type

SENTENCES = {
    "passive": "The convoy was attacked by Taliban fighters near Kandahar on Tuesday.",
    "negated": "The safe zones have not been discussed by Russia and Turkey.",
    "cancelled": "A meeting between the foreign ministers of India and Pakistan scheduled for "
                 "Friday was canceled.",
    "denied": "Russia has denied that its jets bombed the hospital in Idlib.",
    "future": "The German chancellor will meet the French president in Paris next week.",
    "conditional": "If implemented, the plan would allow Iranian forces to patrol the zones.",
    "coordination": "Russia, Iran and Turkey agreed on Thursday to create four safe zones in "
                    "Syria.",
    "possessive": "Russia, Iran and Turkey's agreement to create safe zones was signed in Astana.",
    "between": "Talks between Israel and Lebanon resumed in Naqoura on Monday.",
    "light_verb": "The Trump administration has been holding secret talks with Russia.",
    "must": "China said Japan must withdraw its ships from the disputed islands.",
    "refusal": "Syria said it will not accept any more refugees from Iraq.",
    "likely": "Egypt is likely to send troops to Libya, officials said.",
    "plans": "Jordan plans to expel the Israeli ambassador.",
    "visit": "A visit by the Chinese foreign minister to Moscow in April strengthened ties.",
    "according": "According to the Kremlin, Putin and Erdogan spoke by phone on Saturday.",
    "shoot_down": "Turkish forces shot down a Russian fighter jet near the Syrian border.",
    "pronoun": "Pompeo met Kim Yong Chol, a senior official of the ruling party, in Pyongyang "
               "on Friday. He did not meet Kim Jong Un.",
    "dated_argument": "Hours later, President Donald Trump wrote to Kim Jong Un to call off "
                      "the planned June 12 summit in Singapore.",
    "dated_clause": "The biggest news to come out of the May 2 phone call between the "
                    "presidents of Russia and the United States was Putin's overture to Trump.",
}


@pytest.fixture(scope="module")
def events(nlp):
    from storyline.events.pipeline import read_texts
    from storyline.events.stage import extract_events
    from storyline.settings import load

    settings = load(env={})
    states = read_texts(list(SENTENCES.values()), settings, published="2017-06-09")
    return {key: extract_events(state, settings) for key, state in zip(SENTENCES, states)}


def only(events, key, event_type=None):
    found = [e for e in events[key] if event_type is None or e.type == event_type]
    seen = [(e.type, e.trigger) for e in events[key]]
    assert found, f"{key}: no {event_type or ''} event in {seen}"
    return found[0]


def test_passive_agent_is_the_source(events):
    e = only(events, "passive", "ASSAULT")
    assert "Taliban" in e.source_text and "convoy" in e.target_text
    assert e.modality == "happened" and e.date_start == "2017-06-06"


def test_negation(events):
    e = only(events, "negated", "CONSULT")
    assert e.modality == "negated"
    assert set(e.source_countries) == {"RUS", "TUR"} and "zones" not in e.target_text


def test_cancelled_nominal_meeting(events):
    e = only(events, "cancelled", "CONSULT")
    assert e.modality == "cancelled" and e.trigger == "meeting"
    assert set(e.source_countries) == {"IND", "PAK"}


def test_denied_event_and_no_denial_event(events):
    assert [e.type for e in events["denied"]] == ["ASSAULT"]
    e = events["denied"][0]
    assert e.modality == "denied" and e.mode == "aerial" and e.source_countries == ["RUS"]


def test_future_meeting_is_coded_agree(events):
    e = only(events, "future", "CONSULT")
    assert e.modality == "future" and e.date_precision == "week"
    assert e.source_countries == ["DEU"] and e.target_countries == ["FRA"]
    assert coded_type(e.type, e.modality) == "AGREE"


def test_conditional_is_hypothetical(events):
    assert all(e.modality == "hypothetical" for e in events["conditional"])
    assert events["conditional"]


def test_coordinated_and_possessive_compound_actors(events):
    for key in ("coordination", "possessive"):
        e = only(events, key)
        assert e.type in ("AGREE", "SUPPORT")
        assert set(e.source_countries) == {"RUS", "IRN", "TUR"}, key
    assert only(events, "coordination").date_start == "2017-06-08"


def test_talks_between_and_light_verb(events):
    e = only(events, "between", "CONSULT")
    assert set(e.source_countries) == {"ISR", "LBN"} and e.date_start == "2017-06-05"
    e = only(events, "light_verb", "CONSULT")
    assert e.source_countries == ["USA"] and e.target_countries == ["RUS"]


def test_reported_demand_and_refusal(events):
    e = only(events, "must", "REQUEST")
    assert e.source_countries == ["CHN"] and e.target_countries == ["JPN"]
    e = only(events, "refusal", "REJECT")
    assert e.source_countries == ["SYR"] and e.modality == "happened"


def test_likely_and_planned_are_future(events):
    e = only(events, "likely", "MOBILIZE")
    assert e.modality == "future" and e.target_countries == ["LBY"] and e.reported_by
    e = only(events, "plans", "SANCTION")
    assert e.modality == "future" and e.target_countries == ["ISR"] and e.mode == "expel"


def test_nominal_visit_and_reported_call(events):
    e = only(events, "visit", "CONSULT")
    assert e.mode == "visit" and e.source_countries == ["CHN"]
    assert e.date_start.startswith("2017-04") and e.date_precision == "month"
    e = only(events, "according", "CONSULT")
    assert e.mode == "phone" and e.reported_by == "the Kremlin"
    assert set(e.source_countries) == {"RUS", "TUR"}


def test_shoot_down_is_aerial_assault_with_scores(events):
    e = only(events, "shoot_down", "ASSAULT")
    assert e.mode == "aerial" and e.cameo == "19" and e.goldstein == -10.0 and e.score < -9
    assert e.source_countries == ["TUR"]
    assert e.start <= e.trigger_start < e.trigger_end <= e.end
    assert e.sentence == SENTENCES["shoot_down"]


def test_a_date_of_a_noun_inside_the_arguments_does_not_date_the_event(events):
    """Calling off "the planned June 12 summit" happened on the report's day, not June 12;
    the news "of the May 2 phone call" still dates what the call brought."""
    for e in events["dated_argument"]:
        assert e.date_start != "2017-06-12", (e.type, e.trigger, e.date_start)
    assert any(e.date_start == "2017-05-02" for e in events["dated_clause"]), \
        [(e.type, e.trigger, e.date_start) for e in events["dated_clause"]]


def test_a_pronoun_takes_the_subject_of_the_sentence_before(events):
    """"He did not meet Kim Jong Un": Pompeo, the subject before, not Kim Yong Chol."""
    second = [e for e in events["pronoun"] if "Jong Un" in (e.target_text or "")]
    assert second, [(e.type, e.source_text, e.target_text) for e in events["pronoun"]]
    assert all("Pompeo" in (e.source_text or "") for e in second), \
        [(e.type, e.source_text, e.target_text) for e in second]
