"""The real `storyline` command, driven as a user would (subprocess, real store file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, need_shared, SEEDS

BIN = [sys.executable, "-m", "storyline.cli.main"]


def run(*args: str, db: Path | None = None, check: bool = True, timeout: int = 600):
    env = dict(os.environ)
    if db is not None:
        env["STORYLINE_DB"] = str(db)
    out = subprocess.run([*BIN, *args], capture_output=True, text=True, env=env, timeout=timeout,
                         stdin=subprocess.DEVNULL)
    if check and out.returncode != 0:
        raise AssertionError(f"storyline {' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "demo.db"
    out = run("ingest", str(DEMO), "--json", db=db)
    report = json.loads(out.stdout)
    assert len(report["added"]) >= 8
    return db


def test_ingest_again_is_a_no_op(demo_db):
    before = json.loads(run("documents", "--json", db=demo_db).stdout)
    report = json.loads(run("ingest", str(DEMO), "--json", db=demo_db).stdout)
    assert report["added"] == [] and report["updated"] == []
    assert len(report["unchanged"]) >= 8
    after = json.loads(run("documents", "--json", db=demo_db).stdout)
    assert [d["id"] for d in before] == [d["id"] for d in after]


def test_changed_document_becomes_a_new_version(tmp_path):
    doc = tmp_path / "wire.txt"
    doc.write_text("Talks resume\n\nDiplomats from both countries met in Geneva on Monday.\n")
    db = tmp_path / "v.db"
    first = json.loads(run("ingest", str(doc), "--json", db=db).stdout)
    doc.write_text("Talks resume\n\nDiplomats from both countries met in Geneva on Tuesday.\n")
    second = json.loads(run("ingest", str(doc), "--json", db=db).stdout)
    assert second["updated"] == first["added"]
    shown = json.loads(run("show", first["added"][0], "--json", db=db).stdout)
    assert shown["version"] == 2 and "Tuesday" in shown["clean_text"]


def test_show_and_export_documents(demo_db, tmp_path):
    docs = json.loads(run("documents", "--json", db=demo_db).stdout)
    kinds = {d["kind"] for d in docs}
    assert "comment_thread" in kinds and "news_report" in kinds
    shown = json.loads(run("show", docs[0]["id"], "--json", db=demo_db).stdout)
    assert shown["clean_text"] and shown["id"] == docs[0]["id"]
    out = tmp_path / "docs.csv"
    run("export", "documents", "--format", "csv", "-o", str(out), db=demo_db)
    assert out.read_text().count("\n") > len(docs)
    jsonl = run("export", "comments", db=demo_db).stdout.splitlines()
    assert len(jsonl) >= 10 and all(json.loads(line)["doc_id"] for line in jsonl)


def test_errors_go_to_stderr_with_non_zero_exit(tmp_path):
    out = run("show", "nope", db=tmp_path / "missing.db", check=False)
    assert out.returncode != 0 and out.stderr.startswith("error:") and "Traceback" not in out.stderr
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    out = run("documents", db=bad, check=False)
    assert out.returncode != 0 and "storyline db recover" in out.stderr
    assert "Traceback" not in out.stderr


def test_recover_rebuilds_a_damaged_store(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    out = run("db", "recover", "--db", str(bad))
    assert "backup" in out.stdout
    assert run("db", "check", "--db", str(bad)).returncode == 0


def test_missing_input_is_a_recorded_skip_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Ceasefire holds\n\nThe ceasefire held overnight, officials said on Sunday.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    db = tmp_path / "s.db"
    report = json.loads(run("ingest", str(good), str(empty), str(tmp_path / "absent.txt"),
                            "--json", db=db).stdout)
    assert len(report["added"]) == 1
    assert len(report["skipped"]) == 2
    reasons = " ".join(s["reason"] for s in report["skipped"])
    assert "empty" in reasons.lower()


def test_config_lists_documented_options():
    rows = json.loads(run("config", "--json").stdout)
    assert any(r["key"] == "ingest.max_bytes" for r in rows)


def test_seed_ingest_through_cli(tmp_path):
    need_shared()
    db = tmp_path / "seeds.db"
    report = json.loads(run("ingest", str(SEEDS), "--json", db=db).stdout)
    assert len(report["added"]) == 5
    assert run("db", "check", "--db", str(db)).returncode == 0
