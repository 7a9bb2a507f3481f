"""Events as the briefing and the web show them: actors' names, date labels, the
cooperation–conflict score, corroboration; the actor network and the dyad trends."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .filters import (Filters, actor_names, allowed_docs, in_zone, resolve_actor,
                      resolve_zone)
from .paging import EVENT_ORDER
from .sources import SourceIndex, rows
from .util import as_json, as_list, date_floor, date_label, overlaps, precision_of

#: cooperation (+) / conflict (−) weight of each PLOVER event type, on the Goldstein
#: scale (−10 … +10); used when an event carries no Goldstein score of its own
PLOVER_SCORE = {
    "AGREE": 4.0, "CONSULT": 2.0, "SUPPORT": 3.0, "CONCEDE": 4.0, "COOPERATE": 6.0,
    "AID": 7.0, "RETREAT": 5.0, "REQUEST": 1.0, "ACCUSE": -2.0, "REJECT": -4.0,
    "THREATEN": -6.0, "PROTEST": -5.0, "SANCTION": -6.0, "MOBILIZE": -5.0, "COERCE": -7.0,
    "ASSAULT": -9.0,
}
#: how much an event of each modality counts in trends and networks
MODALITY_WEIGHT = {"happened": 1.0, "future": 0.5, "proposed": 0.5, "cancelled": 0.0,
                   "denied": 0.0, "hypothetical": 0.25}


class ScopedSourceIndex(SourceIndex):
    """A :class:`SourceIndex` that reads documents (and their provenance and citations)
    when first asked for, so that a page of events does not load the whole store."""

    _DOC_COLUMNS = ("id, title, outlet, outlet_inferred, kind, published, published_precision,"
                    " source, original_outlet, carrier, syndicated_from, section, authors,"
                    " language")

    def __init__(self, store: Any) -> None:  # noqa: D107 - SourceIndex.__init__ is not run
        self.store = store
        self.docs: dict[str, dict[str, Any]] = {}
        self.provenance: dict[str, list[dict[str, Any]]] = {}
        self.citations: dict[str, list[dict[str, Any]]] = {}
        self._origins = {}
        self._loaded: set[str] = set()
        self.copies = rows(store, "SELECT doc_id, other_doc_id, relation, score FROM copies")
        self.load([c["doc_id"] for c in self.copies] + [c["other_doc_id"] for c in self.copies])
        self._copy_root = self._copy_roots()

    def load(self, doc_ids: Any) -> None:
        todo = [d for d in dict.fromkeys(doc_ids) if d not in self._loaded]
        for n in range(0, len(todo), 500):
            chunk = todo[n:n + 500]
            marks = ",".join("?" for _ in chunk)
            for d in rows(self.store, f"SELECT {self._DOC_COLUMNS} FROM documents "
                          f"WHERE id IN ({marks})", chunk):
                self.docs[d["id"]] = d
            for p in rows(self.store, f"SELECT * FROM provenance WHERE doc_id IN ({marks}) "
                          "ORDER BY doc_id, relation, id", chunk):
                self.provenance.setdefault(p["doc_id"], []).append(p)
            for c in rows(self.store, f"SELECT * FROM citations WHERE doc_id IN ({marks}) "
                          "ORDER BY doc_id, start", chunk):
                self.citations.setdefault(c["doc_id"], []).append(c)
            self._loaded.update(chunk)

    def origin(self, doc_id: str) -> Any:
        if doc_id not in self._loaded:
            self.load([doc_id])
        return super().origin(doc_id)


class EventContext:
    """What is needed to present events: names, clusters, contested spans, sources.

    ``scoped=True`` loads cluster membership only for the events about to be shown
    (:meth:`prepare`), so that a page of a store of millions of events stays cheap."""

    def __init__(self, store: Any, index: SourceIndex | None = None, *,
                 scoped: bool = False) -> None:
        self.store = store
        self.scoped = scoped
        self.names = actor_names(store)
        self.index = index or (ScopedSourceIndex(store) if scoped else SourceIndex(store))
        self.cluster_of: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = defaultdict(list)
        self._prepared: set[str] = set()
        if not scoped:
            clusters = {c["id"]: c for c in rows(store, "SELECT * FROM event_clusters")}
            for m in rows(store, "SELECT cluster_id, event_id FROM event_cluster_members"):
                if m["cluster_id"] in clusters:
                    self.cluster_of[m["event_id"]] = clusters[m["cluster_id"]]
            for m in rows(store, "SELECT cluster_id, event_id FROM event_cluster_members "
                          "ORDER BY event_id"):
                self.members[m["cluster_id"]].append(m["event_id"])
        self.contested: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for c in rows(store, "SELECT * FROM contradictions"):
            for side in ("a", "b"):
                if c.get(f"{side}_doc_id") is not None and c.get(f"{side}_start") is not None:
                    self.contested[c[f"{side}_doc_id"]].append(
                        (c[f"{side}_start"], c[f"{side}_end"] or c[f"{side}_start"]))

    def prepare(self, evts: list[dict[str, Any]]) -> None:
        """Load the clusters and documents of these events (a scoped context only)."""
        if isinstance(self.index, ScopedSourceIndex):
            self.index.load(e["doc_id"] for e in evts)
        if not self.scoped:
            return
        todo = [i for i in dict.fromkeys(e["id"] for e in evts) if i not in self._prepared]
        for n in range(0, len(todo), 500):
            chunk = todo[n:n + 500]
            marks = ",".join("?" for _ in chunk)
            for r in rows(self.store, "SELECT m.event_id AS event_id, c.* FROM "
                          "event_cluster_members m JOIN event_clusters c ON c.id = m.cluster_id "
                          f"WHERE m.event_id IN ({marks})", chunk):
                event_id = r.pop("event_id")
                self.cluster_of[event_id] = r
            self._prepared.update(chunk)

    def cluster_members(self, cluster_id: str) -> list[str]:
        if self.scoped and cluster_id not in self.members:
            self.members[cluster_id] = [r["event_id"] for r in rows(
                self.store, "SELECT event_id FROM event_cluster_members WHERE cluster_id=? "
                "ORDER BY event_id", (cluster_id,))]
        return self.members.get(cluster_id, [])

    def party(self, ids: Any, text: Any, countries: Any) -> list[dict[str, Any]]:
        id_list = [str(i) for i in as_list(ids)]
        texts = [str(t) for t in as_list(as_json(text, text))] if text else []
        codes = [str(c) for c in as_list(countries)]
        out = []
        for n, actor_id in enumerate(id_list):
            name = self.names.get(actor_id) or (texts[n] if n < len(texts) else actor_id)
            out.append({"id": actor_id, "name": name,
                        "country": codes[n] if n < len(codes) else None})
        if not out and texts:
            out = [{"id": None, "name": t, "country": codes[0] if codes else None}
                   for t in texts]
        return out

    def is_contested(self, doc_id: str, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.contested.get(doc_id, []))


def event_score(e: dict[str, Any]) -> float:
    """Cooperation (+) / conflict (−) of an event on the Goldstein scale."""
    if e.get("goldstein") is not None:
        return float(e["goldstein"])
    return PLOVER_SCORE.get((e.get("type") or "").upper(), 0.0)


def present(e: dict[str, Any], ctx: EventContext) -> dict[str, Any]:
    if isinstance(ctx.index, ScopedSourceIndex):
        ctx.index.load([e["doc_id"]])
    cluster = ctx.cluster_of.get(e["id"])
    doc = ctx.index.docs.get(e["doc_id"], {})
    e["sources"] = ctx.party(e.get("source_ids"), e.get("source_text"), e.get("source_countries"))
    e["targets"] = ctx.party(e.get("target_ids"), e.get("target_text"), e.get("target_countries"))
    e["source_countries"] = [str(c) for c in as_list(e.get("source_countries"))]
    e["target_countries"] = [str(c) for c in as_list(e.get("target_countries"))]
    e["zones"] = [str(z) for z in as_list(e.get("zones"))]
    e["date_precision"] = precision_of(e.get("date_start"), e.get("date_precision"))
    e["date_label"] = date_label(e.get("date_start"), e.get("date_end"), e["date_precision"])
    e["score"] = event_score(e)
    e["cluster_id"] = cluster["id"] if cluster else None
    n_docs = (cluster or {}).get("n_docs") or 1
    n_ind = (cluster or {}).get("n_independent")
    if n_ind is None and cluster:
        n_ind = ctx.index.independent(_cluster_docs(ctx, cluster["id"]))
    e["n_docs"], e["n_independent"] = n_docs, n_ind or 1
    status = ((cluster or {}).get("status") or "").lower()
    if "contest" in status or "disput" in status or ctx.is_contested(
            e["doc_id"], e["start"], e["end"]):
        e["corroboration"] = "contested"
    elif e["n_independent"] >= 2 or "corroborat" in status:
        e["corroboration"] = "corroborated"
    else:
        e["corroboration"] = "single-source"
    e["from_comment"] = doc.get("kind") == "comment_thread"
    e["doc_title"] = doc.get("title")
    e["cite"] = ctx.index.origin(e["doc_id"]).cite()
    return e


def _cluster_docs(ctx: EventContext, cluster_id: str) -> list[str]:
    ids = ctx.cluster_members(cluster_id)
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return sorted({r["doc_id"] for r in rows(ctx.store, f"SELECT doc_id FROM events WHERE id IN "
                                                        f"({marks})", ids)})


def matches_actor(e: dict[str, Any], who: dict[str, Any]) -> bool:
    parties = e["sources"] + e["targets"]
    if any(p["id"] in who["ids"] for p in parties if p["id"]):
        return True
    if any((p["name"] or "").lower() in who["names"] for p in parties):
        return True
    code = who.get("code")
    return bool(code and code in e["source_countries"] + e["target_countries"])


def events(store: Any, filters: Filters | None = None, ctx: EventContext | None = None
           ) -> list[dict[str, Any]]:
    """Events matching the filters, in date order (undated last), with actors' names,
    date labels, cooperation score, corroboration and their document's citation."""
    filters = filters or Filters()
    ctx = ctx or EventContext(store)
    where, params = [], []
    if filters.type:
        where.append("upper(type)=upper(?)")
        params.append(filters.type)
    if filters.modality:
        where.append("lower(modality)=lower(?)")
        params.append(filters.modality)
    sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "")
    found = rows(store, sql + f" ORDER BY {EVENT_ORDER}", params)
    keep = allowed_docs(store, filters)
    who = resolve_actor(store, filters.actor) if filters.actor else None
    zone = resolve_zone(store, filters.zone) if filters.zone else None
    out = []
    for e in found:
        if keep is not None and e["doc_id"] not in keep:
            continue
        if not overlaps(e.get("date_start"), e.get("date_end"), filters.since, filters.until):
            continue
        e = present(e, ctx)
        if who and not matches_actor(e, who):
            continue
        if zone and not in_zone(e, zone):
            continue
        if filters.corroboration and e["corroboration"] != filters.corroboration:
            continue
        out.append(e)
    return out


