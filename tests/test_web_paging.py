"""Paging of the JSON API and the pages over real HTTP (uvicorn on 127.0.0.1) on a real
SQLite store: cursor and offset walks return every row exactly once, filters apply before
paging, limits are bounded, bad cursors are a 400, aggregations agree with the rows."""

from __future__ import annotations

import base64
import json
import random
import re
import sqlite3
from collections import Counter

import httpx
import pytest
from web_fixtures import app_for, serve

from storyline.report import queries as Q
from storyline.store.db import open_store

N_EVENTS = 1_234
N_DOCS = 60
TYPES = ("AGREE", "CONSULT", "ACCUSE", "ASSAULT", "AID")
ACTORS = (("USA", "United States"), ("RUS", "Russia"), ("SYR", "Syria"), ("TUR", "Turkey"))
PLACES = (("Damascus", 33.51, 36.29, "SY"), ("Geneva", 46.20, 6.14, "CH"), (None, None, None, None))
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _build(path) -> None:
    open_store(path).close()  # schema, with the paging indexes (migration 2)
    rng = random.Random(5)
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO documents(id, source_key, source, content_sha256, clean_text, title, "
        "outlet, kind, published, version) VALUES (?,?,?,?,?,?,?,?,?,1)",
        [(f"d{i:04d}", f"t://{i}", f"t://{i}", f"{i:064x}", "Officials met. " * 20,
          EVIL if i == 3 else f"Report {i}", f"Outlet {i % 7}",
          "comment_thread" if i == 7 else "news_report",
          None if i % 11 == 0 else f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}")
         for i in range(N_DOCS)])
    conn.executemany("INSERT INTO actors(id, name, country, aliases) VALUES (?,?,?,?)",
                     [(f"a{i:03d}", f"Actor {i}", None, json.dumps([f"alias{i}"]))
                      for i in range(130)])
    conn.executemany(
        "INSERT INTO mentions(id, doc_id, start, \"end\", stage, stage_version, text, actor_id) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [(f"m{i}", f"d{i % N_DOCS:04d}", i, i + 3, "actors", "1", "x", f"a{i % 130:03d}")
         for i in range(900)])
    conn.executemany(
        "INSERT INTO quotes(id, doc_id, start, \"end\", stage, stage_version, text, "
        "speaker_text) VALUES (?,?,?,?,?,?,?,?)",
        [(f"q{i}", f"d{i % N_DOCS:04d}", i * 3, i * 3 + 2, "quotes", "1", f"quote {i}",
          "Someone") for i in range(333)])
    events = []
    for i in range(N_EVENTS):
        (sc, sn), (tc, tn) = rng.sample(ACTORS, 2)
        place, lat, lon, country = rng.choice(PLACES)
        day = None if i % 17 == 0 else rng.choice(
            [f"2017-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "2017-06", "2017"])
        doc = i % N_DOCS
        events.append((
            f"d{doc:04d}:e{i}", f"d{doc:04d}", 5 * (i // N_DOCS), 5 * (i // N_DOCS) + 4,
            "events", "1", 0.5, EVIL if i == 42 else f"{sn} met {tn}.", "met",
            rng.choice(TYPES), rng.choice(("happened", "happened", "future", "denied")),
            day, day, json.dumps([sc]), sn, json.dumps([sc]), json.dumps([tc]), tn,
            json.dumps([tc]), place, lat, lon, country))
    conn.executemany(
        "INSERT INTO events(id, doc_id, start, \"end\", stage, stage_version, confidence, "
        "sentence, trigger, type, modality, date_start, date_end, source_ids, source_text, "
        "source_countries, target_ids, target_text, target_countries, place_name, lat, lon, "
        "country) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", events)
    conn.commit()
    conn.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("paging") / "store.db"
    _build(path)
    return path


@pytest.fixture(scope="module")
def client(db):
    with serve(app_for(db)) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _ids(db, sql: str, params=()) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute(sql, params)]
    finally:
        conn.close()


def _walk(client, path: str, **params) -> tuple[list[dict], list[dict]]:
    """Every item of a list, page by page along the ``next`` cursors."""
    items, pages, cursor = [], [], None
    for _ in range(1000):
        r = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        page = r.json()
        pages.append(page)
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items, pages
    raise AssertionError("the cursor walk does not end")


ORDER = "ORDER BY ifnull(date_start, '~'), doc_id, start, id"


def test_event_cursor_walk_returns_every_event_once_in_order(client, db):
    items, pages = _walk(client, "/api/v1/events", limit=97)
    ids = [e["id"] for e in items]
    assert len(ids) == len(set(ids)) == N_EVENTS
    assert ids == _ids(db, f"SELECT id FROM events {ORDER}")
    assert all(p["total"] == N_EVENTS and len(p["items"]) <= 97 for p in pages)
    assert all(len(p["items"]) == 97 for p in pages[:-1])


def test_offset_walk_agrees_with_the_cursor_walk(client, db):
    ids, offset = [], 0
    while True:
        page = client.get("/api/v1/events", params={"limit": 250, "offset": offset}).json()
        ids += [e["id"] for e in page["items"]]
        if not page["items"]:
            break
        offset += 250
    assert ids == _ids(db, f"SELECT id FROM events {ORDER}")


@pytest.mark.parametrize("params, where, args", [
    ({"type": "consult"}, "upper(type) = 'CONSULT'", ()),
    ({"modality": "DENIED"}, "modality = 'denied'", ()),
    ({"type": "AID", "modality": "future"}, "type = 'AID' AND modality = 'future'", ()),
])
def test_filters_apply_before_paging(client, db, params, where, args):
    items, pages = _walk(client, "/api/v1/events", limit=13, **params)
    want = _ids(db, f"SELECT id FROM events WHERE {where} {ORDER}", args)
    assert [e["id"] for e in items] == want and want
    assert pages[0]["total"] == len(want)
    assert all(len(p["items"]) == 13 for p in pages[:-1])  # full pages: filtered in SQL


def test_date_window_is_the_query_layer_window(client, db):
    params = {"since": "2017-06-01", "until": "2017-06-30"}
    items, pages = _walk(client, "/api/v1/events", limit=40, **params)
    with open_store(db, readonly=True) as store:
        want = [e["id"] for e in Q.events(store, Q.Filters(**params))]
    assert [e["id"] for e in items] == want and pages[0]["total"] == len(want)
    assert any(e["date_start"] == "2017-06" for e in items)  # partial dates overlap
    assert any(e["date_start"] == "2017" for e in items)


def test_filters_sql_cannot_decide_still_page_exactly(client, db):
    for params in ({"actor": "SYR"}, {"corroboration": "single-source"}, {"story": "none"}):
        items, _ = _walk(client, "/api/v1/events", limit=50, **params)
        with open_store(db, readonly=True) as store:
            want = [e["id"] for e in Q.events(store, Q.Filters(**params))]
        assert [e["id"] for e in items] == want, params


def test_other_lists_walk_every_row_once(client, db):
    docs, pages = _walk(client, "/api/v1/documents", limit=7)
    assert [d["id"] for d in docs] == _ids(
        db, "SELECT id FROM documents ORDER BY ifnull(published, '') DESC, id")
    assert pages[0]["total"] == N_DOCS and "chars" in docs[0]
    quotes, pages = _walk(client, "/api/v1/quotes", limit=50, comments="true")
    assert [q["id"] for q in quotes] == _ids(db, "SELECT id FROM quotes ORDER BY doc_id, start, id")
    no_comments, _ = _walk(client, "/api/v1/quotes", limit=50)
    assert len(no_comments) == len(quotes) - 333 // N_DOCS - (333 % N_DOCS > 7)
    actors, pages = _walk(client, "/api/v1/actors", limit=21)
    assert len(actors) == len({a["id"] for a in actors}) == 130 == pages[0]["total"]
    counts = [a["mentions"] for a in actors]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 900
    found = client.get("/api/v1/actors", params={"q": "ALIAS12"}).json()
    assert {a["id"] for a in found["items"]} == {"a012", "a120", "a121", "a122", "a123",
                                                 "a124", "a125", "a126", "a127", "a128",
                                                 "a129"}


def test_documents_window_filters_before_paging(client, db):
    items, pages = _walk(client, "/api/v1/documents", limit=3, since="2017-03", until="2017-04")
    want = _ids(db, "SELECT id FROM documents WHERE published >= '2017-03-01' AND "
                "published <= '2017-04-30' ORDER BY published DESC, id")
    assert [d["id"] for d in items] == want and pages[0]["total"] == len(want)


def test_timeline_and_map_pages_walk(client, db):
    items, pages = _walk(client, "/api/v1/timeline", limit=100)
    want = _ids(db, "SELECT id FROM events WHERE date_start IS NOT NULL AND doc_id <> 'd0007' "
                f"{ORDER}")
    # entries of one source sentence merge (their types joined), within a page
    ids = [t["id"] for t in items]
    assert len(ids) == len(set(ids)) and set(ids) <= set(want)
    assert pages[0]["total"] == len(want) and len(pages) == -(-len(want) // 100)
    assert {i.split(":")[0] for i in ids} == {i.split(":")[0] for i in want}
    points, pages = _walk(client, "/api/v1/map", limit=1)
    assert {(p["lat"], p["lon"]) for p in points} == {(33.51, 36.29), (46.2, 6.14)}
    located = _ids(db, "SELECT id FROM events WHERE lat IS NOT NULL AND doc_id <> 'd0007'")
    assert sum(p["count"] for p in points) == len(located) and pages[0]["total"] == 2
    assert all(p["events"] for p in points)


def test_aggregations_agree_with_the_rows(client, db):
    with open_store(db, readonly=True) as store:
        facts = [e for e in Q.events(store) if not e["from_comment"]]
        old_net, old_dyads = Q.network(facts), Q.dyad_trend(facts)
        dated = [e for e in facts if e["date_start"]]
    net = client.get("/api/v1/network").json()
    assert {(e["source"], e["target"]): (e["count"], e["score"]) for e in net["edges"]} == \
        {(e["source"], e["target"]): (e["count"], e["score"]) for e in old_net["edges"]}
    assert net["nodes"] == old_net["nodes"]
    assert all(0 < len(e["events"]) <= 20 for e in net["edges"])
    dyads = client.get("/api/v1/dyads").json()
    assert dyads == old_dyads
    trend = client.get("/api/v1/trend", params={"period": "month"}).json()
    assert sum(p["events"] for p in trend["points"]) == len(dated)
    assert [p["period"] for p in trend["points"]] == sorted(p["period"] for p in trend["points"])
    by_month = Counter(e["date_start"][:7] + "-01" if len(e["date_start"]) > 4 else "2017-01-01"
                       for e in dated)
    assert {p["period"]: p["events"] for p in trend["points"]} == dict(by_month)
    week = client.get("/api/v1/trend", params={"period": "week", "type": "AID"}).json()
    assert sum(p["events"] for p in week["points"]) == sum(e["type"] == "AID" for e in dated)


def test_limits_are_bounded_with_clear_json_errors(client):
    assert len(client.get("/api/v1/events", params={"limit": 500}).json()["items"]) == 500
    for path in ("/api/v1/events", "/api/v1/documents", "/api/v1/actors", "/api/v1/map",
                 "/api/v1/timeline", "/api/v1/quotes"):
        r = client.get(path, params={"limit": 501})
        assert r.status_code == 422, path
        body = r.json()
        assert body["error"] == "invalid request" and "limit" in body["problems"][0]
        assert client.get(path).json()["limit"] == 50  # the default


def test_bad_cursors_are_400_not_500(client):
    docs_cursor = client.get("/api/v1/documents", params={"limit": 1}).json()["next"]
    forged = base64.urlsafe_b64encode(json.dumps(["events", 1, 2, "x", 4]).encode()).decode()
    for path in ("/api/v1/events", "/api/v1/documents", "/api/v1/quotes", "/api/v1/actors",
                 "/api/v1/timeline", "/api/v1/map", "/api/v1/stories", "/api/v1/search"):
        for cursor in ("garbage!!", "e30", forged, docs_cursor if path != "/api/v1/documents"
                       else forged, "%00", "x" * 3000):
            r = client.get(path, params={"cursor": cursor, "q": "officials"})
            assert r.status_code == 400, (path, cursor, r.status_code)
            assert r.json()["error"].startswith("bad cursor")


def test_pages_follow_the_cursor_and_escape_text(client, db):
    page = client.get("/events", params={"limit": 100}).text
    more = re.search(r'<a class="pager-next" href="\?([^"]+)">more', page)
    assert more and "cursor=" in more.group(1)
    assert EVIL not in page
    html, seen = client.get("/events", params={"limit": 500}).text, False
    for _ in range(5):  # follow "more" until the page with the hostile sentence
        assert EVIL not in html and "<script>alert" not in html
        seen = seen or "&lt;script&gt;alert(&#34;x&#34;)" in html
        nxt = re.search(r'<a class="pager-next" href="\?([^"]+)">more', html)
        if not nxt:
            break
        html = client.get("/events?" + nxt.group(1).replace("&amp;", "&")).text
    assert seen
    second = client.get("/events?" + more.group(1).replace("&amp;", "&")).text
    first_ids = re.findall(r'data-event="([^"]+)"', page)
    second_ids = re.findall(r'data-event="([^"]+)"', second)
    assert len(first_ids) == len(second_ids) == 100 and not set(first_ids) & set(second_ids)
    assert second_ids == _ids(db, f"SELECT id FROM events {ORDER} LIMIT 100 OFFSET 100")
    for path in ("/documents?limit=5", "/actors?limit=5", "/timeline?limit=5", "/map", "/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert EVIL not in r.text and "<script>alert" not in r.text
    docs = client.get("/documents", params={"limit": 5}).text
    assert "next →" in docs or "more →" in docs


def test_counts_and_aggregations_follow_writes(tmp_path):
    path = tmp_path / "live.db"
    _build(path)
    with serve(app_for(path)) as url, httpx.Client(base_url=url, timeout=60) as c:
        total = c.get("/api/v1/events", params={"type": "AID"}).json()["total"]
        trend = c.get("/api/v1/trend", params={"period": "year"}).json()["points"]
        net = c.get("/api/v1/network").json()
        assert c.get("/api/v1/events", params={"type": "AID"}).json()["total"] == total
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO events(id, doc_id, start, \"end\", stage, stage_version, type, "
            "date_start, source_ids, source_text, target_ids, target_text) VALUES "
            "('d0001:new', 'd0001', 999, 1000, 'events', '1', 'AID', '2017-02-02', "
            "'[\"USA\"]', 'United States', '[\"RUS\"]', 'Russia')")
        conn.commit()
        conn.close()
        assert c.get("/api/v1/events", params={"type": "AID"}).json()["total"] == total + 1
        after = c.get("/api/v1/trend", params={"period": "year"}).json()["points"]
        assert sum(p["events"] for p in after) == sum(p["events"] for p in trend) + 1
        edges = {(e["source"], e["target"]): e["count"] for e in net["edges"]}
        new = {(e["source"], e["target"]): e["count"]
               for e in c.get("/api/v1/network").json()["edges"]}
        assert new[("United States", "Russia")] == edges[("United States", "Russia")] + 1
