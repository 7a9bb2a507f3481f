"""Run every benchmark (``make bench``); ``--quick`` runs each at its small size.

Each script prints its figures and rewrites its own section of ``benchmarks/RESULTS.md``.
Scripts run one after another in child processes (so one failing does not stop the rest);
the exit status is non-zero when any of them failed to run.

    python benchmarks/run_all.py [--quick] [--only throughput,ray,...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: in the order of issue 9 (fusion and geo are owned by their stages' engineers)
SCRIPTS = ("throughput", "fusion", "ray", "memory", "web", "geo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (minutes, not hours)")
    parser.add_argument("--only", default="", help="comma-separated names, e.g. ray,memory")
    args = parser.parse_args()
    wanted = [s for s in args.only.split(",") if s] or list(SCRIPTS)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")])))
    failed = []
    for name in wanted:
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"== {name}: {script.name} not present, skipped")
            continue
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        quick = args.quick and "--quick" in script.read_text(encoding="utf-8")
        cmd = [sys.executable, str(script)] + (["--quick"] if quick else [])
        code = subprocess.call(cmd, cwd=HERE, env=env)
        print(f"== {name}: exit {code} in {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    print(f"results: {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
