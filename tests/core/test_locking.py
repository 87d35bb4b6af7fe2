"""A second opener gets the document read-only; stale locks are ignored; read-only media; crash recovery."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from khoiapp import locking
from khoiapp.locking import lock_path
from khoiapp.cli import main as cli_main
from khoiapp.db import READ_ONLY_MEDIA, open_document
from khoiapp.errors import DocumentLockedError, DocumentReadOnlyError, DocumentRecoveryError
from khoiapp.services import document as docsvc

ROOT = Path(__file__).resolve().parents[2]
IN_OTHER_WINDOW = "đang được mở ở cửa sổ khác"


@pytest.fixture
def doc_path(demo_copy: Path) -> Path:
    return demo_copy


def _dead_pid() -> int:
    out = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(out.stdout)


def _write_lock(doc: Path, pid: int, host: str) -> Path:
    lp = locking.lock_path(doc)
    lp.write_text(json.dumps({"app": "khoi", "pid": pid, "host": host, "user": "x", "since": "2026-11-29T14:05:00"}))
    return lp


class _Holder:
    """Another process that opens the document for writing and keeps it open until told to stop."""

    def __init__(self, path: Path) -> None:
        code = textwrap.dedent(
            """
            import sys
            from khoiapp.db import open_document
            doc = open_document(sys.argv[1])
            print("READ_ONLY" if doc.read_only else "OPEN", flush=True)
            sys.stdin.readline()
            doc.close()
            print("CLOSED", flush=True)
            """
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.proc.stdout is not None
        self.state = self.proc.stdout.readline().strip()

    def close(self) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().strip()
        self.proc.wait(timeout=30)
        return line

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


@contextlib.contextmanager
def held_elsewhere(path: Path) -> Iterator[_Holder]:
    h = _Holder(path)
    try:
        yield h
    finally:
        if h.proc.poll() is None:
            h.kill()


def test_open_for_writing_creates_lock_file_and_close_removes_it(doc_path: Path) -> None:
    before = sorted(p.name for p in doc_path.parent.iterdir())
    doc = open_document(doc_path)
    lp = locking.lock_path(doc_path)
    assert lp.exists() and lp.name == f".~lock.{doc_path.name}#"
    owner = locking.read_owner(doc_path)
    assert owner is not None and owner.pid == os.getpid() and owner.host == socket.gethostname()
    doc.close()
    assert sorted(p.name for p in doc_path.parent.iterdir()) == before


def test_read_only_open_takes_no_lock(doc_path: Path) -> None:
    with open_document(doc_path, read_only=True) as doc:
        assert doc.read_only and doc.lock is None
        assert not locking.lock_path(doc_path).exists()
        with open_document(doc_path) as writer:  # a viewer does not stop a writer
            assert not writer.read_only


def test_second_open_in_same_process_is_read_only(doc_path: Path) -> None:
    with open_document(doc_path) as first:
        assert not first.read_only
        with open_document(doc_path) as second:
            assert second.read_only
            assert IN_OTHER_WINDOW in second.read_only_reason
            assert docsvc.get_unit(second) is not None  # reading works
            with pytest.raises(DocumentLockedError) as exc:
                docsvc.update_unit(second, head_name="Người khác")
            assert IN_OTHER_WINDOW in exc.value.message and "đóng tài liệu ở cửa sổ kia" in exc.value.message
        docsvc.update_unit(first, head_name="Người sửa")
    with open_document(doc_path) as again:
        assert not again.read_only
        assert docsvc.get_unit(again).head_name == "Người sửa"  # type: ignore[union-attr]


def test_second_process_gets_read_only_until_first_closes(doc_path: Path) -> None:
    with held_elsewhere(doc_path) as other:
        assert other.state == "OPEN"
        with open_document(doc_path) as doc:
            assert doc.read_only and IN_OTHER_WINDOW in doc.read_only_reason
            assert "trên máy" not in doc.read_only_reason  # same computer: no host named
        assert other.close() == "CLOSED"
    assert not locking.lock_path(doc_path).exists()
    with open_document(doc_path) as doc:
        assert not doc.read_only


def test_other_process_sees_our_lock(doc_path: Path) -> None:
    with open_document(doc_path) as doc:
        assert not doc.read_only
        with held_elsewhere(doc_path) as other:
            assert other.state == "READ_ONLY"
            other.close()


def test_lock_of_killed_process_is_ignored(doc_path: Path) -> None:
    with held_elsewhere(doc_path) as other:
        assert other.state == "OPEN"
        dead_pid = other.proc.pid
        other.kill()
    lp = locking.lock_path(doc_path)
    assert lp.exists()  # a crash leaves the file behind
    assert locking.read_owner(doc_path).pid == dead_pid  # type: ignore[union-attr]
    with open_document(doc_path) as doc:
        assert not doc.read_only
        assert locking.read_owner(doc_path).pid == os.getpid()  # type: ignore[union-attr]
    assert not lp.exists()


@pytest.mark.parametrize("content", ["", "{not json", '{"pid": "x"}', "\x00" * 64])
def test_stale_or_garbled_lock_file_is_ignored(doc_path: Path, content: str) -> None:
    lp = locking.lock_path(doc_path)
    lp.write_text(content)
    with open_document(doc_path) as doc:
        assert not doc.read_only
    assert not lp.exists()


def test_cli_write_refused_while_open_elsewhere(doc_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with held_elsewhere(doc_path):
        code = cli_main(["unit", str(doc_path), "--set", "head_name=Ai đó"])
        err = capsys.readouterr().err
        assert code == 2
        assert IN_OTHER_WINDOW in err and "Lỗi:" in err
        assert cli_main(["info", str(doc_path)]) == 0  # reading still works


# ------------------------------------------------------------- without OS locks (some shares)


def test_without_os_locks_dead_owner_on_this_host_is_ignored(
    doc_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locking, "_try_lock", lambda fd: None)
    _write_lock(doc_path, _dead_pid(), socket.gethostname())
    lock = locking.acquire(doc_path)
    assert locking.read_owner(doc_path).pid == os.getpid()  # type: ignore[union-attr]
    lock.release()


def test_without_os_locks_live_owner_on_this_host_holds(doc_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locking, "_try_lock", lambda fd: None)
    _write_lock(doc_path, os.getppid(), socket.gethostname())
    with pytest.raises(DocumentLockedError) as exc:
        locking.acquire(doc_path)
    assert IN_OTHER_WINDOW in exc.value.message and "14:05 ngày 29/11/2026" in exc.value.message
    assert "xóa tệp" not in exc.value.message  # a live owner here: never suggest deleting


def test_without_os_locks_owner_on_other_computer_holds_and_names_the_file(
    doc_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locking, "_try_lock", lambda fd: None)
    lp = _write_lock(doc_path, 4242, "MAY-KE-TOAN")
    with open_document(doc_path) as doc:
        assert doc.read_only
        assert "trên máy «MAY-KE-TOAN»" in doc.read_only_reason
        with pytest.raises(DocumentLockedError) as exc:
            doc.require_writable()
    with pytest.raises(DocumentLockedError) as exc2:
        locking.acquire(doc_path)
    assert str(lp) in exc2.value.message
    assert lp.exists()  # someone else's lock is left alone
    del exc


def test_is_locked(doc_path: Path) -> None:
    assert not locking.is_locked(doc_path)
    with open_document(doc_path):
        assert locking.is_locked(doc_path)
    assert not locking.is_locked(doc_path)
    assert not locking.lock_path(doc_path).exists()


# ------------------------------------------------------------------------- read-only media


def _make_read_only(path: Path) -> Iterator[str]:
    """Make ``path`` and its folder unwritable for real; yields how it was done.

    As a normal user chmod is enough. Root ignores permissions, so there we set the immutable
    attribute (chattr +i) when the file system and capabilities allow it.
    """
    if os.geteuid() != 0:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        try:
            yield "chmod"
        finally:
            path.parent.chmod(0o755)
            path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        yield ""
        return
    done = []
    for p in (path, path.parent):
        r = subprocess.run([chattr, "+i", str(p)], capture_output=True)
        if r.returncode == 0:
            done.append(p)
    try:
        yield "chattr" if done and not os.access(path, os.W_OK) else ""
    finally:
        for p in done:
            subprocess.run([chattr, "-i", str(p)], capture_output=True)


read_only_media = contextlib.contextmanager(_make_read_only)


def test_document_on_read_only_media_opens_read_only(doc_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with read_only_media(doc_path) as how:
        if not how:
            # Root on a file system without chattr: exercise the same path through os.access.
            real = os.access
            monkeypatch.setattr(
                os, "access", lambda p, mode, **kw: False if mode == os.W_OK and Path(p) in (doc_path, doc_path.parent) else real(p, mode, **kw)
            )
        with open_document(doc_path) as doc:
            assert doc.read_only and doc.lock is None
            assert doc.read_only_reason == READ_ONLY_MEDIA
            assert docsvc.get_unit(doc) is not None
            with pytest.raises(DocumentReadOnlyError) as exc:
                docsvc.update_unit(doc, head_name="X")
            assert not isinstance(exc.value, DocumentLockedError)
            assert "chỉ cho phép đọc" in exc.value.message
        assert not locking.lock_path(doc_path).exists()


# ------------------------------------------------------------------------- crash recovery


_CRASH_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size=1")  # spill changed pages into the file before commit
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE unit SET name = 'NỬA CHỪNG'")
    conn.execute("INSERT INTO doc_meta (key, value) SELECT 'x' || n, hex(randomblob(3000)) FROM "
                 "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 400) SELECT n FROM c)")
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _crash_mid_write(path: Path) -> Path:
    r = subprocess.run([sys.executable, "-c", _CRASH_MID_WRITE, str(path)])
    assert r.returncode == -signal.SIGKILL
    journal = path.with_name(path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    return journal


def test_read_only_open_after_crash_rolls_back_the_cut_write(doc_path: Path) -> None:
    with open_document(doc_path, read_only=True) as doc:
        name = docsvc.get_unit(doc).name  # type: ignore[union-attr]
    _crash_mid_write(doc_path)
    with open_document(doc_path, read_only=True) as doc:
        assert docsvc.get_unit(doc).name == name  # type: ignore[union-attr]
    with sqlite3.connect(doc_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM doc_meta WHERE key LIKE 'x%'").fetchone()[0] == 0


def test_cut_write_on_read_only_media_gives_clear_error(doc_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = _crash_mid_write(doc_path)
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real(p, mode, **kw)
    )
    # The folder looks read-only, so the file opens with mode=ro, which cannot roll the journal back.
    with pytest.raises(DocumentRecoveryError) as exc:
        open_document(doc_path)
    assert journal.name in exc.value.message and "thư mục có quyền ghi" in exc.value.message
    assert journal.exists()  # nothing was touched


# ------------------------------------------------- a lock file of another user (shared computer)


def _refuse_writing(monkeypatch: pytest.MonkeyPatch, lp: Path) -> None:
    """Opening ``lp`` for writing fails as it would for a file of another user (root ignores modes)."""
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == lp and flags & (os.O_RDWR | os.O_WRONLY) and Path(path).exists():
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def test_stale_lock_file_of_another_user_is_replaced(doc_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lp = _write_lock(doc_path, _dead_pid(), socket.gethostname())
    _refuse_writing(monkeypatch, lp)
    with open_document(doc_path) as doc:
        assert not doc.read_only
        assert locking.read_owner(doc_path).pid == os.getpid()  # type: ignore[union-attr]


def test_live_lock_file_of_another_user_makes_it_read_only(doc_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with held_elsewhere(doc_path) as other:
        assert other.state == "OPEN"
        _refuse_writing(monkeypatch, locking.lock_path(doc_path))
        with open_document(doc_path) as doc:
            assert doc.read_only and IN_OTHER_WINDOW in doc.read_only_reason
        assert locking.lock_path(doc_path).exists()


# --------------------------------------------------------------------------- the real file behind a name


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinked_open_document_is_refused_for_writing(doc_path: Path) -> None:
    link = doc_path.with_name("loi-tat.khoi")
    link.symlink_to(doc_path)
    first = open_document(doc_path)
    try:
        second = open_document(link)
        try:
            assert second.read_only and "cửa sổ khác" in second.locked_by
            with pytest.raises(DocumentLockedError):
                second.require_writable()
        finally:
            second.close()
    finally:
        first.close()
    assert not lock_path(doc_path).exists() and not lock_path(link).exists()


def test_hard_linked_open_document_is_refused_for_writing(doc_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "thu-muc-khac"
    other.mkdir()
    link = other / "ban-khac-ten.khoi"
    os.link(doc_path, link)
    first = open_document(link)
    try:
        second = open_document(doc_path)
        try:
            assert second.read_only and "tên khác của cùng tệp" in second.locked_by
        finally:
            second.close()
    finally:
        first.close()
    again = open_document(doc_path)  # released: writable again
    try:
        assert not again.read_only
    finally:
        again.close()