def event(store: Any, event_id: str) -> dict[str, Any] | None:
    found = rows(store, "SELECT * FROM events WHERE id=?", (event_id,))
    if not found:
        return None
    ctx = EventContext(store, scoped=True)
    ctx.prepare(found)
    return present(found[0], ctx)


def event_types(store: Any) -> list[str]:
    return [r["type"] for r in rows(store, "SELECT DISTINCT type FROM events ORDER BY type")]


# --- network and dyads ------------------------------------------------------------------


def network(evts: list[dict[str, Any]], max_nodes: int = 30) -> dict[str, Any]:
    """Who acts on whom: nodes (actors) and directed edges with count and mean score."""
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    degree: Counter[str] = Counter()
    for e in evts:
        weight = MODALITY_WEIGHT.get((e.get("modality") or "happened").lower(), 0.5)
        if weight == 0:
            continue
        for s in e["sources"]:
            for t in e["targets"]:
                a, b = s["name"], t["name"]
                if not a or not b or a == b:
                    continue
                edge = edges.setdefault((a, b), {"source": a, "target": b, "count": 0,
                                                 "total": 0.0, "events": []})
                edge["count"] += 1
                edge["total"] += e["score"] * weight
                edge["events"].append(e["id"])
                degree[a] += 1
                degree[b] += 1
    nodes, out_edges = busiest(edges, degree, max_nodes)
    return {"nodes": nodes, "edges": out_edges}


