"""Evaluation modules of the fuse area: ECB+ (stories, event coreference) and FNC-1 stance."""

from __future__ import annotations

import pytest

from conftest import EVAL
from storyline.eval import ecbplus, stance


def test_pairwise_and_b_cubed_metrics():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert ecbplus.pairwise_scores(gold, {"a": 0, "b": 0, "c": 5, "d": 5})["f1"] == 1.0
    merged = ecbplus.pairwise_scores(gold, {k: 0 for k in gold})
    assert merged["precision"] == pytest.approx(1 / 3) and merged["recall"] == 1.0
    assert merged["ari"] == pytest.approx(0.0)
    b3 = ecbplus.b_cubed({"m1": "x", "m2": "x", "m3": "y"}, {"m1": 1, "m2": 2, "m3": 3})
    assert b3["precision"] == 1.0 and b3["recall"] == pytest.approx((0.5 + 0.5 + 1) / 3)


def test_cat_xml_reading_and_story_clustering(settings):
    root = EVAL / "ecbplus"
    if not root.is_dir():
        pytest.skip("ECB+ not available")
    docs = ecbplus.read_corpus(root, limit=2)
    assert {d.topic for d in docs} == {"1", "2"}
    reid = next(d for d in docs if d.name == "1_10ecb")
    assert reid.text.startswith("Perennial party girl Tara Reid checked herself into Promises")
    assert "checked into" in {m.text for m in reid.mentions}
    docs_of_chain: dict[str, set[str]] = {}
    for d in docs:
        for m in d.mentions:
            docs_of_chain.setdefault(m.chain, set()).add(d.name)
    checked = next(m.chain for m in reid.mentions if m.text == "checked into")
    assert len(docs_of_chain[checked]) > 1  # a cross-document chain
    leaves, top = ecbplus.cluster_stories(docs, settings)
    scores = ecbplus.pairwise_scores({d.name: d.subtopic for d in docs}, leaves)
    assert scores["f1"] >= 0.8


def test_fnc_stance_on_a_slice(settings):
    root = EVAL / "stance"
    if not root.is_dir():
        pytest.skip("FNC-1 pairs not available")
    result = stance.evaluate(root, settings, limit=400)
    assert result["details"]["pairs"] == 400
    assert result["metrics"]["relatedness_accuracy"] >= 0.9
    assert result["metrics"]["fnc_weighted_score"] >= 0.7
    gold = ["agree", "unrelated", "discuss"]
    assert stance.fnc_score(gold, gold) == 1.0
    assert stance.fnc_score(gold, ["discuss", "unrelated", "discuss"]) == pytest.approx(1.5 / 2.25)
