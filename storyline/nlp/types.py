"""Data types of the nlp stage."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

from ..records import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclasses.dataclass
class Parsed:
    """The parse of one document.  ``doc.text`` equals the document's clean text exactly,
    so token and entity character offsets are clean-text offsets."""

    doc: Doc
    model: str = ""
    language: str = "en"
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(kw_only=True)
class Sentence(Span):
    TABLE: ClassVar[str] = "sentences"

    id: str
    idx: int
    text: str


@dataclasses.dataclass(kw_only=True)
class Timex(Span):
    """A time expression normalised against the document date.

    ``value_start``/``value_end`` are ISO dates (a range for "May 3-4" or a fuzzy window
    for "late December"); ``precision`` is day, week, month, year or range.
    """

    TABLE: ClassVar[str] = "timexes"

    id: str
    text: str
    value_start: str | None = None
    value_end: str | None = None
    precision: str | None = None
    anchor: str | None = None  # the date it was resolved against


@dataclasses.dataclass(kw_only=True)
class Quote(Span):
    """A direct or indirect quotation (``start``/``end`` = the content span)."""

    TABLE: ClassVar[str] = "quotes"

    id: str
    text: str
    kind: str = "direct"  # direct, indirect, mixed
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_actor_id: str | None = None
    anonymous: bool = False
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    reported_by: str | None = None
    comment_id: str | None = None
