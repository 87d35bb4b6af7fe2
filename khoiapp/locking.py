"""Second-instance detection: a small lock file beside an open document, held with an OS lock.

While a document is open for writing, ``.~lock.<name>#`` sits beside it (the name LibreOffice
uses, so officers already know it). The file holds the owner's process id, host and start time,
and the opener keeps an exclusive OS lock on it (``flock`` on Linux/macOS, ``msvcrt.locking`` on
Windows). Closing the document removes the file, so a closed document is still a single file.

Why not SQLite's own locks: they last one transaction, so a second window could write between
the first window's transactions and each would show stale data; ``locking_mode=EXCLUSIVE`` would
stop the second window from even reading. Why an OS lock and not just the pid in the file: the
operating system drops the lock when the process dies (crash, power cut, kill), so a stale file
left by a dead process is recognised without guessing; the pid and host are shown to the user
and only decide on file systems without working locks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from khoiapp.errors import DocumentLockedError

LOCK_PREFIX = ".~lock."
LOCK_SUFFIX = "#"
_MAX_INFO = 4096
# Windows locks a byte range; lock one byte far past the small JSON text so others can read it.
_WIN_LOCK_OFFSET = 1 << 20
# errno values meaning "this file system does not do locks" (some network shares, FUSE).
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


def real_path(document: str | Path) -> Path:
    """The file ``document`` names, symbolic links followed (the same file, whatever the name)."""
    return Path(os.path.realpath(document))


def lock_path(document: str | Path) -> Path:
    """Where the lock file of ``document`` lives: beside the real file (symbolic links followed),
    hidden on Linux/macOS."""
    p = real_path(document)
    return p.with_name(f"{LOCK_PREFIX}{p.name}{LOCK_SUFFIX}")


def identity_lock_path(document: str | Path) -> Path | None:
    """This computer's lock of the file's identity (device and inode / file id), or None.

    Two names of one file (hard links, or paths the OS resolves differently) have different lock
    files beside them but one identity, so this second lock makes them share the document.
    """
    from khoiapp.paths import user_data_dir

    try:
        st = os.stat(document)
    except OSError:
        return None
    if not st.st_ino:
        return None  # a file system without file ids: the lock beside the file is all there is
    return user_data_dir() / "khoa" / f"{st.st_dev:x}-{st.st_ino:x}.lock"


@dataclass(frozen=True)
class LockOwner:
    """Who holds (or held) a document: as written in the lock file."""

    pid: int
    host: str
    user: str
    since: dt.datetime | None

    @property
    def same_host(self) -> bool:
        return self.host == _host()

    def describe(self) -> str:
        """Vietnamese, for messages: "đang được mở ở cửa sổ khác (… từ 14:05 ngày 29/11/2026)"."""
        parts = []
        if not self.same_host and self.host:
            parts.append(f"trên máy «{self.host}»")
        if self.user:
            parts.append(f"người dùng «{self.user}»")
        if self.since is not None:
            parts.append(f"từ {self.since:%H:%M} ngày {self.since:%d/%m/%Y}")
        extra = f" ({', '.join(parts)})" if parts else ""
        return f"tài liệu đang được mở ở cửa sổ khác{extra}"


class DocumentLock:
    """A held lock; :meth:`release` removes the lock file. Safe to release twice."""

    def __init__(self, path: Path, fd: int, identity: tuple[Path, int] | None = None) -> None:
        self.path = path
        self._fd: int | None = fd
        self._identity = identity

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        ident, self._identity = self._identity, None
        if ident is not None:
            _release_identity(*ident)
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                _win_unlock(fd)
            os.close(fd)
            # Another process may have opened it meanwhile; then it stays, which is right.
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            return
        # Unlink while still holding the lock, then unlock by closing: whoever opened the old
        # file in between notices its inode is gone (see acquire) and starts over.
        with contextlib.suppress(OSError):
            if _same_file(fd, self.path):
                os.unlink(self.path)
        os.close(fd)

    def __enter__(self) -> DocumentLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten close still frees the document
        with contextlib.suppress(Exception):
            self.release()


def acquire(document: str | Path) -> DocumentLock:
    """Take the lock of ``document`` for this process.

    Raises:
        DocumentLockedError: another live process (another window, another computer) holds it.
        OSError: the lock file cannot be created (read-only folder or media); callers treat the
            document as read-only.
    """
    document = real_path(document)
    lp = lock_path(document)
    for _attempt in range(10):
        try:
            fd = os.open(lp, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o644)
        except PermissionError:
            if sys.platform == "win32" or not lp.exists():
                raise
            _clear_foreign_stale_lock(document, lp)  # raises if its owner is alive
            continue
        try:
            locked = _try_lock(fd)
        except OSError:
            os.close(fd)
            raise
        if locked is False:
            owner = _read_owner_fd(fd)
            os.close(fd)
            raise _locked(document, owner, lp)
        if locked is None:
            # No OS locks on this file system: fall back to the owner's pid and host.
            owner = _read_owner_fd(fd)
            if owner is not None and _owner_alive(owner):
                os.close(fd)
                raise _locked(document, owner, lp)
        if sys.platform != "win32" and not _same_file(fd, lp):
            os.close(fd)  # the holder removed the file while we waited: take the new one
            continue
        try:
            ident = _acquire_identity(document)
        except BaseException:
            os.close(fd)
            raise
        if ident is False:
            os.close(fd)
            raise DocumentLockedError(
                document, "tài liệu đang được mở ở cửa sổ khác qua một tên khác của cùng tệp (lối tắt hoặc liên kết)"
            )
        try:
            _write_owner(fd)
        except OSError:  # e.g. a full disk: leave no empty lock file behind
            if isinstance(ident, tuple):
                _release_identity(*ident)
            with contextlib.suppress(OSError):
                if _same_file(fd, lp):
                    os.unlink(lp)
            os.close(fd)
            raise
        return DocumentLock(lp, fd, ident if isinstance(ident, tuple) else None)
    raise _locked(document, None, lp)


def _acquire_identity(document: Path) -> tuple[Path, int] | bool | None:
    """(path, fd) of the held identity lock; False if another opener holds it; None when unavailable."""
    ip = identity_lock_path(document)
    if ip is None:
        return None
    for _attempt in range(10):
        try:
            ip.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
            fd = os.open(ip, flags, 0o600)
        except OSError:
            return None  # no private folder to lock in: the lock beside the file still holds
        try:
            locked = _try_lock(fd)
        except OSError:
            os.close(fd)
            return None
        if locked is not True:
            os.close(fd)
            return False if locked is False else None
        if sys.platform != "win32" and not _same_file(fd, ip):
            os.close(fd)  # released and removed while we waited: take the new one
            continue
        return ip, fd
    return False


def _release_identity(ip: Path, fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        with contextlib.suppress(OSError):
            _win_unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(ip)
        return
    with contextlib.suppress(OSError):
        if _same_file(fd, ip):
            os.unlink(ip)
    os.close(fd)


def _clear_foreign_stale_lock(document: Path, lp: Path) -> None:
    """A lock file we may not write (another user's, on a shared computer): remove it if stale.

    ``flock`` works on a read-only descriptor, so the owner's liveness is known; removing a file
    needs write access to the folder only.
    """
    fd = os.open(lp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        locked = _try_lock(fd)
        owner = _read_owner_fd(fd)
        if locked is False or (locked is None and owner is not None and _owner_alive(owner)):
            raise _locked(document, owner, lp)
        os.unlink(lp)  # stale; raises PermissionError if the folder is not writable either
    finally:
        os.close(fd)


def _locked(document: Path, owner: LockOwner | None, lp: Path) -> DocumentLockedError:
    # Same computer: the OS lock proves the holder is alive, so never suggest removing the file.
    hint = lp if owner is None or not owner.same_host else None
    return DocumentLockedError(document, owner.describe() if owner else "", lock_file=hint)


def read_owner(document: str | Path) -> LockOwner | None:
    """The owner recorded in the lock file, or None if there is none (or it is unreadable)."""
    try:
        fd = os.open(lock_path(document), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        return _read_owner_fd(fd)
    finally:
        os.close(fd)


def is_locked(document: str | Path) -> bool:
    """True if a live process holds the lock of ``document`` (takes and drops it to find out)."""
    try:
        lock = acquire(document)
    except DocumentLockedError:
        return True
    except OSError:
        return False
    lock.release()
    return False


# ------------------------------------------------------------------------------ internals


def _host() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return ""


def _user() -> str:
    for var in ("USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    return ""


def _try_lock(fd: int) -> bool | None:
    """True: locked. False: someone else holds it. None: the file system has no locks."""
    try:
        if sys.platform == "win32":
            _win_lock(fd)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except PermissionError:  # Windows reports a held range as EACCES
        if sys.platform == "win32":
            return False
        raise
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        if exc.errno in _NO_LOCKING:
            return None
        raise
    return True


def _win_lock(fd: int) -> None:  # pragma: no cover - Windows only
    import msvcrt

    os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]


def _win_unlock(fd: int) -> None:  # pragma: no cover - Windows only
    import msvcrt

    os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


def _same_file(fd: int, path: Path) -> bool:
    try:
        a = os.fstat(fd)
        b = os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _write_owner(fd: int) -> None:
    info = {
        "app": "khoi",
        "pid": os.getpid(),
        "host": _host(),
        "user": _user(),
        "since": dt.datetime.now().replace(microsecond=0).isoformat(),
    }
    data = json.dumps(info, ensure_ascii=False).encode("utf-8")
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    os.ftruncate(fd, len(data))


def _read_owner_fd(fd: int) -> LockOwner | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, _MAX_INFO)
        info = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not isinstance(info.get("pid"), int):
        return None
    since = None
    if isinstance(info.get("since"), str):
        with contextlib.suppress(ValueError):
            since = dt.datetime.fromisoformat(info["since"])
    host = info.get("host")
    user = info.get("user")
    return LockOwner(
        pid=info["pid"],
        host=host if isinstance(host, str) else "",
        user=user if isinstance(user, str) else "",
        since=since,
    )


def _owner_alive(owner: LockOwner) -> bool:
    """Only used without OS locks: a lock from this host is stale when its process is gone."""
    if not owner.same_host:
        return True  # cannot check another computer; the message names the lock file to remove
    if owner.pid == os.getpid():
        return True
    return _pid_alive(owner.pid)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
