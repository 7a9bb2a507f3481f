"""Filters shared by every query (briefing, pages, API) and the look-ups they need:
which documents a story holds, who an actor filter means, which zone a zone filter means."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from . import geometry
from .sources import rows
from .util import as_json, as_list

CORROBORATION = ("corroborated", "single-source", "contested")


@dataclasses.dataclass
class Filters:
    """Filters understood by every query (``None`` = no filter)."""

    since: str | None = None
    until: str | None = None
    actor: str | None = None
    zone: str | None = None
    story: str | None = None
    type: str | None = None
    modality: str | None = None
    corroboration: str | None = None
    doc: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v}


def story_doc_ids(store: Any, story_id: str) -> set[str]:
    """Documents of a story and of its sub-stories."""
    ids = {story_id} | {r["id"] for r in rows(store, "SELECT id FROM stories WHERE parent_id=?",
                                               (story_id,))}
    out: set[str] = set()
    for sid in ids:
        out |= {r["doc_id"] for r in rows(store, "SELECT doc_id FROM story_docs WHERE story_id=?",
                                          (sid,))}
    return out


def allowed_docs(store: Any, filters: Filters) -> set[str] | None:
    """Document ids allowed by the story/doc filters (None = all)."""
    keep: set[str] | None = None
    if filters.story:
        keep = story_doc_ids(store, filters.story)
    if filters.doc:
        keep = {filters.doc} if keep is None else keep & {filters.doc}
    return keep


# --- actors and zones ------------------------------------------------------------------


def actor_names(store: Any) -> dict[str, str]:
    return {a["id"]: a["name"] for a in rows(store, "SELECT id, name FROM actors")}


def actor_weights(store: Any) -> Counter[str]:
    """Mentions per actor id: how central an actor is to the corpus."""
    return Counter({r["actor_id"]: r["n"] for r in rows(
        store, "SELECT actor_id, COUNT(*) AS n FROM mentions WHERE actor_id IS NOT NULL "
        "GROUP BY actor_id")})


def resolve_actor(store: Any, text: str) -> dict[str, Any]:
    """An actor filter (id, name, alias or country code) as ids, names and codes to match."""
    want = text.strip().lower()
    ids, names = set(), {want}
    for a in rows(store, "SELECT id, name, country, aliases FROM actors"):
        aliases = [str(x).lower() for x in as_list(as_json(a.get("aliases"), a.get("aliases")))]
        if want in {a["id"].lower(), a["name"].lower(), *aliases}:
            ids.add(a["id"])
            names.add(a["name"].lower())
            names.update(aliases)
    return {"ids": ids, "names": names, "code": want.upper() if len(want) == 3 else None}


def zones(store: Any, default_radius_km: float = 50.0) -> list[dict[str, Any]]:
    out = []
    for z in rows(store, "SELECT * FROM zones ORDER BY name"):
        parsed = geometry.parse_zone(z.get("geometry"), default_radius_km)
        out.append({"id": z["id"], "name": z["name"], "description": z.get("description"),
                    "outline": geometry.outline(parsed), "_parsed": parsed})
    return out


def resolve_zone(store: Any, text: str) -> dict[str, Any]:
    want = text.strip().lower()
    for z in zones(store):
        if want in (z["id"].lower(), (z["name"] or "").lower()):
            return {"keys": {z["id"].lower(), (z["name"] or "").lower()}, "zone": z["_parsed"]}
    return {"keys": {want}, "zone": None}


def in_zone(item: dict[str, Any], zone: dict[str, Any]) -> bool:
    labels = {str(z).lower() for z in as_list(item.get("zones"))}
    if labels & zone["keys"]:
        return True
    return geometry.contains(zone["zone"], item.get("lon"), item.get("lat"))
