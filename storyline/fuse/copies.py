"""Copies between documents: near-duplicates, partial copies, rewrites, reposts, syndication.

Cost stays near-linear in the number of documents (no all-pairs comparison):

1. every document gets a MinHash of its word 5-shingles (datasketch) and a sample of its
   shingles as fingerprints (hash ≡ 0 mod ``FINGERPRINT_MOD``);
2. documents are visited in publication order; each one queries an LSH index (near
   duplicates) and a fingerprint index (shared passages) holding only *earlier
   representatives* — a near-duplicate is not indexed again, so a text copied a thousand
   times costs one bucket, not a thousand;
3. candidates are aligned token by token (rapidfuzz Indel opcodes) to find the shared
   passages, with their offsets in both clean texts;
4. rewrites (paraphrases) come from a random-hyperplane index on document embeddings and
   are confirmed by aligning sentence embeddings;
5. the relation is named from the alignment and the documents' metadata: a near-duplicate
   whose metadata names the other's outlet as original outlet is a *repost*, one that
   carries a syndication notice a *syndication*.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..settings import Settings
from .outlets import outlet_key
from .text import split_sentences, word_spans
from .types import Copy

SHINGLE = 5
FINGERPRINT_MOD = 12  # keep ~1/12 of the shingles as fingerprints
MIN_SHARED_FINGERPRINTS = 3
MAX_POSTINGS = 200  # a fingerprint in more representatives than this is boilerplate
MAX_CANDIDATES = 6
MIN_PASSAGE_TOKENS = 10
NEAR_DUPLICATE = 0.8  # share of the longer document covered by shared passages
PARTIAL_MIN_TOKENS = 40
PARTIAL_MIN_SHARE = 0.15
REWRITE_DOC_COSINE = 0.8
REWRITE_SENT_COSINE = 0.86
REWRITE_MIN_SHARE = 0.5
REWRITE_MIN_SENTENCES = 3


@dataclasses.dataclass
class CopyDoc:
    """What the copy finder needs of one document."""

    id: str
    text: str
    published: str | None = None
    outlet: str | None = None
    original_outlet: str | None = None
    carrier: str | None = None
    syndicated_from: str | None = None
    order: int = 0


# --- hashing -----------------------------------------------------------------------------


def token_hashes(tokens: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64,
                       count=len(tokens))


def shingle_hashes(tokens: list[str], k: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of the word k-shingles (a polynomial over token CRCs)."""
    th = token_hashes(tokens)
    if len(th) == 0:
        return th
    if len(th) < k:
        th = np.concatenate([th, np.zeros(k - len(th), dtype=np.uint64)])
    n = len(th) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        acc = (acc * np.uint64(1_000_003) + th[j:j + n]) & np.uint64(0xFFFFFFFF)
    return acc


class MinHasher:
    """MinHash signatures from integer shingle hashes, sharing one set of permutations."""

    def __init__(self, num_perm: int = 128) -> None:
        from datasketch import MinHash

        self.num_perm = num_perm
        seed = MinHash(num_perm=num_perm, seed=1)
        self.permutations = seed.permutations
        self._cls = MinHash

    def signature(self, hashes: np.ndarray):
        m = self._cls(num_perm=self.num_perm, hashfunc=int, permutations=self.permutations,
                      scheme="affine32")
        if len(hashes):
            m.update_batch(hashes.tolist())
        return m


# --- alignment ---------------------------------------------------------------------------


def align(a_text: str, b_text: str, min_tokens: int = MIN_PASSAGE_TOKENS,
          max_gap: int = 3) -> tuple[list[dict[str, Any]], int, int, int]:
    """Shared passages of two texts: ``(passages, shared tokens, len a, len b)``.

    Token-level LCS alignment; equal runs separated by at most ``max_gap`` differing
    tokens on either side merge into one passage (a copy with light edits).
    """
    from rapidfuzz.distance import Indel

    a_spans, b_spans = word_spans(a_text), word_spans(b_text)
    a_tok, b_tok = [w for _, _, w in a_spans], [w for _, _, w in b_spans]
    if not a_tok or not b_tok:
        return [], 0, len(a_tok), len(b_tok)
    blocks = [(op.src_start, op.src_end, op.dest_start, op.dest_end)
              for op in Indel.opcodes(a_tok, b_tok) if op.tag == "equal"]
    merged: list[list[int]] = []
    for a0, a1, b0, b1 in blocks:
        if merged and a0 - merged[-1][1] <= max_gap and b0 - merged[-1][3] <= max_gap:
            merged[-1][1], merged[-1][3] = a1, b1
            merged[-1][4] += a1 - a0
        elif a1 - a0 >= 3:  # a stray common word does not start a passage
            merged.append([a0, a1, b0, b1, a1 - a0])
    passages, shared = [], 0
    for a0, a1, b0, b1, same in merged:
        if same < min_tokens:
            continue
        shared += same
        passages.append({"a": [a_spans[a0][0], a_spans[a1 - 1][1]],
                         "b": [b_spans[b0][0], b_spans[b1 - 1][1]],
                         "tokens": same, "score": round(same / max(a1 - a0, b1 - b0), 3)})
    return passages, shared, len(a_tok), len(b_tok)


