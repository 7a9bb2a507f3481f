"""Query parameters shared by pages and API: the filters and pagination, validated."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from ..report.brief import DATE_PATTERN
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
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")] = 0,
) -> tuple[int, int]:
    return limit, offset


def paginate(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"total": len(items), "limit": limit, "offset": offset,
            "items": items[offset: offset + limit]}
