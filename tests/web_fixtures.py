"""A real uvicorn server on 127.0.0.1 (a free port) in a thread, for the web tests."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
#: Chromium kept off the network (and from any profile state) during browser tests
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TOKEN = "test-write-token-1234"


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def app_for(db: Path, **overrides):
    from storyline.settings import load
    from storyline.web.app import create_app

    settings = load(env={}, **{"store.path": str(db), **overrides})
    return create_app(str(db), settings, TOKEN)


def need_chromium() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")


@contextlib.contextmanager
def browser() -> Iterator[object]:
    """Playwright driving Debian's Chromium (never a downloaded browser)."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
