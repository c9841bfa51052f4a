"""The administrator's commands in the real window (issue 11): the workspace dock, the e-mail
draft, a change application from the open one, what it changes, and the lock that warns a
second person."""

from __future__ import annotations

import email
import hashlib
import json
import os
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QAccessible, QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from soknadspakke.core.i18n import T
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.gui import commands
from soknadspakke.gui import settings as keys
from soknadspakke.gui.dialogs import Choice
from soknadspakke.gui.workspace import ErrorRole, PathRole
from soknadspakke.workspace.change import new_change_application
from soknadspakke.workspace.locate import draft_path, package_path
from soknadspakke.workspace.locks import LOCK_FORMAT, lock_path
from tests.workspace import factory

from .conftest import wait_checked

broken_json, make_document, missing_document = (factory.broken_json, factory.make_document,
                                                factory.missing_document)
newer_format, ready_new, write_application = (factory.newer_format, factory.ready_new,
                                              factory.write_application)

MIX = {"ready-new": (2, ready_new, True), "missing-document": (1, missing_document, False),
       "broken-json": (1, broken_json, None), "newer-format": (1, newer_format, None)}


def write_lock(project: Path, *, host: str, pid: int, heartbeat: datetime | None = None,
               user: str = "kari") -> Path:
    """A lock file as another user's window writes it."""
    now = datetime.now(UTC)
    path = lock_path(project)
    path.write_text(json.dumps({"format": LOCK_FORMAT, "user": user, "host": host, "pid": pid,
                                "opened": (now - timedelta(hours=1)).isoformat(),
                                "heartbeat": (heartbeat or now).isoformat()}),
                    encoding="utf-8")
    return path


def lock_owner(project: Path) -> tuple[str, int] | None:
    path = lock_path(project)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["host"], data["pid"]


def column(window, key: str) -> int:
    from soknadspakke.workspace.status import COLUMNS

    keys_ = [k for k, _t in COLUMNS] + ["error"]
    return keys_.index(key)


