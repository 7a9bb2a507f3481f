"""From candidates to coded events: type and mode, modality, date, place, origin,
confidence, PLOVER scores.

The type of a candidate combines the lexicon (its options, narrowed by object rules) and
the embedding classifier: ``score = LEXICON_WEIGHT * lexicon + (1 - LEXICON_WEIGHT) *
classifier``.  Events read from opinion prose (questions, first-person views, hedged or
hypothetical statements in essays and comment threads) are dropped: only the reported
facts of such texts become events, flagged by ``origin``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Span

from ..nlp.pipeline import span_text
from . import lexicon, ontology
from .classify import Model, event_phrase
from .extract import Candidate, clause_verb, governing_verb, has_participants, is_frame
from .modality import Reading, read
from .participants import Participant
from .timeplace import when, where
from .types import Event

LEXICON_WEIGHT = 0.6
#: how much a classifier must prefer a type outside the lexicon options to override them
OVERRIDE_MARGIN = 0.5
OPINION_KINDS = {"essay", "analysis", "opinion", "editorial", "column", "blog"}
COMMENT_KINDS = {"comment_thread", "comments", "forum"}
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|me|my|we|we're|our|us|you|your)\b")
HEDGES = re.compile(r"\b(seems?|seemed|appears?|perhaps|maybe|probably|presumably|arguably|"
                    r"possibly|supposedly|i think|i believe|in my view|should|ought)\b", re.I)
QUOTE = re.compile(r"[\"“”][^\"“”]*[\"“”]")
CITATION = re.compile(r"\([A-Z][^()]{1,60},\s*\d{2}\.\d{2}\.\d{2}")
THREAT_MODES = {"ASSAULT": "violence", "MOBILIZE": "violence", "SANCTION": "relations",
                "PROTEST": "restrict", "RETREAT": "relations", "REJECT": "relations"}


@dataclasses.dataclass
class DocInfo:
    """What coding needs to know about the document."""

    doc_id: str
    kind: str = "other"
    published: str | None = None
    published_precision: str | None = None
    published_from: str = "document"  # "story": an undated document dated by its story
    timexes: Sequence[Any] = ()
    places: Sequence[Any] = ()
    comments: Sequence[Any] = ()
    stage_version: str = "1"


def lexicon_scores(cand: Candidate) -> dict[str, float]:
    types = cand.types
    return {t: 1.0 / len(types) for t in types} if types else {}


def decide(cand: Candidate, probs: dict[str, float] | None) -> tuple[str, float]:
    """The candidate's type and how sure the decision is (0-1)."""
    lex = lexicon_scores(cand)
    if {"ASSAULT", "PROTEST"} <= set(lex) and any(
            c.dep_ == "dobj" for c in cand.head.children):
        lex = {"ASSAULT": 1.0}  # "struck the militias": a strike with a victim is an attack
    if not probs:
        best = next(iter(lex))
        return best, 0.55 + 0.3 * lex[best]
    scores = {t: LEXICON_WEIGHT * lex.get(t, 0.0) + (1 - LEXICON_WEIGHT) * p
              for t, p in probs.items()}
    best = max(scores, key=scores.get)
    top_prob = max(probs, key=probs.get)
    frame = is_frame(cand)
    if not frame and top_prob not in lex and probs[top_prob] - max(probs.get(t, 0) for t in lex) \
            > OVERRIDE_MARGIN:
        best = top_prob
    return best, min(0.95, 0.35 + 0.6 * scores[best] + 0.1 * (best in lex))


def choose_mode(cand: Candidate, event_type: str, sentence: str) -> str | None:
    mode = next((m for t, m in cand.options if t == event_type and m), None)
    if event_type == "THREATEN" and cand.absorbed:
        inner = cand.absorbed[0].types[0] if cand.absorbed[0].types else None
        mode = mode or THREAT_MODES.get(inner or "")
    keyword = lexicon.mode_from_text(event_type, " ".join(t.text for t in cand.trigger) + " "
                                     + sentence)
    if event_type in ("ASSAULT", "CONSULT", "MOBILIZE", "AID", "COERCE", "PROTEST") and keyword:
        if not mode or (event_type == "CONSULT" and keyword == "phone"):
            mode = keyword
    return ontology.valid_mode(event_type, mode or keyword)


