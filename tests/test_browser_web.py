"""The web app driven by Playwright in Debian's Chromium: ingest the demo corpus from the UI,
open a story, click an event through to its highlighted source sentence, search, filter by
zone; hostile text never runs.  Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from report_fixtures import build_store
from web_fixtures import TOKEN, app_for, browser, need_chromium, serve

pytestmark = pytest.mark.browser
DEMO_HINT = "examples/demo (written with the demo corpus)"


@pytest.fixture(scope="module")
def chrome():
    need_chromium()
    with browser() as b:  # one Playwright session per module (its loop is per thread)
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory, chrome):
    path = tmp_path_factory.mktemp("browser-web") / "store.db"
    build_store(path, hostile=True).close()
    with serve(app_for(path)) as url:
        yield url, chrome


def _page(b, problems):
    page = b.new_page(viewport={"width": 1200, "height": 900})
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error"
            else None)
    return page


def test_story_event_to_highlighted_sentence_search_and_zone(site, artifacts_dir):
    base, b = site
    problems: list[str] = []
    page = _page(b, problems)
    page.goto(base + "/")
    page.get_by_role("link", name="EU-brokered Serbia-Kosovo talks").click()
    page.wait_for_selector(".chart[data-drawn]")
    assert page.locator("li.bullet").count() >= 5
    page.screenshot(path=str(artifacts_dir / "web-story.png"), full_page=True)
    # a development's source link opens the document on its sentence
    bullet = page.locator("li.bullet", has_text="joint commission").first
    bullet.locator("a.cite").click()
    mark = page.locator("mark#hl")
    mark.wait_for()
    assert "joint commission" in mark.inner_text()
    assert mark.is_visible() and page.evaluate("location.hash") == "#hl"
    # the events table: click an event through to its highlighted source sentence
    page.goto(base + "/events")
    row = page.locator("tr.event-row", has_text="COERCE").first
    row.locator("a.event-source").click()
    mark.wait_for()
    assert mark.inner_text().startswith("Serbian police detained two Kosovo customs officers")
    box = mark.bounding_box()
    assert box and 0 <= box["y"] < 900  # scrolled into view
    page.screenshot(path=str(artifacts_dir / "web-event-source.png"))
    # search, both modes
    page.goto(base + "/search")
    page.fill("input[name=q]", "missing persons")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("li.result")
    assert page.locator("li.result mark").first.inner_text().lower() in ("missing", "persons")
    page.screenshot(path=str(artifacts_dir / "web-search.png"))
    page.locator("li.result a.result-link").first.click()
    mark.wait_for()
    assert "missing persons" in mark.inner_text()
    page.goto(base + "/search?q=officers+arrested+at+the+border&mode=semantic")
    assert "detained" in page.locator("li.result .snippet").first.inner_text()
    # filter by zone: choosing the zone narrows the table to events inside it
    page.goto(base + "/events")
    all_rows = page.locator("tr.event-row").count()
    page.select_option("#zone-filter", label="North Kosovo")
    page.wait_for_url(re.compile(r"zone=z1"))
    rows = page.locator("tr.event-row")
    assert 0 < rows.count() < all_rows
    assert all("Jarinje" in rows.nth(i).inner_text() for i in range(rows.count()))
    page.screenshot(path=str(artifacts_dir / "web-events-zone.png"), full_page=True)
    page.goto(base + "/map?zone=z1")
    page.wait_for_selector("#chart-map[data-drawn]")
    assert page.locator("#chart-map .scattergeo .point").count() >= 1
    page.screenshot(path=str(artifacts_dir / "web-map-zone.png"), full_page=True)
    assert not problems, problems


def test_hostile_text_never_runs_on_any_page(site):
    base, b = site
    problems: list[str] = []
    page = _page(b, problems)
    page.goto(base + "/documents")
    evil = page.get_by_role("link", name=re.compile("Evil news")).get_attribute("href")
    for path in ("/", "/brief", "/stories/st1", "/documents", evil, evil + "?hl=0-60",
                 "/events", "/actors", "/actors/evil", "/map", "/timeline", "/sources",
                 "/search?q=Evil", "/threads" + evil[len("/documents"):]):
        page.goto(base + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        # hover the hostile spans too: no handler may fire
        for el in page.locator("span.ann").all()[:5]:
            el.hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not problems, problems


def test_ingest_the_demo_corpus_from_the_ui(tmp_path, artifacts_dir, chrome):
    from conftest import DEMO

    files = sorted(p for p in DEMO.glob("*") if p.is_file()) if DEMO.is_dir() else []
    if not files:
        pytest.skip(f"no demo corpus at {DEMO_HINT}")
    b = chrome
    with serve(app_for(tmp_path / "demo.db")) as base:
        problems: list[str] = []
        page = _page(b, problems)
        page.goto(base + "/ingest")
        page.get_by_role("link", name="sign in with the write token").click()
        page.fill("input[name=token]", TOKEN)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/ingest$"))
        page.set_input_files("#files", [str(p) for p in files])
        page.screenshot(path=str(artifacts_dir / "web-ingest-form.png"))
        page.click("#ingest-submit")
        page.wait_for_url(re.compile(r"/jobs/"))
        page.wait_for_selector("#job[data-status=done], #job[data-status=failed]",
                               timeout=300_000)
        page.screenshot(path=str(artifacts_dir / "web-ingest-done.png"))
        assert page.locator("#job").get_attribute("data-status") == "done", \
            page.locator("#job-error").inner_text()
        added = int(re.match(r"\d+", page.locator("#job-summary").inner_text()).group())
        assert added >= len([f for f in files if f.suffix in (".html", ".txt", ".md")])
        page.click("text=See the stories")
        page.wait_for_load_state("load")
        page.screenshot(path=str(artifacts_dir / "web-demo-home.png"), full_page=True)
        stories = page.locator("a.story-link")
        if stories.count():
            stories.first.click()
        else:
            page.goto(base + "/brief")
        page.wait_for_load_state("load")
        assert page.locator("section.headline .hl-sentence").count() >= 1
        page.screenshot(path=str(artifacts_dir / "web-demo-story.png"), full_page=True)
        page.locator("section.headline a.cite").first.click()
        page.locator("mark#hl").wait_for()
        # the demo's own events and sentences: click through, and search
        page.goto(base + "/events")
        if page.locator("a.event-source").count():
            page.locator("a.event-source").first.click()
            page.locator("mark#hl").wait_for()
            page.screenshot(path=str(artifacts_dir / "web-demo-event-source.png"))
        word = re.findall(r"[A-Za-z]{6,}", page.locator("mark#hl").inner_text())[0]
        page.goto(base + "/search")
        page.fill("input[name=q]", word)
        page.click("form.filters button[type=submit]")
        page.wait_for_selector("li.result")
        # full-text search stems words (porter): compare the stem
        assert word.lower()[:5] in page.locator("li.result mark").first.inner_text().lower()
        assert not problems, problems
