"""Clean one raw input into a :class:`~storyline.ingest.types.Document` with exact offsets.

The raw bytes are decoded once (:func:`storyline.ingest.formats.decode`); offsets of the
offset map are offsets into that decoded text.  The document is read as a list of
:class:`Line` objects, each knowing which characters of the raw text it is made of:

* **plain text**: every non-blank line, trimmed of surrounding white space;
* **Markdown**: the same, with markup removed inside the line (``#`` headings, ``>``
  quotes, list markers, ``**emphasis**``, ``[link](url)`` → ``link``, images dropped) and
  YAML front matter read as metadata;
* **HTML**: the paragraphs trafilatura extracts, located in the page's text nodes
  (:mod:`storyline.ingest.html`);
* **JSON records** and **feed items**: the text field, cleaned as the format it is written
  in, its offsets composed with the position of the field's characters in the record.

Boilerplate lines are scored and removed (:mod:`storyline.ingest.boilerplate`), recorded in
``Document.removed``; the kept lines are joined with the raw text's own newline characters
(one between adjacent lines, two across a blank or removed line).  For text and Markdown
every clean character lies in a segment of the offset map, and for every segment
``clean[c:c+n] == raw[r:r+n]`` holds.  For HTML, JSON escapes and feed items, characters that
do not occur literally in the raw text (decoded entities, collapsed white space, paragraph
breaks) lie outside every segment; :meth:`OffsetMap.to_raw` maps them to where the preceding
segment ends, and ``Document.meta["offsets"]`` says how much of the text is exact.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import json
import re
import unicodedata
from typing import Any

from ..errors import UnsupportedInput
from ..settings import Settings
from . import boilerplate, comments, metadata
from .types import Comment, Document, OffsetMap, RawInput, content_hash, document_id

#: version of the clean stage (Document.stage_version); bump when its output changes
CLEAN_VERSION = "1"

Segment = tuple[int, int, int]
_TRIM = " \t\r\f\v\ufeff\u00a0\u200b\u2028\u2029"


@dataclasses.dataclass
class Line:
    """One line of the document: its text and where each of its characters came from.

    ``segments`` are ``(offset in text, raw start, length)`` with ``text[o:o+n]`` equal to
    the raw text ``[r:r+n]``; characters outside them have no exact raw origin.
    ``nl_after``/``nl_before`` are raw offsets of the newline ending this line and of the
    newline ending the raw line before it (used to join lines with raw characters).
    """

    text: str
    segments: list[Segment]
    raw_start: int
    raw_end: int
    nl_after: int | None = None
    nl_before: int | None = None
    blank_before: bool = False
    link_share: float = 0.0


@dataclasses.dataclass
class Cleaned:
    """The result of cleaning, before it becomes a Document."""

    text: str
    segments: list[Segment]
    removed: list[dict[str, Any]]
    lines: list[Line]
    kept: list[bool]
    markup: dict[str, Any]
    notes: dict[str, Any]
    header: metadata.Header
    thread: comments.Thread | None


# --- lines of plain text ----------------------------------------------------------------------

def text_lines(text: str) -> list[Line]:
    """The non-blank lines of plain ``text``, trimmed, with exact segments."""
    lines: list[Line] = []
    blank = False
    pos, n = 0, len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        start, stop = pos, end
        while start < stop and text[start] in _TRIM:
            start += 1
        while stop > start and text[stop - 1] in _TRIM:
            stop -= 1
        if start < stop:
            lines.append(Line(text=text[start:stop], segments=[(0, start, stop - start)],
                              raw_start=start, raw_end=stop, nl_after=nl if nl >= 0 else None,
                              nl_before=pos - 1 if pos > 0 else None, blank_before=blank))
            blank = False
        elif lines:
            blank = True
        if nl < 0:
            break
        pos = nl + 1
    return lines


# --- lines of Markdown ------------------------------------------------------------------------

_MD_BLOCK = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]?(?:>[ \t]?)*|[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,3}[.)][ \t]+)")
_MD_RULE = re.compile(r"^(?:[-*_][ \t]*){3,}$|^(?:```|~~~).*$|^\[[^\]]+\]:\s*\S+.*$|^<!--.*-->$|"
                      r"^\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?$")
_MD_INLINE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\([^)]*\)"
    r"|\[(?P<text>[^\]]+)\]\((?P<url>[^)]*)\)"
    r"|\[(?P<rtext>[^\]]+)\]\[[^\]]*\]"
    r"|<(?P<auto>(?:https?://|mailto:)[^>\s]+)>"
    r"|<!--.*?-->|</?[A-Za-z][^>]*>"
    r"|\\(?P<esc>[\\`*_{}\[\]()#+\-.!>|])"
    r"|(?P<mark>\*\*|__|~~|`+|(?<![\w*\\])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<![\w_\\])_(?=\S)|(?<=\S)_(?![\w_]))")
_MD_HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$")


def markdown_lines(text: str) -> tuple[list[Line], dict[str, Any]]:
    """Lines of Markdown ``text`` with markup removed, and the front matter's metadata."""
    front, body_from = _front_matter(text)
    lines = []
    for line in text_lines(text):
        if line.raw_start < body_from:
            continue
        if _MD_RULE.match(line.text):
            continue
        stripped = _strip_markdown(line)
        if stripped.text.strip():
            lines.append(stripped)
    return lines, front


