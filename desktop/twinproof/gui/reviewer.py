"""Who is reviewing: the name the audit trail records, shown (and changed) in the status bar.

A controller of its own (it was part of the window's opening mixin): it gets the settings, a
way to speak in the status bar and the open store in its constructor. Before the first thing a
profile records, it asks for a name once; without one nothing is recorded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtWidgets import QToolButton, QWidget

from twinproof import review
from twinproof.gui import dialogs
from twinproof.gui import settings as settings_module
from twinproof.gui.settings import Settings
from twinproof.review import ReviewStore


class ReviewerButton(QToolButton):
    def __init__(self, settings: Settings, parent: QWidget, *, say: Callable[[str, int], None],
                 store: Callable[[], ReviewStore | None]) -> None:
        super().__init__(parent)
        self.settings = settings
        self.say = say
        self.store = store
        self.setAutoRaise(True)
        self.setToolTip("Who the audit trail records for what you do here; click to change")
        self.clicked.connect(self.ask)
        self.show_current()

    def ask(self) -> None:
        """File → Reviewer name… (or a click on the button)."""
        current = self.settings.reviewer or review.default_reviewer()
        name = dialogs.ask_reviewer(self.window(), current)
        if name is not None:
            self.use(name)

    def ensure(self) -> bool:
        """Before the first thing this profile records: ask who is reviewing (once). False
        when no name was given, and then nothing is recorded."""
        if self.settings.reviewer:
            return True
        name = dialogs.ask_first_reviewer(self.window(), review.default_reviewer())
        if name is None:
            self.say("Nothing recorded: the audit trail needs your name", 8000)
            return False
        self.use(name)
        return True

    def use(self, name: str) -> None:
        self.settings.reviewer = name
        with contextlib.suppress(OSError):
            settings_module.save(self.settings)
        store = self.store()
        if store is not None:
            store.reviewer = name
        self.show_current()

    def show_current(self) -> None:
        """Who is acting (the system user until a name is given)."""
        name = self.settings.reviewer
        store = self.store()
        acting = store.reviewer if store is not None else name or review.default_reviewer()
        self.setText(f"Reviewer: {acting}" if name else f"Reviewer: {acting} (system user: set your name)")
