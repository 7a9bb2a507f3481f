"""The query layer shared by the briefing and the web app, on a realistic fixture store."""

from __future__ import annotations

import pytest
from report_fixtures import BORDER, REUTERS, REWRITE, build_store, doc_id

from storyline.report import queries as Q
from storyline.report.sources import SourceIndex, format_citations, sources_table
from storyline.report.util import clean_sentence, date_label, digest_date, overlaps, safe_url
from storyline.store.db import open_store

REUTERS_ID = doc_id("wire/reuters-talks.txt")
MIRROR_ID = doc_id("channel/mirror-123.txt")
REWRITE_ID = doc_id("web/balkan-insight.html")
DIGEST_ID = doc_id("digest/weekly.txt")
THREAD_ID = doc_id("thread/comments.txt")
BORDER_ID = doc_id("local/kosovo-online.txt")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "store.db"
    build_store(path).close()
    with open_store(path, readonly=True) as s:
        yield s


def test_repost_is_cited_as_its_original_outlet(store):
    index = SourceIndex(store)
    assert index.origin(MIRROR_ID).label == "Reuters"
    assert index.origin(MIRROR_ID).key == index.origin(REUTERS_ID).key
    assert index.origin(REWRITE_ID).label == "Associated Press via Balkan Insight"
    assert index.origin(REUTERS_ID).cite()["text"] == "Reuters, 03.04.25"
    # the repost and its original count once; the rewrite of another agency counts apart
    assert index.independent([REUTERS_ID, MIRROR_ID]) == 1
    assert index.independent([REUTERS_ID, MIRROR_ID, REWRITE_ID]) == 2


def test_digest_statement_cites_what_the_digest_names_inline(store):
    index = SourceIndex(store)
    text = store.scalar("SELECT clean_text FROM documents WHERE id=?", (DIGEST_ID,))
    start = text.index("Vucic and Kurti agreed")
    cites = index.cite(DIGEST_ID, start, text.index("(Reuters"), text)
    assert [c["text"] for c in cites] == ["Reuters, 03.04.25", "AP, 03.05.25"]
    assert format_citations(cites) == "(Reuters, 03.04.25; AP, 03.05.25 — via Balkans Weekly)"
    second = text.index("Vucic threatened")
    assert [c["text"] for c in index.cite(DIGEST_ID, second, second + 20, text)] == \
        ["AP, 03.05.25"]


def test_sources_table_says_original_or_derivative_and_what_was_cited(store):
    rows = {r["outlet"]: r for r in sources_table(SourceIndex(store))}
    assert rows["Reuters"]["status"] == "original"
    assert rows["Balkan News Mirror"]["status"].startswith("repost of Reuters")
    assert rows["Balkan Insight"]["derivative"] is True
    assert "Associated Press" in rows["Balkan Insight"]["cited"]
    assert rows["Balkans Weekly"]["cited"] == ["Reuters, 03.04.25", "AP, 03.05.25"]
    assert rows["The Guardian"]["kind"] == "comment thread"


def test_events_carry_names_dates_and_corroboration(store):
    events = {e["id"]: e for e in Q.events(store)}
    agree = next(e for e in events.values() if e["doc_id"] == REUTERS_ID and e["type"] == "AGREE")
    assert agree["sources"][0]["name"] == "Aleksandar Vucic"
    assert agree["date_label"] == "3 March 2025" and agree["date_precision"] == "day"
    assert agree["corroboration"] == "corroborated"
    detain = next(e for e in events.values() if e["doc_id"] == BORDER_ID and e["type"] == "COERCE")
    assert detain["corroboration"] == "contested"
    demand = next(e for e in events.values() if e["type"] == "REQUEST")
    assert demand["date_label"] == "March 2025" and demand["date_precision"] == "month"
    rumour = next(e for e in events.values() if e["doc_id"] == THREAD_ID)
    assert rumour["from_comment"] is True


