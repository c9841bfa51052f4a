"""What the window remembers between runs, each setting declared once with its default.

As in Picard's ``options.py``: one declaration per setting, read and written through
:class:`Settings`, so a typo in a key cannot silently start a second setting. The store is a
``QSettings`` (the platform's place by default; an INI file in tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any


LANGUAGE = Setting("ui/language", "")  # "" = the system's language
GEOMETRY = Setting("window/geometry", QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray())
LAST_FOLDER = Setting("files/last_folder", "")
RECENT = Setting("files/recent", [])
SKIPPED_RECOVERY = Setting("recovery/skipped", "")
OFFICE_NOTICE_SHOWN = Setting("notices/office_conversion", False)
WORKSPACE = Setting("workspace/folder", "")  # "" = no workspace chosen

#: Bumped when the docks change, so an old saved layout is not applied to a new window.
WINDOW_STATE_VERSION = 1


class Settings:
    """Typed access to the declared settings."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    def get(self, setting: Setting) -> Any:
        value = self.store.value(setting.key, setting.default)
        default = setting.default
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, list):
            if value in (None, ""):
                return []
            return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else QByteArray()
        return value if value is not None else default

    def set(self, setting: Setting, value: Any) -> None:
        self.store.setValue(setting.key, value)

    # -- recent projects -----------------------------------------------------------------
    def recent_projects(self) -> list[Path]:
        """Recent project files that still exist, newest first (missing ones are dropped)."""
        paths = [Path(p) for p in self.get(RECENT)]
        existing = [p for p in paths if p.is_file()]
        if len(existing) != len(paths):
            self.set(RECENT, [str(p) for p in existing])
        return existing

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        paths = [p for p in self.recent_projects() if p.resolve() != path]
        self.set(RECENT, [str(p) for p in [path, *paths][:MAX_RECENT]])
