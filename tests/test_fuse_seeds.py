"""The fuse and opinion corpus stages on a hand-built store of the five seeds (documents,
comments and citations inserted directly, with the metadata a correct ingest finds), run
through ``flow.run_corpus_stages``; scored against the gold file."""

from __future__ import annotations

import json

import pytest

from fuse_fixtures import fused_seed_store
from storyline.eval.seeds_fuse import score


@pytest.fixture(scope="module")
def fused(tmp_path_factory, gold):
    return fused_seed_store(tmp_path_factory.mktemp("fused"))


def test_corpus_stages_ran(fused):
    store, docs, summary = fused
    for name in ("copies", "provenance", "stories", "event-clusters", "claims",
                 "contradictions", "opinion"):
        assert name in summary and "error" not in summary[name], summary.get(name)


def test_gold_categories_all_found(fused, gold):
    store, docs, _ = fused
    results = score(store, gold, docs)
    for category in ("provenance", "citations", "corroborated", "contradictions", "narratives"):
        assert results[category]["score"] == 1.0, (category, results[category]["misses"])


def test_provenance_edges(fused):
    store, docs, _ = fused
    rows = {(r["doc_id"], r["relation"], r["source"]): dict(r) for r in
            store.query("SELECT * FROM provenance")}
    repost = rows[(docs["003"], "repost_of", "The Wall Street Journal")]
    assert repost["via"] == "the media pirate"
    report = rows[(docs["004"], "based_on_report_by", "Al-Monitor")]
    assert report["via"] == "The Daily Caller News Foundation"
    text = store.scalar("SELECT clean_text FROM documents WHERE id=?", (docs["004"],))
    assert text[report["start"]:report["end"]] == "according to a report by the Al-Monitor"
    quoting = rows[(docs["001"], "comment_quotes_comment", "zb (bc)")]
    assert quoting["agent"] == "MyThreeCents (San Francisco)"
    assert (docs["000"], "cites", "Reuters") in rows


def test_independence_of_corroborating_sources(fused):
    store, docs, _ = fused
    claims = {}
    for r in store.query("SELECT c.id, c.n_independent, c.status, s.doc_id, s.upstream, s.text "
                         "FROM claims c JOIN claim_sources s ON s.claim_id = c.id"):
        claims.setdefault(r["id"], []).append(dict(r))
    mcgurk = [c for c in claims.values() if all("McGurk" in s["text"] for s in c) and len(c) > 1]
    assert mcgurk and mcgurk[0][0]["n_independent"] == 2
    assert {s["upstream"] for s in mcgurk[0]} == {"wall street journal", "al-monitor"}
    readout = [c for c in claims.values() if {s["doc_id"] for s in c} >= {docs["000"], docs["001"]}
               and any("lasting peace" in s["text"] for s in c)]
    assert readout and readout[0][0]["n_independent"] == 1  # both rest on the White House


def test_contradiction_sides_are_spans_of_their_documents(fused):
    store, docs, _ = fused
    rows = store.query("SELECT * FROM contradictions")
    assert {r["kind"] for r in rows} >= {"omission", "denial"}
    for r in rows:
        for side in ("a", "b"):
            text = store.scalar("SELECT clean_text FROM documents WHERE id=?", (r[f"{side}_doc_id"],))
            assert r[f"{side}_text"] in text
    denial = next(r for r in rows if r["kind"] == "denial")
    assert denial["a_source"] == "Russian Defense Ministry" and denial["b_source"] == "U.S. officials"


def test_story_and_narratives(fused):
    store, docs, _ = fused
    stories = store.query("SELECT * FROM stories WHERE parent_id IS NULL")
    assert len(stories) == 1 and stories[0]["size"] == 5
    assert {"Russia", "Syria", "Trump"} <= set(stories[0]["label"].split(" · "))
    narratives = store.query("SELECT * FROM narratives ORDER BY share DESC")
    assert 4 <= len(narratives) <= 20
    for n in narratives:
        members = json.loads(n["members"])
        examples = json.loads(n["examples"])
        assert n["size"] == len({m["comment_id"] for m in members}) and examples
        assert 0 < n["share"] <= 0.5
    puppet = [n for n in narratives if "puppet" in json.loads(n["keywords"])]
    assert puppet
    member_text = " ".join(m["text"] for m in json.loads(puppet[0]["members"]))
    assert "owns Trump" in member_text  # joined by its embedding, not by the keyword


def test_comment_opinions(fused):
    store, docs, _ = fused
    rows = {r["comment_id"]: dict(r) for r in store.query("SELECT * FROM comment_opinions")}
    assert len(rows) == 135
    texts = {r["id"]: r["text"] for r in store.query("SELECT id, text FROM comments")}
    gloomy = next(c for c, t in texts.items() if "gangsters and KGB relics" in t)
    assert rows[gloomy]["compound"] < 0
    hostile = next(c for c, t in texts.items() if t.startswith("This is a joke. Putin is supporting"))
    assert json.loads(rows[hostile]["stance"]) == {"Putin": "against", "Trump": "against"}
    applause = next(c for c, t in texts.items() if "I applaud this move" in t)
    assert json.loads(rows[applause]["stance"]).get("Trump") == "favor"
