"""«Tổng hợp khối»: unit list, folder, filtered table, charts, per-unit detail and exports, off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTableWidgetItem

from khoiapp.bloc import figures
from khoiapp.services import trust
from tests import bloc_data as bd
from ui import settings
from ui.dialogs.bloc_workspace import BlocWorkspace


def _trust(bloc: bd.Bloc, tmp_path: Path) -> None:
    for n, pem in enumerate((bloc.cert_pem, bloc.impostor_pem)):
        p = tmp_path / f"c{n}.pem"
        p.write_bytes(pem)
        trust.add_trusted(p)


def _computed(qtbot, bloc: bd.Bloc, tmp_path: Path) -> BlocWorkspace:
    _trust(bloc, tmp_path)
    w = BlocWorkspace(None)
    qtbot.addWidget(w)
    w.resize(1366, 700)
    w.show()
    assert w.load_unit_list(bloc.unit_list)
    w.set_folder(bloc.folder)
    w.year_from.setValue(2021)
    w.year_to.setValue(2023)
    with qtbot.waitSignal(w.computed, timeout=120_000):
        assert w.start() is not None
    return w


def test_workspace_computes_filters_and_drills_down(qtbot, bloc30: bd.Bloc, tmp_path: Path) -> None:
    w = _computed(qtbot, bloc30, tmp_path)
    r = w.report
    assert r is not None and w.unit_model.rowCount() == 30 and w.list_table.rowCount() == 30
    assert f"{r.cultural}/30" in w.totals_label.text()
    w.status_filter.setCurrentIndex(w.status_filter.findData("not-counted"))
    assert w.unit_proxy.rowCount() == 4
    w.status_filter.setCurrentIndex(0)
    w.type_filter.setCurrentIndex(w.type_filter.findData("doanh-nghiep"))
    w.result_filter.setCurrentIndex(w.result_filter.findData(figures.MISSING))
    names = [w.unit_proxy.index(i, 1).data() for i in range(w.unit_proxy.rowCount())]
    assert names == [bd.name(i) for i in bd.MISSING]
    w.type_filter.setCurrentIndex(0)
    w.result_filter.setCurrentIndex(w.result_filter.findData(figures.NOT_COUNTED))
    w.unit_table.selectRow(0)
    html = w.detail.toPlainText()
    assert bd.name(bd.IMPOSTOR) in html and "Chữ ký không thuộc đơn vị" in html and "Người ký khác" in html
    assert len(w.criteria_chart.bars) == 10 and sum(v for _, v, _ in w.result_chart.bars) == 30
    assert w.file_model.rowCount() == len(r.rows)


def test_workspace_exports_in_the_background(qtbot, bloc30: bd.Bloc, tmp_path: Path) -> None:
    w = _computed(qtbot, bloc30, tmp_path)
    for kind in ("xlsx", "docx", "pdf", "csv"):
        out = tmp_path / f"ra.{kind}"
        task = w.export(kind, out)
        assert task is not None
        qtbot.waitUntil(lambda: not w.running, timeout=60_000)
        assert out.stat().st_size > 0 and str(out) in w.totals_label.text()
    from khoiapp.bloc import pdf_report
    from khoiapp.services.export import SignRequest

    req = SignRequest(p12_path=bloc30.folder.parent / "work" / "khoi.p12", password=bd.PASSWORD, visible=False)
    signed = tmp_path / "ky.pdf"
    assert w.export("pdf", signed, sign=req) is not None
    qtbot.waitUntil(lambda: not w.running, timeout=60_000)
    data, verdict, signer, _t, _p = pdf_report.check_summary_pdf(signed, [bloc30.cert_pem], use_trust_store=False)
    assert (verdict, signer) == ("ok", "Đảng ủy Khối thử nghiệm") and len(data["unit_list"]) == 30


def test_pdf_sign_dialog_offers_the_export_choices(qtbot) -> None:
    from ui.dialogs.bloc_workspace import PdfSignDialog
    from ui.dialogs.sign_options import MODE_NONE

    d = PdfSignDialog(None)
    qtbot.addWidget(d)
    d.options.set_mode(MODE_NONE)
    assert d.options.sign_request(d) is None


def test_edited_unit_list_is_checked_and_saved(qtbot, bloc30: bd.Bloc, tmp_path: Path, messages) -> None:
    w = BlocWorkspace(None)
    qtbot.addWidget(w)
    assert w.load_unit_list(bloc30.unit_list)
    w.add_unit_row()
    w.list_table.setItem(30, 0, QTableWidgetItem(bd.name(3).upper()))
    w.set_folder(bloc30.folder)
    assert w.start() is None
    assert messages and "trùng với dòng 4" in messages[-1].text
    w.remove_unit_row()
    out = w.save_unit_list(tmp_path / "ds.csv")
    assert out is not None and len(w.edited_unit_list()) == 30


def test_percent_rule_is_a_setting(qtbot) -> None:
    w = BlocWorkspace(None)
    qtbot.addWidget(w)
    w.rule_combo.setCurrentIndex(w.rule_combo.findData(figures.TRUNCATE))
    assert settings.get(settings.BLOC_PERCENT_RULE) == figures.TRUNCATE
    again = BlocWorkspace(None)
    qtbot.addWidget(again)
    assert again.rule_combo.currentData() == figures.TRUNCATE
