"""The project-file commands of the main window: new, open (with the offer to restore unsaved
work and the pack's migrations), the example, save, save as, the recent applications, the
offer of a crash's unsaved work at start, and finding moved files.

A small :class:`QObject` the window owns (composition; its slots run on the GUI thread): it
talks to the user through the window's :class:`~.dialogs.Dialogs` and hands an opened project
to :meth:`MainWindow.set_project`. The window keeps ``open_project``, ``save``, ``save_as``,
``new_project``, ``offer_recovery`` and ``_last_folder`` as its own names (tests, tools and
:mod:`.admin` call them).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import T, _, current_language
from soknadspakke.core.project import PROJECT_SUFFIX, Project
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.core.resources import resource_path
from soknadspakke.rules.migrate import migrate_project
from soknadspakke.usecases import find_moved_documents, missing_documents, place_in_project

from . import commands
from . import settings as keys
from .dialogs import Choice

if TYPE_CHECKING:
    from .main_window import MainWindow


class ProjectFiles(QObject):
    """New, open, save and the recent applications of the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def last_folder(self) -> str:
        folder = str(self.window.settings.get(keys.LAST_FOLDER) or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        window = self.window
        if not window.modified or window.session is None:
            return True
        project = window.session.project
        choice = window.dialogs.ask(
            _("Unsaved changes"),
            _("“{name}” has changes that are not saved.").format(
                name=project.info.title or project.path.name if project.path else ""),
            [Choice.SAVE, Choice.DISCARD, Choice.CANCEL])
        if choice is Choice.SAVE:
            return self.save()
        if choice is Choice.DISCARD:
            window.recovery.discard(project.path)
            return True
        return False

    def new_project(self) -> None:
        window = self.window
        if not self.maybe_save():
            return
        target = window.dialogs.save_project(str(Path(self.last_folder()) / (
            _("application") + PROJECT_SUFFIX)))
        if target is None:
            return
        project = Project(path=target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            save_project(project, target)
        except (SoknadError, OSError) as exc:
            window.dialogs.error(_("Cannot create the application"), str(exc))
            return
        window.settings.add_recent(target)
        window.settings.set(keys.LAST_FOLDER, str(target.parent))
        window.set_project(project)

    def ask_open_project(self) -> None:
        path = self.window.dialogs.open_project(self.last_folder())
        if path is not None:
            self.open_project(path)

    def open_example(self) -> None:
        """Open a copy of the bundled example (the shipped one is never changed)."""
        import shutil
        import tempfile

        try:
            source = resource_path("examples", "ny-soknad")
        except SoknadError as exc:
            self.window.dialogs.error(_("The example is missing"), str(exc))
            return
        target = Path(tempfile.mkdtemp(prefix="soknadspakke-example-")) / "ny-soknad"
        shutil.copytree(source, target)
        self.open_project(target / "ny-soknad.soknad")

    def open_project(self, path: Path) -> bool:
        """Open the application in ``path``; False (with a message) when it cannot be read."""
        window = self.window
        if window.session is not None and not self.maybe_save():
            return False
        try:
            project = load_project(path)
        except SoknadError as exc:
            window.dialogs.error(_("Cannot open the application"), str(exc))
            return False
        if not window.admin.before_open(path):  # someone else has it open; the user cancelled
            return False
        restored = self._offer_restore(path)
        if restored is not None:
            project = restored
        notices = migrate_project(project, window.pack)
        if notices:
            lang = current_language()
            window.dialogs.inform(_("The application was updated"), notices[0].render(lang),
                                  "\n".join(n.render(lang) for n in notices[1:]))
        window.settings.add_recent(path)
        window.settings.set(keys.LAST_FOLDER, str(path.parent))
        window.set_project(project)
        if restored is not None:
            window.restored_dirty = True
            window.update_title()
        if missing_documents(project):
            self.relink(asked=False)
        return True

    def _offer_restore(self, path: Path) -> Project | None:
        window = self.window
        recovered = window.recovery.for_project(path)
        if recovered is None or not recovered.newer_than_project:
            return None
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovered.saved_at))
        choice = window.dialogs.ask(
            _("Restore unsaved work?"),
            _("Søknadspakke was closed on {when} with changes to “{file}” that were not "
              "saved. Restore them?").format(when=when, file=path.name),
            [Choice.YES, Choice.NO])
        if choice is not Choice.YES:
            window.recovery.discard(path)
            return None
        try:
            return window.recovery.load(recovered)
        except SoknadError as exc:
            window.dialogs.error(_("Cannot restore"), str(exc))
            return None

    def offer_recovery(self) -> None:
        """At start without a project: offer the newest work a crash left unsaved."""
        window = self.window
        pending = [r for r in window.recovery.pending() if r.newer_than_project]
        skipped = str(window.settings.get(keys.SKIPPED_RECOVERY) or "")
        pending = [r for r in pending if str(r.file) != skipped]
        if pending and pending[0].project_path.is_file():
            latest = pending[0]
            if not self.open_project(latest.project_path):
                window.settings.set(keys.SKIPPED_RECOVERY, str(latest.file))

    def save(self) -> bool:
        window = self.window
        if window.session is None:
            return False
        project = window.session.project
        if project.path is None:
            return self.save_as()
        try:
            save_project(project)
        except SoknadError as exc:
            window.dialogs.error(_("Cannot save"), str(exc))
            return False
        self._saved()
        return True

    def save_as(self) -> bool:
        window = self.window
        if window.session is None:
            return False
        project = window.session.project
        suggested = str(project.path) if project.path else self.last_folder()
        target = window.dialogs.save_project(suggested)
        if target is None:
            return False
        old_path = project.path
        try:
            save_project(project, target)
        except SoknadError as exc:
            window.dialogs.error(_("Cannot save"), str(exc))
            return False
        # Saving elsewhere rewrote document paths outside the undo history: start it afresh.
        window.session.undo.clear()
        window.recovery.discard(old_path)
        self._saved()
        return True

    def _saved(self) -> None:
        window = self.window
        assert window.session is not None
        project = window.session.project
        window.session.undo.setClean()
        window.restored_dirty = False
        window.recovery_timer.stop()
        window.recovery.discard(project.path)
        if project.path is not None:
            window.settings.add_recent(project.path)
        window.admin.project_saved(project.path)
        window.update_title()
        window.statusBar().showMessage(_("Saved {file}").format(
            file=project.path.name if project.path else ""), 4000)

    def fill_recent_menu(self) -> None:
        menu = self.window.menus.recent_menu
        menu.clear()
        for path in self.window.settings.recent_projects():
            action = menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_project(p))
        menu.setEnabled(True)

    def fill_recent_list(self) -> None:
        self.window.welcome.show_recent(self.window.settings.recent_projects())

    # -- relinking moved files ----------------------------------------------------------------
    def relink(self, *, asked: bool = True) -> None:
        """Find documents whose files moved: one folder relinks every one found there."""
        window = self.window
        if window.session is None:
            return
        session = window.session
        missing = missing_documents(session.project)
        if not missing:
            if asked:
                window.dialogs.inform(_("Find moved files"),
                                      _("Every document's file is there."))
            return
        choice = window.dialogs.ask(
            _("Files not found"),
            _("{n} of the application's files are not where they were. Look for them in a "
              "folder?").format(n=len(missing)),
            [Choice.YES, Choice.NO],
            "\n".join(session.project.documents[r].path for r in missing[:12]))
        if choice is not Choice.YES:
            return
        folder = window.dialogs.folder(_("Where are the files now?"), str(
            session.project.base_dir))
        if folder is None:
            return
        found = find_moved_documents(session.project, folder)
        if found:
            session.undo.beginMacro(
                _("Find the moved file {file}").format(file=next(iter(found.values())).name)
                if len(found) == 1 else _("Find {n} moved files").format(n=len(found)))
            for row, path in sorted(found.items()):
                try:
                    rel, _copied = place_in_project(session.project, path)
                except SoknadError as exc:
                    window.dialogs.error(_("Cannot use {file}").format(file=path.name),
                                         str(exc))
                    continue
                session.push(commands.UpdateDocument(
                    session.project, session.focus, row,
                    T("Relink {file}", file=session.project.documents[row].display_title),
                    path=rel))
            session.undo.endMacro()
        window.dialogs.inform(_("Find moved files"), _(
            "Found {found} of {missing} files in {folder}.").format(
                found=len(found), missing=len(missing), folder=folder))
