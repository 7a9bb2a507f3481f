"""Exports of stored tables as JSON lines, CSV or Parquet.

``storyline export NAME`` names a user-facing view of the store (``entities`` are the
``actors`` table, ``dates`` the ``timexes``); a stage may register extra *forms* of a
view (e.g. events as PLOVER JSON or ACLED-style CSV) in :data:`FORMS`.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..errors import ConfigError
from .db import Store

#: export name -> (table, order by, columns to leave out)
VIEWS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "documents": ("documents", "published, id", ("offsets",)),
    "comments": ("comments", "doc_id, idx", ()),
    "sentences": ("sentences", "doc_id, idx", ()),
    "entities": ("actors", "name", ()),
    "actors": ("actors", "name", ()),
    "mentions": ("mentions", "doc_id, start", ()),
    "quotes": ("quotes", "doc_id, start", ()),
    "dates": ("timexes", "doc_id, start", ()),
    "places": ("places", "doc_id, start", ()),
    "zones": ("zones", "id", ()),
    "events": ("events", "date_start, doc_id, start", ()),
    "stories": ("stories", "id", ()),
    "story_docs": ("story_docs", "story_id, doc_id", ()),
    "copies": ("copies", "doc_id, other_doc_id", ()),
    "citations": ("citations", "doc_id, start", ()),
    "provenance": ("provenance", "doc_id, relation", ()),
    "event_clusters": ("event_clusters", "date_start, id", ()),
    "claims": ("claims", "id", ()),
    "claim_sources": ("claim_sources", "claim_id, doc_id", ()),
    "contradictions": ("contradictions", "id", ()),
    "comment_opinions": ("comment_opinions", "doc_id, comment_id", ()),
    "narratives": ("narratives", "doc_id, share DESC", ()),
    "skips": ("skips", "id", ()),
}

#: (view, form) -> "module:function" turning one row dict into the output dict
FORMS: dict[tuple[str, str], str] = {
    ("events", "plover"): "storyline.events.export:to_plover",
    ("events", "acled"): "storyline.events.export:to_acled",
}

FORMATS = ("jsonl", "json", "csv", "parquet", "plover", "acled")

_JSON_COLUMNS = {"authors", "removed", "meta", "aliases", "zones", "source_ids", "target_ids",
                 "source_countries", "target_countries", "keywords", "passages", "examples",
                 "stance", "source_sectors", "target_sectors"}


def rows(store: Store, view: str) -> Iterator[dict[str, Any]]:
    """Rows of an export view with JSON columns decoded."""
    if view not in VIEWS:
        raise ConfigError(f"unknown export {view!r}", hint="choose from " + ", ".join(VIEWS))
    table, order, drop = VIEWS[view]
    for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
        out = {}
        for key in row.keys():
            if key in drop:
                continue
            value = row[key]
            if key in _JSON_COLUMNS and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            if isinstance(value, bytes):
                continue
            out[key] = value
        yield out


def _form(view: str, fmt: str) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    target = FORMS.get((view, fmt))
    if target is None:
        if fmt in ("plover", "acled"):
            raise ConfigError(f"format {fmt} exists only for events")
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def export(store: Store, view: str, fmt: str, out: str | Path | None) -> int:
    """Write ``view`` in ``fmt`` to the file ``out`` (stdout when None); returns the row count."""
    if fmt == "parquet":
        if out is None:
            raise ConfigError("parquet needs an output file (-o FILE)")
        return _write_parquet(list(_data(store, view, fmt)), Path(out))
    if out is None:
        return write(store, view, fmt, sys.stdout)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        return write(store, view, fmt, handle)


def _data(store: Store, view: str, fmt: str) -> Iterator[dict[str, Any]]:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}", hint="choose from " + ", ".join(FORMATS))
    transform = _form(view, fmt)
    return (transform(r) for r in rows(store, view)) if transform else rows(store, view)


def write(store: Store, view: str, fmt: str, handle: TextIO) -> int:
    """Write ``view`` as text (jsonl, json, csv, plover, acled) to an open handle."""
    data = _data(store, view, fmt)
    if fmt == "parquet":
        raise ConfigError("parquet is binary: write it to a file")
    if fmt in ("csv", "acled"):
        return _write_csv(data, handle)
    if fmt == "json":
        items = list(data)
        json.dump(items, handle, ensure_ascii=False, indent=1, default=str)
        handle.write("\n")
        return len(items)
    count = 0
    for item in data:
        handle.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _write_csv(data: Any, handle: TextIO) -> int:
    writer: csv.DictWriter[str] | None = None
    count = 0
    for item in data:
        if writer is None:
            writer = csv.DictWriter(handle, fieldnames=list(item), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: _cell(v) for k, v in item.items()})
        count += 1
    return count


def _write_parquet(items: list[dict[str, Any]], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    flat = [{k: _cell(v) for k, v in item.items()} for item in items]
    table = pa.Table.from_pylist(flat) if flat else pa.table({})
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out)
    return len(items)


def export_all_parquet(store: Store, out_dir: Path) -> dict[str, int]:
    """Every view as one Parquet file per table, for DuckDB/pandas/Spark users."""
    counts = {}
    seen_tables = set()
    for view, (table, _, _) in VIEWS.items():
        if table in seen_tables:
            continue
        seen_tables.add(table)
        counts[view] = export(store, view, "parquet", out_dir / f"{view}.parquet")
    return counts


def to_text(store: Store, view: str, fmt: str) -> str:
    """The export as a string (used by the web API and tests)."""
    buf = io.StringIO()
    write(store, view, fmt, buf)
    return buf.getvalue()
