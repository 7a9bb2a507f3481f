"""Public reaction on a hand-built comment thread: sentiment, stance, narratives, who quotes
whom, and comments that the reported sources contradict."""

from __future__ import annotations

import json

import pytest

from fuse_fixtures import add_document
from storyline.flow import run_corpus_stages
from storyline.opinion.sentiment import sentiment
from storyline.opinion.stage import reply_graph
from storyline.opinion.stance import main_actors, stances
from storyline.store.db import open_store

COMMENTS = [
    ("Ann", "Ohio", "The mayor is a puppet of the developers. Everyone knows the developers own him."),
    ("Bob", "Texas", "Another puppet show. The developers pull the strings and the mayor dances."),
    ("Cy", "Maine", "He is their puppet, plain and simple, bought and paid for."),
    ("Di", "Utah", "The new bridge toll is outrageous; the toll will hurt commuters every day."),
    ("Ed", "Iowa", "Raising the toll again? Tolls are a tax on working people."),
    ("Flo", "Idaho", "I would pay a higher toll if the bridge were finally repaired."),
    ("Gus", "Kansas", "I applaud the mayor for finally fixing the bridge. Well done."),
    ("Hal", "Vermont", "\"Another puppet show. The developers pull the strings and the mayor dances.\"\n\n"
                       "Exactly right, Bob."),
    ("Ida", "Oregon", "The bridge never closed at all, the whole closure story is a hoax."),
]
ARTICLE = ("Mayor Jane Doe announced on Monday that the Harbor Bridge closed for repairs after "
           "inspectors found cracks. The bridge closed on Monday and will reopen in June, the "
           "city said. The mayor said the toll would rise to pay for the work.")


@pytest.fixture()
def thread_store(tmp_path, settings):
    store = open_store(tmp_path / "thread.db")
    add_document(store, "article", ARTICLE, outlet="City Ledger", kind="news_report",
                 published="2024-03-04", title="Harbor Bridge closes for repairs")
    text, rows = "", []
    for i, (author, place, body) in enumerate(COMMENTS):
        text += f"{author} ({place})\n"
        rows.append({"id": f"thread:c{i}", "idx": i, "author": author, "location": place,
                     "text": body, "doc_id": "thread", "start": len(text),
                     "end": len(text) + len(body), "stage": "test", "stage_version": "1",
                     "quotes_comment_id": "thread:c1" if author == "Hal" else None})
        text += body + "\n"
    add_document(store, "thread", text, outlet="City Ledger", kind="comment_thread",
                 published="2024-03-04", title="Harbor Bridge closes for repairs")
    store.insert_rows("comments", rows)
    summary = run_corpus_stages(store, settings)
    yield store, summary
    store.close()


def test_sentiment_and_stance():
    assert sentiment("I applaud this, well done!")["compound"] > 0.5
    assert sentiment("This is outrageous and disgusting.")["compound"] < -0.5
    texts = [c[2] for c in COMMENTS]
    assert main_actors(texts, ["The Mayor", "Developers"], n=1) == ["The Mayor"]
    assert stances("Mayor Doe is a puppet. Bought and paid for.", ["Doe"]) == {"Doe": "against"}
    assert stances("The toll is fine. I applaud Mayor Doe for this.", ["Doe"]) == {"Doe": "favor"}
    assert stances("Nothing here about anyone.", ["Doe"]) == {}


def test_thread_reading(thread_store):
    store, summary = thread_store
    assert summary["opinion"]["comments"] == len(COMMENTS)
    narratives = {tuple(json.loads(r["keywords"])): dict(r)
                  for r in store.query("SELECT * FROM narratives")}
    by_keyword = {k: v for ks, v in narratives.items() for k in ks}
    assert "puppet" in by_keyword and "toll" in by_keyword
    puppet = by_keyword["puppet"]
    members = {m["comment_id"] for m in json.loads(puppet["members"])}
    assert {"thread:c0", "thread:c1", "thread:c2"} <= members
    assert "thread:c7" not in members  # Hal only quotes Bob: the quote is left out
    assert puppet["share"] == pytest.approx(len(members) / len(COMMENTS), abs=1e-3)
    graph = reply_graph(store, "thread")
    assert graph["edges"] == [{"from": "Hal (Vermont)", "to": "Bob (Texas)", "comment_id": "thread:c7",
                               "quoted_comment_id": "thread:c1"}]
    edge = store.one("SELECT * FROM provenance WHERE relation='comment_quotes_comment'")
    assert edge["source"] == "Bob (Texas)" and edge["agent"] == "Hal (Vermont)"


def test_comment_contradicted_by_reports(thread_store):
    store, _ = thread_store
    row = store.one("SELECT contradicted_by FROM comment_opinions WHERE comment_id='thread:c8'")
    against = json.loads(row["contradicted_by"])
    assert against and against[0]["doc_id"] == "article"
    assert "closed" in against[0]["claim"]
    clean = store.one("SELECT contradicted_by FROM comment_opinions WHERE comment_id='thread:c6'")
    assert json.loads(clean["contradicted_by"]) == []
