"""The documents in the package's order: :class:`PackageOrderProxy` shows the rows of
:class:`~.documents.DocumentsModel` as the package will have them: by the guidance's order of
document types, then the user's order (``build.package_order``), and numbers them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)

from .documents import DocumentsModel

_Index = QModelIndex | QPersistentModelIndex


class PackageOrderProxy(QSortFilterProxyModel):
    """The documents in the package's order, numbered as in the package's index."""

    def __init__(self, source: DocumentsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        # The key holds the user's order (the source row), which every insertion, removal and
        # move changes; Qt's incremental re-sorting does not expect that, so sort afresh after
        # each change instead (a few hundred rows at most).
        # Sorting is coalesced: many changes in one go (a drop of 200 files) sort once, when
        # the command is done (flush) or the event loop comes round.
        self.setDynamicSortFilter(False)
        self._keys: dict[int, tuple[tuple[int, int], int]] = {}
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.flush)
        self.flush()
        for signal in (source.rowsInserted, source.rowsRemoved, source.rowsMoved,
                       source.dataChanged, source.modelReset):
            signal.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        self._pending.start()

    def flush(self, *_args: object) -> None:
        """Sort now if the package's order is not the order shown."""
        self._pending.stop()
        model = self.sourceModel()
        assert isinstance(model, DocumentsModel)
        keys = {row: self._key(row) for row in range(model.rowCount())}
        wanted = sorted(keys, key=keys.__getitem__)
        shown = [self.mapToSource(self.index(row, 0)).row() for row in range(self.rowCount())]
        if shown == wanted:
            return  # in order already (an answer changed, a status): no re-layout, no repaint
        self._keys = keys
        self.sort(0)
        self._keys = {}

    def _key(self, row: int) -> tuple[tuple[int, int], int]:
        model = self.sourceModel()
        assert isinstance(model, DocumentsModel)
        pack = model.session.pack
        doc = model.documents[row]
        orders = [pack.type_order(t) for t in pack.known_types(doc.types)]
        return (min(orders) if orders else pack.type_order(""), row)

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802
        keys = self._keys
        a, b = left.row(), right.row()
        return (keys[a] if a in keys else self._key(a)) < (keys[b] if b in keys
                                                            else self._key(b))

    def group_of(self, proxy_row: int) -> tuple[int, int]:
        return self._key(self.mapToSource(self.index(proxy_row, 0)).row())[0]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Rows are numbered as in the package's index (the vertical header)."""
        if orientation == Qt.Orientation.Vertical:
            # The row number, and the header's defaults for the rest: the source has nothing
            # else to say, and the header asks four roles of every row when rows arrive.
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return str(section + 1)
            return None
        return super().headerData(section, orientation, role)
