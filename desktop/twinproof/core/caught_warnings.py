"""Catch a decoder's Python warnings for one decode, one thread at a time.

Pillow warns about damage it works around (a corrupt EXIF block, a truncated file); the loader
keeps those out of the terminal and says them in the image's handling notes instead. But
``warnings.catch_warnings`` swaps process-wide state (the filter list and the function that
shows a warning), not a thread's: two threads inside it at once restore each other's state on
the way out, which can leave the process recording every later warning into a list nobody reads,
or let one decode's warning meet another thread's filters (a twin with a corrupt EXIF block,
decoded by the read-ahead helper, failed to load under pytest's strict filter instead of
reading "decoder warning"). So every decode that catches warnings takes one lock, as
``native_output.captured`` does for file descriptor 2, and decodes on two threads take turns.

A warning another thread raises meanwhile lands in the list too. numpy's floating-point warnings
(RuntimeWarning) and those raised inside numpy, OpenCV or ONNX Runtime are not a decoder's: they
go to TwinProof's log, not into the image's notes.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

LOG = logging.getLogger("twinproof.warnings")
_LOCK = threading.RLock()
#: Where a warning that is not a decoder's comes from (the other thread's work).
_NOT_DECODERS = ("/numpy/", "/onnxruntime/", "/cv2/", "\\numpy\\", "\\onnxruntime\\", "\\cv2\\")


def _a_decoders(w: warnings.WarningMessage) -> bool:
    return not issubclass(w.category, RuntimeWarning) and not any(part in w.filename for part in _NOT_DECODERS)


@contextmanager
def decoder_warnings(*, keep: bool = True,
                     ignore: tuple[type[Warning], ...] = ()) -> Iterator[list[warnings.WarningMessage]]:
    """The decoders' warnings raised in the body, every one recorded (``keep``) or none
    (``keep=False``: a header read, whose file the loader reads and reports later);
    ``ignore``: categories never recorded."""
    found: list[warnings.WarningMessage] = []
    with _LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always" if keep else "ignore")
        for category in ignore:
            warnings.simplefilter("ignore", category)
        try:
            yield found
        finally:
            found.extend(w for w in caught if _a_decoders(w))
    for w in caught:
        if not _a_decoders(w):
            LOG.info("a warning raised during a decode, not the decoder's: %s: %s (%s:%s)",
                     w.category.__name__, w.message, w.filename, w.lineno)
