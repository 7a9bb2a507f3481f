"""Claims and corroboration: statements of different documents that say the same thing.

Two statement units (see :mod:`units`) of different documents make one claim when

* their embeddings are near-paraphrases, or
* they are similar (``fuse.claim_similarity``), share an entity and many telling words, or
* they share two entities and the same kind of action (a meeting, a strike, a deal …), or
* they hold events of one event cluster.

Units are compared inside their story only (and identical sentences are grouped before
any comparison), so the cost follows the size of stories, not of the corpus.  A claim
keeps at most one unit per document.  Its sources are counted twice: ``n_sources``
(documents) and ``n_independent`` (distinct upstream sources: a sentence naming its
source — "according to the White House readout" — rests on that source; otherwise on its
document's upstream).  Status: corroborated (two or more independent sources), single, or
contested (set by the contradictions stage).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from ..store.db import Store
from . import corpus
from .provenance import upstreams
from .stories import _stem
from .text import content_words
from .types import Claim, ClaimSource
from .units import StatementUnit, build_units, distinct_entities

PARAPHRASE = 0.85
NEAR_PARAPHRASE = 0.78
FRAME_COSINE = 0.55
WORD_OVERLAP = 0.3
MAX_DENSE = 4000  # units of one story compared densely; larger stories are bucketed
MIN_MEMBER_COSINE = 0.35
RARE_ENTITY_SHARE = 0.05  # an entity in more of a story's statements than this is common

#: kinds of action, for "same thing happened" without the same words
FRAMES = {
    "meet": ("meet", "met", "meeting", "meetings", "talks", "talk", "negotiat", "discuss",
             "consult", "summit", "conference", "call", "visit"),
    "strike": ("strike", "struck", "airstrike", "bomb", "shell", "attack", "raid", "shoot",
               "shot", "fire", "kill", "killed"),
    "agree": ("agree", "agreement", "deal", "accord", "sign", "treaty", "ceasefire",
              "cease-fire", "truce"),
    "lead": ("lead", "leading", "led", "head", "participat", "took part", "take part", "join"),
    "propose": ("propos", "plan", "offer", "suggest", "call for", "urge"),
    "deny": ("deny", "denied", "denies", "reject", "dispute", "refute", "dismiss"),
    "sanction": ("sanction", "embargo", "restrict", "penalt"),
    "arrest": ("arrest", "detain", "charge", "indict", "convict", "sentenc", "jail"),
}


_FRAME_PATTERNS = {name: re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + ")", re.I)
                   for name, cues in FRAMES.items()}


def frames(text: str) -> set[str]:
    """The kinds of action a statement reports (meet, strike, agree …)."""
    return {name for name, pattern in _FRAME_PATTERNS.items() if pattern.search(text)}


def _keys(u: StatementUnit) -> set[str]:
    return {_stem(w) for w in content_words(u.text)} | {f"E:{e}" for e in u.entities}


class _Linker:
    """Decides whether two units say the same thing."""

    def __init__(self, units: list[StatementUnit], vectors: np.ndarray, threshold: float,
                 event_cluster: dict[str, str]) -> None:
        self.units = units
        self.event_cluster = event_cluster
        self.vectors = vectors
        self.threshold = threshold
        self._keys: dict[int, set[str]] = {}
        self._frames: dict[int, set[str]] = {}
        # document frequencies of words and entities, for weighting overlaps
        df = Counter(k for u in units for k in {_stem(w) for w in content_words(u.text)})
        df.update(f"E:{e}" for u in units for e in u.entities)
        n = len(units)
        self.idf = {k: math.log((1 + n) / (1 + c)) + 1 for k, c in df.items()}
        self.default_idf = math.log(1 + n) + 1
        self.entity_df = Counter(e for u in units for e in u.entities)
        self.rare_limit = max(3, RARE_ENTITY_SHARE * n)

    def frames(self, i: int) -> set[str]:
        if i not in self._frames:
            self._frames[i] = frames(self.units[i].text)
        return self._frames[i]

    def keys(self, i: int) -> set[str]:
        if i not in self._keys:
            self._keys[i] = _keys(self.units[i])
        return self._keys[i]

    def overlap(self, i: int, j: int) -> float:
        a, b = self.keys(i), self.keys(j)
        union = sum(self.weight(k) for k in a | b)
        return sum(self.weight(k) for k in a & b) / union if union else 0.0

    def weight(self, key: str) -> float:
        """IDF weight of a word or entity key (entities count double)."""
        return self.idf.get(key, self.default_idf) * (2 if key.startswith("E:") else 1)

    def score(self, i: int, j: int, cos: float) -> float:
        """A link score (0 = no link)."""
        ui, uj = self.units[i], self.units[j]
        if ui.doc_id == uj.doc_id:
            return 0.0
        if ui.event_ids and uj.event_ids and self.same_event(ui, uj):
            return 1.0 + cos
        if cos >= PARAPHRASE or cos >= NEAR_PARAPHRASE and self.overlap(i, j) >= 0.2:
            return cos
        shared = ui.entities & uj.entities
        if not shared:
            return 0.0
        if cos >= self.threshold and self.overlap(i, j) >= WORD_OVERLAP:
            return cos
        rare = {e for e in shared if self.entity_df[e] <= self.rare_limit}
        if cos >= FRAME_COSINE and distinct_entities(rare) >= 2 and \
                self.frames(i) & self.frames(j) - {"deny"}:
            return cos
        return 0.0

    def same_event(self, a: StatementUnit, b: StatementUnit) -> bool:
        ca = {self.event_cluster.get(e) for e in a.event_ids} - {None}
        cb = {self.event_cluster.get(e) for e in b.event_ids} - {None}
        return bool(ca & cb)


def group_units(units: list[StatementUnit], vectors: np.ndarray, story_of: dict[str, str],
                threshold: float, event_cluster: dict[str, str] | None = None) -> list[list[int]]:
    """Groups of unit indices that make one claim (one unit per document at most)."""
    linker = _Linker(units, vectors, threshold, event_cluster or {})
    parent = list(range(len(units)))
    docs: dict[int, set[str]] = {i: {u.doc_id} for i, u in enumerate(units)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_text: dict[str, int] = {}
    for i, u in enumerate(units):  # the same sentence in several documents: one claim
        first = by_text.setdefault(u.key, i)
        if first != i and u.doc_id not in docs[find(first)]:
            root = find(first)
            parent[i] = root
            docs[root].add(u.doc_id)
    pairs = []
    for idx in _blocks(units, story_of, by_text):
        sims = vectors[idx] @ vectors[idx].T
        rows, cols = np.nonzero(np.triu(sims >= FRAME_COSINE, k=1))
        for a, b in zip(rows.tolist(), cols.tolist()):
            i, j = idx[a], idx[b]
            s = linker.score(i, j, float(sims[a, b]))
            if s > 0:
                pairs.append((s, i, j))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units)) if find(i) == i}
    for i in range(len(units)):
        if find(i) != i:
            members[find(i)].append(i)
    for _, i, j in sorted(pairs, reverse=True):
        ri, rj = find(i), find(j)
        if ri == rj or docs[ri] & docs[rj] or not _coherent(vectors, members[ri], members[rj]):
            continue
        parent[rj] = ri
        docs[ri] |= docs.pop(rj)
        members[ri] += members.pop(rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        groups[find(i)].append(i)
    return list(groups.values())


def _coherent(vectors: np.ndarray, a: list[int], b: list[int]) -> bool:
    """Merging two groups keeps a claim coherent: on average its statements stay similar
    (a chain of pairwise links must not join statements that say different things)."""
    if len(a) == 1 and len(b) == 1:
        return True
    sims = vectors[a] @ vectors[b].T
    return float(sims.mean()) >= FRAME_COSINE and float(sims.min()) >= MIN_MEMBER_COSINE


def _blocks(units: list[StatementUnit], story_of: dict[str, str],
            by_text: dict[str, int]) -> list[list[int]]:
    """Unit indices to compare together: one block per story (distinct texts only);
    a story too large for a dense comparison is cut by shared entity."""
    stories: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if by_text.get(u.key) == i:
            stories[story_of.get(u.doc_id, "")].append(i)
    blocks = []
    for idx in stories.values():
        if len(idx) <= MAX_DENSE:
            blocks.append(idx)
            continue
        by_entity: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            for e in units[i].entities:
                by_entity[e].append(i)
        blocks += [b[:MAX_DENSE] for b in by_entity.values() if 1 < len(b)]
    return blocks


def keep_group(members: list[StatementUnit]) -> bool:
    """Claims worth a row: said by several documents, or a quotation, an event or a
    statement that names its source."""
    return len({u.doc_id for u in members}) > 1 or any(
        u.has_quote or u.event_ids or u.source for u in members)


def _representative(members: list[StatementUnit]) -> StatementUnit:
    return max(members, key=lambda u: (not u.in_comments, bool(u.source) or bool(u.event_ids),
                                       -abs(len(u.text) - 160)))


def build_claims(store: Store, settings: Any) -> tuple[list[Claim], list[ClaimSource], int]:
    """Claims of the whole store, built story by story (memory follows the largest story).
    Returns (claims, their sources, number of statement units compared)."""
    doc_upstream = upstreams(store)
    story_of = {r["doc_id"]: r["story_id"] for r in store.query(
        "SELECT sd.doc_id, sd.story_id FROM story_docs sd JOIN stories s ON s.id = sd.story_id "
        "WHERE s.parent_id IS NULL")}
    event_cluster = {r["event_id"]: r["cluster_id"] for r in store.query(
        "SELECT m.event_id, m.cluster_id FROM event_cluster_members m JOIN event_clusters c "
        "ON c.id = m.cluster_id WHERE c.n_docs > 1")}
    claims: list[Claim] = []
    sources: list[ClaimSource] = []
    n_units = 0
    for doc_ids in corpus.story_batches(store):
        units = build_units(store, doc_upstream, doc_ids)
        n_units += len(units)
        _claims_of(units, story_of, event_cluster, settings, claims, sources)
    return claims, sources, n_units


def _unique_embeddings(keys: list[str], texts: list[str]) -> np.ndarray:
    """Embeddings of ``texts``, each distinct text embedded once (copies repeat sentences)."""
    from .embeddings import embed

    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    order = list(first.values())
    vectors = np.zeros((len(texts), 256), dtype=np.float32)
    unique = np.zeros((len(order), 256), dtype=np.float32)
    for i in range(0, len(order), 4096):
        unique[i:i + 4096] = embed([texts[j] for j in order[i:i + 4096]])
    slot = {keys[j]: n for n, j in enumerate(order)}
    for i, k in enumerate(keys):
        vectors[i] = unique[slot[k]]
    return vectors


def _claims_of(units: list[StatementUnit], story_of: dict[str, str], event_cluster: dict[str, str],
               settings: Any, claims: list[Claim], sources: list[ClaimSource]) -> None:
    if not units:
        return
    vectors = _unique_embeddings([u.key for u in units], [u.text for u in units])
    groups = group_units(units, vectors, story_of, settings.fuse.claim_similarity, event_cluster)
    for members in sorted(groups, key=lambda g: (units[g[0]].doc_id, units[g[0]].start)):
        group = [units[i] for i in members]
        if not keep_group(group):
            continue
        cid = f"c{len(claims)}"
        rep = _representative(group)
        n_docs = len({u.doc_id for u in group})
        n_ind = len({u.upstream for u in group})
        kind = "event" if any(u.event_ids for u in group) else \
            "quote" if any(u.has_quote for u in group) else "fact"
        claims.append(Claim(id=cid, text=rep.text, kind=kind, n_sources=n_docs,
                            n_independent=n_ind,
                            status="corroborated" if n_ind >= 2 else "single",
                            confidence=round(min(1.0, 0.5 + 0.25 * (n_docs - 1)), 2)))
        sources += [ClaimSource(claim_id=cid, doc_id=u.doc_id, start=u.start, end=u.end,
                                text=u.text, outlet=u.source or u.outlet, upstream=u.upstream,
                                item_table="sentences", item_id=u.item_id) for u in group]


def run(store: Store, settings: Any, progress: Any = None) -> dict[str, Any]:
    """The ``claims`` corpus stage."""
    claims, sources, n_units = build_claims(store, settings)
    with store.transaction():
        store.conn.execute("DELETE FROM claim_sources")
        store.conn.execute("DELETE FROM claims")
        store.insert(claims + sources)
    return {"units": n_units, "claims": len(claims),
            "multi_source": sum(1 for c in claims if c.n_sources > 1),
            "corroborated": sum(1 for c in claims if c.status == "corroborated")}
