"""Cross-document event coreference on ECB+ gold mentions, inside predicted stories.

Two event mentions corefer when they are in the same predicted (sub-)story and share the
head lemma of their trigger, or when their triggers are synonyms by embedding and their
sentences are close (WordLlama).  This is the "same lemma within a topic cluster" method
of the literature, strengthened by embeddings; it needs no training.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

import numpy as np

from ..settings import Settings

TRIGGER_COSINE = 0.75
CONTEXT_COSINE = 0.6


@functools.lru_cache(maxsize=1)
def _lemmatizer(model: str):
    import spacy

    return spacy.load(model, disable=["parser", "ner"])


def head_lemmas(texts: list[str], model: str) -> list[str]:
    """Lemma of the last content token of each trigger text."""
    nlp = _lemmatizer(model)
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        tokens = [t for t in doc if not t.is_punct and not t.is_stop] or list(doc)
        out.append(tokens[-1].lemma_.lower() if tokens else "")
    return out


def cluster_mentions(docs: list[Any], stories: dict[str, Any],
                     settings: Settings) -> dict[str, Any]:
    """Chain id of every gold event mention of ``docs`` (``stories`` maps doc → cluster)."""
    from ..fuse.embeddings import embed

    mentions = [(d, m) for d in docs for m in d.mentions]
    if not mentions:
        return {}
    lemmas = head_lemmas([m.text for _, m in mentions], settings.nlp.model)
    triggers = embed([m.text for _, m in mentions])
    contexts = embed([d.sentences[m.sentence] if m.sentence < len(d.sentences) else m.text
                      for d, m in mentions])
    by_story: dict[Any, list[int]] = defaultdict(list)
    for i, (d, _) in enumerate(mentions):
        by_story[stories.get(d.name)].append(i)
    parent = list(range(len(mentions)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for idx in by_story.values():
        first: dict[str, int] = {}
        for i in idx:
            if lemmas[i] in first:
                parent[find(i)] = find(first[lemmas[i]])
            else:
                first[lemmas[i]] = i
        heads = list(first.values())
        if len(heads) > 1:
            t = triggers[heads] @ triggers[heads].T
            c = contexts[heads] @ contexts[heads].T
            pairs = np.argwhere((t >= TRIGGER_COSINE) & (c >= CONTEXT_COSINE))
            for a, b in pairs:
                if a < b:
                    parent[find(heads[b])] = find(heads[a])
    return {m.id: find(i) for i, (_, m) in enumerate(mentions)}
