"""The window's reactions to the review: moving between pairs, flags, pairs made by hand.

A mixin of ``MainWindow`` kept apart so the window module stays about layout; every method
here only forwards to the models (session, compare model, analysis controller).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog

from twinproof import review
from twinproof.core.result import Mode as ResultMode
from twinproof.core.result.types import Category, Flag, Severity
from twinproof.gui import dialogs, shootops
from twinproof.gui.align import AlignDialog
from twinproof.gui.analysing import load_cached_heat
from twinproof.gui.imaging import Pyramid
from twinproof.gui.landmarks import region_box
from twinproof.gui.pairlist import ID_ROLE
from twinproof.gui.shortcuts import ShortcutsDialog
from twinproof.gui.viewmodel import FlagMark, Heat
from twinproof.gui.workers import Job
from twinproof.review.pairing import IMAGE_EXTENSIONS

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMainWindow

    from twinproof.gui.analysing import AnalysisController
    from twinproof.gui.annotate import AnnotationTools
    from twinproof.gui.comments import CommentsPanel
    from twinproof.gui.compare import CompareView
    from twinproof.gui.metrics import MetricsPanel
    from twinproof.gui.pairlist import PairList
    from twinproof.gui.panels import DecisionBar
    from twinproof.gui.session import ShootSession
    from twinproof.gui.workers import Pools

    Base = QMainWindow
else:
    Base = object


class NavigationMixin(Base):
    """Needs the window's parts below (declared for the type checker)."""

    if TYPE_CHECKING:
        session: ShootSession | None
        analysis: AnalysisController | None
        compare: CompareView
        tools: AnnotationTools
        pairs: PairList
        metrics: MetricsPanel
        comments: CommentsPanel
        bar: DecisionBar
        readout: QLabel
        _maps_wanted: int | None
        pools: Pools

        def sync_checks(self) -> None: ...

    # -- the current pair ------------------------------------------------------------------
    def _list_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.session is not None and current.isValid():
            self.session.set_current(current.data(ID_ROLE))

    def _current_changed(self, pair_id: int) -> None:
        session = self.session
        if session is None:
            return
        self.pairs.select(pair_id)
        self.tools.pair_id = pair_id if pair_id >= 0 else None
        if self.compare.model.restore_after_flag():  # a flag's overlay is not the next pair's
            self.sync_checks()
        state = session.current
        typed = state.typed if state is not None else None
        new_shot = typed is not None and typed.mode is ResultMode.NEW_SHOT  # no heat maps to fetch
        if state is not None and not state.heat and state.analysed and not state.error and not new_shot:
            heat = load_cached_heat(state.record.real_sha256, state.record.twin_sha256, state.result,
                                    None if session.path is None else str(session.path))
            if heat:
                state.heat = heat
                self.compare.refresh_current()
            else:
                # maps only (the stored result stands), once the pixels are on screen: the two
                # would otherwise share the cores and both arrive later
                self._maps_wanted = pair_id
                self._maps_when_shown(pair_id)
        elif state is not None and not state.analysed and not state.error and self.analysis:
            self.analysis.request(pair_id)
        self.metrics.show_pair(state)
        self.bar.show_pair(session)
        self.comments.show_pair(session.store, pair_id if pair_id >= 0 else None)
        self.sync_checks()  # the faces view, heat maps and alignment depend on the pair

    def _maps_when_shown(self, pair_id: int) -> None:
        images = self.compare.model.shown.images
        wanted = self._maps_wanted
        if wanted != pair_id or self.analysis is None or images is None:
            return
        if images.pair_id == pair_id and not images.preview:
            self._maps_wanted = None
            self.analysis.request(pair_id, store=False)

    def _pair_changed(self, pair_id: int) -> None:
        if self.session is not None and pair_id == self.session.current_id:
            state = self.session.current
            # marked a control frame, or her portraits changed, while on screen: measured again
            if state is not None and state.record.stale and state.result is not None and not state.error \
                    and self.analysis is not None and self.analysis.auto_analyse:
                self.analysis.request(pair_id)
            self.metrics.show_pair(state)
            self.bar.show_pair(self.session)
            self.sync_checks()

    def step(self, delta: int) -> None:
        """Next/previous pair in the list's order (its filter and sort), clamped at the ends."""
        if self.session is None:
            return
        ids = self.pairs.visible_ids()
        if not ids:
            return
        current = self.session.current_id
        i = ids.index(current) if current in ids else -1
        target = ids[max(0, min(len(ids) - 1, i + delta))] if i >= 0 else ids[0]
        self.session.set_current(target)

    def zoom(self, factor: float) -> None:
        pane = self.compare.left
        self.compare.model.zoom_at(factor, QRectF(pane.rect()).center(), QSizeF(pane.size()))

    # -- evidence --------------------------------------------------------------------------
    def show_flag(self, clicked: Flag | dict[str, Any]) -> None:
        """Show where a flag is: the overlay of its kind, its box drawn and framed. What this
        changes (overlays, zoom) comes back when the reviewer moves to another pair. The
        evidence panel hands the typed ``Flag``; a JSON flag (stored before boxes) is read too."""
        flag = clicked if isinstance(clicked, Flag) else legacy_flag(clicked)
        model = self.compare.model
        category = str(flag.category)
        box = flag_box(model.shown.result, flag, model.real_rect())
        model.show_flag(FlagMark(box, flag_words(flag)) if box is not None else FlagMark(QRectF(), ""))
        if model.shown.new_shot and category in FACE_CATEGORIES and not isinstance(model.shown.faces, str):
            # a new shot's face is compared face to face, not at the same place of two frames
            model.set_faces(True)
        if category in ("face_shape", "body_shape"):
            # A shape change is seen in the landmarks (twin points drawn against the real ones);
            # a heat map over them would hide the very displacement the flag is about.
            model.heat = Heat.NONE
            model.landmarks = True
        else:
            colourish = any(k in category for k in ("colour", "skin_tone"))
            model.heat = Heat.DELTA_E if colourish else Heat.SSIM
        model.overlays_visible = True
        if box is not None:
            model.frame_real_box(box, QSizeF(self.compare.left.size()))
        else:
            self.compare.fit()
        model.touch()
        self.sync_checks()

    def nudge_alignment(self) -> None:
        session = self.session
        if session is None or session.current_id is None or self.analysis is None:
            return
        pid = session.current_id
        analysis = self.analysis
        dialog = AlignDialog(self.compare.model.shown.registration,
                             lambda t: self.compare.set_manual(pid, t),
                             lambda reg: analysis.request(pid, reg), self)
        dialog.show()

    def make_pair_by_hand(self) -> None:
        """Pair two files the naming conventions could not match (asked for one by one, so
        which is the real photograph is never guessed)."""
        session = self.session
        if session is None:
            return
        images = "Images (" + " ".join(f"*{e}" for e in sorted(IMAGE_EXTENSIONS)) + ");;All files (*)"
        here = str(Path(session.current.record.real_path).parent) if session.current else ""
        real, _ = QFileDialog.getOpenFileName(self, "Make a pair: the real photograph", here, images)
        if not real:
            return
        twin, _ = QFileDialog.getOpenFileName(self, "Make a pair: its AI-generated twin",
                                              str(Path(real).parent), images)
        if not twin:
            return
        # on the save thread: make_pair hashes both files (tens of MB for a real shoot)
        store, shoot_id = session.store, session.shoot.id
        job = Job(lambda _j: review.make_pair(store, shoot_id, real, twin), "make pair")
        job.signals.done.connect(lambda made, s=session: self._pair_made(s, made.id))
        job.signals.failed.connect(lambda exc: dialogs.show_error(self, "Pair not made", str(exc)))
        self.pools.save(job)

    def _pair_made(self, session: ShootSession, pair_id: int) -> None:
        if session is not self.session:  # the shoot was closed meanwhile
            return
        session.reload()
        shootops.load_thumbnails(session, self.pools)  # the new pair's (the others are kept)
        session.set_current(pair_id)
        if self.analysis is not None:
            self.analysis.request(pair_id)

    def break_pair(self) -> None:
        session, pair = self.session, self.session.current if self.session else None
        if session is None or pair is None:
            return
        try:
            review.break_pair(session.store, pair.id, pair.record.version)
        except review.ReviewError as exc:
            dialogs.show_error(self, "Pair not broken", str(exc))
            return
        session.reload()

    def export_audit(self, pair_id: int) -> None:
        """Write the audit trail (one pair, or -1: the shoot) as CSV on the save thread."""
        session = self.session
        if session is None:
            return
        name = session.pairs[pair_id].record.name if pair_id in session.pairs else session.shoot.name
        path, _ = QFileDialog.getSaveFileName(self, "Export the audit trail", f"{name}-audit.csv",
                                              "CSV (*.csv)")
        if not path:
            return
        store = session.store
        job = Job(lambda _j: review.export_audit_csv(store, path, None if pair_id < 0 else pair_id),
                  "save audit csv")
        job.signals.done.connect(lambda n: self.statusBar().showMessage(f"{n} audit rows written to {path}", 8000))
        job.signals.failed.connect(lambda exc: dialogs.show_error(self, "Audit trail not exported", str(exc)))
        self.pools.save(job)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).show()

    def _readout(self, real: QPointF | None) -> None:
        """Pixel position and the 8-bit sRGB values of both images under the cursor."""
        images = self.compare.model.shown.images
        if real is None or images is None:
            self.readout.setText("")
            return
        to_twin = self.compare.model.real_to_twin_pixels()
        values = [_pixel(images.real, real),
                  "" if images.twin is None else _pixel(images.twin, to_twin.map(real))]
        text = "  ".join(f"{side} {v}" for side, v in zip(("real", "twin"), values, strict=True) if v)
        self.readout.setText(f"x {real.x():.0f}  y {real.y():.0f}   {text}" if values[0] else "")

    def _onion(self, value: int) -> None:
        self.compare.model.onion = value / 100
        self.compare.model.touch()


