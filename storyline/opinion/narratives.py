"""Recurring narratives of a comment thread: keywords and embeddings together.

1. Each comment is cut into passages (sentences; very short ones joined to the next), its
   quotations of other comments or of the article left out.
2. Keywords are the words several comments use (at least ``opinion.narrative_min_comments``,
   at most ``MAX_KEYWORD_SHARE`` of them) that are neither generic words (a small
   lexicon) nor the thread's main actors.  Keywords used by the same comments, or close in
   WordLlama's space, form one theme.
3. A theme's passages give it a centroid; every passage close enough to the centroid
   joins it too (so "Putin owns Trump" joins the "puppet" theme without the word).
4. Themes are ranked by how many comments carry them times how coherent their passages
   are; the best ``MAX_NARRATIVES`` are reported with their share of the thread, a label
   (keywords + the most central passage) and examples.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ..fuse.stories import _stem
from ..fuse.text import content_words, quoted_passages, split_sentences

DATA = Path(__file__).resolve().parent / "data" / "generic_words.txt"
MAX_KEYWORD_SHARE = 0.15
KEYWORD_COOCCURRENCE = 0.4
KEYWORD_COSINE = 0.75
MEMBER_COSINE = 0.6
MIN_COHERENCE_GAIN = 0.12
MAX_NARRATIVES = 20
MAX_EXAMPLES = 5


@dataclasses.dataclass
class Passage:
    comment_id: str
    start: int  # offsets in the thread's clean text
    end: int
    text: str
    keywords: set[str]


@dataclasses.dataclass
class Theme:
    keywords: list[str]
    comments: set[str]
    passages: list[int] = dataclasses.field(default_factory=list)
    score: float = 0.0
    coherence: float = 0.0
    central: int = 0


@functools.lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    words = set()
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words | {_stem(w) for w in words})


def keyword(word: str) -> str:
    """The comparison form of a word: no possessive, no hyphen, crude stem."""
    word = re.sub(r"['’]s$", "", word.lower()).replace("-", "").replace("'", "")
    return _stem(word)


def passage_keywords(text: str, exclude: set[str]) -> set[str]:
    generic = generic_words()
    out = set()
    for w in content_words(text):
        if "'" in w and not w.endswith("'s"):
            continue  # contractions
        k = keyword(w)
        if len(k) > 2 and k not in generic and k not in exclude:
            out.add(k)
    return out


def comment_passages(comments: list[dict[str, Any]], thread_text: str,
                     exclude: set[str]) -> list[Passage]:
    """Passages of every comment, quotations left out, with thread offsets."""
    out = []
    for c in comments:
        body = c.get("text") or ""
        base = thread_text.find(body, c.get("start") or 0) if thread_text else -1
        base = base if base >= 0 else (c.get("start") or 0)
        for s, e, _q in quoted_passages(body):
            body = body[:s] + " " * (e - s) + body[e:]  # keep offsets
        pieces: list[tuple[int, int, str]] = []
        for s, e, text in split_sentences(body):
            if pieces and len(pieces[-1][2].split()) < 5:
                ps, _, pt = pieces[-1]
                pieces[-1] = (ps, e, body[ps:e])
            else:
                pieces.append((s, e, text))
        for s, e, text in pieces:
            text = re.sub(r"\s{2,}", " ", text).strip(" \"“”")
            if len(text.split()) >= 3:
                out.append(Passage(comment_id=c["id"], start=base + s, end=base + e, text=text,
                                   keywords=passage_keywords(text, exclude)))
    return out


def _themes(passages: list[Passage], n_comments: int, min_comments: int) -> list[Theme]:
    from ..fuse.embeddings import embed

    by_word: dict[str, set[str]] = defaultdict(set)
    for p in passages:
        for k in p.keywords:
            by_word[k].add(p.comment_id)
    limit = max(min_comments, MAX_KEYWORD_SHARE * n_comments)
    words = sorted((w for w, c in by_word.items() if min_comments <= len(c) <= limit),
                   key=lambda w: (-len(by_word[w]), w))
    if not words:
        return []
    vectors = dict(zip(words, embed(words)))
    themes: list[Theme] = []
    for w in words:
        for theme in themes:
            cooc = max(len(by_word[w] & by_word[k]) / len(by_word[w] | by_word[k])
                       for k in theme.keywords)
            close = max(float(vectors[w] @ vectors[k]) for k in theme.keywords)
            if cooc >= KEYWORD_COOCCURRENCE or close >= KEYWORD_COSINE:
                theme.keywords.append(w)
                theme.comments |= by_word[w]
                break
        else:
            themes.append(Theme(keywords=[w], comments=set(by_word[w])))
    return [t for t in themes if len(t.comments) >= min_comments]


def find_narratives(passages: list[Passage], n_comments: int, min_comments: int
                    ) -> tuple[list[Theme], np.ndarray]:
    """Themes ranked by comments × coherence, each with its member passages."""
    from ..fuse.embeddings import embed

    if not passages:
        return [], np.zeros((0, 256), dtype=np.float32)
    vectors = embed([p.text for p in passages])
    baseline = float((vectors.mean(0) @ vectors.mean(0)))
    kept = []
    for theme in _themes(passages, n_comments, min_comments):
        seed = [i for i, p in enumerate(passages) if p.keywords & set(theme.keywords)]
        centroid = vectors[seed].mean(0)
        centroid /= np.linalg.norm(centroid) or 1.0
        near = np.nonzero(vectors @ centroid >= MEMBER_COSINE)[0].tolist()
        theme.passages = sorted(set(seed) | set(near))
        sub = vectors[seed]
        theme.coherence = float((sub @ sub.T).mean())
        theme.comments = {passages[i].comment_id for i in theme.passages}
        theme.central = max(theme.passages, key=lambda i: float(vectors[i] @ centroid))
        if theme.coherence - baseline < MIN_COHERENCE_GAIN or len(theme.comments) < min_comments:
            continue
        theme.score = len(theme.comments) * theme.coherence
        kept.append(theme)
    kept.sort(key=lambda t: (-t.score, t.keywords[0]))
    return _drop_nested(kept)[:MAX_NARRATIVES], vectors


def _drop_nested(themes: list[Theme]) -> list[Theme]:
    """A theme whose comments are mostly those of a better-ranked theme adds nothing."""
    out: list[Theme] = []
    for t in themes:
        if any(len(t.comments & o.comments) >= 0.8 * len(t.comments) for o in out):
            continue
        out.append(t)
    return out


def surface_forms(theme: Theme, passages: list[Passage]) -> list[str]:
    """The keywords as commenters write them (the most frequent spelling of each stem)."""
    forms: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i in theme.passages:
        for w in re.findall(r"[\w'’\-]+", passages[i].text):
            k = keyword(w)
            if k in theme.keywords:
                forms[k][w.lower()] += 1
    return [max(forms[k].items(), key=lambda kv: kv[1])[0] if forms[k] else k
            for k in theme.keywords]
