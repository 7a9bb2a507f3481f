"""Dropping spurious actors: what spaCy calls an organisation or a person in a reader
comment thread is often an exclamation ("LOL Never"), a metaphor ("play Trump like a
Stradivarius"), a shop ("Macy's") or a place ("Crimea").

Only document-local actors (not in the knowledge base) are ever dropped.  A comment's
organisation survives when it looks like one: a name of several capitalised words, a word
that names a kind of organisation ("… Institute", "… Party"), or a second mention in the
thread.  Places the gazetteer knows are never organisations of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .names import keys

#: words that may stand lower-case inside an organisation's name
CONNECTORS = frozenset({"of", "for", "the", "de", "du", "la", "del", "al", "on"})
#: last or first words that make a name an organisation's
ORG_WORDS = frozenset(
    """
    inc corp corporation co ltd llc plc group foundation institute institution association
    society party union council committee agency bank news times post network club fund
    trust center centre movement front alliance coalition league army brigade brigades
    company university college school church ministry department office commission
    authority service services board bureau court assembly parliament congress senate media
    press radio tv television magazine journal review herald tribune daily gazette channel
    organization organisation federation forum caucus conference
    """.split()
)
_ALL_CAPS_WORD = re.compile(r"^[A-Z]{2,}$")


def drop_comment_noise(reader: Any, bodies: Sequence[tuple[int, int]]) -> None:
    """Remove spurious local organisations and people from the comments of a thread."""
    local_counts = Counter(c.actor_id for c in reader.cands if _local(c))
    for cand in list(reader.cands):
        if not _local(cand) or not any(s <= cand.start < e for s, e in bodies):
            continue
        name = cand.actor_name or reader.text[cand.start : cand.end]
        if cand.label == "ORG" and cand.kind == "local":
            if local_counts[cand.actor_id] < 2 and not looks_like_org(name, reader.kb):
                reader.remove(cand)
        elif cand.label == "PERSON" and not looks_like_person(name):
            reader.remove(cand)


def drop_places(reader: Any) -> None:
    """Remove local organisations that are places ("Crimea", "NYC" tagged ORG)."""
    from .places import place_country

    for cand in list(reader.cands):
        if cand.label != "ORG" or cand.kind != "local" or not _local(cand):
            continue
        name = cand.actor_name or reader.text[cand.start : cand.end]
        words = keys(name)
        if any(w in ORG_WORDS for w in words):
            continue
        if reader.kb.city_country(name) or place_country(name):
            reader.remove(cand)


def looks_like_org(name: str, kb: Any) -> bool:
    """A name several capitalised words long, or one with a word naming a kind of
    organisation or an actor noun of the lexicon ("Syrian Observatory", "Acme Corp")."""
    from .roles import analyse

    words = name.split()
    lowered = [w.lower().strip(".,'’") for w in words]
    if any(w in ORG_WORDS for w in lowered):
        return True
    if len(words) >= 2 and all(w[:1].isupper() or w.lower() in CONNECTORS for w in words):
        return words[-1][:1].isupper()
    info = analyse(name, kb)
    return info.sector not in (None, "unknown", "civilian")


def looks_like_person(name: str) -> bool:
    """A person's name is capitalised and not shouted in part ("LOL Never")."""
    words = [w for w in re.split(r"[\s-]+", name) if w.strip(".,")]
    if not words or name.islower() or "(" in name:
        return False
    shouted = [bool(_ALL_CAPS_WORD.match(w)) for w in words]
    return not (len(words) > 1 and any(shouted) and not all(shouted))


def _local(cand: Any) -> bool:
    return (cand.actor_id or "").startswith("x:")
