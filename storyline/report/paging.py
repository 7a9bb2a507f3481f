"""Paging in SQL for the web pages and the JSON API: page sizes, opaque cursors and the
SQL pieces that the list queries share (date windows, story filters, scores).

A list is read one page at a time: ``LIMIT``/``OFFSET`` or, for the big tables, a keyset
cursor (the sort key of the last row returned, base64url-encoded JSON), so that a store of
millions of rows answers a page without loading the rest.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from typing import Any

from ..errors import StorylineError
from .util import date_ceil, date_floor

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: sort key of events: dated first, in date order (``~`` sorts after every digit)
EVENT_KEY = "ifnull(date_start, '~')"
EVENT_ORDER = f"{EVENT_KEY}, doc_id, start, id"
COMMENT_KIND = "comment_thread"


class BadCursor(StorylineError):
    """A ``cursor`` that this server did not hand out (or that belongs to another list)."""


@dataclasses.dataclass
class PageArgs:
    """What a client asked for: ``limit`` items after ``cursor`` (or skipping ``offset``)."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    cursor: str | None = None

    def __post_init__(self) -> None:
        self.limit = max(1, min(int(self.limit), MAX_LIMIT))
        self.offset = max(0, int(self.offset))

    def __iter__(self):  # ``limit, offset = pg`` keeps working
        return iter((self.limit, self.offset))


def encode_cursor(kind: str, key: list[Any]) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str, types: tuple[type, ...]) -> list[Any]:
    """The key inside ``cursor``; :class:`BadCursor` unless it is a ``kind`` cursor whose
    values have ``types``."""
    try:
        if len(cursor) > 4000:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor("bad cursor: not one this server handed out") from None
    if not isinstance(data, list) or len(data) != len(types) + 1 or data[0] != kind:
        raise BadCursor("bad cursor: not one of this list")
    key = data[1:]
    for value, want in zip(key, types):
        if type(value) is not want:  # noqa: E721 - bool is not int here
            raise BadCursor("bad cursor: damaged")
    return key


def offset_of(kind: str, pg: PageArgs) -> int:
    """Where a page of an offset-paged list starts (its cursor carries the offset)."""
    if pg.cursor:
        return decode_cursor(kind, pg.cursor, (int,))[0] + pg.offset
    return pg.offset


def page_result(items: list[Any], pg: PageArgs, total: int | None, next_cursor: str | None
                ) -> dict[str, Any]:
    return {"total": total, "limit": pg.limit, "offset": pg.offset, "items": items,
            "next": next_cursor}


def offset_page(kind: str, pg: PageArgs, fetch, count) -> dict[str, Any]:
    """A page of an offset-paged list: ``fetch(limit, offset)`` rows, ``count()`` total."""
    start = offset_of(kind, pg)
    found = fetch(pg.limit + 1, start)
    more = len(found) > pg.limit
    items = found[:pg.limit]
    return page_result(items, pg, count(),
                       encode_cursor(kind, [start + pg.limit]) if more else None)


def list_page(kind: str, items: list[Any], pg: PageArgs) -> dict[str, Any]:
    """A page of a (small) list already in memory, with the same shape and cursors."""
    start = offset_of(kind, pg)
    page = items[start:start + pg.limit]
    more = start + pg.limit < len(items)
    return page_result(page, pg, len(items),
                       encode_cursor(kind, [start + pg.limit]) if more else None)


# --- SQL pieces ---------------------------------------------------------------------------


def story_clause(column: str, story: str) -> tuple[str, list[Any]]:
    """Rows whose document belongs to the story (or one of its sub-stories)."""
    return (f"{column} IN (SELECT doc_id FROM story_docs WHERE story_id = ? OR story_id IN "
            "(SELECT id FROM stories WHERE parent_id = ?))", [story, story])


def window_clauses(lo: str, hi: str, since: str | None, until: str | None
                   ) -> tuple[list[str], list[Any]]:
    """SQL for :func:`storyline.report.util.overlaps` of partial ISO dates: the item spans
    ``lo``–``hi`` (SQL expressions, ``YYYY[-MM[-DD]]`` text) and must meet the window."""
    where: list[str] = []
    params: list[Any] = []
    if since:
        start = date_floor(since) or since
        # a partial date ends at its last day: compare on its own length
        where.append(f"substr({hi}, 1, 10) >= substr(?, 1, length(substr({hi}, 1, 10)))")
        params.append(start)
    if until:
        where.append(f"substr({lo}, 1, 10) <= ?")
        params.append(date_ceil(until) or until)
    return where, params


def document_clauses(filters: Any, doc_id: str, published: str) -> tuple[list[str], list[Any]]:
    """SQL for the document-level filters (story, document, publication window), with the
    columns ``doc_id`` and ``published`` of the query's row."""
    where: list[str] = []
    params: list[Any] = []
    if filters.story:
        clause, p = story_clause(doc_id, filters.story)
        where.append(clause)
        params += p
    if filters.doc:
        where.append(f"{doc_id} = ?")
        params.append(filters.doc)
    if filters.since or filters.until:
        where.append(f"{published} IS NOT NULL AND {published} <> ''")
        w, p = window_clauses(published, published, filters.since, filters.until)
        where += w
        params += p
    return where, params


def score_sql(plover: dict[str, float], column: str = "type") -> str:
    """The cooperation–conflict score of an event as SQL (its Goldstein score if any)."""
    cases = " ".join(f"WHEN '{k}' THEN {float(v)}" for k, v in plover.items())
    # the exact spelling first (cheap), any other case only when that missed
    return (f"coalesce(goldstein, CASE {column} {cases} ELSE "
            f"CASE upper({column}) {cases} ELSE 0.0 END END)")


def date_floor_sql(column: str) -> str:
    """``2017-05`` → ``2017-05-01`` in SQL (the first day a partial date can mean)."""
    return f"substr({column} || '-01-01', 1, 10)"


def bucket_sql(column: str, period: str) -> str:
    day = date_floor_sql(column)
    if period == "day":
        return day
    if period == "week":
        return f"date({day}, '-6 days', 'weekday 1')"
    if period == "month":
        return f"substr({day}, 1, 7) || '-01'"
    return f"substr({day}, 1, 4) || '-01-01'"
