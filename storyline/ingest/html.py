"""HTML pages: the article text by trafilatura, located back in the page's source.

Extraction runs in :func:`storyline.ingest.worker.run_with_timeout` (killed after
``settings.ingest.extract_timeout_s``).  The page is parsed by lxml with ``huge_tree=True``
(by default lxml silently drops text nested 255 or more elements deep) and handed to
trafilatura 2.3 with ``favor_precision=True``; when precision mode keeps almost nothing,
it is retried in the default mode, and when trafilatura finds nothing (or the page is
nested deeper than :data:`MAX_TREE_DEPTH`, where it is very slow) the page's visible text
blocks are used (boilerplate lines are then removed by the line scorer as for text).

**Offsets.**  The page's visible text is rebuilt from its text nodes with
:class:`html.parser.HTMLParser` (which reports where each text node starts), skipping
``script``/``style``/``title``-like elements.  Each extracted paragraph is found in that
text (its words in order, any white space between them), and each of its words is mapped
to the characters it came from.  Precision: words written literally in the source map
exactly; characters written as entities (``&amp;``), white space that was collapsed or
stood for a tag boundary, and text trafilatura changed have no exact origin and are left
outside the offset map's segments (they map to where the preceding exact text ends).  A
paragraph that cannot be found word for word is mapped word by word near the previous
one.  ``notes["exact_chars"]`` reports the share of clean characters mapped exactly.
"""

from __future__ import annotations

import bisect
import html as htmllib
import re
from html.parser import HTMLParser
from typing import Any

from ..errors import StorylineError, UnsupportedInput
from ..settings import Settings
from .clean import Line, Segment, compose, merge_segments

#: elements whose text is not page text
SKIP_TAGS = frozenset("script style noscript template svg title iframe object canvas math select "
                      "option button textarea".split())
#: elements that start or end a block of text
BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr td th table thead tbody tfoot section "
    "article header footer nav aside blockquote pre figure figcaption hr main form address "
    "details summary caption fieldset legend center body html".split())
#: below this many characters, a precision-mode extraction is retried in default mode
MIN_PRECISE_CHARS = 250
#: extra memory the extraction of a large page (over 1 MB) may use before it is stopped
EXTRACT_MEMORY_BYTES = 3_000_000_000
#: pages nested deeper than this skip trafilatura (slow there) for the visible text blocks
MAX_TREE_DEPTH = 600


def html_lines(html_text: str, settings: Settings) -> tuple[list[Line], dict[str, Any], dict[str, Any]]:
    """Lines of an HTML page's main text, metadata from its markup, and notes."""
    from .worker import run_with_timeout

    memory = EXTRACT_MEMORY_BYTES if len(html_text) > 1_000_000 else None
    return run_with_timeout(extract_lines, html_text, timeout_s=settings.ingest.extract_timeout_s,
                            input_size=len(html_text), max_memory_bytes=memory)


def extract_lines(html_text: str) -> tuple[list[Line], dict[str, Any], dict[str, Any]]:
    """The work of :func:`html_lines` (runs in the extraction worker)."""
    notes: dict[str, Any] = {"offsets": "html", "extractor": "trafilatura"}
    try:
        extracted, markup = _trafilatura(html_text)
    except StorylineError:
        raise  # a time limit reached inside the extraction
    except Exception as exc:  # noqa: BLE001
        # trafilatura/lxml choking on a malformed page: fall back to the visible text
        extracted, markup = "", {}
        notes["extractor_error"] = f"{type(exc).__name__}: {exc}"[:200]
    visible = VisibleText(html_text)
    paragraphs = [p.strip() for p in extracted.split("\n") if p.strip()]
    if not paragraphs:
        paragraphs = visible.blocks()
        notes["extractor"] = "visible text blocks (trafilatura found no main text)"
    if not paragraphs:
        raise UnsupportedInput("HTML page without text")
    lines = visible.locate(paragraphs)
    title = markup.get("title")
    if title and not any(_norm(title) == _norm(line.text) for line in lines[:3]):
        lines.insert(0, visible.locate_title(title, html_text))
    return lines, markup, notes


