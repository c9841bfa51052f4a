"""The main journeys through the real window: drop files, see intake and suggestions, tag,
answer, watch the checklist, reorder, undo and redo, save and reopen, build, cancel, recover,
relink, notice changed files, switch language."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAccessible,
    QDesktopServices,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QWidget,
)

from soknadspakke.core.i18n import T
from soknadspakke.core.project_file import load_project
from soknadspakke.gui import commands
from soknadspakke.gui import settings as keys
from soknadspakke.gui.dialogs import Choice
from soknadspakke.gui.documents import Column, PathRole

from .conftest import EXAMPLE, REPO, checklist_text, drag_events, wait_checked

VEDLEGG = EXAMPLE / "vedlegg"
CORPUS = REPO.parent / "shared" / "corpus" / "py-pdf-sample-files"


def new_project(window, dialogs, tmp_path: Path) -> Path:
    target = tmp_path / "app" / "soknad.soknad"
    dialogs.files.append(target)
    window.new_project()
    assert window.session is not None and window.session.project.path == target
    return target


def drop(window, paths: list[Path], row: int | None = None) -> None:
    """A real drop event on the documents table (between rows, or below the last)."""
    view = window.view
    if row is None:
        y = (view.rowViewportPosition(view.model().rowCount() - 1) + view.rowHeight(0) * 2
             if view.model().rowCount() else 20)
    else:
        y = view.rowViewportPosition(row) + 1
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    pos = QPointF(30, y)
    for event in (*drag_events(pos, args), QDropEvent(pos, *args)):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()


def rows(window) -> list[str]:
    """Document paths as the table shows them (package order)."""
    proxy = window.proxy
    return [proxy.index(r, 0).data(PathRole) for r in range(proxy.rowCount())]


def test_drop_files_take_them_in_with_suggestions_and_accept_them(qtbot, make_window,
                                                                 dialogs, tmp_path) -> None:
    window = make_window()
    new_project(window, dialogs, tmp_path)
    sources = [VEDLEGG / "02-forskningsprotokoll.pdf", VEDLEGG / "05-dpia.pdf",
               VEDLEGG / "03-variabelliste-befolkning.xlsx"]
    outside = tmp_path / "innboks"
    outside.mkdir()
    for s in sources:
        shutil.copy(s, outside / s.name)
    originals = {p.name: p.read_bytes() for p in outside.iterdir()}
    drop(window, sorted(outside.iterdir()))
    session = window.session
    assert session.batches  # being taken in, a row per file in the intake panel
    qtbot.waitUntil(lambda: window.intake_panel.isVisible() or not session.batches)
    qtbot.waitUntil(lambda: len(session.project.documents) == 3, timeout=60000)
    assert not session.batches
    # copied into the project, the originals untouched
    assert sorted(d.path for d in session.project.documents) == sorted(
        f"vedlegg/{s.name}" for s in sources)
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == originals
    # one undo step for the whole drop
    assert [session.undo.text(i) for i in range(session.undo.count())] == ["Add 3 documents"]
    # untyped: the table shows the suggestions, in italics
    wait_checked(qtbot, window)
    model = window.model
    texts = [model.index(r, Column.TYPES).data() for r in range(3)]
    assert all(t.startswith("Suggested:") for t in texts), texts
    assert model.index(0, Column.TYPES).data(Qt.ItemDataRole.FontRole).italic()
    window.accept_all()
    types = {d.path.split("/")[-1]: d.types for d in session.project.documents}
    assert types["02-forskningsprotokoll.pdf"] == ["research_protocol"]
    assert types["05-dpia.pdf"] == ["dpia"]
    assert types["03-variabelliste-befolkning.xlsx"] == ["ssb_variable_list"]
    # the table is in package order now: protocol, variable list, DPIA
    assert [p.split("/")[-1] for p in rows(window)] == [
        "02-forskningsprotokoll.pdf", "03-variabelliste-befolkning.xlsx", "05-dpia.pdf"]
    session.undo.undo()
    assert all(not d.types for d in session.project.documents)
    session.undo.redo()
    assert all(d.types for d in session.project.documents)
    # pages and size come from intake
    assert window.model.index(0, Column.PAGES).data() not in ("…", "")
    assert "documents" in window.totals.text()


def test_a_drop_between_rows_lands_there(qtbot, make_window, dialogs, tmp_path) -> None:
    window = make_window()
    new_project(window, dialogs, tmp_path)
    session = window.session
    drop(window, [VEDLEGG / "09-begrunnelse-postnummer.pdf",
                  VEDLEGG / "07-dispensasjonssoknad-nav.pdf"])
    qtbot.waitUntil(lambda: len(session.project.documents) == 2, timeout=60000)
    drop(window, [VEDLEGG / "06-tilradning-personvernombud.pdf"], row=1)
    qtbot.waitUntil(lambda: len(session.project.documents) == 3, timeout=60000)
    assert [d.file_name for d in session.project.documents] == [
        "09-begrunnelse-postnummer.pdf", "06-tilradning-personvernombud.pdf",
        "07-dispensasjonssoknad-nav.pdf"]


def test_a_file_that_cannot_be_used_is_named_and_not_added(qtbot, make_window, dialogs,
                                                           tmp_path) -> None:
    window = make_window()
    new_project(window, dialogs, tmp_path)
    broken = tmp_path / "ødelagt.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not a pdf at all\n")
    drop(window, [broken])
    qtbot.waitUntil(lambda: bool(dialogs.informed), timeout=60000)
    assert "ødelagt.pdf" in dialogs.informed[0][2]
    assert window.session.project.documents == []


def test_questions_appear_and_the_checklist_follows(qtbot, make_window, example_copy) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    form, session = window.form, window.session
    app_type = form.fields["answers.application_type"].editor
    change_types = form.fields["answers.change_types"]
    assert isinstance(app_type, QComboBox)
    assert change_types.isHidden()
    assert session.report.ready
    app_type.setCurrentIndex(2)  # "change": the list is (not answered, new, change)
    assert session.project.answers["application_type"] == "change"
    assert not change_types.isHidden()
    assert not session.report.ready
    assert "Not ready" in window.checklist.verdict.text()
    assert "Errors" in checklist_text(window)
    session.undo.undo()
    assert session.project.answers["application_type"] == "new"
    assert change_types.isHidden()
    assert session.report.ready


def test_activating_a_checklist_item_selects_its_document_or_focuses_its_question(
        qtbot, make_window, example_copy) -> None:
    window = make_window()
    window.open_project(example_copy)
    wait_checked(qtbot, window)
    checklist = window.checklist
    model = checklist.model
    from soknadspakke.gui.checklist import FieldRole, FilesRole

    warnings = model.index(0, 0)
    assert "Warnings" in warnings.data()
    item = model.index(0, 0, warnings)  # the scanned decision letter has no text
    files = item.data(FilesRole)
    assert files == ["vedlegg/08-vedtak-dispensasjon-nav.jpg"]
    checklist.tree.activated.emit(item)
    assert window.selected_rows() == [window.session.row_of(files[0])]
    # a missing answer focuses its question
    window.session.push(commands.SetAnswer(
        window.session.project, window.session.focus, "application_type", None, T("x")))
    found = None
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, 0, group)
            if index.data(FieldRole) == "answers.application_type":
                found = index
    assert found is not None
    window.activateWindow()
    checklist.tree.activated.emit(found)
    editor = window.form.fields["answers.application_type"].editor
    qtbot.waitUntil(editor.hasFocus, timeout=2000)


def test_reorder_by_keyboard_and_by_drag_within_a_type(qtbot, make_window, dialogs,
                                                       tmp_path) -> None:
    window = make_window()
    new_project(window, dialogs, tmp_path)
    session = window.session
    names = ["02-forskningsprotokoll.pdf", "04-variabeloversikt-nav.pdf",
             "03-variabelliste-befolkning.xlsx"]
    drop(window, [VEDLEGG / n for n in names])
    qtbot.waitUntil(lambda: len(session.project.documents) == 3, timeout=60000)
    for doc_row in range(3):  # all three as "other attachments": one group
        window.model.setData(window.model.index(doc_row, Column.TYPES), "other")
    assert [p.split("/")[-1] for p in rows(window)] == names
    window.select_documents([session.project.documents[0].path])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [p.split("/")[-1] for p in rows(window)] == [names[1], names[0], names[2]]
    assert window.selected_rows() == [1]  # the moved document stays selected
    session.undo.undo()
    assert [p.split("/")[-1] for p in rows(window)] == names
    # a drag of the last row to the top (the model's drop, as the view calls it)
    model = window.proxy
    mime = model.mimeData([model.index(2, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1))
    assert [p.split("/")[-1] for p in rows(window)] == [names[2], names[0], names[1]]
    # a move across type groups is refused with a message
    window.model.setData(window.model.index(session.row_of(rows(window)[0]), Column.TYPES),
                         "research_protocol")
    window.select_documents([rows(window)[1]])
    window.move_selected(-1)
    assert "order of types" in window.statusBar().currentMessage()


def test_remove_asks_nothing_and_undo_brings_it_back(qtbot, make_window, example_copy,
                                                     dialogs) -> None:
    window = make_window()
    window.open_project(example_copy)
    session = window.session
    before = [d.path for d in session.project.documents]
    window.select_documents([before[3]])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert before[3] not in [d.path for d in session.project.documents]
    assert dialogs.asked == []
    assert session.undo.undoText().startswith("Remove")
    session.undo.undo()
    assert [d.path for d in session.project.documents] == before
    assert window.selected_rows() == [3]


def test_typing_in_a_field_is_one_undo_step(qtbot, make_window, example_copy) -> None:
    window = make_window()
    window.open_project(example_copy)
    session = window.session
    title = window.form.fields["project.title"].editor
    assert isinstance(title, QLineEdit)
    title.setFocus()
    title.selectAll()
    QTest.keyClicks(title, "Ny tittel")
    assert session.project.info.title == "Ny tittel"
    assert session.undo.count() == 1
    session.undo.undo()
    assert session.project.info.title.startswith("Utdanningsløp")
    assert title.text() == session.project.info.title


def test_save_close_and_reopen(qtbot, make_window, example_copy, dialogs) -> None:
    window = make_window()
    window.open_project(example_copy)
    session = window.session
    session.push(commands.SetInfo(
        session.project, session.focus, "ssb_reference", "SSB-2026-17",
        T("x")))
    assert window.isWindowModified()
    assert window.save()
    assert not window.isWindowModified()
    assert load_project(example_copy).info.ssb_reference == "SSB-2026-17"
    window.close()
    again = make_window()
    assert str(example_copy.resolve()) in [str(p) for p in again.settings.recent_projects()]
    again.open_project(example_copy)
    assert again.form.fields["project.ssb_reference"].editor.text() == "SSB-2026-17"


def test_closing_with_unsaved_changes_asks(qtbot, make_window, example_copy, dialogs) -> None:
    window = make_window()
    window.open_project(example_copy)
    window.remove_selected()
    window.select_documents([window.session.project.documents[0].path])
    window.remove_selected()
    dialogs.answers.append(Choice.CANCEL)
    assert not window.close()
    dialogs.answers.append(Choice.DISCARD)
    assert window.close()
    assert len(load_project(example_copy).documents) == 9


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What the window asks the desktop to open (no viewer starts in a test)."""
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return opened


