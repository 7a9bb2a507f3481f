"""Reading inputs: folders, files, gzip, JSON/JSONL records, RSS/Atom feeds, sniffing, decoding."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from storyline.ingest.formats import decode, decode_info, decode_input, sniff_format
from storyline.ingest.sources import iter_inputs
from storyline.ingest.types import RawInput, Skip
from storyline.settings import load

REPORT = ("Moscow and Washington agreed on Tuesday to back de-escalation zones in Syria, "
          "officials said after talks in Sochi.\n\nThe plan still needs Turkish and Iranian "
          "support, a senior diplomat told reporters.\n")


@pytest.fixture()
def settings():
    return load(env={})


def read(items, settings):
    out = list(iter_inputs(items, settings))
    return [i for i in out if isinstance(i, RawInput)], [i for i in out if isinstance(i, Skip)]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- folders and files ---------------------------------------------------------------------


def test_folder_is_walked_recursively_sorted_without_hidden_files(tmp_path, settings):
    write(tmp_path / "b.txt", REPORT)
    write(tmp_path / "a" / "z.md", "# Talks\n\n" + REPORT)
    write(tmp_path / "a" / "y.html", f"<html><body><p>{REPORT}</p></body></html>")
    write(tmp_path / ".hidden.txt", REPORT)
    write(tmp_path / ".git" / "notes.txt", REPORT)
    raws, skips = read([tmp_path], settings)
    assert skips == []
    names = [Path(r.source_key).relative_to(tmp_path.resolve()).as_posix() for r in raws]
    assert names == ["a/y.html", "a/z.md", "b.txt"]
    assert [r.format for r in raws] == ["html", "markdown", "text"]
    assert raws[2].data == REPORT.encode() and raws[2].source == raws[2].source_key


def test_symlinked_folder_loop_is_not_followed(tmp_path, settings):
    write(tmp_path / "docs" / "one.txt", REPORT)
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs", target_is_directory=True)
    raws, skips = read([tmp_path / "docs"], settings)
    assert len(raws) == 1 and skips == []


def test_gzip_file_is_decompressed_and_sniffed(tmp_path, settings):
    path = write(tmp_path / "page.html.gz", gzip.compress(f"<html><p>{REPORT}</p></html>".encode()))
    write(tmp_path / "disguised.txt", gzip.compress(REPORT.encode()))  # gzip under another name
    raws, skips = read([tmp_path], settings)
    assert skips == []
    by_name = {Path(r.source_key).name: r for r in raws}
    assert by_name["page.html.gz"].format == "html"
    assert by_name["page.html.gz"].source_key == str(path.resolve())
    assert by_name["disguised.txt"].data == REPORT.encode()


def test_raw_inputs_pass_through_or_are_read_like_files(settings):
    raw = RawInput(source_key="api:1", source="api", data=b"text", format="text")
    assert list(iter_inputs([raw], settings)) == [raw]
    upload = RawInput(source_key="upload:feed.jsonl", source="upload", format="",
                      data=b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    raws, _ = read([upload], settings)
    assert [r.source_key for r in raws] == ["upload:feed.jsonl#a", "upload:feed.jsonl#b"]
    image = RawInput(source_key="upload:x.png", source="upload", data=b"\x89PNG\r\n\x1a\n")
    _, skips = read([image], settings)
    assert skips[0].reason == "binary file (looks like PNG image)"


def test_missing_path_is_a_skip(tmp_path, settings):
    raws, skips = read([tmp_path / "nope.txt", "news.example.org/story"], settings)
    assert raws == [] and skips[0].reason == "no such file or folder"
    assert skips[1].reason == "no such file or folder (to fetch a URL, start it with https://)"


def test_a_file_named_twice_is_read_once(tmp_path, settings):
    path = write(tmp_path / "a.txt", REPORT)
    raws, _ = read([path, tmp_path, str(path)], settings)
    assert len(raws) == 1


# --- sniffing --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, expected", [
    ("story.html", b'{"text": "x"}\n{"text": "y"}\n', "jsonl"),
    ("story.html", b'[{"text": "x"}]', "json"),
    ("story.txt", b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "feed"),
    ("story.json", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("story.txt", b"<html><body>x</body></html>", "html"),
    ("feed.xml", b'<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom"/>',
     "feed"),
    ("sitemap.xml", b'<?xml version="1.0"?><urlset></urlset>', "xml"),
    ("notes.md", b"<p align='center'>logo</p>\n\n# Notes\n", "markdown"),
    ("notes.md", b"# Notes\n\n* one\n", "markdown"),
    ("report.txt", b"[Updated] Russia and the US agreed on zones.", "text"),
    ("report.txt", b"{Editor's note: corrected.} Talks resumed.", "text"),
    ("report", b"Plain words about talks.", "text"),
    ("broken.json", b'{"text": "x", ', "json"),
    ("one.jsonl", b'{"text": "only record"}', "jsonl"),
    ("page", b"<div class='x'><p>One</p><p>Two</p></div>", "html"),
])
def test_sniff_format_trusts_content_over_the_name(name, data, expected):
    assert sniff_format(data, name) == expected


def test_content_type_is_used_when_content_is_ambiguous():
    assert sniff_format(b"# Heading\n\ntext", "", "text/markdown; charset=utf-8") == "markdown"
    assert sniff_format(b"plain", "", "text/html") == "text"


# --- decoding --------------------------------------------------------------------------------

RUSSIAN = "Москва и Вашингтон договорились о создании зон деэскалации в Сирии."
FRENCH = "Le président a déclaré que la trêve «doit être respectée» à Genève."
ENGLISH = "Tillerson called the “de-escalation zones” a step forward – officials said."


@pytest.mark.parametrize("data, text, encoding", [
    (RUSSIAN.encode("utf-8"), RUSSIAN, "utf-8"),
    (b"\xef\xbb\xbf" + FRENCH.encode(), FRENCH, "utf-8"),
    (b"\xff\xfe" + FRENCH.encode("utf-16-le"), FRENCH, "utf-16-le"),
    (b"\xfe\xff" + RUSSIAN.encode("utf-16-be"), RUSSIAN, "utf-16-be"),
    (ENGLISH.encode("utf-16-le"), ENGLISH, "utf-16-le"),        # no BOM
    (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
    (RUSSIAN.encode("koi8-r"), RUSSIAN, "koi8-r"),
    (FRENCH.encode("latin-1"), FRENCH, "cp1252"),
    (ENGLISH.encode("cp1252"), ENGLISH, "cp1252"),
])
def test_decode_encodings(data, text, encoding):
    assert decode(data) == (text, encoding)


def test_decode_mixed_utf8_and_cp1252_keeps_both():
    data = FRENCH.encode("utf-8") + b"\n" + ENGLISH.encode("cp1252")
    info = decode_info(data)
    assert info.text == FRENCH + "\n" + ENGLISH
    assert info.encoding == "utf-8+cp1252" and info.replaced == 3


def test_decode_declared_and_meta_charset():
    html = '<html><head><meta charset="windows-1251"></head><body>' + RUSSIAN + "</body></html>"
    assert decode(html.encode("cp1251")) == (html, "cp1251")
    assert decode(RUSSIAN.encode("koi8-r"), declared="koi8-r") == (RUSSIAN, "koi8-r")
    # a wrong label does not spoil valid UTF-8
    assert decode(FRENCH.encode("utf-8"), declared="iso-8859-1") == (FRENCH, "utf-8")
    fetched = RawInput(source_key="u", source="u", data=RUSSIAN.encode("koi8-r"),
                       content_type='text/plain; charset="KOI8-R"')
    assert decode_input(fetched) == (RUSSIAN, "koi8-r")


def test_decode_strips_nul_and_never_raises():
    info = decode_info(b"Talks\x00 resumed\x00 today.")
    assert info.text == "Talks resumed today." and info.nul_chars == 2
    for junk in (b"\xff\xfe\xfd", b"\x80" * 10, b"\xc3", bytes(range(256))):
        assert isinstance(decode(junk)[0], str)


def test_text_files_in_legacy_encodings_are_read(tmp_path, settings):
    write(tmp_path / "ru.txt", RUSSIAN.encode("cp1251"))
    write(tmp_path / "fr.txt", b"\xff\xfe" + FRENCH.encode("utf-16-le"))
    raws, skips = read([tmp_path], settings)
    assert skips == []
    assert [decode(r.data)[0] for r in raws] == [FRENCH, RUSSIAN]


# --- JSON and JSONL ---------------------------------------------------------------------------


def test_jsonl_records_with_hints_exact_bytes_and_per_record_skips(tmp_path, settings):
    lines = [
        {"id": "a1", "title": "Zones agreed", "text": REPORT, "published": "2017-05-04",
         "author": "Jane Roe", "source": {"name": "Wire Service"}, "url": "https://w.example/a1"},
        {"id": 7, "body": "<p>Second <b>report</b> on the talks.</p>", "date": 1493856000,
         "authors": [{"name": "A. Writer"}, "B. Writer"]},
        {"text": 12345},                                     # wrong type
        ["not", "an", "object"],                             # wrong type
        {"title": "no text at all"},                         # missing text
        {"text": "Third report.", "title": ["a", "list"]},   # wrong metadata type
        {"text": "Fourth report, no id."},
    ]
    body = b"\n".join(json.dumps(x, ensure_ascii=False).encode() for x in lines)
    body += b"\n{broken json\n\n"
    path = write(tmp_path / "feed.jsonl", body)
    raws, skips = read([path], settings)
    key = str(path.resolve())
    assert [r.source_key for r in raws] == [f"{key}#a1", f"{key}#7", f"{key}#line7"]
    assert all(r.format == "json-record" and r.source == key for r in raws)
    assert raws[0].data == json.dumps(lines[0], ensure_ascii=False).encode()
    assert raws[0].hints == {"text_field": "text", "text_format": "text", "title": "Zones agreed",
                             "published": "2017-05-04", "authors": ["Jane Roe"],
                             "outlet": "Wire Service", "url": "https://w.example/a1", "id": "a1"}
    assert raws[1].hints["text_field"] == "body" and raws[1].hints["text_format"] == "html"
    assert raws[1].hints["published"].startswith("2017-05-04T")
    assert raws[1].hints["authors"] == ["A. Writer", "B. Writer"]
    reasons = [s.reason for s in skips]
    assert reasons[0] == "line 3: field 'text' is a number, expected a string"
    assert reasons[1] == "line 4: record is a list, expected a JSON object"
    assert reasons[2].startswith("line 5: no text field (looked for text, body")
    assert reasons[3] == "line 6: field 'title' is a list, expected a string"
    assert reasons[4].startswith("line 8: invalid JSON")
    assert [s.source for s in skips][:2] == [f"{key}#line3", f"{key}#line4"]


def test_json_list_records_keep_their_exact_text(tmp_path, settings):
    records = [{"id": "x", "content": "First report on the talks."},
               {"headline": "No text"},
               {"id": "y", "article": "Second report on the talks."}]
    text = "[\n  " + ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"
    path = write(tmp_path / "export.json", text)
    raws, skips = read([path], settings)
    assert [r.source_key.rsplit("#", 1)[1] for r in raws] == ["x", "y"]
    assert raws[1].data == json.dumps(records[2]).encode()
    assert len(skips) == 1 and skips[0].reason.startswith("item 2: no text field")


def test_json_wrapper_object_and_single_object(tmp_path, settings):
    write(tmp_path / "a.json", json.dumps({"status": "ok", "articles": [
        {"title": "One", "description": "x", "content": "Report one."},
        {"title": "Two", "content": "Report two."}]}))
    write(tmp_path / "b.json", json.dumps({"title": "Single", "text": REPORT}, indent=2))
    raws, skips = read([tmp_path], settings)
    assert skips == []
    assert [r.hints["title"] for r in raws] == ["One", "Two", "Single"]
    assert raws[2].source_key.endswith("b.json")


def test_duplicate_ids_in_one_file_get_distinct_keys(tmp_path, settings):
    path = write(tmp_path / "d.jsonl", '{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n')
    raws, _ = read([path], settings)
    assert len({r.source_key for r in raws}) == 2


def test_broken_json_file_is_one_clear_skip(tmp_path, settings):
    path = write(tmp_path / "broken.json", '{"text": "unfinished')
    raws, skips = read([path], settings)
    assert raws == [] and skips[0].reason.startswith("invalid JSON: Unterminated string")


# --- feeds ----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Levant Wire</title><link>https://levant.example/</link>
<item>
  <title>Ceasefire zones agreed</title>
  <link>https://levant.example/zones</link>
  <guid isPermaLink="false">4711</guid>
  <pubDate>Thu, 04 May 2017 10:30:00 GMT</pubDate>
  <dc:creator>Jane Roe</dc:creator>
  <description>Short summary.</description>
  <content:encoded><![CDATA[<p>Full <b>story</b> about the zones.</p>]]></content:encoded>
</item>
<item>
  <title>Plain item</title>
  <author>desk@levant.example (News Desk)</author>
  <description>Officials met again on Friday.</description>
</item>
<item><title>Title only</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title>
<entry><title>Talks resume</title><id>tag:atom.example,2017:1</id>
  <link rel="alternate" href="https://atom.example/1"/><updated>2017-05-05T08:00:00Z</updated>
  <author><name>A. Writer</name></author>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Talks <em>resumed</em>.</p>
  </div></content>
</entry>
<entry><title>Escaped</title><id>tag:atom.example,2017:2</id>
  <summary type="html">&lt;p&gt;Escaped &amp;amp; summary.&lt;/p&gt;</summary></entry>
</feed>"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF News</title></channel>
<item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link>
<description>RDF item text.</description><dc:date>2017-05-06</dc:date></item>
</rdf:RDF>"""


