"""Shared fixtures: the real spaCy pipeline, the seed documents, stores built from them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
EVAL = SHARED / "eval"
DEMO = REPO / "examples" / "demo"
ARTIFACTS = REPO / "test-artifacts"


def need_shared() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared is not available beside the repo")


@pytest.fixture(scope="session")
def nlp():
    from storyline.nlp.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_path():
    need_shared()

    def find(prefix: str) -> Path:
        matches = sorted(SEEDS.glob(f"{prefix}_*"))
        if not matches:
            pytest.skip(f"seed {prefix} not found")
        return matches[0]

    return find


@pytest.fixture(scope="session")
def gold():
    import json

    need_shared()
    return json.loads(GOLD.read_text())


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture()
def settings(tmp_path):
    from storyline.settings import load

    return load(env={}, **{"store.path": str(tmp_path / "store.db")})


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory):
    """A store holding the five seeds after every stage (built once per test session)."""
    from storyline.flow import ingest
    from storyline.settings import load
    from storyline.store.db import open_store

    need_shared()
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    settings = load(env={}, **{"store.path": str(path)})
    store = open_store(path)
    ingest([SEEDS], store, settings)
    yield store
    store.close()


@pytest.fixture(scope="session")
def seed_docs(seeds_store):
    """Seed prefix ("000".."004") -> stored document id."""
    rows = seeds_store.query("SELECT id, source FROM documents")
    return {Path(r["source"]).name[:3]: r["id"] for r in rows if r["source"]}


os.environ.setdefault("STORYLINE_TESTING", "1")
