"""Build N-document corpora for scale tests from real text available here.

Base articles come from the demo corpus and the public sets in ``../shared/eval`` (PolNeAR
articles, FNC-1 bodies, GeoWebNews and TR-News articles, ECB+ documents).  On top of them
the generator adds what makes fusion work for real: exact reposts wrapped in a pirate
channel's boilerplate, syndicated copies with a syndication notice, partial copies that
splice two reports, and light rewrites.  Output is JSONL shards (one record per line),
read back by ``storyline ingest`` as any JSONL feed.
"""

from __future__ import annotations

import csv
import json
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import EvalDataError

OUTLETS = ("Wire Service", "Daily Ledger", "Evening Courier", "Global Monitor", "Capital Times",
           "Harbor Gazette", "Frontier Post", "Metro Observer")
PIRATE_HEAD = "{outlet} - {title}\n\nthe free press channel\n\nhttps://t.me/free_press_channel\n\n"
PIRATE_TAIL = "\n\nRead more paid articles free: https://t.me/free_press_channel\n\nReport Page"
SYNDICATION = ("\n\nContent created by {outlet} is available without charge to any eligible "
               "news publisher that can provide a large audience.")


def _polnear(root: Path) -> Iterator[dict[str, Any]]:
    meta: dict[str, dict[str, str]] = {}
    tsv = root / "metadata.tsv"
    if tsv.is_file():
        with tsv.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                meta[row["filename"]] = row
    for path in sorted(root.glob("*/text/*.txt")):
        m = meta.get(path.stem, {})
        yield {"title": m.get("title") or path.stem, "text": path.read_text(encoding="utf-8"),
               "published": m.get("publication_date"), "outlet": m.get("publisher")}


def _fnc(root: Path) -> Iterator[dict[str, Any]]:
    bodies = root / "bodies.csv"
    if not bodies.is_file():
        return
    csv.field_size_limit(10_000_000)
    with bodies.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = row.get("articleBody", "")
            if len(text) > 400:
                yield {"title": text.split(".")[0][:90], "text": text}


def _geo(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    for article in ET.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        if len(text) > 300:
            yield {"title": article.findtext("title") or text[:80], "text": text}


def _ecb(root: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(root.glob("*/*.xml")):
        tokens = [t.text or "" for t in ET.parse(path).getroot().iter("token")]
        text = re.sub(r" ([,.;:!?')])", r"\1", " ".join(tokens))
        if len(text) > 300:
            yield {"title": " ".join(tokens[:12]), "text": text}


def base_articles(shared: Path, demo: Path | None = None) -> list[dict[str, Any]]:
    """Every real article available to build corpora from."""
    eval_root = shared / "eval"
    articles: list[dict[str, Any]] = []
    if demo and demo.is_dir():
        for path in sorted(demo.glob("*.txt")):
            articles.append({"title": path.stem, "text": path.read_text(encoding="utf-8")})
    articles += _polnear(eval_root / "polnear")
    articles += _fnc(eval_root / "stance")
    articles += _geo(eval_root / "geoparsing" / "GWN.xml")
    articles += _geo(eval_root / "geoparsing" / "TR-News.xml")
    articles += _ecb(eval_root / "ecbplus")
    if not articles:
        raise EvalDataError(f"no source text found under {eval_root}")
    return articles


def _date(rng: random.Random) -> str:
    return f"2017-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _variant(base: dict[str, Any], other: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A derivative of ``base``: repost, syndicated copy, partial copy or light rewrite."""
    outlet = base.get("outlet") or rng.choice(OUTLETS)
    roll = rng.random()
    text = base["text"]
    if roll < 0.35:
        text = PIRATE_HEAD.format(outlet=outlet, title=base["title"]) + text + PIRATE_TAIL
    elif roll < 0.6:
        text = text + SYNDICATION.format(outlet=outlet)
    elif roll < 0.8:
        paras = text.split("\n")
        half = max(1, len(paras) // 2)
        text = "\n".join(paras[:half] + other["text"].split("\n")[: half])
    else:
        sentences = re.split(r"(?<=[.!?])\s+", text)
        rng.shuffle(sentences)
        text = " ".join(sentences)
    return {"title": base["title"], "text": text, "outlet": rng.choice(OUTLETS)}


def generate(n: int, out_dir: Path, shared: Path, demo: Path | None = None, seed: int = 7,
             shard_size: int = 10_000, copy_share: float = 0.3,
             shard_bytes: int = 16_000_000) -> list[Path]:
    """Write ``n`` documents as JSONL shards into ``out_dir``; returns the shard paths.

    A shard holds at most ``shard_size`` documents and ``shard_bytes`` bytes, so each stays
    well under ``ingest.max_bytes`` and is read with bounded memory.
    """
    rng = random.Random(seed)
    articles = base_articles(shared, demo)
    out_dir.mkdir(parents=True, exist_ok=True)
    shards: list[Path] = []
    handle = None
    in_shard = size = 0
    for i in range(n):
        line = json.dumps(_record(i, articles, rng, copy_share), ensure_ascii=False) + "\n"
        if handle is None or in_shard >= shard_size or size + len(line) > shard_bytes:
            if handle:
                handle.close()
            shards.append(out_dir / f"corpus-{len(shards):05d}.jsonl")
            handle = shards[-1].open("w", encoding="utf-8")
            in_shard = size = 0
        handle.write(line)
        in_shard += 1
        size += len(line.encode("utf-8"))
    if handle:
        handle.close()
    return shards


def _record(i: int, articles: list[dict[str, Any]], rng: random.Random,
            copy_share: float) -> dict[str, Any]:
    base = articles[rng.randrange(len(articles))]
    if rng.random() < copy_share:
        record = _variant(base, articles[rng.randrange(len(articles))], rng)
    else:
        record = {"title": base["title"], "text": base["text"],
                  "outlet": base.get("outlet") or rng.choice(OUTLETS)}
    record.update(id=f"g{i:08d}", published=base.get("published") or _date(rng),
                  url=f"https://example.org/{i:08d}")
    return record
