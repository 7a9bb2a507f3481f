"""User-defined zones: GeoJSON polygons, or a point with a radius ("33 miles around Al Tanf").

A zone is stored in the ``zones`` table as a GeoJSON Feature: a Polygon or MultiPolygon
geometry, and for a point zone a polygon approximating the circle with the original
centre and radius kept in ``properties`` (``center`` = [lon, lat], ``radius_km``), which
point tests use exactly.  Point-in-polygon is pure Python ray casting (holes respected).

Places and events carry the ids of the zones they fall in (``zones`` column); adding or
removing a zone recomputes them with :func:`assign_zones`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from ..errors import ConfigError, NotFound
from ..records import Record
from .gazetteer import EARTH_KM, distance_km
from .types import LOCATED_KINDS

CIRCLE_POINTS = 64
_RADIUS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km|kilometers?|kilometres?|mi|miles?|m|meters?|"
                     r"metres?)?\s*$", re.I)
_UNITS = {"km": 1.0, "mi": 1.609344, "m": 0.001}


@dataclasses.dataclass(kw_only=True)
class Zone(Record):
    """A named zone; ``geometry`` is a GeoJSON Feature (Polygon or MultiPolygon)."""

    TABLE: ClassVar[str] = "zones"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("geometry",)

    id: str
    name: str
    geometry: dict[str, Any]
    description: str | None = None
    created_at: str | None = None

    def contains(self, lat: float, lon: float) -> bool:
        return feature_contains(self.geometry, lat, lon)


# --- parsing ----------------------------------------------------------------------------


def parse_radius(text: str | float, default_unit: str = "km") -> float:
    """Kilometres in "33mi", "50 km", "2000m" or a bare number (``default_unit``)."""
    if isinstance(text, (int, float)):
        value, unit = float(text), default_unit
    else:
        match = _RADIUS.match(text)
        if not match:
            raise ConfigError(f"cannot read radius {text!r}", hint="e.g. 33mi, 50km, 2000m")
        value, unit = float(match[1]), (match[2] or default_unit)
    unit = unit.lower()
    key = "km" if unit.startswith("k") else "mi" if unit.startswith("mi") else "m"
    if value <= 0:
        raise ConfigError(f"radius must be positive, not {text!r}")
    return value * _UNITS[key]


def parse_point(text: str) -> tuple[float, float]:
    """``(lat, lon)`` from "LAT,LON"."""
    try:
        lat_s, lon_s = text.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise ConfigError(f"cannot read point {text!r}", hint="give LAT,LON, e.g. 33.5,38.63") from None
    _check_coordinate(lon, lat)
    return lat, lon


def _check_coordinate(lon: Any, lat: Any) -> None:
    if not isinstance(lon, (int, float)) or not isinstance(lat, (int, float)) \
            or isinstance(lon, bool) or isinstance(lat, bool):
        raise ConfigError(f"coordinates must be numbers, not {lon!r}, {lat!r}")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ConfigError(f"coordinate out of range: lon {lon}, lat {lat}",
                          hint="GeoJSON positions are [longitude, latitude]")


def _check_ring(ring: Any) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ConfigError("a polygon ring needs at least four positions")
    out = []
    for pos in ring:
        if not isinstance(pos, (list, tuple)) or len(pos) < 2:
            raise ConfigError(f"bad GeoJSON position {pos!r}")
        _check_coordinate(pos[0], pos[1])
        out.append([float(pos[0]), float(pos[1])])
    if out[0] != out[-1]:
        out.append(out[0])  # close the ring
    return out


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        return [[_check_ring(r) for r in coords or []]]
    if kind == "MultiPolygon":
        return [[_check_ring(r) for r in poly] for poly in coords or []]
    raise ConfigError(f"zones must be Polygon or MultiPolygon, not {kind!r}")


def features_from_geojson(data: Any) -> list[dict[str, Any]]:
    """Validated GeoJSON Features (Polygon/MultiPolygon) from a Geometry, Feature or
    FeatureCollection object."""
    if not isinstance(data, dict):
        raise ConfigError("GeoJSON must be an object")
    kind = data.get("type")
    if kind == "FeatureCollection":
        feats = data.get("features") or []
        if not feats:
            raise ConfigError("the FeatureCollection has no features")
        return [f for feat in feats for f in features_from_geojson(feat)]
    if kind == "Feature":
        geometry = data.get("geometry") or {}
        properties = dict(data.get("properties") or {})
    elif kind in ("Polygon", "MultiPolygon"):
        geometry, properties = data, {}
    else:
        raise ConfigError(f"unsupported GeoJSON type {kind!r}",
                          hint="give a Polygon, MultiPolygon, Feature or FeatureCollection")
    polys = _polygons(geometry)
    if not polys or not all(polys):
        raise ConfigError("the zone polygon is empty")
    geom = ({"type": "Polygon", "coordinates": polys[0]} if geometry["type"] == "Polygon"
            else {"type": "MultiPolygon", "coordinates": polys})
    return [{"type": "Feature", "geometry": geom, "properties": properties}]


def circle_feature(lat: float, lon: float, radius_km: float, *, label: str | None = None,
                   points: int = CIRCLE_POINTS) -> dict[str, Any]:
    """A Feature whose Polygon approximates the circle of ``radius_km`` around the point."""
    _check_coordinate(lon, lat)
    if radius_km <= 0:
        raise ConfigError("radius must be positive")
    ring = [list(_destination(lat, lon, 360.0 * i / points, radius_km))[::-1]
            for i in range(points)]
    ring.append(ring[0])
    props: dict[str, Any] = {"center": [lon, lat], "radius_km": round(radius_km, 4)}
    if label:
        props["around"] = label
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": props}


def _destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on the bearing (great circle)."""
    phi, lam, theta = map(math.radians, (lat, lon, bearing_deg))
    delta = km / EARTH_KM
    phi2 = math.asin(math.sin(phi) * math.cos(delta)
                     + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lam2 = lam + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(phi),
                            math.cos(delta) - math.sin(phi) * math.sin(phi2))
    lon2 = (math.degrees(lam2) + 540) % 360 - 180
    return round(math.degrees(phi2), 6), round(lon2, 6)


