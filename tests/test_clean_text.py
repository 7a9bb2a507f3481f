"""Cleaning plain text and Markdown: exact offsets, boilerplate removal, learned templates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from storyline.errors import UnsupportedInput
from storyline.ingest import boilerplate
from storyline.ingest.clean import clean_raw, text_lines
from storyline.ingest.formats import decode
from storyline.ingest.types import OffsetMap, RawInput
from storyline.settings import load

SETTINGS = load(env={})


def clean(text: str | bytes, fmt: str = "text", key: str = "mem://doc", **hints):
    data = text.encode("utf-8") if isinstance(text, str) else text
    raw = RawInput(source_key=key, source=key, data=data, format=fmt, hints=hints)
    return clean_raw(raw, SETTINGS)


def assert_exact(doc, data: bytes, *, complete: bool = True, removed_exact: bool = True) -> None:
    """Every segment copies the raw text exactly; with ``complete``, every clean char is covered."""
    raw_text = decode(data)[0]
    offsets = OffsetMap.from_json(doc.offsets)
    covered = 0
    last_end = 0
    for c, r, n in offsets.segments:
        assert c >= last_end, "segments overlap or are unsorted"
        assert doc.clean_text[c:c + n] == raw_text[r:r + n]
        covered += n
        last_end = c + n
    if complete:
        assert covered == len(doc.clean_text)
    for item in doc.removed:
        found = raw_text[item["start_raw"]:item["end_raw"]]
        assert found == item["text"] if removed_exact else _subsequence(item["text"], found)


def _subsequence(short: str, long: str) -> bool:
    """Markup removal only deletes characters: ``short`` is a subsequence of ``long``."""
    chars = iter(long)
    return all(ch in chars for ch in short)


def test_seed_offsets_are_exact(seed_path):
    for prefix in ("000", "001", "002", "003", "004"):
        path = seed_path(prefix)
        doc, _ = clean(path.read_bytes(), key=str(path))
        assert_exact(doc, path.read_bytes())
        assert doc.meta["exact_chars"] == 1.0


def test_to_raw_maps_a_span_back(seed_path):
    path = seed_path("003")
    data = path.read_bytes()
    doc, _ = clean(data, key=str(path))
    raw_text = decode(data)[0]
    start = doc.clean_text.index("WASHINGTON—The Trump administration")
    end = start + len("WASHINGTON—The Trump administration")
    offsets = doc.offset_map
    assert raw_text[offsets.to_raw(start):offsets.to_raw(end)] == doc.clean_text[start:end]


CRLF_TEXT = ("Talks Resume in Vienna\r\n\r\nJuly 1, 2015\r\nBy Jane Roe\r\n\r\n"
             "\tVIENNA — Iran and six world powers resumed talks on Wednesday, diplomats said, "
             "with a deadline a week away.  \r\n"
             "Share on Facebook\r\n"
             "Both sides said gaps remained on inspections and on the pace of sanctions relief.\r\n")


def test_crlf_tabs_and_boilerplate_keep_exact_offsets():
    doc, comments = clean(CRLF_TEXT)
    assert "\r" not in doc.clean_text
    assert "Share on Facebook" not in doc.clean_text
    assert doc.clean_text.startswith("Talks Resume in Vienna\n\nJuly 1, 2015\nBy Jane Roe\n\nVIENNA")
    assert "wait" not in doc.clean_text and "gaps remained on inspections" in doc.clean_text
    assert_exact(doc, CRLF_TEXT.encode())
    assert [r["text"] for r in doc.removed] == ["Share on Facebook"]
    assert doc.authors == ["Jane Roe"] and doc.published == "2015-07-01"
    assert comments == []


LINE_POOL = [
    "Iran and six world powers reached a framework agreement in Lausanne on Thursday, officials said.",
    "Subscribe to our newsletter",
    "Follow us on Twitter",
    "https://t.me/some_channel",
    "Read more free articles: https://example.com",
    "Leave a Reply",
    "“We have found solutions,” Foreign Minister Mohammad Javad Zarif told reporters.",
    "Politics World Business Opinion",
    "Photo: negotiators at the Beau-Rivage Palace hotel (Reuters)",
    "",
    "   ",
    "# A heading in **Markdown**",
    "- a [linked item](https://example.org/x) in a list",
    "Kerry said the deal would be verified > inspections.",
    "Émile Zola écrivait « J'accuse » en 1898 ; ça reste célèbre.",
    "Москва заявила, что переговоры продолжатся.",
]

line_strategy = st.one_of(
    st.sampled_from(LINE_POOL),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\n\r"),
            max_size=60),
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(line_strategy, min_size=1, max_size=25),
       newline=st.sampled_from(["\n", "\r\n", "\n\n", "\n \t\n"]),
       fmt=st.sampled_from(["text", "markdown"]))
def test_offsets_exact_for_any_text(lines, newline, fmt):
    text = newline.join(lines)
    data = text.encode("utf-8")
    try:
        doc, _ = clean(data, fmt=fmt, key="mem://hypothesis")
    except UnsupportedInput:
        return  # empty, all white space, or not readable as text
    assert doc.clean_text.strip()
    assert_exact(doc, data, removed_exact=fmt == "text")


def test_markdown_markup_is_removed_with_exact_offsets():
    md = ("---\ntitle: Deal reached in Vienna\ndate: 2015-07-14\nauthor: Ann Lee, Bo Park\n---\n\n"
          "# Deal reached in Vienna\n\n"
          "**VIENNA** — Negotiators [announced](https://example.org/a) a *comprehensive* deal on "
          "Tuesday after 18 days of talks, officials said.\n\n"
          "![chart](chart.png)\n\n"
          "> Today is a historic day, said `Federica Mogherini`.\n\n"
          "---\n\n"
          "1. The first point of the plan limits enrichment for fifteen years, officials said.\n")
    doc, _ = clean(md, fmt="markdown")
    assert "**" not in doc.clean_text and "](" not in doc.clean_text and "`" not in doc.clean_text
    assert "VIENNA — Negotiators announced a comprehensive deal" in doc.clean_text
    assert "Today is a historic day, said Federica Mogherini." in doc.clean_text
    assert "chart" not in doc.clean_text and "title:" not in doc.clean_text
    assert doc.title == "Deal reached in Vienna"
    assert doc.published == "2015-07-14" and doc.authors == ["Ann Lee", "Bo Park"]
    assert_exact(doc, md.encode(), removed_exact=False)


def test_json_record_offsets_follow_escapes():
    line = ('{"id": "r1", "title": "Talks end", "text": "VIENNA \\u2014 Diplomats said '
            '\\"enough\\" progress was made.\\nThe talks will resume next week in Vienna, '
            'officials said."}')
    raw = RawInput(source_key="mem://feed.jsonl#r1", source="mem://feed.jsonl",
                   data=line.encode(), format="json-record",
                   hints={"text_field": "text", "text_format": "text", "title": "Talks end"})
    doc, _ = clean_raw(raw, SETTINGS)
    assert doc.clean_text.startswith('VIENNA — Diplomats said "enough" progress was made.')
    assert doc.title == "Talks end"
    assert_exact(doc, line.encode(), complete=False, removed_exact=False)
    assert 0.9 < doc.meta["exact_chars"] < 1.0  # the escaped characters are not literal


def test_pull_quote_and_repeated_title_are_removed_without_losing_text():
    text = ("The Daily Planet - Envoys Agree on Ceasefire Plan\n\n"
            "The Daily Planet - Envoys Agree on Ceasefire Plan\n\n"
            "March 3, 2016\n\n"
            "Envoys from both sides agreed on Tuesday to a plan for a ceasefire in the north, "
            "officials said, after a week of talks in Geneva.\n\n"
            "The ceasefire must hold before any talks on a settlement.\n\n"
            "A senior diplomat said that the ceasefire must hold before any talks on a settlement. "
            "Monitors will be deployed within days, the diplomat added.\n")
    doc, _ = clean(text)
    assert doc.clean_text.count("Envoys Agree on Ceasefire Plan") == 1
    assert doc.clean_text.count("ceasefire must hold before any talks") == 1
    assert "Monitors will be deployed within days" in doc.clean_text
    assert doc.title == "Envoys Agree on Ceasefire Plan" and doc.outlet == "The Daily Planet"
    reasons = {r["reason"] for r in doc.removed}
    assert any("pull quote" in r for r in reasons) and any("title" in r for r in reasons)


def _article(n: int) -> str:
    return (f"Headline number {n} about the talks\n\n"
            "From the Vienna bureau of the Example Gazette\n\n"
            f"Diplomats met for the {n}th time on Monday to discuss the enrichment limits, "
            "officials said, and agreed to meet again soon.\n")


def test_template_lines_are_learned_across_documents_of_a_source():
    memory_host = "gazette-template-test.example"
    boilerplate.MEMORY.clear()
    docs = [clean(_article(n), key=f"https://{memory_host}/a{n}",
                  url=f"https://{memory_host}/a{n}")[0] for n in range(1, 5)]
    template = "From the Vienna bureau of the Example Gazette"
    assert template in docs[0].clean_text and template in docs[1].clean_text
    assert template not in docs[2].clean_text and template not in docs[3].clean_text
    assert any("across documents" in r["reason"] for r in docs[3].removed)
    # a document of another source keeps the line
    other = clean(_article(9), key="https://other-source.example/x", url="https://other-source.example/x")[0]
    assert template in other.clean_text


def test_source_memory_stays_bounded_on_a_long_ingest():
    memory = boilerplate.SourceMemory(min_docs=2, max_lines=300, max_total_lines=1000)
    for source in range(40):  # 40 outlets, 30 documents each, 20 distinct lines per document
        for doc in range(30):
            lines = [f"Story line {source}-{doc}-{k} about the ceasefire talks" for k in range(20)]
            memory.learn(f"outlet{source}.example", lines + ["Subscribe to our newsletter"],
                         f"doc-{source}-{doc}")
    assert len(memory) <= 1000
    # the most recent source still knows its template line; the oldest ones were dropped
    assert memory.repeated("outlet39.example", ["Subscribe to our newsletter"], "new-doc")
    assert not memory.repeated("outlet0.example", ["Subscribe to our newsletter"], "new-doc")
    # a line counts other documents only: the document that taught it does not confirm it
    fresh = boilerplate.SourceMemory(min_docs=2)
    for doc in ("a", "b"):
        fresh.learn("s.example", ["Share this article"], doc)
    assert not fresh.repeated("s.example", ["Share this article"], "a")
    assert fresh.repeated("s.example", ["Share this article"], "c")


def test_body_lines_with_appeal_words_are_kept():
    text = ("Parliament debates the agreement\n\nMay 5, 2015\n\n"
            "Lawmakers who support the deal said it would keep inspectors in the country for years, "
            "and urged colleagues to read the full text before the vote.\n\n"
            "Critics said they would follow the debate closely and share their concerns with the "
            "government in writing, according to a statement.\n")
    doc, _ = clean(text)
    assert doc.removed == []


def test_empty_and_garbage_inputs_are_refused():
    with pytest.raises(UnsupportedInput):
        clean(b"   \n\t  \n")
    import zlib

    blob = zlib.compress(bytes(range(256)) * 200, 1) * 3
    with pytest.raises(UnsupportedInput):
        clean(blob)


def test_text_lines_skip_blank_lines_and_mark_them():
    lines = text_lines("a\n\n  b  \nc")
    assert [ln.text for ln in lines] == ["a", "b", "c"]
    assert [ln.blank_before for ln in lines] == [False, True, False]


BLOG = """Skip to content
Menu
Search

