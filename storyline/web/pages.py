"""The HTML pages: stories, live briefing, documents, events, actors, map, timeline,
sources, comment threads, search, ingest and sign-in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from ..errors import NotFound
from ..report import assets, charts, content, queries as Q
from ..report.render import render_body
from ..report.sources import SourceIndex, provenance_graph, sources_table
from ..report.statements import one_block
from ..report.util import safe_url
from ..store.db import Store
from .app import STATIC, state
from . import cached
from .params import filters, page
from .security import SESSION_COOKIE
from .views import actor_link, doc_link, highlight, ref_link, render

router = APIRouter(include_in_schema=False)


def store_dep(request: Request):
    yield from state(request).store()


StoreDep = Annotated[Store, Depends(store_dep)]
FiltersDep = Annotated[Q.Filters, Depends(filters)]
PageDep = Annotated[Q.PageArgs, Depends(page)]


def _found(item: Any, what: str, ident: str) -> Any:
    if item is None:
        raise NotFound(f"no {what} {ident!r}")
    return item


def _pager(found: dict[str, Any], pg: Q.PageArgs) -> dict[str, Any]:
    """What ``_pager.html.j2`` shows: position, total (if counted), previous/next links."""
    return {"total": found["total"], "limit": pg.limit, "offset": pg.offset,
            "cursor": pg.cursor, "next_cursor": found["next"], "shown": len(found["items"])}


def _choices(store: Store) -> dict[str, Any]:
    """Values offered by the filter forms."""
    return {"event_types": Q.event_types(store),
            "zones": [{"id": z["id"], "name": z["name"]} for z in Q.zones(store)],
            "stories": [{"id": s["id"], "label": s["label"]} for s in Q.stories(store)],
            "modalities": ["happened", "future", "proposed", "cancelled", "denied"],
            "corroborations": list(Q.CORROBORATION)}


# --- stories and the live briefing ------------------------------------------------------------


@router.get("/")
def home(request: Request, store: StoreDep) -> Response:
    return render(request, "stories.html.j2", stories=Q.stories(store),
                  counts=Q.summary(store),
                  documents=Q.documents_page(store, Q.Filters(), Q.PageArgs(limit=20))["items"])


def _brief_page(request: Request, store: Store, f: Q.Filters, story: dict[str, Any] | None
                ) -> Response:
    sl = state(request)
    brief = content.build(store, sl.settings, f)
    body = render_body(brief, sl.env, ref_link, actor_link=actor_link, doc_link=doc_link)
    return render(request, "brief.html.j2", body=Markup(body), brief=brief, story=story,
                  params=f.as_dict(), choices=_choices(store), charts=True, geo=True)


@router.get("/brief")
def brief_page(request: Request, store: StoreDep, f: FiltersDep) -> Response:
    story = _found(Q.story(store, f.story), "story", f.story) if f.story else None
    return _brief_page(request, store, f, story)


@router.get("/stories/{story_id}")
def story_page(story_id: str, request: Request, store: StoreDep, f: FiltersDep) -> Response:
    story = _found(Q.story(store, story_id), "story", story_id)
    f.story = story_id
    return _brief_page(request, store, f, story)


# --- documents and threads --------------------------------------------------------------------


@router.get("/documents")
def documents_page(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep) -> Response:
    found = Q.documents_page(store, f, pg)
    return render(request, "documents.html.j2", documents=found["items"],
                  params=f.as_dict(), choices=_choices(store), **_pager(found, pg))


@router.get("/documents/{doc_id}")
def document_page(doc_id: str, request: Request, store: StoreDep,
                  hl: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$")] = None
                  ) -> Response:
    doc = _found(Q.document(store, doc_id), "document", doc_id)
    spans = Q.annotations(store, doc_id)
    target = tuple(int(x) for x in hl.split("-")) if hl else None
    comments = Q.comments(store, doc_id) if doc.get("kind") == "comment_thread" else []
    index = SourceIndex(store)
    text = highlight(doc["clean_text"] or "", spans, target, comments)
    counts: dict[str, int] = {}
    for s in spans:
        counts[s["kind"]] = counts.get(s["kind"], 0) + 1
    return render(request, "document.html.j2", doc=doc, text=text, counts=counts,
                  origin=index.origin(doc_id), url=safe_url(doc.get("source")),
                  provenance=index.provenance.get(doc_id, []),
                  citations=index.citations.get(doc_id, []), has_target=bool(target),
                  is_thread=bool(comments))


@router.get("/threads/{doc_id}")
def thread_page(doc_id: str, request: Request, store: StoreDep,
                narrative: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    doc = _found(Q.document(store, doc_id), "document", doc_id)
    narratives = Q.narratives(store, Q.Filters(doc=doc_id))
    comments = Q.comments(store, doc_id)
    labels = {n["id"]: n["label"] for n in narratives}
    shown = [c for c in comments if not narrative or c.get("narrative_id") == narrative]
    return render(request, "thread.html.j2", doc=doc, narratives=narratives, comments=shown,
                  total=len(comments), labels=labels, narrative=narrative,
                  summary=Q.reaction_summary(store, doc_id))


# --- events, timeline, map --------------------------------------------------------------------


@router.get("/events")
def events_page(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep) -> Response:
    found = cached.event_page(request, store, f, pg)
    sentences = Q.Sentences(store)

    def ref_of(e: dict[str, Any]) -> str:
        """The event's whole source sentence, highlighted in its document."""
        found = sentences.at(e["doc_id"], e["start"], e["end"])
        found = one_block(found, e["start"], e["end"])
        return doc_link(e["doc_id"], found["start"], found["end"])

    return render(request, "events.html.j2", events=found["items"], params=f.as_dict(),
                  choices=_choices(store), ref_of=ref_of, **_pager(found, pg))


