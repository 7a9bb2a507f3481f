"""Core commands: ingest, documents, show, export, rerun, config, db."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import time
import zlib
from pathlib import Path

import click

from .. import flow
from ..errors import ConfigError, CorruptStore, NotFound, StoreError
from ..ingest.types import RawInput
from ..settings import describe
from ..store import export as exports
from ..store.db import SQLITE_MAGIC, open_store
from ..store.documents import document_rows, load_document
from .common import RichProgress, db_option, emit_json, json_option, print_table, settings_from


def register(cli: click.Group) -> None:
    for command in (ingest, documents, show, export, rerun, config, db):
        cli.add_command(command)


def engine_runner(engine: str, workers: int, address: str | None):
    """The document-stage runner for ``--engine``/``--workers`` (None = in-process)."""
    if engine == "local" and workers <= 1:
        return None
    from ..scale import engines

    return engines.runner(engine=engine, workers=workers, address=address or "")


@click.command()
@click.argument("items", nargs=-1, required=True)
@db_option
@json_option
@click.option("--allow-private", is_flag=True, help="Allow fetching private/loopback URLs.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where document stages run.")
@click.option("--workers", type=int, default=1, show_default=True,
              help="Worker processes for the local engine.")
@click.option("--address", default=None, help="Ray cluster address (with --engine ray).")
@click.option("--no-corpus", is_flag=True, help="Skip the cross-document stages.")
def ingest(items, db, as_json, allow_private, engine, workers, address, no_corpus):
    """Ingest files, folders, .gz, feeds or URLs into the store and run every stage.

    Re-ingesting the same content is a no-op; changed content becomes a new version.
    """
    settings = settings_from(db, **{"ingest.allow_private": allow_private or None})
    runner = engine_runner(engine, workers, address)
    with open_store(settings.store.path, busy_timeout_ms=settings.store.busy_timeout_ms) as store:
        report = flow.ingest(items, store, settings, RichProgress(not as_json),
                             corpus=not no_corpus, map_documents=runner)
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped "
               f"-> {settings.store.path}")
    for skip in report.skipped:
        click.echo(f"skipped {skip.source}: {skip.reason}", err=True)
    for failure in report.stage_failures:
        click.echo(f"stage {failure.stage} failed on {failure.source}: {failure.reason}", err=True)


@click.command()
@db_option
@json_option
@click.option("--kind", default=None, help="Only documents of this kind.")
def documents(db, as_json, kind):
    """List stored documents."""
    settings = settings_from(db)
    with open_store(settings.store.path, readonly=True) as store:
        rows = [r for r in document_rows(store) if kind is None or r["kind"] == kind]
    if as_json:
        emit_json(rows)
    else:
        print_table(rows, ["id", "kind", "published", "outlet", "title", "chars"],
                    title=f"{len(rows)} documents")


@click.command()
@click.argument("doc_id")
@db_option
@json_option
@click.option("--text/--no-text", default=True, help="Print the clean text.")
def show(doc_id, db, as_json, text):
    """Show one document: what it is, and its clean text."""
    settings = settings_from(db)
    with open_store(settings.store.path, readonly=True) as store:
        doc = load_document(store, doc_id)
        if doc is None:
            matches = store.query("SELECT id FROM documents WHERE id LIKE ?", (doc_id + "%",))
            if len(matches) == 1:
                doc = load_document(store, matches[0]["id"])
        if doc is None:
            raise NotFound(f"no document {doc_id!r}", hint="see `storyline documents`")
        counts = {t: store.scalar(f"SELECT COUNT(*) FROM {t} WHERE doc_id=?", (doc.id,))
                  for t in ("comments", "sentences", "mentions", "quotes", "timexes", "places",
                            "events", "citations")}
    data = dataclasses.asdict(doc)
    data.pop("offsets", None)
    data["counts"] = counts
    if as_json:
        if not text:
            data.pop("clean_text")
        emit_json(data)
        return
    for key in ("id", "version", "title", "kind", "published", "outlet", "authors",
                "original_outlet", "carrier", "syndicated_from", "language", "source"):
        if data.get(key):
            click.echo(f"{key:>16}: {data[key]}")
    click.echo(f"{'found':>16}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v))
    click.echo(f"{'boilerplate':>16}: {len(doc.removed)} line(s) removed")
    if text:
        click.echo("")
        click.echo(doc.clean_text)


@click.command()
@click.argument("view", type=click.Choice([*sorted(exports.VIEWS), "all"]))
@db_option
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="jsonl",
              show_default=True, help="plover/acled: event forms; parquet needs -o.")
@click.option("-o", "--output", default=None, help="Output file (default stdout); a folder "
              "with --format parquet and view 'all'.")
def export(view, db, fmt, output):
    """Export a view of the store (documents, comments, entities, events, …).

    ``all --format parquet -o DIR`` writes every table as one Parquet file.
    """
    settings = settings_from(db)
    if view == "all":
        if fmt != "parquet" or not output:
            raise ConfigError("export all needs --format parquet -o DIR")
        with open_store(settings.store.path, readonly=True) as store:
            counts = exports.export_all_parquet(store, Path(output))
        click.echo(f"{len(counts)} tables, {sum(counts.values())} rows -> {output}", err=True)
        return
    with open_store(settings.store.path, readonly=True) as store:
        count = exports.export(store, view, fmt, output)
    if output:
        click.echo(f"{count} rows -> {output}", err=True)


@click.command()
@db_option
@json_option
@click.option("--doc", "doc_ids", multiple=True, help="Only these documents (default all).")
def rerun(db, as_json, doc_ids):
    """Run every stage again from the stored raw inputs (after an upgrade or new KB)."""
    settings = settings_from(db)
    with open_store(settings.store.path) as store:
        where = f"WHERE d.id IN ({','.join('?' * len(doc_ids))})" if doc_ids else ""
        rows = store.query(
            "SELECT d.id, d.source_key, d.source, d.format, d.meta, r.compressed, r.content_type "
            f"FROM documents d JOIN raw_inputs r ON r.sha256 = d.raw_sha256 {where}", doc_ids)
        raws = [_raw_from_row(r) for r in rows]
        report = flow.ingest(raws, store, settings, RichProgress(not as_json), force=True)
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(f"{len(report.updated) + len(report.added)} document(s) re-read")


def _raw_from_row(row) -> RawInput:
    import json

    meta = json.loads(row["meta"]) if row["meta"] else {}
    return RawInput(source_key=row["source_key"], source=row["source"] or "",
                    data=zlib.decompress(row["compressed"]), format=row["format"] or "",
                    content_type=row["content_type"] or "", hints=meta.get("hints", {}))


@click.command()
@json_option
@db_option
def config(as_json, db):
    """Print every setting with its value and documentation."""
    rows = describe(settings_from(db))
    if as_json:
        emit_json(rows)
    else:
        print_table(rows, ["key", "value", "doc"], title="settings (STORYLINE_<SECTION>_<OPTION>)")


@click.group()
def db():
    """Check, describe or recover the store."""


@db.command("check")
@db_option
@json_option
def db_check(db, as_json):
    """Integrity check of the store; non-zero exit when a problem is found."""
    settings = settings_from(db)
    with open_store(settings.store.path, readonly=True) as store:
        problems = store.integrity_check()
        counts = {t: store.scalar(f"SELECT COUNT(*) FROM {t}") for t in
                  ("documents", "raw_inputs", "skips", "events", "quotes", "places")}
    if as_json:
        emit_json({"ok": not problems, "problems": problems, "counts": counts})
    else:
        click.echo("ok" if not problems else "\n".join(problems))
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()))
    if problems:
        raise CorruptStore(f"{len(problems)} problem(s) in {settings.store.path}",
                           hint=f"recover with: storyline db recover --db {settings.store.path}")


@db.command("recover")
@db_option
def db_recover(db):
    """Rebuild a damaged store: keep a backup, copy every readable row into a new file."""
    settings = settings_from(db)
    path = Path(settings.store.path)
    if not path.exists():
        raise StoreError(f"no store at {path}")
    backup = path.with_name(f"{path.name}.broken-{int(time.time())}")
    shutil.copy2(path, backup)
    with path.open("rb") as fh:
        is_sqlite = fh.read(16) == SQLITE_MAGIC
    recovered = 0
    fresh = path.with_name(path.name + ".recovering")
    fresh.unlink(missing_ok=True)
    with open_store(fresh) as new:
        if is_sqlite:
            recovered = _copy_readable(backup, new)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    fresh.replace(path)
    click.echo(f"backup: {backup}\nrecovered {recovered} row(s) into {path}"
               + ("" if is_sqlite else " (the old file was not a database; started empty)"))


def _copy_readable(source: Path, new) -> int:
    from ..store import schema

    try:
        old = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    copied = 0
    for table in schema.TABLES:
        if table == "meta":
            continue
        try:
            cursor = old.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            keep = [n for n in names if n in set(new.columns(table))]
            for row in cursor:
                data = dict(zip(names, row))
                try:
                    new.insert_rows(table, [{k: data[k] for k in keep}])
                    copied += 1
                except sqlite3.Error:
                    continue
        except sqlite3.Error:
            continue
    old.close()
    return copied


@db.command("info")
@db_option
@json_option
def db_info(db, as_json):
    """Schema version and row counts of every table."""
    from ..store import schema

    settings = settings_from(db)
    with open_store(settings.store.path, readonly=True) as store:
        counts = {t: store.scalar(f"SELECT COUNT(*) FROM {t}") for t in schema.TABLES}
        version = store.meta("schema_version")
    if as_json:
        emit_json({"path": settings.store.path, "schema_version": version, "counts": counts})
    else:
        click.echo(f"{settings.store.path}: schema {version}")
        for table, n in counts.items():
            click.echo(f"  {table:<24}{n}")
