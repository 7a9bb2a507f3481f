"""Ingest from the web: files and URLs read in the background by the real flow, pages
answering meanwhile, and the ingest's SSRF rules applied to submitted addresses."""

from __future__ import annotations

import time

import httpx
import pytest
from web_fixtures import TOKEN, app_for, serve

ARTICLE = """Ukraine and Russia swap prisoners in Istanbul deal

ISTANBUL — Ukraine and Russia exchanged 120 prisoners of war on Saturday under a deal brokered by Turkey, the Ukrainian presidency said. "Every one of them is home now," President Volodymyr Zelensky said in a statement. Russian officials confirmed the exchange and said talks on a second swap would begin next week in Istanbul.
"""
SECOND = """Turkey offers to host new round of talks

ANKARA — Turkish Foreign Minister Hakan Fidan said on Sunday that Turkey was ready to host a new round of talks between Kyiv and Moscow after the prisoner exchange in Istanbul. Fidan spoke to reporters in Ankara after meeting the Russian ambassador.
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("ingest") / "store.db"
    with serve(app_for(path)) as url:
        yield url


def _wait(client: httpx.Client, job_id: str, seen_running: list[bool]) -> dict:
    deadline = time.monotonic() + 240
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        if job["status"] == "running":
            # readers are not blocked by the writer (WAL): pages answer during the ingest
            assert client.get("/documents", headers={"accept": "text/html"}).status_code == 200
            seen_running.append(True)
        assert time.monotonic() < deadline, job
        time.sleep(0.3)


def test_uploaded_files_are_read_in_the_background(base):
    auth = {"authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=base, timeout=60) as client:
        r = client.post("/api/v1/ingest/files", headers=auth, files=[
            ("files", ("../../etc/istanbul swap.txt", ARTICLE.encode(), "text/plain")),
            ("files", ("ankara.txt", SECOND.encode(), "text/plain"))])
        assert r.status_code == 202
        running: list[bool] = []
        job = _wait(client, r.json()["id"], running)
        assert job["status"] == "done", job
        assert len(job["added"]) == 2
        assert "istanbul_swap.txt" in job["items"]  # the name reduced to a harmless one
        docs = client.get("/api/v1/documents").json()["items"]
        assert {d["title"] for d in docs} == {ARTICLE.splitlines()[0], SECOND.splitlines()[0]}
        hits = client.get("/api/v1/search", params={"q": "prisoners"}).json()
        assert hits["total"] >= 1
        # the same content again is a no-op
        r = client.post("/api/v1/ingest/files", headers=auth,
                        files=[("files", ("again.txt", ARTICLE.encode(), "text/plain"))])
        again = _wait(client, r.json()["id"], running)
        assert again["status"] == "done" and again["added"] == []


def test_submitted_urls_follow_the_ingest_ssrf_rules(base):
    with httpx.Client(base_url=base, timeout=60) as client:
        r = client.post("/api/v1/ingest", headers={"authorization": f"Bearer {TOKEN}"},
                        json={"urls": [f"{base}/api/v1/summary", "http://169.254.169.254/x"]})
        assert r.status_code == 202
        job = _wait(client, r.json()["id"], [])
        assert job["status"] == "done" and job["added"] == []
        assert len(job["messages"]) == 2
        assert "loopback" in job["messages"][0] and "link-local" in job["messages"][1]
        assert client.get("/api/v1/summary").status_code == 200
