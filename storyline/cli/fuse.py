"""``storyline fuse …``: what is learnt across sources, and public reaction.

    storyline fuse run [--stage copies --stage claims …]   re-run the corpus stages
    storyline fuse stories                                   stories and sub-stories
    storyline fuse provenance [DOC_ID]                       who got it from whom
    storyline fuse claims [--corroborated]                   claims and their sources
    storyline fuse contradictions                            both sides, with sources
    storyline fuse narratives [DOC_ID]                       narratives of comment threads
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import NotFound
from .common import RichProgress, db_option, emit_json, json_option, print_table, settings_from

FUSE_STAGES = ("copies", "provenance", "stories", "event-clusters", "claims", "contradictions",
               "opinion")


def register(cli: click.Group) -> None:
    cli.add_command(fuse)


def _store(db: str | None, readonly: bool = True) -> Any:
    from ..store.db import open_store

    return open_store(settings_from(db).store.path, readonly=readonly)


def _rows(db: str | None, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with _store(db) as store:
        return [dict(r) for r in store.query(sql, params)]


@click.group()
def fuse() -> None:
    """Stories, copies, provenance, claims, contradictions and public reaction."""


@fuse.command("run")
@click.option("--stage", "stages", multiple=True, type=click.Choice(FUSE_STAGES),
              help="Run only these stages (default: all of them, in order).")
@db_option
@json_option
def run(stages: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Re-run the fuse and opinion corpus stages on the store."""
    from ..flow import run_corpus_stages

    settings = settings_from(db)
    with _store(db, readonly=False) as store:
        store.acquire_write_lock()
        summary = run_corpus_stages(store, settings, RichProgress(),
                                    names=list(stages or FUSE_STAGES))
    if as_json:
        emit_json(summary)
        return
    for name, result in summary.items():
        click.echo(f"{name}: {json.dumps(result, default=str)}")


@fuse.command("stories")
@db_option
@json_option
def stories(db: str | None, as_json: bool) -> None:
    """Stories and sub-stories with their labels and sizes."""
    rows = _rows(db, "SELECT id, parent_id, label, size, first_date, last_date FROM stories "
                     "ORDER BY size DESC, id")
    if as_json:
        emit_json(rows)
    else:
        print_table(rows, ["id", "parent_id", "size", "first_date", "last_date", "label"])


@fuse.command("provenance")
@click.argument("doc_id", required=False)
@db_option
@json_option
def provenance(doc_id: str | None, db: str | None, as_json: bool) -> None:
    """Provenance edges (document → source), for one document or all."""
    sql = "SELECT doc_id, relation, source, via, agent, evidence FROM provenance"
    rows = _rows(db, sql + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY doc_id, relation",
                 (doc_id,) if doc_id else ())
    if doc_id and not rows and not _rows(db, "SELECT id FROM documents WHERE id=?", (doc_id,)):
        raise NotFound(f"no document {doc_id}", hint="see `storyline documents`")
    if as_json:
        emit_json(rows)
    else:
        print_table(rows, ["doc_id", "relation", "source", "via", "agent", "evidence"])


@fuse.command("claims")
@click.option("--corroborated", is_flag=True, help="Only claims with two independent sources.")
@db_option
@json_option
def claims(corroborated: bool, db: str | None, as_json: bool) -> None:
    """Claims with their number of sources and of independent sources."""
    sql = "SELECT id, status, n_sources, n_independent, kind, text FROM claims"
    sql += " WHERE status='corroborated'" if corroborated else " WHERE n_sources > 1"
    rows = _rows(db, sql + " ORDER BY n_independent DESC, n_sources DESC, id")
    if as_json:
        for row in rows:
            row["sources"] = _rows(db, "SELECT doc_id, start, \"end\", outlet, upstream, text "
                                       "FROM claim_sources WHERE claim_id=?", (row["id"],))
        emit_json(rows)
    else:
        print_table(rows, ["id", "status", "n_sources", "n_independent", "kind", "text"])


@fuse.command("contradictions")
@db_option
@json_option
def contradictions(db: str | None, as_json: bool) -> None:
    """Conflicting statements, both sides with their sources."""
    rows = _rows(db, "SELECT id, kind, a_source, a_text, b_source, b_text, a_doc_id, b_doc_id "
                     "FROM contradictions ORDER BY id")
    if as_json:
        emit_json(rows)
    else:
        print_table(rows, ["id", "kind", "a_source", "a_text", "b_source", "b_text"])


@fuse.command("narratives")
@click.argument("doc_id", required=False)
@db_option
@json_option
def narratives(doc_id: str | None, db: str | None, as_json: bool) -> None:
    """Recurring narratives of comment threads, with their share of the thread."""
    sql = "SELECT id, doc_id, label, share, size, examples FROM narratives"
    rows = _rows(db, sql + (" WHERE doc_id=?" if doc_id else "") + " ORDER BY doc_id, share DESC",
                 (doc_id,) if doc_id else ())
    for row in rows:
        row["examples"] = json.loads(row["examples"] or "[]")
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        row["share"] = f"{100 * (row['share'] or 0):.0f}%"
        row["example"] = row["examples"][0]["text"] if row["examples"] else ""
    print_table(rows, ["id", "share", "size", "label"])
