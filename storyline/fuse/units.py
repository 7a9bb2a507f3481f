"""Statements of the stored documents, ready to compare across documents.

A *statement unit* is a sentence of a report (or a passage a commenter quotes from the
article a thread discusses), with what is needed to group and weigh it: its entity keys,
the source it says it rests on, its document's outlet and upstream, and whether it holds a
quotation or an event.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from typing import Any

from ..store.db import Store
from . import corpus
from .attribution import attributed_source, source_key
from .outlets import normalize_outlet
from .stories import normalize_entity
from .text import proper_names, quoted_passages, squash

MIN_WORDS = 6
_SPEAKER = re.compile(
    r"\b[Aa]ccording to (?:the |a |an )?"
    r"(?P<a>[A-Z][\w.'’\-]*(?:\s+(?:of\s+)?[A-Z][\w.'’\-]*){0,4})"
    r"|(?P<b>(?:[Tt]he\s+)?(?:[A-Z][\w.'’\-]*\s+){0,3}"
    r"(?:[A-Z][\w.'’\-]*|officials?|spokes(?:man|woman|person)|"
    r"ministry|statement|readout))\s+(?:has\s+|have\s+)?(?:said|says|claimed|claims|stated|"
    r"told|announced|insisted|denied|reported)\b")


@dataclasses.dataclass(slots=True)
class StatementUnit:
    doc_id: str
    start: int
    end: int
    text: str
    outlet: str | None = None
    upstream: str = ""
    source: str | None = None  # the source the statement names, when it names one
    entities: set[str] = dataclasses.field(default_factory=set)
    has_quote: bool = False
    event_ids: list[str] = dataclasses.field(default_factory=list)
    item_id: str | None = None
    in_comments: bool = False
    key: str = ""  # the text squashed (lower case, no punctuation): identical sentences meet


def speaker(text: str) -> str | None:
    """Who a sentence says is speaking ("according to the Kremlin", "U.S. officials
    denied", "Putin said"), or None."""
    m = _SPEAKER.search(text)
    if not m:
        return None
    name = (m.group("a") or m.group("b") or "").strip()
    name = re.sub(r"^(?:[Tt]he)\s+", "", name)
    return re.sub(r"['’]s$", "", name) or None


_ACCORDING = re.compile(r"\b[Aa]ccording to (?:the |a )?(?P<name>(?:[A-Z][\w.'’\-]*|U\.S\.)"
                        r"(?:\s+(?:of\s+)?[A-Z][\w.'’\-]*){0,4})")


def according_to(text: str) -> str | None:
    """The named source of "according to the Kremlin" (a person or institution, not
    "according to officials")."""
    m = _ACCORDING.search(text)
    return re.sub(r"['’]s$", "", m.group("name")) if m else None


def entity_keys(text: str, actor_ids: list[str]) -> set[str]:
    keys = {f"actor:{a}" for a in actor_ids if a}
    for name in proper_names(text):
        for k in normalize_entity(name):
            keys.add(re.sub(r"s$", "", k))
    return keys


def distinct_entities(keys: set[str]) -> int:
    """Count entities, a short form inside a longer one ("tillerson" in "rex tillerson")
    counting once.  Resolved actors and the names in the text mostly name the same things
    (``actor:…rex-tillerson`` and "rex tillerson"), so the larger of the two counts."""
    names = sorted((k for k in keys if not k.startswith("actor:")), key=len, reverse=True)
    kept: list[str] = []
    for n in names:
        if not any(n in k.split() for k in kept):
            kept.append(n)
    return max(len(kept), sum(1 for k in keys if k.startswith("actor:")))


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for m in re.finditer(r"\n\s*\n|\n(?=\s*[•\-*]\s)", text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds


def _citation_source(start: int, end: int, citations: list[dict[str, Any]],
                     paragraphs: list[tuple[int, int]]) -> str | None:
    """The source a sentence is credited to by a citation inside it, or by a
    parenthetical citation closing its paragraph."""
    inside = [c for c in citations if start <= c["start"] < end and c["outlet"]]
    if inside:
        return inside[0]["outlet"]
    para = next(((s, e) for s, e in paragraphs if s <= start < e), None)
    if para:
        closing = [c for c in citations if c["cue"] == "parenthetical" and c["outlet"]
                   and para[0] <= c["start"] < para[1] and c["start"] >= end - 1]
        if closing:
            return closing[0]["outlet"]
    return None


def build_units(store: Store, doc_upstream: dict[str, str],
                doc_ids: list[str] | None = None) -> list[StatementUnit]:
    """Statement units of the given stored documents (all by default)."""
    mentions = corpus.rows_by_doc(store, "mentions", "start, \"end\", actor_id", doc_ids)
    quotes = corpus.rows_by_doc(store, "quotes", "id, start, \"end\", kind, speaker_text", doc_ids)
    events = corpus.rows_by_doc(store, "events", "id, start, \"end\"", doc_ids)
    citations = corpus.rows_by_doc(store, "citations", "start, \"end\", outlet, cue", doc_ids)
    comments = corpus.rows_by_doc(store, "comments", "id, start, \"end\", text, quotes_comment_id",
                                  doc_ids)
    thread_outlets = {r["doc_id"]: r["source"] for r in store.query(
        "SELECT doc_id, source FROM provenance WHERE relation='comments_on'")}
    units: list[StatementUnit] = []
    texts = corpus.iter_texts(store) if doc_ids is None else corpus.iter_texts_of(store, doc_ids)
    for meta, text, _removed in texts:
        outlet = normalize_outlet(meta.original_outlet or meta.outlet)
        upstream = doc_upstream.get(meta.id, f"doc:{meta.id}")
        if meta.kind == "comment_thread" or comments.get(meta.id):
            spans = _article_quotes(text, comments.get(meta.id, []))
            outlet = thread_outlets.get(meta.id) or outlet
        else:
            spans = [(u.start, u.end, u.text, u.item_id)
                     for u in corpus.sentences(store, meta.id, text)]
        paragraphs = _paragraph_bounds(text)
        seen_texts: set[str] = set()
        cites = sorted(citations.get(meta.id, []), key=lambda c: c["start"])
        for start, end, sentence, item_id in spans:
            key = squash(sentence)
            if len(sentence.split()) < MIN_WORDS or key in seen_texts:
                continue
            seen_texts.add(key)
            named = attributed_source(sentence) or _citation_source(start, end, cites, paragraphs) \
                or according_to(sentence)
            actor_ids = [m["actor_id"] for m in mentions.get(meta.id, [])
                         if start <= m["start"] < end]
            units.append(StatementUnit(
                doc_id=meta.id, start=start, end=end, text=sentence, outlet=outlet,
                upstream=source_key(named) if named else upstream, source=named,
                entities=entity_keys(sentence, actor_ids),
                has_quote=any(q["start"] < end and start < q["end"]
                              for q in quotes.get(meta.id, [])) or "“" in sentence,
                event_ids=[e["id"] for e in events.get(meta.id, [])
                           if start <= e["start"] < end],
                item_id=item_id, in_comments=meta.kind == "comment_thread", key=key))
    return units


def _article_quotes(text: str,
                    comments: list[dict[str, Any]]) -> list[tuple[int, int, str, str | None]]:
    """Sentences of passages commenters quote from the article (not from other comments),
    with their offsets in the thread's clean text; each distinct passage once."""
    from .text import split_sentences

    openings = [squash((c.get("text") or "").lstrip()[:300]) for c in comments
                if (c.get("text") or "").lstrip()[:1] not in "\"“"]
    seen: set[str] = set()
    out = []
    for c in comments:
        for _s, _e, passage in quoted_passages(c.get("text") or ""):
            key = squash(passage)
            if not key or key in seen or any(o.startswith(key[:60]) for o in openings):
                continue  # already taken, or the opening of another comment
            seen.add(key)
            where = text.find(passage, c.get("start") or 0)
            if where < 0:
                where = text.find(passage)
            if where < 0:
                continue
            for s, e, sentence in split_sentences(passage, where):
                out.append((s, e, sentence, c.get("id")))
    return out


def units_by_doc(units: list[StatementUnit]) -> dict[str, list[StatementUnit]]:
    out: dict[str, list[StatementUnit]] = defaultdict(list)
    for u in units:
        out[u.doc_id].append(u)
    return out
