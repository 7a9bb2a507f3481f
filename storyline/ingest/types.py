"""Data types of the ingest stage: what came in, and the clean document made from it."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from ..records import Record, Span

DOCUMENT_KINDS = ("news_report", "analysis", "essay", "comment_thread", "press_release",
                  "transcript", "other")


@dataclasses.dataclass(kw_only=True)
class RawInput:
    """One input exactly as received, before any cleaning.

    ``source_key`` identifies the document across re-ingests (a path, a URL, ``path#id``
    for a JSONL record, a feed item's guid); ``data`` is the raw bytes of *this document*
    (a JSONL record's own line, an HTML page, a text file).  ``hints`` carries metadata the
    container already gave (JSON fields, feed item title/date/author), used before guessing.
    """

    source_key: str
    source: str
    data: bytes
    format: str = ""  # html, text, markdown, json-record, feed-item; "" = sniff
    content_type: str = ""
    hints: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(kw_only=True)
class OffsetMap:
    """Maps clean-text offsets to raw-text offsets.

    ``segments`` is a sorted list of ``(clean_start, raw_start, length)``: the clean text
    ``[clean_start, clean_start+length)`` equals (after the decoding recorded in
    ``raw_encoding``) the raw text ``[raw_start, raw_start+length)``.  Offsets are in
    characters of the decoded raw text; ``raw_encoding`` names how the bytes were decoded.
    """

    segments: list[tuple[int, int, int]] = dataclasses.field(default_factory=list)
    raw_encoding: str = "utf-8"

    def to_raw(self, offset: int) -> int:
        """Raw offset of the clean offset ``offset`` (end offsets map to the end)."""
        import bisect

        if not self.segments:
            return offset
        starts = [s[0] for s in self.segments]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        clean_start, raw_start, length = self.segments[i]
        return raw_start + min(max(offset - clean_start, 0), length)

    def to_json(self) -> dict[str, Any]:
        return {"segments": self.segments, "raw_encoding": self.raw_encoding}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> OffsetMap:
        if not data:
            return cls()
        return cls(segments=[tuple(s) for s in data.get("segments", [])],
                   raw_encoding=data.get("raw_encoding", "utf-8"))


@dataclasses.dataclass(kw_only=True)
class Document(Record):
    """A clean document: text with exact offsets, and what the document is."""

    TABLE: ClassVar[str] = "documents"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("authors", "offsets", "removed", "meta")

    id: str
    source_key: str
    content_sha256: str
    clean_text: str
    version: int = 1
    source: str = ""
    raw_sha256: str | None = None
    format: str = ""
    title: str | None = None
    authors: list[str] = dataclasses.field(default_factory=list)
    published: str | None = None  # ISO date (YYYY-MM-DD, YYYY-MM or YYYY)
    published_precision: str | None = None  # day, month, year
    outlet: str | None = None
    outlet_inferred: bool = False
    kind: str = "other"
    language: str | None = None
    section: str | None = None
    original_outlet: str | None = None  # for reposts/syndication: who wrote it
    carrier: str | None = None  # for reposts: who carried it ("the media pirate")
    syndicated_from: str | None = None  # "The Daily Caller News Foundation"
    offsets: dict[str, Any] = dataclasses.field(default_factory=dict)  # OffsetMap.to_json()
    removed: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # boilerplate
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)
    ingested_at: str | None = None
    updated_at: str | None = None
    stage: str = "clean"
    stage_version: str = ""

    @property
    def offset_map(self) -> OffsetMap:
        return OffsetMap.from_json(self.offsets)


@dataclasses.dataclass(kw_only=True)
class Comment(Span):
    """One comment of a comment thread, with its span in the thread's clean text."""

    TABLE: ClassVar[str] = "comments"

    id: str
    idx: int
    author: str | None = None
    location: str | None = None
    text: str = ""
    quotes_comment_id: str | None = None  # the earlier comment this one quotes
    quoted_text: str | None = None


@dataclasses.dataclass(kw_only=True)
class Skip:
    """An input that was not stored, and why (recorded in the ``skips`` table)."""

    source: str
    reason: str
    error: str = "InputError"
    stage: str = "ingest"


def document_id(source_key: str) -> str:
    """Stable document id derived from the source key."""
    import hashlib

    return "d" + hashlib.sha1(source_key.encode("utf-8", "surrogatepass")).hexdigest()[:15]


def content_hash(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
