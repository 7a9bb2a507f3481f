"""A realistic store for the briefing and web tests, built row by row through the Store API.

Six documents about one developing story (EU-brokered Serbia–Kosovo talks and a border
incident): an original wire report, its repost by a Telegram-style channel, a rewrite of
another agency's report, a digest with inline citations, a reader comment thread, and a
local report on the border incident.  Every span is computed from the text, so offsets are
exact; the rows mirror what the stages write (ids ``{doc}:{kind}{n}``, JSON list columns).
``hostile=True`` adds a document whose every field carries script-injection attempts.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from storyline.store.db import Store, open_store

REUTERS = """EU brokers new round of Serbia-Kosovo talks in Brussels

BRUSSELS — Serbian President Aleksandar Vucic and Kosovo Prime Minister Albin Kurti met in Brussels on Monday for talks brokered by the European Union, officials said. The two leaders agreed to set up a joint commission on missing persons, according to EU envoy Miroslav Lajcak. "This is a small but real step forward," Lajcak told reporters after the meeting.

Serbian police detained two Kosovo customs officers near the Jarinje crossing on Sunday, raising tensions before the talks. NATO peacekeepers were deployed to the crossing on Monday to keep the two sides apart.
"""

MIRROR = """Balkan News Mirror
Reuters: EU brokers new round of Serbia-Kosovo talks in Brussels

Serbian President Aleksandar Vucic and Kosovo Prime Minister Albin Kurti met in Brussels on Monday for talks brokered by the European Union, officials said. The two leaders agreed to set up a joint commission on missing persons, according to EU envoy Miroslav Lajcak.

Serbian police detained two Kosovo customs officers near the Jarinje crossing on Sunday, raising tensions before the talks.
"""

REWRITE = """Serbia and Kosovo agree on missing persons commission

Serbia and Kosovo agreed in Brussels to form a joint commission on missing persons, according to a report by the Associated Press. Kurti told the agency that Serbia must first recognise Kosovo's independence before any broader deal. A Serbian government spokesman denied that any Kosovo officers had been detained at Jarinje.
"""

DIGEST = """Balkans Weekly Digest: Brussels talks

Brussels talks:
  • Vucic and Kurti agreed on a joint commission on missing persons at EU-brokered talks in Brussels. (Reuters, 03.04.25; AP, 03.05.25)
  • Vucic threatened to walk out of future talks if Kosovo keeps its special police units in the north. (AP, 03.05.25)
"""

THREAD = """Serbia and Kosovo leaders meet in Brussels

March 04, 2025 · 5 comments
Marko (Belgrade)
The EU is weak and cannot impose anything on either side. These talks are theatre.
Anna (Berlin)
Talking is always better than fighting. Give the commission a chance.
Luan (Pristina)
The EU is weak, it always rewards Belgrade. Nothing will change.
Petra (Vienna)
Any dialogue is better than another war in the Balkans.
Jon (Oslo)
NATO troops shot at protesters in Jarinje yesterday, I heard.
"""

BORDER = """Kosovo says Serbian police detained two customs officers

PRISTINA — Kosovo's interior minister Xhelal Svecla said Serbian police detained two Kosovo customs officers near the Jarinje crossing on Sunday. "This is an act of aggression against our officers," Svecla said. Kosovo closed the Jarinje crossing to freight traffic on Sunday evening.
"""

HOSTILE = """<script>alert('t')</script> Evil headline <img src=x onerror=alert(1)>

