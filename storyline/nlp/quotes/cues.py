"""Cue verbs: which tokens are cues, the cue's span, its clause and its subject."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .lexicon import QUOTING_VERBS, SPEECH_VERBS, THOUGHT_VERBS
from .spans import _text, _token_at

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def _lemma(token: Token) -> str:
    """The lemma, with the small model's known slips mended ("hopes" → "hop")."""
    lemma = token.lemma_.lower()
    return "hope" if lemma == "hop" and token.lower_.startswith("hope") else lemma


def _is_cue(token: Token, clause_needed: bool = False, direct: bool = False) -> bool:
    """Whether ``token`` is a cue verb: for a direct quote (``direct``), a verb of speech
    or quoting; for indirect speech, a verb of speech or thought with a clause."""
    if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("aux", "auxpass", "amod"):
        return False
    lemma = _lemma(token)
    if direct:
        return lemma in SPEECH_VERBS or lemma in QUOTING_VERBS or (
            lemma == "put" and any(c.lower_ == "it" and c.dep_ == "dobj" for c in token.children))
    if lemma in SPEECH_VERBS or _phrasal_cue(token) is not None:
        return True
    return lemma in THOUGHT_VERBS and (not clause_needed or _clause_child(token) is not None)


def _phrasal_cue(verb: Token) -> Token | None:
    """The last word of a phrasal speech verb ("pointed out", "made (it) clear"), if
    ``verb`` heads one."""
    lemma = _lemma(verb)
    if lemma == "point":
        return next((c for c in verb.children if c.dep_ == "prt" and c.lower_ == "out"), None)
    if lemma == "make":
        return next((c for c in verb.children if c.lower_ == "clear" and
                     0 < c.i - verb.i <= 2), None)
    return None


def _clause_child(verb: Token) -> Token | None:
    """The clausal complement of a cue verb: after the verb ("said that …"), or before it
    when the cue is parenthetical ("…, officials said")."""
    for child in verb.children:
        if child.i < verb.i:
            continue
        if child.dep_ == "ccomp" or (child.dep_ in ("advcl", "xcomp") and
                                     any(c.dep_ == "mark" and c.lower_ in ("that", "whether",
                                                                           "if")
                                         for c in child.children)):
            return child
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i < verb.i and _parenthetical(verb, child):
            return child
    return None


def _parenthetical(verb: Token, clause: Token) -> bool:
    """"<clause>, X said": only a comma or dash (and the subject) between clause and cue."""
    doc = verb.doc
    end = max(t.i for t in clause.subtree)
    between = doc[end + 1:verb.i]
    subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
               for t in c.subtree}
    rest = [t for t in between if t.i not in subject and t.dep_ not in ("aux", "neg",
                                                                        "advmod", "auxpass")]
    return bool(rest) and all(t.text in (",", "—", "–", "--", "”", "\"", "’") for t in rest) \
        and "\n" not in doc[end:verb.i].text


def _that_clause(verb: Token) -> tuple[int, int] | None:
    """Fallback when the parse missed the complement: "<verb> (them) that …" to the
    sentence end."""
    doc = verb.doc
    sent_end = verb.sent.end
    for i in range(verb.i + 1, min(verb.i + 5, sent_end)):
        tok = doc[i]
        if tok.lower_ == "that" and tok.dep_ in ("mark", "nsubj", "det", "dobj") and \
                i + 1 < sent_end and not doc[i + 1].is_punct:
            return doc[i].idx, doc[sent_end - 1].idx + len(doc[sent_end - 1].text)
        if tok.pos_ in ("VERB", "AUX") or tok.is_punct:
            return None
    return None