# --- relations ---------------------------------------------------------------------------


def copy_relation(doc: CopyDoc, other: CopyDoc, shared: int, len_doc: int,
                  len_other: int) -> tuple[str, float] | None:
    """Name the relation of ``doc`` to the earlier ``other`` from their alignment."""
    if not shared:
        return None
    cover_long = shared / max(len_doc, len_other, 1)
    cover_short = shared / max(min(len_doc, len_other), 1)
    if cover_long >= NEAR_DUPLICATE or (cover_short >= 0.95 and cover_long >= 0.6):
        relation = "near_duplicate"
        if doc.original_outlet and outlet_key(doc.original_outlet) == outlet_key(other.outlet):
            relation = "repost"
        elif doc.carrier:
            relation = "repost"
        elif doc.syndicated_from and outlet_key(doc.syndicated_from) in (
                outlet_key(other.outlet), outlet_key(other.original_outlet)):
            relation = "syndication"
        return relation, round(cover_long, 3)
    if shared >= PARTIAL_MIN_TOKENS or cover_short >= PARTIAL_MIN_SHARE and shared >= 20:
        return "partial_copy", round(cover_short, 3)
    return None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


class CopyFinder:
    """Streams documents in publication order and reports each one's copies of earlier ones."""

    def __init__(self, settings: Settings, rewrites: bool = True) -> None:
        from datasketch import MinHashLSH

        self.settings = settings
        self.hasher = MinHasher(settings.fuse.minhash_perm)
        self.lsh = MinHashLSH(threshold=settings.fuse.copy_threshold,
                              num_perm=settings.fuse.minhash_perm)
        self.postings: dict[int, list[str]] = defaultdict(list)
        self.docs: dict[str, CopyDoc] = {}
        self.classes = _UnionFind()
        self.rewrites = rewrites
        self.planes = np.random.default_rng(7).standard_normal((64, 256)).astype(np.float32)
        self.buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
        self.doc_vectors: dict[str, np.ndarray] = {}
        self.stats: Counter[str] = Counter()
        self._signatures: dict[str, Any] = {}

    # the documents are kept only as long as needed for alignment (representatives)
    def add(self, doc: CopyDoc, vector: np.ndarray | None = None) -> list[Copy]:
        tokens = [w for _, _, w in word_spans(doc.text)]
        hashes = np.unique(shingle_hashes(tokens))
        signature = self.hasher.signature(hashes)
        fingerprints = hashes[hashes % FINGERPRINT_MOD == 0].tolist()
        found: list[Copy] = []
        near = [k for k in self.lsh.query(signature) if k in self.docs]
        linked: set[str] = set()
        for other_id in self._rank_near(near, signature):
            copy = self._compare(doc, self.docs[other_id])
            if copy:
                found.append(copy)
                linked.add(self.classes.find(other_id))
                if copy.relation in ("near_duplicate", "repost", "syndication"):
                    break
        is_dup = any(c.relation in ("near_duplicate", "repost", "syndication") for c in found)
        if not is_dup:
            found += self._partials(doc, fingerprints, linked)
        if self.rewrites and vector is not None and not is_dup:
            found += self._rewrite_candidates(doc, vector, linked | {c.other_doc_id for c in found})
        if is_dup:
            self.classes.union(found[0].other_doc_id, doc.id)
            self.stats["duplicates"] += 1
        else:
            self._index(doc, signature, fingerprints, vector)
        self.stats["documents"] += 1
        return found

    def _rank_near(self, keys: list[str], signature) -> list[str]:
        scored = sorted(keys, key=lambda k: -self._signatures[k].jaccard(signature))
        return scored[:MAX_CANDIDATES]

    def _index(self, doc: CopyDoc, signature, fingerprints: list[int],
               vector: np.ndarray | None) -> None:
        self.docs[doc.id] = doc
        self._signatures[doc.id] = signature
        self.lsh.insert(doc.id, signature)
        for fp in fingerprints:
            posting = self.postings[fp]
            if len(posting) <= MAX_POSTINGS:
                posting.append(doc.id)
        if vector is not None and self.rewrites:
            self.doc_vectors[doc.id] = vector
            for band in self._bands(vector):
                bucket = self.buckets[band]
                if len(bucket) <= MAX_POSTINGS:
                    bucket.append(doc.id)

    def _compare(self, doc: CopyDoc, other: CopyDoc) -> Copy | None:
        passages, shared, n_doc, n_other = align(doc.text, other.text)
        self.stats["alignments"] += 1
        relation = copy_relation(doc, other, shared, n_doc, n_other)
        if relation is None:
            return None
        return Copy(doc_id=doc.id, other_doc_id=other.id, relation=relation[0],
                    score=relation[1], passages=passages)

    def _partials(self, doc: CopyDoc, fingerprints: list[int], skip: set[str]) -> list[Copy]:
        counts: Counter[str] = Counter()
        for fp in fingerprints:
            posting = self.postings.get(fp)
            if posting and len(posting) <= MAX_POSTINGS:
                counts.update(posting)
        out = []
        for other_id, n in counts.most_common(MAX_CANDIDATES):
            if n < MIN_SHARED_FINGERPRINTS or self.classes.find(other_id) in skip:
                continue
            copy = self._compare(doc, self.docs[other_id])
            if copy:
                out.append(copy)
        return out

    # --- rewrites ----------------------------------------------------------------------

    def _bands(self, vector: np.ndarray) -> Iterator[tuple[int, int]]:
        bits = (self.planes @ vector) > 0
        for band in range(8):
            chunk = bits[band * 8:(band + 1) * 8]
            yield band, int(np.packbits(chunk)[0])

    def _rewrite_candidates(self, doc: CopyDoc, vector: np.ndarray, skip: set[str]) -> list[Copy]:
        seen: set[str] = set()
        for band in self._bands(vector):
            for other_id in self.buckets.get(band, ()):
                if other_id not in skip and self.classes.find(other_id) not in skip:
                    seen.add(other_id)
        scored = sorted(((float(self.doc_vectors[o] @ vector), o) for o in seen), reverse=True)
        out = []
        for cosine, other_id in scored[:MAX_CANDIDATES]:
            if cosine < REWRITE_DOC_COSINE:
                break
            copy = self._rewrite(doc, self.docs[other_id], cosine)
            if copy:
                out.append(copy)
        return out

    def _rewrite(self, doc: CopyDoc, other: CopyDoc, doc_cosine: float) -> Copy | None:
        from .embeddings import embed
        from .text import content_words, jaccard

        a = [s for s in split_sentences(doc.text) if len(s[2]) > 30]
        b = [s for s in split_sentences(other.text) if len(s[2]) > 30]
        if min(len(a), len(b)) < REWRITE_MIN_SENTENCES:
            return None
        self.stats["rewrite_checks"] += 1
        sims = embed([s[2] for s in a]) @ embed([s[2] for s in b]).T
        passages = []
        for i, row in enumerate(sims):
            j = int(row.argmax())
            overlap = jaccard(content_words(a[i][2]), content_words(b[j][2]))
            if row[j] >= REWRITE_SENT_COSINE and overlap >= 0.2:
                passages.append({"a": [a[i][0], a[i][1]], "b": [b[j][0], b[j][1]],
                                 "score": round(float(row[j]), 3)})
        share = len(passages) / min(len(a), len(b))
        if len(passages) < REWRITE_MIN_SENTENCES or share < REWRITE_MIN_SHARE:
            return None
        return Copy(doc_id=doc.id, other_doc_id=other.id, relation="rewrite",
                    score=round(min(1.0, share), 3), passages=passages)


