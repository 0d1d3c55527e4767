"""How many threads TwinProof's own work may use now: ``TWINPROOF_THREADS``, else 2 when the
machine has a core to spare, else 1.

Kept apart (it imports nothing heavy) so the command line can decide, before the analysis'
modules load, to make the model sessions on a spare core meanwhile (``core/read_ahead.py``).

Why not always 2: threads that hand the GIL back and forth (the colour stripes) or that need a
core of their own (the read-ahead) only take turns on a machine already busier than its cores:
at load 7 on 2 cores two colour threads took 1.2-2.3x the wall time of one and 25 % more CPU.
On an idle machine two threads nearly halve the time."""

from __future__ import annotations

import os


def default_workers() -> int:
    """``TWINPROOF_THREADS`` (a batch worker sets 1: its parallelism is other processes), else 2
    when the load average is below the core count, else 1."""
    raw = os.environ.get("TWINPROOF_THREADS", "").strip()
    if raw.isdecimal():
        return max(1, int(raw))
    cores = os.cpu_count() or 1
    load = getattr(os, "getloadavg", None)  # none on Windows: assume a desktop with a core to spare
    try:
        busy = load()[0] if load is not None else 0.0
    except OSError:
        busy = 0.0
    return 2 if cores >= 2 and busy < cores else 1


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
