"""Seed scorer for the reading stages: categories ``quotes`` and ``dates``.

* quotes: a stored quotation of the gold document whose text begins with the gold
  ``starts`` (after normalising quote marks, case and whitespace) and whose speaker is the
  gold speaker.  The speaker is compared by canonical actor name when the quote (or an
  actor mention overlapping its speaker span) is linked to an actor; otherwise by the
  speaker phrase containing the gold speaker's surname (or the whole gold phrase, for
  anonymous speakers).
* dates: a stored time expression overlapping an occurrence of the gold text whose value
  matches: both ends for a range, the month at month precision, the window's middle within
  ``tolerance_days`` when given, else the exact day.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_QUOTE_MARKS = re.compile(r"[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb`]")


def normalise(text: str) -> str:
    """Lower case, no quote marks, single spaces, no leading punctuation."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _QUOTE_MARKS.sub("", text).lower()
    text = " ".join(text.split())
    return text.lstrip(" ,.;:-\u2014\u2013")


def _begins_with(quote: str, start: str) -> bool:
    q, g = normalise(quote), normalise(start)
    if not g:
        return False
    if q.startswith(g):
        return True
    q = re.sub(r"^(?:that|whether|if)\s+", "", q)
    return q.startswith(g)


def _actor_names(store: Any, quote: Any) -> set[str]:
    """Canonical names of the actor(s) the quote's speaker resolves to: its own actor id,
    and the actors of mentions overlapping the speaker span."""
    ids = {quote["speaker_actor_id"]} if quote["speaker_actor_id"] else set()
    names: set[str] = set()
    if quote["speaker_start"] is not None and _has_table(store, "mentions"):
        rows = store.query('SELECT * FROM mentions WHERE doc_id=? AND start < ? AND "end" > ?',
                           (quote["doc_id"], quote["speaker_end"], quote["speaker_start"]))
        for row in rows:
            keys = row.keys()
            if "actor_id" in keys and row["actor_id"]:
                ids.add(row["actor_id"])
            if "actor_name" in keys and row["actor_name"]:
                names.add(row["actor_name"].casefold())
    if ids and _has_table(store, "actors"):
        for actor_id in ids:
            row = store.one("SELECT name FROM actors WHERE id=?", (actor_id,))
            if row and row["name"]:
                names.add(row["name"].casefold())
    return names


def _has_table(store: Any, name: str) -> bool:
    return bool(store.scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)))


def speaker_matches(store: Any, quote: Any, gold_speaker: str) -> bool:
    """Whether the stored quote's speaker is the gold speaker."""
    if gold_speaker.casefold() in _actor_names(store, quote):
        return True
    said = normalise(quote["speaker_text"] or "")
    gold = normalise(gold_speaker)
    if not said:
        return False
    if gold in said:
        return True
    surname = gold.split()[-1]
    is_name = gold_speaker[:1].isupper() and not gold.startswith(("a ", "an ", "the "))
    return is_name and re.search(rf"\b{re.escape(surname)}\b", said) is not None


def score_quotes(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, Any]:
    items = gold.get("quotes", [])
    found, misses = 0, []
    for item in items:
        doc_id = docs.get(item["doc"])
        rows = store.query("SELECT * FROM quotes WHERE doc_id=?", (doc_id,)) if doc_id else []
        texts = [r for r in rows if _begins_with(r["text"] or "", item["starts"])]
        if any(speaker_matches(store, r, item["speaker"]) for r in texts):
            found += 1
            continue
        why = "no quote with this text" if not texts else \
            "speaker " + " / ".join(repr(r["speaker_text"]) for r in texts)
        misses.append(f"{item['doc']}: {item['speaker']}: {item['starts'][:50]!r} ({why})")
    return _result(found, len(items), misses)


def _value_matches(row: Any, item: dict[str, Any]) -> bool:
    value = item["value"]
    start, end = row["value_start"], row["value_end"]
    if not start:
        return False
    if isinstance(value, list):
        return start == value[0] and end == value[-1]
    if len(value) == 7 or item.get("precision") == "month":
        return start[:7] == value[:7] and end[:7] == value[:7] and row["precision"] == "month"
    if len(value) == 4 or item.get("precision") == "year":
        return start[:4] == value[:4] and row["precision"] == "year"
    gold_day = dt.date.fromisoformat(value)
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)
    middle = a + (b - a) / 2
    tolerance = item.get("tolerance_days")
    if tolerance is None:
        return a == b == gold_day
    return abs((middle - gold_day).days) <= tolerance


def score_dates(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, Any]:
    items = gold.get("dates", [])
    found, misses = 0, []
    for item in items:
        doc_id = docs.get(item["doc"])
        text = store.scalar("SELECT clean_text FROM documents WHERE id=?", (doc_id,)) or ""
        rows = store.query("SELECT * FROM timexes WHERE doc_id=?", (doc_id,)) if doc_id else []
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(item["text"]), text)]
        hits = [r for r in rows if any(r["start"] < e and r["end"] > s for s, e in spans)]
        if any(_value_matches(r, item) for r in hits):
            found += 1
            continue
        got = ", ".join(f"{r['text']}={r['value_start']}..{r['value_end']}/{r['precision']}"
                        for r in hits) or ("text not in document" if not spans else "not found")
        misses.append(f"{item['doc']}: {item['text']!r} -> {item['value']} (got {got})")
    return _result(found, len(items), misses)


def _result(found: int, total: int, misses: list[str]) -> dict[str, Any]:
    return {"found": found, "total": total, "score": found / total if total else 1.0,
            "misses": misses}


def score(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Score quotes and dates of the seeds stored in ``store``."""
    return {"quotes": score_quotes(store, gold, docs), "dates": score_dates(store, gold, docs)}