# --- point tests -------------------------------------------------------------------------


def _in_ring(lat: float, lon: float, ring: Sequence[Sequence[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = (xj - xi) * (lat - yi) / (yj - yi) + xi
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def _in_polygon(lat: float, lon: float, rings: Sequence[Sequence[Sequence[float]]]) -> bool:
    if not rings or not _in_ring(lat, lon, rings[0]):
        return False
    return not any(_in_ring(lat, lon, hole) for hole in rings[1:])


def feature_contains(feature: dict[str, Any], lat: float, lon: float) -> bool:
    """True when the point lies in the Feature (exactly in the circle for point zones)."""
    props = feature.get("properties") or {}
    if "radius_km" in props and "center" in props:
        c_lon, c_lat = props["center"]
        return distance_km(lat, lon, c_lat, c_lon) <= float(props["radius_km"])
    geometry = feature.get("geometry") or feature
    if geometry.get("type") == "Polygon":
        return _in_polygon(lat, lon, geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return any(_in_polygon(lat, lon, poly) for poly in geometry["coordinates"])
    return False


def zones_for_point(lat: float | None, lon: float | None, zones: Iterable[Zone]) -> list[str]:
    """Ids of the zones containing the point (none for a point without coordinates)."""
    if lat is None or lon is None:
        return []
    return [z.id for z in zones if z.contains(lat, lon)]


# --- the store -----------------------------------------------------------------------------


def zone_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return "zone:" + (slug or "unnamed")


def add_zone(store: Any, name: str, feature: dict[str, Any], description: str | None = None,
             *, replace: bool = False) -> Zone:
    """Store a zone (one Feature) and recompute the zones of places and events."""
    name = name.strip()
    if not name:
        raise ConfigError("a zone needs a name")
    zone = Zone(id=zone_id(name), name=name, geometry=feature, description=description,
                created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    with store.transaction():
        exists = store.scalar("SELECT 1 FROM zones WHERE id=?", (zone.id,))
        if exists and not replace:
            raise ConfigError(f"a zone named {name!r} exists", hint="remove it first or use --replace")
        store.insert([zone])
        _assign(store, load_zones(store))
    return zone


def load_zones(store: Any) -> list[Zone]:
    return store.fetch(Zone, order="name")


def get_zone(store: Any, ref: str) -> Zone:
    """A zone by id or by name."""
    rows = store.fetch(Zone, "id=? OR name=? OR id=?", (ref, ref, zone_id(ref)))
    if not rows:
        raise NotFound(f"no zone {ref!r}", hint="see `storyline zones list`")
    return rows[0]


def remove_zone(store: Any, ref: str) -> Zone:
    zone = get_zone(store, ref)
    with store.transaction():
        store.conn.execute("DELETE FROM zones WHERE id=?", (zone.id,))
        _assign(store, load_zones(store))
    return zone


def assign_zones(store: Any) -> dict[str, int]:
    """Recompute the ``zones`` column of every place and event from the stored zones;
    returns how many places and events lie in at least one zone."""
    with store.transaction():
        return _assign(store, load_zones(store))


def _assign(store: Any, zones: list[Zone]) -> dict[str, int]:
    counts = {}
    for table in ("places", "events"):
        kind = ", kind" if table == "places" else ", NULL AS kind"
        rows = store.conn.execute(
            f"SELECT id, lat, lon, zones{kind} FROM {table}").fetchall()
        updates = []
        inside = 0
        for row in rows:
            located = row["kind"] is None or row["kind"] in LOCATED_KINDS
            ids = zones_for_point(row["lat"], row["lon"], zones) if located else []
            inside += bool(ids)
            value = json.dumps(ids)
            if (row["zones"] or "[]") != value:
                updates.append((value, row["id"]))
        store.conn.executemany(f"UPDATE {table} SET zones=? WHERE id=?", updates)
        counts[table] = inside
    return counts


def events_in_zone(store: Any, ref: str, start: str | None = None,
                   end: str | None = None) -> list[dict[str, Any]]:
    """Events inside a zone, optionally within [start, end] (ISO dates), by date."""
    zone = get_zone(store, ref)
    sql = "SELECT * FROM events WHERE zones LIKE ?"
    params: list[Any] = [f'%"{zone.id}"%']
    if start:
        sql += " AND COALESCE(date_end, date_start) >= ?"
        params.append(start)
    if end:
        sql += " AND date_start <= ?"
        params.append(end)
    return [dict(r) for r in store.query(sql + " ORDER BY date_start, id", params)]