Why the Vienna talks matter more than Lausanne

Posted by Maria Olsen on March 3, 2015

The framework agreed in Lausanne was always going to be the easy part. The details negotiated in Vienna over the coming months will decide whether the deal survives contact with the U.S. Congress and with Iran's parliament.

Three issues stand out: the pace of sanctions relief, access for inspectors to military sites, and what happens to the stockpile of enriched uranium.

Tags: Iran, nuclear, diplomacy

Related posts
What Lausanne means for oil prices
The inspectors' dilemma

12 thoughts on “Why the Vienna talks matter more than Lausanne”

Leave a Reply
Your email address will not be published. Required fields are marked *
Comment
Name *
Email *
Website
Post Comment
"""


def test_blog_page_copy_keeps_only_the_post():
    doc, _ = clean(BLOG)
    assert doc.clean_text == (
        "Why the Vienna talks matter more than Lausanne\n\nPosted by Maria Olsen on March 3, 2015\n\n"
        + BLOG.split("\n\n")[3].strip() + "\n\n" + BLOG.split("\n\n")[4].strip())
    assert doc.authors == ["Maria Olsen"] and doc.published == "2015-03-03" and doc.outlet is None
    assert_exact(doc, BLOG.encode())


WIRE_PAGE = """Skip to main content
World
Business
Markets
Breaking Views

