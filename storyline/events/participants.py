"""Who takes part in an event: the actors found at a place in the parse.

The actors stage gives *mentions* (a span of text resolved to an actor, with its country,
sector and role).  Events need actors at syntactic positions: the subject of a verb, the
object of "with", the possessor of a noun.  :class:`Participants` answers that, and also
reads what mentions alone do not give:

* compound actors: "Senior Hungarian and Romanian officials", "Russia, Iran and Turkey's";
* role phrases resolved against the people of the same document: "the presidents of
  Russia and the United States", "the U.S. leader", "his Russian counterpart",
  "the two presidents";
* pronouns: "he", "it" (nearest suitable actor before them);
* unresolved noun phrases ("pro-regime forces") kept as text, without an actor id.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..errors import StorylineError
from ..nlp.pipeline import doc_text, subject_rank
from .countries import iso3

#: title words that make a noun a role ("the Russian president")
ROLE_WORDS = {
    "president", "leader", "minister", "chancellor", "secretary", "envoy", "ambassador",
    "spokesman", "spokeswoman", "spokesperson", "king", "queen", "premier", "senator",
    "governor", "commander", "counterpart", "emir", "prince", "monarch", "ruler", "general",
    "diplomat", "representative", "chief", "head", "foreign minister",
}
#: roles that mean "the head of state or government of the country"
LEADER_ROLES = {"president", "leader", "chancellor", "premier", "king", "queen", "emir",
                "monarch", "ruler", "prime", "counterpart"}
#: nouns naming groups of people that can act as participants even when unresolved
AGENT_NOUNS = {
    "official", "officials", "forces", "force", "troops", "soldiers", "army", "military",
    "rebels", "militants", "militias", "militia", "government", "authorities", "police",
    "diplomats", "protesters", "demonstrators", "opposition", "fighters", "insurgents",
    "guerrillas", "groups", "group", "coalition", "regime", "administration", "leaders",
    "ministers", "negotiators", "envoys", "delegation", "parliament", "court", "workers",
    "students", "prisoners", "civilians", "refugees", "villagers", "residents", "people",
    "members", "senators", "lawmakers", "legislators", "allies", "partners", "powers",
    "states", "countries", "nations", "agency", "organization", "organisation", "union",
    "party", "parties", "movement", "commission", "council", "committee", "ministry",
    "department", "embassy", "jihadists", "terrorists", "gunmen", "hackers", "farmers",
    "inhabitants", "youths", "teachers", "journalists", "leader", "president", "minister",
    "spokesman", "commander", "army", "navy", "agents", "inspectors", "peacekeepers",
    "observers", "factions", "proxies", "backers", "sides",
}
STANCE = re.compile(r"\b(anti|pro)\s*[-‑–]\s*[\"“]?$", re.I)
#: entity types that never stand for an actor ("on May 3", "59 missiles")
NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
GROUP_PRONOUNS = {"it", "they", "them", "its", "their"}


@dataclasses.dataclass
class Participant:
    """One participant of an event (``actor_id`` None when the actors stage did not
    resolve it; ``how`` tells how it was found)."""

    text: str
    start: int
    end: int
    actor_id: str | None = None
    country: str | None = None
    sector: str | None = None
    label: str | None = None
    role: str | None = None
    how: str = "mention"  # mention, role, pronoun, phrase, inherited, place

    @property
    def key(self) -> str:
        return self.actor_id or self.text.lower()


@dataclasses.dataclass
class Person:
    actor_id: str | None
    name: str
    country: str | None
    titles: set[str]
    first: int
    count: int = 0


def _mention_attr(mention: Any, name: str) -> Any:
    return getattr(mention, name, None) if not isinstance(mention, dict) else mention.get(name)


class Participants:
    """Actors of one parsed document, findable by token."""

    def __init__(self, doc: Doc, mentions: Sequence[Any] | None,
                 demonym: Any = None, places: Sequence[Any] = ()) -> None:
        self.doc = doc
        self.demonym = demonym or country_of_demonym
        self.places = sorted((int(_mention_attr(p, "start")), int(_mention_attr(p, "end")),
                              iso3(_mention_attr(p, "country"))) for p in places
                             if _mention_attr(p, "country"))
        self._place_starts = [p[0] for p in self.places]
        self._longest_place = max((p[1] - p[0] for p in self.places), default=0)
        self.by_token: dict[int, Participant] = {}
        self.stance: dict[int, tuple[str, Participant]] = {}
        self.spans: list[tuple[Span, Participant]] = []
        self._index(mentions if mentions is not None else self._fallback())
        self.persons = self._persons()

    # --- building ----------------------------------------------------------------------

    def _fallback(self) -> list[dict[str, Any]]:
        """Named entities as unresolved mentions (used only when no actors stage ran)."""
        return [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_}
                for e in self.doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]

    def _index(self, mentions: Iterable[Any]) -> None:
        text = doc_text(self.doc)
        for m in mentions:
            start, end = _mention_attr(m, "start"), _mention_attr(m, "end")
            if start is None or end is None:
                continue
            span = self.doc.char_span(int(start), int(end), alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            part = Participant(text=_mention_attr(m, "text") or span.text, start=span.start_char,
                               end=span.end_char, actor_id=_mention_attr(m, "actor_id"),
                               country=_mention_attr(m, "country") or
                               self._place_country(span.start_char, span.end_char),
                               sector=_mention_attr(m, "sector"),
                               label=_mention_attr(m, "label"), role=_mention_attr(m, "role"))
            stance = STANCE.search(text[max(0, span.start_char - 6):span.start_char])
            if stance:  # "anti-Assad groups" are not Assad
                for i in range(span.start, span.end):  # the span's token indices
                    self.stance[i] = (stance.group(1).lower(), part)
                continue
            self.spans.append((span, part))
            for i in range(span.start, span.end):
                self.by_token.setdefault(i, part)

    def _place_country(self, start: int, end: int) -> str | None:
        """The country of a place the geo stage found at this span ("a visit to Moscow")."""
        # bisect instead of a scan: a long document has thousands of mentions and places
        first = bisect.bisect_left(self._place_starts, start - self._longest_place)
        last = bisect.bisect_left(self._place_starts, end)
        for p_start, p_end, country in self.places[first:last]:
            if p_start < end and start < p_end:
                return country
        return None

    def _persons(self) -> dict[str, Person]:
        people: dict[str, Person] = {}
        for span, part in self.spans:
            if (part.label or "").upper() not in ("PERSON", "PER"):
                continue
            key = part.actor_id or part.text
            person = people.get(key)
            if person is None:
                person = people[key] = Person(part.actor_id, part.text, part.country, set(),
                                              span.start)
            person.count += 1
            person.titles |= _titles_of(span, part)
            person.country = person.country or part.country or self._title_country(span)
            if len(part.text) > len(person.name):
                person.name = part.text
        return people

    def _title_country(self, span: Span) -> str | None:
        """Country of a title before a name: "Russian President Vladimir Putin"."""
        for token in reversed(list(self.doc[max(0, span.start - 4):span.start])):
            other = self.by_token.get(token.i)
            if other and other.country and (other.label or "").upper() in ("NORP", "GPE"):
                return other.country
        return None

    # --- lookups -----------------------------------------------------------------------

    def at(self, token: Token) -> Participant | None:
        return self.by_token.get(token.i)

    def find(self, head: Token, *, depth: int = 0) -> list[Participant]:
        """The participants a phrase headed by ``head`` refers to (with its conjuncts)."""
        found = [self._enrich(p, head) for p in self._find_one(head, depth)]
        if found and found[0].how == "mention":
            found += self._coordinated_demonyms(head, found)
        for conj in head.children:
            if conj.dep_ == "conj" and conj.i > head.i:
                found += self.find(conj, depth=depth)
        return _unique(found)

    def _find_one(self, head: Token, depth: int) -> list[Participant]:
        part = self.at(head)
        if part is not None:
            return [part]
        lower = head.lower_
        if head.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return self.pronoun(head)
        if head.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") or head.ent_type_ in NOT_ACTORS:
            return []
        if head.dep_ in ("amod", "compound", "nmod") and head.ent_type_ == "NORP":
            country = self.demonym(head.text)
            if country:  # "an Indian proposal", "Romanian officials"
                return [Participant(text=head.text, start=head.idx,
                                    end=head.idx + len(head.text), country=country,
                                    label="NORP", how="demonym")]
        appos = [p for c in head.children if c.dep_ == "appos" for p in self.find(c)]
        if appos:
            return appos
        aligned = self._stance_group(head)
        if aligned:
            return aligned
        if head.lemma_.lower() in ROLE_WORDS:
            resolved = self.role(head)
            if resolved:
                return resolved
        inside = self._modifiers(head, depth)
        if inside:
            return inside
        if lower in AGENT_NOUNS or head.lemma_.lower() in AGENT_NOUNS:
            return [self.phrase(head)]
        return []

    def _stance_group(self, head: Token) -> list[Participant]:
        """"anti-Assad groups" (opposition of Assad's country), "pro-regime forces"
        (forces siding with the government)."""
        for token in head.subtree:
            if token.i >= head.i or token.i not in self.stance:
                continue
            side, other = self.stance[token.i]
            start, end = _phrase_span(head)
            sector = "opposition" if side == "anti" else "paramilitary"
            return [Participant(text=_phrase_text(head), start=start, end=end,
                                country=other.country, sector=sector, how="phrase")]
        return []

    def _coordinated_demonyms(self, head: Token, found: list[Participant]) -> list[Participant]:
        """"Senior Hungarian and Romanian officials" read as one mention: one participant
        per nationality."""
        have = {p.country for p in found}
        extra = []
        for child in head.children:
            if child.dep_ != "amod":
                continue
            for token in [child, *[c for c in child.children if c.dep_ == "conj"]]:
                country = self.demonym(token.text) if token.ent_type_ == "NORP" else None
                if country and country not in have:
                    have.add(country)
                    extra.append(dataclasses.replace(found[0], country=country,
                                                     actor_id=None, how="demonym"))
        return extra

    def _enrich(self, part: Participant, head: Token) -> Participant:
        """Give an actor without a country the country its phrase states: "Lebanon's new
        President Elias Hrawi", "U.N. mediator Diego Cordovez"."""
        if part.country or part.how != "mention":
            return part
        for child in head.subtree:
            if child.i < head.i and child.i not in range(*_token_range(self, part)):
                other = self.at(child)
                if other is not None and other is not part:
                    if other.country:
                        return dataclasses.replace(part, country=other.country)
                    if other.sector in ("igo", "ngo") and not part.sector:
                        return dataclasses.replace(part, sector=other.sector)
        return part

    def _modifiers(self, head: Token, depth: int) -> list[Participant]:
        """Actors inside a noun phrase: "Hungarian officials", "Russia's envoy",
        "forces of the government", "the Syrian government air base"."""
        found: list[Participant] = []
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod", "poss", "nummod") and child.i < head.i:
                found += self.find(child, depth=depth + 1)
        if not found and depth < 2:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            found += self.find(obj, depth=depth + 1)
        if found and head.lemma_.lower() in AGENT_NOUNS:
            # "Russian officials": keep the group's text, the country of the modifier
            return [dataclasses.replace(p, text=_phrase_text(head), start=_phrase_span(head)[0],
                                        end=_phrase_span(head)[1], how=p.how)
                    if p.actor_id is None or (p.label or "").upper() in ("NORP", "GPE") else p
                    for p in found]
        return found

    def phrase(self, head: Token) -> Participant:
        start, end = _phrase_span(head)
        return Participant(text=_phrase_text(head), start=start, end=end, how="phrase")

    # --- pronouns and roles ----------------------------------------------------------

    def pronoun(self, token: Token) -> list[Participant]:
        """The nearest earlier actor a pronoun can refer to (same or previous sentence)."""
        lower = token.lower_
        if lower in ("i", "me", "we", "us", "you", "our", "my", "your"):
            return []
        want_person = lower in PERSON_PRONOUNS
        sent_start = token.sent.start
        earlier_sent = self._previous_sentence_start(token.sent)
        found: list[tuple[int, Participant]] = []  # nearest first, in one sentence
        for i in range(token.i - 1, earlier_sent - 1, -1):
            part = self.by_token.get(i)
            if part is None:
                continue
            label = (part.label or "").upper()
            is_person = label in ("PERSON", "PER")
            if want_person == is_person and label != "NORP":
                if i < sent_start and not want_person:
                    break
                if found and self.doc[found[0][0]].sent.start != self.doc[i].sent.start:
                    break
                found.append((i, part))
        if not found:
            return []
        best = 0  # in the pronoun's own sentence, the nearest ("… to prop Trump up, give him")
        if found[0][0] < sent_start:  # "Trump took swipes at Jeb Bush. He …": the subject
            best = max(range(len(found)),
                       key=lambda k: (*subject_rank(self.doc[found[k][0]]), -k))
        return [dataclasses.replace(found[best][1], how="pronoun")]

    def _previous_sentence_start(self, sent: Span) -> int:
        if sent.start == 0:
            return 0
        return self.doc[sent.start - 1].sent.start

    def role(self, head: Token) -> list[Participant]:
        """People of this document a role phrase names: "the presidents of Russia and the
        United States", "his Russian counterpart", "the U.S. leader", "the two presidents"."""
        title = head.lemma_.lower()
        countries = [p.country for p in self._modifiers(head, 1) if p.country]
        leaders_only = title in LEADER_ROLES
        matches = [p for p in self.persons.values()
                   if (title in p.titles or (leaders_only and p.titles & LEADER_ROLES))]
        if countries:
            matches = [p for p in matches if p.country in countries]
        elif not _is_numbered_plural(head):
            return []
        if not matches:
            return []
        matches.sort(key=lambda p: (-p.count, p.first))
        wanted = max(len(set(countries)), _number(head))
        return [Participant(text=p.name, start=head.idx, end=head.idx + len(head.text),
                            actor_id=p.actor_id, country=p.country, label="PERSON", how="role")
                for p in matches[:wanted]]


def country_of_demonym(word: str) -> str | None:
    """The country a nationality adjective names ("Indian" -> IND), from the actors'
    knowledge base (None when it is not available)."""
    kb = _kb()
    if kb is None:
        return None
    from ..actors.names import keys

    hit = kb.demonyms.get(keys(word))
    return hit[0] if hit else None


_KB: list[Any] = []


def _kb() -> Any:
    if not _KB:
        try:
            from ..actors.kb import load_kb

            _KB.append(load_kb())
        except (ImportError, OSError, ValueError, StorylineError):  # optional here
            _KB.append(None)
    return _KB[0]


def _titles_of(span: Span, part: Participant) -> set[str]:
    """Title words before or around a person's name ("Russian President", "envoy, X")."""
    titles: set[str] = set()
    if part.role:
        titles |= {w for w in part.role.lower().replace(",", " ").split() if w in ROLE_WORDS}
    doc = span.doc
    for token in reversed(list(doc[max(0, span.start - 5):span.start])):
        if token.lemma_.lower() in ROLE_WORDS:
            titles.add(token.lemma_.lower())
        elif token.is_punct and token.text != ".":
            break
    root = span.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in ROLE_WORDS:
        titles.add(root.head.lemma_.lower())
    for child in root.children:
        if child.dep_ == "appos" and child.lemma_.lower() in ROLE_WORDS:
            titles.add(child.lemma_.lower())
    if "prime" in titles:
        titles.add("minister")
    return titles


def _token_range(actors: Participants, part: Participant) -> tuple[int, int]:
    span = actors.doc.char_span(part.start, part.end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


def _is_numbered_plural(head: Token) -> bool:
    return head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" for c in head.children)


def _number(head: Token) -> int:
    for child in head.children:
        if child.dep_ == "nummod" and child.like_num:
            words = {"two": 2, "three": 3, "four": 4, "both": 2}
            return words.get(child.lower_, int(child.text) if child.text.isdigit() else 2)
    if any(c.lower_ == "both" for c in head.children):
        return 2
    return 2 if head.tag_ in ("NNS", "NNPS") else 1


def _phrase_tokens(head: Token) -> tuple[int, int]:
    """Token span ``[first, last]`` of a noun phrase without its clauses and prepositional
    tails."""
    first = last = head.i
    for child in head.children:
        if child.i < head.i and child.dep_ in ("det", "amod", "compound", "nmod", "poss",
                                               "nummod", "quantmod", "case", "punct", "advmod"):
            for t in child.subtree:
                first, last = min(first, t.i), max(last, t.i)
    return first, last


def _phrase_span(head: Token) -> tuple[int, int]:
    """Character span of a noun phrase without its clauses and prepositional tails."""
    first, last = _phrase_tokens(head)
    doc = head.doc
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _phrase_text(head: Token) -> str:
    first, last = _phrase_tokens(head)
    # the span's text is the document's text between its first and last token, without
    # reading Doc.text (which joins every token of the document)
    text = head.doc[first:last + 1].text
    for det in ("the ", "a ", "an ", "The ", "A ", "An "):
        if text.startswith(det):
            text = text[len(det):]
    return text.strip(" \"'“”")


def _unique(parts: list[Participant]) -> list[Participant]:
    seen: set[str] = set()
    out = []
    for part in parts:
        if part.key in seen:
            continue
        seen.add(part.key)
        out.append(part)
    return out


def countries(parts: Iterable[Participant]) -> Counter[str]:
    return Counter(p.country for p in parts if p.country)
