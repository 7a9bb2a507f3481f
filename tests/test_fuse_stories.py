"""Stories: incremental clustering of stored documents, sub-stories, labels; event clusters."""

from __future__ import annotations

import json

import pytest

from fuse_fixtures import add_document
from storyline.eval.ecbplus import head_date, pairwise_scores, read_doc
from storyline.fuse import events_merge, provenance, stories
from storyline.store.db import open_store

ECB = "eval/ecbplus"


@pytest.fixture()
def store(tmp_path):
    s = open_store(tmp_path / "stories.db")
    yield s
    s.close()


def _ecb_docs(shared, topics):
    root = shared / ECB
    if not root.is_dir():
        pytest.skip("ECB+ not available")
    return [read_doc(p) for t in topics for p in sorted((root / t).glob("*.xml"))]


def test_incremental_stories_separate_sibling_events(store, settings):
    from conftest import SHARED

    docs = _ecb_docs(SHARED, ["1", "7"])  # two rehab check-ins; two Klitschko title defences
    first, later = docs[::2], docs[1::2]
    for d in first:
        day = head_date(d.text)
        add_document(store, d.name, d.text, published=day.isoformat() if day else None)
    summary = stories.run(store, settings)
    assert summary["new_documents"] == len(first)
    before = {r["doc_id"]: r["story_id"] for r in store.query(
        "SELECT sd.* FROM story_docs sd JOIN stories s ON s.id=sd.story_id WHERE s.parent_id IS NULL")}
    for d in later:
        day = head_date(d.text)
        add_document(store, d.name, d.text, published=day.isoformat() if day else None)
    summary = stories.run(store, settings)
    assert summary["new_documents"] == len(later)
    top = {r["doc_id"]: r["story_id"] for r in store.query(
        "SELECT sd.* FROM story_docs sd JOIN stories s ON s.id=sd.story_id WHERE s.parent_id IS NULL")}
    assert all(top[d] == s for d, s in before.items())  # earlier placements stay
    leaf = dict(top)
    for r in store.query("SELECT sd.* FROM story_docs sd JOIN stories s ON s.id=sd.story_id "
                         "WHERE s.parent_id IS NOT NULL"):
        leaf[r["doc_id"]] = r["story_id"]
    gold = {d.name: d.subtopic for d in docs}
    assert pairwise_scores({d.name: d.topic for d in docs}, top)["precision"] == 1.0
    assert pairwise_scores(gold, leaf)["f1"] >= 0.8
    labels = " ".join(r["label"] for r in store.query("SELECT label FROM stories"))
    assert "Klitschko" in labels and ("Lohan" in labels or "Reid" in labels)


def test_labels_prefer_what_members_share(store, settings):
    texts = {
        "a": "Lindsay Lohan checked into the Betty Ford clinic on Monday, her lawyer said.",
        "b": "Lindsay Lohan left Betty Ford and checked into a Malibu rehab, a spokesman said.",
        "c": "A judge ordered Lindsay Lohan to spend 90 days in rehab at Betty Ford.",
    }
    for key, text in texts.items():
        add_document(store, key, text, published="2013-06-1" + str(len(key)))
    stories.run(store, settings)
    row = store.one("SELECT label, keywords, size FROM stories WHERE parent_id IS NULL")
    assert row["size"] == 3
    assert {"Lindsay Lohan", "Betty Ford"} <= set(row["label"].split(" · "))
    assert "Lindsay Lohan" in json.loads(row["keywords"])


def test_labels_are_readable_names_and_words():
    """Full names over the surname keys they were split into, no derived forms of shown
    names ("Syrian" next to "Syria"), no word stems ("believ") in the label."""
    texts = [
        ("North Korea believes talks are close", "North Korea said on Monday that the "
         "Syrian envoy believes the Syria talks are close; North Korea believes it."),
        ("Syria talks: North Korea believes in a deal", "Syrian officials and North Korea "
         "believe the Syria talks will end with a deal, North Korea said."),
        ("North Korea believes the Syria talks will go on", "North Korea's envoy believed "
         "the Syrian talks would go on in Syria, officials said."),
    ]
    feats = [stories.text_features(str(i), body, title, entities=["North Korea", "Syria",
                                                                  "Syrian"])
             for i, (title, body) in enumerate(texts)]
    label, _ = stories.label_members(feats, stories.Idf(feats))
    parts = label.split(" · ")
    assert {"North Korea", "Syria"} <= set(parts)
    assert "Korea" not in parts and "Syrian" not in parts and "syrian" not in parts
    assert all(p in {"North Korea", "Syria"} or p in " ".join(t for t, _ in texts).lower()
               for p in parts), label


def _event(eid, doc, type_, src, tgt, date, place=None, modality="happened", sentence=""):
    return {"id": eid, "doc_id": doc, "type": type_, "source_ids": json.dumps(src),
            "target_ids": json.dumps(tgt), "date_start": date, "place_name": place,
            "modality": modality, "sentence": sentence, "start": 0, "end": 10,
            "stage": "test", "stage_version": "1"}


def test_event_clusters_count_independent_sources(store, settings):
    for doc, outlet, meta in [("wsj", "The Wall Street Journal", {}),
                              ("pirate", "The Wall Street Journal",
                               {"original_outlet": "The Wall Street Journal", "carrier": "pirates"}),
                              ("almonitor", "Al-Monitor", {}), ("other", "Reuters", {})]:
        add_document(store, doc, f"text of {doc}", outlet=outlet, published="2017-06-09", **meta)
    store.insert_rows("events", [
        _event("e1", "wsj", "CONSULT", ["USA"], ["RUS"], "2017-05-26", "Jordan"),
        _event("e2", "pirate", "CONSULT", ["USA"], ["RUS"], "2017-05-26", "Jordan"),
        _event("e3", "almonitor", "CONSULT", ["RUS"], ["USA", "JOR"], "2017-05-28", "Amman, Jordan"),
        _event("e4", "other", "CONSULT", ["USA"], ["RUS"], "2017-05-27", "Geneva"),
        _event("e5", "other", "ASSAULT", ["USA"], ["SYR"], "2017-05-26", "Jordan"),
        _event("e6", "almonitor", "CONSULT", ["USA"], ["RUS"], "2017-06-20", "Jordan",
               modality="cancelled"),
    ])
    provenance.run(store)
    summary = events_merge.run(store, settings)
    clusters = {r["id"]: dict(r) for r in store.query("SELECT * FROM event_clusters")}
    members = {}
    for r in store.query("SELECT * FROM event_cluster_members"):
        members.setdefault(r["cluster_id"], set()).add(r["event_id"])
    jordan = next(c for c, m in members.items() if "e1" in m)
    assert members[jordan] == {"e1", "e2", "e3"}  # not Geneva, not the assault, not June
    assert clusters[jordan]["n_docs"] == 3 and clusters[jordan]["n_independent"] == 2
    assert clusters[jordan]["status"] == "corroborated"
    assert summary["multi_document"] == 1
