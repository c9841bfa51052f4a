"""The preview dock: a document's pages as the case handler will see them.

:class:`PreviewDock` shows one PDF at a time: a document of the project (its intake PDF) or,
after a build, the package itself. Pages are drawn by :class:`PagesView` with QtPdf's
:class:`~PySide6.QtPdf.QPdfDocument`, on white, sharp at any device pixel ratio, and only the
pages in sight are rendered (a 1,000-page package opens as fast as a one-page letter). The
view renders itself rather than using ``QPdfView`` (which works, asynchronously) so that
rendering is countable (``render_count``), synchronous for tests and ``grab()``, and the device
pixel ratio explicit. A page renders on the GUI thread in 10–50 ms (A4 at 620 px, dpr 1–2).

QtPdf draws no form-field values (GUI.md §6), so a document with forms is previewed through a
flattened copy made by the core (:func:`soknadspakke.pdf.preview.flattened_copy`) on a worker
thread, cached by the file's path, size and modification time in a folder the dock owns.

Problems (a file QtPdf cannot open, a failed flattening) are shown in the dock, naming the file;
never a dialog, never a traceback.
"""

from __future__ import annotations

import bisect
import enum
import hashlib
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QDir,
    QEvent,
    QPointF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QTemporaryDir,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDockWidget,
    QFrame,
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
from soknadspakke.pdf.preview import flattened_copy

from .tasks import Task, TaskRunner
from .widgets import ElidedLabel

log = logging.getLogger(__name__)

#: Space around and between pages, in logical pixels.
MARGIN = 12
#: Zoom steps and limits (scale = logical pixels per PDF point).
ZOOM_STEP = 1.25
MIN_SCALE = 0.05
MAX_SCALE = 4.0
#: Device pixels of one rendered page at most (64 MB as RGB32); a page zoomed beyond this
#: is rendered coarser and drawn scaled rather than exhausting memory.
MAX_PAGE_PIXELS = 16_000_000
#: Rendered pages kept in memory (bytes); pdfarranger caps its renderer at ~300 MB.
CACHE_BYTES = 128 * 1024 * 1024
#: Flattened copies kept in the dock's temporary folder.
MAX_COPIES = 64
#: Measuring the pages of a long document (QtPdf: ~0.2 ms a page, 250 ms for a 1,200-page
#: package) is done in slices of this many milliseconds, one per turn of the event loop; the
#: pages not yet measured are laid out with the size of the last one measured.
MEASURE_SLICE_MS = 8.0


def render_page(document: QPdfDocument, page: int, width: float, dpr: float) -> QImage:
    """Page ``page`` (0-based) of ``document``, ``width`` logical pixels wide, on white.

    The image has ``width × dpr`` device pixels and carries ``dpr`` as its device pixel ratio,
    so it is drawn sharp on a hi-DPI screen. QtPdf renders onto a transparent background;
    the page is composed onto white paper here.
    """
    points = document.pagePointSize(page)
    if points.width() <= 0 or points.height() <= 0:
        points = QSizeF(595.0, 842.0)  # A4, for a page QtPdf cannot measure
    height = width * points.height() / points.width()
    size = QSize(max(1, round(width * dpr)), max(1, round(height * dpr)))
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    drawn = document.render(page, size, options)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))  # paper, not a UI colour: white in dark mode too
    if not drawn.isNull():
        painter = QPainter(image)
        painter.drawImage(0, 0, drawn)
        painter.end()
    image.setDevicePixelRatio(dpr)
    return image


