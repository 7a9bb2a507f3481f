"""The provenance graph: document → outlet → outlet, and who each document rests on.

Edges come from document metadata (reposts, syndication), syndication notices in the text
or in the boilerplate the cleaner removed ("Content created by … is available without
charge"), wire datelines, citations ("according to a report by the Al-Monitor"),
copies found between stored documents, and comment threads (the article commented on,
comments quoting comments).

:func:`upstreams` gives every document the key of the source it ultimately rests on;
documents sharing an upstream are not independent of each other.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from ..store.db import Store
from . import corpus
from .outlets import looks_like_outlet, normalize_outlet, outlet_key
from .types import ProvenanceEdge

_SYNDICATION = (
    re.compile(r"Content created by (?P<name>[^.\n]{3,80}?) is available without charge"),
    re.compile(r"(?:This|The) (?:article|story|piece|post|report) (?:was |is )?"
               r"(?:originally |first )?(?:appeared|published|posted|ran|written)(?: first)? "
               r"(?:in|on|at|by|for) "
               r"(?P<name>(?:the )?[A-Z][^.,;\n]{2,60})"),
    re.compile(r"(?:Republished|Reprinted|Reproduced|Syndicated|Distributed)(?: with permission)?"
               r" (?:from|by|courtesy of) (?P<name>(?:the )?[A-Z][^.,;\n]{2,60})"),
    re.compile(r"Originally (?:published|posted|appeared) (?:in|on|at|by) "
               r"(?P<name>(?:the )?[A-Z][^.,;\n]{2,60})"),
)
REPORT_CUES = {"according to a report", "reported", "reported by", "report", "told", "per",
               "according to", "interview", "citing"}
#: relations that make a document rest on another source (used for independence)
UPSTREAM_RELATIONS = ("based_on_report_by", "syndicated_from", "repost_of", "comments_on")


def syndication_notices(text: str,
                        removed: list[Any]) -> list[tuple[str, int | None, int | None, str]]:
    """(outlet, start, end, evidence) of syndication notices in the text or removed lines
    (offsets are None for notices found only in removed boilerplate)."""
    found = []
    for pattern in _SYNDICATION:
        for m in pattern.finditer(text):
            found.append((m.group("name"), m.start(), m.end(), m.group(0)))
    for item in removed or []:
        line = item.get("text", "") if isinstance(item, dict) else str(item)
        for pattern in _SYNDICATION:
            m = pattern.search(line)
            if m:
                found.append((m.group("name"), None, None, m.group(0)))
    return [(normalize_outlet(name.strip()) or name, s, e, ev) for name, s, e, ev in found
            if looks_like_outlet(name.strip()) or name.strip()[:1].isupper()]


def _edge(edges: list[ProvenanceEdge], doc_id: str, relation: str, source: str | None,
          **kw: Any) -> None:
    if source:
        edges.append(ProvenanceEdge(id="", doc_id=doc_id, relation=relation, source=source, **kw))


def _dedupe(edges: list[ProvenanceEdge]) -> list[ProvenanceEdge]:
    """The first edge of each (document, relation, source, agent)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in edges:
        key = (e.doc_id, e.relation, outlet_key(e.source), e.agent)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def metadata_edges(doc: corpus.DocMeta, text: str, removed: list[Any]) -> list[ProvenanceEdge]:
    """Reposts and syndication, from the document's metadata and notices."""
    edges: list[ProvenanceEdge] = []
    original = normalize_outlet(doc.original_outlet)
    if original and (doc.carrier or outlet_key(original) != outlet_key(doc.outlet)):
        _edge(edges, doc.id, "repost_of", original, via=doc.carrier,
              evidence=f"original outlet {original}" + (f", carried by {doc.carrier}"
                                                         if doc.carrier else ""),
              confidence=0.95)
    syndicator = normalize_outlet(doc.syndicated_from)
    if syndicator:
        _edge(edges, doc.id, "syndicated_from", syndicator, evidence="document metadata",
              confidence=0.95)
    for name, start, end, evidence in syndication_notices(text, removed):
        if outlet_key(name) != outlet_key(doc.outlet):
            _edge(edges, doc.id, "syndicated_from", name, evidence=evidence, start=start,
                  end=end, confidence=0.9)
    return edges


