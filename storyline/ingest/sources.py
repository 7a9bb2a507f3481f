"""Reading inputs: paths, folders, ``.gz`` files, URLs and containers of documents.

:func:`iter_inputs` turns what the user named into one :class:`RawInput` per document, or a
:class:`Skip` saying in one line why an input (or one record of it) was not read; it never
raises for bad input, so the rest of the batch goes on.

* **Folders** are walked recursively in sorted order; hidden files and folders (``.name``)
  are left out, and symbolic links to folders are not followed (no loops).
* **Files** larger than ``settings.ingest.max_bytes`` are refused before they are read.
* **Gzip** (recognised by its magic bytes, whatever the name) is decompressed up to
  ``max_bytes``; a decompression bomb or a truncated file is skipped.
* **URLs** (http/https) are fetched by :func:`storyline.ingest.fetch.fetch`.
* **RawInput** objects pass through when their ``format`` is set; with ``format=""`` they
  are read like a file of that content (so an uploaded JSONL or feed is split too).
* The container format is sniffed from the content (:func:`formats.sniff_format`):

  ============  ==============================================  =========================
  container      documents                                       ``RawInput.format``
  ============  ==============================================  =========================
  html/text/md   the file itself                                 html, text, markdown
  JSON           the object, or each object of a list (or of     json-record
                 the one list inside a wrapper object)
  JSONL          each line                                       json-record
  RSS/Atom       each item                                       feed-item
  ============  ==============================================  =========================

``RawInput.data`` is the document's own bytes: the file; a JSONL record's line; a JSON
record's text (encoded as UTF-8, so exact for UTF-8 files; records of UTF-16/32 files are
re-encoded as UTF-8 and records inside a wrapper object are re-serialised); a feed item's
content (HTML or text, as UTF-8).  ``hints`` holds what the
container says about the document — ``title``, ``published``, ``authors`` (list),
``outlet``, ``url``, ``id`` — and, for JSON records and feed items, ``text_field`` (the JSON
field holding the text) and ``text_format`` (``html``, ``markdown`` or ``text``: how that
text is written).

Source keys: the resolved path of a file (of the ``.gz`` for compressed files); the URL for
URLs; ``<path or URL>#<id>`` for records with an id, else ``#line<n>`` (JSONL) or
``#item<n>`` (JSON list); a feed item's guid (or link), else ``<feed>#item<n>``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, InputError, InputTooLarge, UnsupportedInput
from ..records import RecentKeys
from ..settings import Settings
from .feeds import FeedItem, parse_feed
from .formats import GZIP_MAGIC, ascii_compatible, decode, sniff_format
from .types import RawInput, Skip

Item = RawInput | Skip

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_HTML_TEXT_RE = re.compile(r"<(?:p|br|div|span|a|b|i|em|strong|ul|ol|li|h[1-6]|blockquote|"
                           r"figure|img|table)\b[^>]*>", re.IGNORECASE)
_MARKDOWN_TEXT_RE = re.compile(r"^(?:#{1,6} |\* |- |> |```)|\[[^\]]+\]\([^)]+\)", re.MULTILINE)
MAX_GZIP_LAYERS = 2


def iter_inputs(items: Iterable[str | Path | RawInput], settings: Settings) -> Iterator[Item]:
    """One :class:`RawInput` per document in ``items`` (paths, folders, URLs, raw inputs),
    or a :class:`Skip` per input or record that cannot be read.  Never raises for bad input.
    """
    seen = RecentKeys()  # a file named twice (or inside a named folder) is read once
    for produced in _iter_all(items, settings):
        if isinstance(produced, RawInput):
            if produced.source_key in seen:
                continue
            seen.add(produced.source_key)
        yield produced


def _iter_all(items: Iterable[str | Path | RawInput], settings: Settings) -> Iterator[Item]:
    for item in items:
        if isinstance(item, RawInput):
            yield from _guarded(item.source or item.source_key,
                                lambda r=item: _from_raw(r, settings))
        elif isinstance(item, str) and _URL_RE.match(item):
            yield from _guarded(item, lambda u=item: _from_url(u, settings))
        else:
            yield from _from_path(Path(item), settings)


def is_url(item: str) -> bool:
    """Whether ``item`` is written as a URL (any scheme; only http/https are fetched)."""
    return bool(_URL_RE.match(item))


# --- skips -------------------------------------------------------------------------------


def _skip(source: str, exc: BaseException) -> Skip:
    if isinstance(exc, InputError):
        return Skip(source=source, reason=_one_line(str(exc)), error=type(exc).__name__)
    if isinstance(exc, OSError):
        reason = f"cannot read: {exc.strerror or exc}"
        return Skip(source=source, reason=_one_line(reason), error="InputError")
    if isinstance(exc, RecursionError):
        return Skip(source=source, reason="nested too deeply to read", error="UnsupportedInput")
    if isinstance(exc, MemoryError):
        return Skip(source=source, reason="out of memory while reading", error="InputTooLarge")
    return Skip(source=source, reason=_one_line(f"unexpected {type(exc).__name__}: {exc}"),
                error="InputError")


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _guarded(source: str, produce: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """Items of ``produce()``; any error (ours or a bug) becomes one Skip for ``source``."""
    try:
        yield from produce()
    except ConfigError:
        raise  # a wrong setting concerns every input: stop with its message
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch
        yield _skip(source, exc)


# --- paths -------------------------------------------------------------------------------


def _from_path(path: Path, settings: Settings) -> Iterator[Item]:
    try:
        if path.is_dir():
            yield from _walk(path, settings)
            return
    except OSError as exc:
        yield _skip(str(path), exc)
        return
    yield from _guarded(str(path.absolute()), lambda: _from_file(path, settings))


def _walk(folder: Path, settings: Settings) -> Iterator[Item]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _skip(str(folder), exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(path, settings)
            elif entry.is_file():
                yield from _guarded(str(path.absolute()), lambda p=path: _from_file(p, settings))
        except OSError as exc:
            yield _skip(str(path), exc)


def _from_file(path: Path, settings: Settings) -> Iterator[Item]:
    resolved = str(path.resolve())
    data = read_capped(path, settings.ingest.max_bytes)
    yield from expand(data, source=resolved, key=resolved, name=path.name, settings=settings)


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; refused before reading if larger than ``limit``."""
    if not path.exists():
        looks_like_url = re.match(r"^[\w-]+(\.[\w-]+)+/", str(path))
        hint = " (to fetch a URL, start it with https://)" if looks_like_url else ""
        raise UnsupportedInput(f"no such file or folder{hint}")
    if not path.is_file():
        raise UnsupportedInput("not a regular file")
    size = path.stat().st_size
    if size > limit:
        raise InputTooLarge(f"too large: {size:,} bytes (limit {limit:,}; ingest.max_bytes)")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(f"too large: more than {limit:,} bytes (limit; ingest.max_bytes)")
    return data