def test_rss_items_become_documents(tmp_path, settings):
    path = write(tmp_path / "wire.rss", RSS)
    raws, skips = read([path], settings)
    assert [r.format for r in raws] == ["feed-item", "feed-item"]
    first, second = raws
    assert first.data.decode() == "<p>Full <b>story</b> about the zones.</p>"
    assert first.source_key == "https://levant.example/zones"
    assert first.hints == {"text_field": "content", "text_format": "html",
                           "title": "Ceasefire zones agreed",
                           "published": "2017-05-04T10:30:00+00:00", "authors": ["Jane Roe"],
                           "outlet": "Levant Wire", "url": "https://levant.example/zones",
                           "id": "4711"}
    assert second.data == b"Officials met again on Friday."
    assert second.hints["text_format"] == "text" and second.hints["authors"] == ["News Desk"]
    assert second.source_key == f"{path.resolve()}#item2"
    assert len(skips) == 1 and skips[0].reason == "feed item 3 has no content or summary"


def test_atom_and_rdf_feeds(tmp_path, settings):
    write(tmp_path / "a.xml", ATOM)
    write(tmp_path / "b.rdf", RDF)
    raws, skips = read([tmp_path], settings)
    assert skips == []
    atom1, atom2, rdf = raws
    assert atom1.data.decode().strip() == "<p>Talks <em>resumed</em>.</p>"
    assert atom1.source_key == "tag:atom.example,2017:1"
    assert atom1.hints["authors"] == ["A. Writer"]
    assert atom1.hints["url"] == "https://atom.example/1"
    assert atom1.hints["published"] == "2017-05-05T08:00:00+00:00"
    assert atom2.data.decode() == "<p>Escaped &amp; summary.</p>"
    assert atom2.hints["text_format"] == "html"
    assert rdf.hints["outlet"] == "RDF News" and rdf.hints["published"] == "2017-05-06T00:00:00"
    assert rdf.source_key == "https://rdf.example/1"


