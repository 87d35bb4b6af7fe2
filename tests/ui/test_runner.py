"""The document runner: its two ways in, callbacks on the GUI thread, order, errors, closing."""

from __future__ import annotations

import threading

import pytest

from khoiapp.db import open_document
from khoiapp.errors import BadInputError
from khoiapp.services import document as docsvc
from ui.context import AppContext

YEAR = 2026
WAIT_MS = 10_000


@pytest.fixture
def ctx(qtbot, blank_doc_path):  # type: ignore[no-untyped-def]
    c = AppContext()
    c.set_document(open_document(blank_doc_path), YEAR)
    yield c
    c.set_document(None, None)
    c.runner.shutdown()


def test_query_runs_on_the_runner_and_answers_on_the_gui_thread(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    ran_on: list[int] = []
    answered_on: list[int] = []
    got: list[object] = []

    def read(doc):  # type: ignore[no-untyped-def]
        ran_on.append(threading.get_ident())
        return docsvc.get_unit(doc)

    def done(unit) -> None:  # type: ignore[no-untyped-def]
        answered_on.append(threading.get_ident())
        got.append(unit)

    ctx.query(read, done)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    assert ran_on == [ctx.runner.thread_ident] != [threading.get_ident()]
    assert answered_on == [threading.get_ident()]
    assert got[0].name == "Sở Tư pháp tỉnh Thanh Hóa"


def test_mutate_emits_its_changes_once_then_calls_back(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    seen: list[object] = []
    ctx.document_changed.connect(lambda ch: seen.append(("changed", ch)))
    ctx.mutate(lambda d: docsvc.update_unit(d, phone="0237 3 852 111"), lambda ch: seen.append(("done", ch)))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert [k for k, _ in seen] == ["changed", "done"]
    assert seen[0][1] == docsvc.Changes(unit=True)
    assert ctx.read(docsvc.get_unit).phone == "0237 3 852 111"


def test_jobs_run_in_the_order_asked(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    order: list[str] = []
    for name in ("a", "b", "c"):
        ctx.mutate(lambda d, n=name: (order.append(n), docsvc.update_unit(d, email=f"{n}@example.vn"))[1])
    assert ctx.read(docsvc.get_unit).email == "c@example.vn"  # a waiting read queues behind them
    assert order == ["a", "b", "c"]


def test_a_failure_goes_to_show_error_unless_handled(qtbot, ctx, messages) -> None:  # type: ignore[no-untyped-def]
    handled: list[BaseException] = []
    ctx.mutate(lambda d: docsvc.update_unit(d, staff_count="nhiều"), on_error=handled.append)
    qtbot.waitUntil(lambda: bool(handled), timeout=WAIT_MS)
    assert isinstance(handled[0], BadInputError) and messages == []
    ctx.mutate(lambda d: docsvc.update_unit(d, staff_count="nhiều"))
    qtbot.waitUntil(lambda: bool(messages), timeout=WAIT_MS)
    assert len(messages) == 1 and messages[0].text == str(handled[0])


def test_an_edit_enters_the_undo_stack_only_after_it_was_saved(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInputError):
        ctx.push("sửa số cán bộ", lambda: docsvc.update_unit(ctx.doc, staff_count="nhiều"), lambda: docsvc.Changes())
    assert ctx.undo_stack.count() == 0
    ctx.push(
        "sửa số cán bộ",
        lambda: docsvc.update_unit(ctx.doc, staff_count="64"),
        lambda: docsvc.update_unit(ctx.doc, staff_count=""),
    )
    assert ctx.undo_stack.count() == 1 and ctx.read(docsvc.get_unit).staff_count == 64
    ctx.undo_stack.undo()
    assert ctx.read(docsvc.get_unit).staff_count is None


def test_closing_runs_after_the_work_already_queued_and_later_work_is_dropped(qtbot, ctx, messages) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    gate = threading.Event()
    ran: list[str] = []
    ctx.query(lambda d: gate.wait(5))  # holds the runner a moment
    ctx.query(lambda d: ran.append(f"read {docsvc.get_unit(d).name}"), lambda _r: ran.append("answered"))
    old = ctx.doc
    gate.set()
    ctx.set_document(None, None)  # queued after both: they still see the document
    assert old is not None and old.closed
    qtbot.waitUntil(lambda: "answered" in ran, timeout=WAIT_MS)
    assert ran == ["read Sở Tư pháp tỉnh Thanh Hóa", "answered"]
    # asked after closing: nothing runs, nothing is shown
    ctx.query(lambda d: ran.append("after"), lambda _r: ran.append("after answered"))
    ctx.runner.wait_idle()
    for _ in range(5):
        QApplication.processEvents()
    assert ran == ["read Sở Tư pháp tỉnh Thanh Hóa", "answered"] and messages == []
