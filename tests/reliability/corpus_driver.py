"""Run every file of a folder through TwinProof's readers in one process and report, per file,
the outcome, the time and the peak memory it took (``python -m tests.reliability.corpus_driver
DIR OUT.jsonl [--app] [--export]``).

Why a separate process: peak resident memory (``VmHWM``, reset before each file through
``/proc/self/clear_refs``) and stray output on the real stderr can only be measured outside
pytest; an audit hook records any attempt to start a program (the test also runs this under
``strace -e trace=execve`` to see native code).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

PROGRAM_EVENTS = ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn",
                  "os.fork", "os.forkpty", "pty.spawn")
SPAWNED: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event in PROGRAM_EVENTS:
        SPAWNED.append(f"{event} {args!r}"[:300])


def peak_kb() -> int:
    match = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) if match else 0


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run_one(label: str, call: Callable[[], object]) -> dict[str, object]:
    from twinproof.core.errors import ImageLoadError

    reset_peak()
    start = time.monotonic()
    try:
        result = call()
        outcome, text = "ok", str(result)[:200]
    except ImageLoadError as exc:
        outcome, text = "refused", str(exc)
    except Exception:  # noqa: BLE001 - what the test must never see
        outcome, text = "crash", traceback.format_exc()
    return {"reader": label, "outcome": outcome, "text": text,
            "seconds": round(time.monotonic() - start, 3), "peak_mb": round(peak_kb() / 1024, 1)}


def main(argv: list[str]) -> int:
    folder, out = Path(argv[1]), Path(argv[2])
    sys.addaudithook(_audit)
    from twinproof.core.image_header import read_header
    from twinproof.core.imageio import load_image

    readers = [("load_image", lambda p: load_image(p).describe()["colour_handling"]),
               ("read_header", read_header)]
    if "--export" in argv:
        from twinproof.export.images import embeddable

        readers.append(("export.embeddable", lambda p: embeddable(p, 600).note))
    if "--app" in argv:
        from twinproof.gui.imaging import read_preview, read_thumbnail

        readers.append(("gui.read_thumbnail", lambda p: read_thumbnail(str(p)).size()))
        readers.append(("gui.read_preview", lambda p: read_preview(str(p), 512)))
    with out.open("w") as report:
        for path in sorted(folder.iterdir()):
            for label, reader in readers:
                row = run_one(label, lambda reader=reader, path=path: reader(path))
                row["file"] = os.fsdecode(path.name)
                report.write(json.dumps(row) + "\n")
                report.flush()
        report.write(json.dumps({"spawned": SPAWNED}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
