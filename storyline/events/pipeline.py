"""Reading short texts (evaluation and training sentences) up to the events stage.

Each text becomes a document and runs through the registered document stages the events
stage depends on (nlp, dates, actors …), exactly as an ingested document would, but in
memory and without the stages events does not need.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .. import registry
from ..ingest.types import Document
from ..registry import DocState, Stage
from ..settings import Settings

#: stages events never needs for short texts
SKIPPED = {"quotes", "events", "places"}


def needed_stages(with_places: bool = False) -> list[Stage]:
    """The document stages that produce what the events stage reads, in order."""
    skipped = SKIPPED - ({"places"} if with_places else set())
    pool = [s for s in registry.all_stages("document")
            if "document" not in s.produces and s.name not in skipped]
    have, candidates = {"raw", "document"}, []
    for _ in range(len(pool)):
        for st in pool:
            if st not in candidates and set(st.requires) <= have:
                candidates.append(st)
                have |= set(st.produces)
    need = set(registry.get("events").requires) | {"timexes"}
    if with_places:
        need.add("places")
    keep: list[Stage] = []
    for st in reversed(registry.plan(candidates, available=("raw", "document"))):
        if set(st.produces) & need:
            keep.append(st)
            need |= set(st.requires)
    return list(reversed(keep))


def make_state(text: str, published: str | None = None, kind: str = "news_report",
               key: str = "") -> DocState:
    key = key or "text:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    doc_id = "d" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]
    document = Document(id=doc_id, source_key=key, clean_text=text,
                        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        published=published, published_precision="day" if published else None,
                        kind=kind, language="en")
    return DocState(doc_id=doc_id, artifacts={"document": document})


def read_texts(texts: Iterable[str], settings: Settings, published: str | None = None,
               with_places: bool = False) -> list[DocState]:
    """Run the stages events needs on each text; returns the states (no events yet)."""
    stages = needed_stages(with_places)
    states = []
    for i, text in enumerate(texts):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        state = make_state(text, published, key=f"text:{i}:{digest}")
        for st in stages:
            if all(r in state for r in st.requires):
                st.fn(state, settings)
        states.append(state)
    return states
