"""The shipped ONNX models: checked against ``models/manifest.json``, loaded once, reused.

Why check at load: a model file altered by a bad download, a disk error or a well-meant swap
would still run and silently produce different landmarks, and with them different fidelity
verdicts. So every file is hashed against the manifest before its first session is made, and a
missing or altered file is a typed error naming the file. A file hashed once is remembered by
its size, mtime, inode and change time (``VerifiedModels``, in the user's cache folder), so
later processes (each batch worker, each ``twinproof analyze``) do not hash it again.

Sessions are created once per registry and reused: creating one costs 10-30 ms, a run of a
small landmark net 1-3 ms; each is made from the model's copy optimised for this computer when
one is kept (``optimised.py``: the same graph, half the cost). The intra-op thread count comes
from the ``threads`` argument, else ``TWINPROOF_ORT_THREADS``, else 2 (the nets are too small
to gain from more, and the rest of the analysis wants the other cores). Spinning is off so idle
ORT threads do not steal CPU from the rest of the analysis.
"""

from __future__ import annotations

import json
import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

# onnxruntime >= 1.2x on Linux/macOS creates a device id and queues usage events for upload to
# Microsoft (~/.cache/Microsoft/DeveloperTools/.onnxruntime) when it loads, unless this is set
# before the import. TwinProof promises to work offline and to send nothing anywhere.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import onnxruntime as ort

from twinproof.core.errors import TwinProofError
from twinproof.core.landmarks.optimised import make_session
from twinproof.hashing import file_sha256
from twinproof.paths import DataNotFoundError, model_path

# If something imported onnxruntime first (the GUI package does, for DLL order), at least stop
# further events; the one queued at load time is then already written.
ort.disable_telemetry_events()

THREADS_ENV = "TWINPROOF_ORT_THREADS"
DEFAULT_THREADS = 2


class ModelError(TwinProofError):
    """A shipped model cannot be used: the installation is broken. ``str`` names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ModelMissingError(ModelError):
    """The model file (or the manifest) is not there."""


class ModelChecksumError(ModelError):
    """The file's sha256 differs from the manifest: it was altered or replaced."""


class ModelManifestError(ModelError):
    """The manifest is unreadable or does not list the model asked for."""


def resolve_threads(threads: int | None = None) -> int:
    """The intra-op thread count: argument, else ``TWINPROOF_ORT_THREADS``, else 2."""
    if threads is None:
        raw = os.environ.get(THREADS_ENV, "").strip()
        if raw:
            try:
                threads = int(raw)
            except ValueError as exc:
                raise ValueError(f"{THREADS_ENV}={raw!r} is not a whole number") from exc
        else:
            threads = DEFAULT_THREADS
    if threads < 1:
        raise ValueError(f"ONNX Runtime thread count must be at least 1, got {threads}")
    return threads


def _checks_file() -> Path:
    """Where verified models are remembered: the user's cache folder (``XDG_CACHE_HOME``,
    ``LOCALAPPDATA`` on Windows, else ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "twinproof" / "model-checks.json"


def _fingerprint(path: Path) -> dict[str, int]:
    """What changes when a file is rewritten, replaced or copied over: size, mtime, and the
    inode change time and number, which no tool sets back (``touch -d`` and ``cp -p`` restore
    the mtime alone)."""
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns,
            "inode": st.st_ino}


class VerifiedModels:
    """Model files already hashed against the manifest, by path and fingerprint, kept across
    processes: a worker or a ``twinproof analyze`` then checks each model file once, not at
    every start (hashing the ~20 MB of models cost ~25 ms warm and far more from a cold disk).
    Best effort: an unreadable or unwritable cache only means hashing again."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or _checks_file()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def known(self, path: Path, sha256: str) -> bool:
        """True when ``path`` was hashed to ``sha256`` and has not changed since."""
        entry = self._read().get(str(path.resolve()))
        try:
            return isinstance(entry, dict) and entry.get("sha256") == sha256 and (
                {k: entry.get(k) for k in ("size", "mtime_ns", "ctime_ns", "inode")}
                == _fingerprint(path))
        except OSError:
            return False

    def remember(self, path: Path, sha256: str) -> None:
        try:
            data = self._read()
            data[str(path.resolve())] = {"sha256": sha256, **_fingerprint(path)}
            from twinproof.atomic import atomic_write_text

            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(data, indent=1))
        except OSError:
            pass


