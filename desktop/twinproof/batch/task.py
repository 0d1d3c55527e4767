"""What a worker does with one pair: ``recording.analyse_files`` (hash, analyse, read the
twin's credentials), returned in a plain dict.

Workers get paths and the policy, never a database: the typed record (result, credentials,
the hashes of the bytes that were measured) and the compressed heat maps go back to the
client, which keeps the maps and writes the record (``recording.record``).
Every failure of the pair itself (an unreadable file, a bug the pair triggers) comes back as
``{"error": ...}`` rather than an exception, so Dask does not retry what would fail again and
the client records it; only a worker that dies is retried (by the scheduler, elsewhere).

One pair at a time per worker process, each on ``TWINPROOF_THREADS`` threads (default 1):
throughput comes from processes; inner threads only shorten one pair.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

from twinproof.batch.planning import PairTask

THREADS_ENV = "TWINPROOF_THREADS"
_configured = threading.Event()


def configure_threads() -> int:
    """Set this process's inner thread counts once (OpenCV, ONNX Runtime, the colour step),
    from ``TWINPROOF_THREADS`` (default 1); an explicit ``TWINPROOF_ORT_THREADS`` wins for ONNX."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    threads = max(1, int(raw)) if raw.isdecimal() else 1
    if not _configured.is_set():
        import cv2

        os.environ[THREADS_ENV] = str(threads)
        os.environ.setdefault("TWINPROOF_ORT_THREADS", str(threads))
        cv2.setNumThreads(threads)
        _configured.set()
    return threads


def peak_mb() -> float | None:
    """This process's peak resident memory (Linux ``VmHWM``), or None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def analyse(task: PairTask, policy: Any, keep_maps: bool = True, *,
            worker_process: bool = True) -> dict[str, Any]:
    """Analyse one pair; returns ``{"pair_id", "record", "maps", "map_names", ...}`` or
    ``{"pair_id", "error", ...}``. Runs on a Dask worker; ``worker_process=False`` leaves
    the calling process's thread settings alone (in-process use)."""
    if worker_process:
        configure_threads()
        # A worker's stderr is the terminal of `shoot analyze` (local cluster): library log
        # records and warnings go to TwinProof's log there too (issue 28).
        from twinproof.logs import route_all_logging

        route_all_logging()
    started, cpu = time.perf_counter(), time.process_time()
    where = f"{socket.gethostname()}:{os.getpid()}"
    try:
        from twinproof.batch.recording import analyse_files

        analysed = analyse_files(task.real_path, task.twin_path, policy, talent=task.talent, control=task.control,
                                 references=list(task.references) or None)
        maps = None
        names: list[str] = []
        if keep_maps and analysed.maps:
            from twinproof.batch.maps import encode

            names = sorted(analysed.maps)
            maps = encode(analysed.maps)
    except Exception as exc:  # noqa: BLE001 - one pair's failure is its result, not the batch's
        return {"pair_id": task.pair_id, "error": _one_line(exc), "error_type": type(exc).__name__,
                "seconds": time.perf_counter() - started, "worker": where}
    # CPU seconds of this process (one pair at a time on a worker): what capacity planning
    # needs, and unlike wall time not inflated by other work on a shared machine.
    return {"pair_id": task.pair_id, "record": analysed.record, "maps": maps,
            "map_names": names, "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu, "worker": where, "peak_mb": peak_mb()}


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
