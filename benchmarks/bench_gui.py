"""GUI figures: launch → first pair on screen, and frame time panning a 24 MP pair at 200 %.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--runs 5]

"Launch" is measured in a fresh process from interpreter start (before Qt is imported) to the
compare view's ``pair_shown`` signal, for (a) the sample shoot, *cold* (a new profile each
run: no settings, no review database, no map cache, so the six pairs are imported and hashed
first) and *warm* (the same profile again: the database and caches are there), and (b) a
24 MP pair whose analysis is already stored (reopening a shoot): first the quick reduced-size
preview, then the full-resolution pyramid. The operating system's file cache is warm in both
(the runs follow each other); "cold" is about the app's own state. Frame time is the
synchronous ``repaint()`` of both panes (real and twin, 2-up) after each 8 px pan step, at
200 % and at fit, i.e. the cost the raster engine pays per frame; the screen's refresh is
not included.
Prints medians (and the 95th percentile of frame times). Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pairs import make_pair

LAUNCH = r"""
import time, sys
t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtCore import QTimer
from twinproof.gui.app import application
from twinproof.gui.mainwindow import MainWindow
from twinproof.gui.importer import ImportPlan
app = application()
w = MainWindow(); w.settings.analyse_on_open = False; w.show()
times = []
def shown(_pid):
    times.append(time.perf_counter() - t0)
    if len(w.compare.model.shown.images.real.levels) > 1 or w.compare.model.shown.images.real.width < 4000:
        print(f"{times[0]:.3f} {times[-1]:.3f}"); sys.stdout.flush(); w.close()
w.compare.pair_shown.connect(shown)
mode = sys.argv[1]
if mode == "sample":
    QTimer.singleShot(0, w.open_sample)
else:
    QTimer.singleShot(0, lambda: w.open_database(Path(mode)))
QTimer.singleShot(120000, w.close)
app.exec()
"""


def bench_folder() -> Path:
    real, twin = make_pair(24.0)
    root = Path(tempfile.gettempdir()) / "twinproof-bench" / "gui"
    for side, src in (("real", real), ("twin", twin)):
        (root / side).mkdir(parents=True, exist_ok=True)
        link = root / side / "p24.jpg"
        if not link.exists():
            link.symlink_to(src)
    return root


PREPARE = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from twinproof import review
from twinproof.core.analysis import analyze_pair
from twinproof.gui.analysing import save_cached_maps
app = QCoreApplication([]); app.setOrganizationName("TwinProof"); app.setApplicationName("TwinProof")
root, db = Path(sys.argv[1]), Path(sys.argv[2])
store = review.open_store(db)
pair = review.import_shoot(store, root / "real", root / "twin").added[0]
analysis = analyze_pair(pair.real_path, pair.twin_path)
review.store_analysis(store, pair.id, review.RecordedAnalysis(analysis.result))
save_cached_maps(pair.real_sha256, pair.twin_sha256, dict(analysis.maps))
store.close()
"""


def prepared_database(root: Path, env: dict[str, str]) -> Path:
    """Import and analyse the 24 MP pair once, maps cached: what reopening a shoot finds."""
    db = Path(env["HOME"]) / "bench.shoot"
    if not db.exists():
        subprocess.run([sys.executable, "-c", PREPARE, str(root), str(db)], env=env, check=True,
                       capture_output=True, timeout=300)
    return db


def launch_times(target: str, runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """(first view, full resolution) seconds from interpreter start, per run."""
    first, full = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", LAUNCH, target], env=env, capture_output=True,
                              text=True, timeout=180, check=True)
        a, b = done.stdout.strip().splitlines()[-1].split()
        first.append(float(a))
        full.append(float(b))
    return first, full


def frame_times(db: Path, steps: int = 120) -> dict[str, list[float]]:
    from PySide6.QtCore import QEventLoop, QPointF, QTimer

    from twinproof.gui.app import application
    from twinproof.gui.mainwindow import MainWindow

    app = application()
    w = MainWindow()
    w.settings.analyse_on_open = False
    w.resize(1600, 1000)
    w.show()
    loop = QEventLoop()
    w.compare.pair_shown.connect(lambda _p: loop.quit())
    QTimer.singleShot(0, lambda: w.open_database(db))
    loop.exec()
    deadline = time.perf_counter() + 120
    while w.analysis is not None and w.analysis.busy and time.perf_counter() < deadline:
        app.processEvents()  # measure painting alone, not painting beside an analysis
        time.sleep(0.01)
    model, pane = w.compare.model, w.compare.left
    results: dict[str, list[float]] = {}
    for label, setup in (("200 %", lambda: model.set_view(2.0, QPointF(2000, 3000))),
                         ("fit", w.compare.fit)):
        setup()
        app.processEvents()
        times = []
        for i in range(steps):
            model.pan_by(8 if (i // 30) % 2 == 0 else -8, 3)
            t = time.perf_counter()
            pane.repaint()
            w.compare.right.repaint()
            times.append((time.perf_counter() - t) * 1000)
        results[label] = times
    w.close()
    return results


def profile() -> dict[str, str]:
    """The environment of a new, empty profile (settings, data, caches)."""
    home = Path(tempfile.mkdtemp(prefix="twinproof-bench-home-"))
    return dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
                XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    env = profile()
    root = bench_folder()
    db = prepared_database(root, env)
    cold = [launch_times("sample", 1, profile())[0][0] for _ in range(args.runs)]
    launch_times("sample", 1, env)  # the profile's first run imports the sample
    sample, _ = launch_times("sample", args.runs, env)
    big_first, big_full = launch_times(str(db), args.runs, env)

    def line(label: str, values: list[float]) -> None:
        runs = ", ".join(f"{t:.2f}" for t in values)
        print(f"launch → {label:<44} median {statistics.median(values):.2f} s  (runs: {runs})")

    line("first sample pair on screen, cold (new profile):", cold)
    line("first sample pair on screen, warm (same profile):", sample)
    line("first view of a stored 24 MP pair (preview):", big_first)
    line("stored 24 MP pair at full resolution:", big_full)
    os.environ.update(env)  # the in-process part uses the same (cached) profile
    for label, times in frame_times(db).items():
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"frame time, both panes, 24 MP pair panned at {label:>5}: median {statistics.median(times):.1f} ms,"
              f" p95 {p95:.1f} ms ({len(times)} frames)")


if __name__ == "__main__":
    main()
