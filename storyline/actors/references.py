"""Passes 2-4 of :mod:`.resolve`: other knowledge-base aliases (organisations, countries,
seats, capitals used for governments, weak and generic aliases), short references to people
(surnames, initials, first names, nicknames) and "<leader> administration"."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .full_names import _fill_anchor, _is_author, _title_before, _title_words
from .kb import Entry
from .matcher import AliasMatch
from .metonymy import is_metonymic
from .names import keys, person_parts, slug
from .reading import (
    ADMIN_WORDS,
    COMMON_SURNAMES,
    GLUED_INITIAL,
    INITIAL_NAME,
    Anchor,
    Cand,
    Reader,
    _clean_role,
)
from .roles import analyse

if TYPE_CHECKING:
    from spacy.tokens import Token


# --- 2. other knowledge-base aliases ----------------------------------------------------------


def _kb_matches(reader: Reader, matches: list[AliasMatch]) -> None:
    for match in matches:
        if not reader.free(match.start, match.end):
            continue
        choice = _choose_hit(reader, match)
        if choice is None:
            continue
        hit_kind, entry = choice
        if entry.type == "PERSON":
            continue  # persons were handled (or rejected) in the first pass
        label = (
            "GPE"
            if entry.type == "GPE"
            else ("ORG" if entry.type in ("ORG", "FAC") else entry.type)
        )
        confidence = {
            "name": 0.95,
            "alias": 0.9,
            "seat": 0.9,
            "country": 0.85,
            "metonym": 0.75,
            "capital": 0.75,
            "generic": 0.7,
            "weak": 0.7,
        }.get(hit_kind, 0.8)
        kind = {"capital": "metonym", "seat": "metonym", "country": "country"}.get(
            hit_kind, "alias"
        )
        if hit_kind == "country" and _in_other_country(reader, match, entry):
            continue  # "Atlanta, Georgia": a place name of another country
        if hit_kind == "country":
            span = reader.span(match.start, match.end)
            if span is not None and not is_metonymic(span) and span.root.dep_ == "pobj":
                confidence = 0.6
        reader.add(reader.entry_cand(entry, match.start, match.end, label=label, kind=kind,
                                     confidence=confidence))


_PLACE_BEFORE = re.compile(r"([A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2}),\s*$")


def _in_other_country(reader: Reader, match: AliasMatch, entry: Entry) -> bool:
    """ "Atlanta, Georgia" / "Paris, Texas": the name after a city of another country."""
    m = _PLACE_BEFORE.search(reader.text[max(0, match.start - 60) : match.start])
    if not m:
        return False
    city = reader.kb.city_country(m.group(1))
    return city is not None and city != entry.country


def _choose_hit(reader: Reader, match: AliasMatch) -> tuple[str, Entry] | None:
    """The entry a match stands for, or None when the context rules it out."""
    kb = reader.kb
    options: list[tuple[int, str, Entry]] = []
    for hit in match.hits:
        entry = kb.entries[hit.entry_id]
        kind = hit.kind
        if kind == "nickname":
            continue
        if kind in ("capital", "metonym"):
            span = reader.span(match.start, match.end)
            if span is None or not is_metonymic(span):
                continue
        if kind == "weak" and entry.id not in reader.supported:
            continue
        if (
            kind == "generic"
            and reader.country_counts
            and entry.country not in reader.top_countries()
        ):
            continue
        rank = {
            "name": 0,
            "alias": 1,
            "seat": 1,
            "country": 1,
            "weak": 2,
            "generic": 3,
            "metonym": 3,
            "capital": 3,
        }.get(kind, 4)
        if kind == "name" and any(h.kind == "weak" and h.entry_id != entry.id for h in match.hits):
            rank = 2 if entry.id in reader.supported else 3  # "The Times": a contested name
        options.append((rank, kind, entry))
    if not options:
        return None
    options.sort(key=lambda o: (o[0], o[2].id not in reader.supported))
    return options[0][1], options[0][2]


# --- 3. short references to people -----------------------------------------------------------


def _short_references(reader: Reader) -> None:
    """Surnames, "Mr. X", "V.Putin", "H. Clinton", first names."""
    kb, text = reader.kb, reader.text
    for pattern in (INITIAL_NAME, GLUED_INITIAL):
        for m in pattern.finditer(text):
            if reader.free(m.start(), m.end()):
                _resolve_short(
                    reader,
                    m.start(),
                    m.end(),
                    keys(m.group(2)),
                    initial=m.group(1).lower(),
                    surface=m.group(2),
                    kind="initials",
                )
    surnames = {s.split()[-1] for a in reader.anchors for s in a.surnames}
    person_tokens = {t.i for ent in reader.doc.ents if ent.label_ == "PERSON" for t in ent}
    titles = _title_words(kb)
    for word, start, end in reader.words:
        surface = text[start:end]
        if not surface[:1].isupper() or word in titles or len(word) < 2:
            continue
        if not reader.free(start, end):
            continue
        span = reader.span(start, end)
        if span is None:
            continue
        tok = span[0]
        in_person = tok.i in person_tokens
        honorific = _honorific_before(reader, tok)
        hyphenated = text[start - 1 : start] == "-" and start >= 2 and text[start - 2].isalpha()
        if (
            word in surnames
            or (in_person or honorific or hyphenated or tok.pos_ == "PROPN")
            and (word in kb.surnames or _first_name_anchor(reader, word))
        ):
            start = _extend_particle(reader, start)
            _resolve_short(
                reader,
                start,
                end,
                (word,),
                initial=None,
                surface=surface,
                kind="surname",
                # "Trump-Kim": a surname after a hyphen names a person, but not a two-letter
                # common family name ("Mat-Su" is a place, not Su Tseng-chang)
                in_person=in_person or (hyphenated and not _short_common(word)),
                honorific=honorific,
                token=tok,
            )


def _short_common(word: str) -> bool:
    return word in COMMON_SURNAMES and len(word) <= 2


def _extend_particle(reader: Reader, start: int) -> int:
    """Include "al-" of "al-Assad"."""
    m = re.search(r"\b(?:al|el|Al|El)[-\s]$", reader.text[max(0, start - 3) : start])
    if m:
        begin = max(0, start - 3) + m.start()
        return begin if reader.free(begin, start) else start
    return start


def _honorific_before(reader: Reader, tok: Token) -> str | None:
    doc, honorifics = reader.doc, reader.kb.lexicon["honorifics"]
    i = tok.i - 1
    if i >= 0 and doc[i].text == ".":
        i -= 1
    if i >= 0 and doc[i].text.rstrip(".") in honorifics:
        return doc[i].text.rstrip(".")
    return None


def _first_name_anchor(reader: Reader, word: str) -> Anchor | None:
    """The one person named in full in the document with this first name ("Jared")."""
    owners = {a.actor_id: a for a in reader.anchors if word in a.written_givens}
    return next(iter(owners.values())) if len(owners) == 1 else None


def _resolve_short(
    reader: Reader,
    start: int,
    end: int,
    word: tuple[str, ...],
    *,
    initial: str | None,
    surface: str,
    kind: str,
    in_person: bool = True,
    honorific: str | None = None,
    token: Token | None = None,
) -> None:
    key_ = " ".join(word)
    last = word[-1]
    anchors = [
        a
        for a in reader.anchors
        if (key_ in a.surnames or last in a.surnames)
        and (initial is None or any(g.startswith(initial) for g in a.givens | {a.given or ""}))
    ]
    confidence = 0.9
    if not anchors and kind == "surname" and initial is None:
        first = _first_name_anchor(reader, key_)
        if first is not None:
            anchors, kind, confidence = [first], "first_name", 0.8
    if anchors:
        anchor = min(anchors, key=lambda a: (a.start > start, abs(a.start - start)))
        title_start, title = _title_before(reader, start)
        reader.add(
            Cand(
                start=title_start if title else start,
                end=end,
                label="PERSON",
                kind=kind,
                actor_id=anchor.actor_id,
                actor_name=anchor.name,
                role=anchor.role or (_clean_role(title) if title else None),
                country=anchor.country,
                sector=anchor.sector,
                confidence=confidence,
                person=True,
            )
        )
        return
    entry = _kb_surname(reader, key_, last, initial, in_person, honorific, token)
    title_start, title = _title_before(reader, start)
    if entry is not None:
        reader.add(reader.entry_cand(entry, title_start if title else start, end,
                                     label="PERSON", kind=kind, confidence=0.7, person=True))
        _add_anchor_for(reader, entry, start)
        return
    if honorific and token is not None and not _is_author(reader, surface):
        info = analyse(title, reader.kb, reader.when) if title else None
        name = surface
        reader.add(
            Cand(
                start=title_start if title else start,
                end=end,
                label="PERSON",
                kind="surname",
                actor_id=f"x:person:{slug(name)}",
                actor_name=name,
                role=_clean_role(title) if title else None,
                country=info.country if info else None,
                sector=(info.sector if info else None)
                or reader.kb.lexicon["honorifics"].get(honorific),
                confidence=0.6,
                person=True,
            )
        )


def _kb_surname(
    reader: Reader,
    key_: str,
    last: str,
    initial: str | None,
    in_person: bool,
    honorific: str | None,
    token: Token | None,
) -> Entry | None:
    """A knowledge-base person known by this surname, when the choice is clear."""
    kb = reader.kb
    ids = list(dict.fromkeys(kb.surnames.get(key_, []) + kb.surnames.get(last, [])))
    if not ids:
        return None
    if last in COMMON_SURNAMES and not honorific and not in_person:
        return None
    if last in COMMON_SURNAMES and not honorific and len(ids) > 1:
        return None
    entries = [kb.entries[i] for i in ids]
    if initial:
        entries = [e for e in entries if keys(e.name)[:1] and keys(e.name)[0].startswith(initial)]
    if reader.when is not None:
        active = [e for e in entries if e.term_at(reader.when)]
        if len(active) == 1:
            return active[0]
        if len(active) > 1:
            leaders = [e for e in active if (e.term_at(reader.when).office or "") in ("hos", "hog")]
            return leaders[0] if len(leaders) == 1 else None
        started = [
            e
            for e in entries
            if not e.terms or min(t.start or dt.date.min for t in e.terms) <= reader.when
        ]
        entries = started or entries
    if len(entries) == 1:
        return entries[0]
    leaders = [e for e in entries if any(t.office in ("hos", "hog") for t in e.terms)]
    if len(leaders) == 1 and (in_person or honorific or reader.when is None):
        return leaders[0]
    if leaders and reader.when is None and (in_person or honorific):
        return max(leaders, key=lambda e: max(t.end or dt.date.max for t in e.terms))
    return None


def _add_anchor_for(reader: Reader, entry: Entry, start: int) -> None:
    if any(a.actor_id == entry.actor_id for a in reader.anchors):
        return
    given, _, _ = person_parts(entry.name, entry.country)
    role, country, sector = reader.entry_profile(entry)
    anchor = Anchor(
        actor_id=entry.actor_id,
        name=entry.name,
        given=given,
        surnames=set(),
        givens=set(),
        start=start,
        entry=entry,
        role=role,
        country=country,
        sector=sector,
    )
    _fill_anchor(reader, anchor, (entry.name, *entry.aliases), entry.country)
    reader.anchors.append(anchor)


# --- 3b. nicknames -----------------------------------------------------------------------------


def _nicknames(reader: Reader, matches: list[AliasMatch]) -> None:
    """Nicknames count only for people the document names otherwise ("Vlad" with Putin)."""
    named = {a.actor_id for a in reader.anchors} | {c.actor_id for c in reader.cands if c.person}
    for match in matches:
        if not reader.free(match.start, match.end):
            continue
        for hit in match.hits:
            if hit.kind != "nickname":
                continue
            entry = reader.kb.entries[hit.entry_id]
            if entry.actor_id not in named:
                continue
            if hit.alias.isdigit() and not _numeric_nickname_ok(reader, match):
                continue
            reader.add(reader.entry_cand(entry, match.start, match.end, label="PERSON",
                                         kind="nickname", confidence=0.7, person=True))
            break


def _numeric_nickname_ok(reader: Reader, match: AliasMatch) -> bool:
    """ "between 45 and Putin", "only he and 45 can": a number standing for a person."""
    span = reader.span(match.start, match.end)
    if span is None or len(span) != 1:
        return False
    tok = span[0]
    if tok.ent_type_ in ("TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
        return False
    if tok.dep_ == "nummod" or (
        tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].pos_ in ("NOUN", "PROPN", "NUM")
    ):
        return False
    neighbours = [t for t in (tok.head, *tok.children) if t is not tok]
    person_near = any(
        reader.overlapping(t.idx, t.idx + len(t.text))
        and any(c.person for c in reader.overlapping(t.idx, t.idx + len(t.text)))
        for t in neighbours
    )
    subject = tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX")
    conj_person = tok.dep_ == "conj" and tok.head.pos_ in ("PROPN", "PRON")
    return person_near or subject or conj_person


# --- 4. "<leader> administration" ---------------------------------------------------------------


def _administrations(reader: Reader) -> None:
    kb = reader.kb
    for cand in list(reader.cands):
        if not cand.person or not cand.actor_id:
            continue
        m = ADMIN_WORDS.match(reader.text[cand.end : cand.end + 40])
        if not m:
            continue
        entry = kb.get(cand.actor_id)
        if entry is None:
            continue
        offices = [t for t in entry.terms if t.office in ("hos", "hog") and t.country]
        if not offices:
            continue
        term = entry.term_at(reader.when) if reader.when else None
        country = term.country if term and term.office in ("hos", "hog") else offices[-1].country
        gov = kb.government(country or "")
        if gov is None:
            continue
        reader.add(
            Cand(
                start=cand.end + m.start(1),
                end=cand.end + m.end(1),
                label="ORG",
                kind="alias",
                actor_id=gov.actor_id,
                actor_name=gov.name,
                country=gov.country,
                sector="government",
                confidence=0.85,
            )
        )
