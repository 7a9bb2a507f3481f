"""Developments: the bullets of a briefing.  Events (merged by cluster and by sentence)
and claims become statements with their sources, independence, badge and salience."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any

from . import queries as Q
from .sources import SourceIndex, format_citations
from .statements import COMMENT_KIND, Refs, Vocabulary, sentence_text
from .util import date_floor, date_label

def _unit_from_events(members: list[dict[str, Any]], refs: Refs, index: SourceIndex,
                      weights: Counter[str]) -> dict[str, Any]:
    def rank(e: dict[str, Any]) -> tuple[Any, ...]:
        status = index.origin(e["doc_id"]).status
        return (status != "original", -(e.get("confidence") or 0.5), e["doc_id"], e["start"])

    best = sorted(members, key=rank)[0]
    ref = refs.add(best["doc_id"], best["start"], best["end"])
    cites: list[dict[str, Any]] = []
    for e in members:
        r = refs.add(e["doc_id"], e["start"], e["end"])
        text = refs.sentences.text_of(e["doc_id"])
        cites += index.cite(e["doc_id"], r["start"], r["end"], text) if r else []
    doc_ids = sorted({e["doc_id"] for e in members})
    n_ind = max([index.independent(doc_ids)] + [e["n_independent"] for e in members])
    badge = ("contested" if any(e["corroboration"] == "contested" for e in members)
             else "corroborated" if n_ind >= 2 else "single-source")
    actors = []
    for e in members:
        for p in e["sources"] + e["targets"]:
            if p["name"] not in actors:
                actors.append(p["name"])
    actor_weight = sum(weights.get(p["id"] or "", 0) for e in members
                       for p in e["sources"] + e["targets"])
    spans = [[e["doc_id"], e["start"], e["end"]] for e in members]
    return {"id": best.get("cluster_id") or best["id"], "ref": ref, "citations": cites,
            "spans": spans,
            "docs": doc_ids, "n_independent": n_ind, "badge": badge, "type": best["type"],
            "modality": best.get("modality"), "date": best.get("date_start"),
            "date_end": best.get("date_end"), "date_precision": best.get("date_precision"),
            "date_label": best.get("date_label"), "dated_by": best.get("date_from") or "text",
            "actors": actors,
            "place": next((e.get("place_name") for e in members if e.get("place_name")), None),
            "events": [e["id"] for e in members], "score": best["score"],
            "confidence": max((e.get("confidence") or 0.5) for e in members),
            "actor_weight": actor_weight}


def _units(evts: list[dict[str, Any]], refs: Refs, index: SourceIndex,
           weights: Counter[str]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in evts:
        if not e["from_comment"]:
            groups[e["cluster_id"] or e["id"]].append(e)
    units = [_unit_from_events(m, refs, index, weights) for m in groups.values()]
    return [u for u in units if u["ref"]]


def _claim_units(store: Any, filters: Q.Filters, refs: Refs, index: SourceIndex,
                 event_ids: set[str]) -> list[dict[str, Any]]:
    """Claims as developments; with event filters (actor, zone, type …) only the claims
    resting on a matching event."""
    event_filter = any((filters.actor, filters.zone, filters.type, filters.modality,
                        filters.corroboration, filters.since, filters.until))
    out = []
    for c in Q.claims(store, filters):
        if event_filter and not any(s.get("item_table") == "events" and s.get("item_id") in
                                    event_ids for s in c["sources"]):
            continue
        srcs = [s for s in c["sources"] if s["doc_id"] in index.docs and
                index.docs[s["doc_id"]].get("kind") != COMMENT_KIND and s.get("start") is not None]
        if not srcs:
            continue
        srcs.sort(key=lambda s: (index.origin(s["doc_id"]).status != "original", s["doc_id"]))
        ref = refs.add(srcs[0]["doc_id"], srcs[0]["start"], srcs[0]["end"] or srcs[0]["start"])
        cites = []
        for s in srcs:
            text = refs.sentences.text_of(s["doc_id"])
            cites += index.cite(s["doc_id"], s["start"], s["end"] or s["start"], text)
        docs = sorted({s["doc_id"] for s in srcs})
        n_ind = max(c.get("n_independent") or 0, index.independent(docs))
        status = (c.get("status") or "").lower()
        badge = ("contested" if "contest" in status or "disput" in status
                 else "corroborated" if n_ind >= 2 else "single-source")
        doc = index.docs.get(docs[0], {})
        spans = [[x["doc_id"], x["start"], x["end"] or x["start"]] for x in srcs]
        out.append({"id": c["id"], "ref": ref, "citations": cites, "docs": docs, "spans": spans,
                    "n_independent": n_ind, "badge": badge, "type": c.get("kind") or "CLAIM",
                    "modality": None, "date": doc.get("published"), "date_end": None,
                    "date_precision": doc.get("published_precision"),
                    "date_label": date_label(doc.get("published"), None,
                                             doc.get("published_precision")),
                    "actors": [], "events": [], "score": 0.0,
                    "confidence": c.get("confidence") or 0.5, "actor_weight": 0})
    return out


def _central_units(vocab: Vocabulary, doc_ids: list[str], refs: Refs, index: SourceIndex,
                   per_doc: int = 3) -> list[dict[str, Any]]:
    """Fallback when no events or claims are stored: each document's sentences richest in
    the story's shared vocabulary."""
    out = []
    for doc_id in doc_ids:
        scored = []
        for pos, s in enumerate(vocab.sentences.get(doc_id, [])):
            if len(s["text"].split()) < 10 or "\n" in s["text"].strip():
                continue
            scored.append((vocab.centrality(s["text"]) + 0.3 / (1 + pos), s))
        for score, s in sorted(scored, key=lambda x: -x[0])[:per_doc]:
            ref = refs.add(doc_id, s["start"], s["end"])
            doc = index.docs.get(doc_id, {})
            text = refs.sentences.text_of(doc_id)
            out.append({"id": s["id"], "ref": ref, "docs": [doc_id],
                        "spans": [[doc_id, s["start"], s["end"]]],
                        "citations": index.cite(doc_id, s["start"], s["end"], text),
                        "n_independent": 1, "badge": "single-source", "type": None,
                        "modality": None, "date": doc.get("published"), "date_end": None,
                        "date_precision": doc.get("published_precision"),
                        "date_label": date_label(doc.get("published"), None,
                                                 doc.get("published_precision")),
                        "actors": [], "events": [], "score": 0.0, "confidence": 0.5,
                        "actor_weight": 0})
    return out


