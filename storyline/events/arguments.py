"""Participants of a trigger, read from the syntax around it.

* verbs: subject -> source, object / "with" / "to" / "against" / "on" -> target; passive
  subjects are targets and "by" agents sources; subjects are inherited through control
  ("X agreed to send"), coordination ("held exercises and deployed missiles"),
  participles ("Speaking at …, Putin said") and "by"-gerunds ("responded by threatening");
* nouns: possessor, nationality adjective, compound and "by" -> source; "between X and Y"
  -> sources; "with", "to", "against", "on" and (for actions done *to* someone) "of" ->
  target; a noun with no participant of its own takes the subject of the clause it is
  the object of ("holding secret talks with Russia");
* a promise told to someone is made to them ("told his Russian counterpart that he would
  send …").
"""

from __future__ import annotations

from spacy.tokens import Token

from . import lexicon
from .participants import Participant, Participants
from .triggers import Candidate, event_noun, is_frame

#: dependency labels of verb objects that can be targets
TARGET_PREPS = {"with", "to", "against", "on", "toward", "towards", "into", "upon", "at",
                "from", "over"}
NOUN_TARGET_PREPS = {"with", "to", "against", "on", "toward", "towards", "into", "upon",
                     "over"}
#: prepositions that give the topic of talks, not a party ("talks on Syria")
TOPIC_PREPS = {"on", "over", "about", "regarding", "upon"}
#: event nouns whose "of" names who acts ("a meeting of the G20"), not whom it is done to
OF_AGENT_TYPES = {"CONSULT", "AGREE", "PROTEST", "SUPPORT", "REQUEST", "THREATEN", "ACCUSE",
                  "MOBILIZE", "COOPERATE"}
#: verbs after which an object-controlled complement's subject is the object
OBJECT_CONTROL = {"ask", "urge", "order", "tell", "force", "pressure", "press", "allow",
                  "invite", "call", "persuade", "encourage", "permit", "warn", "help",
                  "compel", "request", "instruct", "push", "demand", "implore", "exhort"}

def subject_of(verb: Token, actors: Participants, depth: int = 0
               ) -> tuple[list[Participant], bool]:
    """Participants of the subject of ``verb`` and whether the clause is passive."""
    if depth > 4:
        return [], False
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return _subject_phrase(child, verb, actors), False
        if child.dep_ == "nsubjpass":
            return _subject_phrase(child, verb, actors), True
    head = verb.head
    if verb.dep_ == "xcomp":
        small = [c for c in head.children if c.dep_ == "dobj" and c.i < verb.i]
        if verb.tag_ == "VBG" and small:  # "includes the U.S. shooting down a drone"
            return actors.find(small[-1]), False
        if head.lemma_.lower() in OBJECT_CONTROL:
            for child in head.children:
                if child.dep_ in ("dobj", "dative"):
                    return actors.find(child), False
        return subject_of(head, actors, depth + 1)[0], False
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        return subject_of(head, actors, depth + 1)
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN"):
        return subject_of(head, actors, depth + 1)[0], False
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        return subject_of(head.head, actors, depth + 1)[0], False
    if verb.dep_ in ("acomp", "xcomp") or (verb.pos_ == "ADJ" and head.pos_ in ("AUX", "VERB")):
        return subject_of(head, actors, depth + 1)[0], False
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBG":
        return actors.find(head), False
    return [], False


def _subject_phrase(subject: Token, verb: Token, actors: Participants) -> list[Participant]:
    if subject.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        return actors.find(verb.head)
    found = actors.find(subject)
    if found:
        return found
    topic = subject.dep_ == "nsubjpass" and any(  # "the zones were discussed": a topic
        t == "CONSULT" for t, _ in lexicon.verb(verb.lemma_))
    if subject.pos_ in ("NOUN", "PROPN") and verb.pos_ == "VERB" and not event_noun(subject) \
            and not topic:
        return [actors.phrase(subject)]  # an unresolved doer: "a newspaper based in …"
    if subject.pos_ != "PRON":
        return found
    speaker = _reporting_speaker(verb, actors)
    return speaker


def _reporting_speaker(verb: Token, actors: Participants) -> list[Participant]:
    """"Iraq said it would allow …": the pronoun subject is the speaker."""
    node = verb
    for _ in range(3):
        if node.dep_ in ("ccomp", "xcomp") and lexicon.is_reporting(node.head.lemma_.lower()):
            for child in node.head.children:
                if child.dep_ == "nsubj":
                    return actors.find(child)
        node = node.head
        if node.head == node:
            break
    return []


def _pobj_actors(prep: Token, actors: Participants) -> list[Participant]:
    found: list[Participant] = []
    for obj in prep.children:
        if obj.dep_ == "pobj":
            found += actors.find(obj)
    return found


