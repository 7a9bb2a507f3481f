"""Ingest started from the web UI: one background worker thread, one job at a time, each
with its own store connection; pages keep answering meanwhile (SQLite WAL readers)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import queue
import re
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

from ..errors import StorylineError
from ..flow import Progress

MAX_FILES = 1000


@dataclasses.dataclass
class Job:
    id: str
    items: list[str]
    status: str = "queued"  # queued, running, done, failed
    stage: str = ""
    done: int = 0
    total: int | None = None
    messages: list[str] = dataclasses.field(default_factory=list)
    result: dict[str, Any] | None = None
    error: str | None = None
    created: str = dataclasses.field(
        default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    finished: str | None = None
    workdir: str | None = None

    def public(self) -> dict[str, Any]:
        summary = None
        if self.result:
            summary = {k: len(v) for k, v in self.result.items()
                       if isinstance(v, list)}
        return {"id": self.id, "status": self.status, "stage": self.stage, "done": self.done,
                "total": self.total, "messages": self.messages[-20:], "summary": summary,
                "added": (self.result or {}).get("added", []), "error": self.error,
                "created": self.created, "finished": self.finished,
                "items": [Path(i).name if not i.startswith("http") else i for i in self.items]}


class JobProgress(Progress):
    def __init__(self, job: Job) -> None:
        self.job = job

    def start(self, label: str, total: int | None = None) -> None:
        self.job.stage, self.job.total, self.job.done = label, total, 0

    def advance(self, n: int = 1, note: str = "") -> None:
        self.job.done += n

    def log(self, message: str) -> None:
        self.job.messages.append(message[:500])


def safe_name(name: str) -> str:
    """An uploaded file's name reduced to a harmless base name (extension kept)."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip(".")[:120]
    return base or "upload.txt"


class Jobs:
    """The job list and the worker thread running them in order."""

    def __init__(self, db_path: str, settings: Any) -> None:
        self.db_path, self.settings = db_path, settings
        self.jobs: dict[str, Job] = {}
        self.queue: queue.Queue[Job] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, files: list[tuple[str, bytes]], urls: list[str]) -> Job:
        workdir = tempfile.mkdtemp(prefix="storyline-upload-")
        items: list[str] = []
        used: set[str] = set()
        for name, data in files[:MAX_FILES]:
            base = safe_name(name)
            while base in used:
                base = "_" + base
            used.add(base)
            (Path(workdir) / base).write_bytes(data)
            items.append(str(Path(workdir) / base))
        items += urls
        job = Job(id=uuid.uuid4().hex[:12], items=items, workdir=workdir)
        self.jobs[job.id] = job
        self.queue.put(job)
        self._ensure_worker()
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="storyline-ingest",
                                                daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            try:
                job = self.queue.get(timeout=5)
            except queue.Empty:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        from ..flow import ingest
        from ..store.db import open_store

        job.status = "running"
        try:
            with open_store(self.db_path, busy_timeout_ms=self.settings.store.busy_timeout_ms) \
                    as store:
                report = ingest(job.items, store, self.settings, JobProgress(job))
            job.result = report.to_json()
            job.status = "done"
        except StorylineError as exc:
            job.status, job.error = "failed", str(exc)
        except Exception as exc:  # never lose the worker; the user sees a short reason
            job.status, job.error = "failed", f"internal error ({type(exc).__name__})"
        finally:
            job.finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            if job.workdir:
                shutil.rmtree(job.workdir, ignore_errors=True)
