"""Engines that run the document stages away from the writing process.

Both engines run the very same :func:`storyline.flow.process_document` and hand back
*slim* document states (records and the clean document; no spaCy objects), which the one
writer stores, one transaction per document:

* ``local`` with ``workers > 1``: a pool of worker processes, models loaded once per worker;
* ``ray``: Ray Data ``map_batches`` over an actor pool (models loaded once per actor),
  on a local Ray instance or an existing cluster (``address``).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ConfigError, StorylineError
from ..ingest.types import RawInput
from ..registry import DocState
from ..settings import Settings

#: artifacts that cross process boundaries (everything else is rebuilt where needed)
PORTABLE = ("document", "raw", "failures", "nlp_cache")

Runner = Callable[[list[RawInput], Settings], Iterable[DocState]]


def slim(state: DocState) -> DocState:
    """A picklable copy of ``state``: records, the document and its cache, no model objects."""
    keep = {k: v for k, v in state.artifacts.items() if k in PORTABLE or isinstance(v, list)}
    return DocState(doc_id=state.doc_id, artifacts=keep, skipped=state.skipped,
                    stage_versions=dict(state.stage_versions))


# --- local worker pool -------------------------------------------------------------------

_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    from ..flow import document_stages

    document_stages()  # import stage modules (and their models) once per worker


def _process_pickled(raw: RawInput) -> bytes:
    from ..flow import process_document

    assert _worker_settings is not None
    return pickle.dumps(slim(process_document(raw, _worker_settings)))


def local_pool(workers: int) -> Runner:
    import multiprocessing

    def run(raws: list[RawInput], settings: Settings) -> Iterator[DocState]:
        if not raws:
            return
        ctx = multiprocessing.get_context("forkserver")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
            for blob in pool.imap(_process_pickled, raws, chunksize=4):
                yield pickle.loads(blob)

    return run


# --- Ray ---------------------------------------------------------------------------------


class _RayWorker:
    """One Ray actor: loads the stages once, processes batches of pickled inputs."""

    def __init__(self, settings_blob: bytes) -> None:
        from ..flow import document_stages

        self.settings = pickle.loads(settings_blob)
        self.stages = document_stages(self.settings.ingest.stages or None)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from ..flow import process_document

        out = []
        for blob in batch["raw"]:
            state = process_document(pickle.loads(blob), self.settings, self.stages)
            out.append(pickle.dumps(slim(state)))
        return {"state": out}


def ray_engine(address: str = "", num_cpus: int | None = None, batch_size: int = 8) -> Runner:
    try:
        import ray
    except ImportError:
        raise ConfigError("the ray engine needs Ray: pip install 'storyline[scale]'") from None

    def run(raws: list[RawInput], settings: Settings) -> Iterator[DocState]:
        if not raws:
            return
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address:
                kwargs["address"] = address
            elif num_cpus:
                kwargs["num_cpus"] = num_cpus
            try:
                ray.init(**kwargs)
            except Exception as exc:  # connection refused, bad address …
                raise StorylineError(f"cannot start or reach Ray ({address or 'local'}): {exc}") from None
        import ray.data

        cpus = int(ray.cluster_resources().get("CPU", 1))
        ds = ray.data.from_items([{"raw": pickle.dumps(r)} for r in raws])
        results = ds.map_batches(
            _RayWorker, fn_constructor_args=(pickle.dumps(settings),),
            batch_size=batch_size, concurrency=max(1, cpus), num_cpus=1,
        )
        by_id: dict[str, DocState] = {}
        for row in results.iter_rows():
            state = pickle.loads(row["state"])
            by_id[state.doc_id] = state
        # the writer stores documents in input order, so a Ray run equals a local one
        from ..ingest.types import document_id

        for raw in raws:
            state = by_id.get(document_id(raw.source_key))
            if state is not None:
                yield state

    return run


def runner(engine: str = "local", workers: int = 1, address: str = "") -> Runner | None:
    """The runner for an engine name; ``None`` means in-process (the default flow)."""
    if engine == "local":
        return local_pool(workers) if workers > 1 else None
    if engine == "ray":
        return ray_engine(address, num_cpus=workers if workers > 1 else None)
    raise ConfigError(f"unknown engine {engine!r}", hint="use local or ray")
