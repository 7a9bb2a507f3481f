"""``storyline eval geoparsing`` on a few articles of GeoWebNews and TR-News."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import EvalDataError
from storyline.eval import geoparsing
from storyline.settings import load

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "geoparsing"


@pytest.mark.parametrize("name", ["GWN.xml", "TR-News.xml"])
def test_geoparsing_eval_on_a_sample(name, nlp):
    path = EVAL / name
    if not path.is_file():
        pytest.skip("../shared/eval/geoparsing is not available")
    result = geoparsing.evaluate(path, load(env={}), limit=6)
    metrics, details = result["metrics"], result["details"]
    assert details["articles"] == 6 and details["detected_with_coordinates"] > 20
    assert metrics["within_161km"] >= 0.8
    assert metrics["f1_overlap"] >= 0.6
    assert metrics["f1_exact"] <= metrics["f1_overlap"]
    assert "Mordecai3" in result["reference"]["within_161km"]


def test_gold_offsets_are_realigned():
    assert geoparsing._realign("x Ottawa.", 3, 9, "Ottawa") == (2, 8)
    assert geoparsing._realign("x Ottawa.", 2, 8, "Ottawa") == (2, 8)


def test_missing_or_bad_data_is_an_eval_error(tmp_path):
    with pytest.raises(EvalDataError):
        geoparsing.load_articles(tmp_path / "none.xml")
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article>")
    with pytest.raises(EvalDataError):
        geoparsing.load_articles(bad)
