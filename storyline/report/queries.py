"""The query layer shared by the briefing and the web app / JSON API: one place to ask
the store for documents, stories, events, actors, quotes, places, sources and searches.

Every function reads the store only, takes the same :class:`Filters`, returns plain
JSON-ready dicts with stable ids, and degrades to empty results when a stage has not
filled its tables (or an old store lacks them).  Events live in :mod:`.event_data`,
quotes, claims and comments in :mod:`.voices`; both are re-exported here.
"""

from __future__ import annotations

import re
from typing import Any

from .event_data import (MODALITY_WEIGHT, PLOVER_SCORE, EventContext, ScopedSourceIndex,
                         dyad_trend, event, event_score, event_types, events, network)
from .event_sql import (TREND_PERIODS, dyad_trend_sql, event_count, event_page, iter_events,
                        map_points, network_sql, trend)
from .filters import (CORROBORATION, Filters, actor_names, actor_weights, allowed_docs,
                      in_zone, resolve_actor, resolve_zone, story_doc_ids, zones)
from .paging import (DEFAULT_LIMIT, MAX_LIMIT, PageArgs, decode_cursor, document_clauses,
                     encode_cursor, list_page, offset_of, offset_page, page_result)
from .sources import KIND_LABELS, rows
from .util import as_json, as_list, overlaps, quote_balance
from .voices import (claims, clean_quote, comments, contradictions, key_quotes_by_actor,
                     narratives, quotes, quotes_page, reaction_summary)

__all__ = [
    "CORROBORATION", "MODALITY_WEIGHT", "PLOVER_SCORE", "EventContext", "Filters", "Sentences",
    "actor", "actor_names", "actor_weights", "actors", "allowed_docs", "annotations", "claims",
    "clean_quote", "comments", "contradictions", "document", "documents", "dyad_trend", "event",
    "event_score", "event_types", "events", "in_zone", "key_quotes_by_actor", "narratives",
    "network", "places", "quotes", "reaction_summary", "resolve_actor", "resolve_zone",
    "search", "stories", "story", "story_doc_ids", "summary", "zones",
    # SQL-side pages and aggregations (web pages, JSON API)
    "DEFAULT_LIMIT", "MAX_LIMIT", "TREND_PERIODS", "PageArgs", "actors_page", "documents_page", "dyad_trend_sql",
    "event_page", "iter_events", "map_points", "network_sql", "offset_of", "places_page",
    "quotes_page", "trend", "ScopedSourceIndex", "event_count",
]


# --- documents and stories ----------------------------------------------------------------


def stories(store: Any) -> list[dict[str, Any]]:
    """Stories with their keywords and sizes, biggest first; children listed under parents."""
    out = []
    for s in rows(store, "SELECT * FROM stories ORDER BY size DESC, id"):
        s["keywords"] = [str(k) for k in as_list(s.get("keywords"))]
        s["label"] = s.get("label") or ", ".join(s["keywords"][:3]) or s["id"]
        s["doc_ids"] = [r["doc_id"] for r in rows(
            store, "SELECT doc_id FROM story_docs WHERE story_id=? ORDER BY score DESC, doc_id",
            (s["id"],))]
        s["size"] = s.get("size") or len(s["doc_ids"])
        out.append(s)
    return out


def story(store: Any, story_id: str) -> dict[str, Any] | None:
    return next((s for s in stories(store) if s["id"] == story_id), None)



