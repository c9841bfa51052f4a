"""The pages of one PDF, one below the other, rendered with QtPdf as they come into sight.

:class:`PagesView` draws the pages itself rather than using ``QPdfView`` (which works,
asynchronously) so that rendering is countable (``render_count``), synchronous for tests and
``grab()``, and the device pixel ratio explicit: on white, sharp at any device pixel ratio, and
only the pages in sight (a 1,000-page package opens as fast as a one-page letter). A page
renders on the GUI thread in 10–50 ms (A4 at 620 px, dpr 1–2). The pages of a long document
are measured a slice per turn of the event loop (:data:`MEASURE_SLICE_MS`). The dock around it
is :mod:`.preview`.
"""

from __future__ import annotations

import bisect
import math
import time
from collections import OrderedDict

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QWidget

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
#: Measuring the pages of a long document (QtPdf: ~0.2 ms a page, 250 ms for a 1,200-page
#: package) is done in slices of this many milliseconds, one per turn of the event loop; the
#: pages not yet measured are laid out with the size of the last one measured.
MEASURE_SLICE_MS = 8.0
#: Rendering pages for one paint stops after this many milliseconds (the first page in sight
#: is always drawn; the next paint, on the next turn of the event loop, draws the rest).
RENDER_SLICE_MS = 12.0


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
            # The first page now (the rest are laid out with its size), the others on the
            # turns of the event loop that follow, so that loading a long document, measuring
            # and the first paint never add up to one long stall.
            self._sizes = [QSizeF()] * document.pageCount()
            if not self._measure_slice(0.0):
                self._measuring.start()
        self._current = 0
        self._layout()
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()
        self.current_page_changed.emit(0)

    def _measure_slice(self, slice_ms: float | None = None) -> bool:
        """Measure pages for one slice of time (at least one page; :data:`MEASURE_SLICE_MS`
        unless given); True when every page is measured. The first slice gives the pages not
        yet measured the size of the last one it measured."""
        document, sizes = self.document, self._sizes
        if document is None:
            return True
        start, end = self._measured, len(sizes)
        budget = MEASURE_SLICE_MS if slice_ms is None else slice_ms
        deadline = time.perf_counter() + budget / 1000
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

    def _image(self, page: int, width: float, dpr: float, *, render: bool = True
               ) -> QImage | None:
        """Page ``page`` at ``width``: from the cache, else rendered (``render=False``: None)."""
        assert self.document is not None
        height = self._page_size(page).height()
        if width * height * dpr * dpr > MAX_PAGE_PIXELS:
            dpr = math.sqrt(MAX_PAGE_PIXELS / (width * height))
        key = (page, round(width * dpr), round(dpr * 100))
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
            return image
        if not render:
            return None
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
            # Render for one slice of time a paint (the first page in sight always); pages
            # left are paper until the next paint, which comes on the next turn of the loop.
            deadline = time.perf_counter() + RENDER_SLICE_MS / 1000
            before, left = self.render_count, False
            for page in self.visible_pages():
                rect = self.page_rect(page)
                if not rect.intersects(QRectF(event.rect())):
                    continue
                allowed = self.render_count == before or time.perf_counter() < deadline
                image = self._image(page, rect.width(), dpr, render=allowed)
                if image is None:
                    left = True
                    painter.fillRect(rect, QColor(Qt.GlobalColor.white))
                else:
                    painter.drawImage(rect, image)
                painter.setPen(shadow)
                painter.drawRect(rect.adjusted(-1, -1, 0, 0))
            if left:
                QTimer.singleShot(0, self.viewport(), self.viewport().update)
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
