"""Rendering helpers of the pages: the template environment, links, highlighted text."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from ..report.render import environment
from ..report.util import safe_url

TEMPLATES = Path(str(resources.files("storyline.web") / "templates"))
NAV = (("/", "Stories"), ("/brief", "Briefing"), ("/documents", "Documents"),
       ("/events", "Events"), ("/actors", "Actors"), ("/map", "Map"),
       ("/timeline", "Timeline"), ("/sources", "Sources"), ("/search", "Search"),
       ("/ingest", "Ingest"))


def make_env() -> jinja2.Environment:
    env = environment([jinja2.FileSystemLoader(str(TEMPLATES))])
    env.globals.update(nav=NAV, doc_link=doc_link, actor_link=actor_link, ref_link=ref_link,
                       safe_url=safe_url, qs=qs)
    return env


def doc_link(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    base = f"/documents/{doc_id}"
    if start is None or end is None:
        return base
    return f"{base}?hl={int(start)}-{int(end)}#hl"


def ref_link(ref: dict[str, Any] | None) -> str:
    """Where a source reference opens: its document with the sentence highlighted."""
    if not ref or not ref.get("doc_id"):
        return ""
    return doc_link(ref["doc_id"], ref.get("start"), ref.get("end"))


def actor_link(actor_id: str) -> str:
    return f"/actors/{actor_id}"


def qs(params: dict[str, Any], **changes: Any) -> str:
    """A query string from ``params`` with ``changes`` applied (empty values dropped)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    sl = request.app.state.sl
    page = sl.env.get_template(template).render(
        request_path=request.url.path, signed_in=sl.guard.signed_in(request),
        csrf=sl.guard.csrf_token(request), **context)
    return HTMLResponse(page, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    try:
        return render(request, "error.html.j2", status=status, status_code=status,
                      message=message)
    except Exception:  # the error page itself must never fail
        return HTMLResponse(f"<!doctype html><title>Error</title><p>{escape(message)}</p>",
                            status_code=status)


KIND_CLASS = {"entity": "ann-entity", "quote": "ann-quote", "event": "ann-event",
              "place": "ann-place", "date": "ann-date", "target": "ann-target"}


def highlight(text: str, spans: list[dict[str, Any]], target: tuple[int, int] | None,
              comments: list[dict[str, Any]] = ()) -> Markup:
    """The clean text as HTML: every span's characters wrapped in classes of their kinds
    (overlaps become several classes on flat segments), the target sentence wrapped whole
    in ``<mark id="hl">``, comment starts as anchors.  All text is escaped."""
    n = len(text)
    marks: list[tuple[int, int, str, str]] = []
    for s in spans:
        start, end = max(0, int(s["start"])), min(n, int(s["end"]))
        if start < end:
            title = f"{s['kind']}: {s.get('label') or ''}".strip(": ")
            marks.append((start, end, KIND_CLASS.get(s["kind"], "ann"), title))
    lo, hi = (max(0, target[0]), min(n, target[1])) if target else (-1, -1)
    if lo >= hi:
        lo = hi = -1
    cuts = sorted({0, n, *(m[0] for m in marks), *(m[1] for m in marks),
                   *([lo, hi] if lo >= 0 else []),
                   *(c["start"] for c in comments if 0 <= c["start"] <= n)})
    anchors = {c["start"]: c["id"] for c in comments}
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        if a in anchors:
            out.append(f'<span class="comment-anchor" id="c-{escape(anchors[a])}"></span>')
        if a == lo:
            out.append('<mark id="hl" class="ann-target" title="source sentence">')
        active = [m for m in marks if m[0] <= a and b <= m[1]]
        piece = str(escape(text[a:b]))
        if active:
            classes = " ".join(sorted({m[2] for m in active}))
            title = " | ".join(dict.fromkeys(m[3] for m in active))
            piece = f'<span class="ann {classes}" title="{escape(title)}">{piece}</span>'
        out.append(piece)
        if b == hi:
            out.append("</mark>")
    return Markup("".join(out))
