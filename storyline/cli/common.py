"""Options and helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from ..flow import Progress
from ..settings import Settings, load

db_option = click.option("--db", "db", metavar="FILE", envvar="STORYLINE_DB",
                         help="Store file (default ./storyline.db, or $STORYLINE_DB).")
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def settings_from(db: str | None = None, **overrides: Any) -> Settings:
    """Settings from the environment, with the store path and other CLI overrides."""
    return load(**{"store.path": db, **overrides})


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def print_table(rows: Iterable[dict[str, Any]], columns: list[str],
                title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*["" if row.get(c) is None else str(row.get(c)) for c in columns])
    Console().print(table)


class RichProgress(Progress):
    """Progress bars on stderr (only when it is a terminal, or always with force)."""

    def __init__(self, enabled: bool = True) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar,
                                   SpinnerColumn, TextColumn, TimeElapsedColumn)

        self.console = Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self._bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=self.console,
                        transient=True, disable=not self.enabled)
        self._task: Any = None

    def start(self, label: str, total: int | None = None) -> None:
        if self._task is None:
            self._bar.start()
        else:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(label, total=total)

    def advance(self, n: int = 1, note: str = "") -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def log(self, message: str) -> None:
        if self.enabled:
            self.console.print(message, style="yellow", markup=False, highlight=False)
        else:
            click.echo(message, err=True)

    def done(self) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._task = None
            self._bar.stop()


def each(items: Iterable[Any], fn: Callable[[Any], Any]) -> list[Any]:
    return [fn(i) for i in items]
