"""The web app over real HTTP (uvicorn on 127.0.0.1): pages, JSON API, filters, security."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time

import httpx
import pytest
from report_fixtures import REUTERS, build_store, doc_id
from web_fixtures import TOKEN, app_for, serve

from storyline.report import queries as Q
from storyline.store.db import open_store

REUTERS_ID = doc_id("wire/reuters-talks.txt")
THREAD_ID = doc_id("thread/comments.txt")
PAGES = ["/", "/brief", "/stories/st1", "/stories/st2", "/documents", f"/documents/{REUTERS_ID}",
         f"/threads/{THREAD_ID}", "/events", "/events?zone=z1&type=COERCE", "/actors",
         "/actors/kos_kurti", "/map", "/map?zone=z1", "/timeline", "/sources",
         "/search?q=commission", "/search?q=border+incident&mode=semantic", "/ingest", "/login"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "store.db"
    build_store(path).close()
    return path


@pytest.fixture(scope="module")
def base(db):
    with serve(app_for(db)) as url:
        yield url


@pytest.fixture()
def client(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def test_every_page_answers_with_a_strict_policy(client):
    for path in PAGES:
        r = client.get(path, headers={"accept": "text/html"})
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in r.text  # no inline script on any page


def test_story_page_is_a_live_briefing_with_filters(client):
    page = client.get("/stories/st1").text
    assert "EU-brokered Serbia-Kosovo talks" in page and "Who said what" in page
    assert 'class="badge badge-corroborated"' in page
    filtered = client.get("/stories/st1", params={"zone": "z1"}).text
    assert "Jarinje" in filtered and "joint commission on missing persons" not in \
        filtered.split('id="disputed"')[0]


def test_lists_paginate_with_stable_ids(client, db):
    first = client.get("/api/v1/events", params={"limit": 3}).json()
    again = client.get("/api/v1/events", params={"limit": 3}).json()
    assert first == again and len(first["items"]) == 3 and first["total"] > 3
    second = client.get("/api/v1/events", params={"limit": 3, "offset": 3}).json()
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    with open_store(db, readonly=True) as store:
        stored = {r["id"] for r in store.query("SELECT id FROM events")}
    assert {e["id"] for e in first["items"] + second["items"]} <= stored


def test_api_filters_are_the_query_layer_filters(client, db):
    params = {"zone": "North Kosovo", "since": "2025-03-02", "type": "COERCE"}
    got = client.get("/api/v1/events", params=params).json()["items"]
    with open_store(db, readonly=True) as store:
        expected = Q.events(store, Q.Filters(**params))
    assert [e["id"] for e in got] == [e["id"] for e in expected] and got
    assert client.get("/api/v1/events", params={"corroboration": "contested"}).json()["total"]
    docs = client.get("/api/v1/documents", params={"story": "st2"}).json()["items"]
    assert [d["id"] for d in docs] == [doc_id("local/kosovo-online.txt")]


def test_events_download_as_csv(client):
    r = client.get("/api/v1/events.csv", params={"zone": "z1"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(row["place_name"] == "Jarinje" for row in rows)
    assert rows[0]["citation"] and rows[0]["sentence"]


def test_document_view_highlights_the_source_sentence(client):
    start = REUTERS.index("Serbian police detained")
    end = REUTERS.index("the talks.", start) + len("the talks.")
    page = client.get(f"/documents/{REUTERS_ID}", params={"hl": f"{start}-{end}"}).text
    marked = re.search(r'<mark id="hl" class="ann-target"[^>]*>(.*?)</mark>', page, re.S)
    assert re.sub(r"<[^>]+>", "", marked.group(1)) == REUTERS[start:end]
    assert re.search(r'<span class="ann ann-entity ann-event" title="[^"]*">Serbian police</span>',
                     marked.group(1))
    assert 'class="ann ann-entity"' in page and "ann-place" in page
    api = client.get(f"/api/v1/documents/{REUTERS_ID}/annotations").json()
    assert {a["kind"] for a in api["items"]} >= {"entity", "event", "place", "quote", "date"}


def test_search_in_both_modes(client):
    text = client.get("/api/v1/search", params={"q": "missing persons"}).json()
    assert text["total"] >= 2 and "[" in text["items"][0]["snippet"]
    meaning = client.get("/api/v1/search", params={"q": "officers arrested at the border",
                                                   "mode": "semantic"}).json()
    assert "detained" in meaning["items"][0]["text"]


def test_errors_are_short_and_never_tracebacks(client):
    r = client.get("/api/v1/documents/nope")
    assert r.status_code == 404 and r.json() == {"error": "no document 'nope'"}
    r = client.get("/api/v1/events", params={"since": "2025-13-01"})
    assert r.status_code == 422 and "since" in r.json()["problems"][0]
    r = client.get("/stories/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and "no story" in r.text and "Traceback" not in r.text
    r = client.get("/api/v1/events", params={"limit": 0})
    assert r.status_code == 422


def test_write_endpoints_need_the_token_and_forms_need_csrf(client):
    r = client.post("/api/v1/ingest", json={"urls": ["https://example.org/a"]})
    assert r.status_code == 401
    r = client.post("/api/v1/ingest", json={"urls": ["https://example.org/a"]},
                    headers={"authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = client.post("/api/v1/ingest", json={"urls": ["javascript:alert(1)"]},
                    headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    r = client.post("/ingest", data={"urls": "https://example.org/a"})
    assert r.status_code == 403  # not signed in
    assert client.get("/login", params={"token": "wrong"}).status_code == 403
    signed = client.get("/login", params={"token": TOKEN}, follow_redirects=False)
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    r = client.post("/ingest", data={"urls": "https://example.org/a", "csrf": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text
    page = client.get("/ingest").text
    assert 'name="csrf"' in page and 'type="file"' in page


def test_request_size_is_limited(db):
    with serve(app_for(db, **{"web.max_upload_bytes": 2000})) as url:
        r = httpx.post(f"{url}/api/v1/ingest/files", files={"files": ("a.txt", b"x" * 5000)},
                       headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 413
        assert httpx.get(f"{url}/api/v1/summary").status_code == 200


def test_openapi_documents_the_api(client):
    spec = client.get("/api/v1/openapi.json").json()
    events = spec["paths"]["/api/v1/events"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert names >= {"since", "until", "actor", "zone", "story", "type", "modality",
                     "corroboration", "limit", "offset"}
    assert "/api/v1/search" in spec["paths"] and "/api/v1/ingest" in spec["paths"]
    assert not [p for p in spec["paths"] if not p.startswith("/api/v1/")]


def test_serve_binds_loopback_and_prints_a_token(db):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    with socket_port() as port:
        pass
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli.main", "serve", "--db", str(db),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = [proc.stderr.readline(), proc.stderr.readline()]
        token = re.search(r"write token: (\S+)", "".join(lines)).group(1)
        assert "127.0.0.1" in lines[0] and len(token) >= 24
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/summary")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.json()["documents"] == 6
        r = httpx.post(f"http://127.0.0.1:{port}/api/v1/ingest", json={"urls": []},
                       headers={"authorization": f"Bearer {token}"})
        assert r.status_code == 422  # the printed token is accepted; the empty list is not
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def socket_port():
    import contextlib
    import socket

    @contextlib.contextmanager
    def free():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            yield s.getsockname()[1]

    return free()
