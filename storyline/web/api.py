"""The JSON API under ``/api/v1``: everything the pages show, with the same filters,
pagination (``limit``/``offset`` → ``{"total", "limit", "offset", "items"}``) and stable ids."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..errors import NotFound
from ..report import content, queries as Q
from ..report.sources import SourceIndex, provenance_graph, sources_table
from ..store.db import Store
from .app import state
from .params import filters, page, paginate

router = APIRouter(prefix="/api/v1", tags=["storyline"])


def store_dep(request: Request):
    yield from state(request).store()


StoreDep = Annotated[Store, Depends(store_dep)]
FiltersDep = Annotated[Q.Filters, Depends(filters)]
PageDep = Annotated[tuple[int, int], Depends(page)]


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


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
    return paginate(Q.stories(store), *pg)


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
    return paginate(Q.documents(store, f), *pg)


@router.get("/documents/{doc_id}", summary="One document with its clean text")
def get_document(doc_id: str, store: StoreDep) -> dict[str, Any]:
    return _found(Q.document(store, doc_id), "document", doc_id)


@router.get("/documents/{doc_id}/annotations", response_model=Page,
            summary="Spans found in a document: entities, quotes, events, places, dates")
def get_annotations(doc_id: str, store: StoreDep, pg: PageDep) -> dict[str, Any]:
    _found(Q.document(store, doc_id), "document", doc_id)
    return paginate(Q.annotations(store, doc_id), *pg)


@router.get("/threads/{doc_id}/comments", response_model=Page,
            summary="Comments of a thread with sentiment, stance and narrative")
def get_comments(doc_id: str, store: StoreDep, pg: PageDep) -> dict[str, Any]:
    _found(Q.document(store, doc_id), "document", doc_id)
    return paginate(Q.comments(store, doc_id), *pg)


# --- events ---------------------------------------------------------------------------------


@router.get("/events", response_model=Page, summary="Events (PLOVER) with filters")
def list_events(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.events(store, f), *pg)


EVENT_COLUMNS = ("id", "date_start", "date_end", "date_precision", "type", "mode", "modality",
                 "source", "target", "source_countries", "target_countries", "place_name",
                 "lat", "lon", "zones", "score", "corroboration", "n_independent", "doc_id",
                 "start", "end", "citation", "sentence")


@router.get("/events.csv", summary="Events with filters, as CSV",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def events_csv(store: StoreDep, f: FiltersDep) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EVENT_COLUMNS)
    for e in Q.events(store, f):
        row = {**e, "source": "; ".join(p["name"] for p in e["sources"]),
               "target": "; ".join(p["name"] for p in e["targets"]),
               "source_countries": "; ".join(e["source_countries"]),
               "target_countries": "; ".join(e["target_countries"]),
               "zones": "; ".join(e["zones"]), "citation": e["cite"]["text"]}
        writer.writerow([_csv_cell(row.get(c)) for c in EVENT_COLUMNS])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
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
def get_timeline(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    index = SourceIndex(store)
    refs = content.Refs(Q.Sentences(store), index)
    evts = [e for e in Q.events(store, f, Q.EventContext(store, index)) if not e["from_comment"]]
    return paginate(content.timeline(evts, refs, limit=100_000), *pg)


@router.get("/network", summary="Who acts on whom: actors and directed edges")
def get_network(store: StoreDep, f: FiltersDep) -> dict[str, Any]:
    return Q.network([e for e in Q.events(store, f) if not e["from_comment"]])


@router.get("/dyads", summary="Cooperation–conflict score over time for the main pairs")
def get_dyads(store: StoreDep, f: FiltersDep,
              pairs: Annotated[int, Query(ge=1, le=20)] = 4) -> dict[str, Any]:
    return Q.dyad_trend([e for e in Q.events(store, f) if not e["from_comment"]], pairs)


# --- actors, quotes, places -----------------------------------------------------------------


@router.get("/actors", response_model=Page, summary="Actors, most mentioned first")
def list_actors(store: StoreDep, pg: PageDep,
                q: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    return paginate(Q.actors(store, q), *pg)


@router.get("/actors/{actor_id}", summary="One actor: aliases, roles, surface forms")
def get_actor(actor_id: str, store: StoreDep) -> dict[str, Any]:
    return _found(Q.actor(store, actor_id), "actor", actor_id)


@router.get("/quotes", response_model=Page, summary="Quotations (comments excluded unless asked)")
def list_quotes(store: StoreDep, f: FiltersDep, pg: PageDep,
                comments: bool = False) -> dict[str, Any]:
    return paginate(Q.quotes(store, f, include_comments=comments), *pg)


@router.get("/places", response_model=Page, summary="Resolved places with mention counts")
def list_places(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.places(store, f), *pg)


@router.get("/zones", response_model=Page, summary="User zones with their outlines")
def list_zones(request: Request, store: StoreDep, pg: PageDep) -> dict[str, Any]:
    radius = state(request).settings.geo.default_radius_km
    zones = [{k: v for k, v in z.items() if k != "_parsed"} for z in Q.zones(store, radius)]
    return paginate(zones, *pg)


# --- sources and fusion ---------------------------------------------------------------------


@router.get("/sources", response_model=Page,
            summary="Outlets: kind, original or derivative, what they cited, documents")
def list_sources(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    docs = [d["id"] for d in Q.documents(store, f)]
    return paginate(sources_table(SourceIndex(store), docs), *pg)


@router.get("/provenance", summary="Provenance graph: reposts, rewrites, citations, copies")
def get_provenance(store: StoreDep, f: FiltersDep) -> dict[str, Any]:
    docs = [d["id"] for d in Q.documents(store, f)]
    return provenance_graph(SourceIndex(store), docs)


@router.get("/claims", response_model=Page, summary="Claims with their sources")
def list_claims(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.claims(store, f), *pg)


@router.get("/contradictions", response_model=Page, summary="Disputes between sources")
def list_contradictions(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.contradictions(store, f), *pg)


@router.get("/narratives", response_model=Page, summary="Narratives of comment threads")
def list_narratives(store: StoreDep, f: FiltersDep, pg: PageDep) -> dict[str, Any]:
    return paginate(Q.narratives(store, f), *pg)


# --- search ---------------------------------------------------------------------------------


@router.get("/search", response_model=Page,
            summary="Full-text (FTS5) or semantic (wordllama) search of sentences and quotes")
def search(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep,
           q: Annotated[str, Query(max_length=500, description="Words to find.")] = "",
           mode: Annotated[str, Query(pattern="^(text|semantic)$")] = "text") -> dict[str, Any]:
    limit, offset = pg
    if mode == "semantic":
        found = state(request).semantic.search(store, q, f, limit, offset)
    else:
        found = Q.search(store, q, f, limit, offset)
        for hit in found["results"]:
            hit["snippet"] = (hit["snippet"] or "").replace(Q.HL_OPEN, "[").replace(
                Q.HL_CLOSE, "]")
    return {"total": found["total"], "limit": limit, "offset": offset,
            "items": found["results"]}


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
