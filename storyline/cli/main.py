"""The ``storyline`` command.

Each command group lives in its own module exposing ``register(cli)``; this module holds
the group, the shared options and the error handling: a :class:`StorylineError` becomes
``error: …`` on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import StorylineError

#: modules adding commands to the group, in help order
COMMAND_MODULES = (
    "storyline.cli.core",
    "storyline.cli.report",
    "storyline.cli.evaluate",
    "storyline.cli.geo",
    "storyline.cli.actors",
    "storyline.cli.scale",
    "storyline.cli.fuse",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="storyline")
def cli() -> None:
    """Storyline: make sense of everything written about a developing news story.

    Ingest a pile of documents, read actors, quotes, dates, places and events, fuse
    sources, and write a sourced briefing.  The store is one SQLite file (--db, or the
    STORYLINE_DB variable; default ./storyline.db).
    """


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(cli)


_register_all()


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="storyline", standalone_mode=False)
    except StorylineError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
