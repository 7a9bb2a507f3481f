"""Seed scorer for the clean stage: documents, boilerplate, comments.

* ``documents``: per seed, kind, title, publication date, authors, outlet (and section when
  the gold gives one); for reposts and syndication also the original outlet, the carrier
  and the syndication source (from the gold ``documents`` and ``provenance`` entries).
  A gold ``null`` (e.g. 004's date, 002's outlet) is matched by an unknown value.
* ``boilerplate``: every listed boilerplate line is absent from the clean text, and, per
  seed, no sentence of the body is lost (every sentence of 6+ words of the raw seed that is
  not part of a listed boilerplate line is found in the clean text).
* ``comments``: the thread has the gold number of comments and of distinct commenters, the
  most active commenters wrote the gold number of comments, and a comment that quotes
  another (gold ``comment_quotes_comment``) is linked to it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from ..ingest import outlets
from ..ingest.types import Document
from ..store.documents import load_document

Result = dict[str, Any]


def norm(text: str | None) -> str:
    """Case-, quote- and space-insensitive form of ``text`` for comparisons."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[‘’`´]", "'", text)
    text = re.sub(r"[“”«»]", '"', text)
    text = re.sub(r"[–—]", "-", text)
    return " ".join(text.lower().split())


def same_outlet(found: str | None, wanted: str | None) -> bool:
    """Outlet names match (canonical name, alias, or "the"-insensitive text; a wanted name
    with a parenthesised description such as "X (Telegram channel …)" matches "X")."""
    if not wanted:
        return not found
    if not found:
        return False
    wanted_core = re.sub(r"\s*\(.*\)\s*$", "", wanted)
    a, b = outlets.lookup(found), outlets.lookup(wanted_core)
    if a and b:
        return a.name == b.name
    strip = lambda s: re.sub(r"^the\s+", "", norm(s))  # noqa: E731
    return strip(found) == strip(wanted_core)


def _check(items: list[tuple[str, bool]], label: str, ok: bool, found: Any, wanted: Any) -> None:
    items.append((f"{label}: found {found!r}, expected {wanted!r}", ok))


def _document_items(doc: Document | None, gold: dict[str, Any], provenance: list[dict[str, Any]]
                    ) -> list[tuple[str, bool]]:
    seed = gold["doc"]
    items: list[tuple[str, bool]] = []
    if doc is None:
        return [(f"{seed}: document not stored", False)]
    _check(items, f"{seed} kind", doc.kind == gold.get("kind"), doc.kind, gold.get("kind"))
    _check(items, f"{seed} title", norm(doc.title) == norm(gold.get("title")), doc.title, gold.get("title"))
    wanted_date = gold.get("published")
    ok_date = (doc.published or None) == wanted_date if wanted_date is None else \
        bool(doc.published) and doc.published[:len(wanted_date)] == wanted_date
    _check(items, f"{seed} published", ok_date, doc.published, wanted_date)
    wanted_authors = sorted(norm(a) for a in gold.get("authors", []))
    found_authors = sorted(norm(a) for a in doc.authors or [])
    _check(items, f"{seed} authors", found_authors == wanted_authors, doc.authors, gold.get("authors", []))
    _check(items, f"{seed} outlet", same_outlet(doc.outlet, gold.get("outlet")), doc.outlet, gold.get("outlet"))
    if gold.get("section"):
        _check(items, f"{seed} section", norm(doc.section) == norm(gold["section"]), doc.section, gold["section"])
    if gold.get("carrier"):
        _check(items, f"{seed} carrier", same_outlet(doc.carrier, gold["carrier"]), doc.carrier, gold["carrier"])
    for rel in provenance:
        if rel.get("doc") != seed:
            continue
        if rel["relation"] == "repost_of":
            _check(items, f"{seed} original outlet", same_outlet(doc.original_outlet, rel["source"]),
                   doc.original_outlet, rel["source"])
        elif rel["relation"] == "syndicated_from":
            _check(items, f"{seed} syndicated from", same_outlet(doc.syndicated_from, rel["source"]),
                   doc.syndicated_from, rel["source"])
    return items


