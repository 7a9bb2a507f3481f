"""Speakers: pronouns, relative pronouns and statements resolved to who speaks;
anonymous speakers; quotations reported by another speaker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..pipeline import subject_rank
from .attribution import Attribution
from .lexicon import (
    ANONYMOUS_HEADS,
    PERSON_PRONOUNS,
    RELATIVE_PRONOUNS,
    REPORTING_VERBS,
    STATEMENT_NOUNS,
)
from .spans import _char_span, _inside, _subtree_span, _text, _token_at, _trim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def _resolve_speaker(doc: Doc, att: Attribution, quotes: Sequence[tuple[int, int]],
                     people: frozenset[str]) -> None:
    """Set ``att.speaker`` (the span naming who speaks) and ``att.anonymous``."""
    if att.source is None:
        return
    span = doc.char_span(att.source[0], att.source[1], alignment_mode="expand")
    if span is None or not len(span):
        att.speaker = att.source
        return
    head = span.root
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl" \
            and head.head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head.head  # "Mattis, who told the committee …" → Mattis
        att.speaker = _core_phrase(head)
        att.anonymous = _is_anonymous(doc[head.left_edge.i:head.i + 1])
        return
    if head.pos_ == "PRON" and head.lower_ in PERSON_PRONOUNS:
        att.speaker = _antecedent_person(doc, att.source[0], quotes, people) or att.source
        return
    if head.lemma_.lower() in STATEMENT_NOUNS:
        att.speaker = _statement_owner(head) or att.source
        return
    att.speaker = _core_phrase(head) or att.source
    att.anonymous = _is_anonymous(span)


def _core_phrase(head: Token) -> tuple[int, int] | None:
    """The speaker's phrase without appositions and relative clauses."""
    drop = [c for c in head.children if c.dep_ in ("relcl", "appos") or
            (c.dep_ == "punct" and c.i > head.i)]
    span = _subtree_span(head, exclude=drop)
    return _trim(_text(head.doc), span) if span else None


def _person_names(doc: Doc) -> frozenset[str]:
    """Words of every name the NER tagged as a person anywhere in the document."""
    names = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            names.update(t.text for t in ent if t.pos_ == "PROPN" or t.text[:1].isupper())
    return frozenset(names - {"Mr.", "Mrs.", "Ms.", "Dr.", "President"})


def _antecedent_person(doc: Doc, before: int, quotes: Sequence[tuple[int, int]],
                       people: frozenset[str]) -> tuple[int, int] | None:
    """The person a pronoun speaker refers to, outside quotations: of the persons named in
    the nearest earlier sentence that names one, the subject of its main clause, else a
    subject, else the first ("Trump took swipes at Jeb Bush. “…,” he wrote" → Trump).
    A person is a PERSON entity, or a proper noun the NER tagged as a person elsewhere."""
    token = _token_at(doc, max(before - 1, 0))
    if token is None:
        return None
    named: list[tuple[int, int, Token]] = []  # nearest first: (start, end, name's last token)
    sentence = None
    i = token.i
    while i > max(-1, token.i - 400):
        tok = doc[i]
        if _inside(tok.idx, quotes) or tok.idx >= before or not _is_person(tok, people):
            i -= 1
            continue
        if sentence is not None and tok.sent.start != sentence:
            break
        j = i
        while j > 0 and _is_person(doc[j - 1], people):
            j -= 1
        named.append((doc[j].idx, tok.idx + len(tok.text), tok))
        sentence = tok.sent.start
        i = j - 1
    if not named:
        return None
    # the subject of the main clause, else a subject, else the first named (the topic)
    best = max(range(len(named)), key=lambda k: (*subject_rank(named[k][2]), k))
    return named[best][0], named[best][1]


def _is_person(tok: Token, people: frozenset[str]) -> bool:
    return tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.text in people)


def _strip_possessive(doc: Doc, start: int, end: int) -> tuple[int, int]:
    text = _text(doc)[start:end]
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            return start, end - len(suffix)
    return start, end


def _statement_owner(head: Token) -> tuple[int, int] | None:
    """"the White House's readout" → "the White House"; "the Kremlin statement" →
    "Kremlin"; "a report by the Al-Monitor" → "the Al-Monitor"."""
    doc = head.doc
    for child in head.children:
        if child.dep_ == "poss":
            span = _subtree_span(child)
            if span:
                return _strip_possessive(doc, *span)
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return _subtree_span(grand)
    ents = [e for e in doc.ents if e.label_ in ("ORG", "GPE", "NORP", "PERSON")
            and e.start < head.i and e.end >= head.i - 2 and e.sent == head.sent]
    if ents:
        return _strip_possessive(doc, ents[-1].start_char, ents[-1].end_char)
    compounds = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if compounds:
        return _char_span(compounds)
    return None


def _is_anonymous(span: Span) -> bool:
    head = span.root
    if head.pos_ == "PROPN" or head.ent_type_ == "PERSON":
        return False
    if any(e.label_ == "PERSON" for e in span.ents):
        return False
    return head.lower_ in ANONYMOUS_HEADS or head.lemma_.lower() in ANONYMOUS_HEADS


def _link_reporters(doc: Doc, atts: list[Attribution]) -> None:
    """An attribution whose cue lies inside the content of a speech attribution was
    reported by that one's speaker."""
    reporting: dict[int, bool] = {}  # id(outer) -> whether its cue is one of reporting
    for inner in atts:
        if inner.reported_by:
            continue
        for outer in atts:
            if outer is inner or outer.source is None:
                continue
            is_reporting = reporting.get(id(outer))
            if is_reporting is None:
                cue = _text(doc)[outer.cue[0]:outer.cue[1]].lower()
                lemma = _token_at(doc, outer.cue[0])
                is_reporting = reporting[id(outer)] = (
                    cue.startswith("according") or
                    (lemma is not None and lemma.lemma_.lower() in REPORTING_VERBS))
            if not is_reporting:
                continue
            if any(s <= inner.cue[0] < e for s, e in outer.contents) and \
                    not any(s <= outer.cue[0] < e for s, e in inner.contents):
                speaker = outer.speaker or outer.source
                inner.reported_by = _text(doc)[speaker[0]:speaker[1]]
                break
