"""Name normalisation shared by the knowledge base and the resolver.

Names are compared as tuples of *keys*: ASCII-folded, lower-cased alphanumeric words, so
"al-Qaeda", "al Qaeda" and "Al Qaeda" share a key, and "Erdoğan" matches "Erdogan".
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_WORD = re.compile(r"[A-Za-z0-9]+")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_ALNUM = re.compile(r"[^\W_]+")

#: particles that belong to a surname ("al-Assad", "de Mistura", "von der Leyen")
PARTICLES = frozenset(
    """
    al el bin ibn bint abu de del della di da dos du van von der den le la zu ben ould ter
    """.split()
)
#: name suffixes that are not surnames
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: family names that are also English pronouns or function words ("You Si-kun", "He Lifeng"):
#: such a word alone never names a person
WORD_SURNAMES = frozenset({"you", "he", "her", "man", "so", "do", "no", "on", "in", "an", "it"})
#: countries where the family name comes first in English usage
FAMILY_FIRST = frozenset({"CHN", "TWN", "KOR", "PRK", "KHM", "SGP", "HKG", "MAC"})


#: transliteration variants of common given names, each mapped to one spelling: Ukrainian,
#: Belarusian and Russian forms of one name ("Volodymyr"/"Vladimir", "Oleksandr"/"Aleksandr"/
#: "Alyaksandr"), and the romanisations of Arabic names ("Mohamed"/"Muhammad").  Used only to
#: compare a name with the names of knowledge-base people sharing its surname.
_GIVEN_GROUPS = (
    "vladimir volodymyr uladzimir wladimir",
    "alexander aleksandr oleksandr alyaksandr alexandr aleksander",
    "alexei aleksei alexey aleksey oleksiy oleksii olexiy",
    "dmitry dmitri dmitriy dmytro dzmitry",
    "sergei sergey serhiy serhii siarhei",
    "andrei andrey andriy andrii andrej",
    "yuri yury yuriy yurii",
    "nikolai nikolay mykola mikalai",
    "mikhail mykhailo mikhail mikhaylo",
    "yevgeny yevgeniy evgeny evgeni yevhen yevhenii",
    "viktor victor",
    "pavel pavlo",
    "anatoly anatoliy anatolii",
    "valery valeriy valerii",
    "vitaly vitaliy vitalii",
    "maksim maxim maksym",
    "mohammed muhammad mohamed mohammad mohamad muhammed mohamad",
    "ahmed ahmad",
    "mahmoud mahmud",
    "hussein hussain husain husayn hossein",
    "hassan hasan",
    "abdel abdul abd",
    "yusuf yousef youssef yousuf",
    "omar umar",
    "osama usama",
)
GIVEN_VARIANTS = {w: g.split()[0] for g in _GIVEN_GROUPS for w in g.split()}


def given_form(word: str) -> str:
    """One spelling for the transliteration variants of a given name (a key)."""
    return GIVEN_VARIANTS.get(word, word)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """ASCII-folded lower-case text ("Élysée" -> "elysee")."""
    return unidecode(text).lower()


def keys(text: str) -> tuple[str, ...]:
    """The word keys of ``text`` ("U.S. Secretary" -> ("u", "s", "secretary"))."""
    return tuple(_WORD.findall(fold(text)))


def key(text: str) -> str:
    """One string key for ``text`` (words joined by single spaces)."""
    return " ".join(keys(text))


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Every alphanumeric word of ``text`` with its character span, as (key, start, end).

    Folding is done per word, so offsets stay exact even where ``unidecode`` changes the
    length of a character.
    """
    if text.isascii():  # every word is [A-Za-z0-9]+: its key is the word lower-cased
        return [(m.group().lower(), m.start(), m.end()) for m in _ALNUM.finditer(text)]
    out = []
    for match in _ALNUM.finditer(text):
        word = match.group()
        if word.isascii():  # [A-Za-z0-9]+ only: its key is the word lower-cased
            out.append((word.lower(), match.start(), match.end()))
            continue
        folded = fold(word)
        parts = _WORD.findall(folded)
        if not parts:
            continue
        if len(parts) == 1:
            out.append((parts[0], match.start(), match.end()))
            continue
        for part in parts:  # a word unidecode splits ("Ünal" stays one; rare)
            out.append((part, match.start(), match.end()))
    return out


def strip_disambiguation(name: str) -> str:
    """ "William J. Burns (diplomat)" -> "William J. Burns"."""
    return _PAREN.sub("", name).strip()


def person_parts(
    name: str, country: str | None = None
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(given-name key, surname key, all keys) of a person's name.

    The surname keeps a preceding particle ("al assad"); for family-first countries the
    first word is the surname.
    """
    words = [w for w in keys(strip_disambiguation(name))]
    while words and words[-1] in SUFFIXES:
        words.pop()
    if not words:
        return None, None, ()
    if len(words) == 1:
        return None, words[0], tuple(words)
    raw_words = strip_disambiguation(name).split()
    if country in FAMILY_FIRST and (len(words[0]) <= 4 or "-" in raw_words[-1]):
        return words[-1], words[0], tuple(words)  # "Xi Jinping", "Chung Eui-yong"; not "Joseph Wu"
    surname = words[-1]
    if len(words) >= 3 and words[-2] in PARTICLES:
        surname = f"{words[-2]} {words[-1]}"
    return words[0], surname, tuple(words)


def is_acronym(alias: str) -> bool:
    """Whether ``alias`` is written in capitals only ("NATO", "U.S.", "ISIS", "G20")."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6


def surface_ok(alias: str, surface: str) -> bool:
    """Whether text ``surface`` may be read as ``alias`` given capitalisation.

    Acronyms must be written in capitals ("US", not "us"; "Nato" is accepted for aliases of
    four letters or more); other aliases must be capitalised in the text when they are in
    the alias ("Pentagon", not "pentagon"), unless the text is shouted in capitals.
    """
    letters = [c for c in surface if c.isalpha()]
    if not letters:
        return True
    if is_acronym(alias):
        if all(c.isupper() for c in letters):
            return True
        alias_letters = [c for c in alias if c.isalpha()]
        return len(alias_letters) >= 4 and surface[:1].isupper() and "." not in alias
    first_alias = next((c for c in alias if c.isalpha()), "")
    if first_alias.isupper() and not surface[:1].isupper() and not surface[:1].isdigit():
        # "the Kremlin" vs "the kremlin": the first capitalised word must stay capitalised
        words = surface.split()
        alias_words = alias.split()
        if len(words) == len(alias_words):
            return all(not a[:1].isupper() or w[:1].isupper() for a, w in zip(alias_words, words))
        return any(w[:1].isupper() for w in words)
    if all(c.islower() for c in letters) and any(c.isupper() for c in alias):
        return False
    return True


def slug(text: str) -> str:
    """A stable id fragment for ``text``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"
