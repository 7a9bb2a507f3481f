"""Metonymy: a place name standing for a government or its people ("Moscow said",
"talks with Washington", "Russia's position"), decided from the dependency parse.

If the actors stage exposes ``storyline.actors.metonymy.is_metonymic(span)`` (or the same
function in ``storyline.actors``), its answer is used first; these rules are the fallback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: verbs whose subject is an agent (speech, cognition, will, policy, force)
AGENT_VERBS = frozenset("""
say tell announce state declare claim insist warn deny reject demand accuse urge call ask
argue suggest respond reply confirm acknowledge admit complain protest condemn criticize
criticise praise welcome vow pledge promise threaten agree disagree refuse decide plan
intend want wish hope fear believe think expect consider see view regard seek try push
press offer propose support back oppose sign ratify veto approve negotiate mediate broker
sponsor recognize recognise expel summon sanction impose lift send deploy withdraw launch
strike attack bomb invade annex arm fund finance help aid assist provide supply sell buy
order instruct pressure lobby retaliate respond accuse blame insist maintain note signal
invite boycott meet talk discuss cooperate engage share cut suspend
resume halt block win lose favor favour prefer
""".split())
#: nouns of which a possessor is an agent ("Moscow's position")
AGENT_NOUNS = frozenset("""
position policy stance demand demands decision support backing proposal offer plan plans
response reaction view views interest interests ally allies partner partners role
intervention involvement campaign strategy goal goals aim aims ambition ambitions approach
envoy ambassador diplomat diplomats minister ministry president government leader leaders
leadership official officials military army forces troops navy spokesman spokeswoman
representative delegation regime administration insistence refusal objection objections
concerns concern claims claim accusations warning warnings threat threats willingness
readiness agreement opposition assurance assurances commitment request call calls help
relationship relations ties cooperation influence pressure sanctions patience
""".split())
AGENT_EXTRA = frozenset("""
official diplomat lawmaker senator congressman general commander soldier officer agent
spy intelligence election elections sanction embassy consulate company companies firm
firms bank banks media team delegate negotiator negotiators counterpart counterparts
secretary state department congress parliament senate court justice authorities
authority establishment policymaker policymakers strike strikes airstrike airstrikes
jet jets warplane warplanes aircraft drone drones ship ships warship warships missile
missiles weapon weapons dollar dollars citizen citizens national nationals
""".split())
#: nouns after which "with X" / "between X and Y" names a party ("talks with Moscow")
PARTY_NOUNS = frozenset("""
talks talk relations relationship ties negotiations negotiation dialogue deal agreement
accord treaty meeting meetings contacts contact cooperation summit partnership alliance
rapprochement understanding détente detente dispute tensions tension standoff rift
confrontation conflict war rivalry coordination consultations
""".split())
#: nouns a possessor of which is a place, not an agent ("Syria's north")
PLACE_NOUNS = frozenset("""
capital border borders north south east west northeast northwest southeast southwest coast
territory airspace region regions province provinces city cities town towns soil outskirts
center centre streets people population economy heartland countryside interior desert
mountains waters ports airport
""".split())

_external: Callable[[Any], bool | None] | None = None
_external_checked = False


def _actors_rule() -> Callable[[Any], bool | None] | None:
    global _external, _external_checked
    if not _external_checked:
        _external_checked = True
        for module in ("storyline.actors.metonymy", "storyline.actors"):
            try:
                fn = getattr(importlib.import_module(module), "is_metonymic", None)
            except ImportError:
                continue
            if callable(fn):
                _external = fn
                break
    return _external


def is_metonymic(span: Any) -> bool:
    """True when the place name ``span`` (a spaCy Span) stands for an actor."""
    external = _actors_rule()
    if external is not None:
        try:
            verdict = external(span)
        except Exception:  # a bug there must not stop places  # noqa: BLE001
            verdict = None
        if verdict is not None:
            return bool(verdict)
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "Turkey and Iran agreed": judge the first conjunct
    return _subject_of_agent_verb(root) or _agentive_possessor(root) or _party(root) \
        or _compound_party(root)


def is_agent_modifier(span: Any) -> bool:
    """"U.S. officials", "Russia envoy": a place name modifying an agent noun stands for
    its state, not for a location."""
    root = span.root
    if root.dep_ not in ("compound", "nmod", "amod") or root.head.i <= root.i:
        return False
    head = root.head
    return head.pos_ in ("NOUN", "PROPN") and (head.lemma_.lower() in AGENT_NOUNS
                                               or head.lemma_.lower() in AGENT_EXTRA)


def _subject_of_agent_verb(tok: Any) -> bool:
    if tok.dep_ not in ("nsubj", "nsubjpass", "agent") and not (
            tok.dep_ == "pobj" and tok.head.dep_ == "agent"):
        return False
    verb = tok.head if tok.dep_ != "pobj" else tok.head.head
    if tok.dep_ == "nsubjpass":
        return False
    return verb.lemma_.lower() in AGENT_VERBS or tok.dep_ == "pobj"


def _agentive_possessor(tok: Any) -> bool:
    if tok.dep_ != "poss":
        return False
    noun = tok.head.lemma_.lower()
    return noun in AGENT_NOUNS and noun not in PLACE_NOUNS


def _party(tok: Any) -> bool:
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("with", "between", "against", "by"):
        return False
    prep = tok.head
    governor = prep.head
    if prep.lower_ == "by":
        return governor.tag_ == "VBN" and governor.lemma_.lower() in AGENT_VERBS
    if prep.lower_ == "against":
        return governor.lemma_.lower() in ("sanction", "sanctions", "war", "campaign", "case",
                                           "accusation", "protest", "strike", "measure")
    return governor.lemma_.lower() in PARTY_NOUNS or governor.lower_ in PARTY_NOUNS \
        or (prep.lower_ == "with" and governor.lemma_.lower() in ("meet", "talk", "negotiate",
                                                                  "agree", "cooperate", "side",
                                                                  "work", "deal", "clash"))


def _compound_party(tok: Any) -> bool:
    """"U.S.-Russia talks", "Moscow-backed forces": a name modifying a party noun or
    an agentive participle."""
    if tok.dep_ not in ("compound", "nmod", "npadvmod", "amod"):
        return False
    head = tok.head
    if head.lemma_.lower() in PARTY_NOUNS:
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.text in ("-", "–") and head.tag_ == "VBN" \
        and head.lemma_.lower() in AGENT_VERBS
