"""Document stages of the nlp folder: ``nlp`` (parse + sentences), ``dates``, ``quotes``."""

from __future__ import annotations

import importlib.util
from typing import Any

from ..registry import DocState, stage
from ..settings import Settings
from .types import Parsed, Sentence

NLP_VERSION = "1"

#: the quotes stage runs after the actors stage when there is one, to link speakers to
#: actor mentions; without it, quotes need only the parse
_QUOTES_REQUIRE = ("nlp", "mentions") if importlib.util.find_spec("storyline.actors.stage") \
    else ("nlp",)


def _sentences(doc_id: str, parsed: Parsed, text: str | None = None) -> list[Sentence]:
    """Sentence records, trimmed of surrounding whitespace, whitespace-only ones dropped
    (``text``: the parsed text, when the caller has it; ``Doc.text`` joins every token)."""
    text = parsed.doc.text if text is None else text
    out: list[Sentence] = []
    for sent in parsed.doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        i = len(out)
        out.append(Sentence(id=f"{doc_id}:s{i}", idx=i, text=text[start:end], doc_id=doc_id,
                            start=start, end=end, stage="nlp", stage_version=NLP_VERSION))
    return out


@stage("nlp", requires=("document",), produces=("nlp", "sentences", "nlp_cache"),
       version=NLP_VERSION)
def run_nlp(state: DocState, settings: Settings) -> None:
    """Parse the clean text with spaCy (chunked), split sentences, cache the parse."""
    run_nlp_batch([state], settings)


def run_nlp_batch(states: list[DocState], settings: Settings) -> None:
    """The ``nlp`` stage on several documents: one ``nlp.pipe`` stream per model (the flow
    calls it on a window of documents, see ``flow.process_documents``)."""
    from .pipeline import FALLBACK_MODEL, comment_boundaries, is_english, load_blank, \
        load_nlp, parse_many

    groups: dict[str, list[tuple[DocState, str, list[int]]]] = {}
    for state in states:
        document = state["document"]
        model = settings.nlp.model if is_english(document.language) \
            else f"blank:{FALLBACK_MODEL}"
        groups.setdefault(model, []).append(
            (state, document.clean_text or "", comment_boundaries(state.get("comments"))))
    for model, items in groups.items():
        # non-English text is recorded, tokenised and split, but not run through the model
        english = not model.startswith("blank:")
        nlp = load_nlp(model) if english else load_blank()
        docs = parse_many([text for _, text, _ in items], nlp, settings.nlp.chunk_chars,
                          boundaries=[cuts for _, _, cuts in items],
                          batch_size=settings.nlp.batch_size)
        for (state, text, _), doc in zip(items, docs):
            _finish_nlp(state, doc, model, english, text)


run_nlp.batch = run_nlp_batch  # type: ignore[attr-defined]


def _finish_nlp(state: DocState, doc: Any, model: str, english: bool, text: str) -> None:
    from .pipeline import remember_text, to_cache

    remember_text(doc, text)  # parse keeps doc.text == text
    document = state["document"]
    extra = {} if english else {"skipped": f"language {document.language!r} is not English"}
    parsed = Parsed(doc=doc, model=model, language=document.language or "en", extra=extra)
    state["nlp"] = parsed
    state["sentences"] = _sentences(state.doc_id, parsed, text)
    state["nlp_cache"] = to_cache(state.doc_id, document.content_sha256, model, doc)


@stage("dates", requires=("nlp",), produces=("timexes",), version="1")
def run_dates(state: DocState, settings: Settings) -> None:
    """Find time expressions and normalise them against the publication date."""
    from .dates import find_timexes

    parsed: Parsed = state["nlp"]
    if parsed.extra.get("skipped"):
        state["timexes"] = []
        return
    state["timexes"] = find_timexes(parsed.doc, state.doc_id,
                                    published=state["document"].published
                                    if "document" in state else None)


@stage("quotes", requires=_QUOTES_REQUIRE, produces=("quotes",), version="1")
def run_quotes(state: DocState, settings: Settings) -> None:
    """Find direct and indirect quotations with speaker, cue and content."""
    from .quotes import find_quotes

    parsed: Parsed = state["nlp"]
    if parsed.extra.get("skipped"):
        state["quotes"] = []
        return
    state["quotes"] = find_quotes(parsed.doc, state.doc_id,
                                  mentions=state.get("mentions"),
                                  comments=state.get("comments"))
