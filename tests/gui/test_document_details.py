"""The document details dock in the real window: the selected document's title, data owner,
valid until and "revised for this change", each set through one undo step; a date found in
the document is offered with a button and never set without it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.gui.main_window import MainWindow
from tests.rules.textdocs import application

from .conftest import wait_checked

DPO = ["Tilrådning fra personvernombudet\nVår dato: 02.05.2020\n"
       "Prosjektleder: Kari Nordmann\n",
       "Vurdering\nBehandlingen kan gjennomføres.\nProsjektslutt: 30.06.2026\n"
       "Med vennlig hilsen\nPersonvernombudet\n"]


def planted(folder: Path) -> Path:
    """An application whose DPO recommendation says it ends before the project does."""
    project = application(folder, [
        ("skjema.pdf", ["application_form_new"], ["Søknadsskjema\nProsjektleder: Kari Nordmann\n"]),
        ("tilradning.pdf", ["dpo_recommendation"], DPO),
        ("dpia.pdf", ["dpia"], ["DPIA\nDato: 01.03.2020\n"])], other_data_owners=["nav"])
    return save_project(project)


def select(window: MainWindow, name: str) -> int:
    assert window.session is not None
    row = window.session.row_of(f"vedlegg/{name}")
    assert row is not None
    window.select_documents([f"vedlegg/{name}"])
    return row


def test_details_follow_the_selection_and_edit_through_undo(qtbot, make_window,
                                                            tmp_path: Path) -> None:
    path = planted(tmp_path / "app")
    window = make_window("en")
    assert window.open_project(path)
    details, session = window.details, window.session
    assert details is not None and not details.title.isEnabled()  # nothing selected
    row = select(window, "dpia.pdf")
    assert details.row == row and "dpia.pdf" in details.heading.text()
    doc = lambda: session.project.documents[row]  # noqa: E731

    details.updated.click()
    assert doc().updated_for_this_change is True
    index = details.owner.findData("nav")
    assert index > 0  # the pack's data-owner choices
    details.owner.setCurrentIndex(index)
    details.owner.activated.emit(index)
    assert doc().data_owner == "nav"
    details.valid_until.set_value(date(2029, 12, 31))
    assert doc().valid_until == date(2029, 12, 31)
    details.title.setText("Personvernkonsekvensvurdering")
    details.title.editingFinished.emit()
    assert doc().title == "Personvernkonsekvensvurdering"
    assert session.undo.count() == 4
    session.undo.undo()
    assert doc().title is None and details.title.text() == ""
    session.undo.undo()
    assert doc().valid_until is None and details.valid_until.value() is None
    session.undo.undo()
    session.undo.undo()
    assert doc().data_owner is None and doc().updated_for_this_change is False
    assert not details.updated.isChecked() and details.owner.currentIndex() == 0
    session.undo.redo()
    assert doc().updated_for_this_change is True and details.updated.isChecked()
    # two documents selected: nothing to edit
    window.select_documents(["vedlegg/dpia.pdf", "vedlegg/skjema.pdf"])
    assert details.row is None and not details.updated.isEnabled()
    assert window.save()
    saved = load_project(path)
    assert next(d for d in saved.documents if d.path == "vedlegg/dpia.pdf"
                ).updated_for_this_change is True


def test_a_date_found_in_the_document_is_offered_not_set(qtbot, make_window,
                                                        tmp_path: Path) -> None:
    path = planted(tmp_path / "app")
    window = make_window("nb")
    assert window.open_project(path)
    wait_checked(qtbot, window)
    details, session = window.details, window.session
    row = select(window, "tilradning.pdf")
    qtbot.waitUntil(lambda: details.offer_button.isVisibleTo(details), timeout=10000)
    assert "2026-06-30" in details.offer_label.text()
    assert session.project.documents[row].valid_until is None  # not set without asking
    details.offer_button.click()
    assert session.project.documents[row].valid_until == date(2026, 6, 30)
    assert not details.offer_button.isVisibleTo(details)  # taken: nothing more to offer
    session.undo.undo()
    assert session.project.documents[row].valid_until is None
    assert details.offer_button.isVisibleTo(details)
    # a document the checks found no date in offers nothing
    select(window, "skjema.pdf")
    assert not details.offer_button.isVisibleTo(details)
