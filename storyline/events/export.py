"""Event rows in the interchange forms analysts load elsewhere.

* :func:`to_plover` — a PLOVER JSON record (field names of the PLOVER specification:
  ``source``/``recipient`` actor lists with ISO-3166 alpha-3 or non-state codes and
  sector codes, ``event``, ``mode``, ``context``, ``event_loc``, ``quad_code``,
  ``event_scale`` …).  The ``event`` is PLOVER's coding of the action and its modality
  (a planned meeting is AGREE, see :func:`storyline.events.ontology.coded_type`); the
  action itself and the modality are kept in ``action`` and ``modality``.
* :func:`to_acled` — a flat ACLED-style row (``event_date``, ``event_type``,
  ``sub_event_type``, ``actor1``/``actor2``, ``location``, ``latitude``/``longitude``,
  ``time_precision`` …) for tools built around ACLED exports.

Both take a row of the ``events`` table as a dict (JSON columns decoded or not).
"""

from __future__ import annotations

import json
from typing import Any

from . import ontology

#: Storyline sectors -> PLOVER sector codes
SECTOR_CODES = {
    "government": "GOV", "military": "MIL", "police": "COP", "intelligence": "SPY",
    "legislature": "LEG", "judiciary": "JUD", "party": "PTY", "opposition": "OPP",
    "rebel": "REB", "paramilitary": "PRM", "armed_group": "UAF", "criminal": "CRM",
    "civilian": "CVL", "media": "JRN", "business": "BUS", "education": "EDU",
    "religious": "REL", "medical": "MED", "health": "MED", "labor": "LAB",
    "agriculture": "AGR", "refugee": "REF", "elite": "ELI", "breakaway": "REB",
    "human_rights": "SOC", "ngo": "SOC", "igo": "GOV",
}
#: sectors that make an actor without a country a non-state actor code
NON_STATE = {"igo": "IGO", "ngo": "NGO", "human_rights": "NGO"}
MODALITY_CONTEXT = {"future": "future", "proposed": "future", "hypothetical": "hypothetical",
                    "negated": "negation", "cancelled": "negation", "denied": "negation"}
VIOLENCE_AGAINST_CIVILIANS = {"abduct", "torture", "sexual", "execute", "beat"}
REMOTE = {"aerial", "drone", "heavy-weapons", "explosives", "suicide-attack", "cbrn"}
STRATEGIC = {
    "AGREE": "Agreement", "SUPPORT": "Agreement", "CONCEDE": "Agreement",
    "RETREAT": "Non-violent transfer of territory", "COERCE": "Arrests",
    "MOBILIZE": "Change to group/activity", "SANCTION": "Other", "THREATEN": "Other",
    "CONSULT": "Other", "REQUEST": "Other", "ACCUSE": "Other", "REJECT": "Other",
    "COOPERATE": "Other", "AID": "Other",
}


def _list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return list(value) if isinstance(value, (list, tuple)) else [value]


def actor_code(country: str | None, sector: str | None) -> str | None:
    """PLOVER actor code: the ISO alpha-3 country, else a non-state code (IGO, NGO)."""
    if country:
        return country
    return NON_STATE.get((sector or "").lower())


def _actors(row: dict[str, Any], side: str) -> list[dict[str, Any]]:
    ids = _list(row.get(f"{side}_ids"))
    countries = _list(row.get(f"{side}_countries"))
    sectors = _list(row.get(f"{side}_sectors"))
    texts = [t for t in (row.get(f"{side}_text") or "").split("; ") if t] if \
        row.get(f"{side}_text") else []
    n = max(len(ids), len(countries), len(texts))
    out = []
    for i in range(n):
        country = countries[i] if i < len(countries) else None
        sector = sectors[i] if i < len(sectors) else None
        actor = {"code": actor_code(country, sector), "text": texts[i] if i < len(texts) else None,
                 "identifier": ids[i] if i < len(ids) else None}
        if sector and (sector or "").lower() in SECTOR_CODES:
            actor["sector"] = SECTOR_CODES[sector.lower()]
        out.append({k: v for k, v in actor.items() if v is not None})
    return out


def plover_event(row: dict[str, Any]) -> str:
    return ontology.coded_type(row["type"], row.get("modality"))


