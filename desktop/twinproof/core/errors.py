"""Typed errors with messages a person understands.

Every failure a user can cause with their files is one of these, so the CLI can print one
line and exit 2 and the app can show a message and carry on; nothing else should escape.
"""

from __future__ import annotations

from pathlib import Path


def one_line(exc: BaseException | str) -> str:
    """A decoder's message as one short line (libheif's and tifffile's span several)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."


class TwinProofError(Exception):
    """Base of every error meant for the user's eyes."""


class ImageLoadError(TwinProofError):
    """An image could not be used. ``str(err)`` names the file and says what is wrong."""

    reason = "could not be read"

    def __init__(self, path: str | Path, detail: str | None = None) -> None:
        self.path = Path(path)
        self.detail = detail
        text = f"{self.path}: {self.reason}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class ImageNotFoundError(ImageLoadError):
    reason = "file not found"


class ImageUnreadableError(ImageLoadError):
    reason = "cannot be opened (permissions, a folder, or a broken link)"


class NotAnImageError(ImageLoadError):
    # The list is twinproof.core.formats.READ_FORMATS_TEXT (not imported: errors stays a leaf).
    reason = "is not an image TwinProof can read (JPEG, PNG, TIFF, WebP, GIF, HEIC/HEIF, AVIF)"


class ImageTruncatedError(ImageLoadError):
    reason = "is truncated or corrupt: the file ends before the picture does"


class ImageTooLargeError(ImageLoadError):
    reason = "is too large"


class UnsupportedEncodingError(ImageLoadError):
    reason = "uses an encoding TwinProof does not read"


class ImageTimeoutError(ImageLoadError):
    reason = "took too long to decode"


class UnsupportedImageModeError(ImageLoadError):
    reason = "uses a colour mode TwinProof does not support"


class PolicyError(TwinProofError):
    """A fidelity policy file is missing, malformed or has a bad value."""


class AnalysisCancelled(TwinProofError):
    """The user cancelled a running analysis."""

    def __init__(self) -> None:
        super().__init__("analysis cancelled")
