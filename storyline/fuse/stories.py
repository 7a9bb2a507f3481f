"""Stories and sub-stories: documents clustered incrementally, each one labelled.

A document is described by its words (TF-IDF), its entities (actor ids or names, places,
years), its event types and its embedding (WordLlama), and dated when it can be.  It joins
the story it is most similar to when the similarity passes ``fuse.story_threshold``, and
starts a new story otherwise; a later run adds new documents to the stories already there.
Entities and time are what separate sibling stories (two celebrities entering rehab, two
earthquakes), so they weigh as much as the words.

Candidate stories come from an inverted index on each story's most telling terms and
entities, limited to stories active near the document's date: a document is compared with
a bounded number of stories, never with every one.  A refinement pass then moves each
document to its best story once all centroids are known, and stories whose centroids
coincide merge.  Sub-stories are the same clustering inside one story at a stricter
threshold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from .text import STOPWORDS, content_words, proper_names

WEIGHTS = {"terms": 0.35, "entities": 0.4, "vector": 0.25}
TIME_SCALE_DAYS = 10.0
KEYS_PER_DOC = 12
MAX_POSTING = 30  # stories kept per index key (the most recent)
MERGE_GAIN = 0.25  # stories merge when their centroids are this much above the threshold


@dataclasses.dataclass
class DocFeatures:
    """What the story clustering knows of one document."""

    id: str
    terms: Counter = dataclasses.field(default_factory=Counter)
    entities: Counter = dataclasses.field(default_factory=Counter)
    vector: np.ndarray | None = None
    date: dt.date | None = None
    title: str = ""


def parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        parts = [int(p) for p in str(value)[:10].split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 7,
                       parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ENTITY_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
DATE_WEIGHT = 3


def normalize_entity(name: str) -> list[str]:
    """Comparison keys of an entity name: the tidied name, plus the last word of a
    multi-word name ("mark teixeira" → also "teixeira") so short and long forms meet."""
    name = _ENTITY_ARTICLE.sub("", name.strip().lower())
    name = re.sub(r"\s*['’]s$", "", name).replace(" - ", "-")
    if not name:
        return []
    keys = [name]
    parts = name.split()
    if len(parts) > 1 and not re.search(r"\d", name) and len(parts[-1]) > 2:
        keys.append(parts[-1])
    return keys


def text_features(doc_id: str, text: str, title: str = "",
                  entities: Iterable[str] | None = None, date: dt.date | None = None,
                  extra_entities: Iterable[str] = ()) -> DocFeatures:
    """Features from raw text; ``entities`` (names, actor ids) replace the capitalised-run
    fallback when given.  A dated document also carries its month and year as entities."""
    body = f"{title}\n{title}\n{text}" if title else text
    terms = Counter(_stem(w) for w in content_words(body))
    if entities is None:
        entities = proper_names(body)
    ents: Counter = Counter()
    for e in entities:
        if e and e.lower() not in STOPWORDS:
            ents.update(normalize_entity(e) if not e.startswith(("actor:", "ev:")) else [e])
    ents.update(f"year:{y}" for y in _YEAR.findall(text[:3000]))
    if date is not None:
        ents[f"date:{date.year}-{date.month:02d}"] += DATE_WEIGHT
        ents[f"date:{date.year}"] += DATE_WEIGHT
    ents.update(extra_entities)
    return DocFeatures(id=doc_id, terms=terms, entities=ents, date=date, title=title)


def _stem(word: str) -> str:
    """A crude plural/inflection folding that keeps words readable in labels."""
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            if suffix == "ies":
                return word[:-3] + "y"
            return word[: -len(suffix)]
    return word


# --- weighting -----------------------------------------------------------------------------


class Idf:
    """Inverse document frequencies of terms and entities over the clustered documents."""

    def __init__(self, docs: list[DocFeatures]) -> None:
        self.n = max(1, len(docs))
        self.df_terms: Counter = Counter()
        self.df_ents: Counter = Counter()
        for d in docs:
            self.df_terms.update(d.terms.keys())
            self.df_ents.update(d.entities.keys())

    def weigh(self, counts: Counter, df: Counter) -> dict[str, float]:
        vec = {}
        for key, tf in counts.items():
            n = df.get(key, 0)
            if n <= 1:
                continue  # a key seen once links nothing
            idf = math.log((1 + self.n) / (1 + n)) + 1.0
            if n / self.n > 0.5:
                idf *= 0.3
            vec[key] = (1 + math.log(tf)) * idf
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {k: v / norm for k, v in vec.items()}


@dataclasses.dataclass
class _Weighted:
    id: str
    terms: dict[str, float]
    entities: dict[str, float]
    vector: np.ndarray | None
    date: dt.date | None
    title: str


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


class _Cluster:
    """A story being built: sums of its members' vectors (the centroid, unnormalised)."""

    def __init__(self, cid: int) -> None:
        self.id = cid
        self.members: list[str] = []
        self.terms: dict[str, float] = defaultdict(float)
        self.entities: dict[str, float] = defaultdict(float)
        self.vector: np.ndarray | None = None
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self._norms: tuple[float, float, float] | None = None

    def add(self, d: _Weighted, sign: int = 1) -> None:
        if sign > 0:
            self.members.append(d.id)
        else:
            self.members.remove(d.id)
        for k, v in d.terms.items():
            self.terms[k] += sign * v
        for k, v in d.entities.items():
            self.entities[k] += sign * v
        if d.vector is not None:
            self.vector = d.vector * sign if self.vector is None else self.vector + sign * d.vector
        if d.date and sign > 0:
            self.first = min(self.first, d.date) if self.first else d.date
            self.last = max(self.last, d.date) if self.last else d.date
        self._norms = None

    def norms(self) -> tuple[float, float, float]:
        if self._norms is None:
            self._norms = (math.sqrt(sum(v * v for v in self.terms.values())) or 1.0,
                           math.sqrt(sum(v * v for v in self.entities.values())) or 1.0,
                           float(np.linalg.norm(self.vector)) if self.vector is not None
                           else 1.0)
        return self._norms

    def top_keys(self, n: int = KEYS_PER_DOC) -> list[str]:
        ents = sorted(self.entities.items(), key=lambda kv: -kv[1])[: n // 2]
        terms = sorted(self.terms.items(), key=lambda kv: -kv[1])[: n // 2]
        return [f"e:{k}" for k, _ in ents] + [f"t:{k}" for k, _ in terms]


def similarity(d: _Weighted, c: _Cluster) -> float:
    """Weighted cosine of a document with a story's centroid, discounted by time distance."""
    tn, en, vn = c.norms()
    score = WEIGHTS["terms"] * _dot(d.terms, c.terms) / tn
    if d.entities and c.entities:
        score += WEIGHTS["entities"] * _dot(d.entities, c.entities) / en
    else:  # no entities on one side: let the words stand in
        score += WEIGHTS["entities"] * _dot(d.terms, c.terms) / tn
    if d.vector is not None and c.vector is not None:
        score += WEIGHTS["vector"] * max(0.0, float(d.vector @ c.vector) / vn)
    return score * _time_factor(d.date, c.first, c.last)


def _time_factor(day: dt.date | None, first: dt.date | None, last: dt.date | None) -> float:
    if day is None or first is None or last is None:
        return 1.0
    gap = max((first - day).days, (day - last).days, 0)
    return 0.6 + 0.4 * math.exp(-gap / TIME_SCALE_DAYS)


def _doc_keys(d: _Weighted, n: int = KEYS_PER_DOC) -> list[str]:
    ents = sorted(d.entities.items(), key=lambda kv: -kv[1])[: n // 2]
    terms = sorted(d.terms.items(), key=lambda kv: -kv[1])[: n - len(ents)]
    return [f"e:{k}" for k, _ in ents] + [f"t:{k}" for k, _ in terms]


class StoryClusterer:
    """Online clustering with a bounded candidate set per document."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.clusters: dict[int, _Cluster] = {}
        self.index: dict[str, list[int]] = defaultdict(list)
        self.assign: dict[str, int] = {}
        self.scores: dict[str, float] = {}
        self.docs: dict[str, _Weighted] = {}
        self._next = 0
        self.comparisons = 0

    def candidates(self, d: _Weighted) -> set[int]:
        found: set[int] = set()
        for key in _doc_keys(d):
            found.update(self.index.get(key, ()))
        return found

    def best(self, d: _Weighted, exclude: int | None = None) -> tuple[int | None, float]:
        best_id, best_score = None, -1.0
        for cid in self.candidates(d):
            if cid == exclude or cid not in self.clusters:
                continue
            self.comparisons += 1
            s = similarity(d, self.clusters[cid])
            if s > best_score:
                best_id, best_score = cid, s
        return best_id, best_score

    def add(self, d: _Weighted, fixed: int | None = None) -> int:
        self.docs[d.id] = d
        if fixed is None:
            cid, score = self.best(d)
            if cid is None or score < self.threshold:
                cid, score = self._new(), 1.0
        else:
            cid, score = fixed, 1.0
            if cid not in self.clusters:
                self.clusters[cid] = _Cluster(cid)
                self._next = max(self._next, cid + 1)
        self._join(d, cid, score)
        return cid

    def _new(self) -> int:
        cid = self._next
        self._next += 1
        self.clusters[cid] = _Cluster(cid)
        return cid

    def _join(self, d: _Weighted, cid: int, score: float) -> None:
        cluster = self.clusters[cid]
        cluster.add(d)
        self.assign[d.id] = cid
        self.scores[d.id] = score
        self._reindex(cluster)

    def _reindex(self, cluster: _Cluster) -> None:
        for key in cluster.top_keys():
            posting = self.index[key]
            if cluster.id not in posting:
                posting.append(cluster.id)
                if len(posting) > MAX_POSTING:
                    del posting[0]

    def refine(self, movable: Iterable[str]) -> int:
        """Move each movable document to its best story now that centroids are known."""
        moved = 0
        for doc_id in movable:
            d, cur = self.docs[doc_id], self.assign[doc_id]
            cluster = self.clusters[cur]
            if len(cluster.members) == 1:
                stay = -1.0
            else:
                cluster.add(d, sign=-1)
                stay = similarity(d, cluster)
                cluster.add(d)
            cid, score = self.best(d, exclude=cur)
            if cid is not None and score >= self.threshold and score > stay + 0.02:
                cluster.add(d, sign=-1)
                if not cluster.members:
                    del self.clusters[cur]
                self._join(d, cid, score)
                moved += 1
        return moved

    def merge_similar(self) -> int:
        """Merge stories whose centroids are close (order effects of the online pass)."""
        merged = 0
        for cid in sorted(self.clusters, key=lambda c: -len(self.clusters[c].members)):
            if cid not in self.clusters:
                continue
            cluster = self.clusters[cid]
            probe = _centroid_doc(cluster)
            other, score = self.best(probe, exclude=cid)
            if other is not None and score >= self.threshold + MERGE_GAIN:
                target = self.clusters[other]
                for doc_id in list(cluster.members):
                    cluster.add(self.docs[doc_id], sign=-1)
                    target.add(self.docs[doc_id])
                    self.assign[doc_id] = other
                del self.clusters[cid]
                self._reindex(target)
                merged += 1
        return merged


def _centroid_doc(c: _Cluster) -> _Weighted:
    tn, en, vn = c.norms()
    return _Weighted(id=f"centroid:{c.id}", terms={k: v / tn for k, v in c.terms.items()},
                     entities={k: v / en for k, v in c.entities.items()},
                     vector=None if c.vector is None else c.vector / vn,
                     date=c.last, title="")


def weigh_all(docs: list[DocFeatures], idf: Idf | None = None) -> list[_Weighted]:
    idf = idf or Idf(docs)
    return [_Weighted(id=d.id, terms=idf.weigh(d.terms, idf.df_terms),
                      entities=idf.weigh(d.entities, idf.df_ents), vector=d.vector,
                      date=d.date, title=d.title) for d in docs]


def cluster_documents(docs: list[DocFeatures], threshold: float,
                      fixed: dict[str, int] | None = None, refine: bool = True
                      ) -> tuple[dict[str, int], dict[str, float], StoryClusterer]:
    """Cluster ``docs`` (visited in the given order).  ``fixed`` holds the stories of
    documents clustered by an earlier run; only the others are placed (and refined)."""
    fixed = fixed or {}
    clusterer = StoryClusterer(threshold)
    weighted = weigh_all(docs)
    for d in weighted:
        if d.id in fixed:
            clusterer.add(d, fixed=fixed[d.id])
    new = [d for d in weighted if d.id not in fixed]
    for d in new:
        clusterer.add(d)
    if refine and new:
        clusterer.refine([d.id for d in new])
        if not fixed:
            clusterer.merge_similar()
        clusterer.refine([d.id for d in new])
    return dict(clusterer.assign), dict(clusterer.scores), clusterer


def label_members(members: list[DocFeatures], idf: Idf, names: dict[str, str] | None = None,
                  n: int = 3, people: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """A label from the entities and words most of a story's documents share (weighted by
    how rare they are in the corpus), and its keywords."""
    names = names or {}

    def salient(field: str, df: Counter) -> list[str]:
        share: Counter = Counter()
        for m in members:
            share.update(getattr(m, field).keys())
        scored = {k: c / len(members) * (1 + math.log(idf.n / max(1, df.get(k, 1))))
                  for k, c in share.items()
                  if not k.startswith(("year:", "date:", "ev:")) and (c > 1 or len(members) == 1)}
        return [k for k, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))]

    shown: list[str] = []
    keys = salient("entities", idf.df_ents)
    for key in keys:
        full = _full_key(key, keys[:30])
        name = names.get(key) or names.get(full, full)
        _add_name(shown, name.title() if name.islower() else name)
        if len(shown) >= n:
            break
    surface = _surface_forms(members)
    # a word that is the surname of a salient person is shown as the person ("Donald Trump")
    surface.update({names[k].split()[-1].lower(): names[k] for k in keys[:30]
                    if k in people and k in names and len(names[k].split()) > 1})
    words = [surface.get(t, t) for t in salient("terms", idf.df_terms)[:12]
             if not _named(t, shown)]
    # a stem no title spells out ("believ") is a keyword, not a label word
    readable = [w for w in words if w in surface.values()] if surface else words
    label = " · ".join(shown + readable[:2]) or "untitled story"
    return label, shown + words[:8]


def _add_name(shown: list[str], name: str) -> None:
    """Add ``name`` unless a shown name holds it; a longer name replaces the one it holds
    ("North" → "North Korea")."""
    low = name.lower()
    for i, other in enumerate(shown):
        if low in other.lower():
            return
        if re.search(rf"\b{re.escape(other.lower())}\b", low):
            shown[i] = name
            return
        if other.lower() in low:  # a derived form ("Russian" of "Russia")
            return
    shown.append(name)


def _full_key(key: str, keys: list[str]) -> str:
    """The full name a last-name key ("korea") was split from ("north korea"), if salient."""
    return next((k for k in keys if k.endswith(" " + key)), key)


def _surface_forms(members: list[DocFeatures]) -> dict[str, str]:
    """Stem → the word the members' titles use most for it ("believ" → "believes")."""
    seen: Counter = Counter()
    for m in members:
        seen.update(content_words(m.title or ""))
    forms: dict[str, str] = {}
    for word, _ in seen.most_common():
        forms.setdefault(_stem(word), word)
    return forms


def _named(word: str, names: list[str]) -> bool:
    """``word`` repeats one of ``names``: a part of it, or a derived form ("syrian" of
    "Syria", "russians" of "Russia")."""
    parts = {p for n in names for p in re.split(r"[\s-]+", n.lower()) if len(p) >= 4}
    return any(word in n.lower() for n in names) or any(word.startswith(p) for p in parts)


# --- sub-stories -------------------------------------------------------------------------

SUB_WEIGHTS = (0.4, 0.6)  # words, entities
MAX_LINKAGE_DOCS = 400  # larger stories are split online (cost stays linear)


def _local_weights(counts: list[Counter], df_global: Counter,
                   n_global: int) -> list[dict[str, float]]:
    """TF-IDF damped by how common a key is *inside* the story: what all its documents
    share (the story's main actor) tells its sub-stories apart least."""
    local: Counter = Counter()
    for c in counts:
        local.update(c.keys())
    n = len(counts)
    out = []
    for c in counts:
        vec = {}
        for key, tf in c.items():
            if local[key] <= 1:
                continue
            idf = math.log((1 + n_global) / (1 + df_global.get(key, local[key]))) + 1.0
            vec[key] = (1 + math.log(tf)) * idf * max(0.0, 1 - local[key] / n)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({k: v / norm for k, v in vec.items()})
    return out


def _similarity_matrix(vectors: list[dict[str, float]]) -> np.ndarray:
    from scipy.sparse import csr_matrix

    keys: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for k, v in vec.items():
            rows.append(i)
            cols.append(keys.setdefault(k, len(keys)))
            vals.append(v)
    if not keys:
        return np.zeros((len(vectors), len(vectors)))
    m = csr_matrix((vals, (rows, cols)), shape=(len(vectors), len(keys)))
    return (m @ m.T).toarray()


def split_story(docs: list[DocFeatures], idf: Idf, threshold: float) -> list[int]:
    """Sub-story number of each document of one story (average linkage on contrastive
    word and entity weights, cut at ``threshold``); small stories are not split."""
    n = len(docs)
    if n < 4:
        return [0] * n
    terms = _local_weights([d.terms for d in docs], idf.df_terms, idf.n)
    ents = _local_weights([d.entities for d in docs], idf.df_ents, idf.n)
    if n > MAX_LINKAGE_DOCS:
        return _split_online(docs, terms, ents, threshold)
    sim = SUB_WEIGHTS[0] * _similarity_matrix(terms) + SUB_WEIGHTS[1] * _similarity_matrix(ents)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), "average"), 1.0 - threshold,
                      "distance")
    return _adopt_singletons([int(x) - 1 for x in labels], sim, threshold * SINGLETON_GAIN)


