"""Plotly figures (plain JSON dicts) for the briefing and the web app: timeline, actor
network, dyad trend and map.  They are drawn by plotly.js shipped inside the plotly
package (see :mod:`storyline.report.assets`), never fetched from a CDN.

``link(ref)`` turns a source reference into the address a click on a point opens.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

from .util import date_floor

Link = Callable[[dict[str, Any] | None], str]
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12}
CONFLICT, NEUTRAL, COOPERATION = (192, 57, 43), (150, 150, 150), (39, 174, 96)
SYMBOLS = {"happened": "circle", "future": "circle-open", "proposed": "diamond-open",
           "cancelled": "x", "denied": "x-thin-open", "hypothetical": "square-open"}


def _e(text: Any) -> str:
    """Untrusted text for plotly's label markup: shown literally, never parsed as tags."""
    return html.escape(str(text if text is not None else ""), quote=False)


def score_color(score: float | None) -> str:
    """Red for conflict (−10), grey for neutral, green for cooperation (+10)."""
    s = max(-1.0, min(1.0, (score or 0.0) / 10))
    a, b = (NEUTRAL, COOPERATION) if s >= 0 else (NEUTRAL, CONFLICT)
    t = abs(s)
    r, g, bl = (round(a[i] + (b[i] - a[i]) * t) for i in range(3))
    return f"rgb({r},{g},{bl})"


def _layout(height: int = 340, **extra: Any) -> dict[str, Any]:
    return {"height": height, "margin": {"l": 50, "r": 20, "t": 10, "b": 40}, "font": FONT,
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False, "hovermode": "closest", **extra}


def _score_scale() -> list[list[Any]]:
    return [[0.0, score_color(-10)], [0.5, score_color(0)], [1.0, score_color(10)]]


def _window(items: list[dict[str, Any]], period: dict[str, Any] | None) -> list[str] | None:
    """The reports' period (± 45 days) when most events fall in it, so that a few
    background dates (a war decades ago) do not squash the story; they stay a pan away."""
    import datetime as dt

    if not period or not period.get("first"):
        return None
    lo = dt.date.fromisoformat(period["first"]) - dt.timedelta(days=45)
    hi = dt.date.fromisoformat(period["last"]) + dt.timedelta(days=45)
    days = [date_floor(t["date"]) for t in items if date_floor(t["date"])]
    inside = [d for d in days if lo.isoformat() <= d <= hi.isoformat()]
    if len(inside) == len(days) or len(inside) < len(days) / 2:
        return None
    return [lo.isoformat(), hi.isoformat()]


