"""The event-type classifier: softmax regression over wordllama sentence embeddings.

Features of a candidate are the embedding of its sentence and the embedding of a short
"event phrase" (trigger, absorbed triggers, heads of its objects: "agreed cooperate",
"holding talks Russia").  Weights live in ``data/event_classifier.npz`` (a few hundred KB),
trained by ``python -m storyline.events.train``.  wordllama's own weights ship inside its
wheel; it is loaded from its package folder with downloads disabled, so nothing is fetched
at run time.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelUnavailable

if TYPE_CHECKING:
    from .extract import Candidate

MODEL_FILE = "data/event_classifier.npz"


@functools.lru_cache(maxsize=1)
def embedder():
    """wordllama, loaded once from the files in its wheel (no download)."""
    # wordllama tokenises a few sentences per call with Hugging Face ``tokenizers``, whose
    # thread pool costs more CPU than it saves on such small batches (the flow already
    # runs documents in parallel when asked); an explicit setting is respected
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ModelUnavailable("wordllama is not installed", hint="pip install wordllama") \
            from exc
    folder = Path(wordllama.__file__).resolve().parent
    try:
        return WordLlama.load(cache_dir=folder, disable_download=True)
    except (FileNotFoundError, OSError) as exc:
        raise ModelUnavailable(f"wordllama weights are missing from {folder}: {exc}") from None


#: raw wordllama vectors by text: sentences and event phrases ("hold talks") recur within and
#: across documents.  wordllama pools each text on its own (padding adds exact zeros), so a
#: text's vector does not depend on the batch it came in and the cache changes no result
_VECTORS: dict[str, np.ndarray] = {}
_VECTORS_MAX = 50_000


def _raw_vectors(texts: list[str]) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:
        if len(_VECTORS) + len(missing) > _VECTORS_MAX:
            _VECTORS.clear()
        fresh = np.asarray(embedder().embed(missing), dtype=np.float32)
        for text, row in zip(missing, fresh):
            _VECTORS[text] = row
    return np.stack([_VECTORS[t] for t in texts])


def embed(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    vectors = _raw_vectors(texts)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-8)


def event_phrase(cand: Candidate) -> str:
    """The trigger words and the heads of what they govern ("demanded cancel plans")."""
    words = [t.lemma_.lower() for t in sorted(cand.trigger, key=lambda t: t.i)]
    for other in cand.absorbed:
        words += [t.lemma_.lower() for t in other.trigger]
    for child in cand.head.children:
        if child.dep_ in ("dobj", "xcomp", "ccomp", "attr", "nsubjpass", "prt", "compound"):
            words.append(child.lemma_.lower())
        if child.dep_ == "prep":
            words.append(child.lower_)
            words += [g.lemma_.lower() for g in child.children if g.dep_ == "pobj"]
    return " ".join(dict.fromkeys(words))


def features(sentences: list[str], phrases: list[str]) -> np.ndarray:
    return np.hstack([embed(sentences), embed(phrases)])


@dataclasses.dataclass
class Model:
    labels: list[str]
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    meta: dict[str, str] = dataclasses.field(default_factory=dict)

    def proba(self, x: np.ndarray) -> np.ndarray:
        logits = x @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, sentences: list[str], phrases: list[str]) -> list[dict[str, float]]:
        if not sentences:
            return []
        probs = self.proba(features(sentences, phrases))
        return [dict(zip(self.labels, map(float, row))) for row in probs]

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), weights=self.weights,
                            bias=self.bias, meta=np.array(list(self.meta.items())))


def fit(x: np.ndarray, y: list[str], labels: list[str], *, l2: float = 1e-3,
        epochs: int = 400, rate: float = 0.05, seed: int = 0) -> Model:
    """Multinomial logistic regression by full-batch Adam (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    index = {label: i for i, label in enumerate(labels)}
    target = np.zeros((len(y), len(labels)), dtype=np.float32)
    for row, label in enumerate(y):
        target[row, index[label]] = 1.0
    counts = target.sum(axis=0)
    class_weight = np.where(counts > 0, len(y) / (len(labels) * np.maximum(counts, 1)), 0.0)
    sample_weight = (target * class_weight).sum(axis=1, keepdims=True)
    w = rng.normal(0, 0.01, (x.shape[1], len(labels))).astype(np.float32)
    b = np.zeros(len(labels), dtype=np.float32)
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b),
                          np.zeros_like(b))
    model = Model(labels, w, b)
    for step in range(1, epochs + 1):
        grad = (model.proba(x) - target) * sample_weight / len(y)
        g_w = x.T @ grad + l2 * w
        g_b = grad.sum(axis=0)
        for param, g, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            param -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return model


@functools.lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The packaged classifier, or None when the package has none."""
    ref = resources.files("storyline.events").joinpath(MODEL_FILE)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as data:
        meta = {str(k): str(v) for k, v in data["meta"]} if data["meta"].size else {}
        return Model(labels=[str(x) for x in data["labels"]], weights=data["weights"],
                     bias=data["bias"], meta=meta)
