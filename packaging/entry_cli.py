"""Frozen entry of the console ``twinproof`` executable (build.spec): the CLI, and the app
when no sub-command is given, exactly like the ``twinproof`` console script of a pip install.

A separate file rather than ``twinproof/__main__.py`` because PyInstaller names each
executable's script by its file name, and two executables share one bundle.
"""

from twinproof.cli import entry

if __name__ == "__main__":
    entry()
