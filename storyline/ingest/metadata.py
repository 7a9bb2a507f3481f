"""What a document is: title, authors, date, outlet, kind, language, section, syndication.

Two steps.  :func:`analyze_header` reads the first lines of a document (before its first
body paragraph) and finds the headline, the date line, the byline, a section label and a
site name, so that the cleaner can protect them and the scorer can recognise repeated
titles and captions above the headline.  :func:`describe` then decides every field, taking
in order: hints the container gave (JSON fields, feed items, HTML ``<meta>``), the header,
notices in the text (syndication, repost channels, author bios), and for comment threads
the outlet readers refer to (``outlet_inferred``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from typing import Any
from urllib.parse import urlparse

from . import outlets
from .types import DOCUMENT_KINDS
from .boilerplate import SECTION_WORDS, _may_contain, is_nav
from .boilerplate import words as word_tokens

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
DATE_PATTERNS = (
    (re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
                re.IGNORECASE), "day"),
    (re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b",
                re.IGNORECASE), "day"),
    (re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)(?!\d)"), "day"),
    (re.compile(r"\b(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"), "day"),
    (re.compile(r"\b" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE), "month"),
)

_NAME_TOKEN = r"(?:(?:al|el|bin|ibn|abu|ben)-[A-Z][a-zA-Z'’-]+|[A-Z][a-zA-Z'’-]+|[A-Z]\.(?:[A-Z]\.)*|(?:de|da|van|von|der|al|bin|ibn|el|la|le|di|du)\b-?)"
_NAME = re.compile(rf"^{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,4}}$")
_NOT_NAME_WORDS = frozenset(
    "news staff reporter reporters correspondent editor editors writer contributor agency "
    "press times post journal report reports analysis opinion comments comment share "
    "updated published posted photo video the and of by for in on at world politics "
    "security breaking live home menu essay policy foreign".split())
_BYLINE = re.compile(r"^(?:by|written by|words by|text by|posted by|published by|from)\s+(?P<names>.+)$",
                     re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[-–—|:]\s+|\s+[|·•]\s*")

SECTION_LABELS = frozenset(
    "essay essays opinion opinions op-ed oped commentary column columns analysis editorial "
    "editorials perspective perspectives viewpoint review reviews interview feature features "
    "explainer briefing digest world politics business economy security national "
    "international investigations science technology culture".split())

#: words of page navigation and site furniture (never a site name)
_UI_WORDS = frozenset(
    "menu search home login log in sign subscribe skip to content main navigation nav share "
    "print email close open more next previous back top account register newsletter "
    "newsletters settings follow us read".split()) | SECTION_WORDS

_REPORTING = re.compile(r"\b(?:said|says|told|according to|reportedly|announced|stated|"
                        r"confirmed|denied|per the report|officials? (?:said|say)|"
                        r"spokesm[ae]n|spokeswom[ae]n|spokesperson)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]+){0,3})\s*(?:\([^)]{1,30}\)\s*)?[—–-]{1,2}\s*\S",
                       re.MULTILINE)
_WIRE_CREDIT = re.compile(r"\((?:Reuters|AP|AFP|Bloomberg|UPI|dpa|Xinhua|TASS|Interfax)\)\s*[—–-]")
_CITATION = re.compile(r"\(([A-Z][\w.&' -]{1,40}),\s*\d{1,2}\.\d{1,2}\.\d{2,4}\)")
_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|my)\b")
_PRESS = re.compile(r"\bfor immediate release\b|\bpress release\b|\bmedia contacts?\b|^\s*#{3}\s*$|"
                    r"\bpress office\b|\bfor (?:further|more) information,? (?:please )?contact\b",
                    re.IGNORECASE | re.MULTILINE)
_SPEAKER_TURN = re.compile(r"^(?:[A-Z][A-Z .'-]{1,40}|Q|A|MR\.? [A-Z]+|MS\.? [A-Z]+):\s", re.MULTILINE)
_ANALYSIS_WORDS = re.compile(r"\b(?:analysis|digest|briefing|explainer|insight|snapshot|"
                             r"assessment|backgrounder|outlook|what we know)\b", re.IGNORECASE)
_ESSAY_WORDS = re.compile(r"\b(?:essay|opinion|op-ed|commentary|column|perspective|viewpoint|"
                          r"editor[’']s note)\b", re.IGNORECASE)

_SYNDICATION = (
    re.compile(r"\b(?:content|article|story|material) (?:created|written|produced|provided) by "
               r"(?P<src>(?:the )?[A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*){0,6}) is available", re.IGNORECASE),
    re.compile(r"\b(?:originally|first) (?:published|appeared) (?:on|in|at|by) "
               r"(?P<src>(?:the )?[A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*){0,6})"),
    re.compile(r"\b(?:republished|reprinted|reposted) (?:with permission )?(?:from|courtesy of) "
               r"(?P<src>(?:the )?[A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*){0,6})"),
)
_CHANNEL_URL = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/(?P<handle>[\w]+)", re.IGNORECASE)
_BIO_AFFILIATION = re.compile(
    r"\bis (?:the |a |an )?(?:founding |executive |managing |deputy |senior )?"
    r"(?:director|editor(?:-in-chief)?|publisher|founder|editor in chief|managing editor) "
    r"(?:of|at) (?P<org>(?:the )?[A-Z][\w'’.-]*(?: (?:of|for|on|and|the|[A-Z][\w'’.-]*))*)")

_STOPWORDS = {
    "en": "the of and to in is that for it was on with as by at from are this be have not an "
          "has but they his her which were their been would will said its who",
    "fr": "le la les de des du et un une est en que qui dans pour pas sur au aux par ce il "
          "elle sont avec plus ont été",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch "
          "es an werden als wird bei hat",
    "es": "el la los las de del y que en un una es por con para se no su al lo como más "
          "pero sus le ha fue",
    "it": "il lo la gli le di che e un una per non sono con del della dei nel alla anche "
          "come più ha",
    "pt": "o a os as de do da dos das e que em um uma para com não por se na no mais foi "
          "são ao pelo",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er die maar ook als bij "
          "door wordt",
    "ru": "и в не на что с по это он как а то все она так его но из к у же вы за бы от о "
          "для был",
    "uk": "і в не на що з по це він як а та його але із до у ж ви за би від про для був",
    "tr": "ve bir bu da de ile için olarak çok daha ne gibi en ama olan sonra kadar",
}
_STOP_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_SCRIPTS = (("ar", "\u0600", "\u06ff"), ("he", "\u0590", "\u05ff"), ("zh", "\u4e00", "\u9fff"),
            ("ja", "\u3040", "\u30ff"), ("ko", "\uac00", "\ud7af"), ("fa", "\ufb50", "\ufdff"),
            ("el", "\u0370", "\u03ff"), ("hi", "\u0900", "\u097f"))


@dataclasses.dataclass
class Header:
    """Structure found in a document's first lines (indexes into its line list)."""

    title: str | None = None
    title_index: int | None = None
    title_outlet: str | None = None  # "Outlet - Title" → Outlet
    date: tuple[str, str] | None = None  # (ISO date, precision)
    date_index: int | None = None
    authors: list[str] = dataclasses.field(default_factory=list)
    byline_index: int | None = None
    section: str | None = None
    section_index: int | None = None
    site_name: str | None = None
    site_index: int | None = None

    @property
    def protected(self) -> frozenset[int]:
        return frozenset(i for i in (self.title_index, self.date_index, self.byline_index)
                         if i is not None)