def _salience(units: list[dict[str, Any]], vocab: Vocabulary, first_published: str | None
              ) -> None:
    """Independent sources first, then how central the statement is to the story, recency,
    actors' weight, intensity and confidence; background (events long before the first
    report) counts less."""
    dates = sorted(d for d in (date_floor(u["date"]) for u in units) if d)
    lo, hi = (dates[0], dates[-1]) if dates else ("", "")
    top_weight = max([u["actor_weight"] for u in units] + [1])
    for u in units:
        day = date_floor(u["date"])
        recency = 0.3 if not day or lo == hi else (
            (_days(day) - _days(lo)) / max(_days(hi) - _days(lo), 1))
        background = bool(day and first_published and
                          _days(day) < _days(first_published) - 60)
        u["centrality"] = round(vocab.centrality(u["text"]), 3)
        u["specificity"] = _specificity(u)
        u["salience"] = round(
            2.0 * math.log1p(u["n_independent"] - 1) + 0.4 * math.log1p(len(u["docs"]))
            + 1.2 * u["centrality"] + u["specificity"] + 0.5 * recency
            + 0.6 * math.log1p(u["actor_weight"]) / math.log1p(top_weight)
            + 0.3 * abs(u["score"]) / 10 + 0.4 * (u["confidence"] or 0.5)
            + (0.3 if (u["modality"] or "happened") == "happened" else 0.0)
            + (0.4 if u["badge"] == "contested" else 0.0) - (0.8 if background else 0.0), 3)


def _specificity(u: dict[str, Any]) -> float:
    """Concrete developments first: named parties, a place, a precise date, several coded
    events in one sentence, numbers."""
    named = len([a for a in u["actors"] if a and a[:1].isupper()])
    precise = (u.get("date_precision") or "") in ("day", "week", "range")
    return round(0.25 * min(named, 3) + (0.3 if u.get("place") else 0.0)
                 + (0.2 if precise else 0.0) + 0.15 * min(len(u["events"]) - 1, 2)
                 * (len(u["events"]) > 1) + (0.1 if re.search(r"\d", u["text"]) else 0.0), 3)