def test_build_open_and_preview_the_package(qtbot, make_window, example_copy, dialogs,
                                            opened_urls) -> None:
    opened = opened_urls
    window = make_window()
    window.open_project(example_copy)
    wait_checked(qtbot, window)
    out = example_copy.parent / "pakke.pdf"
    dialogs.answers.append(Choice.OPEN)
    process = window.start_build(draft=False, out=out)
    assert process is not None
    with qtbot.waitSignal(process.done, timeout=120000):
        pass
    assert out.is_file()
    assert len(PdfReader(out).pages) == 19  # cover, requirements, contents and 16 pages
    assert [u.toLocalFile() for u in opened] == [str(out)]
    assert window._actions["open_package"].isEnabled()
    qtbot.waitUntil(lambda: window.preview.current_file == out, timeout=10000)
    window.show_package_in_folder()
    assert opened[-1].toLocalFile() == str(out.parent)


def test_cancelling_a_build_leaves_no_file(qtbot, make_window, example_copy, tmp_path) -> None:
    window = make_window()
    window.open_project(example_copy)
    out = tmp_path / "avbrutt.pdf"
    process = window.start_build(draft=True, out=out)
    assert process is not None
    window.cancel_build()
    with qtbot.waitSignals([process.process.finished], timeout=60000):
        pass
    assert not out.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".avbrutt")] == []
    assert window._actions["build"].isEnabled()


