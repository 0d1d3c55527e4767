"""``twinproof landmarks IMAGE``: face mesh, iris and body landmarks of the main subject.

``--json`` prints every point (full-image pixels) with its confidence; ``--overlay OUT.png``
draws them on the image so a person can check them by eye. Exit codes: 0 measured (even when
no face or body was found: that is a result, with a reason), 2 bad input (unreadable image,
unwritable overlay), 1 the shipped models are missing or altered.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from twinproof.cli.common import dump_json, emit, fail, show, terminal_text
from twinproof.core.errors import ImageLoadError
from twinproof.core.imageio import load_image
from twinproof.core.landmarks import LandmarkResult, ModelError, default_registry, detect_landmarks


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "landmarks", help="face mesh, iris and body landmarks of the main subject",
        description="Find the main subject's face (468-point mesh, irises) and body (33 "
        "points) and print them in full-image pixel coordinates.",
    )
    p.add_argument("image", help="the photograph")
    p.add_argument("--json", action="store_true", help="print every point as JSON")
    p.add_argument("--overlay", metavar="OUT.png", help="draw the landmarks on the image")
    p.add_argument("--no-iris", action="store_true", help="skip the iris model")
    p.add_argument("--no-body", action="store_true", help="skip the body model")
    p.add_argument("--threads", type=int, metavar="N",
                   help="ONNX Runtime threads (default: $TWINPROOF_ORT_THREADS or 2)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.threads is not None and args.threads < 1:
        fail("--threads must be at least 1")
        return 2
    try:
        loaded = load_image(args.image)
    except ImageLoadError as exc:
        fail(str(exc))
        return 2
    try:
        registry = default_registry(args.threads)
        result = detect_landmarks(loaded.pixels, registry=registry, iris=not args.no_iris,
                                  body=not args.no_body)
    except ModelError as exc:
        fail(f"the landmark models are damaged or missing: {exc}")
        return 1
    except ValueError as exc:  # a threads value from the environment, or an odd array
        fail(str(exc))
        return 2
    if args.overlay:
        code = _write_overlay(loaded.pixels, result, Path(args.overlay))
        if code:
            return code
    if args.json:
        emit(compact_json(result.to_dict()))
    else:
        show(*summary(result, str(loaded.path)).split("\n"))
    return 0


_NUMBER_LIST = re.compile(r"\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]")


def compact_json(data: dict[str, Any]) -> str:
    """The shared JSON form, with each list of numbers (a point, a size) on one line:
    3,000 one-number lines would hide the structure from a reader."""
    def one_line(match: re.Match[str]) -> str:
        return "[" + ", ".join(part.strip() for part in match.group(1).split(",")) + "]"

    return _NUMBER_LIST.sub(one_line, dump_json(data))


def _write_overlay(pixels: Any, result: LandmarkResult, out: Path) -> int:
    from PIL import Image

    from twinproof.core.landmarks.overlay import draw_landmarks

    try:
        Image.fromarray(draw_landmarks(pixels, result)).save(out)
    except (OSError, ValueError) as exc:
        fail(f"{out}: cannot write the overlay ({exc})")
        return 2
    return 0


def summary(result: LandmarkResult, path: str) -> str:
    """A few human lines: counts, what was found, why not."""
    w, h = result.image_size
    lines = [f"{terminal_text(path)}  {w}x{h}  faces {result.faces_found}  people {result.people_found}"]
    face = result.face
    if face is None:
        lines.append(f"face: none ({result.face_reason})")
    else:
        iris = "with irises" if face.iris is not None else "no iris"
        lines.append(
            f"face: {len(face.points)} points, {iris}, presence {face.presence:.2f}, "
            f"detector {face.detector} score {face.detection_score:.2f}, crop "
            f"{face.crop.size:.0f}px at ({face.crop.center[0]:.0f}, {face.crop.center[1]:.0f})"
        )
    body = result.body
    if body is None:
        lines.append(f"body: none ({result.body_reason})")
    else:
        visible = int((body.visibility >= 0.5).sum())
        lines.append(f"body: {len(body.points)} points ({visible} visible), score {body.score:.2f}")
    lines.append(f"time: {result.timings_ms.get('total', 0.0):.0f} ms")
    return "\n".join(lines)
