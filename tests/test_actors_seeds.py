"""The seeds: every gold alias that occurs resolves to its canonical entity (>= 95%), and
the corpus merge unifies document-local actors."""

from __future__ import annotations

import pytest
from conftest import GOLD, need_shared

from storyline.actors.kb import load_kb
from storyline.actors.merge import merge
from storyline.actors.resolve import resolve
from storyline.actors.types import Mention
from storyline.eval.seeds_actors import score_mentions


@pytest.fixture(scope="module")
def seed_reading(nlp, seed_path):
    import json

    need_shared()
    gold = json.loads(GOLD.read_text())
    meta = {d["title"]: d for d in gold["documents"]}
    kb = load_kb()
    texts, mentions = {}, {}
    for prefix in ("000", "001", "002", "003", "004"):
        text = seed_path(prefix).read_text(encoding="utf-8")
        doc = next((d for title, d in meta.items() if title and title in text), {})
        texts[prefix] = text
        found = resolve(
            nlp(text), prefix, kb, published=doc.get("published"), outlet=doc.get("outlet")
        )
        mentions[prefix] = [
            {"start": m.start, "end": m.end, "actor_name": m.actor_name} for m in found
        ]
    return gold, texts, mentions


def test_gold_aliases_resolve_to_their_canonical_entities(seed_reading):
    gold, texts, mentions = seed_reading
    result = score_mentions(gold, texts, mentions)
    entities = result["entities"]
    assert entities["total"] >= 120
    assert entities["score"] >= 0.95, entities["misses"]
    assert result["entities_optional"]["score"] >= 0.6, result["entities_optional"]["misses"]


def test_scorer_counts_misses():
    gold = {"entities": [{"canonical": "Vladimir Putin", "type": "PERSON", "aliases": ["Putin"]}]}
    texts = {"000": "Putin spoke. Putin left."}
    good = {"000": [{"start": 0, "end": 5, "actor_name": "Vladimir Putin"}]}
    wrong = {"000": [{"start": 0, "end": 5, "actor_name": "Vladimir Putin Jr."}]}
    assert score_mentions(gold, texts, good)["entities"]["score"] == 1.0
    missed = score_mentions(gold, texts, wrong)["entities"]
    assert missed["found"] == 0 and "Vladimir Putin Jr." in missed["misses"][0]


def _mention(
    doc_id: str, i: int, text: str, actor_id: str, name: str, label: str = "PERSON"
) -> Mention:
    return Mention(
        id=f"{doc_id}:m{i}",
        text=text,
        label=label,
        actor_id=actor_id,
        actor_name=name,
        kind="local",
        doc_id=doc_id,
        start=0,
        end=len(text),
        stage="actors",
        stage_version="1",
        confidence=0.8,
    )


def test_merge_unifies_local_actors_across_documents(tmp_path):
    from storyline.store.db import open_store

    with open_store(tmp_path / "m.db") as store:
        store.insert(
            [
                _mention("a", 0, "Jane Roe", "x:person:jane-roe", "Jane Roe"),
                _mention("b", 0, "Ms. Roe", "x:person:roe", "Roe"),
                _mention(
                    "b",
                    1,
                    "Hayat Tahrir al-Sham",
                    "x:org:hayat-tahrir-al-sham",
                    "Hayat Tahrir al-Sham",
                    "ORG",
                ),
                _mention("c", 0, "Vladimir Putin", "kb:vladimir-putin", "Vladimir Putin"),
            ]
        )
        summary = merge(store, load_kb())
        assert summary["merged"] == 2
        ids = {r["id"]: dict(r) for r in store.query("SELECT * FROM mentions")}
        assert ids["b:m0"]["actor_id"] == "x:person:jane-roe"
        assert ids["b:m1"]["actor_id"] == "kb:hay-at-tahrir-al-sham"
        actors = {r["id"]: dict(r) for r in store.query("SELECT * FROM actors")}
        assert actors["x:person:jane-roe"]["n_docs"] == 2
        assert actors["kb:vladimir-putin"]["kb_id"] == "vladimir-putin"
        assert actors["kb:vladimir-putin"]["country"] == "RUS"
        before = sorted(map(tuple, store.query("SELECT * FROM actors ORDER BY id")))
        merge(store, load_kb())  # idempotent
        assert sorted(map(tuple, store.query("SELECT * FROM actors ORDER BY id"))) == before
