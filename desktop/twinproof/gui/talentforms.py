"""The forms of the Talent & consent panel: a person, a consent, a revocation, the campaign.

Each is a module-level function returning plain values (or None when cancelled), so the
panel's flows are tested with the functions replaced, never blocked by a modal dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ConsentForm:
    contract_ref: str
    starts_on: date
    expires_on: date
    campaigns: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    #: The signed release, attached by path and hash (the file itself is never changed).
    release: Path | None = None
    #: Why there is no signed release (required without one; kept in the audit trail).
    no_release_reason: str = ""


def split_list(text: str) -> list[str]:
    """"SS27, FW26" → ["SS27", "FW26"] (blank: every campaign / channel)."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _date_edit(value: date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class ConsentDialog(QDialog):
    def __init__(self, talent: str, campaign: str | None, releases: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record a consent: {talent}")
        self.releases = releases
        self.contract = QLineEdit(self)
        self.contract.setPlaceholderText("the contract's reference, e.g. C-2026-014")
        today = date.today()
        self.starts = _date_edit(today, self)
        self.expires = _date_edit(today + timedelta(days=365), self)
        self.campaigns = QLineEdit(self)
        self.campaigns.setPlaceholderText(f"e.g. {campaign or 'SS27'} (blank: every campaign)")
        self.channels = QLineEdit(self)
        self.channels.setPlaceholderText("e.g. web, social, print (blank: every channel)")
        self.release = QLineEdit(self)
        self.release.setPlaceholderText("the signed release (PDF or scan)")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.release, 1)
        row.addWidget(browse)
        self.why_none = QLineEdit(self)
        self.why_none.setPlaceholderText("only without a release: why there is none (kept in the audit trail)")
        form = QFormLayout()
        form.addRow("Contract", self.contract)
        form.addRow("Valid from", self.starts)
        form.addRow("Until (inclusive)", self.expires)
        form.addRow("Campaigns", self.campaigns)
        form.addRow("Channels", self.channels)
        if releases:
            form.addRow("Signed release", row)
            form.addRow("No release because", self.why_none)
        else:
            self.release.hide()
            browse.hide()
            self.why_none.hide()
        self.problem = QLabel("", self)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record consent")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "The signed release", self.release.text(),
                                              "Releases (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)")
        if path:
            self.release.setText(path)

    def form(self) -> ConsentForm:
        release = Path(self.release.text().strip()).expanduser() if self.release.text().strip() else None
        return ConsentForm(self.contract.text().strip(), _day(self.starts), _day(self.expires),
                           split_list(self.campaigns.text()),
                           split_list(self.channels.text()), release,
                           "" if release is not None else " ".join(self.why_none.text().split()))

    def _accept(self) -> None:
        """Checks a person can fix here, said here (the dialog keeps what was typed)."""
        f = self.form()
        problem = ("Give the contract's reference." if not f.contract_ref else
                   "The consent ends before it starts." if f.expires_on < f.starts_on else
                   f"The release {f.release} is not a readable file." if f.release is not None
                   and not f.release.is_file() else
                   "Attach the signed release, or say why there is none." if f.release is None
                   and not f.no_release_reason and self.releases else "")
        self.problem.setText(problem)
        if not problem:
            self.accept()


def ask_consent(parent: QWidget | None, talent: str, campaign: str | None,
                releases: bool = True) -> ConsentForm | None:
    dialog = ConsentDialog(talent, campaign, releases, parent)
    return dialog.form() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_person(parent: QWidget | None, name: str = "", agency: str = "") -> tuple[str, str] | None:
    """A person's name and agency (adding or correcting)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Talent" if not name else f"Edit {name}")
    name_edit, agency_edit = QLineEdit(name, dialog), QLineEdit(agency, dialog)
    agency_edit.setPlaceholderText("optional")
    form = QFormLayout(dialog)
    form.addRow("Name", name_edit)
    form.addRow("Agency", agency_edit)
    if not name:  # a new person: what her portraits are for, before anyone reviews a twin of her
        form.addRow(_portraits_hint(dialog))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                               dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted or not name_edit.text().strip():
        return None
    return name_edit.text().strip(), agency_edit.text().strip()


def _portraits_hint(parent: QWidget) -> QLabel:
    from twinproof.core.enrolment import minimum, recommended

    hint = QLabel(f"Then add the talent's reference portraits (Add portraits…): at least {minimum()}, {recommended()} "
                  "recommended, ideally from other shoots. With fewer, a slimmed jaw, a wider face or larger eyes "
                  "in a new shot is judged against one real photograph, and cannot be told from how the talent varies "
                  "between shots.", parent)
    hint.setWordWrap(True)
    hint.setObjectName("PortraitsHint")
    return hint


def ask_revoke(parent: QWidget | None, contract: str, talent: str) -> str | None:
    """Confirm a revocation and say why (kept with it in the audit trail); None: not revoked."""
    text, ok = QInputDialog.getText(
        parent, f"Revoke consent {contract}",
        f"Revoke {talent}'s consent {contract}? It stays on record, but no twin can be approved "
        "under it any more.\nWhy (e.g. the talent withdrew it):")
    return text.strip() if ok and text.strip() else None


def ask_campaign(parent: QWidget | None, current: str | None) -> str | None:
    """The shoot's campaign (what consents limited to named campaigns are checked against)."""
    text, ok = QInputDialog.getText(parent, "Campaign of this shoot",
                                    "Campaign (consents that name campaigns must name this one):",
                                    text=current or "")
    return text.strip() if ok else None