SINGLETON_GAIN = 0.3


def _adopt_singletons(labels: list[int], sim: np.ndarray, threshold: float) -> list[int]:
    """A document left alone joins the sub-story it is closest to on average, when that
    is above ``threshold``: one odd report should not make a sub-story of its own."""
    sizes = Counter(labels)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    out = list(labels)
    for i, label in enumerate(labels):
        if sizes[label] > 1:
            continue
        best, best_sim = None, threshold
        for other, idx in groups.items():
            if other == label or sizes[other] < 2:
                continue
            avg = float(sim[i, idx].mean())
            if avg >= best_sim:
                best, best_sim = other, avg
        if best is not None:
            out[i] = best
    return out


def _split_online(docs: list[DocFeatures], terms: list[dict[str, float]],
                  ents: list[dict[str, float]], threshold: float) -> list[int]:
    clusterer = StoryClusterer(threshold)
    saved = dict(WEIGHTS)
    WEIGHTS.update(terms=SUB_WEIGHTS[0], entities=SUB_WEIGHTS[1], vector=0.0)
    try:
        for d, t, e in zip(docs, terms, ents):
            clusterer.add(_Weighted(id=d.id, terms=t, entities=e, vector=None, date=d.date,
                                    title=d.title))
        clusterer.refine([d.id for d in docs])
    finally:
        WEIGHTS.update(saved)
    return [clusterer.assign[d.id] for d in docs]


