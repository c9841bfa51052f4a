"""The documents table: a Qt model over the project's documents, and the editor of its type
column.

:class:`DocumentsModel` keeps no copy of the documents: it reads the live
:class:`~soknadspakke.core.project.Project` and follows its two-phase events, calling
``begin…Rows`` when the core announces a change and ``end…Rows`` when it is done (as napari's
``_qt/containers/_base_item_model.py`` does over its evented list). What intake knows of each
file (pages, size, suggestions, findings) comes from the :class:`~.session.Session`.

The rows are shown in the package's order by :class:`~.package_order.PackageOrderProxy`.

Drag and drop lives in the model: files dropped from a file manager become
:attr:`DocumentsModel.files_dropped`, rows dragged inside the table
:attr:`DocumentsModel.move_requested`; the window turns both into undo commands.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T, _, current_language
from soknadspakke.core.project import Document, EventKind, ProjectEvent

from . import commands
from .session import Session

INTERNAL_MIME = "application/x-soknadspakke-rows"
PathRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    TITLE = 0
    TYPES = 1
    PAGES = 2
    SIZE = 3
    STATUS = 4


#: A cell's flags, made once (flags() is asked for every cell, often; Qt's flag enums are
#: slow to combine in Python).
_FIXED = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
          | Qt.ItemFlag.ItemIsDragEnabled)
_EDITABLE = _FIXED | Qt.ItemFlag.ItemIsEditable


class Status(enum.Enum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    LOCKED = "locked"
    CHECKING = "checking"


def format_size(size: int) -> str:
    """A file size in the current language's number format ("1,2 MB"), a megabyte being
    1024 × 1024 bytes as in the rule pack's size limit and its warning (the totals line
    says "… of at most 20 MB")."""
    return QLocale().formattedDataSize(size, 1,
                                       QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def status_icon(status: Status) -> QIcon:
    style = QApplication.style()
    pixmap = {
        Status.OK: QStyle.StandardPixmap.SP_DialogApplyButton,
        Status.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
        Status.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
        Status.LOCKED: QStyle.StandardPixmap.SP_MessageBoxQuestion,
        Status.CHECKING: QStyle.StandardPixmap.SP_BrowserReload,
    }[status]
    return style.standardIcon(pixmap)


class DocumentsModel(QAbstractTableModel):
    """The project's documents, in the project's own order, as table rows."""

    files_dropped = Signal(list, int)  # paths, source row to insert at (-1: the end)
    move_requested = Signal(list, int)  # source rows, source row to insert before

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._moving = False
        self._statuses: dict[str, tuple[Status, list[str]]] = {}
        self._unsubscribe = session.project.subscribe(self._on_event, about_to=True)
        session.documents_info_changed.connect(self._info_changed)
        session.report_changed.connect(self._status_changed)

    def detach(self) -> None:
        """Stop following the project (the window is switching to another one)."""
        self._unsubscribe()
        self.session.documents_info_changed.disconnect(self._info_changed)
        self.session.report_changed.disconnect(self._status_changed)

    @property
    def documents(self) -> list[Document]:
        return self.session.project.documents

    # -- following the core --------------------------------------------------------------
    def _on_event(self, event: ProjectEvent) -> None:
        kind, row = event.kind, event.index
        root = QModelIndex()
        if kind not in (EventKind.INFO_CHANGED, EventKind.ANSWER_CHANGED):
            # (an answer changes statuses through the findings: _status_changed follows)
            self._statuses.clear()
        if kind is EventKind.DOCUMENT_ADDING and row is not None:
            self.beginInsertRows(root, row, row)
        elif kind is EventKind.DOCUMENT_ADDED:
            self.endInsertRows()
        elif kind is EventKind.DOCUMENT_REMOVING and row is not None:
            self.beginRemoveRows(root, row, row)
        elif kind is EventKind.DOCUMENT_REMOVED:
            self.endRemoveRows()
        elif kind is EventKind.DOCUMENT_MOVING and row is not None \
                and event.to_index is not None:
            to = event.to_index
            # Qt's destination is the row to insert before, counted before the move.
            self._moving = self.beginMoveRows(root, row, row, root, to + 1 if to > row else to)
            if not self._moving:  # pragma: no cover - the core never announces a no-op move
                self.beginResetModel()
        elif kind is EventKind.DOCUMENT_MOVED:
            if self._moving:
                self.endMoveRows()
            else:  # pragma: no cover - see above
                self.endResetModel()
            self._moving = False
        elif kind is EventKind.DOCUMENT_CHANGED and row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _info_changed(self, paths: list[str]) -> None:
        self._statuses.clear()
        wanted = set(paths)
        for row, doc in enumerate(self.documents):
            if doc.path in wanted:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _status_changed(self) -> None:
        """The findings changed: repaint the status cells whose status changed (a change of
        a whole column repaints the whole table, on every answer)."""
        old, self._statuses = self._statuses, {}
        for row, doc in enumerate(self.documents):
            if old.get(doc.path) != self.status(doc):
                index = self.index(row, Column.STATUS)
                self.dataChanged.emit(index, index)

    def retranslate(self) -> None:
        self._statuses.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self.documents:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.documents) - 1, len(Column) - 1))

    # -- shape ---------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return {Column.TITLE: _("Title"),
                    Column.TYPES: _("Document type"), Column.PAGES: _("Pages"),
                    Column.SIZE: _("Size"), Column.STATUS: _("Status")}[Column(section)]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops go between rows, never onto one
        return _EDITABLE if index.column() in (Column.TITLE, Column.TYPES) else _FIXED

    # -- what a row shows ----------------------------------------------------------------
    def status(self, doc: Document) -> tuple[Status, list[str]]:
        """The row's status and its messages; kept until the rules, the file checks, the
        documents or the language change (a repaint asks for it once per role and cell)."""
        known = self._statuses.get(doc.path)
        if known is None:
            known = self._statuses[doc.path] = self._status(doc)
        return known

    def _status(self, doc: Document) -> tuple[Status, list[str]]:
        lang = current_language()
        findings = self.session.findings_for(doc)
        messages = [f.message.render(lang) for f in findings]
        result = self.session.result_for(doc)
        if any(f.severity is Severity.ERROR for f in findings):
            return Status.ERROR, messages
        if result is not None and result.needs_password:
            return Status.LOCKED, [_("This PDF is password-protected: enter its password "
                                     "(File ▸ Passwords…)."), *messages]
        if result is None:
            return Status.CHECKING, [_("Being checked…")]
        if any(f.severity is Severity.WARNING for f in findings):
            return Status.WARNING, messages
        return Status.OK, messages

    def type_text(self, doc: Document) -> tuple[str, bool]:
        """The type column's text, and whether it is only a suggestion."""
        lang = current_language()
        pack = self.session.pack
        if doc.types:
            return " + ".join(pack.type_name(t).render(lang) for t in doc.types), False
        suggestion = self.session.suggestion_for(doc)
        if suggestion is None:
            return _("(no type yet)"), True
        type_id, confidence = suggestion
        return _("Suggested: {type} ({confidence} %)").format(
            type=pack.type_name(type_id).render(lang), confidence=round(confidence * 100)), True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.documents):
            return None
        doc = self.documents[index.row()]
        column = Column(index.column())
        if role == PathRole:
            return doc.path
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(doc, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(doc, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.STATUS:
                return "\n".join(self.status(doc)[1]) or None
            return doc.path
        if role == StatusRole:
            return self.status(doc)[0].value
        return self._look(doc, column, role)

    def _edit_value(self, doc: Document, column: Column) -> str:
        if column is Column.TITLE:
            return doc.title or doc.file_name
        if column is Column.TYPES:
            return doc.types[0] if doc.types else ""
        return self._display(doc, column)

    def _look(self, doc: Document, column: Column, role: int) -> Any:
        """Icon, font, colour and alignment of a cell."""
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return status_icon(self.status(doc)[0])
        if column is Column.TYPES and self.type_text(doc)[1]:
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole:
                return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.PAGES, Column.SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, doc: Document, column: Column) -> str:
        result = self.session.result_for(doc)
        if column is Column.TITLE:
            return doc.display_title
        if column is Column.TYPES:
            return self.type_text(doc)[0]
        if column is Column.PAGES:
            return str(result.pages) if result is not None and result.pages else "…"
        if column is Column.SIZE:
            state = self.session.report.files.get(doc.path)
            size = result.size if result is not None else (state.size if state else 0)
            return format_size(size) if size else "…"
        status, _messages = self.status(doc)
        return {Status.OK: _("OK"), Status.WARNING: _("Check"), Status.ERROR: _("Error"),
                Status.LOCKED: _("Password"), Status.CHECKING: _("Checking…")}[status]

    def setData(self, index: _Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = index.row()
        doc = self.documents[row]
        session = self.session
        if index.column() == Column.TITLE:
            title = str(value).strip() or None
            if title == doc.file_name:
                title = None
            if title == doc.title:
                return False
            session.push(commands.UpdateDocument(
                session.project, session.focus, row,
                T("Rename {file}", file=doc.display_title), title=title))
            return True
        if index.column() == Column.TYPES:
            type_id = str(value)
            if not session.pack.has_document_type(type_id) or doc.types[:1] == [type_id]:
                return False
            rest = [t for t in doc.types[1:] if t != type_id]
            pair_ok = rest and frozenset((type_id, rest[0])) in session.pack.allowed_dual_tags
            session.push(commands.UpdateDocument(
                session.project, session.focus, row,
                T("Set the type of {file}", file=doc.display_title),
                types=[type_id, *rest] if pair_ok else [type_id]))
            return True
        return False

    # -- drag and drop -------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:  # noqa: N802
        return ["text/uri-list", INTERNAL_MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(INTERNAL_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: _Index) -> bool:
        return data.hasFormat(INTERNAL_MIME) or (
            data.hasUrls() and any(u.isLocalFile() for u in data.urls()))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: _Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        target = row if 0 <= row <= len(self.documents) else -1
        if data.hasFormat(INTERNAL_MIME):
            raw = bytes(data.data(INTERNAL_MIME).data()).decode()
            rows = [int(r) for r in raw.split(",") if r.strip().isdigit()]
            if rows:
                self.move_requested.emit(rows, len(self.documents) if target < 0 else target)
            return False  # the move is a command of its own: the view must remove nothing
        paths = [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]
        if not paths:
            return False
        self.files_dropped.emit(paths, target)
        return True


class TypeDelegate(QStyledItemDelegate):
    """Edits a document's type with a list of the pack's types."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(_("Document type"))
        lang = current_language()
        for doc_type in self.session.pack.document_types:
            combo.addItem(doc_type.name.render(lang), doc_type.id)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        current = index.data(Qt.ItemDataRole.EditRole)
        if not current:  # untyped: start from the suggestion
            row = self.session.row_of(index.data(PathRole))
            doc = self.session.project.documents[row] if row is not None else None
            suggestion = self.session.suggestion_for(doc) if doc is not None else None
            current = suggestion[0] if suggestion else ""
        position = editor.findData(current)
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
