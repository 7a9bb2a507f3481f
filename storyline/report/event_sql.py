"""Events filtered, paged and aggregated in SQL, for the web pages and the JSON API: a
:class:`Filters` becomes a ``WHERE`` (what SQL cannot decide exactly is checked on each
presented event), pages follow keyset cursors, the network, dyads, trend and map are
``GROUP BY`` queries on covering indexes."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .event_data import (MODALITY_WEIGHT, PLOVER_SCORE, EventContext, bucket_of, busiest,
                         dyad_trend, matches_actor, network, ordinal, present)
from .filters import Filters, in_zone, resolve_actor, resolve_zone
from .paging import (COMMENT_KIND, EVENT_KEY, EVENT_ORDER, PageArgs, decode_cursor,
                     encode_cursor, list_page, page_result, score_sql, story_clause)
from .sources import rows
from .util import as_list, date_ceil, date_floor, overlaps



class EventQuery:
    """The SQL ``WHERE`` of a :class:`Filters` over ``events``, and what SQL cannot decide
    exactly (an actor's names, a zone's outline, corroboration): :meth:`keeps` checks those
    on each presented event, after SQL has narrowed the rows down."""

    def __init__(self, store: Any, filters: Filters | None, *, facts_only: bool = False,
                 dated_only: bool = False, one_per_cluster: bool = False,
                 ordered: bool = True) -> None:
        f = filters or Filters()
        self.filters = f
        self.where: list[str] = []
        self.params: list[Any] = []
        if f.type:
            self._add("type = ? COLLATE NOCASE", f.type)
        if f.modality:
            self._add("modality = ? COLLATE NOCASE", f.modality)
        if f.story:
            clause, params = story_clause("doc_id", f.story)
            self._add(clause, *params)
        if f.doc:
            self._add("doc_id = ?", f.doc)
        if facts_only and _has_rows(store, "documents WHERE kind = ?", (COMMENT_KIND,)):
            self._add("doc_id NOT IN (SELECT id FROM documents WHERE kind = ?)", COMMENT_KIND)
        if dated_only or f.since or f.until:
            # on the sort key when paging in its order; on the column when aggregating
            self._add(f"{EVENT_KEY} < '~'" if ordered else "date_start IS NOT NULL")
        if f.since:
            hi = "coalesce(date_end, date_start)"
            self._add(f"{hi} >= substr(?, 1, length({hi}))",
                      date_floor(f.since) or f.since)
        if f.until:  # on the sort key itself, so that the order index bounds the scan
            self._add(f"{EVENT_KEY} <= ?" if ordered else "date_start <= ?",
                      (date_ceil(f.until) or f.until) + "~")
        self.who = resolve_actor(store, f.actor) if f.actor else None
        if self.who:
            self._actor_prefilter(store, self.who)
        self.zone = resolve_zone(store, f.zone) if f.zone else None
        if self.zone:
            self._add("((zones IS NOT NULL AND zones <> '' AND zones <> '[]') OR "
                      "(lat IS NOT NULL AND lon IS NOT NULL))")
        if f.corroboration in ("corroborated", "contested"):
            other = "" if f.corroboration == "corroborated" else (
                " OR doc_id IN (SELECT a_doc_id FROM contradictions UNION "
                "SELECT b_doc_id FROM contradictions)")
            self._add(f"(id IN (SELECT event_id FROM event_cluster_members){other})")
        if one_per_cluster and _has_rows(store, "event_cluster_members"):
            # the first dated fact of each cluster stands for it
            self._add(
                "NOT EXISTS (SELECT 1 FROM event_cluster_members m1 JOIN event_cluster_members "
                "m2 ON m2.cluster_id = m1.cluster_id AND m2.event_id <> m1.event_id "
                "JOIN events e2 ON e2.id = m2.event_id WHERE m1.event_id = events.id "
                "AND e2.date_start IS NOT NULL "
                "AND e2.doc_id NOT IN (SELECT id FROM documents WHERE kind = ?) "
                "AND (ifnull(e2.date_start, '~'), e2.doc_id, e2.start, e2.id) < "
                "(ifnull(events.date_start, '~'), events.doc_id, events.start, events.id))",
                COMMENT_KIND)
        #: whether SQL alone decides (then COUNT(*) is the total)
        self.exact = not (self.who or self.zone or f.corroboration)

    def _add(self, clause: str, *params: Any) -> None:
        self.where.append(clause)
        self.params.extend(params)

    def _actor_prefilter(self, store: Any, who: dict[str, Any]) -> None:
        """Rows that may name the actor: ids, names or country code in the party columns."""
        ids = set(who["ids"])
        for a in rows(store, "SELECT id, name FROM actors"):
            if (a["name"] or "").lower() in who["names"]:
                ids.add(a["id"])
        needles = sorted({str(x).lower() for x in ids | set(who["names"]) if x})
        party = ("lower(ifnull(source_ids, '') || '|' || ifnull(target_ids, '') || '|' || "
                 "ifnull(source_text, '') || '|' || ifnull(target_text, ''))")
        ors = [f"instr({party}, ?) > 0" for _ in needles]
        params: list[Any] = list(needles)
        if who.get("code"):
            ors.append("instr(upper(ifnull(source_countries, '') || '|' || "
                       "ifnull(target_countries, '')), ?) > 0")
            params.append(who["code"])
        self._add("(" + (" OR ".join(ors) or "0") + ")", *params)

    def sql_where(self, extra: list[str] = ()) -> str:
        clauses = [*self.where, *extra]
        return (" WHERE " + " AND ".join(clauses)) if clauses else ""

    def keeps(self, e: dict[str, Any]) -> bool:
        """The exact checks of a presented event (SQL has done the rest)."""
        f = self.filters
        if (f.since or f.until) and not overlaps(e.get("date_start"), e.get("date_end"),
                                                 f.since, f.until):
            return False
        if self.who and not matches_actor(e, self.who):
            return False
        if self.zone and not in_zone(e, self.zone):
            return False
        return not (f.corroboration and e["corroboration"] != f.corroboration)

    def count(self, store: Any) -> int:
        return int(store.scalar("SELECT COUNT(*) FROM events" + self.sql_where(), self.params))


def _has_rows(store: Any, table: str, params: Any = ()) -> bool:
    return bool(rows(store, f"SELECT 1 AS x FROM {table} LIMIT 1", params))


EVENT_CURSOR = "events"
#: at most this many rows are checked in Python for one page of a filter SQL cannot
#: decide (actor, zone, corroboration); the page then ends early with a ``next`` cursor
SCAN_BUDGET = 20_000


def _event_key(e: dict[str, Any]) -> list[Any]:
    return [e.get("date_start") or "~", e["doc_id"], int(e["start"]), e["id"]]


def event_page(store: Any, filters: Filters | None = None, pg: PageArgs | None = None, *,
               facts_only: bool = False, dated_only: bool = False,
               one_per_cluster: bool = False, ctx: EventContext | None = None,
               count: bool = True) -> dict[str, Any]:
    """One page of :func:`events`, filtered, ordered and paged in SQL:
    ``{"total", "limit", "offset", "items", "next"}``.  ``next`` is the cursor of the
    following page (``None`` at the end); ``total`` is ``None`` when a filter SQL cannot
    decide would need the whole store scanned to count."""
    pg = pg or PageArgs()
    q = EventQuery(store, filters, facts_only=facts_only, dated_only=dated_only,
                   one_per_cluster=one_per_cluster)
    ctx = ctx or EventContext(store, scoped=True)
    extra, params = [], list(q.params)
    if pg.cursor:
        key = decode_cursor(EVENT_CURSOR, pg.cursor, (str, str, int, str))
        extra.append(f"({EVENT_KEY}, doc_id, start, id) > (?, ?, ?, ?)")
        params.extend(key)
    sql = f"SELECT * FROM events{q.sql_where(extra)} ORDER BY {EVENT_ORDER}"
    if q.exact:
        found = rows(store, sql + " LIMIT ? OFFSET ?", [*params, pg.limit + 1, pg.offset])
        more = len(found) > pg.limit
        page = found[:pg.limit]
        ctx.prepare(page)
        items = [present(e, ctx) for e in page]
        items = [e for e in items if q.keeps(e)]
        nxt = encode_cursor(EVENT_CURSOR, _event_key(page[-1])) if more and page else None
        total = q.count(store) if count else None
        return page_result(items, pg, total, nxt)
    # filters SQL cannot decide: read on in chunks, check each event, stop at a full page
    cursor = store.conn.execute(sql, params)
    items: list[dict[str, Any]] = []
    skipped = scanned = 0
    last = None
    more = exhausted = False
    while True:
        chunk = [dict(r) for r in cursor.fetchmany(500)]
        if not chunk:
            exhausted = True
            break
        ctx.prepare(chunk)
        for raw in chunk:
            scanned += 1
            e = present(raw, ctx)
            if q.keeps(e):
                if skipped < pg.offset:
                    skipped += 1
                elif len(items) < pg.limit:
                    items.append(e)
                else:
                    more = True
                    break
            last = e
            if scanned >= SCAN_BUDGET and not more:
                break
        if more or scanned >= SCAN_BUDGET:
            break
    cursor.close()
    if more:
        nxt = encode_cursor(EVENT_CURSOR, _event_key(items[-1]))
    elif not exhausted and last is not None:
        nxt = encode_cursor(EVENT_CURSOR, _event_key(last))  # budget spent: resume there
    else:
        nxt = None
    total = skipped + len(items) if exhausted and not pg.cursor else None
    return page_result(items, pg, total, nxt)


def event_count(store: Any, filters: Filters | None = None, **kind: bool) -> int | None:
    """How many events :func:`event_page` pages through (``None``: not decided by SQL)."""
    q = EventQuery(store, filters, **kind)
    return q.count(store) if q.exact else None


def iter_events(store: Any, filters: Filters | None = None, *, facts_only: bool = False,
                ctx: EventContext | None = None, chunk: int = 1000):
    """Every matching event, presented, in order, read in chunks (for CSV downloads)."""
    q = EventQuery(store, filters, facts_only=facts_only)
    ctx = ctx or EventContext(store, scoped=True)
    cursor = store.conn.execute(f"SELECT * FROM events{q.sql_where()} ORDER BY {EVENT_ORDER}",
                                q.params)
    while True:
        batch = [dict(r) for r in cursor.fetchmany(chunk)]
        if not batch:
            break
        ctx.prepare(batch)
        for raw in batch:
            e = present(raw, ctx)
            if q.keeps(e):
                yield e


# --- aggregations in SQL ---------------------------------------------------------------

SCORE = score_sql(PLOVER_SCORE)
WEIGHTED = "lower(ifnull(modality, 'happened')) NOT IN ('cancelled', 'denied')"



def _grouped(store: Any, q: EventQuery, keys: list[str], extra: list[str] = ()
             ) -> list[dict[str, Any]]:
    """Counts of events per distinct ``keys`` (plain columns, so that a covering index
    serves the GROUP BY), and per type: ``n`` and ``score_sum`` (Goldstein or PLOVER)."""
    cols = ", ".join([*keys, "type"])
    found = rows(store, f"SELECT {cols}, COUNT(*) AS n, SUM(goldstein) AS g_sum, "
                 f"COUNT(goldstein) AS g_n FROM events"
                 f"{q.sql_where(list(extra))} GROUP BY {cols}", q.params)
    for g in found:
        plover = PLOVER_SCORE.get((g["type"] or "").upper(), 0.0)
        g["score_sum"] = (g.pop("g_sum") or 0.0) + (g["n"] - g.pop("g_n")) * plover
    return found


#: columns an exact check of actor and zone filters needs, grouped on when those are set
_CHECK_KEYS = ["zones", "lat", "lon"]


def _group_keeps(q: EventQuery, g: dict[str, Any], ctx: EventContext) -> bool:
    if not (q.who or q.zone):
        return True
    e = {"sources": ctx.party(g.get("source_ids"), g.get("source_text"),
                              g.get("source_countries")),
         "targets": ctx.party(g.get("target_ids"), g.get("target_text"),
                              g.get("target_countries")),
         "source_countries": [str(c) for c in as_list(g.get("source_countries"))],
         "target_countries": [str(c) for c in as_list(g.get("target_countries"))],
         "zones": g.get("zones"), "lat": g.get("lat"), "lon": g.get("lon")}
    if q.who and not matches_actor(e, q.who):
        return False
    return not (q.zone and not in_zone(e, q.zone))


def network_sql(store: Any, filters: Filters | None = None, max_nodes: int = 30,
                max_event_ids: int = 20) -> dict[str, Any]:
    """:func:`network` of the facts (no comment threads) counted with SQL ``GROUP BY``:
    nodes (actors) and directed edges with count, mean score and some event ids."""
    f = filters or Filters()
    q = EventQuery(store, f, facts_only=True, ordered=False)
    if f.corroboration:  # needs each event's cluster: count the presented events
        return network(list(iter_events(store, f, facts_only=True)), max_nodes)
    ctx = EventContext(store, scoped=True)
    keys = ["source_ids", "target_ids", "source_text", "target_text", "modality"]
    if q.who:
        keys += ["source_countries", "target_countries"]
    if q.zone:
        keys += _CHECK_KEYS
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    degree: Counter[str] = Counter()
    for g in _grouped(store, q, keys):
        weight = MODALITY_WEIGHT.get((g["modality"] or "happened").lower(), 0.5)
        if weight == 0 or not _group_keeps(q, g, ctx):
            continue
        sources = ctx.party(g["source_ids"], g["source_text"], g.get("source_countries"))
        targets = ctx.party(g["target_ids"], g["target_text"], g.get("target_countries"))
        for s in sources:
            for t in targets:
                a, b = s["name"], t["name"]
                if not a or not b or a == b:
                    continue
                edge = edges.setdefault((a, b), {"source": a, "target": b, "count": 0,
                                                 "total": 0.0, "events": [], "_groups": []})
                edge["count"] += g["n"]
                edge["total"] += (g["score_sum"] or 0.0) * weight
                edge["_groups"].append(g)
                degree[a] += g["n"]
                degree[b] += g["n"]
    nodes, out_edges = busiest(edges, degree, max_nodes)
    out_edges.sort(key=lambda e: (-e["count"], e["source"], e["target"]))
    for n, edge in enumerate(out_edges):  # some of its events, for the busiest edges
        groups = edge.pop("_groups")
        if n >= 100:
            continue
        for g in sorted(groups, key=lambda g: -g["n"])[:3]:
            if len(edge["events"]) >= max_event_ids:
                break
            found = rows(store, "SELECT id FROM events" + q.sql_where([
                "source_ids IS ? AND target_ids IS ? AND source_text IS ? AND "
                "target_text IS ? AND type IS ? AND modality IS ?"]) + " LIMIT ?",
                [*q.params, g["source_ids"], g["target_ids"], g["source_text"],
                 g["target_text"], g["type"], g["modality"],
                 max_event_ids - len(edge["events"])])
            edge["events"].extend(r["id"] for r in found)
        edge["events"] = sorted(edge["events"])
    for edge in edges.values():
        edge.pop("_groups", None)
    return {"nodes": nodes, "edges": out_edges}


def dyad_trend_sql(store: Any, filters: Filters | None = None, max_pairs: int = 4
                   ) -> dict[str, Any]:
    """:func:`dyad_trend` of the facts computed with SQL ``GROUP BY`` (period, pair)."""
    f = filters or Filters()
    if f.corroboration:
        return dyad_trend(list(iter_events(store, f, facts_only=True)), max_pairs)
    q = EventQuery(store, f, facts_only=True, dated_only=True, ordered=False)
    keys = ["date_start", "source_countries", "target_countries"]
    if q.who:
        keys += ["source_ids", "source_text", "target_ids", "target_text"]
    if q.zone:
        keys += _CHECK_KEYS
    ctx = EventContext(store, scoped=True)
    cols = ", ".join(keys)
    # the score in SQL: one group per day and country pair (read in the order of an index)
    groups = [g for g in rows(store, f"SELECT {cols}, COUNT(*) AS n, SUM({SCORE}) AS score_sum "
                              f"FROM events{q.sql_where([WEIGHTED])} GROUP BY {cols}", q.params)
              if date_floor(g["date_start"]) and _group_keeps(q, g, ctx)]
    days = sorted(date_floor(g["date_start"]) or "" for g in groups)
    if not days:
        return {"period": None, "series": []}
    span = (ordinal(days[-1]) - ordinal(days[0])) if len(days) > 1 else 0
    period = "week" if span <= 120 else "month"
    counts: Counter[str] = Counter()
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    for g in groups:
        g["bucket"] = bucket_of(date_floor(g["date_start"]) or "", period)
        src = [str(c) for c in as_list(g["source_countries"])]
        tgt = [str(c) for c in as_list(g["target_countries"])]
        pairs = sorted({"–".join(sorted((a, b))) for a in src for b in tgt if a and b and a != b})
        for pair in pairs:
            counts[pair] += g["n"]
            cell = cells[pair][g["bucket"]]
            cell[0] += g["score_sum"] or 0.0
            cell[1] += g["n"]
    series = []
    for pair, n in counts.most_common(max_pairs):
        points = sorted(cells[pair].items())
        series.append({"pair": pair, "events": n,
                       "points": [{"period": p, "score": round(v[0] / v[1], 2), "events": v[1]}
                                  for p, v in points]})
    return {"period": period, "series": series}


TREND_PERIODS = ("day", "week", "month", "year")


def trend(store: Any, filters: Filters | None = None, period: str = "day") -> dict[str, Any]:
    """Dated facts per day/week/month/year (SQL ``GROUP BY``): count and mean score."""
    f = filters or Filters()
    if period not in TREND_PERIODS:
        raise ValueError(period)
    if f.corroboration or f.actor or f.zone:  # decided per event
        buckets: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for e in iter_events(store, f, facts_only=True):
            if not e.get("date_start"):
                continue
            day = date_floor(e["date_start"])
            if not day:
                continue
            cell = buckets[_period_key(day, period)]
            cell[0] += 1
            cell[1] += e["score"]
        points = [{"period": k, "events": int(v[0]), "score": round(v[1] / v[0], 2)}
                  for k, v in sorted(buckets.items())]
        return {"period": period, "points": points}
    q = EventQuery(store, f, facts_only=True, dated_only=True, ordered=False)
    cells: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for g in rows(store, f"SELECT date_start, COUNT(*) AS n, SUM({SCORE}) AS score_sum FROM "
                  f"events{q.sql_where()} GROUP BY date_start", q.params):
        day = date_floor(g["date_start"])
        if day:
            cell = cells[_period_key(day, period)]
            cell[0] += g["n"]
            cell[1] += g["score_sum"]
    return {"period": period,
            "points": [{"period": k, "events": int(v[0]), "score": round(v[1] / v[0], 2)}
                       for k, v in sorted(cells.items())]}


def _period_key(day: str, period: str) -> str:
    return {"day": day, "year": day[:4] + "-01-01"}.get(period) or bucket_of(day, period)


MAP_CURSOR = "map"


def map_points(store: Any, filters: Filters | None = None, pg: PageArgs | None = None, *,
               samples: int = 6) -> dict[str, Any]:
    """Located facts grouped by point (3 decimals), busiest first, paged: each point with
    its event count, mean score and a few of its events."""
    f = filters or Filters()
    pg = pg or PageArgs()
    q = EventQuery(store, f, facts_only=True, ordered=False)
    located = "lat IS NOT NULL AND lon IS NOT NULL"
    ctx = EventContext(store, scoped=True)
    if q.exact:
        merged: dict[tuple[float, float], dict[str, Any]] = {}
        for g in _grouped(store, q, ["round(lat, 3)", "round(lon, 3)"], [located]):
            key = (g["round(lat, 3)"], g["round(lon, 3)"])
            p = merged.setdefault(key, {"lat": key[0], "lon": key[1], "name": "", "count": 0,
                                        "score": 0.0, "events": []})
            p["count"] += g["n"]
            p["score"] += g["score_sum"]
        ordered = sorted(merged.values(), key=lambda p: (-p["count"], p["lat"], p["lon"]))
        result = list_page(MAP_CURSOR, ordered, pg)
        for p in result["items"]:
            found = rows(store, f"SELECT * FROM events{q.sql_where([located])} AND "
                         "round(lat, 3) = ? AND round(lon, 3) = ? LIMIT ?",
                         [*q.params, p["lat"], p["lon"], samples])
            found.sort(key=_event_key)
            ctx.prepare(found)
            p["events"] = [_map_event(present(e, ctx)) for e in found]
            if found:
                p["lat"], p["lon"] = found[0]["lat"], found[0]["lon"]
                p["name"] = next((e["place_name"] for e in found if e.get("place_name")), "")
            p["score"] = round(p["score"] / p["count"], 2) if p["count"] else 0.0
        return result
    points: dict[tuple[float, float], dict[str, Any]] = {}
    for e in iter_events(store, f, facts_only=True, ctx=ctx):
        if e.get("lat") is None or e.get("lon") is None:
            continue
        key = (round(e["lat"], 3), round(e["lon"], 3))
        p = points.setdefault(key, {"lat": e["lat"], "lon": e["lon"], "count": 0,
                                    "score": 0.0, "name": e.get("place_name") or "",
                                    "events": []})
        p["count"] += 1
        p["score"] += e["score"]
        if len(p["events"]) < samples:
            p["events"].append(_map_event(e))
    for p in points.values():
        p["score"] = round(p["score"] / p["count"], 2)
    return list_page(MAP_CURSOR, sorted(points.values(), key=lambda p: -p["count"]), pg)


def _map_event(e: dict[str, Any]) -> dict[str, Any]:
    return {"id": e["id"], "type": e["type"], "date_label": e["date_label"],
            "modality": e.get("modality"), "score": e["score"], "doc_id": e["doc_id"],
            "start": e["start"], "end": e["end"],
            "text": (e.get("sentence") or "")[:160]}
