"""The review-workflow scenes of the docs' screenshots: consent, the talent link, marks and
their comments. Each scene records what a reviewer would (through the review layer, audited,
into the screenshot run's own throwaway copy of the sample database) and brings its panel to
the front; ``screenshots`` grabs the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from twinproof import review
from twinproof.gui import portraits, shootops, talentlink
from twinproof.gui.decisions import consent_words
from twinproof.paths import resource_path

if TYPE_CHECKING:
    from twinproof.gui.mainwindow import MainWindow

#: The sample's real photographs: NASA's Eileen Collins (looks 1, 3, 5), Grace Hopper (2, 4, 6).
PEOPLE = {"Eileen Collins": ("NASA", ("look01", "look03", "look05")),
          "Grace Hopper": ("U.S. Navy", ("look02", "look04", "look06"))}


def record_consents(w: MainWindow, folder: Path) -> None:
    """People, consents (one with its signed release attached, one revoked and kept) and links."""
    s = w.session
    assert s is not None
    store = s.store
    if review.list_talent(store):
        return
    review.set_campaign(store, s.shoot.id, "SS27")
    s.reload_shoot()
    today = date.today()
    by_name = {s.pairs[i].record.name: i for i in s.order}
    for name, (agency, looks) in PEOPLE.items():
        person = review.add_talent(store, name, agency)
        if name == "Eileen Collins":
            old = review.add_consent(store, person.id, contract_ref="EC-2025-03", starts_on=today - timedelta(400),
                                     expires_on=today + timedelta(30), campaigns=["FW25"],
                                     no_release_reason="signed on paper, kept by the agency")
            review.revoke_consent(store, old.id, "superseded by EC-2026-11")
            release = folder / "eileen-collins-signed-release.pdf"
            release.write_bytes(b"%PDF-1.4\n% a signed release stands here in the screenshots\n%%EOF\n")
            review.add_consent(store, person.id, contract_ref="EC-2026-11", starts_on=today - timedelta(20),
                               expires_on=today + timedelta(345), campaigns=["SS27"], channels=["web", "print"],
                               release=release)
            review.link_talent(store, [by_name[look] for look in looks if look in by_name], person.id)
        else:
            review.add_consent(store, person.id, contract_ref="GH-2026-02", starts_on=today - timedelta(5),
                               expires_on=today + timedelta(180), campaigns=["SS27"],
                               no_release_reason="signed on paper, kept by the agency")
        # a reference portrait (here the sample's own photograph of the person), read for identity
        found = portraits.read(resource_path("sample", f"{looks[0]}_real.jpg"))
        if isinstance(found, portraits.Portrait):
            review.add_reference(store, person.id, found.path, found.sha256, found.descriptor, found.model,
                                 found.quality)
    s.workspace.poll()  # written straight to the record, as another reviewer would: follow it


def talent_panel(w: MainWindow, goto: Callable[[str], None], folder: Path) -> None:
    goto("look01")
    record_consents(w, folder)
    w.dock_talent.raise_()
    w.talent.select("Eileen Collins")
    w.bar.show_pair(w.session)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_link_dialog(w: MainWindow, goto: Callable[[str], None], folder: Path) -> QWidget:
    """The T dialog for look02, "grace" typed: Grace's consent beside the pair, nothing linked."""
    goto("look02")
    record_consents(w, folder)
    s = w.session
    assert s is not None and s.current is not None
    people = review.list_talent(s.store)
    words = {t.name: consent_words(review.consent_check_for(s.store, s.current.id, t.id)) for t in people}
    faces = {t.name: image for t in people if (image := talentlink.portrait(s.store, t.id)) is not None}
    likeness = w.decider.likeness_for(s.current.record.real_path, portraits.references_by_name(s.store, people))
    dialog = talentlink.TalentLinkDialog(s.current.record.name, w.real_image(s.current.id), people,
                                         s.current.record.talent_name, words, faces, w, likeness)
    dialog.show()
    dialog.move(w.geometry().center() - dialog.rect().center())
    dialog.search.setText("grace")
    for _ in range(300):  # the faces are compared on a worker
        if not dialog.suggestion.text().startswith("Comparing"):
            break
        wait(100)
    return dialog


