"""The ``places`` document stage and the ``zones`` corpus stage.

``places``: find place expressions in the parsed document (and the locations comment
authors give), resolve them against the offline gazetteer with the document's context,
and mark the document's focus location.  Metonymic uses ("Moscow said"), demonyms and
agent modifiers ("U.S. officials") are read for context but are not stored as places.

``zones``: after documents are written, recompute which user zones stored places and
events fall in.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from typing import Any

from ..registry import DocState, stage
from ..settings import Settings
from .gazetteer import Gazetteer, get_gazetteer
from .index_build import DATA
from .resolve import Resolution, focus, outlet_country, resolve_toponyms
from .toponyms import find_toponyms
from .types import NONLITERAL, Place

STAGE_VERSION = "1"
#: kinds whose point is not the gazetteer feature's own (no GeoNames id is claimed)
DERIVED_KINDS = ("border", "facility")


@lru_cache(maxsize=1)
def known_outlets() -> frozenset[str]:
    """Outlet names never read as places ("Bloomberg", "Reuters")."""
    table = json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))
    return frozenset(k for k in table["outlet_countries"]["names"] if not k.startswith("_"))


def _document_outlets(document: Any) -> set[str]:
    names = {getattr(document, f, None) for f in ("outlet", "original_outlet", "carrier",
                                                  "syndicated_from")}
    return {n for n in names if n}


@stage("places", requires=("nlp",), produces=("places",), version=STAGE_VERSION)
def find_places(state: DocState, settings: Settings) -> None:
    """Find and resolve the places of a document; mark its focus location."""
    doc = state["nlp"].doc
    document = state.get("document")
    gaz = get_gazetteer()
    tops = find_toponyms(
        doc, gaz, comments=state.get("comments") or (), mentions=state.get("mentions") or (),
        outlets=known_outlets() | _document_outlets(document), include_nonliteral=True)
    home = None
    if document is not None:
        url = (document.meta or {}).get("url") if isinstance(document.meta, dict) else None
        home = outlet_country(document.original_outlet or document.outlet,
                              url or document.source or None)
    resolutions = resolve_toponyms(tops, gaz, outlet_country=home)
    state["places"] = places_from(resolutions, state.doc_id, gaz, settings)


def places_from(resolutions: list[Resolution], doc_id: str, gaz: Gazetteer,
                settings: Settings) -> list[Place]:
    """Place records, the focus marked.  Metonymic mentions ("Moscow said") are kept with
    ``kind="metonymic"`` — they say which country or city an actor is, not where something
    happened — and are never the focus nor in a zone; demonyms and agent modifiers
    ("Syrian", "U.S. officials") are left out."""
    kept = [r for r in resolutions if r.toponym.kind not in NONLITERAL or r.toponym.kind == "metonymic"]
    places = [_place(r, f"{doc_id}:p{i}", doc_id, gaz, settings) for i, r in enumerate(kept)]
    _mark_focus(places, kept, focus(resolutions))
    return places


def _place(res: Resolution, pid: str, doc_id: str, gaz: Gazetteer, settings: Settings) -> Place:
    top = res.toponym
    place = Place(id=pid, doc_id=doc_id, start=top.start, end=top.end, text=top.text,
                  stage="places", stage_version=STAGE_VERSION, kind=top.kind,
                  radius_km=top.radius_km, confidence=round(res.confidence, 3))
    if res.lat is None or res.confidence < settings.geo.min_confidence:
        return place
    entry = res.entry
    place.name, place.country = res.name, res.country
    place.lat, place.lon = res.lat, res.lon
    place.feature_code = res.fcode
    if entry is not None:
        exact = top.kind not in DERIVED_KINDS and not top.direction
        place.geonameid = entry.geonameid if exact else None
        place.feature_class = entry.fclass if exact else ("L" if top.direction else "A")
        place.population = entry.population or None
        place.admin1 = _admin1_name(entry, gaz)
    else:
        place.feature_class = "S"
    return place


def _admin1_name(entry: Any, gaz: Gazetteer) -> str | None:
    if entry.is_country or not entry.country:
        return None
    if entry.fcode == "ADM1":
        return entry.name
    found = gaz.admin1(entry.country, entry.admin1)
    return found[1] if found else None


def _mark_focus(places: list[Place], kept: list[Resolution], center: Any) -> None:
    if center is None:
        return
    hits = [p for p, r in zip(places, kept)
            if r.entry is not None and r.entry.gid == center.gid and p.lat is not None
            and r.toponym.kind == "literal" and not r.toponym.direction]
    if not hits:  # the focus country is only named metonymically: its most-named place
        same = Counter(r.entry.gid for p, r in zip(places, kept) if r.entry is not None
                       and p.lat is not None and p.country == center.country
                       and r.toponym.kind == "literal")
        if not same:
            return
        gid = same.most_common(1)[0][0]
        hits = [p for p, r in zip(places, kept) if r.entry is not None and r.entry.gid == gid
                and r.toponym.kind == "literal"]
    for place in hits:
        place.is_focus = True


@stage("zones", requires=("places",), produces=("place_zones",), version=STAGE_VERSION,
       scope="corpus")
def zone_places(store: Any, settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Recompute which user zones stored places and events fall in."""
    from .zones import assign_zones, load_zones

    if not load_zones(store):
        return {"zones": 0}
    counts = assign_zones(store)
    return {"zones": len(load_zones(store)), "inside": counts}
