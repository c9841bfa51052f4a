"""The package PDF: page count, footers, index links, bookmarks, labels, metadata, manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from soknadspakke.pdf import AssemblyResult, DocumentPlacement, assemble_package
from soknadspakke.pdf.stamps import plan_frame
from tests.pdf.pdf_testkit import (
    SIZES,
    document,
    link_targets,
    outline_tree,
    page_texts,
    page_words,
    qdf_text,
    qpdf_check,
    sha256,
    spec,
    text_pdf,
    uri_links,
)

VARIETY = [  # (name, size, rotation, pages)
    ("a4", "A4", 0, 3),
    ("letter", "Letter", 0, 2),
    ("a3", "A3", 0, 1),
    ("landscape", "A4-landscape", 0, 2),
    ("rot90", "A4", 90, 2),
    ("rot180", "A4", 180, 1),
    ("rot270", "Letter", 270, 2),
]


def _add_named_link(path: Path) -> None:
    """Page 1 gets a link to page 3 through a named destination (as LaTeX's hyperref makes)."""
    writer = PdfWriter(clone_from=PdfReader(path))
    target = writer.pages[2].indirect_reference
    writer.root_object[NameObject("/Names")] = DictionaryObject({
        NameObject("/Dests"): DictionaryObject({NameObject("/Names"): ArrayObject([
            TextStringObject("chapter.3"),
            ArrayObject([target, NameObject("/Fit")])])})})
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (300, 300, 400, 320)),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/GoTo"),
                                            NameObject("/D"): TextStringObject("chapter.3")})})
    page = writer.pages[0]
    page.setdefault(NameObject("/Annots"), ArrayObject()).append(writer._add_object(annot))
    writer.write(path)


@pytest.fixture
def variety(inputs: Path) -> list[Path]:
    paths = [text_pdf(inputs / f"{name}.pdf", pages=pages, size=SIZES[size], rotate=rotate,
                      marker=name.upper())
             for name, size, rotate, pages in VARIETY]
    linked = text_pdf(inputs / "linked.pdf", pages=3, marker="LINKED", outline=True,
                      links=True)
    _add_named_link(linked)
    return [*paths, linked]


@pytest.fixture
def built(variety: list[Path], inputs: Path, outdir: Path) -> tuple[AssemblyResult, Path]:
    original = inputs / "tabell.xlsx"
    original.write_bytes(bytes(range(256)) * 40 + "Ærlig talt".encode())
    docs = [document(p, label=f"Type {p.stem}", short=f"Kort {p.stem}", title=f"Tittel {p.stem}")
            for p in variety]
    docs.append(document(variety[0], label="Regneark", short="Tabell", title="Tabellen",
                         original=original))
    before = {p: sha256(p) for p in [*variety, original]}
    result = assemble_package(spec(docs), outdir / "pakke.pdf")
    after = {p: sha256(p) for p in [*variety, original]}
    assert before == after, "an input changed"
    assert sorted(p.name for p in inputs.iterdir()) == sorted(p.name for p in before), \
        "something was written next to the inputs"
    return result, original


def test_page_count_is_cover_index_and_every_input_page(built: tuple[AssemblyResult, Path],
                                                        variety: list[Path]) -> None:
    result, _ = built
    input_pages = sum(len(PdfReader(p).pages) for p in variety) + len(PdfReader(variety[0]).pages)
    reader = PdfReader(result.path)
    assert len(reader.pages) == result.pages == 1 + 1 + input_pages
    assert result.size == result.path.stat().st_size
    assert result.placements[0] == DocumentPlacement(3, 5)
    assert result.placements[-1].last_page == result.pages


