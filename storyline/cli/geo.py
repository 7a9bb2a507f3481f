"""``storyline zones add|list|remove``: user-defined zones that places and events are tested against."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ConfigError, NotFound
from .common import db_option, emit_json, json_option, print_table, settings_from


def register(cli: click.Group) -> None:
    cli.add_command(zones)


@click.group()
def zones():
    """Zones (GeoJSON polygons or a point with a radius) that places and events fall in."""


def _open(db: str | None):
    from ..store.db import open_store

    settings = settings_from(db)
    return settings, open_store(settings.store.path)


@zones.command("add")
@click.argument("name")
@click.option("--geojson", "geojson", type=click.Path(dir_okay=False),
              help="GeoJSON file: Polygon, MultiPolygon, Feature or FeatureCollection.")
@click.option("--point", metavar="LAT,LON", help="Centre of a circular zone.")
@click.option("--around", metavar="PLACE", help="Centre of a circular zone, by place name "
              "(geocoded offline with the gazetteer), e.g. \"Al Tanf\".")
@click.option("--radius", metavar="DIST", help="Radius of a circular zone: 33mi, 50km, 2000m "
              "(default: geo.default_radius_km).")
@click.option("--description", default=None, help="What the zone is.")
@click.option("--replace", is_flag=True, help="Replace a zone of the same name.")
@db_option
@json_option
def zones_add(name, geojson, point, around, radius, description, replace, db, as_json):
    """Add a zone NAME and recompute which places and events fall in it."""
    from ..geo.zones import add_zone, circle_feature, features_from_geojson, parse_radius

    given = [x for x in (geojson, point, around) if x]
    if len(given) != 1:
        raise ConfigError("give exactly one of --geojson, --point or --around")
    settings, store = _open(db)
    with store:
        if geojson:
            feature = _merge(features_from_geojson(_read_geojson(Path(geojson))))
        else:
            radius_km = parse_radius(radius) if radius else settings.geo.default_radius_km
            lat, lon, label = _centre(point, around)
            feature = circle_feature(lat, lon, radius_km, label=label)
        zone = add_zone(store, name, feature, description, replace=replace)
        counts = {t: store.scalar(f"SELECT COUNT(*) FROM {t} WHERE zones LIKE ?",
                                  (f'%"{zone.id}"%',)) for t in ("places", "events")}
    if as_json:
        emit_json({"id": zone.id, "name": zone.name, "geometry": zone.geometry, **counts})
    else:
        click.echo(f"zone {zone.id} added: {counts['places']} place(s), "
                   f"{counts['events']} event(s) inside")


def _read_geojson(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no such file: {path}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid GeoJSON: {exc}") from None


def _merge(features: list[dict]) -> dict:
    """One Feature from several (a FeatureCollection becomes one MultiPolygon zone)."""
    if len(features) == 1:
        return features[0]
    polys = []
    for f in features:
        geom = f["geometry"]
        polys.extend([geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"])
    return {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": polys},
            "properties": {}}


def _centre(point: str | None, around: str | None) -> tuple[float, float, str | None]:
    from ..geo.zones import parse_point

    if point:
        lat, lon = parse_point(point)
        return lat, lon, None
    entry = geocode(around or "")
    return entry.lat, entry.lon, f"{entry.name} ({entry.country or '-'})"


def geocode(name: str):
    """The gazetteer entry a bare place name most likely means (largest, own names first)."""
    from ..geo.gazetteer import get_gazetteer
    from ..geo.resolve import resolve_toponyms
    from ..geo.types import Toponym

    gaz = get_gazetteer()
    cands = [e for e, _ in gaz.lookup(name.strip()) if e.lat is not None]
    if not cands:
        raise NotFound(f"place {name!r} is not in the gazetteer", hint="use --point LAT,LON")
    top = Toponym(start=0, end=len(name), text=name, head_start=0, head_end=len(name),
                  name=name.strip(), candidates=cands)
    res = resolve_toponyms([top], gaz)[0]
    return res.entry


@zones.command("list")
@db_option
@json_option
def zones_list(db, as_json):
    """List the zones with the number of places and events inside each."""
    from ..geo.zones import load_zones

    _, store = _open(db)
    with store:
        rows = []
        for zone in load_zones(store):
            props = zone.geometry.get("properties") or {}
            count = {t: store.scalar(f"SELECT COUNT(*) FROM {t} WHERE zones LIKE ?",
                                     (f'%"{zone.id}"%',)) for t in ("places", "events")}
            rows.append({"id": zone.id, "name": zone.name, "kind": zone.geometry["geometry"]["type"]
                         if "radius_km" not in props else "circle",
                         "radius_km": props.get("radius_km"), "around": props.get("around"),
                         "description": zone.description, "created_at": zone.created_at, **count})
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("no zones (add one with `storyline zones add NAME --around PLACE --radius 33mi`)")
    else:
        print_table(rows, ["id", "name", "kind", "radius_km", "around", "places", "events"])


@zones.command("remove")
@click.argument("zone")
@db_option
@json_option
def zones_remove(zone, db, as_json):
    """Remove ZONE (id or name) and recompute which places and events fall in zones."""
    from ..geo.zones import remove_zone

    _, store = _open(db)
    with store:
        removed = remove_zone(store, zone)
    if as_json:
        emit_json({"removed": removed.id})
    else:
        click.echo(f"zone {removed.id} removed")
