"""Query parameters shared by pages and API: the filters and pagination, validated."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from ..report.brief import DATE_PATTERN
from ..report.paging import DEFAULT_LIMIT, MAX_LIMIT, PageArgs, list_page
from ..report.queries import Filters

OPTIONAL_DATE = f"^(|{DATE_PATTERN})$"
TEXT = {"max_length": 200}


def filters(
    since: Annotated[str | None, Query(pattern=OPTIONAL_DATE,
                                       description="From this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[str | None, Query(pattern=OPTIONAL_DATE,
                                       description="Up to this date (YYYY[-MM[-DD]]).")] = None,
    actor: Annotated[str | None, Query(description="Actor id, name, alias or country code.",
                                       **TEXT)] = None,
    zone: Annotated[str | None, Query(description="Zone id or name.", **TEXT)] = None,
    story: Annotated[str | None, Query(description="Story id.", **TEXT)] = None,
    type: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT.",
                                      **TEXT)] = None,
    modality: Annotated[str | None, Query(description="happened, future, proposed, "
                                          "cancelled, denied …", **TEXT)] = None,
    corroboration: Annotated[str | None, Query(
        pattern="^(|corroborated|single-source|contested)$",
        description="corroborated, single-source or contested.")] = None,
) -> Filters:
    return Filters(since=since or None, until=until or None, actor=actor or None,
                   zone=zone or None, story=story or None, type=type or None,
                   modality=modality or None, corroboration=corroboration or None)


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT,
                                description=f"Items per page (at most {MAX_LIMIT}).")
                     ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")] = 0,
    cursor: Annotated[str | None, Query(max_length=4000,
                                        description="Where the page starts: the `next` of "
                                        "the previous page.")] = None,
) -> PageArgs:
    return PageArgs(limit=limit, offset=offset, cursor=cursor or None)


def paginate(items: list[Any], pg: PageArgs, kind: str = "list") -> dict[str, Any]:
    """A page of a list already in memory (the small lists: stories, zones, sources …)."""
    return list_page(kind, items, pg)
