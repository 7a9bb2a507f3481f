"""Outlet names: one canonical spelling per outlet, from a small alias table (data file).

``normalize_outlet("New York Times")`` → ``"The New York Times"``; a name that is not in
the table is kept as written, with a leading "the" dropped and whitespace tidied.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "outlets.json"

_SPACE = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.I)
_TRAILING = re.compile(r"[\s,.;:'’\"]+$")


def _key(name: str) -> str:
    name = _SPACE.sub(" ", name.strip()).strip("\"'“”‘’ ")
    name = _TRAILING.sub("", name)
    return _LEADING_THE.sub("", name).casefold()


@functools.lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for canonical, info in data["outlets"].items():
        kinds[canonical] = info.get("kind", "")
        for alias in [canonical, *info.get("aliases", [])]:
            aliases.setdefault(_key(alias), canonical)
    return aliases, kinds, frozenset(data.get("outlet_words", []))


def known_outlet(name: str) -> str | None:
    """The canonical name of ``name`` if the alias table knows it."""
    if not name:
        return None
    return _table()[0].get(_key(name))


def normalize_outlet(name: str | None) -> str | None:
    """Canonical outlet name; unknown names are tidied (no leading "the")."""
    if not name:
        return None
    canonical = known_outlet(name)
    if canonical:
        return canonical
    tidy = _TRAILING.sub("", _SPACE.sub(" ", name.strip()).strip("\"'“”‘’ "))
    return _LEADING_THE.sub("", tidy) or None


def outlet_kind(name: str | None) -> str:
    """wire, newspaper, broadcaster, magazine, online, syndicator, or "" when unknown."""
    canonical = known_outlet(name or "")
    return _table()[1].get(canonical, "") if canonical else ""


def looks_like_outlet(name: str) -> bool:
    """True for a known outlet, a web domain, or a proper name with a press word
    ("Al-Monitor", "Kyiv Independent", "Daily Ledger")."""
    if known_outlet(name):
        return True
    words = re.findall(r"[\w.-]+", name)
    if not words or not name[:1].isupper() and not name.lower().startswith("the "):
        return False
    if re.search(r"\.(com|org|net|co\.uk|ru|de|fr)\b", name, re.I):
        return True
    press_words = _table()[2]
    return any(part.lower() in press_words for word in words for part in word.split("-"))


def outlet_key(name: str | None) -> str:
    """A comparison key: canonical name, case-folded, without a leading "the"."""
    return _key(normalize_outlet(name) or "")
