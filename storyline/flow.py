"""The flow of Storyline, readable in one place.

    inputs ──ingest.sources──▶ RawInput ──document stages──▶ DocState ──store──▶ SQLite
                                                  corpus stages (fuse, opinion) ◀──┘
                                                         report.brief ◀──┘

Document stages run per document (here, in worker processes, or on Ray: see
``storyline.scale``); in process, ``process_documents`` runs them on small windows of
documents so that the nlp stage parses a window with one ``nlp.pipe`` stream.  Corpus
stages run on the store once a batch is written.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import registry
from .errors import InputError, StorylineError
from .ingest.types import RawInput, Skip, content_hash, document_id
from .records import RecentKeys
from .registry import DocState, Stage
from .settings import Settings
from .store.db import Store
from .store.documents import known_content, record_skip, save_document


class Progress:
    """What long work reports; the CLI shows it as progress bars, the API ignores it."""

    def start(self, label: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1, note: str = "") -> None: ...

    def log(self, message: str) -> None: ...

    def done(self) -> None: ...


@dataclasses.dataclass
class IngestReport:
    added: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    skipped: list[Skip] = dataclasses.field(default_factory=list)
    stage_failures: list[Skip] = dataclasses.field(default_factory=list)
    corpus: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "skipped": [dataclasses.asdict(s) for s in self.skipped],
            "stage_failures": [dataclasses.asdict(s) for s in self.stage_failures],
            "corpus": self.corpus,
        }


def document_stages(names: Iterable[str] | None = None) -> list[Stage]:
    """The document stages to run, in dependency order (all registered ones by default)."""
    stages = registry.all_stages("document")
    if names is not None:
        wanted = set(names)
        stages = [s for s in stages if s.name in wanted]
    return registry.plan(stages)


def corpus_stages(names: Iterable[str] | None = None) -> list[Stage]:
    stages = registry.all_stages("corpus")
    if names is not None:
        wanted = set(names)
        stages = [s for s in stages if s.name in wanted]
    return registry.plan(stages, available=[p for s in registry.all_stages("document")
                                            for p in s.produces] + ["raw"])


def process_document(raw: RawInput, settings: Settings,
                     stages: list[Stage] | None = None) -> DocState:
    """Run the document stages on one input.  Never raises for bad input: a failure of the
    first stage marks the document skipped; a later stage's failure is recorded in
    ``state.artifacts["failures"]`` and the stages that do not need its output still run."""
    stages = document_stages(settings.ingest.stages or None) if stages is None else stages
    run = _DocRun(raw)
    for st in stages:
        if not _ready(run, st):
            continue
        _apply(run, st, settings)
        if run.stopped:
            break
    return run.finish()


def process_documents(raws: Iterable[RawInput], settings: Settings,
                      stages: list[Stage] | None = None,
                      batch_size: int | None = None) -> Iterator[DocState]:
    """Run the document stages on ``raws``, yielding their states in order, exactly as
    :func:`process_document` would one by one, but a window of ``batch_size`` documents
    (default: ``settings.nlp.batch_size``) at a time, so that stages that can work on
    several documents at once (``fn.batch``, e.g. the spaCy parse with ``nlp.pipe``) do.

    Inputs are pulled lazily, one window at a time: memory stays bounded by the window.
    A stage's ``fn.batch(states, settings)`` must do for each state what ``fn`` does; if
    it raises, the window's documents are run through ``fn`` one by one instead (so a bad
    document fails alone, with the same failure record as :func:`process_document`)."""
    import itertools

    stages = document_stages(settings.ingest.stages or None) if stages is None else stages
    size = max(1, batch_size or settings.nlp.batch_size or 1)
    iterator = iter(raws)
    while window := list(itertools.islice(iterator, size)):
        runs = [_DocRun(raw) for raw in window]
        for st in stages:
            ready = [run for run in runs if not run.stopped and _ready(run, st)]
            if not ready:
                continue
            batch = getattr(st.fn, "batch", None)
            if batch is not None and len(ready) > 1:
                try:
                    batch([run.state for run in ready], settings)
                except Exception:  # noqa: BLE001 - redone one by one: the failure is recorded
                    pass
                else:
                    for run in ready:
                        run.state.stage_versions[st.name] = st.version
                        run.stopped = bool(run.state.skipped)
                    continue
            for run in ready:
                _apply(run, st, settings)
        for run in runs:
            yield run.finish()
        del runs, window


class _DocRun:
    """One document going through the stages: its state, failures, and whether it stopped."""

    __slots__ = ("raw", "state", "failures", "stopped")

    def __init__(self, raw: RawInput) -> None:
        self.raw = raw
        self.state = DocState(doc_id=document_id(raw.source_key), artifacts={"raw": raw})
        self.failures: list[Skip] = []
        self.stopped = False

    def finish(self) -> DocState:
        self.state.artifacts["failures"] = self.failures
        return self.state


def _ready(run: _DocRun, st: Stage) -> bool:
    return all(r in run.state for r in st.requires)


def _apply(run: _DocRun, st: Stage, settings: Settings) -> None:
    """Run one stage on one document, recording its failure (see process_document)."""
    state, raw = run.state, run.raw
    try:
        st.fn(state, settings)
        state.stage_versions[st.name] = st.version
    except InputError as exc:
        state.skipped = str(exc)
        run.failures.append(Skip(source=raw.source, reason=str(exc),
                                 error=type(exc).__name__, stage=st.name))
        run.stopped = True
        return
    except Exception as exc:  # a stage bug must not lose the document
        reason = f"{type(exc).__name__}: {exc}"
        run.failures.append(Skip(source=raw.source, reason=reason, error="StageError",
                                 stage=st.name))
        state.artifacts.setdefault("tracebacks", []).append(traceback.format_exc(limit=5))
        if "document" not in state:
            state.skipped = reason
            run.stopped = True
            return
    if state.skipped:
        run.stopped = True


def ingest(items: Iterable[str | Path | RawInput], store: Store, settings: Settings,
           progress: Progress | None = None, *, corpus: bool = True,
           map_documents: Callable[..., Iterable[DocState]] | None = None,
           force: bool = False) -> IngestReport:
    """Ingest paths, URLs or raw inputs into ``store`` and run every stage.

    ``map_documents(raws, settings)`` lets an engine (worker pool, Ray) run the document
    stages elsewhere: it pulls inputs lazily from the iterable ``raws`` and yields their
    states in order; results are written here, one transaction per document.
    ``force`` processes inputs even when their content is already stored (re-runs).
    """
    from .ingest.sources import iter_inputs

    progress = progress or Progress()
    report = IngestReport()
    store.acquire_write_lock()
    try:
        stages = document_stages(settings.ingest.stages or None)
        runner = map_documents or (lambda raws, s: process_documents(raws, s, stages))
        fresh = fresh_inputs(iter_inputs(items, settings), store, report, progress, force)
        progress.start("reading documents")
        for state in runner(fresh, settings):  # a stream: memory stays flat on any corpus
            _save(store, state, report)
            progress.advance(note=state.doc_id)
        progress.done()
        if corpus and (report.added or report.updated):
            report.corpus = run_corpus_stages(store, settings, progress)
    finally:
        store.release_write_lock()
    return report


def fresh_inputs(items: Iterable[RawInput | Skip], store: Store, report: IngestReport,
                 progress: Progress, force: bool = False) -> Iterator[RawInput]:
    """The inputs whose content is not stored yet, lazily; skips are recorded as they come.
    Duplicates in flight (read but not yet written) are caught by a bounded window of recent
    digests; older ones are in the store by then."""
    seen = RecentKeys()
    for item in items:
        if isinstance(item, Skip):
            record_skip(store, item)
            report.skipped.append(item)
            progress.log(f"skipped {item.source}: {item.reason}")
            continue
        digest = content_hash(item.data)
        if digest in seen or (not force and known_content(store, digest)):
            report.unchanged.append(document_id(item.source_key))
            continue
        seen.add(digest)
        yield item


def _save(store: Store, state: DocState, report: IngestReport) -> None:
    failures: list[Skip] = state.artifacts.get("failures", [])
    for failure in failures:
        record_skip(store, failure)
    if state.skipped or "document" not in state:
        report.skipped.extend(failures)
        return
    report.stage_failures.extend(failures)
    existed = store.scalar("SELECT 1 FROM documents WHERE id=?", (state.doc_id,))
    try:
        save_document(store, state)  # one transaction: rolled back whole if it fails
    except (UnicodeError, OverflowError, sqlite3.InterfaceError) as exc:  # not storable
        raw = state.get("raw")
        skip = Skip(source=raw.source if raw else state.doc_id, error="StageError",
                    reason=f"cannot store: {type(exc).__name__}: {exc}", stage="store")
        record_skip(store, skip)
        report.skipped.append(skip)
        return
    (report.updated if existed else report.added).append(state.doc_id)


def run_corpus_stages(store: Store, settings: Settings, progress: Progress | None = None,
                      names: Iterable[str] | None = None) -> dict[str, Any]:
    """Run the cross-document stages on everything stored; returns their summaries."""
    progress = progress or Progress()
    summary: dict[str, Any] = {}
    for st in corpus_stages(names):
        progress.start(st.name)
        try:
            summary[st.name] = st.fn(store, settings, progress)
        except StorylineError:
            raise
        except Exception as exc:
            record_skip(store, Skip(source="corpus", reason=f"{type(exc).__name__}: {exc}",
                                    error="StageError", stage=st.name))
            summary[st.name] = {"error": f"{type(exc).__name__}: {exc}"}
        progress.done()
    return summary


def brief(items: Iterable[str | Path], out_dir: str | Path, store: Store, settings: Settings,
          progress: Progress | None = None, **options: Any) -> dict[str, Any]:
    """Ingest ``items`` (if any), run every stage, write the briefing into ``out_dir``."""
    from .report.brief import write_brief

    items = list(items)
    report = ingest(items, store, settings, progress) if items else None
    outputs = write_brief(store, Path(out_dir), settings, **options)
    return {"ingest": report.to_json() if report else None, "outputs": outputs}
