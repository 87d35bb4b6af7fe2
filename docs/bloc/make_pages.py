"""Screenshots of the «Tổng hợp khối» workspace (units, charts, files read) and PNGs of the summary PDF, from the 30-unit test bloc (run from the repository root)."""
import os, sys, subprocess, shutil, tempfile
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
root = Path(tempfile.mkdtemp(prefix="khoi-bloc-")); shutil.rmtree(root, ignore_errors=True); root.mkdir(parents=True)
os.environ["KHOI_DATA_DIR"] = str(root / "data"); os.environ["KHOI_CONFIG_DIR"] = str(root / "config")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests import bloc_data as bd
from PySide6.QtWidgets import QApplication
app = QApplication([])
from khoiapp.services import trust
bloc = bd.build_bloc(root)
for n, pem in enumerate((bloc.cert_pem, bloc.impostor_pem)):
    p = root / f"c{n}.pem"; p.write_bytes(pem); trust.add_trusted(p)
from ui.dialogs.bloc_workspace import BlocWorkspace
w = BlocWorkspace(None); w.resize(1366, 720); w.show()
w.workers = 1  # this script has no __main__ guard, so no spawned readers
w.load_unit_list(bloc.unit_list); w.set_folder(bloc.folder)
w.year_from.setValue(2021); w.year_to.setValue(2023)
w.rule_combo.setCurrentIndex(1)
done = []
w.computed.connect(lambda r: done.append(r))
w.start()
w.task.failed.connect(lambda e: (print("failed:", e), done.append(None)))
while not done:
    app.processEvents()
w.unit_table.selectRow(3)
app.processEvents()
docs = Path(__file__).resolve().parents[1] / "screenshots"
w.grab().save(str(docs / "13-tong-hop-khoi.png"), "PNG")
w.tabs.setCurrentIndex(1); app.processEvents()
w.grab().save(str(docs / "14-tong-hop-khoi-bieu-do.png"), "PNG")
w.tabs.setCurrentIndex(2); app.processEvents(); w._fit_file_columns(); w.file_table.scrollToBottom(); app.processEvents()
w.grab().save(str(docs / "12-tong-hop.png"), "PNG")
from khoiapp.bloc import pdf_report
from khoiapp.services.export import SignRequest
import datetime as dt
out = root / "tong-hop.pdf"
pdf_report.write_summary_pdf(done[0], out, sign=SignRequest(p12_path=root / "work" / "khoi.p12", password=bd.PASSWORD, visible=False), bloc_name="Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh", today=dt.date(2026, 12, 1))
dd = Path(__file__).resolve().parent; dd.mkdir(exist_ok=True)
for f in dd.glob("*.png"): f.unlink()
subprocess.run(["pdftoppm", "-png", "-r", "70", str(out), str(dd / "tong-hop")], check=True)
print(sorted(p.name for p in dd.iterdir()))
