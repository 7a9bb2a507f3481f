"""Base for every extracted item that is stored: provenance and row conversion.

Each stage owns its data types (``storyline/<stage>/types.py``); they are dataclasses that
derive from :class:`Record` and name the store table they live in (``TABLE``).  The store
writes and reads them generically, so a stage never writes SQL for its own items.

Every extracted item carries provenance: the document id, the character span in the
document's *clean* text (``start``/``end``; the document's offset map turns it into raw
offsets), the stage and its version, and a confidence where a model decides.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar, TypeVar

R = TypeVar("R", bound="Record")


def encode_json(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bytes)):
        return value
    if isinstance(value, bool):
        return int(value)
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclasses.dataclass(kw_only=True)
class Record:
    """A stored item.  Subclasses set ``TABLE`` and ``JSON_FIELDS`` (fields kept as JSON)."""

    TABLE: ClassVar[str] = ""
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ()

    def to_row(self) -> dict[str, Any]:
        row = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            row[f.name] = encode_json(value) if f.name in self.JSON_FIELDS else (
                int(value) if isinstance(value, bool) else value
            )
        return row

    @classmethod
    def from_row(cls: type[R], row: Any) -> R:
        data = dict(row)
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {}
        for name in names:
            if name not in data:
                continue
            value = data[name]
            if name in cls.JSON_FIELDS and isinstance(value, str):
                value = json.loads(value)
            kwargs[name] = value
        return cls(**kwargs)


@dataclasses.dataclass(kw_only=True)
class Span(Record):
    """An extracted item anchored to a span of one document's clean text."""

    doc_id: str = ""
    start: int = 0
    end: int = 0
    stage: str = ""
    stage_version: str = ""
    confidence: float | None = None


class RecentKeys:
    """Membership of the last ``size`` keys seen, as 64-bit hashes: bounded memory for the
    in-run duplicate checks of a stream of any length (older keys are already in the store,
    where the next check finds them)."""

    def __init__(self, size: int = 50_000) -> None:
        import collections

        self.size = size
        self._keys: collections.OrderedDict[int, None] = collections.OrderedDict()

    @staticmethod
    def _hash(key: str) -> int:
        import hashlib

        return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                              digest_size=8).digest(), "big")

    def __contains__(self, key: str) -> bool:
        return self._hash(key) in self._keys

    def add(self, key: str) -> None:
        h = self._hash(key)
        self._keys[h] = None
        self._keys.move_to_end(h)
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)

    def __len__(self) -> int:
        return len(self._keys)
