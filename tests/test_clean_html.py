"""Cleaning HTML: trafilatura in a worker, mapping back to the page source, hostile pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import ExtractionTimeout, UnsupportedInput
from storyline.ingest.clean import clean_raw
from storyline.ingest.formats import decode
from storyline.ingest.html import VisibleText
from storyline.ingest.types import OffsetMap, RawInput
from storyline.settings import load

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
SETTINGS = load(env={})


def clean_html(html: str | bytes, key: str = "mem://page.html", settings=SETTINGS):
    data = html.encode("utf-8") if isinstance(html, str) else html
    return clean_raw(RawInput(source_key=key, source=key, data=data, format="html"), settings)


def segments_are_exact(doc, data: bytes) -> None:
    raw_text = decode(data)[0]
    for c, r, n in OffsetMap.from_json(doc.offsets).segments:
        assert doc.clean_text[c:c + n] == raw_text[r:r + n]


def test_demo_page_body_without_navigation_ads_or_donation_box():
    data = (DEMO / "01_harbour_times_summit.html").read_bytes()
    doc, comments = clean_html(data, key=str(DEMO / "01_harbour_times_summit.html"))
    text = doc.clean_text
    assert "SINGAPORE — Donald Trump and Kim Jong Un met on Tuesday" in text
    assert "tremendous anger and open hostility" in text
    for junk in ("Advertisement", "Donate", "Share on Facebook", "Privacy policy", "Related stories",
                 "dataLayer", "Home\n", "All rights reserved"):
        assert junk not in text
    assert doc.title == "Handshake on Sentosa: Trump and Kim sign vague nuclear pledge"
    assert doc.authors == ["Priya Raman"] and doc.published == "2018-06-12"
    assert doc.outlet == "The Harbour Times" and doc.kind == "news_report" and doc.language == "en"
    assert comments == []
    segments_are_exact(doc, data)
    assert doc.meta["exact_chars"] > 0.95


def test_entities_are_decoded_and_left_outside_exact_segments():
    html = ("<html><head><title>AT&amp;T and the talks</title></head><body><article>"
            "<h1>AT&amp;T and the talks</h1>"
            "<p>Negotiators from AT&amp;T&rsquo;s partners met in Vienna on Tuesday and said the "
            "&ldquo;final&rdquo; round of talks on the   merger would resume\n   next week, "
            "officials said in a statement released late in the evening.</p>"
            "<p>A second paragraph explains that the regulators in Brussels have not yet "
            "decided whether to open an in-depth investigation into the deal.</p>"
            "</article></body></html>")
    doc, _ = clean_html(html)
    assert "AT&T’s partners met in Vienna" in doc.clean_text
    assert "“final” round of talks on the merger would resume next week" in doc.clean_text
    segments_are_exact(doc, html.encode())
    offsets = doc.offset_map
    start = doc.clean_text.index("regulators in Brussels")
    raw_start = offsets.to_raw(start)
    assert html[raw_start:raw_start + len("regulators in Brussels")] == "regulators in Brussels"


def _deep_page(depth: int) -> str:
    body = ("<p>Envoys from the United States and Russia met in Amman on Sunday to discuss a "
            "ceasefire in southern Syria, officials said, and agreed to meet again.</p>"
            "<p>The meeting followed two earlier rounds of talks held in the Jordanian capital "
            "over the past month, according to the officials.</p>")
    return "<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>"


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_html_keeps_its_text(depth):
    html = _deep_page(depth)
    doc, _ = clean_html(html)
    assert "Envoys from the United States and Russia met in Amman" in doc.clean_text
    assert "two earlier rounds of talks" in doc.clean_text
    segments_are_exact(doc, html.encode())


def test_compressed_bytes_labelled_html_are_refused():
    import zlib

    blob = zlib.compress(("<p>" + "talks " * 5000 + "</p>").encode(), 9)
    data = b"<html><body><p>" + blob * 20 + b"</p></body></html>"
    with pytest.raises(UnsupportedInput):
        clean_html(data)


def test_page_without_text_is_refused():
    with pytest.raises(UnsupportedInput):
        clean_html("<html><head><script>var x = 1;</script></head><body><div></div></body></html>")


def test_extraction_time_limit_is_enforced():
    big = _deep_page(10) * 1
    paragraphs = "".join(f"<p>Paragraph {i} of a long page about the talks in Vienna, officials said.</p>"
                         for i in range(6000))
    html = big.replace("<body>", "<body>" + paragraphs)
    assert len(html) > 300_000  # large enough to run in a child process
    settings = SETTINGS.replace(**{"ingest.extract_timeout_s": 0.01})
    with pytest.raises(ExtractionTimeout):
        clean_html(html, settings=settings)


def test_visible_text_skips_scripts_and_maps_text_nodes():
    html = "<html><head><title>T</title><script>if (a < b) {}</script></head><body><p>One &amp; two</p></body></html>"
    visible = VisibleText(html)
    assert "if (a" not in visible.text and "One & two" in visible.text
    for start, raw, n in visible.runs:
        assert visible.text[start:start + n] == html[raw:raw + n]
