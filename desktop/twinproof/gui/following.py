"""Follow what others record in the open shoot: another reviewer on the team database, a batch
run writing analyses, a second window on the same file.

Every few seconds the workspace reads the audit trail for events since its last look (one small
query when nothing changed) and re-reads what they touched; the panels follow its signals. A
database that went away stops the following and says so once in the status bar; the app keeps
running on what it has.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from twinproof.gui.session import ShootSession

#: How often the open shoot's audit trail is read for changes made elsewhere (ms).
WATCH_MS = 4000


class ChangeWatch(QObject):
    def __init__(self, say: Callable[[str, int], None], parent: QObject | None = None,
                 interval_ms: int = WATCH_MS) -> None:
        super().__init__(parent)
        self.say = say
        self.session: ShootSession | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.look)

    def follow(self, session: ShootSession | None) -> None:
        """Follow this shoot (None: stop)."""
        self.session = session
        if session is None:
            self.timer.stop()
        else:
            self.timer.start()

    def look(self) -> bool:
        """Re-read what anyone recorded since the last look; True when something was."""
        if self.session is None:
            return False
        try:
            return self.session.workspace.poll()
        except Exception as exc:  # noqa: BLE001 - a team server gone: the app keeps running
            self.timer.stop()
            self.say(f"Stopped following changes by others: {exc}", 15000)
            return False
