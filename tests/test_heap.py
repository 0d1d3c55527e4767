"""Freed image buffers are reused, not faulted in again (``twinproof/heap.py``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Fault in a 36 MB buffer (a 2048 px float32 RGB image), free it, make another: the page faults
# of the second one, as a fraction of the first's.
SCRIPT = r"""
import resource
import twinproof
import numpy as np

def faults_of_a_buffer():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    buf = np.ones((1536, 2048, 3), np.float32)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    del buf
    return after - before

first = faults_of_a_buffer()
print(faults_of_a_buffer() / first)
"""


def _second_buffer_faults(**env: str) -> float:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True,
                         env={**clean, **env}, timeout=60)
    return float(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_freed_image_buffer_is_reused_without_faulting_it_in_again():
    assert _second_buffer_faults() < 0.05
    # a user's own malloc setting wins, and glibc's default gives the pages back at free
    assert _second_buffer_faults(MALLOC_TRIM_THRESHOLD_=str(128 * 1024)) > 0.9


# A 36 MB buffer faulted in and freed on one thread, then another made on a second thread (as
# the read-ahead helpers do): the second's page faults, as a fraction of the first's.
ACROSS_THREADS = r"""
import resource, threading, time
import twinproof
import numpy as np

def faults_of_a_buffer(out):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    buf = np.ones((1536, 2048, 3), np.float32)
    out.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    del buf

def on_a_thread(job, *args):
    t = threading.Thread(target=job, args=args)
    t.start()
    t.join()

found, keep, ready = [], threading.Event(), threading.Event()
on_a_thread(faults_of_a_buffer, found)
# a thread that has ended leaves its arena to the next one: one that is still running (as the
# helpers overlap) holds it, so the next thread is given another
holder = threading.Thread(target=lambda: (np.ones(1000), ready.set(), keep.wait()))
holder.start()
ready.wait()
on_a_thread(faults_of_a_buffer, found)
keep.set()
holder.join()
print(found[1] / found[0])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_buffer_freed_on_one_thread_serves_the_next_thread():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}

    def ratio(**env: str) -> float:
        out = subprocess.run([sys.executable, "-c", ACROSS_THREADS], capture_output=True, text=True, check=True,
                             env={**clean, **env}, timeout=60)
        return float(out.stdout)

    assert ratio() < 0.05
    assert ratio(MALLOC_ARENA_MAX="8") > 0.9  # a user's own setting wins: an arena per thread
