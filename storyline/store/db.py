"""The store: one SQLite file in WAL mode, opened and migrated here.

Readers never block on a writer (WAL).  Writers serialise: an ingest takes the store's
write lock (a lock file beside the database) so a second ingest is refused with a clear
message instead of interleaving.  Every document is written in one transaction, so a
killed ingest leaves whole documents only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import operator
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import CorruptStore, SchemaTooNew, StoreError, StoreLocked
from ..records import Record
from ..records import encode_json as encode
from . import schema

SQLITE_MAGIC = b"SQLite format 3\x00"
RECOVER_HINT = "recover with: storyline db recover --db {path}"


def _check_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a store file")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != SQLITE_MAGIC:
        raise CorruptStore(f"{path} is not a SQLite database (damaged or another kind of file)",
                           hint=RECOVER_HINT.format(path=path))


def _row_values(rows: list[dict[str, Any]], keys: list[str]) -> list[tuple[Any, ...]]:
    """The values of ``keys`` in each row (None where a row lacks one)."""
    if len(keys) > 1:
        getter = operator.itemgetter(*keys)
        try:
            return [getter(r) for r in rows]
        except KeyError:  # a row without some key: read them one by one
            pass
    return [tuple(r.get(k) for k in keys) for r in rows]


@functools.lru_cache(maxsize=None)
def _row_fields(cls: type[Record]) -> tuple[tuple[str, bool], ...]:
    """``(field name, kept as JSON)`` of each field of a record class, in field order."""
    return tuple((f.name, f.name in cls.JSON_FIELDS) for f in dataclasses.fields(cls))


def _row_of(record: Record) -> tuple[Any, ...]:
    """The values of ``record.to_row()``, in field order, without building the dict."""
    values = []
    for name, as_json in _row_fields(type(record)):
        value = getattr(record, name)
        values.append(encode(value) if as_json else
                      int(value) if isinstance(value, bool) else value)
    return tuple(values)


class Store:
    """An open store.  Use :func:`open_store` (or ``with open_store(...) as store``)."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False,
                 busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        self.readonly = readonly
        _check_file(self.path)
        if readonly and not self.path.exists():
            raise StoreError(f"no store at {self.path}", hint="run `storyline ingest` first")
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000,
                                            check_same_thread=False, isolation_level=None)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000,
                                            check_same_thread=False, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                migrate(self.conn)
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            raise CorruptStore(f"cannot open store {self.path}: {exc}",
                               hint=RECOVER_HINT.format(path=self.path)) from None
        self._columns: dict[str, list[str]] = {}
        self._lock_fh: Any = None

    # --- life cycle ---------------------------------------------------------------------

    def close(self) -> None:
        self.release_write_lock()
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_version(self) -> None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError:
            raise StoreError(f"{self.path} is not a Storyline store (no meta table)") from None
        if row and int(row[0]) > schema.SCHEMA_VERSION:
            raise SchemaTooNew(f"store {self.path} has schema {row[0]}, this Storyline knows "
                               f"{schema.SCHEMA_VERSION}", hint="upgrade storyline")

    def acquire_write_lock(self) -> None:
        """Take the store's writer lock or raise :class:`StoreLocked` at once."""
        if self._lock_fh is not None:
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        fh = open(lock_path, "a+")  # noqa: SIM115 - held for the life of the writer
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise StoreLocked(f"store {self.path} is being written by {holder}",
                              hint="wait for that ingest to finish, or use another --db") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        self._lock_fh = fh

    def release_write_lock(self) -> None:
        if self._lock_fh is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fh, fcntl.LOCK_UN)
                self._lock_fh.close()
            self._lock_fh = None

    # --- generic access -----------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, rolled back on error)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            rows = self.conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            if not rows:
                raise StoreError(f"unknown table {table!r}")
            self._columns[table] = [r[1] for r in rows]
        return self._columns[table]

    def insert_rows(self, table: str, rows: Iterable[dict[str, Any]], *, replace: bool = True) -> int:
        """Insert dict rows; keys must be columns of ``table``.  Returns the row count."""
        rows = list(rows)
        if not rows:
            return 0
        keys = list(rows[0])
        return self._insert_values(table, keys, _row_values(rows, keys), replace=replace)

    def _insert_values(self, table: str, keys: Sequence[str], values: list[tuple[Any, ...]],
                       *, replace: bool) -> int:
        """Insert ``values`` (tuples in the order of ``keys``, columns of ``table``)."""
        known = set(self.columns(table))
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise StoreError(f"table {table} has no column(s) {unknown}")
        cols = ", ".join(f'"{k}"' for k in keys)
        marks = ", ".join("?" for _ in keys)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.conn.executemany(f"{verb} INTO {table} ({cols}) VALUES ({marks})", values)
        return len(values)

    def insert(self, records: Iterable[Record], *, replace: bool = True) -> int:
        """Insert records, grouped by their ``TABLE`` (rows as :meth:`Record.to_row` makes
        them, built as tuples directly for the records that do not override it)."""
        by_table: dict[str, list[Record]] = {}
        for record in records:
            by_table.setdefault(record.TABLE, []).append(record)
        count = 0
        for table, group in by_table.items():
            cls = type(group[0])
            if cls.to_row is Record.to_row and all(type(r) is cls for r in group):
                keys = [name for name, _ in _row_fields(cls)]
                count += self._insert_values(table, keys, [_row_of(r) for r in group],
                                             replace=replace)
            else:
                count += self.insert_rows(table, [r.to_row() for r in group], replace=replace)
        return count

    def fetch(self, cls: type[Any], where: str = "", params: Sequence[Any] = (),
              order: str = "") -> list[Any]:
        """Records of ``cls`` (a :class:`Record` subclass) matching ``where``."""
        sql = f"SELECT * FROM {cls.TABLE}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        return [cls.from_row(r) for r in self.conn.execute(sql, params)]

    def meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key=?", (key,))
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` plus Storyline's own invariants; [] when healthy."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        dup = self.query("SELECT content_sha256, COUNT(*) n FROM documents "
                         "GROUP BY content_sha256 HAVING n > 1")
        problems += [f"content {r[0][:12]} stored {r[1]} times" for r in dup]
        orphans = self.scalar("SELECT COUNT(*) FROM documents d LEFT JOIN raw_inputs r "
                              "ON r.sha256 = d.raw_sha256 WHERE d.raw_sha256 IS NOT NULL "
                              "AND r.sha256 IS NULL")
        if orphans:
            problems.append(f"{orphans} document(s) without their raw input")
        return problems


def open_store(path: str | os.PathLike[str] | None = None, *, readonly: bool = False,
               busy_timeout_ms: int = 5000) -> Store:
    """Open (and create or migrate) the store at ``path`` (default: settings' store path)."""
    if path is None:
        from ..settings import load

        path = load().store.path
    return Store(path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)


# --- migration ---------------------------------------------------------------------------

_NAME = re.compile(r"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(\w+)", re.I)


def _existing_tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _declared_columns(ddl: str) -> list[tuple[str, str]]:
    mem = sqlite3.connect(":memory:")
    try:
        mem.execute(ddl)
        table = _NAME.search(ddl).group(1)  # type: ignore[union-attr]
        return [(r[1], r[2]) for r in mem.execute(f'PRAGMA table_info("{table}")')]
    finally:
        mem.close()


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date: create missing tables and columns, run numbered steps."""
    existing = _existing_tables(conn)
    current = 0
    if "meta" in existing:
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        current = int(row[0]) if row else 0
    if current > schema.SCHEMA_VERSION:
        raise SchemaTooNew(f"store schema {current} is newer than this Storyline's "
                           f"({schema.SCHEMA_VERSION})", hint="upgrade storyline")
    conn.execute("BEGIN IMMEDIATE")
    try:
        _apply(conn, existing, current)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _apply(conn: sqlite3.Connection, existing: set[str], current: int) -> None:
    for name, ddl in schema.TABLES.items():
        if name not in existing:
            conn.execute(ddl)
            continue
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}
        for column, kind in _declared_columns(ddl):
            if column not in have:
                conn.execute(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {kind}')
    for name, ddl in schema.FTS.items():
        if name not in existing:
            conn.execute(ddl)
    for ddl in schema.INDEXES + schema.TRIGGERS:
        conn.execute(ddl)
    for version in sorted(v for v in schema.MIGRATIONS if v > current):
        for sql in schema.MIGRATIONS[version]:
            conn.execute(sql)
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                 (str(schema.SCHEMA_VERSION),))