def test_feed_with_entity_expansion_is_refused(tmp_path, settings):
    entities = "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                       for i in range(8))
    laughs = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol">' + entities
              + ']><rss><channel><item><description>&i;</description></item></channel></rss>')
    path = write(tmp_path / "bomb.rss", laughs)
    write(tmp_path / "ok.txt", REPORT)
    raws, skips = read([tmp_path], settings)
    assert len(raws) == 1 and raws[0].data == REPORT.encode()
    assert skips[0].source == str(path.resolve())
    assert "declares XML entities" in skips[0].reason


def test_feed_with_external_entity_is_refused(tmp_path, settings):
    xxe = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           "<rss><channel><item><description>&x;</description></item></channel></rss>")
    _, skips = read([write(tmp_path / "xxe.rss", xxe)], settings)
    assert "declares XML entities" in skips[0].reason


def test_feed_with_html_entities_and_old_doctype_is_read(tmp_path, settings):
    feed = ('<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS '
            '0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">'
            "<channel><title>Old&nbsp;Wire</title><item><title>Talks</title>"
            "<description>Talks&nbsp;resumed &amp; ended&hellip;</description></item>"
            "</channel></rss>")
    raws, skips = read([write(tmp_path / "old.rss", feed)], settings)
    assert skips == []
    assert raws[0].data.decode() == "Talks\xa0resumed & ended\u2026"
    assert raws[0].hints["outlet"] == "Old Wire"  # metadata whitespace is normalised