@router.get("/timeline")
def timeline_page(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep) -> Response:
    index = Q.ScopedSourceIndex(store)
    refs = content.Refs(Q.Sentences(store), index)
    found = cached.event_page(request, store, f, pg, facts_only=True, dated_only=True,
                              one_per_cluster=True,
                         ctx=Q.EventContext(store, index, scoped=True))
    items = content.timeline(found["items"], refs, limit=Q.MAX_LIMIT)
    fig = charts.timeline_figure(items, ref_link)
    return render(request, "timeline.html.j2", items=items, figs={"timeline": fig} if fig else {},
                  params=f.as_dict(), choices=_choices(store), charts=True,
                  **_pager(found, pg))


@router.get("/map")
def map_page(request: Request, store: StoreDep, f: FiltersDep) -> Response:
    sl = state(request)
    points = cached.map_points(request, store, f, Q.PageArgs(limit=200))
    radius = sl.settings.geo.default_radius_km
    data = {"events": points["items"],
            "places": [p for p in Q.places(store, f) if p["docs"]][:40],
            "zones": [{k: v for k, v in z.items() if k != "_parsed"}
                      for z in Q.zones(store, radius)]}
    for p in data["events"]:
        for e in p["events"]:
            e["ref"] = None
    if f.zone:
        wanted = f.zone.lower()
        data["zones"] = [z for z in data["zones"]
                         if wanted in (z["id"].lower(), (z["name"] or "").lower())]
    fig = charts.map_figure(data, ref_link)
    return render(request, "map.html.j2", data=data, figs={"map": fig} if fig else {},
                  n_points=points["total"], params=f.as_dict(), choices=_choices(store),
                  charts=True, geo=True)


# --- actors ----------------------------------------------------------------------------------


