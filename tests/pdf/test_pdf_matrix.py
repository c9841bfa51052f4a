"""The compliance matrix ("Requirements and where they are met") in the package PDF: its
pages, text, links to each meeting document's first page, and that index and bookmarks still
work after it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from soknadspakke.pdf import RequirementRow, assemble_package
from tests.pdf.pdf_testkit import document, link_targets, outline_tree, page_texts, spec, text_pdf

LONG = ("Vurdering av hvorfor en personvernkonsekvensvurdering ikke er nødvendig for "
        "prosjektet Ærlige øyeblikk i åpne registerdata, revidert etter innspill fra "
        "personvernombudet ved Universitetet i Tromsø – Norges arktiske universitet")


def _rows(count: int, docs: int) -> tuple[RequirementRow, ...]:
    rows = []
    for n in range(count):
        meets = tuple(range(n % docs, min(docs, n % docs + 1 + n % 3)))
        if n % 7 == 3:
            rows.append(RequirementRow(f"R{n}", f"Dokumenttype nummer {n} med et langt navn "
                                       "som må brytes over flere linjer", "S5, S11, S12",
                                       (), met=False, status="Mangler"))
        else:
            rows.append(RequirementRow(f"R{n}", f"Dokumenttype {n}", f"S{n % 25 + 1}", meets,
                                       remark="Godtatt med merknad" if n % 5 == 0 else ""))
    return tuple(rows)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_long_matrix_spans_pages_and_every_link_goes_to_its_document(
        inputs: Path, outdir: Path, lang: str) -> None:
    docs = []
    for n in range(12):
        path = text_pdf(inputs / f"d{n}.pdf", pages=1 + n % 3, marker=f"DOC{n}")
        docs.append(document(path, title=f"{n}: {LONG}" if n % 2 else f"Dokument {n}"))
    base = spec(docs, lang=lang)
    rows = _rows(45, len(docs))
    package = replace(base, cover=replace(base.cover, requirements=rows))
    result = assemble_package(package, outdir / "pakke.pdf")
    reader = PdfReader(result.path)
    texts = page_texts(result.path)
    heading = ("Krav og hvor de er oppfylt" if lang == "nb"
               else "Requirements and where they are met")
    matrix_pages = [i for i, t in enumerate(texts) if heading in t]
    assert len(matrix_pages) >= 2 and matrix_pages == list(range(1, 1 + len(matrix_pages)))
    continued = "(fortsatt)" if lang == "nb" else "(continued)"
    assert all(continued in texts[i] for i in matrix_pages[1:])
    matrix_text = "\n".join(texts[i] for i in matrix_pages)
    for row in rows:
        assert f"{row.rule} " in matrix_text, row.rule
    assert matrix_text.count("Mangler") == sum(1 for r in rows if not r.met)
    # Every document reference is a link to that document's first page, in row order.
    starts = [p.first_page - 1 for p in result.placements]
    expected = [starts[d] for row in rows for d in row.meets]
    found = [target for page in matrix_pages
             for _rect, target in sorted(link_targets(reader, page),
                                         key=lambda item: -item[0][3])]
    assert found == expected
    # The page ranges printed are the documents' ranges.
    for row in rows[:5]:
        for d in row.meets:
            placement = result.placements[d]
            shown = (str(placement.first_page) if placement.first_page == placement.last_page
                     else f"{placement.first_page}–{placement.last_page}")
            assert shown in matrix_text
    # The index follows the matrix and still links every document; bookmarks point right.
    index_page = matrix_pages[-1] + 1
    assert ("Innhold" if lang == "nb" else "Contents") in texts[index_page]
    index_links = [t for page in range(index_page, starts[0])
                   for _r, t in sorted(link_targets(reader, page), key=lambda i: -i[0][3])]
    assert index_links == starts
    tree = outline_tree(reader)
    assert [(title, page) for title, page, _kids in tree[:3]] == [
        ("Forside" if lang == "nb" else "Cover sheet", 0), (heading, 1),
        ("Innhold" if lang == "nb" else "Contents", index_page)]
    assert [page for _t, page, _k in tree[3:]] == starts
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert [r["rule"] for r in manifest["requirements"]] == [r.rule for r in rows]
    assert manifest["front_matter_pages"] == starts[0]


def test_no_requirements_means_no_matrix_page(inputs: Path, outdir: Path) -> None:
    path = text_pdf(inputs / "a.pdf", pages=1)
    result = assemble_package(spec([document(path)]), outdir / "pakke.pdf")
    texts = page_texts(result.path)
    assert len(texts) == 3
    assert not any("Krav og hvor de er oppfylt" in t for t in texts)
