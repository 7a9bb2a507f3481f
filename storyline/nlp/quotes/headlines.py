"""Labelled lines: "Pat Caddell: Voters Worried …" (a headline) and "PENCE: Well, …"
(a transcript turn)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .attribution import Attribution
from .lexicon import ANONYMOUS_HEADS, EVIDENCE_NOUNS, STATEMENT_NOUNS
from .spans import _text, _trim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


_LABEL_LINE = re.compile(r"(?m)^[ \t]*(?P<mark>[\"“])?"
                         r"(?P<who>[A-Z][\w.'’&-]*(?:[ \t][\w.'’&-]+){0,3})"
                         r"[ \t]*(?P<cue>:)[ \t]+(?P<what>\S[^\n]*)$")


def _labelled_lines(doc: Doc) -> list[Attribution]:
    """"Pat Caddell: Voters Worried …" (a headline) and "PENCE: Well, look, …" (a
    transcript; the turn runs on over the following lines until the next label)."""
    text = _text(doc)
    out: list[Attribution] = []
    matches = list(_LABEL_LINE.finditer(text))
    for k, m in enumerate(matches):
        who = m.group("who")
        label = doc.char_span(m.start("who"), m.end("who"), alignment_mode="expand")
        if label is None or not _names_someone(who, label):
            continue
        end = len(text[:m.end("what")].rstrip())
        if m.group("mark") and text[end - 1:end] in ('"', "”"):
            end -= 1  # the turn's closing quotation mark
        contents = [_trim(text, (m.start("what"), end))]
        if who.isupper():
            stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            contents += _following_lines(text, m.end(), stop)
        out.append(Attribution(cue=(m.start("cue"), m.end("cue")), contents=contents,
                               source=(m.start("who"), m.end("who")), kind="direct",
                               confidence=0.6))
    return out


def _speaking_noun(lemma: str) -> bool:
    """Common nouns that label a headline's claim by who makes it."""
    if lemma in ("post", "test", "number", "figure"):
        return False
    return lemma in ANONYMOUS_HEADS or lemma in STATEMENT_NOUNS or lemma in EVIDENCE_NOUNS \
        or lemma in ("newspaper", "paper", "insider")


def _names_someone(who: str, label: Span) -> bool:
    if len(who) < 2 or who.lower() in {"note", "update", "editor's note", "editor’s note",
                                       "photo", "source", "read more", "related", "watch",
                                       "correction", "clarification", "corrections"}:
        return False
    if who.isupper() and len(who) >= 3:
        return True
    if len(label) == 1 and _speaking_noun(label[0].lemma_.lower()):
        return True  # "Report: Walker to speak …", "Insiders: Trump will rebound …"
    return any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
               for t in label)


def _following_lines(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    parts = []
    for m in re.finditer(r"[^\n]+", text[start:stop]):
        line_start, line_end = start + m.start(), start + m.end()
        if text[line_start:line_end].strip():
            parts.append(_trim(text, (line_start, line_end)))
    return parts
