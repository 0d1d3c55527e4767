"""Each shipped model optimised once for this computer, kept in the user's cache folder.

Why: ONNX Runtime rewrites a model's graph every time a session is made (constant folding,
fused convolutions, the CPU's blocked memory layout); for the six shipped models that took
~0.13 s of a ~1 s ``twinproof analyze``. The rewritten graph can be saved
(``optimized_model_filepath``) and loaded later with the rewriting switched off: the very same
graph and kernels, so the very same outputs (bit for bit on every model, measured), with half
the session cost.

Why not ship the optimised files in ``models/``: the full optimisation lays the graph out for
this CPU's vector width (AVX2, AVX-512, NEON), so ONNX Runtime itself warns that such a file is
for "the same environment the model was optimized in"; the lighter, portable level gives other
outputs (up to 9 points of eye width on a real pair, measured). So the copy is made on the
computer that uses it, on the first session, and named after what it depends on: the shipped
file's SHA-256, ONNX Runtime's version and the CPU (model and feature flags). Where the CPU
cannot be told, nothing is kept and every session is optimised as before.

Trust: the shipped file is verified against the manifest before its copy is made or used, and
a copy is used only while its size, mtime, inode and change time are those recorded when it was
written (the same rule ``registry.VerifiedModels`` applies to the shipped files): an altered or
replaced copy is made again from the verified model. Best effort throughout: an unwritable cache
only means optimising at every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import subprocess
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by ``registry`` (which keeps ONNX Runtime offline) before any use here
    import onnxruntime as ort

PROVIDERS = ["CPUExecutionProvider"]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "twinproof" / "optimised-models"


def _linux_cpu() -> str:
    """The first processor's model name and feature flags (x86 ``flags``, Arm ``Features``)."""
    wanted = ("model name", "flags", "features", "cpu implementer", "cpu part", "isa")
    found = []
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                break
            key, _, value = line.partition(":")
            if key.strip().lower() in wanted:
                found.append(value.strip())
    return "|".join(found)


@cache
def cpu_tag() -> str | None:
    """A short hash of what an optimised graph depends on, or None when the CPU cannot be told
    (then no copy is kept)."""
    system = platform.system()
    try:
        if system == "Linux":
            cpu = _linux_cpu()
        elif system == "Windows":
            cpu = os.environ.get("PROCESSOR_IDENTIFIER", "") + "|" + platform.processor()
        elif system == "Darwin":
            cpu = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True,
                                 text=True, timeout=5, check=True).stdout.strip()
        else:
            cpu = ""
    except (OSError, subprocess.SubprocessError):
        cpu = ""
    if not cpu.strip("|"):
        return None
    import onnxruntime as ort

    what = "\n".join((ort.__version__, system, platform.machine(), cpu))
    return hashlib.sha256(what.encode()).hexdigest()[:16]


def _fingerprint(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "inode": st.st_ino}


class OptimisedModels:
    """The optimised copies in one cache folder, with the record of what each was made from."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or _cache_dir()
        self.index = self.folder / "index.json"

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def copy_of(self, model: Path, sha256: str) -> Path | None:
        """Where ``model``'s optimised copy lives on this computer (None: the CPU cannot be told)."""
        tag = cpu_tag()
        return None if tag is None else self.folder / f"{model.stem}-{sha256[:16]}-{tag}.onnx"

    def trusted(self, copy: Path, sha256: str) -> bool:
        """True when ``copy`` was made from the model with ``sha256`` and is unchanged since."""
        entry = self._read().get(copy.name)
        try:
            return (isinstance(entry, dict) and entry.get("made_from") == sha256
                    and {k: entry.get(k) for k in ("size", "mtime_ns", "ctime_ns", "inode")} == _fingerprint(copy))
        except OSError:
            return False

    def remember(self, copy: Path, sha256: str) -> None:
        """Record ``copy`` as made from ``sha256``; other copies of the same model (another
        version of it, of ONNX Runtime or of the CPU) are removed."""
        from twinproof.atomic import atomic_write_text

        data = self._read()
        stem = copy.name.split("-", 1)[0]
        for name in [n for n in data if n.split("-", 1)[0] == stem and n != copy.name]:
            del data[name]
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        data[copy.name] = {"made_from": sha256, **_fingerprint(copy)}
        atomic_write_text(self.index, json.dumps(data, indent=1))


def make_session(model: Path, sha256: str, options: ort.SessionOptions,
                 copies: OptimisedModels | None = None) -> ort.InferenceSession:
    """A session of ``model`` (already verified to have ``sha256``): from its optimised copy
    when there is a trusted one, else optimised here and the copy kept for the next process."""
    import onnxruntime as ort

    from twinproof.atomic import atomic_temp

    copies = copies or OptimisedModels()
    copy = copies.copy_of(model, sha256)
    if copy is not None and copy.is_file() and copies.trusted(copy, sha256):
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(str(copy), sess_options=options, providers=PROVIDERS)
        except Exception:  # noqa: BLE001 - an unreadable copy is made again below
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if copy is None:
        return ort.InferenceSession(str(model), sess_options=options, providers=PROVIDERS)
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        with atomic_temp(copy) as temp:
            options.optimized_model_filepath = str(temp)
            session = ort.InferenceSession(str(model), sess_options=options, providers=PROVIDERS)
        copies.remember(copy, sha256)
        return session
    except OSError:
        options.optimized_model_filepath = ""
        return ort.InferenceSession(str(model), sess_options=options, providers=PROVIDERS)
