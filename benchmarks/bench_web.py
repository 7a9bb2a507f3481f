"""Benchmark 5: web/API latency (p50/p95) on a store of ≥ 1M events.

Builds a store with ``--events`` events (default 1,000,000) spread over ``--events / 50``
documents, written straight into SQLite (seconds, not the hours the pipeline would take),
serves it with ``storyline.web.app.create_app`` under uvicorn on loopback, and sends a
bounded number of requests per endpoint with ``--concurrency`` clients (httpx).  Each
endpoint gets at most ``--requests`` requests and ``--budget`` seconds; a request taking
longer than ``--timeout`` counts as failed.  Target for an interactive API: p95 ≤ 1 s.

Every list endpoint of the API is measured (first pages, a cursor page deep in the list,
filters SQL decides and one it cannot, the SQL aggregations) and a few pages.  Ratios are
against a baseline measured in the same run on the same server: ``/static/app.css``, a
request that never opens the store (the HTTP floor of this machine and its load).

    python benchmarks/bench_web.py [--events 1000000] [--requests 40] [--quick] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, table, verdict, write_section

TARGET_P95_S = 1.0
#: measured first, on the same server: the HTTP floor (no store, no query)
BASELINE = "/static/app.css"
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("happened", "happened", "happened", "future", "proposed", "denied", "cancelled")
ACTORS = (("USA", "United States"), ("RUS", "Russia"), ("SYR", "Syria"), ("TUR", "Turkey"),
          ("IRN", "Iran"), ("JOR", "Jordan"), ("ISR", "Israel"), ("UN", "United Nations"))
PLACES = (("Damascus", 33.51, 36.29, "SY"), ("Amman", 31.95, 35.93, "JO"),
          ("Geneva", 46.20, 6.14, "CH"), ("Astana", 51.17, 71.43, "KZ"), (None, None, None, None))


def build_store(path: Path, n_events: int, seed: int = 1) -> dict:
    """A store with ``n_events`` plausible events, written directly (no pipeline)."""
    from storyline.store.db import open_store

    import re

    from storyline.store import schema

    open_store(path).close()  # schema
    # bulk load: the indexes of ``events`` are built once, after the rows are in
    event_indexes = [sql for sql in (*schema.INDEXES, *(s for v in sorted(schema.MIGRATIONS)
                                                       for s in schema.MIGRATIONS[v]))
                     if re.search(r"\bON events\(", sql)]
    rng = random.Random(seed)
    n_docs = max(100, n_events // 50)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    for sql in event_indexes:
        conn.execute("DROP INDEX IF EXISTS " + re.search(r"EXISTS (\w+)", sql).group(1))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO documents(id, source_key, source, content_sha256, clean_text, title, "
        "outlet, kind, published, version) VALUES (?,?,?,?,?,?,?,?,?,1)",
        ((f"d{i:015x}", f"bench://{i}", f"bench://{i}", f"{i:064x}",
          f"Report {i}: officials met to discuss the de-escalation zones.", f"Report {i}",
          f"Outlet {i % 40}", "news_report", f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}")
         for i in range(n_docs)))
    conn.executemany(
        "INSERT INTO events(id, doc_id, start, \"end\", stage, stage_version, confidence, "
        "sentence, trigger, trigger_start, trigger_end, type, mode, modality, date_start, "
        "date_end, date_precision, source_ids, source_text, source_countries, target_ids, "
        "target_text, target_countries, place_name, lat, lon, country) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (_event(i, n_docs, rng) for i in range(n_events)))
    conn.execute("COMMIT")
    for sql in event_indexes:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.close()
    return {"events": n_events, "documents": n_docs, "bytes": path.stat().st_size}


def _event(i: int, n_docs: int, rng: random.Random) -> tuple:
    doc = i % n_docs
    (sc, sn), (tc, tn) = rng.sample(ACTORS, 2)
    place, lat, lon, country = rng.choice(PLACES)
    day = f"2017-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    kind = rng.choice(TYPES)
    sentence = f"{sn} and {tn} officials {kind.lower()} on the zones near {place or 'the border'}."
    start = 40 * (i // n_docs)
    return (f"d{doc:015x}:e{i // n_docs}", f"d{doc:015x}", start, start + len(sentence),
            "events", "1", round(rng.random(), 3), sentence, kind.lower(), start + 5,
            start + 12, kind, "verbal", rng.choice(MODALITIES), day, day, "day",
            json.dumps([sc]), sn, json.dumps([sc]), json.dumps([tc]), tn, json.dumps([tc]),
            place, lat, lon, country)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER = """
import sys, uvicorn
from storyline.settings import load
from storyline.web.app import create_app
db, port = sys.argv[1], int(sys.argv[2])
app = create_app(db, load(env={{}}, **{{"store.path": db}}), token="bench-token")
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


