"""Seed scorer for places: every gold place found and put in the right country.

A gold place counts as found when a stored place of the named document (or of any seed
document) has text containing the gold name (compared without case, accents or
hyphens), is resolved into the gold country and, where the gold gives a point and a
tolerance, lies within it.  Items marked ``optional`` are reported but do not count in
the total unless found.
"""

from __future__ import annotations

from typing import Any

from ..geo.gazetteer import distance_km
from ..geo.names import name_key

#: alternative country codes a note in the gold allows ("annexed by Russia")
ALSO_ACCEPTED = {"UA": {"RU"}}


def _matches(row: Any, item: dict[str, Any]) -> bool:
    if name_key(item["name"]) not in name_key(row["text"] or ""):
        return False
    country = row["country"]
    allowed = {item["country"]}
    if "annex" in (item.get("note") or ""):
        allowed |= ALSO_ACCEPTED.get(item["country"], set())
    if country not in allowed:
        return False
    if item.get("lat") is not None and item.get("tolerance_km"):
        if row["lat"] is None:
            return False
        return distance_km(row["lat"], row["lon"], item["lat"], item["lon"]) <= item["tolerance_km"]
    return True


def score(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``{"places": {found, total, score, misses}}`` for the gold ``places``."""
    items = gold.get("places") or []
    if not items:
        return {}
    found = total = 0
    misses: list[str] = []
    for item in items:
        doc_ids = [docs[item["doc"]]] if item.get("doc") in docs else list(docs.values())
        marks = ",".join("?" * len(doc_ids))
        rows = store.query(f"SELECT text, country, lat, lon FROM places WHERE doc_id IN ({marks})",
                           doc_ids) if doc_ids else []
        hit = any(_matches(r, item) for r in rows)
        if item.get("optional") and not hit:
            continue
        total += 1
        found += hit
        if not hit:
            where = f" in {item['doc']}" if item.get("doc") else ""
            misses.append(f"{item['name']} ({item['country']}){where}")
    return {"places": {"found": found, "total": total,
                       "score": round(found / total, 4) if total else 0.0, "misses": misses}}
