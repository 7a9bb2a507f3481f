"""The briefing: content built from the store, and its HTML, Markdown and JSON renderings."""

from __future__ import annotations

import json
import re

import pytest
from lxml import html as lxml_html
from report_fixtures import build_store, doc_id

from storyline.errors import ConfigError, NotFound
from storyline.report.brief import write_brief
from storyline.report.content import build
from storyline.report.queries import Filters
from storyline.settings import load
from storyline.store.db import open_store

THREAD_ID = doc_id("thread/comments.txt")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "store.db"
    build_store(path).close()
    with open_store(path, readonly=True) as s:
        yield s


@pytest.fixture(scope="module")
def settings():
    return load(env={})


@pytest.fixture(scope="module")
def brief(store, settings):
    return build(store, settings)


def _doc_text(store, doc_id_):
    return store.scalar("SELECT clean_text FROM documents WHERE id=?", (doc_id_,))


def _words(text):
    return re.findall(r"\w+", text.lower())


def test_every_statement_is_extractive_and_points_at_its_source(store, brief):
    statements = brief["headline"] + [u for s in brief["sections"] for u in s["bullets"]]
    assert len(brief["headline"]) == 3
    for item in statements:
        ref = item["ref"]
        source = _doc_text(store, ref["doc_id"])
        assert source[ref["start"]:ref["end"]] == ref["text"]
        # deletions only: the statement's words appear, in order, in the source sentence
        words, pool = _words(item["text"]), _words(ref["text"])
        pos = 0
        for w in words:
            pos = pool.index(w, pos) + 1
    assert len({h["ref"]["doc_id"] for h in brief["headline"]}) == 3


def test_bullets_have_digest_citations_and_badges(brief):
    sections = {s["title"]: s["bullets"] for s in brief["sections"]}
    assert list(sections) == ["EU-brokered Serbia-Kosovo talks", "Jarinje border incident"]
    bullets = [b for bs in sections.values() for b in bs]
    agree = next(b for b in bullets if "joint commission" in b["text"] and b["type"] == "AGREE")
    assert agree["badge"] == "corroborated"
    # the repost is cited as Reuters, once; the rewrite names the agency it retells
    assert agree["citation_text"] == "(Reuters, 03.04.25; Associated Press via Balkan Insight, " \
                                     "03.05.25)"
    detained = next(b for b in bullets if "detained" in b["text"])
    assert detained["badge"] == "contested"
    lone = next(b for b in bullets if "freight" in b["text"])
    assert lone["badge"] == "single-source"
    threat = next(b for b in bullets if "threatened" in b["text"])
    assert threat["modality"] == "future"
    assert threat["citation_text"] == "(AP, 03.05.25 — via Balkans Weekly)"
    assert "(AP" not in threat["text"]  # the inline citation left the sentence
    # bullets are ranked: corroborated/contested developments first
    first = sections["EU-brokered Serbia-Kosovo talks"]
    assert first[0]["salience"] >= first[-1]["salience"]
    assert {first[0]["badge"], first[1]["badge"]} == {"corroborated", "contested"}


def test_no_comment_is_presented_as_fact(brief):
    facts = [u["text"] for s in brief["sections"] for u in s["bullets"]] + \
        [h["text"] for h in brief["headline"]] + [t["text"] for t in brief["timeline"]]
    assert not any("protesters" in t for t in facts)
    assert all(r["doc_id"] != THREAD_ID for g in brief["quotes"] for r in
               [q["ref"] for q in g["quotes"]])
    (thread,) = brief["reaction"]
    assert thread["doc_id"] == THREAD_ID
    assert [n["share"] for n in thread["narratives"]] == [0.4, 0.4]
    assert thread["narratives"][0]["examples"][0]["author"]


def test_disputed_quotes_timeline_map_sources(brief):
    (dispute,) = brief["disputed"]
    assert [s["source"] for s in dispute["sides"]] == [
        "Reuters", "Serbian government spokesman (Balkan Insight)"]
    assert all(s["ref"] for s in dispute["sides"])
    speakers = [g["speaker"] for g in brief["quotes"]]
    assert "Miroslav Lajcak" in speakers
    dates = [t["date"] for t in brief["timeline"]]
    assert dates == sorted(dates, key=lambda d: d[:7]) and len(dates) >= 6
    assert {t["precision"] for t in brief["timeline"]} == {"day", "month"}
    assert brief["map"]["zones"][0]["name"] == "North Kosovo"
    assert {p["name"] for p in brief["map"]["events"]} == {"Brussels", "Jarinje"}
    assert brief["dyads"]["series"][0]["pair"] == "SRB–XKX"
    assert any(e["score"] < 0 for e in brief["network"]["edges"])
    assert {r["outlet"] for r in brief["sources"]} >= {"Reuters", "Balkan News Mirror"}
    assert json.loads(json.dumps(brief)) == brief