def serve(db: Path, warm: bool = True) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        STORYLINE_WEB_WARM="1" if warm else "0")
    proc = subprocess.Popen([sys.executable, "-c", SERVER.format(), str(db), str(port)],
                            env=env, cwd=REPO, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the web app did not start")
        try:
            if httpx.get(base + "/api/v1/openapi.json", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the web app did not answer within 120 s")


async def hammer(base: str, path: str, requests: int, concurrency: int, budget: float,
                 timeout: float) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    first: list[float] = []  # the first request of each client: nothing cached yet
    stop = time.perf_counter() + budget
    counter = iter(range(requests))

    async def client(http: httpx.AsyncClient) -> None:
        for _ in counter:
            if time.perf_counter() > stop:
                return
            t = time.perf_counter()
            try:
                r = await http.get(base + path, timeout=timeout)
                if r.status_code != 200:
                    errors.append(str(r.status_code))
                else:
                    latencies.append(time.perf_counter() - t)
                    if len(first) < concurrency:
                        first.append(latencies[-1])
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)

    async with httpx.AsyncClient() as http:
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
    return {"path": path, "ok": len(latencies), "errors": errors, "latencies": latencies,
            "cold": max(first) if first else float("nan")}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _ms(seconds: float, timeout: float) -> str:
    return f"over {timeout:.0f} s (requests timed out)" if seconds == float("inf") else \
        f"{seconds * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--budget", type=float, default=90.0, help="seconds per endpoint")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--db", default=None, help="reuse (or keep) the generated store here")
    parser.add_argument("--quick", action="store_true", help="100k events, 10 requests")
    parser.add_argument("--no-warm", action="store_true",
                        help="start the app without precomputing the overview aggregations")
    parser.add_argument("--no-write", action="store_true",
                        help="print only; leave benchmarks/RESULTS.md as it is")
    args = parser.parse_args()
    if args.quick:
        args.events, args.requests, args.budget = 100_000, 10, 30.0
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="storyline-bench-web-")) / "web.db"
    t = time.perf_counter()
    if db.exists():
        info = {"events": sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0]}
    else:
        info = build_store(db, args.events)
    built = time.perf_counter() - t
    some_event = sqlite3.connect(db).execute("SELECT id FROM events LIMIT 1 OFFSET 777").fetchone()[0]
    paths = [BASELINE, "/api/v1/summary", f"/api/v1/events/{some_event}",
             "/api/v1/documents?limit=50", "/api/v1/search?q=officials+zones&limit=20",
             "/api/v1/events?limit=50", "/api/v1/events?limit=500",
             "/api/v1/events?type=CONSULT&limit=50",
             "/api/v1/events?since=2017-06-01&until=2017-06-07&limit=50",
             "/api/v1/events?modality=denied&limit=50", "/api/v1/events?actor=USA&limit=50",
             "/api/v1/events?offset=500000&limit=50", "{deep_cursor}",
             "/api/v1/actors?limit=50", "/api/v1/quotes?limit=50", "/api/v1/places?limit=50",
             "/api/v1/timeline?limit=50", "/api/v1/map?limit=50", "/api/v1/network",
             "/api/v1/network?type=CONSULT", "/api/v1/dyads", "/api/v1/trend?period=day",
             "/api/v1/trend?period=week", "/events", "/documents", "/timeline", "/map"]
    proc, base = serve(db, warm=not args.no_warm)
    try:
        import httpx

        # a cursor half-way down the event list: keyset paging deep into the store
        page = httpx.get(base + "/api/v1/events?offset=499950&limit=50", timeout=args.timeout)
        paths = [p.replace("{deep_cursor}", "/api/v1/events?limit=50&cursor=" +
                           page.json()["next"]) for p in paths]
        results = [asyncio.run(hammer(base, p, args.requests, args.concurrency, args.budget,
                                      args.timeout)) for p in paths]
    finally:
        proc.terminate()  # a request still running may hold it: then it is killed
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    rows, worst, worst_path = [], 0.0, ""
    floor = pct(results[0]["latencies"], 50) if results[0]["latencies"] else float("nan")
    for r in results:
        p50, p95 = pct(r["latencies"], 50), pct(r["latencies"], 95)
        if r["path"] != BASELINE and (p95 if r["latencies"] else float("inf")) > worst:
            worst, worst_path = (p95 if r["latencies"] else float("inf")), r["path"]
        errs = f"{len(r['errors'])} ({', '.join(sorted(set(r['errors'])))})" if r["errors"] else "0"
        p50s, p95s = (f"{1000 * v:,.0f}" if r["latencies"] else "–" for v in (p50, p95))
        ratio = f"{p50 / floor:,.1f}×" if r["latencies"] and floor == floor else "–"
        path = r["path"] if len(r["path"]) < 70 else r["path"][:60] + "…"
        cold = f"{1000 * r['cold']:,.0f}" if r["latencies"] else "–"
        rows.append((f"`{path}`" + (" (baseline)" if r["path"] == BASELINE else ""), r["ok"],
                     errs, p50s, p95s, cold, ratio))
    ok = worst <= TARGET_P95_S
    body = f"""
Store: {info['events']:,} events (built directly in {built:.0f} s); uvicorn on loopback, one
worker; {args.concurrency} concurrent clients, at most {args.requests} requests and
{args.budget:.0f} s per endpoint, {args.timeout:.0f} s timeout per request.

{table(rows, ("endpoint", "answered", "failed", "p50 ms", "p95 ms", "cold ms",
               "p50 / baseline p50"))}

Baseline: `{BASELINE}` (never opens the store), p50 {1000 * floor:,.1f} ms in this run.
"cold ms": the slowest of the first {args.concurrency} (concurrent) requests of an endpoint, before the
app's result cache holds its counts and aggregations (kept until the store changes); the
unfiltered overview (event counts, network, dyads, trend, map) is
{"not precomputed (--no-warm)" if args.no_warm else "precomputed when the app starts"}.

**Worst p95: {_ms(worst, args.timeout)}** (`{worst_path}`) — target ≤ {TARGET_P95_S * 1000:.0f} ms:
{verdict(ok)}.
"""
    print(body)
    if not args.no_write:
        write_section("web", "5. Web/API latency on a store of ≥ 1M events", body)


if __name__ == "__main__":
    main()
