"""Settings, the stage registry and records: the contracts every stage relies on."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from storyline import registry
from storyline.errors import ConfigError, StageError
from storyline.records import Span
from storyline.settings import describe, load


def test_settings_defaults_env_and_overrides():
    s = load(env={"STORYLINE_DB": "/tmp/x.db", "STORYLINE_INGEST_MAX_BYTES": "1234",
                  "STORYLINE_INGEST_ALLOW_PRIVATE": "yes",
                  "STORYLINE_INGEST_JSON_TEXT_FIELDS": "body, text"})
    assert s.store.path == "/tmp/x.db"
    assert s.ingest.max_bytes == 1234
    assert s.ingest.allow_private is True
    assert s.ingest.json_text_fields == ["body", "text"]
    s2 = load(env={}, **{"store.path": "y.db", "ingest.max_bytes": None})
    assert s2.store.path == "y.db" and s2.ingest.max_bytes == 50_000_000


def test_bad_setting_values_are_config_errors():
    with pytest.raises(ConfigError, match="cannot read"):
        load(env={"STORYLINE_INGEST_MAX_BYTES": "lots"})
    with pytest.raises(ConfigError, match="unknown setting"):
        load(env={}, **{"ingest.nope": 1})
    with pytest.raises(ConfigError):
        load(env={}, **{"nosection.x": 1})


def test_every_option_is_documented():
    rows = describe(load(env={}))
    assert len(rows) > 30
    undocumented = [r["key"] for r in rows if len(r["doc"]) < 10]
    assert undocumented == []


def test_replace_does_not_touch_the_original():
    s = load(env={})
    t = s.replace(**{"geo.min_confidence": 0.9})
    assert t.geo.min_confidence == 0.9 and s.geo.min_confidence != 0.9


def test_plan_orders_by_requirements_and_reports_missing():
    def fn(state, settings):
        return None

    a = registry.Stage("a", fn, ("raw",), ("x",), "1", "document", "")
    b = registry.Stage("b", fn, ("x", "y"), ("z",), "1", "document", "")
    c = registry.Stage("c", fn, ("x",), ("y",), "1", "document", "")
    assert [s.name for s in registry.plan([b, c, a])] == ["a", "c", "b"]
    with pytest.raises(StageError, match="nothing produces"):
        registry.plan([b])


def test_unknown_stage_lists_known_ones():
    with pytest.raises(StageError, match="unknown stage"):
        registry.get("no-such-stage")


@dataclasses.dataclass(kw_only=True)
class _Thing(Span):
    TABLE: ClassVar[str] = "timexes"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("tags",)
    id: str
    tags: list = dataclasses.field(default_factory=list)
    flag: bool = False


def test_record_round_trip_keeps_json_and_bools():
    thing = _Thing(id="d:t1", doc_id="d", start=3, end=9, stage="dates", stage_version="1",
                   tags=["a", {"b": 1}], flag=True)
    row = thing.to_row()
    assert row["tags"] == '["a", {"b": 1}]' and row["flag"] == 1
    back = _Thing.from_row(row)
    assert back.tags == ["a", {"b": 1}] and back.start == 3
