"""Semantic search: exact (one matrix product) against approximate (usearch HNSW, cosine)
query latency, and recall@10 of the approximate answers against the exact ones, in one run.

Two corpora:

* ``synthetic``: ``--n`` (default 200,000) normalised 256-d vectors drawn around
  ``--clusters`` random centres (text embeddings are clustered, not uniform on the sphere;
  uniform random vectors are the worst case of any graph index: ``--clusters 0``);
* ``real`` (``--real``): the sentences of ``../shared/eval/polnear`` embedded with wordllama
  (the model the search uses); queries are held-out sentences.

Both use the index that ``storyline.web.search`` builds (:func:`new_ann_index`) and the
exact search it does (matrix product + partial sort).  Prints only.

With ``--real`` it also times the search itself on a store of those sentences: the first
search (embeds everything), after one more document (embeds only its sentences), and a
restarted server (embeds nothing; loads the saved index).

    python benchmarks/bench_search.py [--n 200000] [--queries 200] [--real]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import SHARED  # noqa: E402
from storyline.web.search import ANN_FIRST, new_ann_index  # noqa: E402


def synthetic(n: int, dim: int, clusters: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if clusters:
        centres = rng.normal(size=(clusters, dim)).astype("float32")
        noise = rng.normal(size=(n, dim)).astype("float32")
        x = centres[rng.integers(0, clusters, n)] + 0.6 * noise
    else:
        x = rng.normal(size=(n, dim)).astype("float32")
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def real_sentences(limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted((SHARED / "eval" / "polnear").glob("*/text/*.txt")):
        for s in re.split(r"(?<=[.!?])\s+", path.read_text(errors="replace")):
            s = " ".join(s.split())
            if len(s.split()) >= 4:
                out.append(s)
        if len(out) >= limit:
            break
    return list(dict.fromkeys(out))[:limit]


def exact_top(matrix: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    scores = matrix @ q
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top])]


def ms(values: list[float]) -> str:
    values = sorted(values)
    return (f"p50 {statistics.median(values) * 1000:7.2f} ms  "
            f"p95 {values[int(0.95 * (len(values) - 1))] * 1000:7.2f} ms")


def run(name: str, base: np.ndarray, queries: np.ndarray) -> None:
    n, dim = base.shape
    print(f"\n== {name}: {n:,} vectors x {dim}, {len(queries)} queries ==")
    t = time.perf_counter()
    index = new_ann_index(dim)
    index.add(np.arange(n, dtype="int64"), base, threads=0)
    build = time.perf_counter() - t
    print(f"HNSW build {build:.1f} s ({n / build:,.0f} vectors/s), "
          f"index memory {index.memory_usage / 2**20:.0f} MiB vs exact matrix "
          f"{base.nbytes / 2**20:.0f} MiB (float32)")
    exact_t, ann_t, ann_wide_t, recalls, wide_recalls = [], [], [], [], []
    for q in queries:
        t = time.perf_counter()
        truth = exact_top(base, q, ANN_FIRST)
        exact_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        found = index.search(q, 10)
        ann_t.append(time.perf_counter() - t)
        recalls.append(len(set(found.keys.tolist()) & set(truth[:10].tolist())) / 10)
        t = time.perf_counter()
        wide = index.search(q, ANN_FIRST)
        ann_wide_t.append(time.perf_counter() - t)
        wide_recalls.append(len(set(wide.keys[:10].tolist()) & set(truth[:10].tolist())) / 10)
    e, a, w = statistics.median(exact_t), statistics.median(ann_t), statistics.median(ann_wide_t)
    print(f"exact (top {ANN_FIRST}) {ms(exact_t)}")
    print(f"ANN k=10        {ms(ann_t)}   speed-up x{e / a:.0f}")
    print(f"ANN k={ANN_FIRST} (what a search asks first) {ms(ann_wide_t)}   speed-up x{e / w:.0f}")
    print(f"recall@10 of ANN against exact: k=10 {statistics.mean(recalls):.3f}, "
          f"top 10 of k={ANN_FIRST} {statistics.mean(wide_recalls):.3f}")


def store_run(texts: list[str], threshold: int) -> None:
    """The search itself on a store of ``texts`` (one document per 20 sentences): the first
    search embeds everything, a search after one more document embeds only its sentences,
    a restarted server (a new index over the same store) embeds nothing."""
    import tempfile

    from storyline.store.db import open_store
    from storyline.web.search import SemanticIndex

    def add(store: Any, name: str, sents: list[str]) -> None:
        rows, pos = [], 0
        for n, text in enumerate(sents):
            rows.append({"id": f"{name}:s{n}", "idx": n, "text": text, "doc_id": name,
                         "start": pos, "end": pos + len(text), "stage": "nlp",
                         "stage_version": "1"})
            pos += len(text) + 1
        store.insert_rows("documents", [{"id": name, "source_key": name,
                                         "content_sha256": name, "clean_text": " ".join(sents),
                                         "published": "2025-01-01"}])
        store.insert_rows("sentences", rows)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.db"
        with open_store(db) as store, store.transaction():
            for k in range(0, len(texts) - 20, 20):
                add(store, f"d{k}", texts[k:k + 20])
            count = store.scalar("SELECT COUNT(*) FROM sentences")
        mode = "ANN" if threshold < count else "exact"
        print(f"\n== the search on a store of {count:,} sentences ({mode}) ==")
        index = SemanticIndex(ann_threshold=threshold)
        for label in ("first search (embeds all)", "next search (nothing changed)"):
            with open_store(db, readonly=True) as store:
                t = time.perf_counter()
                index.search(store, "the senator criticised the new tax plan")
                print(f"{label:42s} {time.perf_counter() - t:7.2f} s, "
                      f"embedded {index.stats['embedded']:,}")
        with open_store(db) as store, store.transaction():
            add(store, "new", texts[-20:])
        before = index.stats["embedded"]
        with open_store(db, readonly=True) as store:
            t = time.perf_counter()
            index.search(store, "the senator criticised the new tax plan")
        print(f"{'after one more document (20 sentences)':42s} {time.perf_counter() - t:7.2f} s, "
              f"embedded {index.stats['embedded'] - before:,}")
        again = SemanticIndex(ann_threshold=threshold)
        with open_store(db, readonly=True) as store:
            t = time.perf_counter()
            again.search(store, "the senator criticised the new tax plan")
        print(f"{'restarted server, first search':42s} {time.perf_counter() - t:7.2f} s, "
              f"embedded {again.stats['embedded']:,}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200_000, help="synthetic vectors")
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--clusters", type=int, default=2000, help="0: uniform on the sphere")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--real", action="store_true", help="also embed polnear's sentences")
    ap.add_argument("--real-limit", type=int, default=60_000)
    args = ap.parse_args()

    data = synthetic(args.n + args.queries, args.dim, args.clusters)
    run(f"synthetic ({args.clusters or 'no'} clusters)", data[args.queries:],
        data[:args.queries])
    if args.real:
        from storyline.web.search import embed

        texts = real_sentences(args.real_limit + args.queries)
        if len(texts) <= args.queries:
            print(f"\n(no real sentences under {SHARED / 'eval' / 'polnear'})")
            return
        t = time.perf_counter()
        vectors = np.vstack([embed(texts[k:k + 2048]) for k in range(0, len(texts), 2048)])
        took = time.perf_counter() - t
        print(f"\nembedded {len(texts):,} polnear sentences in {took:.1f} s "
              f"({len(texts) / took:,.0f}/s)")
        rng = np.random.default_rng(3)
        pick = rng.permutation(len(texts))
        run("real (polnear sentences, wordllama)", vectors[pick[args.queries:]],
            vectors[pick[:args.queries]])
        store_run(texts, threshold=len(texts) + 1)
        store_run(texts, threshold=0)


if __name__ == "__main__":
    main()