def _days(iso: str) -> int:
    import datetime as dt

    return dt.date.fromisoformat(iso).toordinal()


def _merge_duplicates(units: list[dict[str, Any]], index: SourceIndex) -> list[dict[str, Any]]:
    """One bullet per development: the events of one sentence, and the same statement in
    several documents, merge (and count their independent sources together)."""
    from rapidfuzz import fuzz

    merged: list[dict[str, Any]] = []
    for u in sorted(units, key=lambda u: -u["salience"]):
        twin = next((m for m in merged if m["ref"]["id"] == u["ref"]["id"]
                     or _share_a_span(m, u)
                     or fuzz.token_set_ratio(m["text"], u["text"]) >= 90), None)
        if twin is None:
            merged.append(u)
            continue
        before = twin["n_independent"]
        twin["events"] += [e for e in u["events"] if e not in twin["events"]]
        twin["citations"] += u["citations"]
        twin["spans"] = twin.get("spans", []) + u.get("spans", [])
        twin["docs"] = sorted(set(twin["docs"]) | set(u["docs"]))
        twin["n_independent"] = max(twin["n_independent"], u["n_independent"],
                                    index.independent(twin["docs"]))
        if "contested" in (u["badge"], twin["badge"]):
            twin["badge"] = "contested"
        elif twin["n_independent"] >= 2 or u["badge"] == "corroborated":
            twin["badge"] = "corroborated"
        twin["actors"] += [a for a in u["actors"] if a not in twin["actors"]]
        _take_better_date(twin, u)
        # a statement that turns out corroborated, or richer in coded events, ranks as such
        specificity = _specificity(twin)
        twin["salience"] = round(twin["salience"] + 2.0 * (
            math.log1p(twin["n_independent"] - 1) - math.log1p(before - 1))
            + max(0.0, specificity - twin["specificity"]), 3)
        twin["specificity"] = max(specificity, twin["specificity"])
    return sorted(merged, key=lambda u: -u["salience"])


DATE_FIELDS = ("date", "date_end", "date_precision", "date_label", "dated_by")


def _take_better_date(twin: dict[str, Any], other: dict[str, Any]) -> None:
    """A development dated only by its report's publication takes the date the sentence it
    quotes gives ("In late December, Moscow and Ankara announced …" is December, not the
    essay's February) — from an event read in that very sentence."""
    if twin.get("dated_by", "document") != "document" or not other.get("date") \
            or other.get("dated_by", "document") == "document":
        return
    ref = twin["ref"]
    if any(doc == ref["doc_id"] and start < ref["end"] and ref["start"] < end
           for doc, start, end in other.get("spans", ())):
        twin.update({k: other.get(k) for k in DATE_FIELDS})


def _share_a_span(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two statements rest on overlapping text of one document (an event and the
    claim grouping that sentence with its counterparts elsewhere are one development)."""
    for doc_a, start_a, end_a in a.get("spans", ()):
        for doc_b, start_b, end_b in b.get("spans", ()):
            if doc_a == doc_b and start_a < end_b and start_b < end_a:
                return True
    return False


def developments(store: Any, filters: Q.Filters, refs: Refs, index: SourceIndex,
                 evts: list[dict[str, Any]], doc_ids: list[str], vocab: Vocabulary
                 ) -> list[dict[str, Any]]:
    weights = Q.actor_weights(store)
    units = _units(evts, refs, index, weights) + _claim_units(
        store, filters, refs, index, {e["id"] for e in evts})
    if not units and not (filters.actor or filters.zone or filters.type):
        units = _central_units(vocab, [d for d in doc_ids
                                       if index.docs[d].get("kind") != COMMENT_KIND], refs, index)
    for u in units:
        u["text"] = sentence_text(u["ref"], index)
    units = [u for u in units if len(u["text"].split()) >= 5]
    published = sorted(d for d in (date_floor(index.docs[x].get("published"))
                                   for x in doc_ids) if d)
    _salience(units, vocab, published[0] if published else None)
    units = _merge_duplicates(units, index)
    for u in units:
        seen, cites = set(), []
        for c in u["citations"]:
            if c["text"] not in seen:
                seen.add(c["text"])
                cites.append(c)
        u["citations"] = cites
        u["citation_text"] = format_citations(cites)
    return units
