"""The shortcuts taken for speed give exactly what the slow path gives.

* month expressions ("March", "Mar. 15", "March 2017") are read without dateparser, and
  the month-led date detectors are tried only where a month name begins;
* the document text is cut from the parsed text instead of joined from the tokens;
* event triggers skip words no lexicon lookup can match;
* the gazetteer scan asks a fixed set of spans for overlaps with a bisection;
* the store builds record rows as tuples without ``Record.to_row``.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from storyline.nlp import dates


def _dateparser(expr: str, anchor: dt.date, prefer: str):
    past, future = dates._parsers(anchor)
    data = (past if prefer == "past" else future).get_date_data(expr)
    return None if data is None or data.date_obj is None else (data.date_obj.date(), data.period)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _sample_anchors(n: int, seed: int) -> list[dt.date]:
    rnd = random.Random(seed)
    edges = [dt.date(2000, 1, 1), dt.date(2016, 2, 28), dt.date(2019, 12, 28),
             dt.date(2030, 12, 28), dt.date(2021, 6, 1)]
    return edges + [dt.date(rnd.randint(2000, 2030), rnd.randint(1, 12), rnd.randint(1, 28))
                    for _ in range(n)]


@pytest.mark.parametrize("anchor", _sample_anchors(6, seed=1))
def test_month_readings_are_dateparsers(anchor):
    exprs = list(MONTHS)
    exprs += [f"{m} {d}" for m in MONTHS for d in (1, anchor.day, min(anchor.day + 1, 28), 30)]
    exprs += [f"{m} 2012" for m in MONTHS[::3]] + [f"{m} 3, 1998" for m in MONTHS[::4]]
    exprs += ["Mar. 15", "Sept. 9", "sept 30", "JAN", "Dec.", "June 31", "Feb 29", "Feb 30"]
    checked = 0
    for expr in exprs:
        for prefer in ("past", "future"):
            direct = dates._calendar_reading(expr, anchor, prefer)
            if direct is not None:
                checked += 1
                assert direct == _dateparser(expr, anchor, prefer), (expr, anchor, prefer)
    assert checked > 50


def test_month_readings_leave_the_rest_to_dateparser():
    anchor = dt.date(2020, 3, 15)
    for expr in ("Feb 29", "April 31", "March.", "March 15 2017", "15 March", "80", "today",
                 "Marchx", "March  15"):
        assert dates._calendar_reading(expr, anchor, "past") is None, expr
    assert dates._calendar_reading("March", dt.date(2020, 3, 30), "past") is None  # quirky days
    assert dates._calendar_reading("March", dt.date(1999, 3, 3), "past") is None  # unchecked


def test_doc_and_span_text_are_spacys(nlp):
    from storyline.nlp.pipeline import doc_text, span_text

    doc = nlp("Officials met in Geneva on Monday.  Talks  resumed\n\nlater, according to AFP.")
    assert doc_text(doc) == doc.text
    for sent in doc.sents:
        assert span_text(sent) == sent.text
    for ent in doc.ents:
        assert span_text(ent) == ent.text
    assert span_text(doc[2:2]) == doc[2:2].text


def test_event_word_filters_keep_every_lexicon_word():
    from storyline.events import lexicon

    data = lexicon.load()
    for key in data["_nouns"]:
        words = key.split(" ")
        assert lexicon.may_be_event_noun(words[-1], words[-1]), key
        if " of " in key:
            assert lexicon.may_be_event_noun(words[0], words[0]), key
    for key in list(data["_verbs"]) + list(data["object_rules"]) + list(data["light_verbs"]):
        assert lexicon.may_be_event_verb(key), key
    for key in data["_phrasal"]:
        assert lexicon.may_be_phrasal(key.split(" ")[0]), key
        assert lexicon.may_be_event_verb(key.split(" ")[0]), key
    assert not lexicon.may_be_event_noun("table", "table")
    assert not lexicon.may_be_event_verb("eat")


def test_fixed_spans_overlap_like_a_scan():
    from storyline.geo.toponyms import _FixedSpans, _overlaps

    rnd = random.Random(3)
    for _ in range(2000):
        spans = [(a, a + rnd.randint(0, 6)) for a in (rnd.randint(0, 60)
                                                       for _ in range(rnd.randint(0, 8)))]
        fixed = _FixedSpans(spans)
        for _ in range(10):
            start = rnd.randint(0, 70)
            end = start + rnd.randint(0, 8)
            assert fixed.overlaps(start, end) == _overlaps(start, end, spans)


def test_store_rows_are_to_row(tmp_path):
    from storyline.geo.types import Place
    from storyline.nlp.types import Timex
    from storyline.store.db import _row_fields, _row_of, open_store

    timex = Timex(id="d:t0", text="May 3", doc_id="d", start=1, end=6, stage="dates",
                  stage_version="1", value_start="2020-05-03", value_end="2020-05-03",
                  precision="day", anchor="2020-05-10", confidence=0.75)
    row = timex.to_row()
    assert [name for name, _ in _row_fields(Timex)] == list(row)
    assert _row_of(timex) == tuple(row.values())
    place = Place(id="d:p0", doc_id="d", start=10, end=16, text="Geneva", stage="places",
                  stage_version="1", is_focus=True, zones=["alps", {"id": "z2"}], lat=46.2)
    place_row = place.to_row()
    assert _row_of(place) == tuple(place_row.values())
    with open_store(tmp_path / "s.db") as store:
        assert store.insert([timex, place]) == 2
        assert dict(store.one("SELECT * FROM timexes")) == row
        assert dict(store.one("SELECT * FROM places")) == place_row


def test_month_led_detectors_match_like_finditer():
    rnd = random.Random(4)
    months = ["Jan", "January", "mar.", "MAY", "Sept", "sep", "Dec", "June", "ajul", "ſep"]
    for _ in range(3000):
        text = "".join(
            rnd.choice(["", "a", "in ", "3 ", "-"]) + rnd.choice(months)
            + rnd.choice([" ", "  ", "", "\n"]) + str(rnd.randint(0, 40))
            + rnd.choice(["", "th", "-", " to ", "–"]) + rnd.choice(["", "May "])
            + rnd.choice(["", str(rnd.randint(1, 35))]) + rnd.choice(["", ", 2019", " 1999"])
            for _ in range(rnd.randint(1, 4)))
        starts = [m.start() for m in dates._MONTH_START.finditer(text)]
        for pattern in dates._MONTH_LED:
            expected = [(m.start(), m.end()) for m in pattern.finditer(text)]
            found = [(m.start(), m.end()) for m in dates._matches_from(pattern, text, starts)]
            assert found == expected, text
