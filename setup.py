"""Build hook: put ``resources/`` and ``models/`` inside the wheel, as ``twinproof/_data``.

They live at the top of the repository (the layout the product is specified with, shared with
build.spec), outside the package, so setuptools would leave them out of a wheel and an
installed TwinProof would find no models. ``twinproof.paths`` looks for them in ``_data``.
An editable install reads them from the source tree instead, so nothing is copied there.
Everything else is configured in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("resources", "models")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "twinproof" / "_data"
        for name in DATA_DIRS:
            destination = target / name
            if destination.exists():
                shutil.rmtree(destination)
            shutil.copytree(ROOT / name, destination,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
