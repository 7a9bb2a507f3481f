"""Sniffing and decoding raw input bytes — the single decoder of Storyline.

Every stage that turns raw bytes into text calls :func:`decode` (or :func:`decode_info`),
so that character offsets into "the decoded raw text" mean the same thing everywhere
(``OffsetMap`` offsets are offsets into ``decode(raw.data, ...)[0]``).  The decoder is
deterministic: the same bytes (and the same ``declared`` label) always give the same text.

How :func:`decode` chooses an encoding, in order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins and is removed;
2. BOM-less UTF-16 is recognised by its pattern of NUL bytes in ASCII text;
3. bytes that are valid UTF-8 are UTF-8, whatever was declared (mislabelled UTF-8 is far
   more common than cp1252 text that happens to be valid UTF-8);
4. the ``declared`` label (HTTP ``charset``), then a label inside the document
   (``<meta charset>``, ``<?xml encoding?>``), if the bytes decode cleanly with it;
5. mostly-UTF-8 text with a few stray bytes (mixed encodings, e.g. a cp1252 paragraph pasted
   into a UTF-8 page) is decoded as UTF-8 with each invalid byte read as cp1252;
6. otherwise the single-byte encoding whose text looks most like language wins
   (cp1252/latin-1, cp1251, koi8-r), scored on letter runs and script consistency.

NUL characters are removed from the text (and counted in :class:`Decoded.nul_chars`);
nothing else is changed, so the text keeps its exact line structure.  Decoding never
raises: undecodable bytes become their cp1252/latin-1 reading.

:func:`binary_kind` recognises binary files by their magic bytes (PDF, PNG, ZIP, …) or by
their share of control bytes; :func:`sniff_format` tells what kind of text container the
bytes are (html, text, markdown, json, jsonl, feed, xml) from the content first, then the
declared content type, then the file name.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
import unicodedata

from ..errors import UnsupportedInput
from .types import RawInput

# --- binary detection ----------------------------------------------------------------------

#: (magic prefix, offset, what it is)
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "PDF"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"PK\x03\x04", 0, "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "MS Office document (DOC/XLS)"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd archive"),
    (b"ustar", 257, "tar archive"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"\xca\xfe\xba\xbe", 0, "Java class file"),
    (b"\x00asm", 0, "WebAssembly module"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"OggS", 0, "Ogg media"),
    (b"ID3", 0, "MP3 audio"),
    (b"fLaC", 0, "FLAC audio"),
    (b"wOFF", 0, "WOFF font"),
    (b"wOF2", 0, "WOFF2 font"),
    (b"\x1a\x45\xdf\xa3", 0, "Matroska/WebM video"),
)

GZIP_MAGIC = b"\x1f\x8b"

_CONTROL_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B})


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` looks like ("PDF", "PNG image", …), ``None`` for text.

    Gzip is not reported here (the reader decompresses it).  Text in UTF-16/32 is not
    binary even though it is full of NUL bytes.
    """
    for magic, offset, kind in _MAGIC:
        if data[offset:offset + len(magic)] == magic:
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/MOV media"
    if data[:2] == b"MZ" and b"\x00" in data[:64]:
        return "Windows executable"
    sample = data[:8192]
    if not sample or _bom_encoding(sample) or _utf16_without_bom(sample):
        return None
    controls = sum(sample.count(b) for b in _CONTROL_BYTES)
    if controls / len(sample) > 0.10:
        return "unrecognised binary content"
    return None


# --- decoding ------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name.startswith("utf-32") and len(data) % 4:
                continue  # "FF FE 00 00" may be UTF-16-LE text starting with U+0000
            return name, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without BOM: ASCII-range text has a NUL in every other byte."""
    if len(sample) < 4:
        return None
    pairs = len(sample) // 2
    even_nul = sample[0:pairs * 2:2].count(0)
    odd_nul = sample[1:pairs * 2:2].count(0)
    if odd_nul > 0.6 * pairs and even_nul < 0.05 * pairs:
        return "utf-16-le"
    if even_nul > 0.6 * pairs and odd_nul < 0.05 * pairs:
        return "utf-16-be"
    return None


def ascii_compatible(data: bytes) -> bool:
    """False for UTF-16/UTF-32 text, whose bytes cannot be split on ``b"\\n"``."""
    bom = _bom_encoding(data[:4])
    if bom:
        return bom[0] == "utf-8"
    return _utf16_without_bom(data[:8192]) is None


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read each undecodable byte as cp1252 (latin-1 where undefined)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    return "".join(_byte_as_cp1252(b) for b in chunk), exc.end


def _byte_as_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: latin-1 reading


codecs.register_error("storyline-cp1252", _cp1252_fallback)

_DECLARED_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""",
    re.IGNORECASE,
)

