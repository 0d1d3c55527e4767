"""Poppler's command-line tools as an independent reader of the sheets."""

from __future__ import annotations

import shutil
import subprocess

import pytest

needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None,
                                   reason="apt-get install poppler-utils")


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def info(path) -> dict[str, str]:
    out = {}
    for line in run("pdfinfo", str(path)).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def page_text(path, page: int | None = None) -> str:
    span = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-layout", *span, str(path), "-")


def images(path) -> list[dict[str, str]]:
    lines = run("pdfimages", "-list", str(path)).splitlines()[2:]
    keys = ["page", "num", "type", "width", "height", "color", "comp", "bpc", "enc"]
    return [dict(zip(keys, line.split(), strict=False)) for line in lines]
