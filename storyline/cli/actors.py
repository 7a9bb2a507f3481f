"""``storyline actors list|show`` and ``storyline kb check|lookup|stats``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from ..errors import ConfigError, NotFound
from ..store.db import open_store
from .common import db_option, emit_json, json_option, print_table, settings_from


def register(cli: click.Group) -> None:
    cli.add_command(actors)
    cli.add_command(kb)


@click.group()
def actors() -> None:
    """Actors found in the store (people, organisations, governments, groups)."""


@actors.command("list")
@db_option
@json_option
@click.option("--type", "kind", default=None, help="Only PERSON, ORG, GPE or GROUP actors.")
@click.option("--country", default=None, help="Only actors of this country (ISO3, e.g. RUS).")
@click.option("--sector", default=None, help="Only actors of this sector (government, rebel …).")
@click.option("--limit", type=int, default=50, show_default=True, help="How many actors to list.")
def list_actors(db, as_json, kind, country, sector, limit):
    """List actors, most mentioned first."""
    settings = settings_from(db)
    where, params = [], []
    for column, value in (("type", kind), ("country", country), ("sector", sector)):
        if value:
            where.append(f"{column}=?")
            params.append(value.upper() if column != "sector" else value)
    sql = "SELECT id, name, type, country, sector, role, n_mentions, n_docs FROM actors"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY n_mentions DESC, name LIMIT ?"
    with open_store(settings.store.path, readonly=True) as store:
        rows = [dict(r) for r in store.query(sql, [*params, limit])]
    if as_json:
        emit_json(rows)
        return
    print_table(
        rows,
        ["name", "type", "country", "sector", "role", "n_mentions", "n_docs", "id"],
        title=f"{len(rows)} actors",
    )


@actors.command("show")
@click.argument("actor")
@db_option
@json_option
@click.option(
    "--mentions",
    "n_mentions",
    type=int,
    default=20,
    show_default=True,
    help="How many mentions to show.",
)
def show_actor(actor, db, as_json, n_mentions):
    """Show one actor (by id or name) with where it is mentioned."""
    settings = settings_from(db)
    with open_store(settings.store.path, readonly=True) as store:
        row = store.one("SELECT * FROM actors WHERE id=?", (actor,)) or store.one(
            "SELECT * FROM actors WHERE name=? COLLATE NOCASE ORDER BY n_mentions DESC", (actor,)
        )
        if row is None:
            raise NotFound(f"no actor {actor!r} in the store", hint="see `storyline actors list`")
        from ..actors.types import Actor

        record = Actor.from_row(row)
        mentions = store.query(
            'SELECT m.doc_id, m.start, m."end", m.text, m.kind, m.role, d.title, '
            'substr(d.clean_text, max(1, m.start - 60), m."end" - m.start + 120) AS context '
            "FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE m.actor_id=? "
            "ORDER BY m.doc_id, m.start LIMIT ?",
            (record.id, n_mentions),
        )
    data: dict[str, Any] = {
        **record.to_row(),
        "aliases": record.aliases,
        "meta": record.meta,
        "mentions": [dict(m) for m in mentions],
    }
    if as_json:
        emit_json(data)
        return
    click.echo(f"{record.name}  [{record.id}]")
    for label, value in (
        ("type", record.type),
        ("country", record.country),
        ("sector", record.sector),
        ("role", record.role),
        ("mentions", f"{record.n_mentions} in {record.n_docs} document(s)"),
        ("aliases", ", ".join(record.aliases[:15])),
    ):
        if value:
            click.echo(f"  {label:9} {value}")
    for m in data["mentions"]:
        context = " ".join((m["context"] or "").split())
        click.echo(f"  - {m['doc_id']} @{m['start']}: {context}")


@click.group()
def kb() -> None:
    """The actor knowledge base: check a user file, look names up."""


@kb.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
@json_option
def kb_check(path, as_json):
    """Validate a user actor file (a JSON list of entries) before using it as actors.user_kb."""
    from ..actors.kb import check_file

    summary = check_file(path)
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"{summary['file']}: {summary['entries']} entries ({summary['people']} people, "
        f"{summary['terms']} terms of office) — ok"
    )


@kb.command("stats")
@json_option
def kb_stats(as_json):
    """Size of the knowledge base (with the user file, if one is set)."""
    from ..actors.kb import load_kb

    stats = load_kb(settings_from(None).actors.user_kb).stats()
    if as_json:
        emit_json(stats)
        return
    click.echo(", ".join(f"{v} {k}" for k, v in stats.items()))


@kb.command("lookup")
@click.argument("text")
@click.option("--date", "when", default=None, help="Resolve offices as of this date (YYYY-MM-DD).")
@json_option
def kb_lookup(text, when, as_json):
    """Code an actor string: "the Russian president", "Pentagon spokesman", "Syrian rebels"."""
    from ..actors.codes import code_actor
    from ..actors.kb import load_kb
    from ..nlp.pipeline import load_nlp

    try:
        date = dt.date.fromisoformat(when) if when else None
    except ValueError:
        raise ConfigError(f"--date {when!r} is not a date (use YYYY-MM-DD)") from None
    settings = settings_from(None)
    code = code_actor(text, load_kb(settings.actors.user_kb), load_nlp(settings.nlp.model), date)
    if as_json:
        emit_json(code)
        return
    if code is None:
        click.echo(f"{text!r}: no actor")
        return
    click.echo(", ".join(f"{k}={v}" for k, v in code.items() if v))
