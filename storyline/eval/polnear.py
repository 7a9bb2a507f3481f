"""``storyline eval polnear``: attribution (quote) extraction on PolNeAR.

Data: ``<split>/text/<name>.txt`` with brat standoff ``<split>/attributions/<name>_<ann>.ann``
(``T`` lines: ``Source``/``Cue``/``Content`` spans, discontinuous parts separated by ``;``
and text that may run over several lines; ``E`` lines: one attribution linking them).
Some texts were annotated by several annotators; we always use the annotation file whose
annotator id sorts first, so the choice is the same on every run.

Metrics follow Citron's evaluation (BBC, ``citron/metrics.py``):

* ``cue_exact``: a predicted attribution is right when its cue spans equal a gold cue's;
* ``source_exact`` / ``content_exact``: right when its cue overlaps a gold cue and its
  source (content) span list equals that attribution's; an absent source matches an
  absent source;
* ``quote_exact`` ("all quote spans, exact" in Citron): cue, source and content all exact
  — Citron's 0.567 on PARC 3.0 is this figure;
* ``speaker_content_exact``: source and content counts pooled (the issue's target);
* ``*_overlap``: token overlap of predicted and gold spans (summed over all pairs) over
  predicted tokens (precision) and gold tokens (recall); ``all_spans_overlap`` pools cue,
  source and content — Citron's 0.832 on PARC 3.0 is this figure.

Our content spans are split at line breaks (PolNeAR's convention for quotations running
over paragraphs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings

DEFAULT_DATA = "../shared/eval/polnear/dev"

Spans = tuple[tuple[int, int], ...]
ROLES = ("cue", "source", "content")
_TOKEN = re.compile(r"\w+|[^\w\s]")


# --- reading the data -------------------------------------------------------------------------


def annotation_files(data: Path) -> list[tuple[Path, Path]]:
    """(text file, chosen annotation file) pairs of a split directory."""
    texts = data / "text"
    anns = data / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise EvalDataError(f"{data} is not a PolNeAR split (expected text/ and attributions/)")
    pairs = []
    for text in sorted(texts.glob("*.txt")):
        candidates = sorted(anns.glob(f"{text.stem}_*.ann"))
        candidates = [c for c in candidates if re.fullmatch(rf"{re.escape(text.stem)}_[0-9a-f]+",
                                                           c.stem)]
        if candidates:
            pairs.append((text, candidates[0]))
    if not pairs:
        raise EvalDataError(f"no annotated texts found in {data}")
    return pairs


def read_ann(path: Path) -> list[dict[str, Spans]]:
    """Gold attributions of one brat file: ``{"cue", "source", "content"}`` span tuples."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(T\d+)\t(\S+) ([\d ;]+)\t", line)
        if m:
            parts = tuple(tuple(int(x) for x in p.split()) for p in m[3].split(";"))
            spans[m[1]] = (m[2], tuple(sorted(parts)))  # type: ignore[arg-type]
        elif re.match(r"^E\d+\t", line):
            events.append(line.split("\t", 1)[1])
    out = []
    for event in events:
        gold: dict[str, list[tuple[int, int]]] = {"cue": [], "source": [], "content": []}
        for arg in event.split():
            role, _, ref = arg.partition(":")
            role = re.sub(r"\d+$", "", role).lower()
            if role in gold and ref in spans:
                gold[role].extend(spans[ref][1])
        out.append({k: tuple(sorted(v)) for k, v in gold.items()})
    return out


# --- predictions ------------------------------------------------------------------------------


def _split_lines(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    parts = []
    start = span[0]
    for m in re.finditer(r"\n+", text[span[0]:span[1]]):
        parts.append((start, span[0] + m.start()))
        start = span[0] + m.end()
    parts.append((start, span[1]))
    return [(s, e) for s, e in parts if text[s:e].strip()]


def predict(doc: Any) -> list[dict[str, Spans]]:
    """Our attributions of a parsed document in the gold format."""
    from ..nlp.quotes import extract

    text = doc.text
    out = []
    for att in extract(doc, broad=True):
        contents = [p for span in att.contents for p in _split_lines(text, span)]
        out.append({"cue": (att.cue,), "source": (att.source,) if att.source else (),
                    "content": tuple(sorted(contents))})
    return out


# --- scoring ----------------------------------------------------------------------------------


def _overlaps(a: Spans, b: Spans) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _tokens(starts: list[int], spans: Spans) -> set[int]:
    import bisect

    out: set[int] = set()
    for s, e in spans:
        out.update(range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)))
    return out