def _front_matter(text: str) -> tuple[dict[str, Any], int]:
    m = re.match(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", text, re.DOTALL)
    if not m:
        return {}, 0
    meta: dict[str, Any] = {}
    for row in m.group(1).splitlines():
        key, sep, value = row.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    mapped = {
        "title": meta.get("title"), "date": meta.get("date") or meta.get("published"),
        "authors": meta.get("author") or meta.get("authors"),
        "outlet": meta.get("outlet") or meta.get("publisher") or meta.get("site"),
        "section": meta.get("section") or meta.get("category"), "kind": meta.get("kind"),
    }
    if mapped["authors"]:
        mapped["authors"] = [a.strip() for a in re.split(r",|;|\band\b", str(mapped["authors"]).strip("[]"))
                             if a.strip().strip("\"'")]
        mapped["authors"] = [a.strip().strip("\"'") for a in mapped["authors"]]
    return {k: v for k, v in mapped.items() if v}, m.end()


def _strip_markdown(line: Line) -> Line:
    """``line`` without Markdown markup; link text kept, link share measured."""
    text, base = line.text, line.raw_start
    keep: list[tuple[int, int]] = []
    pos = 0
    block = _MD_BLOCK.match(text)
    if block:
        pos = block.end()
    tail = _MD_HEADING_TAIL.search(text) if text.startswith("#") else None
    end = tail.start() if tail else len(text)
    link_chars = 0
    for m in _MD_INLINE.finditer(text, pos, end):
        keep.append((pos, m.start()))
        for group in ("text", "rtext", "auto", "esc"):
            if m.group(group) is not None:
                keep.append((m.start(group), m.end(group)))
                if group != "esc":
                    link_chars += m.end(group) - m.start(group)
                break
        pos = m.end()
    keep.append((pos, end))
    pieces, segments, offset = [], [], 0
    for a, b in keep:
        if b <= a:
            continue
        pieces.append(text[a:b])
        segments.append((offset, base + a, b - a))
        offset += b - a
    joined = "".join(pieces)
    lead = len(joined) - len(joined.lstrip(_TRIM))
    trail = len(joined.rstrip(_TRIM))
    new_text = joined[lead:trail]
    segments = _clip(segments, lead, trail)
    return dataclasses.replace(line, text=new_text, segments=segments,
                               link_share=link_chars / max(len(new_text), 1))


def _clip(segments: list[Segment], start: int, stop: int) -> list[Segment]:
    """Segments restricted to text offsets ``[start, stop)``, re-based at ``start``."""
    out = []
    for o, r, n in segments:
        a, b = max(o, start), min(o + n, stop)
        if b > a:
            out.append((a - start, r + (a - o), b - a))
    return out


# --- joining lines ------------------------------------------------------------------------------

def assemble(lines: list[Line], keep: list[bool]) -> tuple[str, list[Segment]]:
    """Join the kept lines into the clean text; return it with its merged segments."""
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    prev: int | None = None
    for k, line in enumerate(lines):
        if not keep[k]:
            continue
        if prev is not None:
            gap = k - prev > 1 or line.blank_before
            first = lines[prev].nl_after
            second = line.nl_before if line.nl_before != first else None
            for raw_nl in ((first, second) if gap else (first,)):
                if raw_nl is not None:
                    segments.append((pos, raw_nl, 1))
                parts.append("\n")
                pos += 1
        for o, r, n in line.segments:
            segments.append((pos + o, r, n))
        parts.append(line.text)
        pos += len(line.text)
        prev = k
    return "".join(parts), merge_segments(segments)


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Sort and merge segments that continue each other in both texts."""
    out: list[list[int]] = []
    for c, r, n in sorted(segments):
        if n <= 0:
            continue
        if out and out[-1][0] + out[-1][2] == c and out[-1][1] + out[-1][2] == r:
            out[-1][2] += n
        else:
            out.append([c, r, n])
    return [(c, r, n) for c, r, n in out]


def compose(segments: list[Segment], runs: list[Segment],
            starts: list[int] | None = None) -> list[Segment]:
    """Chain two maps: ``segments`` (clean → inner text) and ``runs`` (inner → raw).

    ``starts`` (the runs' first offsets) may be passed when composing many times."""
    starts = [r[0] for r in runs] if starts is None else starts
    out = []
    for c, d, n in segments:
        i = max(0, bisect.bisect_right(starts, d) - 1)
        while i < len(runs) and runs[i][0] < d + n:
            rs, rr, rn = runs[i]
            a, b = max(d, rs), min(d + n, rs + rn)
            if b > a:
                out.append((c + (a - d), rr + (a - rs), b - a))
            i += 1
    return merge_segments(out)


# --- containers: JSON records --------------------------------------------------------------------

_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with lone surrogates (legal in JSON escapes, refused by UTF-8, spaCy and
    SQLite) replaced by U+FFFD; one character for one, so offsets stay exact."""
    return _SURROGATE_RE.sub("\ufffd", text)


def json_field_text(raw_text: str, field: str) -> tuple[str, list[Segment], dict[str, Any]]:
    """The string value of ``field`` in the JSON object ``raw_text``, with the runs mapping
    its characters to ``raw_text`` (escaped characters are not exact), and the object."""
    try:
        obj = json.loads(raw_text)
    except (ValueError, RecursionError):
        raise UnsupportedInput("JSON record cannot be parsed") from None
    if not isinstance(obj, dict) or not isinstance(obj.get(field), str):
        raise UnsupportedInput(f"JSON record has no text in field {field!r}")
    wanted = storable(obj[field])
    for m in re.finditer(r'"' + re.escape(field) + r'"\s*:\s*"', raw_text):
        value, runs = _json_string(raw_text, m.end())
        if value == wanted:
            return value, runs, obj
    return wanted, [], obj


_JSON_STRING_STOP = re.compile(r'["\\]')  # the end of a JSON string or an escape


def _json_string(text: str, i: int) -> tuple[str, list[Segment]]:
    out: list[str] = []
    runs: list[Segment] = []
    length = 0  # characters in ``out`` so far
    n = len(text)
    while i < n:
        stop = _JSON_STRING_STOP.search(text, i)
        j = stop.start() if stop else n
        if j > i:
            runs.append((length, i, j - i))
            out.append(text[i:j])
            length += j - i
        if j >= n or text[j] == '"':
            break
        esc = text[j + 1:j + 2]
        if esc == "u":
            code = int(text[j + 2:j + 6] or "0", 16)
            step = 6
            low = int(text[j + 8:j + 12], 16) if text[j + 6:j + 8] == "\\u" else -1
            if 0xD800 <= code < 0xDC00 and 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                step = 12
            piece = storable(chr(code))
            i = j + step
        else:
            piece = _JSON_ESCAPES.get(esc, esc)
            i = j + 2
        out.append(piece)
        length += len(piece)
    return "".join(out), merge_segments(runs)


# --- garbage ------------------------------------------------------------------------------------

def looks_like_garbage(text: str) -> str | None:
    """Why ``text`` is not natural-language text (compressed or binary data decoded as text),
    or ``None`` when it looks like text."""
    sample = text[:20000]
    if not sample.strip():
        return None
    counts = collections.Counter(sample)  # each distinct character is judged once
    bad = sum(n for ch, n in counts.items() if _is_junk(ch))
    if bad / len(sample) > 0.05:
        return f"{bad / len(sample):.0%} control, replacement or unassigned characters"
    letters = sum(n for ch, n in counts.items() if ch.isalpha())
    spaces = sum(n for ch, n in counts.items() if ch.isspace())
    if len(sample) >= 200 and (letters / len(sample) < 0.4 or spaces / len(sample) < 0.03):
        return "too few letters and spaces for text"
    words = sample.split()
    if words and len(sample) >= 200 and sum(map(len, words)) / len(words) > 30:
        return "no word structure"
    return None


def _is_junk(ch: str) -> bool:
    if ch in "\n\r\t\f":
        return False
    cat = unicodedata.category(ch)
    return ch == "\ufffd" or cat in ("Cc", "Co", "Cn", "Cs")


# --- the whole cleaning -----------------------------------------------------------------------

def clean_raw(raw: RawInput, settings: Settings) -> tuple[Document, list[Comment]]:
    """Clean ``raw`` into a Document and, for comment threads, its comments.

    Raises an :class:`~storyline.errors.InputError` subclass for input that cannot be read.
    """
    from .formats import decode_info, sniff_format

    if not raw.data or not raw.data.strip():
        raise UnsupportedInput("empty input")
    decoded = decode_info(raw.data, _charset(raw.content_type))
    fmt = raw.format or sniff_format(raw.data, raw.source, raw.content_type)
    lines, markup, notes = read_lines(decoded.text, fmt, raw.hints, settings)
    if not lines:
        raise UnsupportedInput("no text found")
    why = looks_like_garbage("\n".join(line.text for line in lines))
    if why:
        raise UnsupportedInput(f"extracted text is not readable text ({why})")
    cleaned = clean_lines(lines, raw, markup, notes)
    doc_id = document_id(raw.source_key)
    meta = metadata.describe(
        lines=[line.text for line in lines], text=cleaned.text, header=cleaned.header,
        hints=raw.hints, markup=markup, source_key=raw.source_key,
        is_thread=cleaned.thread is not None, comment_text=cleaned.text if cleaned.thread else "")
    found = comments.split_comments(cleaned.text, doc_id, CLEAN_VERSION) if cleaned.thread else []
    notes = _notes(cleaned, decoded.notes, found, meta)
    sha = content_hash(raw.data)
    doc = Document(
        id=doc_id, source_key=raw.source_key, source=raw.source, content_sha256=sha,
        raw_sha256=sha, format=fmt, clean_text=cleaned.text,
        title=storable(meta.title) if meta.title else meta.title,
        authors=[storable(a) for a in meta.authors], published=meta.published,
        published_precision=meta.published_precision, outlet=meta.outlet,
        outlet_inferred=meta.outlet_inferred, kind=meta.kind, language=meta.language,
        section=meta.section, original_outlet=meta.original_outlet, carrier=meta.carrier,
        syndicated_from=meta.syndicated_from,
        offsets=OffsetMap(segments=cleaned.segments, raw_encoding=decoded.encoding).to_json(),
        removed=cleaned.removed, meta=notes, stage="clean", stage_version=CLEAN_VERSION)
    return doc, found


def _notes(cleaned: Cleaned, decoding: list[str], found: list[Comment],
           meta: metadata.Meta) -> dict[str, Any]:
    """``Document.meta``: offset precision, decoding notes, comment counts, evidence."""
    notes = dict(cleaned.notes)
    if decoding:
        notes["decoding"] = decoding
    if cleaned.thread:
        notes["comments"] = {"found": len(found), "declared": cleaned.thread.declared,
                             "commenters": len(comments.commenters(found))}
    notes["evidence"] = meta.evidence
    return notes


def _charset(content_type: str) -> str:
    m = re.search(r"charset=([\w.:-]+)", content_type or "", re.IGNORECASE)
    return m.group(1) if m else ""


def read_lines(text: str, fmt: str, hints: dict[str, Any], settings: Settings
               ) -> tuple[list[Line], dict[str, Any], dict[str, Any]]:
    """The document's lines for its format, markup metadata and notes on precision."""
    if fmt in ("json-record", "json", "jsonl"):
        field = hints.get("text_field") or _first_text_field(text, settings)
        inner, runs, _ = json_field_text(text, field)
        inner_fmt = hints.get("text_format") or "text"
        lines, markup, notes = read_lines(inner, inner_fmt, {}, settings)
        lines = [_remap(line, runs) for line in lines]
        notes["container"] = f"json field {field!r} ({inner_fmt})"
        return lines, markup, notes
    if fmt == "feed-item":
        inner_fmt = hints.get("text_format") or ("html" if re.search(r"</\w+>", text) else "text")
        lines, markup, notes = read_lines(text, inner_fmt, {}, settings)
        notes["container"] = f"feed item ({inner_fmt})"
        return lines, markup, notes
    if fmt == "feed":
        raise UnsupportedInput("a whole RSS/Atom feed: read it with storyline.ingest.sources "
                               "(one document per item)")
    if fmt in ("html", "xml"):
        from .html import html_lines

        return html_lines(text, settings)
    if fmt == "markdown":
        lines, markup = markdown_lines(text)
        return lines, markup, {"offsets": "exact"}
    return text_lines(text), {}, {"offsets": "exact"}


def _first_text_field(text: str, settings: Settings) -> str:
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        raise UnsupportedInput("JSON record cannot be parsed") from None
    if isinstance(obj, dict):
        for field in settings.ingest.json_text_fields:
            if isinstance(obj.get(field), str):
                return field
    raise UnsupportedInput("JSON record has no text field "
                           f"(looked for {', '.join(settings.ingest.json_text_fields)})")


def _remap(line: Line, runs: list[Segment]) -> Line:
    """A line read from a container's inner text, re-anchored in the container's raw text."""
    segments = compose(line.segments, runs)
    raw_start = segments[0][1] if segments else 0
    raw_end = segments[-1][1] + segments[-1][2] if segments else 0
    return dataclasses.replace(line, segments=segments, raw_start=raw_start, raw_end=raw_end,
                               nl_after=None, nl_before=None)


def clean_lines(lines: list[Line], raw: RawInput, markup: dict[str, Any],
                notes: dict[str, Any]) -> Cleaned:
    """Score and remove boilerplate lines, then join the rest."""
    texts = [line.text for line in lines]
    header = metadata.analyze_header(texts)
    thread = comments.find_thread(texts)
    ctx = boilerplate.LineContext(
        title=markup.get("title") or raw.hints.get("title") or header.title,
        authors=tuple(header.authors or _hint_authors(raw.hints)),
        protected=header.protected, thread_start=thread.start if thread else None,
        link_share=[line.link_share for line in lines], title_index=header.title_index,
        source_group=source_group(raw, header, markup, lines), doc_key=raw.source_key)
    decisions = boilerplate.score_lines(texts, ctx)
    keep = [not d.remove for d in decisions]
    if not any(keep):
        keep = [True] * len(lines)  # nothing but "boilerplate": keep it all rather than nothing
    text, segments = assemble(lines, keep)
    removed = [{"start_raw": line.raw_start, "end_raw": line.raw_end, "text": line.text,
                "reason": d.reason} for line, d, k in zip(lines, decisions, keep) if not k]
    notes = dict(notes)
    covered = sum(n for _, _, n in segments)
    notes.setdefault("offsets", "exact")
    notes["exact_chars"] = round(covered / max(len(text), 1), 4)
    return Cleaned(text=text, segments=segments, removed=removed, lines=lines, kept=keep,
                   markup=markup, notes=notes, header=header, thread=thread)


def _hint_authors(hints: dict[str, Any]) -> list[str]:
    value = hints.get("authors") or []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def source_group(raw: RawInput, header: metadata.Header, markup: dict[str, Any],
                 lines: list[Line] | None = None) -> str | None:
    """The key under which template lines are learned across documents: the outlet or host
    the container named, else the site named in the document's header."""
    from urllib.parse import urlparse

    for value in (raw.hints.get("outlet"), markup.get("outlet")):
        if value:
            return f"outlet:{str(value).lower()}"
    url = raw.hints.get("url") or (raw.source_key if raw.source_key.startswith(("http://", "https://"))
                                   else "")
    if url:
        host = urlparse(str(url)).netloc.lower().removeprefix("www.")
        if host:
            return f"host:{host}"
    channel = metadata.repost_channel([line.text for line in lines]) if lines else None
    if channel:
        return f"channel:{channel[1].lower()}"
    for value in (header.site_name, header.title_outlet):
        if value:
            return f"outlet:{value.lower()}"
    return None
