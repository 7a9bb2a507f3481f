"""Time expressions: found in the parse, normalised against the publication date.

Detection combines spaCy's DATE (and day-like TIME) entities with regular expressions for
what the model misses (numeric dates such as ``05.03.17``, day ranges such as ``May 3-4``,
year ranges).  Normalisation uses dateparser as the base and adds our rules:

* an expression without a year is placed in time by the grammar of its clause: a finite
  past-tense verb means the past, ``will``/``next``/"scheduled" means the future; when the
  grammar says nothing, news text refers to the past unless the future reading is much
  closer to the publication date ("July 7-8" in a May report is the coming July);
* a weekday name means the most recent such day (the publication day included), unless the
  grammar says future; with a month and day ("Saturday, January 28") the weekday picks the
  year;
* a numeric date is read MM.DD or DD.MM, whichever lies closer to the publication date;
* fuzzy expressions get a window: "late December" (21-31), "early last month", "about two
  weeks ago" (± 3 days), "several weeks ago", "the last several weeks", seasons, decades.

Every value is a window ``value_start``..``value_end`` (ISO dates) with a precision: day,
week, month, year or range (explicit day ranges, seasons, decades, vague spans).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .pipeline import doc_text
from .types import Timex

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

STAGE = "dates"
VERSION = "1"

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_FULL_MONTH_NAMES = {name.lower() for name in calendar.month_name if name}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
#: vague quantities as (low, high)
VAGUE = {"several": (2, 6), "a few": (2, 4), "few": (2, 4), "a couple of": (2, 3),
         "a couple": (2, 3), "some": (2, 6), "many": (3, 10)}
#: fixed-date holidays (month, day) and Thanksgiving, placed in time like "December 1"
HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
            "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
            "halloween": (10, 31), "valentine's day": (2, 14), "veterans day": (11, 11),
            "bastille day": (7, 14), "victory day": (5, 9), "may day": (5, 1)}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11),
           "winter": (12, 2)}

_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
             r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_ORD = r"(?:st|nd|rd|th)?"
_DASH = r"\s*(?:-|–|—|to|through|until|till|and)\s*"
_RANGE_MD = re.compile(
    rf"\b(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}}){_ORD}{_DASH}(?:(?P<m2>{_MONTH_RE})\s+)?"
    rf"(?P<d2>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<y>\d{{4}}))?", re.I)
_RANGE_DM = re.compile(
    rf"\b(?P<d1>\d{{1,2}}){_ORD}(?:\s+(?P<m1>{_MONTH_RE}))?{_DASH}(?P<d2>\d{{1,2}}){_ORD}\s+"
    rf"(?P<m2>{_MONTH_RE})(?:,?\s+(?P<y>\d{{4}}))?", re.I)
_RANGE_Y = re.compile(r"\b(?P<y1>(?:19|20)\d\d)\s*(?:-|–|—|to|through)\s*(?P<y2>(?:19|20)?\d\d)\b"
                      r"(?![\d.,/-]\d)")
_NUMERIC = re.compile(r"(?<![\d.,/-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)"
                      r"(?P<y>\d{4}|\d{2})(?![\d]|[./-]\d)")
_ISO = re.compile(r"(?<![\d.-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])")
_FULL = re.compile(rf"\b{_MONTH_RE}\s+\d{{1,2}}{_ORD},?\s+(?:19|20)\d\d\b", re.I)
_DETECTORS = (_RANGE_MD, _RANGE_DM, _RANGE_Y, _NUMERIC, _ISO, _FULL)
#: where a month name begins; every match of a month-led detector begins at one, so those
#: are tried only there (one cheap scan instead of trying each at every character)
_MONTH_START = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_MONTH_LED = (_RANGE_MD, _FULL)

_LEADING = re.compile(r"^(?:(?:between|in|on|at|since|until|till|by|from|during|before|"
                      r"after|of|for|through|as of|starting|beginning|ending|throughout)\s+)+",
                      re.I)
_HAS_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|'\d\d\b")
_COUNT_WORDS = "|".join(sorted((re.escape(w) for w in list(NUMBER_WORDS) + list(VAGUE)),
                               key=len, reverse=True))
_DURATION = re.compile(rf"^(?:about|some|nearly|almost|around|roughly|more than|less than|over|"
                       rf"under|at least|up to)?\s*(?:\d+|{_COUNT_WORDS})(?:[\s-]+and a half)?"
                       rf"[\s-]+(?:days?|weeks?|months?|years?|hours?|minutes?|decades?)"
                       rf"(?:[\s-]+(?:long|old))?$", re.I)
_AGO = re.compile(r"^(?:about|some|nearly|almost|around|roughly|more than|less than|over|"
                  r"just|only)?\s*(?P<n>\d+|[a-z]+(?: (?:few|couple(?: of)?))?)\s+"
                  r"(?P<unit>day|week|month|year)s?\s+(?:ago|earlier|before)$", re.I)
_SPAN_BACK = re.compile(r"^(?:over\s+|in\s+|during\s+|within\s+)?(?:the\s+)?(?:last|past|"
                        r"previous|recent)\s+(?P<n>\d+|[a-z]+(?: (?:few|couple(?: of)?))?)?\s*"
                        r"(?P<unit>day|week|month|year)s$", re.I)
_MODIFIER = re.compile(r"^(?P<mod>early|the early|mid|the middle of|middle of|late|the late|"
                       r"the end of|end of|the beginning of|beginning of|the start of|"
                       r"start of)[\s-]+(?P<rest>.+)$", re.I)
_PARTIAL_PERIOD = re.compile(r"^(?P<side>earlier|later)\s+(?:this|that)\s+"
                             r"(?P<unit>week|month|year)$", re.I)
_SEASON = re.compile(r"^(?:(?P<rel>last|this|next|past|coming)\s+)?(?P<s>spring|summer|fall|"
                     r"autumn|winter)(?:\s+(?:of\s+)?(?P<y>\d{4}))?$", re.I)
_DECADE = re.compile(r"^(?:the\s+)?(?P<y>(?:19|20)\d0|'\d0)s$", re.I)
_WEEKDAY_ONLY = re.compile(r"^(?:(?P<rel>last|this|next|past|coming)\s+)?(?P<w>[a-z]+?)"
                           r"(?:\s+(?:morning|afternoon|evening|night))?$", re.I)
_DAY_WORDS = re.compile(r"(?i)\b(?:yesterday|today|tonight|tomorrow|last night|this morning|"
                        r"mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b")
_FUTURE_WORDS = {"next", "coming", "upcoming", "following", "later"}
_PAST_WORDS = {"last", "ago", "past", "previous", "earlier", "recent", "yesterday"}
_FUTURE_VERBS = {"schedule", "plan", "expect", "due", "set", "intend", "prepare", "aim"}


@dataclasses.dataclass
class Resolution:
    """A normalised time expression: a window and its precision."""

    start: dt.date
    end: dt.date
    precision: str
    confidence: float = 0.8


# --- calendar helpers ------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _window(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    if period == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if period == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if period == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year4(text: str, anchor: dt.date | None) -> int:
    value = int(text.lstrip("'"))
    if value >= 100:
        return value
    pivot = (anchor.year if anchor else 2030) % 100 + 10
    return 2000 + value if value <= pivot else 1900 + value


def _count(word: str | None) -> tuple[int, int] | None:
    if not word:
        return (1, 1)
    word = word.lower().strip()
    if word.isdigit():
        return (int(word), int(word))
    if word in NUMBER_WORDS:
        return (NUMBER_WORDS[word],) * 2
    return VAGUE.get(word)


def _shift(anchor: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return anchor - dt.timedelta(days=n)
    if unit == "week":
        return anchor - dt.timedelta(weeks=n)
    if unit == "month":
        return _add_months(anchor, -n)
    return _add_months(anchor, -12 * n)


# --- choosing between a past and a future reading ------------------------------------------


def choose(past: dt.date | None, future: dt.date | None, anchor: dt.date, tense: str) -> dt.date | None:
    """Pick the past or the future reading of a year-less expression.

    Grammar decides when it can; otherwise news refers to the past unless the future
    reading is less than half as far from the publication date.
    """
    if past is None or future is None:
        return past or future
    if tense == "future":
        return future
    if tense == "past":
        return past
    far_past = abs((anchor - past).days)
    far_future = abs((future - anchor).days)
    return future if far_future * 2 < far_past else past


def _year_candidates(month: int, day: int | None,
                     anchor: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The latest reading before ``anchor`` and the earliest after it of this month (and
    day); a month or day containing the anchor is both."""
    past = future = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        start = _safe_date(year, month, day or 1)
        if start is None:
            continue
        end = start if day else _month_end(year, month)
        if start <= anchor <= end:
            return start, start
        if end < anchor:
            past = start
        elif future is None:
            future = start
    return past, future


