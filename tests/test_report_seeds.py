"""The briefing of the five seeds (the full flow), against what issue 7 asks of it.

Each target needs some stages; a target whose stage has not filled its table is skipped
with the reason, so the test tightens by itself as stages land."""

from __future__ import annotations

import re

import pytest

from storyline.report.content import build
from storyline.settings import load

pytestmark = pytest.mark.slow
BOILERPLATE = ("media pirate", "t.me/", "Help Support Our Independent Journalism",
               "Select Payment Method", "Leave a Reply", "Report Page")


@pytest.fixture(scope="module")
def brief(seeds_store):
    return build(seeds_store, load(env={}))


def _need(store, table: str) -> None:
    if not store.scalar(f"SELECT COUNT(*) FROM {table}"):
        pytest.skip(f"no {table} stored yet (its stage is not available)")


def _statements(brief):
    return brief["headline"] + [u for s in brief["sections"] for u in s["bullets"]]


def test_headline_and_bullets_are_clean_sourced_statements(brief, seed_docs):
    assert len(brief["headline"]) == 3
    for item in _statements(brief):
        assert not any(b.lower() in item["text"].lower() for b in BOILERPLATE), item["text"]
        assert item["ref"]["doc_id"] != seed_docs["001"], "a comment presented as fact"
        assert item["citation_text"].startswith("(") and item["citation_text"].endswith(")")
    for t in brief["timeline"]:
        assert t["ref"]["doc_id"] != seed_docs["001"]


def test_cited_sentences_never_cut_a_quotation(brief, seeds_store, seed_docs):
    """The parser splits "…detailed exchanges. So we'll see…" inside the quotation; the
    briefing cites the whole quoted passage, as the source wrote it."""
    from storyline.report.queries import Sentences
    from storyline.report.util import quote_balance

    for item in _statements(brief) + brief["timeline"]:
        assert quote_balance(item["ref"]["text"]) == 0, item["ref"]["text"]
    text = seeds_store.scalar("SELECT clean_text FROM documents WHERE id=?", (seed_docs["000"],))
    start = text.index("Secretary of State Rex Tillerson told reporters")
    found = Sentences(seeds_store).at(seed_docs["000"], start, start + 20)
    assert found["text"].endswith("So we’ll see where we go from here.”")
    assert found["text"] == text[found["start"]:found["end"]]


def test_the_may_2_call_and_the_four_zone_plan(brief, seeds_store):
    _need(seeds_store, "events")
    texts = " ".join(u["text"] for u in _statements(brief))
    assert re.search(r"May 2 (phone )?call|phone call", texts)
    # the plan is single-source (only the digest reports it), so corroborated developments
    # may outrank it among the bullets; it must be on the timeline, once, with its date
    plan = [t for t in brief["timeline"]
            if re.search(r"four (buffer|safe|de-escalation|deconfliction) zones", t["text"])]
    assert len(plan) == 1 and plan[0]["date"].startswith("2017-0")


def test_one_timeline_entry_per_source_sentence(brief):
    refs = [t["ref"]["id"] for t in brief["timeline"] if t["ref"]]
    assert len(refs) == len(set(refs))


def test_the_jordan_talks_are_corroborated_by_independent_reports(brief, seeds_store):
    _need(seeds_store, "event_clusters")
    _need(seeds_store, "provenance")
    jordan = [u for u in _statements(brief) if "Jordan" in u["text"] and "badge" in u]
    assert jordan, "no development about the talks in Jordan"
    best = max(jordan, key=lambda u: u["n_independent"])
    assert best["badge"] == "corroborated"
    assert "Wall Street Journal" in best["citation_text"]
    assert "Al-Monitor" in best["citation_text"]


def test_the_drone_shot_down_near_al_tanf(brief, seeds_store):
    _need(seeds_store, "events")
    drone = [t for t in brief["timeline"] if "drone" in t["text"].lower()]
    assert drone, "the drone is not on the timeline"
    assert any(t["date"].startswith("2017-06-08") for t in drone)


def test_the_contradiction_of_the_call_readouts(brief, seeds_store):
    _need(seeds_store, "contradictions")
    disputes = " ".join(side["text"] + " " + side["source"] for c in brief["disputed"]
                        for side in c["sides"])
    assert re.search(r"safe zones|de-escalation", disputes)
    assert re.search(r"Kremlin|White House", disputes)


def test_a_reader_quoting_outlets_is_not_a_dispute_between_sources(brief, seeds_store,
                                                                   seed_docs):
    _need(seeds_store, "contradictions")
    in_comments = seeds_store.scalar("SELECT COUNT(*) FROM contradictions WHERE a_doc_id=?",
                                     (seed_docs["001"],))
    if not in_comments:
        pytest.skip("no contradiction found inside the comment thread")
    assert brief["disputed"]
    for c in brief["disputed"]:
        assert any(side["doc_id"] != seed_docs["001"] for side in c["sides"]), c


def test_public_reaction_is_reported_as_opinion(brief, seeds_store, seed_docs):
    _need(seeds_store, "narratives")
    (thread,) = [r for r in brief["reaction"] if r["doc_id"] == seed_docs["001"]]
    assert len(thread["narratives"]) >= 3
    assert all(0 < (n["share"] or 0) <= 1 for n in thread["narratives"])
    assert all(n["examples"] for n in thread["narratives"])


def test_sources_cite_reposts_as_their_original_outlet(brief, seeds_store, seed_docs):
    _need(seeds_store, "provenance")
    rows = {d["id"]: r for r in brief["sources"] for d in r["documents"]}
    assert "Wall Street Journal" in rows[seed_docs["003"]]["status"]
    assert rows[seed_docs["003"]]["derivative"]
    assert "Al-Monitor" in " ".join(rows[seed_docs["004"]]["cited"]) + \
        rows[seed_docs["004"]]["status"]


def test_a_development_carries_the_date_its_sentence_gives(brief):
    """"In late December, Moscow and Ankara announced …" in a February essay: December
    2016, not the essay's publication day."""
    found = [u for s in brief["sections"] for u in s["bullets"]
             if u["text"].startswith("In late December")]
    found += [t for t in brief["timeline"] if t["text"].startswith("In late December")]
    assert found
    for item in found:
        assert (item.get("date") or "").startswith("2016-12"), item