# --- the corpus stage --------------------------------------------------------------------

MAX_TERMS = 40
MAX_ENTITIES = 25


def _truncate(counts: Counter, n: int) -> Counter:
    return counts if len(counts) <= n else Counter(dict(counts.most_common(n)))


def store_features(store: Any, progress: Any = None) -> list[DocFeatures]:
    """Features of every stored document, oldest first, from its text, actor mentions,
    places and events (capitalised names stand in when no mentions are stored)."""
    from . import corpus
    from .embeddings import embed

    mentions = corpus.rows_by_doc(store, "mentions", "actor_id, text, label")
    places = corpus.rows_by_doc(store, "places", "name, text")
    events = corpus.rows_by_doc(store, "events", "type, source_ids, target_ids")
    feats: list[DocFeatures] = []
    heads: list[str] = []
    for meta, text, _removed in corpus.iter_texts(store):
        ents: list[str] | None = None
        if mentions.get(meta.id) or places.get(meta.id):
            ents = [f"actor:{m['actor_id']}" if m["actor_id"] else m["text"]
                    for m in mentions.get(meta.id, [])]
            ents += [p["name"] or p["text"] for p in places.get(meta.id, [])]
        ev = [f"ev:{e['type']}" for e in events.get(meta.id, [])]
        f = text_features(meta.id, text[:20000], meta.title or "", entities=ents,
                          date=parse_day(meta.published), extra_entities=ev)
        f.terms, f.entities = _truncate(f.terms, MAX_TERMS), _truncate(f.entities, MAX_ENTITIES)
        feats.append(f)
        heads.append(f"{meta.title or ''}\n{text[:2000]}")
        if progress:
            progress.advance()
    for i in range(0, len(feats), 512):
        for f, v in zip(feats[i:i + 512], embed(heads[i:i + 512])):
            f.vector = v
    return feats


