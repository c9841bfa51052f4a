"""What the user does to the documents on the documents page: add files and folders (by
dialog or drop), move rows (keys or drag), remove, set the type and the second type, rename,
accept suggested types and changed files, give passwords — and the page's context menu.

A small :class:`QObject` the window owns (composition; its slots run on the GUI thread). Every
change is an undo command (:mod:`.commands`) pushed on the open session; which rows are
selected comes from :class:`~.selection_status.SelectionAndStatus`. The window keeps
``remove_selected``, ``move_selected``, ``accept_all`` and ``accept_changed_files`` as its own
names (tests use them).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QTimer
from PySide6.QtWidgets import QMenu

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T, _, current_language
from soknadspakke.validation import sha256_of

from . import commands
from . import settings as keys
from .documents import Column

if TYPE_CHECKING:
    from .main_window import MainWindow


class DocumentCommands(QObject):
    """The commands on the open application's documents."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _rows(self) -> list[int]:
        return self.window.selection.selected_rows()

    # -- adding ---------------------------------------------------------------------------
    def files_dropped(self, paths: list[Path], row: int) -> None:
        if self.window.session is not None:
            self.window.session.take_in(paths, None if row < 0 else row)

    def add_files(self) -> None:
        window = self.window
        if window.session is None:
            return
        paths = window.dialogs.add_files(window.files.last_folder())
        if paths:
            window.settings.set(keys.LAST_FOLDER, str(paths[0].parent))
            window.session.take_in(paths)

    def add_folder(self) -> None:
        window = self.window
        if window.session is None:
            return
        folder = window.dialogs.folder(_("Add a folder"), window.files.last_folder())
        if folder is not None:
            window.settings.set(keys.LAST_FOLDER, str(folder))
            window.session.take_in([folder])

    def batch_arrived(self, added: list[str], refused: list[Any], locked: list[str]) -> None:
        window = self.window
        lang = current_language()
        if refused:
            lines = []
            for source, why in refused:
                if isinstance(why, str):
                    reason = why
                else:
                    reason = " ".join(f.message.render(lang) for f in why.findings
                                      if f.severity is Severity.ERROR) or _("it cannot be read")
                lines.append(f"{Path(source).name}: {reason}")
            window.dialogs.inform(_("Some files were not added"),
                                  _("This file cannot go into a package:") if len(refused) == 1
                                  else _("{n} files cannot go into a package:").format(
                                      n=len(refused)),
                                  "\n".join(lines))
        if added:
            window.statusBar().showMessage(
                _("Added {file}").format(file=Path(added[0]).name) if len(added) == 1
                else _("Added {n} documents").format(n=len(added)), 5000)
        if locked:
            self.ask_passwords(locked)

    def passwords_wanted(self, paths: list[str]) -> None:
        """The file checks found encrypted documents (a project just opened): ask for all
        their passwords in one dialog, once the slot that found them has returned."""
        session = self.window.session

        def ask() -> None:
            if session is not None and session is self.window.session:
                still = [p for p in paths if p in session.needs_password()]
                if still:
                    self.ask_passwords(still)

        QTimer.singleShot(0, self, ask)

    def ask_passwords(self, paths: list[str] | None = None) -> None:
        window = self.window
        if window.session is None:
            return
        wanted = paths if paths is not None else window.session.needs_password()
        if not wanted:
            window.dialogs.inform(_("Passwords"), _("No document needs a password."))
            return
        window.session.passwords_asked.update(wanted)
        given = window.dialogs.passwords(wanted)
        if given:
            window.session.set_passwords(given)

    # -- removing, moving -------------------------------------------------------------------
    def remove_selected(self) -> None:
        session = self.window.session
        rows = self._rows()
        if session is None or not rows:
            return
        session.push(commands.RemoveDocuments(session.project, session.focus, rows))

    def move_selected(self, step: int) -> None:
        """Alt+Up/Down: move one document within its type group, in package order."""
        window = self.window
        session, proxy = window.session, window.proxy
        if session is None or proxy is None:
            return
        selected = window.view.selectionModel().selectedRows()
        if len(selected) != 1:
            return
        proxy_row = selected[0].row()
        target = proxy_row + step
        if not 0 <= target < proxy.rowCount():
            return
        if proxy.group_of(target) != proxy.group_of(proxy_row):
            self._refuse_other_group()
            return
        source = proxy.mapToSource(proxy.index(proxy_row, 0)).row()
        dest = proxy.mapToSource(proxy.index(target, 0)).row()
        session.push(commands.MoveDocument(session.project, session.focus, source, dest))

    def _refuse_other_group(self) -> None:
        self.window.statusBar().showMessage(_(
            "Documents stay in the guidance's order of types; change the type to move it "
            "to another group."), 6000)

    def move_requested(self, rows: list[int], before: int) -> None:
        """A row dragged in the table and dropped before the project's row ``before`` (the
        number of documents: below the last row). It lands where it was dropped in the
        package's order, within its type group; a drop in another group is refused, as
        Alt+Up/Down refuses it."""
        window = self.window
        session, proxy, model = window.session, window.proxy, window.model
        if session is None or proxy is None or model is None or len(rows) != 1:
            return
        source = rows[0]
        # The drop in the table's (package) order: between the rows at - 1 and at.
        at = (proxy.rowCount() if before >= len(session.project.documents)
              else proxy.mapFromSource(model.index(before, 0)).row())
        shown = proxy.mapFromSource(model.index(source, 0)).row()
        if at in (shown, shown + 1):
            return  # dropped where it is
        group = proxy.group_of(shown)
        if at < proxy.rowCount() and proxy.group_of(at) == group:
            # before that document (the group is in the project's order)
            target = proxy.mapToSource(proxy.index(at, 0)).row()
            dest = target if target < source else target - 1
        elif at > 0 and proxy.group_of(at - 1) == group:
            # after the group's last document (the next group may begin earlier in the
            # project's order)
            target = proxy.mapToSource(proxy.index(at - 1, 0)).row()
            dest = target + 1 if target < source else target
        else:
            self._refuse_other_group()
            return
        if dest != source:
            session.push(commands.MoveDocument(session.project, session.focus, source, dest))

    # -- editing --------------------------------------------------------------------------
    def _current_index(self, column: Column) -> QModelIndex | None:
        window = self.window
        selected = window.view.selectionModel().selectedRows() if window.proxy else []
        if not selected or window.proxy is None:
            return None
        return window.proxy.index(selected[0].row(), column)

    def edit_type(self) -> None:
        index = self._current_index(Column.TYPES)
        if index is not None:
            self.window.view.setCurrentIndex(index)
            self.window.view.edit(index)

    def edit_title(self) -> None:
        index = self._current_index(Column.TITLE)
        if index is not None:
            self.window.view.setCurrentIndex(index)
            self.window.view.edit(index)

    def accept_selected(self) -> None:
        if self.window.session is not None:
            self.window.session.accept_suggestions(self._rows())

    def accept_all(self) -> None:
        if self.window.session is not None:
            count = self.window.session.accept_suggestions()
            self.window.statusBar().showMessage(
                _("One suggested type accepted") if count == 1
                else _("{n} suggested types accepted").format(n=count), 4000)

    def accept_changed_files(self) -> None:
        """Record the selected documents' files as they are now (after a change on disk)."""
        session = self.window.session
        if session is None:
            return
        rows = self._rows() or range(len(session.project.documents))
        changed = {p for f in session.report.findings if f.code == "document_changed"
                   for p in f.files}
        targets = [r for r in rows if session.project.documents[r].path in changed]
        if not targets:
            return
        session.undo.beginMacro(_("Accept the changed files"))
        for row in targets:
            doc = session.project.documents[row]
            try:
                sha = sha256_of(session.project.resolve(doc))
            except OSError:
                continue
            session.push(commands.UpdateDocument(
                session.project, session.focus, row,
                T("Accept the changed {file}", file=doc.display_title), sha256=sha))
        session.undo.endMacro()

    # -- menus ----------------------------------------------------------------------------
    def fill_second_type_menu(self) -> None:
        menu = self.window.menus.second_type_menu
        menu.clear()
        rows = self._rows()
        session = self.window.session
        if session is None or len(rows) != 1:
            menu.addAction(_("(select one document)")).setEnabled(False)
            return
        row = rows[0]
        doc = session.project.documents[row]
        lang = current_language()
        if not doc.types:
            menu.addAction(_("(set its first type first)")).setEnabled(False)
            return
        first = doc.types[0]
        partners = sorted({t for pair in session.pack.allowed_dual_tags if first in pair
                           for t in pair if t != first})
        if len(doc.types) > 1:
            action = menu.addAction(_("Only {type}").format(
                type=session.pack.type_name(first).render(lang)))
            action.triggered.connect(lambda: session.push(commands.UpdateDocument(
                session.project, session.focus, row,
                T("Set the type of {file}", file=doc.display_title), types=[first])))
        for partner in partners:
            action = menu.addAction(session.pack.type_name(partner).render(lang))
            action.setCheckable(True)
            action.setChecked(partner in doc.types)
            action.triggered.connect(lambda _c=False, partner=partner: session.push(
                commands.UpdateDocument(session.project, session.focus, row,
                                        T("Set the type of {file}", file=doc.display_title),
                                        types=[first, partner])))
        if not partners:
            menu.addAction(_("(no second type goes with this one)")).setEnabled(False)

    def context_menu(self, position: Any) -> None:
        window = self.window
        if window.session is None:
            return
        menu = QMenu(window)
        a = window.menus.actions
        menu.addActions([a["set_type"], a["accept"], a["rename"]])
        menu.addMenu(window.menus.second_type_menu)
        menu.addSeparator()
        menu.addActions([a["move_up"], a["move_down"], a["accept_change"], a["remove"]])
        menu.exec(window.view.viewport().mapToGlobal(position))