class ModelRegistry:
    """The models in one folder, verified on first use, with one cached session each.

    Thread-safe: the analysis may run on a worker pool; ONNX Runtime sessions themselves may be
    run from several threads at once.
    """

    def __init__(self, models_dir: Path | None = None, threads: int | None = None) -> None:
        self.models_dir = Path(models_dir) if models_dir is not None else _shipped_models()
        self.threads = resolve_threads(threads)
        self._lock = threading.Lock()
        self._sessions: dict[str, ort.InferenceSession] = {}
        self._manifest: dict[str, Any] | None = None
        self._verified = VerifiedModels()

    @property
    def manifest(self) -> dict[str, Any]:
        """The parsed ``manifest.json`` (its ``models`` mapping)."""
        if self._manifest is None:
            path = self.models_dir / "manifest.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ModelMissingError(path, "model manifest not found") from None
            except (OSError, ValueError) as exc:
                raise ModelManifestError(path, f"model manifest unreadable ({exc})") from None
            if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
                raise ModelManifestError(path, "model manifest has no 'models' table")
            self._manifest = data["models"]
        return self._manifest

    def spec(self, name: str) -> dict[str, Any]:
        """The manifest entry of one model (file, sha256, source, licence, I/O spec)."""
        try:
            entry = self.manifest[name]
        except KeyError:
            path = self.models_dir / "manifest.json"
            raise ModelManifestError(path, f"model manifest does not list {name!r}") from None
        return dict(entry)

    def verified_path(self, name: str, *, trust_cache: bool = False) -> Path:
        """The model's file after checking it exists and matches the manifest's sha256.

        ``trust_cache`` accepts a file hashed before and unchanged since (same size, mtime,
        inode and change time: :class:`VerifiedModels`) without reading it again; sessions
        use it, ``verify_all`` and ``twinproof models`` always hash.
        """
        spec = self.spec(name)
        path = self.models_dir / str(spec["file"])
        if not path.is_file():
            raise ModelMissingError(path, f"model file for {name!r} is missing")
        if trust_cache and self._verified.known(path, str(spec["sha256"])):
            return path
        actual = file_sha256(path)
        if actual != spec["sha256"]:
            raise ModelChecksumError(
                path,
                f"model file for {name!r} fails its checksum (sha256 {actual[:12]}..., "
                f"manifest says {str(spec['sha256'])[:12]}...): it was altered or replaced",
            )
        self._verified.remember(path, actual)
        return path

    def session(self, name: str) -> ort.InferenceSession:
        """The one ONNX Runtime session for ``name``, made (and the file verified) on first use."""
        with self._lock:
            found = self._sessions.get(name)
            if found is None:
                path = self.verified_path(name, trust_cache=True)
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                options.log_severity_level = 3
                found = make_session(path, str(self.spec(name)["sha256"]), options)
                self._sessions[name] = found
            return found

    def verify_all(self) -> list[Path]:
        """Check every model in the manifest (for a smoke test or ``--check-models``)."""
        return [self.verified_path(name) for name in self.manifest]


def _shipped_models() -> Path:
    try:
        return model_path()
    except DataNotFoundError as exc:
        raise ModelMissingError(Path("models"), str(exc)) from None


@cache
def _registry_for(models_dir: Path, threads: int) -> ModelRegistry:
    return ModelRegistry(models_dir, threads)


def default_registry(threads: int | None = None) -> ModelRegistry:
    """A process-wide registry for the shipped models folder, one per thread count."""
    return _registry_for(_shipped_models(), resolve_threads(threads))
