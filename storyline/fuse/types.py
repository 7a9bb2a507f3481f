"""Data types of the fuse stages: what is learnt across documents.

``Citation`` is a span of one document (found by a document stage); the others are
corpus-level records written by the corpus stages (stories, copies, provenance, event
clusters, claims, contradictions).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ..records import Record, Span

STAGE_VERSION = "1"


@dataclasses.dataclass(kw_only=True)
class Citation(Span):
    """An inline citation of a source: "(AP, 05.03.17)", "the Wall Street Journal reported".

    ``outlet`` is the normalised name of the cited outlet or source ("The New York Times",
    "White House readout"); ``cited_date`` an ISO date when the citation carries one;
    ``cue`` the kind of cue ("parenthetical", "according to", "reported", "told", "per",
    "h/t", "interview").
    """

    TABLE: ClassVar[str] = "citations"

    id: str
    text: str
    outlet: str | None = None
    cited_date: str | None = None
    cue: str | None = None


@dataclasses.dataclass(kw_only=True)
class Story(Record):
    """A story (``parent_id`` None) or a sub-story of one."""

    TABLE: ClassVar[str] = "stories"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("keywords",)

    id: str
    parent_id: str | None = None
    label: str = ""
    keywords: list[str] = dataclasses.field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    size: int = 0
    stage: str = "stories"
    stage_version: str = STAGE_VERSION


@dataclasses.dataclass(kw_only=True)
class StoryDoc(Record):
    TABLE: ClassVar[str] = "story_docs"

    story_id: str
    doc_id: str
    score: float | None = None


@dataclasses.dataclass(kw_only=True)
class Copy(Record):
    """``doc_id`` copies, reposts or rewrites ``other_doc_id`` (the earlier one).

    ``relation`` is near_duplicate, partial_copy, rewrite, repost or syndication;
    ``passages`` the shared passages as ``{"a": [start, end], "b": [start, end],
    "score": float}`` (``a`` in ``doc_id``, ``b`` in ``other_doc_id``, clean-text offsets).
    """

    TABLE: ClassVar[str] = "copies"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("passages",)

    doc_id: str
    other_doc_id: str
    relation: str
    score: float = 0.0
    passages: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    stage: str = "copies"
    stage_version: str = STAGE_VERSION


@dataclasses.dataclass(kw_only=True)
class ProvenanceEdge(Record):
    """An edge of the provenance graph: document → source (an outlet, a commenter).

    ``relation``: repost_of, syndicated_from, based_on_report_by, cites, copy_of,
    rewrite_of, comments_on, comment_quotes_comment.  ``via`` names the intermediary (the
    carrier of a repost, the syndicating outlet of a report), ``agent`` who acts inside the
    document (the quoting commenter), ``source_doc_id`` the stored document of the source
    when there is one; ``start``/``end`` the evidence span in the document.
    """

    TABLE: ClassVar[str] = "provenance"

    id: str
    doc_id: str
    relation: str
    source: str
    via: str | None = None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    agent: str | None = None
    source_doc_id: str | None = None
    stage: str = "provenance"
    stage_version: str = STAGE_VERSION
    confidence: float | None = None


@dataclasses.dataclass(kw_only=True)
class EventCluster(Record):
    """Events of several documents that are the same happening."""

    TABLE: ClassVar[str] = "event_clusters"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("source_ids", "target_ids")

    id: str
    type: str
    label: str = ""
    date_start: str | None = None
    date_end: str | None = None
    source_ids: list[str] = dataclasses.field(default_factory=list)
    target_ids: list[str] = dataclasses.field(default_factory=list)
    place_name: str | None = None
    modality: str | None = None
    n_docs: int = 0
    n_independent: int = 0
    status: str = "single"
    stage: str = "event-clusters"
    stage_version: str = STAGE_VERSION


@dataclasses.dataclass(kw_only=True)
class EventClusterMember(Record):
    TABLE: ClassVar[str] = "event_cluster_members"

    cluster_id: str
    event_id: str


@dataclasses.dataclass(kw_only=True)
class Claim(Record):
    """What several sources say alike; ``status`` corroborated, single or contested."""

    TABLE: ClassVar[str] = "claims"

    id: str
    text: str
    kind: str = "fact"  # quote, fact, event
    n_sources: int = 0
    n_independent: int = 0
    status: str = "single"
    stage: str = "claims"
    stage_version: str = STAGE_VERSION
    confidence: float | None = None


@dataclasses.dataclass(kw_only=True)
class ClaimSource(Record):
    """One place a claim is made: a span of a document, with its outlet and upstream."""

    TABLE: ClassVar[str] = "claim_sources"

    claim_id: str
    doc_id: str
    start: int
    end: int
    text: str
    outlet: str | None = None
    upstream: str | None = None
    item_table: str | None = None
    item_id: str | None = None


@dataclasses.dataclass(kw_only=True)
class Contradiction(Record):
    """Two statements that conflict, with both sides and their sources.

    ``kind``: omission (a readout made no mention of what another says), denial, opposite
    (one statement negates the other), modality (happened vs cancelled/denied).
    """

    TABLE: ClassVar[str] = "contradictions"

    id: str
    kind: str
    a_doc_id: str | None = None
    a_start: int | None = None
    a_end: int | None = None
    a_source: str | None = None
    a_text: str | None = None
    b_doc_id: str | None = None
    b_start: int | None = None
    b_end: int | None = None
    b_source: str | None = None
    b_text: str | None = None
    topic: str | None = None
    a_claim_id: str | None = None
    b_claim_id: str | None = None
    stage: str = "contradictions"
    stage_version: str = STAGE_VERSION
    confidence: float | None = None
