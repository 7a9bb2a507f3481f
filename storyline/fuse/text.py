"""Small text helpers shared by the fuse and opinion stages (no model needed)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

WORD = re.compile(r"[\w][\w'’\-]*", re.UNICODE)
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])"
                       r"|\n\s*\n|\n(?=\s*[•\-*]\s)")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
said says say told tell according would could should may might must shall one two also mr
ms mrs dr new like just get got even still many much well way back us it's that's don't
""".split())

NEGATION = re.compile(
    r"\b(?:not|no|never|n't|nothing|none|neither|nor|without|denied|denies|deny|denying|"
    r"rejected|rejects|refuted|refutes|dismissed|false|untrue|hoax|fake)\b|n[’']t\b", re.I)


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased word) for each word of ``text``."""
    return [(m.start(), m.end(), m.group(0).lower().replace("’", "'"))
            for m in WORD.finditer(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 2
            and any(c.isalpha() for c in w)]


def shingles(tokens: list[str], k: int = 5) -> set[str]:
    """Word k-shingles (the whole text as one shingle when it is shorter than k)."""
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)}


_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z]|"
                           r"\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|"
                           r"Col|Lt|Sgt|Capt|Prof|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|etc|Jan|Feb|"
                           r"Mar|Apr|Aug|Sept?|Oct|Nov|Dec))\.$")


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Rough sentence split, used when the nlp stage left no sentences: (start, end, text).
    Periods of abbreviations ("U.S.", "Mr.", initials) do not end a sentence."""
    out = []
    pos = 0
    for m in _SENT_END.finditer(text):
        before = text[max(pos, m.start() - 12):m.start()]
        if before.endswith(".") and _ABBREVIATION.search(before):
            continue
        out.extend(_trimmed(text, pos, m.start(), base))
        pos = m.end()
    out.extend(_trimmed(text, pos, len(text), base))
    return out


def _trimmed(text: str, start: int, end: int, base: int) -> Iterator[tuple[int, int, str]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield base + start, base + end, text[start:end]


def proper_names(text: str) -> list[str]:
    """Capitalised word runs that are not sentence-initial function words, a cheap stand-in
    for named entities when no mentions are stored ("Tara Reid", "Promises Treatment")."""
    names = []
    for m in re.finditer(r"(?:[A-Z][\w'’.\-]*[a-z0-9][\w'’\-]*|[A-Z]{2,}[\w\-]*)"
                         r"(?:\s+(?:of\s+|de\s+|al-)?(?:[A-Z][\w'’.\-]*))*", text):
        name = m.group(0).strip(" .")
        if name.lower() in STOPWORDS or len(name) < 2:
            continue
        names.append(name)
    return names


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def normalize_quotes(text: str) -> str:
    return (text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
            .replace("\u00a0", " "))


def squash(text: str) -> str:
    """Lower case, straight quotes, single spaces, no punctuation: for containment tests."""
    return " ".join(words(normalize_quotes(text)))


_STRAIGHT = re.compile(r'"(?=\S)([^"\n]+?)(?<=\S)"')
_CURLY = re.compile(r"“(?=\S)([^“”\n]+?)(?<=\S)”")


def quoted_passages(text: str, min_chars: int = 30,
                    max_chars: int = 1200) -> list[tuple[int, int, str]]:
    """Passages between quotation marks on one line, (start, end, passage), outermost
    first: a straight-quoted passage may hold curly quotes and the other way round."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_STRAIGHT, _CURLY):
        for m in pattern.finditer(text):
            s, e = m.start(1), m.end(1)
            if min_chars <= e - s <= max_chars and not any(a <= s and e <= b for a, b, _ in found):
                found.append((s, e, m.group(1)))
    return sorted(found)
