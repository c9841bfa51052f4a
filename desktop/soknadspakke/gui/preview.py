"""The preview dock: a document's pages as the case handler will see them.

:class:`PreviewDock` shows one PDF at a time: a document of the project (its intake PDF) or,
after a build, the package itself. Pages are drawn by :class:`~.pages_view.PagesView` with
QtPdf's :class:`~PySide6.QtPdf.QPdfDocument`, only those in sight.

QtPdf draws no form-field values (GUI.md §6), so a document with forms is previewed through a
flattened copy made by the core (:func:`soknadspakke.pdf.preview.flattened_copy`) on a worker
thread, cached by the file's path, size and modification time in a folder the dock owns.

Problems (a file QtPdf cannot open, a failed flattening) are shown in the dock, naming the file;
never a dialog, never a traceback.
"""

from __future__ import annotations

import enum
import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDir, QEvent, Qt, QTemporaryDir, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.errors import Cancelled, SoknadError
from soknadspakke.core.i18n import Plain, T, Text, _, current_language
from soknadspakke.core.tasks import CancelFn, ProgressFn

from .pages_view import MARGIN, PagesView
from .tasks import Task, TaskRunner
from .widgets import ElidedLabel

log = logging.getLogger(__name__)

#: Flattened copies kept in the dock's temporary folder.
MAX_COPIES = 64


class State(enum.Enum):
    EMPTY = "empty"
    PREPARING = "preparing"
    ERROR = "error"
    SHOWING = "showing"


@dataclass(frozen=True)
class _Request:
    """What the dock was last asked to show."""

    number: int
    path: Path
    title: Text
    has_forms: bool
    password: str | None


def _load_error(error: QPdfDocument.Error, name: str) -> Text:
    # The msgids are spelled out so that tools/i18n.py extract finds them.
    if error == QPdfDocument.Error.FileNotFound:
        return T("{name} was not found.", name=Plain(name))
    if error == QPdfDocument.Error.InvalidFileFormat:
        return T("{name} is not a PDF that can be shown, or it is damaged.", name=Plain(name))
    if error == QPdfDocument.Error.IncorrectPassword:
        return T("{name} is protected by a password, and the password given does not open it.",
                 name=Plain(name))
    if error == QPdfDocument.Error.UnsupportedSecurityScheme:
        return T("{name} is protected in a way the preview cannot open.", name=Plain(name))
    return T("{name} cannot be opened.", name=Plain(name))


def _flatten(source: Path, out: Path, password: str | None, *, progress: ProgressFn,
             cancel: CancelFn) -> Path:
    """:func:`~soknadspakke.pdf.preview.flattened_copy` in the shape :class:`Task` calls (it
    reports no progress); pypdf is imported here, on the worker, not when the dock is made."""
    from soknadspakke.pdf.preview import flattened_copy

    return flattened_copy(source, out, password=password, cancel=cancel)


#: The page box and page count are as wide as for a document of this many pages.
LONGEST_DOCUMENT = 9_999

#: A document no longer shown is closed this much later (ms).
RETIRE_AFTER_MS = 250


def _retire(document: QPdfDocument) -> None:
    """Close a document no longer shown a moment later: closing a 1,200-page package takes
    QtPdf ~25 ms, which would otherwise come on top of loading and drawing the next one (a
    posted deletion runs in the same turn of the event loop as the repaint)."""
    QTimer.singleShot(RETIRE_AFTER_MS, document.deleteLater)  # its destructor closes it


