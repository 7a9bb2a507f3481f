"""Reading what the document stages stored, for the corpus stages (one place for the SQL)."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..store.db import Store
from .text import split_sentences

DOC_COLUMNS = ("id, title, outlet, kind, published, original_outlet, carrier, syndicated_from,"
               " source")


@dataclasses.dataclass
class DocMeta:
    id: str
    title: str | None = None
    outlet: str | None = None
    kind: str | None = None
    published: str | None = None
    original_outlet: str | None = None
    carrier: str | None = None
    syndicated_from: str | None = None
    source: str | None = None


@dataclasses.dataclass
class Unit:
    """A sentence (or a comment's quoted passage) of a document, with its clean-text span."""

    doc_id: str
    start: int
    end: int
    text: str
    idx: int = 0
    item_id: str | None = None


def documents(store: Store) -> list[DocMeta]:
    """Every stored document's metadata (no text), oldest first."""
    rows = store.query(f"SELECT {DOC_COLUMNS} FROM documents "
                       "ORDER BY COALESCE(published, '9999'), id")
    return [DocMeta(**dict(r)) for r in rows]


def iter_texts(store: Store, batch: int = 500) -> Iterator[tuple[DocMeta, str, Any]]:
    """(metadata, clean text, removed boilerplate) of every document, oldest first,
    read in batches so a large store is never loaded whole."""
    last_key: tuple[str, str] = ("", "")
    while True:
        rows = store.query(
            f"SELECT {DOC_COLUMNS}, clean_text, removed, COALESCE(published, '9999') AS k "
            "FROM documents WHERE (COALESCE(published, '9999'), id) > (?, ?) "
            "ORDER BY COALESCE(published, '9999'), id LIMIT ?", (*last_key, batch))
        if not rows:
            return
        for r in rows:
            data = dict(r)
            text, removed = data.pop("clean_text") or "", data.pop("removed")
            data.pop("k")
            yield DocMeta(**data), text, _json(removed, [])
        last_key = (rows[-1]["k"], rows[-1]["id"])


def iter_texts_of(store: Store, doc_ids: list[str]) -> Iterator[tuple[DocMeta, str, Any]]:
    """(metadata, clean text, removed boilerplate) of the given documents."""
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.query(f"SELECT {DOC_COLUMNS}, clean_text, removed FROM documents "
                             f"WHERE id IN ({marks})", chunk):
            data = dict(r)
            text, removed = data.pop("clean_text") or "", data.pop("removed")
            yield DocMeta(**data), text, _json(removed, [])


def story_batches(store: Store, max_docs: int = 2000) -> Iterator[list[str]]:
    """Document ids grouped by top-level story, several small stories per batch (a story
    is never cut); documents in no story come last, in batches of their own."""
    rows = store.query("SELECT sd.story_id, sd.doc_id FROM story_docs sd JOIN stories s "
                       "ON s.id = sd.story_id WHERE s.parent_id IS NULL ORDER BY sd.story_id")
    by_story: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_story[r["story_id"]].append(r["doc_id"])
    placed = {d for docs in by_story.values() for d in docs}
    batch: list[str] = []
    for docs in by_story.values():
        if batch and len(batch) + len(docs) > max_docs:
            yield batch
            batch = []
        batch += docs
    if batch:
        yield batch
    rest = [m.id for m in documents(store) if m.id not in placed]
    for i in range(0, len(rest), max_docs):
        yield rest[i:i + max_docs]


def text_of(store: Store, doc_id: str) -> str:
    return store.scalar("SELECT clean_text FROM documents WHERE id=?", (doc_id,)) or ""


def sentences(store: Store, doc_id: str, text: str | None = None) -> list[Unit]:
    """The stored sentences of a document, or a rough split of its text when none are."""
    rows = store.query("SELECT id, idx, start, \"end\", text FROM sentences WHERE doc_id=? "
                       "ORDER BY idx", (doc_id,))
    if rows:
        return [Unit(doc_id=doc_id, start=r["start"], end=r["end"], text=r["text"],
                     idx=r["idx"], item_id=r["id"]) for r in rows]
    text = text_of(store, doc_id) if text is None else text
    return [Unit(doc_id=doc_id, start=s, end=e, text=t, idx=i)
            for i, (s, e, t) in enumerate(split_sentences(text))]


def mentions_by_doc(store: Store,
                    doc_ids: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Actor mentions (start, end, text, actor_id, label) grouped by document."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    sql = "SELECT doc_id, start, \"end\", text, actor_id, label FROM mentions"
    for r in _chunked(store, sql, doc_ids):
        out[r["doc_id"]].append(dict(r))
    return out


def rows_by_doc(store: Store, table: str, columns: str,
                doc_ids: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _chunked(store, f"SELECT doc_id, {columns} FROM {table}", doc_ids):
        out[r["doc_id"]].append(dict(r))
    return out


def _chunked(store: Store, sql: str, doc_ids: list[str] | None) -> Iterator[Any]:
    if doc_ids is None:
        yield from store.conn.execute(sql)
        return
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        yield from store.conn.execute(f"{sql} WHERE doc_id IN ({marks})", chunk)


def actor_names(store: Store) -> dict[str, str]:
    """Actor id → canonical name."""
    return {r["id"]: r["name"] for r in store.query("SELECT id, name FROM actors")}


def _json(value: Any, default: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return default if value is None else value


def json_list(value: Any) -> list[Any]:
    """A JSON list column as a list (a bare string becomes a one-item list)."""
    data = _json(value, [])
    if isinstance(data, str):
        return [data] if data else []
    return [x for x in data if x] if isinstance(data, (list, tuple)) else []


def replace_table(store: Store, table: str, rows: list[dict[str, Any]],
                  where: str = "", params: tuple[Any, ...] = ()) -> None:
    """Delete ``table`` rows (matching ``where``) and insert ``rows``, in one transaction."""
    with store.transaction():
        store.conn.execute(f"DELETE FROM {table}" + (f" WHERE {where}" if where else ""), params)
        store.insert_rows(table, rows)
