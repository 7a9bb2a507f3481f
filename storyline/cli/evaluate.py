"""``storyline eval NAME``: accuracy against gold data, with pinned floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .. import eval as evals
from ..errors import StorylineError
from .common import RichProgress, db_option, emit_json, json_option, print_table, settings_from

FLOORS = Path(__file__).resolve().parent.parent / "eval" / "floors.json"
README_START = "<!-- eval:start -->"
README_END = "<!-- eval:end -->"


class BelowFloor(StorylineError):
    """An evaluation figure dropped below its pinned floor."""


def register(cli: click.Group) -> None:
    cli.add_command(eval_cmd)


def run_one(name: str, data: str | None, limit: int | None, db: str | None,
            progress: Any) -> dict[str, Any]:
    module = evals.module(name)
    settings = settings_from(None)
    path = Path(data or module.DEFAULT_DATA)
    kwargs = {"db": db} if name == "seeds" and db else {}
    result = module.evaluate(path, settings, progress, limit, **kwargs)
    result["name"], result["data"] = name, str(path)
    return result


def floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text()) if FLOORS.is_file() else {}


def check_floors(result: dict[str, Any]) -> list[str]:
    """Messages for every metric of ``result`` below its pinned floor."""
    low = []
    for key, floor in floors().items():
        name, _, metric = key.partition(".")
        if name != result["name"]:
            continue
        value = result["metrics"].get(metric)
        if value is None or value < floor:
            low.append(f"{key} = {value} is below its floor {floor}")
    return low


@click.command("eval")
@click.argument("name", type=click.Choice([*evals.EVALS, "all"]))
@click.option("--data", "--gold", "data", default=None, help="Gold data (default: ../shared/…).")
@click.option("--limit", type=int, default=None, help="Evaluate only the first N items.")
@click.option("--check-floors", is_flag=True, help="Exit non-zero if a figure is below its floor.")
@click.option("--write-readme", is_flag=True, help="With 'all': rewrite the README's table.")
@db_option
@json_option
def eval_cmd(name, data, limit, check_floors, write_readme, db, as_json):
    """Score Storyline against gold data (seeds, polnear, actors, geoparsing, plover, …)."""
    runs = list(evals.README_RUNS) if name == "all" else [(name, data)]
    progress = RichProgress(not as_json)
    results = []
    for each, each_data in runs:
        try:
            results.append(run_one(each, each_data, limit, db, progress))
        except StorylineError as exc:
            if name != "all":
                raise
            click.echo(f"eval {each}: {exc}", err=True)
    if as_json:
        emit_json(results if name == "all" else results[0])
    else:
        for result in results:
            rows = [{"metric": k, "value": v, "reference": result["reference"].get(k, "")}
                    for k, v in result["metrics"].items()]
            print_table(rows, ["metric", "value", "reference"],
                        title=f"{result['name']} ({result['data']})")
    if write_readme:
        write_readme_table(results)
    low = [msg for r in results for msg in check_floors(r)] if check_floors else []
    if low:
        raise BelowFloor("; ".join(low))


def readme_table(results: list[dict[str, Any]]) -> str:
    """Headline figures: every metric that has a pinned floor or a reference point."""
    pinned = floors()
    lines = ["| evaluation (data) | metric | Storyline | floor (CI) | reference point |",
             "|---|---|---|---|---|"]
    for result in results:
        label = f"{result['name']} ({Path(result['data']).name})"
        for metric, value in result["metrics"].items():
            floor = pinned.get(f"{result['name']}.{metric}", "")
            ref = result["reference"].get(metric, "")
            if floor == "" and not ref:
                continue
            lines.append(f"| {label} | {metric} | {value} | {floor} | {ref} |")
    return "\n".join(lines)


def write_readme_table(results: list[dict[str, Any]], readme: Path | None = None) -> None:
    readme = readme or Path("README.md")
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise StorylineError(f"{readme} has no {README_START} … {README_END} markers")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    body = readme_table(results) + _confusion_block(results)
    readme.write_text(f"{head}{README_START}\n{body}\n{README_END}{tail}", encoding="utf-8")


def _confusion_block(results: list[dict[str, Any]]) -> str:
    """The PLOVER confusion matrix (issue 5 asks for it in the README), when plover ran."""
    for result in results:
        matrix = result.get("details", {}).get("confusion_markdown") \
            if result["name"] == "plover" else None
        if matrix:
            return ("\n\nPLOVER event types on the dev records (rows: gold type, columns: "
                    "predicted; cross-validated by record, see `storyline/eval/plover.py`):\n\n"
                    + matrix)
    return ""
