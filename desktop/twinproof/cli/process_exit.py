"""End the ``twinproof`` command's process without the interpreter freeing every object.

Why: once a command has printed its answer, Python's finalisation still frees everything one
object at a time: the ONNX Runtime sessions and their thread pools, OpenCV's pool, the kept
images, every module. For ``twinproof analyze`` on a 512 px pair that cost 40-65 ms of a
0.65 s command (benchmarks/bench_batch.py, figure 3), for memory the operating system takes
back at once anyway. mypy ends its command the same way (``mypy.util.hard_exit``).

What a normal exit does that matters is done first, in the interpreter's own order
(``Py_FinalizeEx``): wait for the threads still running (a read-ahead helper, a writer) and run
``threading``'s exit hooks, run the ``atexit`` functions (the log file's flush, temporary
folders' clean-up, Dask's), flush standard output and error. Only the freeing is skipped.

Not after the app: Qt's objects are left to the teardown Qt expects. ``TWINPROOF_FULL_EXIT=1``
keeps the interpreter's own exit (for leak checkers and profilers that report at exit).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn

FULL_EXIT_ENV = "TWINPROOF_FULL_EXIT"


def _fast_exit_possible() -> bool:
    return (os.environ.get(FULL_EXIT_ENV, "").strip() in ("", "0")
            and "PySide6.QtCore" not in sys.modules
            and callable(getattr(threading, "_shutdown", None))
            and callable(getattr(atexit, "_run_exitfuncs", None)))


def finish(code: int) -> NoReturn:
    """Exit the process with ``code`` once every thread, exit hook and buffered line is done."""
    if not _fast_exit_possible():
        sys.exit(code)
    threading._shutdown()  # type: ignore[attr-defined]  # joins non-daemon threads, as at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # a reader that left, or a closed stream: nothing more to say
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
