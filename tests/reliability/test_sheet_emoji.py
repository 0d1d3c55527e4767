"""Emoji in a pair name on the comparison sheet (issue 28): drawn by the system's colour emoji
font when there is one, else a visible ``[U+1F4F8]`` placeholder - never the replacement glyph
- and the bookmarks keep the name exactly as typed either way. Checked on the rendered page
(pdftoppm) and on the PDF's text and outline (pdftotext, pypdf)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.reliability.conftest import run_cli
from twinproof.export.pdf_base import find_emoji_font

HOPPER = Path(__file__).resolve().parents[1] / "data" / "grace_hopper.jpg"
NAME = "look 01 📸✨"
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftoppm, pdftotext) reads the sheet back")


def _sheet(tmp_path: Path, env: dict[str, str]) -> Path:
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copyfile(HOPPER, real / f"{NAME}.jpg")
    shutil.copyfile(HOPPER, twin / f"{NAME}.jpg")
    db = tmp_path / "s.twinproof"
    assert run_cli("shoot", "import", str(real), str(twin), "--db", str(db)).returncode == 0
    pdf = tmp_path / "sheet.pdf"
    proc = run_cli("export", "--pdf", str(pdf), "--no-maps", "--db", str(db), env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return pdf


def _title_colour_pixels(pdf: Path, tmp_path: Path) -> int:
    """Strongly coloured pixels in the left part of page 2's title line, where only the pair
    name is (the badges beside it are grey for an unreviewed, unanalysed pair)."""
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "2", "-l", "2", str(pdf),
                    str(tmp_path / "page")], check=True)
    page = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")).astype(int)
    h, w = page.shape[:2]
    title = page[int(h * 0.04): int(h * 0.10), : int(w * 0.40)]
    saturation = title.max(axis=2) - title.min(axis=2)
    return int((saturation > 80).sum())


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _outline(pdf: Path) -> list[str]:
    import pypdf

    return [item.title for item in pypdf.PdfReader(str(pdf)).outline if not isinstance(item, list)]


def test_emoji_are_drawn_in_colour_when_the_system_has_an_emoji_font(tmp_path):
    if find_emoji_font() is None:
        pytest.skip("no colour emoji font installed (Debian: fonts-noto-color-emoji)")
    pdf = _sheet(tmp_path, {})
    assert _title_colour_pixels(pdf, tmp_path) > 100  # the camera and the sparkles, in colour
    text = _text(pdf)
    assert "\ufffd" not in text and "[U+" not in text and "📸" in text
    assert any(title.startswith(NAME) for title in _outline(pdf))


def test_without_an_emoji_font_a_clear_placeholder_and_the_name_kept_in_the_bookmarks(tmp_path):
    pdf = _sheet(tmp_path, {"TWINPROOF_EMOJI_FONT": ""})
    assert _title_colour_pixels(pdf, tmp_path) == 0
    text = _text(pdf)
    assert "look 01 [U+1F4F8][U+2728]" in text and "\ufffd" not in text
    assert any(title.startswith(NAME) for title in _outline(pdf))  # exactly as typed
