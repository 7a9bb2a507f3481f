"""Event triggers: the words of a sentence that express an event, with their lexicon
options.

A trigger is a verb ("agreed"), a verb with its particle or preposition ("shoot down",
"call for"), a verb whose object decides the event ("send troops", "expelled the
ambassador"), a light verb with an event noun ("held talks", "launched an attack", "signed
off on an airstrike") or an event noun standing alone ("the May 2 phone call", "a visit by
Tillerson to Moscow").  Idioms that look like events ("seized on", "a request for
comment") are not triggers.
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Span, Token

from . import lexicon
from .participants import Participant

#: verbs that only pass a modality to their complement; never events themselves
MODAL_VERBS = {"try", "seek", "plan", "want", "hope", "attempt", "intend", "aim", "expect",
               "prepare", "decide", "wish", "like", "need", "begin", "start", "continue",
               "look", "be", "have", "do", "get", "go", "set", "make", "consider", "mean",
               "manage", "struggle", "appear", "seem", "tend", "use", "serve", "work"}


@dataclasses.dataclass
class Candidate:
    """An event before coding: trigger, lexicon options, participants."""

    sent: Span
    head: Token  # the token whose clause carries the event (verb, or the event noun)
    trigger: list[Token]
    options: list[lexicon.Candidate]
    nominal: bool
    rule: str
    sources: list[Participant] = dataclasses.field(default_factory=list)
    targets: list[Participant] = dataclasses.field(default_factory=list)
    absorbed: list[Candidate] = dataclasses.field(default_factory=list)
    inherited: bool = False
    symmetric: bool = False

    @property
    def trigger_span(self) -> tuple[int, int]:
        start = min(t.idx for t in self.trigger)
        end = max(t.idx + len(t.text) for t in self.trigger)
        return start, end

    @property
    def trigger_text(self) -> str:
        tokens = sorted(self.trigger, key=lambda t: t.i)
        return " ".join(t.text for t in tokens)

    @property
    def types(self) -> list[str]:
        return list(dict.fromkeys(t for t, _ in self.options))


# --- triggers --------------------------------------------------------------------------------


def _objects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]


def event_noun(token: Token) -> list[lexicon.Candidate]:
    """Lexicon candidates of a noun, trying "compound noun" and "noun of noun" first."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return []
    if not lexicon.may_be_event_noun(token.lower_, token.lemma_):
        return []
    for child in token.children:
        if child.dep_ in ("compound", "amod") and child.i == token.i - 1:
            found = lexicon.noun(f"{child.lower_} {token.lower_}") or \
                lexicon.noun(f"{child.lower_} {token.lemma_.lower()}")
            if found:
                return found
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                found = lexicon.noun(f"{token.lower_} of {obj.lower_}")
                if found:
                    return found
    if token.lower_ == "call" or token.lemma_.lower() == "call":
        return _noun_call(token)
    found = lexicon.noun(token.lower_) or lexicon.noun(token.lemma_.lower())
    if not found and lexicon.is_generic_head(token.lower_):
        for child in token.children:
            if child.dep_ in ("compound", "amod") and child.i < token.i:
                found = lexicon.noun(child.lower_) or lexicon.noun(child.lemma_.lower())
                if found:
                    return found
    return found


def _noun_call(token: Token) -> list[lexicon.Candidate]:
    """"call" is a phone call with "with"/"between"/"phone", a request with "for"."""
    preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
    compounds = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod")}
    if "for" in preps:
        return [("REQUEST", None)]
    if preps & {"with", "between"} or compounds & {"phone", "telephone"} or \
            any(c.dep_ == "poss" for c in token.children):
        return [("CONSULT", "phone")]
    if any(d.lower_ in ("call", "calls") for d in [token]) and token.sent is not None:
        # "the call" after a phone call was mentioned: treat as the call
        if any(t.lower_ in ("phone", "telephone", "leaders", "presidents") for t in token.sent):
            return [("CONSULT", "phone")]
    return []


def _phrasal(verb: Token) -> tuple[list[lexicon.Candidate], list[Token]]:
    """Candidates of "verb particle", "verb preposition" or "verb object-word" phrases."""
    lemma = verb.lemma_.lower()
    if not lexicon.may_be_phrasal(lemma):
        return [], []
    for child in verb.children:
        if child.dep_ == "prt":
            found = lexicon.phrasal(lemma, child.lower_)
            if found:
                return found, [child]
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.i > verb.i:
            found = lexicon.phrasal(lemma, child.lower_)
            if found:
                return found, [child]
    for child in _objects(verb):
        found = lexicon.phrasal(lemma, child.lower_)
        if found:
            return found, [child]
    return [], []


