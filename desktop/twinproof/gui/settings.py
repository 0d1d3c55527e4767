"""One typed settings schema, stored as JSON under the platform's config folder.

Why not QSettings for everything: a dataclass gives defaults, types and a version in one
place, and a file a support person can read. QSettings is kept for window geometry only.
Writes are atomic (``twinproof.atomic``: temp file + ``os.replace``) so a crash never leaves half a file, and an
unreadable file falls back to defaults instead of stopping the app.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths

from twinproof.atomic import atomic_write_text

SCHEMA_VERSION = 2
MAX_RECENT = 10


def config_dir() -> Path:
    loc = QStandardPaths.StandardLocation.AppConfigLocation
    return Path(QStandardPaths.writableLocation(loc) or Path.home() / ".config" / "twinproof")


def data_dir() -> Path:
    """Where the app keeps databases it creates itself (the sample shoot) and caches."""
    loc = QStandardPaths.StandardLocation.AppDataLocation
    return Path(QStandardPaths.writableLocation(loc) or Path.home() / ".local" / "share" / "twinproof")


def documents_dir() -> Path:
    """The user's documents folder: new shoots' databases and the sample's exports go here."""
    loc = QStandardPaths.StandardLocation.DocumentsLocation
    return Path(QStandardPaths.writableLocation(loc) or Path.home() / "Documents")


def cache_dir() -> Path:
    loc = QStandardPaths.StandardLocation.CacheLocation
    return Path(QStandardPaths.writableLocation(loc) or Path.home() / ".cache" / "twinproof")


@dataclass
class Settings:
    version: int = SCHEMA_VERSION
    #: The name the audit trail records ("" = the operating-system user).
    reviewer: str = ""
    #: Review databases opened lately, newest first (files by path, servers by URL without
    #: the password).
    recent_shoots: list[str] = field(default_factory=list)
    #: What the start screen shows of each (``recent.RecentShoot`` as a dict), by location.
    recent_details: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Analyse every pair of a shoot in the background when it opens.
    analyse_on_open: bool = True
    #: Heat-map opacity (0-1) and onion-skin opacity (0-1).
    heat_opacity: float = 0.65
    onion_opacity: float = 0.5
    #: Blink period in milliseconds.
    blink_ms: int = 600
    #: The difference view's gain (× 1 – × 16).
    diff_gain: int = 4

    def remember(self, path: str | Path) -> None:
        """Put a shoot first in the recent list (see ``recent_key``)."""
        text = recent_key(path)
        self.recent_shoots = [text] + [p for p in self.recent_shoots if p != text]
        del self.recent_shoots[MAX_RECENT:]
        self.recent_details = {k: v for k, v in self.recent_details.items() if k in self.recent_shoots}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Settings from a parsed file: a value of the wrong type or out of range (a hand edit,
        another version) falls back to its default, so a bad file can never stop the app."""
        out = cls()
        for f in fields(cls):
            if f.name == "version" or f.name not in data:
                continue
            value = _valid(f.name, data[f.name], getattr(out, f.name))
            if value is not None:
                setattr(out, f.name, value)
        # version 1 kept team URLs as "user:***@host" and then sent "***" as the password
        out.recent_shoots = list(dict.fromkeys(recent_key(p) if "://" in p else p for p in out.recent_shoots))
        out.recent_details = {recent_key(k) if "://" in k else k: v for k, v in out.recent_details.items()}
        return out


#: Ranges for the numbers a person might edit by hand.
_RANGES: dict[str, tuple[float, float]] = {
    "heat_opacity": (0.0, 1.0), "onion_opacity": (0.0, 1.0), "blink_ms": (100, 5000),
    "diff_gain": (1, 16),
}


def _valid(name: str, value: Any, default: Any) -> Any:
    """``value`` if it has the default's type (and range), else None."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        value = float(value) if ok else value
    elif isinstance(default, str):
        ok = isinstance(value, str) and len(value) <= 200
    elif isinstance(default, list):
        return [str(v) for v in value if isinstance(v, str)][:MAX_RECENT] if isinstance(value, list) else None
    elif isinstance(default, dict):  # recent_details: {location: {field: value}}
        if not isinstance(value, dict):
            return None
        return {str(k): v for k, v in list(value.items())[:MAX_RECENT * 2] if isinstance(v, dict)}
    else:
        ok = False
    if ok and name in _RANGES:
        low, high = _RANGES[name]
        ok = low <= value <= high
    return value if ok else None


def recent_key(path: str | Path) -> str:
    """How a shoot is named in the recent list: a file by its absolute path, a server by its
    URL without the password (psycopg finds that in PGPASSWORD or ~/.pgpass, or it is asked)."""
    if isinstance(path, str) and "://" in path:
        from twinproof.review.db import url_for_list

        return url_for_list(path)
    return str(Path(path).resolve())


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load() -> Settings:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        return Settings.from_dict(data) if isinstance(data, dict) else Settings()
    except (OSError, ValueError, TypeError, RecursionError):
        return Settings()


def save(settings: Settings) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(asdict(settings), indent=2))
