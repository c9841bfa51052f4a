"""The "What changed" dock of a change application.

Compared with the earlier application (the snapshot ``new-change`` stored in the project file),
it lists which documents are new, replaced or unchanged, which earlier ones are not enclosed
again, and which answers and project facts changed: the same comparison the cover sheet uses,
:func:`~soknadspakke.core.changes.compare_with_previous`. That comparison reads no files (it
compares the sha256 recorded in the project with the snapshot's), so it runs on the GUI thread
whenever the session's report changes (after each command, well under a millisecond).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QStackedWidget,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from soknadspakke.core.changes import ChangeSummary, DocumentChangeKind, compare_with_previous
from soknadspakke.core.i18n import _, current_language
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation import answer_text

from .checklist import WrappingDelegate
from .project_form import INFO_LABELS
from .session import Session

#: The document path of an item (empty for headings and answers).
PathRole = Qt.ItemDataRole.UserRole + 1


class _Tree(QTreeWidget):
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped rows change height with the width


class ChangesDock(QDockWidget):
    """What a change application changes; empty text for any other application."""

    documents_activated = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changes")
        self.session: Session | None = None
        self.summary: ChangeSummary | None = None
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self.stack)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        self.tree = _Tree(self.stack)
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setUniformRowHeights(False)
        self.tree.itemActivated.connect(self._activated)
        self.stack.addWidget(self.tree)
        self.setWidget(self.stack)
        self.retranslate()

    def attach(self, session: Session | None) -> None:
        if self.session is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # gone with its session
                self.session.report_changed.disconnect(self.refresh)
        self.session = session
        if session is not None:
            session.report_changed.connect(self.refresh)
        self.refresh()

    @property
    def is_change(self) -> bool:
        return self.summary is not None

    def refresh(self) -> None:
        self.summary = (compare_with_previous(self.session.project)
                        if self.session is not None else None)
        self._fill()

    def retranslate(self) -> None:
        self.setWindowTitle(_("What changed"))
        self.tree.setAccessibleName(_("What changed since the earlier application"))
        self.empty.setText(_("Shown for a change application: what it changes compared with "
                             "the earlier application."))
        self._fill()

    def texts(self) -> list[str]:
        """Every line of the tree, depth-first (for tests and screen readers alike)."""
        out: list[str] = []

        def walk(item: QTreeWidgetItem) -> None:
            for i in range(item.childCount()):
                child = item.child(i)
                if child is not None:
                    out.append(child.text(0))
                    walk(child)

        walk(self.tree.invisibleRootItem())
        return out

    def _fill(self) -> None:
        self.tree.clear()
        summary = self.summary
        if summary is None or self.session is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.tree)
        lang = current_language()
        pack = self.session.pack
        earlier = summary.previous_title or summary.previous_file or "—"
        self._heading(_("Earlier application: {title}").format(title=earlier))
        self._fill_documents(summary, pack, lang)
        rows = _changed_answers(summary, pack, lang)
        group = self._heading(_("Changed answers ({n})").format(n=len(rows)),
                              QStyle.StandardPixmap.SP_MessageBoxInformation)
        if not rows:
            QTreeWidgetItem(group, [_("none: every answer is as in the earlier application")])
        for label, before, after in rows:
            item = QTreeWidgetItem(group, [_("{what}: {before} → {after}").format(
                what=label, before=before, after=after)])
            item.setToolTip(0, item.text(0))
        self.tree.expandAll()

    def _heading(self, text: str, icon: QStyle.StandardPixmap | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [text])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        if icon is not None:
            item.setIcon(0, self.style().standardIcon(icon))
        item.setExpanded(True)
        return item

    def _fill_documents(self, summary: ChangeSummary, pack: RulePack, lang: str) -> None:
        """The documents, grouped: new, replaced, unchanged, not enclosed again."""
        sp = QStyle.StandardPixmap
        groups = (
            (DocumentChangeKind.NEW, _("New documents ({n})"), sp.SP_FileDialogNewFolder),
            (DocumentChangeKind.REPLACED, _("Replaced documents ({n})"), sp.SP_BrowserReload),
            (DocumentChangeKind.UNCHANGED, _("Unchanged documents ({n})"),
             sp.SP_DialogApplyButton),
            (DocumentChangeKind.NOT_ENCLOSED, _("Not enclosed again ({n})"), sp.SP_FileIcon),
        )
        for kind, title, icon in groups:
            items = summary.of_kind(kind)
            if not items:
                continue
            group = self._heading(title.format(n=len(items)), icon)
            for change in items:
                types = ", ".join(pack.type_name(t).render(lang) for t in change.types
                                  if pack.has_document_type(t))
                if kind is DocumentChangeKind.REPLACED:
                    text = _("{title} (replaces {old})").format(title=change.title,
                                                                old=change.previous_path)
                else:
                    text = change.title
                if types:
                    text += f" — {types}"
                child = QTreeWidgetItem(group, [text])
                child.setToolTip(0, change.path or change.previous_path or "")
                if change.path:
                    child.setData(0, PathRole, change.path)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        path = item.data(0, PathRole)
        if path:
            self.documents_activated.emit([str(path)])


def _changed_answers(summary: ChangeSummary, pack: RulePack,
                     lang: str) -> list[tuple[str, str, str]]:
    """The facts and answers that differ from the earlier application: (label, before,
    after)."""
    rows: list[tuple[str, str, str]] = []
    for fact in summary.facts:
        label = INFO_LABELS[fact.key].render(lang) if fact.key in INFO_LABELS else fact.key
        rows.append((label, str(fact.before or "—"), str(fact.after or "—")))
    for answer in summary.answers:
        try:
            label = pack.question(answer.key).label.render(lang)
        except KeyError:
            label = answer.key
        rows.append((label, answer_text(pack, answer.key, answer.before, lang),
                     answer_text(pack, answer.key, answer.after, lang)))
    # An empty list and no answer read the same ("—"): not a change worth showing.
    return [row for row in rows if row[1] != row[2]]
