"""User zones as stored (GeoJSON geometry or feature text): point tests and outlines to draw.

A zone is a Polygon/MultiPolygon, or a Point with a radius (``radius_km`` in the feature's
properties or beside the geometry; the geo settings' default radius otherwise).
"""

from __future__ import annotations

import json
import math
from typing import Any

EARTH_KM = 6371.0


def parse_zone(geometry: str | dict[str, Any] | None, default_radius_km: float = 50.0
               ) -> dict[str, Any] | None:
    """``{"polygons": [[(lon, lat), …], …], "circle": (lon, lat, km) | None}`` or None."""
    data = geometry
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if not isinstance(data, dict):
        return None
    props = data.get("properties") or {}
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    kind, coords = data.get("type"), data.get("coordinates")
    radius = props.get("radius_km") or data.get("radius_km") or default_radius_km
    try:
        if kind == "Point":
            return {"polygons": [], "circle": (float(coords[0]), float(coords[1]), float(radius))}
        if kind == "Polygon":
            return {"polygons": [_ring(coords[0])], "circle": None}
        if kind == "MultiPolygon":
            return {"polygons": [_ring(p[0]) for p in coords], "circle": None}
    except (TypeError, ValueError, IndexError):
        return None
    return None


def _ring(points: Any) -> list[list[float]]:
    return [[float(p[0]), float(p[1])] for p in points]


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _in_ring(lon: float, lat: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i, (xi, yi) in enumerate(ring):
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def contains(zone: dict[str, Any] | None, lon: float | None, lat: float | None) -> bool:
    """Whether the point lies in the parsed zone."""
    if zone is None or lon is None or lat is None:
        return False
    if zone.get("circle"):
        clon, clat, km = zone["circle"]
        return haversine_km(clon, clat, lon, lat) <= km
    return any(_in_ring(lon, lat, ring) for ring in zone.get("polygons", []))


def outline(zone: dict[str, Any] | None, steps: int = 48) -> list[list[list[float]]]:
    """Closed rings (lon, lat) to draw the zone; a circle becomes a polygon."""
    if zone is None:
        return []
    if zone.get("circle"):
        clon, clat, km = zone["circle"]
        ring = []
        for k in range(steps + 1):
            angle = 2 * math.pi * k / steps
            dlat = (km / EARTH_KM) * math.cos(angle)
            dlon = (km / EARTH_KM) * math.sin(angle) / max(math.cos(math.radians(clat)), 1e-6)
            ring.append([round(clon + math.degrees(dlon), 5), round(clat + math.degrees(dlat), 5)])
        return [ring]
    rings = [ring if ring[:1] == ring[-1:] else ring + ring[:1]
             for ring in zone.get("polygons", []) if ring]
    return [clockwise(ring) for ring in rings]


def clockwise(ring: list[list[float]]) -> list[list[float]]:
    """The ring wound clockwise, as spherical drawing (d3-geo, plotly maps) expects: wound
    the other way (as GeoJSON writes it), a small zone would fill the rest of the globe."""
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))
    return list(reversed(ring)) if area > 0 else ring
