"""Benchmark 4: peak memory of ``storyline ingest`` at 10k and 100k documents.

Runs the real command (``python -m storyline.cli.main ingest … --no-corpus``) in a child
process on generated corpora of each size and samples the resident memory of its whole
process tree (the ingest and its extraction worker) every 0.2 s.  Ingest streams its inputs,
so the peak must stay flat as the corpus grows (goal: the larger run's peak within 1.25× of
the smaller one's, and ≤ 2 GiB).

The document stages run are ``--stages`` (``STORYLINE_INGEST_STAGES``; default ``clean,nlp``,
the stages whose state is per document; the whole pipeline at 100k documents takes hours on
two cores).

    python benchmarks/bench_memory.py [--sizes 10000,100000] [--stages clean,nlp] [--quick]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, make_corpus, table, verdict, write_section

GIB = 2**30
#: every corpus is cut into shards of this size, so each size reads the same unit at a time
#: (a shard is one file: it is read whole, like any input of up to ingest.max_bytes)
SHARD_BYTES = 4_000_000
FLAT = 1.25


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run(n: int, stages: str) -> dict:
    folder = make_corpus(n, seed=3, shard_bytes=SHARD_BYTES)
    db = Path(tempfile.mkdtemp(prefix="storyline-bench-mem-")) / "store.db"
    env = dict(os.environ, STORYLINE_INGEST_STAGES=stages,
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    cmd = [sys.executable, "-m", "storyline.cli.main", "ingest", str(folder), "--db", str(db),
           "--no-corpus", "--json"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, cwd=REPO)
    peak = 0
    samples: list[tuple[float, int]] = []
    while proc.poll() is None:
        rss = tree_rss(proc.pid)
        peak = max(peak, rss)
        samples.append((time.perf_counter() - start, rss))
        time.sleep(0.2)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"ingest of {n} documents failed:\n{err[-2000:]}")
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    conn.close()
    half = [rss for t, rss in samples if t >= wall / 2]
    return {"n": n, "stored": stored, "peak": peak, "wall": wall,
            "late_peak": max(half) if half else peak, "db_bytes": db.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--stages", default="clean,nlp")
    parser.add_argument("--quick", action="store_true", help="sizes 2000 and 8000")
    args = parser.parse_args()
    sizes = [2000, 8000] if args.quick else [int(s) for s in args.sizes.split(",")]
    results = [run(n, args.stages) for n in sizes]
    for r in results:
        print(f"{r['n']:>7} documents: peak {r['peak'] / 2**20:,.0f} MiB in {r['wall']:.0f} s")
    growth = results[-1]["peak"] / results[0]["peak"]
    ok = growth <= FLAT and all(r["peak"] <= 2 * GIB for r in results)
    rows = [(f"{r['n']:,}", f"{r['stored']:,}", f"{r['peak'] / 2**20:,.0f}",
             f"{r['late_peak'] / 2**20:,.0f}", f"{r['wall']:.0f}",
             f"{r['stored'] / r['wall']:.0f}", f"{r['db_bytes'] / 2**20:,.0f}")
             for r in results]
    body = f"""
`storyline ingest <corpus> --no-corpus` with stages `{args.stages}`
(`STORYLINE_INGEST_STAGES`), peak resident memory of the whole process tree; the corpora
are JSONL shards of {SHARD_BYTES / 1e6:.0f} MB (a file is read whole, so the shard size,
not the corpus size, sets the reading buffer).

{table(rows, ("documents", "stored", "peak MiB", "peak MiB, 2nd half", "wall s", "docs/s",
              "store MiB"))}

**Peak growth from {results[0]['n']:,} to {results[-1]['n']:,} documents: {growth:.2f}×**
(flat: ≤ {FLAT}×, and ≤ 2 GiB) — {verdict(ok)}.
"""
    print(body)
    write_section("memory", "4. Peak memory of ingest (streaming)", body)


if __name__ == "__main__":
    main()
