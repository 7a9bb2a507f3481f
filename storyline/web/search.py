"""Semantic search over sentences, quotes and claims with wordllama embeddings (the model ships in
the wordllama package: nothing is downloaded).

Embeddings are persisted in the store's ``embeddings`` table (schema migration 3), so a
search after a change embeds only the items that have no vector yet (new or changed text)
and drops the vectors of deleted items.  The search itself is exact (one matrix product over
the vectors held in memory) up to ``web.ann_threshold`` vectors; above it, an approximate
HNSW index (usearch, cosine) answers, kept in memory and saved beside the store
(``<db>.semantic.usearch``), extended and pruned incrementally.  A missing, foreign or
corrupt index file is rebuilt from the table without an error.

Filters (documents allowed, date window) apply to over-fetched candidates, best first.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailable
from ..report.queries import Filters, allowed_docs
from ..report.sources import rows
from ..report.util import overlaps

log = logging.getLogger("storyline.web")

MIN_WORDS = 4
#: items embedded (and written to the store) per batch
BATCH = 2048
#: candidates looked at per query at most (exact and approximate), and hits kept
CANDIDATES = 2000
MAX_HITS = 200
#: candidates of a first fetch (exact or approximate); widened (x4) up to CANDIDATES until
#: MAX_HITS pass the filters
ANN_FIRST = 256
#: rebuild the approximate index when more than this share of it would be removed
ANN_REBUILD_SHARE = 0.3
ANN_SUFFIX = ".semantic.usearch"
#: the saved index is rewritten once this many vectors (or this share of it) changed
ANN_SAVE_EVERY = 10_000
ANN_SAVE_SHARE = 0.05
#: keys of the index file compared with the table to detect a stale or foreign file
ANN_PROBES = 32
KINDS = ("sentence", "quote", "claim")

#: the items that are embedded, per kind: (id, doc_id, text) for syncing and the fields a
#: hit shows for a list of ids
_ITEMS = {
    "sentence": "SELECT id, doc_id, text FROM sentences",
    "quote": "SELECT id, doc_id, text FROM quotes",
    "claim": "SELECT c.id, min(s.doc_id) AS doc_id, c.text FROM claims c "
             "JOIN claim_sources s ON s.claim_id=c.id GROUP BY c.id",
}
_DETAILS = {
    "sentence": 'SELECT s.id, s.doc_id, s.start, s."end", s.text, d.title, d.published, d.kind '
                "FROM sentences s JOIN documents d ON d.id=s.doc_id WHERE s.id IN ({})",
    "quote": 'SELECT q.id, q.doc_id, q.start, q."end", q.text, d.title, d.published, d.kind '
             "FROM quotes q JOIN documents d ON d.id=q.doc_id WHERE q.id IN ({})",
    "claim": 'SELECT c.id, s.doc_id, s.start, s."end", c.text, d.title, d.published, d.kind '
             "FROM claims c JOIN claim_sources s ON s.claim_id=c.id "
             "JOIN documents d ON d.id=s.doc_id WHERE c.id IN ({}) GROUP BY c.id",
}
_TABLE_DDL = """CREATE TABLE IF NOT EXISTS embeddings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, item_id TEXT NOT NULL, doc_id TEXT,
    text_hash TEXT NOT NULL, model TEXT NOT NULL, dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    UNIQUE (kind, item_id, model))"""
#: SQLite host parameters per IN (...) chunk
_CHUNK = 900


@functools.lru_cache(maxsize=1)
def load_model() -> Any:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:
        raise ModelUnavailable("wordllama is not installed", hint="pip install wordllama") \
            from exc

    try:
        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise ModelUnavailable(f"the wordllama model cannot be loaded: {exc}") from None


@functools.lru_cache(maxsize=1)
def model_tag() -> tuple[str, int]:
    """(name, dimension) of the embedding model, recorded with every stored vector."""
    import wordllama

    dim = int(load_model().embed(["model tag probe"], norm=True).shape[1])
    return f"wordllama-{getattr(wordllama, '__version__', '?')}/{dim}", dim


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).hexdigest()


def embed(texts: list[str]) -> Any:
    """Normalised float32 vectors of ``texts`` (one row each)."""
    import numpy as np

    return np.asarray(load_model().embed(texts, norm=True), dtype="float32")


def _chunks(seq: Any, size: int = _CHUNK) -> Any:
    for k in range(0, len(seq), size):
        yield seq[k:k + size]


def _stream(store: Any, sql: str) -> Any:
    """Rows of ``sql`` as tuples, one at a time; a table missing from an old store reads as
    empty."""
    try:
        yield from store.conn.execute(sql)
    except sqlite3.OperationalError:
        return


def _ann_class() -> Any:
    try:
        from usearch.index import Index
    except ImportError as exc:
        raise ModelUnavailable("usearch is not installed", hint="pip install usearch") from exc
    return Index


def new_ann_index(dim: int) -> Any:
    """An empty approximate index: HNSW over cosine distance with bfloat16 vectors (half the
    memory of float32, and about twice as fast to build as float16 where the CPU has bf16
    dot products, for the same recall; see benchmarks/bench_search.py)."""
    return _ann_class()(ndim=dim, metric="cos", dtype="bf16", connectivity=16,
                        expansion_add=128, expansion_search=64)


def _threshold_default() -> int:
    from ..settings import load

    return int(load().web.ann_threshold)


class SemanticIndex:
    """Embeddings of a store's sentences, quotes and claims: persisted in the store, synced
    when the store changed, searched exactly or (above ``ann_threshold``) approximately."""

    def __init__(self, settings: Any = None, *, ann_threshold: int | None = None) -> None:
        self._lock = threading.Lock()
        if ann_threshold is None:
            ann_threshold = (settings.web.ann_threshold if settings is not None
                             else _threshold_default())
        self.ann_threshold = int(ann_threshold)
        #: counters for tests and benchmarks: items embedded, embed batches, index rebuilds
        self.stats = {"embedded": 0, "batches": 0, "deleted": 0, "ann_rebuilds": 0}
        self._reset(None)

    def _reset(self, db: str | None) -> None:
        import numpy as np

        self._db = db
        self._conn: sqlite3.Connection | None = None
        self._persist = True
        self._key: tuple[Any, ...] | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._keys = np.empty(0, dtype="int64")   # exact mode: row ids of the matrix
        self._matrix: Any = None
        self._ann: Any = None
        self._unsaved = 0

    # --- paths and connections ---------------------------------------------------------

    def ann_path(self) -> Path | None:
        return Path(self._db + ANN_SUFFIX) if self._db and self._persist else None

    def _connection(self, store: Any) -> sqlite3.Connection:
        """Our own connection to the embeddings table: the store's file when it has the
        table and can be written, else an in-memory table (vectors then last as long as
        this process)."""
        if self._conn is not None:
            return self._conn
        conn = None
        if self._persist:
            try:
                conn = sqlite3.connect(str(store.path), timeout=30, check_same_thread=False,
                                       isolation_level=None)
                has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND "
                                   "name='embeddings'").fetchone()
                if not has:
                    raise sqlite3.OperationalError("no embeddings table (old schema)")
            except sqlite3.Error as exc:
                log.warning("semantic search keeps its vectors in memory: %s", exc)
                if conn is not None:
                    conn.close()
                conn, self._persist = None, False
        if conn is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            conn.execute(_TABLE_DDL)
        self._conn = conn
        return conn

    def _to_memory(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        db = self._db
        self._reset(db)
        self._persist = False

    # --- keeping the vectors in step with the store ------------------------------------

    @staticmethod
    def _file_stamp(path: Path) -> tuple[Any, ...]:
        """Size and modification time of the database and its WAL: any commit changes it."""
        out: list[Any] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(str(path) + suffix)
                out += [st.st_mtime_ns, st.st_size, st.st_ino]
            except OSError:
                out += [None, None, None]
        return tuple(out)

    def _state_key(self, store: Any) -> tuple[Any, ...]:
        """What the embedded items depend on: rows added or deleted (count, last rowid) and
        texts edited in place (total length)."""
        parts = [rows(store, f"SELECT COUNT(*) AS n, MAX(rowid) AS m, SUM(length({col})) AS l "
                             f"FROM {table}")
                 for table, col in (("sentences", "text"), ("quotes", "text"),
                                    ("claims", "text"), ("claim_sources", "claim_id"))]
        return (str(store.path), self.ann_threshold,
                *(tuple(r[0].values()) if r else () for r in parts))

    def sync(self, store: Any) -> int:
        """Bring the vectors in step with ``store``; returns how many vectors it holds."""
        db = str(store.path)
        if db != self._db:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
            self._reset(db)
        # the file's stamp is read before the tables, so a commit made meanwhile is seen at
        # the next search; our own writes change it too, and cost one more key check
        stamp = self._file_stamp(store.path)
        if stamp == self._stamp and self._key is not None:
            return self.size
        key = self._state_key(store)
        if key == self._key:
            self._stamp = stamp
            return self.size
        try:
            self._sync_table(store)
        except sqlite3.OperationalError as exc:
            if self._persist and "readonly" in str(exc).lower():
                log.warning("semantic search keeps its vectors in memory: %s", exc)
                self._to_memory()
                self._sync_table(store)
            elif "locked" in str(exc).lower() or "busy" in str(exc).lower():
                log.warning("semantic search could not update its vectors now: %s", exc)
                key = None  # try again at the next search
            else:
                raise
        self._load(store)
        self._key = key
        self._stamp = stamp if key is not None else None
        return self.size

    def _sync_table(self, store: Any) -> None:
        conn = self._connection(store)
        name, dim = model_tag()
        have: dict[tuple[str, str], tuple[int, str]] = {}
        stale: list[int] = []
        for rid, kind, item, h, model in conn.execute(
                "SELECT id, kind, item_id, text_hash, model FROM embeddings"):
            if model != name:
                stale.append(rid)
            else:
                have[(kind, item)] = (rid, h)
        todo: list[tuple[str, str, str, str, str]] = []
        for kind in KINDS:
            for item_id, doc_id, text in _stream(store, _ITEMS[kind]):
                text = text or ""
                if len(text.split()) < MIN_WORDS:
                    continue
                h = text_hash(text)
                old = have.pop((kind, item_id), None)
                if old is not None and old[1] == h:
                    continue
                if old is not None:
                    stale.append(old[0])
                todo.append((kind, item_id, doc_id, h, text))
        stale.extend(rid for rid, _ in have.values())
        if stale:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for part in _chunks(stale):
                    marks = ",".join("?" * len(part))
                    conn.execute(f"DELETE FROM embeddings WHERE id IN ({marks})", part)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self.stats["deleted"] += len(stale)
        for part in _chunks(todo, BATCH):
            vectors = embed([t[4] for t in part]).astype("<f2")
            self.stats["embedded"] += len(part)
            self.stats["batches"] += 1
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO embeddings(kind, item_id, doc_id, text_hash, model, "
                    "dim, vector) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(k, i, d, h, name, dim, v.tobytes())
                     for (k, i, d, h, _), v in zip(part, vectors, strict=True)])
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _ids(self) -> Any:
        import numpy as np

        name, _ = model_tag()
        assert self._conn is not None
        got = self._conn.execute("SELECT id FROM embeddings WHERE model=? ORDER BY id",
                                 (name,)).fetchall()
        return np.fromiter((r[0] for r in got), dtype="int64", count=len(got))

    def _vectors(self, ids: Any, everything: bool = False) -> Any:
        """float32 vectors of ``ids`` (sorted), read from the table."""
        import numpy as np

        name, dim = model_tag()
        assert self._conn is not None
        out = np.empty((len(ids), dim), dtype="float32")
        if not len(ids):
            return out
        pos = {int(k): n for n, k in enumerate(ids)}
        if everything:
            cur = self._conn.execute("SELECT id, vector FROM embeddings WHERE model=?", (name,))
            for rid, blob in cur:
                n = pos.get(rid)
                if n is not None:
                    out[n] = np.frombuffer(blob, dtype="<f2")
        else:
            for part in _chunks([int(k) for k in ids]):
                marks = ",".join("?" * len(part))
                cur = self._conn.execute(
                    f"SELECT id, vector FROM embeddings WHERE id IN ({marks})", part)
                for rid, blob in cur:
                    out[pos[rid]] = np.frombuffer(blob, dtype="<f2")
        return out

    def _load(self, store: Any) -> None:
        ids = self._ids()
        if len(ids) > self.ann_threshold:
            self._matrix, self._keys = None, self._keys[:0]
            self._load_ann(ids)
        else:
            self._ann = None
            self._load_exact(ids)

    def _load_exact(self, ids: Any) -> None:
        import numpy as np

        if self._matrix is None or not len(self._keys):
            self._keys, self._matrix = ids, self._vectors(ids, everything=True)
            return
        keep = np.isin(self._keys, ids)
        added = np.setdiff1d(ids, self._keys, assume_unique=True)
        keys = np.concatenate([self._keys[keep], added])
        matrix = np.vstack([self._matrix[keep],
                            self._vectors(added, everything=len(added) > len(ids) // 2)])
        order = np.argsort(keys, kind="stable")
        self._keys, self._matrix = keys[order], matrix[order]

    def _new_ann(self, dim: int) -> Any:
        self.stats["ann_rebuilds"] += 1
        return new_ann_index(dim)

    def _open_ann(self, ids: Any, dim: int) -> Any:
        """The saved index if it is sound and belongs to this table, else a new one."""
        import numpy as np

        path = self.ann_path()
        if path is None or not path.exists():
            return self._new_ann(dim)
        try:
            index = new_ann_index(dim)
            index.load(str(path))
            if index.ndim != dim or len(index) == 0:
                raise ValueError("wrong dimension or empty")
            keys = np.asarray(index.keys, dtype="int64")
            probe = np.intersect1d(keys, ids)
            if len(probe) < min(len(keys), len(ids)) // 2:
                raise ValueError("keys do not belong to this store")
            probe = probe[np.linspace(0, len(probe) - 1, min(ANN_PROBES, len(probe)))
                          .astype("int64")]
            mine = self._vectors(probe)
            theirs = np.vstack(index.get(probe, dtype="f32")).reshape(len(probe), dim)
            cosine = (mine * theirs).sum(1) / np.maximum(
                np.linalg.norm(mine, axis=1) * np.linalg.norm(theirs, axis=1), 1e-9)
            if float(cosine.min()) < 0.999:
                raise ValueError("vectors differ from the store's")
            return index
        except Exception as exc:  # noqa: BLE001 - any damage means: rebuild from the table
            log.info("rebuilding the semantic index %s: %s", path, exc)
            return self._new_ann(dim)

    def _load_ann(self, ids: Any) -> None:
        import numpy as np

        _, dim = model_tag()
        rebuilds = self.stats["ann_rebuilds"]
        if self._ann is None:
            self._ann = self._open_ann(ids, dim)
        rebuilt = self.stats["ann_rebuilds"] != rebuilds
        index = self._ann
        have = np.asarray(index.keys, dtype="int64")
        gone = np.setdiff1d(have, ids)
        if len(gone) > ANN_REBUILD_SHARE * max(len(have), 1):
            index = self._ann = self._new_ann(dim)
            have, gone, rebuilt = have[:0], gone[:0], True
        if len(gone):
            index.remove(gone)
        missing = np.setdiff1d(ids, have)
        for part in _chunks(missing, 16 * BATCH):
            index.add(part, self._vectors(part), threads=0)
        # the file is only a head start (whatever it lacks is added from the table when it
        # is loaded): it is written when new, and then once the changes add up
        self._unsaved += len(gone) + len(missing)
        if rebuilt or self._unsaved > max(ANN_SAVE_EVERY, ANN_SAVE_SHARE * len(index)):
            self._save_ann()

    def _save_ann(self) -> None:
        path = self.ann_path()
        if path is None or self._ann is None:
            return
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self._ann.save(str(tmp))
            os.replace(tmp, path)
            self._unsaved = 0
        except (OSError, RuntimeError) as exc:
            log.warning("cannot save the semantic index %s: %s", path, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()

    @property
    def size(self) -> int:
        if self._ann is not None:
            return len(self._ann)
        return len(self._keys)

    @property
    def mode(self) -> str:
        return "ann" if self._ann is not None else "exact"

    # --- searching ---------------------------------------------------------------------

    def _candidates(self, query: Any, k: int) -> tuple[Any, Any]:
        """(row ids, scores) of the ``k`` nearest vectors, best first."""
        import numpy as np

        if self._ann is not None:
            found = self._ann.search(query, k, exact=False)
            return (np.asarray(found.keys, dtype="int64"),
                    1.0 - np.asarray(found.distances, dtype="float32"))
        scores = self._matrix @ query
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return self._keys[top], scores[top]

    def _details(self, store: Any, keys: list[int]) -> dict[int, dict[str, Any]]:
        """The hits' fields, read now from the store, by row id of the embeddings table."""
        assert self._conn is not None
        refs: dict[int, tuple[str, str]] = {}
        for part in _chunks(keys):
            for rid, kind, item in self._conn.execute(
                    f"SELECT id, kind, item_id FROM embeddings WHERE id IN "
                    f"({','.join('?' * len(part))})", part):
                refs[rid] = (kind, item)
        by_kind: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in KINDS}
        for kind in KINDS:
            items = [item for k, item in refs.values() if k == kind]
            for part in _chunks(items):
                for r in rows(store, _DETAILS[kind].format(",".join("?" * len(part))), part):
                    by_kind[kind][r["id"]] = {**r, "kind_of": kind}
        out = {}
        for rid, (kind, item) in refs.items():
            hit = by_kind[kind].get(item)
            if hit is not None:
                out[rid] = hit
        return out

    def search(self, store: Any, text: str, filters: Filters | None = None, limit: int = 20,
               offset: int = 0) -> dict[str, Any]:
        """The sentences, quotes and claims closest in meaning to ``text``, best first."""
        filters = filters or Filters()
        if not text.strip():
            return {"total": 0, "results": []}
        with self._lock:
            n = self.sync(store)
            if not n:
                return {"total": 0, "results": []}
            query = embed([text[:2000]])[0]
            keep = allowed_docs(store, filters)
            dated = bool(filters.since or filters.until)
            cap = min(n, CANDIDATES)
            k = min(cap, ANN_FIRST)
            seen: set[int] = set()
            hits: list[dict[str, Any]] = []
            while True:
                keys, scores = self._candidates(query, k)
                fresh = [(int(key), float(s)) for key, s in zip(keys, scores, strict=True)
                         if int(key) not in seen]
                seen.update(key for key, _ in fresh)
                details = self._details(store, [key for key, _ in fresh])
                for key, score in fresh:
                    item = details.get(key)
                    if item is None:
                        continue
                    if keep is not None and item["doc_id"] not in keep:
                        continue
                    if dated and not overlaps(item["published"], None, filters.since,
                                              filters.until):
                        continue
                    hits.append({**item, "score": round(score, 3), "snippet": None})
                if len(hits) >= MAX_HITS or k >= cap:
                    break
                k = min(cap, k * 4)
        hits.sort(key=lambda h: -h["score"])
        hits = hits[:MAX_HITS]
        return {"total": len(hits), "results": hits[offset: offset + limit]}