Evil <script>alert(2)</script> opened talks with <svg onload=alert(3)> in Brussels on Monday and agreed to nothing at all. See [details](javascript:alert(4)) and <a href="javascript:alert(5)">this link</a> for more. "<img src=x onerror=alert(6)> is what we say," said <b onmouseover=alert(7)>Mallory</b>.
"""

XSS_MARKERS = ("<script>alert", "onerror=alert", "onload=alert", "javascript:alert",
               "onmouseover=alert")


def doc_id(name: str) -> str:
    return "d" + hashlib.sha1(name.encode()).hexdigest()[:15]


def span(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return start, start + len(phrase)


def sentences(doc: str, text: str) -> list[dict[str, Any]]:
    out = []
    for line in re.finditer(r"[^\n]+", text):
        for m in re.finditer(r"[^.!?]+(?:[.!?]+[\"”)]*|$)", line.group()):
            raw = m.group()
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            if not body:
                continue
            start = line.start() + m.start() + lead
            out.append({"id": f"{doc}:s{len(out)}", "idx": len(out), "text": body,
                        "doc_id": doc, "start": start, "end": start + len(body),
                        "stage": "nlp", "stage_version": "1", "confidence": None})
    return out


def _prov(**kw: Any) -> dict[str, Any]:
    return {"stage": "fuse", "stage_version": "1", **kw}


def _doc(name: str, text: str, **meta: Any) -> dict[str, Any]:
    did = doc_id(name)
    row = {"id": did, "version": 1, "source_key": name, "source": meta.pop("source", name),
           "content_sha256": hashlib.sha256(text.encode()).hexdigest(), "format": "text",
           "clean_text": text, "offsets": "{}", "removed": json.dumps(meta.pop("removed", [])),
           "meta": "{}", "authors": json.dumps(meta.pop("authors", [])), "language": "en",
           "kind": "news_report", "stage": "clean", "stage_version": "1",
           "ingested_at": "2025-03-07T10:00:00+00:00"}
    row.update(meta)
    return row


class Builder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.texts: dict[str, str] = {}
        self.n: dict[str, int] = {}

    def next_id(self, doc: str, kind: str) -> str:
        key = f"{doc}:{kind}"
        self.n[key] = self.n.get(key, -1) + 1
        return f"{doc}:{kind}{self.n[key]}"

    def add_doc(self, name: str, text: str, **meta: Any) -> str:
        row = _doc(name, text, **meta)
        self.store.insert_rows("documents", [row])
        self.store.insert_rows("sentences", sentences(row["id"], text))
        self.texts[row["id"]] = text
        return row["id"]

    def span_row(self, doc: str, prefix: str, phrase: str, stage: str, after: int = 0,
                 **extra: Any) -> dict[str, Any]:
        start, end = span(self.texts[doc], phrase, after)
        return {"id": self.next_id(doc, prefix), "doc_id": doc, "start": start, "end": end,
                "stage": stage, "stage_version": "1", "confidence": 0.8, **extra}

    def event(self, doc: str, phrase: str, trigger: str, type_: str, src: list[str],
              tgt: list[str], src_c: list[str], tgt_c: list[str], date: str | None,
              precision: str | None, place: tuple[str, float, float] | None,
              modality: str = "happened", zones: list[str] = (), goldstein: float | None = None
              ) -> str:
        row = self.span_row(doc, "e", phrase, "events", type=type_, sentence=phrase,
                            trigger=trigger, source_ids=json.dumps(src),
                            target_ids=json.dumps(tgt), source_countries=json.dumps(src_c),
                            target_countries=json.dumps(tgt_c), modality=modality,
                            date_start=date, date_end=date, date_precision=precision,
                            place_name=place[0] if place else None,
                            lat=place[1] if place else None, lon=place[2] if place else None,
                            zones=json.dumps(list(zones)), goldstein=goldstein)
        t0 = self.texts[doc].index(trigger, row["start"])
        row.update(trigger_start=t0, trigger_end=t0 + len(trigger))
        self.store.insert_rows("events", [row])
        return row["id"]


ACTORS = [
    ("srb_vucic", "Aleksandar Vucic", "person", "SRB", ["Vucic", "Serbian President"]),
    ("kos_kurti", "Albin Kurti", "person", "XKX", ["Kurti", "Kosovo Prime Minister"]),
    ("eu_lajcak", "Miroslav Lajcak", "person", "EU", ["Lajcak", "EU envoy"]),
    ("nato", "NATO", "organization", "NATO", ["NATO peacekeepers"]),
    ("srb_police", "Serbian police", "organization", "SRB", []),
    ("kos_customs", "Kosovo customs", "organization", "XKX", ["Kosovo customs officers"]),
    ("kos_svecla", "Xhelal Svecla", "person", "XKX", ["Svecla"]),
    ("kos_gov", "Government of Kosovo", "government", "XKX", ["Kosovo"]),
]
BRUSSELS = ("Brussels", 50.8503, 4.3517)
JARINJE = ("Jarinje", 43.1436, 20.5456)
NORTH_KOSOVO = {"type": "Polygon", "coordinates": [[[20.3, 42.8], [21.0, 42.8], [21.0, 43.3],
                                                     [20.3, 43.3], [20.3, 42.8]]]}


def build_store(path: Path, *, hostile: bool = False) -> Store:
    """Create the fixture store at ``path`` (and return it open for writing)."""
    store = open_store(path)
    b = Builder(store)
    with store.transaction():
        _fill(b, hostile)
    return store


def _fill(b: Builder, hostile: bool) -> None:
    s = b.store
    a = b.add_doc("wire/reuters-talks.txt", REUTERS, title=REUTERS.splitlines()[0],
                  outlet="Reuters", published="2025-03-04", published_precision="day",
                  authors=["Ana Petrovic"], source="https://www.reuters.com/world/talks")
    m = b.add_doc("channel/mirror-123.txt", MIRROR, title=MIRROR.splitlines()[1],
                  outlet="Balkan News Mirror", original_outlet="Reuters",
                  carrier="Balkan News Mirror", published="2025-03-04", published_precision="day",
                  removed=[{"start": 0, "end": 19, "text": "Read more free: t.me/mirror"}])
    r = b.add_doc("web/balkan-insight.html", REWRITE, title=REWRITE.splitlines()[0],
                  outlet="Balkan Insight", published="2025-03-05", published_precision="day")
    d = b.add_doc("digest/weekly.txt", DIGEST, title=DIGEST.splitlines()[0], kind="analysis",
                  outlet="Balkans Weekly", published="2025-03-06", published_precision="day")
    t = b.add_doc("thread/comments.txt", THREAD, title=THREAD.splitlines()[0],
                  kind="comment_thread", outlet="The Guardian", outlet_inferred=1,
                  published="2025-03-04", published_precision="day")
    k = b.add_doc("local/kosovo-online.txt", BORDER, title=BORDER.splitlines()[0],
                  outlet="Kosovo Online", published="2025-03-02", published_precision="day")
    s.insert_rows("actors", [{"id": i, "name": n, "type": ty, "country": c,
                              "aliases": json.dumps(al), "meta": "{}"}
                             for i, n, ty, c, al in ACTORS])
    _mentions(b, a, m, r, d, k)
    ev = _events(b, a, m, r, d, t, k)
    _fusion(b, a, m, r, d, t, k, ev)
    _reading(b, a, r, t, k)
    if hostile:
        _hostile(b)


def _mentions(b: Builder, *docs: str) -> None:
    rows = []
    for doc in docs:
        text = b.texts[doc]
        for actor_id, name, _, country, aliases in ACTORS:
            for form in [name, *aliases]:
                for mt in re.finditer(re.escape(form), text):
                    rows.append({"id": b.next_id(doc, "m"), "doc_id": doc, "start": mt.start(),
                                 "end": mt.end(), "text": form, "label": "PERSON",
                                 "actor_id": actor_id, "country": country, "stage": "actors",
                                 "stage_version": "1", "confidence": 0.9})
    b.store.insert_rows("mentions", rows)


def _events(b: Builder, a: str, m: str, r: str, d: str, t: str, k: str) -> dict[str, str]:
    ev = {}
    met = "met in Brussels on Monday for talks brokered by the European Union"
    for doc in (a, m):
        ev[f"meet_{doc}"] = b.event(doc, met, "met", "CONSULT", ["srb_vucic"], ["kos_kurti"],
                                    ["SRB"], ["XKX"], "2025-03-03", "day", BRUSSELS)
        ev[f"agree_{doc}"] = b.event(doc, "The two leaders agreed to set up a joint commission",
                                     "agreed", "AGREE", ["srb_vucic"], ["kos_kurti"], ["SRB"],
                                     ["XKX"], "2025-03-03", "day", BRUSSELS)
        ev[f"detain_{doc}"] = b.event(doc, "Serbian police detained two Kosovo customs officers "
                                      "near the Jarinje crossing on Sunday", "detained", "COERCE",
                                      ["srb_police"], ["kos_customs"], ["SRB"], ["XKX"],
                                      "2025-03-02", "day", JARINJE, zones=["North Kosovo"])
    ev["deploy"] = b.event(a, "NATO peacekeepers were deployed to the crossing on Monday",
                           "deployed", "MOBILIZE", ["nato"], ["kos_gov"], ["NATO"], ["XKX"],
                           "2025-03-03", "day", JARINJE, zones=["North Kosovo"])
    ev["agree_r"] = b.event(r, "Serbia and Kosovo agreed in Brussels to form a joint commission",
                            "agreed", "AGREE", ["srb_vucic"], ["kos_kurti"], ["SRB"], ["XKX"],
                            "2025-03-03", "day", BRUSSELS)
    ev["demand_r"] = b.event(r, "Kurti told the agency that Serbia must first recognise",
                             "must first recognise", "REQUEST", ["kos_kurti"], ["srb_vucic"],
                             ["XKX"], ["SRB"], "2025-03", "month", None)
    ev["threat_d"] = b.event(d, "Vucic threatened to walk out of future talks", "threatened",
                             "THREATEN", ["srb_vucic"], ["kos_kurti"], ["SRB"], ["XKX"],
                             "2025-03-05", "day", None, modality="future")
    ev["detain_k"] = b.event(k, "Serbian police detained two Kosovo customs officers near the "
                             "Jarinje crossing on Sunday", "detained", "COERCE", ["srb_police"],
                             ["kos_customs"], ["SRB"], ["XKX"], "2025-03-02", "day", JARINJE,
                             zones=["North Kosovo"])
    ev["close_k"] = b.event(k, "Kosovo closed the Jarinje crossing to freight traffic",
                            "closed", "SANCTION", ["kos_gov"], ["srb_vucic"], ["XKX"], ["SRB"],
                            "2025-03-02", "day", JARINJE, zones=[])
    ev["rumour_t"] = b.event(t, "NATO troops shot at protesters in Jarinje", "shot", "ASSAULT",
                             ["nato"], [], ["NATO"], [], "2025-03-03", "day", JARINJE)
    return ev


def _fusion(b: Builder, a: str, m: str, r: str, d: str, t: str, k: str,
            ev: dict[str, str]) -> None:
    s = b.store
    s.insert_rows("stories", [
        {"id": "st1", "parent_id": None, "label": "EU-brokered Serbia-Kosovo talks",
         "keywords": json.dumps(["talks", "commission", "Brussels"]), "first_date": "2025-03-03",
         "last_date": "2025-03-06", "size": 5, "stage": "fuse", "stage_version": "1"},
        {"id": "st2", "parent_id": None, "label": "Jarinje border incident",
         "keywords": json.dumps(["Jarinje", "customs", "police"]), "first_date": "2025-03-02",
         "last_date": "2025-03-02", "size": 1, "stage": "fuse", "stage_version": "1"}])
    s.insert_rows("story_docs", [{"story_id": "st1", "doc_id": x, "score": 1.0 - i / 10}
                                 for i, x in enumerate((a, m, r, d, t))] +
                  [{"story_id": "st2", "doc_id": k, "score": 1.0}])
    s.insert_rows("copies", [{"doc_id": m, "other_doc_id": a, "relation": "copy_of",
                              "score": 0.93, "passages": "[]", "stage": "fuse",
                              "stage_version": "1"}])
    s.insert_rows("provenance", [
        _prov(id=f"{m}:p0", doc_id=m, relation="repost_of", source="Reuters",
              via="Balkan News Mirror", evidence="Reuters:", start=19, end=27),
        _prov(id=f"{r}:p0", doc_id=r, relation="based_on_report_by", source="Associated Press",
              via=None, evidence="according to a report by the Associated Press",
              start=span(REWRITE, "according to a report")[0], end=None),
        _prov(id=f"{t}:p0", doc_id=t, relation="comments_on", source="The Guardian", via=None,
              evidence=None, start=None, end=None)])
    cites = []
    for phrase, outlet, date, after in (("Reuters, 03.04.25", "Reuters", "2025-03-04", 0),
                                        ("AP, 03.05.25", "AP", "2025-03-05", 0),
                                        ("AP, 03.05.25", "AP", "2025-03-05",
                                         DIGEST.index("threatened"))):
        cites.append(b.span_row(d, "c", phrase, "fuse", after, text=phrase, outlet=outlet,
                                cited_date=date, cue="("))
    s.insert_rows("citations", cites)
    clusters = [("c1", "CONSULT", [ev[f"meet_{a}"], ev[f"meet_{m}"]], 2, 1, "single"),
                ("c2", "AGREE", [ev[f"agree_{a}"], ev[f"agree_{m}"], ev["agree_r"]], 3, 2,
                 "corroborated"),
                ("c3", "COERCE", [ev[f"detain_{a}"], ev[f"detain_{m}"], ev["detain_k"]], 3, 2,
                 "contested")]
    for cid, ty, members, n_docs, n_ind, status in clusters:
        s.insert_rows("event_clusters", [{"id": cid, "type": ty, "label": ty.lower(),
                                          "n_docs": n_docs, "n_independent": n_ind,
                                          "status": status, "stage": "fuse",
                                          "stage_version": "1"}])
        s.insert_rows("event_cluster_members", [{"cluster_id": cid, "event_id": e}
                                                for e in members])
    s.insert_rows("claims", [{"id": "cl1", "text": "agreed to set up a joint commission on "
                              "missing persons", "kind": "event", "n_sources": 3,
                              "n_independent": 2, "status": "corroborated", "stage": "fuse",
                              "stage_version": "1", "confidence": 0.8}])
    a0, a1 = span(REUTERS, "The two leaders agreed to set up a joint commission on missing persons")
    r0, r1 = span(REWRITE, "Serbia and Kosovo agreed in Brussels to form a joint commission")
    s.insert_rows("claim_sources", [
        {"claim_id": "cl1", "doc_id": a, "start": a0, "end": a1, "text": REUTERS[a0:a1],
         "outlet": "Reuters", "upstream": None, "item_table": "events",
         "item_id": ev[f"agree_{a}"]},
        {"claim_id": "cl1", "doc_id": r, "start": r0, "end": r1, "text": REWRITE[r0:r1],
         "outlet": "Balkan Insight", "upstream": "Associated Press", "item_table": "events",
         "item_id": ev["agree_r"]}])
    x0, x1 = span(REUTERS, "Serbian police detained two Kosovo customs officers")
    y0, y1 = span(REWRITE, "A Serbian government spokesman denied that any Kosovo officers had "
                           "been detained at Jarinje")
    s.insert_rows("contradictions", [{
        "id": "ct1", "kind": "denial", "a_doc_id": a, "a_start": x0, "a_end": x1,
        "a_source": "Reuters", "a_text": REUTERS[x0:x1], "b_doc_id": r, "b_start": y0,
        "b_end": y1, "b_source": "Serbian government spokesman (Balkan Insight)",
        "b_text": REWRITE[y0:y1], "topic": "Detention of Kosovo customs officers at Jarinje",
        "stage": "fuse", "stage_version": "1", "confidence": 0.7}])
    s.insert_rows("zones", [{"id": "z1", "name": "North Kosovo",
                             "geometry": json.dumps(NORTH_KOSOVO), "description": "user zone",
                             "created_at": "2025-03-01"}])


def _reading(b: Builder, a: str, r: str, t: str, k: str) -> None:
    s = b.store
    quotes = [
        b.span_row(a, "q", "This is a small but real step forward", "quotes", text="This is a "
                   "small but real step forward", kind="direct", speaker_text="Lajcak",
                   speaker_actor_id="eu_lajcak", cue="told"),
        b.span_row(r, "q", "Serbia must first recognise Kosovo's independence before any broader "
                   "deal", "quotes", text="Serbia must first recognise Kosovo's independence "
                   "before any broader deal", kind="indirect", speaker_text="Kurti",
                   speaker_actor_id="kos_kurti", cue="told"),
        b.span_row(r, "q", "that any Kosovo officers had been detained at Jarinje", "quotes",
                   text="any Kosovo officers had been detained at Jarinje", kind="indirect",
                   speaker_text="A Serbian government spokesman", anonymous=1, cue="denied"),
        b.span_row(k, "q", "This is an act of aggression against our officers", "quotes",
                   text="This is an act of aggression against our officers", kind="direct",
                   speaker_text="Svecla", speaker_actor_id="kos_svecla", cue="said"),
    ]
    s.insert_rows("quotes", quotes)
    places = []
    for doc in (a, r, k):
        for name, lat, lon in (BRUSSELS, JARINJE):
            text = b.texts[doc]
            for mt in re.finditer(name, text):
                places.append({"id": b.next_id(doc, "p"), "doc_id": doc, "start": mt.start(),
                               "end": mt.end(), "text": name, "name": name,
                               "country": "BE" if name == "Brussels" else "XK",
                               "lat": lat, "lon": lon, "geonameid": hash(name) % 10**6,
                               "is_focus": int(name == "Jarinje"),
                               "zones": json.dumps(["North Kosovo"] if name == "Jarinje" else []),
                               "stage": "geo", "stage_version": "1", "confidence": 0.9})
    s.insert_rows("places", places)
    s.insert_rows("timexes", [b.span_row(a, "t", "on Sunday", "dates", text="on Sunday",
                                         value_start="2025-03-02", value_end="2025-03-02",
                                         precision="day", anchor="2025-03-04")])
    comments = []
    for i, mt in enumerate(re.finditer(r"^(\w+) \((\w+)\)\n(.+)$", THREAD, re.M)):
        comments.append({"id": f"{t}:c{i}", "idx": i, "author": mt.group(1),
                         "location": mt.group(2), "text": mt.group(3), "doc_id": t,
                         "start": mt.start(3), "end": mt.end(3), "stage": "clean",
                         "stage_version": "1", "confidence": None})
    s.insert_rows("comments", comments)
    narr = {0: "n1", 2: "n1", 1: "n2", 3: "n2"}
    s.insert_rows("comment_opinions", [{
        "comment_id": c["id"], "doc_id": t, "compound": -0.5 if narr.get(i) == "n1" else 0.4,
        "pos": 0.1, "neg": 0.3, "neu": 0.6, "stance": "against" if narr.get(i) == "n1" else "for",
        "narrative_id": narr.get(i), "stage": "opinion", "stage_version": "1"}
        for i, c in enumerate(comments)])
    s.insert_rows("narratives", [
        {"id": f"{t}:n1", "doc_id": t, "label": "The EU is weak and the talks are theatre",
         "share": 0.4, "size": 2, "keywords": json.dumps(["EU", "weak"]),
         "examples": json.dumps([comments[0]["id"], comments[2]["id"]]), "stage": "opinion",
         "stage_version": "1", "confidence": 0.7},
        {"id": f"{t}:n2", "doc_id": t, "label": "Any dialogue is better than war",
         "share": 0.4, "size": 2, "keywords": json.dumps(["dialogue", "better"]),
         "examples": json.dumps([comments[1]["id"], comments[3]["id"]]), "stage": "opinion",
         "stage_version": "1", "confidence": 0.7}])


def _hostile(b: Builder) -> None:
    s = b.store
    h = b.add_doc("evil/xss.html", HOSTILE, title="<script>alert('title')</script>Evil news",
                  outlet="<img src=x onerror=alert('outlet')>", published="2025-03-05",
                  published_precision="day", source="javascript:alert('source')",
                  authors=["<svg onload=alert('author')>"],
                  removed=[{"start": 0, "end": 10, "text": "<script>alert('removed')</script>"}])
    s.insert_rows("actors", [{"id": "evil", "name": "<img src=x onerror=alert('actor')>",
                              "type": "person", "country": "XKX", "aliases": "[]", "meta": "{}"}])
    s.insert_rows("mentions", [b.span_row(h, "m", "Evil <script>", "actors",
                                          text="Evil <script>", label="PERSON", actor_id="evil")])
    s.insert_rows("quotes", [b.span_row(h, "q", "<img src=x onerror=alert(6)> is what we say",
                                        "quotes", text="<img src=x onerror=alert(6)> is what "
                                        "we say", kind="direct", speaker_text="<b onmouseover="
                                        "alert(7)>Mallory</b>", speaker_actor_id="evil")])
    b.event(h, "opened talks with <svg onload=alert(3)> in Brussels on Monday", "opened talks",
            "CONSULT", ["evil"], ["kos_kurti"], ["XKX"], ["XKX"], "2025-03-03", "day", BRUSSELS)
    s.insert_rows("story_docs", [{"story_id": "st1", "doc_id": h, "score": 0.2}])
    s.insert_rows("narratives", [{"id": f"{h}:n1", "doc_id": h, "label": "<script>alert(8)"
                                  "</script>", "share": 0.5, "size": 1,
                                  "keywords": json.dumps(["<svg onload=alert(9)>"]),
                                  "examples": json.dumps(["<img src=x onerror=alert(10)>"]),
                                  "stage": "opinion", "stage_version": "1"}])
    s.insert_rows("zones", [{"id": "z2", "name": "<script>alert('zone')</script>",
                             "geometry": json.dumps({"type": "Point", "coordinates": [20, 42]}),
                             "description": "<img src=x onerror=alert('zd')>",
                             "created_at": "2025-03-01"}])
