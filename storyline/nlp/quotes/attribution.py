"""The attribution record and the stage's name and version."""

from __future__ import annotations

import dataclasses


STAGE = "quotes"
VERSION = "5"
#: quoted words inside an indirect quotation become a record of their own from this length
MIN_QUOTED_WORDS = 2


@dataclasses.dataclass
class Attribution:
    """One attribution relation: who (source), how (cue), what (content parts)."""

    cue: tuple[int, int]
    contents: list[tuple[int, int]]
    source: tuple[int, int] | None = None
    kind: str = "indirect"
    speaker: tuple[int, int] | None = None  # resolved speaker span (antecedent, institution)
    anonymous: bool = False
    reported_by: str | None = None
    confidence: float = 0.7
    quoted: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # exact words
