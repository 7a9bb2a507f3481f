"""The country of a place named inside an actor string ("Santa Marta Self Defense Forces",
"Dehli police", "the Northern Territory's medical services").

The knowledge base knows countries, capitals and a few regions; every other town or
province is looked up in the shared gazetteer (:mod:`storyline.geo.gazetteer`, GeoNames
names with their alternate spellings).  Only well-known places count, and a name that
several countries share with comparable weight counts for none.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: capitalised words that name first-level divisions somewhere but mean a direction or a
#: rank in an actor string ("Northern Fleet", "Central Bank")
NOT_PLACES = frozenset(
    """
    north south east west northern southern eastern western central upper lower greater
    new old great high middle inner outer coastal national federal royal united grand
    """.split()
)
MIN_POPULATION_ONE_WORD = 100_000
MIN_POPULATION_NAME = 15_000
MIN_POPULATION_DIVISION = 200_000
#: a place found by one of its alternate names must be a big one ("Dehli", "Madras")
MIN_POPULATION_ALTERNATE = 1_000_000
#: a second country's best candidate this close to the first makes the name ambiguous
AMBIGUOUS_RATIO = 0.5
_CAPITALISED = re.compile(
    r"[A-Z][\w’'.-]*(?:\s+(?:(?:de|del|da|do|of|al|el)\s+)?[A-Z][\w’'.-]*)*"
)


def _gazetteer():
    try:
        from ..geo.gazetteer import get_gazetteer

        return get_gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer (missing package, read-only cache)
        return None


@lru_cache(maxsize=20_000)
def place_country(name: str) -> str | None:
    """ISO3 of the country of the well-known place ``name`` (a town of some size, a
    province), or None when unknown, too small or shared by several countries."""
    name = name.strip(" .,;:’'")
    words = name.split()
    if not words or (len(words) == 1 and name.lower() in NOT_PLACES) or len(name) < 3:
        return None
    gazetteer = _gazetteer()
    if gazetteer is None:
        return None
    best: dict[str, float] = {}
    for entry, kind in gazetteer.lookup(name):
        weight = _weight(entry, kind, len(words))
        if weight and entry.country:
            best[entry.country] = max(best.get(entry.country, 0.0), weight)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] >= AMBIGUOUS_RATIO * ranked[0][1]:
        return None
    return _iso3(ranked[0][0])


def _weight(entry, kind: int, n_words: int) -> float:
    """How strongly a gazetteer entry claims the name: its population, halved for an
    alternate spelling; 0 for weak variants, small places and non-settlements."""
    if kind not in (-1, 0, 1):
        return 0.0
    population = float(entry.population or 0)
    if entry.fclass == "P":
        floor = MIN_POPULATION_ONE_WORD if n_words == 1 else MIN_POPULATION_NAME
    elif entry.fcode in ("ADM1", "ADM2"):
        floor = MIN_POPULATION_DIVISION
    else:
        return 0.0
    if kind == 1:  # GeoNames' alternate names hold nicknames too ("Google" for Topeka)
        floor = max(floor, MIN_POPULATION_ALTERNATE)
    if population < floor:
        return 0.0
    return population * (0.5 if kind == 1 else 1.0)


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    from .kb import load_kb

    return {c.iso2: c.iso3 for c in load_kb().countries.values()}


def _iso3(iso2: str) -> str | None:
    return _iso2_to_iso3().get(iso2)


def places_in(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """Countries of the places named by capitalised word groups in ``text`` (longest
    groups first, then their parts); ``skip`` holds lower-cased words known to be
    something else (sector nouns, names of organisations)."""
    found: list[str] = []
    for match in _CAPITALISED.finditer(text):
        words = match.group(0).split()
        country = _longest_place(words, skip)
        if country and country not in found:
            found.append(country)
    return found


def _longest_place(words: list[str], skip: frozenset[str]) -> str | None:
    for n in range(min(len(words), 4), 0, -1):
        for i in range(len(words) - n + 1):
            chunk = words[i : i + n]
            if any(w.lower().strip("’'.") in skip for w in chunk):
                continue
            country = place_country(" ".join(chunk))
            if country:
                return country
    return None
