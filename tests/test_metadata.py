"""What a document is: title, authors, date, outlet, kind, language, reposts, syndication."""

from __future__ import annotations

import pytest

from storyline.eval.seeds_documents import norm, same_outlet
from storyline.ingest.clean import clean_raw
from storyline.ingest.metadata import (analyze_header, classify_kind, detect_language, find_date,
                                       parse_date, split_names, split_title_outlet, Meta)
from storyline.ingest.types import RawInput
from storyline.settings import load

SETTINGS = load(env={})


def clean(text: str, key: str = "mem://doc.txt", fmt: str = "text", **hints):
    raw = RawInput(source_key=key, source=key, data=text.encode("utf-8"), format=fmt, hints=hints)
    return clean_raw(raw, SETTINGS)[0]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_metadata_matches_gold(prefix, seed_path, gold):
    path = seed_path(prefix)
    doc = clean(path.read_text(encoding="utf-8"), key=str(path))
    want = next(d for d in gold["documents"] if d["doc"] == prefix)
    assert doc.kind == want["kind"]
    assert norm(doc.title) == norm(want["title"])
    assert doc.published == want["published"]
    assert sorted(doc.authors) == sorted(want.get("authors", []))
    assert same_outlet(doc.outlet, want["outlet"])
    if want.get("carrier"):
        assert same_outlet(doc.carrier, want["carrier"])
    if want.get("section"):
        assert doc.section == want["section"]
    assert doc.language == "en"
    for rel in gold["provenance"]:
        if rel["doc"] == prefix and rel["relation"] == "repost_of":
            assert same_outlet(doc.original_outlet, rel["source"])
        if rel["doc"] == prefix and rel["relation"] == "syndicated_from":
            assert same_outlet(doc.syndicated_from, rel["source"])
    if want.get("outlet_inferred"):
        assert doc.outlet_inferred


def test_dates_in_common_forms():
    assert find_date("Sunday, February 5, 2017, 10:00 AM")[0] == ("2017-02-05", "day")
    assert find_date("Published 14 July 2015 at noon")[0] == ("2015-07-14", "day")
    assert find_date("Updated: 2018-06-12T19:40")[0] == ("2018-06-12", "day")
    assert find_date("Sept. 3, 2019")[0] == ("2019-09-03", "day")
    assert find_date("in March 2016 the talks")[0] == ("2016-03", "month")
    assert find_date("May 35, 2017") is None or find_date("May 35, 2017")[0][1] == "month"
    assert parse_date("Fri, 27 Jul 2018 09:30:00 +0800") == ("2018-07-27", "day")
    assert parse_date("2018-07") == ("2018-07", "month")
    assert parse_date("") is None


def test_bylines_and_names():
    assert split_names("Felicia Schwartz, Gordon Lubold.") == ["Felicia Schwartz", "Gordon Lubold"]
    assert split_names("Carol R. Saivetz") == ["Carol R. Saivetz"]
    assert split_names("Anna de la Cruz and Omar al-Masri") == ["Anna de la Cruz", "Omar al-Masri"]
    assert split_names("Politics Security World") == []
    assert split_names("135 comments") == []
    header = analyze_header(["World News", "Talks collapse in Geneva as envoys walk out",
                             "By Maria Lopez | Reuters", "3 March 2019", "",
                             "GENEVA (Reuters) - Envoys walked out of the talks on Sunday, ending a week "
                             "of negotiations without an agreement, diplomats said."])
    assert header.title == "Talks collapse in Geneva as envoys walk out"
    assert header.authors == ["Maria Lopez"] and header.date == ("2019-03-03", "day")
    assert header.section == "World News"


def test_title_with_outlet_on_either_side():
    assert split_title_outlet("Iran deal reached after marathon talks | Reuters") == \
        ("Iran deal reached after marathon talks", "Reuters")
    assert split_title_outlet("The Guardian - Iran deal reached after marathon talks") == \
        ("Iran deal reached after marathon talks", "The Guardian")
    assert split_title_outlet("Iran - the deal explained") == ("Iran - the deal explained", None)


