"""Benchmark of the places stage: gazetteer index build, lookups, geoparsing and zone tests.

Run from the repository root::

    .venv/bin/python benchmarks/bench_geo.py [--no-build] [--docs N]

Prints the figures and rewrites the "## geo" section of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline.geo import index_build  # noqa: E402
from storyline.geo.gazetteer import Gazetteer, get_gazetteer  # noqa: E402
from storyline.geo.zones import Zone, circle_feature, zones_for_point  # noqa: E402

RESULTS = REPO / "benchmarks" / "RESULTS.md"
SEEDS = REPO / ".." / "shared" / "seeds"
NAMES = ["Damascus", "Homs", "Idlib", "Aleppo", "Georgia", "Washington", "Moscow", "U.S.",
         "Paris", "London", "Springfield", "Al Tanf", "East Ghouta", "Vt.", "Kaliningrad",
         "Nowhereville", "Texas", "Middle East", "al-Bab", "Sochi"]


def bench_build() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gazetteer.sqlite"
        started, cpu = time.perf_counter(), time.process_time()
        counts = index_build.build(path)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        Gazetteer(path)
        open_ms = (time.perf_counter() - started) * 1000
    return {"build_s": seconds, "build_cpu_s": cpu, "size_mb": size_mb, "open_ms": open_ms,
            "entries": counts["entries"], "names": counts["names"]}


def bench_lookup(rounds: int = 50) -> dict[str, float]:
    gaz = Gazetteer(get_gazetteer().path)  # a fresh instance: empty caches
    started = time.perf_counter()
    for name in NAMES:
        gaz.lookup(name)
    cold = (time.perf_counter() - started) / len(NAMES)
    started = time.perf_counter()
    for _ in range(rounds):
        for name in NAMES:
            gaz.lookup(name)
    warm = (time.perf_counter() - started) / (rounds * len(NAMES))
    return {"lookup_cold_us": cold * 1e6, "lookup_warm_us": warm * 1e6}


def bench_documents(max_docs: int) -> dict[str, float]:
    from storyline.geo.resolve import resolve_toponyms
    from storyline.geo.toponyms import find_toponyms
    from storyline.nlp.pipeline import load_nlp

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))][:max_docs]
    if not texts:
        return {}
    nlp = load_nlp()
    docs = [nlp(t) for t in texts]
    gaz = get_gazetteer()
    started = time.perf_counter()
    n_tops = 0
    for doc in docs:
        tops = find_toponyms(doc, gaz, include_nonliteral=True)
        resolve_toponyms(tops, gaz)
        n_tops += len(tops)
    seconds = time.perf_counter() - started
    chars = sum(len(t) for t in texts)
    return {"docs": len(docs), "toponyms": n_tops, "geo_ms_per_doc": seconds * 1000 / len(docs),
            "geo_ms_per_10k_chars": seconds * 1000 / (chars / 10_000)}


def bench_zones(n_points: int = 20_000) -> dict[str, float]:
    rng = random.Random(7)
    zones = [Zone(id=f"z{i}", name=f"z{i}", geometry=circle_feature(33 + i * 0.1, 38, 50))
             for i in range(5)]
    square = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
        [[c * 0.01 + 36, 33 + (c % 2) * 0.5] for c in range(60)] + [[36, 33]]]}}
    zones.append(Zone(id="poly", name="poly", geometry=square))
    points = [(rng.uniform(32, 37), rng.uniform(35, 42)) for _ in range(n_points)]
    started = time.perf_counter()
    hits = sum(bool(zones_for_point(lat, lon, zones)) for lat, lon in points)
    seconds = time.perf_counter() - started
    return {"zone_tests_per_s": n_points * len(zones) / seconds, "points_in_zones": hits}


def write_results(figures: dict[str, float]) -> None:
    lines = ["## geo", "",
             f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()} "
             "(`benchmarks/bench_geo.py`).", "",
             "| figure | value |", "|---|---|"]
    for key, value in figures.items():
        shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        lines.append(f"| {key} | {shown} |")
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(r"^## geo\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="skip timing a fresh index build")
    parser.add_argument("--docs", type=int, default=5, help="seed documents to geoparse")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    if not args.no_build:
        figures.update(bench_build())
    figures.update(bench_lookup())
    figures.update(bench_documents(args.docs))
    figures.update(bench_zones())
    if "build_s" in figures and figures.get("lookup_warm_us"):
        figures["build_vs_lookup_ratio"] = figures["build_s"] * 1e6 / figures["lookup_warm_us"]
    for key, value in figures.items():
        print(f"{key:>24}: {value:,.2f}" if isinstance(value, float) else f"{key:>24}: {value:,}")
    write_results(figures)
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
