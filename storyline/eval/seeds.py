"""``storyline eval seeds``: score a reading of the seed documents against the gold file.

The seeds are ingested into a temporary store (or an existing one with ``--db``) and every
stage's scorer (``storyline/eval/seeds_<area>.py``) scores the categories it can produce.
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings

DEFAULT_DATA = "../shared/gold/seeds.json"

#: scorer modules, each exposing score(store, gold, docs) -> {category: result}
SCORERS = (
    "storyline.eval.seeds_documents",
    "storyline.eval.seeds_actors",
    "storyline.eval.seeds_reading",
    "storyline.eval.seeds_geo",
    "storyline.eval.seeds_events",
    "storyline.eval.seeds_fuse",
)


def load_gold(path: Path) -> dict[str, Any]:
    import json

    if not path.is_file():
        raise EvalDataError(f"gold file not found: {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise EvalDataError(f"gold file {path} is not valid JSON: {exc}") from None


def seed_documents(store: Any) -> dict[str, str]:
    """Seed prefix ("000".."004") -> stored document id, from the source file names."""
    docs = {}
    for row in store.query("SELECT id, source FROM documents"):
        name = Path(row["source"] or "").name
        if len(name) > 3 and name[:3].isdigit():
            docs[name[:3]] = row["id"]
    return docs


def score_store(store: Any, gold: dict[str, Any]) -> dict[str, dict[str, Any]]:
    docs = seed_documents(store)
    results: dict[str, dict[str, Any]] = {}
    for name in SCORERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        results.update(module.score(store, gold, docs))
    return results


def evaluate(data: Path, settings: Settings, progress: Any = None, limit: int | None = None,
             db: str | None = None) -> dict[str, Any]:
    from ..flow import ingest
    from ..store.db import open_store

    gold = load_gold(Path(data))
    seeds_dir = Path(data).resolve().parent.parent / "seeds"
    if not seeds_dir.is_dir():
        raise EvalDataError(f"seed documents not found beside the gold file: {seeds_dir}")
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "seeds.db")
        with open_store(path) as store:
            if not seed_documents(store):
                ingest([seeds_dir], store, settings.replace(**{"store.path": path}), progress)
            results = score_store(store, gold)
    return {
        "metrics": {cat: round(r["score"], 4) for cat, r in results.items()},
        "reference": {cat: "gold/seeds.json (recall of gold items)" for cat in results},
        "details": results,
    }
