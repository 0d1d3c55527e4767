"""Read a pair's images ahead on a spare core while the analysis decodes and registers them.

Why: the landmark models (face detection, mesh, iris, pose) and the identity descriptor read
each image on its own, so they need nothing the registration makes; yet the analysis asked for
them only after aligning the pair (the mode is decided on the faces). On a machine with a core
to spare, a helper thread now makes the model sessions while this thread decodes the pair; then
one reads the real's landmarks and both identity descriptors while this thread registers the
pair and reads the twin's landmarks. The files themselves are decoded here, one after the
other: a decode catches Pillow's warnings, which only one thread at a time may do
(``core/caught_warnings.py``). ONNX Runtime, OpenCV and numpy release the GIL for their work,
so the threads overlap. What is read ahead goes into the reading cache (``reading/cache.py``)
under the very key the steps ask for; a step asking for a reading still being made waits for
it, so nothing is computed twice and every value is the one the step would have made itself.

Only when a core is spare (:func:`twinproof.core.spare_cores.read_ahead_allowed`:
``TWINPROOF_THREADS``, else the others' load below the core count; a batch worker sets 1): on a
machine busier than its cores the threads would only take turns. A failure ahead is dropped:
the step that needs the reading makes it again and meets the error itself, in its own thread,
as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from twinproof.core.spare_cores import read_ahead_allowed

if TYPE_CHECKING:  # imported by the command line before the analysis' modules: nothing heavy here
    from twinproof.core.imageio import LoadedImage
    from twinproof.core.policy import Policy

log = logging.getLogger(__name__)
T = TypeVar("T")

_warmed = False


def _spawn(job: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
    """``job`` on a thread of its own, which ends with it: no idle thread outlives the work
    (the app checks that none is left once it shuts down), and a thread costs ~0.1 ms."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = job(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            future.set_exception(exc)
        else:
            future.set_result(result)

    threading.Thread(target=run, name="twinproof-read-ahead", daemon=False).start()  # never killed at exit
    return future


def _submit(job: Callable[[], None]) -> Future[None] | None:
    """Run ``job`` on a read-ahead thread when a core is spare (None: not run)."""
    if not read_ahead_allowed():
        return None
    return _spawn(_quietly, job)


def _quietly(job: Callable[[], None]) -> None:
    try:
        job()
    except Exception:  # the step that needs it makes it again and reports it
        log.debug("reading ahead failed; the analysis will read it itself", exc_info=True)


def start(job: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T] | None:
    """``job(*args, **kwargs)`` on a read-ahead thread when a core is spare (None: the caller
    runs it itself); its error is raised where the caller asks for the result."""
    if not read_ahead_allowed():
        return None
    return _spawn(job, *args, **kwargs)


def warm_sessions() -> Future[None] | None:
    """Make the landmark models' sessions (in the order an analysis needs them), once per
    process; the identity model's is made when :func:`read_people` first needs it."""
    global _warmed
    if _warmed:
        return None

    def job() -> None:
        global _warmed
        from twinproof.core.identity.descriptor import MODEL_NAME
        from twinproof.core.landmarks import default_registry

        registry = default_registry()
        for name in registry.manifest:
            if name != MODEL_NAME:
                registry.session(name)
        _warmed = True

    return _submit(job)


def read_people(real: LoadedImage, twin: LoadedImage, policy: Policy) -> Future[None] | None:
    """Both images' landmarks (the real first), then their identity descriptors, into the
    reading cache. None when no core is spare (nothing is read ahead)."""

    def job() -> None:
        from twinproof.core.reading.read import identity_of, landmarks_of

        found = [(image, landmarks_of(image)) for image in (real, twin)]
        min_px = policy.number("identity", "min_face_px")
        for image, lm in found:
            if lm.face is not None:
                identity_of(image, lm.face, min_px)

    return _submit(job)


def share(image: LoadedImage) -> None:
    """Read ``image``'s landmarks on this thread while the read-ahead thread reads the other
    image's (the caller's registration is done: both cores read). An error is left for the
    step that needs the landmarks."""
    from twinproof.core.reading.read import landmarks_of

    def job() -> None:
        landmarks_of(image)

    _quietly(job)
