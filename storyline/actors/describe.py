"""Coding actors the knowledge base does not know from what their own string says.

* a misspelt actor noun is read as the noun it misspells ("white supremicists");
* a town or province names the country (:mod:`.places`: "Dehli police");
* a place or premises named instead of an actor is a civilian target ("an amusement park
  in Kabul");
* title-cased words ending in an actor noun are an organisation's proper name ("Madras
  High Court");
* an unknown person is coded by the rank, title or description around the name ("the
  Chilean mines minister X", "Lt. Gen. X", "X, a member of the al-Shabaab militia");
* kinds of office holders have encyclopedia titles of their own ("MEPs",
  "Canadian Ambassador to the United Nations").

Used by :func:`storyline.actors.codes.code_actor`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .codes import FUNCTIONAL_HEADS, phrase_code, real_country, sector_code
from .kb import KnowledgeBase
from .names import keys
from .roles import RoleInfo, analyse, tables


def analyse_corrected(text: str, kb: KnowledgeBase, when: dt.date | None) -> RoleInfo:
    """:func:`analyse`, again with misspelt actor nouns corrected ("white supremicists",
    "Katushya") when the first reading finds no actor noun."""
    info = analyse(text, kb, when)
    if info.head or info.office or info.org is not None or info.person is not None:
        return info
    corrected = text
    for word in info.unmatched:
        fixed = _closest_noun(word, kb)
        if fixed:
            corrected = re.sub(rf"\b{re.escape(word)}\b", fixed, corrected, flags=re.IGNORECASE)
    if corrected == text:
        return info
    again = analyse(corrected, kb, when)
    return again if again.head else info


#: how alike a misspelt word and an actor noun must be (rapidfuzz ratio, 0-100)
FUZZY_NOUN_RATIO = 85
FUZZY_NOUN_MIN_LENGTH = 7


def _closest_noun(word: str, kb: KnowledgeBase) -> str | None:
    """The lexicon's one-word actor noun that ``word`` misspells, if exactly one is close."""
    from rapidfuzz import fuzz

    if len(word) < FUZZY_NOUN_MIN_LENGTH or not word.isalpha():
        return None
    word = word.lower()
    nouns = _one_word_nouns(kb)
    scored = [
        (fuzz.ratio(word, noun), noun)
        for noun in nouns
        if noun[0] == word[0] and abs(len(noun) - len(word)) <= 2
    ]
    good = sorted((s, n) for s, n in scored if s >= FUZZY_NOUN_RATIO)
    if not good or (len(good) > 1 and good[-2][0] == good[-1][0]):
        return None
    return good[-1][1]


def _one_word_nouns(kb: KnowledgeBase) -> tuple[str, ...]:
    if "one_word_nouns" not in kb.cache:
        table = tables(kb)
        nouns = {k[0] for k in (*table["sectors"], *table["offices"]) if len(k) == 1}
        kb.cache["one_word_nouns"] = tuple(sorted(n for n in nouns if n.isalpha()))
    return kb.cache["one_word_nouns"]


def locate(info: RoleInfo, kb: KnowledgeBase) -> None:
    """Give a phrase without a country the country of a town or province it names
    ("Dehli police", "Santa Marta Self Defense Forces")."""
    if info.country or info.org is not None or info.person is not None or not info.head:
        return
    from .places import places_in

    found = places_in(info.text, _known_words(kb))
    if len(found) == 1:
        info.country = found[0]
        info.located.append(found[0])


def _known_words(kb: KnowledgeBase) -> frozenset[str]:
    """Lower-cased words of the lexicon's actor nouns and office phrases: never places."""
    if "known_words" not in kb.cache:
        table = tables(kb)
        words = {w for k in (*table["sectors"], *table["offices"]) for w in k}
        words |= {w.lower() for h in kb.lexicon["honorifics"] for w in h.replace(".", "").split()}
        kb.cache["known_words"] = frozenset(words)
    return kb.cache["known_words"]


def facility_code(info: RoleInfo, kb: KnowledgeBase) -> dict[str, Any] | None:
    """A place or premises named instead of an actor ("an amusement park in Kabul"):
    a civilian target of the country it is in."""
    words = keys(info.text)
    facilities = {tuple(keys(f)) for f in kb.lexicon.get("facilities", ())}
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            chunk = tuple(words[i : i + n])
            if chunk in facilities or (chunk[:-1] + (chunk[-1].rstrip("s"),)) in facilities:
                return {
                    "country": info.country or "",
                    "code_1": "CVL",
                    "code_2": "",
                    "wiki": "",
                    "pattern": " ".join(chunk),
                    "source": "facility",
                }
    return None


#: lower-case words allowed inside an organisation's proper name
NAME_CONNECTORS = frozenset({"of", "the", "for", "and", "de", "del", "la", "du", "des", "on", "in"})


