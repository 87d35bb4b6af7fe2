"""Opening, creating and migrating a document file (one SQLite file per unit)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from khoiapp import __version__, docfaults, docschema, locking
from khoiapp.errors import (
    DiskFullError,
    DocumentBusyError,
    DocumentExistsError,
    DocumentLockedError,
    DocumentMovedError,
    DocumentNotFoundError,
    DocumentReadOnlyError,
    DocumentRecoveryError,
    DocumentTooNewError,
    NotADocumentError,
)
from khoiapp.locking import DocumentLock
from khoiapp.models import DocMeta

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
APP_MARKER = "khoi-document"
DOCUMENT_SUFFIX = ".khoi"


BEGIN_OPTION = "khoi_begin"  # execution option: the BEGIN statement a connection's transactions use
JOB_OPTION = "khoi_job"  # execution option: set on the short-lived connections of a long job


@dataclass
class Document:
    """An open document: a path and how to reach it; it holds no connection.

    Every call opens its own connection for one transaction and closes it (no pool), so no
    connection ever crosses threads. :meth:`transaction` is for writes (``BEGIN IMMEDIATE``: the
    write lock is taken up front, so a writer never deadlocks halfway); :meth:`read` for reads
    (plain deferred ``BEGIN``: a read does not wait behind another writer's open transaction).
    """

    path: Path
    engine: Engine
    read_only: bool = False
    backup_path: Path | None = None  # set when opening upgraded an older file
    temp_copy: Path | None = None  # a read-only older file is read from an upgraded temporary copy
    read_only_reason: str = ""  # Vietnamese, why it is read-only (empty when asked for read-only)
    lock: DocumentLock | None = field(default=None, repr=False)  # held while open for writing
    locked_by: str = ""  # set when another window holds the document: its description
    keeper: int | None = field(default=None, repr=False)  # a read handle on the file while open for writing
    _closed: bool = field(default=False, repr=False)
    _reads_only: threading.local = field(default_factory=threading.local, repr=False)

    @contextlib.contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session inside one transaction, committed on success, rolled back on error.

        ``write=False`` (or :meth:`read`) begins a deferred transaction; so does every transaction
        run inside :meth:`reading` (the window's queries).
        """
        immediate = write and not self.read_only and not getattr(self._reads_only, "on", False)
        bind = self.engine.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE" if immediate else "BEGIN"})
        with Session(bind, expire_on_commit=False) as session:
            try:
                with session.begin():
                    yield session
            except Exception as exc:  # noqa: BLE001 - only to translate SQLite's own errors
                sqlite_exc = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
                if isinstance(sqlite_exc, sqlite3.Error):
                    translated = translate_sqlite_error(sqlite_exc, self.path)
                    if translated is not sqlite_exc:
                        raise translated from exc
                raise

    def read(self) -> contextlib.AbstractContextManager[Session]:
        """A session inside one deferred (read) transaction."""
        return self.transaction(write=False)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Every transaction begun on this thread inside the block is a deferred (read) one."""
        before = getattr(self._reads_only, "on", False)
        self._reads_only.on = True
        try:
            yield
        finally:
            self._reads_only.on = before

    def job_reader(self) -> Document:
        """A read-only handle of its own for a long job on another thread (export, backup).

        The job closes it (``with doc.job_reader() as rd: ...``); its transactions are marked with
        :data:`JOB_OPTION`, so they can be told apart from the window's.
        """
        source = self.temp_copy or self.path
        engine = _make_engine(source, read_only=True).execution_options(**{JOB_OPTION: True})
        return Document(path=self.path, engine=engine, read_only=True, temp_copy=None)

    def require_writable(self) -> None:
        if self.read_only:
            if self.read_only_reason == DISK_FULL:
                raise DiskFullError()
            if self.locked_by:
                raise DocumentLockedError(self.path, self.locked_by)
            raise DocumentReadOnlyError(self.path, self.read_only_reason)

    def moved(self) -> bool:
        """True when :attr:`path` no longer names the file this document was opened from.

        (Deleted, renamed or replaced while open: the data as last saved is still readable through
        :attr:`keeper`, see :func:`save_as`.)
        """
        try:
            there = os.stat(self.path)
        except OSError:
            return True
        if self.keeper is None:
            return False
        try:
            kept = os.fstat(self.keeper)
        except OSError:
            return False
        if not kept.st_ino or not there.st_ino:  # a file system without file ids: the name is all there is
            return False
        return (kept.st_dev, kept.st_ino) != (there.st_dev, there.st_ino)

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True
            if self.lock is not None:
                self.lock.release()
            if self.keeper is not None:
                with contextlib.suppress(OSError):
                    os.close(self.keeper)
                self.keeper = None
            if self.temp_copy is not None:
                shutil.rmtree(self.temp_copy.parent, ignore_errors=True)

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_IOERR_NOMEM = 3082  # not a disk problem
SQLITE_IOERR_WRITE = 778
SQLITE_IOERR_FSYNC = 1034


def sqlite_connection(s: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, for what SQLAlchemy has no call for (incremental blob I/O)."""
    conn = s.connection().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def translate_sqlite_error(exc: sqlite3.Error, path: Path) -> Exception:
    """The user's error for a SQLite failure, chosen by its result code (never by message text).

    ``SQLITE_BUSY`` after the timeout is "busy, try again" (another program writes the file right
    now): never "open in another window", which only the lock file may say.
    """
    if (moved := docfaults.moved_error(exc, path)) is not None:  # not "read-only": the file is gone
        return moved
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return exc
    primary = code & 0xFF
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DocumentBusyError(path)
    if primary == SQLITE_FULL:
        return DiskFullError()
    if primary == SQLITE_READONLY:
        return DocumentReadOnlyError(path)
    return exc


def _translate_operational(exc: sqlite3.Error, path: Path) -> Exception:
    return translate_sqlite_error(exc, path)


def _connect(path: Path, read_only: bool, create: bool = False) -> sqlite3.Connection:
    # check_same_thread stays on: each connection lives for one transaction on one thread.
    if read_only:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=5)
    if not create:  # never make an empty file where an open document was deleted or renamed
        return sqlite3.connect(Path(path).absolute().as_uri() + "?mode=rw", uri=True, timeout=5)
    return sqlite3.connect(str(path), timeout=5)


