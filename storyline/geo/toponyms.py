"""Finding place expressions in a parsed document.

Beyond spaCy's GPE/LOC/FAC entities this finds places the model labels as persons or
organisations ("Al Tanf"), gazetteer names it missed, regions ("southwest Syria",
"Homs province"), borders ("near the Iraqi border"), zones ("a 33-mile zone around the
base") and the self-given locations of comment authors.  Each expression gets a
``kind``; metonymic uses ("Moscow said", "talks with Washington") and demonyms
("Russian-sponsored talks") are marked so that the places stage can leave them out
while evaluation on geoparsing data sets, which counts them, can keep them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..nlp.pipeline import doc_text, span_text
from .gazetteer import Gazetteer
from .metonymy import is_agent_modifier, is_metonymic
from .types import NONLITERAL, Entry, Toponym

PLACE_LABELS = {"GPE", "LOC", "FAC"}

OTHER_LABELS = {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}
DIRECTIONS = {
    "north": "north", "northern": "north", "south": "south", "southern": "south",
    "east": "east", "eastern": "east", "west": "west", "western": "west",
    "northeast": "northeast", "northeastern": "northeast", "northwest": "northwest",
    "northwestern": "northwest", "southeast": "southeast", "southeastern": "southeast",
    "southwest": "southwest", "southwestern": "southwest", "central": "central",
    "north-east": "northeast", "north-eastern": "northeast", "north-west": "northwest",
    "north-western": "northwest", "south-east": "southeast", "south-eastern": "southeast",
    "south-west": "southwest", "south-western": "southwest", "upstate": "north",
    "downstate": "south", "coastal": "", "rural": "", "greater": "", "inner": "",
    "mid": "central", "midwestern": "central",
}
ADMIN_WORDS = {"province", "governorate", "region", "state", "county", "district", "oblast",
               "prefecture", "department", "canton", "municipality", "parish", "borough",
               "territory", "emirate", "republic", "krai"}
TOWN_WORDS = {"town", "city", "village", "capital", "port", "province", "region", "state",
              "district", "governorate", "county", "suburb", "enclave", "area", "outpost",
              "base", "crossing", "neighborhood", "neighbourhood", "island", "border town",
              "stronghold", "municipality", "resort", "hamlet"}
LOCATIVE_PREPS = {"in", "at", "near", "from", "to", "into", "across", "outside", "inside",
                  "around", "toward", "towards", "through", "throughout", "within", "via",
                  "of", "off", "beyond", "between", "along", "over", "under", "out"}
FACILITY_WORDS = {"street", "road", "avenue", "boulevard", "square", "bridge", "park", "river",
                  "lake", "mountain", "mountains", "valley", "island", "islands", "bay", "beach",
                  "airport", "station", "church", "hospital", "highway", "lane", "drive",
                  "stadium", "plaza", "market", "mosque", "cathedral", "palace", "castle",
                  "canal", "sea", "ocean", "gulf", "strait", "peninsula", "desert", "hill",
                  "hills", "creek", "falls", "harbor", "harbour", "coast", "forest", "way",
                  "crescent", "close", "court", "place", "terrace", "dam", "base", "crossing",
                  "camp", "prison", "mall", "center", "centre", "building", "tower", "hall"}
ZONE = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?)[\s-]*(?P<unit>miles?|mi|km|kilometers?|kilometres?)"
    r"(?:\s*\([^)]{0,30}\))?[\s-]+(?:\w+[\s-]+){0,2}?"
    r"(?:zone|radius|perimeter|area|buffer|exclusion zone|no-go zone|deconfliction zone)"
    r"\s+(?:around|of|surrounding|near)\s+", re.I)
BORDER = re.compile(r"\bborders?\b", re.I)
QUALIFIER = re.compile(r"^(?:upstate|downstate|rural|greater|northern|southern|eastern|"
                       r"western|central|north|south|east|west|outside|near|metro)\s+", re.I)
KM_PER_UNIT = {"mile": 1.609344, "miles": 1.609344, "mi": 1.609344}
#: strong matches a bare gazetteer scan may take without spaCy's say-so
STRONG_CODES = {"PCLI", "ADM1", "CONT", "RGN", "PPLC"}


def find_toponyms(doc: Any, gaz: Gazetteer, *, comments: Sequence[Any] | None = None,
                  mentions: Sequence[Any] | None = None, outlets: Iterable[str] = (),
                  include_nonliteral: bool = False) -> list[Toponym]:
    """Place expressions of ``doc`` (a spaCy Doc of the clean text), in text order.

    ``comments`` (ingest Comment records) give commenter locations; ``mentions`` (actor
    mentions) mark metonymic spans found by the actors stage; ``outlets`` are names never
    taken as places (news outlets spaCy labels GPE).  Metonymic and demonym expressions
    are returned only when ``include_nonliteral`` is true.
    """
    outlets = {o.lower() for o in outlets}
    text = doc_text(doc)
    found: list[Toponym] = _commenter_locations(doc, gaz, comments or (), text)
    taken = [(t.start, t.end) for t in found]
    metonym_spans = [(m.start, m.end) for m in mentions or () if getattr(m, "kind", "") == "metonym"]
    for span, label in _entity_spans(doc):
        if _overlaps(span.start_char, span.end_char, taken):
            continue
        top = _from_entity(span, label, gaz, outlets)
        if top is None:
            continue
        if top.kind == "literal" and (
                _overlaps(top.head_start, top.head_end, metonym_spans) or is_metonymic(span)):
            top.kind = "metonymic"
        elif top.kind == "literal" and is_agent_modifier(span):
            top.kind = "modifier"
        found.append(top)
        taken.append((top.start, top.end))
    blocked = taken + [(e.start_char, e.end_char) for e in doc.ents
                       if e.label_ not in PLACE_LABELS]
    for top in _gazetteer_scan(doc, gaz, blocked, outlets):
        found.append(top)
        taken.append((top.start, top.end))
    found.extend(_zones(doc, found, text))
    found.sort(key=lambda t: t.start)
    _propagate_coordination(doc, found)
    if not include_nonliteral:
        found = [t for t in found if t.kind not in NONLITERAL]
    return found


# --- entities ------------------------------------------------------------------------------


def _entity_spans(doc: Any) -> Iterable[tuple[Any, str]]:
    for ent in doc.ents:
        span = _trim(ent)
        if span is not None and any(c.isupper() for c in span_text(span)):
            yield span, ent.label_


def _trim(span: Any) -> Any | None:
    start, end = span.start, span.end
    while start < end and (span.doc[start].lower_ in ("the", "a", "an")
                           or span.doc[start].is_punct):
        start += 1
    while end > start and (span.doc[end - 1].lower_ in ("'s", "’s", "'", "’")
                           or span.doc[end - 1].is_punct):
        end -= 1
    return span.doc[start:end] if end > start else None


def _overlaps(start: int, end: int, taken: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


class _FixedSpans:
    """Character spans that do not change, asked many times whether one of them overlaps
    a span (as :func:`_overlaps`): some span starting before ``end`` ends after ``start``."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_ends = list(itertools.accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self._starts, end)  # the spans starting before ``end``
        return before > 0 and self._max_ends[before - 1] > start


