"""Events as PLOVER JSON and ACLED-style rows, through the store's export."""

from __future__ import annotations

import csv
import io
import json

import pytest


@pytest.fixture(scope="module")
def stored_events(nlp, tmp_path_factory):
    from storyline.events.pipeline import read_texts
    from storyline.events.stage import extract_events
    from storyline.settings import load
    from storyline.store.db import open_store

    settings = load(env={})
    texts = ["Turkish forces shot down a Russian fighter jet near the Syrian border on Tuesday.",
             "The German chancellor will meet the French president in Paris next week."]
    states = read_texts(texts, settings, published="2017-06-09")
    events = [e for s in states for e in extract_events(s, settings)]
    store = open_store(tmp_path_factory.mktemp("ev") / "ev.db")
    store.insert(events)
    yield store, events
    store.close()


def test_rows_round_trip(stored_events):
    from storyline.events.types import Event

    store, events = stored_events
    back = store.fetch(Event, order="start")
    assert sorted(e.id for e in back) == sorted(e.id for e in events)
    shot = next(e for e in back if e.type == "ASSAULT")
    assert shot.source_countries == ["TUR"] and isinstance(shot.zones, list)


def test_plover_json(stored_events):
    from storyline.store.export import to_text

    store, _ = stored_events
    records = [json.loads(line) for line in to_text(store, "events", "plover").splitlines()]
    shot = next(r for r in records if r["action"] == "ASSAULT")
    assert shot["event"] == ["ASSAULT"] and shot["mode"] == ["aerial"]
    assert shot["source"][0]["code"] == "TUR" and shot["quad_code"] == 4
    assert shot["date"] == "2017-06-06" and shot["event_scale"] < -9
    meeting = next(r for r in records if r["action"] == "CONSULT")
    assert meeting["event"] == ["AGREE"] and meeting["modality"] == "future"
    assert "future" in meeting["context"]
    assert meeting["recipient"][0]["code"] == "FRA"


def test_acled_rows(stored_events):
    from storyline.store.export import to_text

    store, _ = stored_events
    rows = list(csv.DictReader(io.StringIO(to_text(store, "events", "acled"))))
    shot = next(r for r in rows if r["plover_event"] == "ASSAULT")
    assert shot["event_type"] == "Explosions/Remote violence"
    assert shot["sub_event_type"] == "Air/drone strike"
    assert shot["time_precision"] == "1" and shot["event_date"] == "2017-06-06"
    assert "Turkish forces" in shot["actor1"]
