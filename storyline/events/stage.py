"""The ``events`` document stage: code the events of one parsed document.

It reads the parse (``nlp``), the actor mentions (``mentions``), the time expressions
(``timexes``), the places (``places``) and the comments (``comments``).  It requires the
artifacts whose stages are installed, so it always runs after them whatever the import
order; without an actors stage it falls back to named entities.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ..registry import DocState, stage
from ..settings import Settings
from .types import Event

EVENTS_VERSION = "2"
#: what events read beyond the parse, and the stage module that produces it: events wait
#: for each one whose module is installed (the registry orders stages by requirements)
_OPTIONAL = (("mentions", "storyline.actors.stage"), ("timexes", "storyline.nlp.stage"),
             ("places", "storyline.geo.stage"))
_REQUIRES = ("document", "nlp") + tuple(
    artifact for artifact, module in _OPTIONAL if importlib.util.find_spec(module))
#: with the fuse stages, undated documents are dated by their story after stories are built
_REDATE_REQUIRES = ("stories",) if importlib.util.find_spec("storyline.fuse.stage") else \
    ("events",)


def doc_info(state: DocState) -> Any:
    """What coding needs to know about the document in ``state``."""
    from .coding import DocInfo

    document = state["document"]
    return DocInfo(doc_id=state.doc_id, kind=document.kind or "other",
                   published=document.published,
                   published_precision=document.published_precision,
                   timexes=state.get("timexes") or [], places=state.get("places") or [],
                   comments=state.get("comments") or [], stage_version=EVENTS_VERSION)


def extract_events(state: DocState, settings: Settings, model: Any = "default") -> list[Event]:
    """The events of the document in ``state`` (``model``: a classifier, None for the
    lexicon alone, or "default" for the packaged one when settings allow it)."""
    from .classify import load_model
    from .coding import code
    from .extract import document_candidates

    parsed = state["nlp"]
    if parsed.extra.get("skipped"):
        return []
    if model == "default":
        model = load_model() if settings.events.use_classifier else None
    cands = document_candidates(parsed.doc, state.get("mentions"),
                                places=state.get("places") or ())
    return code(cands, doc_info(state), model, settings.events.min_confidence)


@stage("events", requires=_REQUIRES, produces=("events",), version=EVENTS_VERSION)
def run_events(state: DocState, settings: Settings) -> None:
    """Code PLOVER events (who did what to whom, when, where, with what modality)."""
    state["events"] = extract_events(state, settings)


@stage("event-dates", requires=_REDATE_REQUIRES, produces=("event_dates",),
       version=EVENTS_VERSION, scope="corpus")
def run_event_dates(store: Any, settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Date the events of undated documents by the newest report of their story."""
    from .redate import redate

    return redate(store, settings, progress)
