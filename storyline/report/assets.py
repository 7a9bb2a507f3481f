"""Offline assets of the charts: plotly.js from the installed plotly package, and the world
outline that plotly.js would otherwise download from a CDN (see ``data/NOTICE.txt``)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from ..errors import ModelUnavailable

DATA = resources.files("storyline.report") / "data"
TEMPLATES = Path(str(resources.files("storyline.report") / "templates"))


@functools.lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly Python package."""
    try:
        return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ModelUnavailable("plotly.js is missing from the plotly package",
                               hint="pip install plotly") from exc


@functools.lru_cache(maxsize=1)
def world_topojson() -> str:
    return (DATA / "world_110m.json").read_text("utf-8")


@functools.lru_cache(maxsize=1)
def geo_assets_js() -> str:
    """Script registering the bundled outline where plotly.js looks before fetching."""
    return ("window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
            "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
            f"window.PlotlyGeoAssets.topojson['world_110m'] = {world_topojson()};\n")


def charts_js() -> str:
    """The small script drawing every ``.chart`` from its JSON figure (shared with the web)."""
    return (DATA.joinpath("charts.js")).read_text("utf-8")


def css() -> str:
    return (DATA.joinpath("brief.css")).read_text("utf-8")
