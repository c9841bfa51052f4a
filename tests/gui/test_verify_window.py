"""Marking a finding from the documents as checked in the real window: the planted finding shows
in the checklist, "Mark as checked" (its action, as the context menu, button and shortcut run
it) sets the project's mark through one undo step, undo removes it, and the saved project file
keeps it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.gui.checklist import FindingIdRole, VerifiedRole
from tests.rules.textdocs import application

from .conftest import wait_checked


def planted(folder: Path) -> Path:
    """An application whose protocol names another project leader on its page 2."""
    project = application(folder, [
        ("skjema.pdf", ["application_form_new"], ["Søknadsskjema\nProsjektleder: Kari Nordmann\n"]),
        ("protokoll.pdf", ["research_protocol"], ["Protokoll\n", "Prosjektleder: Per Olsen\n"]),
        ("variabler.pdf", ["ssb_variable_list"], ["Variabelliste\n"]),
        ("dpia.pdf", ["dpia"], ["DPIA\nDato: 01.03.2020\n"])])
    return save_project(project)


def finding_row(window, code: str):
    model = window.checklist.model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, 0, group)
            if str(index.data(FindingIdRole) or "").startswith(code + ":"):
                return index
    return None


def test_mark_a_finding_as_checked_undo_and_save(qtbot, make_window, tmp_path: Path) -> None:
    path = planted(tmp_path / "app")
    window = make_window()
    assert window.open_project(path)
    wait_checked(qtbot, window)
    session, checklist = window.session, window.checklist
    qtbot.waitUntil(lambda: finding_row(window, "other_project_leader") is not None,
                    timeout=10000)
    index = finding_row(window, "other_project_leader")
    finding_id = index.data(FindingIdRole)
    assert "Per Olsen" in index.data() and index.data(VerifiedRole) is False
    finding = next(f for f in session.report.findings if f.id == finding_id)
    assert finding.files == ("vedlegg/protokoll.pdf",) and finding.page == 2

    # Nothing to mark while no finding from the documents is current.
    checklist.tree.setCurrentIndex(checklist.model.index(0, 0))
    assert not checklist.verify_action.isEnabled()
    assert checklist.select_finding(finding_id)
    assert checklist.verify_action.isEnabled() and not checklist.verify_action.isChecked()
    assert checklist.verify_button.text() == "Mark as checked"

    checklist.verify_action.trigger()
    assert session.project.verified_findings() == {finding_id}
    assert session.undo.count() == 1 and session.undo.undoText() == "Mark as checked"
    index = finding_row(window, "other_project_leader")
    assert index.data(VerifiedRole) is True
    assert index.data().startswith("✓ Checked by you: ")
    assert checklist.current_finding_id() == finding_id  # still current after the redraw
    assert checklist.verify_action.isChecked()
    assert checklist.verify_button.text() == "Remove the “checked” mark"
    assert window.isWindowModified()

    session.undo.undo()
    assert session.project.verified_findings() == set()
    assert finding_row(window, "other_project_leader").data(VerifiedRole) is False
    session.undo.redo()
    assert session.project.verified_findings() == {finding_id}

    # Saved, the mark is in the file; the reopened window shows the finding as checked.
    assert window.save()
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["verified_findings"] == [{"id": finding_id, "code": "other_project_leader",
                                         "file": "vedlegg/protokoll.pdf"}]
    assert load_project(path).verified_findings() == {finding_id}
    window.close()
    again = make_window()
    assert again.open_project(path)
    wait_checked(qtbot, again)
    qtbot.waitUntil(lambda: finding_row(again, "other_project_leader") is not None,
                    timeout=10000)
    assert finding_row(again, "other_project_leader").data(VerifiedRole) is True

    # The button and the shortcut remove the mark (each one undo step).
    checklist = again.checklist
    assert checklist.select_finding(finding_id)
    checklist.verify_button.click()
    assert again.session.project.verified_findings() == set()
    checklist.tree.setFocus()
    assert checklist.select_finding(finding_id)
    QTest.keyClick(checklist.tree, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert again.session.project.verified_findings() == {finding_id}
    assert again.session.undo.count() == 2
