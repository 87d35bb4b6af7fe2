"""Crash test: random edits through the services, killed with SIGKILL at random moments.

An editor process (tests/crash_child.py, forked from a pre-imported zygote so a round costs
milliseconds) applies random edits to one document and reports each edit before it starts and
after its service call returned. The parent kills it after a random delay, round after round,
on the same document. After every round the document must open normally (the stale lock and
the hot journal left by the kill are dealt with), pass ``PRAGMA integrity_check``, and show
every edit reported committed with its value: for each key either the last committed value or,
for the one edit that was under way when the kill came, its new value - never a mix.

This proves durability against process death (crash, kill, closing the laptop lid while the app
runs). It does not simulate a power cut: that needs the disk to lose its cache, which only
``synchronous=FULL`` (see docs/storage.md) addresses. Rounds: ``KHOI_CRASH_ROUNDS`` (200), a fixed
number whatever the machine's load: each kill is placed by the events the child reports (see
:class:`KillAt`), so the mix of kills does not depend on how fast the machine is.
"""

from __future__ import annotations

import hashlib
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from khoiapp import locking
from khoiapp.db import open_document
from khoiapp.services import content, criteria, evidence
from khoiapp.services import document as docsvc

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash test forks editor processes")

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "crash_child.py"
YEAR = 2026
ROUNDS = int(os.environ.get("KHOI_CRASH_ROUNDS", "200"))
MAX_DELAY = 0.12  # the most a kill waits after its moment: spreads kills over opening and edits
AFTER_COMMIT_DELAY = 0.03  # an edit takes a few ms: this lands kills in the next one or two
HANG_SECONDS = 120.0  # a child silent this long has hung (a guard, not a measure)


