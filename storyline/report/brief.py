"""``storyline brief``: write the briefing of what is stored as HTML, Markdown, JSON or PDF."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StoreError
from .content import build
from .queries import CORROBORATION, Filters
from .render import render_html, render_markdown

FORMATS = ("html", "md", "json", "pdf")
#: an ISO date, day or month optional (what --since/--until and the API accept)
DATE_PATTERN = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"


def make_filters(since: str | None = None, until: str | None = None, actor: str | None = None,
                 zone: str | None = None, story: str | None = None, **more: Any) -> Filters:
    """Filters from options, checked: dates must be ISO (YYYY, YYYY-MM or YYYY-MM-DD)."""
    import re

    for name, value in (("since", since), ("until", until)):
        if value and not re.fullmatch(DATE_PATTERN, value):
            raise ConfigError(f"--{name} {value!r} is not a date",
                              hint="use YYYY-MM-DD, YYYY-MM or YYYY")
    corroboration = more.get("corroboration")
    if corroboration and corroboration not in CORROBORATION:
        raise ConfigError(f"unknown corroboration {corroboration!r}",
                          hint=f"one of {', '.join(CORROBORATION)}")
    return Filters(since=since or None, until=until or None, actor=actor or None,
                   zone=zone or None, story=story or None, type=more.get("type") or None,
                   modality=more.get("modality") or None, corroboration=corroboration or None)


def write_brief(store: Any, out_dir: Path, settings: Any, *,
                formats: Iterable[str] = ("html", "md", "json"), since: str | None = None,
                until: str | None = None, actor: str | None = None, zone: str | None = None,
                story: str | None = None, title: str | None = None) -> dict[str, str]:
    """Build the briefing from ``store`` and write ``brief.<format>`` files into ``out_dir``;
    returns format → written path."""
    formats = [f.lower() for f in ([formats] if isinstance(formats, str) else formats)]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ConfigError(f"unknown format(s) {', '.join(unknown)}",
                          hint=f"one of {', '.join(FORMATS)}")
    filters = make_filters(since, until, actor, zone, story)
    if story and not store.scalar("SELECT 1 FROM stories WHERE id=?", (story,)):
        from ..errors import NotFound

        raise NotFound(f"no story {story!r} in {store.path}", hint="see `storyline stories`")
    data = build(store, settings, filters, title)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    written: dict[str, str] = {}
    html = None
    for fmt in formats:
        path = out_dir / f"brief.{fmt}"
        if fmt == "json":
            _write(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        elif fmt == "md":
            _write(path, render_markdown(data))
        elif fmt == "html":
            html = html or render_html(data)
            _write(path, html)
        elif fmt == "pdf":
            from .pdf import html_to_pdf

            html = html or render_html(data)
            html_to_pdf(html, path, settings.report.chromium)
        written[fmt] = str(path)
    return written


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from None
