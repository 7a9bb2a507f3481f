"""Train the event-type classifier: ``python -m storyline.events.train``.

Training sentences are Storyline's own examples (``data/examples.jsonl``, written for this
project, one per line with its PLOVER type) and, with ``--records PATH`` (the default when
``../shared/eval/plover/records.jsonl`` exists), the PLOVER gold standard records (CC BY-SA
4.0, Open Event Data Alliance).  Each sentence is read by the same stages as a document;
the features of its primary candidate (sentence embedding + event-phrase embedding) are
paired with its type.  Because the shipped model has seen the records,
``storyline eval plover`` reports a cross-validated figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from . import ontology
from .classify import MODEL_FILE, event_phrase, features, fit

DEFAULT_RECORDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "plover" \
    / "records.jsonl"


def labels() -> list[str]:
    return ontology.types()


def examples() -> list[dict[str, str]]:
    text = resources.files("storyline.events").joinpath("data/examples.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _depth(token: Any) -> int:
    d = 0
    while token.head != token and d < 50:
        token, d = token.head, d + 1
    return d


def primary_candidate(cands: list[Any]) -> Any | None:
    """The candidate highest in the parse, preferring ones with participants."""
    if not cands:
        return None
    return min(cands, key=lambda c: (not (c.sources or c.targets), _depth(c.head), c.nominal))


def candidate_features(cands_per_doc: list[list[Any]], docs: list[Any]) -> np.ndarray:
    sentences, phrases = [], []
    for cands, doc in zip(cands_per_doc, docs):
        cand = primary_candidate(cands)
        if cand is None:
            root = next(iter(doc.sents)).root if len(doc) else None
            sentences.append(doc.text)
            phrases.append(root.lemma_ if root is not None else doc.text)
        else:
            sentences.append(cand.sent.text)
            phrases.append(event_phrase(cand))
    return features(sentences, phrases)


def _features_for(texts: list[str], settings: Any) -> np.ndarray:
    from .extract import document_candidates
    from .pipeline import read_texts

    states = read_texts(texts, settings)
    cands = [document_candidates(s["nlp"].doc, s.get("mentions")) for s in states]
    return candidate_features(cands, [s["nlp"].doc for s in states])


def example_features(settings: Any) -> tuple[np.ndarray, list[str]]:
    rows = examples()
    return _features_for([r["text"] for r in rows], settings), [r["type"] for r in rows]


def train(settings: Any, records: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """A model trained on the examples (and the records, when a path is given)."""
    x, y = example_features(settings)
    info: dict[str, Any] = {"examples": len(y)}
    if records is not None:
        from ..eval.plover import load_records

        recs = load_records(records)
        x = np.vstack([x, _features_for([r["text"] for r in recs], settings)])
        y = y + [r["type"] for r in recs]
        info["records"] = len(recs)
    model = fit(x, y, labels())
    model.meta = {"trained_on": json.dumps(info), "features": "wordllama l2_supercat 256 x2"}
    return model, info


def main(argv: list[str] | None = None) -> int:
    from ..settings import load

    parser = argparse.ArgumentParser(prog="python -m storyline.events.train",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, default=None,
                        help="PLOVER records to add to the training data "
                             f"(default: {DEFAULT_RECORDS} when it exists)")
    parser.add_argument("--no-records", action="store_true", help="train on the examples only")
    parser.add_argument("--out", type=Path, default=None, help="where to write the .npz")
    args = parser.parse_args(argv)
    default = DEFAULT_RECORDS if DEFAULT_RECORDS.is_file() else None
    records = None if args.no_records else (args.records or default)
    model, info = train(load(), records)
    out = args.out or Path(__file__).resolve().parent / MODEL_FILE
    model.save(out)
    print(f"wrote {out} ({json.dumps(info)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
