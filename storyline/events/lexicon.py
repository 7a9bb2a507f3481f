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
    data["_noun_words"] = _noun_words(data["_nouns"], data["_generic"])
    for key in ("light_verbs", "symmetric", "frame_verbs", "reporting_verbs", "happen_verbs"):
        data[key] = set(data[key])
    data["_phrasal_verbs"] = {key.split(" ", 1)[0] for key in data["_phrasal"]}
    data["_verb_lemmas"] = (set(data["_verbs"]) | set(data["object_rules"])
                            | data["light_verbs"] | data["reporting_verbs"] | {"call"}
                            | data["_phrasal_verbs"])
    return data


def _noun_words(nouns: dict[str, list[Candidate]], generic: set[str]) -> set[str]:
    """Every word a noun needs to be, as written or as lemma, for a noun lookup to find
    it: a listed noun, the last word of a listed compound ("war games"), the first word of
    a listed "noun of noun" ("state of emergency"), a generic head, and "call"."""
    words = set(nouns) | generic | {"call"}
    words |= {key.rsplit(" ", 1)[-1] for key in nouns}
    words |= {key.split(" ", 1)[0] for key in nouns if " of " in key}
    return words


def may_be_event_noun(word: str, lemma: str) -> bool:
    """False when no noun lookup can succeed for a noun ``word`` with lemma ``lemma``:
    most nouns of a text, skipped without reading their children."""
    word, lemma = word.lower(), lemma.lower()
    words = load()["_noun_words"]
    return word in words or lemma in words or " " in word or " " in lemma


def may_be_phrasal(lemma: str) -> bool:
    """False when :func:`phrasal` finds nothing for ``lemma`` whatever its particle."""
    lemma = lemma.lower()
    return lemma in load()["_phrasal_verbs"] or " " in lemma


def may_be_event_verb(lemma: str) -> bool:
    """False when no verb lookup (verb, phrasal verb, object rule, light or reporting
    verb, "call") can succeed for a verb with lemma ``lemma``."""
    lemma = lemma.lower()
    return lemma in load()["_verb_lemmas"] or " " in lemma


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
    return _mode_from_text(event_type, text.lower())


#: keyword searches are memoised by text: a sentence is searched once for each of its
#: events, and the same sentences recur across the copies of a story
@functools.lru_cache(maxsize=8192)
def _mode_from_text(event_type: str, lowered: str) -> str | None:
    table = load()["mode_keywords"].get(event_type, {})
    for mode, phrases in table.items():
        if any(_has_phrase(lowered, p) for p in phrases):
            return mode
    return None


def contexts(text: str, limit: int = 2) -> list[str]:
    """PLOVER contexts whose keywords occur in ``text``, most keywords first."""
    return list(_contexts(text.lower(), limit))


@functools.lru_cache(maxsize=8192)
def _contexts(lowered: str, limit: int) -> tuple[str, ...]:
    hits = []
    for context, phrases in load()["context_keywords"].items():
        n = sum(1 for p in phrases if _has_phrase(lowered, p))
        if n:
            hits.append((-n, context))
    return tuple(c for _, c in sorted(hits)[:limit])
