"""Stance of a comment toward the story's main actors.

The main actors are the actors (or, without actor mentions, the names) that most comments
of the thread and the story's reports mention.  A comment's stance toward an actor comes
from the sentences that name the actor: a lexicon of stance cues ("puppet", "can't trust",
"applaud") and the VADER sentiment of those sentences.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path

from ..fuse.text import proper_names, split_sentences
from .sentiment import sentiment

DATA = Path(__file__).resolve().parent / "data" / "stance_cues.json"
SENTIMENT_WEIGHT = 0.5  # VADER misreads sarcasm and "no way we can trust": cues weigh more
THRESHOLD = 0.25


@functools.lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))

    def pattern(words: list[str]) -> re.Pattern[str]:
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
        return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.I)

    return pattern(data["against"]), pattern(data["favor"])


def main_actors(comment_texts: list[str], actor_names: list[str] | None = None,
                n: int = 3) -> list[str]:
    """The actors most comments talk about: from actor names when known (ranked by how
    many comments name them), else from the names the comments use most."""
    candidates = actor_names or []
    if not candidates:
        counts: Counter = Counter()
        for text in comment_texts:
            counts.update({name.split()[-1] for name in proper_names(text)
                           if name[:1].isupper() and len(name) > 2 and _mid_sentence(name, text)})
        candidates = [name for name, _ in counts.most_common(n * 4)]
    scored = Counter({name: sum(1 for t in comment_texts if _mentions(t, name))
                      for name in candidates})
    return [name for name, c in scored.most_common(n) if c > 0]


def _mid_sentence(name: str, text: str) -> bool:
    """A capitalised word is a name only if it is capitalised inside a sentence too
    ("Tolls are a tax" does not make "Tolls" an actor)."""
    return bool(re.search(rf"[\w,;:]\s+{re.escape(name)}\b", text))


def _mentions(text: str, actor: str) -> bool:
    return any(re.search(rf"\b{re.escape(part)}\b", text, re.I) for part in _name_parts(actor))


def _name_parts(actor: str) -> list[str]:
    parts = [actor]
    words = actor.split()
    if len(words) > 1:
        parts.append(words[-1])
    return parts


_PRONOUN = re.compile(r"\b(?:he|him|his|she|her)\b", re.I)


def _about(text: str, actor: str, others: list[str]) -> list[str]:
    """Sentences naming the actor, and sentences that refer back to it by a pronoun when
    it is the actor named last."""
    out, last = [], None
    for _, _, s in split_sentences(text):
        named = [a for a in [actor, *others] if _mentions(s, a)]
        if actor in named:
            out.append(s)
        elif not named and last == actor and _PRONOUN.search(s):
            out.append(s)
        if named:
            last = actor if actor in named and len(named) == 1 else named[-1]
    return out


def stance_toward(text: str, actor: str, others: list[str] | None = None) -> str | None:
    """favor, against or neutral; None when the comment does not name the actor."""
    against, favor = _cues()
    sentences = _about(text, actor, [o for o in others or [] if o != actor])
    if not sentences:
        return None
    tone = sum(sentiment(s)["compound"] for s in sentences) / len(sentences)
    cues = sum(len(favor.findall(s)) - len(against.findall(s)) for s in sentences)
    score = SENTIMENT_WEIGHT * tone + max(-2, min(2, cues))
    if score >= THRESHOLD:
        return "favor"
    if score <= -THRESHOLD:
        return "against"
    return "neutral"


def stances(text: str, actors: list[str]) -> dict[str, str]:
    out = {}
    for actor in actors:
        value = stance_toward(text, actor, actors)
        if value:
            out[actor] = value
    return out
