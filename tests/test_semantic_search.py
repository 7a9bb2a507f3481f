"""Semantic search: persisted embeddings (only new or changed items are embedded), exact and
approximate (usearch HNSW) answers, deleted items gone, a damaged index file rebuilt."""

from __future__ import annotations

import shutil

import httpx
import numpy as np
import pytest
from report_fixtures import REUTERS, _doc, build_store, doc_id, sentences
from web_fixtures import app_for, serve

from storyline.report.filters import Filters
from storyline.store.db import open_store
from storyline.web.search import ANN_SUFFIX, MIN_WORDS, SemanticIndex

pytest.importorskip("usearch")
pytest.importorskip("wordllama")

QUERY = "officers arrested at the border"
REUTERS_ID = doc_id("wire/reuters-talks.txt")
NEW_TEXT = ("Heavy floods swept through the river valley overnight. "
            "Rescue teams evacuated hundreds of families from their flooded homes. "
            "The regional government declared a state of emergency on Monday.")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("semantic-template") / "store.db"
    build_store(path).close()
    return path


@pytest.fixture
def db(template, tmp_path):
    path = tmp_path / "store.db"
    shutil.copy(template, path)
    return path


def search(index, db, text=QUERY, filters=None, limit=20):
    with open_store(db, readonly=True) as store:
        return index.search(store, text, filters, limit)


def n_rows(db, where="1", params=()):
    with open_store(db, readonly=True) as store:
        return store.scalar(f"SELECT COUNT(*) FROM embeddings WHERE {where}", params)


def n_items(db):
    with open_store(db, readonly=True) as store:
        texts = [r[0] or "" for sql in ("SELECT text FROM sentences", "SELECT text FROM quotes",
                                        "SELECT c.text FROM claims c WHERE EXISTS (SELECT 1 "
                                        "FROM claim_sources s WHERE s.claim_id=c.id)")
                 for r in store.query(sql)]
    return sum(len(t.split()) >= MIN_WORDS for t in texts)


def add_document(db, name="wire/floods.txt", text=NEW_TEXT):
    row = _doc(name, text, title="Floods", published="2025-03-08", outlet="Wire")
    sents = sentences(row["id"], text)
    with open_store(db) as store, store.transaction():
        store.insert_rows("documents", [row])
        store.insert_rows("sentences", sents)
    return row["id"], sents


def test_the_real_server_finds_the_same_top_hit_exact_and_approximate(db):
    with serve(app_for(db)) as url:
        exact = httpx.get(f"{url}/api/v1/search", params={"q": QUERY, "mode": "semantic"},
                          timeout=120).json()
    assert "detained" in exact["items"][0]["text"]
    assert not (db.parent / (db.name + ANN_SUFFIX)).exists()  # small store: exact search
    app = app_for(db, **{"web.ann_threshold": 0})  # the setting reaches the running app
    index = app.state.sl.semantic
    assert index.ann_threshold == 0
    with serve(app) as url:
        approx = httpx.get(f"{url}/api/v1/search", params={"q": QUERY, "mode": "semantic"},
                           timeout=120).json()
        page = httpx.get(f"{url}/search", params={"q": QUERY, "mode": "semantic"}, timeout=60)
    assert index.mode == "ann" and (db.parent / (db.name + ANN_SUFFIX)).exists()
    assert index.stats["embedded"] == 0  # the vectors stored by the first server are reused
    assert approx["items"][0]["id"] == exact["items"][0]["id"]
    assert approx["items"][0]["score"] == pytest.approx(exact["items"][0]["score"], abs=0.01)
    assert {h["id"] for h in approx["items"][:5]} == {h["id"] for h in exact["items"][:5]}
    assert page.status_code == 200 and "detained" in page.text


@pytest.mark.parametrize("threshold", [20_000, 0])
def test_filters_apply_in_both_modes(db, threshold):
    index = SemanticIndex(ann_threshold=threshold)
    everything = search(index, db)["results"]
    assert len({h["doc_id"] for h in everything}) > 1
    only = search(index, db, filters=Filters(doc=REUTERS_ID))["results"]
    assert only and {h["doc_id"] for h in only} == {REUTERS_ID}
    assert search(index, db, filters=Filters(since="2030-01-01"))["total"] == 0
    dated = search(index, db, filters=Filters(until="2025-03-04"))["results"]
    assert dated and all(h["published"] <= "2025-03-04" for h in dated)


