"""The "Workspace" dock: every application in a folder at a glance, beside the open one.

It shows what ``soknadspakke status DIR`` prints (application, type, ready, errors, warnings,
last change, last build; an application that cannot be read with its reason) and opens an
application on double-click or Enter. :class:`WorkspaceModel` is a thin adapter over the core's
:class:`~soknadspakke.workspace.status.ApplicationStatus` rows: the display texts come from
:func:`~soknadspakke.workspace.status.status_rows`, the same function the CLI's table uses.

Validating many applications reads their files, so :func:`workspace_status` runs on a worker
(:mod:`.tasks`); the dock shows its progress and can be refreshed (a refresh cancels the run
in progress).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.i18n import Text, _, current_language
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.schema import RulePack
from soknadspakke.workspace.status import COLUMNS, ApplicationStatus, status_rows, workspace_status

from .tasks import Task, TaskRunner

#: The project file of a row (a ``str``), for the window to open.
PathRole = Qt.ItemDataRole.UserRole + 1
#: The row's error message ("" when it can be read).
ErrorRole = Qt.ItemDataRole.UserRole + 2

_KEYS = [key for key, _title in COLUMNS] + ["error"]
_NUMERIC = {"errors", "warnings"}


class WorkspaceModel(QAbstractTableModel):
    """The core's status rows as a table: the columns of the CLI's table, plus the reason an
    application cannot be read."""

    def __init__(self, pack: RulePack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.root: Path | None = None
        self.statuses: list[ApplicationStatus] = []
        self._rows: list[dict[str, str]] = []

    def set_statuses(self, root: Path, statuses: list[ApplicationStatus]) -> None:
        self.beginResetModel()
        self.root = root
        self.statuses = list(statuses)
        self._render()
        self.endResetModel()

    def _render(self) -> None:
        self._rows = (status_rows(self.statuses, self.root, self.pack, current_language())
                      if self.root is not None else [])

    def retranslate(self) -> None:
        self.beginResetModel()
        self._render()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < len(COLUMNS):
            return COLUMNS[section][1].render(current_language())
        return _("Problem")

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        status = self.statuses[index.row()]
        key = _KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [status.title or row["path"]]
            if status.error:
                lines.append(status.error)
            if status.open_by:
                lines.append(_("Open in the window by {who}").format(who=status.open_by))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole and key == "path":
            pixmap = (QStyle.StandardPixmap.SP_MessageBoxCritical if status.error
                      else QStyle.StandardPixmap.SP_DialogApplyButton if status.ready
                      else QStyle.StandardPixmap.SP_MessageBoxWarning)
            parent = self.parent()
            style = parent.style() if isinstance(parent, QWidget) else None
            return style.standardIcon(pixmap) if style is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PathRole:
            return str(status.path)
        if role == ErrorRole:
            return status.error or ""
        return None


class WorkspaceDock(QDockWidget):
    """The workspace's applications; :attr:`open_requested` carries a project file."""

    open_requested = Signal(Path)
    choose_requested = Signal()

    def __init__(self, pack: RulePack, cache: IntakeCache | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.pack = pack
        self.cache = cache
        self.root: Path | None = None
        self.runner = TaskRunner(self, max_threads=1)
        self.task: Task | None = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.folder_label = QLabel(body)
        # the folder's name; the whole path in the tooltip (a long path must not widen the dock)
        self.folder_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                        QSizePolicy.Policy.Preferred)
        top.addWidget(self.folder_label, 1)
        self.choose_button = QPushButton(body)
        self.choose_button.clicked.connect(self.choose_requested)
        self.refresh_button = QPushButton(body)
        self.refresh_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.choose_button)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.model = WorkspaceModel(pack, self)
        self.view = QTableView(body)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # activated: double-click (single click where the platform opens on one), or Enter.
        self.view.activated.connect(self._activated)
        layout.addWidget(self.view, 1)
        self.state_label = QLabel(body)
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.setWidget(body)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Workspace"))
        self.choose_button.setText(_("Choose…"))
        self.choose_button.setToolTip(_("Choose the workspace folder"))
        self.choose_button.setAccessibleName(_("Choose the workspace folder"))
        self.refresh_button.setText(_("Refresh"))
        self.refresh_button.setToolTip(_("Check every application in the workspace again"))
        self.refresh_button.setAccessibleName(_("Refresh the workspace"))
        self.view.setAccessibleName(_("Applications in the workspace"))
        self.folder_label.setAccessibleName(_("Workspace folder"))
        self.model.retranslate()
        self._show_folder()
        if self.task is None:
            self._show_summary()

    def _show_folder(self) -> None:
        if self.root is not None:
            self.folder_label.setText(self.root.name or str(self.root))
            self.folder_label.setToolTip(str(self.root))
            self.folder_label.setAccessibleDescription(str(self.root))
        else:
            self.folder_label.setText(_("No workspace chosen: choose a folder of applications."))
            self.folder_label.setToolTip("")
        self.refresh_button.setEnabled(self.root is not None)

    def _show_summary(self) -> None:
        statuses = self.model.statuses
        if self.root is None:
            self.state_label.setText("")
            return
        ready = sum(1 for s in statuses if s.ready)
        broken = sum(1 for s in statuses if s.error is not None)
        self.state_label.setText(_(
            "Applications: {count} · ready: {ready} · not ready: {not_ready} · cannot be read: "
            "{broken}").format(count=len(statuses), ready=ready, broken=broken,
                               not_ready=sum(1 for s in statuses if s.ready is False)))

    @property
    def checking(self) -> bool:
        return self.task is not None

    def set_root(self, root: Path | None) -> None:
        self.root = root
        self.model.set_statuses(root or Path(), [])
        self._show_folder()
        self.refresh()

    def refresh(self) -> None:
        """Check every application again, on a worker (a run in progress is cancelled)."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.root is None:
            self._show_summary()
            return
        root = self.root
        task = Task(workspace_status, root, self.pack, lang=current_language(),
                    cache=self.cache)
        self.task = task
        self.state_label.setText(_("Checking the applications…"))

        def done(statuses: list[ApplicationStatus]) -> None:
            if self.task is task:
                self.task = None
                self.model.set_statuses(root, statuses)
                self.view.resizeColumnsToContents()
                self._show_summary()

        def failed(exc: BaseException) -> None:
            if self.task is task:
                self.task = None
                self.state_label.setText(_("The workspace could not be read: {reason}").format(
                    reason=exc))

        def cancelled() -> None:
            if self.task is task:
                self.task = None
                self._show_summary()

        def progress(done_count: int, total: int, message: Text) -> None:
            if self.task is task and total:
                self.state_label.setText(_("Checking {done} of {total}: {what}").format(
                    done=min(done_count + 1, total), total=total,
                    what=message.render(current_language())))

        self.runner.start(task, on_done=done, on_failed=failed, on_cancelled=cancelled,
                          on_progress=progress)

    def _activated(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            self.open_requested.emit(Path(str(path)))

    def shutdown(self) -> None:
        self.runner.cancel_all()
        self.runner.wait(5000)