def _trafilatura(html_text: str) -> tuple[str, dict[str, Any]]:
    import lxml.etree
    import lxml.html
    import trafilatura

    def parse() -> Any:
        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True,
                                      collect_ids=False, default_doctype=False)
        try:
            return lxml.html.document_fromstring(_without_xml_declaration(html_text), parser=parser)
        except (lxml.etree.ParserError, ValueError):
            return None

    tree = parse()
    if tree is None or _depth(tree) > MAX_TREE_DEPTH:
        return "", {}
    doc = trafilatura.bare_extraction(tree, favor_precision=True, with_metadata=True,
                                      include_comments=False, include_tables=True)
    text = (doc.text or "") if doc is not None else ""
    if len(text) < MIN_PRECISE_CHARS:
        again = trafilatura.bare_extraction(parse(), with_metadata=True, include_comments=False,
                                            include_tables=True)
        if again is not None and len(again.text or "") > len(text):
            doc, text = again, again.text or ""
    return text, _markup(doc)


def _depth(tree: Any) -> int:
    import lxml.etree

    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _without_xml_declaration(text: str) -> str:
    # lxml refuses str input with an encoding declaration
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


def _markup(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    authors = [a.strip() for a in re.split(r";|\s+and\s+", doc.author or "") if a.strip()]
    categories = [c for c in (doc.categories or []) if c]
    return {k: v for k, v in {
        "title": doc.title, "authors": authors, "date": doc.date, "outlet": doc.sitename,
        "section": categories[0] if categories else None, "language": doc.language,
        "description": doc.description,
    }.items() if v}


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


class VisibleText(HTMLParser):
    """The visible text of a page, with where each character came from.

    ``text`` holds text nodes as written (entities decoded, a ``\\n`` at block boundaries);
    ``runs`` are ``(text offset, raw offset, length)`` for text copied literally from the
    source; ``links`` are text ranges inside ``<a>`` elements.
    """

    def __init__(self, html_text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html_text)]
        self._parts: list[str] = []
        self._length = 0
        self.runs: list[Segment] = []
        self.links: list[tuple[int, int]] = []
        self._skip = 0
        self._link_start: int | None = None
        self.feed(html_text)
        self.close()
        self.text = "".join(self._parts)
        self._parts = []
        self._run_starts = [r[0] for r in self.runs]
        self._link_starts: list[int] | None = None

    # -- building ------------------------------------------------------------------------

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _append(self, text: str, raw: int | None) -> None:
        if raw is not None:
            self.runs.append((self._length, raw, len(text)))
        self._parts.append(text)
        self._length += len(text)

    def _boundary(self) -> None:
        if self._parts and not self._parts[-1].endswith("\n"):
            self._append("\n", None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self._skip += 1
        elif tag == "body":
            self._skip = 0
        if tag in BLOCK_TAGS:
            self._boundary()
        if tag == "a":
            self._link_start = self._length

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._boundary()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag in BLOCK_TAGS:
            self._boundary()
        if tag == "a" and self._link_start is not None:
            self.links.append((self._link_start, self._length))
            self._link_start = None

    def handle_data(self, data: str) -> None:
        if not self._skip and data:
            self._append(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        if not self._skip:
            self._append(htmllib.unescape(f"&{name};"), None)

    def handle_charref(self, name: str) -> None:
        if not self._skip:
            self._append(htmllib.unescape(f"&#{name};"), None)

    # -- using -----------------------------------------------------------------------------

    def blocks(self) -> list[str]:
        """The visible text blocks, white space collapsed (fallback paragraphs)."""
        return [" ".join(b.split()) for b in self.text.split("\n") if b.split()]

    def locate(self, paragraphs: list[str]) -> list[Line]:
        """A :class:`Line` per paragraph, mapped to the page source as well as possible."""
        lines = []
        cursor = 0
        for para in paragraphs:
            words = para.split()
            if not words:
                continue
            span = self._find(words, cursor)
            if span is None and words[0] in ("-", "|", "*", "•") and len(words) > 1:
                words = words[1:]
                span = self._find(words, cursor)
            if span is not None:
                line = self._line_from_match(" ".join(words), span)
                cursor = span[1]
            else:
                line, cursor = self._line_word_by_word(" ".join(words), cursor)
            lines.append(line)
        return lines

    def locate_title(self, title: str, html_text: str) -> Line:
        """A line for the page title, mapped to the source when written there literally."""
        title = " ".join(title.split())
        span = self._find(title.split(), 0)
        if span is not None:
            return self._line_from_match(title, span)
        at = html_text.find(title)
        segments = [(0, at, len(title))] if at >= 0 else []
        return Line(text=title, segments=segments, raw_start=max(at, 0),
                    raw_end=max(at, 0) + len(title) if at >= 0 else 0, blank_before=True)

    def _find(self, words: list[str], cursor: int) -> tuple[int, int] | None:
        """Where ``words`` occur in order, separated by any white space: from ``cursor`` on,
        else before it."""
        return self._scan(words, cursor, len(self.text)) or self._scan(words, 0, cursor)

    def _scan(self, words: list[str], start: int, stop: int, max_tries: int = 5000
              ) -> tuple[int, int] | None:
        text, first = self.text, words[0]
        for _ in range(max_tries):
            at = text.find(first, start, stop + len(first))
            if at < 0:
                return None
            end = self._match_at(words, at)
            if end is not None:
                return at, end
            start = at + 1
        return None

    def _match_at(self, words: list[str], at: int) -> int | None:
        text, pos, n = self.text, at, len(self.text)
        for k, word in enumerate(words):
            if k:
                gap = pos
                while pos < n and text[pos].isspace():
                    pos += 1
                if pos == gap:
                    return None
            if not text.startswith(word, pos):
                return None
            pos += len(word)
        return pos

    def _line_from_match(self, text: str, span: tuple[int, int]) -> Line:
        start, end = span
        local: list[Segment] = []
        pos = 0
        prev_end = None
        for m in re.finditer(r"\S+", self.text[start:end]):
            v = start + m.start()
            if prev_end is not None:
                gap = self.text[prev_end:v]
                if gap == " ":
                    local.append((pos, prev_end, 1))
                pos += 1  # the single space in ``text``
            local.append((pos, v, m.end() - m.start()))
            pos += m.end() - m.start()
            prev_end = start + m.end()
        return self._make_line(text, local, span)

    def _line_word_by_word(self, text: str, cursor: int, window: int = 400) -> tuple[Line, int]:
        local: list[Segment] = []
        first, last = None, cursor
        for m in re.finditer(r"\S+", text):
            at = self.text.find(m.group(), last, last + window)
            if at < 0:
                continue
            local.append((m.start(), at, len(m.group())))
            first = at if first is None else first
            last = at + len(m.group())
        span = (first if first is not None else cursor, last)
        return self._make_line(text, local, span), last

    def _make_line(self, text: str, local: list[Segment], span: tuple[int, int]) -> Line:
        segments = compose(merge_segments(local), self.runs, self._run_starts)
        raw_start = segments[0][1] if segments else self._raw_at(span[0])
        raw_end = segments[-1][1] + segments[-1][2] if segments else raw_start
        return Line(text=text, segments=segments, raw_start=raw_start, raw_end=raw_end,
                    blank_before=True, link_share=self._link_share(span, len(text)))

    def _raw_at(self, v: int) -> int:
        i = bisect.bisect_right(self._run_starts, v) - 1
        if i < 0:
            return 0
        start, raw, n = self.runs[i]
        return raw + min(max(v - start, 0), n)

    def _link_share(self, span: tuple[int, int], length: int) -> float:
        if self._link_starts is None:
            self.links.sort()
            self._link_starts = [a for a, _ in self.links]
        i = max(0, bisect.bisect_right(self._link_starts, span[0]) - 1)
        inside = 0
        while i < len(self.links) and self.links[i][0] < span[1]:
            a, b = self.links[i]
            inside += max(0, min(b, span[1]) - max(a, span[0]))
            i += 1
        return min(1.0, inside / max(length, 1))
