"""Unsaved work is never lost: a recovery file a moment after each change.

The recovery file lives in the user's state folder (``QStandardPaths.StateLocation``), never
beside or over the project file, one per project (named by a hash of its path). It holds the
project as the window had it. A clean save or close deletes it; after a crash the next start
finds it, and the window offers to restore it when it is newer than the project file.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths

from soknadspakke.core.atomic import write_text_atomic
from soknadspakke.core.errors import ProjectFileError
from soknadspakke.core.i18n import _
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import project_from_dict, project_to_dict

RECOVERY_FORMAT = "soknadspakke-recovery/1"


@dataclass(frozen=True)
class Recovered:
    """A recovery file found at start."""

    file: Path
    project_path: Path
    saved_at: float

    @property
    def newer_than_project(self) -> bool:
        try:
            return self.saved_at > self.project_path.stat().st_mtime
        except OSError:
            return True  # the project file is gone: the recovery is all there is


class RecoveryStore:
    """Writes, finds and removes recovery files in one folder."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is None:
            base = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.StateLocation) or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.AppLocalDataLocation)
            folder = Path(base) / "recovery"
        self.folder = folder

    def file_for(self, project_path: Path) -> Path:
        key = hashlib.sha256(str(project_path.resolve()).encode()).hexdigest()[:24]
        return self.folder / f"{key}.json"

    def write(self, project: Project) -> Path | None:
        """Save the project's state (atomically); None when it has no path or cannot be
        written (the window keeps working; the next change tries again)."""
        if project.path is None:
            return None
        data: dict[str, Any] = {
            "format": RECOVERY_FORMAT, "project_path": str(project.path.resolve()),
            "saved_at": time.time(), "project": project_to_dict(project),
        }
        target = self.file_for(project.path)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_text_atomic(target, json.dumps(data, ensure_ascii=False))
        except OSError:
            return None
        return target

    def discard(self, project_path: Path | None) -> None:
        if project_path is not None:
            self.file_for(project_path).unlink(missing_ok=True)

    def _read(self, file: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != RECOVERY_FORMAT:
            return None
        return data

    def pending(self) -> list[Recovered]:
        """Recovery files left by an earlier run, newest first."""
        found = []
        for file in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            data = self._read(file)
            if data is None:
                continue
            found.append(Recovered(file, Path(str(data.get("project_path", ""))),
                                   float(data.get("saved_at", 0))))
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def for_project(self, project_path: Path) -> Recovered | None:
        file = self.file_for(project_path)
        return next((r for r in self.pending() if r.file == file), None)

    def load(self, recovered: Recovered) -> Project:
        """The project as it was when the recovery file was written."""
        data = self._read(recovered.file)
        if data is None:
            raise ProjectFileError(_("the recovery file cannot be read"), path=recovered.file)
        return project_from_dict(data.get("project"), recovered.project_path)
