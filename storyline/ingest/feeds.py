"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item becomes one document.

Feeds are parsed with :mod:`defusedxml`, which refuses entity declarations (the "billion
laughs" expansion attack) and external references; such a feed is skipped with a clear
reason.  Elements are matched by local name, so namespaced variants (``content:encoded``,
``dc:creator``, ``dc:date``, Atom in any prefix) are all understood.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import html.entities
import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

from ..errors import InputError, UnsupportedInput

_HTML_HINT_RE = re.compile(r"<(?:p|br|div|span|a|img|b|i|em|strong|ul|ol|li|h[1-6]|blockquote|"
                           r"figure|table|iframe)\b|&(?:lt|gt|amp|nbsp|#\d+);", re.IGNORECASE)


@dataclasses.dataclass
class FeedItem:
    """One feed item: its content (HTML or text) and what the feed says about it."""

    index: int  # 1-based position in the feed
    content: str
    content_format: str  # "html" or "text"
    title: str | None = None
    link: str | None = None
    guid: str | None = None
    published: str | None = None  # ISO 8601 when the feed's date could be read, else as given
    authors: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Feed:
    title: str | None
    link: str | None
    items: list[FeedItem | str]  # a str is the reason an item was left out


def parse_feed(data: bytes) -> Feed:
    """Parse an RSS/Atom feed.  Raises :class:`UnsupportedInput` for a malformed feed or one
    that declares entities (entity expansion is refused)."""
    root = _parse_xml(data)
    root_name = _local(root.tag)
    if root_name not in ("rss", "feed", "RDF"):
        raise UnsupportedInput(f"XML document that is not an RSS or Atom feed "
                               f"(root element <{root_name}>)")
    channel = _child(root, "channel") if root_name != "feed" else root
    title = _text(_child(channel, "title")) if channel is not None else None
    link = _link(channel) if channel is not None else None
    entries = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    items = [_item(el, i) for i, el in enumerate(entries, start=1)]
    return Feed(title=title, link=link, items=items)


def _parse_xml(data: bytes) -> ET.Element:
    try:
        return SafeET.fromstring(data)
    except defusedxml.EntitiesForbidden:
        raise UnsupportedInput("feed refused: it declares XML entities (entity expansion and "
                               "external entities are not allowed)") from None
    except defusedxml.DefusedXmlException as exc:
        raise UnsupportedInput(f"feed refused: {type(exc).__name__}") from None
    except ET.ParseError as exc:
        if "undefined entity" in str(exc):
            return _parse_with_html_entities(data, exc)
        raise UnsupportedInput(f"malformed feed XML ({exc})") from None
    except (ValueError, LookupError) as exc:
        # expat refuses multi-byte and unknown declared encodings: decode the bytes
        # ourselves and parse them as UTF-8 under a declaration that says so
        redeclared = _as_utf8(data)
        if redeclared is None or redeclared == data:
            raise UnsupportedInput(f"feed refused: unreadable encoding ({exc})") from None
        return _parse_xml(redeclared)


_DECL_ENCODING_RE = re.compile(rb"^(\s*<\?xml[^>]*?\bencoding\s*=\s*)([\"'])[^\"']*\2")


def _as_utf8(data: bytes) -> bytes | None:
    """``data`` decoded by sniffing (BOM, then UTF-8, then detection) and re-encoded as
    UTF-8 with its XML declaration saying so; ``None`` when it cannot be decoded."""
    from .formats import decode_info

    try:
        text = decode_info(data, "").text
    except (ValueError, LookupError, InputError):
        return None
    utf8 = text.lstrip("\ufeff").encode("utf-8", "replace")
    return _DECL_ENCODING_RE.sub(rb"\1\2utf-8\2", utf8, count=1)


_ENTITY_RE = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def _parse_with_html_entities(data: bytes, first_error: ET.ParseError) -> ET.Element:
    """Sloppy feeds use HTML entities (``&nbsp;``) that XML does not define: write them
    as character references and parse again."""

    def numeric(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        char = html.entities.html5.get(name.decode("ascii") + ";")
        if name in _XML_ENTITIES or char is None:
            return match.group(0)
        return "".join(f"&#{ord(c)};" for c in char).encode("ascii")

    try:
        return SafeET.fromstring(_ENTITY_RE.sub(numeric, data))
    except (ET.ParseError, defusedxml.DefusedXmlException):
        raise UnsupportedInput(f"malformed feed XML ({first_error})") from None


def _item(el: ET.Element, index: int) -> FeedItem | str:
    content, fmt = _content(el)
    if not content.strip():
        return f"feed item {index} has no content or summary"
    guid = _text(_child(el, "guid")) or _text(_child(el, "id"))
    return FeedItem(
        index=index, content=content, content_format=fmt,
        title=_text(_child(el, "title")), link=_link(el), guid=guid,
        published=_date(el), authors=_authors(el),
    )


def _content(el: ET.Element) -> tuple[str, str]:
    """The richest body the item has: full content before description/summary."""
    for name in ("encoded", "content", "description", "summary"):
        node = _child(el, name)
        if node is None:
            continue
        kind = (node.get("type") or "").lower()
        if kind in ("xhtml", "application/xhtml+xml"):
            body = _inner_xml(node)
        else:
            body = node.text or ""
        if not body.strip():
            continue
        if kind in ("text", "text/plain"):
            return body, "text"
        is_html = kind in ("html", "text/html", "xhtml", "application/xhtml+xml") \
            or name == "encoded" or bool(_HTML_HINT_RE.search(body))
        return body, "html" if is_html else "text"
    return "", "text"


def _inner_xml(node: ET.Element) -> str:
    """Serialise an Atom ``type="xhtml"`` body as plain HTML (namespaces dropped; the
    wrapping ``<div>`` the Atom format requires is not part of the content)."""
    children = list(node)
    if len(children) == 1 and _local(children[0].tag) == "div" and not (node.text or "").strip():
        node = children[0]
    parts = [node.text or ""]
    for child in node:
        copy = _strip_namespaces(child)
        parts.append(ET.tostring(copy, encoding="unicode", method="html"))
    return "".join(parts)


def _strip_namespaces(el: ET.Element) -> ET.Element:
    copy = ET.Element(_local(el.tag), {_local(k): v for k, v in el.attrib.items()})
    copy.text, copy.tail = el.text, el.tail
    copy.extend(_strip_namespaces(c) for c in el)
    return copy


def _date(el: ET.Element) -> str | None:
    for name in ("pubDate", "published", "date", "updated", "issued", "modified"):
        raw = _text(_child(el, name))
        if raw:
            return _iso(raw)
    return None


def _iso(raw: str) -> str:
    try:
        return email.utils.parsedate_to_datetime(raw).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return raw


def _authors(el: ET.Element) -> list[str]:
    names: list[str] = []
    for child in el:
        if _local(child.tag) not in ("author", "creator"):
            continue
        name = _author_name((_text(_child(child, "name")) if len(child) else _text(child)) or "")
        if name and name not in names:
            names.append(name)
    return names


def _author_name(raw: str) -> str:
    """``"jdoe@example.com (Jane Doe)"`` → ``"Jane Doe"``; an e-mail alone is dropped."""
    match = re.fullmatch(r"\s*\S+@\S+\s*\((.+)\)\s*", raw)
    if match:
        return match.group(1).strip()
    if re.fullmatch(r"\s*\S+@\S+\s*", raw):
        return ""
    return " ".join(raw.split())


def _link(el: ET.Element) -> str | None:
    fallback = None
    for child in el:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href is None:
            text = _text(child)
            if text:
                return text
            continue
        if child.get("rel", "alternate") == "alternate":
            return href
        fallback = fallback or href
    return fallback


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: ET.Element | None, local: str) -> ET.Element | None:
    if el is None:
        return None
    for child in el:
        if _local(child.tag) == local:
            return child
    return None


def _text(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    text = " ".join(el.text.split())
    return text or None

