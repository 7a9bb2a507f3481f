"""brief.html in headless Chromium, offline: charts and the map are drawn (no network at
all), a screenshot is saved; --format pdf prints through Chromium and a page converts to PNG."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from report_fixtures import build_store
from web_fixtures import browser, need_chromium

from storyline.report.brief import write_brief
from storyline.settings import load
from storyline.store.db import open_store

pytestmark = pytest.mark.browser
CHARTS = ("timeline", "network", "dyads", "map")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser-brief") / "store.db"
    build_store(path).close()
    with open_store(path, readonly=True) as s:
        yield s


def test_brief_html_draws_charts_and_map_offline(store, tmp_path, artifacts_dir):
    out = write_brief(store, tmp_path, load(env={}), formats=("html",))
    requested: list[str] = []
    with browser() as b:
        page = b.new_page(viewport={"width": 1100, "height": 900})
        page.route("**/*", lambda route: (requested.append(route.request.url),
                                          route.continue_() if route.request.url.startswith(
                                              "file:") else route.abort()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"file://{out['html']}")
        for chart in CHARTS:
            page.wait_for_selector(f"#chart-{chart}[data-drawn]", timeout=30_000)
        drawn = page.evaluate("Array.from(document.querySelectorAll('.chart[data-drawn]'))"
                              ".map(e => e.id)")
        assert drawn == [f"chart-{c}" for c in CHARTS]
        # the world outline is drawn from the bundled topojson: long country border paths
        border = page.evaluate("(document.querySelector('#chart-map .layer.countries path')"
                               " || {getAttribute: () => ''}).getAttribute('d') || ''")
        assert len(border) > 2000
        assert page.locator("#chart-map .scattergeo .point").count() >= 2
        assert page.locator("#chart-timeline .point").count() >= 6
        page.screenshot(path=str(artifacts_dir / "brief.png"), full_page=True)
        page.locator("#chart-map").screenshot(path=str(artifacts_dir / "brief-map.png"))
        # a source link jumps to the exact sentence listed at the end
        link = page.locator("li.bullet a.cite").first
        ref = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == ref
        assert page.locator(f"{ref}").inner_text().startswith("“")
    assert not errors
    assert requested and all(u.startswith("file:") for u in requested)


def test_pdf_is_printed_by_chromium_and_renders(store, tmp_path, artifacts_dir):
    need_chromium()
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out = write_brief(store, tmp_path, load(env={}), formats=("pdf",))
    pdf = tmp_path / "brief.pdf"
    assert out == {"pdf": str(pdf)} and pdf.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    assert pages >= 2
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, capture_output=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 10_000
    shutil.copy(png, artifacts_dir / "brief-pdf-page1.png")
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "EU-brokered Serbia-Kosovo talks" in text and "CORROBORATED" in text.upper()