#: adverbs of manner, frequency and sequence that PolNeAR keeps in the cue ("also said",
#: "has repeatedly cited", "never mentioned"); question words and sentence adverbs do not
_CUE_ADVERB_EXCLUDE = frozenset("""
when where why how however meanwhile instead though although so thus therefore here there
""".split())
_WEEKDAYS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
""".split())


def _cue_span(verb: Token) -> tuple[int, int]:
    """The cue: the verb with its auxiliaries, negation, adverbs and particle when adjacent
    ("has also said", "did not immediately respond", "to admit"), a bare weekday right after
    it ("said Friday") and a colon introducing the words ("added:")."""
    doc = verb.doc
    parts = {verb.i}
    for c in verb.children:
        if c.dep_ in ("aux", "auxpass", "neg", "prt") and abs(c.i - verb.i) <= 4:
            parts.add(c.i)
        elif c.dep_ == "advmod" and c.i < verb.i and c.pos_ == "ADV" and verb.i - c.i <= 3 \
                and c.lower_ not in _CUE_ADVERB_EXCLUDE and not c.tag_.startswith("W"):
            parts.add(c.i)
    # only the contiguous run around the verb
    lo = hi = verb.i
    while lo - 1 in parts:
        lo -= 1
    while hi + 1 in parts:
        hi += 1
    phrasal = _phrasal_cue(verb)
    if phrasal is not None and phrasal.i > hi:
        hi = phrasal.i  # "made it clear"
    nxt = hi + 1
    if nxt < len(doc) and doc[nxt].lower_ in _WEEKDAYS and doc[nxt].head.i == verb.i:
        hi = nxt
        nxt += 1
    if nxt < len(doc) and _lemma(verb) in SPEECH_VERBS:
        m = _MANNER.match(_text(doc), doc[hi].idx + len(doc[hi].text))
        last = _token_at(doc, m.end() - 1) if m else None
        if last is not None and last.idx + len(last.text) == m.end():
            hi = last.i  # "said in a statement", "said with a laugh"
            nxt = hi + 1
    if nxt < len(doc) and doc[nxt].text == ":":
        hi = nxt
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


#: the medium or manner of a speech act, which PolNeAR keeps in the cue
_MANNER = re.compile(r"[ \t]+(?:in (?:a|an) (?:statement|interview|phone interview|email|e-mail|"
                     r"memo|press release)|in part|in response|at the time|with a (?:laugh|smile|"
                     r"smirk|chuckle|shrug|grin|sigh))\b")


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a cue verb; relative pronouns become the noun they modify;
    participles, conjuncts and complements of adjectives inherit their head's subject.
    A subject in another paragraph is a parse across a heading, never the speaker."""
    subject = _subject_token(verb, depth)
    if subject is not None and "\n" in _text(verb.doc)[min(subject.idx, verb.idx):
                                                        max(subject.idx, verb.idx)]:
        return None
    return subject


def _subject_token(verb: Token, depth: int = 0) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and
                                     verb.lemma_ not in ("ask", "tell")):
            return child  # a relative pronoun stays: the speaker is resolved later
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if depth < 4 and verb.dep_ in ("conj", "advcl", "xcomp", "dep", "acomp", "pcomp", "prep") \
            and verb.head.i != verb.i:
        return _subject_token(verb.head, depth + 1)
    head = verb.head
    if depth < 4 and verb.dep_ == "acl" and verb.tag_ == "VBG" and head.dep_ == "dobj" and \
            head.head.pos_ == "VERB":
        return _subject_token(head.head, depth + 1)  # "X issued a statement describing …"
    return None


def _according_to(token: Token) -> Token | None:
    """The object of "according to" when ``token`` is "according"."""
    if token.lower_ != "according":
        return None
    for child in token.children:
        if child.lower_ == "to":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for grand in nxt.children:
            if grand.dep_ == "pobj":
                return grand
        if nxt.i + 1 < len(token.doc):
            return _np_head_after(token.doc, nxt.i + 1)
    return None


def _np_head_after(doc: Doc, i: int) -> Token | None:
    """The head of the noun phrase starting at token ``i``."""
    for chunk in doc.noun_chunks:
        if chunk.start <= i < chunk.end:
            return chunk.root
    token = doc[i]
    return token if token.pos_ in ("NOUN", "PROPN", "PRON") else None
