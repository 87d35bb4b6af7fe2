"""«Nhập hồ sơ năm trước»: choose the dossier, see its verification in plain words, see what will
be carried over and what changed, confirm, watch the progress, done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from khoiapp.errors import KhoiError
from khoiapp.textformat import format_size, format_time
from khoiapp.services.document import MAX_YEAR, MIN_YEAR
from ui import settings
from ui.context import AppContext
from ui.tasks import Task, run_task

GREEN, AMBER, RED = "green", "amber", "red"
_COLOURS = {
    GREEN: ("#1b5e20", "#e8f5e9"),
    AMBER: ("#7a4b00", "#fff4e0"),
    RED: ("#b71c1c", "#fdecea"),
}

PAGE_CHOOSE, PAGE_VERIFY, PAGE_SUMMARY, PAGE_CONFIRM, PAGE_PROGRESS, PAGE_DONE = range(6)


def _mb(n: int) -> str:
    return format_size(n)


class _Banner(QLabel):
    """A coloured box with the verification verdict in words."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.level: str | None = None

    def show_level(self, level: str, text: str) -> None:
        self.level = level
        fg, bg = _COLOURS[level]
        self.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid {fg}; padding: 10px; }}")
        self.setText(text)


class ChoosePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Chọn hồ sơ năm trước"))
        self._build_ui()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Chọn tệp hồ sơ PDF do Khối xuất năm trước (bản đã ký số nếu có). Khối sẽ kiểm tra chữ ký, "
                "đọc dữ liệu trong hồ sơ và tạo kỳ đánh giá mới với kết quả năm trước để anh/chị xác nhận."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("dossierPath")
        self.path_edit.setPlaceholderText(self.tr("Đường dẫn tệp hồ sơ .pdf"))
        self.browse = QPushButton(self.tr("Chọn tệp…"))
        self.browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        lay.addLayout(row)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel(self.tr("Năm của kỳ đánh giá mới:")))
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("targetYear")
        self.year_spin.setRange(MIN_YEAR - 1, MAX_YEAR)
        self.year_spin.setGroupSeparatorShown(False)
        self.year_spin.setSpecialValueText(self.tr("tự động (năm của hồ sơ + 1)"))
        self.year_spin.setValue(MIN_YEAR - 1)
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)
        lay.addLayout(year_row)
        self.new_label = QLabel(self.tr("Chưa mở tài liệu nào: Khối sẽ tạo tài liệu mới tại:"))
        self.new_edit = QLineEdit()
        self.new_edit.setObjectName("newDocumentPath")
        lay.addWidget(self.new_label)
        lay.addWidget(self.new_edit)
        has_doc = self.wiz.ctx.doc is not None
        self.new_label.setVisible(not has_doc)
        self.new_edit.setVisible(not has_doc)
        lay.addStretch(1)
        self.path_edit.textChanged.connect(self.completeChanged)
        self.new_edit.textChanged.connect(self.completeChanged)

    def _on_browse_clicked(self) -> None:
        fname, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn hồ sơ PDF"), settings.start_folder(settings.DOSSIER_FOLDER),
            self.tr("Hồ sơ PDF (*.pdf);;Mọi tệp (*)"),
        )
        if fname:
            settings.remember_folder(settings.DOSSIER_FOLDER, fname)
            self.path_edit.setText(fname)
            if not self.new_edit.text():
                self.new_edit.setText(str(Path(fname).with_suffix(".khoi")))

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        if not Path(self.path_edit.text().strip()).is_file():
            return False
        if self.wiz.ctx.doc is None:
            target = self.new_edit.text().strip()
            return bool(target) and not Path(target).exists() and Path(target).parent.is_dir()
        return True

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self.wiz.dossier = Path(self.path_edit.text().strip())
        self.wiz.new_path = Path(self.new_edit.text().strip()) if self.wiz.ctx.doc is None else None
        y = self.year_spin.value()
        self.wiz.year = None if y < MIN_YEAR else y
        return True


class VerifyPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Kiểm tra hồ sơ"))
        self._build_ui()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        self.banner = _Banner()
        self.banner.setObjectName("verdict")
        lay.addWidget(self.banner)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.details)
        self.accept_box = QCheckBox(
            self.tr("Tôi vẫn muốn nhập hồ sơ chưa xác minh (kỳ đánh giá mới sẽ ghi rõ điều này)")
        )
        self.accept_box.setObjectName("acceptUnverified")
        self.accept_box.toggled.connect(self.completeChanged)
        lay.addWidget(self.accept_box)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.wiz.plan = None
        self.wiz.error = None
        self.accept_box.setChecked(False)
        self.accept_box.setVisible(False)
        self.banner.show_level(AMBER, self.tr("Đang kiểm tra chữ ký số và dữ liệu của hồ sơ…"))
        self.details.setText("")
        self.wiz.inspect(self._on_inspected, self._on_failed)

    def _on_inspected(self, result: tuple[Any, list[str], KhoiError | None, str | None]) -> None:
        plan, _diff_lines, exc, verdict = result
        if exc is not None:
            self._show_refusal(exc, verdict)
            return
        self.wiz.plan = plan
        self.wiz.diff_lines = _diff_lines
        signer = plan.signer or self.tr("không rõ")
        org = f" ({plan.signer_org})" if plan.signer_org else ""
        when = f", {self.tr('ký lúc')} {format_time(plan.signing_time)}" if plan.signing_time else ""
        if plan.verdict == "ok":
            self.banner.show_level(
                GREEN,
                self.tr("Hồ sơ nguyên vẹn, chữ ký số hợp lệ và người ký được tin cậy.")
                + f"\n{self.tr('Người ký')}: {signer}{org}{when}.",
            )
        elif plan.verdict == "untrusted":
            self.banner.show_level(
                AMBER,
                self.tr(
                    "Hồ sơ nguyên vẹn và chữ ký số hợp lệ, nhưng chứng thư của người ký chưa có trong danh sách "
                    "tin cậy. Nếu đã xác nhận với đơn vị ký, hãy thêm chứng thư của họ trong phần Cài đặt."
                )
                + f"\n{self.tr('Người ký')}: {signer}{org}{when}.",
            )
        elif plan.verdict == "unsigned":
            self.banner.show_level(
                AMBER,
                self.tr(
                    "Hồ sơ chưa được ký số: không có gì bảo đảm nội dung không bị sửa. "
                    "Nên xin đơn vị bản hồ sơ đã ký."
                ),
            )
        else:
            self.banner.show_level(
                RED,
                self.tr(
                    "Hồ sơ không qua được kiểm tra chữ ký số: tệp có thể đã bị sửa sau khi ký. "
                    "Không nên nhập; hãy xin lại bản hồ sơ gốc từ đơn vị."
                ),
            )
        self.details.setText("\n".join(f"• {p}" for p in plan.problems))
        self.accept_box.setVisible(plan.verdict != "ok")
        self.completeChanged.emit()

    def _show_refusal(self, exc: BaseException, verdict: str | None) -> None:
        self.wiz.error = exc
        msg = exc.message if isinstance(exc, KhoiError) else self.tr("Khối không đọc được hồ sơ này.")
        head = self.tr("Không nhập được hồ sơ này.")
        if verdict == "invalid":
            head = self.tr(
                "Hồ sơ không qua được kiểm tra chữ ký số: tệp đã bị sửa sau khi ký. Không nhập được hồ sơ này."
            )
        self.banner.show_level(RED, head + "\n" + msg)
        self.accept_box.setVisible(False)
        self.completeChanged.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._show_refusal(exc, None)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        plan = self.wiz.plan
        if plan is None or self.wiz.error is not None:
            return False
        return plan.verdict == "ok" or self.accept_box.isChecked()


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Những gì sẽ được chuyển sang"))
        lay = QVBoxLayout(self)
        self.text = QPlainTextEdit()
        self.text.setObjectName("summary")
        self.text.setReadOnly(True)
        lay.addWidget(self.text)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        plan = self.wiz.plan
        assert plan is not None
        lines = [
            self.tr("Đơn vị: {0}").format(plan.unit_name),
            self.tr("Hồ sơ năm {0} → kỳ đánh giá mới năm {1}.").format(plan.source_year, plan.target_year),
            self.tr("• {0} tiêu chí mang kết quả năm trước, ở trạng thái «cần xác nhận».").format(plan.criteria),
            self.tr("• {0} minh chứng ({1} tệp, {2}), đánh dấu «từ năm trước».").format(
                plan.evidence, plan.evidence_files, _mb(plan.evidence_bytes)
            ),
            self.tr("• Thông tin đơn vị, Ban chỉ đạo ({0} người).").format(plan.committee_members),
        ]
        if plan.convention_title:
            lines.append(self.tr("• Quy ước «{0}».").format(plan.convention_title))
        lines.append(self.tr("• Bộ quy tắc ứng xử ({0} quy tắc).").format(plan.conduct_rules))
        lines.append(self.tr("Hoạt động, khen thưởng và kế hoạch của năm trước không chuyển sang."))
        for f in plan.frameworks:
            if f.source != "dossier":
                lines.append(
                    self.tr("Bộ tiêu chí «{0}» có phiên bản mới hơn ({1}; hồ sơ dùng {2}): tiêu chí được ghép theo mã.").format(
                        f.title, f.version, f.dossier_version
                    )
                )
            if f.unmatched:
                lines.append(self.tr("Tiêu chí không còn trong bộ mới: {0}.").format(", ".join(f.unmatched)))
            if f.added:
                lines.append(self.tr("Tiêu chí mới, chưa có kết quả: {0}.").format(", ".join(f.added)))
            if f.reworded:
                lines.append(
                    self.tr("Tiêu chí đổi nội dung, phải xác nhận từng mục: {0}.").format(", ".join(f.reworded))
                )
        lines += [self.tr("Lưu ý: {0}").format(n) for n in plan.notes]
        if self.wiz.diff_lines:
            lines.append("")
            lines.append(self.tr("So với năm {0} trong tài liệu đang mở:").format(plan.source_year))
            lines += self.wiz.diff_lines
        self.text.setPlainText("\n".join(lines))


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Xác nhận"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Nhập"))
        lay = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        plan = self.wiz.plan
        assert plan is not None
        if self.wiz.ctx.doc is not None:
            where = self.tr(
                "Khối sẽ sao lưu tài liệu đang mở, rồi tạo kỳ đánh giá năm {0} trong tài liệu. "
                "Nếu có lỗi, tài liệu giữ nguyên như trước."
            ).format(plan.target_year)
        else:
            where = self.tr("Khối sẽ tạo tài liệu mới «{0}» với kỳ đánh giá năm {1}.").format(
                self.wiz.new_path, plan.target_year
            )
        self.label.setText(where + "\n\n" + self.tr("Nhấn «Nhập» để bắt đầu."))


class ProgressPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Đang nhập hồ sơ"))
        lay = QVBoxLayout(self)
        self.bar = QProgressBar()
        self.bar.setObjectName("progress")
        self.bar.setRange(0, 0)
        lay.addWidget(self.bar)
        self.status = _Banner()
        self.status.setVisible(False)
        lay.addWidget(self.status)
        lay.addStretch(1)
        self.done = False

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.done = False
        self.status.setVisible(False)
        self.wiz.run_import(self._on_progress, self._on_done, self._on_failed)

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))

    def _on_done(self, _result: object) -> None:
        self.done = True
        self.bar.setRange(0, 1000)
        self.bar.setValue(1000)
        self.completeChanged.emit()
        # not from inside initializePage (the task may finish at once): let the wizard settle first
        QTimer.singleShot(0, self.wiz, self.wiz.next)  # dropped if the wizard is gone by then

    def _on_failed(self, exc: BaseException) -> None:
        self.wiz.error = exc
        msg = exc.message if isinstance(exc, KhoiError) else self.tr(
            "Khối gặp lỗi không lường trước nên chưa nhập được; tài liệu giữ nguyên như trước."
        )
        self.status.show_level(RED, msg)
        self.status.setVisible(True)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.done


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("Đã nhập xong"))
        self.setFinalPage(True)
        lay = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("doneText")
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        r = self.wiz.result
        assert r is not None
        lines = [
            self.tr("Đã tạo kỳ đánh giá năm {0} từ hồ sơ năm {1}.").format(r.year, r.source_year),
            self.tr(
                "{0} tiêu chí đang chờ xác nhận: trong trang Tiêu chí, các tiêu chí này được đánh dấu và "
                "kết quả năm trước hiện ở khung chi tiết. Dùng «Xác nhận tất cả tiêu chí không đổi» để "
                "xác nhận một lần."
            ).format(r.criteria_to_confirm),
            self.tr("{0} minh chứng được chuyển sang (đánh dấu «từ năm trước»).").format(r.evidence),
        ]
        if r.backup:
            lines.append(self.tr("Bản sao lưu trước khi nhập: {0}").format(r.backup))
        lines += [self.tr("Lưu ý: {0}").format(n) for n in r.notes]
        self.label.setText("\n\n".join(lines))
        # the import is done: «Hủy» would undo nothing, so only «Xong» is offered
        self.wiz.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton])


