"""Benchmark 1: end-to-end ingest→events throughput against bare spaCy ``nlp.pipe``.

The floor is what any pipeline using the same spaCy model must spend: ``nlp.pipe`` over the
same texts.  The pipeline is ``flow.ingest`` on a fresh store with every document stage
(clean, nlp, dates, quotes, actors, places, events …) and the writer; corpus stages are
measured by ``bench_fusion.py``.  Ratio = floor time / pipeline time (goal ≥ 0.8).  Wall
time and CPU time are both reported: the CPU ratio is the one to trust on a shared machine.
The floor runs before and after the pipeline and the mean is used, to even out load.

    python benchmarks/bench_throughput.py [--docs 500] [--quick] [--profile FILE]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import tempfile
import time
from pathlib import Path

from _common import make_corpus, read_texts, table, verdict, write_section

GOAL = 0.8


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def timed_stages(stages, timers):
    """The stages, each wrapped to add its wall and CPU time to ``timers``."""
    def timed(name, call):
        def fn(*args):
            w, c = clocks()
            try:
                return call(*args)
            finally:
                w2, c2 = clocks()
                timers[name][0] += w2 - w
                timers[name][1] += c2 - c
        return fn

    def wrap(st):
        fn = timed(st.name, st.fn)
        if getattr(st.fn, "batch", None) is not None:  # a stage that works on a window of
            fn.batch = timed(st.name, st.fn.batch)      # documents at once (flow batches it)
        return dataclasses.replace(st, fn=fn)
    return [wrap(st) for st in stages]


def floor(nlp, texts, batch_size):
    w, c = clocks()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    w2, c2 = clocks()
    return w2 - w, c2 - c


def warm_up(settings, stages):
    """Load every model once, outside the measured runs."""
    from storyline.flow import process_document
    from storyline.ingest.types import RawInput

    text = next(p for p in sorted(Path(__file__).resolve().parents[1].glob("examples/demo/*.txt")))
    raw = RawInput(source_key="warmup", source="warmup", data=text.read_bytes(), format="text")
    process_document(raw, settings, stages)


def run(n: int, profile: str | None) -> dict:
    from storyline import flow
    from storyline.nlp.pipeline import load_nlp
    from storyline.settings import load
    from storyline.store.db import open_store

    folder = make_corpus(n)
    texts = read_texts(folder)
    db = Path(tempfile.mkdtemp(prefix="storyline-bench-")) / "store.db"
    settings = load(env={}, **{"store.path": str(db)})
    stages = flow.document_stages()
    warm_up(settings, stages)
    nlp = load_nlp(settings.nlp.model)
    floor_before = floor(nlp, texts, settings.nlp.batch_size)

    timers = collections.defaultdict(lambda: [0.0, 0.0])
    timed = timed_stages(stages, timers)
    runner = lambda raws, s: flow.process_documents(raws, s, timed)  # noqa: E731
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    with open_store(db) as store:
        w, c = clocks()
        report = flow.ingest([folder], store, settings, corpus=False, map_documents=runner)
        w2, c2 = clocks()
        events = store.scalar("SELECT COUNT(*) FROM events")
    if profiler:
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=True, show_all=False))
    floor_after = floor(nlp, texts, settings.nlp.batch_size)
    floor_wall = (floor_before[0] + floor_after[0]) / 2
    floor_cpu = (floor_before[1] + floor_after[1]) / 2
    return {"docs": len(report.added), "events": events, "chars": sum(map(len, texts)),
            "pipeline": (w2 - w, c2 - c), "floor": (floor_wall, floor_cpu),
            "stages": dict(timers), "skipped": len(report.skipped)}


def render(r: dict) -> tuple[str, bool]:
    docs = max(r["docs"], 1)
    pw, pc = r["pipeline"]
    fw, fc = r["floor"]
    ratio_wall, ratio_cpu = fw / pw, fc / pc
    rows = [(name, f"{w:.2f}", f"{c:.2f}", f"{100 * c / pc:.0f}%", f"{1000 * c / docs:.1f}")
            for name, (w, c) in sorted(r["stages"].items(), key=lambda kv: -kv[1][1])]
    staged_w = sum(w for w, _ in r["stages"].values())
    staged_c = sum(c for _, c in r["stages"].values())
    rows.append(("reading inputs + writing the store", f"{pw - staged_w:.2f}",
                 f"{pc - staged_c:.2f}", f"{100 * (pc - staged_c) / pc:.0f}%",
                 f"{1000 * (pc - staged_c) / docs:.1f}"))
    ok = ratio_cpu >= GOAL
    body = f"""
{r['docs']} generated documents ({r['chars'] / docs:,.0f} characters on average), every
document stage, {r['events']:,} events stored.

| | wall s | CPU s | docs/s (wall) |
|---|---|---|---|
| bare spaCy `nlp.pipe` (floor, mean of before/after) | {fw:.2f} | {fc:.2f} | {docs / fw:.1f} |
| `storyline ingest` → events | {pw:.2f} | {pc:.2f} | {docs / pw:.1f} |

**Throughput ratio (floor / pipeline): {ratio_cpu:.2f} by CPU time, {ratio_wall:.2f} by wall
time** — goal ≥ {GOAL}: {verdict(ok)}.

Where the time goes (CPU seconds per stage, in this run):

{table(rows, ("stage", "wall s", "CPU s", "share of CPU", "CPU ms/doc"))}
"""
    return body, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="60 documents")
    parser.add_argument("--profile", default=None, help="write a pyinstrument profile here")
    args = parser.parse_args()
    result = run(60 if args.quick else args.docs, args.profile)
    body, ok = render(result)
    print(body)
    write_section("throughput", "1. Throughput against bare spaCy (the floor)", body)


if __name__ == "__main__":
    main()
