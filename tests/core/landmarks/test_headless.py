"""The landmark package is headless: importing and running it never loads Qt."""

from __future__ import annotations

import subprocess
import sys


def test_no_qt_is_imported() -> None:
    code = (
        "import sys, numpy as np\n"
        "from twinproof.core.landmarks import detect_landmarks\n"
        "from twinproof.core.landmarks.overlay import draw_landmarks\n"
        "r = detect_landmarks(np.zeros((64, 64, 3), np.uint8))\n"
        "draw_landmarks(np.zeros((64, 64, 3), np.uint8), r)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'twinproof.gui'))]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