def test_qpdf_finds_no_problem(built: tuple[AssemblyResult, Path]) -> None:
    check = qpdf_check(built[0].path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_every_page_says_side_n_av_m_and_its_label(built: tuple[AssemblyResult, Path],
                                                   variety: list[Path]) -> None:
    result, _ = built
    texts = page_texts(result.path)
    assert len(texts) == result.pages
    for n, text in enumerate(texts, start=1):
        assert re.search(rf"Side {n} av {result.pages}\b", text), (n, text[-300:])
    assert "Forside" in texts[0] and "Innhold" in texts[1]
    reader = PdfReader(result.path)
    for path, placement in zip(variety, result.placements, strict=False):
        for page in range(placement.first_page, placement.last_page + 1):
            assert f"Kort {path.stem}" in texts[page - 1]
            # the document's own content is on the page, in order (pdftotext skips the text
            # of pages turned by /Rotate 90 or 270, pypdf does not)
            content = reader.pages[page - 1].extract_text()
            assert f"{path.stem.upper()} page {page - placement.first_page + 1}" in content


def test_footer_is_upright_at_the_displayed_bottom_below_the_content(
        built: tuple[AssemblyResult, Path]) -> None:
    result, _ = built
    for number in range(1, result.pages + 1):
        _, height, words = page_words(result.path, number)
        footer = [w for w in words if w.text == "Side"]
        assert len(footer) == 1, number
        side = footer[0]
        assert side.y1 - side.y0 < side.x1 - side.x0 + 8  # horizontal, not stacked letters
        assert side.y0 > height * 0.93, (number, side, height)
        content = [w for w in words if w.text == "page"]
        for word in content:  # the input's text stays above the band
            assert word.y1 < side.y0


def test_pages_grow_by_the_footer_band_and_keep_their_orientation(
        built: tuple[AssemblyResult, Path], variety: list[Path]) -> None:
    result, _ = built
    reader = PdfReader(result.path)
    for path, placement in zip(variety, result.placements, strict=False):
        source = PdfReader(path)
        for i, page in enumerate(source.pages):
            out = reader.pages[placement.first_page - 1 + i]
            assert out.rotation == page.rotation
            frame = plan_frame(page.mediabox, None, page.rotation, extend=True)
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            ow, oh = float(out.mediabox.width), float(out.mediabox.height)
            if page.rotation in (90, 270):
                assert (ow, oh) == pytest.approx((w + frame.band, h))
            else:
                assert (ow, oh) == pytest.approx((w, h + frame.band))


def test_footer_scales_with_the_page(built: tuple[AssemblyResult, Path]) -> None:
    result, _ = built
    a4 = next(w for w in page_words(result.path, 3)[2] if w.text == "Side")
    a3 = next(w for w in page_words(result.path, result.placements[2].first_page)[2]
              if w.text == "Side")
    assert (a3.y1 - a3.y0) / (a4.y1 - a4.y0) == pytest.approx(2 ** 0.5, rel=0.1)


def test_page_labels_match_the_printed_numbers(built: tuple[AssemblyResult, Path]) -> None:
    result, _ = built
    assert PdfReader(result.path).page_labels == [str(n) for n in range(1, result.pages + 1)]


def test_index_rows_link_to_each_documents_first_page(built: tuple[AssemblyResult, Path],
                                                      variety: list[Path]) -> None:
    result, original = built
    reader = PdfReader(result.path)
    links = link_targets(reader, 1)
    assert [target for _, target in links] == [p.first_page - 1 for p in result.placements]
    tops = [rect[3] for rect, _ in links]
    assert tops == sorted(tops, reverse=True)  # one row per document, in order
    index = page_texts(result.path)[1]
    for placement in result.placements:
        first, last = placement.first_page, placement.last_page
        assert (f"{first}–{last}" if last > first else str(first)) in index
    assert "Tittel a4" in index and "Regneark" in index
    for path in variety:
        assert sha256(path)[:12] in index
    assert sha256(original)[:12] in index


def test_bookmarks_per_document_with_the_documents_own_outline(
        built: tuple[AssemblyResult, Path], variety: list[Path]) -> None:
    result, _ = built
    tree = outline_tree(PdfReader(result.path))
    assert [(title, page) for title, page, _ in tree[:2]] == [("Forside", 0), ("Innhold", 1)]
    docs = tree[2:]
    assert len(docs) == len(result.placements)
    for (title, page, _), placement in zip(docs, result.placements, strict=True):
        assert page == placement.first_page - 1
        assert title.startswith("Type ") or title == "Regneark: Tabellen"
    assert docs[0][0] == "Type a4: Tittel a4"
    linked_first = result.placements[len(VARIETY)].first_page - 1
    title, page, children = docs[len(VARIETY)]
    assert title == "Type linked: Tittel linked"
    assert [(t, p) for t, p, _ in children] == [("Chapter 1", linked_first),
                                                ("Chapter 2", linked_first + 1),
                                                ("Chapter 3", linked_first + 2)]
    assert [(t, p) for t, p, _ in children[0][2]] == [("Section 1.1", linked_first)]


def test_links_inside_documents_still_lead_to_their_pages(
        built: tuple[AssemblyResult, Path]) -> None:
    result, _ = built
    reader = PdfReader(result.path)
    placement = result.placements[len(VARIETY)]
    links = link_targets(reader, placement.first_page - 1)
    assert sorted(target for _, target in links) == [placement.first_page,  # explicit: page 2
                                                     placement.first_page + 1]  # named: page 3
    assert uri_links(reader, placement.first_page - 1) == ["https://www.ssb.no/"]


def test_cover_shows_the_rows_verdict_and_unicode_names(built: tuple[AssemblyResult, Path]
                                                        ) -> None:
    result, _ = built
    cover = page_texts(result.path)[0]
    for text in ("Søknad om lån av mikrodata fra SSB", "Zoë Ødegård-Σταυρίδης",
                 "Universitetet i Tromsø (970 422 528)", "24/01234",
                 "Endring: nye variabler; risikoklasse 2", "ssb-mikrodata 2026.1",
                 "Søknadspakke 0.1.0", "Klar til innsending – 0 feil, 2 advarsler",
                 f"Sider i alt: {result.pages}"):
        assert text in cover, text
    assert "UTKAST" not in cover


def test_fonts_the_package_adds_are_embedded(built: tuple[AssemblyResult, Path]) -> None:
    import subprocess

    result, _ = built
    fonts = subprocess.run(["pdffonts", "-l", "2", str(result.path)], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "DejaVu" in line and " yes yes yes " in line, line


def test_metadata_and_manifest(built: tuple[AssemblyResult, Path], variety: list[Path]) -> None:
    result, original = built
    reader = PdfReader(result.path)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Søknad: Ærlige øyeblikk"
    assert meta.author == "Zoë Ødegård-Σταυρίδης"
    assert meta.subject == "Lån av mikrodata fra SSB"
    assert meta.creator == "Søknadspakke 0.1.0"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title is not None
    assert xmp.dc_title["x-default"] == "Søknad: Ærlige øyeblikk"
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert manifest["rule_pack"] == {"id": "ssb-mikrodata", "version": "2026.1"}
    assert manifest["program_version"] == "0.1.0"
    assert manifest["pages"] == result.pages
    assert len(manifest["documents"]) == len(result.placements)
    for entry, placement, path in zip(manifest["documents"], result.placements,
                                      [*variety, None], strict=True):
        assert (entry["first_page"], entry["last_page"]) == (placement.first_page,
                                                             placement.last_page)
        if path is not None:
            assert entry["sha256"] == sha256(path)
            assert entry["file_name"] == path.name
            assert entry["attachment"] is None
    assert manifest["documents"][-1]["sha256"] == sha256(original)
    assert manifest["documents"][-1]["attachment"] == "tabell.xlsx"


def test_originals_are_embedded_byte_for_byte(built: tuple[AssemblyResult, Path]) -> None:
    import hashlib

    result, original = built
    attachments = PdfReader(result.path).attachments
    assert sorted(attachments) == ["manifest.json", "tabell.xlsx"]
    assert hashlib.sha256(attachments["tabell.xlsx"][0]).hexdigest() == sha256(original)


def test_english_package(variety: list[Path], outdir: Path) -> None:
    result = assemble_package(spec([document(p) for p in variety[:2]], lang="en"),
                              outdir / "en.pdf")
    texts = page_texts(result.path)
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {result.pages}" in text
    assert "Cover sheet" in texts[0] and "Contents" in texts[1]
    assert "Document type" in texts[1]
    assert [t for t, _, _ in outline_tree(PdfReader(result.path))][:2] == ["Cover sheet",
                                                                          "Contents"]


def test_draft_marks_every_page_and_lists_what_is_missing(variety: list[Path],
                                                         outdir: Path) -> None:
    findings = (("Feil", "Personvernkonsekvensvurdering (DPIA) mangler"),
                ("Advarsel", "Taushetserklæring er ikke signert"))
    result = assemble_package(spec([document(p) for p in variety], draft=True,
                                   findings=findings), outdir / "utkast.pdf")
    texts = page_texts(result.path)
    assert len(texts) == result.pages
    for n, text in enumerate(texts, start=1):
        assert "UTKAST / DRAFT" in text, n
        assert f"Side {n} av {result.pages}" in text, n
    cover = texts[0]
    assert "Mangler eller må rettes" in cover
    assert "Feil: Personvernkonsekvensvurdering (DPIA) mangler" in cover
    assert "Advarsel: Taushetserklæring er ikke signert" in cover
    assert qpdf_check(result.path).returncode == 0


def test_long_index_continues_on_further_pages(inputs: Path, outdir: Path) -> None:
    path = text_pdf(inputs / "one.pdf", pages=1)
    long_title = "En svært lang tittel som må brytes over flere linjer i innholdslisten " * 2
    docs = [document(path, title=f"{i}: {long_title}") for i in range(45)]
    result = assemble_package(spec(docs), outdir / "lang.pdf")
    reader = PdfReader(result.path)
    index_pages = result.placements[0].first_page - 2
    assert index_pages >= 2
    targets = [t for page in range(1, 1 + index_pages) for _, t in link_targets(reader, page)]
    assert targets == [p.first_page - 1 for p in result.placements]
    texts = page_texts(result.path)
    assert "Innhold (fortsatt)" in texts[2]
    assert result.pages == 1 + index_pages + 45


def test_tiny_pages_widen_so_the_footer_fits(inputs: Path, outdir: Path) -> None:
    tiny = text_pdf(inputs / "tiny.pdf", pages=1, size=(60, 40), marker="T")
    result = assemble_package(spec([document(tiny)]), outdir / "tiny-out.pdf")
    assert f"Side 3 av {result.pages}" in page_texts(result.path)[2]
    page = PdfReader(result.path).pages[2]
    assert float(page.mediabox.width) > 60


def test_no_documents_still_makes_cover_and_index(outdir: Path) -> None:
    result = assemble_package(spec([]), outdir / "tom.pdf")
    assert result.pages == 2 and result.placements == ()
    assert qpdf_check(result.path).returncode == 0


def test_the_writer_leaves_no_keys_of_its_own_behind(built: tuple[AssemblyResult, Path],
                                                     tmp_path: Path) -> None:
    text = qdf_text(built[0].path, tmp_path)
    assert "/%is_open%" not in text  # a pypdf bookkeeping key must not reach the file


def test_long_cover_continues_and_the_index_follows(variety: list[Path], outdir: Path) -> None:
    findings = tuple(("Feil", f"Mangel nummer {i}: " + "forklaring " * 12) for i in range(60))
    result = assemble_package(spec([document(variety[0])], draft=True, findings=findings),
                              outdir / "lang-forside.pdf")
    texts = page_texts(result.path)
    cover_pages = result.placements[0].first_page - 2
    assert cover_pages >= 2
    for n in range(cover_pages):
        assert "Forside" in texts[n]
    assert "Mangel nummer 59" in texts[cover_pages - 1]
    assert "Innhold" in texts[cover_pages]
    tree = outline_tree(PdfReader(result.path))
    assert (tree[0][1], tree[1][1]) == (0, cover_pages)
    assert link_targets(PdfReader(result.path), cover_pages)[0][1] == cover_pages + 1
