"""Finding the actors of one parsed document and resolving them to canonical actors.

The document is read in passes, each adding mentions where the text is still free:

1. people named in full (knowledge-base names, spaCy PERSON entities), with the titles and
   appositions that give their roles ("Secretary of State Rex Tillerson", "Brett McGurk,
   the U.S. special envoy …");
2. other knowledge-base aliases: organisations, countries, government seats ("the
   Kremlin"), capitals used for governments ("Moscow said" — see :mod:`.metonymy`), weak
   aliases that need support in the document ("The Times"), generic ones that need the
   document's country ("the Senate");
3. short references to people: surnames ("Putin", "Mr. Corker", "Capt. Davis"), initials
   ("V.Putin"), first names ("Jared") and nicknames ("Vlad", "The Donald", "45") — linked
   to people named in the document, else to the knowledge base by surname and date;
4. "<leader> administration" / "<leader> regime" as the government;
5. role phrases: "the Russian president" (the office holder at the document's date),
   "Putin's spokesman", "a U.S. official", "Syrian rebels", "Pentagon officials";
6. demonyms used as nouns ("the Russians") and organisations spaCy found that the
   knowledge base does not know (document-local actors).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .kb import Entry, KnowledgeBase
from .matcher import AliasMatch, scan
from .metonymy import is_metonymic
from .noise import drop_comment_noise, drop_places
from .names import (
    PARTICLES,
    fold,
    is_acronym,
    key,
    keys,
    person_parts,
    slug,
    strip_disambiguation,
    words_with_offsets,
)
from .roles import FUNCTIONAL, RoleInfo, analyse
from .types import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

STAGE = "actors"
VERSION = "1"

#: words that are surnames but also common English words: linking such a word to the
#: knowledge base alone needs a title or honorific ("President May")
COMMON_SURNAMES = frozenset(
    """
    may brown rice power page ross key kim lee park moon cook fox white young king hill wood
    stone little long short strong black green gray grey rose bush bell hunt reed price gates
    wall cotton flake paul ryan graham burns jones davis miller khan ali hassan abbas salam
    mustafa wang li zhang chen liu yang huang zhao wu zhou singh kumar martin thomas lewis clark
    allen wright scott baker adams nelson carter mitchell roberts turner evans edwards collins
    stewart morris murphy rogers morgan cooper reid kelly howard ward brooks sanders bennett
    perry powell hughes washington butler russell sullivan kennedy johnson williams smith wilson
    taylor anderson jackson harris martinez garcia rodriguez lopez hernandez gonzalez perez
    sanchez ramirez torres castro gomez mohammed mohamed ahmed hussein ibrahim abdullah salman
    hamad noda kan abe sharif wallace hammond fallon healey shapps cameron truss major north
    south west east blair gore reagan kerry sessions barr comey haley flynn austin esper carney
    bishop wong payne rutte tusk michel costa conte letta draghi monti suga aso pavel fico orban
    zeman sisi lula temer macri milei santos petro boric arce peña noboa mulino ortega bukele
    weah biya buhari ruto kagame kiir bashir hadi saleh haftar karzai ghani gul babacan fidan
    akar erdogan netanyahu gantz lapid herzog peres sharon barak olmert katz cohen aoun hariri
    berri mikati diab nasrallah qassem mubarak morsi tantawi abadi maliki sadr sistani barzani
    talabani zebari allawi
    """.split()
)
#: honorifics and title words (keys), for "Mr. Putin", "Capt. Davis", "President Trump"
HONORIFIC_MODIFIERS = frozenset(
    """
    acting assistant deputy vice special senior former chief prime foreign defense defence
    interior finance first principal lead top then ex under associate executive retired newly
    incoming outgoing presidential ranking
    """.split()
)
STRONG_GROUP_HEADS = frozenset(
    {
        "official",
        "rebel",
        "insurgent",
        "militant",
        "troop",
        "soldier",
        "police",
        "protester",
        "jihadist",
        "diplomat",
        "force",
        "forces",
        "fighter",
        "authority",
        "government",
        "regime",
        "administration",
        "opposition",
        "military",
        "army",
        "leadership",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "envoy",
        "ambassador",
        "minister",
        "president",
        "leader",
        "militia",
        "media",
        "state media",
        "lawmaker",
        "legislator",
        "senator",
        "delegation",
        "negotiator",
        "commander",
        "general",
        "officer",
        "agent",
        "intelligence official",
        "military official",
        "security force",
        "parliament",
        "counterpart",
        "premier",
        "chancellor",
        "prime minister",
        "foreign minister",
        "defense minister",
        "defence minister",
        "secretary of state",
        "press secretary",
        "state department",
        "ministry",
    }
)
ADMIN_WORDS = re.compile(
    r"^(?:\s*['’]s)?\s+(administration|government|regime|cabinet|White House|Kremlin)\b"
)
INITIAL_NAME = re.compile(r"\b([A-Z])\.\s?([A-Z][a-z]+(?:[-'][A-Za-z]+)?)\b")
GLUED_INITIAL = re.compile(r"\b([A-Z])([A-Z][a-z]{2,})\b")
POSSESSIVE = re.compile(r"['’]s?$")


@dataclasses.dataclass
class Cand:
    """A mention in the making."""

    start: int
    end: int
    label: str
    kind: str
    actor_id: str | None = None
    actor_name: str | None = None
    role: str | None = None
    country: str | None = None
    sector: str | None = None
    confidence: float = 0.8
    person: bool = False


@dataclasses.dataclass
class Anchor:
    """A person named in full in the document."""

    actor_id: str
    name: str
    given: str | None
    surnames: set[str]
    givens: set[str]
    start: int
    entry: Entry | None = None
    role: str | None = None
    country: str | None = None
    sector: str | None = None
    written_givens: set[str] = dataclasses.field(default_factory=set)  # as written in the text


def _doc_text(doc: Doc) -> str:
    """``doc.text``, shared with the quotes stage's copy (spaCy rebuilds it on each access)."""
    from ..nlp.quotes import _text

    return _text(doc)