WIRE = """Envoys agree to extend nuclear talks by a week

July 7, 2015

VIENNA (Meridian Wire) — Iran and six world powers agreed on Tuesday to extend their
negotiations until July 10, officials said, as disputes over inspections and an arms
embargo remained unresolved.

Diplomats said the foreign ministers would stay in Vienna. A spokesman told reporters that
"real progress" had been made but that several issues were still open.
"""


def test_wire_report_outlet_from_dateline_and_kind():
    doc = clean(WIRE)
    assert doc.outlet == "Meridian Wire" and doc.kind == "news_report"
    assert doc.published == "2015-07-07" and doc.authors == []


def test_hints_win_over_text():
    doc = clean(WIRE, title="Talks extended", outlet="Example Agency", published="2015-07-08",
                authors=["Jo Smith"], url="https://www.reuters.com/x")
    assert (doc.title, doc.outlet, doc.published, doc.authors) == \
        ("Talks extended", "Example Agency", "2015-07-08", ["Jo Smith"])


def test_url_host_gives_outlet_when_nothing_else_does():
    text = "Short note about the talks\n\nThe talks will continue tomorrow in Vienna, a diplomat said.\n"
    doc = clean(text, key="https://www.nytimes.com/2015/07/08/world/talks.html")
    assert doc.outlet == "The New York Times"


def test_repost_channel_and_syndication_notices():
    repost = ("Financial Times - Gas prices rise as talks stall\n\nEurope Leaks\n\n"
              "https://t.me/europe_leaks\n\nMarch 2, 2022. Ann Smith.\n\n"
              "Gas prices rose sharply on Wednesday as talks between the two governments stalled, "
              "traders said, with no new meeting planned.\n\nSubscribe to Europe Leaks for more\n")
    doc = clean(repost)
    assert doc.outlet == "Financial Times" and doc.original_outlet == "Financial Times"
    assert doc.carrier == "Europe Leaks" and doc.title == "Gas prices rise as talks stall"
    assert "europe_leaks" not in doc.clean_text and "Subscribe" not in doc.clean_text
    synd = ("The Daily Flag\n\nSenators demand a vote on the agreement\n\n"
            "Senators from both parties demanded on Monday a vote on the nuclear agreement, according "
            "to a report by the Hill, before any sanctions are lifted.\n\n"
            "This story was republished from Capitol Newswire under a Creative Commons license.\n")
    doc = clean(synd)
    assert doc.outlet == "The Daily Flag"
    assert doc.syndicated_from == "Capitol Newswire" and doc.original_outlet == "Capitol Newswire"


def test_kinds_from_structure():
    press = ("FOR IMMEDIATE RELEASE\n\nAgency welcomes agreement\n\nThe agency welcomed the agreement "
             "reached today and will begin monitoring soon.\n\nMedia contact: press@agency.example\n")
    assert clean(press).kind == "press_release"
    transcript = "Press briefing transcript\n\n" + "\n".join(
        f"{'MS. LEE' if i % 2 else 'QUESTION'}: Line {i} of the briefing about the talks." for i in range(10))
    assert clean(transcript).kind == "transcript"
    meta = Meta(title="Opinion: Why the deal is a mistake")
    assert classify_kind("We think this is wrong. " * 20, meta, False) == "essay"
    assert classify_kind("Anything at all.", Meta(), True) == "comment_thread"


@pytest.mark.parametrize("text,lang", [
    ("Les négociateurs se sont réunis à Vienne pour la dernière étape des discussions sur le "
     "programme nucléaire, et ils ont dit que les progrès sont réels.", "fr"),
    ("Die Verhandlungen in Wien wurden am Dienstag fortgesetzt, und die Diplomaten sagten, dass es "
     "noch offene Fragen gibt.", "de"),
    ("Las conversaciones en Viena continuaron el martes y los diplomáticos dijeron que todavía hay "
     "diferencias por resolver.", "es"),
    ("Переговоры в Вене продолжились во вторник, и дипломаты сказали, что это еще не конец.", "ru"),
    ("واصل المفاوضون محادثاتهم في فيينا يوم الثلاثاء وقال الدبلوماسيون إن الخلافات ما زالت قائمة", "ar"),
    ("The negotiators met in Vienna on Tuesday and said that some differences remain.", "en"),
])
def test_language_detection(text, lang):
    assert detect_language(text) == lang


