"""The spaCy pipeline: exact text, chunking of long texts, sentences, the DocBin cache."""

from __future__ import annotations

import pytest

from storyline.ingest.types import Comment, Document
from storyline.nlp.pipeline import chunk_spans, load_blank, load_nlp, load_parsed, parse
from storyline.registry import DocState, get
from storyline.store.db import open_store
from storyline.store.documents import save_document


def _state(text: str, language: str | None = "en", comments=None) -> DocState:
    doc = Document(id="dtest", source_key="test", content_sha256="sha-" + str(len(text)),
                   clean_text=text, language=language)
    state = DocState(doc_id="dtest", artifacts={"document": doc})
    if comments is not None:
        state["comments"] = comments
    return state


def test_load_nlp_is_cached(nlp):
    assert load_nlp() is nlp
    assert "parser" in nlp.pipe_names and "ner" in nlp.pipe_names


def test_unknown_model_raises_model_unavailable():
    from storyline.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable) as info:
        load_nlp("no_such_spacy_model_xyz")
    assert "install" in str(info.value)


def test_chunks_cover_text_and_cut_at_paragraphs():
    text = ("Paragraph one has words. It ends here.\n\n" * 50) + "Tail sentence."
    spans = chunk_spans(text, 300)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(e - s <= 300 for s, e in spans)
    assert all(text[e - 2:e] == "\n\n" for s, e in spans[:-1])


def test_chunks_without_any_space_still_cut():
    text = "x" * 1000
    spans = chunk_spans(text, 300)
    assert [e - s for s, e in spans] == [300, 300, 300, 100]


def test_two_megabyte_document_keeps_exact_text():
    nlp = load_blank("en")  # the tokenizer and sentencizer: real spaCy, fast enough here
    para = ("The talks in Amman\u00a0ended  on Thursday.\tOfficials said \u201cgood\u201d.\r\n"
            "No progress was made \u2026 yet\n\n")
    text = para * (2_000_000 // len(para) + 1)
    assert len(text) > nlp.max_length
    doc = parse(text, nlp, chunk_chars=5_000_000)  # capped at max_length, never crashes
    assert doc.text == text
    assert len(list(doc.sents)) > 10_000


def test_parse_in_small_chunks_matches_whole_text_entities(nlp):
    text = ("Russian President Vladimir Putin spoke with Donald Trump on Tuesday.\n\n"
            "Secretary of State Rex Tillerson told reporters it was a good call.  \n\n"
            "\u00a0\u00a0Mr. Putin  said   the talks in Astana would resume.\n")
    whole = parse(text, nlp, chunk_chars=10_000)
    chunked = parse(text, nlp, chunk_chars=80)
    assert chunked.text == text
    ents = {(e.start_char, e.end_char, e.text) for e in chunked.ents}
    assert (text.index("Vladimir Putin"), text.index("Vladimir Putin") + 14,
            "Vladimir Putin") in ents
    assert {e.text for e in whole.ents} >= {"Vladimir Putin", "Rex Tillerson"}


@pytest.mark.parametrize("text", ["", "   \n\n\t ", "!!!", "\u200b\u200b", "no punctuation here"])
def test_text_without_sentences(nlp, text, settings):
    state = _state(text)
    get("nlp").fn(state, settings)
    assert state["nlp"].doc.text == text
    for s in state["sentences"]:
        assert text[s.start:s.end] == s.text and s.text.strip()


def test_nlp_stage_sentences_on_seed(nlp, seed_path, settings):
    text = seed_path("003").read_text(encoding="utf-8")
    state = _state(text)
    get("nlp").fn(state, settings)
    sents = state["sentences"]
    assert sents[0].id == "dtest:s0" and sents[3].id == "dtest:s3"
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert any(s.text.startswith("Pentagon officials insist") for s in sents)
    assert state["nlp_cache"]["doc_id"] == "dtest"


def test_sentences_do_not_cross_comment_boundaries(nlp, settings):
    first = "I agree with this"  # no final period: the parser alone would run on
    second = "and Putin cannot be trusted."
    text = f"Mary (Atlanta)\n{first}\nBob (Ohio)\n{second}"
    c1 = text.index(first)
    c2 = text.index(second)
    comments = [Comment(id="c0", idx=0, doc_id="dtest", start=c1, end=c1 + len(first)),
                Comment(id="c1", idx=1, doc_id="dtest", start=c2, end=c2 + len(second))]
    state = _state(text, comments=comments)
    get("nlp").fn(state, settings)
    for s in state["sentences"]:
        inside = [c for c in comments if c.start <= s.start < c.end]
        assert all(s.end <= c.end for c in inside), s.text


def test_non_english_is_recorded_not_parsed(settings):
    text = "Der Kreml erklärte am Dienstag, die Gespräche seien konstruktiv gewesen. Mehr folgt."
    state = _state(text, language="de")
    get("nlp").fn(state, settings)
    parsed = state["nlp"]
    assert parsed.doc.text == text and parsed.language == "de"
    assert "skipped" in parsed.extra and not parsed.doc.ents
    get("quotes").fn(state, settings)
    get("dates").fn(state, settings)
    assert state["quotes"] == [] and state["timexes"] == []


def test_docbin_cache_restores_parse(nlp, tmp_path, settings):
    text = "Secretary of State Rex Tillerson told reporters it was a very good call."
    state = _state(text)
    get("nlp").fn(state, settings)
    store = open_store(tmp_path / "s.db")
    try:
        save_document(store, state)
        parsed = load_parsed(store, "dtest", nlp)
        assert parsed.extra["from_cache"] is True
        assert parsed.doc.text == text
        original = state["nlp"].doc
        assert [(t.text, t.dep_, t.head.i) for t in parsed.doc] == \
            [(t.text, t.dep_, t.head.i) for t in original]
        assert [e.text for e in parsed.doc.ents] == [e.text for e in original.ents]
        store.conn.execute("UPDATE nlp_cache SET content_sha256='stale'")
        assert load_parsed(store, "dtest", nlp).extra["from_cache"] is False
    finally:
        store.close()
