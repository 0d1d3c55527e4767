"""Keep freed image buffers for the next ones instead of handing them back to the kernel.

Why: glibc's malloc serves every block above its mmap threshold (128 KB, raised on the fly to
at most 32 MB) with fresh pages from the kernel, and returns them on ``free``. An analysis makes
and drops dozens of image-sized temporaries (a 2048 px float32 RGB working image is 36 MB), so
the kernel faulted in and zeroed the same amount of memory again and again: 0.73 s of system
time in a 1.9 s analysis of a 24 MP pair. With the thresholds raised, freed buffers stay in the
heap and the next ones reuse them: the same analysis took 1.61 s against 1.89 s, system time
0.46 s (5 alternating runs, whole process, ``MALLOC_*`` variables).

The cost: memory the analysis freed stays with the process until it ends or reuses it (the
next pair, the next image shown), and the peak grew by 5 % (678 to 712 MB for that pair).

Only where glibc's ``mallopt`` exists (Linux); a user's own ``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_`` or ``MALLOC_ARENA_MAX`` wins. All threads share one heap
(:data:`ARENAS`), so a buffer one thread freed serves the next thread's. Called once, before the
first large allocation (``twinproof/__init__.py``).
"""

from __future__ import annotations

import ctypes
import os
import sys

#: glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
#: Blocks below this come from the heap (every image buffer TwinProof makes: a 100 MP 8-bit
#: decode is 300 MB); free memory above the heap's top is returned past TRIM.
MMAP_THRESHOLD = 1 << 30
TRIM_THRESHOLD = 2 << 30
ENV = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")
#: One heap for every thread. glibc gives each thread that allocates at once an arena of its own,
#: and a buffer freed in one arena cannot serve the next allocation in another: with the helpers
#: (core/read_ahead.py) each kept its own image-sized buffers. A real with five twins, one heap
#: against glibc's default (5 alternating runs): peak 689 MB against 806 MB, page faults of pairs
#: 3-5 in the tens against thousands, the same CPU. The big allocations are few, so the one
#: heap's lock is not a queue; onnxruntime keeps its own arena.
ARENAS = 1

_applied = False


def applied() -> bool:
    """Whether this process reuses freed buffers (:func:`reuse_freed_buffers` took effect)."""
    return _applied


def reuse_freed_buffers() -> bool:
    """Raise glibc's mmap and trim thresholds; False where that is not possible or not wanted."""
    if not sys.platform.startswith("linux") or any(name in os.environ for name in ENV):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    global _applied
    _applied = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    if _applied and "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(M_ARENA_MAX, ARENAS)
    return _applied
