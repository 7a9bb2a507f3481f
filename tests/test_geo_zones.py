"""Zones: GeoJSON polygons and point+radius, point tests, assignment to places and events,
and the ``storyline zones`` commands."""

from __future__ import annotations

import json

import pytest

from storyline.errors import ConfigError, NotFound
from storyline.geo import zones as Z
from storyline.geo.gazetteer import distance_km
from storyline.geo.types import Place
from storyline.store.db import open_store

# a square around Damascus with a hole around the old city
SQUARE = {"type": "Polygon", "coordinates": [
    [[36.0, 33.3], [36.6, 33.3], [36.6, 33.7], [36.0, 33.7], [36.0, 33.3]],
    [[36.28, 33.49], [36.32, 33.49], [36.32, 33.53], [36.28, 33.53], [36.28, 33.49]],
]}


def zone(name, feature):
    return Z.Zone(id=Z.zone_id(name), name=name, geometry=feature)


def test_radius_units():
    assert Z.parse_radius("33mi") == pytest.approx(53.108, abs=0.01)
    assert Z.parse_radius("50 km") == 50
    assert Z.parse_radius("2000m") == 2
    with pytest.raises(ConfigError):
        Z.parse_radius("far")
    with pytest.raises(ConfigError):
        Z.parse_radius("0km")


def test_polygon_with_hole_and_multipolygon():
    [square] = Z.features_from_geojson(SQUARE)
    assert Z.feature_contains(square, 33.4, 36.1)
    assert not Z.feature_contains(square, 33.51, 36.30)  # in the hole
    assert not Z.feature_contains(square, 34.7, 36.7)  # Homs
    multi = {"type": "Feature", "properties": {"note": "two"}, "geometry": {
        "type": "MultiPolygon", "coordinates": [SQUARE["coordinates"][:1],
                                                [[[38.0, 33.0], [39.0, 33.0], [39.0, 34.0],
                                                  [38.0, 34.0], [38.0, 33.0]]]]}}
    [feature] = Z.features_from_geojson(multi)
    assert Z.feature_contains(feature, 33.5, 38.6)  # Al Tanf
    assert feature["properties"] == {"note": "two"}


def test_feature_collection_and_open_rings():
    ring = [[10.0, 50.0], [11.0, 50.0], [11.0, 51.0], [10.0, 51.0]]  # not closed
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    [feature] = Z.features_from_geojson(data)
    assert feature["geometry"]["coordinates"][0][-1] == [10.0, 50.0]
    assert Z.feature_contains(feature, 50.5, 10.5)


@pytest.mark.parametrize("bad", [
    {"type": "Point", "coordinates": [1, 2]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]},
    {"type": "FeatureCollection", "features": []},
    ["not", "an", "object"],
])
def test_bad_geojson_is_refused(bad):
    with pytest.raises(ConfigError):
        Z.features_from_geojson(bad)


def test_circle_zone_keeps_centre_and_radius():
    feature = Z.circle_feature(33.5, 38.63, Z.parse_radius("33mi"), label="Al Tanf")
    props = feature["properties"]
    assert props["center"] == [38.63, 33.5] and props["radius_km"] == pytest.approx(53.108, 0.001)
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == Z.CIRCLE_POINTS + 1
    for lon, lat in ring:
        assert distance_km(lat, lon, 33.5, 38.63) == pytest.approx(53.108, abs=0.05)
    z = zone("tanf", feature)
    assert Z.zones_for_point(33.6, 38.9, [z]) == [z.id]  # ~27 km away
    assert Z.zones_for_point(34.55, 38.27, [z]) == []  # Palmyra, ~120 km
    assert Z.zones_for_point(None, None, [z]) == []


