"""Pass 1 of :mod:`.resolve`: people named in full (knowledge-base names, spaCy PERSON
entities), with the titles and appositions that give their roles ("Secretary of State Rex
Tillerson", "Brett McGurk, the U.S. special envoy …")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .kb import Entry, KnowledgeBase
from .matcher import AliasMatch
from .names import (
    PARTICLES,
    fold,
    given_form,
    is_acronym,
    keys,
    person_parts,
    slug,
    strip_disambiguation,
)
from .reading import HONORIFIC_MODIFIERS, POSSESSIVE, Anchor, Cand, Reader, _clean_role
from .role_phrases import _role_heads, _skip_determiner
from .roles import FUNCTIONAL, analyse

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# --- 1. people named in full ----------------------------------------------------------------


def _full_names(reader: Reader, matches: list[AliasMatch]) -> None:
    kb = reader.kb
    found: list[tuple[int, int, Entry | None, str]] = []
    for match in matches:
        people = [
            kb.entries[h.entry_id]
            for h in match.hits
            if h.kind in ("name", "alias") and kb.entries[h.entry_id].type == "PERSON"
        ]
        if people:
            found.append((match.start, match.end, _pick_person(people, reader.when), match.text))
    taken = [(s, e) for s, e, _, _ in found]
    known = [
        (m.start, m.end)
        for m in matches  # names the knowledge base gives to non-people
        if any(h.kind in ("name", "alias", "seat", "country") for h in m.hits)
    ]
    people = [_clean_person(reader, ent) for ent in reader.doc.ents if ent.label_ == "PERSON"]
    for start, end, name in _join_fragments(reader, people):
        if len([w for w in keys(name) if w not in PARTICLES]) < 2 or any(
            not (e <= start or s >= end) for s, e in taken
        ):
            continue
        if any(s <= start and end <= e for s, e in known):
            continue  # "Boko Haram", "Burkina Faso": the knowledge base knows it as no person
        if (
            _is_author(reader, name)
            or "(" in reader.text[end : end + 2]  # "Vincent (Vt.)": a commenter's header
            or _looks_like_title(reader.kb, name)
            or _two_surnames(reader, name)
        ):
            continue
        entry = _fuzzy_person(reader, name)
        found.append((start, end, entry, name))
        taken.append((start, end))
    for start, end, entry, name in sorted(found, key=lambda f: f[0]):
        _add_person(reader, start, end, entry, name)


def _join_fragments(
    reader: Reader, people: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Join a name the tagger cut in two ("Harry Ho-jen" + "Tseng") when the whole is a
    knowledge-base person's name."""
    if len(people) < 2:
        return people
    out = [people[0]]
    for start, end, name in people[1:]:
        p_start, p_end, p_name = out[-1]
        if p_name and name and start == p_end + 1 and reader.text[p_end] == " ":
            joined = reader.text[p_start:end]
            if _fuzzy_person(reader, joined) is not None:
                out[-1] = (p_start, end, joined)
                continue
        out.append((start, end, name))
    return out


def _pick_person(people: list[Entry], when: dt.date | None) -> Entry:
    if len(people) == 1 or when is None:
        return people[0]
    active = [p for p in people if p.term_at(when)]
    return active[0] if active else people[0]


def _clean_person(reader: Reader, ent: Span) -> tuple[int, int, str]:
    """The name part of a PERSON entity: without honorifics, titles and "'s"."""
    tokens = list(ent)
    honorifics = reader.kb.lexicon["honorifics"]
    while tokens and (
        tokens[0].text.rstrip(".") in honorifics
        or tokens[0].lower_ in ("the", "comrade")
        or tokens[0].is_stop
        or tokens[0].pos_ in ("AUX", "VERB", "ADV", "ADP")
    ):
        tokens.pop(0)
    while tokens and (tokens[-1].text in ("'s", "’s", "'", "’") or tokens[-1].is_punct):
        tokens.pop()
    if not tokens:
        return ent.start_char, ent.start_char, ""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = reader.text[start:end]
    stripped = POSSESSIVE.sub("", text) if text.endswith(("'s", "’s")) else text
    return start, start + len(stripped), stripped


