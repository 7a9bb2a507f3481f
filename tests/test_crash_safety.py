"""Killing an ingest at any moment loses and duplicates nothing (issue 10, crash safety)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

KILLS = 50
BATCH = 60


def write_corpus(folder, n=300, start=0):
    folder.mkdir(exist_ok=True)
    rng = random.Random(3 + start)
    words = ("talks ceasefire envoy ministry agreed zone border officials said convoy "
             "monitors delegation capital statement readout sanctions summit").split()
    for i in range(start, start + n):
        body = " ".join(rng.choice(words) for _ in range(120))
        (folder / f"{i:05d}.txt").write_text(f"Report {i}\n\n{body.capitalize()}.\n")
    return n


def stored_count(db):
    """Documents visible to a reader right now (0 while the store does not exist yet)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def kill_while_writing(proc, db, before, rng):
    """SIGKILL the ingest a random moment after it has committed its first new document,
    so the kill lands mid-batch whatever the machine's speed.  True if it was still running."""
    deadline = time.time() + 60
    while proc.poll() is None and stored_count(db) <= before and time.time() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, 0.08))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    return True


def ingest_cmd(folder, db):
    return [sys.executable, "-m", "storyline.cli.main", "ingest", str(folder), "--db", str(db),
            "--no-corpus", "--json"]


@pytest.mark.slow
def test_sigkill_at_random_points_then_resume(tmp_path):
    folder = tmp_path / "corpus"
    db = tmp_path / "crash.db"
    env = dict(os.environ, STORYLINE_INGEST_STAGES="clean")
    rng = random.Random(11)
    killed_mid_write = n = 0
    for _ in range(KILLS):
        n += write_corpus(folder, n=BATCH, start=n)  # every run has new documents to write
        before = stored_count(db)
        proc = subprocess.Popen(ingest_cmd(folder, db), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        killed_mid_write += kill_while_writing(proc, db, before, rng)
        proc.wait(timeout=60)
    final = subprocess.run(ingest_cmd(folder, db), env=env, capture_output=True, text=True,
                           timeout=600, stdin=subprocess.DEVNULL)
    assert final.returncode == 0, final.stderr
    print(f"killed mid-write: {killed_mid_write}/{KILLS}")
    assert killed_mid_write >= KILLS // 2, killed_mid_write  # most runs were really interrupted
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == n
    assert conn.execute("SELECT COUNT(DISTINCT source_key) FROM documents").fetchone()[0] == n
    assert conn.execute("SELECT COUNT(*) FROM raw_inputs").fetchone()[0] == n
    assert conn.execute("SELECT MAX(version) FROM documents").fetchone()[0] == 1
    conn.close()
    check = subprocess.run([sys.executable, "-m", "storyline.cli.main", "db", "check", "--db",
                            str(db), "--json"], capture_output=True, text=True, timeout=120)
    assert json.loads(check.stdout)["ok"] is True


def test_two_ingests_at_once_one_is_refused_clearly(tmp_path):
    folder = tmp_path / "corpus"
    write_corpus(folder, n=200)
    db = tmp_path / "two.db"
    env = dict(os.environ, STORYLINE_INGEST_STAGES="clean")
    first = subprocess.Popen(ingest_cmd(folder, db), env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    lock = db.with_name(db.name + ".lock")
    deadline = time.time() + 60
    while time.time() < deadline and not (lock.exists() and lock.read_text().startswith("pid")):
        time.sleep(0.05)
    second = subprocess.run(ingest_cmd(folder, db), env=env, capture_output=True, text=True,
                            timeout=300, stdin=subprocess.DEVNULL)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    if second.returncode != 0:  # refused while the first was writing
        assert "being written by pid" in second.stderr and "Traceback" not in second.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 200
    conn.close()
