"""Where every log record of every library ends: TwinProof's log, never the user's terminal.

Why: a command's stderr carries exactly one line when something is wrong, and the app's
terminal (when it has one) nothing. Libraries log on their own: Pillow's TIFF reader says
"More samples per pixel than can be decoded: 65535" through ``logger.error`` above TwinProof's
refusal of the same file, fontTools logs while the PDF's font is subset, tifffile warns about
odd tags. A logger with no handler of its own ends in Python's *last-resort* handler, which
prints to stderr. So the command line and the app both call :func:`route_all_logging` once:
the root logger gets TwinProof's handler (and so does ``logging.lastResort``, for loggers that
do not propagate), Python warnings become log records, and all of it is appended to the file
``$TWINPROOF_LOG`` names, or dropped when it names none.

Core decoders also forward the libraries they drive to ``twinproof.decoders``
(``core/native_output.py``), so a process that never calls this (a Dask worker, a script using
the core) keeps them off stderr too.
"""

from __future__ import annotations

import logging
import os

#: A file the command line and the app append their log to (decoder messages, library
#: warnings); unset, the log goes nowhere.
LOG_ENV = "TWINPROOF_LOG"
_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


class _TwinProofLog(logging.Handler):
    """The one handler every record reaches: the ``$TWINPROOF_LOG`` file, or nowhere.

    The file is opened on the first record and reopened if it was given a new path; a file
    that cannot be opened drops the records (an unwritable log must not stop a command)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.setFormatter(logging.Formatter(_FORMAT))
        self._file: logging.FileHandler | None = None

    def _target(self) -> logging.FileHandler | None:
        path = os.environ.get(LOG_ENV)
        if not path:
            return None
        if self._file is None or self._file.baseFilename != os.path.abspath(path):
            try:
                handler = logging.FileHandler(path, encoding="utf-8", delay=False)
            except OSError:
                return None
            handler.setFormatter(self.formatter)
            handler.handleError = self.handleError  # type: ignore[method-assign]  # a full disk: silent
            if self._file is not None:
                self._file.close()
            self._file = handler
        return self._file

    def emit(self, record: logging.LogRecord) -> None:
        target = self._target()
        if target is not None:
            target.emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        """Never print logging's own "--- Logging error ---" traceback to stderr."""


def _installed() -> _TwinProofLog | None:
    return next((h for h in logging.getLogger().handlers if isinstance(h, _TwinProofLog)), None)


def route_all_logging() -> None:
    """Send every log record and Python warning of this process to TwinProof's log (see the
    module's docstring). Idempotent; what a user set in ``$TWINPROOF_LOG`` decides where."""
    logging.captureWarnings(True)
    handler = _installed()
    if handler is None:
        handler = _TwinProofLog()
        logging.getLogger().addHandler(handler)
    logging.lastResort = handler
    # With a log file, TwinProof's own debug lines (what a decoder said) are worth keeping.
    logging.getLogger("twinproof").setLevel(logging.DEBUG if os.environ.get(LOG_ENV) else logging.NOTSET)