def _make_engine(path: Path, read_only: bool, create: bool = False) -> Engine:
    engine = create_engine(
        "sqlite://",
        creator=lambda: _connect(path, read_only, create),
        poolclass=NullPool,  # a connection per transaction, opened and closed on its thread
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Rollback journal (not WAL): a closed document is one file, no -wal/-shm beside it.
        # synchronous=FULL: a commit reported to the user survives a power cut.
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN drive transactions
        docschema.harden(dbapi_conn)  # nothing from the file's schema may run code
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            cur.execute("PRAGMA journal_mode=DELETE")
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writes take the write lock up front (BEGIN IMMEDIATE); reads and engine-level work
        # (migrations ask for it explicitly) begin deferred.
        begin = conn.get_execution_options().get(BEGIN_OPTION)
        if begin is None:
            begin = "BEGIN IMMEDIATE" if not read_only else "BEGIN"
        conn.exec_driver_sql(begin)

    return engine


def _alembic_config() -> Any:
    from alembic.config import Config

    from khoiapp.paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]+)['"]|None)""", re.M)


@functools.lru_cache(maxsize=1)
def _revision_graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files' text (importing Alembic to open a
    document costs more than the rest of the open: its PostgreSQL and MSSQL modules come along)."""
    graph: dict[str, str | None] = {}
    from khoiapp.paths import migrations_dir

    for f in sorted((migrations_dir() / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(f.read_text("utf-8"))}
        if found.get("revision"):
            graph[str(found["revision"])] = found.get("down_revision")
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    assert len(heads) == 1, heads
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def current_revision(engine: Engine) -> str | None:
    """The document's schema revision, read with plain SQL (``alembic_version``), ``None`` if none.

    Raises:
        sqlite3.DatabaseError: several revisions recorded (not a file this app wrote).
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        try:
            rows = raw.execute("SELECT version_num FROM alembic_version LIMIT 2").fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        if len(rows) > 1:
            raise sqlite3.DatabaseError("several rows in alembic_version")
        return str(rows[0][0]) if rows else None


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _prebuilt_schema_path() -> Path:
    from khoiapp.paths import resources_dir

    return resources_dir() / "schema" / "document-schema.sql"


PREBUILT_SCHEMA = _prebuilt_schema_path()


