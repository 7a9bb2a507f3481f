"""Putting it together: every attribution of a document, and the quote records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..types import Quote
from .attribution import MIN_QUOTED_WORDS, STAGE, VERSION, Attribution
from .direct import _direct
from .headlines import _labelled_lines
from .indirect import _indirect
from .marks import _close_quotation, quote_spans
from .spans import _READING, _inside, _person_ents, _text
from .speakers import _link_reporters, _person_names, _resolve_speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc


def _drop_duplicates(atts: list[Attribution]) -> list[Attribution]:
    """One attribution per cue: a direct one wins over an indirect one on the same cue."""
    seen: dict[tuple[int, int], Attribution] = {}
    for att in atts:
        other = seen.get(att.cue)
        if other is None or (other.kind != "direct" and att.kind == "direct"):
            seen[att.cue] = att
        elif _reports_quote(att, other):
            start, end = att.contents[0]
            att.contents[0] = (min([start] + [s for s, _ in other.quoted]), end)
            att.kind = "mixed"
            att.quoted = sorted(set(att.quoted) | set(other.quoted))
            seen[att.cue] = att
    return list(seen.values())


def _reports_quote(clause: Attribution, quoted: Attribution) -> bool:
    """Whether the clause a cue governs holds the quotation attributed to the same cue
    and more words around it ("said “local forces” must lead the way"): the clause is
    the content, a mixed quotation."""
    if clause.kind == "direct" or len(clause.contents) != 1 or not quoted.quoted or \
            len(quoted.contents) != len(quoted.quoted):
        return False
    start, end = clause.contents[0]
    start = min([start] + [s for s, _ in quoted.quoted if start - 2 <= s])  # opening mark
    return all(start <= s and e <= end for s, e in quoted.quoted) and \
        all(start <= s and e <= end for s, e in quoted.contents) and \
        end - start > max(e for _, e in quoted.contents) - min(s for s, _ in quoted.contents)


def extract(doc: Doc, broad: bool = False, people: frozenset[str] = frozenset()
            ) -> list[Attribution]:
    """Every attribution of ``doc``, ordered by content position.

    ``broad`` adds positions taken without reported words ("X criticized Y", "X called
    for Z"), as PolNeAR annotates them; quotations and claims leave them out.  ``people``
    are words of person names known beyond the NER (resolved actor mentions), so that a
    pronoun finds "Calderon" even where the small model tagged him an organisation.
    """
    previous = getattr(_READING, "person_ents", None)
    _READING.person_ents = (doc, _person_ents(doc))
    try:
        return _extract(doc, broad, people)
    finally:
        _READING.person_ents = previous


def _extract(doc: Doc, broad: bool, known_people: frozenset[str]) -> list[Attribution]:
    quotes = quote_spans(_text(doc))
    indirect = _indirect(doc, quotes, broad)
    direct = _direct(doc, quotes, indirect)
    labelled = _labelled_lines(doc)
    # a quotation mark opening a transcript turn ("\"WALLACE: Let's start …") quotes the
    # whole turn: the turn's label attributes it, not the quotation's surroundings
    lines = [(_text(doc).rfind("\n", 0, a.cue[0]) + 1, a.cue[0]) for a in labelled]
    direct = [b for b in direct if not any(s <= b.contents[0][0] < e for s, e in lines)]
    labelled = [a for a in labelled
                if not any(_inside(a.cue[0], b.contents) for b in direct + indirect)]
    atts = _drop_duplicates(direct + indirect + labelled)
    text = _text(doc)
    for att in atts:
        att.contents = [_close_quotation(text, part) for part in att.contents]
    people = _person_names(doc) | known_people
    for att in atts:
        _resolve_speaker(doc, att, quotes, people)
    _link_reporters(doc, atts)
    atts.sort(key=lambda a: a.contents[0][0])
    return atts


def _comment_of(comments: Sequence[Any] | None, offset: int) -> str | None:
    for comment in comments or ():
        if comment.start <= offset < comment.end:
            return comment.id
    return None


def _mention_actor(mentions: Sequence[Any] | None, span: tuple[int, int] | None,
                   doc: Doc) -> str | None:
    """The actor of the mention holding the speaker's head word (or any overlapping one)."""
    if not mentions or span is None:
        return None
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    head = chars.root.idx if chars is not None and len(chars) else span[0]
    overlapping = [m for m in mentions if getattr(m, "actor_id", None)
                   and m.start < span[1] and m.end > span[0]]
    for m in overlapping:
        if m.start <= head < m.end:
            return m.actor_id
    return overlapping[0].actor_id if overlapping else None


def _record_parts(att: Attribution, text: str) -> list[tuple[str, tuple[int, int]]]:
    """(kind, span) of the records of one attribution: each content part, and the exact
    words quoted inside a wider content (two words or more)."""
    parts = [(att.kind if span not in att.quoted else "direct", span) for span in att.contents]
    for quote in att.quoted:
        if quote not in att.contents and \
                len(re.findall(r"\w+", text[quote[0]:quote[1]])) >= MIN_QUOTED_WORDS:
            parts.append(("direct", quote))
    return parts


def _mentioned_people(mentions: Sequence[Any] | None) -> frozenset[str]:
    """Capitalised words of the mentions the actor stage resolved to people."""
    return frozenset(w for m in mentions or () if getattr(m, "label", None) == "PERSON"
                     for w in str(m.text).split() if w[:1].isupper())


def find_quotes(doc: Doc, doc_id: str, mentions: Sequence[Any] | None = None,
                comments: Sequence[Any] | None = None) -> list[Quote]:
    """Quotations of ``doc`` as :class:`Quote` records (one per content part; a mixed
    quotation also yields records for the exact words quoted inside it)."""
    text = _text(doc)
    out: list[Quote] = []
    for att in extract(doc, people=_mentioned_people(mentions)):
        speaker = att.speaker or att.source
        for kind, (start, end) in _record_parts(att, text):
            if end <= start:
                continue
            out.append(Quote(
                id=f"{doc_id}:q{len(out)}", doc_id=doc_id, start=start, end=end,
                text=text[start:end], kind=kind,
                speaker_text=text[speaker[0]:speaker[1]] if speaker else None,
                speaker_start=speaker[0] if speaker else None,
                speaker_end=speaker[1] if speaker else None,
                speaker_actor_id=_mention_actor(mentions, speaker, doc),
                anonymous=att.anonymous, cue=text[att.cue[0]:att.cue[1]],
                cue_start=att.cue[0], cue_end=att.cue[1], reported_by=att.reported_by,
                comment_id=_comment_of(comments, start), stage=STAGE,
                stage_version=VERSION, confidence=att.confidence))
    return out
