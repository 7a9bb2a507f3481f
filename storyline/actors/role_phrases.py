"""Pass 5 of :mod:`.resolve`: role phrases ("the Russian president", "Putin's spokesman",
"a U.S. official", "Syrian rebels", "Pentagon officials")."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from .kb import Entry, KnowledgeBase
from .names import key, keys
from .reading import STRONG_GROUP_HEADS, Cand, Reader, _clean_role
from .roles import FUNCTIONAL, RoleInfo, analyse

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


# --- 5. role phrases -----------------------------------------------------------------------------


def _role_phrases(reader: Reader) -> None:
    from .roles import tables

    doc = reader.doc
    heads = _role_heads(tables(reader.kb))
    for i in _token_indices(doc, "POS", ("NOUN", "PROPN"), "LOWER", heads):
        tok = doc[i]
        if tok.dep_ in ("compound",) and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
            continue
        if not reader.free(tok.idx, tok.idx + len(tok.text)):
            continue
        _role_phrase(reader, tok)


def _token_indices(
    doc: Doc, attr: str, values: tuple[str, ...], attr2: str | None = None,
    values2: frozenset[str] = frozenset(),
) -> list[int]:
    """Indices, in order, of the tokens whose ``attr`` ("POS", "TAG", "LOWER") is one of
    ``values`` (and ``attr2`` one of ``values2``), read from the token attribute array
    instead of token by token."""
    if not len(doc):
        return []
    attrs = [attr] if attr2 is None else [attr, attr2]
    arr = doc.to_array(attrs).reshape(len(doc), len(attrs))
    column = arr[:, 0]
    ids = _attr_ids(attr, values)
    mask = column == ids[0]
    for value in ids[1:]:
        mask |= column == value
    found = mask.nonzero()[0].tolist()
    if attr2 is None:
        return found
    wanted = _attr_id_set(attr2, values2)
    second = arr[found, 1].tolist()
    return [i for i, v in zip(found, second) if v in wanted]


@functools.lru_cache(maxsize=64)
def _attr_ids(attr: str, values: tuple[str, ...]) -> tuple[int, ...]:
    """The integer ids of ``values`` as ``Doc.to_array`` gives them for ``attr``."""
    from spacy.strings import get_string_id
    from spacy.symbols import IDS

    if attr == "POS":
        return tuple(IDS[v] for v in values)
    return tuple(get_string_id(v) for v in values)


@functools.lru_cache(maxsize=16)
def _attr_id_set(attr: str, values: frozenset[str]) -> frozenset[int]:
    return frozenset(_attr_ids(attr, tuple(values)))


_HEADS_CACHE: list[tuple[Any, frozenset[str]]] = []


def _role_heads(tab: Any) -> frozenset[str]:
    """Last words of the sector and office phrases of ``tab`` (built once per table)."""
    for known, heads in _HEADS_CACHE:
        if known is tab:
            return heads
    heads = frozenset({k[-1] for k in tab["sectors"]} | {k[-1] for k in tab["offices"]})
    _HEADS_CACHE[:] = [(tab, heads)]
    return heads


def _np_bounds(reader: Reader, tok: Token) -> tuple[int, int]:
    """Character bounds of the noun phrase headed by ``tok`` (left modifiers, and "of X"
    after office nouns)."""
    doc = reader.doc
    left = tok
    for child in tok.lefts:
        if (
            child.dep_
            in (
                "det",
                "amod",
                "compound",
                "nmod",
                "poss",
                "nummod",
                "quantmod",
                "npadvmod",
                "advmod",
                "case",
                "punct",
            )
            and child.i < left.i
        ):
            left = child.left_edge if child.left_edge.i < left.i else child
    while left.i < tok.i and (left.is_punct or left.lower_ in ("and", "or", "but")):
        left = doc[left.i + 1]
    end_tok = tok
    from .roles import tables

    offices = tables(reader.kb)["offices"]
    if (tok.lower_,) not in offices and tok.lower_ not in FUNCTIONAL:
        return left.idx, tok.idx + len(tok.text)
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end_tok.i + 1:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                end_tok = objs[0].right_edge
        break
    return left.idx, end_tok.idx + len(end_tok.text)


def _role_phrase(reader: Reader, tok: Token) -> None:
    start, end = _np_bounds(reader, tok)
    if len(reader.text[start:end].split()) > 9:
        return
    inner = reader.overlapping(start, end)
    persons = [c for c in inner if c.person]
    analysed_from = start
    if persons:  # "Putin's spokesman": the possessor stays its own mention
        last = max(persons, key=lambda c: c.end)
        if last.end >= tok.idx:
            return
        between = reader.text[last.end : tok.idx]
        after = re.match(r"\s*(?:['’]s?)?\s*", between)
        start = last.end + (after.end() if after else 0)
        possessive = bool(re.match(r"\s*['’]", between))
        analysed_from = min(c.start for c in persons) if possessive else start
    text = reader.text[start:end]
    people = reader.person_map()
    for c in persons:
        entry = reader.kb.get(c.actor_id or "")
        if entry is not None:
            for form in keys(entry.name)[-1:]:
                people.setdefault(form, entry)
    info = analyse(reader.text[analysed_from:end], reader.kb, reader.when, people)
    if info.head is None and info.office is None:
        return
    decision = _decide_role(reader, tok, info, text)
    if decision is None:
        return
    start = _skip_determiner(reader, start, end)
    removed = [c for c in inner if not c.person]
    for c in removed:
        reader.remove(c)
    decision.start, decision.end = start, end
    if not reader.add(decision):
        for c in removed:
            reader.add(c)


def _skip_determiner(reader: Reader, start: int, end: int) -> int:
    m = re.match(
        r"(?:the|a|an|his|her|its|their|our|some|several|many|two|three|four)\s+",
        reader.text[start:end],
        flags=re.IGNORECASE,
    )
    return start + m.end() if m and start + m.end() < end else start


def _decide_role(reader: Reader, tok: Token, info: RoleInfo, text: str) -> Cand | None:
    kb, when = reader.kb, reader.when
    country = info.country
    role = _clean_role(text)
    singular = not info.plural and tok.tag_ not in ("NNS", "NNPS")
    definite = (
        any(
            t.lower_ in ("the", "his", "her", "its", "their") or t.dep_ == "poss" for t in tok.lefts
        )
        or tok.text[:1].isupper()
    )
    office = info.office
    if office == "spox":
        holder = _spokesperson(reader, info)
        if holder is not None and singular:
            return _person_cand(reader, holder, "title", role, 0.75)
    if office == "leader" and not country and info.person is None:
        office = None
    if office and office not in ("spox",) and singular and definite and country and not info.former:
        holder = kb.holder(country, office, when) if when else None
        if holder is not None:
            return _person_cand(reader, holder, "title", role, 0.8)
    if info.head and info.head.split()[-1] == "counterpart" and singular:
        holder = _counterpart(reader, tok, country)
        if holder is not None:
            return _person_cand(reader, holder, "title", role, 0.65)
    sector = info.sector or info.head_sector
    if sector in (None, "unknown") or len(set(info.countries)) > 1:
        return None
    if not (
        info.has_country_signal or (info.head in STRONG_GROUP_HEADS and info.plural and sector)
    ):
        return None
    if not info.has_country_signal:
        return None
    label = (
        "GROUP"
        if info.plural
        else (
            "TITLE"
            if singular and info.head in FUNCTIONAL | {"president", "minister", "leader"}
            else "ORG"
        )
    )
    actor = _group_actor(reader, info, country, sector)
    if actor is None:
        return None
    actor_id, name = actor
    return Cand(
        start=0,
        end=0,
        label=label,
        kind="group" if info.plural else "role",
        actor_id=actor_id,
        actor_name=name,
        role=role,
        country=country or (info.org.country if info.org else None),
        sector=sector,
        confidence=0.7,
    )


def _person_cand(reader: Reader, entry: Entry, kind: str, role: str, confidence: float) -> Cand:
    r, country, sector = reader.entry_profile(entry)
    return Cand(
        start=0,
        end=0,
        label="TITLE",
        kind=kind,
        actor_id=entry.actor_id,
        actor_name=entry.name,
        role=r or role,
        country=country,
        sector=sector,
        confidence=confidence,
        person=True,
    )


def _spokesperson(reader: Reader, info: RoleInfo) -> Entry | None:
    kb, when = reader.kb, reader.when
    if when is None:
        return None
    owners = kb.lexicon.get("spokesperson_of", {})
    if info.person is not None:
        term = info.person.term_at(when)
        if term and term.office in owners and term.country:
            return kb.holder(term.country, owners[term.office], when)
        return None
    org = info.org
    if org is None:
        return None
    if org.id.startswith("gov:"):
        return kb.holder(org.country or "", "spox_hos", when)
    name = org.name.lower()
    if org.country and ("defense" in name or "defence" in name or org.sector2 == "military"):
        return kb.holder(org.country, "spox_dm", when)
    if org.country and ("foreign" in name or "state" in name):
        return kb.holder(org.country, "spox_fm", when)
    return None


def _counterpart(reader: Reader, tok: Token, country: str | None) -> Entry | None:
    """ "The U.S. leader told his Russian counterpart": the same office in the other country."""
    if not country or reader.when is None:
        return None
    sent = tok.sent
    before = [c for c in reader.cands if c.person and sent.start_char <= c.start < tok.idx]
    for cand in reversed(before):
        entry = reader.kb.get(cand.actor_id or "")
        term = entry.term_at(reader.when) if entry else None
        if term and term.office:
            office = term.office
            if office in ("hos", "hog"):
                office = "leader"
            return reader.kb.holder(country, office, reader.when)
    return None


def _group_actor(
    reader: Reader, info: RoleInfo, country: str | None, sector: str | None
) -> tuple[str, str] | None:
    kb = reader.kb
    if info.org is not None and sector in ("government", info.org.sector, None):
        return info.org.actor_id, info.org.name
    if info.org is not None and info.org.id.startswith("gov:") and sector != "government":
        country = country or info.org.country
    if country is None:
        return None
    c = kb.countries.get(country)
    if c is None:
        return None
    if sector in ("government", None, "elite"):
        gov = kb.government(country)
        return (gov.actor_id, gov.name) if gov else None
    military = _national(kb, country, "military")
    if sector == "military" and military is not None:
        return military.actor_id, military.name
    adjective = c.adjectives[0] if c.adjectives else c.name
    label = {
        "military": "armed forces",
        "rebel": "rebels",
        "opposition": "opposition",
        "civilian": "civilians",
        "police": "police",
        "media": "media",
        "intelligence": "intelligence services",
        "legislature": "parliament",
        "judiciary": "judiciary",
        "paramilitary": "militias",
        "armed_group": "gunmen",
        "criminal": "criminal groups",
        "business": "business",
        "education": "academia",
        "religious": "religious leaders",
        "medical": "medical services",
        "refugee": "refugees",
        "labor": "labor unions",
        "agriculture": "farmers",
        "party": "political parties",
        "ngo": "NGOs",
        "human_rights": "rights groups",
        "health": "health authorities",
        "igo": "international officials",
    }.get(sector or "", sector or "people")
    return f"grp:{country}:{sector}", f"{adjective} {label}"


def _national(kb: KnowledgeBase, country: str, sector: str) -> Entry | None:
    """The knowledge base's national body of a sector ("Russian Armed Forces")."""
    national = kb.cache.setdefault("national", {})
    if (country, sector) not in national:
        c = kb.countries.get(country)
        found = None
        if c is not None:
            wanted = (
                {key(f"{adj} military") for adj in c.adjectives} if sector == "military" else set()
            )
            for entry in kb.entries.values():
                if (
                    entry.country == country
                    and entry.sector == sector
                    and wanted & {key(a) for a in entry.aliases}
                ):
                    found = entry
                    break
        national[(country, sector)] = found
    return national[(country, sector)]
