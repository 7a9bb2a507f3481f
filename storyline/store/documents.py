"""Writing whole documents (with everything their document stages produced) to the store."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from ..ingest.types import Document, RawInput, Skip
from ..records import Record
from ..registry import DocState
from . import schema
from .db import Store


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def known_content(store: Store, content_sha256: str) -> str | None:
    """Id of a stored document with exactly this raw content, if any."""
    return store.scalar("SELECT id FROM documents WHERE content_sha256=? LIMIT 1", (content_sha256,))


def record_skip(store: Store, skip: Skip) -> None:
    store.insert_rows("skips", [{"source": skip.source, "stage": skip.stage, "error": skip.error,
                                 "reason": skip.reason, "at": now()}], replace=False)


def _records(state: DocState) -> list[Record]:
    out: list[Record] = []
    for name, value in state.artifacts.items():
        if name in ("document", "raw") or not isinstance(value, list):
            continue
        out.extend(v for v in value if isinstance(v, Record))
    return out


def save_document(store: Store, state: DocState) -> Document:
    """Write one processed document in a single transaction.

    A document whose id is already stored with other content becomes a new version: the
    old clean text is kept in ``document_versions`` and its extracted items are replaced.
    """
    doc: Document = state["document"]
    raw: RawInput | None = state.get("raw")
    stamp = now()
    with store.transaction():
        if raw is not None and doc.raw_sha256:
            store.conn.execute(
                "INSERT OR IGNORE INTO raw_inputs(sha256, source, content_type, size, compressed,"
                " received_at) VALUES (?,?,?,?,?,?)",
                (doc.raw_sha256, raw.source, raw.content_type, len(raw.data),
                 zlib.compress(raw.data, 6), stamp))
        old = store.one("SELECT version, ingested_at FROM documents WHERE id=?", (doc.id,))
        doc.version = (old["version"] + 1) if old else 1
        doc.ingested_at = old["ingested_at"] if old else stamp
        doc.updated_at = stamp
        if raw is not None and raw.hints:
            doc.meta.setdefault("hints", raw.hints)
        for table in schema.DOCUMENT_TABLES:
            store.conn.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc.id,))
        store.conn.execute("DELETE FROM nlp_cache WHERE doc_id=?", (doc.id,))
        store.insert([doc])
        store.conn.execute(
            "INSERT OR REPLACE INTO document_versions(doc_id, version, raw_sha256, content_sha256,"
            " clean_text, ingested_at) VALUES (?,?,?,?,?,?)",
            (doc.id, doc.version, doc.raw_sha256, doc.content_sha256, doc.clean_text, stamp))
        store.insert(_records(state))
        for name, value in state.artifacts.items():
            if name == "nlp_cache" and isinstance(value, dict):
                store.insert_rows("nlp_cache", [value])
    return doc


def load_document(store: Store, doc_id: str) -> Document | None:
    rows = store.fetch(Document, "id=?", (doc_id,))
    return rows[0] if rows else None


def document_rows(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Documents without their text, newest first, for listings."""
    rows = store.query(
        "SELECT id, version, title, outlet, kind, published, language, source, original_outlet,"
        " carrier, length(clean_text) AS chars FROM documents ORDER BY published DESC, id")
    return [dict(r) for r in rows]
