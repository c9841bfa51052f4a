"""Fixtures for the intake tests: every input file is made here, in code."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from soknadspakke.core import resources
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.findings import Finding
from soknadspakke.core.i18n import translations
from soknadspakke.intake import IntakeCache, IntakeResult

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"

#: Valid identity numbers (RULES.md §8): fødselsnummer (current rule, then the 2032 rule).
FNR = "31129956715"
FNR_2032 = "30108299939"
SYNTHETIC = "10915596784"


def with_check_digits(first9: str, residue: int = 0) -> str:
    """An 11-digit number whose first check sum mod 11 is ``residue`` (0 = current rule)."""
    digits = [int(c) for c in first9]
    k1w = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    k2w = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = (residue - sum(d * w for d, w in zip(digits, k1w, strict=True))) % 11
    if k1 == 10:
        raise ValueError("no valid K1")
    digits.append(k1)
    k2 = -sum(d * w for d, w in zip(digits, k2w, strict=True)) % 11
    if k2 == 10:
        raise ValueError("no valid K2")
    return "".join(map(str, [*digits, k2]))


def valid_number(date6: str, residue: int = 0) -> str:
    """The first valid number for a DDMMYY (day/month already shifted for D/H numbers)."""
    for individual in range(100, 1000):
        try:
            return with_check_digits(f"{date6}{individual:03d}", residue)
        except ValueError:
            continue
    raise AssertionError("no valid individual number")  # pragma: no cover


@pytest.fixture(scope="session", autouse=True)
def _resources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the program at ``resources/``; this branch does not ship ``resources/rules``
    (the marker the lookup needs), so a stand-in root links the real fonts and catalogues."""
    try:
        resources.find_resources_root()
    except SoknadError:
        pass
    else:
        yield
        return
    root = tmp_path_factory.mktemp("resources")
    (root / "rules").mkdir()
    for part in ("fonts", "i18n"):
        (root / part).symlink_to(REPO / "resources" / part, target_is_directory=True)
    old = os.environ.get(resources.ENV_VAR)
    os.environ[resources.ENV_VAR] = str(root)
    resources.resources_root.cache_clear()
    translations.cache_clear()
    yield
    if old is None:
        os.environ.pop(resources.ENV_VAR, None)
    else:  # pragma: no cover
        os.environ[resources.ENV_VAR] = old
    resources.resources_root.cache_clear()
    translations.cache_clear()


@pytest.fixture
def cache(tmp_path: Path) -> IntakeCache:
    return IntakeCache(tmp_path / "cache")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def codes(result: IntakeResult) -> list[str]:
    return [f.code for f in result.findings]


def finding(result: IntakeResult, code: str) -> Finding:
    matches = [f for f in result.findings if f.code == code]
    assert matches, f"no {code} in {codes(result)}"
    return matches[0]


# --- file factories -------------------------------------------------------------------------

def pdf_bytes(pages: Sequence[str], *, pagesize: tuple[float, float] | None = None) -> bytes:
    """A text PDF made by reportlab, one string per page (lines split on newlines)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=pagesize or A4, invariant=1)
    height = (pagesize or A4)[1]
    for text in pages:
        for i, line in enumerate(text.splitlines()):
            pdf.drawString(60, height - 80 - 14 * i, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def jpeg_bytes(size: tuple[int, int] = (400, 300), *, orientation: int | None = None,
               colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(0, 0, 0))
    out = io.BytesIO()
    if orientation is None:
        image.save(out, "JPEG", quality=80)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (300, 200), mode: str = "RGB") -> bytes:
    from PIL import Image

    colour: object = (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)
    image = Image.new(mode, size, colour)  # type: ignore[arg-type]
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def tiff_bytes(frames: int = 3) -> bytes:
    from PIL import Image

    images = [Image.new("L", (200, 280), 40 * i) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()


_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
</Types>"""
_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(paragraphs: Sequence[str], *, macro: bool = False,
               tracked: bool = False) -> bytes:
    """A minimal Word document written by hand (no Word needed)."""
    from xml.sax.saxutils import escape

    main = ("application/vnd.ms-word.document.macroEnabled.main+xml" if macro else
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    if tracked:
        body += ('<w:p><w:ins w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r>'
                 "<w:t>inserted</w:t></w:r></w:ins></w:p>")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES.format(main=main))
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def odt_bytes(paragraphs: Sequence[str]) -> bytes:
    """A minimal OpenDocument text written by hand."""
    from xml.sax.saxutils import escape

    text = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:text>{text}</office:text></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def rtf_bytes(text: str) -> bytes:
    escaped = "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in text)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 DejaVu Sans;}}\\f0\\fs22 "
            + escaped.replace("\n", "\\par ") + "\\par}").encode("ascii")


def have_soffice() -> bool:
    from soknadspakke.intake.convert import find_soffice

    return find_soffice() is not None


needs_soffice = pytest.mark.skipif(not have_soffice(),
                                   reason="LibreOffice (soffice) is not installed")


def soffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    """Make a fixture with LibreOffice itself (e.g. a .doc from an .rtf)."""
    import subprocess

    soffice = shutil.which("soffice") or "soffice"
    profile = (outdir / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", target_format, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=180)
    return outdir / f"{source.stem}.{target_format}"
