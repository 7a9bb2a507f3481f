"""Stages of the fuse folder.

Document stage: ``citations``.  Corpus stages, in this order: ``copies``, ``provenance``,
``stories``, ``event-clusters``, ``claims``, ``contradictions`` — each declares the tables
of its predecessors it reads, so the plan keeps this order whatever the import order.
"""

from __future__ import annotations

from typing import Any

from ..registry import DocState, stage
from ..settings import Settings
from ..store.db import Store
from .types import STAGE_VERSION


@stage("citations", requires=("document",), produces=("citations",), version=STAGE_VERSION)
def run_citations(state: DocState, settings: Settings) -> None:
    """Find inline citations ("(AP, 05.03.17)", "according to a report by …")."""
    from .citations import find_citations

    document = state["document"]
    state["citations"] = find_citations(document.clean_text or "", state.doc_id,
                                        published=document.published)


@stage("copies", requires=("document",), produces=("copies",), version=STAGE_VERSION,
       scope="corpus")
def run_copies(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """Near-duplicates, partial copies, rewrites, reposts and syndicated copies."""
    from . import copies

    return copies.run(store, settings, progress)


@stage("provenance", requires=("document", "citations", "copies"), produces=("provenance",),
       version=STAGE_VERSION, scope="corpus")
def run_provenance(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """The provenance graph: reposts, syndication, reports a document rests on, threads."""
    from . import provenance

    return provenance.run(store)


@stage("stories", requires=("document", "provenance"), produces=("stories", "story_docs"),
       version=STAGE_VERSION, scope="corpus")
def run_stories(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """Stories and sub-stories, placed incrementally and labelled."""
    from . import stories

    return stories.run(store, settings, progress)


@stage("event-clusters", requires=("document", "provenance"), produces=("event_clusters",),
       version=STAGE_VERSION, scope="corpus")
def run_event_clusters(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """Events of several documents that are the same happening, with independent sources."""
    from . import events_merge

    return events_merge.run(store, settings, progress)


@stage("claims", requires=("story_docs", "event_clusters"),
       produces=("claims", "claim_sources"),
       version=STAGE_VERSION, scope="corpus")
def run_claims(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """Claims said alike by several documents, with their independent sources."""
    from . import claims

    return claims.run(store, settings, progress)


@stage("contradictions", requires=("claims",), produces=("contradictions",),
       version=STAGE_VERSION, scope="corpus")
def run_contradictions(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """Readouts that differ, denials, opposite statements, conflicting modalities."""
    from . import contradictions

    return contradictions.run(store, settings, progress)
