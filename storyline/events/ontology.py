"""The PLOVER ontology, read from ``data/plover.json`` (types, modes, CAMEO roots, scores).

The ontology is data, not code: this module only loads it and answers questions about it
(the CAMEO root and Goldstein score of a type and mode, its quad category, how an older
PLOVER label maps to PLOVER 2.0, and how an action plus its modality is *coded* under
PLOVER's conventions).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

#: modalities an event can carry (see :mod:`storyline.events.modality`)
MODALITIES = ("happened", "future", "proposed", "cancelled", "denied", "hypothetical",
              "negated")

COOPERATIVE_QUADS = (1, 2)
MATERIAL_CONFLICT = ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


@functools.lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The ontology as a dict (cached)."""
    text = resources.files("storyline.events").joinpath("data/plover.json").read_text("utf-8")
    return json.loads(text)


def types() -> list[str]:
    """The 16 PLOVER 2.0 event types, in the ontology's order."""
    return list(load()["types"])


def info(event_type: str) -> dict[str, Any]:
    """The ontology entry of ``event_type`` (KeyError for an unknown type)."""
    return load()["types"][event_type]


def modes(event_type: str) -> list[str]:
    return list(info(event_type).get("modes", {}))


def valid_mode(event_type: str, mode: str | None) -> str | None:
    """``mode`` when the ontology defines it for ``event_type``, else None."""
    return mode if mode and mode in info(event_type).get("modes", {}) else None


def cameo(event_type: str, mode: str | None = None) -> str:
    """The CAMEO root code of an event of ``event_type`` with ``mode``."""
    entry = info(event_type)
    by_mode = entry.get("mode_cameo", {})
    if mode and mode in by_mode:
        return by_mode[mode]
    return entry.get("default_cameo") or entry["cameo"][0]


def goldstein(root: str) -> float | None:
    """The Goldstein score of a CAMEO root code ("01".."20")."""
    return load()["goldstein_roots"].get(root[:2])


def score(event_type: str) -> float:
    """PLOVER's cooperation–conflict score of ``event_type`` (-10 … +10)."""
    return float(info(event_type)["score"])


def quad(event_type: str) -> int:
    """Quad category: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    4 material conflict."""
    return int(info(event_type)["quad"])


def legacy_type(label: str) -> str | None:
    """The PLOVER 2.0 type of a label of an older PLOVER version (None when dropped)."""
    label = label.strip().upper()
    if label in load()["types"]:
        return label
    entry = load()["legacy_labels"].get(label)
    return entry["type"] if entry else None


def coded_type(event_type: str, modality: str | None) -> str:
    """The PLOVER-coded category of an action with a modality.

    PLOVER codes intentions by their category: cooperative actions reported as future,
    planned or proposed are AGREE ("will provide aid" is an AGREE event), material conflict
    announced for the future or under a condition is THREATEN ("would blockade Paris"), and
    a cooperative action refused for the future is REJECT ("will not accept refugees").
    Storyline stores the action type and its modality separately; exports and the PLOVER
    evaluation use this coding.
    """
    if modality in ("future", "proposed") and quad(event_type) in COOPERATIVE_QUADS:
        return "AGREE"
    if modality in ("future", "hypothetical") and event_type in MATERIAL_CONFLICT:
        return "THREATEN"
    return event_type
