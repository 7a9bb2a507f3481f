"""Stages registered by name, with declared inputs and outputs (like spaCy's components).

A *document* stage is a plain function ``fn(state: DocState, settings: Settings) -> None``
that reads the artifacts it ``requires`` from ``state`` and sets the ones it ``produces``.
It touches no database and no global state, so the same code runs in-process, in a worker
process or on a Ray worker.  Artifacts named after a store table hold lists of
:class:`~storyline.records.Record` and are written by the store after the stage ran.

A *corpus* stage is ``fn(store: Store, settings: Settings, progress) -> dict`` and works
across documents (fusion, stories, public reaction); it returns a small summary.

Register a stage with the decorator::

    @stage("places", requires=("document", "nlp"), produces=("places",), version="1")
    def find_places(state, settings): ...

Stage modules are imported by :func:`load_builtin_stages`; user code may register more.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable
from typing import Any, Literal

from .errors import StageError

Scope = Literal["document", "corpus"]

#: modules whose import registers the built-in stages, in flow order
BUILTIN_STAGE_MODULES = (
    "storyline.ingest.stage",
    "storyline.nlp.stage",
    "storyline.actors.stage",
    "storyline.geo.stage",
    "storyline.events.stage",
    "storyline.fuse.stage",
    "storyline.opinion.stage",
)


@dataclasses.dataclass(frozen=True)
class Stage:
    name: str
    fn: Callable[..., Any]
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    version: str
    scope: Scope
    doc: str


_REGISTRY: dict[str, Stage] = {}


def stage(
    name: str,
    *,
    requires: Iterable[str] = (),
    produces: Iterable[str] = (),
    version: str = "1",
    scope: Scope = "document",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as the stage ``name``; re-registering a name replaces it."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[name] = Stage(
            name=name,
            fn=fn,
            requires=tuple(requires),
            produces=tuple(produces),
            version=version,
            scope=scope,
            doc=(fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "",
        )
        return fn

    return register


def get(name: str) -> Stage:
    load_builtin_stages()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise StageError(f"unknown stage {name!r} (known stages: {known})") from None


def all_stages(scope: Scope | None = None) -> list[Stage]:
    load_builtin_stages()
    return [s for s in _REGISTRY.values() if scope is None or s.scope == scope]


_loaded = False


def load_builtin_stages() -> None:
    """Import the built-in stage modules once; a missing module is skipped silently
    (a stage folder without ``stage.py`` simply registers nothing)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in BUILTIN_STAGE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def plan(stages: list[Stage], available: Iterable[str] = ("raw",)) -> list[Stage]:
    """Order ``stages`` so that each runs after the stages producing what it requires.

    Registration order breaks ties, so the flow reads as registered.  Raises
    :class:`StageError` when a requirement is produced by no stage.
    """
    have = set(available)
    pending = list(stages)
    ordered: list[Stage] = []
    while pending:
        ready = [s for s in pending if set(s.requires) <= have]
        if not ready:
            missing = {r for s in pending for r in s.requires} - have
            names = ", ".join(s.name for s in pending)
            raise StageError(f"cannot run stage(s) {names}: nothing produces {sorted(missing)}")
        first = ready[0]
        ordered.append(first)
        have.update(first.produces)
        pending.remove(first)
    return ordered


@dataclasses.dataclass
class DocState:
    """Everything known about one document while its document stages run.

    ``artifacts`` maps artifact names to values: ``raw`` (ingest.types.RawInput),
    ``document`` (ingest.types.Document), ``nlp`` (nlp.types.Parsed), and lists of
    records named after their store table (``mentions``, ``quotes``, ``timexes``,
    ``places``, ``events`` …).  ``skipped`` holds a reason when a stage gave up on the
    document; later stages then do not run.
    """

    doc_id: str
    artifacts: dict[str, Any] = dataclasses.field(default_factory=dict)
    skipped: str | None = None
    stage_versions: dict[str, str] = dataclasses.field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.artifacts[name]
        except KeyError:
            raise StageError(f"document {self.doc_id}: artifact {name!r} is missing") from None

    def __setitem__(self, name: str, value: Any) -> None:
        self.artifacts[name] = value

    def __contains__(self, name: str) -> bool:
        return name in self.artifacts

    def get(self, name: str, default: Any = None) -> Any:
        return self.artifacts.get(name, default)
