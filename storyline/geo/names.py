"""Normalising place names into lookup keys."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"[’'`‘ʼʻ´]")
_SEPARATORS = re.compile(r"[-‐‑–—_/.,()]+")
_SPACES = re.compile(r"\s+")
ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ath|adh|ul)\s+(?=\S{3,})")
LEADING_THE = re.compile(r"^the\s+")
#: generic words after a proper name that do not change which place is meant
ADMIN_SUFFIX = re.compile(
    r"\s+(?:county|parish|district|province|governorate|oblast|region|prefecture|state|"
    r"municipality|department|canton|borough|rayon|raion|krai|kray|city|city of)$")


_NON_LATIN = re.compile(r"[^\x00-\u024F\u0300-\u036F\u1E00-\u1EFF\u2018-\u201F]")


def fold(text: str) -> str:
    """Lower case without accents."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_key(text: str) -> str:
    """The lookup key of a name: folded, apostrophes dropped, separators as spaces,
    a leading "the" dropped ("The Hague" and "the hague" and "Hague" differ only by it)."""
    key = _APOSTROPHES.sub("", fold(text))
    key = _SEPARATORS.sub(" ", key)
    key = _SPACES.sub(" ", key).strip()
    return LEADING_THE.sub("", key)


def variant_keys(key: str) -> list[str]:
    """Weaker keys of a name: without an Arabic article ("al bab" → "bab") and without
    a generic administrative suffix ("fulton county" → "fulton")."""
    out = []
    stripped = ARABIC_ARTICLE.sub("", key)
    if stripped != key:
        out.append(stripped)
    no_suffix = ADMIN_SUFFIX.sub("", key)
    if no_suffix != key and len(no_suffix) >= 3:
        out.append(no_suffix)
    return out


def is_latin(text: str) -> bool:
    """True when the name is written in Latin letters (after folding accents)."""
    return text.isascii() or _NON_LATIN.search(text) is None
