"""The JSON API under ``/api/v1``: everything the pages show, with the same filters,
pagination and stable ids.

Every list answers ``{"total", "limit", "offset", "items", "next"}``: ``limit`` items
(default 50, at most 500; more is refused with a 422) after ``offset`` items or after
``cursor`` — the ``next`` of the previous page, ``null`` on the last one.  The big lists
(events, documents, quotes, timeline, map points) filter, order and page in SQL with keyset
cursors; ``total`` is ``null`` when counting would mean checking every event in Python (an
actor, zone or corroboration filter on a large store).  A cursor this server did not hand
out is a 400."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from ..errors import NotFound
from ..report import content, queries as Q
from ..report.sources import SourceIndex, provenance_graph, sources_table
from ..store.db import Store
from .app import state
from ..report.paging import PageArgs, encode_cursor, offset_of
from . import cached
from .params import filters, page, paginate

router = APIRouter(prefix="/api/v1", tags=["storyline"])


def store_dep(request: Request):
    yield from state(request).store()


StoreDep = Annotated[Store, Depends(store_dep)]
FiltersDep = Annotated[Q.Filters, Depends(filters)]
PageDep = Annotated[PageArgs, Depends(page)]


class Page(BaseModel):
    total: int | None = Field(description="Items matching the filters (null: not counted).")
    limit: int
    offset: int
    items: list[dict[str, Any]]
    next: str | None = Field(None, description="Cursor of the next page (null: last page).")


class Job(BaseModel):
    id: str
    status: str
    stage: str
    done: int
    total: int | None
    messages: list[str]
    summary: dict[str, int] | None
    added: list[str]
    error: str | None
    created: str
    finished: str | None
    items: list[str]


class IngestRequest(BaseModel):
    urls: list[Annotated[str, Field(max_length=2000, pattern=r"^https?://\S+$")]] = Field(
        default_factory=list, max_length=200, description="http(s) URLs or feeds to read.")


def _found(item: Any, what: str, ident: str) -> Any:
    if item is None:
        raise NotFound(f"no {what} {ident!r}")
    return item


# --- overview -------------------------------------------------------------------------------


@router.get("/summary", summary="Row counts of what the stages found")
def summary(store: StoreDep) -> dict[str, int]:
    return Q.summary(store)


@router.get("/stories", response_model=Page, summary="Stories, biggest first")
def list_stories(store: StoreDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.stories(store), pg, "stories")


@router.get("/stories/{story_id}", summary="One story with its documents")
def get_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    return _found(Q.story(store, story_id), "story", story_id)


@router.get("/brief", summary="The briefing as data (same content as brief.json)")
def get_brief(request: Request, store: StoreDep, f: FiltersDep,
              title: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    if f.story:
        _found(Q.story(store, f.story), "story", f.story)
    return content.build(store, state(request).settings, f, title)


# --- documents ------------------------------------------------------------------------------


@router.get("/documents", response_model=Page, summary="Documents (without text)")
def list_documents(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return Q.documents_page(store, f, pg)


@router.get("/documents/{doc_id}", summary="One document with its clean text")
def get_document(doc_id: str, store: StoreDep) -> dict[str, Any]:
    return _found(Q.document(store, doc_id), "document", doc_id)


@router.get("/documents/{doc_id}/annotations", response_model=Page,
            summary="Spans found in a document: entities, quotes, events, places, dates")
def get_annotations(doc_id: str, store: StoreDep, pg: PageDep) -> dict[str, Any]:
    _found(Q.document(store, doc_id), "document", doc_id)
    return paginate(Q.annotations(store, doc_id), pg, "annotations")


@router.get("/threads/{doc_id}/comments", response_model=Page,
            summary="Comments of a thread with sentiment, stance and narrative")
def get_comments(doc_id: str, store: StoreDep, pg: PageDep) -> dict[str, Any]:
    _found(Q.document(store, doc_id), "document", doc_id)
    return paginate(Q.comments(store, doc_id), pg, "comments")


# --- events ---------------------------------------------------------------------------------


@router.get("/events", response_model=Page, summary="Events (PLOVER) with filters")
def list_events(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return cached.event_page(request, store, f, pg)


EVENT_COLUMNS = ("id", "date_start", "date_end", "date_precision", "type", "mode", "modality",
                 "source", "target", "source_countries", "target_countries", "place_name",
                 "lat", "lon", "zones", "score", "corroboration", "n_independent", "doc_id",
                 "start", "end", "citation", "sentence")


@router.get("/events.csv", summary="Events with filters, as CSV",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def events_csv(store: StoreDep, f: FiltersDep) -> Response:
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EVENT_COLUMNS)
        for n, e in enumerate(Q.iter_events(store, f)):
            row = {**e, "source": "; ".join(p["name"] for p in e["sources"]),
                   "target": "; ".join(p["name"] for p in e["targets"]),
                   "source_countries": "; ".join(e["source_countries"]),
                   "target_countries": "; ".join(e["target_countries"]),
                   "zones": "; ".join(e["zones"]), "citation": e["cite"]["text"]}
            writer.writerow([_csv_cell(row.get(c)) for c in EVENT_COLUMNS])
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                             headers={"content-disposition": 'attachment; filename="events.csv"'})


def _csv_cell(value: Any) -> Any:
    """Cells starting with = + - @ are quoted so spreadsheets do not run them as formulas."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


@router.get("/events/{event_id}", summary="One event")
def get_event(event_id: str, store: StoreDep) -> dict[str, Any]:
    return _found(Q.event(store, event_id), "event", event_id)


