"""Shared helpers of the benchmark scripts: the machine, the corpus, RESULTS.md sections.

Each script measures its ratios in one run on one input, prints them, and rewrites its own
section of ``benchmarks/RESULTS.md`` (between ``<!-- bench:NAME -->`` markers), so the file
always says what the last run of each benchmark found and on which machine.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
DEMO = REPO / "examples" / "demo"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
HEADER = ("# Benchmark results\n\nWritten by the scripts in `benchmarks/` (run them all with "
          "`make bench`, or `python benchmarks/run_all.py --quick`); each script rewrites its "
          "own section.  Goals are those of issue 9.\n")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def machine() -> str:
    """CPU model, cores, RAM, Python and the load while the benchmark ran."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, Python "
            f"{platform.python_version()}, load average {load}")


def write_section(name: str, title: str, body: str) -> None:
    """Replace (or add) the section ``name`` of RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    block = (f"<!-- bench:{name} -->\n## {title}\n\n_Last run {stamp} on {machine()}._\n\n"
             f"{body.strip()}\n<!-- /bench:{name} -->")
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->",
                         re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else \
        text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def make_corpus(n: int, folder: Path | None = None, seed: int = 7,
                shard_bytes: int = 16_000_000) -> Path:
    """``n`` generated documents (JSONL shards) from the real text available here."""
    from storyline.scale.corpus import generate

    folder = folder or Path(tempfile.mkdtemp(prefix=f"storyline-bench-{n}-"))
    generate(n, folder, SHARED, DEMO, seed=seed, shard_bytes=shard_bytes)
    return folder


def read_texts(folder: Path) -> list[str]:
    import json

    texts = []
    for shard in sorted(folder.glob("*.jsonl")):
        with shard.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh]
    return texts


def table(rows: list[tuple], header: tuple) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"
