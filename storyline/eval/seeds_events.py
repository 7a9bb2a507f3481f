"""Seeds scorer for events (category ``events``): are the gold events of the seeds found?

A gold event is found when one stored event of one of its documents has

* a type among the gold ``types`` (the stored action type, or its PLOVER coding);
* the gold ``modality``;
* a date that matches the gold date when one is given: the event's date range overlaps
  the gold date (a day, or a whole month for ``precision: month``) widened by
  ``tolerance_days``;
* participants that overlap the gold ones: a gold actor among the event's sources and,
  when gold targets are listed, a gold target among its targets.  For symmetric types
  (CONSULT, AGREE, COOPERATE) the sides may be swapped.

A gold actor name matches a participant when it is the participant's canonical actor name,
when both name the same country's state (``Government of Russia`` ~ ``Moscow``, ``the
Kremlin``, ``Russia``; ``United States military`` ~ ``the U.S.`` unless the participant
belongs to another sector), or when their significant words share a stem
(``pro-regime forces`` ~ ``“pro-regime” drone``, ``United States Senate`` ~ ``senators``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}
#: words too common to make two actor names the same
GENERIC = {"the", "of", "and", "government", "forces", "force", "military", "united", "states",
           "state", "officials", "official", "president", "group", "groups", "department",
           "ministry", "people", "s", "u", "us", "mr", "a", "an", "in", "on", "for", "to"}
#: sectors a gold name implies by its words
SECTOR_WORDS = {"government": "government", "military": "military", "army": "military",
                "forces": "military", "opposition": "opposition", "rebels": "rebel",
                "militias": "armed_group", "senate": "legislature", "parliament": "legislature",
                "congress": "legislature"}


def _kb() -> Any:
    try:
        from ..actors.kb import load_kb

        return load_kb()
    except Exception:  # noqa: BLE001 - the scorer still works on names alone
        return None


def _keys(text: str) -> tuple[str, ...]:
    try:
        from ..actors.names import keys

        return keys(text)
    except ImportError:  # pragma: no cover
        return tuple(re.findall(r"[a-z0-9]+", text.lower()))


def gold_profile(name: str, kb: Any) -> dict[str, Any]:
    """What a gold actor name says: its words, its country, its sector, whether a person."""
    words = _keys(name)
    country = None
    if kb is not None:
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                hit = kb.country_keys.get(gram) or (kb.demonyms.get(gram) or (None,))[0]
                if hit:
                    country = hit
                    break
            if country:
                break
    sector = next((SECTOR_WORDS[w] for w in words if w in SECTOR_WORDS), None)
    person = country is None and len(words) >= 2 and name[:1].isupper() and \
        not any(w in SECTOR_WORDS or w in GENERIC for w in words)
    return {"name": name, "words": words, "country": country, "sector": sector,
            "person": person}


def _stems(words: tuple[str, ...]) -> set[str]:
    return {w[:5] for w in words if w not in GENERIC and len(w) > 2}


#: sectors close enough to stand for each other
SECTOR_FAMILY = {"opposition": "opposition", "rebel": "opposition", "armed_group": "armed",
                 "paramilitary": "armed", "military": "military", "government": "government"}


def _same_sector(a: str | None, b: str | None) -> bool:
    return a is None or b is None or SECTOR_FAMILY.get(a, a) == SECTOR_FAMILY.get(b, b)


def actor_matches(gold: dict[str, Any], part: dict[str, Any]) -> bool:
    canonical = (part.get("name") or "").lower()
    if canonical and canonical == gold["name"].lower():
        return True
    if gold["person"]:
        return bool(_stems(gold["words"]) & _stems(_keys(part.get("name") or "")) and
                    (part.get("label") in (None, "PERSON")))
    if gold["country"] and part.get("country") == gold["country"]:
        sector = part.get("sector")
        if gold["sector"] in (None, "government") and sector in (None, "government"):
            return True
        if gold["sector"] and _same_sector(sector, gold["sector"]):
            return True
    texts = " ".join(filter(None, [part.get("text"), part.get("name")]))
    return bool(_stems(gold["words"]) & _stems(_keys(texts)))


def _day(value: str, end: bool = False) -> dt.date | None:
    try:
        if len(value) == 4:
            return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            if not end:
                return dt.date(year, month, 1)
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_matches(gold: dict[str, Any], event: dict[str, Any]) -> bool:
    if not gold.get("date"):
        return True
    if not event.get("date_start"):
        return False
    tol = dt.timedelta(days=int(gold.get("tolerance_days", 0)))
    g_start, g_end = _day(gold["date"]), _day(gold["date"], end=True)
    e_start = _day(event["date_start"])
    e_end = _day(event.get("date_end") or event["date_start"], end=True) or e_start
    if None in (g_start, g_end, e_start, e_end):
        return False
    if (e_end - e_start).days > max(31, (g_end - g_start).days):
        return False  # a year-long range says nothing about the day
    return e_start <= g_end + tol and g_start - tol <= e_end


def _participants(event: dict[str, Any], side: str, names: dict[str, str]) -> list[dict]:
    ids = _json(event.get(f"{side}_ids"))
    countries = _json(event.get(f"{side}_countries"))
    sectors = _json(event.get(f"{side}_sectors"))
    texts = (event.get(f"{side}_text") or "").split("; ") if event.get(f"{side}_text") else []
    out = []
    for i in range(max(len(ids), len(texts))):
        actor_id = ids[i] if i < len(ids) else None
        out.append({"id": actor_id, "name": names.get(actor_id or "", ""),
                    "text": texts[i] if i < len(texts) else "",
                    "country": countries[i] if i < len(countries) else None,
                    "sector": sectors[i] if i < len(sectors) else None,
                    "label": names.get(f"label:{actor_id}")})
    return out


def _json(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return list(value or [])


def participants_match(gold: dict[str, Any], event: dict[str, Any], names: dict[str, str],
                       kb: Any) -> bool:
    actors = [gold_profile(n, kb) for n in gold.get("actors", [])]
    targets = [gold_profile(n, kb) for n in gold.get("targets", [])]
    sources = _participants(event, "source", names)
    recipients = _participants(event, "target", names)

    def fits(side_a: list[dict], side_b: list[dict]) -> bool:
        if actors and not any(actor_matches(g, p) for g in actors for p in side_a):
            return False
        return not targets or any(actor_matches(g, p) for g in targets for p in side_b)

    if fits(sources, recipients):
        return True
    if event["type"] in SYMMETRIC or set(gold.get("types", [])) <= SYMMETRIC:
        everyone = sources + recipients
        return fits(everyone, everyone)
    return False


def _names(store: Any, doc_ids: list[str]) -> dict[str, str]:
    """Canonical names (and labels) of the actor ids mentioned in the documents."""
    names: dict[str, str] = {}
    marks = ",".join("?" for _ in doc_ids)
    for row in store.query(f"SELECT actor_id, actor_name, label FROM mentions WHERE doc_id IN "
                           f"({marks}) AND actor_id IS NOT NULL", doc_ids):
        names.setdefault(row["actor_id"], row["actor_name"] or "")
        names.setdefault(f"label:{row['actor_id']}", row["label"] or "")
    try:
        for row in store.query("SELECT id, name FROM actors"):
            if row["id"] in names and not names[row["id"]]:
                names[row["id"]] = row["name"]
    except Exception:  # noqa: BLE001 - no actors table yet
        pass
    return names


def _type_ok(gold: dict[str, Any], event: dict[str, Any]) -> bool:
    from ..events.ontology import coded_type

    types = set(gold.get("types", []))
    return event["type"] in types or coded_type(event["type"], event.get("modality")) in types


def score(store: Any, gold: dict[str, Any], docs: dict[str, str]) -> dict[str, dict]:
    items = gold.get("events", [])
    kb = _kb()
    found, misses = 0, []
    for item in items:
        doc_ids = [docs[p] for p in item.get("docs", []) if p in docs]
        if not doc_ids:
            misses.append(f"{item['id']}: documents not stored")
            continue
        marks = ",".join("?" for _ in doc_ids)
        rows = [dict(r) for r in store.query(f"SELECT * FROM events WHERE doc_id IN ({marks})",
                                             doc_ids)]
        names = _names(store, doc_ids)
        typed = [r for r in rows if _type_ok(item, r)]
        moded = [r for r in typed if r.get("modality") == item.get("modality", "happened")]
        dated = [r for r in moded if date_matches(item, r)]
        matched = [r for r in dated if participants_match(item, r, names, kb)]
        if matched:
            found += 1
            continue
        stage = ("type" if not typed else "modality" if not moded else "date" if not dated
                 else "participants")
        misses.append(f"{item['id']}: no event with the right {stage} "
                      f"({len(typed)} typed, {len(moded)} with modality, {len(dated)} dated)")
    total = len(items)
    return {"events": {"found": found, "total": total,
                       "score": round(found / total, 4) if total else 0.0, "misses": misses}}
