"""The Qt binding in use must not corrupt Python's reference counts when signals are emitted.

PySide6 6.12.0 returns ``True`` from ``Signal.emit`` without taking a reference: every emit
from Python lowers ``True``'s count by one and a long session ends in "Fatal Python error:
bool_dealloc". The constraints pin a version without that bug; this test keeps it that way.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    pair = Signal(int, int)
    obj = Signal(object)
    bare = Signal()


def test_signal_emit_keeps_reference_counts(qapp: object) -> None:
    e = _Emitter()
    e.pair.connect(lambda a, b: None)
    e.obj.connect(lambda o: None)
    e.bare.connect(lambda: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        e.pair.emit(1, 2)
        e.obj.emit(None)
        e.bare.emit()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before


def test_application_has_the_khoi_icon(qapp: object) -> None:
    from ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(32, 32).toImage().isNull()
