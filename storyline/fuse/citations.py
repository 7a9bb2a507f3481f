"""Inline citations: who a document says its information comes from.

Found forms (each becomes a :class:`Citation` with the exact span in the clean text):

* parenthetical source lists with dates — "(AP, 05.03.17, Bloomberg, 05.02.17)",
  "(White House readout, 05.02.17)"; a numeric date is read as MM.DD.YY or DD.MM.YY,
  whichever is the nearest plausible date to the publication date;
* wire datelines — "MOSCOW (Reuters) -";
* cue phrases — "according to a report by the Al-Monitor", "the Wall Street Journal
  reported", "told the Al-Monitor", "citing Reuters", "in an interview with CNN", "h/t X";
* anaphoric cues — "per the report", "according to the report" — resolved to the outlet
  cited last before them;
* venues of a quotation — "said in a Senate Foreign Relations Committee meeting in late May".

Outlet names are normalised through the outlet alias table (``outlets.py``).
"""

from __future__ import annotations

import datetime as dt
import re

from .outlets import known_outlet, looks_like_outlet, normalize_outlet
from .types import STAGE_VERSION, Citation

STAGE = "citations"

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
             r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
NUMERIC_DATE = r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b"
WORD_DATE = rf"{_MONTH_RE}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
DATE = rf"(?:{NUMERIC_DATE}|{WORD_DATE})"

#: a parenthetical holding at least one "Name, date" pair (an inner "(" is tolerated)
_PAREN = re.compile(r"\(([^)\n]{3,600})\)")
_PAIR = re.compile(rf"(?:^|(?<=[(,;]))\s*\(?(?P<name>[A-Z][^(),;\n]{{0,80}}?),\s*(?P<date>{DATE})")
_DATELINE = re.compile(
    r"(?m)^[A-Z][A-Za-z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?\s+"
    r"\((?P<name>[A-Z][A-Za-z&.\- ]{1,40})\)\s*[-—–]")

_CAP = r"[A-Z][\w&.'’\-]*"
_NAME = rf"(?:the |The )?{_CAP}(?: (?:of |and |& |on |for )?{_CAP}){{0,6}}"
_REPORT_NOUN = (r"(?:report|story|article|investigation|analysis|interview|piece|account|"
                r"dispatch|broadcast|op-ed|editorial|survey|poll)")

#: cue name -> pattern with a ``name`` group (the cited source), tried in this order
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("according to a report", re.compile(
        rf"\b[Aa]ccording to (?:a|an|the)\s+(?:new\s+|recent\s+|exclusive\s+|separate\s+)?"
        rf"{_REPORT_NOUN}\s+(?:by|from|in|on|of)\s+(?P<name>{_NAME})")),
    ("readout", re.compile(
        rf"\b(?:[Aa]ccording to|[Pp]er|[Cc]iting) (?:the\s+)?(?P<name>{_NAME})(?:’s|'s)\s+"
        rf"(?P<doc>readout|statement|communiqu[ée]|transcript|{_REPORT_NOUN})")),
    ("per", re.compile(
        rf"\b[Pp]er\s+(?:a|an|the)\s+(?:new\s+|recent\s+)?{_REPORT_NOUN}\s+(?:by|from|in)\s+"
        rf"(?P<name>{_NAME})")),
    ("reported by", re.compile(
        rf"\b(?:first\s+|originally\s+|previously\s+)?(?:reported|published|revealed|"
        rf"broadcast|aired)\s+(?:by|in|on)\s+(?P<name>{_NAME})")),
    ("interview", re.compile(
        rf"\b(?:an?\s+)?(?:interview|conversation|op-ed|article|column)\s+(?:with|for|in)\s+"
        rf"(?P<name>{_NAME})")),
    ("according to", re.compile(rf"\b[Aa]ccording to\s+(?P<name>{_NAME})")),
    ("citing", re.compile(rf"\b[Cc]iting\s+(?P<name>{_NAME})")),
    ("told", re.compile(rf"\b(?:told|telling|tells)\s+(?P<name>{_NAME})")),
    ("reported", re.compile(
        rf"(?P<name>{_NAME})\s+(?:first\s+|originally\s+|previously\s+|also\s+|has\s+|had\s+|"
        rf"earlier\s+|exclusively\s+)?(?:reported|reports|revealed|disclosed|wrote)\b")),
    ("report", re.compile(rf"(?P<name>{_NAME})(?:’s|'s)\s+(?:report|reporting|story)\b")),
    ("h/t", re.compile(r"\b(?:[Hh]/[Tt]|[Hh]at tip(?: to)?):?\s+(?P<name>@?[\w][\w.'’\-]*"
                       r"(?:\s+[A-Z][\w.'’\-]*){0,4})")),
)
#: cue name -> words one of which any match of its pattern contains (the patterns are
#: case-sensitive): a text with none of them is not searched with that pattern
_CUE_NEEDLES: dict[str, tuple[str, ...]] = {
    "according to a report": ("ccording to",),
    "per": ("Per", "per"),
    "reported by": ("reported", "published", "revealed", "broadcast", "aired"),
    "interview": ("interview", "conversation", "op-ed", "article", "column"),
    "according to": ("ccording to",),
    "citing": ("Citing", "citing"),
    "told": ("told", "telling", "tells"),
    "reported": ("reported", "reports", "revealed", "disclosed", "wrote"),
    "report": ("report", "story"),
    "h/t": ("/t", "/T", "at tip"),
}
_ANAPHORA = re.compile(
    rf"\b(?:[Pp]er|[Aa]ccording to)\s+(?:the|that|this)\s+(?P<noun>{_REPORT_NOUN})\b"
    rf"(?!\s+(?:by|from|in|of)\s+[A-Z])")
