"""Render packaging/icons/twinproof.svg to the raster icons each platform wants.

Why generated and committed: the .deb (hicolor PNGs), PyInstaller (``.ico`` on Windows,
``.icns`` on macOS) and Inno Setup all need rasters, and the build machines should not need
an SVG renderer. Qt's own SVG renderer (PySide6, already a dependency) draws them; Pillow
writes the multi-size ``.ico``/``.icns``. Run after editing the SVG:

    .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent ``size``×``size`` image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    svg = ICONS / "twinproof.svg"
    for size in SIZES:
        out = ICONS / f"twinproof-{size}.png"
        if not render(svg, size).save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
    big = Image.open(ICONS / "twinproof-512.png")
    big.save(ICONS / "twinproof.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(ICONS / "twinproof.icns")
    print(f"wrote {len(SIZES)} PNGs, twinproof.ico and twinproof.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
