"""Quotations and claims: who said what, found in the parse.

Three passes over a parsed document:

1. **Direct quotes** are found from the quotation marks themselves (straight or curly,
   mixed, single curly quotes outside double ones, quotes running over several paragraphs
   by the typographic convention, unbalanced marks closed at the paragraph end).  Each is
   attributed by its surroundings: a cue verb just before it ("told reporters that “…”",
   "said: “…”"), just after it ("“…,” said Capt. Jeff Davis", "“…,” according to the
   Kremlin"), a colon after a clause with a subject, or, for a quote standing alone, the
   speaker of the quote before it in the same paragraph.
2. **Indirect speech** comes from the dependency parse: a cue verb (say, tell, warn,
   claim, believe, …) with a clausal complement ("said that …", "…, officials said"), and
   "according to X" attached to a clause.
3. **Speakers** are resolved: pronouns to the nearest preceding person, relative pronouns
   to the noun they modify, readouts and statements ("the White House's readout", "the
   Kremlin statement") to their institution; unnamed people ("a U.S. official", "officials
   familiar with the talks") are marked anonymous; a quotation reported inside another
   one's content ("he told them that “…”, a Russian diplomat said") keeps its speaker and
   records who reported it.

The internal :class:`Attribution` keeps the raw source span (as annotated in PolNeAR) and
the content as several parts; :func:`find_quotes` turns attributions into
:class:`~storyline.nlp.types.Quote` records (one per content part).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .types import Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

STAGE = "quotes"
VERSION = "3"

#: verbs that report speech or writing: attributed with a quote or a clause
SPEECH_VERBS = frozenset("""
say tell add state announce claim warn argue insist note explain declare write tweet ask
reply respond answer acknowledge admit deny confirm report predict promise pledge vow
urge describe recall concede stress emphasize contend assert maintain allege complain comment
remark observe testify conclude caution threaten reveal disclose mention repeat reiterate
joke quip boast proclaim propose recommend demand counter retort dismiss accuse blame charge
lament estimate forecast cite assure advise concur specify clarify scoff muse
""".split())
#: verbs that cite words only when a quotation follows them ("called it “very good”",
#: "Caddell continued: “…”")
QUOTING_VERBS = frozenset("continue call label dub term read post point question".split())
#: verbs of belief, perception and evidence: attributed only with a clausal complement
THOUGHT_VERBS = frozenset("""
think believe feel hope fear expect know doubt worry suspect assume guess reckon understand
realize agree show find learn hear indicate suggest wonder signal hint
""".split())
#: verbs of taking a position, attributed (in broad mode) with their object: chosen from
#: the verbs most often annotated as attribution cues in PolNeAR's training split
STANCE_VERBS = frozenset("""
seek criticize endorse praise express decline refuse slam reject blast prefer denounce tout
mock condemn echo applaud assail quote highlight portray oppose defend accuse blame urge
call talk refer discuss hope thank dismiss describe cite acknowledge deny propose pledge
promise vow question support want
""".split())
#: further verbs of evaluating, urging, recalling and referring, attributed (in broad mode)
#: with their object: verbs that PolNeAR's training split annotates as cues in at least half
#: of their uses outside quotations (counted on a third of that split, never on dev), kept
#: when they name an act of communication or a stance, plus a few of the same classes
#: from general knowledge (mention, speak, point, liken, compare, respond)
STANCE_VERBS_MORE = frozenset("""
consider attack list view encourage remember advocate press decry challenge present remind
convince disavow imply congratulate chant bemoan order recite reference allude plead yell
pressure rail hail lash voice outline dispute mention speak point liken compare respond
""".split())
STANCE_VERBS = STANCE_VERBS | STANCE_VERBS_MORE
#: cues whose speaker reports the words of another ("X told them “…”, a diplomat said")
REPORTING_VERBS = frozenset("say tell report write add claim".split())
#: nouns naming a statement whose owner is the speaker ("the Kremlin's readout")
STATEMENT_NOUNS = frozenset("""
readout statement communique communiqué release transcript account summary report memo letter
declaration announcement tweet post
""".split())
#: nouns for people who speak without being named
ANONYMOUS_HEADS = frozenset("""
official officials source sources people person diplomat diplomats aide aides insider
insiders officer officers adviser advisers advisor advisors staffer staffers spokesman
spokeswoman spokesperson analyst analysts expert experts member members lawmaker lawmakers
observer observers someone individual individuals negotiator negotiators envoy envoys
representative representatives minister ministers insider resident residents witness
witnesses
""".split())
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
#: quoted words inside an indirect quotation become a record of their own from this length
MIN_QUOTED_WORDS = 2

_DOUBLE_OPEN = "“„«‟"
_DOUBLE_CLOSE = "”»"
_PARA_BREAK = re.compile(r"\n\s*")
_CONTENT_EDGE = " \t\n,;:—–-•·*"


@dataclasses.dataclass
class Attribution:
    """One attribution relation: who (source), how (cue), what (content parts)."""

    cue: tuple[int, int]
    contents: list[tuple[int, int]]
    source: tuple[int, int] | None = None
    kind: str = "indirect"
    speaker: tuple[int, int] | None = None  # resolved speaker span (antecedent, institution)
    anonymous: bool = False
    reported_by: str | None = None
    confidence: float = 0.7
    quoted: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # exact words


# --- quotation marks -----------------------------------------------------------------------


_MARKS = re.compile(r"\n\s*|''|``|[\"“”„‟«»]")


def _mark_role(text: str, i: int, width: int = 1) -> str | None:
    """open, close, toggle (either) or None for the quotation mark at ``i``."""
    mark = text[i:i + width]
    if mark in _DOUBLE_OPEN or mark == "``":
        return "open"
    if mark in _DOUBLE_CLOSE:
        return "close"
    if mark not in ('"', "''"):
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if i == 0 or before.isspace() or before in "([{—–-/:":
        return "open" if not after.isspace() else None
    if after.isspace() or after in ".,;:!?)]}—–-" or i + width == len(text):
        return "close"
    return "toggle" if mark == '"' else None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations (a fresh list; see :func:`_quote_spans`)."""
    return list(_cached_quote_spans(text))