#: single-byte encodings tried when the bytes are not UTF-8 and no label fits
SINGLE_BYTE_CANDIDATES = ("cp1252", "cp1251", "koi8-r")


@dataclasses.dataclass
class Decoded:
    """Result of :func:`decode_info`.

    ``encoding`` is a Python codec name, or ``"utf-8+cp1252"`` for mixed input (UTF-8 with
    stray bytes read as cp1252); ``confident`` is False when the encoding was guessed from
    letter statistics; ``nul_chars`` counts NUL characters removed; ``replaced`` counts bytes
    that were not valid in the chosen encoding (read as cp1252).
    """

    text: str
    encoding: str
    confident: bool = True
    nul_chars: int = 0
    replaced: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)


def decode(data: bytes, declared: str = "") -> tuple[str, str]:
    """Decode raw input bytes to text: ``(text, encoding)``.

    The one decoder every stage uses (see the module documentation for how the encoding
    is chosen).  ``declared`` is an encoding label from outside the bytes (an HTTP
    ``charset``); labels inside the document are found here.  Never raises.

    The returned encoding name is informative (``"utf-8+cp1252"`` is not a Python codec):
    to get the same text again later, call :func:`decode` again on the same bytes — it is
    deterministic.  For a :class:`~storyline.ingest.types.RawInput` use
    :func:`decode_input`, which passes the charset of its content type.
    """
    result = decode_info(data, declared)
    return result.text, result.encoding


def decode_input(raw: RawInput) -> tuple[str, str]:
    """:func:`decode` of ``raw.data`` with the charset of ``raw.content_type`` (if any)."""
    return decode(raw.data, charset_of(raw.content_type))


def charset_of(content_type: str) -> str:
    """The ``charset`` parameter of a Content-Type header (``""`` if none)."""
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else ""


def decode_info(data: bytes, declared: str = "") -> Decoded:
    """Like :func:`decode`, with what was noticed on the way (:class:`Decoded`)."""
    result = _decode_raw(data, declared)
    if "\x00" in result.text:
        result.nul_chars = result.text.count("\x00")
        result.text = result.text.replace("\x00", "")
        result.notes.append(f"removed {result.nul_chars} NUL characters")
    return result


def _decode_raw(data: bytes, declared: str) -> Decoded:
    bom = _bom_encoding(data)
    if bom:
        name, skip = bom
        return _decode_with(data[skip:], name, note=f"{name} byte-order mark")
    utf16 = _utf16_without_bom(data[:8192])
    if utf16:
        return _decode_with(data, utf16, note=f"{utf16} without byte-order mark")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError:
        pass
    for label in (declared, _declared_inside(data)):
        name = _codec_name(label)
        if name and name != "utf-8":
            try:
                return Decoded(text=data.decode(name), encoding=name)
            except UnicodeDecodeError:
                continue
    mixed = _mixed_utf8(data)
    if mixed:
        return mixed
    return _best_single_byte(data)


def _decode_with(data: bytes, name: str, note: str) -> Decoded:
    try:
        return Decoded(text=data.decode(name), encoding=name, notes=[note])
    except UnicodeDecodeError:
        text = data.decode(name, errors="replace")
        bad = text.count("\ufffd")
        return Decoded(text=text, encoding=name, replaced=bad,
                       notes=[note, f"{bad} invalid sequences replaced"])


def _declared_inside(data: bytes) -> str:
    match = _DECLARED_RE.search(data[:4096])
    if not match:
        return ""
    return (match.group(1) or match.group(2) or b"").decode("ascii", "ignore")