def _object_actors(obj: Token, actors: Participants, consult: bool = False
                   ) -> list[Participant]:
    """Actors an object refers to; for an object that is no actor ("a hotline with the
    U.S.", "an Indian proposal") the actors attached to it (not for talks: "discussing
    sanctions against Russia" is no talk with Russia)."""
    if obj.dep_ == "prep" or obj.pos_ == "ADP":  # "send troops to Libya" (dative "to")
        objs = [c for c in obj.children if c.dep_ == "pobj"]
        return [p for o in objs for p in _object_actors(o, actors, consult)]
    found = actors.find(obj)
    if found or consult:
        return found
    for child in obj.children:
        if child.dep_ == "prep" and child.lower_ in NOUN_TARGET_PREPS | {"of", "between"}:
            found += _pobj_actors(child, actors)
    return found


#: adjectival passives whose subject is the doer ("Israel is opposed to …")
STATIVE_PASSIVES = {"oppose", "commit", "determine", "prepare", "involve", "engage",
                    "resolve", "dedicate"}
#: object classes made by someone else: their owner is the target ("rejected an Indian
#: proposal", "accepted demands from the rebels")
OTHERS_OBJECTS = {"proposals", "demands"}
#: object classes that belong to the doer ("deployed its troops", "sent aid")
OWN_RESOURCES = {"troops", "weapons", "aid", "relations", "agreements", "restrictions"}


#: types whose patient is worth naming even when it is no actor ("a pro-regime drone")
PATIENT_TYPES = {"ASSAULT", "COERCE"}


def _patient_phrase(cand: Candidate, obj: Token, actors: Participants) -> list[Participant]:
    if not set(cand.types) & PATIENT_TYPES:
        return []
    if obj.dep_ == "prep" or obj.pos_ == "ADP":
        objs = [c for c in obj.children if c.dep_ == "pobj"]
        return [actors.phrase(objs[0])] if objs and objs[0].pos_ in ("NOUN", "PROPN") else []
    return [actors.phrase(obj)] if obj.pos_ in ("NOUN", "PROPN") else []


def verb_arguments(cand: Candidate, actors: Participants) -> None:
    verb = cand.head
    subject, passive = subject_of(verb, actors)
    if passive and verb.lemma_.lower() in STATIVE_PASSIVES and \
            not any(c.dep_ == "agent" for c in verb.children):
        passive = False
    if passive:
        cand.targets += subject
    else:
        cand.sources += subject
    nouns = [t for t in cand.trigger if t is not verb and t.pos_ in ("NOUN", "PROPN")]
    consult = "CONSULT" in cand.types
    for child in verb.children:
        if child.dep_ == "agent":
            doers = _pobj_actors(child, actors)
            if not doers:  # "threatened by continued tensions": no actor does it
                cand.sources, cand.targets = [], []
                return
            cand.sources += doers
        elif child.dep_ == "prep" and child.lower_ == "of" and verb.tag_ == "VBG":
            cand.targets += _object_actors(child, actors, consult) or \
                _patient_phrase(cand, child, actors)
        elif child.dep_ in ("dobj", "dative", "iobj") and child not in nouns:
            cand.targets += _object_actors(child, actors, consult) or \
                _patient_phrase(cand, child, actors)
        elif child.dep_ == "prep" and child.lower_ in ("between", "among"):
            cand.sources += _pobj_actors(child, actors)
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            if child.lower_ == "at" and cand.types[:1] != ["ASSAULT"]:
                continue
            for grand in child.children:
                if grand.dep_ != "pobj":
                    continue
                if grand in nouns:
                    _noun_participants(cand, grand, actors)
                elif not event_noun(grand):  # "send a representative to talks"
                    cand.targets += actors.find(grand)
    if cand.rule == "object" and cand.options[0][0] == "CONSULT":
        sent_out = {p.key for n in nouns for p in actors.find(n)}
        cand.targets = [p for p in cand.targets if p.key not in sent_out]  # the envoy
        nouns = []
    for noun in nouns:
        classes = set(lexicon.classes(noun.lower_))
        if cand.rule == "object" and classes & OTHERS_OBJECTS:
            _owner_targets(cand, noun, actors)
        elif cand.rule == "object" and not classes & OWN_RESOURCES:
            cand.targets += actors.find(noun)  # "expelled the Israeli ambassador"
            _noun_participants(cand, noun, actors, modifiers=False)
        else:
            _noun_participants(cand, noun, actors)
        if "AID" in cand.types:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ == "for":
                    cand.targets += _pobj_actors(child, actors)
    _complement_targets(cand, actors)


def _owner_targets(cand: Candidate, noun: Token, actors: Participants) -> None:
    """Who made the proposal or demand a verb answers is its target."""
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
            cand.targets += actors.find(child)
        elif child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            cand.targets += _pobj_actors(child, actors)


#: verbs whose object is the one a promise or offer in their complement is made to
ADDRESS_VERBS = {"tell", "assure", "promise", "inform", "pledge", "write", "notify",
                 "reassure", "offer", "signal"}