class PreviewDock(QDockWidget):
    """The "Preview" dock: pages of one PDF, with page navigation and zoom."""

    #: The dock's state changed (tests and the window wait on it).
    state_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.state = State.EMPTY
        #: The PDF file the pages come from (the flattened copy for a form), or None.
        self.current_file: Path | None = None
        self._request: _Request | None = None
        self._requests = 0
        self._message: Text | None = None
        self._detail = ""
        self._document: QPdfDocument | None = None
        self._task: Task | None = None
        self._runner = TaskRunner(self, max_threads=1)
        self._tmp: QTemporaryDir | None = None
        self._copies: OrderedDict[tuple[str, int, int], Path] = OrderedDict()

        body = QWidget(self)
        self._stack = QStackedWidget(body)
        self.message = QLabel(self._stack)
        self.message.setObjectName("preview-message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMargin(MARGIN)

        viewer = self._build_viewer(self._stack)
        self._stack.addWidget(self.message)
        self._stack.addWidget(viewer)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.setWidget(body)

        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.zoom_out_action.triggered.connect(self.pages.zoom_out)
        self.zoom_in_action.triggered.connect(self.pages.zoom_in)
        self.fit_action.triggered.connect(self._fit_toggled)
        self.pages.zoom_changed.connect(self._zoom_changed)
        self.pages.current_page_changed.connect(self._page_changed)
        self.page_spin.valueChanged.connect(lambda value: self.pages.go_to_page(value - 1))
        self.retranslate()

    def _build_viewer(self, parent: QWidget) -> QWidget:
        """The title, page and zoom bar above the pages."""
        viewer = QWidget(parent)
        self.title_label = ElidedLabel(viewer)
        self.page_label = QLabel(viewer)
        self.page_spin = QSpinBox(viewer)
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setRange(1, 1)
        self.page_label.setBuddy(self.page_spin)
        self.count_label = QLabel(viewer)
        self.zoom_out_action = QAction(self)
        self.zoom_out_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_in_action = QAction(self)
        self.zoom_in_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.fit_action = QAction(self)
        self.fit_action.setCheckable(True)
        self.fit_action.setChecked(True)
        self.fit_action.setShortcut(QKeySequence("Ctrl+0"))
        self.zoom_out_button = self._tool_button(viewer, self.zoom_out_action)
        self.zoom_in_button = self._tool_button(viewer, self.zoom_in_action)
        self.fit_button = self._tool_button(viewer, self.fit_action)
        self.pages = PagesView(viewer)

        bar = QHBoxLayout()
        bar.setContentsMargins(MARGIN // 2, MARGIN // 4, MARGIN // 2, MARGIN // 4)
        bar.addWidget(self.title_label, 1)
        bar.addSpacing(MARGIN)
        bar.addWidget(self.page_label)
        bar.addWidget(self.page_spin)
        bar.addWidget(self.count_label)
        bar.addSpacing(MARGIN)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        column = QVBoxLayout(viewer)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(bar)
        column.addWidget(self.pages, 1)
        self._viewer_layouts = (bar, column)
        return viewer

    def _steady_widths(self) -> None:
        """The page number box and the page count as wide as for a long document, so that
        their widths, and the dock's minimum width, do not change with the document shown:
        a dock that widened when a package was first shown re-laid out and repainted the
        whole window (~35 ms) and squeezed the documents table."""
        spin, shown = self.page_spin, self.page_spin.maximum()
        spin.setMaximum(LONGEST_DOCUMENT)
        spin.setFixedWidth(spin.sizeHint().width())
        spin.setMaximum(shown)
        label = self.count_label
        margins = label.contentsMargins()
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance(
            _("of {count}").format(count=LONGEST_DOCUMENT)) + margins.left() + margins.right())
        # A hidden widget's size changes do not reach its layout: tell it (the viewer is
        # hidden until the first document is shown).
        for layout in self._viewer_layouts:  # a layout's invalidate() does not reach nested ones
            layout.invalidate()
        self._stack.updateGeometry()

    @staticmethod
    def _tool_button(parent: QWidget, action: QAction) -> QToolButton:
        button = QToolButton(parent)
        button.setDefaultAction(action)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setAutoRaise(True)
        return button

    # -- public API ----------------------------------------------------------------------
    def show_document(self, pdf_path: Path, *, title: str, has_forms: bool = False,
                      password: str | None = None) -> None:
        """Show the pages of ``pdf_path`` (a form through a flattened copy, made on a
        worker). A newer call supersedes this one even while its copy is being made.

        Pass files intake accepted (``IntakeResult.pdf_path``): QtPdf 6.12 (pdfium) never
        returns from measuring a page of a PDF whose page tree is broken (the corpus's
        ``017-unreadable-meta-data``), which intake rejects.
        """
        self._show(Path(pdf_path), Plain(title), has_forms=has_forms, password=password)

    def show_package(self, pdf_path: Path) -> None:
        """Show a built package (its forms are flattened already)."""
        pdf_path = Path(pdf_path)
        self._show(pdf_path, T("Package: {name}", name=Plain(pdf_path.name)),
                   has_forms=False, password=None)

    def clear(self) -> None:
        """Show nothing (no document selected)."""
        self._supersede()
        self._request = None
        self._unload()
        self._set_state(State.EMPTY)

    def retranslate(self) -> None:
        """Set every text again in the current language."""
        self.setWindowTitle(_("Preview"))
        self.page_label.setText(_("Page"))
        self.page_spin.setAccessibleName(_("Page number"))
        self.page_spin.lineEdit().setAccessibleName(_("Page number"))
        self.page_spin.setToolTip(_("Go to page"))
        self.count_label.setText(_("of {count}").format(count=self.pages.page_count))
        self._steady_widths()
        self.zoom_out_action.setText("−")
        self.zoom_out_action.setToolTip(_("Zoom out"))
        self.zoom_out_button.setAccessibleName(_("Zoom out"))
        self.zoom_in_action.setText("+")
        self.zoom_in_action.setToolTip(_("Zoom in"))
        self.zoom_in_button.setAccessibleName(_("Zoom in"))
        self.fit_action.setText(_("Fit width"))
        self.fit_action.setToolTip(_("Fit the page to the width of the preview"))
        self.fit_button.setAccessibleName(_("Fit width"))
        self.pages.setAccessibleName(_("Pages"))
        self.pages.setAccessibleDescription(
            _("Home and End go to the first and last page; Page Up and Page Down scroll."))
        lang = current_language()
        self.title_label.set_full_text(self._request.title.render(lang) if self._request else "")
        self._show_message()

    # -- requests ------------------------------------------------------------------------
    def _supersede(self) -> None:
        self._requests += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _show(self, path: Path, title: Text, *, has_forms: bool, password: str | None) -> None:
        self._supersede()
        request = _Request(self._requests, path, title, has_forms, password)
        self._request = request
        self.title_label.set_full_text(title.render(current_language()))
        if not has_forms:
            self._load(request, path, password)
            return
        try:
            stat = path.stat()
        except OSError as exc:
            self._fail(T("{name} cannot be read.", name=Plain(path.name)), exc.strerror or "")
            return
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        copy = self._copies.get(key)
        if copy is not None and copy.is_file():
            self._copies.move_to_end(key)
            self._load(request, copy, None)
            return
        folder = self._folder()
        if folder is None:
            self._fail(T("The preview of {name} cannot be prepared: no temporary folder.",
                         name=Plain(path.name)), "")
            return
        out = folder / (hashlib.sha256(repr(key).encode()).hexdigest()[:24] + ".pdf")
        self._unload()
        self._set_state(State.PREPARING)
        task = Task(_flatten, path, out, password)
        self._task = task
        self._runner.start(
            task,
            on_done=lambda result: self._flattened(request, key, result),
            on_failed=lambda exc: self._flatten_failed(request, exc),
        )

    def _folder(self) -> Path | None:
        if self._tmp is None:
            self._tmp = QTemporaryDir(QDir.tempPath() + "/soknadspakke-preview-XXXXXX")
        return Path(self._tmp.path()) if self._tmp.isValid() else None

    def _flattened(self, request: _Request, key: tuple[str, int, int], out: Path) -> None:
        if not shiboken6.isValid(self):
            return
        self._copies[key] = out
        while len(self._copies) > MAX_COPIES:
            _key, old = self._copies.popitem(last=False)
            if old != self.current_file:
                old.unlink(missing_ok=True)
        if request is self._request and request.number == self._requests:
            self._task = None
            self._load(request, out, None)

    def _flatten_failed(self, request: _Request, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or request is not self._request:
            return
        if isinstance(exc, Cancelled):
            return
        self._task = None
        detail = exc.message if isinstance(exc, SoknadError) else str(exc)
        log.info("preview of %s failed: %s", request.path, exc)
        self._fail(T("The preview of {name} cannot be prepared.",
                     name=Plain(request.path.name)), detail)

    def _load(self, request: _Request, path: Path, password: str | None) -> None:
        document = QPdfDocument(self)
        if password:
            document.setPassword(password)
        error = document.load(str(path))
        if error == QPdfDocument.Error.None_ and document.pageCount() == 0:
            error = QPdfDocument.Error.InvalidFileFormat
        if error != QPdfDocument.Error.None_:
            document.close()
            document.deleteLater()
            self._unload()
            self._fail(_load_error(error, request.path.name), "")
            return
        old = self._document
        self._document = document
        self.current_file = path
        self.pages.set_document(document)
        if old is not None:
            _retire(old)
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1, document.pageCount())
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.count_label.setText(_("of {count}").format(count=document.pageCount()))
        self._set_state(State.SHOWING)

    def _unload(self) -> None:
        old = self._document
        self._document = None
        self.current_file = None
        self.pages.set_document(None)
        if old is not None:
            _retire(old)

    def _fail(self, message: Text, detail: str) -> None:
        self._message = message
        self._detail = detail
        self._set_state(State.ERROR)

    # -- state ---------------------------------------------------------------------------
    def _set_state(self, state: State) -> None:
        self.state = state
        self._stack.setCurrentIndex(1 if state is State.SHOWING else 0)
        self._show_message()
        self.state_changed.emit(state)

    def _show_message(self) -> None:
        lang = current_language()
        if self.state is State.EMPTY:
            text = _("Select a document to see its pages here.")
        elif self.state is State.PREPARING:
            text = _("Preparing the preview…")
        elif self.state is State.ERROR and self._message is not None:
            text = self._message.render(lang)
            if self._detail:
                text += "\n\n" + self._detail
        else:
            text = ""
        self.message.setText(text)

    def _page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)

    def _fit_toggled(self, checked: bool) -> None:
        if checked:
            self.pages.set_fit_width()
        else:
            self.fit_action.setChecked(True)  # fit width is left by zooming, not unchecking

    def _zoom_changed(self) -> None:
        self.fit_action.setChecked(self.pages.fit_width)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def shutdown(self, msecs: int = 5000) -> None:
        """Cancel a running flattening, wait for it and delete the flattened copies (the
        window calls this when it closes)."""
        self._supersede()
        self._runner.cancel_all()
        self._runner.wait(msecs)
        self.clear()
        self._copies.clear()
        if self._tmp is not None:
            self._tmp.remove()
            self._tmp = None