def _two_surnames(reader: Reader, name: str) -> bool:
    """ "Trump Putin" is two people and "Putin Puppet" a person and a word, not one name."""
    words = keys(name)
    if len(words) != 2 or words[0] in reader.kb.given:
        return False
    leaders = [reader.kb.entries[e] for e in reader.kb.surnames.get(words[0], ())]
    return any(any(t.office in ("hos", "hog") for t in e.terms) for e in leaders) or all(
        w in reader.kb.surnames for w in words
    )


def _is_author(reader: Reader, name: str) -> bool:
    return bool(reader.authors) and fold(name).strip() in reader.authors


def _looks_like_title(kb: KnowledgeBase, name: str) -> bool:
    words = keys(name)
    return all(w in _title_words(kb) for w in words)


def _title_words(kb: KnowledgeBase) -> frozenset[str]:
    """Words of office phrases and honorifics (keys), built once per knowledge base."""
    cached = kb.cache.get("title_words")
    if cached is None:
        words: set[str] = set()
        for phrases in kb.lexicon["offices"].values():
            for p in phrases:
                words.update(keys(p))
        for honorific in kb.lexicon["honorifics"]:
            words.update(keys(honorific))
        words -= {"the", "of", "for", "and", "a", "an", "to", "on", "in", "s", "at", "by"}
        cached = kb.cache["title_words"] = frozenset(words | HONORIFIC_MODIFIERS)
    return cached


def _fuzzy_person(reader: Reader, name: str) -> Entry | None:
    """A knowledge-base person whose name is spelt a little differently."""
    from rapidfuzz import fuzz

    _, surname, words = person_parts(name)
    if not surname:
        return None
    candidates = set(reader.kb.surnames.get(surname, ())) | set(
        reader.kb.surnames.get(surname.split()[-1], ())
    )
    target_words = tuple(given_form(w) for w in words)
    target = " ".join(target_words)
    best, best_score = None, 0.0
    for entry_id in candidates:
        entry = reader.kb.entries[entry_id]
        for alias in (entry.name, *entry.aliases):
            alias_words = tuple(given_form(w) for w in keys(strip_disambiguation(alias)))
            score = fuzz.ratio(target, " ".join(alias_words))
            if score < reader.fuzzy_threshold and _middle_names_only(target_words, alias_words):
                score = float(reader.fuzzy_threshold)
            if score > best_score:
                best, best_score = entry, score
    return best if best_score >= reader.fuzzy_threshold else None


def _middle_names_only(name: tuple[str, ...], alias: tuple[str, ...]) -> bool:
    """Whether ``name`` and ``alias`` differ only by one or two given or middle names between
    the same first and last words: "Harry Ho-jen Tseng" for "Harry Tseng", "Joseph Jaushieh
    Wu" for "Joseph Wu" (an English name, the romanised given name, the surname), "Recep
    Erdogan" for "Recep Tayyip Erdogan"."""
    short, long_ = (alias, name) if len(alias) < len(name) else (name, alias)
    return (
        len(short) == 2
        and 3 <= len(long_) <= 4
        and short[0] == long_[0]
        and short[-1] == long_[-1]
        and len(short[0]) > 1
    )


