"""The state of reading one document for actors (:class:`Reader`), the mentions in the
making (:class:`Cand`), people named in full (:class:`Anchor`) and word lists the passes of
:mod:`.resolve` share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..nlp.pipeline import doc_text
from .kb import Entry, KnowledgeBase
from .names import fold, words_with_offsets

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


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
    su you han ko hou chu koo cho lin feng yen chiu hsiao kuo lu ma xu sun gao he hu
    patel sharma malik shah holmes floyd reeves
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
        self.text = doc_text(doc)
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

    def entry_cand(self, entry: Entry, start: int, end: int, *, label: str, kind: str,
                   confidence: float, person: bool = False) -> Cand:
        """A mention of a knowledge-base entry, with its role, country and sector at the
        document's date."""
        role, country, sector = self.entry_profile(entry)
        return Cand(start=start, end=end, label=label, kind=kind, actor_id=entry.actor_id,
                    actor_name=entry.name, role=role, country=country, sector=sector,
                    confidence=confidence, person=person)

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


_TRAILING_HONORIFIC = re.compile(
    r"\s+(?:Mr|Mrs|Ms|Dr|Capt|Gen|Lt|Col|Maj|Adm|Sgt|Cmdr|Sen|Rep|Gov|Prof|Rev)\.?$"
)


def _clean_role(text: str) -> str:
    text = re.sub(r"^(?:the|a|an|its|his|her|their)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = _TRAILING_HONORIFIC.sub("", re.sub(r"\s+", " ", text))
    return text.strip(" ,")
