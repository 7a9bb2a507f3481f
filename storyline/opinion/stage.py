"""The ``opinion`` corpus stage: what commenters make of the story.

For every comment thread: VADER sentiment and stance toward the story's main actors per
comment, recurring narratives, who quotes whom (from the comments table), and comments
that assert what the reported sources contradict.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..registry import stage
from ..settings import Settings
from ..store.db import Store
from .types import STAGE_VERSION


@stage("opinion", requires=("story_docs", "claims", "provenance"),
       produces=("comment_opinions", "narratives"),
       version=STAGE_VERSION, scope="corpus")
def run_opinion(store: Store, settings: Settings, progress: Any) -> dict[str, Any]:
    """Comment sentiment and stance, narratives, quoting, contradicted comments."""
    from .reaction import read_threads

    return read_threads(store, settings, progress)


def reply_graph(store: Store, doc_id: str) -> dict[str, Any]:
    """Who quotes whom in a thread: edges (quoting commenter → quoted commenter) and the
    most quoted and most active commenters."""
    rows = {r["id"]: dict(r) for r in store.query(
        "SELECT id, author, location, quotes_comment_id FROM comments WHERE doc_id=?", (doc_id,))}

    def who(r: dict[str, Any]) -> str:
        return f"{r['author']} ({r['location']})" if r.get("location") else (r.get("author") or "?")

    edges = [{"from": who(r), "to": who(rows[r["quotes_comment_id"]]), "comment_id": r["id"],
              "quoted_comment_id": r["quotes_comment_id"]}
             for r in rows.values() if r.get("quotes_comment_id") in rows]
    active = Counter(who(r) for r in rows.values())
    quoted = Counter(e["to"] for e in edges)
    return {"edges": edges, "most_active": active.most_common(5),
            "most_quoted": quoted.most_common(5), "commenters": len(active)}
