"""Reader-comment threads: detect them, split them into comments, link quoted comments.

A thread is a run of comments, each introduced by a header line ``Name (Location)``
(optionally followed by a time stamp: ``Name (Location) · 2 hours ago``); a line such as
``May 02, 2017 · 135 comments`` may announce how many there are.  Each comment's span is
its body (the lines after its header up to the next header) in the document's clean text,
so ``Comment.text == clean_text[start:end]``.

A comment that quotes a passage written by another commenter is linked to that comment
(``quotes_comment_id``, ``quoted_text``).  Threads are often sorted by votes, not time, so
the quoted comment may come later in the file.  Matching uses an index of word shingles of
what each commenter wrote themselves (quotations excluded), so the work grows linearly
with the size of the thread.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from .types import Comment

STAGE = "clean"

_HEADER = re.compile(
    r"^(?P<author>[^\s()\[\]<>][^()\[\]<>\n]{0,59}?)\s*\((?P<location>[^()\n]{1,60})\)"
    r"(?:\s*[·|•,—–-]?\s*(?P<when>[^()\n]{1,40}))?\s*$")
_SAYS_HEADER = re.compile(
    r"^(?P<author>[^\s:\"“][^:\n]{0,59}?)\s+(?:says|said|wrote|writes|commented)"
    r"(?:\s+(?:on|at)\s+[^:\n]{4,40}?)?\s*:\s*$")
#: a time stamp line under a header ("March 3, 2019 at 4:05 pm", "2 hours ago")
_STAMP = re.compile(r"^(?=.*(?:\d{1,2}:\d\d|\bago\b|\b(?:19|20)\d\d\b|\byesterday\b))[\w ,.:/·|-]{4,50}$",
                    re.IGNORECASE)
_WHEN = re.compile(r"\d|\bago\b|\byesterday\b|\btoday\b|\bjust now\b", re.IGNORECASE)
_COUNT = re.compile(r"(?P<n>\d[\d,.]*)\s*(?:k\s+)?(?:comments?|replies|responses)\b", re.IGNORECASE)
_BAD_NAME_CHARS = re.compile(r"[?!;:\"“”]|https?://")
# a quotation runs to its closing mark, or to the end of the paragraph when it has none
_QUOTED = re.compile(r'"([^"\n]{30,}?)(?:"|$)|“([^”\n]{30,}?)(?:”|$)|^[ \t]*>[ \t]?(.{30,})$',
                     re.MULTILINE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

SHINGLE = 6
#: a shingle written by more commenters than this is a common phrase, not evidence
MAX_SHINGLE_OWNERS = 25


@dataclasses.dataclass
class Thread:
    """A comment thread found in a list of lines."""

    start: int  # index of the first header line
    headers: list[int]
    declared: int | None = None  # "· 135 comments"


def parse_header(line: str) -> tuple[str, str | None] | None:
    """``(author, location)`` if ``line`` is a comment header, else ``None``.

    Two forms: ``Name (Location)`` (optionally followed by a time stamp) and
    ``Name says:`` / ``Name wrote on <date>:`` (location ``None``).
    """
    text = line.strip()
    if not text or len(text) > 130:
        return None
    says = _SAYS_HEADER.match(text)
    if says:
        author = says.group("author").strip()
        toks = author.split()
        # a name or a handle, not "The spokesman said:" or "In a statement, the ministry said:"
        looks_named = len(toks) == 1 or all(t[:1].isupper() or t[:1].isdigit() for t in toks)
        if len(toks) <= 4 and looks_named and "," not in author and not _BAD_NAME_CHARS.search(author):
            return author, None
        return None
    m = _HEADER.match(text)
    if not m:
        return None
    author, location = m.group("author").strip(), m.group("location").strip()
    when = m.group("when")
    if when and not _WHEN.search(when):
        return None
    if len(author.split()) > 6 or len(location.split()) > 8:
        return None
    if _BAD_NAME_CHARS.search(author) or _BAD_NAME_CHARS.search(location):
        return None
    if author.endswith((",", "-", "—")) or not any(c.isalnum() for c in author):
        return None
    return author, location


def declared_count(lines: list[str], limit: int = 12) -> int | None:
    """The number of comments a header line announces ("135 comments"), if any."""
    for line in [ln for ln in lines if ln.strip()][:limit]:
        m = _COUNT.search(line)
        if m and len(line.split()) <= 12:
            try:
                return int(m.group("n").replace(",", "").replace(".", ""))
            except ValueError:
                return None
    return None


def find_thread(lines: list[str]) -> Thread | None:
    """The comment thread in ``lines``, or ``None`` when the document is not one."""
    headers = [i for i, line in enumerate(lines) if parse_header(line)]
    if not headers:
        return None
    declared = declared_count(lines)
    with_body = sum(1 for k, i in enumerate(headers)
                    if _has_body(lines, i, headers[k + 1] if k + 1 < len(headers) else len(lines)))
    enough = with_body >= (2 if declared else 4)
    nonblank_after = sum(1 for line in lines[headers[0]:] if line.strip())
    dense = len(headers) / max(nonblank_after, 1) >= 0.08
    if not (enough and dense):
        return None
    return Thread(start=headers[0], headers=headers, declared=declared)


def _has_body(lines: list[str], header: int, next_header: int) -> bool:
    return any(lines[j].strip() for j in range(header + 1, next_header))


def split_comments(clean_text: str, doc_id: str, stage_version: str = "") -> list[Comment]:
    """The comments of a thread whose clean text is ``clean_text``."""
    line_spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", clean_text)
                  if m.start() == 0 or clean_text[m.start() - 1] == "\n"]
    headers = []
    for start, end in line_spans:
        parsed = parse_header(clean_text[start:end])
        if parsed:
            headers.append((start, end, parsed))
    comments: list[Comment] = []
    for k, (_, header_end, (author, location)) in enumerate(headers):
        body_end = headers[k + 1][0] if k + 1 < len(headers) else len(clean_text)
        start, end = _trim(clean_text, header_end, body_end)
        start, end = _trim(clean_text, _after_stamp(clean_text, start, end), end)
        if start >= end:
            continue
        idx = len(comments)
        comments.append(Comment(
            id=f"{doc_id}:c{idx}", idx=idx, doc_id=doc_id, start=start, end=end,
            author=author, location=location, text=clean_text[start:end],
            stage=STAGE, stage_version=stage_version))
    link_quotes(comments)
    return comments


def _after_stamp(text: str, start: int, end: int) -> int:
    """Skip a time-stamp line that opens a comment body (it belongs to the header)."""
    nl = text.find("\n", start, end)
    first = text[start:nl if nl >= 0 else end]
    if nl >= 0 and _STAMP.match(first.strip()):
        return nl + 1
    return start


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def commenters(comments: list[Comment]) -> Counter[tuple[str | None, str | None]]:
    """How many comments each commenter (author, location) wrote."""
    return Counter((c.author, c.location) for c in comments)


# --- quotes of other comments ---------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[k:k + SHINGLE]) for k in range(len(tokens) - SHINGLE + 1)]


def quoted_passages(text: str) -> list[tuple[int, int]]:
    """Spans (in ``text``) of passages quoted in a comment: "…" of 30+ chars or ``>`` lines."""
    out = []
    for m in _QUOTED.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        if len(_tokens(m.group(group))) >= SHINGLE + 2:
            out.append((m.start(group), m.end(group)))
    return out


def link_quotes(comments: list[Comment]) -> None:
    """Set ``quotes_comment_id``/``quoted_text`` on comments quoting another comment."""
    passages = {c.idx: quoted_passages(c.text) for c in comments}
    owners: dict[tuple[str, ...], set[int]] = {}
    for c in comments:
        own = _own_text(c.text, passages[c.idx])
        for sh in set(_shingles(_tokens(own))):
            bucket = owners.setdefault(sh, set())
            if len(bucket) <= MAX_SHINGLE_OWNERS:
                bucket.add(c.idx)
    for c in comments:
        for start, end in passages[c.idx]:
            target = _source_of(c.text[start:end], c.idx, owners)
            if target is not None:
                c.quotes_comment_id = comments[target].id
                c.quoted_text = c.text[start:end]
                break


def _own_text(text: str, quoted: list[tuple[int, int]]) -> str:
    parts, last = [], 0
    for start, end in quoted:
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return " \n ".join(parts)


def _source_of(passage: str, self_idx: int, owners: dict[tuple[str, ...], set[int]]) -> int | None:
    shingles = _shingles(_tokens(passage))
    if not shingles:
        return None
    votes: Counter[int] = Counter()
    for sh in shingles:
        bucket = owners.get(sh, ())
        if len(bucket) > MAX_SHINGLE_OWNERS:
            continue
        votes.update(i for i in bucket if i != self_idx)
    if not votes:
        return None
    best, hits = votes.most_common(1)[0]
    return best if hits >= max(2, 0.6 * len(shingles)) else None