def citation_edges(doc: corpus.DocMeta, text_len: int, citations: list[dict[str, Any]],
                   via: str | None) -> list[ProvenanceEdge]:
    """based_on_report_by for the report a document is built on, cites for the others.

    A document rests on a report when it cites few outlets by cue phrases and one of them
    early (first quarter of the text) or repeatedly; wire datelines make it a wire story.
    """
    edges: list[ProvenanceEdge] = []
    own = outlet_key(doc.outlet)
    cue_cites = [c for c in citations if c["cue"] in REPORT_CUES and c["outlet"]
                 and outlet_key(c["outlet"]) != own and looks_like_outlet(c["outlet"])]
    counts = Counter(outlet_key(c["outlet"]) for c in cue_cites)
    for c in citations:
        if c["cue"] == "dateline" and c["outlet"] and outlet_key(c["outlet"]) != own:
            _edge(edges, doc.id, "syndicated_from", c["outlet"], evidence=c["text"],
                  start=c["start"], end=c["end"], confidence=0.85)
    for c in sorted(cue_cites, key=lambda c: c["start"]):
        key = outlet_key(c["outlet"])
        early = c["start"] <= max(600, text_len // 4)
        if len(counts) <= 2 and (early or counts[key] >= 2):
            _edge(edges, doc.id, "based_on_report_by", c["outlet"], via=via, evidence=c["text"],
                  start=c["start"], end=c["end"], confidence=c.get("confidence") or 0.8)
        else:
            _edge(edges, doc.id, "cites", c["outlet"], evidence=c["text"], start=c["start"],
                  end=c["end"], confidence=c.get("confidence") or 0.7)
    for c in citations:
        if c["cue"] in ("parenthetical", "readout", "venue", "h/t") and c["outlet"]:
            label = c["outlet"] + (f" ({c['cited_date']})" if c.get("cited_date") else "")
            _edge(edges, doc.id, "cites", c["outlet"], evidence=label, start=c["start"],
                  end=c["end"], confidence=c.get("confidence") or 0.9)
    return edges


def _commenter(row: dict[str, Any] | None) -> str | None:
    if not row or not row.get("author"):
        return None
    return f"{row['author']} ({row['location']})" if row.get("location") else row["author"]


def comment_edges(doc: corpus.DocMeta, comments: list[dict[str, Any]],
                  article_doc: str | None) -> list[ProvenanceEdge]:
    """comments_on (the thread's article) and comment_quotes_comment edges."""
    edges: list[ProvenanceEdge] = []
    by_id = {c["id"]: c for c in comments}
    if doc.outlet or article_doc:
        evidence = _article_quote(comments)
        _edge(edges, doc.id, "comments_on", normalize_outlet(doc.outlet) or "the article",
              source_doc_id=article_doc, evidence=evidence[2] if evidence else doc.title,
              start=evidence[0] if evidence else None, end=evidence[1] if evidence else None,
              confidence=0.9 if evidence else 0.7)
    for c in comments:
        quoted = by_id.get(c.get("quotes_comment_id") or "")
        source = _commenter(quoted)
        if source:
            _edge(edges, doc.id, "comment_quotes_comment", source, agent=_commenter(c),
                  evidence=(c.get("quoted_text") or quoted.get("text") or "")[:200],
                  start=c["start"], end=c["end"], confidence=0.95)
    return edges


def _article_quote(comments: list[dict[str, Any]]) -> tuple[int, int, str] | None:
    """A passage a commenter quotes that is not another comment (so it quotes the article)."""
    from .text import quoted_passages, squash

    openings = [squash((c.get("text") or "").lstrip()[:300]) for c in comments
                if (c.get("text") or "").lstrip()[:1] not in "\"“"]
    for c in comments:
        if c.get("quotes_comment_id"):
            continue
        for s, e, passage in quoted_passages(c.get("text") or "", min_chars=40):
            key = squash(passage)
            if len(key.split()) < 6 or any(o.startswith(key[:60]) for o in openings):
                continue
            if c.get("start") is None:
                return None, None, passage
            return c["start"] + s, c["start"] + e, passage
    return None


def copy_edges(copies: list[dict[str, Any]],
               metas: dict[str, corpus.DocMeta]) -> list[ProvenanceEdge]:
    """Edges to the outlet of a stored document this one copies or rewrites."""
    names = {"near_duplicate": "copy_of", "partial_copy": "copy_of", "rewrite": "rewrite_of",
             "repost": "repost_of", "syndication": "syndicated_from"}
    edges: list[ProvenanceEdge] = []
    for c in copies:
        other = metas.get(c["other_doc_id"])
        if other is None:
            continue
        source = normalize_outlet(other.original_outlet or other.outlet) or other.title or other.id
        _edge(edges, c["doc_id"], names.get(c["relation"], "copy_of"), source,
              source_doc_id=other.id, evidence=f"{c['relation']} (score {c['score']})",
              confidence=c["score"])
    return edges


def _article_for_thread(doc: corpus.DocMeta, metas: list[corpus.DocMeta]) -> str | None:
    """A stored article with the thread's title (the article its comments are about)."""
    if not doc.title:
        return None
    title = doc.title.strip().casefold()
    for other in metas:
        if other.id != doc.id and other.kind != "comment_thread" and \
                (other.title or "").strip().casefold() == title:
            return other.id
    return None


def build_edges(store: Store) -> list[ProvenanceEdge]:
    """Every provenance edge of the stored documents, with stable ids."""
    metas = corpus.documents(store)
    by_id = {m.id: m for m in metas}
    citations = corpus.rows_by_doc(store, "citations",
                                   "id, text, outlet, cited_date, cue, start, \"end\", confidence")
    comments = corpus.rows_by_doc(store, "comments",
                                  "id, idx, author, location, text, quotes_comment_id, "
                                  "quoted_text, start, \"end\"")
    copies = [dict(r) for r in store.query("SELECT doc_id, other_doc_id, relation, score "
                                           "FROM copies")]
    edges: list[ProvenanceEdge] = []
    for doc, text, removed in corpus.iter_texts(store):
        own = metadata_edges(doc, text, removed)
        via = next((e.source for e in own if e.relation == "syndicated_from"), None)
        own += citation_edges(doc, len(text), sorted(citations.get(doc.id, []),
                                                     key=lambda c: c["start"]), via)
        if doc.kind == "comment_thread" or comments.get(doc.id):
            own += comment_edges(doc, sorted(comments.get(doc.id, []), key=lambda c: c["idx"]),
                                 _article_for_thread(doc, metas))
        edges += own
    edges = _dedupe(edges + copy_edges(copies, by_id))
    counters: dict[str, int] = defaultdict(int)
    for e in edges:
        e.id = f"{e.doc_id}:p{counters[e.doc_id]}"
        counters[e.doc_id] += 1
    return edges


def run(store: Store) -> dict[str, Any]:
    edges = build_edges(store)
    corpus.replace_table(store, "provenance", [e.to_row() for e in edges])
    return {"edges": len(edges), "relations": dict(Counter(e.relation for e in edges))}


# --- independence ------------------------------------------------------------------------


def upstreams(store: Store) -> dict[str, str]:
    """Document id → key of the source it rests on.

    A document rests on the report it is based on, else on what it syndicates or reposts,
    else (for a comment thread) on the article's outlet, else on its own outlet; copies
    and rewrites of a stored document rest on that document's upstream.
    """
    metas = corpus.documents(store)
    base = {m.id: outlet_key(m.original_outlet or m.outlet) or f"doc:{m.id}" for m in metas}
    rank = {rel: i for i, rel in enumerate(UPSTREAM_RELATIONS)}
    best: dict[str, tuple[int, str]] = {}
    for r in store.query("SELECT doc_id, relation, source FROM provenance"):
        if r["relation"] in rank:
            cand = (rank[r["relation"]], outlet_key(r["source"]))
            if r["doc_id"] not in best or cand < best[r["doc_id"]]:
                best[r["doc_id"]] = cand
    for doc_id, (_, key) in best.items():
        if doc_id in base:
            base[doc_id] = key
    order = {m.id: i for i, m in enumerate(metas)}
    parent = {m.id: m.id for m in metas}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in store.query("SELECT doc_id, other_doc_id FROM copies"):
        a, b = r["doc_id"], r["other_doc_id"]
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                first, second = (ra, rb) if order[ra] <= order[rb] else (rb, ra)
                parent[second] = first
    return {doc_id: base[find(doc_id)] for doc_id in base}
