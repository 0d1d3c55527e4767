"""Quitting while the sample shoot is being analysed: how long the window stays on screen after
Quit, and how long until every thread has ended (issue 26: over 4 s, the window on screen).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_quit.py [--runs 5]

Each run is a fresh process and profile: the sample is imported and analysed, and Quit comes
at a different moment of the first analyses (model loading, landmarks, colour...); a run where
no analysis was running at that moment is not counted. Prints the
time from ``close()`` to the window hidden and to ``close()`` returning (threads joined; any
queued save has finished), median and worst. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import sys, time
from twinproof.gui.app import application
from twinproof.gui.mainwindow import MainWindow
from twinproof.gui.screenshots import settle
app = application()
w = MainWindow(); w.settings.reviewer = "bench"; w.show()
w.open_sample()
for _ in range(1200):
    settle(50)
    if w.analysis is not None and w.analysis.current is not None:
        break
settle(int(sys.argv[1]))
running = w.analysis is not None and w.analysis.current is not None
hidden = []
w.windowHandle().visibleChanged.connect(lambda v: hidden.append(time.perf_counter()) if not v else None)
t = time.perf_counter()
w.close()
done = time.perf_counter()
print(f"{int(running)} {(hidden[0] - t) if hidden else float('nan'):.3f} {done - t:.3f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    hidden, joined = [], []
    for run in range(args.runs):
        delay = 100 + run * 250  # a different stage of the first analyses each run
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/c", XDG_DATA_HOME=f"{home}/d",
                       XDG_CACHE_HOME=f"{home}/k")
            out = subprocess.run([sys.executable, "-c", CHILD, str(delay)], env=env, capture_output=True,
                                 text=True, check=True, cwd=Path(__file__).resolve().parents[1])
        running, h, j = (float(v) for v in out.stdout.split()[-3:])
        if not running:
            print(f"quit {delay} ms into the analysis: nothing was running (not counted)")
            continue
        hidden.append(h)
        joined.append(j)
        print(f"quit {delay} ms into the analysis: window hidden after {h * 1000:.0f} ms, "
              f"threads joined after {j * 1000:.0f} ms")
    print(f"window hidden: median {statistics.median(hidden) * 1000:.0f} ms, worst {max(hidden) * 1000:.0f} ms")
    print(f"close() returned: median {statistics.median(joined) * 1000:.0f} ms, worst {max(joined) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