class Zygote:
    """The child process, driven line by line over pipes."""

    def __init__(self, doc: Path, stderr_path: Path) -> None:
        self._stderr = open(stderr_path, "wb")  # noqa: SIM115 - closed in close()
        self.stderr_path = stderr_path
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(doc), str(YEAR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            bufsize=0,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self._fd = self.proc.stdout.fileno()
        self._buf = b""
        assert self.readline(60.0) == "READY", self.errors()

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())

    def readline(self, timeout: float | None) -> str | None:
        """The next line, or None if none arrived within ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buf:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise AssertionError("the crash child stopped:\n" + self.errors())
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line.decode("utf-8")

    def errors(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()


@dataclass
class Edit:
    n: int
    kind: str
    key: str
    value: str


@dataclass
class Round:
    begun: list[Edit] = field(default_factory=list)
    committed: list[Edit] = field(default_factory=list)
    killed: bool = False

    @property
    def in_flight(self) -> Edit | None:
        """The edit that had started but not reported its commit when the kill came."""
        if self.begun and (not self.committed or self.begun[-1].n != self.committed[-1].n):
            return self.begun[-1]
        return None


@dataclass(frozen=True)
class KillAt:
    """When a round's kill comes: ``delay`` seconds after the child reports ``event`` (``PID``: it
    forked; ``BEGIN``/``COMMIT``: edit ``edit`` began / returned). Counting reported events, not
    time, keeps the rounds' mix (kills while opening, inside an edit, between edits) the same on a
    loaded machine; the delays only spread the kills within that moment."""

    event: str
    edit: int = 0
    delay: float = 0.0


def choose_kill(rng: random.Random) -> KillAt:
    roll = rng.random()
    if roll < 0.1:  # while opening the document (or right after)
        return KillAt("PID", delay=rng.uniform(0.0, MAX_DELAY))
    if roll < 0.5:  # as edit k begins: inside its transaction, or just before it
        return KillAt("BEGIN", edit=rng.randint(1, 3))
    # soon after edit k returned: between edits or inside the next one
    return KillAt("COMMIT", edit=rng.randint(1, 2), delay=rng.uniform(0.0, AFTER_COMMIT_DELAY))


def run_round(z: Zygote, seed: int, kill: KillAt) -> Round:
    r = Round()
    z.send(f"run {seed}")
    pid = None
    deadline = None
    while True:
        if deadline is not None and time.monotonic() >= deadline:
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            r.killed = True
            deadline = None  # now wait for EXIT
        timeout = HANG_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
        line = z.readline(timeout)
        if line is None:
            if deadline is None:
                raise AssertionError("the crash child stopped reporting:\n" + z.errors())
            continue
        word, _, rest = line.partition(" ")
        if word == "PID":
            pid = int(rest)
        elif word in ("BEGIN", "COMMIT"):
            n, kind, key, value = rest.split(" ")
            (r.begun if word == "BEGIN" else r.committed).append(Edit(int(n), kind, key, value))
        elif word == "EXIT":
            xpid, status = (int(x) for x in rest.split())
            assert xpid == pid
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                raise AssertionError(f"the editor ended by itself (status {status}):\n{z.errors()}")
            return r
        else:
            raise AssertionError(f"unexpected line from the crash child: {line!r}\n{z.errors()}")
        if not r.killed and deadline is None and word == kill.event and (word == "PID" or int(n) == kill.edit):
            if kill.delay <= 0:
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                r.killed = True
            else:
                deadline = time.monotonic() + kill.delay


@dataclass
class Model:
    """What the document must contain: the last committed value per key."""

    values: dict[str, str] = field(default_factory=dict)  # result:<code>, unit, article:<id>
    rows: set[str] = field(default_factory=set)
    evidence: dict[str, str] = field(default_factory=dict)  # token -> sha256
    new_articles: set[str] = field(default_factory=set)
    checked_blobs: set[str] = field(default_factory=set)


def read_state(path: Path) -> dict[str, object]:
    """Open the document the way the app does and read everything the edits touch."""
    doc = open_document(path)
    try:
        assert not doc.read_only, f"opened read-only after a kill: {doc.read_only_reason}"
        results = {
            f"result:{c.code}": (c.note, c.current_state) for c in criteria.checklist(doc, YEAR).criteria
        }
        unit = docsvc.get_unit(doc)
        assert unit is not None
        rows = {
            r.values["title"]: r.values
            for r in content.list_rows(doc, "activity", YEAR)
            if str(r.values["title"]).startswith("crash-")
        }
        evs = {e.title: e for e in evidence.list_evidence(doc, YEAR) if e.title.startswith("crash-")}
        conv = content.current_convention(doc)
        assert conv is not None
        articles = {a.id: a for ch in conv.chapters for a in ch.articles}
        return {
            "doc": doc,
            "results": results,
            "unit": (unit.head_name, unit.address),
            "rows": rows,
            "evidence": evs,
            "articles": articles,
        }
    except BaseException:
        doc.close()
        raise


def _stored_sha(doc: object, sha: str) -> str:
    h = hashlib.sha256()
    with doc.transaction() as s:  # type: ignore[attr-defined]
        for chunk in evidence.read_blob(s, sha):
            h.update(chunk)
    return h.hexdigest()


def _scalars(state: dict[str, object], model: Model) -> dict[str, tuple[str, bool]]:
    """key -> (value, fields written together agree) for every single-valued thing edits touch."""
    out: dict[str, tuple[str, bool]] = {}
    for key, (note, current) in state["results"].items():  # type: ignore[attr-defined]
        out[key] = (note, not note.startswith("crash-") or note == current)
    head, address = state["unit"]  # type: ignore[misc]
    out["unit"] = (head, not head.startswith("crash-") or head == address)
    for aid, a in state["articles"].items():  # type: ignore[attr-defined]
        key = f"article:{aid}"
        if key not in model.values and a.title.startswith("crash-"):
            model.values[key] = a.title  # an article added by an editor starts with body == title
        out[key] = (a.body, True)
    return out


def init_model(path: Path) -> Model:
    model = Model()
    state = read_state(path)
    try:
        model.values = {k: v for k, (v, _ok) in _scalars(state, model).items()}
    finally:
        state["doc"].close()  # type: ignore[attr-defined]
    return model


def check_round(path: Path, model: Model, rnd: Round, round_no: int) -> None:
    where = f"round {round_no}"
    pending = rnd.in_flight
    for e in rnd.committed:  # in order, so the last commit per key wins
        if e.kind in ("result", "unit", "article"):
            model.values[e.key] = e.value
    state = read_state(path)
    doc = state["doc"]
    try:
        for key, (actual, agree) in _scalars(state, model).items():
            assert agree, f"{where}: {key} was half written ({actual!r})"
            assert key in model.values, f"{where}: {key} appeared without any edit"
            allowed = {model.values[key]}
            if pending is not None and pending.key == key:
                allowed.add(pending.value)
            assert actual in allowed, f"{where}: {key} is {actual!r}, expected one of {sorted(allowed)}"
            model.values[key] = actual

        def check_set(kind: str, have: set[str], known: set[str]) -> set[str]:
            must = known | {e.value if kind != "evidence" else e.key.split(":", 1)[1] for e in rnd.committed if e.kind == kind}
            missing = must - have
            assert not missing, f"{where}: committed {kind} missing: {sorted(missing)[:3]}"
            extra = have - must
            allowed_extra = set()
            if pending is not None and pending.kind == kind:
                allowed_extra.add(pending.key.split(":", 1)[1])
            assert extra <= allowed_extra, f"{where}: {kind} never reported: {sorted(extra)[:3]}"
            return have

        rows = state["rows"]
        for title, values in rows.items():  # type: ignore[attr-defined]
            assert values["note"] == title and values["participants"] is not None, f"{where}: row {title} half written"
        model.rows = check_set("row", set(rows), model.rows)  # type: ignore[arg-type]
        arts = {a.title for a in state["articles"].values() if a.title.startswith("crash-")}  # type: ignore[attr-defined]
        model.new_articles = check_set("new-article", arts, model.new_articles)

        evs = state["evidence"]
        for e in rnd.committed:
            if e.kind == "evidence":
                model.evidence[e.key.split(":", 1)[1]] = e.value
        check_set("evidence", set(evs), set(model.evidence))  # type: ignore[arg-type]
        for title, ev in evs.items():  # type: ignore[attr-defined]
            want = model.evidence.get(title)
            if want is None:  # the in-flight one, committed after all
                assert pending is not None and pending.key == f"evidence:{title}"
                want = model.evidence[title] = pending.value
            assert ev.sha256 == want, f"{where}: evidence {title} has the wrong hash"
            if title not in model.checked_blobs:  # each stored file is read back once
                assert _stored_sha(doc, want) == want, f"{where}: stored bytes of {title} differ"
                model.checked_blobs.add(title)
    finally:
        doc.close()  # type: ignore[attr-defined]
    # Closed: the stale lock is removed and no hot journal is left. A kill before SQLite synced
    # the journal leaves one whose header is still zero: not hot, ignored by SQLite, and deleted
    # by the next commit (SQLite writes the header's magic only after syncing the journal).
    journal = path.with_name(path.name + "-journal")
    if journal.exists():
        with open(journal, "rb") as fh:
            assert fh.read(8) in (b"", bytes(8)), f"{where}: a hot journal is left after closing"
    assert not locking.lock_path(path).exists()
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.slow
def test_edits_reported_committed_survive_sigkill(demo_copy: Path, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("KHOI_CRASH_SEED", "20261129")))
    model = init_model(demo_copy)
    z = Zygote(demo_copy, tmp_path / "child-stderr.txt")
    started = time.monotonic()
    stats = {"rounds": 0, "commits": 0, "in_flight": 0, "kills_before_first_edit": 0}
    try:
        for i in range(ROUNDS):
            rnd = run_round(z, seed=rng.getrandbits(31), kill=choose_kill(rng))
            assert rnd.killed
            stats["rounds"] += 1
            stats["commits"] += len(rnd.committed)
            stats["in_flight"] += rnd.in_flight is not None
            stats["kills_before_first_edit"] += not rnd.begun
            check_round(demo_copy, model, rnd, i + 1)
    finally:
        z.close()
    elapsed = time.monotonic() - started
    print(
        f"\ncrash test: {stats['rounds']} kill rounds in {elapsed:.1f} s, {stats['commits']} edits committed, "
        f"{stats['in_flight']} kills during an edit, {stats['kills_before_first_edit']} before the first edit"
    )
    assert stats["rounds"] == ROUNDS
    # the kills must land both between and inside edits, or the test proves little
    assert stats["commits"] >= ROUNDS
    assert stats["in_flight"] >= ROUNDS // 4
