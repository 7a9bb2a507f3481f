"""Resolving toponyms to gazetteer entries with the document's context.

Each candidate gets a score: a prior (population, feature type, how well the name
matched) plus context — a country or division given beside the name ("the Syrian town
of X", "X, Texas"), the countries the document mentions, other places resolved nearby,
divisions that contain them, coordinated names ("Ukraine and Georgia"), and the outlet's
home country.  Places that share a name share a reading within a document (one sense
per discourse), except comment authors' locations, which are read on their own: they
say where commenters live, not where the story is.  Two passes: names that are clear
on their own give the context for the others.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from .gazetteer import Gazetteer, distance_km
from .index_build import DATA
from .names import name_key
from .toponyms import FACILITY_WORDS
from .types import NONLITERAL, Entry, Toponym

#: score added for a feature type
CODE_BONUS = {"PCLI": 4.5, "PCLD": 3.0, "PCLS": 3.0, "CONT": 4.0, "PPLC": 2.5, "ADM1": 1.0,
              "ADM2": -0.5, "PPL": 0.0}
#: score added for how the name matched (see Gazetteer.lookup)
MATCH_BONUS = {-1: 2.5, 0: 0.5, 1: -1.0, 2: 2.0, 3: -2.5}
BIG_CITY = 1_000_000
FAMOUS_NAMES = 30
TEMPERATURE = 0.5  # of the softmax turning scores into a confidence
FACILITY_CONFIDENCE = 0.35
LOCAL_BONUS = 0.5
#: how much a mention of a kind says that the document is about that place's country
KIND_WEIGHT = {"metonymic": 0.25, "modifier": 0.25, "demonym": 0.5}
OUTLET_BONUS = 1.5  # local news: the outlet's country, for places below country level
OWN_PRIOR = 7.0  # our own curated places carry no population
CONTEXT_CAP = 4.0  # context may outweigh about four orders of magnitude of population
PROXIMITY = ((60, 2.0), (200, 1.25), (600, 0.5))  # (km, bonus) for a place near another


@dataclasses.dataclass
class Resolution:
    """A toponym and what it was resolved to (``entry`` None when unresolved)."""

    toponym: Toponym
    entry: Entry | None = None
    lat: float | None = None
    lon: float | None = None
    name: str | None = None
    country: str | None = None
    confidence: float = 0.0
    fcode: str | None = None


@dataclasses.dataclass
class Context:
    countries: Counter = dataclasses.field(default_factory=Counter)
    points: list[tuple[str, Entry]] = dataclasses.field(default_factory=list)  # (group, entry)
    local: dict[str, set[str]] = dataclasses.field(default_factory=dict)  # country -> groups
    admin1: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    contained: dict[tuple, set[str]] = dataclasses.field(default_factory=dict)  # -> groups
    resolved: dict[str, Entry] = dataclasses.field(default_factory=dict)  # name key -> entry
    outlet_country: str | None = None
    commenter_countries: Counter = dataclasses.field(default_factory=Counter)

    def country_share(self, iso2: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries[iso2] / total if iso2 and total else 0.0


def resolve_toponyms(toponyms: Sequence[Toponym], gaz: Gazetteer, *,
                     outlet_country: str | None = None) -> list[Resolution]:
    """Resolve every toponym (all kinds; metonymic and demonym ones only add context)."""
    groups = _groups(toponyms)
    ctx = Context(outlet_country=outlet_country)
    _seed_countries(toponyms, gaz, ctx)
    chosen: dict[str, tuple[Entry | None, float]] = {}
    for _ in range(2):
        chosen = {key: _choose(tops, gaz, ctx, key) for key, tops in groups.items()}
        ctx = _context_from(chosen, groups, gaz, ctx)
    group_of = {id(top): key for key, tops in groups.items() for top in tops}
    out = [_finish(top, *chosen[group_of[id(top)]], gaz=gaz, ctx=ctx) for top in toponyms]
    _place_facilities(out)
    return out


def _place_facilities(resolutions: list[Resolution]) -> None:
    """A street or building the gazetteer does not know is put at the document's main
    city, with a low confidence: local news names its own streets."""
    cities = Counter(r.entry for r in resolutions if r.entry is not None
                     and r.toponym.kind in ("literal", "region") and r.entry.fclass == "P"
                     and r.confidence >= 0.5)
    if not cities:
        return
    (city, _), = cities.most_common(1)
    for res in resolutions:
        words = res.toponym.text.lower().split()
        if res.toponym.kind == "facility" and res.entry is None and not res.toponym.candidates \
                and words and words[-1] in FACILITY_WORDS:
            res.lat, res.lon, res.country = city.lat, city.lon, city.country
            res.name = f"{res.toponym.name}, {city.name}"
            res.fcode = "FAC"
            res.confidence = FACILITY_CONFIDENCE


def _group_key(top: Toponym) -> str:
    prefix = "c:" if top.kind == "commenter" else ""
    if top.kind == "border":
        prefix = "b:"
    hint = f"|{top.country_hint}|{top.admin_hint}" if (top.country_hint or top.admin_hint) else ""
    admin = "|adm" if top.admin_only else ""
    return f"{prefix}{name_key(top.name)}{admin}{hint}"


def _groups(toponyms: Sequence[Toponym]) -> dict[str, list[Toponym]]:
    groups: dict[str, list[Toponym]] = defaultdict(list)
    for top in toponyms:
        groups[_group_key(top)].append(top)
    # a bare mention takes the hint of a hinted mention of the same name
    by_name: dict[str, list[str]] = defaultdict(list)
    for key in groups:
        by_name[key.split("|")[0]].append(key)
    merged: dict[str, list[Toponym]] = {}
    for name, keys in by_name.items():
        hinted = [k for k in keys if "|" in k and not k.endswith("|adm")]
        if len(hinted) == 1 and name in keys:
            merged[hinted[0]] = groups[hinted[0]] + groups[name]
            keys = [k for k in keys if k not in (name, hinted[0])]
        for k in keys:
            merged.setdefault(k, groups[k])
    return merged


def _seed_countries(toponyms: Sequence[Toponym], gaz: Gazetteer, ctx: Context) -> None:
    """Countries named unambiguously, by demonyms and by hints: the document's first context."""
    for top in toponyms:
        if top.kind == "commenter":
            continue
        weight = 0.5 if top.kind in NONLITERAL else 1.0
        countries = [e for e in top.candidates if e.is_country]
        if countries and (len(top.candidates) == 1 or top.kind == "demonym"):
            ctx.countries[countries[0].country] += weight
        if top.country_hint:
            ctx.countries[top.country_hint] += 0.5


