"""Reading every comment thread of the store (the work of the ``opinion`` stage)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np

from ..fuse import corpus
from ..settings import Settings
from ..store.db import Store
from .narratives import MAX_EXAMPLES, Passage, comment_passages, find_narratives, keyword, \
    passage_keywords, surface_forms
from .sentiment import sentiment
from .stance import main_actors, stances
from .types import CommentOpinion, Narrative

DOUBT = re.compile(r"\b(?:fake|hoax|staged|false[- ]flag|put-up job|debunk\w*|fabricat\w*|"
                   r"no evidence|never happened|fact[- ]free|made up|lie|lies|lying|"
                   r"(?:does|did|do)(?:n't|n’t| not) (?:establish|prove|show)\w*)\b", re.I)
CONTRADICTION_COSINE = 0.5
MIN_SHARED_KEYWORDS = 2


_NEGATORS = {"not", "no", "never", "neither", "nor", "nothing", "cannot", "without"}


def negates(text: str, keys: set[str]) -> bool:
    """True when a negation comes within three words before one of ``keys`` ("the bridge
    never closed", "doesn't establish")."""
    tokens = re.findall(r"[\w'’\-]+", text.lower())
    for i, token in enumerate(tokens):
        if keyword(token) in keys:
            window = tokens[max(0, i - 3):i]
            if any(w in _NEGATORS or w.endswith(("n't", "n’t")) for w in window):
                return True
    return False


def _threads(store: Store) -> list[corpus.DocMeta]:
    with_comments = {r["doc_id"] for r in store.query("SELECT DISTINCT doc_id FROM comments")}
    return [m for m in corpus.documents(store)
            if m.kind == "comment_thread" or m.id in with_comments]


def _actor_names(store: Store, doc_ids: list[str]) -> list[str]:
    names = corpus.actor_names(store)
    counts: dict[str, int] = defaultdict(int)
    for rows in corpus.mentions_by_doc(store, doc_ids).values():
        for m in rows:
            if m["actor_id"] in names:
                counts[names[m["actor_id"]]] += 1
    return sorted(counts, key=lambda n: -counts[n])[:12]


def _story_docs(store: Store, doc_id: str) -> list[str]:
    rows = store.query("SELECT sd2.doc_id FROM story_docs sd JOIN story_docs sd2 "
                       "ON sd2.story_id = sd.story_id JOIN stories s ON s.id = sd.story_id "
                       "WHERE sd.doc_id=? AND s.parent_id IS NULL", (doc_id,))
    docs = [r["doc_id"] for r in rows] or [doc_id]
    docs += [r["source_doc_id"] for r in store.query(
        "SELECT source_doc_id FROM provenance WHERE doc_id=? AND relation='comments_on' "
        "AND source_doc_id IS NOT NULL", (doc_id,)) if r["source_doc_id"] not in docs]
    return docs


def _report_statements(store: Store, doc_ids: list[str]) -> list[dict[str, Any]]:
    """Sentences of the story's reports (not comment threads), with the claim each one
    belongs to when the claims stage grouped it."""
    metas = {m.id: m for m in corpus.documents(store)}
    out = []
    for doc_id in doc_ids:
        meta = metas.get(doc_id)
        if meta is None or meta.kind == "comment_thread":
            continue
        claims = store.query("SELECT claim_id, start, \"end\" FROM claim_sources WHERE doc_id=?",
                             (doc_id,))
        for u in corpus.sentences(store, doc_id):
            if len(u.text.split()) < 5:
                continue
            claim = next((c["claim_id"] for c in claims
                          if c["start"] < u.end and u.start < c["end"]), None)
            out.append({"claim_id": claim, "doc_id": doc_id, "text": u.text, "start": u.start,
                        "end": u.end, "outlet": meta.original_outlet or meta.outlet})
    return out


def contradicted(passages: list[Passage], vectors: np.ndarray, claims: list[dict[str, Any]],
                 exclude: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Comment id → statements of the reported sources that contradict what it asserts:
    a passage close to a statement and sharing its telling words, one negating or
    doubting what the other affirms."""
    from ..fuse.embeddings import embed

    if not passages or not claims:
        return {}
    claim_vectors = embed([c["text"] for c in claims])
    sims = vectors @ claim_vectors.T
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i, j in zip(*np.nonzero(sims >= CONTRADICTION_COSINE)):
        p, c = passages[i], claims[j]
        shared = p.keywords & passage_keywords(c["text"], exclude)
        if len(shared) < MIN_SHARED_KEYWORDS:
            continue
        p_neg = bool(DOUBT.search(p.text)) or negates(p.text, shared)
        c_neg = bool(DOUBT.search(c["text"])) or negates(c["text"], shared)
        if p_neg == c_neg:
            continue
        if any(x["doc_id"] == c["doc_id"] and x["start"] == c["start"] for x in out[p.comment_id]):
            continue
        out[p.comment_id].append({"claim_id": c["claim_id"], "doc_id": c["doc_id"],
                                  "start": c["start"], "end": c["end"],
                                  "source": c["outlet"], "claim": c["text"],
                                  "comment_passage": p.text, "score": round(float(sims[i, j]), 3)})
    return out


def _commenter(c: dict[str, Any]) -> str:
    return f"{c['author']} ({c['location']})" if c.get("location") else (c.get("author") or "")


def read_thread(store: Store, meta: corpus.DocMeta, settings: Settings
                ) -> tuple[list[CommentOpinion], list[Narrative]]:
    comments = [dict(r) for r in store.query(
        "SELECT id, idx, author, location, text, start, \"end\", quotes_comment_id FROM comments "
        "WHERE doc_id=? ORDER BY idx", (meta.id,))]
    if not comments:
        return [], []
    thread_text = corpus.text_of(store, meta.id)
    story_docs = _story_docs(store, meta.id)
    actors = main_actors([c["text"] or "" for c in comments], _actor_names(store, story_docs))
    exclude = {keyword(part) for a in main_actors([c["text"] or "" for c in comments],
                                                  _actor_names(store, story_docs), n=6)
               for part in a.split()}
    passages = comment_passages(comments, thread_text, exclude)
    themes, vectors = find_narratives(passages, len(comments),
                                      settings.opinion.narrative_min_comments)
    by_id = {c["id"]: c for c in comments}
    narratives, main_theme = [], {}
    for rank, theme in enumerate(themes):
        nid = f"{meta.id}:n{rank}"
        forms = surface_forms(theme, passages)
        central = passages[theme.central]
        examples, seen = [], set()
        for i in sorted(theme.passages, key=lambda i: -float(vectors[i] @ vectors[theme.central])):
            p = passages[i]
            if p.comment_id in seen:
                continue
            seen.add(p.comment_id)
            examples.append({"comment_id": p.comment_id, "by": _commenter(by_id[p.comment_id]),
                             "text": p.text, "start": p.start, "end": p.end})
            if len(examples) >= MAX_EXAMPLES:
                break
        narratives.append(Narrative(
            id=nid, doc_id=meta.id,
            label=f"{' · '.join(forms[:3])} — “{central.text[:140]}”",
            share=round(len(theme.comments) / len(comments), 4), size=len(theme.comments),
            keywords=forms, examples=examples,
            members=[{"comment_id": passages[i].comment_id, "start": passages[i].start,
                      "end": passages[i].end, "text": passages[i].text} for i in theme.passages],
            confidence=round(theme.coherence, 3)))
        for cid in theme.comments:
            main_theme.setdefault(cid, nid)
    against = contradicted(passages, vectors, _report_statements(
        store, [d for d in story_docs if d != meta.id]), exclude)
    opinions = []
    for c in comments:
        scores = sentiment(c["text"] or "")
        opinions.append(CommentOpinion(
            comment_id=c["id"], doc_id=meta.id, stance=stances(c["text"] or "", actors),
            narrative_id=main_theme.get(c["id"]), contradicted_by=against.get(c["id"], []),
            **scores))
    return opinions, narratives


def read_threads(store: Store, settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Read every thread and rewrite the opinion tables."""
    opinions: list[CommentOpinion] = []
    narratives: list[Narrative] = []
    for meta in _threads(store):
        o, n = read_thread(store, meta, settings)
        opinions += o
        narratives += n
    with store.transaction():
        store.conn.execute("DELETE FROM comment_opinions")
        store.conn.execute("DELETE FROM narratives")
        store.insert(opinions + narratives)
    return {"threads": len({o.doc_id for o in opinions}), "comments": len(opinions),
            "narratives": len(narratives),
            "contradicted_comments": sum(1 for o in opinions if o.contradicted_by)}
