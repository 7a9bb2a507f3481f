"""``storyline brief`` (write the briefing) and ``storyline serve`` (web app and JSON API)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import flow
from ..errors import StoreError
from ..store.db import open_store
from .common import RichProgress, db_option, emit_json, json_option, settings_from


def register(cli: click.Group) -> None:
    cli.add_command(brief)
    cli.add_command(serve)


@click.command()
@click.argument("items", nargs=-1)
@click.option("-o", "--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False), help="Folder receiving brief.html/.md/.json.")
@db_option
@json_option
@click.option("--since", metavar="DATE", help="Only events and documents from this date on.")
@click.option("--until", metavar="DATE", help="Only events and documents up to this date.")
@click.option("--actor", metavar="ACTOR", help="Only what involves this actor (id, name, code).")
@click.option("--zone", metavar="ZONE", help="Only events inside this zone (id or name).")
@click.option("--story", metavar="ID", help="Only this story (see `storyline stories`).")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["html", "md", "json", "pdf"], case_sensitive=False),
              help="Output format; repeat for several (default: html, md and json).")
@click.option("--title", help="Title of the briefing (default: from the main story).")
@click.option("--allow-private", is_flag=True, help="Allow fetching private/loopback URLs.")
def brief(items, out_dir, db, as_json, since, until, actor, zone, story, formats, title,
          allow_private):
    """Ingest ITEMS (if any) and write a sourced briefing into DIR.

    Without ITEMS, briefs what the store (--db) already holds.  Without --db, ITEMS are
    read into DIR/storyline.db so that a second run only reads what changed.
    """
    if db is None and items:
        db = str(Path(out_dir) / "storyline.db")
    settings = settings_from(db, **{"ingest.allow_private": allow_private or None})
    if not items and not Path(settings.store.path).exists():
        raise StoreError(f"no store at {settings.store.path}",
                         hint="give documents to read, or --db FILE of an existing store")
    options = {"formats": tuple(f.lower() for f in formats) or ("html", "md", "json"),
               "since": since, "until": until, "actor": actor, "zone": zone, "story": story,
               "title": title}
    with open_store(settings.store.path, readonly=not items,
                    busy_timeout_ms=settings.store.busy_timeout_ms) as store:
        result = flow.brief(items, out_dir, store, settings, RichProgress(not as_json), **options)
    if as_json:
        emit_json(result)
        return
    report = result.get("ingest")
    if report:
        click.echo(f"{len(report['added'])} added, {len(report['updated'])} updated, "
                   f"{len(report['unchanged'])} unchanged, {len(report['skipped'])} skipped "
                   f"-> {settings.store.path}", err=True)
    for fmt, path in result["outputs"].items():
        click.echo(f"{fmt}: {path}")


@click.command()
@db_option
@click.option("--host", default=None,
              help="Address to bind (default 127.0.0.1: this machine only).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--token", default=None, envvar="STORYLINE_WEB_TOKEN",
              help="Token for write actions (ingest); generated and printed when not given.")
def serve(db, host, port, token):
    """Serve the web app and the JSON API (/api/v1, documented at /api/docs)."""
    import secrets

    import uvicorn

    from ..web.app import create_app

    settings = settings_from(db, **{"web.host": host, "web.port": port})
    token = token or settings.web.token or secrets.token_urlsafe(24)
    app = create_app(settings.store.path, settings, token)
    shown = settings.web.host if ":" not in settings.web.host else f"[{settings.web.host}]"
    url = f"http://{shown}:{settings.web.port}"
    click.echo(f"Storyline on {url}/  (store {settings.store.path})", err=True)
    click.echo(f"write token: {token}  — sign in once with {url}/login?token={token}", err=True)
    if settings.web.host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("warning: the app is reachable from other machines", err=True)
    uvicorn.run(app, host=settings.web.host, port=settings.web.port, log_level="warning",
                proxy_headers=False, server_header=False)
