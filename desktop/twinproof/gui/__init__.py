"""The desktop app: PySide6 windows, views and workers over ``twinproof.core`` and ``review``.

This package is the only place Qt is imported. It is a thin shell: images are measured by
``twinproof.core`` and every record is read and written through ``twinproof.review``; the
widgets show what those return and hand the reviewer's choices back.

onnxruntime is imported before PySide6: on Windows both ship MSVC runtime DLLs, and the one
loaded first wins, so loading Qt first can make the landmark models fail to initialise
(labelme hit the same problem). Its telemetry is switched off first: a review tool must not
write a device id or queue usage events for upload (``ORT_DISABLE_TELEMETRY``, as the core's
model registry does).
"""

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

try:  # noqa: SIM105 - the import's side effect (DLL load order) is the point
    import onnxruntime  # noqa: F401
except ImportError:  # pragma: no cover - onnxruntime is a dependency; keep the GUI usable
    pass
