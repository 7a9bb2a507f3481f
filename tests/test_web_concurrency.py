"""The web app keeps answering while an ingest writes the same store (issue 10, concurrency).

A real CLI ingest runs in another process while a client polls the real server on
loopback; latencies are measured and printed (never asserted: the machine may be busy),
and every request must succeed while the reads see the store grow.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import httpx
from test_crash_safety import write_corpus
from web_fixtures import app_for, serve

DOCS = 400


def test_pages_answer_while_an_ingest_writes(tmp_path):
    folder = tmp_path / "corpus"
    write_corpus(folder, n=DOCS)
    db = tmp_path / "busy.db"
    env = dict(os.environ, STORYLINE_INGEST_STAGES="clean")
    latencies: list[float] = []
    counts: list[int] = []
    with serve(app_for(db)) as base, httpx.Client(base_url=base, timeout=30) as client:
        ingest = subprocess.Popen(
            [sys.executable, "-m", "storyline.cli.main", "ingest", str(folder), "--db", str(db),
             "--no-corpus", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True)
        try:
            while ingest.poll() is None:
                for path in ("/api/v1/summary", "/api/v1/documents?limit=20", "/documents"):
                    started = time.perf_counter()
                    response = client.get(path, headers={"accept": "text/html"}
                                          if not path.startswith("/api") else {})
                    latencies.append(time.perf_counter() - started)
                    assert response.status_code == 200, (path, response.text[:300])
                    if path == "/api/v1/summary":
                        counts.append(response.json().get("documents", 0))
        finally:
            out, err = ingest.communicate(timeout=600)
        assert ingest.returncode == 0, err
        final = client.get("/api/v1/summary").json()["documents"]
    assert final == DOCS
    during = [c for c in counts if 0 < c < DOCS]
    assert len(set(during)) >= 2, counts  # the reads saw the ingest's commits as they came
    p50 = statistics.median(latencies) * 1000
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000
    print(f"\n{len(latencies)} requests during the ingest: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