@functools.lru_cache(maxsize=4)
def _cached_quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_quote_spans(text))


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations, quotation marks included.

    Marks are straight, curly, guillemets, or doubled apostrophes/backticks (''…'').  A
    quotation left open at a paragraph end continues when the next paragraph opens with a
    quotation mark (the typographic convention), and is otherwise closed at the paragraph
    end.  Never raises on unbalanced marks.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    skip_until = -1
    for m in _MARKS.finditer(text):
        i = m.start()
        if i < skip_until:
            continue
        if m.group().startswith("\n"):
            if open_at is None:
                continue
            nxt = m.end()
            width = 2 if text[nxt:nxt + 2] in ("''", "``") else 1
            if nxt < len(text) and _mark_role(text, nxt, width) in ("open", "toggle"):
                skip_until = nxt + width  # the quotation goes on in the next paragraph
                continue
            end = len(text[:i].rstrip())
            spans.append((open_at, end))
            open_at = None
            continue
        width = len(m.group())
        role = _mark_role(text, i, width)
        if role is None:
            continue
        if open_at is None and role in ("open", "toggle"):
            open_at = i
        elif open_at is not None and role in ("close", "toggle"):
            spans.append((open_at, i + width))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text.rstrip())))
    spans = [(s, e) for s, e in spans if e - s > 2]
    return spans + _single_quote_spans(text, spans)


_SINGLE = re.compile(r"(?<![\w’'])‘(?=\w)([^‘’\n]{2,}?[^\s‘])’(?!\w)")


