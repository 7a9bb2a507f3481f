"""Indirect speech: a cue verb with a clause, a parenthetical or closing cue,
"according to", and a survey framing a clause."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .attribution import Attribution
from .cues import (
    _according_to,
    _clause_child,
    _cue_span,
    _is_cue,
    _lemma,
    _phrasal_cue,
    _subject,
    _that_clause,
)
from .lexicon import EVIDENCE_NOUNS, RAISING_VERBS, SPEECH_VERBS, STANCE_VERBS
from .nouns import _noun_cues
from .spans import (
    _char_span,
    _inside,
    _paragraph_clip,
    _source_span,
    _subtree_span,
    _text,
    _trailing_aside,
    _trim,
)
from .stance import _evidence_finding, _raising_attribution, _stance_attribution

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def _verbs_and_according(doc: Doc) -> list[int]:
    """Indices of the tokens :func:`_indirect` may act on: verbs and auxiliaries (every cue
    is one) and "according", found over the token attribute array, not token by token."""
    import numpy
    from spacy.attrs import LOWER, POS
    from spacy.strings import get_string_id
    from spacy.symbols import AUX, VERB

    if not len(doc):
        return []
    arr = doc.to_array([POS, LOWER])
    pos, lower = arr[:, 0], arr[:, 1]
    mask = (pos == VERB) | (pos == AUX) | (lower == get_string_id("according"))
    return numpy.flatnonzero(mask).tolist()


def _indirect(doc: Doc, quotes: list[tuple[int, int]], broad: bool = False) -> list[Attribution]:
    out: list[Attribution] = []
    for i in _verbs_and_according(doc):
        token = doc[i]
        if _inside(token.idx, quotes):
            continue  # speech reported inside a quotation is part of that quotation
        if token.lower_ == "according":
            att = _according_attribution(token)
        elif _is_cue(token):
            att = _clause_attribution(token)
            if att is None and broad and (_lemma(token) in STANCE_VERBS or
                                          _lemma(token) in SPEECH_VERBS or
                                          _evidence_finding(token)):
                att = _stance_attribution(token)
            if att is None and broad and _lemma(token) in RAISING_VERBS:
                att = _raising_attribution(token)
        elif broad and token.pos_ == "VERB" and (_lemma(token) in STANCE_VERBS or
                                                 _seeing_as(token)):
            att = _stance_attribution(token)
        elif broad and token.pos_ == "VERB" and _lemma(token) in RAISING_VERBS:
            att = _raising_attribution(token)
        else:
            continue
        if att is None:
            continue
        content = att.contents[0]
        if any(s <= content[0] and content[1] <= e for s, e in quotes):
            continue  # the whole clause is a direct quote: attributed as one
        inside = [(s, e) for s, e in quotes if s < content[1] and content[0] < e]
        if inside:
            att.kind = "mixed"
            att.quoted = inside
        out.append(att)
    if broad:
        out.extend(_noun_cues(doc, quotes))
        out.extend(_survey_frames(doc, quotes))
    return out


def _survey_frames(doc: Doc, quotes: Sequence[tuple[int, int]]) -> list[Attribution]:
    """"In the latest CBS poll, Trump's lead narrowed" / "… rose to 45 percent in a new
    Fox News poll": a survey or study framing a clause reports it ("in" is the cue, the
    survey the source, the rest of the sentence the content), unless the clause has a cue
    verb of its own ("In a report, the agency said …")."""
    out = []
    text = _text(doc)
    for sent in doc.sents:
        for tok in sent:
            if tok.lower_ != "in" or tok.dep_ != "prep" or _inside(tok.idx, quotes):
                continue
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.lemma_.lower() not in EVIDENCE_NOUNS:
                continue
            verb = tok.head
            if verb.pos_ not in ("VERB", "AUX") or _is_cue(verb) or \
                    _lemma(verb) in STANCE_VERBS or verb.dep_ not in ("ROOT",):
                continue
            end = tok.right_edge.i
            rest = [t for t in doc[end + 1:sent.end] if not (t.is_punct or t.is_space)]
            if tok.i == sent.start and end + 1 < sent.end and doc[end + 1].text == ",":
                last = rest[-1] if rest else sent[-1]
                span = (doc[end + 1].idx + 1, last.idx + len(last.text))
            elif not rest and tok.i > sent.start:
                span = (sent[0].idx, doc[tok.i - 1].idx + len(doc[tok.i - 1].text))
            else:
                continue
            content = _trim(text, _paragraph_clip(text, tok.idx, span))
            if content[1] - content[0] < 3:
                continue
            right = tok.right_edge
            source = _trim(text, (doc[tok.i + 1].idx, right.idx + len(right.text)),
                           keep_quotes=False)
            out.append(Attribution(cue=(tok.idx, tok.idx + len(tok.text)), contents=[content],
                                   source=source, kind="indirect", confidence=0.4))
            break
    return out


def _seeing_as(verb: Token) -> bool:
    """"Experts see the vote as a test", "she regards him as a friend": a view held."""
    return _lemma(verb) in ("see", "regard") and any(
        c.dep_ == "dobj" for c in verb.children) and any(
        c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i for c in verb.children)


def _clause_attribution(verb: Token) -> Attribution | None:
    text = _text(verb.doc)
    clause = _clause_child(verb)
    span = _subtree_span(clause, exclude=[c for c in clause.children if c.i == verb.i]) \
        if clause is not None else _that_clause(verb)
    if span is None:
        return _parenthetical_cue(verb)
    if clause is not None and clause.i < verb.i and verb.dep_ in ("ROOT", "conj"):
        # "<A, but B>, sources said": everything before the cue in its sentence is reported
        # (the parser often hangs only the last conjunct on the verb, or the verb on <A>)
        span = (min(span[0], verb.sent[0].idx), span[1])
    phrasal = _phrasal_cue(verb)
    if phrasal is not None and span[0] <= phrasal.idx:
        # "made it clear to them that …": the words from the "that"
        rest = verb.doc[phrasal.i + 1:verb.sent.end]
        mark = next((t for t in rest if t.lower_ == "that"), rest[0] if len(rest) else None)
        if mark is None:
            return None
        span = (max(span[0], mark.idx), span[1])
    content = _trailing_aside(verb.doc, _trim(text, _paragraph_clip(text, verb.idx, span)))
    if content[1] - content[0] < 3 or content[0] <= verb.idx < content[1]:
        return None
    subject = _subject(verb)
    if subject is not None and content[0] <= subject.idx < content[1]:
        subject = None
    return Attribution(cue=_cue_span(verb), contents=[content], kind="indirect",
                       source=_source_span(subject) if subject is not None else None,
                       confidence=0.7 if subject is not None else 0.4)


#: verbs that close a sentence of reported speech ("…, she said.", "…, he argued.")
_CLOSING_CUES = frozenset("""
say add tell write note explain argue insist warn claim report recall acknowledge admit
concede estimate predict declare state announce
""".split())
_NAME_POS = frozenset({"PROPN", "NOUN", "PRON", "DET", "ADJ", "PART", "NUM"})


def _closing_cue(verb: Token) -> Attribution | None:
    """"<sentence>, she said." read from the tokens when the parse hangs the cue inside
    the sentence: a short noun phrase between a comma and the verb, nothing but
    punctuation after it; the sentence before the comma is the content."""
    doc = verb.doc
    sent = verb.sent
    if _lemma(verb) not in _CLOSING_CUES or \
            any(not (t.is_punct or t.is_space) for t in doc[verb.i + 1:sent.end]):
        return None
    k = verb.i - 1
    while k > sent.start and doc[k].text != "," and verb.i - k <= 7:
        if doc[k].pos_ not in _NAME_POS and doc[k].dep_ not in ("aux", "advmod"):
            return None
        k -= 1
    if doc[k].text != "," or k >= verb.i - 1 or k <= sent.start:
        return None
    names = [t for t in doc[k + 1:verb.i] if t.pos_ in _NAME_POS]
    if not names or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in names):
        return None
    text = _text(doc)
    content = _trim(text, _paragraph_clip(text, verb.idx, (sent[0].idx, doc[k].idx)))
    if content[1] - content[0] < 3:
        return None
    source = (names[0].idx, names[-1].idx + len(names[-1].text))
    return Attribution(cue=_cue_span(verb), contents=[content], kind="indirect",
                       source=source, confidence=0.5)


def _parenthetical_cue(verb: Token) -> Attribution | None:
    """"The museum, Mr. Obama said, would …" / "…, Mr. Morgan said.": the rest of the
    sentence, around the comma-enclosed cue, is the content."""
    if verb.lemma_.lower() not in SPEECH_VERBS:
        return None
    return _comma_cue(verb) or _closing_cue(verb)


def _comma_cue(verb: Token) -> Attribution | None:
    doc = verb.doc
    subject = _subject(verb)
    if subject is None:
        return None
    inner = sorted({verb.i} | {t.i for t in subject.subtree} |
                   {c.i for c in verb.children if c.dep_ in ("aux", "neg", "advmod", "npadvmod")
                    for c in c.subtree})
    lo, hi = inner[0], inner[-1]
    sent = verb.sent
    before_comma = lo - 1 >= sent.start and doc[lo - 1].text in (",", "—", "–")
    after_comma = hi + 1 < sent.end and doc[hi + 1].text in (",", "—", "–")
    sentence_end = hi + 1 >= sent.end or (doc[hi + 1].is_punct and hi + 2 >= sent.end)
    if not before_comma or not (after_comma or sentence_end):
        return None
    text = _text(doc)
    parts = [_trim(text, _paragraph_clip(text, verb.idx, (sent[0].idx, doc[lo - 1].idx)))]
    if after_comma and not sentence_end:
        last = sent[-1]
        parts.append(_trim(text, _paragraph_clip(text, verb.idx,
                                                 (doc[hi + 1].idx + 1, last.idx + len(last.text)))))
    parts = [p for p in parts if p[1] - p[0] >= 3]
    if not parts:
        return None
    return Attribution(cue=_cue_span(verb), contents=parts, kind="indirect",
                       source=_source_span(subject), confidence=0.6)


def _according_attribution(token: Token) -> Attribution | None:
    """"According to X, <clause>" / "<clause>, according to X": the clause on the other
    side of the phrase, within the sentence and paragraph."""
    source = _according_to(token)
    if source is None:
        return None
    doc = token.doc
    phrase = sorted({t.i for t in token.subtree} | {t.i for t in source.subtree} |
                    {token.i, token.i + 1})
    sent = token.sent
    before = [t for t in sent if t.i < phrase[0]]
    after = [t for t in sent if t.i > phrase[-1]]
    words_before = [t for t in before if not (t.is_punct or t.is_space)]
    words_after = [t for t in after if not (t.is_punct or t.is_space)]
    side = after if len(words_after) > len(words_before) else before
    span = _char_span(side)
    if span is None:
        return None
    content = _trim(_text(doc), _paragraph_clip(_text(doc), token.idx, span))
    if content[1] - content[0] < 3:
        return None
    return Attribution(cue=(token.idx, token.idx + len("according to")), contents=[content],
                       source=_source_span(source), kind="indirect", confidence=0.75)
