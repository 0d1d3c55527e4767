"""What the start screen says about each recent shoot, kept in the settings file.

Every entry read "twin / twinproof.shoot": a list of database file names tells a reviewer
nothing. Each location (a ``.shoot`` file, or a team URL without its password) now carries the
shoot's name, its photographs' folder, when it was last opened, how many pairs it has, the
pair last viewed (reopening goes back there) and a small thumbnail (a JPEG in the cache
folder; losing it only loses the picture).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from twinproof.atomic import atomic_write_bytes
from twinproof.gui.session import ShootSession
from twinproof.gui.settings import Settings, cache_dir, recent_key

THUMB = 96


@dataclass
class RecentShoot:
    name: str = ""
    #: The folder holding the shoot's photographs (real and twin folders' common parent).
    folder: str = ""
    #: When it was last opened, ISO 8601 in UTC ("" = unknown).
    opened: str = ""
    pairs: int = 0
    #: The name of the pair on screen when the shoot was last closed.
    last_pair: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> RecentShoot | None:
        """An entry from the settings file; anything malformed is dropped, never fatal."""
        if not isinstance(data, dict):
            return None
        out = cls()
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, type(getattr(out, f.name))) and not isinstance(value, bool):
                setattr(out, f.name, value if not isinstance(value, str) else value[:500])
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def opened_words(self) -> str:
        try:
            when = datetime.fromisoformat(self.opened).astimezone()
        except ValueError:
            return ""
        return f"opened {when:%d %b %Y, %H:%M}"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def shoot_folder(real_dir: str | None, twin_dir: str | None) -> str:
    folders = [d for d in (real_dir, twin_dir) if d]
    if not folders:
        return ""
    return os.path.commonpath(folders) if len(set(folders)) > 1 else folders[0]


def thumbnail_path(location: str) -> Path:
    digest = hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "recent" / f"{digest}.jpg"


def save_thumbnail(location: str, image: QImage) -> None:
    """Keep a small copy of the shoot's first twin for the start screen (best effort). The
    JPEG is encoded in memory and written atomically: the start screen, reading it while the
    window closes, or a crash half-way, sees the old picture or the new one, never half."""
    if image.isNull():
        return
    small = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    encoded = small.save(buffer, "JPG", 85)  # type: ignore[call-overload]  # the stubs want bytes; Qt str
    buffer.close()
    if not encoded:
        return
    path = thumbnail_path(location)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, bytes(data.data()))
    except OSError:
        pass


def load_thumbnail(location: str) -> QImage | None:
    path = thumbnail_path(location)
    image = QImage(str(path)) if path.exists() else QImage()
    return None if image.isNull() else image


def note_opened(settings: Settings, session: ShootSession) -> str | None:
    """The shoot goes first in the recent list with what the start screen shows; returns the
    pair last viewed in it (None: first time, or a team database opened by URL only)."""
    if session.path is None:
        return None
    settings.remember(session.path)
    key = recent_key(session.path)
    info = RecentShoot.from_dict(settings.recent_details.get(key)) or RecentShoot()
    info.name, info.opened, info.pairs = session.shoot.name, now(), len(session.order)
    info.folder = shoot_folder(session.shoot.real_dir, session.shoot.twin_dir)
    settings.recent_details[key] = info.to_dict()
    return info.last_pair or None


def note_closed(settings: Settings, session: ShootSession) -> None:
    """Remember the pair on screen (reopening goes back to it) and keep a thumbnail."""
    if session.path is None:
        return
    key = recent_key(session.path)
    info = RecentShoot.from_dict(settings.recent_details.get(key)) or RecentShoot()
    current = session.current
    info.last_pair = current.record.name if current is not None else info.last_pair
    info.pairs = len(session.order)
    settings.recent_details[key] = info.to_dict()
    shown = current if current is not None and current.thumbnail is not None else next(
        (session.pairs[i] for i in session.order if session.pairs[i].thumbnail is not None), None)
    if shown is not None and shown.thumbnail is not None:
        save_thumbnail(key, shown.thumbnail)
