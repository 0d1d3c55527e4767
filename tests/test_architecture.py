"""The house rule that keeps the product testable and scriptable: the headless layers
(core, review, export, and the CLI's sub-commands) never load Qt."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_headless_layers_never_load_qt():
    code = (
        "import sys\n"
        "import twinproof.core.analysis, twinproof.core.fidelity, twinproof.core.landmarks\n"
        "import twinproof.review\n"
        "import twinproof.batch.runner, twinproof.batch.progress, twinproof.batch.cluster\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('twinproof.export'): import twinproof.export\n"
        "from twinproof.cli import build_parser; build_parser()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "assert not loaded, loaded\n"
        "assert 'twinproof.gui' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_import_linter_contract_is_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e .[test])")
    proc = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    kept = re.search(r"Contracts: (\d+) kept, 0 broken\.", proc.stdout)
    assert kept is not None and int(kept.group(1)) >= 2, proc.stdout  # no Qt below the GUI; the layers
    assert "Layers:" in proc.stdout


def test_opening_the_app_or_asking_the_version_loads_no_analysis_stack():
    code = (
        "import sys\n"
        "from twinproof.cli import build_parser\n"
        "args = build_parser(with_commands=False).parse_args(['--sample'])\n"
        "assert args.command is None and args.sample\n"
        "heavy = [m for m in ('numpy', 'cv2', 'sqlalchemy', 'twinproof.core.analysis') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    version = subprocess.run([sys.executable, "-m", "twinproof", "--version"], capture_output=True, text=True,
                             timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("twinproof ")
