"""Selection, focus and the status line of the main window: which documents are selected (and
what the preview shows for them), selecting documents and focusing a field when the checklist
or an undo step points at them, the verdict and totals, and the notice about office files.

A small :class:`QObject` the window owns (composition; its slots run on the GUI thread). The
window keeps ``selected_rows`` and ``select_documents`` as its own names (tests and
:mod:`.admin` use them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import Msg, _, current_language

from . import settings as keys
from .documents import format_size

if TYPE_CHECKING:
    from .main_window import MainWindow


class SelectionAndStatus(QObject):
    """The selected documents, what follows them, and the status line."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        status = window.statusBar()
        self.verdict_label = QLabel(status)
        status.addWidget(self.verdict_label, 1)
        self.office_notice: Msg | None = None

    # -- selection ------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """Selected documents as rows of the project (the model's own order)."""
        window = self.window
        if window.proxy is None:
            return []
        # From the selection's ranges: selectedRows() asks the model about every cell.
        proxy, selection = window.proxy, window.view.selectionModel().selection()
        parts = (selection.at(i) for i in range(selection.count()))
        rows = {proxy.mapToSource(proxy.index(row, 0)).row()
                for part in parts for row in range(part.top(), part.bottom() + 1)}
        return sorted(rows)

    def select_documents(self, paths: list[str], *, focus: bool = True) -> None:
        window = self.window
        if window.session is None or window.proxy is None or window.model is None:
            return
        proxy, model = window.proxy, window.model
        rows_of = {d.path: row for row, d in enumerate(window.session.project.documents)}
        shown = [proxy.mapFromSource(model.index(rows_of[p], 0)).row()
                 for p in paths if p in rows_of]
        first = proxy.index(shown[0], 0) if shown else None
        selection = QItemSelection()
        for top, bottom in _runs(sorted(shown)):  # a range a run of rows, not one a row
            selection.select(proxy.index(top, 0), proxy.index(bottom, 0))
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        view = window.view
        view.selectionModel().select(selection, flags)
        if first is not None:
            view.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.NoUpdate)
            view.scrollTo(first)
            if focus:
                view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_field(self, key: str) -> None:
        window = self.window
        if window.form is None:
            return
        window.project_dock.show()
        window.project_dock.raise_()
        window.form.focus_field(key)

    def focus_after_command(self, paths: list[str], field: str | None) -> None:
        """Undo or redo of a step: back to the field or the documents it changed."""
        form = self.window.form
        if field is not None:
            focused = QApplication.focusWidget()
            if form is not None and (focused is None or not form.isAncestorOf(focused)):
                self.focus_field(field)
        elif paths:
            # An edit in the document's details keeps the focus there (the details follow).
            details = self.window.details
            focused = QApplication.focusWidget()
            in_details = details is not None and focused is not None \
                and details.isAncestorOf(focused)
            self.select_documents(paths, focus=not in_details)

    def selection_changed(self, *_args: object) -> None:
        rows = self.selected_rows()
        self.window.update_actions(rows)
        if self.window.details is not None:
            self.window.details.show_row(rows[0] if len(rows) == 1 else None)
        self.preview_selected(rows)

    def preview_selected(self, rows: list[int] | None = None) -> None:
        window = self.window
        preview, session = window._preview, window.session
        if preview is None or session is None:
            return
        rows = self.selected_rows() if rows is None else rows
        if len(rows) != 1:
            return
        doc = session.project.documents[rows[0]]
        result = session.result_for(doc)
        if result is None or result.pdf_path is None or (result.needs_password and \
                doc.path not in session.passwords):
            return
        preview.show_document(result.pdf_path, title=doc.display_title,
                              has_forms=result.has_forms,
                              password=session.passwords.get(doc.path))

    # -- status ---------------------------------------------------------------------------
    def update_status(self) -> None:
        window = self.window
        if window.session is None:
            self.verdict_label.setText("")
            window.totals.setText("")
            return
        session = window.session
        report = session.report
        counts = report.counts()
        if report.ready:
            self.verdict_label.setText(_("Ready to send · warnings: {warnings}").format(
                warnings=counts[Severity.WARNING]))
        else:
            self.verdict_label.setText(_("Not ready · errors: {errors}, warnings: {warnings}"
                                         ).format(errors=counts[Severity.ERROR],
                                                  warnings=counts[Severity.WARNING]))
        docs = session.project.documents
        pages = sum(r.pages for d in docs if (r := session.result_for(d)) is not None)
        size = sum(r.size for d in docs if (r := session.result_for(d)) is not None)
        check = session.pack.checks.get("package_size")
        over = False
        if check is not None:
            limit = float(check.parameters.get("max_mb", 20))
            over = size > limit * 1024 * 1024  # as the pack's check counts a megabyte
            text = (_("{documents} documents · {pages} pages · {size}: over the limit of "
                      "{limit} MB") if over
                    else _("{documents} documents · {pages} pages · {size} of at most "
                           "{limit} MB"))
            window.totals.setText(text.format(documents=len(docs), pages=pages,
                                              size=format_size(size), limit=f"{limit:g}"))
        else:
            window.totals.setText(_("{documents} documents · {pages} pages · {size}").format(
                documents=len(docs), pages=pages, size=format_size(size)))
        font = window.totals.font()
        if font.bold() != over:  # over the limit: in bold, beside the words that say so
            font.setBold(over)
            window.totals.setFont(font)

    def show_office_notice(self) -> None:
        """Say once that office files cannot be converted here (when that is so)."""
        from soknadspakke.intake.convert import office_conversion_notice

        window = self.window
        notice = office_conversion_notice()
        self.office_notice = notice
        if notice is not None and not window.settings.get(keys.OFFICE_NOTICE_SHOWN):
            window.notice.label.setText(notice.render(current_language()))
            window.notice.show()

    def retranslate(self) -> None:
        if self.office_notice is not None:
            self.window.notice.label.setText(self.office_notice.render(current_language()))


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as runs of consecutive rows: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(row, runs[-1][1]))
        else:
            runs.append((row, row))
    return runs
