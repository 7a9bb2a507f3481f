"""Data types of the places stage: gazetteer entries, toponyms found in text, stored places."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from ..records import Span

#: GeoNames feature codes of administrative divisions and countries
COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "TERR"})
ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADMD"})
#: kinds of toponym that do not name a location: a place standing for its government
#: ("Moscow said"), an adjective of nationality, a name modifying an agent ("U.S. officials")
NONLITERAL = ("metonymic", "demonym", "modifier")
#: kinds of stored place that say where something is (metonymic ones do not)
LOCATED_KINDS = ("literal", "region", "border", "zone", "facility", "commenter")


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry (a GeoNames feature, or one of Storyline's own regions).

    Own entries without a GeoNames id carry a negative ``gid``; :attr:`geonameid` is then
    ``None``.  ``bbox`` is ``(south, west, north, east)`` for areas (countries, regions).
    """

    gid: int
    name: str
    country: str | None
    admin1: str | None  # admin1 code within the country ("13", "GA")
    lat: float | None
    lon: float | None
    fclass: str
    fcode: str
    population: int = 0
    bbox: tuple[float, float, float, float] | None = None
    nalt: int = 0  # how many alternate names GeoNames knows: a measure of fame

    @property
    def geonameid(self) -> int | None:
        return self.gid if self.gid > 0 else None

    @property
    def is_country(self) -> bool:
        return self.fcode in COUNTRY_CODES

    @property
    def is_admin(self) -> bool:
        return self.fcode in ADMIN_CODES

    @property
    def is_area(self) -> bool:
        """A large area (country, admin division, continent, region, sea) rather than a point."""
        return self.fclass in ("A", "L", "H", "T") and self.fcode not in ("MILB", "AIRP")


@dataclasses.dataclass(kw_only=True)
class Toponym:
    """A place expression found in text, before resolution (not stored).

    ``start``/``end`` cover the whole expression ("southwest Syria", "a 33-mile zone around
    the base"); ``head_start``/``head_end`` cover the name looked up ("Syria", "the base").
    ``kind`` is literal, region (a direction or part of a place), border, zone, facility,
    commenter (a comment author's self-given location), metonymic (a place standing for
    its government or people) or demonym (an adjective of a country).
    """

    start: int
    end: int
    text: str
    head_start: int
    head_end: int
    name: str
    kind: str = "literal"
    label: str = ""  # spaCy label or "GAZ" for a gazetteer match
    direction: str | None = None  # north, southwest, central … for regions
    country_hint: str | None = None  # ISO2 given by the context ("the Syrian town of X")
    admin_hint: tuple[str, str] | None = None  # (country, admin1 code) from "X, Texas"
    radius_km: float | None = None  # for zones
    border_with: str | None = None  # ISO2 of the other side, for borders
    candidates: list[Entry] = dataclasses.field(default_factory=list)
    comment_idx: int | None = None  # index of the comment whose author gave this location
    siblings: list[str] = dataclasses.field(default_factory=list)  # coordinated names
    admin_only: bool = False  # "Homs province": an administrative division is meant


@dataclasses.dataclass(kw_only=True)
class Place(Span):
    """A place mentioned in a document, resolved against the gazetteer.

    ``text`` is the expression as written; ``name`` the resolved place's name (for a region
    such as "southern Syria", a name made from the direction and the base place).
    ``geonameid`` is ``None`` for places of Storyline's own table and for places that could
    not be resolved (then the coordinates are ``None`` too).  ``is_focus`` marks the
    document's focus location; ``zones`` lists the ids of the user zones it falls in.
    """

    TABLE: ClassVar[str] = "places"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("zones",)

    id: str
    text: str
    geonameid: int | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    population: int | None = None
    is_focus: bool = False
    zones: list[str] = dataclasses.field(default_factory=list)
    kind: str = "literal"
    radius_km: float | None = None
