"""Reading role phrases: "Russian President", "Pentagon spokesman", "Syrian rebels",
"a former CIA official", "Chile's Defense Ministry".

:func:`analyse` finds, in a short phrase, the countries (names, demonyms, "X's"), the
knowledge-base actors it names (organisations, people), the office it names (president,
foreign minister, spokesman …), the sector of its head noun and whether it is "former".
It works on words only, so it serves title phrases in documents and free-standing actor
strings alike.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .kb import Entry, KnowledgeBase
from .names import WORD_SURNAMES, keys, surface_ok, words_with_offsets

#: words that carry no actor meaning of their own
FILLER = frozenset(
    """
    the a an of in at on for to and or s its their his her some several many few two three four
    five dozen dozens hundreds thousands over about around more than group groups team members
    member based led backed largest large prominent heavily armed current new local senior top
    high ranking unnamed anonymous other across from with by who that this these those all one
    most state official ruling national federal regional
    """.split()
)
#: heads that take an armed group's sector ("Boko Haram gunmen")
ARMED_MEMBERS = frozenset(
    """
    gunman gunmen fighter fighters militant militants member members supporter supporters
    loyalist loyalists insurgent insurgents force forces
    """.split()
)
#: heads that take their sector from what they belong to ("opposition spokesman")
FUNCTIONAL = frozenset(
    """
    spokesman spokeswoman spokesperson official leader chief head member representative director
    chairman chairwoman chair president commander negotiator adviser advisor secretary officer
    staff employee worker source aide deputy spokesmen officials leaders members figure delegate
    envoy coordinator founder boss ceo
    """.split()
)
#: sectors that a modifier passes to a functional head
ORG_SECTORS = frozenset(
    """
    opposition rebel party military police intelligence business media education religious
    medical ngo labor criminal paramilitary legislature judiciary human_rights igo health
    armed_group
    """.split()
)
IRREGULAR_PLURALS = {
    "thief": "thieves",
    "wife": "wives",
    "man": "men",
    "woman": "women",
    "child": "children",
    "person": "people",
    "militiaman": "militiamen",
    "serviceman": "servicemen",
    "herdsman": "herdsmen",
    "fisherman": "fishermen",
    "policeman": "policemen",
    "gunman": "gunmen",
    "spokesman": "spokesmen",
    "businessman": "businessmen",
    "congressman": "congressmen",
    "chairman": "chairmen",
    "clergyman": "clergymen",
    "statesman": "statesmen",
}


@dataclasses.dataclass
class RoleInfo:
    """What a role phrase says about an actor."""

    text: str
    country: str | None = None
    countries: list[str] = dataclasses.field(default_factory=list)
    located: list[str] = dataclasses.field(default_factory=list)
    sector: str | None = None
    sector2: str | None = None
    office: str | None = None
    head: str | None = None  # the sector noun or office phrase found (singular form)
    head_sector: str | None = None
    former: bool = False
    plural: bool = False
    entities: list[Entry] = dataclasses.field(default_factory=list)
    person: Entry | None = None  # a person the phrase names ("Putin's spokesman")
    org: Entry | None = None  # an organisation the phrase names ("Pentagon spokesman")
    demonym_only: bool = False
    religion: str | None = None
    unmatched: list[str] = dataclasses.field(default_factory=list)  # words that named nothing
    office_at: int = -1

    @property
    def has_country_signal(self) -> bool:
        return bool(self.countries) or self.org is not None or self.person is not None


def _plural(word: str) -> str:
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if word.endswith("man") and word not in ("human", "german", "roman", "shaman"):
        return word[:-3] + "men"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


def _phrase_tables(lexicon: dict[str, Any]) -> dict[str, Any]:
    """Word-key tables of the lexicon: sector nouns and office phrases, with plurals."""
    sectors: dict[tuple[str, ...], tuple[str, str, bool]] = {}
    for sector, nouns in lexicon["sectors"].items():
        for noun in nouns:
            words = keys(noun)
            if not words:
                continue
            sectors.setdefault(words, (sector, noun, False))
            plural = words[:-1] + (_plural(words[-1]),)
            sectors.setdefault(plural, (sector, noun, True))
    offices: dict[tuple[str, ...], str] = {}
    for office, phrases in lexicon["offices"].items():
        for phrase in phrases:
            words = keys(phrase)
            offices.setdefault(words, office)
            offices.setdefault(words[:-1] + (_plural(words[-1]),), office)
    former = {keys(w) for w in lexicon["former"] if keys(w)}
    religions = {keys(k): v for k, v in lexicon.get("religions", {}).items()}
    ship_classes = {keys(k): v for k, v in lexicon.get("ship_classes", {}).items() if keys(k)}
    return {
        "ship_prefixes": dict(lexicon.get("ship_prefixes", {})),
        "ship_classes": ship_classes,
        "max_ship_class": max((len(k) for k in ship_classes), default=0),
        "sectors": sectors,
        "offices": offices,
        "former": former,
        "religions": religions,
        "max_sector": max(len(k) for k in sectors),
        "max_office": max(len(k) for k in offices),
    }


def tables(kb: KnowledgeBase) -> dict[str, Any]:
    """The lexicon tables of ``kb`` (built once per knowledge base)."""
    if "roles" not in kb.cache:
        kb.cache["roles"] = _phrase_tables(kb.lexicon)
    return kb.cache["roles"]


def _longest(
    words: list[str], i: int, table: dict[tuple[str, ...], Any], longest: int
) -> tuple[int, Any]:
    for n in range(min(longest, len(words) - i), 0, -1):
        value = table.get(tuple(words[i : i + n]))
        if value is not None:
            return n, value
    return 0, None


#: prepositions after which a country is a topic or a place, not the actor's own
TOPIC_PREPS = frozenset(
    """
    on for to about over with against into toward towards regarding
    """.split()
)
#: heads after which a country's name is where the actor is sent ("Syria envoy")
DESTINATION_HEADS = frozenset(
    """
    envoy envoys ambassador ambassadors emissary czar coordinator negotiator desk policy expert
    experts analyst analysts hawks hawk specialist
    """.split()
)
#: heads after which "for X" names whom the actor works for, not a topic
SPEAKS_FOR = frozenset(
    """
    spokesman spokeswoman spokesperson spokesmen spokespeople official officials lawyer lawyers
    attorney attorneys adviser advisers advisor advisors worker workers
    """.split()
)
#: prepositions after which a country is where the actor is ("police in Kabul")
PLACE_PREPS = frozenset({"in", "at", "inside", "within", "across", "near", "from", "of"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})


def analyse(
    text: str, kb: KnowledgeBase, when: Any = None, people: dict[str, Entry] | None = None
) -> RoleInfo:
    """Everything :class:`RoleInfo` can say about the phrase ``text``.

    ``people`` maps surname keys to people already known in the context (a document), so
    that "Putin's spokesman" finds Putin; otherwise a surname known to the knowledge base for
    one person only is used.
    """
    info = RoleInfo(text=text)
    spans = words_with_offsets(text)
    words = [w for w, _, _ in spans]
    tab = tables(kb)
    i = 0
    heads: list[tuple[str, str, bool, int]] = []  # (sector, noun, plural, position)
    while i < len(words):
        prev = i - 1
        while prev >= 0 and words[prev] in DETERMINERS:
            prev -= 1
        topical = prev >= 0 and words[prev] in TOPIC_PREPS
        if topical and words[prev] == "for" and prev > 0 and words[prev - 1] in SPEAKS_FOR:
            topical = False  # "a spokesman for the Taliban" belongs to the Taliban
        located = prev >= 0 and words[prev] in PLACE_PREPS and words[prev] != "of"
        surface = text[spans[i][1] : spans[i][2]]
        if (
            surface in tab["ship_prefixes"]
            and i + 1 < len(words)
            and text[spans[i + 1][1] : spans[i + 1][1] + 1].isupper()
        ):  # "USS Carney", "HMS Defender": a warship of that navy
            if not topical:
                info.countries.append(tab["ship_prefixes"][surface])
            heads.append(("military", "warship", False, i))
            i += 1
            while i < len(words) and text[spans[i][1] : spans[i][1] + 1].isupper():
                i += 1
            continue
        n, navy = _ship_class(words, i, tab)
        if n and navy:  # "an Arleigh Burke-class destroyer": the class says whose navy
            if not topical:
                info.countries.append(navy)
            i += n
            continue
        before = len(info.countries)
        n = _match_entity(text, spans, i, kb, info, topical, when, people)
        if located and len(info.countries) > before:  # "police in Kabul": a weaker signal
            info.located += info.countries[before:]
            del info.countries[before:]
        if n:
            i += n
            continue
        n, office = _longest(words, i, tab["offices"], tab["max_office"])
        m, sector = _longest(words, i, tab["sectors"], tab["max_sector"])
        if n and n >= m:
            info.office = office
            info.office_at = len(heads)
            noun = " ".join(words[i : i + n])
            heads.append(
                ("government", noun, words[i + n - 1].endswith("s") and office != "spox", i)
            )
            i += n
            continue
        if m:
            heads.append((sector[0], sector[1], sector[2], i))
            i += m
            continue
        if (words[i],) in tab["former"] or (
            i + 1 < len(words) and tuple(words[i : i + 2]) in tab["former"]
        ):
            info.former = True
        if not n and not m and info.country is None:
            city = (
                kb.city_country(text[spans[i][1] : spans[i][2]])
                if text[spans[i][1] : spans[i][1] + 1].isupper()
                else None
            )
            if city:
                info.located.append(city)
        if (words[i],) in tab["religions"]:
            info.religion = tab["religions"][(words[i],)]
        elif words[i] not in FILLER and not words[i].isdigit() and not info.former:
            info.unmatched.append(words[i])
        i += 1
    _settle_sector(info, heads)
    if (
        info.office
        and info.office_at >= 0
        and info.office_at < len(heads) - 1
        and heads[-1][0] not in ("government", "unknown")
    ):
        info.office = None  # "President of the … Human Rights League": the office is the league's
    if info.religion and (
        info.sector in (None, "unknown", "civilian") or (info.head or "").split()[-1] in FUNCTIONAL
    ):
        info.sector = "religious"
    if (
        info.office
        and info.office not in ("spox", "leader")
        and info.org is not None
        and not info.org.id.startswith(("gov:", "country:"))
        and info.org.sector != "government"
    ):
        info.office = None  # "President of the European Council" is not a head of state
    info.country = info.countries[0] if info.countries else None
    if info.country is None and info.located:
        info.country = info.located[0]
    if info.org is not None and info.country is None:
        info.country = info.org.country
    if info.person is not None and info.country is None:
        info.country = info.person.profile_at(when)[1]
    return info


def _ship_class(words: list[str], i: int, tab: dict[str, Any]) -> tuple[int, str | None]:
    """A warship class name at ``i``, followed by "class" ("Arleigh Burke-class") unless it
    is a type designation ("Type 055"): (words consumed, the navy's country)."""
    for n in range(min(tab["max_ship_class"], len(words) - i), 0, -1):
        country = tab["ship_classes"].get(tuple(words[i : i + n]))
        if country is None:
            continue
        if i + n < len(words) and words[i + n] == "class":
            return n + 1, country
        if words[i] == "type" and n > 1:
            return n, country
    return 0, None


def _match_entity(
    text: str,
    spans: list[tuple[str, int, int]],
    i: int,
    kb: KnowledgeBase,
    info: RoleInfo,
    topical: bool,
    when: Any,
    people: dict[str, Entry] | None,
) -> int:
    """Countries, demonyms and knowledge-base names starting at word ``i``; returns the
    number of words consumed (0 if none).  Countries after a topical preposition ("envoy
    on Syria") are consumed but not recorded as the actor's."""
    words = [w for w, _, _ in spans]
    for n in range(min(kb.max_alias_words, len(words) - i), 0, -1):
        chunk = tuple(words[i : i + n])
        surface = text[spans[i][1] : spans[i + n - 1][2]]
        if not surface[:1].isupper() and not surface[:1].isdigit():
            continue
        country = kb.country_keys.get(chunk) or (kb.demonyms.get(chunk) or (None,))[0]
        if country:
            destination = (
                chunk in kb.country_keys
                and i + n < len(words)
                and words[i + n] in DESTINATION_HEADS
            )
            if not topical and not destination:  # "Syria envoy" is an envoy *for* Syria
                info.countries.append(country)
            return n
        hits = [
            h
            for k, h in kb.alias_index.get(chunk[0], ())
            if k == chunk
            and h.kind in ("name", "alias", "seat", "metonym", "capital")
            and surface_ok(h.alias, surface)
        ]
        if info.countries and hits:  # "Chile's Defense Department" is not the Pentagon
            hits = [
                h
                for h in hits
                if kb.entries[h.entry_id].country in (None, *info.countries) or h.kind == "capital"
            ]
        if hits:
            entry = kb.entries[hits[0].entry_id]
            if hits[0].kind == "capital":  # a city: where the actor is, not who it is
                if not topical and entry.country:
                    info.countries.append(entry.country)
                return n
            _note_entity(info, entry, topical)
            return n
        if n > 1 and chunk in kb.region_keys:  # "Cabo Delgado insurgents", "North Kivu militias"
            if not topical:
                info.located.append(kb.region_keys[chunk])
            return n
    word, start, end = spans[i]
    surface = text[start:end]
    if surface[:1].isupper() and text[start - 1 : start] != "-":  # not the "Su" of "Mat-Su"
        person = (people or {}).get(word) or _unique_surname(kb, word, when)
        if person is not None:
            _note_entity(info, person, topical)
            return 1
    return 0


def _unique_surname(kb: KnowledgeBase, word: str, when: Any) -> Entry | None:
    if word in WORD_SURNAMES:
        return None
    ids = kb.surnames.get(word, [])
    if len(ids) == 1:
        return kb.entries[ids[0]]
    if when is not None and ids:
        active = [kb.entries[e] for e in ids if kb.entries[e].term_at(when)]
        if len(active) == 1:
            return active[0]
    return None


def _note_entity(info: RoleInfo, entry: Entry, topical: bool) -> None:
    info.entities.append(entry)
    if topical:
        return
    if entry.type == "PERSON":
        info.person = info.person or entry
    elif entry.type != "GPE" or entry.sector == "breakaway":
        info.org = info.org or entry
    if entry.country and entry.id.startswith(("gov:", "country:")):
        info.countries.append(entry.country)


def _settle_sector(info: RoleInfo, heads: list[tuple[str, str, bool, int]]) -> None:
    """The sector is the head noun's (the last one), unless a functional head ("spokesman")
    belongs to an organisation or group named before it."""
    if not heads:
        if info.org is not None:
            info.sector, info.sector2 = info.org.sector, info.org.sector2
        return
    sector, noun, plural, _ = heads[-1]
    info.head, info.head_sector, info.plural = noun, sector, plural
    info.sector = sector
    last_word = noun.split()[-1]
    if (
        info.org is not None
        and info.org.sector in ("rebel", "paramilitary", "criminal", "armed_group")
        and (last_word in ARMED_MEMBERS or noun in ARMED_MEMBERS)
    ):
        info.sector = info.org.sector
    elif last_word in FUNCTIONAL or noun in FUNCTIONAL:
        modifiers = [h for h in heads[:-1] if h[0] in ORG_SECTORS]
        if modifiers:
            info.sector = modifiers[-1][0]
        elif info.org is not None and info.org.sector:
            info.sector, info.sector2 = info.org.sector, info.org.sector2
    elif len(heads) > 1 and sector in ("unknown", "civilian") and heads[-2][0] not in ("unknown",):
        info.sector = heads[-2][0]
    if info.former:
        info.sector2 = info.sector
        info.sector = "elite"
