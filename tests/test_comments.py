"""Comment threads: detection, splitting, commenters, comments quoting comments."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest.clean import clean_raw
from storyline.ingest.comments import commenters, find_thread, parse_header, split_comments
from storyline.ingest.types import RawInput
from storyline.settings import load

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
SETTINGS = load(env={})


def clean(text: str, key: str = "mem://thread.txt"):
    return clean_raw(RawInput(source_key=key, source=key, data=text.encode("utf-8"), format="text"),
                     SETTINGS)


def test_seed_thread_has_135_comments_by_98_commenters(seed_path, gold):
    path = seed_path("001")
    doc, comments = clean(path.read_text(encoding="utf-8"), key=str(path))
    want = next(d for d in gold["documents"] if d["doc"] == "001")
    assert len(comments) == want["comments"] == 135
    counts = commenters(comments)
    assert len(counts) == want["distinct_commenters"] == 98
    for author, location, n in want["most_active"]:
        assert counts[(author, location)] == n
    assert [c.idx for c in comments] == list(range(135))
    assert all(c.id == f"{doc.id}:c{c.idx}" and c.doc_id == doc.id for c in comments)
    for c in comments:
        assert doc.clean_text[c.start:c.end] == c.text and c.text.strip() == c.text
    assert doc.meta["comments"] == {"found": 135, "declared": 135, "commenters": 98}


def test_seed_comment_quoting_a_comment_is_linked(seed_path):
    path = seed_path("001")
    _, comments = clean(path.read_text(encoding="utf-8"), key=str(path))
    by_id = {c.id: c for c in comments}
    links = [(c.author, by_id[c.quotes_comment_id].author) for c in comments if c.quotes_comment_id]
    assert ("MyThreeCents", "zb") in links
    quoting = next(c for c in comments if c.author == "MyThreeCents" and c.quotes_comment_id)
    assert quoting.quoted_text.startswith("Anyone really think the whole alleged chemical weapons attack")
    # readers quoting the article (not another reader) are not linked to each other
    assert all(by_id[c.quotes_comment_id].author not in ("Christine McM",) for c in comments
               if c.quotes_comment_id)


def test_demo_thread():
    path = DEMO / "06_harbour_times_comments.txt"
    doc, comments = clean(path.read_text(encoding="utf-8"), key=str(path))
    assert doc.kind == "comment_thread" and len(comments) == 36
    assert len(commenters(comments)) == 16
    keiko = next(c for c in comments if c.author == "Keiko" and c.quotes_comment_id)
    quoted = next(c for c in comments if c.id == keiko.quotes_comment_id)
    assert quoted.author == "Sam W" and quoted.location == "Denver"
    assert doc.outlet == "The Harbour Times" and doc.outlet_inferred


def test_header_forms():
    assert parse_header("Vincent (Vt.)") == ("Vincent", "Vt.")
    assert parse_header("Prof. Jai Prakash Sharma (Jaipur, India)") == ("Prof. Jai Prakash Sharma", "Jaipur, India")
    assert parse_header("Ann Berg (Oslo) · 2 hours ago") == ("Ann Berg", "Oslo")
    assert parse_header("Ann Berg (Oslo) said this") is None
    assert parse_header("Why did Russia agree (again)?") is None
    assert parse_header("The United Nations (UN) said on Monday that the talks would resume in Geneva "
                        "next week after a pause of several months (officials)") is None


def test_article_with_parentheses_is_not_a_thread():
    text = ("Talks resume\n\nMay 2, 2017\n\n"
            "The United Nations (UN) said talks would resume.\n"
            "Staffan de Mistura (UN envoy)\n"
            "He said the talks would resume next week in Geneva, officials said.\n")
    doc, comments = clean(text)
    assert comments == [] and doc.kind != "comment_thread"


def test_large_thread_is_split_and_linked():
    import random

    rng = random.Random(7)
    vocab = ("ceasefire talks sanctions envoy weekend hold deal Moscow Washington trust verify "
             "troops border zone monitors promise break week month never always maybe").split()
    n = 10_000
    parts = ["A very long discussion", f"March 1, 2020 · {n} comments"]
    bodies = []
    for i in range(n):
        reader = i % 4000
        parts.append(f"Reader{reader} (City {reader % 97})")
        body = " ".join(rng.choice(vocab) for _ in range(14)).capitalize() + "."
        if i == n - 1:
            body = f'"{bodies[17]}" I disagree with that reader.'
        bodies.append(body)
        parts.append(body)
    text = "\n".join(parts) + "\n"
    thread = find_thread(text.split("\n"))
    assert thread is not None and thread.declared == n
    comments = split_comments(text, "dtest")
    assert len(comments) == n
    assert len(commenters(comments)) == 4000
    assert comments[-1].quotes_comment_id == "dtest:c17"
    assert sum(1 for c in comments if c.quotes_comment_id) == 1


BLOG_THREAD = """Iran deal: what comes next

March 3, 2015 · 4 comments

Anna K says:
March 3, 2015 at 4:05 pm
The inspectors are the key. Without access to military sites this will not hold.
Reply
Tom says:
March 3, 2015 at 5:10 pm
Congress will have the last word, and it will not be kind to the deal.
Reply
Maria Olsen says:
March 4, 2015 at 9:00 am
"Without access to military sites this will not hold." I think the additional protocol covers it.
12 Likes
Reply
Tom wrote:
Fair point, but the protocol has exceptions.
"""


def test_blog_thread_with_says_headers_time_stamps_and_widgets():
    doc, comments = clean(BLOG_THREAD)
    assert doc.kind == "comment_thread"
    assert [(c.author, c.location) for c in comments] == [
        ("Anna K", None), ("Tom", None), ("Maria Olsen", None), ("Tom", None)]
    assert comments[0].text == ("The inspectors are the key. Without access to military sites "
                                "this will not hold.")
    assert comments[2].text.endswith("the additional protocol covers it.")
    assert "Reply" not in doc.clean_text and "12 Likes" not in doc.clean_text
    assert comments[2].quotes_comment_id == comments[0].id


def test_news_article_with_said_colon_lines_is_not_a_thread():
    text = ("Envoys end talks\n\nJuly 1, 2015\n\n"
            + "\n".join(f"The spokesman said:\n\"Point {i} of the statement is that talks continue.\""
                        for i in range(5))
            + "\nIn a statement, the ministry said:\nThe talks will resume next week in Vienna.\n")
    doc, comments = clean(text)
    assert comments == [] and doc.kind != "comment_thread"
