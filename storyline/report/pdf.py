"""PDF and screenshots through Debian's headless Chromium (print-to-PDF), with no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ModelUnavailable, StorylineError

#: flags keeping Chromium off the network and free of profile state
NO_NETWORK_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--disable-extensions", "--disable-default-apps", "--mute-audio")


def find_chromium(configured: str = "/usr/bin/chromium") -> str:
    """The Chromium binary, or :class:`ModelUnavailable` saying how to install it."""
    for candidate in (configured, "chromium", "chromium-browser"):
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.access(path, os.X_OK):
            return path
    raise ModelUnavailable("Chromium is needed for PDF output and was not found",
                           hint="apt-get install chromium, or set STORYLINE_REPORT_CHROMIUM")


def _run(binary: str, args: list[str], timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="storyline-chromium-") as profile:
        cmd = [binary, *NO_NETWORK_FLAGS, f"--user-data-dir={profile}", *args]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise StorylineError(f"Chromium took longer than {timeout:.0f} s") from None
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise StorylineError("Chromium failed: " + " | ".join(tail))


def html_to_pdf(html: str, out: Path, chromium: str = "/usr/bin/chromium",
                timeout: float = 120.0) -> Path:
    """Print ``html`` to ``out`` (A4) after its scripts drew the charts."""
    binary = find_chromium(chromium)
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="storyline-pdf-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(html, encoding="utf-8")
        _run(binary, ["--virtual-time-budget=15000", "--no-pdf-header-footer",
                      f"--print-to-pdf={out}", page.as_uri()], timeout)
    if not out.is_file() or out.stat().st_size == 0:
        raise StorylineError(f"Chromium wrote no PDF at {out}")
    return out


def screenshot(page: Path, out: Path, chromium: str = "/usr/bin/chromium",
               size: tuple[int, int] = (1200, 4000), timeout: float = 120.0) -> Path:
    """A PNG of a local page (used by tests and ``--format pdf`` checks)."""
    binary = find_chromium(chromium)
    out = Path(out).resolve()
    _run(binary, ["--virtual-time-budget=15000", f"--window-size={size[0]},{size[1]}",
                  f"--screenshot={out}", Path(page).resolve().as_uri()], timeout)
    return out
