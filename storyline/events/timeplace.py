"""When and where an event happened.

The date comes from the time expressions of the event's sentence that belong to the event
(the one nearest the trigger), else from the document's date, marked
``date_from="document"`` and ``date_precision="document"`` (the report date: the event
happened then or before; "story" when an undated document was dated by its story).  The
place comes from the places of the sentence (nearest the trigger, never a place that is a
participant, as "Moscow" in "talks with Moscow"), else from the document's focus place;
zones are copied from the place.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from .countries import iso3


@dataclasses.dataclass
class When:
    start: str | None = None
    end: str | None = None
    precision: str | None = None
    source: str | None = None  # "sentence" | "document"
    text: str | None = None


@dataclasses.dataclass
class Where:
    place_id: str | None = None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    zones: list[str] = dataclasses.field(default_factory=list)


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _distance(item: Any, start: int, end: int) -> int:
    s, e = int(_get(item, "start")), int(_get(item, "end"))
    if e <= start:
        return start - e
    if s >= end:
        return s - end
    return 0


def _within(items: Sequence[Any], start: int, end: int) -> list[Any]:
    out = []
    for item in items:
        item_start = _get(item, "start")
        if item_start is not None and int(item_start) >= start and int(_get(item, "end")) <= end:
            out.append(item)
    return out


def when(timexes: Sequence[Any], sentence: tuple[int, int], trigger: tuple[int, int],
         published: str | None, published_precision: str | None = None,
         published_from: str = "document") -> When:
    """The event's date: the sentence's time expression nearest the trigger, else the
    document's date (``published_from`` says where that date came from: "document", or
    "story" for an undated document dated by its story)."""
    usable = [t for t in _within(timexes, *sentence) if _get(t, "value_start")]
    if usable:
        best = min(usable, key=lambda t: _distance(t, *trigger))
        return When(_get(best, "value_start"), _get(best, "value_end") or _get(best,
                    "value_start"), _get(best, "precision") or "day", "sentence",
                    _get(best, "text"))
    if published:
        return When(published, published, published_from, published_from)
    return When()


def _zones(place: Any) -> list[str]:
    zones = _get(place, "zones") or []
    if isinstance(zones, str):
        try:
            zones = json.loads(zones)
        except ValueError:
            zones = [zones]
    return [z if isinstance(z, str) else str(_get(z, "id") or _get(z, "name") or z)
            for z in zones]


def where(places: Sequence[Any], sentence: tuple[int, int], trigger: tuple[int, int],
          exclude: Sequence[tuple[int, int]] = (), prefer: Sequence[tuple[int, int]] = ()
          ) -> Where:
    """The event's place: a place of the sentence nearest the trigger, else the focus place.

    ``exclude`` are participant spans (a place named as an actor is not the location);
    ``prefer`` are spans of places the event goes to ("a visit to Moscow")."""
    def overlaps(p: Any, spans: Sequence[tuple[int, int]]) -> bool:
        s, e = int(_get(p, "start")), int(_get(p, "end"))
        return any(s < b and a < e for a, b in spans)

    inside = _within(places, *sentence)
    preferred = [p for p in inside if overlaps(p, prefer)]
    candidates = preferred or [p for p in inside if not overlaps(p, exclude)]
    candidates = [p for p in candidates if _get(p, "lat") is not None or _get(p, "country")]
    if candidates:
        return _where(min(candidates, key=lambda p: _distance(p, *trigger)))
    focus = [p for p in places if _get(p, "is_focus")]
    if focus:
        return _where(focus[0])
    return Where()


def _where(place: Any) -> Where:
    return Where(place_id=_get(place, "id"), name=_get(place, "name") or _get(place, "text"),
                 lat=_get(place, "lat"), lon=_get(place, "lon"),
                 country=iso3(_get(place, "country")), zones=_zones(place))