class Counts:
    """True/false positive and negative counts and overlap sums, per role."""

    def __init__(self) -> None:
        self.exact = {k: [0, 0, 0] for k in (*ROLES, "quote")}
        self.overlap = {k: [0, 0, 0] for k in ROLES}  # overlap, predicted, gold tokens
        self.n_pred = self.n_gold = 0

    def add(self, text: str, pred: list[dict[str, Spans]], gold: list[dict[str, Spans]]) -> None:
        self.n_pred += len(pred)
        self.n_gold += len(gold)
        for role in ROLES:
            self._exact(role, pred, gold)
        self._exact("quote", pred, gold)
        starts = [m.start() for m in _TOKEN.finditer(text)]
        for role in ROLES:
            ptoks = [_tokens(starts, p[role]) for p in pred]
            gtoks = [_tokens(starts, g[role]) for g in gold]
            row = self.overlap[role]
            row[0] += sum(len(p & g) for p in ptoks for g in gtoks)
            row[1] += sum(len(p) for p in ptoks)
            row[2] += sum(len(g) for g in gtoks)

    def _exact(self, role: str, pred: list[dict[str, Spans]], gold: list[dict[str, Spans]]) -> None:
        def match(p: dict[str, Spans], g: dict[str, Spans]) -> bool:
            if role == "cue":
                return p["cue"] == g["cue"]
            if role == "quote":
                return all(p[r] == g[r] for r in ROLES)
            return _overlaps(p["cue"], g["cue"]) and p[role] == g[role]

        row = self.exact[role]
        row[0] += sum(1 for p in pred if any(match(p, g) for g in gold))
        row[1] += sum(1 for p in pred if not any(match(p, g) for g in gold))
        row[2] += sum(1 for g in gold if not any(match(p, g) for p in pred))

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for role, (tp, fp, fn) in self.exact.items():
            out.update(_prf(f"{role}_exact", tp, tp + fp, tp + fn))
        for role, (ov, pred, gold) in self.overlap.items():
            out.update(_prf(f"{role}_overlap", ov, pred, gold))
        pooled = [sum(self.exact[r][i] for r in ("source", "content")) for i in range(3)]
        out.update(_prf("speaker_content_exact", pooled[0], pooled[0] + pooled[1],
                        pooled[0] + pooled[2]))
        pooled = [sum(self.exact[r][i] for r in ROLES) for i in range(3)]
        out.update(_prf("all_spans_exact", pooled[0], pooled[0] + pooled[1],
                        pooled[0] + pooled[2]))
        for name, roles in (("speaker_content_overlap", ("source", "content")),
                            ("all_spans_overlap", ROLES)):
            sums = [sum(self.overlap[r][i] for r in roles) for i in range(3)]
            out.update(_prf(name, *sums))
        return out


def _prf(name: str, hits: float, predicted: float, gold: float) -> dict[str, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{name}_p": round(p, 4), f"{name}_r": round(r, 4), f"{name}_f1": round(f, 4)}


# --- the command ------------------------------------------------------------------------------


def _parsed(texts: list[str], settings: Settings) -> Iterable[Any]:
    from ..nlp.pipeline import load_nlp, parse

    nlp = load_nlp(settings.nlp.model)
    for text in texts:
        yield parse(text, nlp, settings.nlp.chunk_chars)


def evaluate(data: Path, settings: Settings, progress: Any = None,
             limit: int | None = None) -> dict[str, Any]:
    """Score our attributions against PolNeAR gold on the split at ``data``."""
    pairs = annotation_files(Path(data))
    if limit:
        pairs = pairs[:limit]
    if progress is not None:
        progress.start("polnear", total=len(pairs))
    counts = Counts()
    texts = [t.read_text(encoding="utf-8") for t, _ in pairs]
    for (_, ann), text, doc in zip(pairs, texts, _parsed(texts, settings)):
        counts.add(text, predict(doc), read_ann(ann))
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.done()
    metrics = counts.metrics()
    return {
        "metrics": metrics,
        "reference": {
            "quote_exact_f1": "Citron (BBC) on PARC 3.0, all quote spans exact: 0.567",
            "all_spans_overlap_f1": "Citron (BBC) on PARC 3.0, all quote spans overlap: 0.832",
            "speaker_content_exact_f1": "target 0.60 (issue 3)",
            "speaker_content_overlap_f1": "target 0.85 (issue 3)",
        },
        "details": {"documents": len(pairs), "predicted": counts.n_pred, "gold": counts.n_gold,
                    "annotator_choice": "first annotator id in sort order"},
    }