class Reader:
    """The state of reading one document."""

    def __init__(
        self,
        doc: Doc,
        kb: KnowledgeBase,
        when: dt.date | None,
        authors: Iterable[str] = (),
        outlet: str | None = None,
        fuzzy_threshold: int = 90,
    ) -> None:
        self.doc = doc
        self.text = _doc_text(doc)
        self.kb = kb
        self.when = when
        self.authors = {fold(a).strip() for a in authors if a}
        self.outlet = outlet
        self.fuzzy_threshold = fuzzy_threshold
        self.words = words_with_offsets(self.text)
        self.cands: list[Cand] = []
        self.taken = bytearray(len(self.text) + 1)  # 1 where a mention already lies
        self.anchors: list[Anchor] = []
        self.country_counts: Counter[str] = Counter()
        self.supported: set[str] = set()
        self.appositions: list[tuple[Any, ...]] = []
        self.appositions_before: list[tuple[int, str]] = []

    # --- bookkeeping ------------------------------------------------------------------------

    def free(self, start: int, end: int) -> bool:
        return start < end and self.taken.find(1, start, end) == -1

    def overlapping(self, start: int, end: int) -> list[Cand]:
        if self.free(start, end):
            return []
        return [c for c in self.cands if not (c.end <= start or c.start >= end)]

    def add(self, cand: Cand) -> bool:
        if cand.start >= cand.end or not self.free(cand.start, cand.end):
            return False
        self.cands.append(cand)
        self.taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
        return True

    def remove(self, cand: Cand) -> None:
        self.cands.remove(cand)
        self.taken[cand.start : cand.end] = bytes(cand.end - cand.start)

    def span(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand")

    def entry_profile(self, entry: Entry) -> tuple[str | None, str | None, str | None]:
        role, country, sector, _ = entry.profile_at(self.when)
        return role, country, sector

    def person_map(self) -> dict[str, Entry]:
        """Surname key -> KB person, for people named in the document."""
        out: dict[str, Entry] = {}
        for anchor in self.anchors:
            if anchor.entry is not None:
                for surname in anchor.surnames:
                    out.setdefault(surname.split()[-1], anchor.entry)
        return out

    def top_countries(self, n: int = 2) -> set[str]:
        return {c for c, _ in self.country_counts.most_common(n)}


# --- the passes --------------------------------------------------------------------------------


def resolve(
    doc: Doc,
    doc_id: str,
    kb: KnowledgeBase,
    *,
    published: str | dt.date | None = None,
    authors: Iterable[str] = (),
    outlet: str | None = None,
    fuzzy_threshold: int = 90,
    bodies: Sequence[tuple[int, int]] = (),
) -> list[Mention]:
    """Actor mentions of ``doc`` (a spaCy ``Doc`` over the document's clean text).

    ``bodies`` are the spans of a comment thread's comments: outside them (commenter names
    and places, headers) only knowledge-base actors named in full are kept.
    """
    reader = Reader(doc, kb, _as_date(published), authors, outlet, fuzzy_threshold)
    matches = scan(reader.text, kb, reader.words)
    _profile(reader, matches)
    _full_names(reader, matches)
    _kb_matches(reader, matches)
    _short_references(reader)
    _nicknames(reader, matches)
    _appositions(reader)
    _administrations(reader)
    _role_phrases(reader)
    _demonym_groups(reader)
    _local_orgs(reader)
    drop_places(reader)
    if bodies:
        _drop_outside(reader, bodies)
        drop_comment_noise(reader, bodies)
    return _mentions(reader, doc_id)


def _drop_outside(reader: Reader, bodies: Sequence[tuple[int, int]]) -> None:
    """Comment headers ("Vincent (Vt.)", "Jeff (Westchester)") name commenters, not actors."""
    starts = sorted(bodies)
    for cand in list(reader.cands):
        inside = any(s <= cand.start < e for s, e in starts)
        weak = (cand.actor_id or "").startswith("x:") or cand.kind in ("first_name", "nickname")
        if not inside and weak:
            reader.remove(cand)


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    try:
        if len(text) >= 10:
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-15")
        if len(text) == 4:
            return dt.date(int(text), 7, 1)
    except ValueError:
        return None
    return None


def _profile(reader: Reader, matches: list[AliasMatch]) -> None:
    """Which countries the document is about, and which entries it names unambiguously."""
    for match in matches:
        for hit in match.hits:
            entry = reader.kb.entries[hit.entry_id]
            if hit.kind in ("name", "alias", "seat", "country") and entry.country:
                reader.country_counts[entry.country] += 1
            if hit.kind in ("name", "alias", "seat", "country"):
                reader.supported.add(entry.id)
    for ent in reader.doc.ents:
        if ent.label_ == "NORP":
            demonym = reader.kb.demonym(ent.text)
            if demonym:
                reader.country_counts[demonym[0]] += 1
    if reader.outlet:
        for hit in reader.kb.lookup(reader.outlet):
            reader.supported.add(hit.entry_id)


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
    for ent in reader.doc.ents:
        if ent.label_ != "PERSON":
            continue
        start, end, name = _clean_person(reader, ent)
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
    target = " ".join(words)
    best, best_score = None, 0.0
    for entry_id in candidates:
        entry = reader.kb.entries[entry_id]
        for alias in (entry.name, *entry.aliases):
            score = fuzz.ratio(target, " ".join(keys(strip_disambiguation(alias))))
            if score > best_score:
                best, best_score = entry, score
    return best if best_score >= reader.fuzzy_threshold else None


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


_TRAILING_HONORIFIC = re.compile(
    r"\s+(?:Mr|Mrs|Ms|Dr|Capt|Gen|Lt|Col|Maj|Adm|Sgt|Cmdr|Sen|Rep|Gov|Prof|Rev)\.?$"
)


def _clean_role(text: str) -> str:
    text = re.sub(r"^(?:the|a|an|its|his|her|their)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = _TRAILING_HONORIFIC.sub("", re.sub(r"\s+", " ", text))
    return text.strip(" ,")


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
        role, country, sector = reader.entry_profile(entry)
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
        reader.add(
            Cand(
                start=match.start,
                end=match.end,
                label=label,
                kind=kind,
                actor_id=entry.actor_id,
                actor_name=entry.name,
                role=role,
                country=country,
                sector=sector,
                confidence=confidence,
            )
        )


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
                in_person=in_person or hyphenated,
                honorific=honorific,
                token=tok,
            )


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
        role, country, sector = reader.entry_profile(entry)
        reader.add(
            Cand(
                start=title_start if title else start,
                end=end,
                label="PERSON",
                kind=kind,
                actor_id=entry.actor_id,
                actor_name=entry.name,
                role=role,
                country=country,
                sector=sector,
                confidence=0.7,
                person=True,
            )
        )
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
            role, country, sector = reader.entry_profile(entry)
            reader.add(
                Cand(
                    start=match.start,
                    end=match.end,
                    label="PERSON",
                    kind="nickname",
                    actor_id=entry.actor_id,
                    actor_name=entry.name,
                    role=role,
                    country=country,
                    sector=sector,
                    confidence=0.7,
                    person=True,
                )
            )
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


# --- 5. role phrases -----------------------------------------------------------------------------


def _role_phrases(reader: Reader) -> None:
    from .roles import tables

    doc = reader.doc
    heads = _role_heads(tables(reader.kb))
    for i in _token_indices(doc, "POS", ("NOUN", "PROPN"), "LOWER", heads):
        tok = doc[i]
        if tok.dep_ in ("compound",) and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i:
            continue
        if not reader.free(tok.idx, tok.idx + len(tok.text)):
            continue
        _role_phrase(reader, tok)


def _token_indices(
    doc: Doc, attr: str, values: tuple[str, ...], attr2: str | None = None,
    values2: frozenset[str] = frozenset(),
) -> list[int]:
    """Indices, in order, of the tokens whose ``attr`` ("POS", "TAG", "LOWER") is one of
    ``values`` (and ``attr2`` one of ``values2``), read from the token attribute array
    instead of token by token."""
    if not len(doc):
        return []
    attrs = [attr] if attr2 is None else [attr, attr2]
    arr = doc.to_array(attrs).reshape(len(doc), len(attrs))
    column = arr[:, 0]
    ids = _attr_ids(attr, values)
    mask = column == ids[0]
    for value in ids[1:]:
        mask |= column == value
    found = mask.nonzero()[0].tolist()
    if attr2 is None:
        return found
    wanted = _attr_id_set(attr2, values2)
    second = arr[found, 1].tolist()
    return [i for i, v in zip(found, second) if v in wanted]


@functools.lru_cache(maxsize=64)
def _attr_ids(attr: str, values: tuple[str, ...]) -> tuple[int, ...]:
    """The integer ids of ``values`` as ``Doc.to_array`` gives them for ``attr``."""
    from spacy.strings import get_string_id
    from spacy.symbols import IDS

    if attr == "POS":
        return tuple(IDS[v] for v in values)
    return tuple(get_string_id(v) for v in values)


@functools.lru_cache(maxsize=16)
def _attr_id_set(attr: str, values: frozenset[str]) -> frozenset[int]:
    return frozenset(_attr_ids(attr, tuple(values)))


_HEADS_CACHE: list[tuple[Any, frozenset[str]]] = []


def _role_heads(tab: Any) -> frozenset[str]:
    """Last words of the sector and office phrases of ``tab`` (built once per table)."""
    for known, heads in _HEADS_CACHE:
        if known is tab:
            return heads
    heads = frozenset({k[-1] for k in tab["sectors"]} | {k[-1] for k in tab["offices"]})
    _HEADS_CACHE[:] = [(tab, heads)]
    return heads


def _np_bounds(reader: Reader, tok: Token) -> tuple[int, int]:
    """Character bounds of the noun phrase headed by ``tok`` (left modifiers, and "of X"
    after office nouns)."""
    doc = reader.doc
    left = tok
    for child in tok.lefts:
        if (
            child.dep_
            in (
                "det",
                "amod",
                "compound",
                "nmod",
                "poss",
                "nummod",
                "quantmod",
                "npadvmod",
                "advmod",
                "case",
                "punct",
            )
            and child.i < left.i
        ):
            left = child.left_edge if child.left_edge.i < left.i else child
    while left.i < tok.i and (left.is_punct or left.lower_ in ("and", "or", "but")):
        left = doc[left.i + 1]
    end_tok = tok
    from .roles import tables

    offices = tables(reader.kb)["offices"]
    if (tok.lower_,) not in offices and tok.lower_ not in FUNCTIONAL:
        return left.idx, tok.idx + len(tok.text)
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == end_tok.i + 1:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                end_tok = objs[0].right_edge
        break
    return left.idx, end_tok.idx + len(end_tok.text)


def _role_phrase(reader: Reader, tok: Token) -> None:
    start, end = _np_bounds(reader, tok)
    if len(reader.text[start:end].split()) > 9:
        return
    inner = reader.overlapping(start, end)
    persons = [c for c in inner if c.person]
    analysed_from = start
    if persons:  # "Putin's spokesman": the possessor stays its own mention
        last = max(persons, key=lambda c: c.end)
        if last.end >= tok.idx:
            return
        between = reader.text[last.end : tok.idx]
        after = re.match(r"\s*(?:['’]s?)?\s*", between)
        start = last.end + (after.end() if after else 0)
        possessive = bool(re.match(r"\s*['’]", between))
        analysed_from = min(c.start for c in persons) if possessive else start
    text = reader.text[start:end]
    people = reader.person_map()
    for c in persons:
        entry = reader.kb.get(c.actor_id or "")
        if entry is not None:
            for form in keys(entry.name)[-1:]:
                people.setdefault(form, entry)
    info = analyse(reader.text[analysed_from:end], reader.kb, reader.when, people)
    if info.head is None and info.office is None:
        return
    decision = _decide_role(reader, tok, info, text)
    if decision is None:
        return
    start = _skip_determiner(reader, start, end)
    removed = [c for c in inner if not c.person]
    for c in removed:
        reader.remove(c)
    decision.start, decision.end = start, end
    if not reader.add(decision):
        for c in removed:
            reader.add(c)


def _skip_determiner(reader: Reader, start: int, end: int) -> int:
    m = re.match(
        r"(?:the|a|an|his|her|its|their|our|some|several|many|two|three|four)\s+",
        reader.text[start:end],
        flags=re.IGNORECASE,
    )
    return start + m.end() if m and start + m.end() < end else start


def _decide_role(reader: Reader, tok: Token, info: RoleInfo, text: str) -> Cand | None:
    kb, when = reader.kb, reader.when
    country = info.country
    role = _clean_role(text)
    singular = not info.plural and tok.tag_ not in ("NNS", "NNPS")
    definite = (
        any(
            t.lower_ in ("the", "his", "her", "its", "their") or t.dep_ == "poss" for t in tok.lefts
        )
        or tok.text[:1].isupper()
    )
    office = info.office
    if office == "spox":
        holder = _spokesperson(reader, info)
        if holder is not None and singular:
            return _person_cand(reader, holder, "title", role, 0.75)
    if office == "leader" and not country and info.person is None:
        office = None
    if office and office not in ("spox",) and singular and definite and country and not info.former:
        holder = kb.holder(country, office, when) if when else None
        if holder is not None:
            return _person_cand(reader, holder, "title", role, 0.8)
    if info.head and info.head.split()[-1] == "counterpart" and singular:
        holder = _counterpart(reader, tok, country)
        if holder is not None:
            return _person_cand(reader, holder, "title", role, 0.65)
    sector = info.sector or info.head_sector
    if sector in (None, "unknown") or len(set(info.countries)) > 1:
        return None
    if not (
        info.has_country_signal or (info.head in STRONG_GROUP_HEADS and info.plural and sector)
    ):
        return None
    if not info.has_country_signal:
        return None
    label = (
        "GROUP"
        if info.plural
        else (
            "TITLE"
            if singular and info.head in FUNCTIONAL | {"president", "minister", "leader"}
            else "ORG"
        )
    )
    actor = _group_actor(reader, info, country, sector)
    if actor is None:
        return None
    actor_id, name = actor
    return Cand(
        start=0,
        end=0,
        label=label,
        kind="group" if info.plural else "role",
        actor_id=actor_id,
        actor_name=name,
        role=role,
        country=country or (info.org.country if info.org else None),
        sector=sector,
        confidence=0.7,
    )


def _person_cand(reader: Reader, entry: Entry, kind: str, role: str, confidence: float) -> Cand:
    r, country, sector = reader.entry_profile(entry)
    return Cand(
        start=0,
        end=0,
        label="TITLE",
        kind=kind,
        actor_id=entry.actor_id,
        actor_name=entry.name,
        role=r or role,
        country=country,
        sector=sector,
        confidence=confidence,
        person=True,
    )


def _spokesperson(reader: Reader, info: RoleInfo) -> Entry | None:
    kb, when = reader.kb, reader.when
    if when is None:
        return None
    owners = kb.lexicon.get("spokesperson_of", {})
    if info.person is not None:
        term = info.person.term_at(when)
        if term and term.office in owners and term.country:
            return kb.holder(term.country, owners[term.office], when)
        return None
    org = info.org
    if org is None:
        return None
    if org.id.startswith("gov:"):
        return kb.holder(org.country or "", "spox_hos", when)
    name = org.name.lower()
    if org.country and ("defense" in name or "defence" in name or org.sector2 == "military"):
        return kb.holder(org.country, "spox_dm", when)
    if org.country and ("foreign" in name or "state" in name):
        return kb.holder(org.country, "spox_fm", when)
    return None


def _counterpart(reader: Reader, tok: Token, country: str | None) -> Entry | None:
    """ "The U.S. leader told his Russian counterpart": the same office in the other country."""
    if not country or reader.when is None:
        return None
    sent = tok.sent
    before = [c for c in reader.cands if c.person and sent.start_char <= c.start < tok.idx]
    for cand in reversed(before):
        entry = reader.kb.get(cand.actor_id or "")
        term = entry.term_at(reader.when) if entry else None
        if term and term.office:
            office = term.office
            if office in ("hos", "hog"):
                office = "leader"
            return reader.kb.holder(country, office, reader.when)
    return None


def _group_actor(
    reader: Reader, info: RoleInfo, country: str | None, sector: str | None
) -> tuple[str, str] | None:
    kb = reader.kb
    if info.org is not None and sector in ("government", info.org.sector, None):
        return info.org.actor_id, info.org.name
    if info.org is not None and info.org.id.startswith("gov:") and sector != "government":
        country = country or info.org.country
    if country is None:
        return None
    c = kb.countries.get(country)
    if c is None:
        return None
    if sector in ("government", None, "elite"):
        gov = kb.government(country)
        return (gov.actor_id, gov.name) if gov else None
    military = _national(kb, country, "military")
    if sector == "military" and military is not None:
        return military.actor_id, military.name
    adjective = c.adjectives[0] if c.adjectives else c.name
    label = {
        "military": "armed forces",
        "rebel": "rebels",
        "opposition": "opposition",
        "civilian": "civilians",
        "police": "police",
        "media": "media",
        "intelligence": "intelligence services",
        "legislature": "parliament",
        "judiciary": "judiciary",
        "paramilitary": "militias",
        "armed_group": "gunmen",
        "criminal": "criminal groups",
        "business": "business",
        "education": "academia",
        "religious": "religious leaders",
        "medical": "medical services",
        "refugee": "refugees",
        "labor": "labor unions",
        "agriculture": "farmers",
        "party": "political parties",
        "ngo": "NGOs",
        "human_rights": "rights groups",
        "health": "health authorities",
        "igo": "international officials",
    }.get(sector or "", sector or "people")
    return f"grp:{country}:{sector}", f"{adjective} {label}"


def _national(kb: KnowledgeBase, country: str, sector: str) -> Entry | None:
    """The knowledge base's national body of a sector ("Russian Armed Forces")."""
    national = kb.cache.setdefault("national", {})
    if (country, sector) not in national:
        c = kb.countries.get(country)
        found = None
        if c is not None:
            wanted = (
                {key(f"{adj} military") for adj in c.adjectives} if sector == "military" else set()
            )
            for entry in kb.entries.values():
                if (
                    entry.country == country
                    and entry.sector == sector
                    and wanted & {key(a) for a in entry.aliases}
                ):
                    found = entry
                    break
        national[(country, sector)] = found
    return national[(country, sector)]


# --- 6. demonyms and unknown organisations -----------------------------------------------------


def _demonym_groups(reader: Reader) -> None:
    """ "The Russians", "Syrians": the country as a collective actor."""
    kb = reader.kb
    doc = reader.doc
    for i in _token_indices(doc, "TAG", ("NNPS", "NNS", "NNP")):
        tok = doc[i]
        if not tok.text[:1].isupper():
            continue
        start, end = tok.idx, tok.idx + len(tok.text)
        if not reader.free(start, end):
            continue
        demonym = kb.demonym(tok.text)
        if demonym is None or demonym[1] != "people":
            continue
        entry = kb.country_entry(demonym[0])
        if entry is None:
            continue
        reader.add(
            Cand(
                start=start,
                end=end,
                label="NORP",
                kind="demonym",
                actor_id=entry.actor_id,
                actor_name=entry.name,
                country=demonym[0],
                sector=None,
                confidence=0.7,
            )
        )


def _local_orgs(reader: Reader) -> None:
    """Organisations spaCy found that the knowledge base does not know."""
    from rapidfuzz import fuzz, process

    kb = reader.kb
    choices, choice_ids = _org_choices(kb)
    for ent in reader.doc.ents:
        if ent.label_ not in ("ORG", "PERSON", "NORP"):
            continue
        tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
        while tokens and (tokens[-1].text in ("'s", "’s") or tokens[-1].is_punct):
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if not reader.free(start, end):
            continue
        name = reader.text[start:end]
        words = keys(name)
        if not words or all(w.isdigit() for w in words) or name.islower():
            continue
        if len(words) == 1 and (
            _is_role_word(kb, words[0]) or words[0] in _title_words(kb) or words[0] in kb.surnames
        ):
            continue
        if len(name) < 3 or "(" in name:
            continue  # "NY", "Edydee (Maine": abbreviations and commenter headers
        if ent.label_ != "ORG" and not (len(name) >= 6 and " " in name):
            continue
        if _is_author(reader, name):
            continue
        fuzzy = (
            process.extractOne(
                " ".join(words),
                choices,
                scorer=fuzz.ratio,
                score_cutoff=max(reader.fuzzy_threshold, 88),
            )
            if len(name) >= 6
            else None
        )
        if fuzzy is not None:
            entry = kb.entries[choice_ids[fuzzy[2]]]
            role, country, sector = reader.entry_profile(entry)
            reader.add(
                Cand(
                    start=start,
                    end=end,
                    label="ORG",
                    kind="alias",
                    actor_id=entry.actor_id,
                    actor_name=entry.name,
                    role=role,
                    country=country,
                    sector=sector,
                    confidence=0.6,
                )
            )
            continue
        if ent.label_ != "ORG" or len(name) < 2:
            continue
        info = analyse(name, kb, reader.when)
        reader.add(
            Cand(
                start=start,
                end=end,
                label="ORG",
                kind="local",
                actor_id=f"x:org:{slug(name)}",
                actor_name=name,
                country=info.country,
                sector=info.sector if info.sector not in ("unknown", "civilian") else None,
                confidence=0.6,
            )
        )


def _org_choices(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Alias keys of organisations (for fuzzy matching) and their entry ids."""
    if "org_choices" not in kb.cache:
        names, ids = [], []
        for entry in kb.entries.values():
            if entry.type == "PERSON" or entry.id.startswith(("gov:", "country:")):
                continue
            for alias in (entry.name, *entry.aliases):
                k = " ".join(keys(alias))
                if len(k) >= 6 and not is_acronym(alias):
                    names.append(k)
                    ids.append(entry.id)
        kb.cache["org_choices"] = (names, ids)
    return kb.cache["org_choices"]


# --- output -----------------------------------------------------------------------------------


def _mentions(reader: Reader, doc_id: str) -> list[Mention]:
    out: list[Mention] = []
    for i, cand in enumerate(sorted(reader.cands, key=lambda c: (c.start, c.end))):
        out.append(
            Mention(
                id=f"{doc_id}:m{i}",
                text=reader.text[cand.start : cand.end],
                label=cand.label,
                actor_id=cand.actor_id,
                actor_name=cand.actor_name,
                kind=cand.kind,
                role=cand.role,
                country=cand.country,
                sector=cand.sector,
                doc_id=doc_id,
                start=cand.start,
                end=cand.end,
                stage=STAGE,
                stage_version=VERSION,
                confidence=round(cand.confidence, 3),
            )
        )
    return out


def resolve_text(
    text: str,
    nlp: Any,
    kb: KnowledgeBase,
    *,
    published: str | dt.date | None = None,
    doc_id: str = "text",
    **options: Any,
) -> list[Mention]:
    """Parse ``text`` with ``nlp`` and resolve its actors (for tests, evaluation, the API)."""
    return resolve(nlp(text), doc_id, kb, published=published, **options)


def mentions_by_actor(mentions: Sequence[Mention]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.actor_id:
            out.setdefault(m.actor_id, []).append(m)
    return out
