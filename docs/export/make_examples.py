"""Regenerate the example pages in docs/export/ from the test shoot (real photographs).

    .venv/bin/python docs/export/make_examples.py

Builds the export tests' review record (NASA's Eileen Collins portrait and the U.S. Navy's
Grace Hopper portrait, public domain, with simulated twins, real analyses, marks, comments
and decisions), exports an A4 portrait and an A4 landscape sheet, and renders chosen pages
at 60 dpi with poppler's pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.export.shoot import build_shoot  # noqa: E402

from twinproof import review  # noqa: E402
from twinproof.export import ExportRequest, SheetOptions, run_export  # noqa: E402


def render(pdf: Path, page: int, name: str) -> None:
    stem = HERE / name
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)
    print(f"{stem}.png: {stem.with_suffix('.png').stat().st_size // 1024} KB")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shoot = build_shoot(Path(tmp) / "shoot")
        store = review.open_store(shoot.db, reviewer="alice")
        try:
            for landscape in (False, True):
                pdf = Path(tmp) / f"sheet-{landscape}.pdf"
                run_export(store, ExportRequest(pdf=pdf, sheet=SheetOptions(landscape=landscape)))
                suffix = "landscape" if landscape else "portrait"
                render(pdf, 1, f"cover-a4-{suffix}")
                pages = [(n, subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                            capture_output=True, text=True).stdout)
                         for n in range(2, 12)]
                look02 = next(n for n, text in pages if "\nlook02 " in "\n" + text or "look02\n" in text)
                render(pdf, look02, f"pair-a4-{suffix}-look02")
                render(pdf, look02 + 1, f"pair-a4-{suffix}-look02-continued")
        finally:
            store.close()


if __name__ == "__main__":
    main()
