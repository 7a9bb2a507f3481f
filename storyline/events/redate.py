"""Dating the events of undated documents by their story (the ``event-dates`` corpus stage).

A document without a publication date cannot place "last month" or "Thursday", and its
events get no date.  Once the corpus stages have grouped documents into stories, such a
document is anchored at the newest publication date of the other documents of its
(sub-)story — an undated page about a developing story is read while the story is
current — and its events are coded again with that anchor: relative time expressions
get values, and events without one take the anchor with ``date_from = "story"``.  The
stored document keeps ``published`` empty: the anchor is an estimate for events only.
"""

from __future__ import annotations

from typing import Any

from ..registry import DocState
from ..settings import Settings


def story_anchor(store: Any, doc_id: str) -> str | None:
    """The newest publication date among the other documents of the document's stories
    (the most specific story first)."""
    rows = store.query(
        "SELECT s.id, s.parent_id FROM story_docs sd JOIN stories s ON s.id = sd.story_id "
        "WHERE sd.doc_id = ? ORDER BY (s.parent_id IS NULL), s.size", (doc_id,))
    for row in rows:
        date = store.scalar(
            "SELECT MAX(d.published) FROM story_docs sd JOIN documents d ON d.id = sd.doc_id "
            "WHERE sd.story_id = ? AND sd.doc_id != ? AND d.published IS NOT NULL",
            (row["id"], doc_id))
        if date:
            return str(date)[:10]
    return None


def _fetch(store: Any, module: str, name: str, doc_id: str) -> list[Any]:
    import importlib

    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return []
    return store.fetch(cls, "doc_id=?", (doc_id,))


def load_state(store: Any, doc_id: str) -> DocState:
    """What the events stage reads, restored from the store."""
    from ..nlp.pipeline import load_parsed
    from ..store.documents import load_document

    state = DocState(doc_id=doc_id)
    state["document"] = load_document(store, doc_id)
    state["nlp"] = load_parsed(store, doc_id)
    state["mentions"] = _fetch(store, "storyline.actors.types", "Mention", doc_id)
    state["places"] = _fetch(store, "storyline.geo.types", "Place", doc_id)
    state["comments"] = _fetch(store, "storyline.ingest.types", "Comment", doc_id)
    state["timexes"] = _fetch(store, "storyline.nlp.types", "Timex", doc_id)
    return state


def redate(store: Any, settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Re-code the events of undated documents with their story's date as anchor."""
    from .classify import load_model
    from .coding import code
    from .extract import document_candidates
    from .stage import doc_info

    undated = [r["id"] for r in store.query(
        "SELECT id FROM documents WHERE published IS NULL OR published = ''")]
    model = load_model() if settings.events.use_classifier else None
    dated: dict[str, str] = {}
    for doc_id in undated:
        anchor = story_anchor(store, doc_id)
        if not anchor:
            continue
        state = load_state(store, doc_id)
        parsed = state["nlp"]
        try:
            from ..nlp.dates import find_timexes

            state["timexes"] = find_timexes(parsed.doc, doc_id, published=anchor)
        except ImportError:  # pragma: no cover - the nlp folder ships it
            pass
        info = doc_info(state)
        info.published, info.published_precision, info.published_from = anchor, "day", "story"
        cands = document_candidates(parsed.doc, state.get("mentions"),
                                    places=state.get("places") or ())
        events = code(cands, info, model, settings.events.min_confidence)
        with store.transaction():
            store.conn.execute("DELETE FROM events WHERE doc_id=?", (doc_id,))
            store.insert(events)
        dated[doc_id] = anchor
        if progress is not None:
            progress.advance(note=doc_id)
    return {"documents": len(dated), "anchors": dated}