def test_a_build_that_is_not_ready_offers_a_draft(qtbot, make_window, example_copy, dialogs,
                                                  tmp_path) -> None:
    window = make_window()
    window.open_project(example_copy)
    window.session.push(commands.SetAnswer(
        window.session.project, window.session.focus, "application_type", "change",
        T("x")))
    dialogs.answers.append(Choice.CANCEL)
    assert window.start_build(draft=False, out=tmp_path / "x.pdf") is None
    assert "not ready" in dialogs.asked[-1][1]
    dialogs.answers += [Choice.YES, Choice.CLOSE]
    process = window.start_build(draft=False, out=tmp_path / "x.pdf")
    assert process is not None and process.request.draft
    with qtbot.waitSignal(process.done, timeout=120000):
        pass
    assert "UTKAST" in PdfReader(tmp_path / "x.pdf").pages[1].extract_text()


def test_unsaved_work_is_restored_after_a_crash(qtbot, make_window, example_copy,
                                                dialogs) -> None:
    window = make_window()
    window.open_project(example_copy)
    session = window.session
    session.push(commands.SetInfo(
        session.project, session.focus, "title", "Ulagret tittel",
        T("x")))
    qtbot.waitUntil(lambda: window.recovery.for_project(example_copy) is not None,
                    timeout=5000)
    recovery_file = window.recovery.file_for(example_copy)
    assert not str(recovery_file).startswith(str(example_copy.parent))
    # a crash: the window is gone without saving or cleaning up
    window._closing = True
    window.hide()
    assert load_project(example_copy).info.title != "Ulagret tittel"
    second = make_window()
    dialogs.answers.append(Choice.YES)
    second.offer_recovery()
    assert second.session is not None
    assert second.session.project.info.title == "Ulagret tittel"
    assert second.isWindowModified()
    assert second.save()
    assert load_project(example_copy).info.title == "Ulagret tittel"
    assert second.recovery.for_project(example_copy) is None


