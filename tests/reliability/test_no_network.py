"""No code path talks to the network, except to a configured PostgreSQL server.

Each run is a real process with two independent watchers:
- a ``sitecustomize`` on PYTHONPATH installs an audit hook (``sys.addaudithook``) that logs
  every ``socket.connect``/``socket.getaddrinfo``/``socket.sendto`` Python makes;
- where ``strace`` is installed, ``connect(2)`` of the whole process tree is logged too,
  which also catches native libraries (onnxruntime's telemetry uploader is C++ and invisible
  to the audit hook: before the fix, a process that lived a few seconds resolved
  mobile.events.data.microsoft.com).
Plus the queue onnxruntime keeps for upload (``~/.cache/Microsoft/DeveloperTools``) must
never be created.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.reliability.conftest import ROOT, make_shoot

HOOK = textwrap.dedent('''
    import os, sys

    _log = os.environ["TWINPROOF_NET_LOG"]

    def _hook(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "socket.bind"):
            address = args[1] if event != "socket.getaddrinfo" else args[:2]
            if event == "socket.connect" and isinstance(address, (str, bytes)):
                return  # AF_UNIX: local IPC (PostgreSQL's socket, D-Bus), not the network
            with open(_log, "a", encoding="utf-8") as fh:
                fh.write(f"{event} {address!r}\\n")

    sys.addaudithook(_hook)
''')
def _working_strace() -> str | None:
    """strace, if installed and allowed to trace here (containers may forbid ptrace)."""
    import subprocess

    path = shutil.which("strace")
    if path is None:
        return None
    ok = subprocess.run([path, "-f", "-qq", "-o", os.devnull, "true"], capture_output=True).returncode == 0
    return path if ok else None


STRACE = _working_strace()
PG = urlparse(os.environ.get("TWINPROOF_TEST_PG_URL", "").replace("postgresql+psycopg", "postgresql"))


def _allowed(line: str) -> bool:
    """A connect to the configured PostgreSQL server is the one network use allowed."""
    return bool(PG.hostname) and str(PG.port or 5432) in line and (PG.hostname or "") in line


def run_watched(tmp_path: Path, *args: str, timeout: float = 240, **env: str):
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir(exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(HOOK)
    log, trace = tmp_path / "net.log", tmp_path / "strace.log"
    log.write_text("")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    full_env = {**os.environ, "PYTHONPATH": f"{hook_dir}{os.pathsep}{ROOT}", "TWINPROOF_NET_LOG": str(log),
                "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
                "QT_QPA_PLATFORM": "offscreen", **env}
    full_env.pop("ORT_DISABLE_TELEMETRY", None)  # the program must switch it off itself
    cmd = [sys.executable, *args]
    if STRACE:
        cmd = [STRACE, "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *cmd]
    import subprocess

    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env,
                          cwd=tmp_path)
    python_level = [line for line in log.read_text().splitlines() if not _allowed(line)]
    native = []
    if STRACE and trace.exists():
        native = [line for line in trace.read_text().splitlines()
                  if re.search(r"AF_INET6?", line) and not _allowed(line)]
    telemetry = home / ".cache" / "Microsoft"
    return proc, python_level, native, telemetry


def _assert_offline(tmp_path, *args, **env):
    proc, python_level, native, telemetry = run_watched(tmp_path, *args, **env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert python_level == [], f"Python opened network sockets: {python_level}"
    assert native == [], f"native code connected: {native}"
    assert not telemetry.exists(), f"onnxruntime queued telemetry in {telemetry}"
    return proc


def test_hook_sees_a_connect(tmp_path):
    """The watchers work: a deliberate connect attempt is logged by both."""
    code = ("import socket; s = socket.socket(); s.settimeout(0.2)\n"
            "try: s.connect(('192.0.2.1', 9))\nexcept OSError: pass")
    proc, python_level, native, _ = run_watched(tmp_path, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert any("192.0.2.1" in line for line in python_level)
    if STRACE:
        assert any("192.0.2.1" in line for line in native)


def test_analysis_with_landmarks_is_offline(tmp_path):
    image = ROOT / "tests" / "data" / "grace_hopper.jpg"
    proc = _assert_offline(tmp_path, "-m", "twinproof", "analyze", str(image), str(image), "--json")
    assert '"faces_found": 1' in proc.stdout


def test_export_pdf_and_xmp_are_offline(tmp_path):
    db, _ids = make_shoot(tmp_path / "s", n=2)
    _assert_offline(tmp_path, "-m", "twinproof", "export", "--pdf", str(tmp_path / "s.pdf"),
                    "--xmp", "--db", str(db))
    assert (tmp_path / "s.pdf").stat().st_size > 1000


@pytest.mark.gui
def test_app_start_offscreen_is_offline(tmp_path):
    _assert_offline(tmp_path, "-m", "twinproof", "--sample", "--screenshot", str(tmp_path / "w.png"))
    assert (tmp_path / "w.png").stat().st_size > 1000


@pytest.mark.gui
def test_gui_entry_point_is_offline(tmp_path):
    """Found here: twinproof/gui/__init__.py imported onnxruntime (DLL order) before the
    telemetry was switched off, so the twinproof-gui entry point wrote onnxruntime's device id
    and queued an upload; fixed by the GUI owner (0a73d4a)."""
    code = ("import sys; from twinproof.gui.app import main; "
            f"sys.exit(main(['--sample', '--screenshot', {str(tmp_path / 'w.png')!r}]))")
    _assert_offline(tmp_path, "-c", code)


@pytest.mark.postgres
@pytest.mark.skipif(not PG.hostname, reason="TWINPROOF_TEST_PG_URL not set")
def test_postgresql_is_the_only_connection(tmp_path):
    """The configured server is allowed (and seen), nothing else."""
    url = os.environ["TWINPROOF_TEST_PG_URL"]
    proc, python_level, native, _ = run_watched(tmp_path, "-m", "twinproof", "shoot", "list", "--db", url)
    assert proc.returncode == 0, proc.stderr
    assert python_level == [] and native == []
