"""The offline gazetteer: names, abbreviations, own regions, coordinates for areas."""

from __future__ import annotations

import pytest

from storyline.geo.gazetteer import distance_km, get_gazetteer
from storyline.geo.names import name_key


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def best(gaz, name, **filters):
    matches = [e for e, _ in gaz.lookup(name)
               if all(getattr(e, k) == v for k, v in filters.items())]
    return max(matches, key=lambda e: e.population) if matches else None


def test_name_keys_fold_accents_hyphens_and_articles():
    assert name_key("al-Bab") == name_key("Al Bab")
    assert name_key("Ḩimş") == "hims"
    assert name_key("The Hague") == "hague"


@pytest.mark.parametrize("surface, iso2", [
    ("U.S.", "US"), ("US", "US"), ("UK", "GB"), ("U.K.", "GB"), ("UAE", "AE"),
    ("Britain", "GB"), ("Syria", "SY"), ("Russia", "RU"), ("Ivory Coast", "CI"),
])
def test_country_names_and_abbreviations(gaz, surface, iso2):
    countries = [e for e, _ in gaz.lookup(surface) if e.is_country]
    assert [e.country for e in countries] == [iso2]
    assert countries[0].lat is not None and countries[0].lon is not None


def test_countries_have_points_inside_them(gaz):
    # representative points near the usual GeoNames centres
    for iso2, lat, lon in [("SY", 35.0, 38.0), ("US", 39.76, -98.5), ("DE", 51.5, 10.5),
                           ("KZ", 48.0, 68.0), ("JO", 31.0, 36.0)]:
        entry = gaz.country(iso2)
        assert distance_km(entry.lat, entry.lon, lat, lon) < 161, iso2


def test_first_level_regions_have_coordinates(gaz):
    georgia_us = best(gaz, "Georgia", country="US", fcode="ADM1")
    assert georgia_us is not None and 31 < georgia_us.lat < 35 and -86 < georgia_us.lon < -81
    idlib = best(gaz, "Idlib", fcode="ADM1")
    assert idlib.country == "SY" and distance_km(idlib.lat, idlib.lon, 35.8, 36.6) < 80


def test_state_abbreviations_are_exact_surfaces(gaz):
    assert [e.name for e, k in gaz.lookup("Vt.") if k == -1] == ["Vermont"]
    assert gaz.postal("GA").name == "Georgia"
    assert gaz.postal("QC").country == "CA"


@pytest.mark.parametrize("name, iso2, lat, lon, km", [
    ("East Ghouta", "SY", 33.55, 36.45, 30), ("Al Tanf", "SY", 33.5, 38.65, 40),
    ("Donbas", "UA", 48.0, 38.0, 150), ("Gaza Strip", "PS", 31.4, 34.4, 30),
    ("Golan Heights", "SY", 33.0, 35.8, 50),
])
def test_own_regions(gaz, name, iso2, lat, lon, km):
    entry = next(e for e, k in gaz.lookup(name) if k in (-1, 2))
    assert entry.country == iso2
    assert distance_km(entry.lat, entry.lon, lat, lon) < km
    assert entry.geonameid is None  # not a GeoNames feature


def test_crimea_is_the_admin_division_with_an_english_name(gaz):
    crimea = next(e for e, k in gaz.lookup("Crimea") if k == -1)
    assert (crimea.name, crimea.country, crimea.fcode) == ("Crimea", "UA", "ADM1")


def test_cities_with_alternate_names(gaz):
    assert best(gaz, "Kaliningrad").country == "RU"
    assert best(gaz, "Königsberg", country="RU").name == "Kaliningrad"
    assert {e.country for e, _ in gaz.lookup("Damascus")} >= {"SY", "US"}


def test_demonyms_point_to_countries(gaz):
    assert gaz.demonym("Syrian")[1] == "SY"
    assert gaz.demonym("Iraqi")[1] == "IQ"
    assert gaz.demonym("Kurdish")[0].name == "Kurdistan"
    assert gaz.demonym("Zorblian") is None


def test_neighbours(gaz):
    assert {"IQ", "JO", "TR", "LB", "IL"} <= gaz.neighbours("SY")