def named_org(bare: str, info: RoleInfo, kb: KnowledgeBase) -> str | None:
    """The proper name of an organisation the knowledge base does not know ("Amherst
    College", "Madras High Court"): title-cased words ending in an actor noun, with at least
    one word that is neither a country, a lexicon word nor filler.  None for generic
    phrases ("Slovak Soldiers", "Pakistani Army") and titles ("President of the …")."""
    words = bare.split()
    if len(words) < 2 or not info.head or info.person is not None or info.org is not None:
        return None
    if info.sector in (None, "unknown"):
        return None
    if any(not w[:1].isupper() and w.lower() not in NAME_CONNECTORS for w in words):
        return None
    first = keys(words[0])
    if not first or first[0] in FUNCTIONAL_HEADS:
        return None
    if words[0].rstrip(".") in kb.lexicon["honorifics"]:
        return None
    if info.office or not info.unmatched:
        return None
    return bare.strip(" .,")


def without_name(text: str, main: Any) -> str:
    """``text`` without the person's name (the title before it stays)."""
    for name in (main.actor_name, main.text):
        if name and name in text:
            return text.replace(name, " ")
    return text


def description_country(text: str, main: Any, kb: KnowledgeBase, when: dt.date | None) -> str:
    """The country the words around an unknown person's name give (a demonym, a country,
    a city or a province: "Kharkiv regional governor X", "X, Chile's mines minister")."""
    rest = without_name(text, main)
    info = analyse(rest, kb, when)
    country = info.country
    if not country and info.org is None and info.person is None:
        from .places import places_in

        found = places_in(rest, _known_words(kb))
        country = found[0] if len(found) == 1 else None
    return country if country and real_country(country) else ""


def _honorific_table(kb: KnowledgeBase) -> dict[str, str | None]:
    """Honorifics without their dots ("Lt Gen") -> the sector they imply."""
    if "honorifics_nodot" not in kb.cache:
        kb.cache["honorifics_nodot"] = {
            h.replace(".", ""): v for h, v in kb.lexicon["honorifics"].items()
        }
    return kb.cache["honorifics_nodot"]


def only_honorifics(rest: str, kb: KnowledgeBase) -> bool:
    words = re.findall(r"[\w-]+", rest)
    table = _honorific_table(kb)
    return bool(words) and all(w in table or w.lower() in ("the", "and") for w in words)


def described_person(
    text: str, main: Any, kb: KnowledgeBase, when: dt.date | None
) -> dict[str, Any] | None:
    """An unknown person whose string says what they are: a rank or title before the name
    ("Lt. Gen. John Doe", "Judge Jane Roe") or a description around it ("John Doe, a
    member of the al-Shabaab militia")."""
    rest = without_name(text, main)
    honorifics = _honorific_table(kb)
    sector = None
    for word in re.findall(r"[A-Z][\w-]*\.?(?:\s+[A-Z][\w-]*\.?)?", rest):
        for form in (word, word.split()[0]):
            sector = sector or honorifics.get(form.replace(".", "").strip())
    info = analyse(rest, kb, when)
    code = phrase_code(info) if (info.head or info.org is not None) else None
    if code is None and sector:
        code = {"country": "", "code_1": sector_code(sector), "code_2": "", "wiki": ""}
        code["pattern"] = ""
    if code is None:
        return None
    if not code.get("country"):
        code["country"] = description_country(text, main, kb, when)
    code["source"] = "described person"
    return code


UN_ENVOY = re.compile(
    r"^(?P<who>.+?)\s+(?:ambassador|envoy|representative)\s+to\s+the\s+"
    r"(?:united\s+nations|u\.?n\.?)$",
    re.IGNORECASE,
)


def role_title(text: str, kb: KnowledgeBase) -> str | None:
    """The encyclopedia title of a kind of office holder named by ``text`` ("MEPs" ->
    "Member of the European Parliament", "Canadian Ambassador to the United Nations" ->
    "Permanent Representative of Canada to the United Nations"), or None."""
    if "role_titles" not in kb.cache:
        from .roles import _plural

        table: dict[tuple[str, ...], str] = {}
        for phrase, title in kb.lexicon.get("role_titles", {}).items():
            words = keys(phrase)
            table.setdefault(words, title)
            table.setdefault(words[:-1] + (_plural(words[-1]),), title)
        kb.cache["role_titles"] = table
    words = keys(text)
    if words in kb.cache["role_titles"]:
        return kb.cache["role_titles"][words]
    envoy = UN_ENVOY.match(text.strip())
    if envoy:
        who = envoy.group("who")
        iso3 = kb.country_of(who) or (kb.demonym(who) or (None,))[0]
        if iso3 in kb.countries:
            return f"Permanent Representative of {kb.countries[iso3].display} to the United Nations"
    return None