def without_quotes(sentence: str) -> str:
    """The sentence without quoted words, also when a quotation runs past the sentence."""
    bare = QUOTE.sub(" ", sentence)
    marks = [m.start() for m in re.finditer(r"[\"“”]", bare)]
    if marks:
        first = marks[0]
        bare = bare[:first] if bare[first] != "”" else bare[first + 1:]
    return bare


def is_opinion(sentence: str) -> bool:
    """A sentence of opinion prose: a question, a first-person view, a hedge."""
    bare = without_quotes(sentence)
    return bare.rstrip().endswith("?") or bool(FIRST_PERSON.search(bare)) or \
        bool(HEDGES.search(bare))


def hedged(cand: Candidate) -> bool:
    """Whether the event's own clause chain is hedged ("seems to", "perhaps", "should"),
    or the sentence is a question or a first-person view."""
    bare = without_quotes(span_text(cand.sent))
    if bare.rstrip().endswith("?") or FIRST_PERSON.search(bare):
        return True
    chain = {cand.head.i} | {t.i for t in cand.head.ancestors}
    for token in cand.sent:
        if token.head.i in chain and token.i not in {t.i for t in cand.trigger} and \
                HEDGES.fullmatch(token.lower_):
            return True
        if token.i in chain and token.lemma_.lower() in ("seem", "appear"):
            return True
    return False


#: modalities a reported fact can have in opinion prose
FACT_MODALITIES = {"happened", "cancelled", "denied", "future"}
#: how strongly worded (VADER compound) a sentence may be and still report a fact
MAX_SENTIMENT = 0.6


def tense(token: Any) -> str:
    """"past", "present", "future" or "none": the tense of the finite verb above a token."""
    node = token
    if node.pos_ not in ("VERB", "AUX"):
        node = clause_verb(node) or node
    for _ in range(4):
        auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
        words = {a.lower_ for a in auxes}
        if words & {"will", "shall", "'ll", "wo"}:
            return "future"
        if words & {"has", "have", "had", "was", "were", "did", "'d", "'ve"} or node.tag_ == "VBD":
            return "past"
        if words & {"is", "are", "am", "does", "do", "'s", "'re"} or node.tag_ in ("VBZ", "VBP"):
            return "present"
        if node.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp") and node.head != node:
            node = node.head
            if node.pos_ not in ("VERB", "AUX"):
                node = clause_verb(node) or node
            continue
        break
    return "none"


def _sentiment(text: str) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    if not _ANALYZER:
        _ANALYZER.append(SentimentIntensityAnalyzer())
    return float(_ANALYZER[0].polarity_scores(text)["compound"])


_ANALYZER: list[Any] = []


def reported_fact(cand: Candidate, reading: Reading, info: DocInfo) -> bool:
    """Whether an event read in a comment or in analysis prose is a reported fact: no
    question, first-person view or hedge; a factual modality; a past event (or a future
    one that is reported or dated); a resolved actor; no strongly worded sentence."""
    sentence = span_text(cand.sent)
    if hedged(cand) or reading.modality not in FACT_MODALITIES:
        return False
    if not any(p.actor_id for p in cand.sources + cand.targets):
        return False
    when_ = tense(cand.head)
    dated = bool(attached_timexes(cand, info.timexes))
    if when_ != "past" and not dated and not (reading.modality == "future" and
                                                 reading.reported_by):
        return False
    return abs(_sentiment(without_quotes(sentence))) < MAX_SENTIMENT


def origin_of(info: DocInfo, sent_span: tuple[int, int], sentence: str,
              reading: Reading) -> str:
    in_comment = any(int(_attr(c, "start")) <= sent_span[0] < int(_attr(c, "end"))
                     for c in info.comments)
    if in_comment or info.kind in COMMENT_KINDS:
        return "comment"
    if info.kind in OPINION_KINDS:
        reported = reading.reported_by or CITATION.search(sentence) or \
            "according to" in sentence.lower()
        return "report" if reported else "analysis"
    return "report"


