"""The headless analysis core: images, registration, metrics, landmarks, fidelity policy.

Never imports Qt (an import-linter contract in pyproject.toml checks it).
"""
