"""The "Checklist" dock: the verdict, then what is wrong, what to check, what is in order.

Each finding shows the core's message; under it the guidance sentences behind it (and, for a
missing document, the types that would meet it). A satisfied requirement shows the documents
that meet it. Activating an item asks the window to select those documents or focus the field
the finding is about. The tree is rebuilt from the session's report on every change (the rules
take under a millisecond); which groups are open, and which finding is current, is kept.

A finding read from the documents (one with an id) can be marked as checked ("I have verified
this") from its context menu, the button under the tree or Ctrl+Shift+K: an undoable command
over ``Project.set_verified``, kept in the project file. A checked finding shows a tick and
"checked by you"; the same action removes the mark.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QIcon,
    QKeySequence,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import _, current_language

from . import commands
from .session import Session

FilesRole = Qt.ItemDataRole.UserRole + 1
FieldRole = Qt.ItemDataRole.UserRole + 2
GroupRole = Qt.ItemDataRole.UserRole + 3
#: The id of a finding read from the documents (one the user can mark as checked).
FindingIdRole = Qt.ItemDataRole.UserRole + 4
#: Its code (kept with the mark in the project file).
CodeRole = Qt.ItemDataRole.UserRole + 5
#: Whether the user has marked it as checked.
VerifiedRole = Qt.ItemDataRole.UserRole + 6

_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the view's width (findings are sentences)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        icon = option.decorationSize.width() + 8
        width = self.view.viewport().width() - self.view.indentation() * (depth + 1) - icon - 8
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = option.fontMetrics.boundingRect(
            QRect(0, 0, max(width, 80), 100000),
            int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text)
        return QSize(hint.width(), max(hint.height(), rect.height() + 6))


class _Tree(QTreeView):
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped rows change height with the width


class Checklist(QWidget):
    """Verdict line and findings tree of the open application."""

    #: Document paths to select.
    documents_activated = Signal(list)
    #: A field (``project.<key>`` / ``answers.<id>``) to focus.
    field_activated = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._icons: dict[QStyle.StandardPixmap, QIcon] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        font = self.verdict.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.verdict.setFont(font)
        layout.addWidget(self.verdict)
        self.model = QStandardItemModel(self)
        self.tree = _Tree(self)
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setUniformRowHeights(False)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.verify_action = QAction(self)
        self.verify_action.setCheckable(True)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.verify_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.verify_action.triggered.connect(self.toggle_verified)
        self.addAction(self.verify_action)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.verify_button = QPushButton(self)
        self.verify_button.clicked.connect(self.toggle_verified)
        layout.addWidget(self.verify_button)
        self.tree.selectionModel().currentChanged.connect(self._update_verify_action)
        self._collapsed: set[str] = {"info", "satisfied"}
        self.tree.collapsed.connect(lambda i: self._collapsed.add(i.data(GroupRole) or ""))
        self.tree.expanded.connect(lambda i: self._collapsed.discard(i.data(GroupRole) or ""))
        session.report_changed.connect(self.refresh)
        self.retranslate()

    def _icon(self, pixmap: QStyle.StandardPixmap) -> QIcon:
        """The style's icon, made once (the checklist is redrawn on every change)."""
        icon = self._icons.get(pixmap)
        if icon is None:
            icon = self._icons[pixmap] = self.style().standardIcon(pixmap)
        return icon

    def retranslate(self) -> None:
        self.tree.setAccessibleName(_("Checklist"))
        self.verdict.setAccessibleName(_("Verdict"))
        self.verify_action.setText(_("Mark as checked"))
        self.verify_action.setToolTip(_(
            "I have verified this finding against the documents (kept in the project file; "
            "the cover shows it as checked)"))
        self.verify_button.setText(_("Mark as checked"))
        self.verify_button.setToolTip(self.verify_action.toolTip() + " – "
                                      + self.verify_action.shortcut().toString(
                                          QKeySequence.SequenceFormat.NativeText))
        self.refresh()

    def _finding_item(self, finding: Finding) -> QStandardItem:
        lang = current_language()
        pack = self.session.pack
        text = finding.message.render(lang)
        if finding.rule:
            text = f"[{finding.rule}] {text}"
        item = QStandardItem(text)
        item.setIcon(self._icon(_ICONS[finding.severity]))
        item.setData(list(finding.files), FilesRole)
        item.setData(finding.field, FieldRole)
        item.setToolTip(text)
        if finding.id:
            verified = finding.id in self.session.project.verified_findings()
            item.setData(finding.id, FindingIdRole)
            item.setData(finding.code, CodeRole)
            item.setData(verified, VerifiedRole)
            if verified:
                item.setText(_("✓ Checked by you: {text}").format(text=text))
                item.setToolTip(item.text())
                item.setIcon(self._icon(
                    QStyle.StandardPixmap.SP_DialogApplyButton))
        if finding.document_types and not finding.files:
            names = " · ".join(pack.type_name(t).render(lang) for t in finding.document_types)
            item.appendRow(QStandardItem(_("Met by: {types}").format(types=names)))
        for source, guidance in finding.guidance.items():
            child = QStandardItem(_("{source} says: “{text}”").format(
                source=source, text=guidance.render(lang)))
            child.setToolTip(child.text())
            item.appendRow(child)
        return item

    def refresh(self) -> None:
        current = self.current_finding_id()
        self._refresh()
        if current is not None:
            index = self._index_of(current)
            if index is not None:
                self.tree.setCurrentIndex(index)
        self._update_verify_action()

    def _refresh(self) -> None:
        report = self.session.report
        lang = current_language()
        counts = report.counts()
        if report.ready:
            self.verdict.setText(_("Ready to send (warnings to check: {warnings})").format(
                warnings=counts[Severity.WARNING]))
        else:
            first = next((f for f in report.findings if f.is_error), None)
            self.verdict.setText(_("Not ready (errors: {errors}). First: {first}").format(
                errors=counts[Severity.ERROR],
                first=first.message.render(lang) if first else ""))
        self.model.clear()
        groups = [
            ("error", _("Errors – must be fixed ({n})"), Severity.ERROR),
            ("warning", _("Warnings – check these ({n})"), Severity.WARNING),
            ("info", _("Notes ({n})"), Severity.INFO),
        ]
        root = self.model.invisibleRootItem()
        for key, title, severity in groups:
            items = [f for f in report.findings if f.severity is severity]
            if not items:
                continue
            group = QStandardItem(title.format(n=len(items)))
            group.setData(key, GroupRole)
            group.setIcon(self._icon(_ICONS[severity]))
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            for finding in items:
                group.appendRow(self._finding_item(finding))
            root.appendRow(group)
        satisfied = report.evaluation.satisfied
        if satisfied:
            group = QStandardItem(_("In order ({n})").format(n=len(satisfied)))
            group.setData("satisfied", GroupRole)
            group.setIcon(self._icon(QStyle.StandardPixmap.SP_DialogApplyButton))
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            for met in satisfied:
                text = f"[{met.rule}] {met.message.render(lang)}"
                if met.files:
                    text += " – " + ", ".join(met.files)
                item = QStandardItem(text)
                item.setToolTip(text)
                item.setData(list(met.files), FilesRole)
                group.appendRow(item)
            root.appendRow(group)
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            self.tree.setExpanded(index, index.data(GroupRole) not in self._collapsed)

    # -- marking a finding as checked ---------------------------------------------------------
    def _finding_index(self, index: QModelIndex | QPersistentModelIndex
                       ) -> QModelIndex | QPersistentModelIndex | None:
        """The finding row of ``index`` (itself, or the finding a guidance line is under)."""
        while index.isValid():
            if index.data(FindingIdRole):
                return index
            index = index.parent()
        return None

    def current_finding_id(self) -> str | None:
        index = self._finding_index(self.tree.currentIndex())
        return str(index.data(FindingIdRole)) if index is not None else None

    def _index_of(self, finding_id: str) -> QModelIndex | None:
        for g in range(self.model.rowCount()):
            group = self.model.index(g, 0)
            for r in range(self.model.rowCount(group)):
                index = self.model.index(r, 0, group)
                if index.data(FindingIdRole) == finding_id:
                    return index
        return None

    def select_finding(self, finding_id: str) -> bool:
        """Make a finding the current item (for the action and the button)."""
        index = self._index_of(finding_id)
        if index is None:
            return False
        self.tree.setCurrentIndex(index)
        return True

    def _update_verify_action(self, *_args: object) -> None:
        index = self._finding_index(self.tree.currentIndex())
        verified = bool(index.data(VerifiedRole)) if index is not None else False
        self.verify_action.setEnabled(index is not None)
        self.verify_action.setChecked(verified)
        self.verify_button.setEnabled(index is not None)
        self.verify_button.setText(_("Remove the “checked” mark") if verified
                                   else _("Mark as checked"))

    def toggle_verified(self) -> None:
        """Mark the current finding as checked, or remove the mark (one undo step)."""
        index = self._finding_index(self.tree.currentIndex())
        if index is None:
            return
        files = index.data(FilesRole) or []
        self.session.push(commands.SetVerified(
            self.session.project, self.session.focus, str(index.data(FindingIdRole)),
            not bool(index.data(VerifiedRole)), code=str(index.data(CodeRole) or ""),
            file=str(files[0]) if files else ""))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if self._finding_index(index) is None:
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.verify_action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        while index.isValid() and index.data(FilesRole) is None \
                and index.data(GroupRole) is None and index.parent().isValid():
            index = index.parent()  # a guidance line: act as its finding
        files = index.data(FilesRole) or []
        field = index.data(FieldRole)
        if files:
            self.documents_activated.emit(list(files))
        elif field:
            self.field_activated.emit(str(field))
