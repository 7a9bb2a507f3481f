"""Stages of the actors folder: ``actors`` (per document) and ``actors-merge`` (corpus)."""

from __future__ import annotations

from typing import Any

from ..registry import DocState, stage
from ..settings import Settings
from .resolve import VERSION


@stage("actors", requires=("nlp",), produces=("mentions",), version=VERSION)
def run_actors(state: DocState, settings: Settings) -> None:
    """Find actor mentions and resolve them (knowledge base, titles, coreference)."""
    from .kb import load_kb
    from .resolve import resolve

    parsed = state["nlp"]
    if parsed.extra.get("skipped"):
        state["mentions"] = []
        return
    document = state.get("document")
    comments = state.get("comments") or ()
    authors = [c.author for c in comments if getattr(c, "author", None)]
    bodies = [(c.start, c.end) for c in comments]
    outlet = (document.original_outlet or document.outlet) if document is not None else None
    state["mentions"] = resolve(
        parsed.doc,
        state.doc_id,
        load_kb(settings.actors.user_kb),
        published=document.published if document is not None else None,
        authors=authors,
        outlet=outlet,
        fuzzy_threshold=settings.actors.fuzzy_threshold,
        bodies=bodies,
    )


@stage(
    "actors-merge", requires=("mentions",), produces=("actors",), version=VERSION, scope="corpus"
)
def merge_actors(store: Any, settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Unify document-local actors across documents and rebuild the actors table."""
    from .kb import load_kb
    from .merge import merge

    return merge(store, load_kb(settings.actors.user_kb))
