"""How many threads TwinProof's own work may use now: ``TWINPROOF_THREADS``, else 2 when the
machine has a core to spare (the load average less TwinProof's own share), else 1.

Kept apart (it imports nothing heavy) so the command line can decide, before the analysis'
modules load, to make the model sessions on a spare core meanwhile (``core/read_ahead.py``).

Why not always 2: threads that hand the GIL back and forth (the colour stripes) or that need a
core of their own (the read-ahead) only take turns on a machine already busier than its cores:
at load 7 on 2 cores two colour threads took 1.2-2.3x the wall time of one and 25 % more CPU.
On an idle machine two threads nearly halve the time."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable

#: The kernel's 1-minute load average is an exponential average of the runnable threads with a
#: 60 s time constant (sampled every 5 s).
LOAD_TAU_S = 60.0


class OwnLoad:
    """This process' own share of the load average: its CPU use (cores) averaged the way the
    kernel averages the load.

    Why: the load average counts TwinProof's own threads. Analysing a shoot on 2 cores, the
    app's 2 threads lifted the 1-minute load to 2 within a minute or so, and from then on it
    judged its own work "a busy machine" and ran on one thread, slower for the rest of the day
    (and at random points of a benchmark: one pair on 2 threads, the next on 1). Only the
    others' load tells whether a core is spare."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 cpu: Callable[[], float] = time.process_time) -> None:
        self._clock, self._cpu = clock, cpu
        self._lock = threading.Lock()
        self._t, self._c = clock(), cpu()
        self._avg = 0.0

    def cores(self) -> float:
        """The average number of cores this process has used, on the load average's time scale."""
        with self._lock:
            t, c = self._clock(), self._cpu()
            dt = t - self._t
            if dt >= 0.05:  # calls closer together measure nothing but the clocks' grain
                keep = math.exp(-dt / LOAD_TAU_S)
                self._avg = keep * self._avg + (1 - keep) * max(0.0, (c - self._c) / dt)
                self._t, self._c = t, c
            return self._avg


_OWN = OwnLoad()


def others_load() -> float:
    """The 1-minute load average less this process' own share (0 where there is none, as on
    Windows: a desktop with a core to spare is assumed)."""
    load = getattr(os, "getloadavg", None)
    try:
        busy = load()[0] if load is not None else 0.0
    except OSError:
        busy = 0.0
    return max(0.0, busy - _OWN.cores())


def default_workers() -> int:
    """``TWINPROOF_THREADS`` (a batch worker sets 1: its parallelism is other processes), else 2
    when the others' load (:func:`others_load`) is below the core count, else 1."""
    raw = os.environ.get("TWINPROOF_THREADS", "").strip()
    if raw.isdecimal():
        return max(1, int(raw))
    cores = os.cpu_count() or 1
    return 2 if cores >= 2 and others_load() < cores else 1


def read_ahead_allowed() -> bool:
    """Whether the read-ahead helpers (``core/read_ahead.py``) may run: when
    :func:`default_workers` allows 2 or more threads (``TWINPROOF_THREADS``, else a core to spare).

    They were off for a while because the full suite found two faults with them on. A decoder
    warning raised on a helper thread escaped the decode's own ``warnings.catch_warnings``,
    which is process-wide: decodes now catch warnings one at a time
    (``core/caught_warnings.py``), and the helpers no longer decode a whole file. The packaged
    app aborted at exit once ("FATAL: exception not rethrown", a thread killed inside native
    code at interpreter exit): helper threads are never daemon threads, so the interpreter
    waits for them before it tears down."""
    return default_workers() >= 2