_VENUE = re.compile(
    r"\bsaid\s+(?:at|in|during)\s+(?:a|an|the)\s+(?P<name>(?:[A-Z][\w.'’\-]*\s+){1,6}"
    r"(?:meeting|hearing|briefing|press conference|conference|session|speech|address|"
    r"interview|summit|forum))(?:\s+(?:on|in)\s+(?P<when>(?:early|mid|late)?-?\s*"
    rf"{_MONTH_RE}(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?))?")
_SPEAKER_BEFORE = re.compile(r"((?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen)\.?\s+)?([A-Z][\w'’\-]+)\s*$")

_FUNCTION_WORDS = {"on", "in", "but", "and", "as", "at", "by", "for", "if", "so", "then",
                   "while", "when", "after", "before", "also", "meanwhile", "however", "today",
                   "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday",
                   "saturday", "sunday", "last", "earlier", "this", "that", "it"}
#: sources that speak for themselves rather than report ("according to officials")
_NOT_SOURCES = {"officials", "sources", "people", "experts", "analysts", "reports", "data",
                "estimates", "witnesses", "residents"}


def find_citations(text: str, doc_id: str, published: str | None = None) -> list[Citation]:
    """Every inline citation of ``text`` (a document's clean text), in text order."""
    anchor = _parse_iso(published)
    found: list[tuple[int, int, str, str | None, str | None, str, float]] = []
    found += _parentheticals(text, anchor)
    found += _datelines(text)
    found += _cue_citations(text)
    found += _venues(text, anchor)
    found = _drop_overlaps(found)
    found += _anaphoric(text, found)
    found.sort(key=lambda f: (f[0], f[1]))
    return [Citation(id=f"{doc_id}:k{i}", text=text[s:e], outlet=outlet, cited_date=date,
                     cue=cue, doc_id=doc_id, start=s, end=e, stage=STAGE,
                     stage_version=STAGE_VERSION, confidence=conf)
            for i, (s, e, cue, outlet, date, _name, conf) in enumerate(found)]


# --- parentheticals and datelines --------------------------------------------------------


def _parentheticals(text: str, anchor: dt.date | None) -> list[tuple]:
    out = []
    for paren in _PAREN.finditer(text):
        body, base = paren.group(1), paren.start(1)
        if not re.search(DATE, body):
            continue
        for pair in _PAIR.finditer(body):
            name = pair.group("name").strip().lstrip("(").strip()
            if not _plausible_source_name(name):
                continue
            start = base + pair.start("name") + (len(pair.group("name")) -
                                                 len(pair.group("name").lstrip(" (")))
            end = base + pair.end("date")
            date = resolve_date(pair.group("date"), anchor)
            out.append((start, end, "parenthetical", normalize_outlet(name), date, name, 0.95))
    return out


