"""The web app: server-side pages, a JSON API under ``/api/v1`` and the UI's ingest.

Every request reads through its own read-only connection (SQLite WAL lets pages answer
while an ingest writes).  Errors never show a traceback: a known error becomes a short
message, anything else "internal error".
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import NotFound, StorylineError
from ..settings import Settings
from ..store.db import Store, open_store
from .jobs import Jobs
from .search import SemanticIndex
from .security import BodyLimit, Guard, SecurityHeaders

log = logging.getLogger("storyline.web")
STATIC = Path(str(resources.files("storyline.web") / "static"))


class ResultCache:
    """Results of expensive reads (counts and aggregations over millions of events), kept
    while the store does not change: every entry is tagged with the size and modification
    time of the database file and its WAL, which any committed write changes."""

    def __init__(self, db_path: str, max_entries: int = 256) -> None:
        self.db_path = db_path
        self.max_entries = max_entries
        self._items: OrderedDict[Any, tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._flights: dict[Any, threading.Lock] = {}

    def version(self) -> tuple[Any, ...]:
        out: list[Any] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.db_path + suffix)
                out += [st.st_mtime_ns, st.st_size, st.st_ino]
            except OSError:
                out += [None, None, None]
        return tuple(out)

    def get(self, key: Any, compute: Any) -> Any:
        """The cached value of ``key`` for the store as it is now, else ``compute()``
        (once: concurrent requests for the same key wait for the first one)."""
        version = self.version()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == version:
                self._items.move_to_end(key)
                return copy.deepcopy(hit[1])
            flight = self._flights.setdefault((key, version), threading.Lock())
        with flight:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None and hit[0] == version:
                    return copy.deepcopy(hit[1])
            try:
                value = compute()
                with self._lock:
                    self._items[key] = (version, copy.deepcopy(value))
                    self._items.move_to_end(key)
                    while len(self._items) > self.max_entries:
                        self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._flights.pop((key, version), None)
        return value


class AppState:
    """What the routes share: the store path, settings, guard, jobs, templates, caches."""

    def __init__(self, db_path: str, settings: Settings, token: str) -> None:
        from .views import make_env

        self.db_path = str(db_path)
        self.settings = settings
        self.guard = Guard(token)
        self.jobs = Jobs(self.db_path, settings)
        self.env = make_env()
        self.semantic = SemanticIndex(settings)
        self.cache = ResultCache(self.db_path)

    def store(self) -> Iterator[Store]:
        store = open_store(self.db_path, readonly=True,
                           busy_timeout_ms=self.settings.store.busy_timeout_ms)
        try:
            yield store
        finally:
            store.close()


def create_app(db_path: str | Path, settings: Settings, token: str) -> FastAPI:
    """The FastAPI app serving the store at ``db_path``; ``token`` guards write actions."""
    if not token:
        raise StorylineError("the web app needs a token for write actions")
    with open_store(db_path, busy_timeout_ms=settings.store.busy_timeout_ms):
        pass  # create or migrate the store once, so that readers find its schema
    app = FastAPI(title="Storyline API", version="1", docs_url="/api/docs",
                  redoc_url=None, openapi_url="/api/v1/openapi.json",
                  description="Read what Storyline found in a store: stories, documents, "
                              "events, actors, quotes, places, sources; search; ingest.")
    app.state.sl = AppState(str(db_path), settings, token)
    _handlers(app)
    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(BodyLimit, limit=settings.web.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    if settings_warm(settings):
        from .cached import warm

        threading.Thread(target=warm, args=(app.state.sl,), name="storyline-cache-warm",
                         daemon=True).start()
    return app


def settings_warm(settings: Settings) -> bool:
    """Whether to precompute the overview aggregations at start (``STORYLINE_WEB_WARM=0``
    turns it off)."""
    return os.environ.get("STORYLINE_WEB_WARM", "1") != "0"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and \
        "text/html" in request.headers.get("accept", "text/html")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_html(request):
        from .views import render_error

        return render_error(request, status, message)
    return JSONResponse({"error": message}, status_code=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(StorylineError)
    async def known(request: Request, exc: StorylineError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = _error(request, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg')}"
                    for e in exc.errors()][:10]
        if _wants_html(request):
            return _error(request, 422, "; ".join(problems))
        return JSONResponse({"error": "invalid request", "problems": problems}, status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__, exc)
        return _error(request, 500, "internal error")


def state(request: Request) -> AppState:
    return request.app.state.sl


def html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status)


def static_path(name: str) -> Any:
    return STATIC / name