def _from_entity(span: Any, label: str, gaz: Gazetteer, outlets: set[str]) -> Toponym | None:
    text = span_text(span)
    if text.lower() in outlets or text.lower().removeprefix("the ") in outlets:
        return None
    if label == "NORP":
        return _demonym(span, gaz)
    span = _extend(span)
    head, direction, admin = _split_modifiers(span, gaz)
    if head is None or span_text(head).lower() in DIRECTIONS:
        return None
    cands = [e for e, _ in gaz.lookup(span_text(head))]
    facility_of = None
    if label in PLACE_LABELS:
        if not cands and not _looks_like_facility(head, label):
            if direction is None:
                return _border(span, gaz)
            return None
        if not cands:
            facility_of = _embedded_place(head, gaz)
    elif label in OTHER_LABELS:
        if not _accept_other(span, head, gaz, label):
            return None
    else:
        return None
    top = _make(span, head, kind="region" if direction else "literal", label=label)
    top.direction = direction or None
    top.candidates = cands
    if admin:
        top.admin_only = True
        top.candidates = [e for e in cands if e.is_admin] or cands
    if not cands:
        top.kind = "facility"
    if facility_of is not None:
        top.candidates = [e for e, _ in gaz.lookup(facility_of.text)]
        top.name = facility_of.text
    _context_hints(span, top, gaz)
    return top


