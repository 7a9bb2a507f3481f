"""The PLOVER evaluation (label mapping, scoring, cross-validated run) and the classifier."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import EVAL

RECORDS = EVAL / "plover" / "records.jsonl"


def test_old_labels_and_moved_modes():
    from storyline.eval.plover import gold_type

    assert gold_type("DEMAND", None) == "REQUEST"
    assert gold_type("DISAPPROVE", None) == "ACCUSE"
    assert gold_type("INVESTIGATE", "") == "ACCUSE"
    assert gold_type("FIGHT", "heavy-weapons") == "ASSAULT"
    assert gold_type("COERCE", "destroy") == "ASSAULT"
    assert gold_type("COERCE", "arrest") == "COERCE"


def test_records_load_with_plover_2_types_and_iso_codes():
    from storyline.eval.plover import load_records
    from storyline.events.ontology import types

    if not RECORDS.is_file():
        pytest.skip("PLOVER records not available")
    records = load_records(RECORDS)
    assert len(records) == 163
    assert {r["type"] for r in records} <= set(types())
    codes = {c for r in records for c in r["sources"] + r["targets"]}
    assert "JPN" in codes and "JAP" not in codes and "IGO" in codes


def _event(event_type, modality, src, tgt):
    return SimpleNamespace(type=event_type, modality=modality, source_countries=src,
                           source_sectors=[None] * len(src), target_countries=tgt,
                           target_sectors=[None] * len(tgt), trigger="x")


def test_score_counts_types_actors_and_confusion():
    from storyline.eval.plover import score

    records = [{"id": "a", "type": "AGREE", "sources": ["USA"], "targets": ["JOR"], "text": ""},
               {"id": "b", "type": "ASSAULT", "sources": ["ISR"], "targets": ["LBN"], "text": ""},
               {"id": "c", "type": "REQUEST", "sources": ["POL"], "targets": [], "text": ""}]
    predictions = [_event("CONSULT", "future", ["USA"], ["JOR"]),  # coded AGREE
                   _event("ASSAULT", "happened", ["ISR"], ["SYR"]),
                   None]
    result = score(records, predictions)
    metrics = result["metrics"]
    assert metrics["type_accuracy"] == round(2 / 3, 4)
    assert metrics["actor_precision"] == 0.75 and metrics["actor_recall"] == 0.6
    assert metrics["coverage"] == round(2 / 3, 4)
    assert result["confusion"]["REQUEST"] == {"NONE": 1}
    assert [e["id"] for e in result["errors"]] == ["c"]


def test_cross_validated_evaluation_on_a_slice(nlp):
    from storyline.eval import plover
    from storyline.settings import load

    if not RECORDS.is_file():
        pytest.skip("PLOVER records not available")
    result = plover.evaluate(Path(RECORDS), load(env={}), limit=25)
    metrics = result["metrics"]
    assert set(metrics) >= {"type_accuracy", "actor_f1", "actor_precision", "actor_recall"}
    assert metrics["type_accuracy"] >= 0.6 and metrics["actor_precision"] >= 0.6
    assert result["details"]["cross_validation"] == "5-fold"
    assert "| gold \\ predicted |" in result["details"]["confusion_markdown"]


def test_packaged_classifier_loads_offline_and_separates_types():
    from storyline.events.classify import load_model
    from storyline.events.ontology import types

    model = load_model()
    assert model is not None and sorted(model.labels) == sorted(types())
    probs = model.predict(
        ["Warplanes bombed rebel positions outside the city, killing twelve fighters.",
         "The two foreign ministers held talks in Vienna on the nuclear programme."],
        ["bomb position", "hold talk"])
    assert max(probs[0], key=probs[0].get) == "ASSAULT"
    assert max(probs[1], key=probs[1].get) == "CONSULT"


def test_fit_learns_a_separable_problem():
    import numpy as np

    from storyline.events.classify import fit

    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(1, 0.1, (20, 4)), rng.normal(-1, 0.1, (20, 4))])
    y = ["AGREE"] * 20 + ["ASSAULT"] * 20
    model = fit(x, y, ["AGREE", "ASSAULT"], epochs=200)
    assert (model.proba(x).argmax(axis=1) == np.array([0] * 20 + [1] * 20)).all()
