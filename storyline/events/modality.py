"""Modality: did the event happen, is it planned, proposed, cancelled, denied,
hypothetical or negated?  And who reports it ("according to the Kremlin")?

Read from the clause of the trigger and the clauses above it:

* negated: "has not been discussed", "hasn't been set", "no meeting took place";
* cancelled: "was canceled", "called off the talks", "scrapped plans to meet";
* denied: "Russia has denied that …", claims "which U.S. officials denied";
* hypothetical: "if implemented", "unless …", "could", "might", "would" (outside
  reported speech);
* proposed: "proposed", "suggested", "called for", "offered to";
* future: "will", "plans to", "is scheduled to", "is likely to", "is set to", "would"
  in reported speech ("he told him that he would send …"), a date after the document's.
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Span, Token

from ..nlp.pipeline import span_text
from . import lexicon

NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
CANCEL = {"cancel", "scrap", "abandon", "call off", "drop", "shelve", "scuttle", "cancelled",
          "canceled", "axe", "suspend"}
DENY = {"deny", "refute", "dismiss", "reject", "disavow", "dispute"}
PROPOSE = {"propose", "suggest", "offer", "call for", "recommend", "float", "urge", "seek",
           "push for", "advocate", "proposal", "push", "want", "envisage", "envision",
           "consider", "discuss", "explore", "press for"}
PLAN = {"plan", "schedule", "intend", "expect", "prepare", "set", "due", "aim", "agree",
        "pledge", "promise", "vow", "likely", "ready", "willing", "prepared", "going",
        "poised", "postpone", "delay", "reschedule", "upcoming", "planned", "scheduled",
        "next", "future", "commit", "undertake", "hope", "will"}
HYPOTHETICAL_MARKS = {"if", "unless", "whether", "lest", "should"}
HYPOTHETICAL_MODALS = {"could", "might", "may", "can"}
FUTURE_AUX = {"will", "'ll", "shall", "wo"}
REPORT_CLAIM = {"claim", "claims", "allegation", "allegations", "report", "reports", "rumor",
                "rumors", "rumour", "rumours", "speculation"}
#: how far up the tree a governing word still sets the modality
MAX_HOPS = 6
COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "nsubjpass", "nsubj",
                   "acl", "advcl", "conj", "attr", "oprd", "acomp", "relcl", "appos"}


@dataclasses.dataclass
class Reading:
    modality: str = "happened"
    cue: str | None = None
    reported_by: str | None = None
    reported_start: int | None = None


def _phrase(token: Token) -> str:
    """The lemma with its particle or "for" ("call off", "call for")."""
    lemma = token.lemma_.lower()
    for child in token.children:
        if child.dep_ == "prt" or (child.dep_ == "prep" and child.lower_ == "for"):
            return f"{lemma} {child.lower_}"
    return lemma


def _negated(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "neg" or (child.lower_ in ("never",) and child.dep_ == "advmod"):
            return child.text
        if child.dep_ == "det" and child.lower_ == "no" and token.pos_ in ("NOUN", "PROPN"):
            return child.text
    return None


def _aux_words(token: Token) -> list[str]:
    return [c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")]


def _clause_modality(token: Token, in_report: bool) -> tuple[str, str] | None:
    """Modality set by the words of ``token``'s own clause."""
    neg = _negated(token)
    auxes = _aux_words(token)
    for child in token.children:
        if child.dep_ == "mark" and child.lower_ in HYPOTHETICAL_MARKS:
            return "hypothetical", child.text
    if neg:
        if any(a in FUTURE_AUX | {"would"} for a in auxes):
            return "negated", f"{' '.join(auxes)} {neg}".strip()
        return "negated", neg
    if any(a in FUTURE_AUX for a in auxes):
        return "future", next(a for a in auxes if a in FUTURE_AUX)
    if "would" in auxes:
        return ("future", "would") if in_report else ("hypothetical", "would")
    modal = next((a for a in auxes if a in HYPOTHETICAL_MODALS), None)
    if modal:
        return "hypothetical", modal
    passive = any(c.dep_ == "auxpass" for c in token.children)
    if "to" in auxes and passive and token.dep_ in ("acl", "relcl", "advcl"):
        return "future", "to be"  # "a ceasefire to be followed by peace talks"
    return None