def documents(store: Any, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Documents (without text) matching the filters, newest first."""
    filters = filters or Filters()
    docs = rows(store, "SELECT id, version, title, outlet, kind, published, published_precision,"
                " language, source, original_outlet, carrier, syndicated_from, authors,"
                " length(clean_text) AS chars FROM documents ORDER BY published DESC, id")
    keep = allowed_docs(store, filters)
    out = []
    for d in docs:
        if keep is not None and d["id"] not in keep:
            continue
        if (filters.since or filters.until) and not overlaps(d["published"], None, filters.since,
                                                             filters.until):
            continue
        d["authors"] = [str(a) for a in as_list(as_json(d.get("authors"), d.get("authors")))]
        d["kind_label"] = KIND_LABELS.get(d.get("kind") or "other", d.get("kind"))
        out.append(d)
    return out



def document(store: Any, doc_id: str) -> dict[str, Any] | None:
    """One document with its clean text, removed boilerplate and metadata."""
    found = rows(store, "SELECT * FROM documents WHERE id=?", (doc_id,))
    if not found:
        return None
    d = found[0]
    d.pop("offsets", None)
    d["authors"] = [str(a) for a in as_list(as_json(d.get("authors"), d.get("authors")))]
    d["removed"] = as_json(d.get("removed"), []) or []
    d["meta"] = as_json(d.get("meta"), {}) or {}
    d["kind_label"] = KIND_LABELS.get(d.get("kind") or "other", d.get("kind"))
    return d


def annotations(store: Any, doc_id: str) -> list[dict[str, Any]]:
    """Spans to highlight in a document: mentions, quotes, events, places, dates, citations."""
    spans: list[dict[str, Any]] = []
    for m in rows(store, 'SELECT id, start, "end", text, label, actor_id FROM mentions '
                  "WHERE doc_id=?", (doc_id,)):
        spans.append({"kind": "entity", "id": m["id"], "start": m["start"], "end": m["end"],
                      "label": m.get("label") or "", "ref": m.get("actor_id")})
    for q in rows(store, 'SELECT id, start, "end", speaker_text, speaker_actor_id FROM quotes '
                  "WHERE doc_id=?", (doc_id,)):
        spans.append({"kind": "quote", "id": q["id"], "start": q["start"], "end": q["end"],
                      "label": q.get("speaker_text") or "", "ref": q.get("speaker_actor_id")})
    for e in rows(store, 'SELECT id, start, "end", type, trigger_start, trigger_end FROM events '
                  "WHERE doc_id=?", (doc_id,)):
        spans.append({"kind": "event", "id": e["id"], "start": e["start"], "end": e["end"],
                      "label": e.get("type") or "", "ref": None})
    for p in rows(store, 'SELECT id, start, "end", name, country FROM places WHERE doc_id=?',
                  (doc_id,)):
        spans.append({"kind": "place", "id": p["id"], "start": p["start"], "end": p["end"],
                      "label": ", ".join(x for x in (p.get("name"), p.get("country")) if x),
                      "ref": None})
    for t in rows(store, 'SELECT id, start, "end", value_start, precision FROM timexes '
                  "WHERE doc_id=?", (doc_id,)):
        spans.append({"kind": "date", "id": t["id"], "start": t["start"], "end": t["end"],
                      "label": t.get("value_start") or "", "ref": None})
    return sorted(spans, key=lambda s: (s["start"], -s["end"]))


# --- sentences ----------------------------------------------------------------------------


MAX_QUOTE_SENTENCES = 4


def _closing_marks_to_the_left(text: str, lo: int, hi: int) -> tuple[int, int]:
    """A closing quotation mark the parser put at the start of the next sentence
    (``reasons.” The Kremlin``) belongs to the end of this one."""
    if quote_balance(text[lo:hi]) > 0:
        while hi < len(text) and text[hi] in '”"':
            hi += 1
    if quote_balance(text[lo:hi]) < 0 and text[lo:lo + 1] in ('”', '"'):
        lo += 1
        while lo < hi and text[lo].isspace():
            lo += 1
    return lo, hi


class Sentences:
    """Finds the stored sentence holding a span (the exact source a statement comes from)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._texts: dict[str, str] = {}

    def text_of(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            found = rows(self.store, "SELECT clean_text FROM documents WHERE id=?", (doc_id,))
            self._texts[doc_id] = found[0]["clean_text"] if found else ""
        return self._texts[doc_id]

    def _close_quotes(self, doc_id: str, lo: int, hi: int) -> tuple[int, int]:
        """``lo``–``hi`` widened by whole sentences of the same paragraph until its quotation
        marks balance: the parser may split a quotation at its inner full stops, and a cited
        sentence must not open a quote it never closes (or close one it never opened)."""
        text = self.text_of(doc_id)
        lo, hi = _closing_marks_to_the_left(text, lo, hi)
        lo0, hi0 = lo, hi
        for _ in range(MAX_QUOTE_SENTENCES):
            balance = quote_balance(text[lo:hi])
            if balance > 0:  # the next sentence, within this paragraph
                nxt = rows(self.store, 'SELECT "end" FROM sentences WHERE doc_id=? AND start>=? '
                           'ORDER BY start LIMIT 1', (doc_id, hi))
                para_end = text.find("\n", hi + 1)
                wider = min(nxt[0]["end"] if nxt else hi,
                            len(text) if para_end < 0 else para_end)
            elif balance < 0:  # the previous sentence, within this paragraph
                prev = rows(self.store, 'SELECT start FROM sentences WHERE doc_id=? AND "end"<=? '
                            'ORDER BY start DESC LIMIT 1', (doc_id, lo))
                para_start = text.rfind("\n", 0, max(lo - 1, 0)) + 1
                wider = max(prev[0]["start"] if prev else lo, para_start)
            else:
                break
            if wider in (lo, hi):
                break
            lo, hi = (lo, wider) if balance > 0 else (wider, hi)
        return (lo, hi) if quote_balance(text[lo:hi]) == 0 else (lo0, hi0)

    def at(self, doc_id: str, start: int, end: int) -> dict[str, Any]:
        """``{"doc_id", "start", "end", "text", "sentence_id"}`` of the sentence holding the
        span ``start``–``end`` (or the span itself, widened to a line, when unsplit)."""
        found = rows(self.store, 'SELECT id, start, "end", text FROM sentences WHERE doc_id=? '
                     'AND start<=? AND "end">? ORDER BY start DESC LIMIT 1',
                     (doc_id, start, start))
        if found:
            s = found[0]
            last = rows(self.store, 'SELECT "end" FROM sentences WHERE doc_id=? AND start<? '
                        'AND "end">=? ORDER BY start DESC LIMIT 1', (doc_id, end, end))
            lo, hi = self._close_quotes(doc_id, s["start"],
                                        max(s["end"], last[0]["end"] if last else s["end"]))
            text = self.text_of(doc_id)[lo:hi] if (lo, hi) != (s["start"], s["end"]) else s["text"]
            return {"doc_id": doc_id, "start": lo, "end": hi, "text": text,
                    "sentence_id": s["id"]}
        text = self.text_of(doc_id)
        lo = max(text.rfind("\n", 0, start) + 1, 0)
        hi = text.find("\n", end)
        hi = len(text) if hi < 0 else hi
        return {"doc_id": doc_id, "start": lo, "end": hi, "text": text[lo:hi].strip(),
                "sentence_id": None}


# --- actors --------------------------------------------------------------------------------



def actors(store: Any, q: str | None = None) -> list[dict[str, Any]]:
    """Actors with their mention counts, most mentioned first."""
    weights = actor_weights(store)
    out = []
    for a in rows(store, "SELECT * FROM actors"):
        a["aliases"] = [str(x) for x in as_list(as_json(a.get("aliases"), a.get("aliases")))]
        a["meta"] = as_json(a.get("meta"), {}) or {}
        a["mentions"] = weights.get(a["id"], 0)
        if q and q.lower() not in " ".join([a["name"], *a["aliases"]]).lower():
            continue
        out.append(a)
    return sorted(out, key=lambda a: (-a["mentions"], a["name"]))


def actor(store: Any, actor_id: str) -> dict[str, Any] | None:
    found = [a for a in actors(store) if a["id"] == actor_id]
    if not found:
        return None
    a = found[0]
    a["roles"] = [dict(r) for r in rows(
        store, "SELECT role, COUNT(*) AS n FROM mentions WHERE actor_id=? AND role IS NOT NULL "
        "GROUP BY role ORDER BY n DESC", (actor_id,))]
    a["surface_forms"] = [r["text"] for r in rows(
        store, "SELECT text, COUNT(*) AS n FROM mentions WHERE actor_id=? GROUP BY text "
        "ORDER BY n DESC LIMIT 20", (actor_id,))]
    return a



# --- zones and places -------------------------------------------------------------------



def places(store: Any, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Resolved places grouped by gazetteer id, with how often and where they are mentioned."""
    filters = filters or Filters()
    keep = allowed_docs(store, filters)
    zone = resolve_zone(store, filters.zone) if filters.zone else None
    grouped: dict[Any, dict[str, Any]] = {}
    for p in rows(store, 'SELECT * FROM places WHERE lat IS NOT NULL ORDER BY doc_id, start'):
        if keep is not None and p["doc_id"] not in keep:
            continue
        p["zones"] = [str(z) for z in as_list(p.get("zones"))]
        if zone and not in_zone(p, zone):
            continue
        key = p.get("geonameid") or (p.get("name"), round(p["lat"], 2), round(p["lon"], 2))
        g = grouped.setdefault(key, {"name": p.get("name") or p.get("text"),
                                     "country": p.get("country"), "lat": p["lat"],
                                     "lon": p["lon"], "geonameid": p.get("geonameid"),
                                     "feature_code": p.get("feature_code"), "zones": p["zones"],
                                     "mentions": 0, "focus": False, "docs": [], "spans": []})
        g["mentions"] += 1
        g["focus"] = g["focus"] or bool(p.get("is_focus"))
        if p["doc_id"] not in g["docs"]:
            g["docs"].append(p["doc_id"])
        if len(g["spans"]) < 5:
            g["spans"].append({"id": p["id"], "doc_id": p["doc_id"], "start": p["start"],
                               "end": p["end"], "text": p.get("text")})
    return sorted(grouped.values(), key=lambda g: -g["mentions"])





# --- search -------------------------------------------------------------------------------

HL_OPEN, HL_CLOSE = "\ue000", "\ue001"


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: each word quoted, ``word*`` kept as a prefix."""
    terms = re.findall(r"[\w'’-]+\*?", text or "")
    parts = []
    for t in terms[:20]:
        star = t.endswith("*")
        word = t.rstrip("*").replace('"', '""')
        if word:
            parts.append(f'"{word}"' + ("*" if star else ""))
    return " ".join(parts)


def search(store: Any, text: str, filters: Filters | None = None, limit: int = 20,
           offset: int = 0) -> dict[str, Any]:
    """Full-text search of sentences (FTS5) with snippets; ``\\ue000``/``\\ue001`` mark hits."""
    filters = filters or Filters()
    query = fts_query(text)
    if not query:
        return {"total": 0, "results": []}
    keep = allowed_docs(store, filters)
    found = rows(store, (
        'SELECT s.id, s.doc_id, s.start, s."end", s.text, '
        f"snippet(sentences_fts, 0, '{HL_OPEN}', '{HL_CLOSE}', '…', 24) AS snippet, "
        "bm25(sentences_fts) AS rank, d.title, d.published, d.kind FROM sentences_fts "
        "JOIN sentences s ON s.rowid = sentences_fts.rowid JOIN documents d ON d.id = s.doc_id "
        "WHERE sentences_fts MATCH ? ORDER BY rank LIMIT 2000"), (query,))
    hits = []
    for h in found:
        if keep is not None and h["doc_id"] not in keep:
            continue
        if (filters.since or filters.until) and not overlaps(h["published"], None, filters.since,
                                                             filters.until):
            continue
        h["score"] = round(-h.pop("rank"), 3) if h.get("rank") is not None else None
        hits.append(h)
    return {"total": len(hits), "results": hits[offset: offset + limit]}


def summary(store: Any) -> dict[str, int]:
    """Row counts of the main tables (what the stages have filled)."""
    out = {}
    for table in ("documents", "sentences", "mentions", "actors", "quotes", "timexes", "places",
                  "zones", "events", "stories", "claims", "contradictions", "comments",
                  "narratives"):
        found = rows(store, f"SELECT COUNT(*) AS n FROM {table}")
        out[table] = found[0]["n"] if found else 0
    return out




# --- SQL-side pages (the web pages and the JSON API) ----------------------------------------

DOC_COLUMNS = ("id, version, title, outlet, kind, published, published_precision, language, "
               "source, original_outlet, carrier, syndicated_from, authors, "
               "length(clean_text) AS chars")
DOC_KEY = "ifnull(published, '')"


def _doc_where(filters: Filters) -> tuple[list[str], list[Any]]:
    return document_clauses(filters, "id", "published")


def documents_page(store: Any, filters: Filters | None = None, pg: PageArgs | None = None
                   ) -> dict[str, Any]:
    """One page of :func:`documents` (newest first), filtered and paged in SQL; keyset
    cursor on (published, id)."""
    filters = filters or Filters()
    pg = pg or PageArgs()
    where, params = _doc_where(filters)
    total = int(store.scalar("SELECT COUNT(*) FROM documents" +
                             (" WHERE " + " AND ".join(where) if where else ""), params))
    if pg.cursor:
        published, last_id = decode_cursor("documents", pg.cursor, (str, str))
        where.append(f"({DOC_KEY} < ? OR ({DOC_KEY} = ? AND id > ?))")
        params += [published, published, last_id]
    found = rows(store, f"SELECT {DOC_COLUMNS} FROM documents" +
                 (" WHERE " + " AND ".join(where) if where else "") +
                 f" ORDER BY {DOC_KEY} DESC, id LIMIT ? OFFSET ?",
                 [*params, pg.limit + 1, pg.offset])
    more = len(found) > pg.limit
    items = found[:pg.limit]
    for d in items:
        d["authors"] = [str(a) for a in as_list(as_json(d.get("authors"), d.get("authors")))]
        d["kind_label"] = KIND_LABELS.get(d.get("kind") or "other", d.get("kind"))
    nxt = encode_cursor("documents", [items[-1]["published"] or "", items[-1]["id"]]) \
        if more and items else None
    return page_result(items, pg, total, nxt)


def actors_page(store: Any, q: str | None = None, pg: PageArgs | None = None
                ) -> dict[str, Any]:
    """One page of :func:`actors` (most mentioned first), counted and paged in SQL."""
    pg = pg or PageArgs()
    where, params = "", []
    if q:
        where = " WHERE instr(lower(a.name || ' ' || ifnull(a.aliases, '')), ?) > 0"
        params = [q.lower()]
    counts = ("LEFT JOIN (SELECT actor_id, COUNT(*) AS mentions FROM mentions "
              "WHERE actor_id IS NOT NULL GROUP BY actor_id) m ON m.actor_id = a.id")

    def fetch(limit: int, offset: int) -> list[dict[str, Any]]:
        found = rows(store, f"SELECT a.*, ifnull(m.mentions, 0) AS mentions FROM actors a "
                     f"{counts}{where} ORDER BY ifnull(m.mentions, 0) DESC, a.name, a.id "
                     "LIMIT ? OFFSET ?", [*params, limit, offset])
        for a in found:
            a["aliases"] = [str(x) for x in as_list(as_json(a.get("aliases"), a.get("aliases")))]
            a["meta"] = as_json(a.get("meta"), {}) or {}
        return found

    return offset_page("actors", pg, fetch,
                       lambda: int(store.scalar(f"SELECT COUNT(*) FROM actors a{where}", params)))


def places_page(store: Any, filters: Filters | None = None, pg: PageArgs | None = None
                ) -> dict[str, Any]:
    """One page of :func:`places`."""
    return list_page("places", places(store, filters), pg or PageArgs())
