"""Evaluation against gold data: one module per data set, run as ``storyline eval NAME``.

Each module exposes ``DEFAULT_DATA`` (a path relative to the repo root, under
``../shared/eval``) and ``evaluate(data, settings, progress=None, limit=None) -> dict`` with
``{"metrics": {name: value}, "reference": {name: text}, "details": {...}}``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import ConfigError

#: evaluation name -> module
EVALS: dict[str, str] = {
    "seeds": "storyline.eval.seeds",
    "polnear": "storyline.eval.polnear",
    "actors": "storyline.eval.actors",
    "geoparsing": "storyline.eval.geoparsing",
    "plover": "storyline.eval.plover",
    "ecbplus": "storyline.eval.ecbplus",
    "stance": "storyline.eval.stance",
}

#: the runs behind the README's table (and the floors test): (evaluation, data path)
README_RUNS: tuple[tuple[str, str], ...] = (
    ("seeds", "../shared/gold/seeds.json"),
    ("actors", "../shared/eval/actors/ngec_cases.jsonl"),
    ("plover", "../shared/eval/plover/records.jsonl"),
    ("geoparsing", "../shared/eval/geoparsing/GWN.xml"),
    ("geoparsing", "../shared/eval/geoparsing/TR-News.xml"),
    ("polnear", "../shared/eval/polnear/dev"),
    ("ecbplus", "../shared/eval/ecbplus"),
    ("stance", "../shared/eval/stance"),
)


def module(name: str) -> ModuleType:
    if name not in EVALS:
        raise ConfigError(f"unknown evaluation {name!r}", hint="choose from " + ", ".join(EVALS))
    try:
        return importlib.import_module(EVALS[name])
    except ModuleNotFoundError as exc:
        if exc.name == EVALS[name]:
            raise ConfigError(f"evaluation {name!r} is not available in this build") from None
        raise