def _embedded_place(head: Any, gaz: Gazetteer) -> Any | None:
    """The place a facility is named after ("Stockholm Harbor", "Manila Cathedral"):
    a leading name that is a country, region, division or sizeable city."""
    for end in range(head.end - 1, head.start, -1):
        part = head.doc[head.start:end]
        if any(kind in (-1, 0, 2) and (entry.fcode in STRONG_CODES or entry.gid < 0
                                       or entry.population >= 50_000)
               for entry, kind in gaz.lookup(span_text(part))):
            return part
    return None


def _extend(span: Any) -> Any:
    """Take in a direction just before ("in southwest Syria", "eastern Ghouta") and an
    administrative word just after ("Idlib province") the entity."""
    doc = span.doc
    start, end = span.start, span.end
    if start > 0 and doc[start - 1].lower_ in DIRECTIONS and DIRECTIONS[doc[start - 1].lower_] \
            and doc[start - 1].pos_ in ("ADJ", "PROPN", "NOUN", "ADV"):
        start -= 1
    if end < len(doc) and doc[end].lower_ in ADMIN_WORDS and doc[end].pos_ == "NOUN":
        end += 1
    return doc[start:end]


def _split_modifiers(span: Any, gaz: Gazetteer) -> tuple[Any | None, str | None, bool]:
    """The head name of ``span`` without a leading direction ("southern Syria") or a
    trailing administrative word ("Homs province") — unless the whole is a name itself
    ("North Korea", "West Bank", "Western Europe")."""
    start, end, direction, admin = span.start, span.end, None, False
    doc = span.doc
    lowercase_direction = doc[start].lower_ in DIRECTIONS and doc[start].text[0].islower()
    if any(kind == -1 or (kind != 3 and not lowercase_direction)
           for _, kind in gaz.lookup(span_text(span))):
        return span, None, False
    if end - start > 1 and doc[start].lower_ in DIRECTIONS:
        direction = DIRECTIONS[doc[start].lower_] or None
        start += 1
    if end - start > 1 and doc[end - 1].lower_ in ADMIN_WORDS:
        admin = True
        end -= 1
    head = doc[start:end]
    return (head if len(head) else None), direction, admin


def _accept_other(span: Any, head: Any, gaz: Gazetteer, label: str) -> bool:
    """A PERSON/ORG/… entity is a place when the gazetteer knows it as one of our own
    places or an exact abbreviation, or as a country/region/large place in a locative
    position ("in Jordan", "the town of Al Tanf")."""
    matches = gaz.lookup(span_text(head))
    if not matches:
        return False
    if any(kind in (-1, 2) for _, kind in matches) and len(head) <= 4:
        return True
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" \
            and doc[span.start - 2].lower_ in TOWN_WORDS:
        return True  # "the city of Palmyra"
    if label == "PERSON" and len(span_text(head).replace("-", " ").split()) > 2:
        return False
    prev = doc[span.start - 1] if span.start > 0 else None
    locative = prev is not None and prev.lower_ in LOCATIVE_PREPS
    strong = any(e.fcode in STRONG_CODES or e.population >= 100_000 for e, kind in matches
                 if kind in (0, 1))
    return locative and strong


def _looks_like_facility(head: Any, label: str) -> bool:
    last = head[-1].lower_
    return label == "FAC" or last in FACILITY_WORDS


def _make(span: Any, head: Any, *, kind: str, label: str) -> Toponym:
    start = span.start_char
    return Toponym(start=start, end=span.end_char,
                   text=span_text(span), head_start=head.start_char,
                   head_end=head.end_char, name=span_text(head), kind=kind, label=label)


