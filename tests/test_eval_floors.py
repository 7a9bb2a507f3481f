"""Every evaluation figure in the README stays at or above its pinned floor.

The floors live in ``storyline/eval/floors.json``; ``storyline eval all --write-readme``
measures the README's table with the same data as here.
"""

from __future__ import annotations

import pytest

from pathlib import Path

from conftest import REPO, need_shared
from storyline.cli.evaluate import check_floors, floors, run_one
from storyline.eval import README_RUNS
from storyline.flow import Progress

RUNS = [(name, (REPO / data).resolve()) for name, data in README_RUNS]


def test_every_floor_names_a_known_evaluation():
    names = {name for name, _ in RUNS}
    assert floors(), "no floors pinned"
    assert {key.partition(".")[0] for key in floors()} <= names


@pytest.mark.slow
@pytest.mark.parametrize("name,data", RUNS, ids=[f"{n}-{d.name}" for n, d in RUNS])
def test_figure_is_at_or_above_its_floor(name, data):
    need_shared()
    result = run_one(name, str(data), None, None, Progress())
    pinned = [k for k in floors() if k.startswith(name + ".")]
    assert pinned, f"no floor pinned for {name}"
    assert check_floors(result) == []
