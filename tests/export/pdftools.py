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


def text_colours(path, page: int) -> list[tuple[str, tuple[int, ...]]]:
    """Each piece of text drawn on a page (1-based) with the fill colour it is painted in, read
    from the content stream (q/Q saves and restores, rg/g set): the colour a reader sees, not
    the one the writer meant."""
    from pypdf import PdfReader

    stack: list[tuple[int, ...]] = [(0, 0, 0)]
    found: list[tuple[str, tuple[int, ...]]] = []

    def operator(op: bytes, args: list, _cm: object, _tm: object) -> None:
        if op == b"q":
            stack.append(stack[-1])
        elif op == b"Q" and len(stack) > 1:
            stack.pop()
        elif op == b"rg":
            stack[-1] = tuple(round(float(a) * 255) for a in args)
        elif op == b"g":
            stack[-1] = (round(float(args[0]) * 255),) * 3

    def text(t: str, *_: object) -> None:
        if t.strip():
            found.append((t.strip(), stack[-1]))

    PdfReader(str(path)).pages[page - 1].extract_text(visitor_operand_before=operator, visitor_text=text)
    return found