def _governor_modality(word: str, child_dep: str, governor: Token) -> tuple[str, str] | None:
    """Modality a governing word gives the event below it."""
    if word in CANCEL or word.startswith("call off"):
        return "cancelled", word
    if word in DENY and child_dep in ("ccomp", "dobj", "nsubjpass", "xcomp"):
        return "denied", word
    if word in PROPOSE and child_dep in ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp"):
        return "proposed", word
    if word in PLAN:
        return "future", word
    if word in ("postpone", "delay", "reschedule"):
        return "future", word
    return None


def _relcl_denied(noun: Token) -> str | None:
    """A claim "which U.S. officials denied"."""
    for child in noun.children:
        if child.dep_ == "relcl" and child.lemma_.lower() in DENY:
            return child.lemma_.lower()
    return None


def read(head: Token, nominal: bool = False) -> Reading:
    """The modality of the event whose trigger head is ``head``."""
    reading = Reading()
    _reported(head, reading)
    in_report = reading.reported_by is not None or _under_reporting(head)
    own = _clause_modality(head, in_report)
    if own and own[0] in ("negated", "hypothetical"):
        reading.modality, reading.cue = own
        return reading
    governed = _walk_up(head, in_report)
    if governed:
        reading.modality, reading.cue = governed
        if own and own[0] == "future" and governed[0] == "negated":
            reading.modality = "negated"
        return reading
    if own:
        reading.modality, reading.cue = own
    return reading


def _walk_up(head: Token, in_report: bool) -> tuple[str, str] | None:
    node = head
    for _ in range(MAX_HOPS):
        governor = node.head
        if governor == node or node.dep_ not in COMPLEMENT_DEPS:
            return None
        if node.dep_ in ("relcl", "appos") and governor.pos_ in ("NOUN", "PROPN"):
            return None
        if node.dep_ in ("ccomp", "parataxis") and node.i < governor.i:
            return None  # "X declined: 'we are not going to …'" does not govern X
        word = _phrase(governor)
        if node.dep_ in ("nsubj", "nsubjpass") and word not in CANCEL and \
                not lexicon.is_happen(word.split()[0]):
            return None
        if governor.lower_ in REPORT_CLAIM or governor.lemma_.lower() in REPORT_CLAIM:
            denied = _relcl_denied(governor)
            if denied:
                return "denied", denied
        found = _governor_modality(word, node.dep_, governor)
        if found:
            return found
        if governor.pos_ in ("VERB", "AUX"):
            clause = _clause_modality(governor, in_report)
            if clause:
                return clause
            if lexicon.is_reporting(governor.lemma_.lower()):
                return None
        node = governor
    return None


def _under_reporting(head: Token) -> bool:
    node = head
    for _ in range(MAX_HOPS):
        if node.head == node:
            return False
        if node.dep_ == "ccomp" and lexicon.is_reporting(node.head.lemma_.lower()):
            return True
        node = node.head
    return False


def _reported(head: Token, reading: Reading) -> None:
    """Who reports the event: "according to X", "X said (that) …", "per the report"."""
    sent = head.sent
    source = _according_to(sent)
    if source is not None:
        reading.reported_by, reading.reported_start = source
        return
    node = head
    for _ in range(MAX_HOPS + 1):
        if node.head == node:
            break
        governor = node.head
        if node.dep_ in ("ccomp", "parataxis") and lexicon.is_reporting(governor.lemma_.lower()):
            for child in governor.children:
                if child.dep_ == "nsubj":
                    reading.reported_by, reading.reported_start = _subtree_span(child)
                    return
        node = governor
    root = sent.root
    if root.i != head.i and lexicon.is_reporting(root.lemma_.lower()) and root.i > head.i:
        for child in root.children:
            if child.dep_ == "nsubj":
                reading.reported_by, reading.reported_start = _subtree_span(child)
                return


def _according_to(sent: Span) -> tuple[str, int] | None:
    """The source of "according to X" in ``sent`` (its text and start), if any."""
    if "according" not in span_text(sent).lower():  # its tokens are read only if needed
        return None
    doc = sent.doc
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < sent.end and \
                doc[token.i + 1].lower_ == "to":
            objs = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objs:
                return _subtree_span(objs[0])
    return None


def _subtree_span(token: Token) -> tuple[str, int]:
    tokens = [t for t in token.subtree if not t.is_punct or t.text in ("'", "’")]
    if not tokens:
        return token.text, token.idx
    # the document's text from the first to the last kept token (a Span's text, without
    # reading Doc.text, which joins every token of the document)
    return token.doc[tokens[0].i:tokens[-1].i + 1].text, tokens[0].idx
