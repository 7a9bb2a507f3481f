"""Place names used for the institutions they host ("Moscow said", "talks with Washington").

:func:`is_metonymic` looks at the dependency parse around a place name: a place that says,
wants or agrees, that is talked with or pressured, or that owns a role or a policy is an
actor; a place that is visited, lived in or located is a place.  The geo stage uses the same
test to leave such names out of its places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: verbs whose subject is usually the place itself
PLACE_VERBS = frozenset(
    """
    lie sit locate situate border stretch freeze flood swelter burn shake grow sprawl overlook
    host rank attract suffer experience receive see get remain become fall shell bomb strike hit
    capture liberate occupy surround evacuate celebrate
    """.split()
)
#: verbs whose direct object is usually the place itself
PLACE_OBJECT_VERBS = frozenset(
    """
    visit leave reach enter tour travel fly move return bomb shell strike hit attack capture
    liberate occupy surround besiege evacuate flee call name rename build rebuild defend seize
    take retake storm encircle blockade invade annex cross see love photograph map dub
    """.split()
)
#: nouns after a possessive place name that make it a place ("Moscow's streets")
PLACE_NOUNS = frozenset(
    """
    street streets mayor suburb suburbs resident residents airport airports metro subway center
    centre outskirts population skyline district districts hospital hospitals square squares
    park parks restaurant restaurants citizen citizens people weather river university
    universities museum museums neighborhood neighbourhood neighborhoods neighbourhoods east
    west north south downtown old port harbor harbour stadium zoo traffic air economy hotels
    hotel police city inhabitants boroughs borough county shops
    """.split()
)
#: nouns and verbs after which "with/between/against X" names a party, not a location
RELATIONAL = frozenset(
    """
    talk talks relationship relations relation tie ties cooperation negotiation negotiations
    deal agreement dialogue contact contacts rapprochement tension tensions conflict
    confrontation war partnership alliance bargain wedge rift dispute standoff détente detente
    coordinate coordination cooperate negotiate work agree engage side align clash break
    reconcile spar feud split friction rivalry summit channel hotline ally allied dealing
    dealings understanding accord pact treaty trade compete competition fight struggle bridge
    reset normalize normalise thaw row
    """.split()
)
#: nouns after which "from X" names a speaker or sender
COMMUNICATIVE = frozenset(
    """
    complaint complaints statement statements warning warnings pressure support demand demands
    response criticism signal signals message messages request requests offer offers objection
    objections protest protests reaction reply threat threats assurance assurances word approval
    backing aid assistance help money funding sanctions envoy envoys delegation delegations
    diplomat diplomats official officials order orders instructions interference propaganda
    claims denial denials rhetoric overture overtures proposal proposals
    """.split()
)
#: prepositions that can introduce a party ("talks with Moscow")
PARTY_PREPS = frozenset(
    {"with", "between", "against", "toward", "towards", "from", "by", "on", "to", "over", "for"}
)
PARTY_OBJECT_VERBS = frozenset(
    """
    urge warn pressure pressurize accuse blame woo reassure sanction punish condemn criticize
    criticise trust distrust support back persuade convince confront engage alarm anger irritate
    please court tell ask inform notify call invite thank praise rebuke reprimand defy challenge
    threaten deter appease placate antagonize antagonise provoke isolate recognize recognise
    join help aid assist arm fund finance lobby push oppose outmaneuver outmanoeuvre embarrass
    rattle reward cheat betray fool trick
    """.split()
)


def _chain_head(token: Token) -> Token:
    """The first conjunct of a coordination ("Moscow and Ankara" -> Moscow)."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def is_metonymic(span: Span | Token) -> bool:
    """Whether a place name in ``span`` stands for the institution it hosts.

    ``span`` is a spaCy ``Span`` (or ``Token``) over a toponym such as "Moscow",
    "Washington" or "Russia".  True for "Moscow said", "talks with Moscow", "Moscow's role",
    "urged Washington"; False for "a visit to Moscow", "a hotel in Moscow", "WASHINGTON—".
    """
    root = span.root if hasattr(span, "root") else span
    token = _chain_head(root)
    dep, head = token.dep_, token.head
    if dep in ("nsubj", "nsubjpass", "agent", "csubj"):
        return head.lemma_.lower() not in PLACE_VERBS and not _copular_place(head)
    if dep == "poss":
        return head.lower_ not in PLACE_NOUNS
    if dep == "dobj":
        lemma = head.lemma_.lower()
        return lemma in PARTY_OBJECT_VERBS or (
            lemma not in PLACE_OBJECT_VERBS and head.pos_ == "VERB" and _animate_verb(head)
        )
    if dep == "pobj":
        return _party_object(token, head)
    if dep == "compound" and head.lower_ in ("government", "regime", "administration", "officials"):
        return True
    return False


def _copular_place(verb: Token) -> bool:
    """ "Moscow is a city", "Moscow is cold": a predicate about the place."""
    if verb.lemma_ != "be":
        return False
    for child in verb.children:
        if child.dep_ in ("attr", "acomp") and child.lower_ in PLACE_NOUNS | {
            "capital",
            "city",
            "town",
            "cold",
            "warm",
            "hot",
            "beautiful",
            "far",
            "home",
        }:
            return True
    return False


def _animate_verb(verb: Token) -> bool:
    """Verbs of communication or attitude, whose object is a party."""
    return verb.lemma_.lower() in PARTY_OBJECT_VERBS


def _party_object(token: Token, prep: Token) -> bool:
    word = prep.lower_
    if word not in PARTY_PREPS:
        return False
    governor = prep.head
    lemma, lower = governor.lemma_.lower(), governor.lower_
    if word == "by":
        return prep.dep_ == "agent" or (governor.tag_ == "VBN" and lemma not in PLACE_OBJECT_VERBS)
    if word in ("with", "between", "against", "toward", "towards"):
        return (
            lemma in RELATIONAL
            or lower in RELATIONAL
            or governor.pos_ == "VERB"
            and lemma not in {"arrive", "stay", "live", "travel", "fly", "meet"}
        )
    if word == "from":
        return lemma in COMMUNICATIVE or lower in COMMUNICATIVE
    if word in ("to", "for"):
        return lemma in {
            "envoy",
            "ambassador",
            "concession",
            "concessions",
            "message",
            "letter",
            "overture",
            "overtures",
            "threat",
            "offer",
            "appeal",
            "signal",
            "gift",
            "turn",
            "defer",
            "listen",
            "explain",
            "report",
            "answer",
            "respond",
            "pivot",
            "win",
            "loss",
            "victory",
            "defeat",
            "boon",
            "blow",
            "setback",
            "headache",
            "problem",
            "challenge",
            "opportunity",
        }
    return lemma in ("pressure", "influence", "leverage", "sanctions", "demands") and word in (
        "on",
        "over",
    )
