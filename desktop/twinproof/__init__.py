"""TwinProof: review AI-generated digital twins of real models against the real shoot.

The package is layered: ``core`` (headless analysis), ``review`` (the review record),
``export`` (sheets, data, sidecars) and ``gui`` (a thin PySide6 shell). Only ``gui``
may import Qt; an import-linter contract in ``pyproject.toml`` enforces it.
"""

__version__ = "0.1.0"
