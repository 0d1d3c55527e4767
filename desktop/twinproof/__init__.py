"""TwinProof: review AI-generated digital twins of real models against the real shoot.

The package is layered: ``core`` (headless analysis), ``review`` (the review record),
``export`` (sheets, data, sidecars) and ``gui`` (a thin PySide6 shell). Only ``gui``
may import Qt; an import-linter contract in ``pyproject.toml`` enforces it.
"""

__version__ = "0.1.0"

import os as _os

# numpy's OpenBLAS starts a thread per core when numpy loads, and they spin on the CPU for
# ~0.1 s (perf: 35 % of a bare ``import numpy``'s CPU samples, 13 % of a 512 px analysis'),
# stealing a core from the read-ahead helpers of a two-core laptop. TwinProof's BLAS calls are
# tiny (landmark point sets, 3x3 fits); its parallelism is its own threads (core/spare_cores.py).
# One BLAS thread: the variable is read once, when numpy loads, so it is set before any import
# of numpy (a user's own setting wins).
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from twinproof.heap import reuse_freed_buffers as _reuse_freed_buffers

_reuse_freed_buffers()