def _score(entry: Entry, kind: int, top: Toponym, ctx: Context, gaz: Gazetteer,
           group: str, rivals: Sequence[Entry]) -> float:
    s = OWN_PRIOR if entry.gid < 0 else math.log10(entry.population + 1)
    s += CODE_BONUS.get(entry.fcode, 0.0) + MATCH_BONUS.get(kind, 0.0)
    if kind == 1 and entry.fclass == "P" and (entry.population >= BIG_CITY
                                               or entry.nalt >= FAMOUS_NAMES):
        # "New York" for "New York City", "Palmyra" for "Tadmur": the alternate name of a
        # big or famous city (known in many languages) is its common English name
        s -= MATCH_BONUS[1]
    if entry.is_admin and not top.admin_only and any(_namesake_city(r, entry) for r in rivals):
        s -= 3.0  # "Hamburg", "New York": the city, unless "province" or "state" is said
    if top.admin_only and entry.is_admin:
        s += 2.0
    s += _hint_bonus(entry, top)
    if top.kind == "commenter":
        return s + _commenter_bonus(entry, ctx)
    return s + min(CONTEXT_CAP, _context_bonus(entry, top, ctx, gaz, group))


def _namesake_city(city: Entry, admin: Entry) -> bool:
    """A large city named like the division it lies in or beside."""
    if city.fclass != "P" or city.country != admin.country or city.lat is None:
        return False
    if city.population * 10 < admin.population:
        return False
    return city.admin1 == admin.admin1 or distance_km(city.lat, city.lon, admin.lat, admin.lon) < 150


def _hint_bonus(entry: Entry, top: Toponym) -> float:
    s = 0.0
    if top.country_hint:
        s += 6.0 if entry.country == top.country_hint else -4.0
    if top.admin_hint:
        country, admin1 = top.admin_hint
        if entry.country == country and (entry.admin1 == admin1 or not admin1):
            s += 6.0
        else:
            s -= 4.0
    return s


def _commenter_bonus(entry: Entry, ctx: Context) -> float:
    s = 0.0
    if ctx.outlet_country and entry.country == ctx.outlet_country:
        s += 2.5
    total = sum(ctx.commenter_countries.values())
    if total and entry.country:
        s += 3.0 * ctx.commenter_countries[entry.country] / total
    if entry.is_country:
        s -= 1.0  # a commenter more often names a city or state than a country
    return s


