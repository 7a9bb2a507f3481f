"""The atheris harness of the HTML/feed/JSON ingest path runs for a bounded time and finds
no crash (issue 10).  Without atheris installed, the same target runs on Hypothesis inputs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parent / "fuzz" / "fuzz_ingest.py"
SECONDS = 20


def test_ingest_fuzzing_finds_no_crash(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(HARNESS.parents[2]))
    if importlib.util.find_spec("atheris"):
        cmd = [sys.executable, str(HARNESS), f"-max_total_time={SECONDS}", "-max_len=4096",
               "-timeout=0", "-rss_limit_mb=3072", f"-artifact_prefix={tmp_path}/",
               str(tmp_path / "corpus")]
    else:
        cmd = [sys.executable, str(HARNESS), "--hypothesis", "300"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 120, env=env,
                          stdin=subprocess.DEVNULL)
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert done.returncode == 0, (crashes, done.stderr[-3000:])
    assert "Done" in done.stderr + done.stdout
    runs = [line for line in (done.stderr + done.stdout).splitlines() if line.startswith("Done")]
    assert runs and int(runs[-1].split()[1]) >= 50  # it really ran many inputs
