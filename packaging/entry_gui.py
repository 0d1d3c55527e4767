"""Frozen entry of the windowed ``twinproof-gui`` executable (build.spec).

``twinproof.gui`` is imported first on purpose: its ``__init__`` loads onnxruntime before
PySide6, because on Windows both ship MSVC runtime DLLs and the first one loaded wins; Qt
first can leave the landmark models unable to start.
"""

import sys

import twinproof.gui  # noqa: F401 - onnxruntime before PySide6 (DLL load order)
from twinproof.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
