"""GUI fixtures: shoot folders on disk, a large pair, and a main window that must end clean.

The window fixture fails a test that leaves a worker thread running (qutebrowser/napari do
the same): every pool is shut down and Python's thread count must return to where it was.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

# The suite also runs once without Qt (the headless layers must not need it): skip, not fail.
pytest.importorskip("PySide6.QtWidgets")

from tests.conftest import DATA
from twinproof.paths import resource_path

SAMPLE = resource_path("sample")
#: Entries Python makes for Qt's own pool threads when they run Python code; Qt ends those
#: threads (``waitForDone`` removes them) but Python never forgets the dummy entry.
DUMMY = threading._DummyThread  # type: ignore[attr-defined]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here needs Qt: mark it ``gui`` so ``-m "not gui"`` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def shoot_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """real/ and twin/ with the two sample pairs, and a third twin that is not an image."""
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    for n in ("01", "02"):
        shutil.copy(SAMPLE / f"look{n}_real.jpg", real / f"look{n}.jpg")
        shutil.copy(SAMPLE / f"look{n}_twin.jpg", twin / f"look{n}.jpg")
    shutil.copy(SAMPLE / "look01_real.jpg", real / "look03.jpg")
    (twin / "look03.jpg").write_bytes(b"this is not a JPEG")
    (twin / "stray.jpg").write_bytes((SAMPLE / "look02_twin.jpg").read_bytes())
    return real, twin


@pytest.fixture(scope="session")
def big_pair(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder with a 24 MP pair (grace_hopper upscaled; the twin shifted and warmed)."""
    folder = tmp_path_factory.mktemp("big")
    img = cv2.imread(str(DATA / "grace_hopper.jpg"))
    real = cv2.resize(img, (6000, 4000), interpolation=cv2.INTER_CUBIC)
    shift = np.float32([[1, 0, 24], [0, 1, -16]])
    twin = cv2.warpAffine(real, shift, (6000, 4000), borderMode=cv2.BORDER_REFLECT)
    twin = cv2.convertScaleAbs(twin, alpha=1.0, beta=6)
    for name, pixels in (("big_real.jpg", real), ("big_twin.jpg", twin)):
        cv2.imwrite(str(folder / name), pixels, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return folder


@pytest.fixture
def window(qtbot):
    from twinproof.gui.mainwindow import MainWindow

    before = set(threading.enumerate())
    win = MainWindow()
    win.settings.analyse_on_open = True
    win.settings.reviewer = "tester"  # the first-decision question is tested on its own
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    assert not win.pools.busy, "a worker was still running after shutdown"
    def settled() -> bool:
        alive = [t for t in threading.enumerate() if t not in before and not isinstance(t, DUMMY)]
        return not alive

    qtbot.waitUntil(settled, timeout=10_000)


def open_plan(win, qtbot, real: Path, twin: Path | None, db: Path) -> None:
    from twinproof.gui.importer import ImportPlan

    with qtbot.waitSignal(win.session_opened, timeout=30_000):
        win.import_folders(ImportPlan(real, twin, db))


def wait_idle(win, qtbot, timeout: int = 60_000) -> None:
    """Until background analysis has nothing queued or running."""
    def idle() -> bool:
        return win.analysis is None or not win.analysis.busy

    qtbot.waitUntil(idle, timeout=timeout)