def test_event_filters(store):
    in_zone = Q.events(store, Q.Filters(zone="North Kosovo"))
    assert in_zone and all(e["place_name"] == "Jarinje" for e in in_zone)
    # a zone named by id matches events by their coordinates too
    assert {e["id"] for e in Q.events(store, Q.Filters(zone="z1"))} >= {e["id"] for e in in_zone
                                                                         if e["zones"]}
    by_actor = Q.events(store, Q.Filters(actor="Kurti"))
    assert by_actor and all("Albin Kurti" in [p["name"] for p in e["sources"] + e["targets"]]
                            for e in by_actor)
    assert all(e["type"] == "COERCE" for e in Q.events(store, Q.Filters(type="coerce")))
    early = Q.events(store, Q.Filters(until="2025-03-02"))
    assert early and all(e["date_start"] <= "2025-03-02" for e in early)
    month = Q.events(store, Q.Filters(since="2025-03-04"))
    assert [e["type"] for e in month] == ["REQUEST", "THREATEN"]  # the month overlaps
    future = Q.events(store, Q.Filters(modality="future"))
    assert [e["type"] for e in future] == ["THREATEN"]
    story2 = Q.events(store, Q.Filters(story="st2"))
    assert story2 and {e["doc_id"] for e in story2} == {BORDER_ID}
    assert Q.events(store, Q.Filters(corroboration="contested"))


def test_quotes_leave_comments_out_and_group_by_speaker(store):
    groups = Q.key_quotes_by_actor(store)
    speakers = [g["speaker"] for g in groups]
    assert "Miroslav Lajcak" in speakers and "Albin Kurti" in speakers
    assert speakers[-1] == "A Serbian government spokesman"  # unnamed sources come last
    lajcak = next(g for g in groups if g["speaker"] == "Miroslav Lajcak")
    assert lajcak["quotes"][0]["text"] == "This is a small but real step forward"


def test_network_and_dyad_trend(store):
    facts = [e for e in Q.events(store) if not e["from_comment"]]
    net = Q.network(facts)
    edge = next(e for e in net["edges"] if e["source"] == "Serbian police")
    assert edge["target"] == "Kosovo customs" and edge["score"] < 0 and edge["count"] == 3
    trend = Q.dyad_trend(facts)
    assert trend["period"] == "week"
    pair = trend["series"][0]
    assert pair["pair"] == "SRB–XKX"
    # conflict in the first week (the detentions), cooperation in the next (the agreement)
    assert pair["points"][0]["score"] < 0 < pair["points"][-1]["score"]


def test_full_text_search_is_safe_with_any_input(store):
    found = Q.search(store, "commission")
    assert found["total"] >= 2
    assert all(Q.HL_OPEN in h["snippet"] for h in found["results"])
    for nasty in ('"unbalanced', "NEAR(a b", "a* OR -b", "col:val", "'; DROP TABLE x;--", "***"):
        assert isinstance(Q.search(store, nasty)["total"], int)
    assert Q.search(store, "commission", Q.Filters(story="st2"))["total"] == 0


def test_sentence_lookup_finds_the_exact_source(store):
    sentences = Q.Sentences(store)
    start = REUTERS.index("detained")
    found = sentences.at(REUTERS_ID, start, start + 8)
    assert found["text"].startswith("Serbian police detained two Kosovo customs officers")
    assert REUTERS[found["start"]:found["end"]] == found["text"]


def test_contradictions_and_narratives(store):
    (dispute,) = Q.contradictions(store)
    a, b = dispute["sides"]
    assert a["source"] == "Reuters" and "detained" in a["text"]
    assert REWRITE[b["start"]:b["end"]] == b["text"]
    narratives = Q.narratives(store)
    assert {n["label"] for n in narratives} == {"The EU is weak and the talks are theatre",
                                                "Any dialogue is better than war"}
    weak = next(n for n in narratives if "weak" in n["label"])
    assert [e["author"] for e in weak["examples"]] == ["Marko", "Luan"]


def test_empty_store_degrades_gracefully(tmp_path):
    with open_store(tmp_path / "empty.db") as s:
        assert Q.events(s) == [] and Q.stories(s) == [] and Q.places(s) == []
        assert Q.search(s, "anything")["total"] == 0
        assert Q.network([]) == {"nodes": [], "edges": []}
        assert Q.dyad_trend([]) == {"period": None, "series": []}
        assert Q.summary(s)["documents"] == 0