def addressee_target(cand: Candidate, actors: Participants) -> None:
    """"The U.S. leader told his Russian counterpart that he would send …": the promise
    is made to the counterpart."""
    if cand.targets:
        return
    node = cand.head
    for _ in range(3):
        if node.head == node:
            return
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in ADDRESS_VERBS:
            for child in node.head.children:
                if child.dep_ in ("dobj", "dative", "iobj"):
                    found = [p for p in actors.find(child)
                             if p.key not in {s.key for s in cand.sources}]
                    if found:
                        cand.targets = found
                        return
            return
        node = node.head


def _complement_targets(cand: Candidate, actors: Participants) -> None:
    """"demanded that the US cancel …", "asked senators to delay": whom the complement
    addresses is the target."""
    if cand.targets or not is_frame(cand) or "REQUEST" not in cand.types:
        return
    for child in cand.head.children:
        if child.dep_ == "ccomp":
            for grand in child.children:
                if grand.dep_ in ("nsubj", "nsubjpass"):
                    cand.targets += actors.find(grand)


def _noun_participants(cand: Candidate, noun: Token, actors: Participants,
                       modifiers: bool = True) -> None:
    """Participants written on an event noun itself (``modifiers``: also its possessor
    and nationality adjectives as sources)."""
    types = set(cand.types)
    for child in noun.children:
        dep, word = child.dep_, child.lower_
        if not modifiers and dep in ("poss", "compound", "amod", "nmod"):
            continue
        if dep == "poss" or (dep in ("compound", "amod", "nmod") and child.i < noun.i):
            found = actors.find(child)
            cand.sources += [p for p in found if p.how != "phrase"]
        elif dep == "prep" and word == "by":
            cand.sources += _pobj_actors(child, actors)
        elif dep == "prep" and word in ("between", "among"):
            cand.sources += _pobj_actors(child, actors)
        elif dep == "prep" and word in NOUN_TARGET_PREPS and not (
                word in TOPIC_PREPS and types & {"CONSULT", "AGREE"}):
            cand.targets += _pobj_actors(child, actors)
            if not cand.targets and word == "to" and "CONSULT" in types:
                cand.targets += _place_objects(child, actors)
        elif dep == "prep" and word == "for" and types & {"AID", "SUPPORT"}:
            cand.targets += _pobj_actors(child, actors)
        elif dep == "prep" and word == "of":
            found = _pobj_actors(child, actors)
            if types & OF_AGENT_TYPES:
                cand.sources += found
            else:
                cand.targets += found


def _place_objects(prep: Token, actors: Participants) -> list[Participant]:
    """"a visit to Moscow": the host is the place's country (kept as text)."""
    out = []
    for obj in prep.children:
        if obj.dep_ == "pobj" and obj.ent_type_ in ("GPE", "LOC"):
            start, end = obj.idx, obj.idx + len(obj.text)
            out.append(Participant(text=obj.text, start=start, end=end, how="place",
                                   country=actors._place_country(start, end)))
    return out


def noun_arguments(cand: Candidate, actors: Participants) -> None:
    noun = cand.head
    _noun_participants(cand, noun, actors)
    if cand.sources:
        return
    clause = governing_verb(noun)
    for _ in range(3):
        if clause is None or noun.dep_ in ("nsubj", "nsubjpass"):
            return
        subject, passive = subject_of(clause, actors)
        if subject and not passive:
            cand.sources += [p for p in subject if p.how != "phrase"]
            return
        if clause.tag_ not in ("VBN", "VB") or clause.dep_ not in ("acl", "xcomp", "advcl",
                                                                    "relcl"):
            return
        clause = clause_verb(clause)  # "… zones manned by … at a meeting with …"


def clause_verb(noun: Token) -> Token | None:
    """The verb of the clause a noun phrase sits in, through prepositions and nouns
    ("in response to Obama's expulsion …, Putin declined")."""
    node = noun
    for _ in range(6):
        if node.head == node:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


#: prepositions through which the subject of a clause takes part in an event noun
#: ("speaking at a press conference", "said after talks with", "engaged in talks")
PARTICIPATION_PREPS = {"at", "after", "during", "in", "following", "before", "into", "on",
                       "off", "through", "throughout", "from"}


def governing_verb(noun: Token) -> Token | None:
    """The verb of the clause an event noun is the object of ("holding talks", "Speaking
    at a press conference", "said after talks with")."""
    node = noun
    if node.dep_ == "dobj" and node.head.pos_ == "VERB":
        return node.head
    if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ == "VERB" \
            and node.head.lower_ in PARTICIPATION_PREPS:
        return node.head.head
    if node.dep_ == "conj" and node.head.dep_ in ("dobj", "pobj"):
        return governing_verb(node.head)
    return None


# --- per sentence and per document --------------------------------------------------------
