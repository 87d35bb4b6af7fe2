"""Make packaging/windows/khoi.ico from resources/icons/khoi.svg (Qt draws the SVG, Pillow writes the .ico).

    QT_QPA_PLATFORM=offscreen python packaging/windows/make_icon.py

The .ico holds 16, 24, 32, 48, 64, 128 and 256 px images (Explorer, the taskbar, the installer).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "khoi.svg"
ICO = Path(__file__).resolve().parent / "khoi.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"không đọc được {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image

    biggest = Image.open(io.BytesIO(render_png(256))).convert("RGBA")
    extra = [Image.open(io.BytesIO(render_png(s))).convert("RGBA") for s in SIZES[:-1]]
    biggest.save(ICO, format="ICO", sizes=[(s, s) for s in SIZES], append_images=extra)
    print(f"{ICO.relative_to(ROOT)}: {', '.join(str(s) for s in SIZES)} px")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
