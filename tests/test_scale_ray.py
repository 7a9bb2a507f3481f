"""Every engine stores exactly what an in-process run stores (issue 9).

One small corpus (the demo corpus plus generated reposts of real articles) is ingested
in-process, with ``--engine local --workers 2`` and with ``--engine ray`` on a local Ray
(started by the command in a child process); the stores must hold the same documents and
the same rows in every document table, timestamps aside.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from storyline.store import schema

from conftest import DEMO, SHARED

#: columns that legitimately differ between two runs (clocks, autoincrement ids, and the
#: spaCy DocBin blob, whose string table order follows Python's per-process hash seed)
VOLATILE = {"ingested_at", "updated_at", "received_at", "at", "docbin"}
TABLES = ("documents", "document_versions", "raw_inputs", "skips", "nlp_cache",
          *schema.DOCUMENT_TABLES)
GENERATED = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale") / "corpus"
    shutil.copytree(DEMO, folder)
    if (SHARED / "eval").is_dir():
        from storyline.scale.corpus import generate

        generate(GENERATED, folder / "generated", SHARED, None, seed=5, copy_share=0.5)
    return folder


def run_cli(*args: str) -> dict:
    from storyline.cli.main import cli

    result = CliRunner().invoke(cli, ["ingest", *args, "--no-corpus", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table an ingest writes, without the volatile columns."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')
                    if r[1] not in VOLATILE and not (table == "skips" and r[1] == "id")]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(conn.execute(f"SELECT {select} FROM {table}").fetchall(),
                                key=repr)
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("inproc") / "store.db"
    report = run_cli(str(corpus), "--db", str(db))
    return report, snapshot(db)


def assert_same_store(got: dict, want: dict) -> None:
    for table in TABLES:
        assert len(got[table]) == len(want[table]), table
        assert got[table] == want[table], f"table {table} differs"


def test_baseline_is_not_trivial(in_process):
    report, rows = in_process
    assert len(report["added"]) >= 12
    assert len(rows["documents"]) == len(report["added"])
    for table in ("sentences", "timexes", "quotes", "places", "events", "comments"):
        assert rows[table], f"no {table}: the comparison would prove nothing"


def test_local_worker_pool_equals_in_process(corpus, in_process, tmp_path):
    db = tmp_path / "pool.db"
    report = run_cli(str(corpus), "--db", str(db), "--engine", "local", "--workers", "2")
    assert report["added"] == in_process[0]["added"]  # written in input order
    assert_same_store(snapshot(db), in_process[1])


def ingest_in_child(*args: str, env: dict[str, str]) -> dict:
    """``storyline ingest`` in a child process.  Ray's native start-up can abort the whole
    process (a C++ check failure, e.g. when the GCS server answers late on a loaded
    machine); in a child that is one failed attempt, retried once, never the test session."""
    cmd = [sys.executable, "-m", "storyline.cli.main", "ingest", *args, "--no-corpus", "--json"]
    for attempt in (1, 2):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200,
                              stdin=subprocess.DEVNULL)
        if done.returncode == 0:
            return json.loads(done.stdout)
        aborted = done.returncode in (-signal.SIGABRT, 128 + signal.SIGABRT)
        if not aborted or attempt == 2:
            raise AssertionError(f"ingest exited {done.returncode}: {done.stderr[-3000:]}")
    raise AssertionError("unreachable")


def test_ray_engine_equals_in_process(corpus, in_process, tmp_path):
    """Two windows (two Ray Data runs, as a large corpus streams) on a local Ray with 2 CPUs
    store what one process does."""
    pytest.importorskip("ray")
    env = dict(os.environ, STORYLINE_SCALE_WINDOW=str(len(in_process[0]["added"]) // 2 + 1))
    db = tmp_path / "ray.db"
    report = ingest_in_child(str(corpus), "--db", str(db), "--engine", "ray", "--workers", "2",
                             env=env)
    assert report["added"] == in_process[0]["added"]  # written in input order
    assert_same_store(snapshot(db), in_process[1])
