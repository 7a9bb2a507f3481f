"""Seed scorer for the fuse and opinion stages: provenance, citations, corroborated
claims, contradictions and comment narratives (``storyline eval seeds``).

Matching rules (recall of the gold items):

* a source matches when its outlet or institution key is the same (the alias tables make
  "New York Times" and "The New York Times", "U.S. statement" and "White House statement"
  equal) or when one name's words contain the other's; a gold source "A / B" matches
  either alternative;
* provenance: same document, relation and source (and carrier/agent when given);
* citations: same document, source and date (a gold date of None accepts any date);
  optional items are reported apart and do not count;
* corroborated: one claim holds sources from every gold document, its independence
  (``n_independent >= 2``) equals the gold one, and its texts share words with the claim;
* contradictions: both sides' sources match (either way round), one side lies in a gold
  document, and the texts share words with what the gold sides say;
* narratives: a reported narrative of the thread holds at least two of the gold examples
  in its member comments, and covers at most half of the thread.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..fuse.attribution import source_key
from ..fuse.outlets import outlet_key
from ..fuse.stories import _stem
from ..fuse.text import content_words, squash

CLAIM_OVERLAP = 0.3
SIDE_OVERLAP = 0.15
MAX_NARRATIVE_SHARE = 0.5


def _alternatives(name: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s/\s|\(|\)", name) if p.strip()]
    return [name] + parts


def same_source(gold: str | None, found: str | None) -> bool:
    if not gold or not found:
        return False
    for g in _alternatives(gold):
        if outlet_key(g) == outlet_key(found) or \
                (source_key(g) and source_key(g) == source_key(found)):
            return True
        gw, fw = set(squash(g).split()) - {"the"}, set(squash(found).split()) - {"the"}
        if gw and fw and (gw <= fw or fw <= gw):
            return True
    return False


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in content_words(text or "")}


def _overlap(gold_text: str, found_text: str) -> float:
    g = _stems(gold_text)
    return len(g & _stems(found_text)) / len(g) if g else 1.0


def _result(found: int, total: int, misses: list[str], **extra: Any) -> dict[str, Any]:
    out = {"found": found, "total": total, "score": found / total if total else 1.0,
           "misses": misses}
    out.update(extra)
    return out


Items = list[dict[str, Any]]


def score_provenance(store: Any, items: Items, docs: dict[str, str]) -> dict[str, Any]:
    found, misses = 0, []
    for item in items:
        rows = store.query("SELECT relation, source, via, agent FROM provenance WHERE doc_id=? "
                           "AND relation=?", (docs.get(item["doc"], ""), item["relation"]))
        ok = any(same_source(item["source"], r["source"])
                 and (not item.get("via") or same_source(item["via"], r["via"]))
                 and (not item.get("by") or same_source(item["by"], r["agent"])) for r in rows)
        found += ok
        if not ok:
            misses.append(f"{item['doc']} {item['relation']} {item['source']}")
    return _result(found, len(items), misses)


def score_citations(store: Any, items: Items, docs: dict[str, str]) -> dict[str, Any]:
    found, total, optional_found, misses = 0, 0, 0, []
    for item in items:
        rows = store.query("SELECT outlet, cited_date FROM citations WHERE doc_id=?",
                           (docs.get(item["doc"], ""),))
        ok = any(same_source(item["source"], r["outlet"])
                 and (item.get("date") is None or (r["cited_date"] or "") == item["date"])
                 for r in rows)
        if item.get("optional"):
            optional_found += ok
            continue
        total += 1
        found += ok
        if not ok:
            misses.append(f"{item['doc']} {item['source']} {item.get('date')}")
    return _result(found, total, misses, optional_found=optional_found)


def score_corroborated(store: Any, items: Items, docs: dict[str, str]) -> dict[str, Any]:
    claims: dict[str, dict[str, Any]] = {}
    for r in store.query("SELECT c.id, c.n_independent, s.doc_id, s.text FROM claims c "
                         "JOIN claim_sources s ON s.claim_id = c.id"):
        c = claims.setdefault(r["id"], {"n_independent": r["n_independent"], "docs": set(),
                                        "text": ""})
        c["docs"].add(r["doc_id"])
        c["text"] += " " + (r["text"] or "")
    found, misses = 0, []
    for item in items:
        wanted = {docs.get(d, "") for d in item["docs"]}
        ok = any(wanted <= c["docs"] and (c["n_independent"] >= 2) == bool(item["independent"])
                 and _overlap(item["claim"], c["text"]) >= CLAIM_OVERLAP for c in claims.values())
        found += ok
        if not ok:
            misses.append(item["claim"])
    return _result(found, len(items), misses)


def score_contradictions(store: Any, items: Items, docs: dict[str, str]) -> dict[str, Any]:
    rows = [dict(r) for r in store.query("SELECT * FROM contradictions")]
    found, misses = 0, []
    for item in items:
        wanted = {docs.get(d, "") for d in item["docs"]}
        a, b = item["a"], item["b"]

        def matches(r: dict[str, Any], x: str, y: str) -> bool:
            return (same_source(a["source"], r[f"{x}_source"]) and
                    same_source(b["source"], r[f"{y}_source"]) and
                    _overlap(a["says"] + " " + b["says"], (r["a_text"] or "") + " " +
                             (r["b_text"] or "")) >= SIDE_OVERLAP)

        ok = any((r["a_doc_id"] in wanted or r["b_doc_id"] in wanted)
                 and (matches(r, "a", "b") or matches(r, "b", "a")) for r in rows)
        found += ok
        if not ok:
            misses.append(f"{a['source']} vs {b['source']}")
    return _result(found, len(items), misses)


def score_narratives(store: Any, items: list[dict[str, Any]], docs: dict[str, str],
                     thread: str = "001") -> dict[str, Any]:
    doc_id = docs.get(thread, "")
    texts = {r["id"]: squash(r["text"] or "") for r in
             store.query("SELECT id, text FROM comments WHERE doc_id=?", (doc_id,))}
    narratives = []
    for r in store.query("SELECT id, share, members FROM narratives WHERE doc_id=?", (doc_id,)):
        members = json.loads(r["members"] or "[]")
        comment_ids = {m["comment_id"] for m in members}
        narratives.append((r["share"] or 0.0, " || ".join(texts.get(c, "") for c in comment_ids)))
    found, misses = 0, []
    for item in items:
        examples = [squash(e) for e in item["examples"]]
        ok = any(share <= MAX_NARRATIVE_SHARE and sum(e in text for e in examples) >= 2
                 for share, text in narratives)
        found += ok
        if not ok:
            misses.append(item["narrative"])
    return _result(found, len(items), misses, reported=len(narratives))


def score(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Scores of the fuse/opinion categories present in the gold file."""
    out = {}
    if "provenance" in gold:
        out["provenance"] = score_provenance(store, gold["provenance"], docs)
    if "citations" in gold:
        out["citations"] = score_citations(store, gold["citations"], docs)
    if "corroborated" in gold:
        out["corroborated"] = score_corroborated(store, gold["corroborated"], docs)
    if "contradictions" in gold:
        out["contradictions"] = score_contradictions(store, gold["contradictions"], docs)
    if "comment_narratives" in gold:
        out["narratives"] = score_narratives(store, gold["comment_narratives"], docs)
    return out
