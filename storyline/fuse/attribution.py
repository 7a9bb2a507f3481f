"""Who a statement rests on: attributed sources inside a sentence, and source keys.

``source_key("the White House's readout")`` and ``source_key("U.S. statement")`` give the
same key (``"USA/executive"``) through a small table of governments, their seats and
offices (``data/institutions.json``); outlets go through the outlet alias table.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from .outlets import known_outlet, outlet_key

DATA = Path(__file__).resolve().parent / "data" / "institutions.json"

_CAP = r"[A-Z][\w.'’\-]*"
_NAME = rf"(?:{_CAP}|U\.S\.)(?:\s+(?:of\s+|and\s+)?{_CAP}){{0,4}}"
_DOC = r"(?:readout|statement|communiqu[ée]|transcript|press release|release)"

#: patterns naming the source a statement rests on; group ``name``
_ATTRIBUTIONS = (
    re.compile(rf"\b[Aa]ccording to (?:the |a )?(?P<name>{_NAME})(?:’s|'s)?\s+{_DOC}"),
    re.compile(rf"\b(?:[Aa]|[Tt]he|[Aa]n)\s+(?P<name>{_NAME})\s+{_DOC}\s+"
               r"(?:said|says|stated|states|noted|added|read)"),
    re.compile(rf"\b(?:[Tt]he\s+)?(?P<name>{_NAME})(?:’s|'s)\s+{_DOC}\s+"
               r"(?:said|says|stated|states|noted|added|read)"),
    re.compile(rf"\([^()]*?(?P<name>{_NAME})\s+{_DOC},\s*\d"),
)


@functools.lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, str], tuple[str, ...]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    aliases = {}
    for key, names in data["groups"].items():
        for name in names:
            aliases[_fold(name)] = key
    return aliases, tuple(data.get("document_words", []))


def _fold(name: str) -> str:
    name = name.replace("’", "'").strip(" .,;:\"'")
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    name = re.sub(r"'s$", "", name)
    return re.sub(r"\s+", " ", name).casefold()


def strip_document_words(name: str) -> str:
    """ "White House readout" → "White House"; "Putin's spokesman" stays (a known alias)."""
    folded = _fold(name)
    aliases, doc_words = _groups()
    if folded in aliases:
        return folded
    for word in sorted(doc_words, key=len, reverse=True):
        folded = re.sub(rf"(?:'s)?\s+{re.escape(word)}$", "", folded)
    return _fold(folded)


def source_key(name: str | None) -> str:
    """A comparison key for a source: government/institution group, outlet, or the name."""
    if not name:
        return ""
    aliases, _ = _groups()
    folded = _fold(name)
    if folded in aliases:
        return aliases[folded]
    bare = strip_document_words(name)
    if bare in aliases:
        return aliases[bare]
    # the longest known alias inside the name ("Russian Defense Ministry spokesman")
    for alias in sorted(aliases, key=len, reverse=True):
        if len(alias) > 3 and re.search(rf"\b{re.escape(alias)}\b", bare):
            return aliases[alias]
    if known_outlet(name) or known_outlet(bare):
        return outlet_key(known_outlet(name) or known_outlet(bare))
    return bare


def same_source(a: str | None, b: str | None) -> bool:
    return bool(a and b) and source_key(a) == source_key(b)


def attributed_source(text: str) -> str | None:
    """The statement a sentence says it rests on ("According to the White House’s
    readout, …" → "White House readout"), or None."""
    for pattern in _ATTRIBUTIONS:
        m = pattern.search(text)
        if m:
            name = re.sub(r"['’]s$", "", m.group("name"))
            doc = re.search(_DOC, m.group(0)[m.end("name") - m.start():])
            return f"{name} {doc.group(0)}" if doc else name
    return None
