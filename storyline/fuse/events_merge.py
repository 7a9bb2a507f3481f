"""Same happening, many sources: events of different documents merged into event clusters.

Two events are the same happening when they have the same type, share an actor (source or
target), are dated within ``fuse.event_window_days`` of each other, and do not name
different places.  Candidates come from an index on (type, actor), scanned in date order
inside the window, so the cost grows with the number of events, not its square.

Each cluster counts its documents and its *independent* sources: documents that rest on
the same upstream (a repost, a syndicated copy, two write-ups of one cited report) count
once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from ..store.db import Store
from . import corpus
from .attribution import attributed_source, source_key
from .provenance import upstreams
from .stories import parse_day
from .types import EventCluster, EventClusterMember

CONFLICTING_MODALITIES = {("happened", "denied"), ("happened", "cancelled"),
                          ("future", "cancelled")}


def _actors(row: dict[str, Any]) -> set[str]:
    return set(corpus.json_list(row.get("source_ids"))) | \
        set(corpus.json_list(row.get("target_ids")))


def _day(row: dict[str, Any], published: dict[str, str | None]) -> dt.date | None:
    return parse_day(row.get("date_start")) or parse_day(published.get(row["doc_id"]))


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    pa, pb = (a.get("place_name") or "").casefold(), (b.get("place_name") or "").casefold()
    if pa and pb and pa != pb and pa not in pb and pb not in pa:
        return False
    return a["doc_id"] != b["doc_id"] or _actors(a) == _actors(b)


def merge_events(events: list[dict[str, Any]], published: dict[str, str | None],
                 window_days: int) -> list[list[dict[str, Any]]]:
    """Groups of events that are the same happening (singletons included)."""
    parent = list(range(len(events)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    days = [_day(e, published) for e in events]
    order = sorted(range(len(events)), key=lambda i: (days[i] or dt.date.max, i))
    for i in order:
        e = events[i]
        for actor in _actors(e):
            bucket = index[(e["type"], actor)]
            for j in reversed(bucket):
                if days[i] and days[j] and (days[i] - days[j]).days > window_days:
                    break
                if days[i] is None or days[j] is None:
                    continue  # an undated event cannot be placed in a window
                if find(i) != find(j) and _compatible(e, events[j]):
                    parent[find(i)] = find(j)
            bucket.append(i)
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in order:
        groups[find(i)].append(events[i])
    return list(groups.values())


def independent_sources(members: list[dict[str, Any]], doc_upstream: dict[str, str]) -> set[str]:
    """Upstream keys of the members: the source a sentence names ("according to the
    White House readout"), else the document's upstream."""
    keys = set()
    for e in members:
        named = attributed_source(e.get("sentence") or "")
        keys.add(source_key(named) if named else doc_upstream.get(e["doc_id"], e["doc_id"]))
    return keys


def _label(members: list[dict[str, Any]], names: dict[str, str]) -> str:
    def who(ids: list[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids[:3]) or "?"

    first = members[0]
    src = sorted({i for e in members for i in corpus.json_list(e.get("source_ids"))})
    tgt = sorted({i for e in members for i in corpus.json_list(e.get("target_ids"))})
    when = min((e.get("date_start") or "" for e in members), default="") or "undated"
    return f"{first['type']}: {who(src)} → {who(tgt)} ({when})"


def _status(members: list[dict[str, Any]], n_independent: int) -> str:
    modalities = {e.get("modality") or "happened" for e in members}
    if any((a in modalities and b in modalities) for a, b in CONFLICTING_MODALITIES):
        return "contested"
    return "corroborated" if n_independent >= 2 else "single"


def run(store: Store, settings: Any, progress: Any = None) -> dict[str, Any]:
    """The ``event-clusters`` corpus stage."""
    rows = [dict(r) for r in store.query(
        "SELECT id, doc_id, type, source_ids, target_ids, date_start, date_end, place_name, "
        "modality, sentence, start, \"end\" FROM events")]
    published = {m.id: m.published for m in corpus.documents(store)}
    doc_upstream = upstreams(store)
    names = corpus.actor_names(store)
    clusters, members = [], []
    for n, group in enumerate(merge_events(rows, published, settings.fuse.event_window_days)):
        docs = {e["doc_id"] for e in group}
        sources = independent_sources(group, doc_upstream)
        cid = f"ec{n}"
        dates = sorted(d for e in group for d in (e.get("date_start"), e.get("date_end")) if d)
        modality = Counter(e.get("modality") or "happened" for e in group).most_common(1)[0][0]
        clusters.append(EventCluster(
            id=cid, type=group[0]["type"], label=_label(group, names),
            date_start=dates[0] if dates else None, date_end=dates[-1] if dates else None,
            source_ids=sorted({i for e in group for i in corpus.json_list(e.get("source_ids"))}),
            target_ids=sorted({i for e in group for i in corpus.json_list(e.get("target_ids"))}),
            place_name=next((e["place_name"] for e in group if e.get("place_name")), None),
            modality=modality, n_docs=len(docs), n_independent=len(sources),
            status=_status(group, len(sources))))
        members += [EventClusterMember(cluster_id=cid, event_id=e["id"]) for e in group]
    with store.transaction():
        store.conn.execute("DELETE FROM event_cluster_members")
        store.conn.execute("DELETE FROM event_clusters")
        store.insert(clusters + members)
    return {"events": len(rows), "clusters": len(clusters),
            "multi_document": sum(1 for c in clusters if c.n_docs > 1),
            "corroborated": sum(1 for c in clusters if c.status == "corroborated")}
