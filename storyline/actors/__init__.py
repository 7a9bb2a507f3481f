"""Actors: the knowledge base, mention detection and resolution, actor codes.

Public entry points (imported lazily, so ``import storyline.actors`` stays cheap):

* :func:`storyline.actors.kb.load_kb` — the knowledge base (+ ``settings.actors.user_kb``);
* :func:`storyline.actors.resolve.resolve` — mentions of one parsed document;
* :func:`storyline.actors.metonymy.is_metonymic` — "Moscow said" vs "a visit to Moscow";
* :func:`storyline.actors.codes.code_actor` — CAMEO-style code of an actor string;
* stages ``actors`` (document) and ``actors-merge`` (corpus) in :mod:`.stage`.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "load_kb": "kb",
    "resolve": "resolve",
    "resolve_text": "resolve",
    "is_metonymic": "metonymy",
    "code_actor": "codes",
    "Mention": "types",
    "Actor": "types",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
