"""Voices: quotations by speaker, claims and contradictions between sources, comment
threads and their narratives."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from .filters import Filters, actor_names, actor_weights, allowed_docs, resolve_actor
from .paging import (COMMENT_KIND, PageArgs, decode_cursor, encode_cursor, document_clauses,
                     page_result)
from .sources import SourceIndex, rows
from .util import as_json, as_list, overlaps

# --- quotes -------------------------------------------------------------------------------


def quotes(store: Any, filters: Filters | None = None, *, include_comments: bool = False,
           index: SourceIndex | None = None) -> list[dict[str, Any]]:
    """Quotations with their speaker, kind and citation (comments left out unless asked)."""
    filters = filters or Filters()
    index = index or SourceIndex(store)
    names = actor_names(store)
    keep = allowed_docs(store, filters)
    who = resolve_actor(store, filters.actor) if filters.actor else None
    out = []
    for q in rows(store, "SELECT * FROM quotes ORDER BY doc_id, start"):
        doc = index.docs.get(q["doc_id"], {})
        if keep is not None and q["doc_id"] not in keep:
            continue
        from_comment = bool(q.get("comment_id")) or doc.get("kind") == "comment_thread"
        if from_comment and not include_comments:
            continue
        if (filters.since or filters.until) and not overlaps(doc.get("published"), None,
                                                             filters.since, filters.until):
            continue
        speaker = names.get(q.get("speaker_actor_id") or "") or q.get("speaker_text") or \
            "unattributed"
        if who and not (q.get("speaker_actor_id") in who["ids"] or speaker.lower() in who["names"]):
            continue
        q["speaker"] = speaker
        q["anonymous"] = bool(q.get("anonymous"))
        q["from_comment"] = from_comment
        q["cite"] = index.origin(q["doc_id"]).cite()
        out.append(q)
    return out


def quotes_page(store: Any, filters: Filters | None = None, pg: PageArgs | None = None, *,
                include_comments: bool = False, index: SourceIndex | None = None
                ) -> dict[str, Any]:
    """One page of :func:`quotes` (by document and position), filtered and paged in SQL;
    keyset cursor on (doc_id, start, id)."""
    filters = filters or Filters()
    pg = pg or PageArgs()
    speaker = "coalesce(nullif(a.name, ''), nullif(q.speaker_text, ''), 'unattributed')"
    where, params = document_clauses(filters, "q.doc_id", "d.published")
    if not include_comments:
        where.append("ifnull(q.comment_id, '') = '' AND ifnull(d.kind, '') <> ?")
        params.append(COMMENT_KIND)
    if filters.actor:
        who = resolve_actor(store, filters.actor)
        ids, names = sorted(who["ids"]), sorted(who["names"])
        where.append(f"(q.speaker_actor_id IN ({','.join('?' for _ in ids) or 'NULL'}) OR "
                     f"lower({speaker}) IN ({','.join('?' for _ in names) or 'NULL'}))")
        params += ids + names
    joins = ("FROM quotes q LEFT JOIN documents d ON d.id = q.doc_id "
             "LEFT JOIN actors a ON a.id = q.speaker_actor_id")
    total = int(store.scalar(f"SELECT COUNT(*) {joins}" +
                             (" WHERE " + " AND ".join(where) if where else ""), params))
    if pg.cursor:
        key = decode_cursor("quotes", pg.cursor, (str, int, str))
        where.append("(q.doc_id, q.start, q.id) > (?, ?, ?)")
        params += key
    found = rows(store, f"SELECT q.*, {speaker} AS speaker, d.kind AS doc_kind {joins}" +
                 (" WHERE " + " AND ".join(where) if where else "") +
                 " ORDER BY q.doc_id, q.start, q.id LIMIT ? OFFSET ?",
                 [*params, pg.limit + 1, pg.offset])
    more = len(found) > pg.limit
    items = found[:pg.limit]
    index = index or (SourceIndex(store) if items else None)
    for q in items:
        kind = q.pop("doc_kind", None)
        q["anonymous"] = bool(q.get("anonymous"))
        q["from_comment"] = bool(q.get("comment_id")) or kind == COMMENT_KIND
        q["cite"] = index.origin(q["doc_id"]).cite()
    nxt = encode_cursor("quotes", [items[-1]["doc_id"], int(items[-1]["start"]),
                                   items[-1]["id"]]) if more and items else None
    return page_result(items, pg, total, nxt)


def key_quotes_by_actor(store: Any, filters: Filters | None = None, *, per_actor: int = 3,
                        max_actors: int = 10, index: SourceIndex | None = None
                        ) -> list[dict[str, Any]]:
    """"Who said what": the most mentioned speakers and their longest distinct quotes;
    unnamed sources grouped last."""
    weights = actor_weights(store)
    groups: dict[str, dict[str, Any]] = {}
    for q in quotes(store, filters, index=index):
        if len((q.get("text") or "").split()) < 3:
            continue
        name = _HONORIFIC.sub("", q["speaker"]).strip() or q["speaker"]
        key = q.get("speaker_actor_id") or ("name:" + name.lower())
        g = groups.setdefault(key, {"actor_id": q.get("speaker_actor_id"), "speaker": name,
                                    "quotes": [], "anonymous": bool(q.get("anonymous"))})
        g["quotes"].append(q)
    out = []
    for g in groups.values():
        g["weight"] = weights.get(g["actor_id"] or "", 0) + len(g["quotes"])
        picked: list[dict[str, Any]] = []
        for q in sorted(g["quotes"], key=lambda q: (q.get("kind") != "direct",
                                                    -len(q.get("text") or ""))):
            q["text"] = clean_quote(q.get("text") or "")
            if not any(_same_quote(q["text"], p["text"]) for p in picked):
                picked.append(q)
        g["quotes"] = picked[:per_actor]
        out.append(g)
    out.sort(key=lambda g: (g["anonymous"], -g["weight"], g["speaker"]))
    return out[:max_actors]


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Prof)\.?\s+")


def clean_quote(text: str) -> str:
    """A quotation without the enclosing quote marks and trailing comma it was written
    with (a quote mark with its partner inside the quotation is kept)."""
    t = re.sub(r"\s+", " ", text or "").strip()
    doubles = "“”\"«»"
    if t[:1] in "“\"«" and not any(c in t[1:-1] for c in doubles):
        t = t[1:]
    if t[-1:] in "”\"»" and not any(c in t[:-1] for c in doubles):
        t = t[:-1]
    if t[:1] == "‘" and t[-1:] == "’":
        t = t[1:-1]
    return re.sub(r"[,;:]+$", "", t.strip())


def _same_quote(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    na, nb = (re.sub(r"\W+", " ", x.lower()).strip() for x in (a, b))
    return na == nb or (min(len(na), len(nb)) > 12 and fuzz.partial_ratio(na, nb) >= 92)


# --- fusion: claims, contradictions -------------------------------------------------------


def claims(store: Any, filters: Filters | None = None) -> list[dict[str, Any]]:
    filters = filters or Filters()
    keep = allowed_docs(store, filters)
    by_claim: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in rows(store, "SELECT * FROM claim_sources ORDER BY claim_id, doc_id, start"):
        by_claim[s["claim_id"]].append(s)
    out = []
    for c in rows(store, "SELECT * FROM claims ORDER BY n_independent DESC, id"):
        c["sources"] = by_claim.get(c["id"], [])
        if keep is not None and not any(s["doc_id"] in keep for s in c["sources"]):
            continue
        out.append(c)
    return out


def contradictions(store: Any, filters: Filters | None = None,
                   index: SourceIndex | None = None) -> list[dict[str, Any]]:
    """Disputes, each side with its source, text and document span."""
    filters = filters or Filters()
    keep = allowed_docs(store, filters)
    index = index or SourceIndex(store)
    out = []
    for c in rows(store, "SELECT * FROM contradictions ORDER BY id"):
        sides = []
        for side in ("a", "b"):
            doc_id = c.get(f"{side}_doc_id")
            sides.append({"source": c.get(f"{side}_source") or (index.outlet(doc_id)
                                                                if doc_id else ""),
                          "text": c.get(f"{side}_text") or "", "doc_id": doc_id,
                          "start": c.get(f"{side}_start"), "end": c.get(f"{side}_end"),
                          "cite": index.origin(doc_id).cite() if doc_id in index.docs else None})
        if keep is not None and not any(s["doc_id"] in keep for s in sides):
            continue
        out.append({"id": c["id"], "kind": c.get("kind"), "topic": c.get("topic"),
                    "confidence": c.get("confidence"), "sides": sides})
    return out


# --- comments and public reaction ----------------------------------------------------------


def narratives(store: Any, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Narratives of comment threads, with share, keywords and example comments."""
    filters = filters or Filters()
    keep = allowed_docs(store, filters)
    comments_by_id = {}
    out = []
    for n in rows(store, "SELECT * FROM narratives ORDER BY doc_id, share DESC, id"):
        if keep is not None and n["doc_id"] not in keep:
            continue
        n["keywords"] = [str(k) for k in as_list(n.get("keywords"))]
        examples = []
        for ex in as_list(as_json(n.get("examples"), n.get("examples"))):
            examples.append(_example(store, ex, comments_by_id))
        n["examples"] = [e for e in examples if e.get("text")]
        n["label"] = n.get("label") or ", ".join(n["keywords"][:3]) or n["id"]
        out.append(n)
    return out