def _single_quote_spans(text: str, doubles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Curly single quotations (British style, headlines) outside double quotations."""
    out = []
    for m in _SINGLE.finditer(text):
        if any(s <= m.start() < e for s, e in doubles):
            continue
        if len(m.group(1).split()) >= 2:
            out.append((m.start(), m.end()))
    return out


# --- spans of tokens -------------------------------------------------------------------------


def _char_span(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(text: str, span: tuple[int, int], keep_quotes: bool = True) -> tuple[int, int]:
    """Strip spaces, edge punctuation and a final full stop (not one closing a quotation
    or an abbreviation)."""
    start, end = span
    edge = _CONTENT_EDGE + ("" if keep_quotes else "\"“”‘’")
    while start < end and (text[start] in edge or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in edge or text[end - 1].isspace()):
        end -= 1
    if end - start > 3 and text[end - 1] == "." and text[end - 2].isalpha() \
            and not re.search(r"(?:\b[A-Z]|\.[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|Inc|Co|St))\.$",
                          text[max(start, end - 6):end]):
        end -= 1
    return start, end


def _subtree_span(token: Token, exclude: Iterable[Token] = ()) -> tuple[int, int] | None:
    """Contiguous char span of ``token``'s subtree, cut before any excluded subtree."""
    skip = {t.i for ex in exclude for t in ex.subtree}
    toks = [t for t in token.subtree if t.i not in skip]
    if not toks:
        return None
    # keep the contiguous run around the token itself
    idx = sorted(t.i for t in toks)
    lo = hi = token.i
    present = set(idx)
    while lo - 1 in present:
        lo -= 1
    while hi + 1 in present:
        hi += 1
    doc = token.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _source_span(noun: Token) -> tuple[int, int] | None:
    """The speaker's noun phrase, extended over an adjacent PERSON name the parser cut."""
    doc = noun.doc
    span = _subtree_span(noun)
    if span is None:
        return None
    text = _text(doc)
    start, end = _paragraph_clip(text, noun.idx, span)
    # a dash, quotation mark or line break before the head ends material that is not the
    # speaker's ("public ― Trump said", "\" Vann R. Newkirk II, a writer …")
    for tok in doc[max(0, noun.left_edge.i):noun.i]:
        spaced = tok.whitespace_ != "" and tok.i > 0 and doc[tok.i - 1].whitespace_ != ""
        if tok.idx >= start and ((spaced and tok.text in ("―", "—", "–", "-", "--", ":"))
                                 or tok.text in ("\"", "“", "”") or "\n" in tok.text):
            start = tok.idx + len(tok.text)
    start, end = _trim(text, (start, end), keep_quotes=False)
    if text[end:end + 1] == "." and re.search(r"\b[A-Z][a-z]{0,3}$", text[start:end]) and \
            text[end + 1:end + 2] == ",":
        end += 1  # "Mitch McConnell, R-Ky., said": the abbreviation's full stop
    for ent_start, ent_end in _person_ents(doc):
        if ent_start >= end and ent_start - end <= 2 \
                and _text(doc)[end:ent_start].strip() in ("", "."):
            end = ent_end
        elif ent_start < end < ent_end:
            end = ent_end
    if "," in text[start:end] and text[end:end + 1] == "," and noun.i < noun.head.i:
        end += 1  # "Ed Rendell, a former governor, said": the closing comma belongs to it
    return start, end


#: per thread, (doc, its PERSON entities' character spans) while :func:`extract` reads it
_READING = threading.local()


def _person_ents(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the PERSON entities of ``doc``, in order (kept for the duration
    of one :func:`extract`, whose reading does not change the entities)."""
    cached = getattr(_READING, "person_ents", None)
    if cached is not None and cached[0] is doc:
        return cached[1]
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]


# --- cues and speakers -----------------------------------------------------------------------


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
        return lemma in SPEECH_VERBS or lemma in QUOTING_VERBS
    if lemma in SPEECH_VERBS:
        return True
    return lemma in THOUGHT_VERBS and (not clause_needed or _clause_child(token) is not None)


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
    nxt = hi + 1
    if nxt < len(doc) and doc[nxt].lower_ in _WEEKDAYS and doc[nxt].head.i == verb.i:
        hi = nxt
        nxt += 1
    if nxt < len(doc) and doc[nxt].text == ":":
        hi = nxt
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a cue verb; relative pronouns become the noun they modify;
    participles, conjuncts and complements of adjectives inherit their head's subject."""
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
        return _subject(verb.head, depth + 1)
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


# --- direct quotes ---------------------------------------------------------------------------


def _sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range of the sentences overlapping the char span ``start``..``end``."""
    first = doc.char_span(start, min(start + 1, len(_text(doc))), alignment_mode="expand")
    last = doc.char_span(max(end - 1, 0), end, alignment_mode="expand")
    lo = first.sent.start if first is not None and len(first) else 0
    hi = last.sent.end if last is not None and len(last) else len(doc)
    return lo, hi


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(i: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in spans)


def _text(doc: Doc) -> str:
    """``doc.text``, built once per document (spaCy joins every token on each access)."""
    cached = doc.user_data.get("_storyline_text")
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), doc.text)
        doc.user_data["_storyline_text"] = cached
    return cached[1]


def _token_at(doc: Doc, offset: int) -> Token | None:
    """The token holding char ``offset`` (or the last one starting before it)."""
    if not len(doc):
        return None
    starts = doc.user_data.get("_storyline_token_starts")
    if starts is None or len(starts) != len(doc):
        from spacy.attrs import IDX

        starts = doc.to_array(IDX).tolist()
        doc.user_data["_storyline_token_starts"] = starts
    i = bisect.bisect_right(starts, offset) - 1
    return doc[max(i, 0)]


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
        if _is_cue(tok, direct=True):
            return tok
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
            if words <= 4 or near:
                return tok
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


#: naming verbs whose object is part of what is quoted ("called it “very good”")
NAMING_VERBS = frozenset("call label dub term describe name brand".split())
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
        lead = text[sent_start:quote[0]]
        if lead.strip() and "\n" not in lead and not _inside_any(sent_start, quote[0], quotes) \
                and not lead.rstrip().endswith((",", ":", "—", "―", "–", "-")):
            start = sent_start
    start, end = _trim(text, _paragraph_clip(text, quote[0], (start, end)))
    return (min(start, quote[0]), max(end, quote[1]))


def _inside_any(start: int, end: int, quotes: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in quotes)


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


# --- headlines and transcripts ------------------------------------------------------------

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
        contents = [(m.start("what"), end)]
        if who.isupper():
            stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            contents += _following_lines(text, m.end(), stop)
        out.append(Attribution(cue=(m.start("cue"), m.end("cue")), contents=contents,
                               source=(m.start("who"), m.end("who")), kind="direct",
                               confidence=0.6))
    return out


def _names_someone(who: str, label: Span) -> bool:
    if len(who) < 2 or who.lower() in {"note", "update", "editor's note", "editor’s note",
                                       "photo", "source", "read more", "related", "watch"}:
        return False
    if who.isupper() and len(who) >= 3:
        return True
    return any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
               for t in label)


def _following_lines(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    parts = []
    for m in re.finditer(r"[^\n]+", text[start:stop]):
        line_start, line_end = start + m.start(), start + m.end()
        if text[line_start:line_end].strip():
            parts.append(_trim(text, (line_start, line_end)))
    return parts


# --- indirect speech -------------------------------------------------------------------------


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
        elif broad and token.pos_ == "VERB" and _lemma(token) in STANCE_VERBS:
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
    return out


#: nouns naming a claim, position or plan: cues when their holder is named by a possessive
#: ("his criticism of Trump", "Clinton's plan to raise taxes") or their content is a
#: "that"-clause ("the claim that …")
POSITION_NOUNS = frozenset("""
claim criticism attack view promise decision plan endorsement support concern question
statement comment argument proposal complaint opinion hope doubt message defense praise
warning assertion belief suggestion accusation charge pledge demand insistence announcement
remark denial threat vow call assessment prediction assurance allegation contention notion
fear worry insistence condemnation rejection opposition push appeal request recommendation
""".split())
_NOUN_PREPS = frozenset({"of", "on", "about", "for", "against", "to"})


def _noun_cues(doc: Doc, quotes: Sequence[tuple[int, int]]) -> list[Attribution]:
    out = []
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in POSITION_NOUNS or \
                _inside(token.idx, quotes):
            continue
        att = _noun_attribution(token)
        if att is not None and not any(s <= att.contents[0][0] and att.contents[0][1] <= e
                                       for s, e in quotes):
            out.append(att)
    return out


def _noun_attribution(noun: Token) -> Attribution | None:
    """"his criticism of Trump", "Clinton's plan to raise taxes", "the claim that …": the
    noun (with its preposition) is the cue, the possessive the source and the complement
    the content (PolNeAR's nominal attributions)."""
    doc = noun.doc
    text = _text(doc)
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    cue_end = noun
    comp = None
    that_clause = False
    for child in sorted(noun.children, key=lambda c: c.i):
        if child.i <= noun.i:
            continue
        if child.dep_ == "prep" and child.lower_ in _NOUN_PREPS and child.i == noun.i + 1:
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                cue_end, comp = child, pobj
            break
        if child.dep_ in ("acl", "ccomp", "relcl"):
            marks = [c for c in child.children if c.dep_ == "mark"]
            if any(m.lower_ == "that" for m in marks) and child.dep_ != "relcl":
                comp, that_clause = child, True
            elif child.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" and
                                             c.i == noun.i + 1 for c in child.children):
                comp = child
            break
    if comp is None or (poss is None and not that_clause):
        return None
    if poss is not None and poss.lower_ in ("its", "their") and not that_clause:
        return None
    span = _subtree_span(comp)
    if span is None:
        return None
    if that_clause or comp.dep_ == "acl":
        first = next((c for c in comp.children if c.dep_ in ("mark", "aux") and
                      c.i > noun.i), None)
        if first is not None and first.lower_ == "to":
            span = (first.idx, span[1])
    content = _trailing_aside(doc, _trim(text, _paragraph_clip(text, noun.idx, span)))
    if content[1] - content[0] < 2 or content[0] <= noun.idx < content[1]:
        return None
    if noun.dep_ == "pobj" and noun.head.lower_ == "in":
        return None  # "said in a statement": the verb is the cue
    start = noun
    for left in sorted((c for c in noun.children if c.i < noun.i), key=lambda c: -c.i):
        if left.i == start.i - 1 and left.dep_ in ("amod", "compound") and left.pos_ != "PROPN":
            start = left
        else:
            break
    source = _source_span(poss) if poss is not None else None
    verb = noun.head
    if noun.dep_ == "dobj" and verb.pos_ == "VERB" and verb.i < noun.i:
        subject = _subject(verb)
        if subject is not None and (poss is None or poss.lower_ in PERSON_PRONOUNS | {
                "his", "her", "their"}):
            # "reiterated his claim that …", "raised concern that …": the verb joins the cue
            # and its subject is the source
            source = _source_span(subject)
            cue = (_cue_span(verb)[0], cue_end.idx + len(cue_end.text))
            return Attribution(cue=cue, contents=[content], kind="indirect", source=source,
                               confidence=0.4)
    cue = (start.idx, cue_end.idx + len(cue_end.text))
    return Attribution(cue=cue, contents=[content], kind="indirect", source=source,
                       confidence=0.4)


#: verbs whose "to"/"with" phrase names whom or what they address, not part of the cue
_ADDRESS_VERBS = SPEECH_VERBS | frozenset({"talk", "speak", "respond", "write"})
_STANCE_PREPS = frozenset({"for", "about", "to", "of", "on", "with", "against", "out"})


def _stance_attribution(verb: Token) -> Attribution | None:
    """A position taken, without a clause: "Ryan criticized Trump", "Clinton called for
    a bigger effort", "he wants to isolate him" (PolNeAR's attributions of stance)."""
    doc = verb.doc
    text = _text(doc)
    cue_end_tok = verb
    content_tok = None
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i <= verb.i:
            continue
        if child.dep_ in ("prep", "prt") and child.lower_ in _STANCE_PREPS and child.i == verb.i + 1:
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if child.lower_ in ("to", "with") and _lemma(verb) in _ADDRESS_VERBS:
                content_tok = child  # "responded to requests": the addressee is the content
                break
            cue_end_tok = child
            content_tok = pobj
            break
        if child.dep_ in ("dobj", "xcomp", "oprd"):
            content_tok = child
            break
    if content_tok is None:
        return None
    span = _subtree_span(content_tok)
    if span is None:
        return None
    span = _extend_arguments(verb, content_tok, span)
    content = _trailing_aside(doc, _trim(text, _paragraph_clip(text, verb.idx, span)))
    if content[1] - content[0] < 2:
        return None
    subject = _subject(verb)
    cue = _cue_span(verb)
    cue = (cue[0], max(cue[1], cue_end_tok.idx + len(cue_end_tok.text)))
    return Attribution(cue=cue, contents=[content], kind="indirect",
                       source=_source_span(subject) if subject is not None else None,
                       confidence=0.5)


#: nouns for surveys and studies, which "show" and "find" what they report
EVIDENCE_NOUNS = frozenset("""
poll polls survey surveys study studies report reports analysis research data result results
finding findings number numbers figure figures review audit investigation probe test
""".split())


def _evidence_finding(verb: Token) -> bool:
    """"A new poll shows Clinton ahead", "the study found a link": a finding reported with
    a noun object when the subject is a survey or study."""
    if _lemma(verb) not in ("show", "find", "suggest", "indicate", "reveal"):
        return False
    subject = _subject(verb)
    return subject is not None and subject.lemma_.lower() in EVIDENCE_NOUNS


#: verbs of expectation and appearance whose subject is raised out of what is expected or
#: what appears ("Trump is expected to win", "the objections seemed to carry little weight",
#: "it appears that …"): attributed (in broad mode) with no source
RAISING_VERBS = frozenset("expect seem appear".split())


def _raising_attribution(verb: Token) -> Attribution | None:
    """"X is (widely) expected to <VP>", "X seemed to <VP>", "it appears that <clause>":
    the subject and the infinitive (or the clause) are the content; nobody is named as
    holding the expectation or the impression, so the source stays empty."""
    doc = verb.doc
    text = _text(doc)
    lemma = _lemma(verb)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if lemma == "expect" and (not passive or any(c.dep_ == "agent" for c in verb.children)):
        return None  # "analysts expect …" is a thought verb with a subject
    if lemma != "expect" and passive:
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    comp = next((c for c in verb.children if c.i > verb.i and c.dep_ in ("xcomp", "ccomp")),
                None)
    if comp is None or subj is None:
        return None
    if comp.dep_ == "xcomp" and not any(c.lower_ == "to" and c.dep_ == "aux"
                                        for c in comp.children):
        return None
    parts = []
    if comp.dep_ == "xcomp":
        if subj.lower_ in ("it", "there") or subj.pos_ == "PRON" and \
                subj.lower_ not in RELATIVE_PRONOUNS and subj.lower_ not in PLURAL_PRONOUNS \
                and subj.lower_ not in PERSON_PRONOUNS:
            return None
        span = _subtree_span(subj)
        if span is None:
            return None
        parts.append(_trim(text, _paragraph_clip(text, verb.idx, span)))
        span = _subtree_span(comp)
        if span is None:
            return None
        span = (doc[comp.left_edge.i].idx, span[1])
        # the infinitive begins at its "to"
        to = next(c for c in comp.children if c.lower_ == "to" and c.dep_ == "aux")
        span = (to.idx, span[1])
    else:
        if subj.lower_ != "it":
            return None
        span = _subtree_span(comp)
        if span is None:
            return None
    content = _trailing_aside(doc, _trim(text, _paragraph_clip(text, verb.idx, span)))
    if content[1] - content[0] < 3 or content[0] <= verb.idx < content[1]:
        return None
    parts.append(content)
    parts = [p for p in parts if p[1] > p[0]]
    return Attribution(cue=_cue_span(verb), contents=parts, kind="indirect", source=None,
                       confidence=0.4)


#: dependents of a verb that belong to what a position is about ("criticized Trump *for not
#: paying taxes*", "urged them *to reconsider*", "described it *as a crazy system*")
_ARGUMENT_DEPS = frozenset({"dobj", "dative", "prep", "xcomp", "oprd", "ccomp", "attr", "acomp",
                            "pcomp"})


_ARGUMENT_PREPS = frozenset({"for", "as", "of", "to", "about", "against", "with", "into", "on",
                             "from", "over"})


def _trailing_aside(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without a closing aside outside quotation marks: a non-restrictive relative
    clause or apposition after a comma ("the BBC, which receives some government funding",
    "Mr. Trump, the presumed Putin favorite"), as PolNeAR leaves them out of the content."""
    text = _text(doc)
    last = _token_at(doc, max(span[0], span[1] - 1))
    if last is None:
        return span
    for tok in doc[max(0, last.i - 60):last.i + 1]:
        if tok.idx <= span[0] or tok.dep_ not in ("relcl", "appos"):
            continue
        left = tok.left_edge
        if left.i == 0 or doc[left.i - 1].text != "," or tok.right_edge.i < last.i:
            continue
        if doc[left.i - 1].idx <= span[0] or text.count("“", span[0], span[1]) or \
                text.count('"', span[0], span[1]):
            continue
        return span[0], len(text[:doc[left.i - 1].idx].rstrip())
    return span


def _extend_arguments(verb: Token, first: Token, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` (the first argument of ``verb``) run on over the verb's further arguments
    to its right, up to the first comma or dash (adverbial clauses after a comma are not
    part of the position: "pledged to sign up 5 million people, focusing on …")."""
    doc = verb.doc
    end_i = max(t.i for t in first.subtree)
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i <= first.i or child.dep_ not in _ARGUMENT_DEPS:
            continue
        if child.dep_ == "prep" and (child.lower_ not in _ARGUMENT_PREPS or any(
                t.ent_type_ in ("DATE", "TIME") for t in child.subtree)):
            break  # "in early-morning tweets", "since the debate", "on Thursday": circumstances
        left = child.left_edge.i
        gap = doc[end_i + 1:left]
        if left <= end_i or any(not (t.is_space or t.pos_ in ("ADV", "PART")) for t in gap):
            break
        end_i = child.right_edge.i
    last = doc[end_i]
    return span[0], max(span[1], last.idx + len(last.text))


def _paragraph_clip(text: str, anchor: int, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` cut to the paragraph holding offset ``anchor``."""
    start, end = span
    para_start = text.rfind("\n", 0, anchor) + 1
    para_end = text.find("\n", anchor)
    para_end = len(text) if para_end < 0 else para_end
    return max(start, para_start), min(end, para_end)


def _clause_attribution(verb: Token) -> Attribution | None:
    text = _text(verb.doc)
    clause = _clause_child(verb)
    span = _subtree_span(clause, exclude=[c for c in clause.children if c.i == verb.i]) \
        if clause is not None else _that_clause(verb)
    if span is None:
        return _parenthetical_cue(verb)
    if clause is not None and clause.i < verb.i and verb.dep_ == "ROOT":
        # "<A, but B>, sources said": everything before the cue in its sentence is reported
        # (the parser often hangs only the last conjunct on the verb)
        span = (min(span[0], verb.sent[0].idx), span[1])
    content = _trailing_aside(verb.doc, _trim(text, _paragraph_clip(text, verb.idx, span)))
    if content[1] - content[0] < 3 or content[0] <= verb.idx < content[1]:
        return None
    subject = _subject(verb)
    if subject is not None and content[0] <= subject.idx < content[1]:
        subject = None
    return Attribution(cue=_cue_span(verb), contents=[content], kind="indirect",
                       source=_source_span(subject) if subject is not None else None,
                       confidence=0.7 if subject is not None else 0.4)


def _parenthetical_cue(verb: Token) -> Attribution | None:
    """"The museum, Mr. Obama said, would …" / "…, Mr. Morgan said.": the rest of the
    sentence, around the comma-enclosed cue, is the content."""
    doc = verb.doc
    subject = _subject(verb)
    if subject is None or verb.lemma_.lower() not in SPEECH_VERBS:
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


# --- speakers --------------------------------------------------------------------------------


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
    """The nearest person named before ``before``, outside quotations: a PERSON entity,
    or a proper noun the NER tagged as a person elsewhere in the document."""
    token = _token_at(doc, max(before - 1, 0))
    if token is None:
        return None
    for i in range(token.i, max(-1, token.i - 400), -1):
        tok = doc[i]
        if _inside(tok.idx, quotes) or tok.idx >= before:
            continue
        if tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.text in people):
            end = tok.idx + len(tok.text)
            j = i
            while j > 0 and (doc[j - 1].ent_type_ == "PERSON" or
                             (doc[j - 1].pos_ == "PROPN" and doc[j - 1].text in people)):
                j -= 1
            return doc[j].idx, end
    return None


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


# --- reported speech -------------------------------------------------------------------------


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


# --- putting it together ---------------------------------------------------------------------


def _drop_duplicates(atts: list[Attribution]) -> list[Attribution]:
    """One attribution per cue: a direct one wins over an indirect one on the same cue."""
    seen: dict[tuple[int, int], Attribution] = {}
    for att in atts:
        other = seen.get(att.cue)
        if other is None or (other.kind != "direct" and att.kind == "direct"):
            seen[att.cue] = att
    return list(seen.values())


def extract(doc: Doc, broad: bool = False) -> list[Attribution]:
    """Every attribution of ``doc``, ordered by content position.

    ``broad`` adds positions taken without reported words ("X criticized Y", "X called
    for Z"), as PolNeAR annotates them; quotations and claims leave them out.
    """
    previous = getattr(_READING, "person_ents", None)
    _READING.person_ents = (doc, _person_ents(doc))
    try:
        return _extract(doc, broad)
    finally:
        _READING.person_ents = previous


def _extract(doc: Doc, broad: bool) -> list[Attribution]:
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
    people = _person_names(doc)
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


def find_quotes(doc: Doc, doc_id: str, mentions: Sequence[Any] | None = None,
                comments: Sequence[Any] | None = None) -> list[Quote]:
    """Quotations of ``doc`` as :class:`Quote` records (one per content part; a mixed
    quotation also yields records for the exact words quoted inside it)."""
    text = _text(doc)
    out: list[Quote] = []
    for att in extract(doc):
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
