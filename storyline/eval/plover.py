"""``storyline eval plover``: event coding against the PLOVER gold standard records.

Each record is one sentence with one gold event (type, source and target actors with
country codes).  The sentence goes through the same stages as an ingested document; the
*primary* event Storyline codes for it (the one whose trigger is highest in the parse) is
compared with the gold event:

* ``type_accuracy``: PLOVER-coded type (:func:`storyline.events.ontology.coded_type`)
  equals the gold type, after mapping the records' older labels to PLOVER 2.0;
* ``actor_precision/recall/f1``: the set of actor codes of the event (sources and targets
  together: ISO alpha-3 countries, or IGO/NGO) against the gold set, micro-averaged over
  records; ``actor_role_f1`` compares the source set and the target set separately;
* ``coverage``: share of records for which an event was coded at all.

The classifier is trained on the records themselves for the shipped model, so the figure
here is **5-fold cross-validated**: each fold is coded by a classifier trained on
Storyline's own examples plus the other four folds, never on the records it is scored on.

Older labels (the records use PLOVER 0.5/0.6) map to PLOVER 2.0 as follows:

=============  ================  ===============================================
old label      PLOVER 2.0        why
=============  ================  ===============================================
DEMAND         REQUEST           renamed; same scope (demands, requests, orders)
DISAPPROVE     ACCUSE            merged (criticise, condemn, accuse, sue)
INVESTIGATE    ACCUSE            merged, mode ``investigate``
FIGHT          ASSAULT           merged (conventional military force)
COERCE/destroy ASSAULT           "destroy property" moved from COERCE to ASSAULT
other types    unchanged         AGREE … ASSAULT exist in both versions
=============  ================  ===============================================

CAMEO-style country codes of the records that differ from ISO 3166 alpha-3 are mapped
(JAP→JPN, ITL→ITA, VTN→VNM); non-state codes (IGO, NGO, IMG, ISM) are kept.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings

DEFAULT_DATA = "../shared/eval/plover/records.jsonl"
FOLDS = 5

#: (old label, old mode) -> PLOVER 2.0 type, for modes whose meaning moved between types
MODE_MOVES = {("COERCE", "destroy"): "ASSAULT"}
#: CAMEO country codes that are not ISO 3166 alpha-3
CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def gold_type(label: str, mode: str | None) -> str | None:
    from ..events import ontology

    moved = MODE_MOVES.get((label.upper(), (mode or "").lower()))
    return moved or ontology.legacy_type(label)


def _codes(actors: Any) -> list[str]:
    if not isinstance(actors, list):
        return []
    out = []
    for actor in actors:
        code = (actor.get("code") or "").upper()[:3] if isinstance(actor, dict) else ""
        if code:
            out.append(CODE_FIXES.get(code, code))
    return out


def load_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The gold records, with ``type`` mapped to PLOVER 2.0 and actor codes normalised."""
    if not path.is_file():
        raise EvalDataError(f"PLOVER records not found: {path}")
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise EvalDataError(f"{path}:{n}: not JSON ({exc})") from None
        if not raw.get("text") or not raw.get("event"):
            continue
        mapped = gold_type(raw["event"], raw.get("mode"))
        if mapped is None:
            continue
        records.append({"id": raw.get("id", f"line{n}"), "text": raw["text"].strip(" {}"),
                        "label": raw["event"], "type": mapped,
                        "date": raw.get("date"),
                        "sources": _codes(raw.get("source")),
                        "targets": _codes(raw.get("target"))})
        if limit and len(records) >= limit:
            break
    if not records:
        raise EvalDataError(f"no usable records in {path}")
    return records


def event_codes(event: Any, side: str) -> list[str]:
    from ..events.export import actor_code

    countries = getattr(event, f"{side}_countries") or []
    sectors = getattr(event, f"{side}_sectors") or []
    codes = []
    for i, country in enumerate(countries):
        code = actor_code(country, sectors[i] if i < len(sectors) else None)
        if code:
            codes.append(code)
    return codes


