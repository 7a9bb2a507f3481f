"""Data types of the opinion stage: one reading per comment, and recurring narratives."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ..records import Record

STAGE_VERSION = "1"


@dataclasses.dataclass(kw_only=True)
class CommentOpinion(Record):
    """VADER sentiment of a comment, its stance toward the story's main actors
    (``{"Donald Trump": "against", …}``), its main narrative, and the claims of the
    reported sources that contradict what it asserts."""

    TABLE: ClassVar[str] = "comment_opinions"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("stance", "contradicted_by")

    comment_id: str
    doc_id: str
    compound: float = 0.0
    pos: float = 0.0
    neg: float = 0.0
    neu: float = 0.0
    stance: dict[str, str] = dataclasses.field(default_factory=dict)
    narrative_id: str | None = None
    contradicted_by: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    stage: str = "opinion"
    stage_version: str = STAGE_VERSION


@dataclasses.dataclass(kw_only=True)
class Narrative(Record):
    """A recurring narrative of a comment thread: label, keywords, share of the thread's
    comments, example quotes and every member passage (comment id and offsets)."""

    TABLE: ClassVar[str] = "narratives"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("keywords", "examples", "members")

    id: str
    doc_id: str
    label: str = ""
    share: float = 0.0
    size: int = 0
    keywords: list[str] = dataclasses.field(default_factory=list)
    examples: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    members: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    stage: str = "opinion"
    stage_version: str = STAGE_VERSION
    confidence: float | None = None