def to_plover(event_row: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER JSON record for one event row."""
    row = event_row
    event = plover_event(row)
    contexts = [c.strip() for c in (row.get("context") or "").split(",") if c.strip()]
    extra = MODALITY_CONTEXT.get(row.get("modality") or "")
    if extra and extra not in contexts:
        contexts.append(extra)
    record: dict[str, Any] = {
        "id": row.get("id"),
        "date": row.get("date_start"),
        "enddate": row.get("date_end") if row.get("date_end") != row.get("date_start") else None,
        "date_precision": row.get("date_precision"),
        "source": _actors(row, "source"),
        "recipient": _actors(row, "target"),
        "event": [event],
        "action": row["type"],
        "modality": row.get("modality"),
        "mode": [row["mode"]] if row.get("mode") else [],
        "context": contexts,
        "quad_code": ontology.quad(event),
        "event_scale": ontology.score(event),
        "cameo": row.get("cameo"),
        "goldstein": row.get("goldstein"),
        "event_text": [row.get("trigger")] if row.get("trigger") else [],
        "text": row.get("sentence"),
        "text_info": {"doc_id": row.get("doc_id"), "start": row.get("start"),
                      "end": row.get("end"), "trigger_start": row.get("trigger_start"),
                      "trigger_end": row.get("trigger_end"), "origin": row.get("origin")},
        "cite_info": {"reported_by": row.get("reported_by")},
        "coder": f"Storyline events {row.get('stage_version') or ''}".strip(),
        "confidence": row.get("confidence"),
    }
    if row.get("place_name") or row.get("lat") is not None:
        record["event_loc"] = {"name": row.get("place_name"), "lat": row.get("lat"),
                               "lon": row.get("lon"), "country": row.get("country"),
                               "id": row.get("place_id"), "zones": _list(row.get("zones"))}
    return {k: v for k, v in record.items() if v not in (None, [], {})}


def _acled_type(event: str, mode: str | None, targets: list[dict[str, Any]]) -> tuple[str, str]:
    if event == "ASSAULT":
        if mode in VIOLENCE_AGAINST_CIVILIANS or any(t.get("sector") == "CVL" for t in targets):
            return "Violence against civilians", "Attack"
        if mode in REMOTE:
            sub = {"aerial": "Air/drone strike", "drone": "Air/drone strike",
                   "heavy-weapons": "Shelling/artillery/missile attack",
                   "explosives": "Remote explosive/landmine/IED",
                   "suicide-attack": "Suicide bomb", "cbrn": "Chemical weapon"}[mode]
            return "Explosions/Remote violence", sub
        if mode == "destroy":
            return "Strategic developments", "Looting/property destruction"
        return "Battles", "Armed clash"
    if event == "PROTEST":
        if mode == "riot":
            return "Riots", "Violent demonstration"
        return "Protests", "Peaceful protest"
    return "Strategic developments", STRATEGIC.get(event, "Other")


def _time_precision(precision: str | None) -> int:
    return {"day": 1, "week": 2, "range": 2}.get(precision or "", 3)


def to_acled(event_row: dict[str, Any]) -> dict[str, Any]:
    """A flat ACLED-style row for one event row."""
    row = event_row
    event = plover_event(row)
    sources, targets = _actors(row, "source"), _actors(row, "target")
    event_type, sub_type = _acled_type(event, row.get("mode"), targets)
    date = row.get("date_start") or ""

    def names(actors: list[dict[str, Any]]) -> tuple[str, str]:
        texts = [a.get("text") or a.get("code") or "" for a in actors]
        return (texts[0] if texts else ""), "; ".join(texts[1:])

    actor1, assoc1 = names(sources)
    actor2, assoc2 = names(targets)
    return {
        "event_id_cnty": row.get("id"),
        "event_date": date,
        "year": date[:4] if date else "",
        "time_precision": _time_precision(row.get("date_precision")),
        "event_type": event_type,
        "sub_event_type": sub_type,
        "plover_event": event,
        "plover_mode": row.get("mode") or "",
        "modality": row.get("modality") or "",
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "iso3": row.get("country") or "",
        "location": row.get("place_name") or "",
        "latitude": row.get("lat"),
        "longitude": row.get("lon"),
        "source": row.get("reported_by") or "",
        "origin": row.get("origin") or "",
        "notes": row.get("sentence") or "",
        "confidence": row.get("confidence"),
    }
