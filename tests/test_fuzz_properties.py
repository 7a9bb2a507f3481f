"""Property tests (issue 10): the cleaner and its offset maps, byte decoding, date
normalisation and the comment splitter hold their contracts on any input Hypothesis finds.

Complements ``test_clean_text.py`` (offsets of plain lines) and ``test_bad_input.py`` (any
bytes → document or skip) with hostile Unicode, HTML and feeds, and with the invariants of
``nlp.dates.resolve`` and ``ingest.comments.split_comments``.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from storyline.errors import InputError
from storyline.ingest.clean import clean_raw
from storyline.ingest.comments import split_comments
from storyline.ingest.formats import decode
from storyline.ingest.types import OffsetMap, RawInput
from storyline.nlp.dates import parse_anchor, resolve
from storyline.settings import load

SETTINGS = load(env={})
FAST = hsettings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: characters that break naive text handling: bidi controls, zero-width, NUL, separators
TRAPS = "\x00\u202e\u202d\u202c\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff\u2060" \
        "\u2028\u2029\x85\x0b\x0c\r\t\u00ad\u0301\ufffd\ue000"
hostile_text = st.text(alphabet=st.one_of(
    st.sampled_from(TRAPS), st.sampled_from("abcdefghij ABC .,;:!?\"'()-\n"),
    st.characters(blacklist_categories=("Cs",))), min_size=0, max_size=400)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
sentence = st.lists(words, min_size=6, max_size=18).map(lambda ws: " ".join(ws).capitalize() + ".")


def check_offsets(raw: RawInput) -> None:
    """Cleaning gives a document whose every offset segment maps to the same raw text."""
    try:
        doc, comments = clean_raw(raw, SETTINGS)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    text = doc.clean_text
    raw_text = decode(raw.data)[0]
    offsets = doc.offset_map
    last = -1
    for clean_start, raw_start, length in offsets.segments:
        assert clean_start >= last, "segments must be sorted and not overlap"
        last = clean_start + length
        assert text[clean_start:clean_start + length] == raw_text[raw_start:raw_start + length]
        for o in (clean_start, clean_start + length // 2):
            if length:
                assert raw_text[offsets.to_raw(o)] == text[o]  # clean → raw round trip
    text.encode("utf-8")  # storable: no lone surrogates
    for c in comments:
        assert 0 <= c.start < c.end <= len(text) and c.text == text[c.start:c.end]


@FAST
@given(before=sentence, trap=hostile_text, after=st.lists(sentence, min_size=2, max_size=6))
def test_text_with_hostile_unicode_keeps_exact_offsets(before, trap, after):
    body = f"{before} {trap} " + " ".join(after)
    check_offsets(RawInput(source_key="t", source="t.txt", data=body.encode("utf-8"),
                           format="text"))


@FAST
@given(paragraphs=st.lists(st.tuples(sentence, hostile_text), min_size=1, max_size=5),
       tag=st.sampled_from(["p", "div", "li", "blockquote", "td"]),
       depth=st.integers(0, 40))
def test_html_with_hostile_unicode_keeps_exact_offsets(paragraphs, tag, depth):
    import html

    inner = "".join(f"<{tag}>{html.escape(s)} {html.escape(t)}</{tag}>" for s, t in paragraphs)
    page = f"<html><body>{'<div>' * depth}<article>{inner}</article>{'</div>' * depth}</body></html>"
    check_offsets(RawInput(source_key="h", source="h.html", data=page.encode("utf-8"),
                           format="html"))


@FAST
@given(data=st.binary(max_size=2000), declared=st.sampled_from(["", "utf-8", "utf-16", "latin-1",
                                                                 "shift_jis", "x-bogus"]))
def test_decoding_any_bytes_gives_storable_text(data, declared):
    text, encoding = decode(data, declared)
    assert isinstance(text, str) and encoding
    text.encode("utf-8")


@given(segments=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 30)),
                         max_size=12),
       probes=st.lists(st.integers(0, 2000), max_size=20))
def test_offset_map_is_monotonic(segments, probes):
    clean = raw = 0
    built = []
    for gap_clean, gap_raw, length in segments:  # sorted, non-overlapping, as the cleaner makes
        clean += gap_clean
        raw += gap_raw
        built.append((clean, raw, length))
        clean += length
        raw += length
    offsets = OffsetMap(segments=built)
    mapped = [offsets.to_raw(p) for p in sorted(probes)]
    assert mapped == sorted(mapped)
    for clean_start, raw_start, length in built:
        for k in range(length):
            assert offsets.to_raw(clean_start + k) == raw_start + k


# --- dates ----------------------------------------------------------------------------------

MONTHS = ["January", "Feb", "March", "Apr.", "May", "June", "July", "Aug", "September", "Oct",
          "November", "Dec"]
date_expr = st.one_of(
    st.builds(lambda m, d, y: f"{m} {d}, {y}", st.sampled_from(MONTHS), st.integers(0, 40),
              st.integers(1890, 2100)),
    st.builds(lambda d, m: f"{d} {m}", st.integers(0, 40), st.sampled_from(MONTHS)),
    st.builds(lambda a, b, m: f"{m} {a}-{b}", st.integers(1, 35), st.integers(1, 35),
              st.sampled_from(MONTHS)),
    st.builds(lambda a, b, c: f"{a}/{b}/{c}", st.integers(0, 40), st.integers(0, 40),
              st.integers(0, 2100)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1000, 2999),
              st.integers(0, 13), st.integers(0, 32)),
    st.builds(lambda n, u, w: f"{n} {u} {w}", st.sampled_from(["a", "two", "several", "10", "0"]),
              st.sampled_from(["days", "weeks", "months", "years"]),
              st.sampled_from(["ago", "later", "earlier", "from now"])),
    st.builds(lambda w, d: f"{w} {d}", st.sampled_from(["last", "next", "this", "early", "late"]),
              st.sampled_from(["Monday", "week", "month", "year", "spring", "December",
                               "Christmas", "weekend"])),
    st.sampled_from(["today", "yesterday", "tomorrow", "now", "the new year", "the 1990s"]),
    st.text(max_size=40),
)
anchors = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1),
                                        max_value=dt.date(2100, 12, 31)))


@hsettings(max_examples=300, deadline=None)
@given(expr=date_expr, anchor=anchors, tense=st.sampled_from(["past", "future", "unknown"]))
def test_date_resolution_is_a_valid_window_or_none(expr, anchor, tense):
    found = resolve(expr, anchor, tense)
    if found is None:
        return
    assert isinstance(found.start, dt.date) and isinstance(found.end, dt.date)
    assert found.start <= found.end
    assert found.precision in {"day", "week", "month", "quarter", "season", "year", "decade",
                               "century", "range", "weekend", "fuzzy"}
    assert 0.0 <= found.confidence <= 1.0


@given(published=st.one_of(st.none(), st.text(max_size=30),
                           st.dates().map(dt.date.isoformat),
                           st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1, 9999),
                                     st.integers(0, 13))))
def test_anchor_parsing_never_raises(published):
    found = parse_anchor(published)
    assert found is None or isinstance(found, dt.date)


# --- comment splitter -------------------------------------------------------------------------

names = st.builds(lambda f, l: f"{f.capitalize()} {l.capitalize()}", words, words)
places = st.sampled_from(["Oslo", "Vt.", "Jaipur, India", "Moscow", "Texas"])
comment = st.tuples(names, places, st.sampled_from(["", " · 2 hours ago", " · 3 days ago"]),
                    st.lists(st.one_of(sentence, hostile_text), min_size=1, max_size=3))


@FAST
@given(thread=st.lists(comment, min_size=1, max_size=40), noise=hostile_text,
       quote=st.booleans())
def test_comment_splitter_spans_are_exact_ordered_and_linked(thread, noise, quote):
    parts = ["A discussion", f"{len(thread)} comments", noise]
    bodies = []
    for i, (name, place, stamp, body) in enumerate(thread):
        text = " ".join(body)
        if quote and i > 2 and len(bodies[0]) >= 30:
            text = f'"{bodies[0]}" {text}'
        bodies.append(text)
        parts += [f"{name} ({place}){stamp}", text]
    clean = "\n".join(parts)
    found = split_comments(clean, "dfuzz", "1")
    last_end = 0
    ids = set()
    for i, c in enumerate(found):
        assert c.idx == i and c.id == f"dfuzz:c{i}" and c.id not in ids
        ids.add(c.id)
        assert 0 <= c.start < c.end <= len(clean)
        assert c.text == clean[c.start:c.end] and c.text == c.text.strip()
        assert c.start >= last_end
        last_end = c.end
        if c.quotes_comment_id:
            assert c.quotes_comment_id in ids - {c.id}
    assume(thread)