def _codec_name(label: str) -> str:
    label = (label or "").strip().strip("\"'").lower()
    if not label:
        return ""
    if label in ("latin-1", "latin1", "iso-8859-1", "iso8859-1", "us-ascii", "ascii"):
        return "cp1252"  # as browsers do: these labels mean windows-1252 on the web
    try:
        info = codecs.lookup(label)
    except LookupError:
        return ""
    # "base64", "zlib", "rot13"… are codecs too, but not text encodings
    return info.name if getattr(info, "_is_text_encoding", True) else ""


def _mixed_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes: keep the UTF-8, read the stray bytes as cp1252."""
    text = data.decode("utf-8", errors="storyline-cp1252")
    multibyte = len(text) - len(text.encode("ascii", "ignore"))
    strict = data.decode("utf-8", errors="replace").count("\ufffd")
    valid_multibyte = multibyte - strict
    if valid_multibyte < 1 or valid_multibyte < strict:
        return None
    return Decoded(text=text, encoding="utf-8+cp1252", confident=False, replaced=strict,
                   notes=[f"mixed encodings: {strict} bytes were not UTF-8 "
                          f"and were read as cp1252"])


def _best_single_byte(data: bytes) -> Decoded:
    sample = data[:65536]
    scored = []
    for name in SINGLE_BYTE_CANDIDATES:
        text = sample.decode(name, errors="storyline-cp1252")
        scored.append((_plausibility(text), -SINGLE_BYTE_CANDIDATES.index(name), name))
    score, _, best = max(scored)
    if score < 0:
        best = _charset_normalizer_guess(sample) or best
    text = data.decode(best, errors="storyline-cp1252")
    return Decoded(text=text, encoding=best, confident=False,
                   notes=[f"encoding guessed as {best}"])


def _charset_normalizer_guess(sample: bytes) -> str | None:
    """Second opinion for text in none of the usual single-byte encodings (CJK, Greek…)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    match = from_bytes(sample[:16384]).best()
    return _codec_name(match.encoding) if match is not None else None


_WORD_RE = re.compile(r"[^\W\d_]+")


def _script(ch: str) -> str:
    if ch < "\x80":
        return "ascii"
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "?"


def _plausibility(text: str) -> float:
    """How much ``text`` looks like natural language (higher is better).

    Non-ASCII letters score when they sit in words of one script with a sensible case
    pattern; words mixing scripts, words made only of accented Latin letters (cp1251 read
    as cp1252) and lower-then-upper case flips (koi8-r read as cp1251) cost points, and so
    do control and symbol characters outside ASCII.
    """
    score = 0.0
    for match in _WORD_RE.finditer(text):
        word = match.group()
        high = [ch for ch in word if ch >= "\x80"]
        if not high:
            continue
        scripts = {_script(ch) for ch in word}
        if len(scripts - {"ascii", "LATIN"}) > 0 and "ascii" in scripts:
            score -= 2 * len(high)  # Cyrillic mixed with ASCII letters
        elif "LATIN" in scripts and len(high) == len(word) and len(word) >= 3:
            score -= len(high)  # a whole word of accented Latin letters
        elif _case_flips(word):
            score -= len(high)
        elif word.isupper() and len(word) > 1:
            score += 0.25 * len(high)  # capitals are rarer than lower case in prose
        else:
            score += len(high)
    symbols = sum(1 for ch in text if ch >= "\x80" and not ch.isalpha()
                  and unicodedata.category(ch)[0] not in "PZ")
    return score - 2 * symbols


def _case_flips(word: str) -> int:
    return sum(1 for a, b in zip(word, word[1:]) if a.islower() and b.isupper())


# --- format sniffing -------------------------------------------------------------------------

_HTML_TAG_RE = re.compile(
    r"<(?:!doctype\s+html|html|head|body|title|meta|link|script|style|div|p|span|article|"
    r"section|header|footer|nav|main|h[1-6]|ul|ol|li|table|a\s|br|img|figure|blockquote)\b",
    re.IGNORECASE,
)
_STRONG_HTML_RE = re.compile(r"(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html)\b", re.IGNORECASE)
_FEED_ROOT_RE = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_MARKDOWN_EXT = (".md", ".markdown", ".mdown", ".mkd")
_HTML_EXT = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")
_JSON_TYPES = ("application/json", "text/json")
_JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
                "application/ndjson")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")

