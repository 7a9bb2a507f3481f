"""Nominal cues: "his criticism of Trump", "Clinton's plan to raise taxes", "the
claim that …"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .attribution import Attribution
from .cues import _cue_span, _subject
from .lexicon import PERSON_PRONOUNS, POSITION_NOUNS
from .spans import (
    _inside,
    _paragraph_clip,
    _source_span,
    _subtree_span,
    _text,
    _trailing_aside,
    _trim,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


_NOUN_PREPS = frozenset({"of", "on", "about", "for", "against", "to"})


def _noun_cues(doc: Doc, quotes: Sequence[tuple[int, int]]) -> list[Attribution]:
    out = []
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in POSITION_NOUNS or \
                _inside(token.idx, quotes):
            continue
        att = _noun_attribution(token)
        if att is not None and not any(s <= att.contents[0][0] and att.contents[0][1] <= e
                                       for s, e in quotes):
            out.append(att)
    return out


def _noun_attribution(noun: Token) -> Attribution | None:
    """"his criticism of Trump", "Clinton's plan to raise taxes", "the claim that …": the
    noun (with its preposition) is the cue, the possessive the source and the complement
    the content (PolNeAR's nominal attributions)."""
    doc = noun.doc
    text = _text(doc)
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    cue_end = noun
    comp = None
    that_clause = False
    for child in sorted(noun.children, key=lambda c: c.i):
        if child.i <= noun.i:
            continue
        if child.dep_ == "prep" and child.lower_ in _NOUN_PREPS and child.i == noun.i + 1:
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                cue_end, comp = child, pobj
            break
        if child.dep_ in ("acl", "ccomp", "relcl"):
            marks = [c for c in child.children if c.dep_ == "mark"]
            if any(m.lower_ == "that" for m in marks) and child.dep_ != "relcl":
                comp, that_clause = child, True
            elif child.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" and
                                             c.i == noun.i + 1 for c in child.children):
                comp = child
            break
    if comp is None or (poss is None and not that_clause):
        return None
    if poss is not None and poss.lower_ in ("its", "their") and not that_clause:
        return None
    span = _subtree_span(comp)
    if span is None:
        return None
    if that_clause or comp.dep_ == "acl":
        first = next((c for c in comp.children if c.dep_ in ("mark", "aux") and
                      c.i > noun.i), None)
        if first is not None and first.lower_ == "to":
            span = (first.idx, span[1])
    content = _trailing_aside(doc, _trim(text, _paragraph_clip(text, noun.idx, span)))
    if content[1] - content[0] < 2 or content[0] <= noun.idx < content[1]:
        return None
    if noun.dep_ == "pobj" and noun.head.lower_ == "in":
        return None  # "said in a statement": the verb is the cue
    start = noun
    for left in sorted((c for c in noun.children if c.i < noun.i), key=lambda c: -c.i):
        if left.i == start.i - 1 and left.dep_ in ("amod", "compound") and left.pos_ != "PROPN":
            start = left
        else:
            break
    source = _source_span(poss) if poss is not None else None
    verb = noun.head
    if noun.dep_ == "dobj" and verb.pos_ == "VERB" and verb.i < noun.i:
        subject = _subject(verb)
        if subject is not None and (poss is None or poss.lower_ in PERSON_PRONOUNS | {
                "his", "her", "their"}):
            # "reiterated his claim that …", "raised concern that …": the verb joins the cue
            # and its subject is the source
            source = _source_span(subject)
            cue = (_cue_span(verb)[0], cue_end.idx + len(cue_end.text))
            return Attribution(cue=cue, contents=[content], kind="indirect", source=source,
                               confidence=0.4)
    cue = (start.idx, cue_end.idx + len(cue_end.text))
    return Attribution(cue=cue, contents=[content], kind="indirect", source=source,
                       confidence=0.4)
