"""Finding knowledge-base aliases in a text: longest match over ASCII-folded words."""

from __future__ import annotations

import dataclasses
import re

from .kb import Hit, KnowledgeBase
from .names import surface_ok, words_with_offsets

#: what may stand between two words of one name ("al-Qaeda", "U.S.", "People's")
_JOIN = re.compile(r"^[ \t\u00a0.\-‐–'’&/]{0,3}$")


@dataclasses.dataclass
class AliasMatch:
    """A span of text equal to one or more aliases."""

    start: int
    end: int
    text: str
    hits: list[Hit]


def scan(
    text: str, kb: KnowledgeBase, words: list[tuple[str, int, int]] | None = None
) -> list[AliasMatch]:
    """Non-overlapping alias matches in ``text``, longest first, left to right.

    A match must respect capitalisation (see :func:`names.surface_ok`) and may not run
    across punctuation other than hyphens, dots and apostrophes inside a name.
    """
    words = words if words is not None else words_with_offsets(text)
    out: list[AliasMatch] = []
    index = kb.alias_index
    i = 0
    n_words = len(words)
    while i < n_words:
        if not index.get(words[i][0]):  # no alias starts with this word
            i += 1
            continue
        match = _longest_at(text, words, i, kb)
        if match is None:
            i += 1
            continue
        out.append(match[0])
        i += match[1]
    return out


def _longest_at(
    text: str, words: list[tuple[str, int, int]], i: int, kb: KnowledgeBase
) -> tuple[AliasMatch, int] | None:
    bucket = kb.alias_index.get(words[i][0])
    if not bucket:
        return None
    if i > 0 and words[i - 1][2] == words[i][1] and text[words[i][1] - 1 : words[i][1]].isalnum():
        return None  # inside a longer word
    lengths, by_key = _bucket_index(kb, words[i][0], bucket)
    for n in lengths:
        if i + n > len(words):
            continue
        key_words = tuple(w for w, _, _ in words[i : i + n])
        if not _joined(text, words, i, n):
            continue
        start, end = words[i][1], words[i + n - 1][2]
        if end < len(text) and text[end].isalnum():
            continue
        surface = text[start:end]
        hits = [h for h in by_key.get(key_words, ()) if surface_ok(h.alias, surface)]
        if hits:
            if any(h.alias.endswith(".") for h in hits) and text[end : end + 1] == ".":
                end += 1  # "U.S." keeps its last dot
                surface = text[start:end]
            return AliasMatch(start=start, end=end, text=surface, hits=hits), n
    return None


def _bucket_index(
    kb: KnowledgeBase, word: str, bucket: list[tuple[tuple[str, ...], Hit]]
) -> tuple[list[int], dict[tuple[str, ...], list[Hit]]]:
    """The alias lengths (in words, longest first) of ``bucket`` (the aliases starting with
    ``word``) and its hits by alias key, in bucket order; kept per knowledge base and
    rebuilt when the bucket grows."""
    cache = kb.cache.setdefault("matcher_buckets", {})
    found = cache.get(word)
    if found is not None and found[0] == len(bucket):
        return found[1], found[2]
    lengths = sorted({len(k) for k, _ in bucket}, reverse=True)
    by_key: dict[tuple[str, ...], list[Hit]] = {}
    for k, h in bucket:
        by_key.setdefault(k, []).append(h)
    cache[word] = (len(bucket), lengths, by_key)
    return lengths, by_key


def _joined(text: str, words: list[tuple[str, int, int]], i: int, n: int) -> bool:
    for j in range(i, i + n - 1):
        gap = text[words[j][2] : words[j + 1][1]]
        if not _JOIN.match(gap):
            return False
    return True