def _add_person(reader: Reader, start: int, end: int, entry: Entry | None, name: str) -> None:
    title_start, title = _title_before(reader, start)
    appos = _apposition(reader, start, end)
    role_text = title or appos
    info = analyse(role_text, reader.kb, reader.when, reader.person_map()) if role_text else None
    if info is not None and not (info.head or info.office or info.org):
        info, title_start = None, start
    if (
        entry is None
        and info is not None
        and info.office in ("hos", "hog", "fm", "dm", "vp")
        and info.country
        and len(keys(name)) >= 2
    ):
        holder = reader.kb.holder(info.country, info.office, reader.when)
        if holder is not None and _same_surname(holder, name):
            entry = holder
    role, country, sector = reader.entry_profile(entry) if entry else (None, None, None)
    if info is not None:
        role = _clean_role(role_text) if not role or entry is None else role
        country = country or info.country
        sector = sector or info.sector
    actor_id = entry.actor_id if entry else f"x:person:{slug(name)}"
    actor_name = entry.name if entry else name
    before = [a for a in reader.appositions_before if a[1] == appos]
    if appos and not title and before:
        reader.appositions.append((before[-1][0], appos, entry, name, role, country, sector))
    elif appos and not title:
        reader.appositions.append((end, appos, entry, name, role, country, sector))
    cand = Cand(
        start=title_start if title else start,
        end=end,
        label="PERSON",
        kind="name" if entry else "local",
        actor_id=actor_id,
        actor_name=actor_name,
        role=role,
        country=country,
        sector=sector,
        confidence=0.95 if entry else 0.85,
        person=True,
    )
    if not reader.add(cand):
        cand.start = start
        if not reader.add(cand):
            return
    given, _, _ = person_parts(name, (entry.country if entry else None))
    anchor = Anchor(
        actor_id=actor_id,
        name=actor_name,
        given=given,
        surnames=set(),
        givens=set(),
        start=start,
        entry=entry,
        role=role,
        country=country,
        sector=sector,
    )
    _fill_anchor(
        reader,
        anchor,
        [name] + ([entry.name, *entry.aliases] if entry else []),
        entry.country if entry else None,
    )
    written = person_parts(name, entry.country if entry else None)
    if written[0] and len(written[2]) >= 2:
        anchor.written_givens.add(written[0])
    reader.anchors.append(anchor)


def _fill_anchor(reader: Reader, anchor: Anchor, forms: Iterable[str], country: str | None) -> None:
    """Surname and given-name keys by which the person may be referred to."""
    titles = _title_words(reader.kb)
    for form in forms:
        if is_acronym(form) or " of " in form:
            continue
        g, s, words = person_parts(form, country)
        if len(words) < 2:
            continue
        if s and s.split()[-1] not in titles:
            anchor.surnames.update({s, s.split()[-1]})
        if g and g not in titles and len(g) > 1:
            anchor.givens.add(g)


def _appositions(reader: Reader) -> None:
    """ "…, the U.S. special envoy to …," is another mention of the person it follows: the
    role noun (with what precedes it in its phrase) becomes a TITLE mention of that person;
    organisations named in the apposition keep their own mentions."""
    from .roles import tables

    heads = _role_heads(tables(reader.kb))
    for end, appos, entry, name, role, country, sector in reader.appositions:
        at = reader.text.find(appos, end)
        if at < 0 or at - end > 4:
            continue  # (for an apposition before the name, ``end`` is where it starts)
        span = reader.span(at, at + len(appos))
        head = next(
            (t for t in span or () if t.lower_ in heads and t.pos_ in ("NOUN", "PROPN")), None
        )
        if head is None:
            continue
        start, stop = at, head.idx + len(head.text)
        for cand in reader.overlapping(start, stop):
            if cand.end <= head.idx:
                tail = re.match(r"\s*(?:['’]s?)?\s*", reader.text[cand.end : stop])
                start = max(start, cand.end + (tail.end() if tail else 0))
        start = _skip_determiner(reader, start, stop)
        reader.add(
            Cand(
                start=start,
                end=stop,
                label="TITLE",
                kind="title",
                actor_id=entry.actor_id if entry else f"x:person:{slug(name)}",
                actor_name=entry.name if entry else name,
                role=role,
                country=country,
                sector=sector,
                confidence=0.8,
                person=True,
            )
        )


def _same_surname(entry: Entry, name: str) -> bool:
    _, surname, _ = person_parts(name)
    _, entry_surname, _ = person_parts(entry.name, entry.country)
    return bool(surname and entry_surname and surname.split()[-1] == entry_surname.split()[-1])