@router.get("/timeline", response_model=Page, summary="Dated events, one per cluster")
def get_timeline(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    index = Q.ScopedSourceIndex(store)
    refs = content.Refs(Q.Sentences(store), index)
    found = cached.event_page(request, store, f, pg, facts_only=True, dated_only=True,
                              one_per_cluster=True,
                         ctx=Q.EventContext(store, index, scoped=True))
    found["items"] = content.timeline(found["items"], refs, limit=100_000)
    return found


@router.get("/network", summary="Who acts on whom: actors and directed edges")
def get_network(request: Request, store: StoreDep, f: FiltersDep) -> dict[str, Any]:
    return cached.network(request, store, f)


@router.get("/dyads", summary="Cooperation–conflict score over time for the main pairs")
def get_dyads(request: Request, store: StoreDep, f: FiltersDep,
              pairs: Annotated[int, Query(ge=1, le=20)] = 4) -> dict[str, Any]:
    return cached.dyads(request, store, f, pairs)


@router.get("/trend", summary="Dated events per day, week, month or year: count and mean score")
def get_trend(request: Request, store: StoreDep, f: FiltersDep,
              period: Annotated[str, Query(pattern="^(day|week|month|year)$")] = "day"
              ) -> dict[str, Any]:
    return cached.trend(request, store, f, period)


@router.get("/map", response_model=Page,
            summary="Located events grouped by point, busiest first: count, score, examples")
def get_map(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return cached.map_points(request, store, f, pg)


# --- actors, quotes, places -----------------------------------------------------------------


@router.get("/actors", response_model=Page, summary="Actors, most mentioned first")
def list_actors(store: StoreDep, pg: PageDep,
                q: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    return Q.actors_page(store, q, pg)


@router.get("/actors/{actor_id}", summary="One actor: aliases, roles, surface forms")
def get_actor(actor_id: str, store: StoreDep) -> dict[str, Any]:
    return _found(Q.actor(store, actor_id), "actor", actor_id)


@router.get("/quotes", response_model=Page, summary="Quotations (comments excluded unless asked)")
def list_quotes(store: StoreDep, f: FiltersDep, pg: PageDep,
                comments: bool = False) -> dict[str, Any]:
    return Q.quotes_page(store, f, pg, include_comments=comments)


@router.get("/places", response_model=Page, summary="Resolved places with mention counts")
def list_places(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return Q.places_page(store, f, pg)


@router.get("/zones", response_model=Page, summary="User zones with their outlines")
def list_zones(request: Request, store: StoreDep, pg: PageDep) -> dict[str, Any]:
    radius = state(request).settings.geo.default_radius_km
    zones = [{k: v for k, v in z.items() if k != "_parsed"} for z in Q.zones(store, radius)]
    return paginate(zones, pg, "zones")


# --- sources and fusion ---------------------------------------------------------------------


@router.get("/sources", response_model=Page,
            summary="Outlets: kind, original or derivative, what they cited, documents")
def list_sources(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    docs = [d["id"] for d in Q.documents(store, f)]
    return paginate(sources_table(SourceIndex(store), docs), pg, "sources")


@router.get("/provenance", summary="Provenance graph: reposts, rewrites, citations, copies")
def get_provenance(store: StoreDep, f: FiltersDep) -> dict[str, Any]:
    docs = [d["id"] for d in Q.documents(store, f)]
    return provenance_graph(SourceIndex(store), docs)


@router.get("/claims", response_model=Page, summary="Claims with their sources")
def list_claims(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.claims(store, f), pg, "claims")


@router.get("/contradictions", response_model=Page, summary="Disputes between sources")
def list_contradictions(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.contradictions(store, f), pg, "contradictions")


@router.get("/narratives", response_model=Page, summary="Narratives of comment threads")
def list_narratives(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.narratives(store, f), pg, "narratives")


# --- search ---------------------------------------------------------------------------------


@router.get("/search", response_model=Page,
            summary="Full-text (FTS5) or semantic (wordllama) search of sentences and quotes")
def search(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep,
           q: Annotated[str, Query(max_length=500, description="Words to find.")] = "",
           mode: Annotated[str, Query(pattern="^(text|semantic)$")] = "text") -> dict[str, Any]:
    limit, offset = pg.limit, offset_of("search", pg)
    if mode == "semantic":
        found = state(request).semantic.search(store, q, f, limit, offset)
    else:
        found = Q.search(store, q, f, limit, offset)
        for hit in found["results"]:
            hit["snippet"] = (hit["snippet"] or "").replace(Q.HL_OPEN, "[").replace(
                Q.HL_CLOSE, "]")
    more = offset + limit < found["total"]
    return {"total": found["total"], "limit": limit, "offset": pg.offset,
            "items": found["results"],
            "next": encode_cursor("search", [offset + limit]) if more else None}


# --- ingest ---------------------------------------------------------------------------------


@router.post("/ingest", response_model=Job, status_code=202,
             summary="Read URLs in the background (needs Authorization: Bearer <token>)")
def ingest_urls(request: Request, body: IngestRequest) -> dict[str, Any]:
    sl = state(request)
    sl.guard.check_api(request)
    if not body.urls:
        raise HTTPException(status_code=422, detail="nothing to ingest: give at least one URL")
    return sl.jobs.submit([], body.urls).public()


@router.post("/ingest/files", response_model=Job, status_code=202,
             summary="Read uploaded files in the background (needs the token)")
async def ingest_files(request: Request, files: list[UploadFile] = File(...)) -> dict[str, Any]:
    sl = state(request)
    sl.guard.check_api(request)
    data = [(f.filename or "upload.txt", await f.read()) for f in files[:1000]]
    return sl.jobs.submit(data, []).public()


@router.get("/jobs/{job_id}", response_model=Job, summary="Progress of an ingest job")
def get_job(request: Request, job_id: str) -> dict[str, Any]:
    return _found(state(request).jobs.get(job_id), "job", job_id).public()