def test_relink_moved_files_from_one_folder(qtbot, make_window, example_copy, dialogs,
                                            tmp_path) -> None:
    folder = example_copy.parent
    (folder / "vedlegg").rename(folder / "flyttet")
    window = make_window()
    dialogs.answers.append(Choice.YES)
    dialogs.files.append(folder / "flyttet")
    window.open_project(example_copy)
    session = window.session
    assert all(d.path.startswith("flyttet/") for d in session.project.documents)
    assert "Found 9 of 9" in dialogs.informed[-1][1]
    session.undo.undo()
    assert all(d.path.startswith("vedlegg/") for d in session.project.documents)


def test_a_changed_file_is_noticed_and_can_be_accepted(qtbot, make_window, example_copy) -> None:
    window = make_window()
    window.open_project(example_copy)
    wait_checked(qtbot, window)
    session = window.session
    doc = session.project.documents[8]
    path = session.project.resolve(doc)
    # an atomic replacement, as editors save
    replacement = path.with_name(".tmp-" + path.name)
    shutil.copyfile(VEDLEGG / "06-tilradning-personvernombud.pdf", replacement)
    replacement.replace(path)
    qtbot.waitUntil(lambda: any(f.code == "document_changed" for f in session.report.findings),
                    timeout=20000)
    assert not session.report.ready
    window.select_documents([doc.path])
    window.accept_changed_files()
    wait_checked(qtbot, window)
    qtbot.waitUntil(lambda: not any(f.code == "document_changed"
                                    for f in session.report.findings), timeout=20000)
    # and a second change is noticed too (the watcher follows the replaced file)
    with path.open("ab") as handle:
        handle.write(b"\n% appended\n")
    qtbot.waitUntil(lambda: any(f.code == "document_changed" for f in session.report.findings),
                    timeout=20000)


def test_switching_language_changes_every_text_without_restart(qtbot, make_window,
                                                               example_copy) -> None:
    window = make_window("nb")
    window.open_project(example_copy)
    assert window.file_menu.title() == "&Fil"
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Tittel"
    assert window.form.fields["answers.application_type"].label.text().startswith("Er dette")
    window.set_language("en")
    assert window.file_menu.title() == "&File"
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Title"
    assert window.form.fields["answers.application_type"].label.text().startswith("Is this")
    assert window.settings.get(keys.LANGUAGE) == "en"
    window.set_language("nb")
    # Qt's own strings in bokmål: undo labels and standard buttons
    window.remove_selected()
    window.select_documents([window.session.project.documents[0].path])
    window.remove_selected()
    assert window.undo_action.text().startswith("Angre")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Avbryt"
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "Lagre"
    # … and Qt's strings that have no bokmål here stay as Qt has them (not emptied)
    assert QKeySequence("F2").toString(QKeySequence.SequenceFormat.NativeText) == "F2"
    assert QCoreApplication.translate("QShortcut", "F%1") == "F%1"


