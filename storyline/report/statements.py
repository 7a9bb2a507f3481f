"""The sentences a briefing cites: exact source spans (``Refs``), cleaned by deletions
only, documents' ledes, and the story's shared vocabulary that measures centrality."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from . import queries as Q
from .sources import SourceIndex, rows
from .util import clean_sentence

COMMENT_KIND = "comment_thread"
_DATELINE = re.compile(r"^[A-Z][A-Z'’-]{2,}(?:[ ,]+[A-Z][A-Za-z'’./-]*){0,4}"
                       r"(?:\s*\([^()]{1,40}\))?"
                       r"\s*(?:[—–]+|\s-{1,2}\s)\s*")
_CONNECTIVE = re.compile(r"^(?:But|And|Yet|So|Still,|However,|Meanwhile,|Also,)\s+(?=[A-Za-z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
STOP = set("""a an the and or but if of in on at to for from by with about as into over after
before between through during without within is are was were be been being has have had do does
did will would shall should can could may might must that this these those it its it's he she
they them his her their we our you your i me my not no so than then there here which who whom
whose what when where why how all any both each few more most other some such only own same too
very just also said says say according one two new""".split())


class Refs:
    """Source sentences cited by the briefing, numbered for links and the appendix."""

    def __init__(self, sentences: Q.Sentences, index: SourceIndex) -> None:
        self.sentences, self.index = sentences, index
        self.items: dict[tuple[str, int, int], dict[str, Any]] = {}

    def add(self, doc_id: str | None, start: int | None, end: int | None,
            whole_sentence: bool = True) -> dict[str, Any] | None:
        if not doc_id or start is None or end is None:
            return None
        if whole_sentence:
            found = one_block(self.sentences.at(doc_id, start, end), start, end)
        else:
            text = self.sentences.text_of(doc_id)
            found = {"doc_id": doc_id, "start": start, "end": end, "text": text[start:end],
                     "sentence_id": None}
        key = (doc_id, found["start"], found["end"])
        if key not in self.items:
            doc = self.index.docs.get(doc_id, {})
            self.items[key] = {**found, "id": f"ref{len(self.items) + 1}",
                               "span": {"start": start, "end": end},
                               "doc_title": doc.get("title") or doc_id,
                               "outlet": self.index.origin(doc_id).label}
        return self.items[key]


def one_block(found: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    """A "sentence" running over line breaks (a title glued to the first sentence) cut to
    the lines holding the span."""
    text = found["text"]
    if "\n" not in text.strip():
        return found
    base = found["start"]
    lo = text.rfind("\n", 0, max(start - base, 0)) + 1
    hi = text.find("\n", max(end - base, lo))
    hi = len(text) if hi < 0 else hi
    if "\n" in text[lo:hi]:  # the span itself runs over lines: keep its longest line
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text[lo:hi])]
        a, b = max(lines, key=lambda ab: ab[1] - ab[0])
        lo, hi = lo + a, lo + b
    piece = text[lo:hi]
    strip = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if len(piece.split()) < 4:
        return found
    return {**found, "start": base + lo + strip, "end": base + lo + strip + len(piece),
            "text": piece}


def sentence_text(ref: dict[str, Any], index: SourceIndex) -> str:
    """The source sentence without its inline citations, bullet marks and dateline."""
    cut = []
    for c in index.citations.get(ref["doc_id"], []):
        if ref["start"] <= c["start"] < ref["end"]:
            cut.append((c["start"] - ref["start"], min(c["end"], ref["end"]) - ref["start"]))
    text = clean_sentence(ref["text"], cut)
    text = _DATELINE.sub("", text)
    text = _CONNECTIVE.sub("", text)
    if len(text.split()) > 55:  # compress: drop parenthetical asides
        text = clean_sentence(re.sub(r"\s*\([^()]{3,200}\)", "", text))
    return text[:1].upper() + text[1:]


class Vocabulary:
    """How much a sentence speaks the story's shared vocabulary: for each of its content
    words, the share of the other documents that use it too (0 … 1)."""

    def __init__(self, store: Any, doc_ids: list[str], max_docs: int = 2000) -> None:
        self.df: Counter[str] = Counter()
        self.sentences: dict[str, list[dict[str, Any]]] = {}
        for doc_id in doc_ids[:max_docs]:
            sents = rows(store, 'SELECT id, idx, start, "end", text FROM sentences '
                         "WHERE doc_id=? ORDER BY idx", (doc_id,))
            self.sentences[doc_id] = sents
            self.df.update(set().union(*(self.words(x["text"]) for x in sents)) if sents
                           else set())
        self.n_docs = len(self.sentences)

    @staticmethod
    def words(text: str) -> set[str]:
        return {w.lower() for w in _WORD.findall(text or "")} - STOP

    def centrality(self, text: str) -> float:
        words = self.words(text)
        if not words or self.n_docs < 2:
            return 0.5
        return sum(min(self.df[w] - 1, self.n_docs - 1) / (self.n_docs - 1)
                   for w in words if self.df[w]) / len(words)


def _blocks(s: dict[str, Any]) -> list[dict[str, Any]]:
    """A stored sentence cut at line breaks (a heading glued to the lede), as sentences."""
    out = []
    for m in re.finditer(r"[^\n]+", s["text"]):
        piece = m.group()
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            out.append({"id": s["id"], "start": s["start"] + m.start() + lead,
                        "end": s["start"] + m.start() + lead + len(piece), "text": piece})
    return out


def ledes(store: Any, doc_ids: list[str], index: SourceIndex | None = None
           ) -> list[tuple[str, int, dict[str, Any]]]:
    """The first two full sentences of each document's body: titles, datelines, bylines
    and headings skipped."""
    from rapidfuzz import fuzz

    out = []
    for doc_id in doc_ids:
        title = ((index.docs.get(doc_id) or {}).get("title") if index else "") or ""
        n = 0
        for stored in rows(store, 'SELECT id, start, "end", text FROM sentences WHERE doc_id=? '
                           "ORDER BY idx LIMIT 40", (doc_id,)):
            for s in _blocks(stored):
                text = s["text"]
                if len(text.split()) < 12 or not text.rstrip("”\"’'").endswith((".", "!", "?")):
                    continue
                if title and fuzz.ratio(title.lower(), text[:len(title) + 5].lower()) >= 85:
                    continue
                out.append((doc_id, n, s))
                n += 1
                if n == 2:
                    break
            if n == 2:
                break
    return out