class PagesView(QAbstractScrollArea):
    """All pages of a :class:`QPdfDocument` one below the other, rendered as they come into
    sight. Fits the width by default; :meth:`zoom_in` / :meth:`zoom_out` switch to a fixed
    scale. Home/End go to the first/last page, Page Up/Down and the arrows scroll, Ctrl+wheel
    zooms."""

    current_page_changed = Signal(int)  # 0-based
    zoom_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: QPdfDocument | None = None
        #: Pages rendered so far (tests count them: only visible pages are rendered).
        self.render_count = 0
        self.fit_width = True
        self._scale = 1.0
        self._sizes: list[QSizeF] = []  # page sizes in points
        self._tops: list[float] = []  # page tops in logical pixels at the current scale
        self._content = QSizeF(0, 0)
        self._current = 0
        self._cache: OrderedDict[tuple[int, int, int], QImage] = OrderedDict()
        self._cache_bytes = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Always there, so fitting the width never makes the bar come and go in a loop.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Dark)
        self.viewport().setAutoFillBackground(True)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self._measured = 0  # pages whose size is measured (the rest are estimated)
        self._estimate_off = False  # whether a measured page differed from its estimate
        self._measuring = QTimer(self)
        self._measuring.setInterval(0)
        self._measuring.timeout.connect(self._measure_more)

    # -- document and layout -------------------------------------------------------------
    def set_document(self, document: QPdfDocument | None) -> None:
        self.document = document
        self._clear_cache()
        self._sizes, self._tops = [], []
        self._measured = 0
        self._estimate_off = False
        self._measuring.stop()
        if document is not None:
            self._sizes = [QSizeF()] * document.pageCount()
            if not self._measure_slice():
                self._measuring.start()
        self._current = 0
        self._layout()
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()
        self.current_page_changed.emit(0)

    def _measure_slice(self) -> bool:
        """Measure pages for one slice of time; True when every page is measured. The first
        slice gives the pages not yet measured the size of the last one it measured."""
        document, sizes = self.document, self._sizes
        if document is None:
            return True
        start, end = self._measured, len(sizes)
        deadline = time.perf_counter() + MEASURE_SLICE_MS / 1000
        page = start
        while page < end and (page == start or time.perf_counter() < deadline):
            size = document.pagePointSize(page)
            self._estimate_off = self._estimate_off or (start > 0 and size != sizes[page])
            sizes[page] = size
            page += 1
        self._measured = page
        if start == 0 and page < end:
            estimate = sizes[page - 1]
            sizes[page:] = [estimate] * (end - page)
        return page >= end

    def _measure_more(self) -> None:
        if self._measure_slice():
            self._measuring.stop()
            if self._estimate_off:  # lay the pages out once more, with their own sizes
                self._estimate_off = False
                self._relayout()

    @property
    def measuring(self) -> bool:
        """Whether some pages are laid out with an estimated size (being measured)."""
        return self._measuring.isActive()

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    @property
    def current_page(self) -> int:
        return self._current

    @property
    def scale(self) -> float:
        """Logical pixels per PDF point."""
        return self._scale

    def _max_page_width(self) -> float:
        return max((s.width() for s in self._sizes if s.width() > 0), default=595.0)

    def _page_size(self, page: int) -> QSizeF:
        points = self._sizes[page]
        if points.width() <= 0 or points.height() <= 0:
            points = QSizeF(595.0, 842.0)
        return points * self._scale

    def _layout(self) -> None:
        """Place the pages at the current scale and set the scroll bars' ranges."""
        anchor, within = self._current, 0.0
        if self._tops and anchor < len(self._tops):
            height = self._page_size(anchor).height() + MARGIN
            within = (self.verticalScrollBar().value() + MARGIN - self._tops[anchor]) / height
        if self.fit_width and self._sizes:
            room = self.viewport().width() - 2 * MARGIN
            self._scale = min(MAX_SCALE, max(MIN_SCALE, room / self._max_page_width()))
        tops: list[float] = []
        y, scale = float(MARGIN), self._scale
        for points in self._sizes:  # as _page_size(), without a QSizeF a page
            tops.append(y)
            height = points.height()
            y += (height if height > 0 and points.width() > 0 else 842.0) * scale + MARGIN
        self._tops = tops
        width = self._max_page_width() * self._scale + 2 * MARGIN if self._sizes else 0.0
        self._content = QSizeF(width, y if self._sizes else 0.0)
        view = self.viewport().size()
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setRange(0, max(0, round(self._content.height()) - view.height()))
        vbar.setPageStep(max(1, view.height() - MARGIN))
        vbar.setSingleStep(24)
        hbar.setRange(0, max(0, round(self._content.width()) - view.width()))
        hbar.setPageStep(max(1, view.width()))
        hbar.setSingleStep(24)
        if self._sizes and anchor < len(self._tops):
            # Keep the same spot of the same page in sight (resize, zoom).
            height = self._page_size(anchor).height() + MARGIN
            vbar.setValue(round(self._tops[anchor] - MARGIN + within * height))

    def page_rect(self, page: int) -> QRectF:
        """Where page ``page`` is drawn, in viewport coordinates (logical pixels)."""
        size = self._page_size(page)
        room = max(self._content.width(), float(self.viewport().width()))
        x = (room - size.width()) / 2 - self.horizontalScrollBar().value()
        y = self._tops[page] - self.verticalScrollBar().value()
        return QRectF(QPointF(x, y), size)

    def visible_pages(self) -> range:
        """The pages (0-based) that are at least partly in sight."""
        if not self._tops:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        last = max(first, bisect.bisect_left(self._tops, bottom) - 1)
        if first < len(self._tops) and self._tops[first] + self._page_size(first).height() < top:
            first += 1  # the page above ends in the gap above the viewport
        return range(min(first, len(self._tops) - 1), min(last, len(self._tops) - 1) + 1)

    # -- navigation ----------------------------------------------------------------------
    def _scroll_to(self, page: int) -> None:
        self.verticalScrollBar().setValue(round(self._tops[page] - MARGIN))

    def go_to_page(self, page: int) -> None:
        """Scroll so that page ``page`` (0-based) starts at the top."""
        if not self._sizes:
            return
        page = max(0, min(page, len(self._sizes) - 1))
        self._scroll_to(page)
        self._set_current(page)

    def _set_current(self, page: int) -> None:
        if page != self._current:
            self._current = page
            self.current_page_changed.emit(page)

    def _scrolled(self, value: int) -> None:
        self.viewport().update()
        if not self._tops:
            return
        bar = self.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum():
            page = self.visible_pages()[-1]  # at the end: the last page in sight
        else:
            probe = value + self.viewport().height() * 0.4
            page = max(0, bisect.bisect_right(self._tops, probe) - 1)
        self._set_current(page)

    def set_scale(self, scale: float) -> None:
        self.fit_width = False
        self._scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        self._relayout()

    def zoom_in(self) -> None:
        self.set_scale(self._scale * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_scale(self._scale / ZOOM_STEP)

    def set_fit_width(self) -> None:
        self.fit_width = True
        self._relayout()

    def _relayout(self) -> None:
        self._layout()
        self.viewport().update()
        self.zoom_changed.emit()

    # -- rendering -----------------------------------------------------------------------
    def _clear_cache(self) -> None:
        self._cache.clear()
        self._cache_bytes = 0

    def _image(self, page: int, width: float, dpr: float) -> QImage:
        assert self.document is not None
        height = self._page_size(page).height()
        if width * height * dpr * dpr > MAX_PAGE_PIXELS:
            dpr = math.sqrt(MAX_PAGE_PIXELS / (width * height))
        key = (page, round(width * dpr), round(dpr * 100))
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
            return image
        image = render_page(self.document, page, width, dpr)
        self.render_count += 1
        self._cache[key] = image
        self._cache_bytes += image.sizeInBytes()
        while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
            _key, old = self._cache.popitem(last=False)
            self._cache_bytes -= old.sizeInBytes()
        return image

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Dark))
        if self.document is not None:
            dpr = self.viewport().devicePixelRatioF()
            shadow = QPen(palette.color(QPalette.ColorRole.Shadow))
            shadow.setWidth(0)
            for page in self.visible_pages():
                rect = self.page_rect(page)
                if not rect.intersects(QRectF(event.rect())):
                    continue
                painter.drawImage(rect, self._image(page, rect.width(), dpr))
                painter.setPen(shadow)
                painter.drawRect(rect.adjusted(-1, -1, 0, 0))
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.viewport().rect()).adjusted(1, 1, -1, -1))
        painter.end()

    # -- events --------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._layout()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Home:
            self.go_to_page(0)
        elif event.key() == Qt.Key.Key_End:
            self.go_to_page(self.page_count - 1)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
        else:
            super().wheelEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.viewport().update()


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
    """:func:`flattened_copy` in the shape :class:`Task` calls (it reports no progress)."""
    return flattened_copy(source, out, password=password, cancel=cancel)


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
        return viewer

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
            old.close()
            old.deleteLater()
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
            old.close()
            old.deleteLater()

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