def _attr(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _refusal(cand: Candidate, event_type: str, reading: Reading) -> str:
    """"will not accept refugees": refusing a cooperative act is a REJECT event."""
    if reading.modality == "negated" and reading.cue and \
            any(w in reading.cue for w in ("will", "would", "wo")) and \
            ontology.quad(event_type) in ontology.COOPERATIVE_QUADS:
        reading.modality, reading.cue = "happened", None
        return "REJECT"
    return event_type


EXERCISE_WORDS = {"exercise", "exercises", "drill", "drills", "games", "maneuvers",
                  "manoeuvres", "war games"}


def _single_side_exercise(cand: Candidate, event_type: str) -> str:
    """Military exercises of one side are a show of force (MOBILIZE), joint ones COOPERATE."""
    if event_type != "COOPERATE" or not any(t.lower_ in EXERCISE_WORDS for t in cand.trigger):
        return event_type
    joint = any(c.lower_ in ("joint", "combined", "bilateral", "multinational")
                for t in cand.trigger for c in t.children)
    coordinated = any(c.dep_ == "conj" for p in cand.sources
                      for t in cand.sent if p.start <= t.idx < p.end for c in t.children)
    if joint or coordinated or cand.targets or len({p.country for p in cand.sources}) > 1:
        return event_type
    return "MOBILIZE"


def _participants(parts: list[Participant]) -> tuple[list, str, list, list]:
    return ([p.actor_id for p in parts], "; ".join(p.text for p in parts),
            [p.country for p in parts], [p.sector for p in parts])


def _confidence(cand: Candidate, decided: float) -> float:
    conf = decided
    if cand.sources and cand.targets:
        conf += 0.05
    if cand.inherited:
        conf -= 0.15
    hows = {p.how for p in cand.sources + cand.targets}
    if hows <= {"phrase", "place"}:
        conf -= 0.1
    return round(max(0.05, min(0.99, conf)), 3)


def attached_timexes(cand: Candidate, timexes: Sequence[Any]) -> list[Any]:
    """The time expressions of the sentence that belong to the event: inside the trigger's
    phrase ("the May 2 phone call", "a visit … in April"), or attached to the verb of the
    clause an event noun is the object of ("held talks last week")."""
    sent, doc = cand.sent, cand.sent.doc
    heads = [cand.head]
    if cand.nominal:
        verb = governing_verb(cand.head) or clause_verb(cand.head)
        if verb is not None:
            heads.append(verb)
        if cand.head.dep_ in ("nsubj", "nsubjpass"):  # "meetings have taken place …"
            clause = cand.head.head
            heads += [clause] + [c for c in clause.children if c.dep_ == "conj"]
    out = []
    for timex in timexes:
        start, end = int(_attr(timex, "start")), int(_attr(timex, "end"))
        if start < sent.start_char or end > sent.end_char:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if _dates_an_argument(root, cand.head, heads):
            continue
        if any(h == root or h.is_ancestor(root) for h in heads):
            out.append(timex)
    return out


#: how a date modifies the noun it stands before ("the planned June 12 summit")
_NOUN_MODIFIER = frozenset({"compound", "nmod", "amod", "nummod", "poss"})


def _dates_an_argument(root: Any, trigger: Any, heads: Sequence[Any]) -> bool:
    """A date set before a noun inside the event's own arguments ("wrote to Kim to call off
    the planned June 12 summit") dates that noun's event, not this one; a dated noun
    elsewhere in the clause ("the news of the May 2 call was Putin's overture") may
    still date it."""
    noun = root.head
    return (root.dep_ in _NOUN_MODIFIER and noun is not root and noun.pos_ in ("NOUN", "PROPN")
            and noun not in heads and trigger.is_ancestor(noun))


def _later(date: str | None, than: str | None) -> bool:
    return bool(date and than and date[:10] > than[:10] and len(date) >= len(than[:10]))


def code(cands: Sequence[Candidate], info: DocInfo, model: Model | None,
         min_confidence: float = 0.0) -> list[Event]:
    """Events of a document from its candidates (in text order)."""
    usable = [c for c in cands if has_participants(c)]
    probs: list[dict[str, float] | None] = [None] * len(usable)
    if model is not None and usable:
        probs = list(model.predict([span_text(c.sent) for c in usable],
                                   [event_phrase(c) for c in usable]))
    events: list[Event] = []
    for cand, p in zip(usable, probs):
        event = code_one(cand, p, info, len(events))
        if event is not None and (event.confidence or 0) >= min_confidence:
            events.append(event)
    return _dedupe(events)


def code_one(cand: Candidate, probs: dict[str, float] | None, info: DocInfo,
             index: int) -> Event | None:
    sent: Span = cand.sent
    sentence = span_text(sent)
    event_type, decided = decide(cand, probs)
    reading = read(cand.head, cand.nominal)
    event_type = _refusal(cand, event_type, reading)
    origin = origin_of(info, (sent.start_char, sent.end_char), sentence, reading)
    opinion_doc = info.kind in OPINION_KINDS | COMMENT_KINDS or origin == "comment"
    if opinion_doc and not reported_fact(cand, reading, info):
        return None
    event_type = _single_side_exercise(cand, event_type)
    trigger = cand.trigger_span
    sent_span = (sent.start_char, sent.end_char)
    date = when(attached_timexes(cand, info.timexes), sent_span, trigger, info.published,
                info.published_precision, info.published_from)
    if reading.modality == "happened" and date.source == "sentence" and \
            _later(date.start, info.published):
        reading.modality, reading.cue = "future", date.text
    elif reading.modality == "future" and date.source == "sentence" and \
            _later(info.published, date.end or date.start):
        reading.modality, reading.cue = "happened", date.text  # "a meeting … last week"
    parts = cand.sources + cand.targets
    place = where(info.places, sent_span, trigger,
                  exclude=[(p.start, p.end) for p in parts if p.how != "place"],
                  prefer=[(p.start, p.end) for p in parts if p.how == "place"])
    mode = choose_mode(cand, event_type, sentence)
    root = ontology.cameo(event_type, mode)
    contexts = lexicon.contexts(sentence)
    src_ids, src_text, src_countries, src_sectors = _participants(cand.sources)
    tgt_ids, tgt_text, tgt_countries, tgt_sectors = _participants(cand.targets)
    return Event(
        id=f"{info.doc_id}:e{index}", doc_id=info.doc_id, start=sent.start_char,
        end=sent.end_char, stage="events", stage_version=info.stage_version,
        confidence=_confidence(cand, decided), sentence=sentence,
        trigger=cand.trigger_text, trigger_start=trigger[0], trigger_end=trigger[1],
        type=event_type, mode=mode, context=", ".join(contexts) or None, cameo=root,
        score=ontology.score(event_type), goldstein=ontology.goldstein(root),
        source_ids=src_ids, source_text=src_text, source_countries=src_countries,
        source_sectors=src_sectors, target_ids=tgt_ids, target_text=tgt_text,
        target_countries=tgt_countries, target_sectors=tgt_sectors,
        modality=reading.modality, date_start=date.start, date_end=date.end,
        date_precision=date.precision, date_from=date.source, place_id=place.place_id,
        place_name=place.name, lat=place.lat, lon=place.lon, country=place.country,
        zones=place.zones, reported_by=reading.reported_by, origin=origin)


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per sentence, type, participants and modality; ids renumbered."""
    best: dict[tuple, Event] = {}
    for event in events:
        key = (event.start, event.type, event.source_text, event.target_text, event.modality)
        if key not in best or (event.confidence or 0) > (best[key].confidence or 0):
            best[key] = event
    kept = sorted(best.values(), key=lambda e: (e.start, e.trigger_start or 0))
    for i, event in enumerate(kept):
        event.id = f"{event.doc_id}:e{i}"
    return kept
