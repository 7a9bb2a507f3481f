"""Finding the actors of one parsed document and resolving them to canonical actors.

The document is read in passes, each adding mentions where the text is still free:

1. people named in full (knowledge-base names, spaCy PERSON entities), with the titles and
   appositions that give their roles ("Secretary of State Rex Tillerson", "Brett McGurk,
   the U.S. special envoy …");
2. other knowledge-base aliases: organisations, countries, government seats ("the
   Kremlin"), capitals used for governments ("Moscow said" — see :mod:`.metonymy`), weak
   aliases that need support in the document ("The Times"), generic ones that need the
   document's country ("the Senate");
3. short references to people: surnames ("Putin", "Mr. Corker", "Capt. Davis"), initials
   ("V.Putin"), first names ("Jared") and nicknames ("Vlad", "The Donald", "45") — linked
   to people named in the document, else to the knowledge base by surname and date;
4. "<leader> administration" / "<leader> regime" as the government;
5. role phrases: "the Russian president" (the office holder at the document's date),
   "Putin's spokesman", "a U.S. official", "Syrian rebels", "Pentagon officials";
6. demonyms used as nouns ("the Russians") and organisations spaCy found that the
   knowledge base does not know (document-local actors).

The reading state lives in :mod:`.reading`, pass 1 in :mod:`.full_names`, passes 2-4 in
:mod:`.references`, pass 5 in :mod:`.role_phrases` and pass 6 in :mod:`.groups`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .full_names import _appositions, _full_names
from .groups import _demonym_groups, _local_orgs
from .kb import KnowledgeBase
from .matcher import AliasMatch, scan
from .noise import drop_comment_noise, drop_places
from .reading import (  # re-exported: the public names this module had before the split
    ADMIN_WORDS,
    COMMON_SURNAMES,
    GLUED_INITIAL,
    HONORIFIC_MODIFIERS,
    INITIAL_NAME,
    POSSESSIVE,
    STRONG_GROUP_HEADS,
    Anchor,
    Cand,
    Reader,
)
from .references import _administrations, _kb_matches, _nicknames, _short_references
from .role_phrases import _role_phrases
from .types import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

STAGE = "actors"
VERSION = "2"

__all__ = [
    "ADMIN_WORDS",
    "COMMON_SURNAMES",
    "GLUED_INITIAL",
    "HONORIFIC_MODIFIERS",
    "INITIAL_NAME",
    "POSSESSIVE",
    "STAGE",
    "STRONG_GROUP_HEADS",
    "VERSION",
    "Anchor",
    "Cand",
    "Reader",
    "mentions_by_actor",
    "resolve",
    "resolve_text",
]


# --- the passes --------------------------------------------------------------------------------


def resolve(
    doc: Doc,
    doc_id: str,
    kb: KnowledgeBase,
    *,
    published: str | dt.date | None = None,
    authors: Iterable[str] = (),
    outlet: str | None = None,
    fuzzy_threshold: int = 90,
    bodies: Sequence[tuple[int, int]] = (),
) -> list[Mention]:
    """Actor mentions of ``doc`` (a spaCy ``Doc`` over the document's clean text).

    ``bodies`` are the spans of a comment thread's comments: outside them (commenter names
    and places, headers) only knowledge-base actors named in full are kept.
    """
    reader = Reader(doc, kb, _as_date(published), authors, outlet, fuzzy_threshold)
    matches = scan(reader.text, kb, reader.words)
    _profile(reader, matches)
    _full_names(reader, matches)
    _kb_matches(reader, matches)
    _short_references(reader)
    _nicknames(reader, matches)
    _appositions(reader)
    _administrations(reader)
    _role_phrases(reader)
    _demonym_groups(reader)
    _local_orgs(reader)
    drop_places(reader)
    if bodies:
        _drop_outside(reader, bodies)
        drop_comment_noise(reader, bodies)
    return _mentions(reader, doc_id)


def _drop_outside(reader: Reader, bodies: Sequence[tuple[int, int]]) -> None:
    """Comment headers ("Vincent (Vt.)", "Jeff (Westchester)") name commenters, not actors."""
    starts = sorted(bodies)
    for cand in list(reader.cands):
        inside = any(s <= cand.start < e for s, e in starts)
        weak = (cand.actor_id or "").startswith("x:") or cand.kind in ("first_name", "nickname")
        if not inside and weak:
            reader.remove(cand)


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    try:
        if len(text) >= 10:
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-15")
        if len(text) == 4:
            return dt.date(int(text), 7, 1)
    except ValueError:
        return None
    return None


def _profile(reader: Reader, matches: list[AliasMatch]) -> None:
    """Which countries the document is about, and which entries it names unambiguously."""
    for match in matches:
        for hit in match.hits:
            entry = reader.kb.entries[hit.entry_id]
            if hit.kind in ("name", "alias", "seat", "country") and entry.country:
                reader.country_counts[entry.country] += 1
            if hit.kind in ("name", "alias", "seat", "country"):
                reader.supported.add(entry.id)
    for ent in reader.doc.ents:
        if ent.label_ == "NORP":
            demonym = reader.kb.demonym(ent.text)
            if demonym:
                reader.country_counts[demonym[0]] += 1
    if reader.outlet:
        for hit in reader.kb.lookup(reader.outlet):
            reader.supported.add(hit.entry_id)


# --- output -----------------------------------------------------------------------------------


def _mentions(reader: Reader, doc_id: str) -> list[Mention]:
    out: list[Mention] = []
    for i, cand in enumerate(sorted(reader.cands, key=lambda c: (c.start, c.end))):
        out.append(
            Mention(
                id=f"{doc_id}:m{i}",
                text=reader.text[cand.start : cand.end],
                label=cand.label,
                actor_id=cand.actor_id,
                actor_name=cand.actor_name,
                kind=cand.kind,
                role=cand.role,
                country=cand.country,
                sector=cand.sector,
                doc_id=doc_id,
                start=cand.start,
                end=cand.end,
                stage=STAGE,
                stage_version=VERSION,
                confidence=round(cand.confidence, 3),
            )
        )
    return out


def resolve_text(
    text: str,
    nlp: Any,
    kb: KnowledgeBase,
    *,
    published: str | dt.date | None = None,
    doc_id: str = "text",
    **options: Any,
) -> list[Mention]:
    """Parse ``text`` with ``nlp`` and resolve its actors (for tests, evaluation, the API)."""
    return resolve(nlp(text), doc_id, kb, published=published, **options)


def mentions_by_actor(mentions: Sequence[Mention]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.actor_id:
            out.setdefault(m.actor_id, []).append(m)
    return out
