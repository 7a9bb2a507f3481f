"""Positions taken without a clause ("Ryan criticized Trump", "the city plans to …"),
expectations and appearances ("X is expected to …")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .attribution import Attribution
from .cues import _cue_span, _lemma, _subject
from .lexicon import (
    EVIDENCE_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
)
from .spans import _paragraph_clip, _source_span, _subtree_span, _text, _trailing_aside, _trim

if TYPE_CHECKING:
    from spacy.tokens import Token


#: verbs whose "to"/"with" phrase names whom or what they address, not part of the cue
_ADDRESS_VERBS = SPEECH_VERBS | frozenset({"talk", "speak", "respond", "write"})
_STANCE_PREPS = frozenset({"for", "about", "to", "of", "on", "with", "against", "out"})


def _stance_attribution(verb: Token) -> Attribution | None:
    """A position taken, without a clause: "Ryan criticized Trump", "Clinton called for
    a bigger effort", "he wants to isolate him" (PolNeAR's attributions of stance)."""
    doc = verb.doc
    text = _text(doc)
    cue_end_tok = verb
    content_tok = None
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i <= verb.i:
            continue
        if child.dep_ in ("prep", "prt") and child.lower_ in _STANCE_PREPS and child.i == verb.i + 1:
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if child.lower_ in ("to", "with") and _lemma(verb) in _ADDRESS_VERBS:
                content_tok = child  # "responded to requests": the addressee is the content
                break
            cue_end_tok = child
            content_tok = pobj
            break
        if child.dep_ in ("dobj", "xcomp", "oprd"):
            content_tok = child
            break
    if content_tok is None:
        return None
    span = _subtree_span(content_tok)
    if span is None:
        return None
    span = _extend_arguments(verb, content_tok, span)
    content = _trailing_aside(doc, _trim(text, _paragraph_clip(text, verb.idx, span)))
    if content[1] - content[0] < 2:
        return None
    subject = _subject(verb)
    cue = _cue_span(verb)
    cue = (cue[0], max(cue[1], cue_end_tok.idx + len(cue_end_tok.text)))
    contents = [content]
    target = _passive_target(verb)
    if target is not None:
        # "Mr. Quiros was accused of using …": the one the position is about belongs to
        # the content; only an agent ("by X") holds the position
        contents.insert(0, target)
        agent = next((g for c in verb.children if c.dep_ == "agent"
                      for g in c.children if g.dep_ == "pobj"), None)
        subject = agent
    return Attribution(cue=cue, contents=contents, kind="indirect",
                       source=_source_span(subject) if subject is not None else None,
                       confidence=0.5)


def _passive_target(verb: Token) -> tuple[int, int] | None:
    """The span of the passive subject of ``verb`` before it, when it is a noun phrase."""
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i), None)
    if subj is None or subj.lower_ in RELATIVE_PRONOUNS:
        return None
    span = _subtree_span(subj)
    if span is None:
        return None
    text = _text(verb.doc)
    return _trim(text, _paragraph_clip(text, verb.idx, span), keep_quotes=False)


def _evidence_finding(verb: Token) -> bool:
    """"A new poll shows Clinton ahead", "the study found a link": a finding reported with
    a noun object when the subject is a survey or study."""
    if _lemma(verb) not in ("show", "find", "suggest", "indicate", "reveal"):
        return False
    subject = _subject(verb)
    return subject is not None and subject.lemma_.lower() in EVIDENCE_NOUNS


def _raising_attribution(verb: Token) -> Attribution | None:
    """"X is (widely) expected to <VP>", "X seemed to <VP>", "it appears that <clause>":
    the subject and the infinitive (or the clause) are the content; nobody is named as
    holding the expectation or the impression, so the source stays empty."""
    doc = verb.doc
    text = _text(doc)
    lemma = _lemma(verb)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if lemma == "expect" and (not passive or any(c.dep_ == "agent" for c in verb.children)):
        return None  # "analysts expect …" is a thought verb with a subject
    if lemma != "expect" and passive:
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    comp = next((c for c in verb.children if c.i > verb.i and c.dep_ in ("xcomp", "ccomp")),
                None)
    if comp is None or subj is None:
        return None
    if comp.dep_ == "xcomp" and not any(c.lower_ == "to" and c.dep_ == "aux"
                                        for c in comp.children):
        return None
    parts = []
    if comp.dep_ == "xcomp":
        if subj.lower_ in ("it", "there") or subj.pos_ == "PRON" and \
                subj.lower_ not in RELATIVE_PRONOUNS and subj.lower_ not in PLURAL_PRONOUNS \
                and subj.lower_ not in PERSON_PRONOUNS:
            return None
        span = _subtree_span(subj)
        if span is None:
            return None
        parts.append(_trim(text, _paragraph_clip(text, verb.idx, span)))
        span = _subtree_span(comp)
        if span is None:
            return None
        span = (doc[comp.left_edge.i].idx, span[1])
        # the infinitive begins at its "to"
        to = next(c for c in comp.children if c.lower_ == "to" and c.dep_ == "aux")
        span = (to.idx, span[1])
    else:
        if subj.lower_ != "it":
            return None
        span = _subtree_span(comp)
        if span is None:
            return None
    content = _trailing_aside(doc, _trim(text, _paragraph_clip(text, verb.idx, span)))
    if content[1] - content[0] < 3 or content[0] <= verb.idx < content[1]:
        return None
    parts.append(content)
    parts = [p for p in parts if p[1] > p[0]]
    return Attribution(cue=_cue_span(verb), contents=parts, kind="indirect", source=None,
                       confidence=0.4)


#: dependents of a verb that belong to what a position is about ("criticized Trump *for not
#: paying taxes*", "urged them *to reconsider*", "described it *as a crazy system*")
_ARGUMENT_DEPS = frozenset({"dobj", "dative", "prep", "xcomp", "oprd", "ccomp", "attr", "acomp",
                            "pcomp"})
_ARGUMENT_PREPS = frozenset({"for", "as", "of", "to", "about", "against", "with", "into", "on",
                             "from", "over"})


def _extend_arguments(verb: Token, first: Token, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` (the first argument of ``verb``) run on over the verb's further arguments
    to its right, up to the first comma or dash (adverbial clauses after a comma are not
    part of the position: "pledged to sign up 5 million people, focusing on …")."""
    doc = verb.doc
    end_i = max(t.i for t in first.subtree)
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i <= first.i or child.dep_ not in _ARGUMENT_DEPS:
            continue
        if child.dep_ == "prep" and (child.lower_ not in _ARGUMENT_PREPS or any(
                t.ent_type_ in ("DATE", "TIME") for t in child.subtree)):
            break  # "in early-morning tweets", "since the debate", "on Thursday": circumstances
        left = child.left_edge.i
        gap = doc[end_i + 1:left]
        if left <= end_i or any(not (t.is_space or t.pos_ in ("ADV", "PART")) for t in gap):
            break
        end_i = child.right_edge.i
    last = doc[end_i]
    return span[0], max(span[1], last.idx + len(last.text))
