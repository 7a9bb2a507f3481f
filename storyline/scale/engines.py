"""Engines that run the document stages away from the writing process.

Every engine runs the very same document stages as :func:`storyline.flow.process_document`
(Ray actors run a batch through :func:`storyline.flow.process_documents`, so the nlp stage
parses it with one ``nlp.pipe`` stream; the stored results are the same) and hands back
*slim* document states (records and the clean document; no spaCy objects), which the one
writer (the flow) stores, one transaction per document.  A runner is
``run(raws: Iterable[RawInput], settings) -> Iterator[DocState]``: it pulls inputs lazily
from ``raws`` in the caller's thread, keeps a bounded number in flight, and yields the
states **in input order**, so memory stays flat on any corpus size and a run on any engine
stores exactly what an in-process run stores.

* ``local`` with ``workers > 1``: a pool of worker processes (``forkserver``), models loaded
  once per worker, at most ``workers * IN_FLIGHT_PER_WORKER`` documents in flight.  A worker
  that dies (segfault, OOM killer) costs only the document that killed it: the pool is
  rebuilt, the other documents in flight are retried one at a time, and the culprit is
  recorded as skipped.
* ``ray``: Ray Data ``map_batches`` over an actor pool (models loaded once per actor), on a
  local Ray instance or an existing cluster (``address``).  Inputs are handed to Ray in
  windows of ``settings.scale.window`` documents (one Dataset each), so the driver never
  holds the whole corpus; results stream back in order (``preserve_order``).
"""

from __future__ import annotations

import collections
import itertools
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StorylineError
from ..ingest.types import RawInput, Skip, document_id
from ..registry import DocState
from ..settings import Settings

#: artifacts that cross process boundaries (everything else is rebuilt where needed)
PORTABLE = ("document", "raw", "failures", "nlp_cache")
#: documents queued per local worker (keeps every worker busy, bounds memory)
IN_FLIGHT_PER_WORKER = 4
#: documents per Ray Data batch (small batches balance work across actors)
RAY_BATCH = 4

Runner = Callable[[Iterable[RawInput], Settings], Iterator[DocState]]


def slim(state: DocState) -> DocState:
    """A picklable copy of ``state``: records, the document and its cache, no model objects."""
    keep = {k: v for k, v in state.artifacts.items() if k in PORTABLE or isinstance(v, list)}
    return DocState(doc_id=state.doc_id, artifacts=keep, skipped=state.skipped,
                    stage_versions=dict(state.stage_versions))


def failed_state(raw: RawInput, reason: str) -> DocState:
    """The state of a document whose worker died: skipped, with the reason recorded."""
    skip = Skip(source=raw.source, reason=reason, error="StageError", stage="worker")
    return DocState(doc_id=document_id(raw.source_key), skipped=reason,
                    artifacts={"raw": raw, "failures": [skip]})


def windows(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in consecutive lists of at most ``size`` (pulled lazily)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, max(1, size))):
        yield chunk


# --- local worker pool -------------------------------------------------------------------

_worker_settings: Settings | None = None
_worker_stages: Any = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings, _worker_stages
    from ..flow import document_stages

    _worker_settings = settings
    _worker_stages = document_stages(settings.ingest.stages or None)  # imports models once


def _process_pickled(raw: RawInput) -> bytes:
    from ..flow import process_document

    assert _worker_settings is not None
    state = process_document(raw, _worker_settings, _worker_stages)
    return pickle.dumps(slim(state), protocol=pickle.HIGHEST_PROTOCOL)