def test_filters_narrow_the_briefing(store, settings):
    zone = build(store, settings, Filters(zone="North Kosovo"))
    texts = [u["text"] for s in zone["sections"] for u in s["bullets"]]
    assert texts and all("Jarinje" in t or "crossing" in t for t in texts)
    late = build(store, settings, Filters(since="2025-03-05"))
    assert all(t["date"] >= "2025-03" for t in late["timeline"])
    story = build(store, settings, Filters(story="st2"))
    assert [s["title"] for s in story["sections"]] == ["Jarinje border incident"]
    assert story["title"] == "Briefing: Jarinje border incident"
    actor = build(store, settings, Filters(actor="Svecla"))
    assert [g["speaker"] for g in actor["quotes"]] == ["Xhelal Svecla"]


def test_write_brief_writes_the_same_content_in_three_formats(store, settings, tmp_path):
    out = write_brief(store, tmp_path / "out", settings, title="Balkans briefing")
    assert set(out) == {"html", "md", "json"}
    data = json.loads((tmp_path / "out" / "brief.json").read_text())
    md = (tmp_path / "out" / "brief.md").read_text()
    page = (tmp_path / "out" / "brief.html").read_text()
    assert data["title"] == "Balkans briefing"
    tree = lxml_html.fromstring(page)
    shown = " ".join(tree.text_content().split())
    for section in data["sections"]:
        for bullet in section["bullets"]:
            assert bullet["text"] in md
            assert bullet["text"] in shown
            # every bullet links to its source sentence, shown in full on hover
            link = tree.xpath(f'//li[@data-badge][contains(., "{bullet["text"][:40]}")]'
                              '//a[@class="cite"]')[0]
            assert link.get("href") == f"#{bullet['ref']['id']}"
            assert bullet["ref"]["text"] in link.get("title")
            assert tree.xpath(f'//li[@id="{bullet["ref"]["id"]}"]')
    assert "[^ref1]:" in md and "## Disputed" in md and "## Public reaction" in md
    # offline: no script or stylesheet is fetched, and the page allows no network
    assert not tree.xpath("//script[@src] | //link[@rel='stylesheet']")
    assert "connect-src 'none'" in tree.xpath("//meta[@http-equiv]")[0].get("content")
    assert "world_110m" in page and "plotly.js" in page


def test_hostile_text_is_inert_in_every_format(tmp_path, settings):
    path = tmp_path / "hostile.db"
    build_store(path, hostile=True).close()
    with open_store(path, readonly=True) as s:
        out = write_brief(s, tmp_path / "out", settings)
    page = open(out["html"], encoding="utf-8").read()
    tree = lxml_html.fromstring(page)
    assert "Evil" in tree.text_content()  # the hostile document is in the briefing
    for script in tree.xpath("//script"):
        assert script.get("type") in (None, "application/json")
        assert "alert(" not in (script.text or "") or script.get("type") == "application/json"
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("img", "svg", "iframe", "object", "b")
        assert not [a for a in el.attrib if a.lower().startswith("on")]
        assert "javascript:" not in (el.get("href") or "") + (el.get("src") or "")
    md = open(out["md"], encoding="utf-8").read()
    assert not any(marker.split("=")[0] in md for marker in ("<script>", "<img", "<svg"))
    assert "](javascript:" not in md


def test_errors_are_user_errors(store, settings, tmp_path):
    with pytest.raises(NotFound):
        write_brief(store, tmp_path, settings, story="no-such-story")
    with pytest.raises(ConfigError):
        write_brief(store, tmp_path, settings, since="last week")
    with pytest.raises(ConfigError):
        write_brief(store, tmp_path, settings, formats=("docx",))


def test_cli_briefs_an_existing_store(tmp_path, capsys):
    from storyline.cli.main import main

    path = tmp_path / "s.db"
    build_store(path).close()
    code = main(["brief", "--db", str(path), "-o", str(tmp_path / "b"), "--format", "md",
                 "--format", "json", "--zone", "North Kosovo"])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["brief.json", "brief.md"]
    data = json.loads((tmp_path / "b" / "brief.json").read_text())
    assert data["filters"] == {"zone": "North Kosovo"}
    code = main(["brief", "--db", str(tmp_path / "missing.db"), "-o", str(tmp_path / "c")])
    assert code != 0 and "error:" in capsys.readouterr().err


@pytest.mark.parametrize("text, shown", [
    ("1. Europeans are tired of the sanctions.", "1. Europeans are tired of the sanctions."),
    ("12) a reader's numbered point", "12) a reader's numbered point"),
    ("- not a list item", "- not a list item"),
    ("# not a heading", "# not a heading"),
    ("*Putin* [link](javascript:x) <b>", "*Putin* [link](javascript:x) <b>"),
])
def test_markdown_shows_untrusted_text_literally(text, shown):
    from markdown_it import MarkdownIt

    from storyline.report.render import md

    rendered = MarkdownIt("commonmark").render(md(text))
    tree = lxml_html.fromstring(rendered)
    assert tree.tag == "p" and not tree.getchildren()
    assert tree.text_content() == shown
