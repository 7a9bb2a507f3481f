"""Inline citations: parenthetical source lists with dates, cue phrases, anaphora."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.fuse.citations import find_citations, resolve_date, resolve_month_phrase
from storyline.fuse.outlets import looks_like_outlet, normalize_outlet


def cites(text: str, published: str | None = None) -> list[tuple[str | None, str | None, str | None]]:
    return [(c.outlet, c.cited_date, c.cue) for c in find_citations(text, "d", published)]


def test_parenthetical_list_with_dates_disambiguated_by_publication_date():
    text = ("Syrian rebels doubt the plan. (AP, 05.03.17, Bloomberg, 05.03.17, Bloomberg, "
            "05.02.17, New York Times, 05.02.17)")
    found = cites(text, "2017-05-03")
    assert found == [("The Associated Press", "2017-05-03", "parenthetical"),
                     ("Bloomberg", "2017-05-03", "parenthetical"),
                     ("Bloomberg", "2017-05-02", "parenthetical"),
                     ("The New York Times", "2017-05-02", "parenthetical")]


def test_day_month_order_wins_when_it_is_the_plausible_date():
    # published 20 March: "04.03.17" is 3 April (future) as MM.DD, 4 March as DD.MM
    assert resolve_date("04.03.17", dt.date(2017, 3, 20)) == "2017-03-04"
    assert resolve_date("03.04.17", dt.date(2017, 3, 20)) == "2017-03-04"
    # 13.05.17 can only be day-month
    assert resolve_date("13.05.17", dt.date(2017, 5, 20)) == "2017-05-13"
    assert resolve_date("05.03.17", None) == "2017-05-03"
    assert resolve_date("May 2", dt.date(2017, 5, 3)) == "2017-05-02"


def test_broken_parenthesis_and_readout_citation():
    text = ("Military leaders warned of the cost. (AP, 05.03.17, (Wall Street Journal, 05.02.17)\n"
            "The two presidents discussed terrorism. (White House readout, 05.02.17)")
    found = cites(text, "2017-05-03")
    assert ("The Wall Street Journal", "2017-05-02", "parenthetical") in found
    assert ("White House readout", "2017-05-02", "parenthetical") in found
    spans = find_citations(text, "d", "2017-05-03")
    assert all(text[c.start:c.end] == c.text for c in spans)
    assert spans[0].text == "AP, 05.03.17"


@pytest.mark.parametrize("text, outlet, cue", [
    ("Diplomats held secret talks, according to a report by the Al-Monitor.", "Al-Monitor",
     "according to a report"),
    ("The Wall Street Journal reported that talks were held.", "The Wall Street Journal",
     "reported"),
    ("“We met last week,” a former diplomat told the Al-Monitor.", "Al-Monitor", "told"),
    ("The plan was first reported by Reuters on Monday.", "Reuters", "reported by"),
    ("She said so in an interview with CNN last night.", "CNN", "interview"),
    ("The ministry confirmed the move, citing Interfax.", "Interfax", "citing"),
    ("Great find (h/t Laura Rozen) on the Amman meeting.", "Laura Rozen", "h/t"),
])
def test_cue_phrases(text, outlet, cue):
    found = find_citations(text, "d")
    assert (outlet, cue) in [(c.outlet, c.cue) for c in found]
    assert all(text[c.start:c.end] == c.text for c in found)


def test_people_and_officials_are_not_outlets():
    text = ("According to Syrian opposition spokesman Yahya al-Aridi, the zones are a trap. "
            "According to officials, nothing was decided. He told reporters it went well.")
    assert cites(text) == []


def test_anaphoric_report_points_to_the_outlet_cited_before():
    text = ("U.S. and Russian diplomats held secret talks, according to a report by the "
            "Al-Monitor. Envoys also took part in the talks, per the report.")
    found = cites(text)
    assert found == [("Al-Monitor", None, "according to a report"), ("Al-Monitor", None, "per")]


def test_seed_citations(seed_path):
    text = seed_path("000").read_text(encoding="utf-8")
    found = set(cites(text, "2017-05-03"))
    for outlet, date in [("The Associated Press", "2017-05-03"), ("Bloomberg", "2017-05-03"),
                         ("Bloomberg", "2017-05-02"), ("The New York Times", "2017-05-02"),
                         ("The Wall Street Journal", "2017-05-02"), ("Reuters", "2017-05-02"),
                         ("White House readout", "2017-05-02")]:
        assert (outlet, date, "parenthetical") in found
    pirate = seed_path("003").read_text(encoding="utf-8")
    venue = [c for c in find_citations(pirate, "d", "2017-06-09") if c.cue == "venue"]
    assert venue and venue[0].outlet.startswith("Senate Foreign Relations Committee meeting")
    assert venue[0].cited_date == "2017-05"


def test_outlet_aliases():
    assert normalize_outlet("New York Times") == "The New York Times"
    assert normalize_outlet("the Wall Street Journal") == "The Wall Street Journal"
    assert normalize_outlet("Daily Caller News Foundation") == "The Daily Caller News Foundation"
    assert normalize_outlet("the Kyiv Independent") == "Kyiv Independent"
    assert looks_like_outlet("Al-Monitor") and looks_like_outlet("Kyiv Independent")
    assert not looks_like_outlet("Yahya al-Aridi")
    assert resolve_month_phrase("late May", dt.date(2017, 6, 9)) == "2017-05"
