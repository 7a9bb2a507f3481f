"""The places stage on realistic text: recognition beyond spaCy's labels, metonymy,
demonyms, context-driven resolution, commenter locations, zones in text, the seeds."""

from __future__ import annotations

import json

import pytest

from storyline.geo.gazetteer import distance_km
from storyline.geo.stage import find_places
from storyline.ingest.types import Comment, Document
from storyline.nlp.types import Parsed
from storyline.registry import DocState
from storyline.settings import load


@pytest.fixture(scope="module")
def settings():
    return load(env={})


@pytest.fixture(scope="module")
def read(nlp, settings):
    def run(text, *, outlet=None, comments=()):
        doc = Document(id="dtest", source_key="test", content_sha256="x", clean_text=text,
                       outlet=outlet)
        state = DocState(doc_id="dtest", artifacts={
            "document": doc, "nlp": Parsed(doc=nlp(text)), "comments": list(comments)})
        find_places(state, settings)
        return state["places"]
    return run


def one(places, text, kind=None):
    hits = [p for p in places if p.text == text and (kind is None or p.kind == kind)]
    assert hits, f"{text!r} not among {[(p.text, p.kind) for p in places]}"
    return hits[0]


def test_metonymy_demonyms_and_literal_places(read):
    places = read("Moscow said on Tuesday that talks with Washington would resume in Geneva. "
                  "Russian-sponsored talks in Astana, Kazakhstan, ended without a deal.")
    assert one(places, "Moscow").kind == "metonymic"
    assert one(places, "Washington").kind == "metonymic"
    assert one(places, "Geneva").country == "CH"
    astana = one(places, "Astana")
    assert (astana.kind, astana.country) == ("literal", "KZ")
    assert not any(p.text.startswith("Russian") for p in places)  # a demonym is no place


def test_region_border_and_zone_expressions(read):
    text = ("The U.S. and its allies are operating out of a base near the Syrian town of Al Tanf "
            "near the Iraqi border. The military warned Assad's forces to stay out of a 33-mile "
            "zone around the base. Fighting continued in southwest Syria and in Idlib province.")
    places = read(text)
    tanf = one(places, "Al Tanf")
    assert tanf.country == "SY" and distance_km(tanf.lat, tanf.lon, 33.5, 38.65) < 40
    border = one(places, "the Iraqi border")
    assert border.kind == "border" and border.country == "SY"
    assert 39 < border.lon < 43  # between Syria's and Iraq's centres
    zone = one(places, "a 33-mile zone around the base")
    assert zone.kind == "zone" and zone.radius_km == pytest.approx(53.1, abs=0.1)
    assert (zone.lat, zone.lon) == (tanf.lat, tanf.lon)
    southwest = one(places, "southwest Syria")
    assert southwest.kind == "region" and southwest.country == "SY" and southwest.geonameid is None
    assert southwest.lat < 35.0 and southwest.lon < 38.0  # south-west of Syria's centre
    idlib = one(places, "Idlib province")
    assert (idlib.country, idlib.feature_code) == ("SY", "ADM1")


def test_same_name_places_follow_the_context(read):
    places = read("Paris, Texas, is a small town. Tornadoes hit Paris and nearby Clarksville "
                  "on Sunday, the National Weather Service in Fort Worth said.")
    assert {p.country for p in places if p.text == "Paris"} == {"US"}
    places = read("Protesters marched through Paris on Saturday, from the Place de la "
                  "Republique towards the Bastille, as France braced for strikes.")
    assert one(places, "Paris").country == "FR"


def test_georgia_country_beside_ukraine_and_state_for_commenters(read):
    places = read("Trump might promise that Ukraine and Georgia would never join NATO.")
    assert one(places, "Georgia").country == "GE"
    thread = ("Annie Dooley (Georgia)\nPutin will never leave Ukraine.\n"
              "Mary (Atlanta)\nThe war needs to end.\n")
    comments = [Comment(id="c0", idx=0, author="Annie Dooley", location="Georgia",
                        text="Putin will never leave Ukraine.", start=23, end=54),
                Comment(id="c1", idx=1, author="Mary", location="Atlanta",
                        text="The war needs to end.", start=70, end=91)]
    places = read(thread, outlet="The New York Times", comments=comments)
    georgia = one(places, "Georgia", kind="commenter")
    assert (georgia.country, georgia.feature_code) == ("US", "ADM1")
    assert one(places, "Atlanta", kind="commenter").admin1 == "Georgia"


def test_jordan_the_country_and_jordan_the_person(read):
    text = "Michael Jordan scored 40 points. Refugees crossed into Jordan on Monday."
    places = read(text)
    assert [(p.start, p.country) for p in places] == [(text.rindex("Jordan"), "JO")]
    visit = read("Putin flew home after a short visit to Moscow, where the Kremlin said the "
                 "talks had gone well.")
    assert one(visit, "Moscow").kind == "literal"
    assert one(visit, "Kremlin").kind == "metonymic"


def test_focus_location(read):
    places = read("Airstrikes hit Idlib on Monday. Syria's army advanced near Idlib while Russia "
                  "said talks in Astana would continue. In Idlib, hospitals were full.")
    focus = {p.name for p in places if p.is_focus}
    assert focus == {"Idlib"}
    assert all(p.kind == "literal" for p in places if p.is_focus)


def test_unknown_text_gives_no_places(read):
    assert read("The committee met on Tuesday and agreed to meet again.") == []


# --- the seeds ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_places_store(tmp_path_factory, settings):
    from conftest import need_shared, SEEDS
    from storyline.flow import document_stages, process_document
    from storyline.ingest.sources import iter_inputs
    from storyline.store.db import open_store
    from storyline.store.documents import save_document

    need_shared()
    store = open_store(tmp_path_factory.mktemp("geo") / "seeds.db")
    stages = document_stages(["clean", "nlp", "places"])
    for raw in iter_inputs([SEEDS], settings):
        save_document(store, process_document(raw, settings, stages))
    yield store
    store.close()


def test_seed_places_found_in_the_right_country(seeds_places_store, gold):
    from storyline.eval.seeds import seed_documents
    from storyline.eval.seeds_geo import score

    result = score(seeds_places_store, gold, seed_documents(seeds_places_store))["places"]
    assert result["misses"] == [] and result["score"] == 1.0, result


def test_seed_places_rows_are_complete(seeds_places_store):
    rows = seeds_places_store.query("SELECT * FROM places")
    assert len(rows) > 100
    resolved = [r for r in rows if r["lat"] is not None]
    assert len(resolved) / len(rows) > 0.9
    for r in resolved:
        assert r["name"] and r["feature_code"] and r["id"].startswith(r["doc_id"] + ":p")
        assert json.loads(r["zones"]) == []
        text = seeds_places_store.scalar("SELECT clean_text FROM documents WHERE id=?", (r["doc_id"],))
        assert text[r["start"]:r["end"]] == r["text"]
    focus = seeds_places_store.query("SELECT DISTINCT doc_id, country FROM places WHERE is_focus=1")
    assert {r["country"] for r in focus} <= {"SY", "RU"} and len(focus) == 5
