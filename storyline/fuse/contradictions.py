"""Contradictions: statements that conflict, with both sides and their sources.

* **omission** — "X's readout made no mention of Y": side *b* is X's silence, side *a* the
  statement of another source that does say Y (found in the same document, then in the
  other documents of its story; "made no mention of this" points to the sentence before);
* **denial** — "claims from X that Y (which Z denied)", "Z denied the allegation":
  side *a* is the claim and its source, side *b* the denial and the denier;
* **opposite** — two documents' versions of one claim where one negates the other;
* **modality** — one event cluster reported as happened by some and as cancelled or
  denied by others.

Claims whose sources take part in a contradiction become ``contested``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..store.db import Store
from . import corpus
from .attribution import attributed_source, source_key
from .provenance import upstreams
from .stories import _stem
from .text import NEGATION, content_words, jaccard
from .types import Contradiction
from .units import StatementUnit, build_units, speaker, units_by_doc

_NAME = r"(?:[A-Z][\w.'’\-]*|U\.S\.)"
_SRC = (rf"(?P<src>(?:[Tt]he\s+)?(?:{_NAME}\s+){{0,4}}?{_NAME}(?:['’]s)?"
        r"(?:\s+(?:own\s+)?(?:readout|statement|account|version|communiqu[ée]|release|"
        r"transcript|summary|report))?)")
OMISSION = re.compile(
    _SRC + r"(?:\s+of\s+(?:the\s+)?\w+)?\s+(?:made no mention of|did not mention|"
    r"didn['’]t mention|"
    r"does not mention|made no reference to|said nothing about|was silent on|omitted)\s+"
    r"(?P<topic>[^.;,]+)")
_DENY = (r"(?:denied|deny|denies|disputed|disputes|rejected|rejects|refuted|refutes|"
         r"dismissed|dismisses)")
_B = (r"(?P<b>(?:[Tt]he\s+)?(?:[A-Z][\w.'’\-]*\s+){0,4}(?:[A-Z][\w.'’\-]*|officials|"
      r"spokes(?:man|woman|person)|government|ministry|authorities))")
DENIALS = (
    re.compile(r"(?:claims?|reports?|allegations?|assertions?|statements?|suggestions?)\s+"
               r"(?:from|by)\s+(?:the\s+)?(?P<a>[A-Z][^,;()]{2,60}?)\s+that\s+"
               rf"(?P<claim>[^()]{{10,300}}?)\s*\((?:which|that)\s+(?P<b>[^()]{{2,60}}?)\s+"
               rf"(?:have\s+|has\s+|had\s+)?{_DENY}\)"),
    re.compile(rf"{_B}\s+(?:has\s+|have\s+|had\s+|also\s+|strongly\s+|flatly\s+|repeatedly\s+)*"
               rf"{_DENY}\s+(?:(?:the|any|these|those|such|that|this)\s+)?(?:claims?|reports?|"
               r"allegations?|accusations?|suggestions?|assertions?|charges?)"
               r"(?:\s+(?:by|from|of)\s+(?P<a>[^,.;]{2,60}?))?"
               r"(?:\s+that\s+(?P<claim>[^.;]{10,300}))?"
               r"(?=[.;,]|$)"),
    re.compile(rf"{_B}\s+(?:has\s+|have\s+|had\s+|also\s+|strongly\s+|flatly\s+)*"
               rf"{_DENY}\s+that\s+(?P<claim>[^.;]{{10,300}})"),
)
_PRONOUN_TOPIC = {"this", "that", "it", "these", "those", "them", "the matter", "the issue"}


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in content_words(text)}


def _side_source(u: StatementUnit) -> str | None:
    return u.source or speaker(u.text) or attributed_source(u.text)


def _sentence_at(units: list[StatementUnit], offset: int) -> int | None:
    for i, u in enumerate(units):
        if u.start <= offset < u.end:
            return i
    return None


class StoryIndex:
    """The statements of one story, indexed by word stem when first asked (only stories
    holding an omission pay for it)."""

    def __init__(self, units: list[StatementUnit]) -> None:
        self.units = units
        self._postings: dict[str, list[int]] | None = None

    def candidates(self, wanted: set[str]) -> list[StatementUnit]:
        """Statements holding at least half of the ``wanted`` stems."""
        if self._postings is None:
            self._postings = defaultdict(list)
            for i, u in enumerate(self.units):
                for stem in _stems(u.text):
                    self._postings[stem].append(i)
        hits: dict[int, int] = defaultdict(int)
        for stem in wanted:
            for i in self._postings.get(stem, ()):
                hits[i] += 1
        return [self.units[i] for i, n in hits.items() if n >= len(wanted) / 2]


def find_omissions(doc_units: list[StatementUnit],
                   story: StoryIndex) -> list[Contradiction]:
    out = []
    for i, u in enumerate(doc_units):
        for m in OMISSION.finditer(u.text):
            b_source = re.sub(r"^[Tt]he\s+", "", m.group("src"))
            b_source = b_source.replace("’s", "").replace("'s", "")
            topic = m.group("topic").strip()
            if topic.lower() in _PRONOUN_TOPIC:
                a = doc_units[i - 1] if i > 0 else None
            else:
                a = _topic_statement(topic, b_source, u, doc_units, story)
            if a is None:
                continue
            out.append(Contradiction(
                id="", kind="omission", a_doc_id=a.doc_id, a_start=a.start, a_end=a.end,
                a_source=_side_source(a) or a.outlet, a_text=a.text, b_doc_id=u.doc_id,
                b_start=u.start, b_end=u.end, b_source=b_source, b_text=u.text,
                topic=topic if topic.lower() not in _PRONOUN_TOPIC else a.text[:120],
                confidence=0.8))
    return out


def _topic_statement(topic: str, b_source: str, omission: StatementUnit,
                     doc_units: list[StatementUnit], story: StoryIndex) -> StatementUnit | None:
    """The statement, by another source, that says what the omission is about."""
    wanted = _stems(topic)
    if not wanted:
        return None
    b_key = source_key(b_source)
    best, best_score = None, 0.0
    for pool, bonus in ((doc_units, 0.6), (story.candidates(wanted), 0.0)):
        for u in pool:
            if u is omission or OMISSION.search(u.text):
                continue
            have = _stems(u.text)
            cover = len(wanted & have) / len(wanted)
            if cover < 0.5:
                continue
            src = _side_source(u)
            if src and source_key(src) == b_key:
                continue
            score = cover + bonus + (0.5 if src else 0.0)
            if score > best_score:
                best, best_score = u, score
    return best


def find_denials(doc_units: list[StatementUnit]) -> list[Contradiction]:
    out = []
    for i, u in enumerate(doc_units):
        for pattern in DENIALS:
            m = pattern.search(u.text)
            if not m:
                continue
            groups = m.groupdict()
            denier = re.sub(r"^[Tt]he\s+", "", groups["b"].strip())
            claim = groups.get("claim")
            claimant = groups.get("a")
            if claim:
                a_text, a_unit = claim.strip(), u
                a_start = u.start + m.start("claim")
                a_end = a_start + len(claim.strip())
            elif i > 0:
                a_unit = doc_units[i - 1]
                a_text, a_start, a_end = a_unit.text, a_unit.start, a_unit.end
            else:
                continue
            out.append(Contradiction(
                id="", kind="denial", a_doc_id=a_unit.doc_id, a_start=a_start, a_end=a_end,
                a_source=(claimant or _side_source(a_unit) or a_unit.outlet or "").strip() or None,
                a_text=a_text, b_doc_id=u.doc_id, b_start=u.start, b_end=u.end,
                b_source=denier, b_text=u.text, topic=a_text[:160], confidence=0.75))
            break
    return out


def find_opposites(store: Store) -> list[Contradiction]:
    """Versions of one claim, from different upstreams, where exactly one is negated."""
    rows = store.query("SELECT claim_id, doc_id, start, \"end\", text, outlet, upstream "
                       "FROM claim_sources ORDER BY claim_id")
    by_claim: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_claim[r["claim_id"]].append(r)
    out = []
    for claim_id, rows_ in by_claim.items():
        members = list({r["upstream"]: r for r in reversed(rows_)}.values())  # one per upstream
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                if a["upstream"] == b["upstream"]:
                    continue
                neg_a, neg_b = bool(NEGATION.search(a["text"])), bool(NEGATION.search(b["text"]))
                if neg_a == neg_b or jaccard(_stems(a["text"]), _stems(b["text"])) < 0.4:
                    continue
                out.append(Contradiction(
                    id="", kind="opposite", a_doc_id=a["doc_id"], a_start=a["start"],
                    a_end=a["end"], a_source=a["outlet"], a_text=a["text"], b_doc_id=b["doc_id"],
                    b_start=b["start"], b_end=b["end"], b_source=b["outlet"], b_text=b["text"],
                    topic=a["text"][:120], a_claim_id=claim_id, b_claim_id=claim_id,
                    confidence=0.5))
    return out


def find_modality_conflicts(store: Store) -> list[Contradiction]:
    rows = store.query(
        "SELECT c.id AS cluster, c.label, e.doc_id, e.start, e.\"end\", e.sentence, e.modality, "
        "e.reported_by FROM event_clusters c JOIN event_cluster_members m ON m.cluster_id = c.id "
        "JOIN events e ON e.id = m.event_id WHERE c.status = 'contested'")
    by_cluster: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_cluster[r["cluster"]].append(r)
    out = []
    for members in by_cluster.values():
        happened = [r for r in members if (r["modality"] or "happened") in ("happened", "future")]
        other = [r for r in members if r["modality"] in ("denied", "cancelled")]
        if happened and other:
            a, b = happened[0], other[0]
            out.append(Contradiction(
                id="", kind="modality", a_doc_id=a["doc_id"], a_start=a["start"], a_end=a["end"],
                a_source=a["reported_by"], a_text=a["sentence"], b_doc_id=b["doc_id"],
                b_start=b["start"], b_end=b["end"], b_source=b["reported_by"],
                b_text=b["sentence"], topic=a["label"], confidence=0.6))
    return out


def _dedupe(items: list[Contradiction]) -> list[Contradiction]:
    seen, out = set(), []
    for c in items:
        key = (c.kind, c.a_doc_id, c.a_start, c.b_doc_id, c.b_start)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def run(store: Store, settings: Any, progress: Any = None) -> dict[str, Any]:
    """The ``contradictions`` corpus stage."""
    doc_upstream = upstreams(store)
    story_of = {r["doc_id"]: r["story_id"] for r in store.query(
        "SELECT sd.doc_id, sd.story_id FROM story_docs sd JOIN stories s ON s.id = sd.story_id "
        "WHERE s.parent_id IS NULL")}
    found: list[Contradiction] = []
    for doc_ids in corpus.story_batches(store):
        units = build_units(store, doc_upstream, doc_ids)
        by_story: dict[str, list[StatementUnit]] = defaultdict(list)
        for u in units:
            by_story[story_of.get(u.doc_id, u.doc_id)].append(u)
        indexes = {key: StoryIndex(members) for key, members in by_story.items()}
        for doc_id, doc_units in units_by_doc(units).items():
            doc_units.sort(key=lambda u: u.start)
            found += find_omissions(doc_units, indexes[story_of.get(doc_id, doc_id)])
            found += find_denials(doc_units)
    found += find_opposites(store) + find_modality_conflicts(store)
    found = _dedupe(found)
    for n, c in enumerate(found):
        c.id = f"x{n}"
    _link_claims(store, found)
    with store.transaction():
        store.conn.execute("DELETE FROM contradictions")
        store.insert(found)
        contested = {cid for c in found for cid in (c.a_claim_id, c.b_claim_id) if cid}
        for cid in contested:
            store.conn.execute("UPDATE claims SET status='contested' WHERE id=?", (cid,))
    kinds: dict[str, int] = defaultdict(int)
    for c in found:
        kinds[c.kind] += 1
    return {"contradictions": len(found), "kinds": dict(kinds)}


def _link_claims(store: Store, found: list[Contradiction]) -> None:
    """Point each side at the claim whose source overlaps it."""
    for c in found:
        for side in ("a", "b"):
            if getattr(c, f"{side}_claim_id"):
                continue
            row = store.one("SELECT claim_id FROM claim_sources WHERE doc_id=? AND start < ? "
                            "AND \"end\" > ? LIMIT 1",
                            (getattr(c, f"{side}_doc_id"), getattr(c, f"{side}_end") or 0,
                             getattr(c, f"{side}_start") or 0))
            if row:
                setattr(c, f"{side}_claim_id", row["claim_id"])