#: Flags about the face: in a new shot, clicking one shows the faces view.
FACE_CATEGORIES = ("face_shape", "skin_tone", "skin_texture", "identity")


def legacy_flag(flag: dict[str, Any]) -> Flag:
    """A flag in its JSON form (as stored, possibly before flags had boxes or metrics), typed."""
    raw = flag.get("box")
    box = (tuple(float(v) for v in raw) if isinstance(raw, list | tuple) and len(raw) == 4
           and all(isinstance(v, int | float) for v in raw) else None)
    return Flag(Category(str(flag.get("category", "structure"))), str(flag.get("region", "")),
                Severity(str(flag.get("severity", "warn"))), str(flag.get("metric", "")),
                float(flag.get("value", 0.0)), float(flag.get("threshold", 0.0)), str(flag.get("message", "")),
                box)  # type: ignore[arg-type]


def flag_box(result: dict[str, Any] | None, flag: Flag, frame: QRectF) -> QRectF | None:
    """The flag's own box (the core's corners x0, y0, x1, y1), clipped to the image; for flags
    stored before boxes existed, its region from the landmarks."""
    if flag.box is not None:
        x0, y0, x1, y1 = flag.box
        rect = QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized().intersected(frame)
    else:
        rect = region_box(result, str(flag.category), flag.region) or QRectF()
        rect = rect.intersected(frame) if not rect.isEmpty() else rect
    return rect if rect.width() >= 1 and rect.height() >= 1 else None


def flag_words(flag: Flag) -> str:
    """"eyes · fail" (the label drawn on the flag's box)."""
    region = flag.region or str(flag.category).replace("_", " ")
    return f"{region} · {flag.severity}".strip(" ·")


def _pixel(pyramid: Pyramid, p: QPointF) -> str:
    level, scale = pyramid.levels[0], pyramid.scales[0]
    x, y = int(p.x() * scale), int(p.y() * scale)
    if not (0 <= x < level.width() and 0 <= y < level.height()):
        return ""
    c = QColor(level.pixel(x, y))
    return f"{c.red()} {c.green()} {c.blue()}"
