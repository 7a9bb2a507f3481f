"""Seeds scorer for actors (category "entities", plus "entities_optional").

An alias counts, per seed document it occurs in (case-sensitive, whole words), when at
least one of its occurrences lies inside a mention resolved to the gold canonical entity
(names compared ASCII-folded and case-insensitively, so "Erdoğan" = "Erdogan").  An alias
can be used for other things too ("a visit to Moscow" is a place), so one resolved
occurrence per document suffices; resolving it to a *different* actor elsewhere is not
penalised here (precision is measured on the public sets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..actors.names import fold


def _canon(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(name or "")).strip()


def _occurrences(alias: str, text: str) -> list[tuple[int, int]]:
    pattern = r"(?<![\w])" + re.escape(alias) + r"(?![\w])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _resolved(
    occurrences: Iterable[tuple[int, int]], mentions: Sequence[Any], canonical: str
) -> tuple[bool, str | None]:
    """(found, what it resolved to instead) for one alias in one document."""
    other = None
    for start, end in occurrences:
        for m in mentions:
            if m["start"] < end and start < m["end"]:
                if _canon(m["actor_name"]) == canonical:
                    return True, None
                other = other or m["actor_name"] or "(no actor)"
    return False, other


def score_mentions(
    gold: dict[str, Any], texts: Mapping[str, str], mentions: Mapping[str, Sequence[Any]]
) -> dict[str, dict[str, Any]]:
    """Score resolved mentions against the gold "entities".

    ``texts`` maps seed prefixes to clean texts; ``mentions`` maps them to mentions as
    mappings with start, end and actor_name.
    """
    result: dict[str, dict[str, Any]] = {}
    for category, field in (("entities", "aliases"), ("entities_optional", "optional_aliases")):
        found = total = 0
        misses: list[str] = []
        for entity in gold.get("entities", []):
            canonical = _canon(entity["canonical"])
            for alias in entity.get(field, []):
                for prefix, text in sorted(texts.items()):
                    occurrences = _occurrences(alias, text)
                    if not occurrences:
                        continue
                    total += 1
                    ok, other = _resolved(occurrences, mentions.get(prefix, []), canonical)
                    if ok:
                        found += 1
                    else:
                        misses.append(
                            f"{alias!r} in {prefix}: want {entity['canonical']}, "
                            f"got {other or 'no mention'}"
                        )
        result[category] = {
            "found": found,
            "total": total,
            "score": round(found / total, 4) if total else 1.0,
            "misses": misses,
        }
    return result


def score(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``storyline eval seeds`` entry point: mentions and actor names read from the store."""
    texts: dict[str, str] = {}
    mentions: dict[str, list[dict[str, Any]]] = {}
    for prefix, doc_id in docs.items():
        row = store.one("SELECT clean_text FROM documents WHERE id=?", (doc_id,))
        if row is None:
            continue
        texts[prefix] = row["clean_text"]
        rows = store.query(
            'SELECT m.start, m."end", COALESCE(a.name, m.actor_name) AS actor_name '
            "FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id WHERE m.doc_id=?",
            (doc_id,),
        )
        mentions[prefix] = [dict(r) for r in rows]
    return score_mentions(gold, texts, mentions)