def busiest(edges: dict[Any, dict[str, Any]], degree: Counter[str], max_nodes: int
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``max_nodes`` actors with most events and the edges between them, each edge
    scored by its mean cooperation–conflict score."""
    keep = {name for name, _ in degree.most_common(max_nodes)}
    out_edges = []
    for edge in edges.values():
        if edge["source"] in keep and edge["target"] in keep:
            edge["score"] = round(edge.pop("total") / edge["count"], 2)
            out_edges.append(edge)
    nodes = [{"id": n, "label": n, "degree": degree[n]} for n in sorted(keep)]
    return nodes, out_edges


def _pair(e: dict[str, Any]) -> list[str]:
    src = e["source_countries"] or [p["country"] for p in e["sources"] if p.get("country")]
    tgt = e["target_countries"] or [p["country"] for p in e["targets"] if p.get("country")]
    pairs = []
    for a in src:
        for b in tgt:
            if a and b and a != b:
                pairs.append("–".join(sorted((a, b))))
    return sorted(set(pairs))


def dyad_trend(evts: list[dict[str, Any]], max_pairs: int = 4) -> dict[str, Any]:
    """Cooperation–conflict score over time for the busiest country pairs (``USA–RUS``):
    mean Goldstein score per period (week for a short story, month for a long one)."""
    dated = [e for e in evts if e.get("date_start") and
             MODALITY_WEIGHT.get((e.get("modality") or "happened").lower(), 0.5) > 0]
    days = sorted(date_floor(e["date_start"]) for e in dated)
    if not days:
        return {"period": None, "series": []}
    span = (ordinal(days[-1]) - ordinal(days[0])) if len(days) > 1 else 0
    period = "week" if span <= 120 else "month"
    counts: Counter[str] = Counter()
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for e in dated:
        bucket = bucket_of(date_floor(e["date_start"]) or "", period)
        for pair in _pair(e):
            counts[pair] += 1
            cells[pair][bucket].append(e["score"])
    series = []
    for pair, n in counts.most_common(max_pairs):
        points = sorted(cells[pair].items())
        series.append({"pair": pair, "events": n,
                       "points": [{"period": p, "score": round(sum(v) / len(v), 2),
                                   "events": len(v)} for p, v in points]})
    return {"period": period, "series": series}


def ordinal(iso: str) -> int:
    import datetime as dt

    return dt.date.fromisoformat(iso).toordinal()


def bucket_of(iso: str, period: str) -> str:
    import datetime as dt

    day = dt.date.fromisoformat(iso)
    if period == "month":
        return day.strftime("%Y-%m-01")
    return (day - dt.timedelta(days=day.weekday())).isoformat()