def find_copies(docs: Iterable[CopyDoc], settings: Settings,
                vectors: dict[str, np.ndarray] | None = None) -> tuple[list[Copy], dict[str, int]]:
    """Copies among ``docs`` (visited in the given order, earliest first)."""
    finder = CopyFinder(settings, rewrites=vectors is not None)
    out: list[Copy] = []
    for doc in docs:
        out += finder.add(doc, vectors.get(doc.id) if vectors else None)
    return out, dict(finder.stats)


def run(store, settings: Settings, progress=None, batch: int = 256) -> dict[str, Any]:
    """The ``copies`` corpus stage: find copies among every stored report (comment threads
    excluded) and replace the ``copies`` table."""
    from . import corpus
    from .embeddings import embed

    finder = CopyFinder(settings)
    found: list[Copy] = []
    pending: list[CopyDoc] = []

    def flush() -> None:
        vectors = embed([f"{d.text[:2000]}" for d in pending])
        for doc, vector in zip(pending, vectors):
            found.extend(finder.add(doc, vector))
            if progress:
                progress.advance()
        pending.clear()

    for meta, text, _removed in corpus.iter_texts(store):
        if meta.kind == "comment_thread" or not text.strip():
            continue
        pending.append(CopyDoc(id=meta.id, text=text, published=meta.published,
                               outlet=meta.outlet, original_outlet=meta.original_outlet,
                               carrier=meta.carrier, syndicated_from=meta.syndicated_from))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    corpus.replace_table(store, "copies", [c.to_row() for c in found])
    summary: dict[str, Any] = dict(finder.stats)
    summary["copies"] = dict(Counter(c.relation for c in found))
    return summary
