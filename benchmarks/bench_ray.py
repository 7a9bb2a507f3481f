"""Benchmark 3: the Ray engine with 1 CPU against 2 CPUs, on the same corpus.

Each run starts its own local Ray instance (``num_cpus`` = 1, then 2), ingests the same
generated corpus into a fresh store with every document stage (``--engine ray``), and stops
Ray.  Speedup = time with 1 CPU / time with 2 CPUs (goal ≥ 1.7).  Reported twice: end to end
(Ray start and actors loading their models included) and steady state (from the first
document stored to the last, i.e. the rate once the actors are up).

    python benchmarks/bench_ray.py [--docs 300] [--quick]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from _common import make_corpus, table, verdict, write_section

GOAL = 1.7


def run(folder: Path, cpus: int) -> dict:
    from storyline import flow
    from storyline.scale.engines import ray_engine
    from storyline.settings import load
    from storyline.store.db import open_store

    db = Path(tempfile.mkdtemp(prefix="storyline-bench-ray-")) / "store.db"
    settings = load(env={}, **{"store.path": str(db)})
    engine = ray_engine(num_cpus=cpus)
    stamps: list[float] = []

    def runner(raws, s):
        for state in engine(raws, s):
            stamps.append(time.perf_counter())
            yield state

    with open_store(db) as store:
        start = time.perf_counter()
        report = flow.ingest([folder], store, settings, corpus=False, map_documents=runner)
        total = time.perf_counter() - start
    n = len(report.added)
    steady = (stamps[-1] - stamps[0]) / max(n - 1, 1) if n > 1 else total
    return {"cpus": cpus, "docs": n, "total": total, "per_doc_steady": steady}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="40 documents")
    args = parser.parse_args()
    n = 40 if args.quick else args.docs
    folder = make_corpus(n, seed=11)
    one, two = run(folder, 1), run(folder, 2)
    speed_total = one["total"] / two["total"]
    speed_steady = one["per_doc_steady"] / two["per_doc_steady"]
    rows = [(r["cpus"], r["docs"], f"{r['total']:.1f}", f"{r['docs'] / r['total']:.2f}",
             f"{1 / r['per_doc_steady']:.2f}") for r in (one, two)]
    ok = speed_steady >= GOAL
    body = f"""
{n} generated documents, every document stage, local Ray started per run.

{table(rows, ("Ray CPUs", "documents", "wall s", "docs/s end to end", "docs/s steady"))}

**Speedup 2 CPUs / 1 CPU: {speed_steady:.2f}× steady state, {speed_total:.2f}× end to end**
— goal ≥ {GOAL}×: {verdict(ok)}.  This machine has {os.cpu_count()} cores shared with
other work (see the load average above): a second Ray CPU can only be as fast as the
second core is free.
"""
    print(body)
    write_section("ray", "3. Ray: 1 CPU against 2 CPUs", body)


if __name__ == "__main__":
    main()
