"""The ``clean`` stage: raw input → clean document (+ its comments, for comment threads)."""

from __future__ import annotations

from ..registry import DocState, stage
from ..settings import Settings
from .clean import CLEAN_VERSION, clean_raw


@stage("clean", requires=("raw",), produces=("document", "comments"), version=CLEAN_VERSION)
def clean(state: DocState, settings: Settings) -> None:
    """Decode, extract and clean the text with exact offsets; say what the document is."""
    document, comments = clean_raw(state["raw"], settings)
    state["document"] = document
    state["comments"] = comments
