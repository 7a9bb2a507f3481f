"""``storyline corpus generate``: N-document corpora from real text, for scale tests."""

from __future__ import annotations

from pathlib import Path

import click

from .common import emit_json, json_option


def register(cli: click.Group) -> None:
    cli.add_command(corpus)


@click.group()
def corpus():
    """Build corpora for scale tests and benchmarks."""


@corpus.command("generate")
@click.argument("n", type=click.IntRange(1, 10_000_000))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder for the JSONL shards.")
@click.option("--shared", default="../shared", show_default=True, type=click.Path(),
              help="Folder holding eval/ (public data sets used as text).")
@click.option("--demo", default="examples/demo", show_default=True, type=click.Path(),
              help="Demo corpus folder mixed into the base articles.")
@click.option("--seed", default=7, show_default=True, help="Random seed.")
@click.option("--copy-share", default=0.3, show_default=True,
              help="Share of documents that are reposts, syndicated or partial copies.")
@json_option
def corpus_generate(n, output, shared, demo, seed, copy_share, as_json):
    """Write N documents (JSONL shards) built from real text with realistic copying."""
    from ..scale.corpus import generate

    shards = generate(n, Path(output), Path(shared), Path(demo), seed=seed, copy_share=copy_share)
    if as_json:
        emit_json({"documents": n, "shards": [str(s) for s in shards]})
    else:
        click.echo(f"{n} documents in {len(shards)} shard(s) -> {output}")
