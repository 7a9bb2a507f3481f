"""The event lexicon (``data/lexicon.json``): which words express which PLOVER events.

Lookups return *candidates* ``(type, mode)``: a word listed under several types (``strike``,
``withdraw``, ``deny``) stays ambiguous here and is settled by the object it takes, then by
the embedding classifier.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

Candidate = tuple[str, str | None]


@functools.lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The lexicon, with reverse indexes built once."""
    text = resources.files("storyline.events").joinpath("data/lexicon.json").read_text("utf-8")
    data = json.loads(text)
    data["_verbs"] = _invert(data["verbs"])
    data["_phrasal"] = _invert(data["phrasal"])
    data["_nouns"] = _invert(data["nouns"])
    data["_classes"] = {}
    for name, words in data["noun_classes"].items():
        for word in words:
            data["_classes"].setdefault(word, []).append(name)
    data["_generic"] = set(data.get("generic_heads", []))
    for key in ("light_verbs", "symmetric", "frame_verbs", "reporting_verbs", "happen_verbs"):
        data[key] = set(data[key])
    return data


def _invert(by_type: dict[str, dict[str, str]]) -> dict[str, list[Candidate]]:
    index: dict[str, list[Candidate]] = {}
    for event_type, words in by_type.items():
        for word, mode in words.items():
            index.setdefault(word, []).append((event_type, mode or None))
    return index


def verb(lemma: str) -> list[Candidate]:
    return list(load()["_verbs"].get(lemma.lower(), []))


def phrasal(lemma: str, particle: str) -> list[Candidate]:
    return list(load()["_phrasal"].get(f"{lemma.lower()} {particle.lower()}", []))


def noun(word: str) -> list[Candidate]:
    """Candidates of a noun (lemma or surface form, or a two-word compound)."""
    return list(load()["_nouns"].get(word.lower(), []))


def classes(word: str) -> list[str]:
    """Noun classes of ``word`` (troops, weapons, aid, envoys, agreements …)."""
    return list(load()["_classes"].get(word.lower(), []))


def object_rule(verb_lemma: str, *object_words: str) -> Candidate | None:
    """The event a verb expresses with this object ("send troops" -> MOBILIZE/troops);
    ``object_words`` are the object's word, lemma and modifiers ("peacekeeping force")."""
    rules = load()["object_rules"].get(verb_lemma.lower())
    if not rules:
        return None
    word_classes = {c for word in object_words for c in classes(word)}
    for noun_class, event_type, mode in rules:
        if noun_class in word_classes:
            return event_type, mode or None
    return None


def has_object_rules(verb_lemma: str) -> bool:
    return verb_lemma.lower() in load()["object_rules"]


def is_generic_head(word: str) -> bool:
    """Nouns that take their event from a modifier ("mediation effort", "a bid")."""
    return word.lower() in load()["_generic"]


def is_light(lemma: str) -> bool:
    return lemma.lower() in load()["light_verbs"]


def is_symmetric(lemma: str) -> bool:
    return lemma.lower() in load()["symmetric"]


def is_frame(lemma: str) -> bool:
    return lemma.lower() in load()["frame_verbs"]


def is_reporting(lemma: str) -> bool:
    return lemma.lower() in load()["reporting_verbs"]


def is_happen(lemma: str) -> bool:
    return lemma.lower() in load()["happen_verbs"]


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> Any:
    import re

    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])")


def _has_phrase(text: str, phrase: str) -> bool:
    # a plain substring test first: most keywords are absent, and it is far cheaper
    return phrase in text and _phrase_pattern(phrase).search(text) is not None


def mode_from_text(event_type: str, text: str) -> str | None:
    """The first mode of ``event_type`` whose keywords occur in ``text`` (lower-cased)."""
    table = load()["mode_keywords"].get(event_type, {})
    lowered = text.lower()
    for mode, phrases in table.items():
        if any(_has_phrase(lowered, p) for p in phrases):
            return mode
    return None


def contexts(text: str, limit: int = 2) -> list[str]:
    """PLOVER contexts whose keywords occur in ``text``, most keywords first."""
    lowered = text.lower()
    hits = []
    for context, phrases in load()["context_keywords"].items():
        n = sum(1 for p in phrases if _has_phrase(lowered, p))
        if n:
            hits.append((-n, context))
    return [c for _, c in sorted(hits)[:limit]]
