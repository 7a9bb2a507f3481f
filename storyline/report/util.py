"""Small helpers shared by the briefing and the web app: lists stored as text, dates, text."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from typing import Any

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def as_list(value: Any) -> list[Any]:
    """A list column read back: JSON list, JSON scalar, or a ``;``/``,``/``|`` separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "[{\"":
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            if isinstance(data, list):
                return data
            if data is not None:
                return [data]
        return [part.strip() for part in re.split(r"[;|,]", text) if part.strip()]
    return [value]


def as_json(value: Any, default: Any = None) -> Any:
    """A JSON column read back (``default`` when empty or not JSON)."""
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return default


def _parts(iso: str) -> tuple[int, int | None, int | None] | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso or "")
    if not match:
        return None
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def date_floor(iso: str | None) -> str | None:
    """The first day a partial ISO date can mean (``2017-05`` → ``2017-05-01``)."""
    parts = _parts(iso or "")
    if not parts:
        return None
    year, month, day = parts
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}"


def date_ceil(iso: str | None) -> str | None:
    """The last day a partial ISO date can mean (``2017-05`` → ``2017-05-31``)."""
    parts = _parts(iso or "")
    if not parts:
        return None
    year, month, day = parts
    month = min(max(month or 12, 1), 12)
    day = day or calendar.monthrange(max(year, 1), month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def overlaps(start: str | None, end: str | None, since: str | None, until: str | None) -> bool:
    """Whether the (possibly partial) dates ``start``–``end`` meet ``since``–``until``.

    Undated items pass only when no window is asked for."""
    if not since and not until:
        return True
    lo, hi = date_floor(start or end), date_ceil(end or start)
    if lo is None or hi is None:
        return False
    if since and hi < (date_floor(since) or since):
        return False
    return not (until and lo > (date_ceil(until) or until))


def digest_date(iso: str | None, precision: str | None = None) -> str:
    """A date in the digest style of citations: ``06.09.17`` (MM.DD.YY), ``05.17`` for a month."""
    parts = _parts(iso or "")
    if not parts:
        return ""
    year, month, day = parts
    if month and day and precision not in ("month", "year"):
        return f"{month:02d}.{day:02d}.{year % 100:02d}"
    if month and precision != "year":
        return f"{month:02d}.{year % 100:02d}"
    return str(year)


def date_label(start: str | None, end: str | None = None, precision: str | None = None) -> str:
    """A human date showing its precision: ``2 May 2017``, ``May 2017``, ``3–4 May 2017``,
    ``week of 22 May 2017``, ``2017``; ``""`` when undated."""
    first = _parts(start or "")
    if not first:
        return ""
    year, month, day = first
    if precision == "year" or month is None:
        return str(year)
    if precision == "month" or day is None:
        return f"{_MONTHS[month - 1]} {year}"
    if precision == "week":
        return f"week of {day} {_MONTHS[month - 1]} {year}"
    last = _parts(end or "")
    if last and last != first and last[2]:
        y2, m2, d2 = last
        if (y2, m2) == (year, month):
            return f"{day}–{d2} {_MONTHS[month - 1]} {year}"
        return f"{day} {_MONTHS[month - 1]} {year} – {d2} {_MONTHS[(m2 or 1) - 1]} {y2}"
    return f"{day} {_MONTHS[month - 1]} {year}"


def precision_of(start: str | None, precision: str | None) -> str:
    """The precision of a date, read from the value when it was not recorded."""
    if precision:
        return precision
    parts = _parts(start or "")
    if not parts:
        return "none"
    return "day" if parts[2] else "month" if parts[1] else "year"


def today() -> str:
    return dt.date.today().isoformat()


_BULLET = re.compile(r"^[\s•·\-–—*▪◦●]+")
_SPACES = re.compile(r"\s+")


def clean_sentence(text: str, cut: list[tuple[int, int]] = ()) -> str:
    """A sentence made presentable by deletions only: ``cut`` spans (relative offsets, e.g.
    inline citations) removed, bullet marks, empty brackets and runs of spaces dropped."""
    for start, end in sorted(cut, reverse=True):
        text = text[:max(start, 0)] + text[max(end, 0):]
    text = _BULLET.sub("", text)
    text = re.sub(r"\(\s*(?:[,;]\s*)*\)", "", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"[,;:]+([.!?])", r"\1", text)  # "the talks, [citation]." → "the talks."
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"[\s(,;]+$", "", text)
    if text and text[-1] not in ".!?\"”’'":
        text += "."
    return text


def truncate(text: str, limit: int = 240) -> str:
    text = _SPACES.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else None (no ``javascript:``, ``data:`` …)."""
    if not url or not isinstance(url, str):
        return None
    text = url.strip()
    if re.match(r"^https?://[^\s<>\"']+$", text, re.I) and not re.search(r"[\x00-\x1f]", text):
        return text
    return None


_STRAIGHT_OPEN = re.compile(r'(?:^|(?<=[\s(\[—–-]))"(?=\S)')
_STRAIGHT_CLOSE = re.compile(r'(?<=\S)"(?=[\s.,;:!?)\]—–-]|$)')


def quote_balance(text: str) -> int:
    """Quotation marks opened minus closed: > 0 leaves a quote open, < 0 closes one
    opened before the text, 0 when balanced or undecidable."""
    curly = text.count("“") - text.count("”")
    if curly or text.count('"') % 2 == 0:
        return curly
    opens, closes = len(_STRAIGHT_OPEN.findall(text)), len(_STRAIGHT_CLOSE.findall(text))
    return (opens > closes) - (closes > opens)