def _context_bonus(entry: Entry, top: Toponym, ctx: Context, gaz: Gazetteer, group: str) -> float:
    s = 0.0
    if entry.country and ctx.countries[entry.country]:
        s += (0.5 if entry.is_country else 1.0) + 1.5 * ctx.country_share(entry.country)
    elif entry.country and any(n in ctx.countries for n in gaz.neighbours(entry.country)):
        s += 0.5
    if ctx.outlet_country and entry.country == ctx.outlet_country:
        s += 0.5 if entry.is_country else OUTLET_BONUS
    if entry.country and (entry.country, entry.admin1 or "") in ctx.admin1 and not entry.is_country:
        s += 2.5
    if entry.fcode == "ADM1" and ctx.contained.get((entry.country, entry.admin1), set()) - {group}:
        s += 2.0
    if ctx.local.get(entry.country or "", set()) - {group}:
        s += LOCAL_BONUS  # the document names other towns of that country
    s += _proximity_bonus(entry, ctx, group)
    for name in top.siblings:
        sibling = ctx.resolved.get(name_key(name))
        if sibling is not None and _same_level(sibling, entry):
            s += 2.0
    return s


def _same_level(a: Entry, b: Entry) -> bool:
    if a.is_country or b.is_country:
        return a.is_country and b.is_country
    return a.fclass == b.fclass


def _proximity_bonus(entry: Entry, ctx: Context, group: str) -> float:
    if entry.lat is None or entry.is_country or entry.fcode == "CONT":
        return 0.0
    best = math.inf
    for other_group, other in ctx.points:
        if other_group == group or other.gid == entry.gid or other.lat is None:
            continue
        best = min(best, distance_km(entry.lat, entry.lon, other.lat, other.lon))
    return next((bonus for km, bonus in PROXIMITY if best < km), 0.0)


def _choose(tops: list[Toponym], gaz: Gazetteer, ctx: Context, group: str
            ) -> tuple[Entry | None, float]:
    top = tops[0]
    if top.kind == "border":
        return (top.candidates[0] if top.candidates else None), 0.6
    kinds = _match_kinds(tops, gaz)
    if not kinds:
        return None, 0.0
    rivals = list(kinds)
    # an exact abbreviation ("Vt.", "U.S.") or our own alias decides alone
    if any(k == -1 for k in kinds.values()) and any(c in t.name for t in tops for c in ".") \
            or all(t.name.isupper() for t in tops) and any(k == -1 for k in kinds.values()):
        kinds = {e: k for e, k in kinds.items() if k == -1}
    merged = _merged(tops)
    scores = {e: _score(e, k, merged, ctx, gaz, group, rivals) for e, k in kinds.items()}
    best = max(scores, key=lambda e: (scores[e], e.population))
    z = sum(math.exp((v - scores[best]) / TEMPERATURE) for v in scores.values())
    confidence = 1.0 / z
    if kinds[best] == 3:
        confidence *= 0.7
    return best, round(min(0.97, confidence), 3)


def _match_kinds(tops: list[Toponym], gaz: Gazetteer) -> dict[Entry, int]:
    allowed = {e.gid for t in tops for e in t.candidates}
    kinds: dict[Entry, int] = {}
    for entry, kind in gaz.lookup(tops[0].name):
        if entry.gid in allowed and entry.lat is not None:
            kinds[entry] = min(kind, kinds.get(entry, 9))
    if not kinds:  # candidates set by hand (demonyms, zones)
        kinds = {e: 0 for t in tops for e in t.candidates if e.lat is not None}
    return kinds


def _merged(tops: list[Toponym]) -> Toponym:
    """One toponym carrying every hint and sibling of the group."""
    first = dataclasses.replace(tops[0], siblings=[s for t in tops for s in t.siblings])
    for t in tops:
        first.country_hint = first.country_hint or t.country_hint
        first.admin_hint = first.admin_hint or t.admin_hint
        first.admin_only = first.admin_only or t.admin_only
    return first


def _context_from(chosen: dict[str, tuple[Entry | None, float]],
                  groups: dict[str, list[Toponym]], gaz: Gazetteer, old: Context) -> Context:
    ctx = Context(outlet_country=old.outlet_country)
    for key, (entry, confidence) in chosen.items():
        if entry is None:
            continue
        tops = groups[key]
        if key.startswith("c:"):
            if confidence >= 0.5:
                ctx.commenter_countries[entry.country] += len(tops)
            continue
        weight = sum(KIND_WEIGHT.get(t.kind, 1.0) for t in tops)
        if entry.country:
            ctx.countries[entry.country] += weight
        ctx.resolved[name_key(tops[0].name)] = entry
        if confidence < 0.5:
            continue
        if entry.fcode == "ADM1":
            ctx.admin1.add((entry.country, entry.admin1 or ""))
        elif not entry.is_country and entry.fcode != "CONT":
            ctx.contained.setdefault((entry.country, entry.admin1), set()).add(key)
        literal = any(t.kind in ("literal", "region", "facility") for t in tops)
        landmark = entry.fcode in ("BLDG", "AIRP")  # "the White House" mostly acts
        if literal and not landmark and (not entry.is_area or entry.fcode in ("ADM2",)):
            ctx.points.append((key, entry))
            ctx.local.setdefault(entry.country or "", set()).add(key)
    return ctx