def _from_raw(raw: RawInput, settings: Settings) -> Iterator[Item]:
    """A RawInput with its format set passes through; one without is read like a file
    (sniffed, decompressed, split into records or feed items)."""
    limit = settings.ingest.max_bytes
    if len(raw.data) > limit:
        raise InputTooLarge(f"too large: {len(raw.data):,} bytes (limit {limit:,}; "
                            f"ingest.max_bytes)")
    if raw.format:
        yield raw
        return
    name = PurePosixPath(urlsplit(raw.source_key).path).name
    yield from expand(raw.data, source=raw.source or raw.source_key, key=raw.source_key,
                      name=name, settings=settings, content_type=raw.content_type,
                      hints=dict(raw.hints))


# --- URLs --------------------------------------------------------------------------------


def _from_url(url: str, settings: Settings) -> Iterator[Item]:
    from .fetch import fetch, url_key

    raw = fetch(url, settings)
    name = PurePosixPath(urlsplit(raw.hints.get("url", url)).path).name
    yield from expand(raw.data, source=url, key=url_key(url), name=name, settings=settings,
                      content_type=raw.content_type, hints=dict(raw.hints))


# --- containers --------------------------------------------------------------------------


def expand(data: bytes, *, source: str, key: str, name: str, settings: Settings,
           content_type: str = "", hints: dict[str, Any] | None = None,
           layers: int = 0) -> Iterator[Item]:
    """The documents in ``data`` (one file or response body), sniffed by content."""
    hints = hints or {}
    if not data:
        raise UnsupportedInput("empty file")
    if data.startswith(GZIP_MAGIC):
        if layers >= MAX_GZIP_LAYERS:
            raise UnsupportedInput("gzip inside gzip nested too deeply")
        inner = gunzip_capped(data, settings.ingest.max_bytes)
        inner_name = name[:-3] if name.lower().endswith(".gz") else name.rsplit(".", 1)[0]
        yield from expand(inner, source=source, key=key, name=inner_name, settings=settings,
                          content_type="", hints=hints, layers=layers + 1)
        return
    if not data.strip(b" \t\r\n\x00\x0b\x0c\xef\xbb\xbf\xff\xfe"):
        raise UnsupportedInput("empty (only whitespace)")
    fmt = sniff_format(data, name, content_type)
    if fmt in ("json", "jsonl") and not ascii_compatible(data):
        data = decode(data)[0].encode("utf-8")  # UTF-16/32 JSON: records are kept as UTF-8
    if fmt in ("html", "text", "markdown"):
        yield RawInput(source_key=key, source=source, data=data, format=fmt,
                       content_type=content_type, hints=hints)
    elif fmt == "json":
        yield from _json_records(data, source, key, settings)
    elif fmt == "jsonl":
        yield from _jsonl_records(data, source, key, settings)
    elif fmt == "feed":
        yield from _feed_items(data, source, key, hints)
    else:
        root = re.search(rb"<([A-Za-z_][\w.:-]*)", re.sub(rb"<[?!][^>]*>", b"", data[:4096]))
        named = f" (root element <{root.group(1).decode('ascii', 'replace')}>)" if root else ""
        raise UnsupportedInput(f"XML document that is not an RSS or Atom feed{named}")


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress gzip ``data`` (all members), refusing more than ``limit`` bytes of output.

    Memory stays bounded by ``limit``; a decompression bomb is refused as soon as its
    output passes the limit.  Raises :class:`InputTooLarge` or :class:`UnsupportedInput`.
    """
    out = bytearray()
    rest = data
    while rest[:2] == GZIP_MAGIC:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        while pending:
            try:
                out += inflater.decompress(pending, limit + 1 - len(out))
            except zlib.error as exc:
                raise UnsupportedInput(f"corrupt gzip ({exc})") from None
            if len(out) > limit:
                raise InputTooLarge(f"gzip decompresses to more than {limit:,} bytes "
                                    f"(decompression bomb?; ingest.max_bytes)")
            if inflater.eof:
                break
            pending = inflater.unconsumed_tail
        if not inflater.eof:
            raise UnsupportedInput(f"truncated gzip: the compressed data ends early "
                                   f"(after {len(out):,} bytes of output)")
        rest = inflater.unused_data
    return bytes(out)


# --- JSON and JSONL ----------------------------------------------------------------------


class _BadRecord(Exception):
    """A record that is not usable; the message says why."""


def _json_records(data: bytes, source: str, key: str, settings: Settings) -> Iterator[Item]:
    text = decode(data)[0]
    decoder = json.JSONDecoder()
    start = _skip_ws(text, 0)
    if text.startswith("[", start):
        yield from _json_array(text, start, decoder, source, key, settings)
        return
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise UnsupportedInput(f"invalid JSON: {exc.msg} at line {exc.lineno} "
                               f"column {exc.colno}") from None
    if _skip_ws(text, end) != len(text):
        raise UnsupportedInput("invalid JSON: extra data after the first value")
    wrapped = _wrapped_list(value, settings)
    if wrapped is not None:
        for n, record in enumerate(wrapped, start=1):
            raw = json.dumps(record, ensure_ascii=False)
            yield _record_input(record, raw, source, key, f"item{n}", settings)
        return
    yield _record_input(value, text[start:end], source, key, None, settings)


def _json_array(text: str, start: int, decoder: json.JSONDecoder, source: str, key: str,
                settings: Settings) -> Iterator[Item]:
    i = _skip_ws(text, start + 1)
    if text.startswith("]", i):
        raise UnsupportedInput("empty JSON list (no records)")
    n = 0
    seen: set[str] = set()
    while not text.startswith("]", i):
        n += 1
        if i >= len(text):
            yield Skip(source=f"{source}#item{n}", error="UnsupportedInput",
                       reason="invalid JSON: the file ends inside the list")
            return
        try:
            value, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            yield Skip(source=f"{source}#item{n}", error="UnsupportedInput",
                       reason=f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}; "
                              f"the rest of the file was not read")
            return
        yield _record_input(value, text[i:end], source, key, f"item{n}", settings, seen)
        i = _skip_ws(text, end)
        if text.startswith(",", i):
            i = _skip_ws(text, i + 1)
        elif not text.startswith("]", i):
            yield Skip(source=f"{source}#item{n + 1}", error="UnsupportedInput",
                       reason="invalid JSON: expected ',' or ']' after a list item; "
                              "the rest of the file was not read")
            return


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n\ufeff":
        i += 1
    return i


def _wrapped_list(value: Any, settings: Settings) -> list[Any] | None:
    """``{"articles": [{...}, ...]}``: the one list of objects in a wrapper without text."""
    if not isinstance(value, dict) or _first_field(value, settings.ingest.json_text_fields):
        return None
    lists = [v for v in value.values()
             if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    return lists[0] if len(lists) == 1 else None


def _jsonl_records(data: bytes, source: str, key: str, settings: Settings) -> Iterator[Item]:
    seen: set[str] = set()
    for n, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        text = decode(line)[0]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Skip(source=f"{source}#line{n}", error="UnsupportedInput",
                       reason=f"line {n}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield Skip(source=f"{source}#line{n}", error="UnsupportedInput",
                       reason=f"line {n}: JSON nested too deeply")
            continue
        yield _record_input(value, line, source, key, f"line{n}", settings, seen)


def _record_input(value: Any, raw: str | bytes, source: str, key: str, locator: str | None,
                  settings: Settings, seen: set[str] | None = None) -> Item:
    """One JSON record as a RawInput, or a Skip naming what is wrong with it."""
    where = f"{source}#{locator}" if locator else source
    label = f"{locator.replace('line', 'line ').replace('item', 'item ')}: " if locator else ""
    try:
        hints = _record_hints(value, settings)
    except _BadRecord as exc:
        return Skip(source=where, reason=f"{label}{exc}", error="UnsupportedInput")
    record_id = hints.get("id")
    if record_id:
        source_key = f"{key}#{record_id}"
        if seen is not None:
            if source_key in seen:
                source_key = f"{key}#{record_id}@{locator}"
            seen.add(source_key)
    else:
        source_key = f"{key}#{locator}" if locator else key
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    return RawInput(source_key=source_key, source=source, data=data, format="json-record",
                    content_type="application/json", hints=hints)


def _record_hints(value: Any, settings: Settings) -> dict[str, Any]:
    ingest = settings.ingest
    if not isinstance(value, dict):
        raise _BadRecord(f"record is {_type_name(value)}, expected a JSON object")
    text_field = _first_field(value, ingest.json_text_fields)
    if text_field is None:
        raise _BadRecord(f"no text field (looked for {', '.join(ingest.json_text_fields)})")
    text = value[text_field]
    if not isinstance(text, str):
        raise _BadRecord(f"field {text_field!r} is {_type_name(text)}, expected a string")
    if not text.strip():
        raise _BadRecord(f"field {text_field!r} is empty")
    hints: dict[str, Any] = {"text_field": text_field, "text_format": text_format(text)}
    for name, fields, read in (
        ("title", ingest.json_title_fields, _as_text),
        ("published", ingest.json_date_fields, _as_date),
        ("authors", ingest.json_author_fields, _as_authors),
        ("outlet", ingest.json_outlet_fields, _as_name),
        ("url", ingest.json_url_fields, _as_text),
        ("id", ingest.json_id_fields, _as_id),
    ):
        field = _first_field(value, fields)
        if field is None:
            continue
        try:
            found = read(value[field])
        except _BadRecord as exc:
            raise _BadRecord(f"field {field!r} {exc}") from None
        if found:
            hints[name] = found
    return hints


def _first_field(record: dict[str, Any], fields: Iterable[str]) -> str | None:
    for field in fields:
        if record.get(field) is not None:
            return field
    return None


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "a string"


def _as_text(value: Any) -> str:
    if not isinstance(value, str):
        raise _BadRecord(f"is {_type_name(value)}, expected a string")
    return " ".join(value.split())


def _as_id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _BadRecord(f"is {_type_name(value)}, expected a string or an integer")
    return str(value).strip()


def _as_name(value: Any) -> str:
    """A name given as a string or as an object with a ``name`` (``{"name": "Reuters"}``)."""
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return _as_text(value["name"])
    if isinstance(value, dict):
        raise _BadRecord("is an object without a \"name\" string")
    return _as_text(value)


def _as_authors(value: Any) -> list[str]:
    if isinstance(value, str):
        return [_as_text(value)] if value.strip() else []
    if not isinstance(value, list):
        raise _BadRecord(f"is {_type_name(value)}, expected a string or a list of names")
    names = [_as_name(v) for v in value]
    return [n for n in names if n]


def _as_date(value: Any) -> str:
    """A date as given (a string), or a Unix timestamp (seconds or milliseconds) as ISO."""
    if isinstance(value, bool):
        raise _BadRecord("is a boolean, expected a date")
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) > 10**11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            raise _BadRecord(f"is a number ({value}) that is not a timestamp") from None
    return _as_text(value)


def text_format(text: str) -> str:
    """How a record's or feed item's text is written: ``html``, ``markdown`` or ``text``."""
    sample = text[:20000]
    if len(_HTML_TEXT_RE.findall(sample)) >= 1 and re.search(r"</\w+>|<br\s*/?>", sample):
        return "html"
    if len(_MARKDOWN_TEXT_RE.findall(sample)) >= 2:
        return "markdown"
    return "text"


# --- feeds -------------------------------------------------------------------------------


def _feed_items(data: bytes, source: str, key: str, hints: dict[str, Any]) -> Iterator[Item]:
    feed = parse_feed(data)
    if not feed.items:
        raise UnsupportedInput("feed has no items")
    for item in feed.items:
        if isinstance(item, str):
            yield Skip(source=source, reason=item, error="UnsupportedInput")
            continue
        yield _feed_input(item, feed.title, source, key)


def _feed_input(item: FeedItem, outlet: str | None, source: str, key: str) -> RawInput:
    hints: dict[str, Any] = {"text_field": "content", "text_format": item.content_format}
    for name, value in (("title", item.title), ("published", item.published),
                        ("authors", item.authors), ("outlet", outlet), ("url", item.link),
                        ("id", item.guid)):
        if value:
            hints[name] = value
    if item.guid and (":" in item.guid or "/" in item.guid):
        source_key = item.guid
    elif item.link:
        source_key = item.link
    elif item.guid:
        source_key = f"{key}#{item.guid}"
    else:
        source_key = f"{key}#item{item.index}"
    return RawInput(source_key=source_key, source=source, data=item.content.encode("utf-8"),
                    format="feed-item", content_type="", hints=hints)
