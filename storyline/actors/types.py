"""Data types of the actors stage: mentions in a document, and the actors they refer to."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ..records import Record, Span

#: labels a mention can carry (spaCy's, plus TITLE for role phrases and GROUP for
#: collective actors such as "Syrian rebels" or "Pentagon officials")
MENTION_LABELS = ("PERSON", "ORG", "GPE", "NORP", "TITLE", "GROUP")

#: how a mention was found, kept in ``Mention.kind``
MENTION_KINDS = (
    "name",
    "alias",
    "surname",
    "initials",
    "first_name",
    "nickname",
    "title",
    "role",
    "metonym",
    "demonym",
    "country",
    "group",
    "acronym",
)

#: actor sectors (CAMEO/PLOVER-style agent types, spelt out); see :mod:`storyline.actors.codes`
SECTORS = (
    "government",
    "military",
    "police",
    "intelligence",
    "legislature",
    "judiciary",
    "party",
    "opposition",
    "rebel",
    "paramilitary",
    "armed_group",
    "criminal",
    "civilian",
    "media",
    "business",
    "education",
    "religious",
    "medical",
    "health",
    "ngo",
    "igo",
    "labor",
    "agriculture",
    "refugee",
    "elite",
    "breakaway",
    "human_rights",
    "unknown",
)


@dataclasses.dataclass(kw_only=True)
class Mention(Span):
    """One mention of an actor in a document's clean text.

    ``actor_id`` is a knowledge-base id (``kb:…``), a generated country, government or
    group id (``kb:country:RUS``, ``kb:gov:RUS``, ``grp:SYR:rebel``) or a local actor id
    (``x:person:…``) that the ``actors-merge`` corpus stage may unify across documents.
    ``role``, ``country`` (ISO 3166 alpha-3) and ``sector`` are what this mention says or
    what the actor was at the document's date.
    """

    TABLE: ClassVar[str] = "mentions"

    id: str
    text: str
    label: str = "PERSON"
    actor_id: str | None = None
    actor_name: str | None = None
    kind: str = "name"
    role: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclasses.dataclass(kw_only=True)
class Actor(Record):
    """A canonical actor: a knowledge-base entry, or a person or organisation first seen in
    the corpus.  ``aliases`` are the names it was found under; ``meta`` holds the rest
    (secondary sector, terms of office, Wikipedia title, description)."""

    TABLE: ClassVar[str] = "actors"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("aliases", "meta")

    id: str
    name: str
    type: str = "PERSON"
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    kb_id: str | None = None
    aliases: list[str] = dataclasses.field(default_factory=list)
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)
    n_mentions: int = 0
    n_docs: int = 0
