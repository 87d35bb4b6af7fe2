"""The backups of the open document: when, why, how big; restore one after a confirmation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import DocumentLockedError
from khoiapp import textformat
from khoiapp.services import backups
from khoiapp.services import document as docsvc
from ui.context import AppContext
from ui.errors import ask, inform, show_error
from ui.tasks import run_task

_UPGRADE = re.compile(r"^nang-cap-(?P<rev>.+)$")


class BackupsDialog(QDialog):
    """Lists ``backups.list_backups(ctx.doc.path)``; "Khôi phục" puts the chosen one back."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[backups.BackupInfo] = []
        self.setWindowTitle(self.tr("Bản sao lưu"))
        self.resize(640, 360)
        self._build_ui()
        self.reload()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        self.info_label = QLabel()
        self.info_label.setObjectName("backupsInfo")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.info_label)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Thời điểm"), self.tr("Lý do"), self.tr("Dung lượng")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        lay.addWidget(self.table)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(self.tr("Khôi phục"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button = QPushButton(self.tr("Sao lưu ngay"))
        self.backup_button.setObjectName("backupNowButton")
        self.backup_button.setToolTip(self.tr("Chép tài liệu hiện tại thành một bản sao lưu mới"))
        self.backup_button.clicked.connect(self.backup_now)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        lay.addWidget(buttons)

    # ------------------------------------------------------------------ data

    def reason_text(self, reason: str) -> str:
        labels = {
            "thu-cong": self.tr("Sao lưu thủ công"),
            "truoc-khoi-phuc": self.tr("Trước khi khôi phục một bản sao lưu"),
            "truoc-nhap-ho-so": self.tr("Trước khi nhập hồ sơ"),
        }
        if reason in labels:
            return labels[reason]
        m = _UPGRADE.match(reason)
        if m:
            return self.tr("Trước khi nâng cấp tài liệu lên định dạng mới (từ bản {rev})").format(rev=m.group("rev"))
        return reason.replace("-", " ")

    def size_text(self, n: int) -> str:
        return textformat.format_size(n)

    def reload(self) -> None:
        doc = self.ctx.doc
        self.items = backups.list_backups(doc.path) if doc is not None else []
        self.table.setRowCount(len(self.items))
        for row, b in enumerate(self.items):
            cells = (textformat.format_time(b.created_at), self.reason_text(b.reason), self.size_text(b.size))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(b.path.name)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        if doc is None:
            self.info_label.setText(self.tr("Chưa mở tài liệu nào."))
        elif not self.items:
            self.info_label.setText(
                self.tr(
                    "Tài liệu này chưa có bản sao lưu nào. Khối tự sao lưu trước khi nâng cấp tài liệu, "
                    "nhập hồ sơ hoặc khôi phục, và giữ {keep} bản gần nhất trong thư mục «{folder}»."
                ).format(keep=backups.KEEP, folder=backups.backup_dir(doc.path))
            )
        else:
            self.info_label.setText(
                self.tr(
                    "Khối tự sao lưu trước khi nâng cấp tài liệu, nhập hồ sơ hoặc khôi phục, và giữ {keep} bản "
                    "gần nhất trong thư mục «{folder}». Chọn một bản rồi bấm «Khôi phục»."
                ).format(keep=backups.KEEP, folder=backups.backup_dir(doc.path))
            )
        if self.items:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.items[rows[0].row()]

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.ctx.doc is not None and self.selected() is not None)
        self.backup_button.setEnabled(self.ctx.doc is not None)

    def backup_now(self) -> Any:
        """Make a backup of the open document now, in the background (a consistent copy through
        SQLite's backup API, on a connection of its own); the list shows it when done."""
        doc = self.ctx.doc
        if doc is None:
            return None
        path = doc.path
        self.backup_button.setEnabled(False)

        def work(_progress: Any, _is_cancelled: Any) -> Path:
            return backups.make_backup(path, reason="thu-cong")

        def done(_made: Path) -> None:
            self.reload()

        def failed(exc: BaseException) -> None:
            show_error(self, exc)  # nothing changed
            self._update_buttons()

        return run_task(self, work, title=self.tr("Đang sao lưu tài liệu…"), on_done=done, on_error=failed,
                        cancellable=False)

    # ------------------------------------------------------------------ restore

    def restore_selected(self) -> None:
        chosen = self.selected()
        doc = self.ctx.doc
        if chosen is None or doc is None:
            return
        if doc.locked_by:
            show_error(self, DocumentLockedError(doc.path, doc.locked_by))
            return
        when = textformat.format_time(chosen.created_at)
        if not ask(
            self,
            self.tr("Khôi phục bản sao lưu"),
            self.tr(
                "Đưa tài liệu về bản sao lưu lúc {when} ({reason})? Mọi thay đổi sau thời điểm đó sẽ không còn "
                "trong tài liệu, nhưng tài liệu hiện tại được sao lưu trước khi khôi phục nên có thể quay lại."
            ).format(when=when, reason=self.reason_text(chosen.reason).lower()),
            self.tr("Khôi phục"),
            self.tr("Hủy"),
        ):
            return
        path, year = doc.path, self.ctx.year
        self.ctx.set_document(None, None)  # close it: the file is about to be replaced

        def work(_progress: Any, _is_cancelled: Any) -> Any:
            from khoiapp.services.backups import restore_document

            return restore_document(path, chosen.path)

        def reopen() -> None:
            runner = self.ctx.runner
            try:
                new_doc = runner.open(path)
                years = [p.year_end for p in runner.run_owned(lambda: docsvc.list_periods(new_doc))]
            except Exception as exc:  # noqa: BLE001 - shown to the user; the backups stay listed
                show_error(self, exc)
                self.reload()
                return
            self.ctx.set_document(new_doc, year if year in years else (years[-1] if years else None))
            self.reload()

        def done(outcome: Any) -> None:
            reopen()
            text = self.tr("Đã khôi phục tài liệu về bản sao lưu lúc {when}.").format(when=when)
            if outcome.saved_current is not None:
                text += " " + self.tr("Tài liệu trước khi khôi phục được giữ thành bản sao lưu mới nhất.")
            if outcome.damaged_copy is not None:
                text += " " + self.tr("Tệp cũ bị hỏng được giữ lại ở «{path}».").format(path=outcome.damaged_copy)
            inform(self, self.tr("Đã khôi phục"), text)

        def failed(exc: BaseException) -> None:
            show_error(self, exc)
            reopen()  # nothing was replaced: open the document again as it was

        run_task(self, work, title=self.tr("Đang khôi phục tài liệu…"), on_done=done, on_error=failed, cancellable=False)