def _example(store: Any, ex: Any, cache: dict[str, Any]) -> dict[str, Any]:
    if isinstance(ex, dict):
        cid = ex.get("comment_id") or ex.get("id")
        base = _comment(store, cid, cache) if cid else {}
        return {**base, **{k: v for k, v in ex.items() if v is not None}}
    text = str(ex)
    if re.match(r"^[\w-]+:c\d+$", text):
        return _comment(store, text, cache)
    return {"text": text}


def _comment(store: Any, comment_id: str, cache: dict[str, Any]) -> dict[str, Any]:
    if comment_id not in cache:
        found = rows(store, 'SELECT id, doc_id, start, "end", author, location, text '
                     "FROM comments WHERE id=?", (comment_id,))
        cache[comment_id] = found[0] if found else {}
    c = cache[comment_id]
    return {"comment_id": c.get("id"), "author": c.get("author"), "location": c.get("location"),
            "text": c.get("text"), "doc_id": c.get("doc_id"), "start": c.get("start"),
            "end": c.get("end")}


def comments(store: Any, doc_id: str) -> list[dict[str, Any]]:
    """A thread's comments with sentiment, stance and narrative."""
    ops = {o["comment_id"]: o for o in rows(
        store, "SELECT * FROM comment_opinions WHERE doc_id=?", (doc_id,))}
    out = []
    for c in rows(store, 'SELECT * FROM comments WHERE doc_id=? ORDER BY idx', (doc_id,)):
        o = ops.get(c["id"], {})
        c.update({"compound": o.get("compound"), "stance": o.get("stance"),
                  "narrative_id": o.get("narrative_id")})
        out.append(c)
    return out


def reaction_summary(store: Any, doc_id: str) -> dict[str, Any]:
    ops = rows(store, "SELECT compound, stance FROM comment_opinions WHERE doc_id=?", (doc_id,))
    if not ops:
        return {"comments": 0}
    values = [o["compound"] for o in ops if o["compound"] is not None]
    return {"comments": len(ops),
            "mean_sentiment": round(sum(values) / len(values), 3) if values else None,
            "stances": dict(Counter(o["stance"] or "none" for o in ops).most_common())}
