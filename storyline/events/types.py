"""Data types of the events stage."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from ..records import Span

#: where an event was read: a news report, analysis/opinion prose, or a reader comment
ORIGINS = ("report", "analysis", "comment")


@dataclasses.dataclass(kw_only=True)
class Event(Span):
    """One coded event: who did what to whom, when, where, and how sure the text is of it.

    ``start``/``end`` span the sentence the event was read from; ``trigger_start``/
    ``trigger_end`` the word(s) that express it.  ``type`` is the PLOVER 2.0 category of
    the action ("CONSULT"), ``modality`` whether it happened, is planned, was cancelled …;
    :func:`storyline.events.ontology.coded_type` gives PLOVER's coding of both together.
    ``source_*``/``target_*`` are parallel lists (actor ids may be None for participants
    the actors stage did not resolve); ``*_text`` joins the participants' texts with "; ";
    sectors are the actors stage's ("government", "military", "igo" …).
    """

    TABLE: ClassVar[str] = "events"
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("source_ids", "target_ids", "source_countries",
                                              "target_countries", "source_sectors",
                                              "target_sectors", "zones")

    id: str
    sentence: str = ""
    trigger: str = ""
    trigger_start: int | None = None
    trigger_end: int | None = None
    type: str
    mode: str | None = None
    context: str | None = None
    cameo: str | None = None
    score: float | None = None
    goldstein: float | None = None
    source_ids: list[str | None] = dataclasses.field(default_factory=list)
    source_text: str = ""
    source_countries: list[str | None] = dataclasses.field(default_factory=list)
    source_sectors: list[str | None] = dataclasses.field(default_factory=list)
    target_ids: list[str | None] = dataclasses.field(default_factory=list)
    target_text: str = ""
    target_countries: list[str | None] = dataclasses.field(default_factory=list)
    target_sectors: list[str | None] = dataclasses.field(default_factory=list)
    modality: str = "happened"
    date_start: str | None = None
    date_end: str | None = None
    date_precision: str | None = None
    date_from: str | None = None  # "sentence" | "document" | None
    place_id: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    zones: list[str] = dataclasses.field(default_factory=list)
    reported_by: str | None = None
    origin: str = "report"
