"""Per-comment sentiment with VADER (lexicon and rules, no download)."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> dict[str, float]:
    """VADER scores: ``compound`` in [-1, 1] and the ``pos``/``neg``/``neu`` shares."""
    scores = analyzer().polarity_scores(text or "")
    return {k: round(float(scores[k]), 4) for k in ("compound", "pos", "neg", "neu")}
