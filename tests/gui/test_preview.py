"""The preview dock: real PDFs rendered offscreen with QtPdf, forms through the core's
flattened copy, hi-DPI, errors in the dock, on-demand rendering of long documents."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from soknadspakke.gui import pages_view, preview
from soknadspakke.gui.pages_view import render_page
from soknadspakke.gui.preview import PreviewDock, State

from .conftest import EXAMPLE, REPO

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says this whenever a dock is shown (GUI.md §9).
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

PROTOCOL = EXAMPLE / "vedlegg" / "02-forskningsprotokoll.pdf"
FORM = EXAMPLE / "vedlegg" / "01-soknadsskjema.pdf"
WHITE = QColor(Qt.GlobalColor.white).rgb()


def non_white(image: QImage, rect: QRect | None = None) -> int:
    """Pixels in ``rect`` (default: all) that are not white."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rect = rect or image.rect()
    return sum(1 for y in range(rect.top(), rect.bottom() + 1, 2)
               for x in range(rect.left(), rect.right() + 1, 2)
               if image.pixel(x, y) != WHITE)


def differing(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_RGB32)
    b = b.convertToFormat(QImage.Format.Format_RGB32)
    assert a.size() == b.size()
    return sum(1 for y in range(0, a.height(), 2) for x in range(0, a.width(), 2)
               if a.pixel(x, y) != b.pixel(x, y))


