"""Hand-built stores for the fuse and opinion tests: documents (and comments) inserted
directly with the Store API, so these tests do not depend on the other stages.

The metadata given to the seed documents is what the gold file says a correct ingest
finds (outlet, original outlet, carrier, syndication, kind, date)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SEEDS = (REPO / ".." / "shared" / "seeds").resolve()

SEED_META: dict[str, dict[str, Any]] = {
    "000": {"kind": "analysis", "outlet": "Russia Matters", "published": "2017-05-03",
            "title": "Snapshot Analysis: Putin’s Overture to Trump on Syria"},
    "001": {"kind": "comment_thread", "outlet": "The New York Times", "published": "2017-05-02",
            "title": "Trump and Putin Agree to Seek Syria Cease-Fire"},
    "002": {"kind": "essay", "outlet": None, "published": "2017-02-05",
            "title": "What Does Putin Want from a Bargain with Trump?"},
    "003": {"kind": "news_report", "outlet": "The Wall Street Journal", "published": "2017-06-09",
            "original_outlet": "The Wall Street Journal", "carrier": "the media pirate",
            "title": "U.S. in Talks With Moscow on Syria Safe Zone"},
    "004": {"kind": "news_report", "outlet": "True Pundit", "published": None,
            "syndicated_from": "The Daily Caller News Foundation",
            "title": "Trump Administration In Secret Talks With Russia Over Syria Conflict"},
}

_AUTHOR = re.compile(r"^(?P<author>[^\n()]{1,40}?) \((?P<location>[^\n()]{1,60})\)$", re.M)


def add_document(store: Any, doc_id: str, text: str, **meta: Any) -> None:
    row = {"id": doc_id, "source_key": f"test:{doc_id}", "source": meta.pop("source", f"{doc_id}.txt"),
           "content_sha256": hashlib.sha256(text.encode()).hexdigest(), "clean_text": text,
           "stage": "test", "stage_version": "1"}
    row.update({k: v for k, v in meta.items()})
    store.insert_rows("documents", [row])


def split_thread(text: str, doc_id: str) -> list[dict[str, Any]]:
    """Comments of a "Name (Place)" thread, with quotes of earlier comments linked."""
    heads = list(_AUTHOR.finditer(text))
    comments = []
    for i, m in enumerate(heads):
        start = m.end() + 1
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = text[start:end].strip()
        comments.append({"id": f"{doc_id}:c{i}", "idx": i, "author": m.group("author"),
                         "location": m.group("location"), "text": body, "doc_id": doc_id,
                         "start": start, "end": start + len(body), "stage": "test",
                         "stage_version": "1", "quotes_comment_id": None, "quoted_text": None})
    for c in comments:
        q = re.match(r'\W*["“]([^"”]{40,})["”]', c["text"].split("\n\n", 1)[-1]) or \
            re.search(r'["“]([^"”]{40,})["”]', c["text"])
        if not q:
            continue
        for other in comments:
            if other is not c and other["text"].startswith(q.group(1)[:60]):
                c["quotes_comment_id"], c["quoted_text"] = other["id"], q.group(1)
                break
    return comments


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*")).read_text(encoding="utf-8")


def build_seed_store(store: Any) -> dict[str, str]:
    """The five seeds with gold metadata, thread comments and citations; returns
    prefix → doc id."""
    from storyline.fuse.citations import find_citations

    docs = {}
    for prefix, meta in SEED_META.items():
        doc_id = f"seed{prefix}"
        text = seed_text(prefix)
        add_document(store, doc_id, text, source=f"/seeds/{prefix}_x.txt", **meta)
        store.insert(find_citations(text, doc_id, meta.get("published")))
        if meta["kind"] == "comment_thread":
            store.insert_rows("comments", split_thread(text, doc_id))
        docs[prefix] = doc_id
    return docs


_FUSED: dict[str, Any] = {}


def fused_seed_store(tmp_dir: Path) -> tuple[Any, dict[str, str], dict[str, Any]]:
    """The hand-built seed store after every corpus stage (built once per session):
    (store, prefix → doc id, corpus stage summaries)."""
    if "store" not in _FUSED:
        from storyline.flow import run_corpus_stages
        from storyline.settings import load
        from storyline.store.db import open_store

        path = tmp_dir / "fused-seeds.db"
        settings = load(env={}, **{"store.path": str(path)})
        store = open_store(path)
        docs = build_seed_store(store)
        summary = run_corpus_stages(store, settings)
        _FUSED.update(store=store, docs=docs, summary=summary)
    return _FUSED["store"], _FUSED["docs"], _FUSED["summary"]
