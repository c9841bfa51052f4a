"""The build commands of the main window: start a build (a draft when not ready), follow its
progress in the status bar, stop it, and open or show the package it wrote.

A small :class:`QObject` the window owns (composition; its slots run on the GUI thread). The
build itself runs in a process of its own (:mod:`.build`); nothing here waits for it except
:meth:`BuildCommands.shutdown` when the window closes. The window keeps ``start_build``,
``cancel_build``, ``show_package_in_folder`` and ``build_process`` as its own names (tests and
:mod:`.admin` use them).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressBar, QPushButton

from soknadspakke.core.i18n import _, current_language

from .build import BuildProcess, BuildRequest
from .dialogs import Choice
from .widgets import set_progress

if TYPE_CHECKING:
    from .main_window import MainWindow


class BuildCommands(QObject):
    """Building the package, with a progress bar and a Stop button in the status bar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.process: BuildProcess | None = None
        self.last_package: Path | None = None
        status = window.statusBar()
        self.progress = QProgressBar(status)
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        status.addPermanentWidget(self.progress)
        self.cancel_button = QPushButton(status)
        self.cancel_button.clicked.connect(self.cancel_build)
        self.cancel_button.hide()
        status.addPermanentWidget(self.cancel_button)
        # The status bar keeps the height it has with the two shown, so showing and hiding
        # them never re-lays out (and repaints) the whole window at a build's start and end.
        self.progress.show()
        self.cancel_button.show()
        status.setMinimumHeight(status.sizeHint().height())
        self.progress.hide()
        self.cancel_button.hide()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.running

    @property
    def package_exists(self) -> bool:
        return self.last_package is not None and self.last_package.is_file()

    def retranslate(self) -> None:
        self.cancel_button.setText(_("Stop"))
        self.cancel_button.setAccessibleName(_("Stop the build"))
        self.progress.setAccessibleName(_("Build progress"))

    def start_build(self, *, draft: bool, out: Path | None = None) -> BuildProcess | None:
        window = self.window
        if window.session is None or (self.process and self.process.running):
            return None
        session = window.session
        report = session.report
        lang = current_language()
        if not draft and not report.ready:
            errors = [f.message.render(lang) for f in report.findings if f.is_error]
            choice = window.dialogs.ask(
                _("Not ready to send"),
                _("The application is not ready: {n} errors must be fixed first. Build a draft "
                  "instead (every page marked as a draft)?").format(n=len(errors)),
                [Choice.YES, Choice.CANCEL], "\n".join(f"• {e}" for e in errors[:8]))
            if choice is not Choice.YES:
                return None
            draft = True
        if session.project.path is None:
            return None
        if out is None:
            # The package builder is imported when first needed: it is the largest part of
            # the program, and the window does not need it to start.
            from soknadspakke.build import default_output

            out = window.dialogs.package_path(str(default_output(session.project, lang)))
            if out is None:
                return None
        request = BuildRequest(session.project, out, lang, draft, dict(session.passwords),
                               dict(session.options))
        process = BuildProcess(request, window)
        self.process = process
        process.progress.connect(self._progress)
        process.done.connect(self._done)
        process.not_ready.connect(self._not_ready)
        process.failed.connect(self._failed)
        process.cancelled.connect(self._cancelled)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        window.statusBar().showMessage(_("Building the package…"))
        process.start()
        window.update_actions()
        return process

    def cancel_build(self) -> None:
        if self.process is not None:
            self.process.cancel()
            self.window.statusBar().showMessage(_("Stopping the build…"))

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        set_progress(self.progress, done)
        self.progress.setFormat(message)
        self.window.statusBar().showMessage(message)

    def _ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.window.statusBar().clearMessage()
        self.window.update_actions()

    def _done(self, result: dict[str, Any]) -> None:
        window = self.window
        self._ended()
        self.last_package = Path(str(result["path"]))
        window.update_actions()
        preview, package = window._preview, self.last_package
        if preview is not None:  # on the next turn of the event loop, apart from this one
            QTimer.singleShot(0, preview, lambda: preview.show_package(package))
        detail = ""
        if result.get("skipped"):
            detail = _("Left out (cannot be used): {files}").format(
                files=", ".join(result["skipped"]))
        choice = window.dialogs.ask(
            _("The package is ready"),
            _("Wrote {pages} pages ({documents} documents) to {file}.").format(
                pages=result.get("pages"), documents=result.get("documents"),
                file=self.last_package),
            [Choice.OPEN, Choice.SHOW, Choice.CLOSE], detail)
        if choice is Choice.OPEN:
            self.open_package()
        elif choice is Choice.SHOW:
            self.show_package_in_folder()

    def _not_ready(self, errors: list[str]) -> None:
        self._ended()
        self.window.dialogs.inform(_("Not ready to send"), _(
            "Nothing was written: the application is not ready."), "\n".join(errors))

    def _failed(self, message: str) -> None:
        self._ended()
        self.window.dialogs.error(_("The package could not be built"), message)

    def _cancelled(self) -> None:
        self._ended()
        self.window.statusBar().showMessage(_("The build was stopped; nothing was written."),
                                            5000)

    def open_package(self) -> None:
        if self.last_package is not None and self.last_package.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_package)))

    def show_package_in_folder(self) -> None:
        if self.last_package is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_package.parent)))

    def shutdown(self) -> None:
        """The window closes: stop a running build and wait for it (at most 5 s)."""
        if self.process is not None and self.process.running:
            self.process.cancel()
            self.process.process.waitForFinished(5000)