def _title_before(reader: Reader, start: int) -> tuple[int, str]:
    """A title written right before a name: "Secretary of State", "Pentagon spokesman Capt.",
    "Russian President", "Acting Assistant Secretary of State for Near East Affairs"."""
    span = reader.span(start, start + 1)
    if span is None or span.start == 0:
        return start, ""
    doc, kb = reader.doc, reader.kb
    title_words = _title_words(kb)
    i = span.start - 1
    tokens: list[Token] = []
    while i >= 0:
        tok = doc[i]
        low = tok.lower_.rstrip(".")
        if tok.text == "." and i > 0 and doc[i - 1].text in kb.lexicon["honorifics"]:
            tokens.insert(0, tok)  # "Capt" "." split by the tokenizer
            i -= 1
            continue
        if (
            tok.text == "-"
            and tokens
            and i > 0
            and doc[i - 1].text[:1].isupper()
            and not tok.whitespace_
        ):
            tokens.insert(0, tok)  # "Colonel-General"
            i -= 1
            continue
        if tok.is_punct or tok.is_space or "\n" in tok.whitespace_ or "\n" in tok.text:
            break
        if tok.text in ("'s", "’s"):
            tokens.insert(0, tok)
            i -= 1
            continue
        if low in ("of", "for", "and", "on", "to") and tokens:
            tokens.insert(0, tok)
            i -= 1
            continue
        if tok.text[:1].isupper() or low in title_words or _is_role_word(kb, low):
            tokens.insert(0, tok)
            i -= 1
            continue
        break
    while tokens and (
        tokens[0].lower_ in ("of", "for", "and", "on", "to", "'s", "’s")
        or not _title_anchor(reader, tokens[0])
    ):
        tokens.pop(0)
    if not tokens:
        return start, ""
    phrase = doc[tokens[0].i : tokens[-1].i + 1]
    if not any(_title_anchor(reader, t, strict=True) for t in tokens):
        return start, ""
    return phrase.start_char, phrase.text


def _is_role_word(kb: KnowledgeBase, low: str) -> bool:
    from .roles import tables

    tab = tables(kb)
    return (low,) in tab["sectors"] or (low,) in tab["offices"]


def _title_anchor(reader: Reader, tok: Token, strict: bool = False) -> bool:
    """Whether a token can begin (or, strictly, make) a title phrase."""
    kb = reader.kb
    low = tok.lower_.rstrip(".")
    if tok.text.rstrip(".") in kb.lexicon["honorifics"] or low in HONORIFIC_MODIFIERS:
        return (
            not strict
            or tok.text.rstrip(".") in kb.lexicon["honorifics"]
            and low not in HONORIFIC_MODIFIERS
        )
    if _is_role_word(kb, low) or low in _title_words(kb):
        return True
    if strict:
        return False
    if kb.demonym(tok.text) or kb.country_of(tok.text) or kb.lookup(tok.text):
        return True
    return tok.ent_type_ in ("ORG", "NORP", "GPE") or bool(
        reader.overlapping(tok.idx, tok.idx + len(tok.text))
    )


def _apposition(reader: Reader, start: int, end: int) -> str:
    """ "Brett McGurk, the U.S. special envoy to …," or "Putin's Syria envoy, Alexander
    Lavrentiev": a role noun phrase set off by commas next to the name."""
    text = reader.text
    after = re.match(
        r",\s+((?:the|a|an|its|his|her|their)\s+|[A-Z][\w.]+['’]s\s+)", text[end : end + 160]
    )
    if after:
        rest = text[end + after.start(1) : end + 200]
        stop = re.search(r"[,;:\n()\"“”]|(?<=[a-z]{2})\.(?=\s|$)", rest)
        phrase = rest[: stop.start()] if stop else ""
        if 3 <= len(phrase) <= 140:
            return phrase
    before = text[max(0, start - 120) : start]
    m = re.search(r"([A-Z][^,;:.()\n]{2,100}?),\s*$", before)
    if m and end < len(text) and text[end : end + 1] == ",":
        phrase = m.group(1)
        info = analyse(phrase, reader.kb, reader.when, reader.person_map())
        if (
            info.head
            and info.head.split()[-1] in FUNCTIONAL | {"envoy", "ambassador", "minister"}
            and not info.plural
        ):
            reader.appositions_before.append((start - len(before) + m.start(1), phrase))
            return phrase
    return ""
