"""The real-world PDFs of ``../shared/corpus`` (made by tools nobody here wrote) in one package."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from soknadspakke.core.errors import InputFileError
from soknadspakke.pdf import AssemblyResult, assemble_package
from tests.pdf.pdf_testkit import (
    annots_of,
    document,
    ink,
    link_targets,
    outline_tree,
    page_texts,
    page_words,
    qdf_text,
    qpdf_check,
    sha256,
    spec,
    uri_links,
)

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "py-pdf-sample-files"
PASSWORDS = {"005-libreoffice-writer-password/libreoffice-writer-password.pdf": "openpassword"}
UNREADABLE = {"017-unreadable-meta-data/unreadablemetadata.pdf"}  # no page tree pypdf can read

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (CORPUS / "files.json").is_file(),
                       reason=f"the shared PDF corpus is not at {CORPUS}"),
]


def _corpus() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((CORPUS / "files.json").read_text())["data"]
    return entries


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[AssemblyResult, list[Path]]]:
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # pypdf logs warnings about what it repairs in these files
    try:
        yield _build(tmp_path_factory)
    finally:
        pypdf_log.setLevel(level)


def _build(tmp_path_factory: pytest.TempPathFactory) -> tuple[AssemblyResult, list[Path]]:
    paths = [CORPUS / e["path"] for e in _corpus() if e["path"] not in UNREADABLE]
    before = {p: sha256(p) for p in paths}
    docs = [document(p, short=p.parent.name[:3], title=p.stem,
                     password=PASSWORDS.get(f"{p.parent.name}/{p.name}")) for p in paths]
    out = tmp_path_factory.mktemp("corpus") / "korpus.pdf"
    result = assemble_package(spec(docs), out)
    assert {p: sha256(p) for p in paths} == before, "a corpus file changed"
    return result, paths


def _placement(package: tuple[AssemblyResult, list[Path]], folder: str) -> tuple[int, Path]:
    result, paths = package
    for path, placement in zip(paths, result.placements, strict=True):
        if path.parent.name == folder:
            return placement.first_page, path
    raise KeyError(folder)


def test_every_corpus_page_is_in_the_package(package: tuple[AssemblyResult, list[Path]]
                                             ) -> None:
    result, paths = package
    expected = {e["path"]: e["pages"] for e in _corpus()}
    for path, placement in zip(paths, result.placements, strict=True):
        count = placement.last_page - placement.first_page + 1
        assert count == expected[f"{path.parent.name}/{path.name}"], path
    front = result.placements[0].first_page - 1  # cover and index (two pages of rows here)
    assert front == 3
    assert result.pages == front + sum(expected[k] for k in expected if k not in UNREADABLE)
    assert len(PdfReader(result.path).pages) == result.pages


def test_qpdf_check_passes(package: tuple[AssemblyResult, list[Path]]) -> None:
    check = qpdf_check(package[0].path)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]


def test_page_numbers_on_every_page(package: tuple[AssemblyResult, list[Path]]) -> None:
    result, _ = package
    texts = page_texts(result.path)
    assert len(texts) == result.pages
    for n, text in enumerate(texts, start=1):
        assert f"Side {n} av {result.pages}" in text, n


def test_rotated_arabic_pages_get_an_upright_footer(package: tuple[AssemblyResult, list[Path]]
                                                    ) -> None:
    result, _ = package
    first, path = _placement(package, "015-arabic")
    for page in range(first, first + len(PdfReader(path).pages)):
        _, height, words = page_words(result.path, page)
        side = [w for w in words if w.text == "Side"]
        assert len(side) == 1 and side[0].y0 > height * 0.9, page


@pytest.mark.parametrize(("folder", "nested"), [("006-pdflatex-outline", False),
                                               ("014-outlines", True)])
def test_bookmarks_nest_under_the_document_and_point_at_the_same_pages(
        package: tuple[AssemblyResult, list[Path]], folder: str, nested: bool) -> None:
    result, paths = package
    first, path = _placement(package, folder)
    source = PdfReader(path)

    def expected(items: list[Any]) -> list[tuple[str, int, list[Any]]]:
        nodes: list[tuple[str, int, list[Any]]] = []
        for item in items:
            if isinstance(item, list):
                nodes[-1] = (nodes[-1][0], nodes[-1][1], expected(item))
            else:
                page = source.get_destination_page_number(item)
                assert page is not None
                nodes.append((str(item.title), first - 1 + page, []))
        return nodes

    doc_entries = outline_tree(PdfReader(result.path))[2:]
    entry = doc_entries[paths.index(path)]
    assert entry[1] == first - 1
    assert entry[2] == expected(source.outline)
    assert entry[2]
    assert any(children for _, _, children in entry[2]) == nested


def test_links_of_a_long_latex_document_stay_inside_it(
        package: tuple[AssemblyResult, list[Path]]) -> None:
    result, _ = package
    first, path = _placement(package, "009-pdflatex-geotopo")
    count = len(PdfReader(path).pages)
    reader = PdfReader(result.path)
    targets = [t for page in range(first - 1, first - 1 + count)
               for _, t in link_targets(reader, page)]
    assert len(targets) > 300  # LaTeX cross references through named destinations
    assert all(first - 1 <= t < first - 1 + count for t in targets)


def test_libreoffice_form_values_show_without_annotations(
        package: tuple[AssemblyResult, list[Path]], tmp_path: Path) -> None:
    result, _ = package
    first, path = _placement(package, "012-libreoffice-form")
    text = page_texts(result.path)[first - 1]
    assert "Alice" in text and "Bob" in text
    source = PdfReader(path)
    for annot in annots_of(source.pages[0]):
        if annot.get("/V") in ("Alice", "Bob"):
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            assert ink(path, 1, (x0, y0, x1, y1), tmp_path) < 1
            assert ink(result.path, first, (x0, y0, x1, y1), tmp_path) > 3


def test_encrypted_corpus_file_is_readable_in_the_package(
        package: tuple[AssemblyResult, list[Path]]) -> None:
    result, _ = package
    first, _ = _placement(package, "005-libreoffice-writer-password")
    assert PdfReader(result.path).pages[first - 1].extract_text().strip()
    assert not PdfReader(result.path).is_encrypted


def test_no_active_content_and_no_input_attachments(package: tuple[AssemblyResult, list[Path]],
                                                     tmp_path: Path) -> None:
    result, _ = package
    text = qdf_text(result.path, tmp_path)
    for key in ("/JavaScript", "/JS ", "/Launch", "/SubmitForm", "/OpenAction", "/AA "):
        assert key not in text, key
    assert list(PdfReader(result.path).attachments) == ["manifest.json"]


def test_unreadable_corpus_file_is_named(tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="pypdf")
    path = CORPUS / next(iter(UNREADABLE))
    with pytest.raises(InputFileError) as caught:
        assemble_package(spec([document(path)]), tmp_path / "x.pdf")
    assert caught.value.path == path
    assert list(tmp_path.iterdir()) == []


def test_comments_and_web_links_are_kept(package: tuple[AssemblyResult, list[Path]]) -> None:
    result, _ = package
    reader = PdfReader(result.path)
    first, _ = _placement(package, "024-annotations")
    page = reader.pages[first - 1]
    annots = annots_of(page)
    assert sorted(a["/Subtype"] for a in annots) == ["/Highlight", "/Ink", "/Text"]
    assert page.indirect_reference is not None
    assert all(a.raw_get("/P").idnum == page.indirect_reference.idnum for a in annots)
    first, _ = _placement(package, "016-libre-office-link")
    assert uri_links(reader, first - 1) == ["https://martin-thoma.com/"]
