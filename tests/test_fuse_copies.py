"""Copies between stored documents: reposts, partial copies, syndication, independence."""

from __future__ import annotations

import json

import pytest

from fuse_fixtures import add_document, seed_text
from storyline.fuse import copies, provenance
from storyline.fuse.copies import CopyDoc, align, find_copies
from storyline.store.db import open_store


@pytest.fixture()
def store(tmp_path, seed_path):
    s = open_store(tmp_path / "copies.db")
    yield s
    s.close()


def test_alignment_finds_the_shared_passage_with_offsets():
    shared = ("The Trump administration has been holding secret talks with Russia to try to set "
              "up a de-escalation zone in southwest Syria, officials familiar with the talks said.")
    a = "Opening words of one outlet about the weather. " + shared + " A closing line."
    b = "Another outlet starts differently and at length here. " + shared.replace("said", "say")
    passages, tokens, _, _ = align(a, b)
    assert len(passages) == 1 and tokens >= 25
    p = passages[0]
    in_a, in_b = a[p["a"][0]:p["a"][1]], b[p["b"][0]:p["b"][1]]
    assert "Trump administration has been holding secret talks" in in_a
    assert in_a in shared and len(in_a) > 0.8 * len(shared)
    assert in_b.split()[:3] == in_a.split()[:3]


def test_repost_partial_copy_and_independent_reports(store, settings):
    original = seed_text("003")
    body = original.split("June 9, 2017. Felicia Schwartz, Gordon Lubold.", 1)[1]
    add_document(store, "wsj", body, outlet="The Wall Street Journal", published="2017-06-08",
                 kind="news_report")
    add_document(store, "pirate", "the media pirate\n\n" + body + "\n\nRead more paid articles "
                 "free", outlet="The Wall Street Journal", original_outlet="The Wall Street Journal",
                 carrier="the media pirate", published="2017-06-09", kind="news_report")
    paragraphs = body.strip().split("\n\n")
    add_document(store, "blog", "A blogger's take on Syria, written in his own words first. "
                 + "\n\n".join(paragraphs[2:5]) + "\n\nAnd his own conclusion follows here.",
                 outlet="Some Blog", published="2017-06-10", kind="analysis")
    add_document(store, "pundit", seed_text("004"), outlet="True Pundit", published="2017-06-10",
                 kind="news_report", syndicated_from="The Daily Caller News Foundation")
    summary = copies.run(store, settings)
    rows = {(r["doc_id"], r["other_doc_id"]): dict(r) for r in store.query("SELECT * FROM copies")}
    assert rows[("pirate", "wsj")]["relation"] == "repost"
    assert rows[("blog", "wsj")]["relation"] == "partial_copy"
    passage = json.loads(rows[("blog", "wsj")]["passages"])[0]
    blog_text = store.scalar("SELECT clean_text FROM documents WHERE id='blog'")
    assert blog_text[passage["a"][0]:passage["a"][1]] in body
    # the two reports of the same talks (WSJ and the Al-Monitor rewrite) are not copies
    assert not any("pundit" in key for key in rows)
    assert summary["copies"]["repost"] == 1
    provenance.run(store)
    ups = provenance.upstreams(store)
    assert ups["pirate"] == ups["wsj"] == ups["blog"]
    assert ups["pundit"] != ups["wsj"]


def test_duplicates_are_indexed_once(settings):
    text = seed_text("004")
    docs = [CopyDoc(id=f"d{i}", text=text + f" Reprint number {i}.") for i in range(30)]
    found, stats = find_copies(docs, settings)
    assert len(found) == 29 and {c.other_doc_id for c in found} == {"d0"}
    assert stats["alignments"] <= 40  # each copy is aligned with the first one only
