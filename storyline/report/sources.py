"""Who wrote what: outlets, origins of reposts and rewrites, independence, citations.

A document is cited by its *origin*: a repost as its original outlet ("The Wall Street
Journal"), a rewrite of another outlet's report as "Al-Monitor via True Pundit".  Two
documents sharing an origin (or linked as copies) are not independent sources.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from typing import Any
from urllib.parse import urlparse

from .util import as_json, as_list, digest_date, safe_url

#: provenance relations meaning "this document retells a report by ``source``"
BASED_ON = ("based_on_report_by", "based_on", "rewrite_of", "cites_report_by", "summarises")
#: relations meaning "this document is a copy of ``source``'s article"
REPOST = ("repost_of", "copy_of", "republished_from", "mirror_of")
SYNDICATED = ("syndicated_from",)
KIND_LABELS = {"news_report": "news report", "analysis": "analysis", "essay": "essay",
               "comment_thread": "comment thread", "press_release": "press release",
               "transcript": "transcript", "other": "other"}


def rows(store: Any, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Rows as dicts; a table missing from an old store reads as empty."""
    try:
        return [dict(r) for r in store.query(sql, params)]
    except sqlite3.OperationalError:
        return []


def norm_outlet(name: str | None) -> str:
    text = re.sub(r"[^a-z0-9 ]", "", (name or "").lower())
    text = re.sub(r"^the ", "", text).strip()
    return re.sub(r"\s+", " ", text)


def host_of(url: str | None) -> str | None:
    if not safe_url(url):
        return None
    host = urlparse(url).hostname or ""
    return host[4:] if host.startswith("www.") else host or None


@dataclasses.dataclass
class Origin:
    """How one document is cited, and which origin it shares with others."""

    doc_id: str
    outlet: str
    label: str  # "Al-Monitor via True Pundit"
    key: str  # normalised origin, equal for dependent documents
    date: str  # digest date, "06.09.17"
    status: str  # original, repost, syndicated, rewrite
    upstream: str | None = None
    carrier: str | None = None

    def cite(self) -> dict[str, Any]:
        text = f"{self.label}, {self.date}" if self.date else self.label
        return {"doc_id": self.doc_id, "label": self.label, "date": self.date, "text": text,
                "key": self.key}


