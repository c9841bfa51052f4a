"""Images: one A4 page per image or frame, JPEG kept as is, EXIF orientation honoured."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from soknadspakke.intake import IntakeCache, inspect_file

from .conftest import codes, jpeg_bytes, png_bytes, tiff_bytes, write

A4_SHORT, A4_LONG = 595.28, 841.89


def _images(pdf_path: Path | None) -> list[bytes]:
    """The raw (still encoded) data of every image XObject, page by page."""
    assert pdf_path is not None
    with pikepdf.open(pdf_path) as pdf:
        return [bytes(xobject.read_raw_bytes()) for page in pdf.pages
                for xobject in page.Resources.XObject.values()
                if xobject.get("/Subtype") == "/Image"]


def _is_a4(width: float, height: float) -> bool:
    return sorted((round(width, 1), round(height, 1))) == [round(A4_SHORT, 1),
                                                            round(A4_LONG, 1)]


def test_jpeg_is_embedded_unchanged_on_an_a4_page(inbox: Path, cache: IntakeCache) -> None:
    data = jpeg_bytes((1200, 1600))
    result = inspect_file(write(inbox / "signert side.jpg", data), cache=cache)
    assert (result.kind, result.format, result.pages) == ("image", "jpeg", 1)
    assert result.usable and result.embed_original
    assert result.pdf_path == cache.pdf_path(result.sha256)
    assert _is_a4(result.page_info[0].width, result.page_info[0].height)
    assert _images(result.pdf_path) == [data]  # the very same JPEG bytes
    assert "scanned_no_text" in codes(result)
    assert not result.has_text


def test_exif_orientation_becomes_page_rotation(inbox: Path) -> None:
    # stored landscape, EXIF 6 = shown rotated 90° clockwise (a phone held upright)
    data = jpeg_bytes((800, 600), orientation=6)
    result = inspect_file(write(inbox / "telefon.jpg", data))
    page = result.page_info[0]
    assert page.rotation == 90
    assert page.width > page.height  # the landscape page turned upright by /Rotate
    assert _images(result.pdf_path) == [data]


def test_mirrored_exif_orientation_is_normalized_by_pillow(inbox: Path) -> None:
    result = inspect_file(write(inbox / "speil.jpg", jpeg_bytes((300, 200), orientation=2)))
    assert result.usable and result.pages == 1
    assert result.page_info[0].rotation == 0


def test_png_on_an_a4_page(inbox: Path) -> None:
    result = inspect_file(write(inbox / "figur.png", png_bytes((640, 480))))
    assert (result.format, result.pages, result.usable) == ("png", 1, True)
    assert _is_a4(result.page_info[0].width, result.page_info[0].height)


def test_png_with_alpha_channel(inbox: Path) -> None:
    result = inspect_file(write(inbox / "logo.png", png_bytes(mode="RGBA")))
    assert result.usable and result.pages == 1


def test_multipage_tiff_gives_one_page_per_frame(inbox: Path) -> None:
    result = inspect_file(write(inbox / "skann.tif", tiff_bytes(4)))
    assert (result.format, result.pages, result.usable) == ("tiff", 4, True)
    assert all(_is_a4(p.width, p.height) for p in result.page_info)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP"])
def test_other_pillow_formats(inbox: Path, fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (0, 90, 0)).save(out, fmt)
    result = inspect_file(write(inbox / f"bilde.{fmt.lower()}", out.getvalue()))
    assert result.kind == "image" and result.usable and result.pages == 1


def test_damaged_image(inbox: Path) -> None:
    data = png_bytes()[:40] + b"\x00" * 64
    result = inspect_file(write(inbox / "ødelagt.png", data))
    assert not result.usable and codes(result) == ["file_damaged"]
    assert "ødelagt.png" in result.findings[0].message.render("en")


def test_decompression_bomb_is_refused(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # anything over 2000 px is a "bomb"
    result = inspect_file(write(inbox / "enorm.png", png_bytes((100, 100))))
    assert codes(result) == ["image_too_large"]