@pytest.fixture
def dock(qtbot: QtBot) -> Iterator[PreviewDock]:
    widget = PreviewDock()
    qtbot.addWidget(widget)
    widget.resize(640, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def shown(qtbot: QtBot, dock: PreviewDock, state: State = State.SHOWING) -> None:
    qtbot.waitUntil(lambda: dock.state is state, timeout=20_000)


def page_area(dock: PreviewDock, page: int) -> tuple[QImage, QRect]:
    """A grab of the page area and where page ``page`` is in it (device pixels)."""
    view = dock.pages.viewport()
    image = view.grab().toImage()
    dpr = image.devicePixelRatio()
    rect = dock.pages.page_rect(page).intersected(view.rect().toRectF())
    device = QRect(round(rect.left() * dpr), round(rect.top() * dpr),
                   round(rect.width() * dpr) - 2, round(rect.height() * dpr) - 2)
    return image, device.intersected(image.rect())


def make_pdf(path: Path, pages: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        canvas.setFont("Helvetica", 28)
        canvas.drawString(72, 720, f"Side {n} av {pages}")
        canvas.showPage()
    canvas.save()
    return path


def test_plain_pdf_pages_and_navigation(qtbot: QtBot, dock: PreviewDock) -> None:
    dock.show_document(PROTOCOL, title="Forskningsprotokoll")
    assert dock.state is State.SHOWING  # no form: loaded at once
    assert dock.current_file == PROTOCOL
    count = len(PdfReader(PROTOCOL).pages)
    assert dock.pages.page_count == count
    assert dock.page_spin.maximum() == count
    assert str(count) in dock.count_label.text()
    assert dock.title_label.full_text == "Forskningsprotokoll"
    image, rect = page_area(dock, 0)
    assert rect.width() > 100 and rect.height() > 100
    assert non_white(image, rect) > 200  # text is drawn on the page
    # The area around the page is the palette's, not white.
    assert image.pixel(2, 2) == dock.pages.palette().color(QPalette.ColorRole.Dark).rgb()

    dock.page_spin.setValue(count)  # as if typed and confirmed
    assert dock.pages.current_page == count - 1
    qtbot.waitUntil(lambda: count - 1 in dock.pages.visible_pages())
    image, rect = page_area(dock, count - 1)
    assert rect.height() > 50
    assert non_white(image, rect) > 0

    dock.pages.setFocus()
    qtbot.keyClick(dock.pages, Qt.Key.Key_Home)
    assert dock.pages.current_page == 0 and dock.page_spin.value() == 1
    qtbot.keyClick(dock.pages, Qt.Key.Key_End)
    assert dock.pages.current_page == count - 1 and dock.page_spin.value() == count
    qtbot.keyClick(dock.pages, Qt.Key.Key_Home)
    qtbot.keyClick(dock.pages, Qt.Key.Key_PageDown)
    assert dock.pages.verticalScrollBar().value() > 0


def test_zoom_and_fit_width(qtbot: QtBot, dock: PreviewDock) -> None:
    dock.show_document(PROTOCOL, title="Protokoll")
    fit = dock.pages.scale
    width = dock.pages.page_rect(0).width()
    assert width == pytest.approx(dock.pages.viewport().width() - 2 * pages_view.MARGIN, abs=1)
    qtbot.mouseClick(dock.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dock.pages.scale == pytest.approx(fit * pages_view.ZOOM_STEP)
    assert not dock.fit_action.isChecked()
    assert dock.pages.horizontalScrollBar().maximum() > 0  # wider than the view now
    qtbot.mouseClick(dock.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dock.zoom_out_button, Qt.MouseButton.LeftButton)
    assert dock.pages.scale == pytest.approx(fit / pages_view.ZOOM_STEP)
    dock.fit_action.trigger()
    assert dock.fit_action.isChecked() and dock.pages.scale == pytest.approx(fit)
    dock.resize(500, 720)
    qtbot.waitUntil(lambda: dock.pages.scale < fit)


def raw_widgets(path: Path) -> int:
    return sum(1 for page in PdfReader(path).pages for annot in page.get("/Annots") or []
               if annot.get_object().get("/Subtype") == "/Widget")


def test_form_is_previewed_flattened(qtbot: QtBot, dock: PreviewDock) -> None:
    assert raw_widgets(FORM) > 0
    dock.show_document(FORM, title="Søknadsskjema", has_forms=True)
    assert dock.state is State.PREPARING
    assert dock.message.isVisible() and dock.message.text()
    shown(qtbot, dock)
    copy = dock.current_file
    assert copy is not None and copy != FORM and copy.is_file()
    assert raw_widgets(copy) == 0
    assert len(PdfReader(copy).pages) == len(PdfReader(FORM).pages) == dock.pages.page_count

    raw = QPdfDocument(dock)  # parented: destroyed with the dock, not mid-event-loop
    assert raw.load(str(FORM)) == QPdfDocument.Error.None_
    assert dock.pages.document is not None
    flat_page = render_page(dock.pages.document, 0, 400, 1.0)
    raw_page = render_page(raw, 0, 400, 1.0)
    raw.close()
    assert differing(flat_page, raw_page) > 500  # the field values are drawn
    assert non_white(flat_page) > non_white(raw_page)
    dock.grab().save(str(Path(os.environ.get("TMPDIR", "/tmp")) / "preview-form-test.png"))

    # The same file again: the cached copy, no new flattening.
    dock.show_document(PROTOCOL, title="Protokoll")
    dock.show_document(FORM, title="Søknadsskjema", has_forms=True)
    assert dock.state is State.SHOWING and dock.current_file == copy


def test_newer_request_wins(qtbot: QtBot, dock: PreviewDock, tmp_path: Path) -> None:
    form = tmp_path / "skjema.pdf"
    form.write_bytes(FORM.read_bytes())
    dock.show_document(form, title="Skjema", has_forms=True)
    dock.show_document(PROTOCOL, title="Protokoll")  # while the copy is being made
    assert dock.current_file == PROTOCOL
    qtbot.waitUntil(lambda: not dock._runner.running, timeout=20_000)
    qtbot.wait(50)  # any late report of the older request has been delivered
    assert dock.current_file == PROTOCOL and dock.state is State.SHOWING
    assert dock.title_label.full_text == "Protokoll"


def test_render_is_white_and_sharp_at_any_dpr() -> None:
    document = QPdfDocument()
    assert document.load(str(PROTOCOL)) == QPdfDocument.Error.None_
    one = render_page(document, 0, 300, 1.0)
    two = render_page(document, 0, 300, 2.0)
    document.close()
    assert two.width() == 2 * one.width() and abs(two.height() - 2 * one.height()) <= 1
    assert two.devicePixelRatio() == 2.0 and one.devicePixelRatio() == 1.0
    assert two.deviceIndependentSize().width() == pytest.approx(300)
    assert one.pixelColor(0, 0) == QColor(Qt.GlobalColor.white)  # not transparent
    assert not one.hasAlphaChannel()


HIDPI_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from soknadspakke.gui.preview import PreviewDock
dock = PreviewDock()
dock.resize(500, 600)
dock.show()
dock.show_document(Path(sys.argv[1]), title="x")
image = dock.pages.viewport().grab().toImage()
cached = next(iter(dock.pages._cache.values()))
print(dock.pages.viewport().devicePixelRatioF(), image.devicePixelRatio(),
      round(dock.pages.page_rect(0).width()), cached.width(), cached.devicePixelRatio())
"""


@pytest.mark.parametrize("factor", ["1", "2"])
def test_pages_have_device_pixels_on_a_hidpi_screen(factor: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=factor,
               PYTHONPATH=str(REPO / "desktop"))
    done = subprocess.run([sys.executable, "-c", HIDPI_SCRIPT, str(PROTOCOL)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    view_dpr, grab_dpr, logical, pixels, image_dpr = done.stdout.split()
    assert float(view_dpr) == float(factor) == float(image_dpr) == float(grab_dpr)
    assert abs(int(pixels) - int(factor) * int(logical)) <= 1


@pytest.mark.parametrize("has_forms", [False, True])
def test_broken_pdf_names_the_file(qtbot: QtBot, dock: PreviewDock, tmp_path: Path,
                                   has_forms: bool) -> None:
    broken = tmp_path / "ødelagt-vedlegg.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<\nthis is not a PDF at all\n")
    dock.show_document(broken, title="Vedlegg", has_forms=has_forms)
    shown(qtbot, dock, State.ERROR)
    text = dock.message.text()
    assert "ødelagt-vedlegg.pdf" in text
    assert "Traceback" not in text
    assert dock.message.isVisible() and not dock.pages.isVisible()
    assert dock.current_file is None
    assert QApplication.activeModalWidget() is None


def test_missing_file_and_clear(qtbot: QtBot, dock: PreviewDock, tmp_path: Path) -> None:
    dock.show_document(tmp_path / "borte.pdf", title="Borte", has_forms=True)
    assert dock.state is State.ERROR and "borte.pdf" in dock.message.text()
    dock.show_document(tmp_path / "borte.pdf", title="Borte")
    assert dock.state is State.ERROR and "borte.pdf" in dock.message.text()
    dock.show_document(PROTOCOL, title="Protokoll")
    dock.clear()
    assert dock.state is State.EMPTY and dock.current_file is None
    assert dock.pages.document is None and dock.message.text()


def test_password_protected_pdf(qtbot: QtBot, dock: PreviewDock, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PROTOCOL)
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="AES-256")
    locked = tmp_path / "last.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    dock.show_document(locked, title="Låst", password="feil")
    assert dock.state is State.ERROR and "last.pdf" in dock.message.text()
    dock.show_document(locked, title="Låst", password="hemmelig")
    assert dock.state is State.SHOWING and dock.pages.page_count == len(writer.pages)
    dock.show_document(locked, title="Låst", password="hemmelig", has_forms=True)
    shown(qtbot, dock)
    assert dock.current_file != locked


def test_long_pdf_renders_only_visible_pages(qtbot: QtBot, dock: PreviewDock,
                                            tmp_path: Path) -> None:
    long_pdf = make_pdf(tmp_path / "lang.pdf", 1000)
    dock.show_package(long_pdf)
    assert dock.state is State.SHOWING
    assert "lang.pdf" in dock.title_label.full_text
    assert dock.pages.page_count == 1000 and "1000" in dock.count_label.text()
    dock.pages.viewport().repaint()
    visible = len(dock.pages.visible_pages())
    assert 1 <= dock.pages.render_count <= visible <= 10  # of 1,000 pages
    image, rect = page_area(dock, 0)
    assert non_white(image, rect) > 0
    before = dock.pages.render_count
    dock.page_spin.setValue(500)
    dock.pages.viewport().repaint()
    assert dock.pages.current_page == 499
    assert 1 <= dock.pages.render_count - before <= visible + 2  # the pages in sight
    dock.page_spin.setValue(1000)
    dock.pages.viewport().repaint()
    assert dock.pages.render_count <= 3 * (visible + 2)  # three screenfuls, not 1,000 pages
    # Painting again renders nothing new (rendered pages are kept).
    count = dock.pages.render_count
    dock.pages.viewport().repaint()
    assert dock.pages.render_count == count


def test_showing_a_long_package_does_not_widen_the_dock(qtbot: QtBot, dock: PreviewDock,
                                                        tmp_path: Path) -> None:
    """The dock's minimum width is the same before anything is shown (the page bar hidden)
    and with a long package under a long name: a dock that widened re-laid out and repainted
    the whole window at the end of a build and squeezed the documents table."""
    empty = dock.minimumSizeHint().width()
    long_pdf = make_pdf(tmp_path / ("soknadspakke-med-et-svaert-langt-filnavn-" * 3 + ".pdf"),
                        1200)
    dock.show_package(long_pdf)
    assert dock.state is State.SHOWING and dock.pages.page_count == 1200
    assert dock.minimumSizeHint().width() == empty
    assert dock.page_spin.width() >= dock.page_spin.sizeHint().width()  # 1200 fits the box
    dock.show_package(make_pdf(tmp_path / "kort.pdf", 1))
    assert dock.minimumSizeHint().width() == empty
    dock.clear()
    assert dock.minimumSizeHint().width() == empty


def test_long_pdf_is_measured_in_slices(qtbot: QtBot, dock: PreviewDock, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long document is shown at once and measured a slice per turn of the event loop;
    pages of another size are laid out with their own size once they are measured."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "blandet.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(300):
        canvas.setPageSize(landscape(A4) if n >= 250 else A4)
        canvas.drawString(72, 300, f"Side {n + 1}")
        canvas.showPage()
    canvas.save()
    monkeypatch.setattr(pages_view, "MEASURE_SLICE_MS", 0.0)  # one page a slice
    dock.show_package(path)
    pages = dock.pages
    assert dock.state is State.SHOWING and pages.page_count == 300
    assert pages.measuring  # not measured all at once
    assert pages.page_rect(299).height() > pages.page_rect(299).width()  # estimated: A4
    dock.pages.viewport().repaint()
    assert pages.render_count >= 1  # the first pages are drawn meanwhile
    qtbot.waitUntil(lambda: not pages.measuring, timeout=20_000)
    last, first = pages.page_rect(299), pages.page_rect(0)
    assert last.width() > last.height()  # measured: landscape
    assert abs(last.width() / last.height() - 842 / 595) < 0.01
    assert abs(first.height() / first.width() - 842 / 595) < 0.01
    dock.page_spin.setValue(300)
    assert pages.current_page == 299
    dock.clear()
    assert not pages.measuring


def test_pages_in_sight_are_rendered_a_slice_per_paint(qtbot: QtBot, dock: PreviewDock,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """One paint renders for a slice of time (at least the first page in sight); the pages
    left are drawn as paper and rendered by the paints that follow."""
    monkeypatch.setattr(pages_view, "RENDER_SLICE_MS", 0.0)  # one page a paint
    dock.show_package(make_pdf(tmp_path / "fire.pdf", 6))
    dock.pages.set_scale(0.2)  # several pages in sight
    visible = len(dock.pages.visible_pages())
    assert visible >= 3
    before = dock.pages.render_count
    dock.pages.viewport().repaint()
    assert dock.pages.render_count == before + 1
    qtbot.waitUntil(lambda: dock.pages.render_count >= before + visible, timeout=10_000)
    image, rect = page_area(dock, visible - 1)
    assert non_white(image, rect) > 0  # the last page in sight is drawn too


def focusable(widget: QWidget) -> list[QWidget]:
    return [w for w in widget.findChildren(QWidget)
            if w.isVisibleTo(widget) and w.focusPolicy() & Qt.FocusPolicy.TabFocus]


def test_every_focusable_control_has_an_accessible_name(dock: PreviewDock) -> None:
    dock.show_document(PROTOCOL, title="Protokoll")
    controls = focusable(dock)
    assert {dock.pages, dock.page_spin, dock.zoom_in_button, dock.zoom_out_button,
            dock.fit_button} <= set(controls)
    for widget in controls:
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface is not None
        name = interface.text(QAccessible.Text.Name)
        assert name.strip(), f"{type(widget).__name__} {widget.objectName()!r} has no name"


def test_keyboard_reaches_the_controls(qtbot: QtBot, dock: PreviewDock) -> None:
    dock.show_document(PROTOCOL, title="Protokoll")
    # The Tab chain, as QWidget::focusNextPrevChild walks it.
    reached: list[QWidget] = []
    widget: QWidget = dock.page_spin
    for _step in range(50):
        after = widget.nextInFocusChain()
        assert after is not None
        widget = after
        if widget.isVisibleTo(dock) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus \
                and widget.isEnabled():
            reached.append(widget)
        if widget is dock.page_spin:
            break
    assert {dock.pages, dock.page_spin, dock.zoom_in_button, dock.zoom_out_button,
            dock.fit_button} <= set(reached)
    # Shortcuts work while the focus is in the page area.
    dock.activateWindow()
    qtbot.waitActive(dock)
    dock.pages.setFocus()
    qtbot.waitUntil(dock.pages.hasFocus)
    scale = dock.pages.scale
    qtbot.keyClick(dock.pages, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert dock.pages.scale == pytest.approx(scale * pages_view.ZOOM_STEP)
    qtbot.keyClick(dock.pages, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert dock.pages.scale == pytest.approx(scale)


def test_language_change_sets_the_texts_again(dock: PreviewDock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    dock.show_document(PROTOCOL, title="Protokoll")
    monkeypatch.setattr(preview, "_", lambda msgid: f"«{msgid}»")
    QApplication.sendEvent(dock, QEvent(QEvent.Type.LanguageChange))
    assert dock.windowTitle() == "«Preview»"
    assert dock.zoom_in_button.accessibleName() == "«Zoom in»"
    assert dock.count_label.text().startswith("«")
    assert dock.title_label.full_text == "Protokoll"  # the caller's title is kept


def test_dark_palette_is_used_around_pages(dock: PreviewDock) -> None:
    palette = QPalette(dock.palette())
    palette.setColor(QPalette.ColorRole.Dark, QColor(20, 24, 28))
    dock.setPalette(palette)
    dock.show_document(PROTOCOL, title="Protokoll")
    image, rect = page_area(dock, 0)
    assert image.pixel(1, image.height() // 2) == QColor(20, 24, 28).rgb()
    assert image.pixelColor(rect.center()).lightness() > 0  # page drawn, not the background
    assert non_white(image, rect) < rect.width() * rect.height() // 4  # mostly paper


def test_zoomed_pages_are_capped_in_memory(dock: PreviewDock) -> None:
    dock.show_document(PROTOCOL, title="Protokoll")
    for _step in range(40):
        dock.zoom_in_action.trigger()
    assert dock.pages.scale == pages_view.MAX_SCALE
    dock.pages.viewport().repaint()
    assert dock.pages._cache
    for image in dock.pages._cache.values():
        assert image.width() * image.height() <= pages_view.MAX_PAGE_PIXELS * 1.01
    assert dock.pages._cache_bytes <= pages_view.CACHE_BYTES


CORPUS = REPO.parent / "shared" / "corpus" / "py-pdf-sample-files"
#: QtPdf (pdfium 6.12) never returns from measuring page 2 of this file (broken page tree);
#: intake rejects it, so the window never previews it.
HANGS_QTPDF = {"unreadablemetadata.pdf"}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real-world corpus (../shared/corpus) "
                                                 "is not on this machine")
def test_corpus_pdfs_are_shown(dock: PreviewDock) -> None:
    files = [f for f in sorted(CORPUS.rglob("*.pdf")) if f.name not in HANGS_QTPDF]
    assert files
    for pdf in files:
        password = "openpassword" if "password" in pdf.parent.name else None
        dock.show_document(pdf, title=pdf.name, password=password)
        assert dock.state is State.SHOWING, (pdf.name, dock.message.text())
        dock.page_spin.setValue(dock.page_spin.maximum())
        dock.pages.viewport().repaint()
        _image, rect = page_area(dock, dock.pages.current_page)
        assert not rect.isEmpty(), pdf.name


def test_shutdown_removes_the_copies(qtbot: QtBot, dock: PreviewDock) -> None:
    dock.show_document(FORM, title="Søknadsskjema", has_forms=True)
    shown(qtbot, dock)
    copy = dock.current_file
    assert copy is not None and copy.is_file()
    dock.shutdown()
    assert not copy.exists() and not copy.parent.exists()
    assert dock.current_file is None
