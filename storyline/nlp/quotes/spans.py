"""Character spans of tokens and phrases: trimming, clipping to a paragraph, the
speaker's phrase, and the asides PolNeAR leaves out of a content."""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..pipeline import doc_text as _text
from .marks import quote_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


_PARA_BREAK = re.compile(r"\n\s*")
_CONTENT_EDGE = " \t\n,;:—–-•·*"


def _char_span(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(text: str, span: tuple[int, int], keep_quotes: bool = True) -> tuple[int, int]:
    """Strip spaces, edge punctuation and a final full stop (not one closing a quotation
    or an abbreviation)."""
    start, end = span
    edge = _CONTENT_EDGE + ("" if keep_quotes else "\"“”‘’")
    while start < end and (text[start] in edge or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in edge or text[end - 1].isspace()):
        end -= 1
    if end - start > 3 and text[end - 1] == "." and text[end - 2].isalnum() \
            and not re.search(r"(?:\b[A-Z]|\.[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|Inc|Co|St))\.$",
                          text[max(start, end - 6):end]):
        end -= 1
    return start, end


def _subtree_span(token: Token, exclude: Iterable[Token] = ()) -> tuple[int, int] | None:
    """Contiguous char span of ``token``'s subtree, cut before any excluded subtree."""
    skip = {t.i for ex in exclude for t in ex.subtree}
    toks = [t for t in token.subtree if t.i not in skip]
    if not toks:
        return None
    # keep the contiguous run around the token itself
    idx = sorted(t.i for t in toks)
    lo = hi = token.i
    present = set(idx)
    while lo - 1 in present:
        lo -= 1
    while hi + 1 in present:
        hi += 1
    doc = token.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _source_span(noun: Token) -> tuple[int, int] | None:
    """The speaker's noun phrase, extended over an adjacent PERSON name the parser cut."""
    doc = noun.doc
    span = _subtree_span(noun)
    if span is None:
        return None
    text = _text(doc)
    start, end = _paragraph_clip(text, noun.idx, span)
    # a dash, quotation mark or line break before the head ends material that is not the
    # speaker's ("public ― Trump said", "\" Vann R. Newkirk II, a writer …")
    for tok in doc[max(0, noun.left_edge.i):noun.i]:
        spaced = tok.whitespace_ != "" and tok.i > 0 and doc[tok.i - 1].whitespace_ != ""
        if tok.idx >= start and ((spaced and tok.text in ("―", "—", "–", "-", "--", ":"))
                                 or tok.text in ("\"", "“", "”") or "\n" in tok.text):
            start = tok.idx + len(tok.text)
    start, end = _trim(text, (start, end), keep_quotes=False)
    if text[end:end + 1] == "." and re.search(r"\b[A-Z][a-z]{0,3}$", text[start:end]) and \
            text[end + 1:end + 2] == ",":
        end += 1  # "Mitch McConnell, R-Ky., said": the abbreviation's full stop
    for ent_start, ent_end in _person_ents(doc):
        if ent_start >= end and ent_start - end <= 2 \
                and _text(doc)[end:ent_start].strip() in ("", "."):
            end = ent_end
        elif ent_start < end < ent_end:
            end = ent_end
    if "," in text[start:end] and text[end:end + 1] == "," and noun.i < noun.head.i:
        end += 1  # "Ed Rendell, a former governor, said": the closing comma belongs to it
    return start, end


#: per thread, (doc, its PERSON entities' character spans) while :func:`extract` reads it
_READING = threading.local()


def _person_ents(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the PERSON entities of ``doc``, in order (kept for the duration
    of one :func:`extract`, whose reading does not change the entities)."""
    cached = getattr(_READING, "person_ents", None)
    if cached is not None and cached[0] is doc:
        return cached[1]
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]


def _sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range of the sentences overlapping the char span ``start``..``end``."""
    first = doc.char_span(start, min(start + 1, len(_text(doc))), alignment_mode="expand")
    last = doc.char_span(max(end - 1, 0), end, alignment_mode="expand")
    lo = first.sent.start if first is not None and len(first) else 0
    hi = last.sent.end if last is not None and len(last) else len(doc)
    return lo, hi


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(i: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in spans)


def _token_at(doc: Doc, offset: int) -> Token | None:
    """The token holding char ``offset`` (or the last one starting before it)."""
    if not len(doc):
        return None
    starts = doc.user_data.get("_storyline_token_starts")
    if starts is None or len(starts) != len(doc):
        from spacy.attrs import IDX

        starts = doc.to_array(IDX).tolist()
        doc.user_data["_storyline_token_starts"] = starts
    i = bisect.bisect_right(starts, offset) - 1
    return doc[max(i, 0)]


def _inside_any(start: int, end: int, quotes: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in quotes)


def _trailing_aside(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without a closing aside outside quotation marks: a non-restrictive relative
    clause or apposition after a comma ("the BBC, which receives some government funding",
    "Mr. Trump, the presumed Putin favorite"), as PolNeAR leaves them out of the content."""
    text = _text(doc)
    last = _token_at(doc, max(span[0], span[1] - 1))
    if last is None:
        return span
    for tok in doc[max(0, last.i - 60):last.i + 1]:
        if tok.idx <= span[0]:
            continue
        dep = tok.dep_
        if dep not in ("relcl", "appos", "advcl", "prep"):
            continue
        adjunct = dep in ("advcl", "prep") and _participial_adjunct(tok)
        if not adjunct and dep not in ("relcl", "appos"):
            continue
        left = tok.left_edge
        if left.i == 0 or doc[left.i - 1].text != "," or tok.right_edge.i < last.i:
            continue
        comma = doc[left.i - 1].idx
        if comma <= span[0]:
            continue
        if adjunct:
            if _inside(comma, quote_spans(text)):
                continue
        elif text.count("“", span[0], span[1]) or text.count('"', span[0], span[1]):
            continue
        return span[0], len(text[:comma].rstrip())
    return span


def _participial_adjunct(tok: Token) -> bool:
    """A participle heading a clause without a subject of its own after the reported words
    ("…, putting them ahead of every Republican", "…, referring to the convention",
    "…, compared with 33 percent last month"): the writer's comment, not the speaker's."""
    if tok.lower_ == "compared":
        return tok.dep_ in ("prep", "advcl")
    return tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.head.pos_ in ("VERB", "AUX") and \
        not any(c.dep_ in ("nsubj", "nsubjpass", "mark", "aux") for c in tok.children)


def _paragraph_clip(text: str, anchor: int, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` cut to the paragraph holding offset ``anchor``."""
    start, end = span
    para_start = text.rfind("\n", 0, anchor) + 1
    para_end = text.find("\n", anchor)
    para_end = len(text) if para_end < 0 else para_end
    return max(start, para_start), min(end, para_end)
