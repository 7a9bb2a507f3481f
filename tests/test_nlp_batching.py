"""The batched document flow (``flow.process_documents``: the nlp stage parses a window of
documents with one ``nlp.pipe`` stream) stores exactly what the one-by-one flow
(``flow.process_document`` per document, ``nlp(text)`` per document) stores."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("spacy")

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
#: columns that say when a row was written, not what was computed
_CLOCK_COLUMNS = {"created_at", "updated_at", "ingested_at", "fetched_at", "started_at",
                  "received_at", "finished_at", "recorded_at", "at", "time", "timestamp"}


def _dump(store) -> dict[str, list[tuple]]:
    tables = [r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    out: dict[str, list[tuple]] = {}
    for table in tables:
        rows = store.query(f'SELECT * FROM "{table}"')
        if not rows:
            out[table] = []
            continue
        cols = [c for c in rows[0].keys() if c not in _CLOCK_COLUMNS
                and not (c == "id" and table in ("skips", "runs"))]
        out[table] = sorted((tuple(repr(r[c]) for c in cols) for r in rows))
    return out


def _ingest(tmp_path: Path, name: str, map_documents) -> dict[str, list[tuple]]:
    from storyline import flow
    from storyline.settings import load
    from storyline.store.db import open_store

    db = tmp_path / f"{name}.db"
    settings = load(env={}, **{"store.path": str(db), "nlp.batch_size": 4})
    with open_store(db) as store:
        report = flow.ingest([DEMO], store, settings, corpus=False,
                             map_documents=map_documents)
        assert report.added
        return _dump(store)


def test_batched_flow_stores_the_same_as_one_by_one(tmp_path):
    from storyline import flow

    def one_by_one(raws, settings):
        stages = flow.document_stages(settings.ingest.stages or None)
        return (flow.process_document(r, settings, stages) for r in raws)

    single = _ingest(tmp_path, "single", one_by_one)
    batched = _ingest(tmp_path, "batched", None)  # ingest's default: process_documents
    assert single.keys() == batched.keys()
    for table in single:
        assert single[table] == batched[table], table
    assert single["events"] and single["nlp_cache"] and single["sentences"]


def test_parse_many_equals_parse():
    from storyline.nlp.pipeline import load_nlp, parse, parse_many

    nlp = load_nlp()
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt"))]
    texts += ["", "One short line.", texts[0] * 3]
    bounds = [[], [], [], [], [len(texts[0]), 2 * len(texts[0])]]
    bounds = [[]] * (len(texts) - len(bounds)) + bounds
    many = parse_many(texts, nlp, chunk_chars=2000, boundaries=bounds, batch_size=3)
    for text, cuts, doc in zip(texts, bounds, many):
        one = parse(text, nlp, 2000, boundaries=cuts)
        assert doc.text == text
        assert doc.to_bytes() == one.to_bytes()


def test_batch_failure_falls_back_to_one_by_one(monkeypatch):
    """A stage whose batch call fails is redone per document, failures recorded alike."""
    import dataclasses

    from storyline import flow
    from storyline.ingest.types import RawInput
    from storyline.settings import load

    settings = load(env={})
    stages = flow.document_stages(["clean", "nlp"])

    def broken(states, settings):
        raise RuntimeError("batch broke")

    nlp_stage = next(s for s in stages if s.name == "nlp")
    fn = nlp_stage.fn

    def wrapped(state, settings):
        return fn(state, settings)

    wrapped.batch = broken
    stages = [dataclasses.replace(s, fn=wrapped) if s.name == "nlp" else s for s in stages]
    raws = [RawInput(source_key=f"k{i}", source=f"s{i}", format="text",
                     data=f"Document number {i} was written on Monday.".encode())
            for i in range(3)]
    batched = list(flow.process_documents(raws, settings, stages, batch_size=3))
    single = [flow.process_document(r, settings, stages) for r in raws]
    for a, b in zip(batched, single):
        assert a.doc_id == b.doc_id and a.stage_versions == b.stage_versions
        assert [s.text for s in a["sentences"]] == [s.text for s in b["sentences"]]
        assert a["failures"] == b["failures"] == []
