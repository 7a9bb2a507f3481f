"""Direct quotations: attributed by the cue before or after them, a colon, a
signature, or the quotation before them in the paragraph."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .attribution import Attribution
from .cues import _according_to, _cue_span, _is_cue, _subject
from .lexicon import NAMING_VERBS, REPORTING_VERBS
from .spans import _inside, _inside_any, _paragraph_clip, _source_span, _text, _token_at, _trim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def _cue_before(doc: Doc, quote: tuple[int, int], quotes: Sequence[tuple[int, int]]) -> Token | None:
    """A speech verb shortly before the quote, in its sentence, or ending the paragraph
    before it with a colon ("Caddell continued:")."""
    first = _token_at(doc, quote[0])
    if first is None or first.i == 0:
        return None
    lo = first.sent.start
    prev = doc[first.i - 1]
    while prev.is_space and prev.i > 0:
        prev = doc[prev.i - 1]
    if lo >= first.i:
        if not prev.text.endswith(":"):
            return None
        lo = prev.sent.start
    words = 0
    for i in range(first.i - 1, lo - 1, -1):
        tok = doc[i]
        if _inside(tok.idx, quotes) or ("\n" in tok.text and prev.text != ":"):
            break
        if tok.is_space or tok.is_punct:
            continue
        words += 1
        if words > 8:
            break
        if _is_cue(tok, direct=True) or (tok.lower_ == "according" and i + 1 < first.i and
                                         doc[i + 1].lower_ == "to"):
            return tok  # "Mr. Kahn added: “…”", "According to the report, “…”"
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod", "aux", "auxpass"):
            break  # another verb in between: the quote belongs to it, not to a cue
    return None


def _cue_after(doc: Doc, quote: tuple[int, int], quotes: Sequence[tuple[int, int]]) -> Token | None:
    """A cue (speech verb or "according to") shortly after the quote: "“…,” said X".

    A quotation closed by a full stop ends its sentence, so nothing after it is its cue.
    """
    inner = _text(doc)[quote[0]:quote[1]].rstrip("\"”’»' `")
    if inner.endswith(".") and not inner.endswith(".."):
        return None
    last = _token_at(doc, quote[1] - 1)
    if last is None:
        return None
    words = 0
    naming = True  # only a name and its titles so far ("…,” CBS co-anchor Jo Day said)
    for i in range(last.i + 1, min(len(doc), last.i + 30)):
        tok = doc[i]
        if _inside(tok.idx, quotes) or "\n" in tok.text:
            break
        if tok.is_punct and tok.text in ".;?!":
            break
        if tok.is_space or tok.is_punct:
            continue
        words += 1
        if tok.lower_ == "according" and words == 1:
            return tok
        if _is_cue(tok, direct=True):
            subject = _subject(tok)
            near = subject is not None and subject.left_edge.i <= last.i + 3
            if words <= 4 or near or (naming and words <= 10):
                return tok
        naming = naming and tok.pos_ in ("PROPN", "NOUN", "DET", "ADJ", "NUM", "PART")
        if words > 25:
            break
    return None


def _colon_subject(doc: Doc, quote: tuple[int, int]) -> tuple[Token, Token] | None:
    """(subject, colon) of a clause ending in a colon right before the quote."""
    first = _token_at(doc, quote[0])
    if first is None or first.i == 0:
        return None
    i = first.i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or not doc[i].text.endswith(":"):
        return None
    colon = doc[i]
    root = colon.head if colon.head.i != colon.i else colon.sent.root
    while root.pos_ not in ("VERB", "AUX") and root.head.i != root.i:
        root = root.head
    subject = _subject(root) if root.pos_ in ("VERB", "AUX") else None
    if subject is None or subject.i > colon.i:
        return None
    return subject, colon


_SIGNATURE = re.compile(r"[ \t\u00a0]*([―—–]|--?)[ \t\u00a0]*([A-Z][^\n]{1,60}?)[\s.,\u00a0]*(?:\n|$)")


def _signature(doc: Doc, quote: tuple[int, int]) -> Attribution | None:
    """A quotation signed on its own line: "“…” ― Sonya Herridge"."""
    text = _text(doc)
    m = _SIGNATURE.match(text, quote[1])
    if m is None or len(m.group(2).split()) > 6:
        return None
    return Attribution(cue=(m.start(1), m.end(1)), contents=[quote], kind="direct",
                       source=(m.start(2), m.end(2)), confidence=0.7)


def _direct(doc: Doc, quotes: list[tuple[int, int]],
            indirect: list[Attribution]) -> list[Attribution]:
    """Attribute every direct quotation; a quotation without a cue of its own continues
    the previous one of its paragraph, unless it sits inside an indirect content."""
    out: list[Attribution] = []
    previous: Attribution | None = None
    for quote in quotes:
        att = _attribute_quote(doc, quote, quotes)
        if att is None:
            host = next((a for a in indirect for s, e in a.contents
                         if s < quote[1] and quote[0] < e), None)
            if host is not None:  # quoted words of an indirect quotation: a mixed one
                s, e = host.contents[0]
                host.contents[0] = (min(s, quote[0]), max(e, quote[1]))
                host.kind = "mixed"
                host.quoted.append(quote)
                continue
            if previous is not None and _same_paragraph(_text(doc), previous, quote):
                previous.contents.append(quote)
                previous.quoted.append(quote)
            continue
        if previous is not None and att.cue == previous.cue:
            previous.contents.append(att.contents[0])  # “A,” he said, “B.”
            previous.quoted.extend(att.quoted)
            if att.contents[0] != quote:
                previous.kind = "mixed"
            continue
        out.append(att)
        previous = att
    return out


_MARKERS = frozenset({"that", "whether", "if", "how", "why", "what"})


def _widen(doc: Doc, cue: Token, quote: tuple[int, int], quotes: Sequence[tuple[int, int]],
           cue_is_before: bool) -> tuple[int, int]:
    """The content of a cited quotation: the clause it belongs to ("said that the U.S.
    has “nothing to announce”", "saw the Democrats as “the party of …”"), or the
    quotation alone when it stands by itself."""
    text = _text(doc)
    first = _token_at(doc, quote[0])
    last = _token_at(doc, quote[1] - 1)
    if first is None or last is None:
        return quote
    start, end = quote
    if cue_is_before and cue.lower_ != "according":
        between = [t for t in doc[cue.i + 1:first.i]]
        marker = next((t for t in between if t.lower_ in _MARKERS), None)
        clause = next((c for c in cue.children if c.dep_ == "ccomp" and
                       c.left_edge.i > cue.i and c.left_edge.i <= first.i <= c.right_edge.i),
                      None)
        obj = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < first.i
                    and cue.lemma_.lower() in NAMING_VERBS), None)
        if marker is not None:
            start = marker.idx
        elif clause is not None:
            start = clause.left_edge.idx
        elif obj is not None:
            start = obj.left_edge.idx
        if clause is not None and clause.right_edge.i > last.i:
            right = clause.right_edge
            end = max(end, right.idx + len(right.text))
    elif not cue_is_before:
        sent_start = first.sent[0].idx
        # the parser often runs the sentence before a quotation into it ("… in stride.
        # ''I felt …,'' she said"): the lead starts after the last sentence end
        for m in _SENTENCE_END.finditer(text, sent_start, quote[0]):
            sent_start = m.end()
        lead = text[sent_start:quote[0]]
        if lead.strip() and "\n" not in lead and not _inside_any(sent_start, quote[0], quotes) \
                and not lead.rstrip().endswith((",", ":", "—", "―", "–", "-")):
            start = sent_start
    start, end = _trim(text, _paragraph_clip(text, quote[0], (start, end)))
    return (min(start, quote[0]), max(end, quote[1]))


_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|Jr|Sr|St))(?<!\bMrs)[.?!][\"'”’)]*\s+")


def _same_paragraph(text: str, att: Attribution, quote: tuple[int, int]) -> bool:
    """Whether a quotation without a cue continues ``att``: it follows in the same
    paragraph, or opens the next paragraph after one that ended with ``att``'s quote."""
    last = max(e for _, e in att.contents + [att.cue])
    if last > quote[0]:
        return False
    gap = text[last:quote[0]]
    if "\n" not in gap:
        return True
    if not att.quoted or gap.count("\n") > 2:
        return False
    before_break, _, after_break = gap.rpartition("\n")
    opens_paragraph = after_break.strip() == ""
    previous_paragraph_rest = before_break.replace("\n", " ")
    return opens_paragraph and len(previous_paragraph_rest.split()) <= 12


def _attribute_quote(doc: Doc, quote: tuple[int, int],
                     quotes: list[tuple[int, int]]) -> Attribution | None:
    before = _cue_before(doc, quote, quotes)
    after = _cue_after(doc, quote, quotes)
    cue = before or after
    if cue is None:
        signed = _signature(doc, quote)
        if signed is not None:
            return signed
        found = _colon_subject(doc, quote)
        if found is None:
            return None
        subject, colon = found
        return Attribution(cue=(colon.idx, colon.idx + len(colon.text)), contents=[quote],
                           source=_source_span(subject), kind="direct", confidence=0.6)
    if cue.lower_ == "according":
        source_tok = _according_to(cue)
        cue_span = (cue.idx, cue.idx + len("according to"))
    else:
        source_tok = _subject(cue)
        cue_span = _cue_span(cue)
    if source_tok is not None and quote[0] <= source_tok.idx < quote[1]:
        source_tok = None
    if cue.lemma_.lower() == "ask" and cue.tag_ == "VBN" and \
            not any(c.dep_ in ("aux", "auxpass") for c in cue.children):
        source_tok = None  # "Asked about it, he said …": the asker is not named
    content = _widen(doc, cue, quote, quotes, cue_is_before=cue is before)
    att = Attribution(cue=cue_span, contents=[content], quoted=[quote],
                      kind="direct" if content == quote else "mixed",
                      source=_source_span(source_tok) if source_tok is not None else None,
                      confidence=0.85 if source_tok is not None else 0.5)
    if before is not None and after is not None and after.lemma_.lower() in REPORTING_VERBS:
        reporter = _subject(after)
        if reporter is not None and (source_tok is None or reporter.i != source_tok.i):
            span = _source_span(reporter)
            att.reported_by = _text(doc)[span[0]:span[1]] if span else None
    return att