# -- workspace ------------------------------------------------------------------------------
def test_the_workspace_dock_lists_every_application_and_opens_one(qtbot, make_window, dialogs,
                                                                  tmp_path) -> None:
    make_workspace = factory.make_workspace
    root = tmp_path / "arbeidsomrade"
    expected = make_workspace(root, MIX)  # type: ignore[arg-type]
    window = make_window()
    dock = window.admin.workspace_dock
    assert not dock.isVisible()
    dialogs.files.append(root)
    window.admin.choose_workspace()
    assert dock.isVisible()
    assert window.settings.get(keys.WORKSPACE) == str(root)
    assert dock.checking  # on a worker: the window is not blocked while it runs
    qtbot.waitUntil(lambda: not dock.checking, timeout=60000)
    model = dock.model
    assert model.rowCount() == len(expected) == 5
    shown = {model.index(r, column(window, "path")).data():
             (model.index(r, column(window, "ready")).data(),
              model.index(r, 0).data(ErrorRole)) for r in range(model.rowCount())}
    for rel, ready in expected.items():
        text, error = shown[rel]
        assert text == {True: "yes", False: "no", None: "cannot be read"}[ready], rel
        assert bool(error) == (ready is None), rel
    broken = next(r for r in range(model.rowCount())
                  if "broken" in model.index(r, 0).data())
    assert model.index(broken, column(window, "error")).data()  # the reason, in its column
    assert model.index(broken, column(window, "errors")).data() == "—"
    assert "Applications: 5 · ready: 2 · not ready: 1 · cannot be read: 2" in \
        dock.state_label.text()

    # double-click opens it in the window, and takes its lock
    target = next(r for r in range(model.rowCount())
                  if model.index(r, 0).data(PathRole).endswith("01-ready-new.soknad"))
    view = dock.view
    rect = view.visualRect(model.index(target, 1))
    # a real double-click: press and release, then the double-click event
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, rect.center())
    first = Path(model.index(target, 0).data(PathRole))
    assert window.session is not None and window.session.project.path == first
    assert lock_owner(first) == (socket.gethostname(), os.getpid())

    # Enter on another row opens that one (through "unsaved changes?") and moves the lock
    window.session.push(commands.SetInfo(window.session.project, window.session.focus,
                                         "title", "Endret", T("Change the title")))
    other = next(r for r in range(model.rowCount())
                 if model.index(r, 0).data(PathRole).endswith("02-ready-new.soknad"))
    view.setCurrentIndex(model.index(other, 0))
    view.setFocus()
    dialogs.answers.append(Choice.DISCARD)
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert dialogs.asked[-1][0] == "Unsaved changes"
    second = Path(model.index(other, 0).data(PathRole))
    assert window.session.project.path == second
    assert lock_owner(first) is None and lock_owner(second) is not None

    # an unreadable one says why and leaves the open application alone
    view.setCurrentIndex(model.index(broken, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert dialogs.errors and dialogs.errors[-1][0] == "Cannot open the application"
    assert window.session.project.path == second

    # the status of the open application follows a refresh (a file made unreadable)
    (second.parent / "vedlegg" / "protokoll.pdf").unlink()
    window.admin.actions["refresh_workspace"].trigger()
    qtbot.waitUntil(lambda: not dock.checking, timeout=60000)
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(PathRole) == str(second))
    assert model.index(row, column(window, "ready")).data() == "no"


def test_the_workspace_is_remembered_and_checked_at_start(qtbot, make_window, tmp_path,
                                                         settings) -> None:
    from soknadspakke.gui.settings import Settings

    root = tmp_path / "ws"
    ready_new(root / "a", 1)
    Settings(settings).set(keys.WORKSPACE, str(root))
    window = make_window()
    dock = window.admin.workspace_dock
    assert dock.isVisible() and dock.root == root
    qtbot.waitUntil(lambda: not dock.checking and dock.model.rowCount() == 1, timeout=60000)


# -- e-mail ---------------------------------------------------------------------------------
@pytest.fixture
def no_desktop(monkeypatch):
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return opened


def test_email_builds_the_package_first_and_writes_a_draft(qtbot, make_window, dialogs,
                                                          tmp_path, no_desktop) -> None:
    project = ready_new(tmp_path / "app", 1)
    window = make_window()
    assert window.open_project(project)
    wait_checked(qtbot, window)
    assert window.session.report.ready
    # no package yet: build it, then the e-mail; the package-ready question is closed
    dialogs.answers += [Choice.YES, Choice.CLOSE, Choice.OPEN_DRAFT]
    window.admin.actions["email"].trigger()
    eml = draft_path(project, "en")
    qtbot.waitUntil(lambda: eml.exists() and window.admin.email_task is None, timeout=120000)
    qtbot.waitUntil(lambda: bool(no_desktop), timeout=5000)
    titles = [t for t, _x in dialogs.asked]
    assert titles == ["No package to send", "The package is ready", "The e-mail draft is ready"]
    assert no_desktop[0].toLocalFile() == str(eml)
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["To"] == window.pack.submission.email
    assert message["X-Unsent"] == "1"
    assert "Prosjekt 01" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Prosjekt 01" in body
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    package = package_path(project, "en")
    pdfs = [data for name, data in attachments.items() if name and name.endswith(".pdf")]
    assert pdfs == [package.read_bytes()]
    sheet = project.parent / "vedlegg" / "variabelliste.xlsx"
    assert sheet.read_bytes() in attachments.values()

    # the package is up to date now: a second e-mail needs no build, and "Show in folder"
    dialogs.asked.clear()
    dialogs.answers += [Choice.SHOW]
    before = eml.stat().st_mtime_ns
    window.admin.write_email()
    qtbot.waitUntil(lambda: window.admin.email_task is None and len(no_desktop) == 2,
                    timeout=60000)
    assert [t for t, _x in dialogs.asked] == ["The e-mail draft is ready"]
    assert no_desktop[1].toLocalFile() == str(eml.parent)
    assert eml.stat().st_mtime_ns >= before


def test_an_application_that_is_not_ready_gets_no_email(qtbot, make_window, dialogs,
                                                       tmp_path) -> None:
    project = missing_document(tmp_path / "app", 1)
    window = make_window()
    assert window.open_project(project)
    wait_checked(qtbot, window)
    dialogs.answers.append(Choice.DISCARD)  # the relink question would come first: none here
    window.admin.write_email()
    qtbot.waitUntil(lambda: window.admin.email_task is None, timeout=60000)
    assert dialogs.informed and dialogs.informed[-1][0] == "No package to send"
    assert not draft_path(project, "en").exists()
    assert window.build_process is None


def test_an_email_over_the_limit_is_not_written_until_the_user_chooses(
        qtbot, make_window, dialogs, tmp_path) -> None:
    from soknadspakke.build import build_package
    from soknadspakke.intake import IntakeCache

    project = ready_new(tmp_path / "app", 1)
    window = make_window()
    build_package(load_project(project), window.pack, package_path(project, "en"), lang="en",
                  cache=IntakeCache(tmp_path / "cache"))
    submission = window.pack.submission
    window.pack = replace(window.pack, submission=replace(submission, max_encoded_mb=0.001))
    assert window.open_project(project)
    wait_checked(qtbot, window)
    # too large: offered compression or a split; compressed still too large: split or cancel
    dialogs.answers += [Choice.COMPRESS, Choice.CANCEL]
    window.admin.write_email()
    qtbot.waitUntil(lambda: len(dialogs.asked) == 2 and window.admin.email_task is None,
                    timeout=60000)
    assert [t for t, _x in dialogs.asked] == ["The e-mail is too large"] * 2
    assert "over the limit of 0.0 MB" in dialogs.asked[0][1]
    assert not list(project.parent.glob("*.eml"))
    assert list(project.parent.glob("*komprimert*")) or list(project.parent.glob("*compressed*"))
    # a split that cannot fit one document says so
    dialogs.answers += [Choice.SPLIT]
    window.admin.write_email()
    qtbot.waitUntil(lambda: window.admin.email_task is None and bool(dialogs.errors),
                    timeout=60000)
    assert dialogs.errors[-1][0] == "The e-mail draft could not be written"
    assert "alone is over the e-mail limit" in dialogs.errors[-1][1]
    assert not list(project.parent.glob("*.eml"))


# -- change applications --------------------------------------------------------------------
def test_new_change_application_from_the_open_one(qtbot, make_window, dialogs,
                                                  tmp_path) -> None:
    earlier = ready_new(tmp_path / "2024-soknad", 1)
    window = make_window()
    assert window.open_project(earlier)
    target = tmp_path / "2026-endring"
    dialogs.files.append(target)
    window.admin.actions["new_change"].trigger()
    made = target / "2026-endring.soknad"
    assert made.is_file()
    session = window.session
    assert session.project.path == made
    assert session.project.answers["application_type"] == "change"
    assert session.project.answers["legal_basis_date"] == "2020-03-01"
    assert session.project.documents == []
    assert lock_owner(made) is not None and lock_owner(earlier) is None
    dock = window.admin.changes_dock
    assert dock.is_change and dock.isVisible()
    assert "Not enclosed again (5)" in dock.texts()
    # from the earlier one again, into the same folder: refused with the core's reason
    assert window.open_project(earlier)
    dialogs.files.append(target)
    window.admin.new_change()
    assert dialogs.errors[-1][0] == "Cannot create the change application"
    assert "exists already" in dialogs.errors[-1][1]


def make_change_application(tmp_path: Path, pack) -> Path:
    earlier = write_application(tmp_path / "earlier", title="Helse og arbeid")
    made = new_change_application(earlier, tmp_path / "change", pack).project
    folder = tmp_path / "change" / "vedlegg"
    folder.mkdir(parents=True)
    # unchanged: the same protocol; replaced: a new DPIA; new: a change form
    same = (earlier.parent / "vedlegg" / "protokoll.pdf").read_bytes()
    (folder / "protokoll.pdf").write_bytes(same)
    dpia = make_document(folder / "dpia-2026.pdf", "DPIA revidert")
    form = make_document(folder / "endringsskjema.pdf", "Endringsskjema")
    from soknadspakke.core.project import Document

    for name, data, types in (("protokoll.pdf", same, ["research_protocol"]),
                              ("dpia-2026.pdf", dpia, ["dpia"]),
                              ("endringsskjema.pdf", form, ["application_form_change"])):
        made.add_document(Document(path=f"vedlegg/{name}", types=types,
                                   sha256=hashlib.sha256(data).hexdigest()))
    made.set_answer("legal_basis_date", "2024-06-01")
    save_project(made)
    assert made.path is not None
    return made.path


def test_what_changed_shows_documents_and_answers_and_follows_edits(qtbot, make_window,
                                                                   tmp_path) -> None:
    window = make_window()
    project = make_change_application(tmp_path, window.pack)
    assert window.open_project(project)
    dock = window.admin.changes_dock
    assert dock.isVisible()
    lines = dock.texts()
    assert "New documents (1)" in lines
    assert "Replaced documents (1)" in lines
    assert "Unchanged documents (1)" in lines
    assert "Not enclosed again (3)" in lines
    assert any(line.startswith("dpia-2026.pdf (replaces vedlegg/dpia.pdf)") for line in lines)
    changed = [line for line in lines if "→" in line]
    assert any("2020-03-01 → 2024-06-01" in line for line in changed), changed
    assert any("New application → Project change" in line for line in changed), changed
    assert not any("— → —" in line for line in changed)  # a list emptied is no change to show
    # an edit in the window shows at once; undo takes it back
    session = window.session
    session.push(commands.SetInfo(session.project, session.focus, "title", "Ny tittel",
                                  T("Change the title")))
    assert any("Helse og arbeid → Ny tittel" in line for line in dock.texts())
    session.undo.undo()
    assert not any("Ny tittel" in line for line in dock.texts())
    # an ordinary application shows the explanation instead
    other = ready_new(tmp_path / "plain", 1)
    assert window.open_project(other)
    assert not dock.is_change and dock.stack.currentWidget() is dock.empty


def test_what_changed_in_bokmal(qtbot, make_window, tmp_path) -> None:
    window = make_window("nb")
    project = make_change_application(tmp_path, window.pack)
    assert window.open_project(project)
    dock = window.admin.changes_dock
    assert dock.windowTitle() == "Hva er endret"
    assert "Nye dokumenter (1)" in dock.texts()
    window.set_language("en")
    assert "New documents (1)" in dock.texts()


# -- locks ----------------------------------------------------------------------------------
def test_an_application_open_elsewhere_warns_and_can_be_opened_anyway(
        qtbot, make_window, dialogs, tmp_path) -> None:
    project = ready_new(tmp_path / "app", 1)
    write_lock(project, host="pc-kari-12", pid=4242)
    window = make_window()
    # Cancel: not opened, their lock untouched
    assert not window.open_project(project)
    assert dialogs.asked[-1][0] == "The application is open elsewhere"
    assert "kari on pc-kari-12 has had “app.soknad” open since" in dialogs.asked[-1][1]
    assert window.session is None
    assert lock_owner(project) == ("pc-kari-12", 4242)
    # Open anyway: the lock is ours, with a note
    dialogs.answers.append(Choice.OPEN_ANYWAY)
    assert window.open_project(project)
    assert lock_owner(project) == (socket.gethostname(), os.getpid())
    assert "opened anyway while kari on pc-kari-12" in window.admin.locks.note
    # she takes it back (her window forced it): ours is not refreshed over hers, and we are told
    write_lock(project, host="pc-kari-12", pid=4242)
    window.admin.locks.refresh()
    assert dialogs.informed[-1][0] == "The application was opened elsewhere"
    assert window.admin.locks.lock is None
    window.force_close()
    assert lock_owner(project) == ("pc-kari-12", 4242)  # never removes someone else's lock


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.parametrize("kind", ["crashed here", "silent elsewhere"])
def test_a_stale_lock_is_taken_over_with_a_note(qtbot, make_window, dialogs, tmp_path,
                                                kind: str) -> None:
    project = ready_new(tmp_path / "app", 1)
    if kind == "crashed here":
        write_lock(project, host=socket.gethostname(), pid=dead_pid())
        reason = "no longer running"
    else:
        write_lock(project, host="pc-kari-12", pid=4242,
                   heartbeat=datetime.now(UTC) - timedelta(hours=2))
        reason = "last confirmed"
    window = make_window()
    assert window.open_project(project)
    assert not dialogs.asked
    assert lock_owner(project) == (socket.gethostname(), os.getpid())
    assert reason in window.admin.locks.note
    assert reason in window.statusBar().currentMessage()
    assert window.admin.locks.timer.isActive()  # the heartbeat is kept fresh
    window.force_close()
    assert not lock_path(project).exists()


def test_the_lock_follows_the_open_application(qtbot, make_window, dialogs, tmp_path) -> None:
    first = ready_new(tmp_path / "a", 1)
    second = ready_new(tmp_path / "b", 2)
    window = make_window()
    assert window.open_project(first)
    assert lock_owner(first) is not None
    assert window.open_project(first)  # opened again: still locked
    assert lock_owner(first) is not None
    before = lock_path(first).read_text(encoding="utf-8")
    window.admin.locks.refresh()
    assert json.loads(lock_path(first).read_text())["heartbeat"] >= json.loads(before)[
        "heartbeat"]
    assert window.open_project(second)
    assert lock_owner(first) is None and lock_owner(second) is not None
    # save as: the lock moves with the file
    moved = second.with_name("c.soknad")
    dialogs.files.append(moved)
    assert window.save_as()
    assert lock_owner(second) is None and lock_owner(moved) is not None
    window.force_close()
    assert lock_owner(moved) is None


# -- accessibility --------------------------------------------------------------------------
def test_the_new_docks_name_every_control(qtbot, make_window, dialogs, tmp_path) -> None:
    window = make_window()
    project = make_change_application(tmp_path, window.pack)
    window.admin.open_workspace(tmp_path)
    assert window.open_project(project)
    qtbot.waitUntil(lambda: not window.admin.workspace_dock.checking, timeout=60000)
    window.admin.changes_dock.raise_()
    unnamed = []
    for dock in (window.admin.workspace_dock, window.admin.changes_dock):
        assert dock.isVisible()
        for widget in dock.findChildren(QWidget):
            if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(dock):
                continue
            iface = QAccessible.queryAccessibleInterface(widget)
            name = iface.text(QAccessible.Text.Name) if iface is not None else ""
            if not name.strip():
                unnamed.append(f"{widget.metaObject().className()} {widget.objectName()}")
    assert unnamed == [], "\n".join(unnamed)
    assert window.admin.workspace_dock.model.index(0, 0, QModelIndex()).data(
        Qt.ItemDataRole.AccessibleTextRole)
