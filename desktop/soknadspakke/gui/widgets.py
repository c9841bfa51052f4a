"""Small widgets of the main window: the documents table, the intake panel, a notice bar, a
label that elides its text."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.i18n import _, current_language

from .documents import Column
from .session import Session


class DocumentsView(QTableView):
    """The documents in package order; files are dropped between rows, rows dragged to move."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDragDropOverwriteMode(False)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAcceptDrops(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight
                                                  | Qt.AlignmentFlag.AlignVCenter)
        self.placeholder = ""

    def configure_columns(self) -> None:
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        self.setColumnWidth(Column.TYPES, metrics.horizontalAdvance("M" * 18))
        self.setColumnWidth(Column.PAGES, metrics.horizontalAdvance("M" * 4))
        self.setColumnWidth(Column.SIZE, metrics.horizontalAdvance("M" * 6))
        self.setColumnWidth(Column.STATUS, metrics.horizontalAdvance("M" * 7))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self.placeholder)
            painter.end()


#: Rows the intake panel adds to its list at most per refresh.
ROWS_PER_REFRESH = 50


def set_progress(bar: QProgressBar, value: int) -> None:
    """``bar.setValue(value)`` without its synchronous repaint: QProgressBar repaints itself
    at once when its value changes, which paints every pending region of the window in the
    same call (the whole documents page when the intake panel has just appeared: ~30 ms)."""
    if bar.value() == value:
        return
    bar.setUpdatesEnabled(False)
    bar.setValue(value)
    bar.setUpdatesEnabled(True)  # schedules an ordinary update


class IntakePanel(QWidget):
    """A row per file being taken in, with its progress, and the progress of all of them;
    hidden when nothing is being taken in. Redrawn at most every 100 ms."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.heading = QLabel(self)
        top.addWidget(self.heading)
        self.overall = QProgressBar(self)
        self.overall.setTextVisible(False)
        top.addWidget(self.overall, 1)
        self.cancel = QPushButton(self)
        self.cancel.clicked.connect(self.cancel_requested)
        top.addWidget(self.cancel)
        layout.addLayout(top)
        self.list = QTreeWidget(self)
        self.list.setColumnCount(2)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setMaximumHeight(self.fontMetrics().height() * 7)
        layout.addWidget(self.list)
        self.session: Session | None = None
        self._shown: list[tuple[str, str, str] | None] = []  # what each row shows now
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.refresh)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.cancel.setText(_("Stop"))
        self.cancel.setAccessibleName(_("Stop taking in files"))
        self.list.setAccessibleName(_("Files being taken in"))
        self.overall.setAccessibleName(_("Files being taken in"))
        self.refresh()

    def attach(self, session: Session | None) -> None:
        if self.session is not None:
            self.session.intake_changed.disconnect(self.schedule)
        self.session = session
        if session is not None:
            session.intake_changed.connect(self.schedule)
        self.refresh()

    def schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        items = [item for batch in (self.session.batches if self.session else [])
                 for item in batch.items]
        appearing = bool(items) and self.isHidden()
        self.setVisible(bool(items))
        if not items:
            self.list.clear()
            self._shown.clear()
            return
        done = sum(1 for i in items if i.finished)
        heading = _("Taking in files: {done} of {total} done")
        # A label of fixed size: its changing text then never re-lays out the window around
        # it (Qt passes a size change up only from a widget whose size may change).
        widest = heading.format(done=len(items), total=len(items))
        width = self.heading.fontMetrics().horizontalAdvance(widest) + 8
        if self.heading.minimumWidth() != width:
            self.heading.setFixedWidth(width)
            self.heading.setFixedHeight(self.heading.sizeHint().height())
        self.heading.setText(heading.format(done=done, total=len(items)))
        self.overall.setRange(0, len(items))
        set_progress(self.overall, done)
        lang = current_language()
        # A big drop fills the list a part per refresh (each refresh is 100 ms after a change).
        # The panel's first appearance re-lays out and repaints the documents page: its rows
        # come with the next refresh, not in the same turn of the event loop.
        more = 0 if appearing else len(items) - self.list.topLevelItemCount()
        if appearing:
            self.schedule()
        for _new in range(min(more, ROWS_PER_REFRESH)):
            QTreeWidgetItem(self.list)
            self._shown.append(None)
        if more > ROWS_PER_REFRESH:
            self.schedule()
        while self.list.topLevelItemCount() > len(items):
            self.list.takeTopLevelItem(self.list.topLevelItemCount() - 1)
            self._shown.pop()
        for row, item in enumerate(items[:self.list.topLevelItemCount()]):
            percent = 100 if item.finished else round(100 * item.done / max(item.total, 1))
            line = (item.source.name, f"{percent} %",
                    item.message.render(lang) if item.message else str(item.source))
            entry = self.list.topLevelItem(row)
            if entry is None or self._shown[row] == line:
                continue  # only the rows that changed (200 files: a refresh every 100 ms)
            self._shown[row] = line
            entry.setText(0, line[0])
            entry.setText(1, line[1])
            entry.setToolTip(0, line[2])


class NoticeBar(QWidget):
    """A one-line notice with a close button (e.g. "Office files cannot be converted")."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        layout.addWidget(self.label, 1)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self._close)
        layout.addWidget(self.close_button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setAccessibleName(_("Close the notice"))
        self.close_button.setToolTip(_("Close the notice"))

    def _close(self) -> None:
        self.hide()
        self.closed.emit()


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the dock; the
    whole text is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.full_text) + margins.left() \
            + margins.right()
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().horizontalAdvance("MMM…"), super().minimumSizeHint()
                     .height())

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideMiddle,
                                                   max(0, self.contentsRect().width())))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()