class SourceIndex:
    """Documents' metadata, provenance and copies, loaded once per briefing or request."""

    def __init__(self, store: Any) -> None:
        self.docs = {d["id"]: d for d in rows(store, (
            "SELECT id, title, outlet, outlet_inferred, kind, published, published_precision,"
            " source, original_outlet, carrier, syndicated_from, section, authors, language"
            " FROM documents"))}
        self.provenance: dict[str, list[dict[str, Any]]] = {}
        for p in rows(store, "SELECT * FROM provenance ORDER BY doc_id, relation, id"):
            self.provenance.setdefault(p["doc_id"], []).append(p)
        self.copies = rows(store, "SELECT doc_id, other_doc_id, relation, score FROM copies")
        self.citations: dict[str, list[dict[str, Any]]] = {}
        for c in rows(store, 'SELECT * FROM citations ORDER BY doc_id, start'):
            self.citations.setdefault(c["doc_id"], []).append(c)
        self._origins: dict[str, Origin] = {}
        self._copy_root = self._copy_roots()
        self._store = store

    def _first_line(self, doc_id: str) -> str:
        """An untitled document is named by its opening words rather than by its id."""
        if doc_id not in self.docs:
            return ""
        found = rows(self._store, "SELECT substr(clean_text, 1, 200) AS lead FROM documents "
                     "WHERE id=?", (doc_id,))
        lead = (found[0]["lead"] or "").strip() if found else ""
        return lead.split("\n", 1)[0] if len(lead.split()) >= 3 else ""

    # --- origins ------------------------------------------------------------------------

    def outlet(self, doc_id: str) -> str:
        doc = self.docs.get(doc_id) or {}
        title = " ".join((doc.get("title") or self._first_line(doc_id)).split())
        if len(title) > 60:
            title = title[:59].rsplit(" ", 1)[0] + "…"
        return (doc.get("outlet") or host_of(doc.get("source")) or
                (f"“{title}”" if title else doc_id))

    def origin(self, doc_id: str) -> Origin:
        if doc_id not in self._origins:
            self._origins[doc_id] = self._origin(doc_id)
        return self._origins[doc_id]

    def _origin(self, doc_id: str) -> Origin:
        doc = self.docs.get(doc_id) or {}
        outlet = self.outlet(doc_id)
        prov = self.provenance.get(doc_id, [])
        based = [p for p in prov if p["relation"] in BASED_ON]
        repost = [p for p in prov if p["relation"] in REPOST]
        synd = [p for p in prov if p["relation"] in SYNDICATED]
        date = digest_date(doc.get("published"), doc.get("published_precision"))
        original = doc.get("original_outlet") or (repost[0]["source"] if repost else None)
        if based:
            up = based[0]["source"]
            return Origin(doc_id, outlet, f"{up} via {outlet}", norm_outlet(up), date,
                          "rewrite", upstream=up)
        if original and norm_outlet(original) != norm_outlet(outlet):
            carrier = doc.get("carrier") or (repost[0].get("via") if repost else None) or outlet
            return Origin(doc_id, outlet, original, norm_outlet(original), date, "repost",
                          upstream=original, carrier=carrier)
        if original:
            carrier = doc.get("carrier") or (repost[0].get("via") if repost else None)
            return Origin(doc_id, original, original, norm_outlet(original), date,
                          "repost" if carrier else "original", upstream=None, carrier=carrier)
        up = doc.get("syndicated_from") or (synd[0]["source"] if synd else None)
        if up:
            return Origin(doc_id, outlet, f"{up} via {outlet}", norm_outlet(up), date,
                          "syndicated", upstream=up)
        root = self._copy_root.get(doc_id)
        if root and root != doc_id:
            first = self.origin(root)
            return Origin(doc_id, outlet, f"{first.label} via {outlet}", first.key, date,
                          "copy", upstream=first.label)
        return Origin(doc_id, outlet, outlet, norm_outlet(outlet) or doc_id, date, "original")

    def _copy_roots(self) -> dict[str, str]:
        """Each document linked by copies -> the earliest published document of its group."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for c in self.copies:
            a, b = find(c["doc_id"]), find(c["other_doc_id"])
            if a != b:
                parent[max(a, b, key=self._age)] = min(a, b, key=self._age)
        return {d: find(d) for d in parent}

    def _age(self, doc_id: str) -> tuple[str, str]:
        doc = self.docs.get(doc_id) or {}
        return (doc.get("published") or "9999", doc_id)

    # --- citations and independence --------------------------------------------------------

    def inline_citations(self, doc_id: str, start: int, end: int, text: str | None
                         ) -> list[dict[str, Any]]:
        """Citations written in the same paragraph right after ``start`` (a digest bullet's
        "(AP, 05.03.17, Bloomberg, 05.02.17)"), as ``{"label", "date", …}``."""
        found = []
        for c in self.citations.get(doc_id, []):
            if c["start"] < start:
                continue
            if text is None:
                if c["start"] - end > 400:
                    continue
            elif "\n" in text[end:c["start"]]:
                continue
            found.append(c)
        return found

    def cite(self, doc_id: str, start: int | None = None, end: int | None = None,
             text: str | None = None) -> list[dict[str, Any]]:
        """The citations of a statement at ``doc_id[start:end]``: the outlets a digest names
        inline for it (via the digest), else the document's origin."""
        origin = self.origin(doc_id)
        if start is not None and end is not None:
            inline = self.inline_citations(doc_id, start, end, text)
            if inline:
                out = []
                for c in inline:
                    label = c.get("outlet") or c.get("text") or ""
                    date = digest_date(c.get("cited_date"))
                    out.append({"doc_id": doc_id, "label": label, "date": date,
                                "text": f"{label}, {date}" if date else label,
                                "key": norm_outlet(label), "via": origin.label})
                return out
        return [origin.cite()]

    def independent(self, doc_ids: list[str]) -> int:
        return len({self.origin(d).key for d in doc_ids})


def format_citations(cites: list[dict[str, Any]]) -> str:
    """``(The Wall Street Journal, 06.09.17; Al-Monitor via True Pundit)``; items met through
    a digest end with ``via <digest>``."""
    dated = {norm_outlet(c.get("label") or c["text"]) for c in cites if c.get("date")}
    # an outlet cited with a date does not need its undated mention as well
    cites = [c for c in cites if c.get("date") or norm_outlet(c.get("label") or c["text"])
             not in dated]
    seen, parts, vias = set(), [], []
    for c in cites:
        # "Associated Press" and "The Associated Press" on the same day are one citation
        same = (norm_outlet(c.get("label") or c["text"]), c.get("date"))
        if c["text"] in seen or same in seen:
            continue
        seen.update((c["text"], same))
        parts.append(c["text"])
        if c.get("via") and c["via"] not in vias:
            vias.append(c["via"])
    if not parts:
        return ""
    tail = f" — via {', '.join(vias)}" if vias else ""
    return f"({'; '.join(parts)}{tail})"


