"""A talent's reference portraits in the app: shown small, added from a file.

The record keeps a portrait's path, hash and face descriptor, never its pixels, so a portrait
is shown by reading the file where the agency keeps it. Adding one reads the face on a worker
(the landmark and identity models: a second or two) and stores the descriptor, as
``twinproof talent reference add`` does; every twin linked to the person is compared with it
at its next analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from twinproof import review
from twinproof.core.enrolment import Advice
from twinproof.review import ReviewStore


@dataclass(frozen=True)
class Portrait:
    """A portrait read for identity: what ``review.add_reference`` stores."""

    path: Path
    sha256: str
    descriptor: list[float]
    model: str
    quality: dict[str, Any]


def read(path: Path) -> Portrait | str:
    """Read a portrait's face (worker thread); a one-line reason when it has no usable one."""
    from twinproof.core.errors import TwinProofError
    from twinproof.core.identity import FaceIdentity
    from twinproof.core.portrait_skin import read_reference

    try:
        found, skin = read_reference(path)
    except (TwinProofError, OSError) as exc:
        return f"{path.name}: {exc}"
    if not isinstance(found, FaceIdentity):
        return f"{path.name}: {found.reason}"
    quality = {**found.chip.quality(), **skin}  # the talent's skin tone for the shoot audit's groups
    return Portrait(path, review.hash_file(path), found.descriptor.tolist(), found.model, quality)


def first_portrait(store: ReviewStore, talent_id: int, size: QSize) -> QImage | None:
    """The talent's first reference portrait that can still be read, scaled to ``size``."""
    try:
        refs = review.list_references(store, talent_id)
    except review.ReviewError:
        return None
    for ref in refs:
        image = read_portrait(ref.path, size)
        if image is not None:
            return image
    return None


def read_portrait(path: str, size: QSize) -> QImage | None:
    """A portrait file read small (Qt decodes a JPEG at reduced size), turned as its EXIF says
    and fitted in ``size``; None when it cannot be read."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and full.width() > 0:
        reader.setScaledSize(full.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def ask_portrait_files(parent: QWidget | None, name: str) -> list[Path]:
    """The portrait files to add, several at once: enrolment asks for enough of them (tests
    replace this function)."""
    from twinproof.core.enrolment import minimum, recommended

    paths, _ = QFileDialog.getOpenFileNames(
        parent, f"Reference portraits of {name} (at least {minimum()}, {recommended()} recommended)", "",
        "Images (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.heic);;All files (*)")
    return [Path(p) for p in paths]


def enrolment_advice(store: ReviewStore, talent_id: int) -> tuple[Advice, int]:
    """What her usable reference portraits allow (a quick query; the advice is ``core.enrolment``'s),
    and how many active ones are left out of her own range because their file was last seen
    missing, changed or unreadable: three portraits of which one is lost are two for her range."""
    from twinproof.core.enrolment import advice

    try:
        refs = review.list_references(store, talent_id)
    except review.ReviewError:
        refs = []
    left_out = sum(r.file_problem is not None for r in refs)
    return advice(len(refs) - left_out), left_out


#: A person's reference descriptors, by name, with the identity model that made them.
References = dict[str, list[tuple[list[float], str]]]


def references_by_name(store: ReviewStore, people: list[Any]) -> References:
    """Every person's reference descriptors (a quick query, on the GUI thread)."""
    out: References = {}
    for t in people:
        refs = review.list_references(store, t.id)
        if refs:
            out[t.name] = [(r.descriptor, r.model) for r in refs]
    return out


def likeness(real_path: str, references: References) -> dict[str, float] | str:
    """Worker thread: how far the real photograph's face is from each person's nearest
    reference (descriptor distance, dlib's scale); a reason instead when it has no usable face."""
    import numpy as np

    from twinproof.core.identity import distance

    found = read(Path(real_path))
    if isinstance(found, str):
        return found
    mine = np.asarray(found.descriptor, np.float32)
    out = {}
    for name, refs in references.items():
        usable = [np.asarray(d, np.float32) for d, model in refs if model == found.model]
        if usable:
            out[name] = min(distance(mine, d) for d in usable)
    return out


def nearest_other(portrait: Portrait, others: list[tuple[list[float], str]]) -> float | None:
    """How far ``portrait``'s face is from the nearest of the talent's other portraits read by the
    same identity model (None: no other to compare with). A few descriptors: the GUI thread."""
    import numpy as np

    from twinproof.core.identity import distance

    mine = np.asarray(portrait.descriptor, np.float32)
    usable = [np.asarray(d, np.float32) for d, model in others if model == portrait.model]
    return min(distance(mine, d) for d in usable) if usable else None


def ask_keep_stranger(parent: QWidget | None, name: str, path: Path, nearest: float, threshold: float) -> bool:
    """A portrait whose face is beyond the same-person threshold from the talent's others: keep it?
    (``talent reference add`` warns the same.) A stranger among the portraits widens the talent's
    own range, so edits pass unseen, or vouches for a twin of another person."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Is this the same person?",
                      f"{path.name} may show someone other than {name}: its face is {nearest:.2f} from the "
                      f"nearest of {name}'s other portraits (the same person is up to {threshold:g}).\n\n"
                      f"A portrait of someone else widens {name}'s own range, so an edit can pass unseen.",
                      QMessageBox.StandardButton.NoButton, parent)
    keep = box.addButton(f"It is {name}: keep it", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Leave it out", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is keep
