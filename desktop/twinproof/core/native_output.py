"""Keep what native decoders print (libtiff, libpng inside OpenCV, tifffile's log) out of the
user's terminal, and put it in TwinProof's log and the image's handling notes instead.

Why: libtiff writes "TIFFReadDirectory: Warning, ..." straight to file descriptor 2 and
tifffile logs through Python's last-resort handler, so a one-line TwinProof error came
surrounded by lines nobody asked for (12 files of a 1,068-file corpus), and a good file
printed them on success. C libraries cannot be told where to write, so the descriptor itself
is pointed at a temporary file for the length of the call.

The redirection is process-wide, so it is serialised by a lock: only the calls that may
print (libtiff and OpenCV decodes) take it; anything another thread prints meanwhile goes
to the log, not lost.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LOG = logging.getLogger("twinproof.decoders")
LOG.addHandler(logging.NullHandler())
_LOCK = threading.RLock()


class _Forward(logging.Handler):
    """A decoding library's records, into our log: tifffile and Pillow have no handler of their
    own, so Python's last-resort handler would print their warnings and errors to stderr
    (Pillow's TIFF reader logs "More samples per pixel than can be decoded: 65535" at ERROR
    level right before it raises, above TwinProof's one-line refusal of the same file)."""

    def emit(self, record: logging.LogRecord) -> None:
        LOG.debug("%s: %s", record.name, record.getMessage())


#: The libraries the loader drives that log through Python's logging.
DECODER_LOGGERS = ("tifffile", "PIL")
for _name in DECODER_LOGGERS:
    _logger = logging.getLogger(_name)
    if not any(isinstance(h, _Forward) for h in _logger.handlers):
        _logger.addHandler(_Forward())
        _logger.propagate = False


@contextmanager
def captured(notes: list[str]) -> Iterator[None]:
    """Run the body with file descriptor 2 pointed at a temporary file; whatever lands there
    is logged and summarised in ``notes`` (first line, as ``decoder said: ...``)."""
    with _LOCK, tempfile.TemporaryFile() as sink:
        try:
            saved = os.dup(2)
        except OSError:  # no stderr at all (a GUI started without one): nothing to keep out
            yield
            return
        try:
            sys.stderr.flush()
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
        finally:
            os.close(saved)
        sink.seek(0)
        text = sink.read(64 * 1024).decode("utf-8", "replace").strip()
    if text:
        LOG.info("decoder output: %s", text)
        first = " ".join(text.splitlines()[0].split())
        note = f"decoder said: {first[:150]}"
        if note not in notes:
            notes.append(note)