def test_malformed_feed_and_foreign_xml(tmp_path, settings):
    write(tmp_path / "a.rss", "<rss><channel><item><title>x</item></rss>")
    write(tmp_path / "b.xml", '<?xml version="1.0"?><urlset><url/></urlset>')
    _, skips = read([tmp_path], settings)
    assert skips[0].reason.startswith("malformed feed XML")
    assert skips[1].reason == "XML document that is not an RSS or Atom feed (root element <urlset>)"


def test_utf16_jsonl_records_are_read(tmp_path, settings):
    lines = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                      for i, t in enumerate([RUSSIAN, FRENCH], start=1))
    path = write(tmp_path / "records.jsonl", b"\xff\xfe" + lines.encode("utf-16-le"))
    raws, skips = read([path], settings)
    assert skips == []
    assert [json.loads(r.data)["text"] for r in raws] == [RUSSIAN, FRENCH]


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters="\x00\ufeff")))
def test_decode_round_trips_any_utf8_text(text):
    assert decode(text.encode("utf-8")) == (text, "utf-8")


@hsettings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["", "utf-8", "cp1251", "shift_jis", "bogus",
                                                      "base64", "rot13", "zlib", "utf-16"]))
def test_decode_never_raises_and_is_deterministic(data, declared):
    text, encoding = decode(data, declared)
    assert "\x00" not in text and encoding
    assert decode(data, declared) == (text, encoding)
