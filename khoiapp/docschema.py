"""A ``.khoi`` file from outside runs nothing: hardened connections and a schema check on open.

Every connection gets ``PRAGMA trusted_schema=OFF`` (SQL functions with side effects may not run
from the schema: views, triggers, defaults, generated columns) and SQLite's defensive mode (no
``writable_schema``, no direct writes to shadow tables). Before a document is read, upgraded or
written, :func:`check_schema` compares ``sqlite_master`` with what the app's migrations create:
a trigger, a view, a virtual table or a table the app does not know is refused, and the file is
left as it was (nothing is written before the check passes).
"""

from __future__ import annotations

import ctypes
import logging
import sqlite3
import sys
from pathlib import Path

from khoiapp.errors import DocumentSchemaError

log = logging.getLogger(__name__)

__all__ = ["KNOWN_TABLES", "check_columns", "check_schema", "harden"]

_SQLITE_DBCONFIG_DEFENSIVE = 1010
_SQLITE_INTERNAL = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}


def _known_tables() -> frozenset[str]:
    from khoiapp.models import Base

    # Every table of every revision: revisions only add tables so far (0001, 0002: import_record).
    return frozenset(Base.metadata.tables) | {"alembic_version"} | _SQLITE_INTERNAL


KNOWN_TABLES = _known_tables()


def _set_defensive(conn: sqlite3.Connection) -> bool:
    """Turn on SQLITE_DBCONFIG_DEFENSIVE; True if it is on afterwards."""
    setconfig = getattr(conn, "setconfig", None)  # Python 3.12+
    if setconfig is not None:
        setconfig(_SQLITE_DBCONFIG_DEFENSIVE, True)
        return bool(conn.getconfig(_SQLITE_DBCONFIG_DEFENSIVE))  # type: ignore[attr-defined]
    if sys.implementation.name != "cpython":  # pragma: no cover
        return False
    try:
        import _sqlite3

        try:
            db_config = ctypes.CDLL(_sqlite3.__file__).sqlite3_db_config  # Linux/macOS: the library it links
        except AttributeError:  # Windows: the symbol lives in the sqlite3.dll the extension loaded
            db_config = ctypes.CDLL("sqlite3.dll").sqlite3_db_config
        db_config.restype = ctypes.c_int
        # CPython's connection object starts with the sqlite3* handle right after PyObject_HEAD.
        handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
        if not handle:
            return False
        out = ctypes.c_int(-1)
        db_config(ctypes.c_void_p(handle), ctypes.c_int(_SQLITE_DBCONFIG_DEFENSIVE), ctypes.c_int(1), ctypes.byref(out))
        return out.value == 1
    except (OSError, AttributeError, ValueError):  # pragma: no cover - no symbol (e.g. a static build)
        return False


def harden(conn: sqlite3.Connection) -> None:
    """``trusted_schema=OFF`` and defensive mode on ``conn`` (before it reads any table)."""
    conn.execute("PRAGMA trusted_schema=OFF")
    if not _set_defensive(conn):
        log.info("SQLite defensive mode is not available here; trusted_schema=OFF still holds")


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a document whose schema holds what the app never creates.

    Reads ``sqlite_master`` only (no table, view or trigger runs). Refused: any trigger, any view,
    any virtual table, any table not in :data:`KNOWN_TABLES`, and an index on such a table.

    Raises:
        DocumentSchemaError: listing what was found (at most a few names).
    """
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    found: list[str] = []
    for kind, name, table, sql in rows:
        text = (sql or "").lstrip().upper()
        if kind == "trigger":
            found.append(f"trigger «{name}»")
        elif kind == "view":
            found.append(f"view «{name}»")
        elif kind == "table" and text.startswith("CREATE VIRTUAL TABLE"):
            found.append(f"bảng ảo «{name}»")
        elif kind == "table" and name not in KNOWN_TABLES:
            found.append(f"bảng lạ «{name}»")
        elif kind == "index" and table not in KNOWN_TABLES:
            found.append(f"chỉ mục «{name}» của bảng lạ")
    if found:
        shown = ", ".join(str(x)[:80] for x in found[:5]) + (f" và {len(found) - 5} thành phần khác" if len(found) > 5 else "")
        raise DocumentSchemaError(path, shown)


def check_columns(conn: sqlite3.Connection, path: Path, backup: Path | None = None) -> None:
    """Refuse a document (at the head revision) whose tables are not the app's, column by column.

    Every table of the app's model must be there with exactly the model's columns: a missing or an
    extra column, or a generated (hidden) one, means a file the app did not write. Reads
    ``PRAGMA table_xinfo`` only (nothing in the file runs).

    Raises:
        DocumentSchemaError: naming the first few differences.
    """
    from khoiapp.models import Base

    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    found: list[str] = []
    for name, table in sorted(Base.metadata.tables.items()):
        if name not in present:
            found.append(f"thiếu bảng «{name}»")
            continue
        rows = conn.execute(f'PRAGMA table_xinfo("{name}")').fetchall()  # name from the app's model
        columns = {r[1] for r in rows}
        expected = {c.name for c in table.columns}
        found += [f"bảng «{name}» thiếu cột «{c}»" for c in sorted(expected - columns)]
        found += [f"bảng «{name}» có cột lạ «{c}»" for c in sorted(columns - expected)]
        found += [f"cột tính toán «{name}.{r[1]}»" for r in rows if r[6] not in (0, 1)]  # 2, 3: generated
    if found:
        shown = ", ".join(x[:80] for x in found[:5]) + (f" và {len(found) - 5} khác biệt khác" if len(found) > 5 else "")
        raise DocumentSchemaError(path, shown, backup)