# --- rules ------------------------------------------------------------------------------------


def _numeric(expr: str, anchor: dt.date | None) -> Resolution | None:
    m = _NUMERIC.fullmatch(expr) if expr else None
    if m is None:
        iso = _ISO.fullmatch(expr)
        if iso:
            day = _safe_date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
            return Resolution(day, day, "day", 0.95) if day else None
        return None
    a, b, year = int(m["a"]), int(m["b"]), _year4(m["y"], anchor)
    readings = [d for d in (_safe_date(year, a, b), _safe_date(year, b, a)) if d]
    if not readings:
        return None
    if anchor is not None:
        readings.sort(key=lambda d: abs((d - anchor).days))
    day = readings[0]
    confidence = 0.95 if len(set(readings)) == 1 else 0.8
    return Resolution(day, day, "day", confidence)


def _month_day(month_text: str, day: int, year: int | None, anchor: dt.date | None,
               tense: str) -> dt.date | None:
    month = MONTHS.get(month_text.lower().rstrip("."))
    if month is None:
        return None
    if year is not None:
        return _safe_date(year, month, day)
    if anchor is None:
        return None
    past, future = _year_candidates(month, day, anchor)
    return choose(past, future, anchor, tense)


def _range(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    m = _RANGE_MD.fullmatch(expr) or _RANGE_DM.fullmatch(expr)
    if m:
        year = int(m["y"]) if m["y"] else None
        m1 = m["m1"] or m["m2"]
        m2 = m["m2"] or m["m1"]
        first = _month_day(m1, int(m["d1"]), year, anchor, tense)
        if first is None:
            return None
        last = _safe_date(first.year, MONTHS[m2.lower().rstrip(".")], int(m["d2"]))
        if last is not None and last < first:
            last = _safe_date(first.year + 1, last.month, last.day)
        if last is None:
            return None
        return Resolution(first, last, "range", 0.9 if year else 0.8)
    m = _RANGE_Y.fullmatch(expr)
    if m:
        y1 = int(m["y1"])
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else y1 // 100 * 100 + int(m["y2"])
        if y2 < y1:
            return None
        return Resolution(dt.date(y1, 1, 1), dt.date(y2, 12, 31), "range", 0.9)
    return None


def _weekday(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    m = _WEEKDAY_ONLY.fullmatch(expr)
    if m is None or m["w"].lower().rstrip(".") not in WEEKDAYS or anchor is None:
        return None
    target = WEEKDAYS[m["w"].lower().rstrip(".")]
    rel = (m["rel"] or "").lower()
    back = (anchor.weekday() - target) % 7
    ahead = (target - anchor.weekday()) % 7
    if rel in ("last", "past"):
        day = anchor - dt.timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        day = anchor + dt.timedelta(days=ahead or 7)
    elif rel == "this":
        day = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=target)
    else:
        day = choose(anchor - dt.timedelta(days=back), anchor + dt.timedelta(days=ahead),
                     anchor, tense)
    return Resolution(day, day, "day", 0.8)


def _ago(expr: str, anchor: dt.date | None) -> Resolution | None:
    m = _AGO.fullmatch(expr)
    if m is None or anchor is None:
        return None
    count = _count(m["n"])
    unit = m["unit"].lower()
    if count is None:
        return None
    low, high = count
    fuzzy = low != high or bool(re.match(r"(?i)about|some|nearly|almost|around|roughly|more|"
                                         r"less|over", expr))
    if low != high:
        return Resolution(_shift(anchor, unit, high), _shift(anchor, unit, low), "range", 0.6)
    point = _shift(anchor, unit, low)
    if unit == "day":
        return Resolution(point, point, "day", 0.8 if not fuzzy else 0.6)
    if unit == "week":
        return Resolution(point - dt.timedelta(days=3), point + dt.timedelta(days=3), "week",
                          0.7 if not fuzzy else 0.6)
    start, end = _window(point, unit)
    return Resolution(start, end, unit, 0.7)


def _span_back(expr: str, anchor: dt.date | None) -> Resolution | None:
    m = _SPAN_BACK.fullmatch(expr)
    if m is None or anchor is None:
        return None
    count = _count(m["n"]) if m["n"] else (2, 2)
    if count is None:
        return None
    return Resolution(_shift(anchor, m["unit"].lower(), count[1]), anchor, "range", 0.6)


def _season(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    m = _SEASON.fullmatch(expr)
    if m is None:
        return None
    first, last = SEASONS[m["s"].lower()]
    def bounds(year: int) -> tuple[dt.date, dt.date]:
        start = dt.date(year if first <= last else year - 1, first, 1)
        return start, _month_end(year, last)
    if m["y"]:
        start, end = bounds(int(m["y"]))
        return Resolution(start, end, "range", 0.85)
    if anchor is None:
        return None
    rel = (m["rel"] or "").lower()
    years = [anchor.year - 1, anchor.year, anchor.year + 1]
    spans = [bounds(y) for y in years]
    ended = [s for s in spans if s[1] < anchor]
    current = [s for s in spans if s[0] <= anchor <= s[1]]
    coming = [s for s in spans if s[0] > anchor]
    if rel in ("last", "past"):
        pick = ended[-1]
    elif rel in ("next", "coming"):
        pick = coming[0]
    elif rel == "this" or current:
        pick = current[0] if current else (coming[0] if tense == "future" else ended[-1])
    else:
        pick = coming[0] if tense == "future" else ended[-1]
    return Resolution(pick[0], pick[1], "range", 0.7)


def _decade(expr: str, anchor: dt.date | None) -> Resolution | None:
    m = _DECADE.fullmatch(expr)
    if m is None:
        return None
    year = _year4(m["y"], anchor)
    return Resolution(dt.date(year, 1, 1), dt.date(year + 9, 12, 31), "range", 0.85)


def _holiday(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    m = re.fullmatch(r"(?:(?P<rel>last|this|next)\s+)?(?P<h>[a-z' ]+?)(?:,?\s+(?P<y>\d{4}))?",
                     expr.lower())
    if m is None or m["h"] not in HOLIDAYS:
        return None
    month, day = HOLIDAYS[m["h"]]
    if m["y"]:
        found = _safe_date(int(m["y"]), month, day)
    elif anchor is None:
        return None
    else:
        past, future = _year_candidates(month, day, anchor)
        rel = m["rel"] or ""
        tense = "past" if rel == "last" else "future" if rel == "next" else tense
        found = choose(past, future, anchor, tense)
    return Resolution(found, found, "day", 0.8) if found else None


def _partial_period(expr: str, anchor: dt.date | None) -> Resolution | None:
    m = _PARTIAL_PERIOD.fullmatch(expr)
    if m is None or anchor is None:
        return None
    start, end = _window(anchor, m["unit"].lower())
    if m["side"].lower() == "earlier":
        return Resolution(start, anchor, m["unit"].lower(), 0.7)
    return Resolution(anchor, end, m["unit"].lower(), 0.7)


def _modified(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    """``early``/``mid``/``late``/``the end of`` X: a third of X's window."""
    m = _MODIFIER.fullmatch(expr)
    if m is None:
        return None
    inner = resolve(m["rest"], anchor, tense)
    if inner is None:
        return None
    mod = m["mod"].lower().replace("the ", "")
    span = (inner.end - inner.start).days + 1
    third = max(1, span // 3)
    if mod.startswith(("early", "beginning", "start")):
        start, end = inner.start, inner.start + dt.timedelta(days=third - 1)
    elif mod.startswith(("mid", "middle")):
        start = inner.start + dt.timedelta(days=third)
        end = inner.start + dt.timedelta(days=2 * third - 1)
    else:
        start, end = inner.start + dt.timedelta(days=span - third), inner.end
    return Resolution(start, end, inner.precision, inner.confidence * 0.9)


@lru_cache(maxsize=4)
def _parsers(anchor: dt.date) -> tuple[Any, Any]:
    from dateparser.date import DateDataParser

    base = dt.datetime(anchor.year, anchor.month, anchor.day, 12, 0)
    common = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False,
              "PREFER_DAY_OF_MONTH": "first"}
    past = DateDataParser(languages=["en"], settings={**common, "PREFER_DATES_FROM": "past"})
    future = DateDataParser(languages=["en"], settings={**common, "PREFER_DATES_FROM": "future"})
    return past, future


def _dateparser(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    """dateparser's reading; for a year-less date, the past or future one by our rule."""
    if anchor is None:
        if not _HAS_YEAR.search(expr):
            return None
        anchor = dt.date(2000, 1, 1)  # only the explicit year matters here
    quick = _quick_reading(expr, anchor)
    if quick is not None:
        return quick
    try:
        past = _date_data(expr, anchor, "past")
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if past is None:
        return None
    day, period = past
    period = period if period in ("day", "week", "month", "year") else "day"
    if not _HAS_YEAR.search(expr) and not (set(expr.lower().split()) & (_PAST_WORDS |
                                                                           _FUTURE_WORDS |
                                                                           {"this", "today",
                                                                            "tomorrow"})):
        future = _date_data(expr, anchor, "future")
        if future is not None:
            later = future[0]
            if period == "month" and later.replace(day=1) <= anchor <= _month_end(later.year, later.month):
                day = later
            else:
                day = choose(day, later, anchor, tense) or day
    weekday = next((WEEKDAYS[w] for w in re.findall(r"[a-z]+", expr.lower()) if w in WEEKDAYS
                    and len(w) > 3), None)
    if weekday is not None and period == "day" and day.weekday() != weekday \
            and not _HAS_YEAR.search(expr):
        day = _year_by_weekday(day, weekday, anchor)
    start, end = _window(day, period)
    confidence = 0.9 if _HAS_YEAR.search(expr) else 0.75
    return Resolution(start, end, period, confidence)


_BARE_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_THIS_PERIOD = re.compile(r"(?i)(last|this|next) (week|month|year)")
_STEP = {"last": -1, "this": 0, "next": 1}


def _quick_reading(expr: str, anchor: dt.date) -> Resolution | None:
    """What dateparser reads, without it, for the commonest expressions it would be asked
    about: a bare year ("2012") and "last/this/next week/month/year" (checked against
    dateparser for every anchor of 2000–2030)."""
    if _BARE_YEAR.fullmatch(expr):
        year = int(expr)
        return Resolution(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", 0.9)
    m = _THIS_PERIOD.fullmatch(expr)
    if m is None:
        return None
    step, period = _STEP[m[1].lower()], m[2].lower()
    if period == "week":
        day = anchor + dt.timedelta(days=7 * step)
    elif period == "month":
        month = anchor.month - 1 + step
        year = anchor.year + month // 12
        month = month % 12 + 1
        day = dt.date(year, month, min(anchor.day, _month_end(year, month).day))
    else:
        day = _safe_date(anchor.year + step, anchor.month, anchor.day) or \
            dt.date(anchor.year + step, anchor.month, 28)
    start, end = _window(day, period)
    return Resolution(start, end, period, 0.75)


def _date_data(expr: str, anchor: dt.date, prefer: str) -> tuple[dt.date, str] | None:
    """dateparser's day and period for ``expr``, or None when it reads no date
    (``prefer``: "past" or "future", the side of ``anchor`` dateparser prefers dates from)."""
    direct = _calendar_reading(expr, anchor, prefer)
    if direct is not None:
        return direct
    past_parser, future_parser = _parsers(anchor)
    data = (past_parser if prefer == "past" else future_parser).get_date_data(expr)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period


#: "March", "Mar. 15", "March 2017", "March 15, 2017" (the month as in ``MONTHS``)
_MONTH_DATE = re.compile(r"(?P<month>[A-Za-z]+)(?P<dot>\.?)(?: (?P<day>[1-9]|[12]\d|3[01]))?"
                         r"(?:(?(day),) (?P<year>(?:19|20)\d\d))?")
#: anchors for which :func:`_calendar_reading` was checked against dateparser
_CHECKED_ANCHORS = (dt.date(2000, 1, 1), dt.date(2030, 12, 28))


def _calendar_reading(expr: str, anchor: dt.date, prefer: str) -> tuple[dt.date, str] | None:
    """What dateparser reads, without it, for a month name with an optional day and year
    ("March", "Mar. 15", "March 2017", "March 15, 2017"): the month (its first day) or the
    day, in the past or future year when no year is given (the anchor's own day counts as
    past).  None when dateparser must be asked: other expressions, impossible dates,
    February 29, and anchors after the 28th of a month, where dateparser's choice of year
    has quirks.  Checked against dateparser for every anchor from 2000-01-01 to 2030-12-28
    up to the 28th of its month (every month name; days around the anchor's; random days
    and years) and every spelling of ``MONTHS``; tests/test_perf_shortcuts.py keeps a
    sample."""
    m = _MONTH_DATE.fullmatch(expr)
    if m is None or anchor.day > 28 or not _CHECKED_ANCHORS[0] <= anchor <= _CHECKED_ANCHORS[1]:
        return None
    word = m["month"].lower()
    month = MONTHS.get(word)
    if month is None or (m["dot"] and word in _FULL_MONTH_NAMES):
        return None
    day = int(m["day"]) if m["day"] else None
    if m["year"]:
        found = _safe_date(int(m["year"]), month, day or 1)
        return (found, "day" if day else "month") if found else None
    if day is None:
        if prefer == "past":
            year = anchor.year if month <= anchor.month else anchor.year - 1
        else:
            year = anchor.year if month > anchor.month else anchor.year + 1
        return dt.date(year, month, 1), "month"
    if (month, day) == (2, 29) or _safe_date(2001, month, day) is None:
        return None
    this_year = dt.date(anchor.year, month, day)
    if prefer == "past":
        year = anchor.year if this_year <= anchor else anchor.year - 1
    else:
        year = anchor.year if this_year > anchor else anchor.year + 1
    return this_year.replace(year=year), "day"


def _year_by_weekday(day: dt.date, weekday: int, anchor: dt.date) -> dt.date:
    """The same month and day in the year nearest ``anchor`` that falls on ``weekday``."""
    options = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1)
               if (d := _safe_date(y, day.month, day.day)) and d.weekday() == weekday]
    return min(options, key=lambda d: abs((d - anchor).days)) if options else day


_RULES = (_numeric, _decade, _ago, _span_back, _partial_period)
_TENSED_RULES = (_range, _weekday, _season, _holiday, _modified, _dateparser)


def resolve(expr: str, anchor: dt.date | None, tense: str = "unknown") -> Resolution | None:
    """Normalise one time expression against ``anchor`` (the publication date).

    ``tense`` is ``past``, ``future`` or ``unknown`` (the grammar of its clause).  Returns
    None when the expression has no calendar value (a duration, "the new year").
    """
    found = _resolve(expr, anchor, tense)
    return dataclasses.replace(found) if found is not None else None  # callers may edit it


@lru_cache(maxsize=8192)
def _resolve(expr: str, anchor: dt.date | None, tense: str) -> Resolution | None:
    """:func:`resolve`, memoised: the same expressions ("last week", "on Monday") recur
    across the documents of a day, and dateparser is slow; the result depends on nothing
    but the arguments."""
    expr = _clean(expr)
    if not expr or _DURATION.fullmatch(expr):
        return None
    words = set(re.findall(r"[a-z]+", expr.lower()))
    if words & _FUTURE_WORDS:
        tense = "future"
    elif words & _PAST_WORDS:
        tense = "past"
    for rule in _RULES:
        found = rule(expr, anchor)
        if found:
            return found
    for rule in _TENSED_RULES:
        found = rule(expr, anchor, tense)
        if found:
            return found
    return None


def _clean(expr: str) -> str:
    expr = " ".join(expr.replace("\u2019", "'").split())
    expr = _LEADING.sub("", expr).strip(" ,.;:()[]")
    return expr


# --- grammar ----------------------------------------------------------------------------------


def tense_of(span: Span) -> str:
    """``past``, ``future`` or ``unknown``: the tense of the first verb governing ``span``.

    Non-finite verbs (gerunds, infinitives, bare participles) say nothing about when, so
    "discussed having a meeting on July 7-8" is ``unknown``; "will", "next", "scheduled"
    mean ``future``; a finite past form means ``past``.
    """
    token = span.root
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return _verb_tense(token)
        if token.head.i == token.i:
            break
        token = token.head
    return "unknown"


def _verb_tense(verb: Any) -> str:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"will", "shall", "'ll", "wo"} or verb.lemma_ in _FUTURE_VERBS:
        return "future"
    if aux & {"would", "could", "might", "may", "should", "must", "can"}:
        return "unknown"
    if verb.tag_ == "VBD" or aux & {"did", "was", "were", "had"}:
        return "past"
    if verb.tag_ == "VBN" and aux & {"has", "have"}:
        return "past"
    return "unknown"  # present, gerund, infinitive: the clause does not say when


# --- detection --------------------------------------------------------------------------------


def _candidate_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    text = doc.text if text is None else text
    spans = [(e.start_char, e.end_char) for e in doc.ents
             if e.label_ == "DATE" or (e.label_ == "TIME" and _DAY_WORDS.search(e.text))]
    month_starts = [m.start() for m in _MONTH_START.finditer(text)]
    for pattern in _DETECTORS:
        found = _matches_from(pattern, text, month_starts) if pattern in _MONTH_LED \
            else pattern.finditer(text)
        spans.extend((m.start(), m.end()) for m in found)
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if all(end <= a or start >= b for a, b in kept):
            kept.append((start, end))
    return sorted(kept)


def _matches_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches can only begin at ``starts``
    (ascending): the same non-overlapping matches, left to right."""
    out: list[re.Match[str]] = []
    free = 0  # where the next match may begin
    for start in starts:
        if start < free:
            continue
        m = pattern.match(text, start)
        if m is not None:
            out.append(m)
            free = m.end()
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading prepositions and surrounding punctuation from a span."""
    piece = text[start:end]
    lead = _LEADING.match(piece)
    if lead:
        start += lead.end()
    while start < end and text[start] in " ,;:([\"'\u201c":
        start += 1
    while end > start and text[end - 1] in " ,;:)]\"'\u201d.":
        if text[end - 1] == "." and re.search(rf"(?i)\b{_MONTH_RE}$|\b[A-Z]$", text[start:end]):
            break
        end -= 1
    return start, end


def parse_anchor(published: str | None) -> dt.date | None:
    """The anchor date of an ISO publication date (YYYY-MM-DD, YYYY-MM or YYYY)."""
    if not published:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published.strip())
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 6), int(m[3] or 15)
    return _safe_date(year, month, min(day, 28) if not m[3] else day)


def _latest_explicit(doc: Doc, spans: list[tuple[int, int]],
                     text: str | None = None) -> dt.date | None:
    """The latest fully explicit date in the text (day with year) as a fallback anchor."""
    text = doc.text if text is None else text  # Doc.text joins every token: read it once
    best = None
    for start, end in spans:
        expr = text[start:end]
        if not _HAS_YEAR.search(expr) and not _NUMERIC.search(expr):
            continue
        found = resolve(expr, None)
        if found and found.precision == "day" and (best is None or found.start > best):
            best = found.start
    return best


#: any date: tells whether an expression would have a value given an anchor
_PROBE_ANCHOR = dt.date(2001, 6, 15)


def find_timexes(doc: Doc, doc_id: str, published: str | None = None) -> list[Timex]:
    """Every time expression of ``doc`` that has a calendar value, as :class:`Timex`.

    The anchor is the publication date; without one, the latest fully explicit date in
    the text; without that, ``anchor`` is None and relative expressions ("last week") are
    recorded without a value.
    """
    text = doc_text(doc)
    spans = [_trim(text, s, e) for s, e in _candidate_spans(doc, text)]
    spans = [(s, e) for s, e in spans if e > s]
    anchor = parse_anchor(published)
    anchor_text = published if anchor else None
    if anchor is None:
        anchor = _latest_explicit(doc, spans, text)
        anchor_text = anchor.isoformat() if anchor else None
    out: list[Timex] = []
    for start, end in spans:
        expr = text[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        tense = tense_of(span) if span is not None and len(span) else "unknown"
        found = resolve(expr, anchor, tense)
        if found is None and not (anchor is None and resolve(expr, _PROBE_ANCHOR, tense)):
            continue  # no calendar value (a duration, "the new year")
        out.append(Timex(id=f"{doc_id}:t{len(out)}", text=expr, doc_id=doc_id, start=start,
                         end=end, stage=STAGE, stage_version=VERSION, anchor=anchor_text,
                         value_start=found.start.isoformat() if found else None,
                         value_end=found.end.isoformat() if found else None,
                         precision=found.precision if found else None,
                         confidence=found.confidence if found else None))
    return out
