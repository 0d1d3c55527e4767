"""What a worker does with one pair: hash the files, analyse, return a plain dict.

Workers get paths and the policy, never a database: the result, the hashes of the bytes that
were measured and the compressed heat maps go back to the client, which writes the record.
Every failure of the pair itself (an unreadable file, a bug the pair triggers) comes back as
``{"error": ...}`` rather than an exception, so Dask does not retry what would fail again and
the client records it; only a worker that dies is retried (by the scheduler, elsewhere).

One pair at a time per worker process, each on ``TWINPROOF_THREADS`` threads (default 1):
throughput comes from processes; inner threads only shorten one pair.
"""

from __future__ import annotations

import hashlib
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


def sha256_of(path: str) -> str:
    """SHA-256 of a file (the record's hash; read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


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
    """Analyse one pair; returns ``{"pair_id", "result", "hashes", "maps", ...}`` or
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
        from twinproof.core.analysis import analyze_pair

        hashes = (sha256_of(task.real_path), sha256_of(task.twin_path))
        analysed = analyze_pair(task.real_path, task.twin_path, policy, talent=task.talent, control=task.control,
                                references=list(task.references) or None)
        result = analysed.to_dict()
        result["provenance"] = _credentials(task.twin_path)
        maps = None
        names: list[str] = []
        if keep_maps:
            from twinproof.batch.maps import encode

            raw = dict(getattr(analysed, "maps", {}) or {})
            names = sorted(raw)
            maps = encode(raw) if raw else None
    except Exception as exc:  # noqa: BLE001 - one pair's failure is its result, not the batch's
        return {"pair_id": task.pair_id, "error": _one_line(exc), "error_type": type(exc).__name__,
                "seconds": time.perf_counter() - started, "worker": where}
    # CPU seconds of this process (one pair at a time on a worker): what capacity planning
    # needs, and unlike wall time not inflated by other work on a shared machine.
    return {"pair_id": task.pair_id, "result": result, "hashes": hashes, "maps": maps,
            "map_names": names, "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu, "worker": where, "peak_mb": peak_mb()}


def _credentials(path: str) -> dict[str, Any]:
    """The twin's Content Credentials, stored with its analysis as the app does."""
    from twinproof.export.provenance import read_credentials

    return read_credentials(path)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