def _demonym(span: Any, gaz: Gazetteer) -> Toponym | None:
    """An adjective of nationality: a border ("the Iraqi border") or, for evaluation, a
    demonym toponym pointing to its country."""
    border = _border(span, gaz)
    if border is not None:
        return border
    last = span[-1]
    if last.tag_ in ("NNS", "NNPS") or last.lower_.endswith(("ians", "ans", "ese")) and \
            last.lower_ != last.lemma_.lower():
        return None  # "Russians": people, not a place
    words = span.text.replace("-", " ").split()
    hit = gaz.demonym(span.text) or (gaz.demonym(words[-1]) if words else None)
    if hit is None:
        return None
    entry, _ = hit
    top = Toponym(start=span.start_char, end=span.end_char, text=span.text,
                  head_start=span.start_char, head_end=span.end_char, name=span.text,
                  kind="demonym", label="NORP")
    top.candidates = [entry]
    return top


def _border(span: Any, gaz: Gazetteer) -> Toponym | None:
    """"the Iraqi border", "the Syria-Iraq border": the border of a country."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is None or not BORDER.fullmatch(nxt.text):
        return None
    words = re.split(r"[-–\s]+", span.text)
    countries = []
    for word in words:
        hit = gaz.demonym(word)
        entry = hit[0] if hit else next((e for e, _ in gaz.lookup(word) if e.is_country), None)
        if entry is not None and entry.is_country:
            countries.append(entry)
    if not countries:
        return None
    first = span.start - 1 if span.start > 0 and doc[span.start - 1].lower_ == "the" else span.start
    whole = doc[first:nxt.i + 1]
    start = whole.start_char
    top = Toponym(start=start, end=whole.end_char, text=whole.text,
                  head_start=span.start_char, head_end=span.end_char, name=span.text,
                  kind="border", label="BORDER")
    top.border_with = countries[-1].country
    top.candidates = countries
    return top


def _context_hints(span: Any, top: Toponym, gaz: Gazetteer) -> None:
    """Country or first-level division given right beside the name: "the Syrian town of
    X", "X, Texas", "X, Que.", "X in northern Syria" is left to resolution context."""
    doc = span.doc
    # "the Syrian town of X" / "Syria's town of X"
    if span.start >= 3 and doc[span.start - 1].lower_ == "of" \
            and doc[span.start - 2].lower_ in TOWN_WORDS:
        for tok in doc[max(0, span.start - 5):span.start - 2]:
            hit = gaz.demonym(tok.text)
            if hit and hit[1]:
                top.country_hint = hit[1]
            elif tok.ent_type_ == "GPE":
                entry = next((e for e, _ in gaz.lookup(tok.text) if e.is_country), None)
                if entry:
                    top.country_hint = entry.country
    # "X, Texas" / "X, Syria" / "X, GA"
    end = span.end
    if end + 1 < len(doc) and doc[end].text == ",":
        nxt_end = end + 2
        while nxt_end < len(doc) and nxt_end - end <= 4 and (doc[nxt_end].is_title
                                                              or doc[nxt_end].text == "."):
            nxt_end += 1
        for stop in range(nxt_end, end + 1, -1):
            cand = doc[end + 1:stop].text
            entry = _container(cand, gaz)
            if entry is not None:
                if entry.is_country:
                    top.country_hint = entry.country
                else:
                    top.admin_hint = (entry.country or "", entry.admin1 or "")
                break


def _container(text: str, gaz: Gazetteer) -> Entry | None:
    code = text.strip(" .").upper()
    if re.fullmatch(r"[A-Z]{2}", code) and gaz.postal(code) is not None:
        return gaz.postal(code)
    for entry, kind in gaz.lookup(text):
        if kind in (-1, 0, 2) and (entry.is_country or entry.fcode == "ADM1"):
            return entry
    return None


# --- gazetteer scan ----------------------------------------------------------------------------


