"""Across documents: one actor per person or organisation, and the ``actors`` table.

Document stages give people and organisations the knowledge base does not know a local id
derived from their name (``x:person:jeff-davis``), so the same name in two documents is
already one actor.  :func:`merge` then

* links a local actor to the knowledge base when its name is now a KB alias (a user file
  may have been added since the documents were read);
* gives a surname-only local actor ("Mr. Corker", ``x:person:corker``) the id of the one
  person of the corpus with that surname, when there is exactly one;
* rewrites the mentions' actor ids accordingly, and rebuilds ``actors`` from scratch
  (KB facts for KB actors; the most frequent name, country, sector and role otherwise),
  so running it again gives the same table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .kb import Entry, KnowledgeBase
from .names import keys, person_parts
from .types import Actor

GROUP_PREFIXES = ("grp:",)


def merge(store: Any, kb: KnowledgeBase) -> dict[str, Any]:
    """Run the corpus merge on ``store``; returns a summary."""
    rows = [
        dict(r)
        for r in store.query(
            "SELECT id, doc_id, text, label, actor_id, actor_name, kind, role, country, sector "
            "FROM mentions WHERE actor_id IS NOT NULL"
        )
    ]
    rewrites = _rewrites(rows, kb)
    for row in rows:
        if row["actor_id"] in rewrites:
            row["actor_id"], row["actor_name"] = rewrites[row["actor_id"]]
    actors = _actors(rows, kb)
    with store.transaction():
        store.conn.executemany(
            "UPDATE mentions SET actor_id=?, actor_name=? WHERE actor_id=?",
            [(new_id, new_name, old_id) for old_id, (new_id, new_name) in rewrites.items()],
        )
        store.conn.execute("DELETE FROM actors")
        store.insert(actors)
    return {
        "actors": len(actors),
        "mentions": len(rows),
        "merged": len(rewrites),
        "kb_actors": sum(1 for a in actors if a.kb_id),
    }


def _rewrites(rows: list[dict[str, Any]], kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """old local actor id -> (new id, new name)."""
    local = {r["actor_id"]: r["actor_name"] for r in rows if r["actor_id"].startswith("x:")}
    out: dict[str, tuple[str, str]] = {}
    for actor_id, name in local.items():
        entry = _kb_entry(kb, name or "", person=actor_id.startswith("x:person:"))
        if entry is not None:
            out[actor_id] = (entry.actor_id, entry.name)
    people = defaultdict(set)  # surname -> full-name actors (local or KB) seen in the corpus
    for r in rows:
        actor_id = out.get(r["actor_id"], (r["actor_id"],))[0]
        if r["label"] in ("PERSON", "TITLE") and actor_id.startswith(("kb:", "x:person:")):
            _, surname, words = person_parts(r["actor_name"] or "")
            if surname and len(words) >= 2:
                people[surname.split()[-1]].add((actor_id, r["actor_name"]))
    for actor_id, name in local.items():
        if actor_id in out or not actor_id.startswith("x:person:"):
            continue
        words = keys(name or "")
        if len(words) != 1:
            continue
        owners = people.get(words[0], set())
        if len(owners) == 1:
            out[actor_id] = next(iter(owners))
    return out


def _kb_entry(kb: KnowledgeBase, name: str, person: bool) -> Entry | None:
    hits = [h for h in kb.lookup(name) if h.kind in ("name", "alias")]
    entries = [kb.entries[h.entry_id] for h in hits]
    entries = [e for e in entries if (e.type == "PERSON") == person]
    return (
        entries[0] if len(entries) == 1 or (entries and len({e.id for e in entries}) == 1) else None
    )


def _actors(rows: list[dict[str, Any]], kb: KnowledgeBase) -> list[Actor]:
    by_actor: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_actor[row["actor_id"]].append(row)
    out = []
    for actor_id, mentions in by_actor.items():
        entry = kb.get(actor_id) if actor_id.startswith("kb:") else None
        aliases = [t for t, _ in Counter(m["text"] for m in mentions).most_common(25)]
        docs = len({m["doc_id"] for m in mentions})
        if entry is not None:
            out.append(_kb_actor(entry, aliases, len(mentions), docs))
        else:
            out.append(_local_actor(actor_id, mentions, aliases, docs))
    return out


def _kb_actor(entry: Entry, seen: list[str], n: int, docs: int) -> Actor:
    role, country, sector, sector2 = entry.profile_at(None)
    meta: dict[str, Any] = {"source": entry.source, "wiki": entry.wiki or entry.name}
    if sector2:
        meta["sector2"] = sector2
    if entry.bloc:
        meta["bloc"] = entry.bloc
    if entry.terms:
        meta["terms"] = [
            {
                "role": t.role,
                "start": t.start.isoformat() if t.start else None,
                "end": t.end.isoformat() if t.end else None,
            }
            for t in entry.terms
        ]
    if entry.description:
        meta["description"] = entry.description
    aliases = list(dict.fromkeys([*seen, *entry.aliases]))[:40]
    kind = "PERSON" if entry.type == "PERSON" else entry.type
    return Actor(
        id=entry.actor_id,
        name=entry.name,
        type=kind,
        country=country or entry.country,
        sector=sector or entry.sector,
        role=role,
        kb_id=entry.id,
        aliases=aliases,
        meta=meta,
        n_mentions=n,
        n_docs=docs,
    )


def _most_common(values: list[Any]) -> Any:
    values = [v for v in values if v]
    return Counter(values).most_common(1)[0][0] if values else None


def _local_actor(
    actor_id: str, mentions: list[dict[str, Any]], aliases: list[str], docs: int
) -> Actor:
    names = [m["actor_name"] for m in mentions if m["actor_name"]]
    name = (
        max(Counter(names).most_common(3), key=lambda nc: (nc[1], len(nc[0])))[0]
        if names
        else actor_id
    )
    kind = (
        "PERSON"
        if actor_id.startswith("x:person:")
        else ("GROUP" if actor_id.startswith(GROUP_PREFIXES) else "ORG")
    )
    return Actor(
        id=actor_id,
        name=name,
        type=kind,
        country=_most_common([m["country"] for m in mentions]),
        sector=_most_common([m["sector"] for m in mentions]),
        role=_most_common([m["role"] for m in mentions]),
        kb_id=None,
        aliases=aliases,
        meta={"source": "corpus"},
        n_mentions=len(mentions),
        n_docs=docs,
    )
