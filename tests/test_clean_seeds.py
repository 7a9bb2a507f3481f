"""The clean stage end to end: registration, the seed scorer, the demo corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import registry
from storyline.eval import seeds_documents
from storyline.flow import process_document
from storyline.ingest.sources import iter_inputs
from storyline.ingest.types import RawInput, Skip
from storyline.settings import load

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
SETTINGS = load(env={})


def test_clean_stage_is_registered():
    st = registry.get("clean")
    assert st.requires == ("raw",) and st.produces == ("document", "comments")
    assert st.scope == "document"


def test_clean_stage_records_a_skip_for_unreadable_input():
    raw = RawInput(source_key="mem://empty", source="mem://empty", data=b" \n ", format="text")
    state = process_document(raw, SETTINGS, [registry.get("clean")])
    assert state.skipped and "empty" in state.skipped
    assert state.artifacts["failures"][0].error == "UnsupportedInput"


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory, seed_path):
    """The seeds stored after the clean stage only (fast; the full flow is tested elsewhere)."""
    from storyline.eval.seeds import seed_documents
    from storyline.store.db import open_store
    from storyline.store.documents import save_document

    seeds_dir = seed_path("000").parent
    store = open_store(tmp_path_factory.mktemp("clean") / "seeds.db")
    for raw in iter_inputs([seeds_dir], SETTINGS):
        save_document(store, process_document(raw, SETTINGS, [registry.get("clean")]))
    yield store, seed_documents(store)
    store.close()


def test_seed_scorer_finds_every_gold_item(clean_store, gold):
    store, seed_docs = clean_store
    results = seeds_documents.score(store, gold, seed_docs)
    assert set(results) == {"documents", "boilerplate", "comments"}
    for category, result in results.items():
        assert result["misses"] == [], category
        assert result["score"] == 1.0 and result["total"] > 0


def test_seed_scorer_reports_misses(clean_store, gold):
    store, seed_docs = clean_store
    altered = {**gold, "documents": [dict(d) for d in gold["documents"]]}
    altered["documents"][3]["title"] = "Another title"
    altered["documents"][3]["boilerplate"] = ["At least two meetings have taken place so far"]
    results = seeds_documents.score(store, altered, seed_docs)
    assert results["documents"]["score"] < 1.0
    assert any("003 title" in m for m in results["documents"]["misses"])
    assert any("003 boilerplate still present" in m for m in results["boilerplate"]["misses"])


def test_body_sentences_split_lines_into_sentences():
    text = "Title line\nOne two three four five six. Seven eight nine ten eleven twelve!\nShort one."
    assert seeds_documents.body_sentences(text, []) == [
        "One two three four five six.", "Seven eight nine ten eleven twelve!"]


def _demo_documents():
    docs = {}
    for raw in iter_inputs([DEMO], SETTINGS):
        if isinstance(raw, Skip) or raw.source.endswith("README.md"):
            continue  # the README describes the corpus; zones.geojson is not a document
        state = process_document(raw, SETTINGS, [registry.get("clean")])
        assert not state.skipped, (raw.source_key, state.skipped)
        docs[raw.source_key.rsplit("/", 1)[-1]] = (state["document"], state["comments"])
    return docs


def test_demo_corpus_reads_as_intended():
    docs = _demo_documents()
    assert len(docs) == 12
    kinds = {name: doc.kind for name, (doc, _) in docs.items()}
    assert kinds["02_meridian_wire_summit.txt"] == "news_report"
    assert kinds["05_peninsula_digest.txt"] == "analysis"
    assert kinds["06_harbour_times_comments.txt"] == "comment_thread"
    assert kinds["08_pdi_press_release.md"] == "press_release"
    repost, _ = docs["03_capital_ledger_repost.txt"]
    assert (repost.outlet, repost.original_outlet, repost.carrier) == \
        ("The Capital Ledger", "The Capital Ledger", "news unlocked")
    assert "t.me" not in repost.clean_text and "Report Page" not in repost.clean_text
    rewrite, _ = docs["04_liberty_beacon_rewrite.txt"]
    assert rewrite.outlet == "Liberty Beacon" and rewrite.syndicated_from == "Heartland News Service"
    for junk in ("Stand With Us", "readers like you", "Choose Your Amount", "Billing Details",
                 "Share on Facebook", "Comments are closed", "republished here with permission"):
        assert junk not in rewrite.clean_text
    assert "according to a report by The Capital Ledger" in rewrite.clean_text
    digest, _ = docs["05_peninsula_digest.txt"]
    assert digest.authors == ["Tomas Ferreira"] and digest.published == "2018-06-14"
    assert "is the editor of Peninsula Watch" not in digest.clean_text
    assert "(KCNA, 06.13.18, Capital Ledger, 06.13.18)" in digest.clean_text
    _, comments = docs["06_harbour_times_comments.txt"]
    assert len(comments) == 36
    feed = [d for name, (d, _) in docs.items() if name.startswith("07_meridian_feed.jsonl#")]
    assert len(feed) == 3 and all(d.outlet == "Meridian Wire" for d in feed)
    rss = [d for name, (d, _) in docs.items() if "harbourtimes.example" in d.source_key]
    assert len(rss) == 2 and all(d.published.startswith("2018-07") for d in rss)
    assert all(d.language == "en" for d, _ in docs.values())