#: what :func:`sniff_format` may return
CONTAINER_FORMATS = ("html", "text", "markdown", "json", "jsonl", "feed", "xml")


def sniff_format(data: bytes, name: str = "", content_type: str = "") -> str:
    """What kind of text container ``data`` is: one of :data:`CONTAINER_FORMATS`.

    The content decides first (a ``.html`` file holding JSON is JSON; a ``.txt`` file that
    is an RSS feed is a feed), then the declared ``content_type``, then the file ``name``'s
    extension; plain text is the default.  A file declared as JSON or a feed (by extension
    or content type) that looks like one but does not parse is still reported as JSON or
    feed, so that the reader can say what is wrong with it.  Raises
    :class:`UnsupportedInput` for binary data.
    """
    kind = binary_kind(data)
    if kind:
        raise UnsupportedInput(f"binary file (looks like {kind})")
    head = decode(data[:8192])[0].lstrip("\ufeff \t\r\n")
    declared = _declared_format(name.lower(), content_type.split(";")[0].strip().lower())
    if declared == "jsonl" and head.startswith("{"):
        return "jsonl"
    if declared == "markdown" and not _STRONG_HTML_RE.match(head):
        return "markdown"  # Markdown may start with an HTML tag; it is still Markdown
    by_content = _sniff_content(data, head)
    if by_content:
        return by_content
    if declared in ("json", "jsonl") and head.startswith(("{", "[")):
        return declared
    if declared == "feed" and head.startswith("<"):
        return "feed"
    if declared == "html":
        return "html" if _HTML_TAG_RE.search(head) else "text"
    if declared == "markdown":
        return "markdown"
    if len(_HTML_TAG_RE.findall(head[:4096])) >= 3:
        return "html"
    return "text"


def _declared_format(name: str, ctype: str) -> str | None:
    if ctype in _JSONL_TYPES or name.endswith((".jsonl", ".ndjson", ".jsonlines")):
        return "jsonl"
    if ctype in _JSON_TYPES or name.endswith(".json"):
        return "json"
    if ctype in _FEED_TYPES or name.endswith((".rss", ".atom", ".rdf")):
        return "feed"
    if ctype in ("text/html", "application/xhtml+xml") or name.endswith(_HTML_EXT):
        return "html"
    if ctype == "text/markdown" or name.endswith(_MARKDOWN_EXT):
        return "markdown"
    return None


def _sniff_content(data: bytes, head: str) -> str | None:
    if head.startswith(("{", "[")):
        return _sniff_json(data)
    if head.startswith("<"):
        lowered = head[:2048].lower()
        if _FEED_ROOT_RE.match(_strip_xml_prolog(head)[:200]):
            return "feed"
        if lowered.startswith(("<!doctype html", "<html")) or _HTML_TAG_RE.match(head):
            return "html"
        if "<html" in lowered:
            return "html"
        if lowered.startswith("<?xml"):
            return "xml"
        if _HTML_TAG_RE.search(head[:4096]):
            return "html"
    return None


def _strip_xml_prolog(head: str) -> str:
    """The text from the root element on (skipping ``<?xml?>``, comments, DOCTYPE, PIs)."""
    return re.sub(r"^(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>))*\s*",
                  "", head, count=1, flags=re.DOTALL | re.IGNORECASE)


def _sniff_json(data: bytes) -> str | None:
    """``json`` (one value), ``jsonl`` (one object a line) or ``None`` (not JSON at all)."""
    if not ascii_compatible(data):
        data = decode(data)[0].encode("utf-8")
    start = len(data) - len(data.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if data[start:start + 1] == b"[":
        if data[start + 1:start + 200].lstrip()[:1] in (b"{", b"]"):
            return "json"  # an array of objects; if it does not parse the reader says why
        try:
            json.loads(decode(data)[0])
            return "json"
        except ValueError:
            return None  # "[Updated] ..." is text
    newline = data.find(b"\n", start)
    first = data[start:] if newline < 0 else data[start:newline]
    rest = b"" if newline < 0 else data[newline + 1:]
    try:
        json.loads(decode(first)[0])
        return "jsonl" if rest.strip() else "json"
    except ValueError:
        pass
    try:
        json.loads(decode(data)[0])
        return "json"
    except ValueError:
        return None