def _gazetteer_scan(doc: Any, gaz: Gazetteer, taken: list[tuple[int, int]],
                    outlets: set[str]) -> list[Toponym]:
    """Capitalised token sequences that spaCy did not label but that name a country,
    a region of our own table, an admin division or a large city."""
    out: list[Toponym] = []
    blocked = _FixedSpans(taken)
    i = 0
    n = len(doc)
    for k in _start_positions(doc):  # tokens whose part of speech lets them start a name
        if k < i:
            continue
        i = k
        tok = doc[i]
        if not _can_start(tok) or blocked.overlaps(tok.idx, tok.idx + len(tok.text)):
            i += 1
            continue
        best = None
        for j in range(min(n, i + 5), i, -1):
            span = doc[i:j]
            if not _can_end(doc[j - 1]) or blocked.overlaps(span.start_char, span.end_char):
                continue
            text = span_text(span)
            if text.lower() in outlets:
                continue
            if _strong_match(span, gaz, text):
                best = span
                break
        if best is None:
            i += 1
            continue
        head, direction, admin = _split_modifiers(best, gaz)
        head = head or best
        top = _make(best, head, kind="region" if direction else "literal", label="GAZ")
        top.direction = direction
        top.candidates = [e for e, _ in gaz.lookup(span_text(head))]
        if admin:
            top.admin_only = True
            top.candidates = [e for e in top.candidates if e.is_admin] or top.candidates
        _context_hints(best, top, gaz)
        if is_metonymic(best):
            top.kind = "metonymic"
        elif is_agent_modifier(best):
            top.kind = "modifier"
        out.append(top)
        i = best.end
    return out


def _start_positions(doc: Any) -> list[int]:
    """Indices of the tokens :func:`_can_start` may accept (its part-of-speech test, read
    for the whole document at once rather than token by token)."""
    from spacy.attrs import POS
    from spacy.symbols import ADJ, NOUN, PROPN, X

    if not len(doc):
        return []
    pos = doc.to_array(POS)
    return [int(k) for k in
            ((pos == PROPN) | (pos == NOUN) | (pos == ADJ) | (pos == X)).nonzero()[0]]


def _can_start(tok: Any) -> bool:
    text = tok.text
    return bool(text) and (text[0].isupper() or tok.lower_ in DIRECTIONS) and not tok.is_punct \
        and tok.pos_ in ("PROPN", "NOUN", "ADJ", "X") and tok.ent_type_ not in ("DATE", "TIME",
                                                                               "CARDINAL", "MONEY")


def _can_end(tok: Any) -> bool:
    return bool(tok.text) and (tok.text[0].isupper() or tok.text.endswith(".")) \
        and tok.pos_ in ("PROPN", "NOUN", "X")


def _strong_match(span: Any, gaz: Gazetteer, text: str) -> bool:
    """Whether ``span`` (whose text is ``text``) surely names a place."""
    if span[0].is_sent_start and len(span) == 1 and span[0].pos_ != "PROPN":
        return False
    matches = gaz.lookup(text)
    for entry, kind in matches:
        if kind == -1 or kind == 2:
            return len(text) > 3 or text.isupper() or "." in text
        if kind == 0 and entry.fcode in STRONG_CODES and len(text) > 3 \
                and (entry.population >= 1000 or entry.gid < 0):
            return span[0].pos_ == "PROPN"
    return False


# --- zones and coordination ------------------------------------------------------------------------


def _zones(doc: Any, found: list[Toponym], text: str | None = None) -> list[Toponym]:
    """"a 33-mile zone around the base": a zone of that radius around the place named
    after "around" — or, for "the base"/"the town", the last point-like place before it."""
    out = []
    text = doc.text if text is None else text
    for match in ZONE.finditer(text):
        tail_start = match.end()
        phrase = _noun_phrase_at(doc, tail_start)
        if phrase is None:
            continue
        radius = float(match["num"].replace(",", ".")) * KM_PER_UNIT.get(match["unit"].lower(), 1.0)
        named = next((t for t in found if t.start <= phrase.start_char < t.end), None)
        base = named or _antecedent(found, match.start())
        if base is None:
            continue
        start = match.start()
        if start >= 2 and text[start - 2:start] in ("a ", "A "):
            start -= 2
        top = Toponym(start=start, end=phrase.end_char, text=text[start:phrase.end_char],
                      head_start=base.head_start, head_end=base.head_end, name=base.name,
                      kind="zone", label="ZONE", radius_km=round(radius, 3))
        top.candidates = base.candidates
        top.country_hint = base.country_hint
        top.admin_hint = base.admin_hint
        out.append(top)
    return out


