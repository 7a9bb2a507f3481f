"""Quotation marks: the spans of direct quotations in a text, and closing a content
that stops just before a quotation's closing mark."""

from __future__ import annotations

import functools
import re


_DOUBLE_OPEN = "“„«‟"
_DOUBLE_CLOSE = "”»"
_MARKS = re.compile(r"\n\s*|''|``|[\"“”„‟«»]")


def _mark_role(text: str, i: int, width: int = 1) -> str | None:
    """open, close, toggle (either) or None for the quotation mark at ``i``."""
    mark = text[i:i + width]
    if mark in _DOUBLE_OPEN or mark == "``":
        return "open"
    if mark in _DOUBLE_CLOSE:
        if mark == "”" and (i == 0 or text[i - 1] == "\n") and text[i + 1:i + 2].isalnum():
            return "open"  # a paragraph opened with the wrong curly mark: ”Fear. …”
        return "close"
    if mark not in ('"', "''"):
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if i == 0 or before.isspace() or before in "([{—–-/:":
        if not after.isspace():
            return "open"
        # "… 'Well done,' " she said": a closing mark spaced off a closing single quote
        return "close" if text[i - 2:i] in ("' ", "’ ") else None
    if after.isspace() or after in ".,;:!?)]}—–-" or i + width == len(text):
        return "close"
    return "toggle" if mark == '"' else None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations (a fresh list; see :func:`_quote_spans`)."""
    return list(_cached_quote_spans(text))


@functools.lru_cache(maxsize=4)
def _cached_quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_quote_spans(text))


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations, quotation marks included.

    Marks are straight, curly, guillemets, or doubled apostrophes/backticks (''…'').  A
    quotation left open at a paragraph end continues when the next paragraph opens with a
    quotation mark (the typographic convention), and is otherwise closed at the paragraph
    end.  Never raises on unbalanced marks.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    skip_until = -1
    for m in _MARKS.finditer(text):
        i = m.start()
        if i < skip_until:
            continue
        if m.group().startswith("\n"):
            if open_at is None:
                continue
            nxt = m.end()
            width = 2 if text[nxt:nxt + 2] in ("''", "``") else 1
            if nxt < len(text) and _mark_role(text, nxt, width) in ("open", "toggle"):
                skip_until = nxt + width  # the quotation goes on in the next paragraph
                continue
            end = len(text[:i].rstrip())
            spans.append((open_at, end))
            open_at = None
            continue
        width = len(m.group())
        if width == 2 and open_at is not None and text[i + 2:i + 3] == "'":
            i += 1  # "…, 'a special case,''' he said": the last two marks close the quote
        role = _mark_role(text, i, width)
        if role is None:
            continue
        if open_at is None and role in ("open", "toggle"):
            open_at = i
        elif open_at is not None and role in ("close", "toggle"):
            spans.append((open_at, i + width))
            open_at = None
            skip_until = i + width
    if open_at is not None:
        spans.append((open_at, len(text.rstrip())))
    spans = [(s, e) for s, e in spans if e - s > 2]
    return spans + _single_quote_spans(text, spans)


_SINGLE = re.compile(r"(?<![\w’'])‘(?=\w)([^‘’\n]{2,}?[^\s‘])’(?!\w)")


def _single_quote_spans(text: str, doubles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Curly single quotations (British style, headlines) outside double quotations."""
    out = []
    for m in _SINGLE.finditer(text):
        if any(s <= m.start() < e for s, e in doubles):
            continue
        if len(m.group(1).split()) >= 2:
            out.append((m.start(), m.end()))
    return out


_CLOSING_TAIL = re.compile(r"[.,;!?]?(?:''|[”\"’'])")


def _close_quotation(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A content that opens a quotation and stops just before its closing mark runs on
    over the mark and the punctuation inside it ("… is “not having a good night.”")."""
    start, end = span
    part = text[start:end]
    unclosed = part.count("“") > part.count("”") or part.count('"') % 2 == 1 or \
        part.count("''") % 2 == 1 or part.count("``") > part.count("''")
    if not unclosed:
        return span
    m = _CLOSING_TAIL.match(text, end)
    return (start, m.end()) if m else span