def _story_number(story_id: str) -> int | None:
    m = re.fullmatch(r"s(\d+)", story_id or "")
    return int(m.group(1)) if m else None


def run(store: Any, settings: Any, progress: Any = None) -> dict[str, Any]:
    """The ``stories`` corpus stage: place new documents in stories (earlier placements
    stay), split each story into sub-stories, label them, and rewrite the story tables."""
    from . import corpus
    from .types import Story, StoryDoc

    feats = store_features(store, progress)
    known = {f.id for f in feats}
    fixed = {}
    for r in store.query("SELECT sd.doc_id, sd.story_id FROM story_docs sd JOIN stories s "
                         "ON s.id = sd.story_id WHERE s.parent_id IS NULL"):
        n = _story_number(r["story_id"])
        if n is not None and r["doc_id"] in known:
            fixed[r["doc_id"]] = n
    assign, scores, clusterer = cluster_documents(feats, settings.fuse.story_threshold, fixed)
    _threads_follow_articles(store, clusterer, scores)
    names = {f"actor:{k}": v for k, v in corpus.actor_names(store).items()}
    people = frozenset(f"actor:{r['id']}" for r in store.query(
        "SELECT id FROM actors WHERE type='PERSON'"))
    idf = Idf(feats)
    by_id = {f.id: f for f in feats}
    stories: list[Story] = []
    links: list[StoryDoc] = []
    for cid, cluster in sorted(clusterer.clusters.items()):
        if not cluster.members:
            continue
        sid = f"s{cid}"
        members = [by_id[m] for m in cluster.members]
        stories.append(_story(sid, None, idf, (names, people), members))
        links += [StoryDoc(story_id=sid, doc_id=m.id, score=round(scores.get(m.id, 1.0), 4))
                  for m in members]
        subs = split_story(members, idf, settings.fuse.substory_threshold)
        if len(set(subs)) < 2:
            continue
        groups: dict[int, list[DocFeatures]] = defaultdict(list)
        for m, s in zip(members, subs):
            groups[s].append(m)
        for k, (_, group) in enumerate(sorted(groups.items(), key=lambda kv: -len(kv[1]))):
            stories.append(_story(f"{sid}.{k + 1}", sid, idf, (names, people), group))
            links += [StoryDoc(story_id=f"{sid}.{k + 1}", doc_id=m.id) for m in group]
    with store.transaction():
        store.conn.execute("DELETE FROM story_docs")
        store.conn.execute("DELETE FROM stories")
        store.insert(stories + links)
    top = [s for s in stories if s.parent_id is None]
    return {"documents": len(feats), "stories": len(top),
            "substories": len(stories) - len(top), "new_documents": len(feats) - len(fixed),
            "comparisons": clusterer.comparisons}