def _finish(top: Toponym, entry: Entry | None, confidence: float, *, gaz: Gazetteer,
            ctx: Context) -> Resolution:
    res = Resolution(toponym=top, entry=entry, confidence=confidence)
    if entry is None:
        return res
    res.lat, res.lon, res.name = entry.lat, entry.lon, entry.name
    res.country, res.fcode = entry.country, entry.fcode
    if top.kind == "border":
        _border_point(res, entry, gaz, ctx)
    elif top.direction and entry.bbox:
        res.lat, res.lon = shift(entry, top.direction)
        res.name = f"{top.direction} {entry.name}"
        res.fcode = "RGN"
    elif top.direction:
        res.name = f"{top.direction} {entry.name}"
        res.fcode = "RGN"
    return res


def shift(entry: Entry, direction: str) -> tuple[float, float]:
    """A point halfway from the centre of ``entry`` towards its ``direction`` edge."""
    s, w, n, e = entry.bbox  # type: ignore[misc]
    lat, lon = entry.lat, entry.lon
    if "north" in direction:
        lat = lat + (n - lat) / 2
    if "south" in direction:
        lat = lat - (lat - s) / 2
    if direction.endswith("east") or direction == "east":
        lon = lon + (e - lon) / 2
    if direction.endswith("west") or direction == "west":
        lon = lon - (lon - w) / 2
    return round(lat, 5), round(lon, 5)


def _border_point(res: Resolution, other: Entry, gaz: Gazetteer, ctx: Context) -> None:
    """The border between ``other`` and the document's main country, when they touch."""
    home = next((c for c, _ in ctx.countries.most_common() if c != other.country), None)
    home_entry = gaz.country(home) if home else None
    if home_entry is None or other.country not in gaz.neighbours(home or ""):
        res.name = f"{other.name} border"
        res.fcode = "BDR"
        return
    res.lat = round((home_entry.lat + other.lat) / 2, 5)
    res.lon = round((home_entry.lon + other.lon) / 2, 5)
    res.name = f"{home_entry.name}–{other.name} border"
    res.country = home_entry.country
    res.fcode = "BDR"


def focus(resolutions: Sequence[Resolution]) -> Entry | None:
    """The document's focus: its most-mentioned country, or a place inside it that takes
    at least a third of that country's mentions (and two or more)."""
    countries: Counter = Counter()
    places: Counter = Counter()
    entries: dict[int, Entry] = {}
    for res in resolutions:
        top = res.toponym
        if res.entry is None or top.kind == "commenter" or not res.country:
            continue
        weight = 0.5 if top.kind in NONLITERAL else 1.0
        countries[res.country] += weight
        if top.kind not in ("metonymic", "demonym"):
            places[res.entry.gid] += 1
            entries[res.entry.gid] = res.entry
    if not countries:
        return None
    country, weight = countries.most_common(1)[0]
    inside = [(n, gid) for gid, n in places.items()
              if entries[gid].country == country and not entries[gid].is_country]
    if inside:
        n, gid = max(inside)
        if n >= 2 and n >= weight / 3:
            return entries[gid]
    literal = [entries[g] for g in places if entries[g].is_country and entries[g].country == country]
    return literal[0] if literal else next(
        (r.entry for r in resolutions if r.entry is not None and r.entry.is_country
         and r.entry.country == country), None)


# --- outlet home country --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _outlet_table() -> dict:
    return json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))["outlet_countries"]


def outlet_country(outlet: str | None = None, url: str | None = None) -> str | None:
    """Home country of a news outlet, from its name or its web address."""
    table = _outlet_table()
    if outlet:
        key = outlet.lower().strip().removeprefix("the ").strip()
        hit = table["names"].get(key) or table["names"].get("the " + key)
        if hit:
            return hit
    if url:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        parts = host.lower().split(".")
        for part in parts[-3:-1]:
            if part in table["names"]:
                return table["names"][part]
        if parts and parts[-1] in table["tld"]:
            return table["tld"][parts[-1]]
        for name, iso in table["names"].items():
            if len(name) > 4 and name.replace(" ", "") in host:
                return iso
    return None
