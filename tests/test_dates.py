"""Time expressions: detection in real text and normalisation against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.ingest.types import Document
from storyline.nlp.dates import find_timexes, parse_anchor, resolve
from storyline.nlp.pipeline import parse
from storyline.registry import DocState, get

D = dt.date.fromisoformat


@pytest.mark.parametrize("expr, anchor, tense, start, end, precision", [
    # numeric dates: MM.DD or DD.MM, whichever is closer to the publication date
    ("05.03.17", "2017-05-03", "unknown", "2017-05-03", "2017-05-03", "day"),
    ("05.03.17", "2017-03-06", "unknown", "2017-03-05", "2017-03-05", "day"),
    ("25.12.16", "2017-02-05", "unknown", "2016-12-25", "2016-12-25", "day"),
    ("2017-06-09", None, "unknown", "2017-06-09", "2017-06-09", "day"),
    # day ranges
    ("May 3-4", "2017-05-03", "unknown", "2017-05-03", "2017-05-04", "range"),
    ("July 7-8", "2017-05-03", "past", "2016-07-07", "2016-07-08", "range"),
    ("July 7-8", "2017-05-03", "unknown", "2017-07-07", "2017-07-08", "range"),
    ("December 30 to January 2", "2017-02-05", "unknown", "2016-12-30", "2017-01-02", "range"),
    ("3-5 March 2015", None, "unknown", "2015-03-03", "2015-03-05", "range"),
    # year-less dates refer to the past unless the grammar or distance says otherwise
    ("December 1", "2017-02-05", "unknown", "2016-12-01", "2016-12-01", "day"),
    ("December 1", "2017-02-05", "future", "2017-12-01", "2017-12-01", "day"),
    ("Saturday, January 28", "2017-02-05", "unknown", "2017-01-28", "2017-01-28", "day"),
    ("in April", "2017-06-09", "unknown", "2017-04-01", "2017-04-30", "month"),
    ("May", "2017-05-03", "past", "2017-05-01", "2017-05-31", "month"),
    # weekdays: the most recent one, the publication day included
    ("Thursday", "2017-06-09", "unknown", "2017-06-08", "2017-06-08", "day"),
    ("Friday", "2017-06-09", "past", "2017-06-09", "2017-06-09", "day"),
    ("Thursday", "2017-06-09", "future", "2017-06-15", "2017-06-15", "day"),
    ("last Friday", "2017-06-09", "unknown", "2017-06-02", "2017-06-02", "day"),
    # relative expressions and windows
    ("last week", "2017-05-03", "unknown", "2017-04-24", "2017-04-30", "week"),
    ("next week", "2017-06-09", "unknown", "2017-06-12", "2017-06-18", "week"),
    ("about two weeks ago", "2017-06-09", "unknown", "2017-05-23", "2017-05-29", "week"),
    ("three days ago", "2017-06-09", "unknown", "2017-06-06", "2017-06-06", "day"),
    ("In late December", "2017-02-05", "past", "2016-12-22", "2016-12-31", "month"),
    ("early last month", "2017-06-09", "unknown", "2017-05-01", "2017-05-10", "month"),
    ("last year", "2017-06-09", "unknown", "2016-01-01", "2016-12-31", "year"),
    ("earlier this month", "2017-06-09", "unknown", "2017-06-01", "2017-06-09", "month"),
    ("several weeks ago", "2017-06-09", "unknown", "2017-04-28", "2017-05-26", "range"),
    ("the last several weeks", "2017-06-09", "unknown", "2017-04-28", "2017-06-09", "range"),
    ("last spring", "2017-02-05", "unknown", "2016-03-01", "2016-05-31", "range"),
    ("the 1990s", None, "unknown", "1990-01-01", "1999-12-31", "range"),
    ("2015-2016", None, "unknown", "2015-01-01", "2016-12-31", "range"),
    ("Christmas", "2017-02-05", "unknown", "2016-12-25", "2016-12-25", "day"),
    ("Sept. 11, 2001", "2017-02-05", "unknown", "2001-09-11", "2001-09-11", "day"),
])
def test_resolve(expr, anchor, tense, start, end, precision):
    found = resolve(expr, D(anchor) if anchor else None, tense)
    assert found is not None, expr
    assert (found.start.isoformat(), found.end.isoformat(), found.precision) == \
        (start, end, precision)


@pytest.mark.parametrize("expr", ["two days", "about 30 minutes", "the new year", "his first full day",
                                  "30 years old", ""])
def test_durations_and_vague_phrases_have_no_value(expr):
    assert resolve(expr, D("2017-02-05")) is None


def test_relative_expression_without_anchor_has_no_value():
    assert resolve("last week", None) is None
    assert resolve("May 3, 2017", None).start == D("2017-05-03")


def test_parse_anchor():
    assert parse_anchor("2017-05-03") == D("2017-05-03")
    assert parse_anchor("2017-05-03T10:00:00+00:00") == D("2017-05-03")
    assert parse_anchor("2017-05").month == 5
    assert parse_anchor(None) is None and parse_anchor("soon") is None


def _timexes(nlp, text, published):
    return find_timexes(parse(text, nlp), "d1", published)


def test_grammar_decides_the_year(nlp):
    text = ("The summit will be held on December 1. Putin spoke to the assembly on "
            "December 1. He agreed to meet Trump on July 7-8.")
    found = _timexes(nlp, text, "2017-05-03")
    values = [(t.text, t.value_start) for t in found]
    assert values[0] == ("December 1", "2017-12-01")  # future tense
    assert values[1] == ("December 1", "2016-12-01")  # past tense
    assert values[2] == ("July 7-8", "2017-07-07")  # an infinitive says nothing: nearest


def test_offsets_and_ids(nlp):
    text = "Officials met in Amman about two weeks ago (AP, 05.03.17) and again on Thursday."
    found = _timexes(nlp, text, "2017-06-09")
    assert [t.id for t in found] == [f"d1:t{i}" for i in range(len(found))]
    assert all(text[t.start:t.end] == t.text for t in found)
    by_text = {t.text: t for t in found}
    assert by_text["Thursday"].value_start == "2017-06-08"
    assert by_text["05.03.17"].value_start == "2017-05-03"
    assert by_text["about two weeks ago"].anchor == "2017-06-09"


def test_no_publication_date_anchors_on_latest_explicit_date(nlp):
    text = "The deal was signed on June 2, 2017. Last week, talks resumed in Jordan."
    found = {t.text: t for t in _timexes(nlp, text, None)}
    assert found["Last week"].anchor == "2017-06-02"
    assert found["Last week"].value_start == "2017-05-22"


def test_no_date_at_all_records_relative_expressions_without_value(nlp):
    found = _timexes(nlp, "Last week, the Americans and Russia met in Jordan.", None)
    assert [(t.text, t.value_start, t.anchor) for t in found] == [("Last week", None, None)]


def test_seed_gold_dates(nlp, gold, seed_path):
    """Every gold date of the seeds, read through the dates stage."""
    published = {"000": "2017-05-03", "002": "2017-02-05", "003": "2017-06-09"}
    from storyline.eval.seeds_reading import _value_matches

    for item in gold["dates"]:
        text = seed_path(item["doc"]).read_text(encoding="utf-8")
        doc = Document(id="d", source_key="k", content_sha256="x", clean_text=text,
                       published=published[item["doc"]])
        state = DocState(doc_id="d", artifacts={"document": doc})
        state["nlp"] = type("P", (), {"doc": parse(text, nlp), "extra": {}})()
        get("dates").fn(state, None)
        occurrences = [i for i in range(len(text)) if text.startswith(item["text"], i)]
        hits = [t for t in state["timexes"]
                if any(t.start < i + len(item["text"]) and t.end > i for i in occurrences)]
        rows = [{"value_start": t.value_start, "value_end": t.value_end,
                 "precision": t.precision} for t in hits]
        assert any(_value_matches(r, item) for r in rows), (item, rows)
