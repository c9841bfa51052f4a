"""Footer geometry, text wrapping and the outline and manifest helpers, without building PDFs."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soknadspakke.pdf import fonts
from soknadspakke.pdf.drawing import Block, paginate
from soknadspakke.pdf.embed import manifest_json, unique_name, xmp_packet
from soknadspakke.pdf.outline import OutlineNode
from soknadspakke.pdf.stamps import (
    Frame,
    normalize_rotation,
    plan_frame,
    visible_box,
)

A4 = (0.0, 0.0, 595.2756, 841.8898)


def _apply(frame: Frame, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = frame.matrix
    return a * x + c * y + e, b * x + d * y + f


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0), (90, 90), (180, 180), (270, 270), (-90, 270), (450, 90), (360, 0), ("x", 0),
    (None, 0), (89.6, 90), (float("nan"), 0),
])
def test_rotation_is_normalized(value: object, expected: int) -> None:
    assert normalize_rotation(value) == expected


def test_visible_box_is_the_cropbox_inside_the_mediabox() -> None:
    assert visible_box(A4, None) == A4
    assert visible_box(A4, (10, 20, 300, 400)) == (10, 20, 300, 400)
    assert visible_box(A4, (-10, -20, 300, 400)) == (0, 0, 300, 400)
    assert visible_box(A4, (700, 900, 800, 1000)) == A4  # outside: ignored


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_band_is_added_at_the_displayed_bottom(rotation: int) -> None:
    frame = plan_frame(A4, None, rotation, extend=True)
    x0, y0, x1, y1 = frame.box
    band = frame.band
    grown = {0: (0, -band, 595.2756, 841.8898), 90: (0, 0, 595.2756 + band, 841.8898),
             180: (0, 0, 595.2756, 841.8898 + band), 270: (-band, 0, 595.2756, 841.8898)}
    assert (x0, y0, x1, y1) == pytest.approx(grown[rotation])
    # the footer's own box [0 0 width band] lands exactly on the new strip
    corners = [_apply(frame, x, y) for x in (0, frame.width) for y in (0, band)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    strip = {0: (0, -band, 595.2756, 0), 90: (595.2756, 0, 595.2756 + band, 841.8898),
             180: (0, 841.8898, 595.2756, 841.8898 + band), 270: (-band, 0, 0, 841.8898)}
    assert (min(xs), min(ys), max(xs), max(ys)) == pytest.approx(strip[rotation])
    # and reads upright: footer x runs left to right as displayed
    displayed_width = 841.8898 if rotation in (90, 270) else 595.2756
    assert frame.width == pytest.approx(displayed_width)


def test_cropbox_origin_is_honoured() -> None:
    frame = plan_frame(A4, (100, 200, 400, 600), 0, extend=True)
    assert frame.box == pytest.approx((100, 200 - frame.band, 400, 600))
    assert _apply(frame, 0, 0) == pytest.approx((100, 200 - frame.band))


def test_front_pages_keep_their_size() -> None:
    frame = plan_frame(A4, None, 0, extend=False)
    assert frame.box == A4 and not frame.extended
    assert frame.matrix == (1, 0, 0, 1, 0, 0)


def test_sizes_scale_with_the_page() -> None:
    a4 = plan_frame(A4, None, 0, extend=True)
    a3 = plan_frame((0, 0, 841.8898, 1190.5512), None, 0, extend=True)
    landscape = plan_frame((0, 0, 841.8898, 595.2756), None, 0, extend=True)
    assert a4.font_size == pytest.approx(8)
    assert a3.font_size == pytest.approx(8 * 2 ** 0.5)
    assert landscape.font_size == pytest.approx(8)
    tiny = plan_frame((0, 0, 50, 50), None, 0, extend=True, min_width_factor=24)
    assert tiny.width == pytest.approx(24 * tiny.font_size)
    assert tiny.box[2] - tiny.box[0] == pytest.approx(tiny.width)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200),
       st.floats(min_value=30, max_value=400))
def test_wrapped_lines_fit_and_keep_every_word(text: str, max_width: float) -> None:
    fonts.register_fonts()
    lines = fonts.wrap(text, fonts.SANS, 9, max_width)
    for line in lines:
        assert fonts.width(line, fonts.SANS, 9) <= max_width or len(line) == 1
    # Every character is kept; a word split across lines gets a hyphen at the break.
    assert "".join("".join(lines).split()).replace("-", "") == \
        "".join(text.split()).replace("-", "")


def test_a_word_too_long_for_the_column_breaks_with_a_hyphen() -> None:
    fonts.register_fonts()
    lines = fonts.wrap("Personvernkonsekvensvurdering (DPIA)", fonts.SANS, 9, 90)
    assert len(lines) >= 2 and lines[0].endswith("-")
    assert "".join(line.removesuffix("-") for line in lines[:-1]) + lines[-1] in (
        "Personvernkonsekvensvurdering(DPIA)", "Personvernkonsekvensvurdering (DPIA)")


def test_truncate_adds_an_ellipsis() -> None:
    fonts.register_fonts()
    text = "Forskningsprotokoll for prosjektet"
    short = fonts.truncate(text, fonts.SANS, 10, 60)
    assert short.endswith("…") and fonts.width(short, fonts.SANS, 10) <= 60
    assert fonts.truncate(text, fonts.SANS, 10, 1000) == text


def test_width_matches_reportlab() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register_fonts()
    for text in ("Side 12 av 1200", "Søknad – Ærø", "Ελληνικά"):
        assert fonts.width(text, fonts.SANS, 8) == pytest.approx(
            stringWidth(text, fonts.SANS, 8))


def test_paginate_keeps_chains_together() -> None:
    def noop(canvas: object, top: float) -> None:
        return None

    blocks = [Block(40, noop), Block(40, noop, keep_with_next=True), Block(40, noop)]
    pages = paginate(blocks, 100)
    assert [len(p) for p in pages] == [1, 2]
    assert paginate([], 100) == [[]]


def test_outline_counts() -> None:
    leaf = OutlineNode("c", [])  # type: ignore[arg-type]
    closed = OutlineNode("b", [], is_open=False, children=[leaf, leaf])  # type: ignore[arg-type]
    top = OutlineNode("a", [], is_open=True, children=[closed, leaf])  # type: ignore[arg-type]
    assert top.visible_descendants() == 2
    assert closed.visible_descendants() == 2


def test_attachment_names_are_unique() -> None:
    taken = {"manifest.json"}
    assert unique_name("data.xlsx", taken) == "data.xlsx"
    assert unique_name("Data.xlsx", taken) == "Data (2).xlsx"
    assert unique_name("manifest.json", taken) == "manifest (2).json"
    assert unique_name("../../etc/passwd", taken) == "passwd"


def test_manifest_keeps_its_own_keys() -> None:
    data = json.loads(manifest_json({"pages": "caller", "rule_pack": "x"}, {"pages": 3}))
    assert data == {"manifest_version": 1, "pages": 3, "rule_pack": "x"}


def test_xmp_is_escaped() -> None:
    import datetime as dt
    import xml.dom.minidom

    packet = xmp_packet(title="A & <B>", author='"Ø"', subject="s", creator="c", producer="p",
                        keywords="k", lang="nb", when=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    xml.dom.minidom.parseString(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