def _noun_phrase_at(doc: Any, char: int) -> Any | None:
    tok = next((t for t in doc if t.idx >= char), None)
    if tok is None:
        return None
    head = tok
    while head.dep_ in ("det", "amod", "compound", "nummod", "poss") and head.head.i > head.i:
        head = head.head
    return doc[tok.i:head.i + 1]


def _antecedent(found: list[Toponym], before: int) -> Toponym | None:
    for top in sorted(found, key=lambda t: -t.start):
        if top.start >= before or top.kind in ("zone", "demonym", "metonymic", "commenter"):
            continue
        if any(not e.is_area for e in top.candidates):
            return top
    return None


def _propagate_coordination(doc: Any, found: list[Toponym]) -> None:
    """Coordinated names share a reading: "Turkey and Iran agreed" — both metonymic."""
    by_token: dict[int, Toponym] = {}
    for top in found:
        span = doc.char_span(top.head_start, top.head_end, alignment_mode="expand")
        if span is not None:
            by_token[span.root.i] = top
    for i, top in by_token.items():
        tok = doc[i]
        if tok.dep_ == "conj" and tok.head.i in by_token:
            first = by_token[tok.head.i]
            first.siblings.append(top.name)
            top.siblings.append(first.name)
            if first.kind == "metonymic" and top.kind == "literal":
                top.kind = "metonymic"


# --- commenter locations ----------------------------------------------------------------------------


def _commenter_locations(doc: Any, gaz: Gazetteer, comments: Sequence[Any],
                         text: str | None = None) -> list[Toponym]:
    """The location a comment author gave ("Annie Dooley (Georgia)"), found in the text
    near the comment's start."""
    out: list[Toponym] = []
    if not comments:
        return out
    text = doc.text if text is None else text
    for idx, comment in enumerate(comments):
        location = (getattr(comment, "location", None) or "").strip()
        if not location:
            continue
        start = _find_location(text, comment, location)
        if start is None:
            continue
        first = location.split(",")[0].strip()
        tail = re.fullmatch(r"(.+?)\s+([A-Z]{2})", first)
        if tail and gaz.postal(tail[2]) is not None:  # "Logan UT", "Spruce Pine NC"
            first = tail[1]
        name = QUALIFIER.sub("", first).strip() or first
        if re.fullmatch(r"[A-Za-z]{2}\.?", name) and gaz.postal(name.strip(".").upper()):
            name = name.strip(".")  # "NY", "IL": a state by its postal code
        offset = first.find(name)
        head_start = start + max(offset, 0)
        top = Toponym(start=start, end=start + len(location), text=location,
                      head_start=head_start, head_end=head_start + len(name), name=name,
                      kind="commenter", label="COMMENTER", comment_idx=idx)
        postal = gaz.postal(name.upper()) if len(name) == 2 else None
        top.candidates = [postal] if postal else [e for e, _ in gaz.lookup(name)]
        rest = location[len(first):].strip(" ,")
        if rest:
            entry = _container(rest, gaz)
            if entry is not None:
                if entry.is_country:
                    top.country_hint = entry.country
                else:
                    top.admin_hint = (entry.country or "", entry.admin1 or "")
        out.append(top)
    return out


def _find_location(text: str, comment: Any, location: str) -> int | None:
    lo = max(0, int(getattr(comment, "start", 0)) - 400)
    hi = min(len(text), int(getattr(comment, "end", len(text))) + 1)
    window = text[lo:hi]
    anchor = int(getattr(comment, "start", 0)) - lo
    hits = [m.start() + 1 for m in re.finditer(r"\(" + re.escape(location) + r"\)", window)]
    if not hits:
        hits = [m.start() for m in re.finditer(re.escape(location), window)]
    if not hits:
        return None
    return lo + min(hits, key=lambda h: abs(h - anchor))
