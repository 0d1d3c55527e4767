"""Run the real commands over every file of a folder in one process and record, per call, the
exit code and everything that reached file descriptor 2 (``python -m
tests.reliability.cli_driver DIR GOOD OUT.jsonl``).

Why file descriptor 2 and not ``sys.stderr``: a library's log line (Pillow's "More samples per
pixel than can be decoded: 65535"), a Python warning shown under ``PYTHONWARNINGS=default`` and
what native code prints all land there; pytest's ``capsys`` sees only the first two. One
process for all calls (``twinproof.cli.main``, the entry point ``python -m twinproof`` runs)
keeps the models loaded once: ~200 files through three commands in minutes, not a quarter of
an hour of interpreter starts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def call(argv: list[str]) -> tuple[int, str]:
    """``twinproof ARGV`` with stdout discarded and fd 2 captured; (exit code, stderr)."""
    from twinproof.cli import main

    with tempfile.TemporaryFile() as err, open(os.devnull, "w") as null:
        sys.stderr.flush()
        saved_err, saved_out = os.dup(2), sys.stdout
        os.dup2(err.fileno(), 2)
        sys.stdout = null
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        except BaseException as exc:  # noqa: BLE001 - a traceback is what the test reports
            import traceback

            traceback.print_exc()
            code = f"crash {type(exc).__name__}"  # type: ignore[assignment]
        finally:
            sys.stderr.flush()
            sys.stdout = saved_out
            os.dup2(saved_err, 2)
            os.close(saved_err)
        err.seek(0)
        return code, err.read().decode("utf-8", "backslashreplace")


def main(argv: list[str]) -> int:
    folder, good, out = Path(argv[1]), argv[2], Path(argv[3])
    with out.open("w") as report:
        for path in sorted(folder.iterdir()):
            for command in (["analyze", good, str(path)], ["analyze", str(path), good],
                            ["landmarks", str(path)]):
                code, err = call(command)
                report.write(json.dumps({"file": os.fsdecode(path.name), "command": command[0],
                                         "side": "real" if command[1] == str(path) else "twin",
                                         "exit": code, "stderr": err}) + "\n")
                report.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