def _plausible_source_name(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= 8 and name[:1].isupper() and not re.search(r"\d{3,}", name)


def _datelines(text: str) -> list[tuple]:
    out = []
    for m in _DATELINE.finditer(text):
        name = m.group("name").strip()
        if looks_like_outlet(name):
            out.append((m.start("name"), m.end("name"), "dateline", normalize_outlet(name),
                        None, name, 0.9))
    return out


# --- cue phrases -------------------------------------------------------------------------


def _cue_citations(text: str) -> list[tuple]:
    out = []
    for cue, pattern in _CUES:
        needles = _CUE_NEEDLES.get(cue)
        if needles is not None and not any(n in text for n in needles):
            continue  # no match possible: spare the pattern's scan of the whole text
        for m in pattern.finditer(text):
            trimmed = _trim_name(m.group("name"), cue)
            if trimmed is None:
                continue
            offset, name = trimmed
            start = m.start("name") + offset
            end = start + len(name)
            if cue == "h/t":
                out.append((start, end, cue, normalize_outlet(name.lstrip("@")) if
                            not name.startswith("@") else name, None, name, 0.8))
                continue
            span_end = max(m.end(), end) if m.end() > m.end("name") else end
            outlet = normalize_outlet(name)
            if cue == "readout" and not known_outlet(name):
                outlet = f"{outlet} {m.group('doc')}"
            out.append((min(m.start(), start), span_end, cue, outlet, None, name, 0.85))
    return out


def _trim_name(raw: str, cue: str) -> tuple[int, str] | None:
    """The part of a captured capitalised run that names an outlet, with its offset.

    Tries the longest suffix (or prefix, for a name after the cue) known to the alias
    table, then one that looks like an outlet; rejects runs that name no outlet.
    """
    words = list(re.finditer(r"\S+", raw))
    if not words:
        return None
    if cue in ("h/t", "readout"):
        return words[0].start(), raw[words[0].start():words[-1].end()].rstrip(".,;:")
    spans = []
    n = len(words)
    if cue in ("reported", "report"):  # name precedes the cue: try suffixes
        spans = [(i, n) for i in range(n)]
    else:  # name follows the cue: try prefixes, longest first
        spans = [(0, j) for j in range(n, 0, -1)]
    candidates = []
    for i, j in spans:
        s, e = words[i].start(), words[j - 1].end()
        name = raw[s:e].rstrip(".,;:’'")
        if name.split()[0].lower() in _FUNCTION_WORDS - {"the"}:
            continue
        candidates.append((s, name))
    for s, name in candidates:
        if known_outlet(name):
            return s, name
    for s, name in candidates:
        bare = re.sub(r"^(?:the|The)\s+", "", name)
        if bare.lower() in _NOT_SOURCES or not bare[:1].isupper():
            continue
        if looks_like_outlet(name):
            return s, name
    return None


def _anaphoric(text: str, found: list[tuple]) -> list[tuple]:
    """ "per the report" → the outlet cited last before it (when there is one)."""
    out = []
    named = sorted((f for f in found if f[3]), key=lambda f: f[0])
    for m in _ANAPHORA.finditer(text):
        if any(f[0] <= m.start() < f[1] for f in found):
            continue
        before = [f for f in named if f[1] <= m.start() and f[2] != "venue"]
        outlet = before[-1][3] if before else None
        cue = "per" if m.group(0).lower().startswith("per") else "according to"
        out.append((m.start(), m.end(), cue, outlet, None, m.group(0), 0.6 if outlet else 0.3))
    return out


def _venues(text: str, anchor: dt.date | None) -> list[tuple]:
    out = []
    for m in _VENUE.finditer(text):
        venue = m.group("name").strip()
        speaker = _SPEAKER_BEFORE.search(text[max(0, m.start() - 40):m.start()])
        label = f"{venue} ({speaker.group(2)})" if speaker else venue
        when = resolve_month_phrase(m.group("when"), anchor) if m.group("when") else None
        out.append((m.start("name"), m.end(), "venue", label, when, venue, 0.7))
    return out


def _drop_overlaps(found: list[tuple]) -> list[tuple]:
    """Keep the first-found (most specific) of overlapping citations."""
    kept: list[tuple] = []
    for f in found:
        if any(f[0] < k[1] and k[0] < f[1] for k in kept):
            continue
        kept.append(f)
    return kept


# --- dates -------------------------------------------------------------------------------


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 6,
                       parts[2] if len(parts) > 2 else 15)
    except (ValueError, IndexError):
        return None


def _full_year(year: int, anchor: dt.date | None) -> int:
    if year >= 100:
        return year
    century = (anchor.year // 100 * 100) if anchor else 2000
    full = century + year
    if anchor and full > anchor.year + 1:
        full -= 100
    return full


def resolve_date(raw: str, anchor: dt.date | None) -> str | None:
    """ISO date of "05.03.17" or "May 3, 2017", disambiguated against ``anchor``.

    A numeric date may be month-day or day-month: the candidate nearest to the anchor (the
    publication date) wins, a date more than a day after the anchor counts as implausible;
    without an anchor month-day is preferred.
    """
    raw = raw.strip()
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})", raw)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), _full_year(int(m.group(3)), anchor)
        candidates = [d for d in (_date(year, a, b), _date(year, b, a)) if d]
        if not candidates:
            return None
        if anchor is None:
            return candidates[0].isoformat()
        return min(candidates, key=lambda d: _distance(d, anchor)).isoformat()
    m = re.fullmatch(rf"({_MONTH_RE})\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?", raw)
    if m:
        month = MONTHS[m.group(1)[:3].lower()]
        day = int(m.group(2))
        if m.group(3):
            d = _date(int(m.group(3)), month, day)
            return d.isoformat() if d else None
        if anchor is None:
            return None
        options = [d for d in (_date(anchor.year + k, month, day) for k in (-1, 0, 1)) if d]
        return min(options, key=lambda d: _distance(d, anchor)).isoformat() if options else None
    return None


def resolve_month_phrase(raw: str, anchor: dt.date | None) -> str | None:
    """ "late May" → "2017-05" (the nearest such month not after the anchor)."""
    m = re.search(rf"({_MONTH_RE})(?:\s+(\d{{1,2}}))?(?:,?\s+(\d{{4}}))?", raw)
    if not m:
        return None
    month = MONTHS[m.group(1)[:3].lower()]
    if m.group(3):
        year = int(m.group(3))
    elif anchor:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    else:
        return None
    if m.group(2):
        d = _date(year, month, int(m.group(2)))
        return d.isoformat() if d else None
    return f"{year:04d}-{month:02d}"


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _distance(date: dt.date, anchor: dt.date) -> float:
    days = (anchor - date).days
    return abs(days) + (1000 if days < -1 else 0)