def _threads_follow_articles(store: Any, clusterer: StoryClusterer,
                             scores: dict[str, float]) -> None:
    """A comment thread belongs to the story of the stored article it comments on."""
    for r in store.query("SELECT doc_id, source_doc_id FROM provenance "
                         "WHERE relation='comments_on' AND source_doc_id IS NOT NULL"):
        thread, article = r["doc_id"], r["source_doc_id"]
        if thread not in clusterer.assign or article not in clusterer.assign:
            continue
        old, new = clusterer.assign[thread], clusterer.assign[article]
        if old == new:
            continue
        doc = clusterer.docs[thread]
        clusterer.clusters[old].add(doc, sign=-1)
        if not clusterer.clusters[old].members:
            del clusterer.clusters[old]
        clusterer.clusters[new].add(doc)
        clusterer.assign[thread] = new
        scores[thread] = 1.0


def _story(sid: str, parent: str | None, idf: Idf,
           names: tuple[dict[str, str], frozenset[str]],
           members: list[DocFeatures]) -> Any:
    from .types import Story

    label, keywords = label_members(members, idf, names[0], people=names[1])
    dates = sorted(m.date for m in members if m.date)
    return Story(id=sid, parent_id=parent, label=label, keywords=keywords,
                 first_date=dates[0].isoformat() if dates else None,
                 last_date=dates[-1].isoformat() if dates else None, size=len(members))