def schema_script(engine: Engine) -> str:
    """The SQL that recreates ``engine``'s schema and revision (``make schema`` writes it to
    :data:`PREBUILT_SCHEMA`; a test checks it matches the migrations)."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        rows = raw.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name"
        ).fetchall()
        rev = raw.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    lines = [f"-- Khối document schema at revision {rev} (generated from the migrations; do not edit)"]
    lines += [f"{sql};" for _type, _name, sql in rows]
    lines.append(f"INSERT INTO alembic_version (version_num) VALUES ('{rev}');")
    return "\n".join(lines) + "\n"


def _prebuilt_schema() -> str | None:
    """The prebuilt schema if it is at the head revision (else the migrations are run)."""
    try:
        text = PREBUILT_SCHEMA.read_text("utf-8")
    except OSError:
        return None
    first = text.split("\n", 1)[0]
    return text if first.endswith(f"revision {head_revision()} (generated from the migrations; do not edit)") else None


def create_document(path: str | Path) -> Document:
    """Create a new, empty document at ``path`` (refuses to overwrite)."""
    path = Path(path)
    if path.exists():
        raise DocumentExistsError(path)
    if not path.parent.exists():
        raise DocumentNotFoundError(path.parent)
    tmp = path.with_name(path.name + ".tao-moi")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    prebuilt = _prebuilt_schema()
    engine = _make_engine(tmp, read_only=False, create=True)
    try:
        if prebuilt is not None:  # no Alembic, no migrations to replay: one script
            conn = sqlite3.connect(str(tmp))
            try:
                conn.executescript("BEGIN;\n" + prebuilt + "COMMIT;")
            finally:
                conn.close()
        else:
            upgrade(engine)
        with Session(engine) as s, s.begin():
            s.add_all(
                [
                    DocMeta(key="app", value=APP_MARKER),
                    DocMeta(key="document_id", value=str(uuid.uuid4())),
                    DocMeta(key="created_by", value=__version__),
                    DocMeta(key="created_at", value=dt.datetime.now().replace(microsecond=0).isoformat()),
                ]
            )
    except BaseException as exc:
        engine.dispose()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):  # never a 0-byte file left
            with contextlib.suppress(OSError):
                leftover.unlink()
        if docfaults.is_disk_full(exc):
            raise DiskFullError() from exc
        if isinstance(exc, sqlite3.OperationalError):
            raise _translate_operational(exc, path) from exc
        raise
    finally:
        engine.dispose()
    os.replace(tmp, path)
    return open_document(path)


def open_document(path: str | Path, *, read_only: bool = False) -> Document:
    """Open an existing document: check it is one, refuse a newer one, upgrade an older one.

    An older file is backed up (see :mod:`khoiapp.services.backups`) before it is upgraded.
    A file on read-only media (or without write permission) opens read-only, and so does a file
    another window holds (see :mod:`khoiapp.locking`); ``Document.read_only_reason`` says why and
    every write raises :class:`DocumentReadOnlyError` / :class:`DocumentLockedError`.
    """
    path = Path(path)
    if not path.exists():
        raise DocumentNotFoundError(path)
    if path.is_dir() or not _looks_like_sqlite(path):
        raise NotADocumentError(path)
    reason = ""
    locked_by = ""
    lock: DocumentLock | None = None
    if not read_only and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        read_only = True
        reason = READ_ONLY_MEDIA
    if not read_only:
        lock, locked_by = _take_lock(path)
        if lock is None:
            read_only = True
            reason = locked_by or READ_ONLY_MEDIA
            if locked_by == DISK_FULL:  # not another window: the lock file could not be written
                locked_by = ""
    try:
        doc = _open_checked(path, read_only, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    doc.read_only_reason = reason
    doc.locked_by = locked_by
    if not doc.read_only:
        doc.keeper = _keep_open(path)
    return doc


def _keep_open(path: Path) -> int | None:
    """A read-only handle on the document file, held while it is open for writing.

    Where the file is deleted or renamed while open (possible on Linux and on some network
    shares; Windows refuses to delete an open file), the data as last saved stays readable through
    it, so :func:`save_as` can still write it elsewhere.
    """
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        log.info("cannot keep a handle on %s: %s", path, exc)
        return None


DISK_FULL = "ổ đĩa đã đầy"
READ_ONLY_MEDIA = "tệp hoặc thư mục chứa tệp chỉ cho phép đọc (ví dụ đĩa CD, thẻ nhớ bị khóa ghi, thư mục dùng chung)"


def _take_lock(path: Path) -> tuple[DocumentLock | None, str]:
    """(lock, "") when this process may write; (None, why) when another window holds it."""
    try:
        return locking.acquire(path), ""
    except DocumentLockedError as exc:
        return None, exc.reason
    except OSError as exc:
        log.info("cannot create the lock file of %s: %s", path, exc)
        return None, DISK_FULL if docfaults.is_disk_full(exc) else ""


def _recover_hot_journal(path: Path) -> None:
    """Roll back a write cut off by a crash before reading the file read-only.

    A read-only SQLite connection cannot roll back a hot journal and fails with "attempt to
    write a readonly database"; a short writable connection lets SQLite do it (SQLite itself
    checks the journal is hot, i.e. no live writer holds the file).
    """
    if not _has_journal(path) or not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return
    conn = sqlite3.connect(str(path), timeout=5)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        log.info("hot journal recovery of %s: %s", path, exc)
    finally:
        conn.close()


def _has_journal(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-journal").stat().st_size > 0
    except OSError:
        return False


def _open_checked(path: Path, read_only: bool, lock: DocumentLock | None) -> Document:
    if read_only:
        _recover_hot_journal(path)
    engine = _make_engine(path, read_only=read_only)
    try:
        with engine.connect() as conn:  # before any migration or write: refuse what the app never creates
            docschema.check_schema(conn.connection.driver_connection, path)  # type: ignore[arg-type]
        _check_marker(engine, path)
        rev = current_revision(engine)
        head = head_revision()
        backup = None
        if rev != head:
            if rev not in known_revisions():
                raise DocumentTooNewError(path)
            if read_only:
                # Read an upgraded copy; the file itself is left as it is.
                engine.dispose()
                return _open_upgraded_copy(path)
            engine.dispose()
            backup = _backup_before_upgrade(path, rev or "base")
            engine = _make_engine(path, read_only=False)
            upgrade(engine)
        with engine.connect() as conn:  # at the head revision: the app's tables, column by column
            docschema.check_columns(conn.connection.driver_connection, path, backup)  # type: ignore[arg-type]
    except sqlite3.DatabaseError as exc:
        engine.dispose()
        if read_only and _has_journal(path):
            raise DocumentRecoveryError(path, path.name + "-journal") from exc
        if isinstance(exc, sqlite3.OperationalError):
            translated = _translate_operational(exc, path)
            if translated is not exc:
                raise translated from exc
        raise NotADocumentError(path, "cấu trúc dữ liệu không đọc được") from exc
    except Exception as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.DatabaseError):
            if read_only and _has_journal(path):
                raise DocumentRecoveryError(path, path.name + "-journal") from exc
            raise NotADocumentError(path, "cấu trúc dữ liệu không đọc được") from exc
        raise
    return Document(path=path, engine=engine, read_only=read_only, backup_path=backup, lock=lock)


def _open_upgraded_copy(path: Path) -> Document:
    import tempfile

    tmpdir = Path(tempfile.mkdtemp(prefix="khoi-doc-"))
    copy = tmpdir / path.name
    shutil.copyfile(path, copy)
    engine = _make_engine(copy, read_only=False)
    upgrade(engine)
    engine.dispose()
    engine = _make_engine(copy, read_only=True)
    try:
        with engine.connect() as conn:
            docschema.check_columns(conn.connection.driver_connection, path)  # type: ignore[arg-type]
    except BaseException:
        engine.dispose()
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    return Document(path=path, engine=engine, read_only=True, temp_copy=copy)


def _check_marker(engine: Engine, path: Path) -> None:
    with engine.connect() as conn:
        if "doc_meta" not in inspect(conn).get_table_names():
            raise NotADocumentError(path, "không có dấu hiệu của tài liệu Khối")
        marker = conn.execute(select(DocMeta.value).where(DocMeta.key == "app")).scalar()
    if marker != APP_MARKER:
        raise NotADocumentError(path, "không có dấu hiệu của tài liệu Khối")


def _backup_before_upgrade(path: Path, rev: str) -> Path:
    from khoiapp.services import backups

    return backups.make_backup(path, reason=f"nang-cap-{rev}")


def save_as(doc: Document, dest: str | Path) -> Path:
    """Write the open document to ``dest`` and go on working there («Lưu thành…»).

    The source is the file as last saved: through the handle kept open when the file was deleted or
    renamed meanwhile (:meth:`Document.moved`), else the file itself (or the upgraded copy a
    read-only older file is read from). The copy is written beside ``dest`` under a temporary name,
    checked (``quick_check``, the app's schema) and only then put in place, so ``dest`` is either
    the whole document or untouched. ``doc`` then names ``dest``: a new engine, the lock of
    ``dest``, writable; what was queued for ``doc`` (undo steps included) goes on working there.
    Must run on the thread that owns ``doc``.

    Raises:
        BadInputError: ``dest`` is the open file itself.
        DocumentLockedError: ``dest`` is open in another window.
        DiskFullError / DocumentReadOnlyError: ``dest`` cannot be written (nothing is left there).
    """
    from khoiapp.errors import BadInputError
    from khoiapp.fileperm import give_normal_permissions
    from khoiapp.safename import safe_component

    dest = Path(dest).absolute()
    moved = doc.moved()
    if not moved and locking.real_path(dest) == locking.real_path(doc.path):
        raise BadInputError(f"«{dest.name}» chính là tài liệu đang mở. Hãy chọn một tên tệp khác.")
    if not dest.parent.is_dir():
        raise DocumentNotFoundError(dest.parent)
    if moved and doc.lock is not None and locking.real_path(dest) == locking.real_path(doc.path):
        doc.lock.release()  # saved again where it was: the lock beside that name is ours to take
        doc.lock = None
    try:
        lock = locking.acquire(dest)  # DocumentLockedError: open in another window
    except OSError as exc:
        if docfaults.is_disk_full(exc):
            raise DiskFullError() from exc
        raise DocumentReadOnlyError(dest, READ_ONLY_MEDIA) from exc
    tmp = dest.with_name(safe_component(dest.name, suffix=".luu-thanh"))
    try:
        try:
            for stale in (tmp, tmp.with_name(tmp.name + "-journal")):  # left by a cut-off attempt
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            if moved and doc.keeper is not None:
                _copy_from_handle(doc.keeper, tmp)
            else:
                if moved:
                    raise DocumentMovedError(doc.path)
                copy_with_backup_api(doc.temp_copy or doc.path, tmp)
            _check_copy(tmp, dest)
            give_normal_permissions(tmp)
            os.replace(tmp, dest)
        except BaseException as exc:
            for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):  # never a partial file left
                with contextlib.suppress(OSError):
                    leftover.unlink()
            if docfaults.is_disk_full(exc):
                raise DiskFullError() from exc
            if isinstance(exc, PermissionError):
                raise DocumentReadOnlyError(dest, READ_ONLY_MEDIA) from exc
            raise
    except BaseException:
        lock.release()
        raise
    _relocate(doc, dest, lock)
    return dest


def _copy_from_handle(fd: int, tmp: Path) -> None:
    with open(tmp, "xb") as out:
        offset = 0
        while True:
            chunk = os.pread(fd, 1 << 20, offset) if hasattr(os, "pread") else _read_at(fd, offset)
            if not chunk:
                break
            out.write(chunk)
            offset += len(chunk)
        out.flush()
        os.fsync(out.fileno())


def _read_at(fd: int, offset: int) -> bytes:  # pragma: no cover - Windows has no pread
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, 1 << 20)


def copy_with_backup_api(source: Path, tmp: Path) -> None:
    """Copy the document ``source`` (opened read-only, hardened) to ``tmp`` with SQLite's online
    backup, as a one-file rollback-journal document, synced to disk (backups, «Lưu thành…»)."""
    src = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    try:
        docschema.harden(src)
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())


def _check_copy(tmp: Path, dest: Path) -> None:
    """The copy reads back whole and holds only what the app writes."""
    conn = sqlite3.connect(tmp.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        docschema.harden(conn)
        docschema.check_schema(conn, dest)
        ok = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise NotADocumentError(dest, "bản chép không đọc lại được") from exc
    finally:
        conn.close()
    if not ok or ok[0] != "ok":
        raise NotADocumentError(dest, "bản chép không đọc lại được")


def _relocate(doc: Document, dest: Path, lock: DocumentLock) -> None:
    old_engine, old_lock, old_keeper, old_temp = doc.engine, doc.lock, doc.keeper, doc.temp_copy
    doc.path = dest
    doc.engine = _make_engine(dest, read_only=False)
    doc.lock = lock
    doc.keeper = _keep_open(dest)
    doc.read_only = False
    doc.read_only_reason = ""
    doc.locked_by = ""
    doc.temp_copy = None
    doc.backup_path = None
    old_engine.dispose()
    if old_lock is not None:
        old_lock.release()
    if old_keeper is not None:
        with contextlib.suppress(OSError):
            os.close(old_keeper)
    if old_temp is not None:
        shutil.rmtree(old_temp.parent, ignore_errors=True)


def copy_file_atomically(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copyfile(src, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dst)
