"""Per-document cost of fusion at 1k, 10k and 100k documents.

Builds synthetic corpora from real text (the demo corpus and the public evaluation sets in
``../shared/eval``) with the duplication real news has — reposts wrapped in a pirate
channel's boilerplate, syndicated copies with a syndication notice, partial copies that
splice two reports, rewrites, and many outlets' versions of one report — stores them
directly (no document stages but ``citations``), then times every fusion corpus stage:
copies, provenance, stories, event clusters, claims and contradictions.

Cost must stay near-linear: the per-document time at 100k should be at most twice the
per-document time at 1k (blocking with LSH buckets, fingerprint postings, story indexes
and time order; no all-pairs comparison anywhere).

    .venv/bin/python benchmarks/bench_fusion.py [--sizes 1000,10000,100000] [--no-write]

Writes its section of ``benchmarks/RESULTS.md`` (between the fusion markers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline.fuse import (claims, contradictions, copies, events_merge,  # noqa: E402
                            provenance, stories)
from storyline.fuse.citations import find_citations  # noqa: E402
from storyline.settings import load  # noqa: E402
from storyline.store.db import open_store  # noqa: E402

SHARED = REPO / ".." / "shared"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
START, END = "<!-- bench:fusion:start -->", "<!-- bench:fusion:end -->"
OUTLETS = ("Wire Service", "Daily Ledger", "Evening Courier", "Global Monitor", "Capital Times",
           "Harbor Gazette", "Frontier Post", "Metro Observer", "Valley Tribune", "Coast Herald")
STAGES = (("copies", copies.run), ("provenance", lambda s, st, p: provenance.run(s)),
          ("stories", stories.run), ("event-clusters", events_merge.run),
          ("claims", claims.run), ("contradictions", contradictions.run))


def base_articles() -> list[dict]:
    from storyline.scale.corpus import base_articles as real

    articles = real(SHARED.resolve(), REPO / "examples" / "demo")
    for i, a in enumerate(articles):  # each real article happened on one day of 2017
        seed = int(hashlib.sha1(a["text"][:200].encode()).hexdigest()[:8], 16)
        a["day"] = dt.date(2017, 1, 1) + dt.timedelta(days=seed % 360)
        a["outlet"] = a.get("outlet") or OUTLETS[seed % len(OUTLETS)]
    return articles


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def variant(base: dict, other: dict, rng: random.Random) -> dict:
    """One document derived from ``base``: another outlet's version, a repost, a syndicated
    copy, a partial copy or a rewrite."""
    roll = rng.random()
    text, meta = base["text"], {"outlet": rng.choice(OUTLETS)}
    if roll < 0.12:
        text = (f"{base['outlet']} - {base['title']}\n\nthe free press channel\n\n{text}\n\n"
                "Read more paid articles free: https://t.me/free_press_channel")
        meta.update(original_outlet=base["outlet"], carrier="the free press channel",
                    outlet=base["outlet"])
    elif roll < 0.22:
        text += (f"\n\nContent created by {base['outlet']} is available without charge to any "
                 "eligible news publisher that can provide a large audience.")
        meta.update(syndicated_from=base["outlet"])
    elif roll < 0.32:
        a, b = _sentences(text), _sentences(other["text"])
        text = " ".join(a[: max(1, len(a) // 2)] + b[: max(1, len(b) // 2)])
    elif roll < 0.42:
        sents = _sentences(text)
        rng.shuffle(sents)
        text = " ".join(sents[: max(2, int(len(sents) * 0.8))])
    else:  # another outlet's version of the same report: a sentence dropped, a new lede
        sents = _sentences(text)
        if len(sents) > 3:
            sents.pop(rng.randrange(1, len(sents)))
        text = f"{meta['outlet']} has learned the following. " + " ".join(sents)
    day = base["day"] + dt.timedelta(days=rng.randint(0, 3))
    return {"text": text, "title": base["title"], "published": day.isoformat(), **meta}


def build(store, n: int, articles: list[dict], seed: int = 7) -> float:
    """Store ``n`` documents (with their citations); returns the citation time."""
    rng = random.Random(seed)
    cite_time = 0.0
    rows, cites = [], []
    for i in range(n):
        base = articles[rng.randrange(len(articles))]
        doc = variant(base, articles[rng.randrange(len(articles))], rng)
        doc_id = f"b{i:07d}"
        rows.append({"id": doc_id, "source_key": f"bench:{doc_id}", "source": f"bench/{doc_id}",
                     "content_sha256": hashlib.sha256(f"{i}{doc['text']}".encode()).hexdigest(),
                     "clean_text": doc["text"], "title": doc["title"], "outlet": doc["outlet"],
                     "published": doc["published"], "kind": "news_report",
                     "original_outlet": doc.get("original_outlet"), "carrier": doc.get("carrier"),
                     "syndicated_from": doc.get("syndicated_from"), "stage": "bench",
                     "stage_version": "1"})
        t = time.process_time()
        cites += [c.to_row() for c in find_citations(doc["text"], doc_id, doc["published"])]
        cite_time += time.process_time() - t
        if len(rows) >= 2000 or i == n - 1:
            with store.transaction():
                store.insert_rows("documents", rows)
                store.insert_rows("citations", cites)
            rows, cites = [], []
    return cite_time


def run_size(n: int, articles: list[dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench-{n}.db"
        settings = load(env={}, **{"store.path": str(path)})
        store = open_store(path)
        result = {"documents": n, "citations": build(store, n, articles)}
        for name, fn in STAGES:
            wall, cpu = time.perf_counter(), time.process_time()
            summary = fn(store, settings, None)
            result[name] = time.process_time() - cpu
            result[f"{name}_wall"] = time.perf_counter() - wall
            result[f"{name}_summary"] = summary
            print(f"  {n:>7} {name:<15} {result[name]:8.1f} s CPU "
                  f"({result[f'{name}_wall']:.1f} s wall)  {summary}", flush=True)
        store.close()
    result["total"] = sum(result[name] for name, _ in STAGES) + result["citations"]
    result["total_wall"] = sum(result[f"{name}_wall"] for name, _ in STAGES)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def table(results: list[dict]) -> str:
    names = ["citations"] + [name for name, _ in STAGES] + ["total"]
    first = results[0]
    lines = ["| documents | " + " | ".join(f"{n} (CPU ms/doc)" for n in names) +
             " | total growth vs smallest | peak RSS (MB) |",
             "|---" * (len(names) + 3) + "|"]
    for r in results:
        per = {n: 1000 * r[n] / r["documents"] for n in names}
        growth = per["total"] / (1000 * first["total"] / first["documents"])
        lines.append(f"| {r['documents']:,} | " + " | ".join(f"{per[n]:.2f}" for n in names) +
                     f" | {growth:.2f}× | {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def write_section(results: list[dict]) -> None:
    largest = results[-1]
    copies_summary = largest.get("copies_summary", {})
    body = "\n".join([
        START,
        "## Fusion (copies, provenance, stories, event clusters, claims, contradictions)",
        "",
        "`benchmarks/bench_fusion.py`: synthetic corpora built from the real articles of the",
        "demo corpus and `../shared/eval` (reposts, syndicated copies, partial copies, rewrites,",
        "other outlets' versions), stored directly, then every fusion corpus stage timed",
        "Times are CPU time of the process (the 2 cores are shared with other work, so",
        f"wall time is noisier); measured {dt.date.today().isoformat()}.",
        "",
        table(results),
        "",
        f"At {largest['documents']:,} documents: copies {copies_summary.get('copies', {})}, "
        f"alignments {copies_summary.get('alignments', 0):,}, "
        f"stories {largest.get('stories_summary', {}).get('stories', '?'):,} "
        f"(comparisons {largest.get('stories_summary', {}).get('comparisons', 0):,}), "
        f"claims {largest.get('claims_summary', {}).get('claims', 0):,}.",
        END,
    ])
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else "# Benchmark results\n"
    if START in text and END in text:
        text = text[:text.index(START)] + body + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + body + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit("../shared is not available beside the repo: no real text to build corpora from")
    articles = base_articles()
    print(f"{len(articles)} real articles to build corpora from")
    results = [run_size(int(n), articles) for n in args.sizes.split(",")]
    print(table(results))
    if not args.no_write:
        write_section(results)


if __name__ == "__main__":
    main()