def primary_event(events: list[Any], doc: Any) -> Any | None:
    """The event whose trigger is highest in the parse (ties: more confident)."""
    if not events:
        return None

    def depth(event: Any) -> int:
        span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
        token = span.root if span is not None and len(span) else doc[0]
        d = 0
        while token.head != token and d < 50:
            token, d = token.head, d + 1
        return d

    return min(events, key=lambda e: (depth(e), -(e.confidence or 0)))


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(records: list[dict[str, Any]], predictions: list[Any]) -> dict[str, Any]:
    """Metrics and details for events predicted for the records (None = no event)."""
    from ..events.ontology import coded_type

    correct = covered = 0
    tp = n_pred = n_gold = 0
    role_tp = role_pred = role_gold = 0
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for record, event in zip(records, predictions):
        pred_type = coded_type(event.type, event.modality) if event is not None else "NONE"
        covered += event is not None
        correct += pred_type == record["type"]
        confusion[(record["type"], pred_type)] += 1
        gold_all = set(record["sources"] + record["targets"])
        pred_src = set(event_codes(event, "source")) if event is not None else set()
        pred_tgt = set(event_codes(event, "target")) if event is not None else set()
        pred_all = pred_src | pred_tgt
        tp += len(gold_all & pred_all)
        n_pred, n_gold = n_pred + len(pred_all), n_gold + len(gold_all)
        for gold_side, pred_side in ((set(record["sources"]), pred_src),
                                     (set(record["targets"]), pred_tgt)):
            role_tp += len(gold_side & pred_side)
            role_pred, role_gold = role_pred + len(pred_side), role_gold + len(gold_side)
        if pred_type != record["type"]:
            errors.append({"id": record["id"], "gold": record["type"], "predicted": pred_type,
                           "trigger": getattr(event, "trigger", None),
                           "text": record["text"][:200]})
    n = len(records)
    p, r, f = _prf(tp, n_pred, n_gold)
    _, _, role_f = _prf(role_tp, role_pred, role_gold)
    return {
        "metrics": {"type_accuracy": round(correct / n, 4), "actor_precision": round(p, 4),
                    "actor_recall": round(r, 4), "actor_f1": round(f, 4),
                    "actor_role_f1": round(role_f, 4), "coverage": round(covered / n, 4)},
        "confusion": confusion_table(confusion),
        "errors": errors,
    }


def confusion_table(confusion: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """{gold type: {predicted type: count}}."""
    table: dict[str, dict[str, int]] = {}
    for (gold, pred), count in sorted(confusion.items()):
        table.setdefault(gold, {})[pred] = count
    return table


def confusion_markdown(table: dict[str, dict[str, int]]) -> str:
    """The confusion matrix as a Markdown table (rows gold, columns predicted)."""
    columns = sorted({p for row in table.values() for p in row})
    lines = ["| gold \\ predicted | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    for gold in sorted(table):
        cells = [str(table[gold].get(c, "")) for c in columns]
        lines.append(f"| {gold} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _folds(n: int, k: int) -> list[list[int]]:
    return [list(range(i, n, k)) for i in range(k)]


def evaluate(data: Path, settings: Settings, progress: Any = None,
             limit: int | None = None) -> dict[str, Any]:
    from ..events import train
    from ..events.classify import fit
    from ..events.coding import code
    from ..events.extract import document_candidates
    from ..events.pipeline import read_texts
    from ..events.stage import doc_info

    records = load_records(Path(data), limit)
    if progress is not None:
        progress.start("coding PLOVER records", total=len(records))
    states = read_texts([r["text"] for r in records], settings, published=None)
    cands = [document_candidates(s["nlp"].doc, s.get("mentions")) for s in states]
    own_x, own_y = train.example_features(settings)
    rec_x = train.candidate_features([c for c in cands],
                                     [s["nlp"].doc for s in states])
    labels = train.labels()
    predictions: list[Any] = [None] * len(records)
    k = min(FOLDS, len(records)) if settings.events.use_classifier else 1
    for fold in _folds(len(records), k):
        held = set(fold)
        model = None
        if settings.events.use_classifier:
            import numpy as np

            rows = [i for i in range(len(records)) if i not in held]
            x = np.vstack([own_x, rec_x[rows]]) if rows else own_x
            y = own_y + [records[i]["type"] for i in rows]
            model = fit(x, y, labels)
        for i in fold:
            events = code(cands[i], doc_info(states[i]), model, settings.events.min_confidence)
            predictions[i] = primary_event(events, states[i]["nlp"].doc)
            if progress is not None:
                progress.advance()
    if progress is not None:
        progress.done()
    result = score(records, predictions)
    return {
        "metrics": result["metrics"],
        "reference": {
            "type_accuracy": "no published figure for dictionary coders (target 0.75); "
                             "5-fold CV for the classifier",
            "actor_f1": "country codes of sources+targets, micro F1 (target 0.75)",
            "actor_role_f1": "country codes with the right side (source/target)",
            "coverage": "records with a coded event",
        },
        "details": {"confusion": result["confusion"],
                    "confusion_markdown": confusion_markdown(result["confusion"]),
                    "errors": result["errors"], "records": len(records),
                    "label_map": {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE",
                                  "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT",
                                  "COERCE (mode destroy)": "ASSAULT"},
                    "cross_validation": f"{k}-fold" if k > 1 else "lexicon only"},
    }