class ImportWizard(QWizard):
    """Import last year's dossier into the open document (or a new one when none is open)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier: Path | None = None
        self.new_path: Path | None = None
        self.year: int | None = None
        self.plan: Any = None
        self.diff_lines: list[str] = []
        self.result: Any = None
        self.error: BaseException | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Nhập hồ sơ năm trước"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Tiếp"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Quay lại"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Hủy"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Xong"))
        self.choose_page = ChoosePage(self)
        self.verify_page = VerifyPage(self)
        self.summary_page = SummaryPage(self)
        self.confirm_page = ConfirmPage(self)
        self.progress_page = ProgressPage(self)
        self.done_page = DonePage(self)
        for pid, page in enumerate(
            (self.choose_page, self.verify_page, self.summary_page, self.confirm_page, self.progress_page, self.done_page)
        ):
            self.setPage(pid, page)
        self.resize(640, 480)

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()  # the import stops and rolls back; the document stays as it was
        super().reject()

    # -- work in the background

    def inspect(self, on_done: Any, on_error: Any) -> None:
        from khoiapp.services import diff as diffsvc
        from khoiapp.services import importer

        doc = self.ctx.doc
        runner = self.ctx.runner
        path = self.dossier
        year = self.year
        assert path is not None

        def work(progress: Any, is_cancelled: Any) -> tuple[Any, list[str], KhoiError | None, str | None]:
            try:
                if doc is not None:  # compared with the open document: read on its thread
                    plan = runner.call(lambda d: importer.inspect_dossier(path, doc=d, year=year))
                else:
                    plan = importer.inspect_dossier(path, doc=None, year=year)
            except KhoiError as exc:
                # say first whether the file was changed after signing, then why it cannot be imported
                verdict = None
                try:
                    from khoiapp.services.verify import verify_dossier

                    verdict = verify_dossier(path).verdict
                except KhoiError:
                    pass
                return None, [], exc, verdict
            lines: list[str] = []
            if doc is not None:
                lines = runner.call(lambda d: _diff_with_document(d, path, plan.source_year, diffsvc))
            return plan, lines, None, plan.verdict

        self.task = run_task(self, work, title=self.tr("Đang kiểm tra hồ sơ…"), on_done=on_done, on_error=on_error)

    def run_import(self, on_progress: Any, on_done: Any, on_error: Any) -> None:
        from khoiapp.services import importer

        path = self.dossier
        assert path is not None and self.plan is not None
        accept = self.plan.verdict != "ok" and self.verify_page.accept_box.isChecked()
        doc = self.ctx.doc
        runner = self.ctx.runner
        new_path = self.new_path
        year = self.year

        def work(progress: Any, is_cancelled: Any) -> Any:
            if doc is not None:  # one write transaction, on the document's thread
                return runner.call_mutate(
                    lambda d: importer.import_dossier(
                        d, path, year=year, accept_unverified=accept, progress=progress, is_cancelled=is_cancelled
                    )
                )
            assert new_path is not None
            return importer.import_new(
                path, new_path, year=year, accept_unverified=accept, progress=progress, is_cancelled=is_cancelled
            )

        def done(result: Any) -> None:
            self.result = result
            self._refresh_window(result)
            on_done(result)

        self.task = run_task(self, work, title=self.tr("Đang nhập hồ sơ…"), on_done=done, on_error=on_error)
        self.task.progress.connect(on_progress)

    def _refresh_window(self, result: Any) -> None:
        if self.ctx.doc is not None:
            self.ctx.emit_changes(result.changes)
            self.ctx.set_year(result.year)
            return
        try:
            doc = self.ctx.runner.open(result.document)
        except KhoiError as exc:
            self.error = exc
            return
        self.ctx.set_document(doc, result.year)


def _diff_with_document(doc: Any, path: Path, year: int, diffsvc: Any) -> list[str]:
    """How the dossier differs from the same year in the open document (empty if that year is absent)."""
    from khoiapp.errors import PeriodNotFoundError
    from khoiapp.services.payload import build_payload

    try:
        mine = build_payload(doc, year, clock=dt.datetime.now().astimezone(), draft=True)
    except PeriodNotFoundError:
        return []
    d = diffsvc.diff_payloads(mine, diffsvc.load_payload(path))
    return list(d.lines())


__all__ = ["ImportWizard"]