@pytest.mark.corpus
def test_encrypted_pdfs_ask_for_their_password_once(qtbot, make_window, dialogs,
                                                    tmp_path) -> None:
    source = CORPUS / "005-libreoffice-writer-password"
    if not source.is_dir():
        pytest.skip(f"the real-world PDF corpus is not at {CORPUS}")
    window = make_window()
    new_project(window, dialogs, tmp_path)
    pdf = next(source.glob("*.pdf"))
    dialogs.passwords_given = {f"vedlegg/{pdf.name}": "openpassword"}
    drop(window, [pdf])
    session = window.session
    qtbot.waitUntil(lambda: len(session.project.documents) == 1, timeout=60000)
    assert [a for a in dialogs.asked if a[0] == "passwords"] == [
        ("passwords", f"vedlegg/{pdf.name}")]
    qtbot.waitUntil(lambda: (r := session.results.get(f"vedlegg/{pdf.name}")) is not None
                    and not r.needs_password, timeout=30000)
    # the password is never written anywhere
    window.save()
    assert "openpassword" not in (tmp_path / "app" / "soknad.soknad").read_text()


def encrypted_pdf(path: Path, password: str) -> Path:
    """A one-page PDF that opens only with ``password``."""
    from pypdf import PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    plain = path.with_suffix(".plain")
    canvas = Canvas(str(plain))
    canvas.drawString(72, 720, f"Fortrolig vedlegg {path.stem}")
    canvas.save()
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(password, algorithm="AES-128")
    writer.write(path)
    plain.unlink()
    return path


def test_encrypted_pdfs_of_an_opened_project_ask_in_one_dialog(qtbot, make_window, dialogs,
                                                               tmp_path) -> None:
    """Passwords are never saved, so opening a project with encrypted documents asks for all
    of them up front, in one dialog; a cancelled dialog is not shown again by itself, a wrong
    password is asked for again."""
    window = make_window()
    project = new_project(window, dialogs, tmp_path)
    sources = [encrypted_pdf(tmp_path / f"hemmelig-{n}.pdf", f"passord{n}") for n in (1, 2)]
    drop(window, sources)
    session = window.session
    qtbot.waitUntil(lambda: len(session.project.documents) == 2, timeout=60000)
    paths = "vedlegg/hemmelig-1.pdf, vedlegg/hemmelig-2.pdf"
    assert [a for a in dialogs.asked if a[0] == "passwords"] == [("passwords", paths)]
    window.save()
    window.force_close()

    dialogs.asked.clear()
    dialogs.passwords_given = {}  # the user cancels
    again = make_window()
    assert again.open_project(project)
    session = again.session
    qtbot.waitUntil(lambda: [a for a in dialogs.asked if a[0] == "passwords"] != [],
                    timeout=30000)
    assert [a for a in dialogs.asked if a[0] == "passwords"] == [("passwords", paths)]
    session.start_file_check()  # checks again: the cancelled dialog is not shown again
    qtbot.waitUntil(lambda: not session.checking, timeout=30000)
    qtbot.wait(50)
    assert len([a for a in dialogs.asked if a[0] == "passwords"]) == 1

    answers = [{"vedlegg/hemmelig-1.pdf": "passord1", "vedlegg/hemmelig-2.pdf": "feil"}]
    asked: list[list[str]] = []

    def passwords(files: list[str]) -> dict[str, str]:
        asked.append(list(files))
        return answers.pop(0) if answers else {}  # then the user cancels

    dialogs.passwords = passwords
    again.documents.ask_passwords()  # File ▸ Passwords…
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=30000)
    # the wrong one is asked for again, alone; the right one is taken
    assert asked == [["vedlegg/hemmelig-1.pdf", "vedlegg/hemmelig-2.pdf"],
                     ["vedlegg/hemmelig-2.pdf"]]
    qtbot.waitUntil(lambda: not session.checking, timeout=30000)
    assert session.needs_password() == ["vedlegg/hemmelig-2.pdf"]
    assert not session.results["vedlegg/hemmelig-1.pdf"].needs_password