def _light_object(verb: Token) -> Token | None:
    """The event noun a light verb takes ("held talks", "engaged in talks", "signed off on
    an airstrike", "carried out attacks", "launched ten days of war games")."""
    candidates = list(_objects(verb))
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            candidates.append(child)
        if child.dep_ in ("ccomp", "xcomp") and any(  # "announced a ceasefire to be followed"
                g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
            candidates += [g for g in child.children
                           if g.dep_ == "nsubjpass" and verb.i < g.i < child.i]
        if child.dep_ == "prep" and child.lower_ in ("in", "on", "into", "to"):
            candidates += [g for g in child.children if g.dep_ == "pobj"]
    for obj in list(candidates):
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                candidates += [g for g in child.children if g.dep_ == "pobj"]
    for obj in candidates:
        if event_noun(obj):
            return obj
    return None


def _object_words(obj: Token) -> list[str]:
    words = [obj.lower_, obj.lemma_.lower()]
    for child in obj.children:
        if child.dep_ in ("compound", "amod") and child.i < obj.i:
            words += [child.lower_, f"{child.lower_} {obj.lower_}"]
    return words


def verb_candidate(verb: Token, sent: Span) -> Candidate | None:
    """The event a verb expresses, or None."""
    if verb.pos_ != "VERB":  # most tokens: checked before reading the lemma
        return None
    lemma = verb.lemma_.lower()
    if not lexicon.may_be_event_verb(lemma):
        return None
    if lemma in CLAUSE_DENIALS and any(c.dep_ == "ccomp" for c in verb.children):
        return None  # "Russia denied that its jets bombed …" sets the bombing's modality
    if lexicon.is_reporting(lemma) and lemma not in ("call", "claim"):
        obj = _light_object(verb) if lexicon.is_light(lemma) else None
        if obj is None:
            return None
        return Candidate(sent, verb, [verb, obj], event_noun(obj), False, "light")
    if lemma in NOT_PHRASE_VERBS and any(f"{lemma} {c.lower_}" in NOT_PHRASES
                                         for c in verb.children if c.dep_ in ("prt", "prep")):
        return None  # idioms: "Democrats seized on the call"
    found, extra = _phrasal(verb)
    if found:
        light = _light_object(verb) if lexicon.is_light(f"{lemma} {extra[0].lower_}") else None
        if light is not None:
            return Candidate(sent, verb, [verb, *extra, light], event_noun(light), False,
                             "light")
        return Candidate(sent, verb, [verb, *extra], found, False, "phrasal")
    if lexicon.has_object_rules(lemma):  # "send troops": the object decides the event
        objects = _objects(verb) or [c for c in verb.children if c.dep_ == "nsubjpass"]
        for obj in objects:
            rule = lexicon.object_rule(lemma, *_object_words(obj))
            if rule:
                return Candidate(sent, verb, [verb, obj], [rule], False, "object")
    if lexicon.is_light(lemma):
        obj = _light_object(verb)
        if obj is not None:
            return Candidate(sent, verb, [verb, obj], event_noun(obj), False, "light")
    if lemma == "call":
        return _verb_call(verb, sent)
    if lemma in MODAL_VERBS and not lexicon.verb(lemma):
        return None
    options = lexicon.verb(lemma)
    if lexicon.has_object_rules(lemma) and not options:
        return None
    if not options:
        return None
    return Candidate(sent, verb, [verb], options, False, "verb")


def _verb_call(verb: Token, sent: Span) -> Candidate | None:
    preps = {c.lower_ for c in verb.children if c.dep_ in ("prep", "prt")}
    if preps & {"for", "on", "upon"}:
        return Candidate(sent, verb, [verb], [("REQUEST", None)], False, "phrasal")
    if any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in verb.children):
        return None
    if any(c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
           for c in verb.children):
        return Candidate(sent, verb, [verb], [("CONSULT", "phone")], False, "verb")
    return None


#: verbs that deny a claim: with a clause they are a modality, not an event
CLAUSE_DENIALS = {"deny", "dispute", "refute"}
#: set phrases that look like events and are not ("a request for comment")
NOT_PHRASES = {"seize on", "seize upon", "strike up", "strike out", "call out", "back up",
               "hit on", "fire up", "shoot up", "push back", "take on"}
NOT_PHRASE_VERBS = {phrase.split(" ", 1)[0] for phrase in NOT_PHRASES}
NOT_EVENTS = {("request", "comment"), ("requests", "comment"), ("call", "comment"),
              ("calls", "comment"), ("talk", "show"), ("strike", "price")}


def noun_candidate(noun: Token, sent: Span) -> Candidate | None:
    options = event_noun(noun)
    if not options:
        return None
    for child in noun.subtree:
        if (noun.lower_, child.lower_) in NOT_EVENTS:
            return None
    if noun.dep_ == "compound" and noun.head.pos_ in ("NOUN", "PROPN"):
        return None  # "peace talks" is the head's event; "talks table" is no event
    return Candidate(sent, noun, [noun], options, True, "noun")


# --- participants ----------------------------------------------------------------------------


def is_frame(cand: Candidate) -> bool:
    """Whether the candidate's verb frames another event ("agreed to", "called for")."""
    if cand.nominal:
        return False
    lemma = cand.head.lemma_.lower()
    phrases = [lemma] + [f"{lemma} {t.lower_}" for t in cand.trigger if t is not cand.head]
    return any(lexicon.is_frame(p) for p in phrases)
