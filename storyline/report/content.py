"""What a briefing says, as data: built from the store only, rendered to HTML/Markdown/JSON.

Every statement is extractive: a stored sentence, cleaned by deletions only (bullet marks,
inline citations, datelines, parenthetical asides of over-long sentences), and every item
keeps a reference to the exact source span (document id, start, end, sentence text).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any

from . import queries as Q
from .developments import developments
from .sources import SourceIndex, format_citations, provenance_graph, sources_table
from .statements import COMMENT_KIND, Refs, Vocabulary, ledes, sentence_text
from .util import date_floor, quote_balance, today, truncate

__all__ = ["Refs", "build", "headline", "map_data", "sections", "timeline"]


# --- sections and headline ----------------------------------------------------------------


def sections(store: Any, units: list[dict[str, Any]], filters: Q.Filters, max_bullets: int
             ) -> list[dict[str, Any]]:
    """Topic sections from the stories (leaf stories; the asked story's sub-stories)."""
    all_stories = Q.stories(store)
    children = defaultdict(list)
    for s in all_stories:
        if s.get("parent_id"):
            children[s["parent_id"]].append(s)
    if filters.story:
        chosen = children.get(filters.story) or [s for s in all_stories
                                                 if s["id"] == filters.story]
    else:
        chosen = [s for s in all_stories if not children.get(s["id"])]
    home: dict[str, tuple[float, str]] = {}
    for s in chosen:
        for rank, doc_id in enumerate(s["doc_ids"]):
            weight = s["size"] - rank * 1e-3
            if doc_id not in home or home[doc_id][0] < weight:
                home[doc_id] = (weight, s["id"])
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u in units:
        homes = [home[d] for d in u["docs"] if d in home]
        by_story[max(homes)[1] if homes else ""].append(u)
    out = []
    for s in chosen + [{"id": "", "label": "Other developments", "keywords": []}]:
        bullets = diverse(by_story.get(s["id"], []), max_bullets)
        if bullets:
            out.append({"id": s["id"] or "other", "title": _section_title(s), "story_id": s["id"],
                        "keywords": s.get("keywords", []), "bullets": bullets})
    if len(out) == 1 and out[0]["id"] == "other":
        out[0]["title"] = "Developments"
    return out


#: how much a bullet's salience drops per unit of word overlap (the share of the shorter
#: statement's content words) with a bullet already chosen
REDUNDANCY_PENALTY = 2.0
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")


def diverse(units: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most salient units, each new one penalised by its word overlap with
    those already chosen (maximal marginal relevance), so that a section covers several
    developments instead of five wordings of one."""
    words = {id(u): {w.lower() for w in _WORD_RE.findall(u["text"])} for u in units}
    chosen: list[dict[str, Any]] = []
    pool = sorted(units, key=lambda u: -u["salience"])
    while pool and len(chosen) < limit:
        def gain(u: dict[str, Any]) -> float:
            mine = words[id(u)]
            overlap = max((len(mine & words[id(c)]) / max(min(len(mine), len(words[id(c)])), 1)
                           for c in chosen), default=0.0)
            return u["salience"] - REDUNDANCY_PENALTY * overlap
        best = max(pool, key=gain)
        pool.remove(best)
        chosen.append(best)
    return sorted(chosen, key=lambda u: -u["salience"])


def _section_title(story: dict[str, Any]) -> str:
    label = (story.get("label") or "").strip()
    return label[:1].upper() + label[1:] if label else "Developments"


KIND_WEIGHT = {"news_report": 0.4, "press_release": 0.1, "analysis": 0.2, "transcript": 0.1}


def headline(store: Any, units: list[dict[str, Any]], refs: Refs, index: SourceIndex,
             doc_ids: list[str], filters: Q.Filters, vocab: Vocabulary, k: int = 3
             ) -> list[dict[str, Any]]:
    """The story in three extractive sentences, chosen among the developments and the ledes
    of the reports: central to the story's shared vocabulary, leads of news reports,
    independently sourced; no two alike, no two from one document.  Filtered by actor,
    zone or event type, only matching developments qualify."""
    from rapidfuzz import fuzz

    narrowed = any((filters.actor, filters.zone, filters.type, filters.modality,
                    filters.corroboration))
    lead = [] if narrowed else ledes(
        store, [d for d in doc_ids if index.docs[d].get("kind") != COMMENT_KIND], index)
    candidates = []
    for u in units:
        kind = index.docs.get(u["ref"]["doc_id"], {}).get("kind") or ""
        score = (2.0 * u.get("centrality", vocab.centrality(u["text"]))
                 + 0.5 * u.get("specificity", 0.0)
                 + 0.5 * math.log1p(u["n_independent"] - 1) + KIND_WEIGHT.get(kind, 0.0)
                 + (0.2 if u["events"] and (u["modality"] or "happened") == "happened" else 0)
                 + 0.05 * u["salience"])
        candidates.append((score, u["ref"], u["text"], u["citation_text"], u["ref"]["doc_id"]))
    for doc_id, pos, s in lead:
        ref = refs.add(doc_id, s["start"], s["end"])
        if ref is None:
            continue
        text = sentence_text(ref, index)
        cites = format_citations(index.cite(doc_id, ref["start"], ref["end"],
                                            refs.sentences.text_of(doc_id)))
        kind = index.docs.get(doc_id, {}).get("kind") or ""
        score = (2.0 * vocab.centrality(text) + (1.1 if pos == 0 else 0.5)
                 + KIND_WEIGHT.get(kind, 0.0))
        candidates.append((score, ref, text, cites, doc_id))
    picked: list[dict[str, Any]] = []
    used_docs: set[str] = set()
    for score, ref, text, cites, doc_id in sorted(candidates, key=lambda c: -c[0]):
        if doc_id in used_docs or not 8 <= len(text.split()) <= 60 or quote_balance(text):
            continue
        if any(fuzz.token_set_ratio(text, p["text"]) >= 70 for p in picked):
            continue
        picked.append({"text": text, "ref": ref, "citation_text": cites,
                       "score": round(score, 3)})
        used_docs.add(doc_id)
        if len(picked) == k:
            break
    return picked


# --- the other parts ----------------------------------------------------------------------


def timeline(evts: list[dict[str, Any]], refs: Refs, limit: int = 80,
             period: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Dated events in date order with their precision shown: one entry per cluster and
    per source sentence (its event types joined); past ``limit``, events of the reports'
    period and with named parties and places are kept first."""
    by_key: dict[str, dict[str, Any]] = {}
    for e in evts:
        if e["from_comment"] or not e.get("date_start"):
            continue
        ref = refs.add(e["doc_id"], e["start"], e["end"])
        keys = [k for k in (e["cluster_id"], f"ref:{ref['id']}" if ref else None) if k] \
            or [e["id"]]
        item = next((by_key[k] for k in keys if k in by_key), None)
        if item is not None:  # same cluster, or another event of the same sentence
            if e["type"] not in item["types"]:
                item["types"].append(e["type"])
                item["type"] = " / ".join(item["types"])
            for k in keys:
                by_key.setdefault(k, item)
            continue
        item = {
            "id": e["id"], "cluster_id": e["cluster_id"], "date": e["date_start"],
            "date_end": e.get("date_end"), "precision": e["date_precision"],
            "date_label": e["date_label"], "type": e["type"], "types": [e["type"]],
            "modality": e.get("modality") or "happened",
            "actors": " → ".join(filter(None, [
                ", ".join(p["name"] for p in e["sources"]),
                ", ".join(p["name"] for p in e["targets"])])),
            "place": e.get("place_name"), "score": e["score"], "badge": e["corroboration"],
            "ref": ref, "cite": e["cite"]["text"],
            "text": truncate(sentence_text(ref, refs.index) if ref else
                             e.get("sentence") or "", 300)}
        for k in keys:
            by_key[k] = item
    items = list({id(item): item for item in by_key.values()}.values())
    if len(items) > limit:
        first = date_floor((period or {}).get("first")) or ""

        def weight(t: dict[str, Any]) -> float:
            inside = not first or (date_floor(t["date"]) or "") >= first
            return (2.0 * inside + 0.5 * bool(t["place"]) + 0.5 * bool(t["actors"])
                    + 0.3 * (t["precision"] in ("day", "week", "range")))

        items = sorted(items, key=lambda t: -weight(t))[:limit]
    items.sort(key=lambda t: (date_floor(t["date"]) or "", t["id"]))
    return items


def map_data(store: Any, evts: list[dict[str, Any]], filters: Q.Filters, refs: Refs,
             default_radius_km: float) -> dict[str, Any]:
    """Events with coordinates (grouped by place), the main places, and the user's zones."""
    points: dict[tuple[float, float], dict[str, Any]] = {}
    for e in evts:
        if e.get("lat") is None or e.get("lon") is None or e["from_comment"]:
            continue
        key = (round(e["lat"], 3), round(e["lon"], 3))
        p = points.setdefault(key, {"lat": e["lat"], "lon": e["lon"],
                                    "name": e.get("place_name") or "", "events": []})
        ref = refs.add(e["doc_id"], e["start"], e["end"])
        p["events"].append({"id": e["id"], "type": e["type"], "date_label": e["date_label"],
                            "modality": e.get("modality"), "score": e["score"],
                            "ref": ref["id"] if ref else None,
                            "text": truncate(ref["text"] if ref else "", 160)})
    places = [p for p in Q.places(store, filters) if p["docs"]][:40]
    zones = [{k: v for k, v in z.items() if k != "_parsed"}
             for z in Q.zones(store, default_radius_km)]
    return {"events": list(points.values()), "places": places, "zones": zones}


def reaction(store: Any, filters: Q.Filters, index: SourceIndex) -> list[dict[str, Any]]:
    """Per comment thread: its narratives (share, keywords, example comments) and mood."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in Q.narratives(store, filters):
        n["examples"] = n["examples"][:3]
        by_doc[n["doc_id"]].append(n)
    out = []
    for doc_id, items in by_doc.items():
        doc = index.docs.get(doc_id, {})
        out.append({"doc_id": doc_id, "title": doc.get("title") or doc_id,
                    "outlet": index.outlet(doc_id), "summary": Q.reaction_summary(store, doc_id),
                    "narratives": sorted(items, key=lambda n: -(n.get("share") or 0))})
    return out


def quotes_section(store: Any, filters: Q.Filters, refs: Refs, index: SourceIndex
                   ) -> list[dict[str, Any]]:
    groups = Q.key_quotes_by_actor(store, filters, index=index)
    for g in groups:
        for q in g["quotes"]:
            q["ref"] = refs.add(q["doc_id"], q["start"], q["end"])
            q["cite_text"] = q["cite"]["text"]
    return groups


def disputed(store: Any, filters: Q.Filters, refs: Refs, index: SourceIndex
             ) -> list[dict[str, Any]]:
    # a reader quoting two outlets in a comment is opinion, not a dispute between sources
    out = [c for c in Q.contradictions(store, filters, index)
           if any(index.docs.get(side["doc_id"], {}).get("kind") != COMMENT_KIND
                  for side in c["sides"])]
    for c in out:
        for side in c["sides"]:
            if side["doc_id"] and side["start"] is not None:
                side["ref"] = refs.add(side["doc_id"], side["start"],
                                       side["end"] or side["start"])
            else:
                side["ref"] = None
    return out


def title_of(store: Any, filters: Q.Filters, title: str | None, settings_title: str,
             units: list[dict[str, Any]]) -> str:
    """The asked title, else the story's label, else the parties and place most present
    in the developments ("Briefing: Vladimir Putin, Donald Trump — Syria")."""
    if title or settings_title:
        return title or settings_title
    if filters.story:
        s = Q.story(store, filters.story)
        if s:
            return f"Briefing: {s['label']}"
    stories = [s for s in Q.stories(store) if not s.get("parent_id")]
    if stories:
        return f"Briefing: {stories[0]['label']}"
    actors = Counter(a for u in units for a in u["actors"] if a and a[:1].isupper())
    places = Counter(u["place"] for u in units if u.get("place"))
    names = [a for a, _ in actors.most_common(2)]
    if not names:
        return "Briefing"
    where = f" — {places.most_common(1)[0][0]}" if places else ""
    return f"Briefing: {', '.join(names)}{where}"


def build(store: Any, settings: Any, filters: Q.Filters | None = None, title: str | None = None
          ) -> dict[str, Any]:
    """The whole briefing as data (this is ``brief.json``)."""
    filters = filters or Q.Filters()
    index = SourceIndex(store)
    sentences = Q.Sentences(store)
    refs = Refs(sentences, index)
    doc_rows = Q.documents(store, filters)
    doc_ids = [d["id"] for d in doc_rows]
    ctx = Q.EventContext(store, index)
    evts = Q.events(store, filters, ctx)
    fact_events = [e for e in evts if not e["from_comment"]]
    vocab = Vocabulary(store, [d for d in doc_ids
                               if index.docs.get(d, {}).get("kind") != COMMENT_KIND])
    # a fragment of a longer quotation (its marks never balance) loses who is speaking
    units = [u for u in developments(store, filters, refs, index, evts, doc_ids, vocab)
             if quote_balance(u["text"]) == 0]
    report = settings.report
    brief = {
        "title": title_of(store, filters, title, report.title, units),
        "generated": today(),
        "filters": filters.as_dict(),
        "counts": {"documents": len(doc_ids), "events": len(fact_events),
                   "outlets": len({index.origin(d).key for d in doc_ids})},
        "period": _period(doc_rows, fact_events),
        "headline": headline(store, units, refs, index, doc_ids, filters, vocab),
        "sections": sections(store, units, filters, report.max_bullets),
        "disputed": disputed(store, filters, refs, index),
        "quotes": quotes_section(store, filters, refs, index),
        "reaction": reaction(store, filters, index),
        "timeline": timeline(fact_events, refs, period=_period(doc_rows, fact_events)),
        "network": Q.network(fact_events),
        "dyads": Q.dyad_trend(fact_events),
        "map": map_data(store, fact_events, filters, refs, settings.geo.default_radius_km),
        "sources": sources_table(index, doc_ids),
        "provenance": provenance_graph(index, doc_ids),
    }
    brief["refs"] = sorted(refs.items.values(), key=lambda r: int(r["id"][3:]))
    return brief


NEWS_PRECISIONS = ("day", "week", "month")


def _period(docs: list[dict[str, Any]], evts: list[dict[str, Any]]) -> dict[str, Any]:
    """The span of the reports (publication dates), or of the events dated to the day,
    week or month when the reports are undated (a year or a decade is background:
    "in 1981", "the early 1900s")."""
    days = sorted(d for d in (date_floor(x["published"]) for x in docs) if d) or \
        sorted(d for d in (date_floor(e["date_start"]) for e in evts
                           if e.get("date_precision") in NEWS_PRECISIONS) if d)
    return {"first": days[0] if days else None, "last": days[-1] if days else None}
