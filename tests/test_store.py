"""The store: schema migration, WAL readers during writes, the writer lock, damage."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from storyline.errors import CorruptStore, StoreError, StoreLocked
from storyline.ingest.types import Document, content_hash, document_id
from storyline.registry import DocState
from storyline.store import schema
from storyline.store.db import open_store
from storyline.store.documents import load_document, save_document


def make_state(key: str, text: str) -> DocState:
    doc = Document(id=document_id(key), source_key=key, content_sha256=content_hash(text.encode()),
                   clean_text=text, title=text.split(".")[0], kind="news_report")
    return DocState(doc_id=doc.id, artifacts={"document": doc})


def test_new_store_has_every_table_and_wal(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(schema.TABLES) <= tables
        assert "sentences_fts" in tables
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.meta("schema_version") == str(schema.SCHEMA_VERSION)


def test_missing_column_is_added_on_open(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE zones (id TEXT PRIMARY KEY, name TEXT NOT NULL, geometry TEXT NOT NULL)")
    conn.execute("INSERT INTO zones VALUES ('z1', 'Zone', '{}')")
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert "description" in store.columns("zones")
        assert store.scalar("SELECT name FROM zones WHERE id='z1'") == "Zone"


def test_numbered_migration_runs_once(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    open_store(path).close()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION,
                        ["INSERT INTO meta(key, value) VALUES ('migrated', 'yes')"])
    with open_store(path) as store:
        assert store.meta("migrated") == "yes"
        assert store.meta("schema_version") == str(schema.SCHEMA_VERSION)
    open_store(path).close()  # a second open must not run the step again (no UNIQUE error)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    with open_store(path) as store:
        store.set_meta("schema_version", "999")
    with pytest.raises(StoreError, match="newer"):
        open_store(path)


def test_save_document_versions_and_replaces_items(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        first = save_document(store, make_state("a.txt", "Russia and Turkey agreed. Talks went on."))
        assert first.version == 1
        second = save_document(store, make_state("a.txt", "Russia and Turkey agreed a ceasefire."))
        assert second.id == first.id and second.version == 2
        assert store.scalar("SELECT COUNT(*) FROM documents") == 1
        assert store.scalar("SELECT COUNT(*) FROM document_versions WHERE doc_id=?", (first.id,)) == 2
        assert load_document(store, first.id).clean_text.endswith("ceasefire.")


def test_readers_keep_working_while_a_writer_holds_a_transaction(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as writer:
        save_document(writer, make_state("a.txt", "First document."))
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.insert([make_state("b.txt", "Second, uncommitted.")["document"]])
        reader = open_store(path, readonly=True)
        results = []
        thread = threading.Thread(target=lambda: results.append(
            reader.scalar("SELECT COUNT(*) FROM documents")))
        thread.start()
        thread.join(5)
        assert results == [1]  # sees the committed state, is not blocked
        writer.conn.execute("COMMIT")
        assert reader.scalar("SELECT COUNT(*) FROM documents") == 2
        reader.close()


def test_second_writer_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as first:
        first.acquire_write_lock()
        code = ("from storyline.store.db import open_store\n"
                "from storyline.errors import StoreLocked\n"
                f"s = open_store({str(path)!r})\n"
                "try:\n    s.acquire_write_lock()\nexcept StoreLocked as e:\n    print('LOCKED', e)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert "LOCKED" in out.stdout and "being written by pid" in out.stdout
        first.release_write_lock()
        again = open_store(path)
        again.acquire_write_lock()  # free again
        again.close()


def test_lock_is_reentrant_within_one_store(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        store.acquire_write_lock()
        store.acquire_write_lock()


def test_file_that_is_not_a_database_gives_recovery_hint(tmp_path):
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CorruptStore, match="storyline db recover"):
        open_store(path)


def test_truncated_database_is_reported_not_traceback(tmp_path):
    path = tmp_path / "half.db"
    with open_store(path) as store:
        for i in range(200):
            save_document(store, make_state(f"{i}.txt", f"Document number {i}. " * 50))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises((CorruptStore, StoreError)):
        store = open_store(path)
        problems = store.integrity_check()
        store.close()
        if problems:
            raise CorruptStore("damaged")


def test_unknown_column_is_a_clear_error(tmp_path):
    with open_store(tmp_path / "s.db") as store, pytest.raises(StoreError, match="no column"):
        store.insert_rows("zones", [{"id": "z", "name": "n", "geometry": "{}", "bogus": 1}])


def test_locked_error_is_a_store_error():
    assert issubclass(StoreLocked, StoreError)