def _store_with_places(tmp_path):
    store = open_store(tmp_path / "zones.db")
    places = [Place(id="d1:p0", doc_id="d1", text="Al Tanf", lat=33.5, lon=38.63, kind="literal",
                    stage="places", stage_version="1"),
              Place(id="d1:p1", doc_id="d1", text="Moscow", lat=55.75, lon=37.62,
                    kind="literal", stage="places", stage_version="1"),
              Place(id="d1:p2", doc_id="d1", text="Damascus", lat=33.51, lon=36.29,
                    kind="metonymic", stage="places", stage_version="1")]
    with store.transaction():
        store.insert(places)
        store.insert_rows("events", [
            {"id": "d1:e0", "type": "ASSAULT", "lat": 33.52, "lon": 38.6, "date_start": "2017-05-20",
             "doc_id": "d1", "start": 0, "end": 5, "stage": "events", "stage_version": "1"},
            {"id": "d1:e1", "type": "CONSULT", "lat": 55.75, "lon": 37.62,
             "date_start": "2017-05-02", "doc_id": "d1", "start": 6, "end": 9, "stage": "events",
             "stage_version": "1"}])
    return store


def test_add_assign_list_remove(tmp_path):
    with _store_with_places(tmp_path) as store:
        circle = Z.add_zone(store, "Tanf zone", Z.circle_feature(33.5, 38.63, 55.0))
        assert circle.id == "zone:tanf-zone"
        zones_of = {r["id"]: json.loads(r["zones"]) for r in store.query("SELECT id, zones FROM places")}
        assert zones_of == {"d1:p0": [circle.id], "d1:p1": [], "d1:p2": []}
        events = Z.events_in_zone(store, "Tanf zone")
        assert [e["id"] for e in events] == ["d1:e0"]
        assert Z.events_in_zone(store, circle.id, start="2017-06-01") == []
        with pytest.raises(ConfigError):
            Z.add_zone(store, "Tanf zone", Z.circle_feature(0, 0, 1))
        [square] = Z.features_from_geojson(SQUARE)
        Z.add_zone(store, "Damascus square", square)
        assert [z.name for z in Z.load_zones(store)] == ["Damascus square", "Tanf zone"]
        # a metonymic mention ("Damascus said") is not located in a zone
        assert store.scalar("SELECT zones FROM places WHERE id='d1:p2'") == "[]"
        Z.remove_zone(store, "Tanf zone")
        assert store.scalar("SELECT zones FROM places WHERE id='d1:p0'") == "[]"
        assert Z.assign_zones(store) == {"places": 0, "events": 0}
        with pytest.raises(NotFound):
            Z.remove_zone(store, "Tanf zone")


def test_zones_cli(tmp_path):
    from storyline.cli.main import main

    db = str(tmp_path / "zones.db")
    _store_with_places(tmp_path).close()
    geo = tmp_path / "square.geojson"
    geo.write_text(json.dumps({"type": "Feature", "geometry": SQUARE, "properties": {}}))
    assert main(["zones", "add", "tanf", "--around", "Al Tanf", "--radius", "33mi", "--db", db]) == 0
    assert main(["zones", "add", "sq", "--geojson", str(geo), "--db", db]) == 0
    assert main(["zones", "add", "pt", "--point", "55.75,37.62", "--radius", "5km", "--db", db]) == 0
    with open_store(db) as store:
        assert json.loads(store.scalar("SELECT zones FROM places WHERE id='d1:p0'")) == ["zone:tanf"]
        assert json.loads(store.scalar("SELECT zones FROM events WHERE id='d1:e1'")) == ["zone:pt"]
        props = Z.get_zone(store, "tanf").geometry["properties"]
        assert props["radius_km"] == pytest.approx(53.108, 0.001) and "Al Tanf" in props["around"]
    assert main(["zones", "list", "--json", "--db", db]) == 0
    assert main(["zones", "remove", "sq", "--db", db]) == 0
    # user errors: exit non-zero with a message, no traceback
    assert main(["zones", "add", "x", "--point", "nope", "--db", db]) != 0
    assert main(["zones", "add", "x", "--around", "Nowhereville Qzx", "--db", db]) != 0
    assert main(["zones", "add", "x", "--db", db]) != 0
    assert main(["zones", "remove", "missing", "--db", db]) != 0
