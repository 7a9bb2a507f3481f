"""Event candidates of a document: triggers with their participants, put together.

Per sentence, triggers (:mod:`.triggers`) get their participants (:mod:`.arguments`),
then:

* frame verbs (agree, threaten, refuse, demand, ask …) absorb the event of their
  complement ("threatened to cut off a hotline with the U.S." is one THREATEN event);
* "X said Y must …" is a REQUEST by X of Y;
* conflict events with no named target take the place they happen in, as PLOVER codes
  them ("rioted at a jail in northern Israel"); an attack on equipment targets the armed
  group the sentence names;
* anaphoric event nouns without participants ("Another meeting … was canceled") take them
  from the latest earlier event of the same type in the document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from spacy.attrs import POS
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from . import lexicon
from .arguments import (
    addressee_target,
    clause_verb,
    governing_verb,
    noun_arguments,
    subject_of,
    verb_arguments,
)
from .participants import AGENT_NOUNS as AGENT_WORDS
from .participants import Participant, Participants
from .triggers import Candidate, is_frame, noun_candidate, verb_candidate

__all__ = ["Candidate", "clause_verb", "document_candidates", "governing_verb",
           "has_participants", "is_frame", "sentence_candidates"]

#: verbs that report the status of an event noun, so the noun may inherit its participants
STATUS_VERBS = {"cancel", "schedule", "postpone", "take", "follow", "hold", "occur", "happen",
                "end", "begin", "start", "resume", "continue", "conclude", "plan", "set",
                "call", "break", "delay", "reschedule", "scrap", "suspend", "announce", "last"}
DEMONSTRATIVES = {"the", "this", "that", "these", "those", "another", "such"}
MUST = {"must", "should", "ought"}


def sentence_candidates(sent: Span, actors: Participants,
                        pos: Any = None) -> list[Candidate]:
    """All candidates of one sentence, after light-verb merging and frame absorption.

    ``pos``: the part-of-speech ids of the whole document (``doc.to_array(POS)``), read
    once by the caller; only verbs can be verb triggers and only nouns noun triggers, so
    the other tokens are never visited."""
    doc = sent.doc
    if pos is None:
        pos = doc.to_array(POS)
    window = pos[sent.start:sent.end]
    verb_ids = [sent.start + int(k) for k in (window == VERB).nonzero()[0]]
    noun_ids = [sent.start + int(k) for k in
                ((window == NOUN) | (window == PROPN)).nonzero()[0]]
    verbs: list[Candidate] = []
    used: set[int] = set()
    for i in verb_ids:
        cand = verb_candidate(doc[i], sent)
        if cand is not None:
            verbs.append(cand)
            used.update(t.i for t in cand.trigger)
    nouns = []
    for i in noun_ids:
        if i in used:
            continue
        cand = noun_candidate(doc[i], sent)
        if cand is not None:
            nouns.append(cand)
    for cand in verbs:
        verb_arguments(cand, actors)
        cand.symmetric = lexicon.is_symmetric(cand.head.lemma_)
    for cand in nouns:
        noun_arguments(cand, actors)
        cand.symmetric = lexicon.is_symmetric(cand.head.lemma_) or \
            lexicon.is_symmetric(cand.head.lower_)
    cands = verbs + nouns
    cands += _said_must(sent, actors, cands, [doc[i] for i in verb_ids])
    cands = _absorb(cands)
    for cand in cands:
        addressee_target(cand, actors)
        place_target(cand, actors)
        equipment_owner(cand, actors)
        _tidy(cand)
    return cands


def _said_must(sent: Span, actors: Participants, cands: list[Candidate],
               verbs: Sequence[Token] | None = None) -> list[Candidate]:
    """"Russia said Sudan must return a helicopter": a REQUEST by the speaker (``verbs``:
    the verbs of the sentence, when the caller has them)."""
    out = []
    for token in sent if verbs is None else verbs:
        if token.pos_ != "VERB" or not lexicon.is_reporting(token.lemma_.lower()):
            continue
        for comp in token.children:
            if comp.dep_ != "ccomp" or not any(c.lower_ in MUST for c in comp.children):
                continue
            speaker, _ = subject_of(token, actors)
            addressee = [p for c in comp.children if c.dep_ == "nsubj" for p in actors.find(c)]
            if speaker and addressee and {p.key for p in speaker} != {p.key for p in addressee}:
                cand = Candidate(sent, token, [token, comp], [("REQUEST", None)], False, "must")
                cand.sources, cand.targets = list(speaker), list(addressee)
                out.append(cand)
    return out


COMPLEMENT_EDGES = {"xcomp", "ccomp", "dobj", "acomp", "oprd", "pcomp", "aux"}
FRAME_PREPS = {"to", "for", "on", "upon", "with"}


def _in_complement(inner: Token, frame: Candidate) -> bool:
    """Whether ``inner`` lies in the complement of the frame verb: its xcomp/ccomp/object
    chain ("agreed to send", "demanded that … cancel", "called for sanctions"), not in its
    adjuncts ("declined … in response to Obama's expulsion")."""
    outer = frame.head
    node, steps, valid = inner, 0, False
    while node.head != node and steps < 8:
        dep, head = node.dep_, node.head
        if dep in COMPLEMENT_EDGES:
            valid = True
        elif dep == "prep":
            if not (node in frame.trigger or (head == outer and node.lower_ in FRAME_PREPS)):
                return False
            valid = True
        elif dep == "pobj" or (dep == "conj" and steps > 0):
            pass
        else:
            return False
        if head == outer:
            return valid
        node, steps = head, steps + 1
    return False


def _absorb(cands: list[Candidate]) -> list[Candidate]:
    frames = [c for c in cands if is_frame(c) or c.rule == "must"]
    absorbed: set[int] = set()
    for frame in frames:
        for other in cands:
            if other is frame or id(other) in absorbed or id(frame) in absorbed:
                continue
            if _in_complement(other.head, frame):
                frame.absorbed.append(other)
                absorbed.add(id(other))
                if not frame.targets:
                    frame.targets = [p for p in other.targets
                                     if p.key not in {s.key for s in frame.sources}]
                if not frame.sources and other.sources:
                    frame.sources = list(other.sources)
    return [c for c in cands if id(c) not in absorbed]


#: types whose place stands for the target when none is named ("rioted at a jail in
#: northern Israel", "eased emergency measures in Montenegro"), as PLOVER codes them
PLACE_TARGET_SKIP = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE"}
PLACE_PREPS = {"in", "into", "inside", "across", "throughout"}


def place_target(cand: Candidate, actors: Participants) -> None:
    if cand.targets or not cand.sources or set(cand.types) & PLACE_TARGET_SKIP:
        return
    heads = [cand.head] + [t for t in cand.trigger if t.pos_ in ("NOUN", "PROPN")]
    for other in cand.absorbed:
        heads += [other.head]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                found = [p for p in _places_in(obj, actors) if p.country]
                if found:
                    cand.targets = [dataclasses.replace(found[0], how="place")]
                    return


def _places_in(obj: Token, actors: Participants) -> list[Participant]:
    """Country-bearing places in a prepositional object ("in northern Israel", "in the
    eastern town of Gorazde")."""
    found = []
    for token in obj.subtree:
        part = actors.at(token)
        if part is not None and (part.label or "").upper() in ("GPE", "LOC"):
            found.append(part)
    return found


#: sectors of armed actors that may own what an attack hit
ARMED_SECTORS = {"military", "paramilitary", "rebel", "armed_group", "police"}
ARMED_NOUNS = {"force", "forces", "militia", "militias", "troops", "troop", "fighter",
               "fighters", "rebel", "rebels", "soldier", "soldiers", "army", "insurgent",
               "insurgents", "militant", "militants", "gunmen", "proxy", "proxies"}


def equipment_owner(cand: Candidate, actors: Participants) -> None:
    """"hit two armored vehicles … used by pro-regime forces": an attack on equipment
    targets the armed group the sentence names (other than the attacker)."""
    if "ASSAULT" not in cand.types or not cand.targets or \
            any(p.how != "phrase" for p in cand.targets):
        return
    if any(t.lemma_.lower() in AGENT_WORDS for t in cand.head.children if t.dep_ == "dobj"):
        return
    taken = {p.key for p in cand.sources + cand.targets}
    for token in cand.sent:
        if token.pos_ not in ("NOUN", "PROPN") or token.i in {t.i for t in cand.trigger}:
            continue
        for part in actors.find(token):
            armed = part.sector in ARMED_SECTORS or (
                part.how == "phrase" and token.lemma_.lower() in ARMED_NOUNS)
            if part.key not in taken and armed:
                cand.targets.append(part)
                return


def _tidy(cand: Candidate) -> None:
    """Drop duplicate participants and targets that are also sources."""
    seen: set[str] = set()
    sources = []
    for p in cand.sources:
        if p.key not in seen:
            seen.add(p.key)
            sources.append(p)
    targets = []
    for p in cand.targets:
        if p.key not in seen:
            seen.add(p.key)
            targets.append(p)
    cand.sources, cand.targets = sources, targets


#: consultation words that need no second party ("took part", "a visit to …")
JOINING = {"take", "participate", "attend", "visit", "travel", "trip", "tour", "mediate",
           "mediation", "host", "fly", "join"}


def has_participants(cand: Candidate) -> bool:
    """Whether a candidate names enough participants to be an event: one at least, and
    for a consultation two (or one joining or visiting), since talk needs a partner."""
    n = len(cand.sources) + len(cand.targets)
    if n == 0:
        return False
    if set(cand.types) == {"CONSULT"} and n < 2 and not cand.inherited:
        return cand.head.lemma_.lower() in JOINING or any(
            t.lemma_.lower() in JOINING for t in cand.trigger)
    return True


def inherit_participants(cands: Sequence[Candidate], window: int = 8) -> None:
    """Anaphoric event nouns ("the meetings", "another meeting") with no participants of
    their own take those of the latest earlier event of the same type."""
    history: list[Candidate] = []
    for cand in cands:
        if not cand.sources and not cand.targets and _anaphoric(cand):
            antecedent = _antecedent(cand, history, window)
            if antecedent is not None:
                cand.sources = [dataclasses.replace(p, how="inherited")
                                for p in antecedent.sources]
                cand.targets = [dataclasses.replace(p, how="inherited")
                                for p in antecedent.targets]
                cand.inherited = True
        if has_participants(cand):
            history.append(cand)


def _anaphoric(cand: Candidate) -> bool:
    if not cand.nominal:
        return False
    noun = cand.head
    determined = any(c.lower_ in DEMONSTRATIVES for c in noun.children) or \
        noun.tag_ == "NNS"
    governor = noun.head.lemma_.lower() if noun.head != noun else ""
    status = governor in STATUS_VERBS or any(c.lemma_.lower() in STATUS_VERBS
                                             for c in noun.children if c.dep_ == "acl")
    return determined and status


def _antecedent(cand: Candidate, history: list[Candidate], window: int) -> Candidate | None:
    doc = cand.sent.doc
    sent_index = _sentence_index(doc, cand.sent)
    recent = [e for e in history if sent_index - _sentence_index(doc, e.sent) <= window
              and set(e.types) & set(cand.types)]
    both = [e for e in recent if len(e.sources) + len(e.targets) >= 2]
    lemma = cand.head.lemma_.lower()
    for pool in ([e for e in both if e.nominal and e.head.lemma_.lower() == lemma], both,
                 recent):
        if pool:
            return pool[-1]
    return None


def _sentence_index(doc: Doc, sent: Span) -> int:
    cache = doc.user_data.setdefault("_storyline_sent_index", {})
    if not cache:
        for i, s in enumerate(doc.sents):
            cache[s.start] = i
    return cache.get(sent.start, 0)


def document_candidates(doc: Doc, mentions: Sequence[Any] | None,
                        sentences: Sequence[Span] | None = None,
                        places: Sequence[Any] = ()) -> list[Candidate]:
    """Every candidate of a parsed document, in text order, with participants."""
    actors = Participants(doc, mentions, places=places)
    cands: list[Candidate] = []
    pos = doc.to_array(POS) if len(doc) else None
    for sent in sentences if sentences is not None else doc.sents:
        cands += sentence_candidates(sent, actors, pos)
    cands.sort(key=lambda c: c.trigger_span[0])
    inherit_participants(cands)
    return cands