@router.get("/actors")
def actors_page(request: Request, store: StoreDep, pg: PageDep,
                q: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    found = Q.actors_page(store, q, pg)
    return render(request, "actors.html.j2", actors=found["items"], q=q or "", params={"q": q},
                  **_pager(found, pg))


@router.get("/actors/{actor_id}")
def actor_page(actor_id: str, request: Request, store: StoreDep) -> Response:
    actor = _found(Q.actor(store, actor_id), "actor", actor_id)
    f = Q.Filters(actor=actor_id)
    evts = Q.event_page(store, f, Q.PageArgs(limit=200), count=False)["items"]
    figs = {k: v for k, v in {"dyads": charts.dyad_figure(cached.dyads(request, store, f)),
                              "network": charts.network_figure(cached.network(request, store, f))
                              }.items() if v}
    return render(request, "actor.html.j2", actor=actor, events=evts,
                  quotes=Q.quotes_page(store, f, Q.PageArgs(limit=100))["items"], figs=figs,
                  charts=True)


# --- sources ---------------------------------------------------------------------------------


@router.get("/sources")
def sources_page(request: Request, store: StoreDep, f: FiltersDep) -> Response:
    index = SourceIndex(store)
    docs = [d["id"] for d in Q.documents(store, f)]
    graph = provenance_graph(index, docs)
    fig = charts.provenance_figure(graph)
    return render(request, "sources.html.j2", rows=sources_table(index, docs), graph=graph,
                  figs={"provenance": fig} if fig else {}, params=f.as_dict(),
                  choices=_choices(store), charts=True)


# --- search ----------------------------------------------------------------------------------


@router.get("/search")
def search_page(request: Request, store: StoreDep, f: FiltersDep, pg: PageDep,
                q: Annotated[str, Query(max_length=500)] = "",
                mode: Annotated[str, Query(pattern="^(text|semantic)$")] = "text") -> Response:
    limit, offset = pg.limit, Q.offset_of("search", pg)
    found: dict[str, Any] = {"total": 0, "results": []}
    if q.strip():
        if mode == "semantic":
            found = state(request).semantic.search(store, q, f, limit, offset)
        else:
            found = Q.search(store, q, f, limit, offset)
    return render(request, "search.html.j2", q=q, mode=mode, found=found, limit=limit,
                  offset=offset, params={**f.as_dict(), "q": q, "mode": mode},
                  choices=_choices(store), hl_open=Q.HL_OPEN, hl_close=Q.HL_CLOSE)


# --- ingest and sign-in ----------------------------------------------------------------------


@router.get("/ingest")
def ingest_page(request: Request) -> Response:
    return render(request, "ingest.html.j2", max_bytes=state(request).settings.web.max_upload_bytes)


@router.post("/ingest")
async def ingest_submit(request: Request) -> Response:
    sl = state(request)
    form = await request.form(max_files=1000, max_fields=50)
    sl.guard.check_form(request, form)
    files = []
    for upload in form.getlist("files"):
        if hasattr(upload, "read") and getattr(upload, "filename", None):
            data = await upload.read()
            if data:
                files.append((upload.filename, data))
    urls = []
    for line in str(form.get("urls") or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if not safe_url(line):
            return render(request, "ingest.html.j2", status=422,
                          error=f"not an http(s) address: {line[:200]}",
                          max_bytes=sl.settings.web.max_upload_bytes)
        urls.append(line)
    if not files and not urls:
        return render(request, "ingest.html.j2", status=422,
                      error="choose files or give at least one address",
                      max_bytes=sl.settings.web.max_upload_bytes)
    job = sl.jobs.submit(files, urls[:200])
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(job_id: str, request: Request) -> Response:
    job = _found(state(request).jobs.get(job_id), "job", job_id)
    return render(request, "job.html.j2", job=job.public())


@router.get("/login")
def login_page(request: Request,
               token: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    if token is not None:
        return _sign_in(request, token)
    return render(request, "login.html.j2")


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    return _sign_in(request, str(form.get("token") or ""))


def _sign_in(request: Request, token: str) -> Response:
    guard = state(request).guard
    if not guard.token_ok(token):
        return render(request, "login.html.j2", status=403, error="wrong token")
    response = RedirectResponse("/ingest", status_code=303)
    response.set_cookie(SESSION_COOKIE, guard.session_value(), httponly=True, samesite="strict",
                        path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    state(request).guard.check_form(request, form)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- static assets ---------------------------------------------------------------------------

_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".svg": "image/svg+xml"}


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    return Response(assets.plotly_js(), media_type=_STATIC_TYPES[".js"],
                    headers={"cache-control": "public, max-age=86400"})


@router.get("/static/geo-assets.js")
def geo_js() -> Response:
    return Response(assets.geo_assets_js(), media_type=_STATIC_TYPES[".js"],
                    headers={"cache-control": "public, max-age=86400"})


@router.get("/static/brief.css")
def brief_css() -> Response:
    return Response(assets.css(), media_type=_STATIC_TYPES[".css"])


@router.get("/static/charts.js")
def charts_js() -> Response:
    return Response(assets.charts_js(), media_type=_STATIC_TYPES[".js"])


@router.get("/static/{name}")
def static_file(name: Annotated[str, Path(pattern=r"^[\w.-]+$", max_length=100)]) -> Response:
    path = STATIC / name
    kind = _STATIC_TYPES.get(path.suffix)
    if not kind or not path.is_file() or path.resolve().parent != STATIC.resolve():
        raise NotFound(f"no static file {name!r}")
    return Response(path.read_text("utf-8"), media_type=kind)