def comments(w: MainWindow, goto: Callable[[str], None]) -> None:
    """look01's marks with a conversation, one thread resolved, the comments panel in front."""
    goto("look01")
    s = w.session
    assert s is not None and s.current_id is not None
    pid, store = s.current_id, s.store
    images = w.compare.model.shown.images
    size = (images.real.width, images.real.height) if images else (512, 512)
    marks = review.list_annotations(store, pid)
    if not marks:
        ellipse = review.add_annotation(store, pid, "ellipse", {"x": 205, "y": 50, "w": 120, "h": 150},
                                        image_size=size, text="hairline redrawn?")
        arrow = review.add_annotation(store, pid, "arrow", {"x1": 330, "y1": 370, "x2": 285, "y2": 330},
                                      image_size=size, colour="#ffd60a", text="patch edge")
        pin = review.add_annotation(store, pid, "pin", {"x": 262, "y": 150}, image_size=size,
                                    text="smile line softened?", colour="#0a84ff")
        review.add_comment(store, pid, "Same in the real photograph: the hair was pinned back.", ellipse.id)
        review.add_comment(store, pid, "Agreed, nothing to fix here.", ellipse.id)
        review.set_resolved(store, ellipse.id)
        review.add_comment(store, pid, "Faint, but there: ask for a re-render of the badge.", arrow.id)
        review.add_comment(store, pid, "The crease is softer than in the real one.", pin.id)
        review.add_comment(store, pid, "Good to go once the badge edge is fixed.")
    w.dock_comments.raise_()
    w.marks_changed()


#: The new-shot pair the screenshots add to the sample: Grace Hopper's photograph and a
#: "twin" that is another shot of her (mirrored, turned 6°, closer, warmer light, reframed).
NEW_SHOT = "look07"


def add_new_shot(w: MainWindow, folder: Path) -> None:
    """Make the new-shot pair from the sample's public-domain photograph (the run's own files
    and database) and ask for its analysis."""
    import cv2
    import numpy as np

    s = w.session
    assert s is not None
    if any(s.pairs[i].record.name == NEW_SHOT for i in s.order):
        return
    source = resource_path("sample", "look02_real.jpg")
    real, twin = folder / f"{NEW_SHOT}_real.jpg", folder / f"{NEW_SHOT}_twin.jpg"
    real.write_bytes(source.read_bytes())
    img = cv2.imread(str(source))
    assert img is not None, source
    h, wd = img.shape[:2]
    turn = cv2.getRotationMatrix2D((wd * 0.5, h * 0.35), -6, 1.18)
    turn[:, 2] += (14, 30)
    shot = cv2.warpAffine(np.ascontiguousarray(img[:, ::-1]), turn, (wd, h), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_REFLECT)[20:h - 40]
    warm = np.clip(shot.astype(np.float32) * np.array([0.92, 1.0, 1.08], np.float32), 0, 255)
    cv2.imwrite(str(twin), warm.astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 92])
    pair = review.make_pair(s.store, s.shoot.id, real, twin, NEW_SHOT)
    s.reload()
    shootops.load_thumbnails(s, w.pools)
    if w.analysis is not None:
        w.analysis.request(pair.id)


def drop_new_shot(w: MainWindow) -> None:
    """Break the added pair again and show look01, so the start screen's recent entry is the
    sample as shipped (six looks)."""
    s = w.session
    assert s is not None
    for pid in list(s.order):
        record = s.pairs[pid].record
        if record.name == NEW_SHOT:
            review.break_pair(s.store, pid, record.version)
    s.reload()
    s.set_current(next((i for i in s.order if s.pairs[i].record.name == "look01"), None))