@dataclasses.dataclass
class Meta:
    title: str | None = None
    authors: list[str] = dataclasses.field(default_factory=list)
    published: str | None = None
    published_precision: str | None = None
    outlet: str | None = None
    outlet_inferred: bool = False
    kind: str = "other"
    language: str | None = None
    section: str | None = None
    original_outlet: str | None = None
    carrier: str | None = None
    syndicated_from: str | None = None
    evidence: dict[str, str] = dataclasses.field(default_factory=dict)


# --- dates and names ------------------------------------------------------------------------

def find_date(text: str) -> tuple[tuple[str, str], re.Match[str]] | None:
    """The first date written out in ``text``: ((ISO date, precision), match)."""
    best = None
    for pattern, precision in DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso(m, precision)
            if iso and (best is None or m.start() < best[1].start()):
                best = ((iso, precision), m)
            if iso:
                break
    return best


def _iso(m: re.Match[str], precision: str) -> str | None:
    groups = m.groupdict()
    month = None
    if groups.get("month"):
        name = groups["month"].lower().rstrip(".")
        month = MONTHS.get(name) or MONTHS.get(name[:3])
    elif groups.get("mnum"):
        month = int(groups["mnum"])
    year = int(groups["year"])
    if not month or not 1 <= month <= 12:
        return None
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    day = int(groups["day"])
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(value: Any) -> tuple[str, str] | None:
    """A hint's date (ISO string, RFC 822 feed date, or written out) as (ISO, precision)."""
    if not value:
        return None
    text = str(value).strip()
    m = re.match(r"^((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?", text)
    if m:
        if m.group(3):
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}", "day"
        if m.group(2):
            return f"{m.group(1)}-{m.group(2)}", "month"
        return m.group(1), "year"
    found = find_date(text)
    if found:
        return found[0]
    try:
        from email.utils import parsedate_to_datetime

        parsed = parsedate_to_datetime(text)
        return parsed.date().isoformat(), "day"
    except (TypeError, ValueError, IndexError):
        return None