def test_the_password_dialog_asks_for_every_file_at_once(qtbot) -> None:
    """The real dialog: one field a file (hidden text, named for the file); what is typed
    comes back by file, empty fields are left out, Cancel gives nothing."""
    from soknadspakke.gui.dialogs import Dialogs, PasswordDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    files = ["vedlegg/a.pdf", "vedlegg/b.pdf", "vedlegg/c.pdf"]

    def answer(cancel: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PasswordDialog)
        assert list(dialog.fields) == files
        assert all(f.echoMode() == QLineEdit.EchoMode.Password for f in dialog.fields.values())
        assert "vedlegg/b.pdf" in dialog.fields["vedlegg/b.pdf"].accessibleName()
        QTest.keyClicks(dialog.fields["vedlegg/a.pdf"], "første")
        QTest.keyClicks(dialog.fields["vedlegg/c.pdf"], "tredje")
        if cancel:
            dialog.reject()
        else:
            QTest.keyClick(dialog.fields["vedlegg/c.pdf"], Qt.Key.Key_Return)

    QTimer.singleShot(0, lambda: answer(cancel=False))
    assert Dialogs(parent).passwords(files) == {"vedlegg/a.pdf": "første",
                                                "vedlegg/c.pdf": "tredje"}
    QTimer.singleShot(0, lambda: answer(cancel=True))
    assert Dialogs(parent).passwords(files) == {}


def unnamed_widgets(top: QWidget) -> list[str]:
    """The focusable widgets shown in ``top`` that have no accessible name."""
    unnamed = []
    for widget in top.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(top):
            continue
        if isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the line edit inside a combo box or date edit speaks as its parent
        iface = QAccessible.queryAccessibleInterface(widget)
        name = iface.text(QAccessible.Text.Name) if iface is not None else ""
        if not name.strip():
            unnamed.append(f"{widget.metaObject().className()} {widget.objectName()}")
    return unnamed


@pytest.mark.parametrize("which", ["ny-soknad", "endringssoknad"])
def test_every_focusable_widget_has_an_accessible_name(qtbot, make_window, tmp_path,
                                                       which: str) -> None:
    """In both languages, on the start page, and with a new application and a change
    application (its privacy-risk panel and change questions) open."""
    shutil.copytree(EXAMPLE.parent / which, tmp_path / which)
    window = make_window()
    assert unnamed_widgets(window) == []  # the start page
    window.open_project(tmp_path / which / f"{which}.soknad")
    window.show_history()
    qtbot.waitUntil(lambda: window._preview is not None, timeout=5000)
    if which == "endringssoknad":
        from soknadspakke.gui.risk_panel import RiskPanel

        panels = window.findChildren(RiskPanel)
        assert panels and all(p.isVisibleTo(window) for p in panels)
    for language in ("en", "nb"):
        window.set_language(language)
        assert unnamed_widgets(window) == [], language


def test_the_window_starts_by_itself_and_quits(tmp_path, example_copy) -> None:
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_STATE_HOME=str(tmp_path / "state"))
    done = subprocess.run([sys.executable, "-m", "soknadspakke", str(example_copy),
                           "--quit-after-start"], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(example_copy.read_text())["format"]


def test_the_window_starts_without_the_pdf_libraries() -> None:
    """pypdf and reportlab (0.2 s of imports) load when a package or an e-mail is made, not
    when the window starts."""
    code = ("import sys, soknadspakke.gui.main_window, soknadspakke.gui.app, "
            "soknadspakke.gui.preview\n"
            "print(sorted(m for m in ('pypdf', 'reportlab') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO / "desktop")})
    assert out.stdout.strip() == "[]"


def test_risk_panel_raises_never_lowers_and_wraps_its_question(qtbot, make_window,
                                                               tmp_path: Path) -> None:
    from soknadspakke.core.i18n import Plain
    from soknadspakke.gui import commands
    from soknadspakke.gui.risk_panel import RiskPanel

    shutil.copytree(REPO / "resources" / "examples" / "endringssoknad", tmp_path / "e")
    window = make_window("en")
    assert window.open_project(tmp_path / "e" / "endringssoknad.soknad")
    session = window.session
    panel = window.form.findChild(RiskPanel)
    assert panel is not None and panel.isVisibleTo(window.form)
    assert panel.minimumSizeHint().width() < 400  # the long question wraps
    # "new_variables" makes it not low: raised by the answers, the box is locked on
    assert panel.check.isChecked() and not panel.check.isEnabled()
    QTest.mouseClick(panel.check_label, Qt.MouseButton.LeftButton)
    assert panel.check.isChecked()
    session.push(commands.SetAnswer(session.project, session.focus, "change_types",
                                    ["new_project_member"], Plain("change")))
    assert panel.check.isEnabled() and not panel.check.isChecked()
    QTest.mouseClick(panel.check_label, Qt.MouseButton.LeftButton)  # the user raises it
    assert session.project.answers["risk_override"] is True
    assert session.report.evaluation.facts["risk_class"] == "not_low"
    session.undo.undo()
    assert session.project.answers["risk_override"] is False and not panel.check.isChecked()
