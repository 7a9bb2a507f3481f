"""The fuse and opinion categories of the seed gold, on the seeds read by the whole flow
(``seeds_store``: every document stage of every area, then the corpus stages)."""

from __future__ import annotations

import pytest

from storyline import registry
from storyline.eval.seeds_fuse import score

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def flow_store(seeds_store, seed_docs):
    if "clean" not in {s.name for s in registry.all_stages("document")}:
        pytest.skip("the ingest stage is not available in this build")
    return seeds_store, seed_docs


def test_seed_gold_through_the_whole_flow(flow_store, gold):
    store, docs = flow_store
    results = score(store, gold, docs)
    for category in ("provenance", "citations", "corroborated", "contradictions", "narratives"):
        assert results[category]["score"] == 1.0, (category, results[category]["misses"])


def test_independence_through_the_whole_flow(flow_store):
    store, docs = flow_store
    ups = {r["doc_id"]: r["upstream"] for r in store.query(
        "SELECT s.doc_id, s.upstream FROM claim_sources s JOIN claims c ON c.id = s.claim_id "
        "WHERE c.status = 'corroborated'")}
    assert ups.get(docs["004"]) == "al-monitor"
    assert ups.get(docs["003"]) == "wall street journal"