def test_helpers():
    assert digest_date("2017-06-09") == "06.09.17"
    assert digest_date("2017-05", "month") == "05.17"
    assert date_label("2017-05-03", "2017-05-04", "range") == "3–4 May 2017"
    assert date_label("2017-05", None, None) == "May 2017"
    assert overlaps("2017-05", None, "2017-05-20", None)
    assert not overlaps("2017-04", None, "2017-05-01", None)
    assert not overlaps(None, None, "2017-01-01", None)
    raw = "  • Talks resumed (AP, 05.03.17)."
    cut = (raw.index("AP"), raw.index("17)") + 2)
    assert clean_sentence(raw, [cut]) == "Talks resumed."
    assert safe_url("https://example.org/a?b=1") and not safe_url("javascript:alert(1)")
    assert not safe_url("data:text/html,<script>") and not safe_url("https://x.org/\"onmouseover=")
    assert BORDER.count("Jarinje") == 2


def test_a_cited_sentence_is_widened_to_its_whole_quotation(tmp_path):
    from report_fixtures import Builder

    text = ("“Applying those questions to the candidates,” the activist continued, “you and "
            "I should unite. I believe that person is the senator.”\n"
            "The minister called the talks “very productive. We meet again. Then we decide. "
            "After that we sign. Then we rest. Finally we go home.”\n"
            "She said: “It was good.” Nothing else was said.\n")
    store = open_store(tmp_path / "quotes.db")
    b = Builder(store)
    with store.transaction():
        doc = b.add_doc("x/quotes.txt", text, title="Quotes")
    sentences = Q.Sentences(store)
    line1, line2, _ = text.splitlines()
    senator = text.index("I believe")
    found = sentences.at(doc, senator, senator + 10)
    assert found["text"] == line1 and found["start"] == 0
    # a quotation longer than the widening allows stays as the parser cut it
    start = text.index("The minister")
    found = sentences.at(doc, start, start + 5)
    assert found["text"] == "The minister called the talks “very productive."
    assert Q.quote_balance(found["text"]) == 1
    # balanced sentences are untouched; the widening never leaves the paragraph
    start = text.index("Nothing")
    assert sentences.at(doc, start, start + 5)["text"] == "Nothing else was said."
    store.close()


@pytest.mark.parametrize("text, balance", [
    ("He said it was a “very good call.", 1), ("So we will see.” The talks", -1),
    ("“Yes,” he said, “we will.”", 0), ('he said "we will go.', 1), ('we go." The end', -1),
    ("no quotation at all", 0),
])
def test_quote_balance(text, balance):
    assert Q.quote_balance(text) == balance


def test_one_outlet_named_two_ways_is_cited_once():
    cites = [{"text": "Associated Press", "label": "Associated Press", "date": None},
             {"text": "The Associated Press", "label": "The Associated Press", "date": None},
             {"text": "CBS News via Associated Press", "label": "CBS News via Associated Press",
              "date": None}]
    assert format_citations(cites) == "(Associated Press; CBS News via Associated Press)"
    dated = [{"text": "Meridian Wire", "label": "Meridian Wire", "date": None},
             {"text": "Meridian Wire, 06.12.18", "label": "Meridian Wire", "date": "06.12.18"},
             {"text": "KCNA, 06.13.18", "label": "KCNA", "date": "06.13.18"}]
    assert format_citations(dated) == "(Meridian Wire, 06.12.18; KCNA, 06.13.18)"


def test_an_untitled_document_is_named_by_its_opening_words(tmp_path):
    from report_fixtures import Builder

    text = ("Poll: Senator Leads Rival in a Three-Way Contest.\n\nThe senator does better "
            "against both rivals, according to a new poll.\n")
    store = open_store(tmp_path / "untitled.db")
    b = Builder(store)
    with store.transaction():
        doc = b.add_doc("x/untitled.txt", text, title=None, outlet=None, source=None)
    label = SourceIndex(store).origin(doc).label
    assert label.startswith("“Poll: Senator Leads Rival") and doc not in label
    store.close()
