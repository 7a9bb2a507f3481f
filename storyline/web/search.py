"""Semantic search over sentences, quotes and claims with wordllama embeddings (the model ships in
the wordllama package: nothing is downloaded).  Vectors are computed once per store state
and kept in memory; a query is one matrix product (exact cosine similarity, fast enough for
a few hundred thousand sentences)."""

from __future__ import annotations

import functools
import threading
from typing import Any

from ..errors import ModelUnavailable
from ..report.queries import Filters, allowed_docs
from ..report.sources import rows
from ..report.util import overlaps

MIN_WORDS = 4
BATCH = 2048


@functools.lru_cache(maxsize=1)
def load_model() -> Any:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:
        raise ModelUnavailable("wordllama is not installed", hint="pip install wordllama") \
            from exc
    from pathlib import Path

    try:
        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise ModelUnavailable(f"the wordllama model cannot be loaded: {exc}") from None


class SemanticIndex:
    """Embeddings of a store's sentences and quotes, rebuilt when the store changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._items: list[dict[str, Any]] = []
        self._vectors: Any = None

    def _state_key(self, store: Any) -> tuple[Any, ...]:
        a = rows(store, "SELECT COUNT(*) AS n, MAX(rowid) AS m FROM sentences")
        b = rows(store, "SELECT COUNT(*) AS n, MAX(rowid) AS m FROM quotes")
        c = rows(store, "SELECT COUNT(*) AS n, MAX(rowid) AS m FROM claims")
        return (str(store.path), *(tuple(r[0].values()) if r else () for r in (a, b, c)))

    def _build(self, store: Any) -> None:
        import numpy as np

        items = []
        for s in rows(store, 'SELECT s.id, s.doc_id, s.start, s."end", s.text, d.title, '
                      "d.published, d.kind FROM sentences s JOIN documents d ON d.id=s.doc_id"):
            if len((s["text"] or "").split()) >= MIN_WORDS:
                items.append({**s, "kind_of": "sentence"})
        for q in rows(store, 'SELECT q.id, q.doc_id, q.start, q."end", q.text, d.title, '
                      "d.published, d.kind FROM quotes q JOIN documents d ON d.id=q.doc_id"):
            if len((q["text"] or "").split()) >= MIN_WORDS:
                items.append({**q, "kind_of": "quote"})
        for c in rows(store, 'SELECT c.id, s.doc_id, s.start, s."end", c.text, d.title, '
                      "d.published, d.kind FROM claims c JOIN claim_sources s ON s.claim_id=c.id "
                      "JOIN documents d ON d.id=s.doc_id GROUP BY c.id"):
            if len((c["text"] or "").split()) >= MIN_WORDS:
                items.append({**c, "kind_of": "claim"})
        vectors = None
        if items:
            model = load_model()
            parts = [model.embed([i["text"] for i in items[k:k + BATCH]], norm=True)
                     for k in range(0, len(items), BATCH)]
            vectors = np.vstack(parts).astype("float32")
        self._items, self._vectors = items, vectors

    def search(self, store: Any, text: str, filters: Filters | None = None, limit: int = 20,
               offset: int = 0) -> dict[str, Any]:
        """The sentences and quotes closest in meaning to ``text``, best first."""
        filters = filters or Filters()
        if not text.strip():
            return {"total": 0, "results": []}
        with self._lock:
            key = self._state_key(store)
            if key != self._key:
                self._build(store)
                self._key = key
            items, vectors = self._items, self._vectors
        if vectors is None:
            return {"total": 0, "results": []}
        query = load_model().embed([text[:2000]], norm=True)[0]
        scores = vectors @ query
        order = scores.argsort()[::-1]
        keep = allowed_docs(store, filters)
        hits = []
        for i in order[:2000]:
            item = items[int(i)]
            if keep is not None and item["doc_id"] not in keep:
                continue
            if (filters.since or filters.until) and not overlaps(item["published"], None,
                                                                 filters.since, filters.until):
                continue
            hits.append({**item, "score": round(float(scores[int(i)]), 3), "snippet": None})
            if len(hits) >= 200:
                break
        return {"total": len(hits), "results": hits[offset: offset + limit]}
