"""Say who the real person of a pair is: a deliberate choice, never a default.

The dialog opens with nothing chosen (never the previous pair's talent: one Enter must not
link the wrong person), shows the pair's real photograph beside the chosen talent's reference
portrait and consent, and offers to unlink. Linking someone whose consent is valid opens the
pair to approval, so the window asks once more before that (``ask_open_gate``). The link is a
``review.commands.LinkTalent`` on the undo stack.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QWidget,
)

from twinproof.gui.portraits import first_portrait
from twinproof.review import ReviewStore, TalentRecord

PICTURE = QSize(180, 220)


#: Starts the likeness comparison; calls its argument with {name: distance} or a reason.
Likeness = Callable[[Callable[[object], None]], None]


def same_person_threshold() -> float:
    from twinproof.core.policy import load_policy

    return float(load_policy().number("identity", "threshold"))


@dataclass(frozen=True)
class LinkChoice:
    #: The talent to link (an existing name, or a new one to add), or None to unlink.
    name: str | None
    new: bool = False


def portrait(store: ReviewStore, talent_id: int) -> QImage | None:
    """The talent's first reference portrait, read small from where it is kept."""
    return first_portrait(store, talent_id, PICTURE)


def picture_label(image: QImage | None, empty: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setFixedSize(PICTURE)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setObjectName("Picture")
    set_picture(label, image, empty)
    return label


def set_picture(label: QLabel, image: QImage | None, empty: str) -> None:
    if image is None or image.isNull():
        label.setPixmap(QPixmap())
        label.setText(empty)
        return
    scaled = image.scaled(PICTURE, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    label.setPixmap(QPixmap.fromImage(scaled))


class TalentLinkDialog(QDialog):
    """Pick the talent of one pair; ``choice()`` says what was picked."""

    def __init__(self, pair_name: str, real: QImage | None, talent: list[TalentRecord],
                 current: str | None, consent_words: dict[str, str],
                 portraits: dict[str, QImage] | None = None, parent: QWidget | None = None,
                 likeness: Likeness | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Who is the real person in {pair_name}?")
        self.talent = {t.name: t for t in talent}
        self.consent_words = consent_words
        self.portraits = portraits or {}
        self.current = current
        self.unlink = False
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a person, or type a new name")
        # the hint whole ("Type to find a person, or a new na…" at 1280 x 720)
        self._fit_hint()
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)  # a name with its likeness wraps rather than scrolling away
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for t in talent:
            item = QListWidgetItem(t.name + ("   (linked now)" if t.name == current else ""))
            item.setData(Qt.ItemDataRole.UserRole, t.name)
            item.setToolTip(consent_words.get(t.name, ""))
            self.list.addItem(item)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.itemSelectionChanged.connect(self._update)
        self.list.itemDoubleClicked.connect(lambda _item: self._link())
        self.pair_picture = picture_label(real, "the real photograph is not loaded yet", self)
        self.portrait = picture_label(None, "Choose a person", self)
        self.suggestion = QLabel("", self)
        self.suggestion.setWordWrap(True)
        self.status = QLabel("Nobody is chosen.", self)
        self.status.setWordWrap(True)
        self.status.setObjectName("ConsentLabel")
        now = QLabel(f"Linked now: {current}" if current else "Linked now: nobody", self)
        buttons = QDialogButtonBox(self)
        self.link_button = QPushButton("Link", self)
        self.unlink_button = QPushButton("Unlink", self)
        cancel = QPushButton("Cancel", self)
        for b in (self.link_button, self.unlink_button, cancel):
            b.setAutoDefault(False)  # Enter alone never links anybody
            b.setDefault(False)
        buttons.addButton(self.link_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.unlink_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.link_button.clicked.connect(self._link)
        self.unlink_button.clicked.connect(self._unlink)
        cancel.clicked.connect(self.reject)
        self.unlink_button.setVisible(current is not None)
        question = QLabel(f"Who is the real person in {pair_name}?", self)
        question.setObjectName("SectionTitle")
        grid = QGridLayout(self)
        grid.addWidget(question, 0, 0, 1, 3)
        grid.addWidget(QLabel(f"{pair_name}: real photograph", self), 1, 0)
        grid.addWidget(QLabel("Talent's reference portrait", self), 1, 1)
        grid.addWidget(self.pair_picture, 2, 0)
        grid.addWidget(self.portrait, 2, 1)
        grid.addWidget(self.search, 1, 2)
        grid.addWidget(self.list, 2, 2, 2, 1)
        grid.addWidget(self.status, 3, 0, 1, 2)
        grid.addWidget(now, 4, 0, 1, 2)
        grid.addWidget(self.suggestion, 4, 2)
        grid.addWidget(buttons, 5, 2)
        grid.setColumnStretch(2, 1)
        self._update()
        if likeness is not None:
            self.suggestion.setText("Comparing the face with the reference portraits…")
            likeness(self._deliver)

    def _fit_hint(self) -> None:
        """The search field at least as wide as its hint, in the font it is shown in."""
        self.search.ensurePolished()
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 32)

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_hint()  # the font may have changed since (the style sheet, a larger text setting)
        super().showEvent(event)

    def _deliver(self, found: object) -> None:
        with contextlib.suppress(RuntimeError):  # the dialog may be gone by then
            self.show_likeness(found)

    def show_likeness(self, found: object) -> None:
        """Each person's likeness to the real photograph's face, beside their name, and the
        closest one suggested in words (never chosen: the reviewer picks)."""
        if isinstance(found, str) or not isinstance(found, dict):
            self.suggestion.setText(f"No likeness: {found}" if isinstance(found, str) else "")
            return
        threshold = same_person_threshold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            name = str(item.data(Qt.ItemDataRole.UserRole))
            if name in found:
                same = found[name] <= threshold
                item.setText(f"{item.text()}   · likeness {found[name]:.2f}"
                             f" ({'same person' if same else 'not the same person'})")
        close = sorted((d, n) for n, d in found.items() if d <= threshold)
        if close:
            self.suggestion.setText(f"Looks like {close[0][1]} (face distance {close[0][0]:.2f}, same person "
                                    f"up to {threshold:g}): pick them if that is who it is.")
        else:
            self.suggestion.setText("Nobody with a reference portrait looks like this face." if found
                                    else "Nobody has a reference portrait to compare with.")

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in str(item.data(Qt.ItemDataRole.UserRole)).casefold())
        # what was typed picks a person only when it leaves exactly one (never a guess)
        visible = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
        if needle and len(visible) == 1:
            self.list.setCurrentRow(visible[0])
        else:
            self.list.setCurrentRow(-1)
            self.list.clearSelection()
        self._update()

    def chosen(self) -> LinkChoice | None:
        items = self.list.selectedItems()
        if items:
            return LinkChoice(str(items[0].data(Qt.ItemDataRole.UserRole)))
        typed = " ".join(self.search.text().split())
        if not typed or any(not self.list.item(i).isHidden() for i in range(self.list.count())):
            return None  # several people match what was typed: pick one
        return LinkChoice(typed, new=True)

    def _update(self) -> None:
        choice = self.chosen()
        self.link_button.setEnabled(choice is not None and choice.name != self.current)
        if choice is None or choice.name is None:
            self.status.setText("Pick one of the people listed." if self.search.text().strip()
                                else "Nobody is chosen.")
            set_picture(self.portrait, None, "Choose a person")
            return
        if choice.new:
            self.link_button.setText("Add and link")
            self.status.setText(f"{choice.name} is not in the registry yet: linking adds them, "
                                "with no consent (approval stays blocked until one is recorded).")
            set_picture(self.portrait, None, "New person: no reference portrait")
            return
        self.link_button.setText("Link")
        self.status.setText(self.consent_words.get(choice.name, ""))
        set_picture(self.portrait, self.portraits.get(choice.name), "No reference portrait on record")

    def _link(self) -> None:
        if self.link_button.isEnabled():
            self.accept()

    def _unlink(self) -> None:
        self.unlink = True
        self.accept()

    def choice(self) -> LinkChoice | None:
        if self.unlink:
            return LinkChoice(None)
        return self.chosen()


def ask_link(parent: QWidget | None, pair_name: str, real: QImage | None, talent: list[TalentRecord],
             current: str | None, consent_words: dict[str, str],
             portraits: dict[str, QImage] | None = None, likeness: Likeness | None = None) -> LinkChoice | None:
    """The dialog (tests replace this function)."""
    dialog = TalentLinkDialog(pair_name, real, talent, current, consent_words, portraits, parent, likeness)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_open_gate(parent: QWidget | None, pair_name: str, talent: str) -> bool:
    """Linking a person with a valid consent lets the twin be approved: confirm it (No is the
    default, so a stray Enter does not)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Allow approval?",
                      f"{talent} has a consent valid today for this shoot.\n\nLinking {pair_name} to "
                      f"{talent} lets its twin be approved. Is {talent} the person in this photograph?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
