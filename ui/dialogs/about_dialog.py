"""«Giới thiệu Khối»: version, where the document and the log are, bundled criteria sets and libraries, licences."""

from __future__ import annotations

import platform as pyplatform
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from khoiapp import __version__, paths
from khoiapp import frameworks as fwlib

# (name shown, distribution name, licence) of what the app bundles and the user should know about.
COMPONENTS = (
    ("PySide6 (Qt for Python)", "PySide6_Essentials", "LGPL-3.0"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("Alembic", "alembic", "MIT"),
    ("ReportLab", "reportlab", "BSD"),
    ("pyHanko", "pyHanko", "MIT"),
    ("pyhanko-certvalidator", "pyhanko-certvalidator", "MIT"),
    ("pypdf", "pypdf", "BSD-3-Clause"),
    ("pypdfium2 (PDFium)", "pypdfium2", "Apache-2.0 / BSD-3-Clause"),
    ("Pillow", "pillow", "MIT-CMU"),
    ("cryptography", "cryptography", "Apache-2.0 / BSD-3-Clause"),
    ("python-pkcs11", "python-pkcs11", "MIT"),
    ("jsonschema", "jsonschema", "MIT"),
)

# (label, file under resources/, or None for the app's own LICENSE).
LICENCE_FILES = (
    ("Khối (MIT)", None),
    ("Các thành phần đi kèm", "licenses/THIRD-PARTY.md"),
    ("Qt, PySide6: GNU LGPL 3.0", "licenses/LGPL-3.0.txt"),
    ("GNU GPL 3.0 (LGPL dẫn chiếu)", "licenses/GPL-3.0.txt"),
    ("Apache 2.0", "licenses/Apache-2.0.txt"),
    ("Phông Liberation Serif (OFL 1.1)", "fonts/LiberationSerif-LICENSE.txt"),
    ("Phông Noto Serif (OFL 1.1)", "fonts/NotoSerif-OFL.txt"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AboutDialog", text)


def component_version(dist: str) -> str:
    """The installed version of a distribution, or "—" when its metadata is not bundled."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "—"


def components() -> list[tuple[str, str, str]]:
    """(name, version, licence) rows: Python and Qt first, then the libraries."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    rows = [
        ("Python", pyplatform.python_version(), "PSF-2.0"),
        ("Qt", qVersion(), "LGPL-3.0"),
    ]
    for name, dist, licence in COMPONENTS:
        version = pyside_version if dist == "PySide6_Essentials" else component_version(dist)
        rows.append((name, version, licence))
    return rows


def app_licence_text() -> str:
    """The app's own licence: beside the package in a checkout, in the app folder when built."""
    import sys

    candidates = [Path(__file__).resolve().parents[2] / "LICENSE"]
    base = getattr(sys, "_MEIPASS", None)
    if base:
        candidates.insert(0, Path(base) / "LICENSE")
    for c in candidates:
        if c.is_file():
            return c.read_text(encoding="utf-8")
    return "MIT License — Khối"


def licence_text(rel: str | None) -> str:
    if rel is None:
        return app_licence_text()
    try:
        return (paths.resources_dir() / rel).read_text(encoding="utf-8")
    except OSError:
        return _tr("Không tìm thấy tệp giấy phép «{name}»: bộ cài có thể bị thiếu tệp, hãy cài lại Khối.").format(
            name=rel
        )


class AboutDialog(QDialog):
    """Three tabs: the app, what it bundles (with versions), licence texts."""

    def __init__(self, document_path: object = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_tr("Giới thiệu Khối"))
        self.document_path = document_path
        self._build_ui()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)

        info = QWidget()
        il = QVBoxLayout(info)
        title = QLabel(_tr("<h2>Khối {v}</h2>").format(v=__version__))
        title.setTextFormat(Qt.TextFormat.RichText)
        il.addWidget(title)
        text = QLabel(
            _tr(
                "Tự đánh giá và lập hồ sơ xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, kiểu mẫu; "
                "xuất hồ sơ PDF và ký số. Chạy hoàn toàn trên máy, không cần Internet."
            )
        )
        text.setWordWrap(True)
        il.addWidget(text)
        doc = str(self.document_path) if self.document_path else _tr("(chưa có)")
        where = QLabel(
            _tr("Tài liệu đang mở: {path}\nThư mục dữ liệu: {data}\nNhật ký lỗi: {log}").format(
                path=doc, data=paths.user_data_dir(), log=paths.log_path()
            )
        )
        where.setObjectName("aboutPaths")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        il.addWidget(where)
        il.addStretch(1)
        self.tabs.addTab(info, _tr("Khối"))

        parts = QWidget()
        pl = QVBoxLayout(parts)
        pl.addWidget(QLabel(_tr("Bộ tiêu chí kèm theo:")))
        self.frameworks_table = self._table([_tr("Bộ tiêu chí"), _tr("Mã"), _tr("Phiên bản")])
        self.frameworks_table.setObjectName("aboutFrameworks")
        try:
            fws = fwlib.bundled_frameworks()
        except Exception:  # noqa: BLE001 - «Giới thiệu» must open even with a damaged criteria file
            fws = ()
        for fw in fws:
            self._add_row(self.frameworks_table, (fw.title, fw.key, fw.version))
        pl.addWidget(self.frameworks_table, 1)
        pl.addWidget(QLabel(_tr("Thành phần phần mềm đi kèm:")))
        self.components_table = self._table([_tr("Thành phần"), _tr("Phiên bản"), _tr("Giấy phép")])
        self.components_table.setObjectName("aboutComponents")
        for row in components():
            self._add_row(self.components_table, row)
        pl.addWidget(self.components_table, 2)
        self.tabs.addTab(parts, _tr("Thành phần"))

        lic = QWidget()
        ll = QHBoxLayout(lic)
        self.licence_list = QListWidget()
        self.licence_list.setObjectName("aboutLicences")
        self.licence_list.setMaximumWidth(260)
        for label, _rel in LICENCE_FILES:
            self.licence_list.addItem(label)
        self.licence_text = QTextBrowser()
        self.licence_text.setObjectName("aboutLicenceText")
        self.licence_text.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.licence_list.currentRowChanged.connect(self._on_licence_list_current_row_changed)
        ll.addWidget(self.licence_list)
        ll.addWidget(self.licence_text, 1)
        notice = _tr(
            "Qt và PySide6 được dùng theo giấy phép GNU LGPL 3.0, dưới dạng thư viện liên kết động: "
            "có thể thay bằng bản khác cùng phiên bản chính trong thư mục chương trình."
        )
        self.tabs.addTab(lic, _tr("Giấy phép"))
        note = QLabel(notice)
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(_tr("Đóng"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.licence_list.setCurrentRow(0)
        self.resize(860, 600)

    def _table(self, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i in range(1, len(headers)):
            t.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        return t

    def _add_row(self, table: QTableWidget, values: tuple[str, ...]) -> None:
        r = table.rowCount()
        table.insertRow(r)
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(str(v)))

    def _on_licence_list_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(LICENCE_FILES):
            _label, rel = LICENCE_FILES[row]
            text = licence_text(rel)
            if rel is not None and rel.endswith(".md"):
                self.licence_text.setMarkdown(text)
            else:
                self.licence_text.setPlainText(text)