@pytest.mark.parametrize("threshold", [20_000, 0])
def test_only_new_items_are_embedded(db, threshold):
    index = SemanticIndex(ann_threshold=threshold)
    search(index, db)
    first = index.stats["embedded"]
    assert first == n_items(db) == n_rows(db)
    assert search(index, db)["total"] and index.stats["embedded"] == first  # nothing changed
    new_id, sents = add_document(db)
    hits = search(index, db, "water covered the houses and people had to leave")["results"]
    assert index.stats["embedded"] - first == len(sents) == 3
    assert n_rows(db) == first + 3 and n_rows(db, "doc_id=?", (new_id,)) == 3
    assert hits[0]["doc_id"] == new_id
    # another process (a new index over the same store) embeds nothing at all
    again = SemanticIndex(ann_threshold=threshold)
    assert search(again, db, "water covered the houses")["results"][0]["doc_id"] == new_id
    assert again.stats["embedded"] == 0


@pytest.mark.parametrize("threshold", [20_000, 0])
def test_deleted_and_changed_items_no_longer_come_back(db, threshold):
    index = SemanticIndex(ann_threshold=threshold)
    new_id, sents = add_document(db)
    query = "water covered the houses and people had to leave"
    assert search(index, db, query)["results"][0]["doc_id"] == new_id
    embedded = index.stats["embedded"]
    # a changed sentence is embedded again (only it), its old meaning is gone
    with open_store(db) as store, store.transaction():
        store.conn.execute("UPDATE sentences SET text=? WHERE id=?",
                           ("The orchestra played a new symphony to a full concert hall.",
                            sents[1]["id"]))
    hits = search(index, db, "a concert of classical music")["results"]
    assert index.stats["embedded"] == embedded + 1
    assert hits[0]["id"] == sents[1]["id"] and "symphony" in hits[0]["text"]
    assert all(h["id"] != sents[1]["id"] or "symphony" in h["text"]
               for h in search(index, db, query)["results"])
    # the document is deleted: none of its items come back, its vectors are dropped
    with open_store(db) as store, store.transaction():
        store.conn.execute("DELETE FROM sentences WHERE doc_id=?", (new_id,))
        store.conn.execute("DELETE FROM documents WHERE id=?", (new_id,))
    for q in (query, "a concert of classical music", NEW_TEXT):
        assert new_id not in {h["doc_id"] for h in search(index, db, q, limit=200)["results"]}
    assert n_rows(db, "doc_id=?", (new_id,)) == 0
    assert n_rows(db) == n_items(db)
    if threshold == 0:
        assert index.size == n_rows(db)


def test_a_corrupt_or_foreign_index_file_is_rebuilt_silently(db):
    ann = db.parent / (db.name + ANN_SUFFIX)
    first = SemanticIndex(ann_threshold=0)
    top = search(first, db)["results"][0]["id"]
    assert ann.exists() and first.stats["ann_rebuilds"] == 1
    good = ann.read_bytes()
    # a reader of the saved file does not rebuild it
    reader = SemanticIndex(ann_threshold=0)
    assert search(reader, db)["results"][0]["id"] == top and reader.stats["ann_rebuilds"] == 0
    damaged = [b"not an index at all" * 10, good[: len(good) // 2], b""]
    for junk in damaged:
        ann.write_bytes(junk)
        index = SemanticIndex(ann_threshold=0)
        assert search(index, db)["results"][0]["id"] == top
        assert index.stats["ann_rebuilds"] == 1 and index.stats["embedded"] == 0
    # a sound index file that belongs to another store (other keys, other vectors)
    from usearch.index import Index

    other = Index(ndim=256, metric="cos", dtype="f16")
    rng = np.random.default_rng(1)
    other.add(np.arange(1, 50), rng.normal(size=(49, 256)).astype("float32"))
    other.save(str(ann))
    index = SemanticIndex(ann_threshold=0)
    assert search(index, db)["results"][0]["id"] == top and index.stats["ann_rebuilds"] == 1
    assert Index.restore(str(ann)) is not None  # saved again, sound
    ann.unlink()
    index = SemanticIndex(ann_threshold=0)
    assert search(index, db)["results"][0]["id"] == top and ann.exists()


def test_an_old_readonly_store_without_the_table_still_searches(tmp_path, template):
    """A store the search cannot write (here: the table dropped, opened read-only) keeps
    its vectors in memory."""
    path = tmp_path / "old.db"
    shutil.copy(template, path)
    with open_store(path) as store:
        store.conn.execute("DROP TABLE embeddings")
    index = SemanticIndex(ann_threshold=20_000)
    with open_store(path, readonly=True) as store:
        found = index.search(store, QUERY)
    assert "detained" in found["results"][0]["text"] and index.stats["embedded"] > 0
