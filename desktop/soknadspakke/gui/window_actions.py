"""The main window's actions, menus and toolbar: the action table (key, command, shortcut,
icon), the menus and toolbar built from it, the texts of each in the current language, and
which actions are enabled.

A small class the window owns (composition): it knows which command each action runs, not how
the command works — that is :mod:`.project_files`, :mod:`.document_commands` and
:mod:`.build_commands`. The window keeps ``_actions``, ``file_menu``, ``view_menu``, ``toolbar``
and ``undo_action`` as its own names (:mod:`.admin` adds its actions to them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QStyle, QToolBar

from soknadspakke.core.i18n import LANGUAGES, _, current_language

from .i18n import LANGUAGE_NAMES

if TYPE_CHECKING:
    from .main_window import MainWindow


class WindowActions:
    """Every action of the main window, in its menus and on its toolbar."""

    def __init__(self, window: MainWindow, placeholder: QUndoStack) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self._build_actions(placeholder)
        self._build_menus()
        self._build_toolbar()

    def _action(self, key: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(self.window)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.window.style().standardIcon(icon))
        self.actions[key] = action
        return action

    def _build_actions(self, placeholder: QUndoStack) -> None:
        window = self.window
        files, docs, builds = window.files, window.documents, window.builds
        sp = QStyle.StandardPixmap
        key = QKeySequence.StandardKey
        self._action("new", files.new_project, key.New, sp.SP_FileIcon)
        self._action("open", files.ask_open_project, key.Open, sp.SP_DialogOpenButton)
        self._action("example", files.open_example)
        self._action("save", files.save, key.Save, sp.SP_DialogSaveButton)
        self._action("save_as", files.save_as, key.SaveAs)
        self._action("passwords", docs.ask_passwords)
        self._action("relink", files.relink)
        self._action("quit", window.close, key.Quit)
        self._action("add_files", docs.add_files, "Ctrl+Shift+A", sp.SP_FileDialogNewFolder)
        self._action("add_folder", docs.add_folder, "Ctrl+Shift+F")
        self._action("remove", docs.remove_selected, key.Delete, sp.SP_TrashIcon)
        self._action("move_up", lambda: docs.move_selected(-1), "Alt+Up", sp.SP_ArrowUp)
        self._action("move_down", lambda: docs.move_selected(1), "Alt+Down", sp.SP_ArrowDown)
        self._action("set_type", docs.edit_type, "Ctrl+T")
        self._action("rename", docs.edit_title, "F2")
        self._action("accept", docs.accept_selected, "Ctrl+Return", sp.SP_DialogApplyButton)
        self._action("accept_all", docs.accept_all, "Ctrl+Shift+Return")
        self._action("accept_change", docs.accept_changed_files)
        self._action("build", lambda: builds.start_build(draft=False), "Ctrl+B",
                     sp.SP_MediaPlay)
        self._action("build_draft", lambda: builds.start_build(draft=True), "Ctrl+Shift+B")
        self._action("cancel_build", builds.cancel_build, None, sp.SP_MediaStop)
        self._action("open_package", builds.open_package)
        self._action("show_package", builds.show_package_in_folder)
        self._action("about", window.about)
        self._action("history", window.show_history)
        for action in self.actions.values():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_action = placeholder.createUndoAction(window)
        self.redo_action = placeholder.createRedoAction(window)
        self.language_group = QActionGroup(window)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], window)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, lang=lang: window.set_language(lang))
            self.language_group.addAction(action)
            self.language_actions[lang] = action

    def _build_menus(self) -> None:
        window = self.window
        bar = window.menuBar()
        a = self.actions
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([a["new"], a["open"]])
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(window.files.fill_recent_menu)
        self.file_menu.addAction(a["example"])
        self.file_menu.addSeparator()
        self.file_menu.addActions([a["save"], a["save_as"]])
        self.file_menu.addSeparator()
        self.file_menu.addActions([a["passwords"], a["relink"]])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a["quit"])
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([a["add_files"], a["add_folder"], a["remove"]])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([a["move_up"], a["move_down"], a["rename"], a["set_type"]])
        self.second_type_menu = self.edit_menu.addMenu("")
        self.second_type_menu.aboutToShow.connect(window.documents.fill_second_type_menu)
        self.edit_menu.addActions([a["accept"], a["accept_all"], a["accept_change"]])
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([window.project_dock.toggleViewAction(),
                                   window.details_dock.toggleViewAction(),
                                   window.checklist_dock.toggleViewAction(), a["history"]])
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addActions(list(self.language_actions.values()))
        self.package_menu = bar.addMenu("")
        self.package_menu.addActions([a["build"], a["build_draft"], a["cancel_build"]])
        self.package_menu.addSeparator()
        self.package_menu.addActions([a["open_package"], a["show_package"]])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(a["about"])

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.window)
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        a = self.actions
        self.toolbar.addActions([a["add_files"], a["remove"], a["move_up"], a["move_down"]])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.undo_action, self.redo_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([a["build"], a["build_draft"]])
        self.window.addToolBar(self.toolbar)

    def rebind_undo(self, stack: QUndoStack) -> None:
        """Undo and Redo of ``stack`` (a new application's) in place of the old ones."""
        for old, make in ((self.undo_action, stack.createUndoAction),
                          (self.redo_action, stack.createRedoAction)):
            new = make(self.window)
            new.setShortcut(QKeySequence.StandardKey.Undo if old is self.undo_action
                            else QKeySequence.StandardKey.Redo)
            new.setIcon(self.window.style().standardIcon(
                QStyle.StandardPixmap.SP_ArrowBack if old is self.undo_action
                else QStyle.StandardPixmap.SP_ArrowForward))
            for menu_or_bar in (self.edit_menu, self.toolbar):
                menu_or_bar.insertAction(old, new)
                menu_or_bar.removeAction(old)
            if old is self.undo_action:
                self.undo_action = new
            else:
                self.redo_action = new
            old.deleteLater()

    def update(self, rows: list[int], *, has: bool, building: bool,
               package_exists: bool) -> None:
        """Enable what can be done now: ``rows`` selected, an application open (``has``), a
        build running, a built package on disk."""
        a = self.actions
        for key in ("save", "save_as", "add_files", "add_folder", "passwords", "relink",
                    "accept_all", "accept_change"):
            a[key].setEnabled(has)
        for key in ("remove", "accept"):
            a[key].setEnabled(bool(rows))
        for key in ("move_up", "move_down", "set_type", "rename"):
            a[key].setEnabled(len(rows) == 1)
        a["build"].setEnabled(has and not building)
        a["build_draft"].setEnabled(has and not building)
        a["cancel_build"].setEnabled(building)
        a["open_package"].setEnabled(package_exists)
        a["show_package"].setEnabled(package_exists)

    def retranslate(self) -> None:
        a = self.actions
        texts = {
            "new": _("&New application…"), "open": _("&Open application…"),
            "example": _("Open the &example application"), "save": _("&Save"),
            "save_as": _("Save &as…"), "passwords": _("&Passwords…"),
            "relink": _("Find &moved files…"), "quit": _("&Quit"),
            "add_files": _("Add &files…"), "add_folder": _("Add a f&older…"),
            "remove": _("&Remove"), "move_up": _("Move &up"), "move_down": _("Move &down"),
            "set_type": _("Set the &type…"), "rename": _("Re&name…"),
            "accept": _("A&ccept the suggested type"),
            "accept_all": _("Accept &all suggested types"),
            "accept_change": _("Accept the &changed file"),
            "build": _("&Build package…"), "build_draft": _("Build a &draft…"),
            "cancel_build": _("&Stop the build"), "open_package": _("&Open the package"),
            "show_package": _("Show the package in its &folder"),
            "about": _("&About Søknadspakke"), "history": _("&Undo history"),
        }
        for key, text in texts.items():
            a[key].setText(text)
            a[key].setToolTip(text.replace("&", ""))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self.file_menu.setTitle(_("&File"))
        self.recent_menu.setTitle(_("Open &recent"))
        self.edit_menu.setTitle(_("&Edit"))
        self.second_type_menu.setTitle(_("Add a &second type"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language") + " / Language")
        self.package_menu.setTitle(_("&Package"))
        self.help_menu.setTitle(_("&Help"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        for lang, action in self.language_actions.items():
            action.setChecked(lang == current_language())