def split_names(text: str) -> list[str]:
    """Person names in a byline fragment ("A, B and C"), or [] if any part is not a name."""
    text = re.sub(r"\s*[|,]\s*(?:Reuters|AP|AFP|Bloomberg|Staff|Staff Writer|Correspondent)\.?$", "", text)
    text = text.strip().rstrip(".").strip()
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", text) if p.strip()]
    if not parts or len(parts) > 6:
        return []
    names = []
    for part in parts:
        if not _NAME.match(part):
            return []
        if any(w.lower().strip(".") in _NOT_NAME_WORDS for w in part.split()):
            return []
        names.append(part)
    return names


# --- header ---------------------------------------------------------------------------------

def _body_start(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        words = line.split()
        if len(words) >= 14 and re.search(r"[.!?…][\"'”’)]*$", line.strip()):
            return i
    return len(lines)


def analyze_header(lines: list[str], max_lines: int = 14) -> Header:
    """Find headline, date line, byline, section and site name in the first lines."""
    head = _header_lines(lines, max_lines)
    header = Header()
    _find_date_and_byline(lines, head, header)
    _find_title(lines, head, header)
    _find_section_and_site(lines, head, header)
    return header


def _header_lines(lines: list[str], max_lines: int) -> list[int]:
    stop = _body_start(lines)
    head = [i for i in range(min(stop, len(lines))) if lines[i].strip()]
    return head[:max_lines]


def _find_date_and_byline(lines: list[str], head: list[int], header: Header) -> None:
    for pos, i in enumerate(head):
        text = lines[i].strip()
        if header.byline_index is None:
            m = _BYLINE.match(text)
            if m:
                names = split_names(_strip_date(m.group("names")))
                if names:
                    header.authors, header.byline_index = names, i
                    if header.date is None and find_date(text):
                        header.date, header.date_index = find_date(text)[0], i
                    continue
        if header.date is None:
            found = find_date(text)
            if found and _is_date_line(text, found[1]):
                header.date, header.date_index = found[0], i
                rest = _strip_date(text)
                names = split_names(rest) if rest else []
                if names and header.byline_index is None:
                    header.authors, header.byline_index = names, i
                continue
    if header.byline_index is None and header.date_index is not None:
        # a bare names line right after (or before) the date line
        k = head.index(header.date_index)
        for j in (k + 1, k - 1):
            if 0 <= j < len(head):
                names = split_names(lines[head[j]].strip())
                if names:
                    header.authors, header.byline_index = names, head[j]
                    break


def _strip_date(text: str) -> str:
    found = find_date(text)
    if found:
        m = found[1]
        text = text[:m.start()] + " " + text[m.end():]
    text = re.sub(r"\b\d{1,2}:\d\d\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?\b", " ", text)
    text = re.sub(r"\b(?:updated|published|posted)\b:?", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"^[\s,.;|·•—–-]+|[\s,;|·•—–-]+$", "", re.sub(r"\s+", " ", text))
    return re.sub(r"\s+(?:on|at|,)$", "", text)


def _is_date_line(text: str, m: re.Match[str]) -> bool:
    rest = _strip_date(text)
    if not rest:
        return True
    if m.start() > 3 and not re.match(r"^(?:updated|published|posted|by)\b", text, re.IGNORECASE):
        return False
    return len(rest.split()) <= 8


def _headline_like(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 30:
        return False
    if re.search(r"[.;,]$", text) or re.search(r"https?://|www\.", text):
        return False
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"“‘'"


def _find_title(lines: list[str], head: list[int], header: Header) -> None:
    anchors = [i for i in (header.date_index, header.byline_index) if i is not None]
    candidates = [i for i in head if i not in anchors and _headline_like(lines[i].strip())
                  and not _is_nav_line(lines[i])]
    chosen = None
    if anchors:
        first_anchor = min(anchors)
        before = [i for i in candidates if i < first_anchor]
        long_before = [i for i in before if len(lines[i].split()) >= 4]
        if long_before or before:
            chosen = (long_before or before)[-1]
    if chosen is None:
        named = [i for i in candidates if not (outlets.looks_like_outlet(lines[i].strip())
                                               or _the_name(lines[i].strip()))]
        for pool in ([i for i in named if len(lines[i].split()) >= 4],
                     [i for i in named if len(lines[i].split()) >= 3], named, candidates):
            if pool:
                chosen = pool[0]
                break
    if chosen is None:
        chosen = _title_with_full_stop(lines, head)
        if chosen is not None:
            line = lines[chosen].strip()  # "… trail." → "… trail"; "… the U.S." stays
            header.title = line[:-1] if re.search(r"[a-z0-9”’\"')]\.$", line) else line
            header.title_index = chosen
            return
    if chosen is None:
        return
    title, outlet = split_title_outlet(lines[chosen].strip())
    header.title, header.title_index, header.title_outlet = title, chosen, outlet


def _title_with_full_stop(lines: list[str], head: list[int]) -> int | None:
    """Some collections end headlines with a full stop ("Clinton gets testy on campaign
    trail."): a short one-sentence first line before a paragraph at least twice as long is
    the title."""
    filled = [i for i, line in enumerate(lines[:50]) if line.strip()]
    if not head or len(filled) < 2 or filled[0] != head[0]:
        return None
    first, after = lines[filled[0]].strip(), lines[filled[1]].strip()
    words = first.split()
    if not (3 <= len(words) <= 20 and first.endswith(".") and not first.endswith("..")):
        return None
    if re.search(r"[.!?][\"”’)]?\s+[A-Z]", first[:-1]) or re.search(r"https?://|www\.", first):
        return None  # two sentences, or a link: a paragraph, not a headline
    if not first[:1].isupper() or len(after.split()) < max(2 * len(words), 15):
        return None
    return head[0]


def split_title_outlet(line: str) -> tuple[str, str | None]:
    """``"Outlet - Title"`` or ``"Title | Outlet"`` → (title, outlet); else (line, None)."""
    colon = re.match(r"^([^:]{2,40}):\s+(.{10,})$", line)
    if colon and outlets.lookup(colon.group(1)):
        return colon.group(2).strip(), _canonical_outlet(colon.group(1))
    parts = re.split(r"\s+[-–—|]\s+|\s+\|\s*", line, maxsplit=1)
    if len(parts) == 2:
        left, right = parts[0].strip(), parts[1].strip()
        if (outlets.looks_like_outlet(left) or _the_name(left)) and len(right.split()) >= 3:
            return right, _canonical_outlet(left)
        if (outlets.looks_like_outlet(right) or _the_name(right)) and len(left.split()) >= 3:
            return left, _canonical_outlet(right)
    return line, None


def _the_name(text: str) -> bool:
    """"The Daily Planet": a short capitalised name with an article, as mastheads are."""
    toks = text.split()
    return 2 <= len(toks) <= 4 and toks[0] == "The" and all(t[:1].isupper() for t in toks[1:])


def _canonical_outlet(name: str) -> str:
    """The lexicon's name for an outlet (given by name, alias or domain), else ``name``."""
    known = outlets.lookup(name)
    if known is None and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name.strip().lower()):
        known = outlets.by_host(name.strip())
    return known.name if known else name.strip()


def _is_nav_line(text: str) -> bool:
    return is_nav(word_tokens(text))


def _find_section_and_site(lines: list[str], head: list[int], header: Header) -> None:
    if header.title_index is None:
        return
    for i in head:
        if i >= header.title_index:
            break
        text = lines[i].strip()
        toks = text.split()
        if not 1 <= len(toks) <= 5 or re.search(r"[.!?,;:]$", text) or _is_nav_line(text):
            continue
        lowered = [t.lower() for t in toks]
        near_title = head.index(header.title_index) - head.index(i) <= 2
        if any(t in SECTION_LABELS for t in lowered) and header.section is None and near_title:
            header.section, header.section_index = text, i
        elif all(t in _UI_WORDS for t in lowered):
            continue  # "Menu", "Search", "Business": navigation, not a name
        elif header.site_name is None:
            # a known or outlet-like name anywhere above the title; any other capitalised
            # name only as the very first line of the document (a masthead)
            named = outlets.looks_like_outlet(text) or _the_name(text)
            if named or (i == head[0] and all(t[:1].isupper() for t in toks)):
                header.site_name, header.site_index = _canonical_outlet(text), i


# --- the whole description ------------------------------------------------------------------

def describe(*, lines: list[str], text: str, header: Header, hints: dict[str, Any] | None = None,
             markup: dict[str, Any] | None = None, source_key: str = "",
             is_thread: bool = False, comment_text: str = "") -> Meta:
    """Decide every metadata field of a document.

    ``lines`` are the document's lines before boilerplate removal (notices and channel
    names are evidence even when removed), ``text`` its clean text, ``markup`` metadata
    read from the markup (HTML ``<meta>``, trafilatura, Markdown front matter), ``hints``
    what the container said (JSON fields, feed item).  Hints win, then markup, then text.
    """
    hints = {k: v for k, v in (hints or {}).items() if v not in (None, "", [])}
    markup = {k: v for k, v in (markup or {}).items() if v not in (None, "", [])}
    meta = Meta()
    raw_text = "\n".join(lines)
    _title(meta, header, hints, markup)
    _authors(meta, header, hints, markup)
    _published(meta, header, hints, markup, raw_text)
    for name in (hints.get("url"), source_key):
        if meta.published is None and name:
            _published_from_name(meta, str(name))
    _outlet(meta, header, hints, markup, source_key, raw_text)
    _syndication(meta, lines, raw_text)
    if meta.outlet is None and is_thread:
        _outlet_from_readers(meta, comment_text or text)
    if meta.outlet is None:
        _outlet_from_bio(meta, raw_text, header)
    meta.section = _first(hints.get("section"), markup.get("section"), header.section)
    meta.language = _first(hints.get("language"), detect_language(text), markup.get("language"))
    declared = _first(hints.get("kind"), markup.get("kind"))
    meta.kind = declared if declared in DOCUMENT_KINDS else classify_kind(text, meta, is_thread)
    return meta


def _first(*values: Any) -> Any:
    for v in values:
        if v not in (None, "", []):
            return v
    return None


def _title(meta: Meta, header: Header, hints: dict, markup: dict) -> None:
    title = _first(hints.get("title"), markup.get("title"), header.title)
    if title:
        split, outlet = split_title_outlet(str(title).strip())
        meta.title = split
        if outlet:
            meta.evidence["title_outlet"] = outlet
            header.title_outlet = header.title_outlet or outlet


def _authors(meta: Meta, header: Header, hints: dict, markup: dict) -> None:
    for value in (hints.get("authors"), hints.get("author"), markup.get("authors"),
                  markup.get("author")):
        names = _as_names(value)
        if names:
            meta.authors = names
            return
    meta.authors = list(header.authors)


def _as_names(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            name = v.get("name") if isinstance(v, dict) else v
            if name and str(name).strip():
                out.append(str(name).strip())
        return out
    if isinstance(value, dict):
        return _as_names([value])
    text = re.sub(r"^by\s+", "", str(value).strip(), flags=re.IGNORECASE)
    return split_names(text) or [p.strip() for p in re.split(r";|\s+and\s+", text) if p.strip()]


def _published(meta: Meta, header: Header, hints: dict, markup: dict, raw_text: str) -> None:
    for value in (hints.get("published"), hints.get("date"), markup.get("published"),
                  markup.get("date")):
        parsed = parse_date(value)
        if parsed:
            meta.published, meta.published_precision = parsed
            return
    if header.date:
        meta.published, meta.published_precision = header.date
        return
    dated = _DATELINE_DATE.search(raw_text[:5000])
    if dated:
        found = find_date(dated.group("date"))
        if found and found[0][1] == "day":
            meta.published, meta.published_precision = found[0]
            meta.evidence["published"] = "dateline"


#: a day in a file name or URL path: "ap_2016-01-23_story.txt", "/2017/06/09/slug", "20170609"
_NAME_DATE = re.compile(r"(?<!\d)((?:19[89]|20[0-4])\d)([-_/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])"
                        r"(?!\d)")


def _published_from_name(meta: Meta, source_key: str) -> None:
    """The last resort for an undated document: a full date in its file name or URL path
    (collections and archives often name files by their publication day)."""
    if re.match(r"https?://", source_key):
        name = urlparse(source_key).path
    else:  # the file's own name: a date on a folder may be a download or backup day
        name = re.split(r"[\\/]", source_key)[-1]
    for m in _NAME_DATE.finditer(name):
        try:
            day = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
        if day <= dt.date.today():
            meta.published, meta.published_precision = day.isoformat(), "day"
            meta.evidence["published"] = "source name"
            return


#: "WASHINGTON, June 9, 2017 — …": a dateline carrying the full date
_DATELINE_DATE = re.compile(r"^[A-Z][A-Z.'-]+(?:[ ,]+[A-Za-z.'-]+){0,3},\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},?"
                            r"\s+(?:19|20)\d\d)\b", re.MULTILINE)


_DATELINE_CREDIT = re.compile(
    r"^[A-Z][A-Z.'-]+(?:[ ,]+[A-Za-z.'-]+){0,4}\s*\((?P<credit>[A-Z][^()\n]{1,40})\)\s*[—–-]",
    re.MULTILINE)


def _dateline_credit(raw_text: str) -> str | None:
    """The agency named in a dateline: "SINGAPORE (Meridian Wire) — …"."""
    m = _DATELINE_CREDIT.search(raw_text[:3000])
    if m and outlets.looks_like_outlet(m.group("credit")):
        return _canonical_outlet(m.group("credit"))
    return None


def _outlet(meta: Meta, header: Header, hints: dict, markup: dict, source_key: str,
            raw_text: str = "") -> None:
    for key, value in (("hint", hints.get("outlet")), ("markup", markup.get("outlet")),
                       ("title line", header.title_outlet), ("site name", header.site_name)):
        if value:
            meta.outlet = _canonical_outlet(str(value))
            meta.evidence["outlet"] = key
            break
    if meta.outlet is None:
        credit = _dateline_credit(raw_text)
        if credit:
            meta.outlet, meta.evidence["outlet"] = credit, "dateline credit"
    url = hints.get("url") or (source_key if re.match(r"https?://", source_key or "") else "")
    if url:
        known = outlets.by_host(urlparse(str(url)).netloc)
        host_outlet = known.name if known else urlparse(str(url)).netloc.removeprefix("www.")
        if meta.outlet is None and host_outlet:
            meta.outlet, meta.evidence["outlet"] = host_outlet, "url host"
        meta.evidence["host_outlet"] = host_outlet
    if header.title_outlet and meta.outlet and _canonical_outlet(header.title_outlet) != meta.outlet:
        # a page of one outlet whose title line names another: a repost
        meta.original_outlet = _canonical_outlet(header.title_outlet)
        meta.carrier = meta.outlet


def _syndication(meta: Meta, lines: list[str], raw_text: str) -> None:
    # notices sit at the top or the bottom of a document
    window = raw_text if len(raw_text) <= 12000 else raw_text[:6000] + "\n" + raw_text[-6000:]
    for k, pattern in enumerate(_SYNDICATION):
        if k == 0 and not _may_contain(window, ("is available",)):
            continue  # the case-blind pattern cannot match: spare its slow search
        m = pattern.search(window)
        if m:
            source = _tidy_org(m.group("src"))
            meta.syndicated_from = _canonical_outlet(source)
            meta.original_outlet = meta.original_outlet or meta.syndicated_from
            if meta.outlet and meta.outlet != meta.syndicated_from:
                meta.carrier = meta.carrier or meta.outlet
            meta.evidence["syndication"] = m.group(0)
            break
    if meta.original_outlet is None:
        source = _source_line(lines)
        if source and source != meta.outlet:
            meta.original_outlet = source
            meta.evidence["source_line"] = source
    channel = repost_channel(lines)
    if channel:
        name, url = channel
        meta.carrier = name
        meta.evidence["carrier_url"] = url
        if meta.original_outlet is None and meta.outlet and meta.outlet != name:
            meta.original_outlet = meta.outlet


_SOURCE_LINE = re.compile(r"^(?:source|via|credit|originally published (?:by|in|at|on))\s*:\s*"
                          r"(?P<src>[^\n]{2,60}?)\.?$", re.IGNORECASE)


def _source_line(lines: list[str]) -> str | None:
    """An attribution line naming where a reposted text comes from: "Source: Financial Times"."""
    nonblank = [line.strip() for line in lines if line.strip()]
    for line in nonblank[:5] + nonblank[-5:]:
        m = _SOURCE_LINE.match(line)
        if m and outlets.looks_like_outlet(m.group("src").strip()):
            return _canonical_outlet(m.group("src"))
    return None


def _tidy_org(name: str) -> str:
    name = re.sub(r"\s+(?:is|and|or|for|to|of|the)$", "", name.strip())
    return name.strip(" .,;")


def repost_channel(lines: list[str]) -> tuple[str, str] | None:
    """A messaging channel the document was carried by: (its name, its URL)."""
    stripped = [line.strip() for line in lines]
    for k, line in enumerate(stripped):
        lowered = line.lower()
        if "t.me/" not in lowered and "telegram.me/" not in lowered:
            continue
        m = _CHANNEL_URL.search(line)
        if not m:
            continue
        url = m.group(0) if m.group(0).startswith("http") else "https://" + m.group(0)
        handle = m.group("handle")
        wanted = re.sub(r"[_\W]+", " ", handle).strip().lower()
        for other in stripped:
            if other and re.sub(r"[_\W]+", " ", other).strip().lower().removeprefix("the ") in (
                    wanted, wanted.removeprefix("the ")):
                return other, url
        for j in (k - 1, k - 2, k + 1):
            if 0 <= j < len(stripped) and stripped[j] and len(stripped[j].split()) <= 5 \
                    and not _CHANNEL_URL.search(stripped[j]) and not find_date(stripped[j]) \
                    and ":" not in stripped[j] and not re.search(r"[.!?]$", stripped[j]):
                return stripped[j], url
        return handle, url
    return None


_GENERIC_OUTLET = re.compile(
    r"\b([Tt]he\s+)?((?:[A-Z][\w'’-]+\s+){1,3}(?:Times|Post|Journal|News|Herald|Tribune|Guardian|"
    r"Telegraph|Gazette|Monitor|Observer|Chronicle|Globe|Ledger|Wire|Review|Standard|Dispatch))\b")


def reader_outlets(text: str) -> dict[str, tuple[int, int]]:
    """Outlets named in ``text``: name -> (strong mentions, weak mentions such as "the
    Times"), from the lexicon and from unknown names of the form "… Times", "… Post"."""
    counts = dict(outlets.mentions(text))
    generic: dict[str, int] = {}
    for m in _GENERIC_OUTLET.finditer(text):
        name = m.group(2)
        if outlets.lookup(name) or outlets.lookup("The " + name):
            continue
        key = ("The " if m.group(1) else "") + name
        generic[key] = generic.get(key, 0) + 1
    for name, n in generic.items():
        last = name.split()[-1]
        weak = len(re.findall(rf"\b[Tt]he\s+{re.escape(last)}\b", text))
        counts[name] = (n, weak)
    return counts


def _outlet_from_readers(meta: Meta, text: str) -> None:
    """The outlet a comment thread belongs to, from what readers call it."""
    counts = reader_outlets(text)
    scored = [(strong * 2 + (weak if strong else 0), name) for name, (strong, weak) in counts.items()
              if strong]
    if not scored:
        return
    score, name = max(scored)
    if score >= 3:
        meta.outlet, meta.outlet_inferred = name, True
        meta.evidence["outlet"] = f"referred to by readers ({score})"


def _outlet_from_bio(meta: Meta, raw_text: str, header: Header) -> None:
    """An author bio naming the publication the author directs or edits."""
    if not header.authors:
        return
    tail = raw_text[-3000:]
    for author in header.authors:
        for m in re.finditer(re.escape(author), tail):
            found = _BIO_AFFILIATION.search(tail[m.end():m.end() + 300])
            if found:
                org = _tidy_org(found.group("org"))
                if org and len(org.split()) <= 6:
                    meta.outlet, meta.outlet_inferred = _canonical_outlet(org), True
                    meta.evidence["outlet"] = "author bio"
                    return


# --- kind and language ----------------------------------------------------------------------

#: one of these occurs (lower-cased) in any text ``_PRESS`` matches
_PRESS_NEEDLES = ("release", "media contact", "press office", "information", "###")


def _press(text: str) -> bool:
    """``_PRESS.search(text)``, its slow case-blind search run only where it can match."""
    return _may_contain(text, _PRESS_NEEDLES) and _PRESS.search(text) is not None


def classify_kind(text: str, meta: Meta, is_thread: bool) -> str:
    """The document kind, from structure and vocabulary (see ``DOCUMENT_KINDS``)."""
    if is_thread:
        return "comment_thread"
    head = text[:3000]
    framing = " ".join(x for x in (meta.title or "", meta.section or "") if x)
    if _press(head) or _press(text[-2000:]):
        return "press_release"
    if len(_SPEAKER_TURN.findall(text)) >= 6:
        return "transcript"
    if _ESSAY_WORDS.search(framing):
        return "essay"
    if _ANALYSIS_WORDS.search(framing) or len(_CITATION.findall(text)) >= 3:
        return "analysis"
    sentences = max(1, len(re.findall(r"[.!?][\"'”’)]*\s", text)))
    reporting = len(_REPORTING.findall(text)) / sentences
    first_person = len(_FIRST_PERSON.findall(text)) / sentences
    if _DATELINE.search(text[:1500]) or _WIRE_CREDIT.search(text[:1500]):
        return "news_report"
    if re.search(r"\beditor[’']s note\b", head, re.IGNORECASE):
        return "essay"
    if reporting >= 0.25 and first_person < 0.3:
        return "news_report"
    if first_person >= 0.3 or (sentences >= 15 and reporting < 0.15):
        return "essay"
    return "news_report" if reporting >= 0.12 else "other"


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from the script, then stop-word ratios (no model, no download)."""
    sample = text[:20000]
    # letters counted without a Python loop over every character: the ASCII ones by
    # deleting them from the ASCII bytes, the (few) others one by one; every script range
    # lies outside ASCII
    ascii_part = sample.encode("ascii", "ignore")
    n_ascii = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    others = [c for c in "".join(_NON_ASCII.findall(sample)) if c.isalpha()]
    n_letters = n_ascii + len(others)
    if n_letters < 20:
        return None
    for code, lo, hi in _SCRIPTS:
        if sum(1 for c in others if lo <= c <= hi) / n_letters > 0.3:
            return code
    tokens = _LETTER_RUN.findall(sample.lower())
    if not tokens:
        return None
    counts = Counter(tokens)
    scores = {lang: sum(counts[t] for t in counts.keys() & stops) / len(tokens)
              for lang, stops in _STOP_SETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.05 else None