Iran, powers agree to extend talks past deadline

By Parisa Hafezi, John Irish

5 Min Read

FILE PHOTO: Iranian Foreign Minister Mohammad Javad Zarif speaks during a news conference in Vienna, Austria

VIENNA (Reuters) - Iran and six major powers agreed on Monday to extend their nuclear talks for another week, diplomats said, as foreign ministers tried to resolve the last disputes over sanctions and inspections.

"We are working very hard," one Western diplomat said. "But we are not there yet."

Reporting by Parisa Hafezi and John Irish; Editing by Janet McBride
"""


def test_wire_page_copy_drops_navigation_reading_time_caption_and_credits():
    doc, _ = clean(WIRE_PAGE)
    for gone in ("Skip to", "Markets", "Breaking Views", "Min Read", "FILE PHOTO", "Editing by"):
        assert gone not in doc.clean_text
    assert '"We are working very hard," one Western diplomat said.' in doc.clean_text
    assert doc.outlet == "Reuters" and doc.authors == ["Parisa Hafezi", "John Irish"]
    assert doc.kind == "news_report"


_FUZZ_PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body><p>", b'{"text": "',
                  b"<?xml version='1.0'?><rss><channel><item><description>", b"# Title\n\n",
                  b"Name (Place)\n", b"---\ntitle: x\n---\n"]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_FUZZ_PREFIXES),
       body=st.one_of(st.binary(max_size=400),
                      st.lists(line_strategy, max_size=12).map(lambda ls: "\n".join(ls).encode())),
       name=st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a.rss", "a.md"]))
def test_any_input_gives_a_document_or_an_input_error(prefix, body, name):
    from storyline.errors import InputError
    from storyline.ingest.sources import _guarded, expand
    from storyline.ingest.types import Skip

    data = prefix + body
    for item in _guarded("fuzz", lambda: expand(data, source="fuzz", key="fuzz", name=name,
                                                 settings=SETTINGS)):
        if isinstance(item, Skip):
            continue
        try:
            doc, comments = clean_raw(item, SETTINGS)
        except InputError:
            continue
        assert doc.clean_text
        raw_text = decode(item.data)[0]
        for c, r, n in OffsetMap.from_json(doc.offsets).segments:
            assert doc.clean_text[c:c + n] == raw_text[r:r + n]
        for comment in comments:
            assert doc.clean_text[comment.start:comment.end] == comment.text
