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
    i = 0
    while i < len(words):
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
    lengths = sorted({len(k) for k, _ in bucket}, reverse=True)
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
        hits = [h for k, h in bucket if k == key_words and surface_ok(h.alias, surface)]
        if hits:
            if any(h.alias.endswith(".") for h in hits) and text[end : end + 1] == ".":
                end += 1  # "U.S." keeps its last dot
                surface = text[start:end]
            return AliasMatch(start=start, end=end, text=surface, hits=hits), n
    return None


def _joined(text: str, words: list[tuple[str, int, int]], i: int, n: int) -> bool:
    for j in range(i, i + n - 1):
        gap = text[words[j][2] : words[j + 1][1]]
        if not _JOIN.match(gap):
            return False
    return True