def timeline_figure(items: list[dict[str, Any]], link: Link,
                    period: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Events on a date axis, one row per event type; colour = cooperation/conflict,
    open symbols = future/proposed, crosses = cancelled/denied."""
    if not items:
        return None
    types = sorted({_e(t["type"]) for t in items})
    traces = []
    for modality in sorted({t["modality"] for t in items}):
        group = [t for t in items if t["modality"] == modality]
        traces.append({
            "type": "scatter", "mode": "markers", "name": modality,
            "x": [date_floor(t["date"]) for t in group], "y": [_e(t["type"]) for t in group],
            "marker": {"size": 13, "symbol": SYMBOLS.get(modality, "circle"),
                       "color": [t["score"] for t in group], "cmin": -10, "cmax": 10,
                       "colorscale": _score_scale(), "line": {"width": 1.5}},
            "text": [f"{t['date_label']} ({t['precision']}) · {t['modality']}<br>"
                     f"{_wrap(_e(t['actors']))}<br>{_wrap(_e(t['text']))}" for t in group],
            "hovertemplate": "%{text}<extra></extra>",
            "customdata": [link(t.get("ref")) for t in group]})
    xaxis = {"type": "date", "gridcolor": "#eee", "automargin": True}
    window = _window(items, period)
    if window:
        xaxis["range"] = window
    layout = _layout(max(220, 70 + 34 * len(types)), showlegend=True,
                     legend={"orientation": "h", "y": -0.25}, xaxis=xaxis,
                     yaxis={"categoryorder": "array", "categoryarray": types, "gridcolor": "#eee",
                            "automargin": True})
    return {"data": traces, "layout": layout}


def network_figure(net: dict[str, Any]) -> dict[str, Any] | None:
    """Actors on a circle; an arrow per directed pair coloured by its mean score."""
    nodes = net.get("nodes") or []
    if not nodes or not net.get("edges"):
        return None
    n = len(nodes)
    pos = {node["id"]: (math.cos(2 * math.pi * i / n + math.pi / 2),
                        math.sin(2 * math.pi * i / n + math.pi / 2))
           for i, node in enumerate(nodes)}
    traces, annotations = [], []
    mids = {"x": [], "y": [], "text": [], "color": []}
    for e in net["edges"]:
        (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
        color = score_color(e["score"])
        width = 1 + min(6, e["count"])
        annotations.append({"x": x1, "y": y1, "ax": x0, "ay": y0, "xref": "x", "yref": "y",
                            "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2,
                            "arrowsize": 1, "arrowwidth": width, "arrowcolor": color,
                            "standoff": 12, "startstandoff": 12, "opacity": 0.8})
        mids["x"].append((x0 + x1) / 2)
        mids["y"].append((y0 + y1) / 2)
        mids["text"].append(f"{_e(e['source'])} → {_e(e['target'])}<br>{e['count']} event(s), "
                            f"score {e['score']:+.1f}")
        mids["color"].append(color)
    traces.append({"type": "scatter", "mode": "markers", "x": mids["x"], "y": mids["y"],
                   "marker": {"size": 8, "color": mids["color"], "opacity": 0.6},
                   "text": mids["text"], "hovertemplate": "%{text}<extra></extra>"})
    degree = [node["degree"] for node in nodes]
    traces.append({"type": "scatter", "mode": "markers+text",
                   "x": [pos[node["id"]][0] for node in nodes],
                   "y": [pos[node["id"]][1] for node in nodes],
                   "text": [_e(node["label"]) for node in nodes], "textposition": "top center",
                   "marker": {"size": [10 + 3 * min(d, 10) for d in degree], "color": "#34495e"},
                   "hovertemplate": "%{text}<extra></extra>"})
    axis = {"visible": False, "range": [-1.45, 1.45]}
    layout = _layout(420, xaxis=axis, yaxis={**axis, "scaleanchor": "x"},
                     annotations=annotations)
    return {"data": traces, "layout": layout}


def dyad_figure(dyads: dict[str, Any]) -> dict[str, Any] | None:
    """Mean cooperation–conflict score per period for the main pairs."""
    series = dyads.get("series") or []
    if not series:
        return None
    palette = ["#2c7fb8", "#d95f0e", "#7570b3", "#1b9e77", "#e7298a", "#66a61e"]
    traces = []
    for i, s in enumerate(series):
        traces.append({"type": "scatter", "mode": "lines+markers", "name": _e(s["pair"]),
                       "x": [p["period"] for p in s["points"]],
                       "y": [p["score"] for p in s["points"]],
                       "line": {"color": palette[i % len(palette)], "width": 2},
                       "text": [f"{_e(s['pair'])} · {dyads['period']} of {p['period']}<br>"
                                f"score {p['score']:+.1f} over {p['events']} event(s)"
                                for p in s["points"]],
                       "hovertemplate": "%{text}<extra></extra>"})
    layout = _layout(300, showlegend=True, legend={"orientation": "h", "y": -0.25},
                     xaxis={"type": "date", "gridcolor": "#eee", "automargin": True},
                     yaxis={"range": [-10.5, 10.5], "zeroline": True, "zerolinecolor": "#888",
                            "title": {"text": "conflict ← → cooperation"}, "gridcolor": "#eee",
                            "automargin": True})
    return {"data": traces, "layout": layout}


def map_figure(data: dict[str, Any], link: Link) -> dict[str, Any] | None:
    """Events (sized by count, coloured by mean score), main places and user zones on a
    world outline bundled with Storyline (``resolution`` 110 = ``world_110m``)."""
    events, places, zones = data.get("events") or [], data.get("places") or [], \
        data.get("zones") or []
    if not events and not places and not zones:
        return None
    traces = []
    lons: list[float] = []
    lats: list[float] = []
    for z in zones:
        for ring in z.get("outline") or []:
            traces.append({"type": "scattergeo", "mode": "lines", "fill": "toself",
                           "lon": [p[0] for p in ring], "lat": [p[1] for p in ring],
                           "line": {"color": "#8e44ad", "width": 1.5},
                           "fillcolor": "rgba(142,68,173,0.12)", "name": _e(z["name"]),
                           "text": _e(z["name"]), "hoverinfo": "text"})
            lons += [p[0] for p in ring]
            lats += [p[1] for p in ring]
    if places:
        traces.append({"type": "scattergeo", "mode": "markers", "name": "places",
                       "lon": [p["lon"] for p in places], "lat": [p["lat"] for p in places],
                       "marker": {"size": 6, "color": "#7f8c8d", "opacity": 0.7},
                       "text": [f"{_e(p['name'])} ({_e(p.get('country') or '')}) · "
                                f"{p['mentions']} "
                                "mention(s)" for p in places], "hoverinfo": "text"})
        lons += [p["lon"] for p in places]
        lats += [p["lat"] for p in places]
    if events:
        scores = [sum(e["score"] for e in p["events"]) / len(p["events"]) for p in events]
        traces.append({
            "type": "scattergeo", "mode": "markers+text", "name": "events",
            "lon": [p["lon"] for p in events], "lat": [p["lat"] for p in events],
            "text": [_e(p["name"]) for p in events], "textposition": "top right",
            "marker": {"size": [10 + 4 * min(len(p["events"]), 8) for p in events],
                       "color": scores, "cmin": -10, "cmax": 10, "colorscale": _score_scale(),
                       "line": {"width": 1, "color": "#333"}},
            "hovertext": ["<br>".join([f"<b>{_e(p['name'])}</b>"] + [
                f"{e['date_label']} {_e(e['type'])} ({_e(e.get('modality') or 'happened')})"
                for e in p["events"][:8]]) for p in events],
            "hoverinfo": "text",
            "customdata": [link({"id": p["events"][0].get("ref")}) for p in events]})
        lons += [p["lon"] for p in events]
        lats += [p["lat"] for p in events]
    geo = {"resolution": 110, "scope": "world", "projection": {"type": "mercator"},
           "showcountries": True, "countrycolor": "#999", "showland": True,
           "landcolor": "#f3f1ea", "showocean": True, "oceancolor": "#e8f1f8",
           "showcoastlines": True, "coastlinecolor": "#888", "showframe": False}
    if lons:
        geo["lonaxis"] = {"range": _span(lons, 6)}
        geo["lataxis"] = {"range": _span(lats, 4)}
    return {"data": traces, "layout": _layout(440, geo=geo,
                                              margin={"l": 0, "r": 0, "t": 0, "b": 0})}


def _span(values: list[float], pad: float) -> list[float]:
    lo, hi = min(values), max(values)
    extra = max(pad, (hi - lo) * 0.25)
    return [max(lo - extra, -180 if pad == 6 else -85), min(hi + extra, 180 if pad == 6 else 85)]


def _wrap(text: str, width: int = 70) -> str:
    words, lines, line = (text or "").split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines[:4])


def figures(brief: dict[str, Any], link: Link) -> dict[str, dict[str, Any]]:
    """The briefing's charts by name (only those with something to show)."""
    out = {"timeline": timeline_figure(brief.get("timeline") or [], link, brief.get("period")),
           "network": network_figure(brief.get("network") or {}),
           "dyads": dyad_figure(brief.get("dyads") or {}),
           "map": map_figure(brief.get("map") or {}, link)}
    return {k: v for k, v in out.items() if v}


RELATION_COLORS = {"repost_of": "#c0392b", "copy_of": "#c0392b", "syndicated_from": "#d35400",
                   "based_on_report_by": "#8e44ad", "cites": "#2980b9",
                   "comments_on": "#16a085"}


def provenance_figure(graph: dict[str, Any]) -> dict[str, Any] | None:
    """Documents (left) linked to the outlets they repost, rewrite, cite or comment on
    (right); edge colour = relation."""
    nodes, edges = graph.get("nodes") or [], graph.get("edges") or []
    if not edges:
        return None
    docs = [n for n in nodes if n["kind"] == "document"]
    outlets = [n for n in nodes if n["kind"] != "document"]
    pos = {}
    for column, group in ((0.0, docs), (1.0, outlets)):
        for i, n in enumerate(group):
            pos[n["id"]] = (column, 1 - (i + 0.5) / max(len(group), 1))
    traces = []
    for relation in sorted({e["relation"] for e in edges}):
        xs, ys = [], []
        for e in edges:
            if e["relation"] == relation and e["source"] in pos and e["target"] in pos:
                (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
                xs += [x0, x1, None]
                ys += [y0, y1, None]
        traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "name": _e(relation),
                       "line": {"color": RELATION_COLORS.get(relation, "#7f8c8d"), "width": 2},
                       "hoverinfo": "name"})
    for group, color, side in ((docs, "#34495e", "middle left"), (outlets, "#7f8c8d",
                                                                   "middle right")):
        traces.append({"type": "scatter", "mode": "markers+text", "showlegend": False,
                       "x": [pos[n["id"]][0] for n in group],
                       "y": [pos[n["id"]][1] for n in group],
                       "text": [_e(n["label"]) for n in group], "textposition": side,
                       "marker": {"size": 12, "color": color},
                       "hovertext": [_e(n.get("title") or n["label"]) for n in group],
                       "hoverinfo": "text"})
    height = max(260, 40 * max(len(docs), len(outlets)) + 60)
    axis = {"visible": False}
    return {"data": traces, "layout": _layout(height, showlegend=True,
                                              legend={"orientation": "h", "y": -0.05},
                                              xaxis={**axis, "range": [-0.9, 1.9]}, yaxis=axis)}
