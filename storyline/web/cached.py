"""Reads the pages and the API share, with their expensive parts (counts and aggregations
over the whole store) kept in the app's :class:`~storyline.web.app.ResultCache` until the
store changes.  Pages themselves are always read fresh."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ..report import queries as Q
from .app import state


def _key(name: str, f: Q.Filters, *extra: Any) -> tuple[Any, ...]:
    return (name, tuple(sorted(f.as_dict().items())), *extra)


def event_page(request: Request, store: Any, f: Q.Filters, pg: Q.PageArgs,
               **kind: Any) -> dict[str, Any]:
    """:func:`storyline.report.queries.event_page` with its total counted once per store
    version (``kind``: ``facts_only``, ``dated_only``, ``one_per_cluster``, ``ctx``)."""
    found = Q.event_page(store, f, pg, count=False, **kind)
    flags = {k: v for k, v in kind.items() if k != "ctx"}
    total = state(request).cache.get(_key("event_count", f, tuple(sorted(flags.items()))),
                                     lambda: Q.event_count(store, f, **flags))
    if total is not None:
        found["total"] = total
    return found


def network(request: Request, store: Any, f: Q.Filters) -> dict[str, Any]:
    return state(request).cache.get(_key("network", f), lambda: Q.network_sql(store, f))


def dyads(request: Request, store: Any, f: Q.Filters, pairs: int = 4) -> dict[str, Any]:
    return state(request).cache.get(_key("dyads", f, pairs),
                                    lambda: Q.dyad_trend_sql(store, f, pairs))


def trend(request: Request, store: Any, f: Q.Filters, period: str) -> dict[str, Any]:
    return state(request).cache.get(_key("trend", f, period), lambda: Q.trend(store, f, period))


def map_points(request: Request, store: Any, f: Q.Filters, pg: Q.PageArgs) -> dict[str, Any]:
    return state(request).cache.get(_key("map", f, pg.limit, pg.offset, pg.cursor),
                                    lambda: Q.map_points(store, f, pg))


def warm(sl: Any) -> None:
    """Fill the cache with the unfiltered overview (counts, network, dyads, trend, map) so
    that the first visitor of a big store does not wait for them; run in the background."""
    from ..store.db import open_store

    everything = Q.Filters()
    timeline = {"dated_only": True, "facts_only": True, "one_per_cluster": True}
    jobs = [
        (_key("event_count", everything, ()), lambda s: Q.event_count(s, everything)),
        (_key("event_count", everything, tuple(sorted(timeline.items()))),
         lambda s: Q.event_count(s, everything, **timeline)),
        (_key("network", everything), lambda s: Q.network_sql(s, everything)),
        (_key("dyads", everything, 4), lambda s: Q.dyad_trend_sql(s, everything, 4)),
        (_key("trend", everything, "day"), lambda s: Q.trend(s, everything, "day")),
        (_key("trend", everything, "week"), lambda s: Q.trend(s, everything, "week")),
        (_key("map", everything, 200, 0, None),
         lambda s: Q.map_points(s, everything, Q.PageArgs(limit=200))),
        (_key("map", everything, Q.DEFAULT_LIMIT, 0, None),
         lambda s: Q.map_points(s, everything, Q.PageArgs())),
    ]
    try:
        with open_store(sl.db_path, readonly=True,
                        busy_timeout_ms=sl.settings.store.busy_timeout_ms) as store:
            for key, compute in jobs:
                sl.cache.get(key, lambda: compute(store))
    except Exception as exc:  # a warm-up is an optimisation: never fail the app for it
        import logging

        logging.getLogger("storyline.web").info("cache warm-up stopped: %s", exc)
