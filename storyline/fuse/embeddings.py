"""Sentence and document embeddings with WordLlama (packaged weights, never downloaded)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from ..errors import ModelUnavailable


@functools.lru_cache(maxsize=1)
def model():
    """The packaged WordLlama model (256 dimensions), loaded once per process."""
    try:
        import wordllama
        from wordllama import WordLlama
        from pathlib import Path

        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except Exception as exc:  # missing package or weights
        raise ModelUnavailable(f"WordLlama embeddings are not available: {exc}",
                               hint="install wordllama with its packaged weights") from None


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (zero rows for empty texts)."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    clean = [t if t and t.strip() else "" for t in texts]
    vectors = model().embed(clean, norm=False, batch_size=batch_size)
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors = vectors / norms
    for i, t in enumerate(clean):
        if not t:
            vectors[i] = 0.0
    return vectors


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of unit rows."""
    return a @ b.T
