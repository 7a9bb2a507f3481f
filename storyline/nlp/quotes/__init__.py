"""Quotations and claims: who said what, found in the parse.

Three passes over a parsed document:

1. **Direct quotes** are found from the quotation marks themselves (straight or curly,
   mixed, single curly quotes outside double ones, quotes running over several paragraphs
   by the typographic convention, unbalanced marks closed at the paragraph end).  Each is
   attributed by its surroundings: a cue verb just before it ("told reporters that “…”",
   "said: “…”"), just after it ("“…,” said Capt. Jeff Davis", "“…,” according to the
   Kremlin"), a colon after a clause with a subject, a signature line ("” ― Ana Ruiz"),
   or, for a quote standing alone, the speaker of the quote before it in the same
   paragraph.  A quotation inside the clause its cue governs makes that clause the content
   ("said “local forces” must lead").
2. **Indirect speech** comes from the dependency parse: a cue verb (say, tell, warn,
   claim, believe, …) with a clausal complement ("said that …", "…, officials said"),
   phrasal cues ("pointed out", "made it clear"), "according to X" attached to a clause,
   and a survey framing a clause ("In the latest poll, …"); in broad mode also positions
   and intentions without a clause ("criticized Trump", "plans to open …").
3. **Speakers** are resolved: pronouns to the nearest preceding person, relative pronouns
   to the noun they modify, readouts and statements ("the White House's readout", "the
   Kremlin statement") to their institution; unnamed people ("a U.S. official", "officials
   familiar with the talks") are marked anonymous; a quotation reported inside another
   one's content ("he told them that “…”, a Russian diplomat said") keeps its speaker and
   records who reported it.

The internal :class:`Attribution` keeps the raw source span (as annotated in PolNeAR) and
the content as several parts; :func:`find_quotes` turns attributions into
:class:`~storyline.nlp.types.Quote` records (one per content part).

Modules: :mod:`.marks` (quotation marks), :mod:`.spans` (character spans and content
boundaries), :mod:`.cues` (cue verbs, their spans and subjects), :mod:`.direct`,
:mod:`.indirect`, :mod:`.stance`, :mod:`.nouns` and :mod:`.headlines` (the constructions),
:mod:`.speakers` (speaker resolution), :mod:`.lexicon` (word lists) and :mod:`.reading`
(putting it together).
"""

from __future__ import annotations

from .attribution import MIN_QUOTED_WORDS, STAGE, VERSION, Attribution
from .lexicon import (
    ANONYMOUS_HEADS,
    EVIDENCE_NOUNS,
    NAMING_VERBS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    POSITION_NOUNS,
    QUOTING_VERBS,
    RAISING_VERBS,
    RELATIVE_PRONOUNS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    STANCE_VERBS,
    STANCE_VERBS_MORE,
    STATEMENT_NOUNS,
    THOUGHT_VERBS,
)
from .marks import quote_spans
from .reading import extract, find_quotes
from .spans import _text

__all__ = [
    "ANONYMOUS_HEADS", "EVIDENCE_NOUNS", "MIN_QUOTED_WORDS", "NAMING_VERBS", "PERSON_PRONOUNS",
    "PLURAL_PRONOUNS", "POSITION_NOUNS", "QUOTING_VERBS", "RAISING_VERBS", "RELATIVE_PRONOUNS",
    "REPORTING_VERBS", "SPEECH_VERBS", "STAGE", "STANCE_VERBS", "STANCE_VERBS_MORE",
    "STATEMENT_NOUNS", "THOUGHT_VERBS", "VERSION", "Attribution", "extract", "find_quotes",
    "quote_spans", "_text",
]