def test_channel_repost_with_source_line():
    text = ("FT: Iran deal close, diplomats say\n\n"
            "Iran and world powers are close to a final agreement, diplomats said on Sunday, after 16 "
            "days of talks in Vienna. Officials cautioned that several issues remained open.\n\n"
            "Source: Financial Times\nJoin us 👉 t.me/world_news_free\n")
    doc = clean(text)
    assert doc.title == "Iran deal close, diplomats say"
    assert doc.outlet == "Financial Times" and doc.original_outlet == "Financial Times"
    assert doc.carrier == "world_news_free"
    assert "t.me" not in doc.clean_text and "Source:" not in doc.clean_text


def test_date_from_a_dateline_when_the_header_has_none():
    text = ("Envoys agree on a ceasefire plan\n\n"
            "GENEVA, March 3, 2016 — Envoys agreed on Thursday to a plan for a ceasefire in the "
            "north, officials said, after a week of talks.\n")
    doc = clean(text)
    assert doc.published == "2016-03-03" and doc.published_precision == "day"


BODY = ("Envoys agree on a ceasefire plan\n\nEnvoys agreed on Thursday to a plan for a "
        "ceasefire in the north, officials said, after a week of talks.\n")


@pytest.mark.parametrize("key, published", [
    ("/archive/ap_2016-03-03_envoys-agree.txt", "2016-03-03"),
    ("https://news.example.org/2016/03/03/envoys-agree", "2016-03-03"),
    ("/archive/20160303-envoys.txt", "2016-03-03"),
    ("/backup-2024-01-01/envoys-agree.txt", None),  # a folder's date is not the document's
    ("/archive/story-2016-13-45.txt", None),         # not a day
    ("/archive/id_120160303456.txt", None),          # digits of a longer number
])
def test_date_from_the_file_name_of_an_undated_document(key, published):
    doc = clean(BODY, key=key)
    assert doc.published == published
    assert doc.published_precision == ("day" if published else None)


def test_a_url_with_year_and_month_only_gives_no_day():
    doc = clean(BODY, key="/feeds/items.jsonl#line7",
                url="https://www.nola.com/news/2018/01/envoys-agree.html")
    assert doc.published is None


def test_date_from_the_dated_url_of_a_record():
    doc = clean(BODY, key="/feeds/items.jsonl#line7",
                url="https://news.example.org/2018/03/31/envoys-agree")
    assert (doc.published, doc.published_precision) == ("2018-03-31", "day")


def test_a_date_in_the_text_wins_over_the_file_name():
    text = BODY.replace("Envoys agreed", "GENEVA, March 5, 2016 — Envoys agreed")
    assert clean(text, key="/archive/2016-03-03_envoys.txt").published == "2016-03-05"


@pytest.mark.parametrize("text, title", [
    ("Hillary Clinton gets testy on campaign trail.\n\nPURCHASE, N.Y., April 1 (UPI) — The "
     "race for the Democratic nomination is taking on a testier tone, with the front-runner "
     "taking on protesters twice on Thursday.\n", "Hillary Clinton gets testy on campaign trail"),
    ("Envoys fly to Washington to meet the U.S.\n\nEnvoys from six countries flew to "
     "Washington on Monday for two days of talks with officials about the ceasefire.\n",
     "Envoys fly to Washington to meet the U.S."),
    # two sentences, a long sentence, or a short one before another short one: paragraphs
    ("The talks failed. Envoys left Geneva.\n\nEnvoys from six countries left Geneva on "
     "Monday after two days of talks with officials about the ceasefire plan.\n", None),
    ("Envoys from six countries left Geneva on Monday after two days of talks with officials "
     "about the plan for a ceasefire in the north.\nThey will meet again in May, a spokesman "
     "for the mediators said on Tuesday in a statement to the press.\n", None),
    ("The talks failed on Monday.\n\nEnvoys left Geneva on Tuesday.\n", None),
])
def test_a_headline_ending_with_a_full_stop(text, title):
    assert clean(text).title == title