def sources_table(index: SourceIndex, doc_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per outlet: kind, original or derivative, what it cited, its documents."""
    wanted = index.docs if doc_ids is None else {d: index.docs[d] for d in doc_ids
                                                  if d in index.docs}
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for doc_id, doc in wanted.items():
        origin = index.origin(doc_id)
        status = _status_text(origin)
        kind = KIND_LABELS.get(doc.get("kind") or "other", doc.get("kind") or "other")
        shown = origin.carrier if origin.status == "repost" and origin.carrier else origin.outlet
        key = (shown, kind, status)
        row = groups.setdefault(key, {"outlet": shown, "kind": kind, "status": status,
                                      "derivative": origin.status != "original",
                                      "cited": [], "documents": []})
        for cited in _cited(index, doc_id, origin):
            if cited not in row["cited"]:
                row["cited"].append(cited)
        row["documents"].append({"id": doc_id, "title": doc.get("title") or doc_id,
                                 "published": doc.get("published"),
                                 "url": safe_url(doc.get("source"))})
    return sorted(groups.values(), key=lambda r: (r["derivative"], r["outlet"].lower()))


def _status_text(origin: Origin) -> str:
    if origin.status == "repost":
        via = f" (carried by {origin.carrier})" if origin.carrier else ""
        return f"repost of {origin.upstream or origin.label}{via}"
    if origin.status == "rewrite":
        return f"rewrite of a report by {origin.upstream}"
    if origin.status == "syndicated":
        return f"syndicated from {origin.upstream}"
    if origin.status == "copy":
        return f"copy of {origin.upstream}"
    return "original"


def _cited(index: SourceIndex, doc_id: str, origin: Origin) -> list[str]:
    out = []
    for c in index.citations.get(doc_id, []):
        label = c.get("outlet") or c.get("text") or ""
        date = digest_date(c.get("cited_date"))
        out.append(f"{label}, {date}" if date else label)
    for p in index.provenance.get(doc_id, []):
        if p["relation"] in BASED_ON + SYNDICATED and p["source"] not in out:
            out.append(p["source"])
    return [c for c in out if c]


def provenance_graph(index: SourceIndex, doc_ids: list[str] | None = None) -> dict[str, Any]:
    """Nodes (documents and outlets) and edges (repost, syndication, rewrite, citation,
    copy, comment) for the sources page."""
    wanted = set(index.docs if doc_ids is None else doc_ids)
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []

    def outlet_node(name: str) -> str:
        node_id = "o:" + (norm_outlet(name) or name)
        nodes.setdefault(node_id, {"id": node_id, "label": name, "kind": "outlet"})
        return node_id

    for doc_id in sorted(wanted):
        doc = index.docs.get(doc_id)
        if not doc:
            continue
        nodes[doc_id] = {"id": doc_id, "label": index.outlet(doc_id), "kind": "document",
                         "title": doc.get("title"), "doc_kind": doc.get("kind")}
        for p in index.provenance.get(doc_id, []):
            edges.append({"source": doc_id, "target": outlet_node(p["source"]),
                          "relation": p["relation"], "via": p.get("via"),
                          "evidence": p.get("evidence")})
        for c in index.citations.get(doc_id, []):
            label = c.get("outlet") or c.get("text")
            if label:
                edges.append({"source": doc_id, "target": outlet_node(label),
                              "relation": "cites", "via": None, "evidence": c.get("text")})
    for c in index.copies:
        if c["doc_id"] in wanted and c["other_doc_id"] in wanted:
            edges.append({"source": c["doc_id"], "target": c["other_doc_id"],
                          "relation": c["relation"], "via": None, "evidence": None})
    seen, unique = set(), []
    for e in edges:
        key = (e["source"], e["target"], e["relation"])
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return {"nodes": list(nodes.values()), "edges": unique}


def authors_of(doc: dict[str, Any]) -> list[str]:
    return [str(a) for a in as_list(as_json(doc.get("authors"), doc.get("authors")))]