_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)\]]*|$)")


def body_sentences(raw_text: str, boilerplate: list[str]) -> list[str]:
    """Sentences of 6+ words of the raw seed outside its listed boilerplate lines."""
    listed = [norm(b) for b in boilerplate]
    out = []
    for line in raw_text.splitlines():
        if not line.strip() or any(b and b in norm(line) for b in listed):
            continue
        for m in _SENTENCE.finditer(line):
            sentence = m.group().strip()
            if len(sentence.split()) >= 6:
                out.append(sentence)
    return out


def _boilerplate_items(doc: Document | None, gold: dict[str, Any]) -> list[tuple[str, bool]]:
    seed = gold["doc"]
    if doc is None:
        return [(f"{seed}: document not stored", False)]
    clean = norm(doc.clean_text)
    items = [(f"{seed} boilerplate still present: {line!r}", norm(line) not in clean)
             for line in gold.get("boilerplate", [])]
    raw_path = Path(doc.source or "")
    if raw_path.is_file():
        from ..ingest.formats import decode

        raw_text = decode(raw_path.read_bytes())[0]
        lost = [s for s in body_sentences(raw_text, gold.get("boilerplate", [])) if norm(s) not in clean]
        label = f"{seed} body sentences lost ({len(lost)}): " + "; ".join(repr(s[:80]) for s in lost[:3])
        items.append((label, not lost))
    return items


def _comment_items(store: Any, doc_id: str | None, gold: dict[str, Any],
                   provenance: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    seed = gold["doc"]
    if doc_id is None:
        return [(f"{seed}: thread not stored", False)]
    rows = store.query("SELECT id, author, location, quotes_comment_id FROM comments WHERE doc_id=?",
                       (doc_id,))
    by_id = {r["id"]: r for r in rows}
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["author"] or "", r["location"] or "")
        counts[key] = counts.get(key, 0) + 1
    items: list[tuple[str, bool]] = []
    _check(items, f"{seed} comments", len(rows) == gold["comments"], len(rows), gold["comments"])
    _check(items, f"{seed} distinct commenters", len(counts) == gold["distinct_commenters"],
           len(counts), gold["distinct_commenters"])
    for author, location, n in gold.get("most_active", []):
        got = counts.get((author, location), 0)
        _check(items, f"{seed} comments by {author} ({location})", got == n, got, n)
    for rel in provenance:
        if rel.get("doc") == seed and rel["relation"] == "comment_quotes_comment":
            linked = any(
                _commenter(r) == norm(rel["by"]) and r["quotes_comment_id"] in by_id
                and _commenter(by_id[r["quotes_comment_id"]]) == norm(rel["source"])
                for r in rows)
            items.append((f"{seed} comment by {rel['by']} linked to the comment of {rel['source']} "
                          f"it quotes", linked))
    return items


def _commenter(row: Any) -> str:
    return norm(f"{row['author']} ({row['location']})" if row["location"] else row["author"])


def _result(items: list[tuple[str, bool]]) -> Result:
    found = sum(1 for _, ok in items if ok)
    return {"found": found, "total": len(items), "score": found / len(items) if items else 0.0,
            "misses": [label for label, ok in items if not ok]}


def score(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, Result]:
    """Score the clean stage's categories of the gold file (see the module documentation)."""
    provenance = gold.get("provenance", [])
    documents, boiler, threads = [], [], []
    for entry in gold.get("documents", []):
        doc_id = docs.get(entry["doc"])
        doc = load_document(store, doc_id) if doc_id else None
        documents += _document_items(doc, entry, provenance)
        boiler += _boilerplate_items(doc, entry)
        if entry.get("comments") is not None:
            threads += _comment_items(store, doc_id, entry, provenance)
    results = {"documents": _result(documents), "boilerplate": _result(boiler)}
    if threads:
        results["comments"] = _result(threads)
    return results