class _Pool:
    """A process pool that can be rebuilt when one of its workers dies."""

    def __init__(self, workers: int, settings: Settings) -> None:
        self.workers, self.settings = workers, settings
        self.executor: Any = None

    def submit(self, raw: RawInput) -> Any:
        if self.executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("forkserver"),
                initializer=_init_worker, initargs=(self.settings,))
        return self.executor.submit(_process_pickled, raw)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def reset(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None


def local_pool(workers: int) -> Runner:
    """A runner using ``workers`` local processes."""

    def run(raws: Iterable[RawInput], settings: Settings) -> Iterator[DocState]:
        from concurrent.futures.process import BrokenProcessPool

        pool = _Pool(workers, settings)
        pending: collections.deque[tuple[RawInput, Any, bool]] = collections.deque()
        suspects: collections.deque[RawInput] = collections.deque()
        source = iter(raws)
        try:
            while True:
                _fill(pending, suspects, source, pool, workers * IN_FLIGHT_PER_WORKER)
                if not pending:
                    return
                raw, future, alone = pending.popleft()
                try:
                    blob = future.result()
                except BrokenProcessPool:
                    pool.reset()
                    if alone:  # it ran alone, so it is what killed the worker
                        yield failed_state(raw, "the worker process died on this document")
                    else:  # one of these killed it: retry each alone
                        suspects.extend([raw] + [r for r, _, _ in pending])
                        pending.clear()
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a result that does not pickle
                    yield failed_state(raw, f"{type(exc).__name__}: {exc}")
                    continue
                yield pickle.loads(blob)
        finally:
            pool.close()

    return run


def _fill(pending: collections.deque, suspects: collections.deque, source: Iterator[RawInput],
          pool: _Pool, limit: int) -> None:
    """Queue work: suspects one at a time, else fresh inputs up to ``limit`` in flight."""
    if suspects:
        if not pending:
            raw = suspects.popleft()
            pending.append((raw, pool.submit(raw), True))
        return
    while len(pending) < limit:
        raw = next(source, None)
        if raw is None:
            return
        pending.append((raw, pool.submit(raw), False))


# --- Ray ---------------------------------------------------------------------------------


class RayWorker:
    """One Ray actor: loads the stages (and their models) once, processes batches."""

    def __init__(self, settings: Settings) -> None:
        from ..flow import document_stages

        self.settings = settings
        self.stages = document_stages(settings.ingest.stages or None)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        from ..flow import process_document, process_documents

        raws: list[RawInput] = [pickle.loads(blob) for blob in batch.column("raw").to_pylist()]
        try:  # the whole batch at once: the nlp stage parses it with one nlp.pipe stream
            states = list(process_documents(raws, self.settings, self.stages,
                                            batch_size=len(raws)))
        except Exception:  # noqa: BLE001 - redo one by one: a bad document fails alone
            states = []
            for raw in raws:
                try:
                    state = process_document(raw, self.settings, self.stages)
                except Exception as exc:  # noqa: BLE001 - one document must not fail the batch
                    state = failed_state(raw, f"{type(exc).__name__}: {exc}")
                states.append(state)
        out = [pickle.dumps(slim(state), protocol=pickle.HIGHEST_PROTOCOL) for state in states]
        return pa.table({"state": pa.array(out, type=pa.large_binary())})


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def start_ray(address: str = "", num_cpus: int | None = None) -> bool:
    """Connect to ``address`` or start a local Ray instance; ``True`` if this call started it."""
    try:
        import ray
    except ImportError:
        raise ConfigError("the ray engine needs Ray: pip install 'storyline[scale]'") from None
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                              "logging_level": logging.WARNING}
    if address:
        kwargs["address"] = address
    else:
        if num_cpus:
            kwargs["num_cpus"] = num_cpus
        # workers find this package even when it is not installed (a source checkout)
        path = os.pathsep.join(p for p in (_package_root(), os.environ.get("PYTHONPATH")) if p)
        kwargs["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
    try:
        ray.init(**kwargs)
    except Exception as exc:  # noqa: BLE001 - connection refused, bad address …
        raise StorylineError(f"cannot start or reach Ray ({address or 'local'}): {exc}",
                             hint="check --address, or leave it out for a local Ray") from None
    return True


def _ray_window(raws: list[RawInput], settings: Settings) -> Iterator[DocState]:
    import pyarrow as pa
    import ray
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.WARNING)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    # blocks made here, so no Ray task (which would wait for a CPU the actors hold) splits them
    per_block = max(RAY_BATCH, -(-len(raws) // (cpus * 8)))
    blocks = [pa.table({"raw": pa.array([pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)
                                         for r in chunk], type=pa.large_binary())})
              for chunk in windows(raws, per_block)]
    dataset = ray.data.from_arrow(blocks)
    results = dataset.map_batches(
        RayWorker, fn_constructor_args=(settings,), batch_size=RAY_BATCH,
        batch_format="pyarrow", num_cpus=1,
        compute=ray.data.ActorPoolStrategy(size=min(cpus, len(blocks))))
    for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
        for blob in batch.column("state").to_pylist():
            yield pickle.loads(blob)


def ray_engine(address: str = "", num_cpus: int | None = None) -> Runner:
    """A runner on Ray Data: a local Ray instance (``num_cpus``) or the cluster at ``address``."""

    def run(raws: Iterable[RawInput], settings: Settings) -> Iterator[DocState]:
        connected = owned = False
        try:
            for window in windows(raws, settings.scale.window):
                if not connected:
                    owned, connected = start_ray(address, num_cpus), True
                yield from _ray_window(window, settings)
        finally:
            if owned:  # a Ray instance this run started is stopped with it
                import ray

                ray.shutdown()

    return run


def runner(engine: str = "local", workers: int = 1, address: str = "") -> Runner | None:
    """The runner for an engine name; ``None`` means in-process (the default flow)."""
    if engine == "local":
        return local_pool(workers) if workers > 1 else None
    if engine == "ray":
        return ray_engine(address, num_cpus=workers if workers > 1 else None)
    raise ConfigError(f"unknown engine {engine!r}", hint="use local or ray")
