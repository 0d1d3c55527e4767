"""The Talent & consent panel: the people whose likeness the twins use and their consents.

Approval needs a recorded consent; this is where it is recorded, in the app, against the
shoot's own database. List and edit people, record a consent (contract, term, campaigns,
channels, the signed release attached by path and hash: double-click opens it), revoke one
(it stays on record), and see which pairs each consent covers today. Every change goes through ``twinproof.review``,
which audits it; consents are legal records, so nothing here is "undone": a mistaken consent
is revoked, and a revocation is answered by recording a new consent.

The panel is a view of the shoot's workspace (``review.workspace``): it re-reads whenever the
registry changes, whoever changed it (the T dialog, this panel, an undo, another reviewer), so
it is never stale. A consent needs its signed release, or a stated reason why there is none,
which the audit trail keeps with it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from twinproof import review
from twinproof.core.enrolment import minimum
from twinproof.gui import dialogs, portraits, talentforms
from twinproof.gui.elided import ElidedLabel
from twinproof.gui.portraitlist import PortraitsDialog
from twinproof.gui.portraits import first_portrait
from twinproof.gui.session import ShootSession
from twinproof.gui.showfile import show_path
from twinproof.gui.talentlink import same_person_threshold
from twinproof.gui.talentwords import consent_words, talent_summary
from twinproof.gui.theme import VERDICT_COLOURS
from twinproof.gui.workers import Job
from twinproof.review import ConsentRecord, ReviewError, ReviewStore, TalentRecord

PORTRAIT = QSize(72, 90)
#: The least height of each list (people, consents, coverage): two lines and a bit.
LIST_MIN = 52


class TalentPanel(QWidget):
    #: A talent or consent changed: pairs' consent status may have too.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, ensure_reviewer: Callable[[], bool] = lambda: True,
                 run_job: Callable[[Job], object] = lambda job: job.run()) -> None:
        super().__init__(parent)
        self.session: ShootSession | None = None
        #: The person to select when the registry next changes (the one just added or edited).
        self._keep: str | None = None
        self._connections: list[QMetaObject.Connection] = []
        #: Asks for the reviewer's name before the first change.
        self.ensure_reviewer = ensure_reviewer
        self.campaign = ElidedLabel("", self, min_chars=10)
        set_campaign = QPushButton("Campaign…", self)
        set_campaign.setToolTip("The shoot's campaign: consents naming campaigns are checked against it")
        set_campaign.clicked.connect(self.set_campaign)
        self.people = QListWidget(self)
        self.people.setWordWrap(True)  # a long name and its consent state wrap, never scroll away
        self.people.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people.currentRowChanged.connect(lambda _row: self._show_consents())
        add, edit = QPushButton("Add person…", self), QPushButton("Edit…", self)
        add.clicked.connect(self.add_person)
        edit.clicked.connect(self.edit_person)
        self.portrait = QLabel(self)
        self.portrait.setFixedSize(PORTRAIT)
        self.portrait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.portrait.setWordWrap(True)
        self.add_portrait_button = QPushButton("Add portraits…", self)
        self.add_portrait_button.setToolTip("Reference portraits of the person: their face descriptors are kept "
                                            "(not the pictures); linked twins are compared with them, and with "
                                            f"{minimum()} or more a new shot's face is judged against the "
                                            "talent's own range")
        #: How many portraits she has, and what fewer cannot show (``core.enrolment``).
        self.enrolment = QLabel(self)
        self.enrolment.setWordWrap(True)
        self.add_portrait_button.clicked.connect(self.add_portrait)
        #: Her portraits listed, with their files' state; one removed (``portraitlist``).
        self.portraits_button = QPushButton("Portraits…", self)
        self.portraits_button.setToolTip("List the person's reference portraits (file, when added, a file "
                                         "problem) and remove one")
        self.portraits_button.clicked.connect(self.manage_portraits)
        self.portraits_dialog: PortraitsDialog | None = None
        #: Runs a background job (the window's interactive pool).
        self.run_job = run_job
        # each consent on a few wrapped lines: a six-column table cut its values in a narrow dock
        self.consents = QListWidget(self)
        self.consents.setWordWrap(True)
        self.consents.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.consents.currentRowChanged.connect(lambda _row: self._show_coverage())
        self.consents.itemDoubleClicked.connect(lambda _item: self.open_release())
        self.record_button, self.revoke_button = QPushButton("Record consent…", self), QPushButton("Revoke…", self)
        self.record_button.clicked.connect(self.record_consent)
        self.revoke_button.clicked.connect(self.revoke)
        self.coverage_title = QLabel("Pairs this consent covers today", self)
        # wraps: one line naming a long contract raised the window's minimum width past 1280 px
        self.coverage_title.setWordWrap(True)
        self.coverage = QListWidget(self)
        for listing in (self.people, self.consents, self.coverage):
            # short on a 720-px screen rather than pushing the coverage below the panel
            listing.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            listing.setMinimumHeight(LIST_MIN)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(_row(self.campaign, set_campaign, stretch_first=True))
        who = QHBoxLayout()
        who.addWidget(self.people, 1)
        who.addWidget(self.portrait)
        layout.addLayout(who, 2)
        layout.addLayout(_row(add, edit, self.add_portrait_button))
        enrolment = _row(self.enrolment, self.portraits_button, stretch_first=True)
        enrolment.setAlignment(self.portraits_button, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(enrolment)
        layout.addWidget(self.consents, 2)
        layout.addLayout(_row(self.record_button, self.revoke_button))
        layout.addWidget(self.coverage_title)
        layout.addWidget(self.coverage, 2)
        self.refresh()

    # -- reading -------------------------------------------------------------------------
    def set_session(self, session: ShootSession | None) -> None:
        for connection in self._connections:  # (already gone when the window cut them all)
            QObject.disconnect(connection)
        self._connections = []
        self.session = session
        if session is not None:
            self._connections = [session.talent_changed.connect(self._registry_changed),
                                 session.shoot_changed.connect(self._registry_changed)]
        self.refresh()

    def _registry_changed(self) -> None:
        self.refresh(self._keep)
        self._keep = None

    def talent(self) -> list[TalentRecord]:
        return list(self.session.workspace.talent) if self.session is not None else []

    def select(self, name: str) -> None:
        """Show this person's consents (when they are in the registry)."""
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.data(Qt.ItemDataRole.UserRole).name == name:
                self.people.setCurrentRow(row)

    def selected_person(self) -> TalentRecord | None:
        item = self.people.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def selected_consent(self) -> ConsentRecord | None:
        item = self.consents.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def refresh(self, keep: str | None = None) -> None:
        """Re-read the registry; ``keep`` (a name) stays selected."""
        person = self.selected_person()
        keep = keep or (person.name if person is not None else None)
        session = self.session
        shoot = session.shoot if session is not None else None
        self.campaign.set_full_text(f"Campaign: {shoot.campaign or 'not set'}" if shoot else "No shoot open")
        self.people.clear()
        today = date.today()
        for t in self.talent():
            agency = f" ({t.agency})" if t.agency else ""
            item = QListWidgetItem(f"{t.name}{agency} — {talent_summary(t, today)}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            item.setToolTip(item.text())
            self.people.addItem(item)
            if t.name == keep:
                self.people.setCurrentItem(item)
        if self.people.currentRow() < 0 and self.people.count():
            self.people.setCurrentRow(0)
        self._show_consents()

    def _show_consents(self) -> None:
        person = self.selected_person()
        image = first_portrait(self.session.store, person.id, PORTRAIT) \
            if person is not None and self.session is not None else None
        self.portrait.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self.portrait.setText("" if image is not None else "no portrait")
        self.add_portrait_button.setEnabled(person is not None)
        self.portraits_button.setEnabled(person is not None)
        self._show_enrolment(person)
        consents = person.consents if person is not None else []
        today = date.today()
        self.consents.clear()
        for c in reversed(consents):  # newest first
            reasons = self.session.workspace.release_reasons if self.session is not None else {}
            item = QListWidgetItem(consent_words(c, today, reasons.get(c.id, "")))
            release = f"\nrelease {c.release_path}\nsha256 {c.release_sha256}" if c.release_path else ""
            item.setToolTip(item.text() + release + ("\ndouble-click opens the release" if release else ""))
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.consents.addItem(item)
        self.record_button.setEnabled(person is not None)
        if consents:
            self.consents.setCurrentRow(0)
        self._show_coverage()

    def _show_enrolment(self, person: TalentRecord | None) -> None:
        """Her portraits against what the talent's own range needs, in a line (the whole advice as its tooltip)."""
        if person is None or self.session is None:
            self.enrolment.clear()
            self.enrolment.setToolTip("")
            return
        said, left_out = portraits.enrolment_advice(self.session.store, person.id)
        lost = (f" ({left_out} more left out: a file problem, see Portraits…)" if left_out else "")
        self.enrolment.setText(said.headline + lost)
        self.enrolment.setToolTip(said.text + lost)
        self.enrolment.setStyleSheet(f"color: {VERDICT_COLOURS['pass' if said.own_range else 'review']};")

    def _show_coverage(self) -> None:
        self.coverage.clear()
        consent = self.selected_consent()
        self.revoke_button.setEnabled(consent is not None and not consent.revoked)
        if consent is None or self.session is None:
            self.coverage_title.setText("Pairs this consent covers today")
            return
        rows = review.consent_coverage(self.session.store, consent.id)
        covered = sum(r.covered for r in rows)
        self.coverage_title.setText(f"{consent.contract_ref} covers {covered} of the {len(rows)} "
                                    "pair(s) linked to this person today")
        for r in rows:
            words = "covered" if r.covered else f"not covered: {r.why_not}"
            item = QListWidgetItem(f"{r.pair_name} ({r.shoot_name}) — {words}")
            item.setToolTip(item.text())
            self.coverage.addItem(item)

    # -- changes (each audited by the review layer) ----------------------------------------
    def _write(self, title: str, change: Callable[[], object], keep: str | None = None) -> bool:
        """One audited change through the workspace, which announces it to every view (this
        panel included: it re-reads on ``talent_changed``)."""
        if self.session is None or not self.ensure_reviewer():
            return False
        self._keep = keep
        try:
            self.session.workspace.write(change, talent=True)
        except ReviewError as exc:
            self._keep = None
            dialogs.show_error(self, title, str(exc))
            return False
        self.changed.emit()
        return True

    def add_person(self) -> None:
        answer = talentforms.ask_person(self)
        if answer is not None and self.session is not None:
            store = self.session.store
            self._write("Person not added", lambda: review.add_talent(store, answer[0], answer[1] or None),
                        keep=answer[0])

    def edit_person(self) -> None:
        person = self.selected_person()
        if person is None or self.session is None:
            return
        answer = talentforms.ask_person(self, person.name, person.agency or "")
        if answer is not None:
            store = self.session.store
            self._write("Person not changed", lambda: review.update_talent(
                store, person.id, name=answer[0], agency=answer[1], expected_version=person.version),
                keep=answer[0])

    def record_consent(self) -> None:
        person = self.selected_person()
        if person is None or self.session is None:
            return
        form = talentforms.ask_consent(self, person.name, self.session.shoot.campaign, True)
        if form is None:
            return
        store = self.session.store
        # the release is hashed by the review layer (path and sha256 kept; the file untouched)
        self._write("Consent not recorded", lambda: review.add_consent(
            store, person.id, contract_ref=form.contract_ref, starts_on=form.starts_on,
            expires_on=form.expires_on, campaigns=form.campaigns, channels=form.channels,
            release=form.release, no_release_reason=form.no_release_reason or None), keep=person.name)

    def open_release(self) -> None:
        """Open the selected consent's signed release in the system's viewer (read only)."""
        consent = self.selected_consent()
        if consent is not None and consent.release_path:
            if not Path(consent.release_path).is_file():
                dialogs.show_error(self, "Release not found", f"{consent.release_path} is no longer there "
                                   f"(its sha256 on record: {consent.release_sha256}).")
                return
            show_path(self, Path(consent.release_path), "signed release")

    def revoke(self) -> None:
        person, consent = self.selected_person(), self.selected_consent()
        if person is None or consent is None or self.session is None:
            return
        reason = talentforms.ask_revoke(self, consent.contract_ref, person.name)
        if reason is not None:
            store, suspended = self.session.store, []
            if self._write("Consent not revoked",
                           lambda: suspended.extend(review.revoke_consent(store, consent.id, reason)),
                           keep=person.name) and suspended:  # say which approvals it took away
                window = self.window()
                if isinstance(window, QMainWindow):
                    window.statusBar().showMessage(
                        f"{len(suspended)} approval(s) suspended by revoking {consent.contract_ref}: "
                        "not cleared for use until approved again under another consent", 15_000)

    def add_portrait(self) -> None:
        """Read the chosen portraits' faces on a worker, then keep their descriptors (audited)."""
        person = self.selected_person()
        if person is None or self.session is None or not self.ensure_reviewer():
            return
        paths = portraits.ask_portrait_files(self, person.name)
        if not paths:
            return
        store, name = self.session.store, person.name
        job = Job(lambda _j: [portraits.read(path) for path in paths], f"{len(paths)} portrait(s)")
        job.signals.done.connect(lambda found: self._portraits_read(store, person.id, name, found))
        job.signals.failed.connect(lambda exc: dialogs.show_error(self, "Portrait not added", str(exc)))
        self.add_portrait_button.setEnabled(False)
        self.add_portrait_button.setText("Reading the face…" if len(paths) == 1 else "Reading the faces…")
        self.run_job(job)

    def _portraits_read(self, store: ReviewStore, talent_id: int, name: str,
                        found: list[portraits.Portrait | str]) -> None:
        self.add_portrait_button.setText("Add portraits…")
        self.add_portrait_button.setEnabled(True)
        if self.session is None or self.session.store is not store:
            return  # the shoot was closed meanwhile
        problems = [f for f in found if isinstance(f, str)]
        kept = [(r.descriptor, r.model) for r in review.list_references(store, talent_id)]
        threshold = same_person_threshold()
        for f in found:
            if not isinstance(f, portraits.Portrait):
                continue
            nearest = portraits.nearest_other(f, kept)  # someone else's face: asked, as the CLI warns
            if nearest is not None and nearest > threshold and \
                    not portraits.ask_keep_stranger(self, name, f.path, nearest, threshold):
                continue
            if self._write("Portrait not added", partial(review.add_reference, store, talent_id, f.path, f.sha256,
                                                         f.descriptor, f.model, f.quality), keep=name):
                kept.append((f.descriptor, f.model))
        if problems:
            dialogs.show_error(self, "Portrait not added", "\n".join(problems))

    def manage_portraits(self) -> None:
        """The selected person's portraits in a dialog (its files checked on a worker)."""
        person = self.selected_person()
        if person is None or self.session is None:
            return
        self.portraits_dialog = PortraitsDialog(self, self.session.store, person, self.run_job,
                                                lambda title, change: self._write(title, change, keep=person.name))
        self.portraits_dialog.open()

    def set_campaign(self) -> None:
        session = self.session
        if session is None:
            return
        campaign = talentforms.ask_campaign(self, session.shoot.campaign)
        if campaign is not None and self._write(
                "Campaign not set", lambda: review.set_campaign(session.store, session.shoot.id, campaign or None)):
            session.reload_shoot()


def _row(*widgets: QWidget, stretch_first: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(4)
    for i, w in enumerate(widgets):
        row.addWidget(w, 1 if stretch_first and i == 0 else 0)
    if not stretch_first:
        row.addStretch(1)
    return row
