"""The embedded DejaVu fonts, text measuring and line wrapping for the pages the assembler draws.

All text the assembler draws uses DejaVu (Sans, Sans Bold, Sans Mono) from ``resources/fonts``,
embedded as subsets by reportlab, so Norwegian letters and most names in other scripts render in
every viewer. Glyphs DejaVu lacks show as empty boxes rather than failing the build.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from soknadspakke.core.resources import resource_path

SANS = "SoknadSans"
BOLD = "SoknadSans-Bold"
MONO = "SoknadSansMono"
_FILES = {SANS: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}
_lock = threading.Lock()


def register_fonts() -> None:
    """Register the three fonts with reportlab (once per process; thread-safe)."""
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, file_name in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))


_widths: dict[str, dict[str, float]] = {}


def width(text: str, font: str, size: float) -> float:
    """The advance width of ``text`` in points (as reportlab measures it: no kerning)."""
    table = _widths.get(font)
    if table is None:
        table = _widths[font] = {}
    total = 0.0
    for char in text:
        w = table.get(char)
        if w is None:
            w = table[char] = float(pdfmetrics.stringWidth(char, font, 1000)) / 1000
        total += w
    return total * size


def _split_long_word(word: str, font: str, size: float, max_width: float) -> Iterator[str]:
    """Pieces of a word too long for a line; each broken piece ends with a hyphen."""
    piece = ""
    for char in word:
        if piece and width(piece + char + "-", font, size) > max_width:
            yield piece + "-" if len(piece) > 1 and piece[-1].isalnum() else piece
            piece = char
        else:
            piece += char
    if piece:
        yield piece


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """``text`` broken into lines no wider than ``max_width`` (at spaces; long words split).

    Line breaks in ``text`` are kept. An empty text gives one empty line.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if width(candidate, font, size) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            if width(word, font, size) <= max_width:
                line = word
            else:
                *full, line = list(_split_long_word(word, font, size, max_width))
                lines.extend(full)
        lines.append(line)
    return lines


def truncate(text: str, font: str, size: float, max_width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits ``max_width`` (may become empty)."""
    if width(text, font, size) <= max_width:
        return text
    ellipsis = "…"
    while text and width(text + ellipsis, font, size) > max_width:
        text = text[:-1]
    return text.rstrip() + ellipsis if text else ""


@dataclass(frozen=True)
class Run:
    """A piece of text in one font subset: ``/Name size Tf <hex> Tj``."""

    resource: str
    """The subset's resource name, with its slash."""
    code: bytes


class RawTextEncoder:
    """Encodes text for content streams the assembler writes itself (the page stamps).

    The glyphs are assigned in the reportlab document that also draws the cover, so the subset
    fonts reportlab writes contain them, under the names :meth:`encode` returns. Use it before
    the document is saved, or :meth:`seal` the characters needed before it is saved: reportlab
    forgets its assignments when it writes the fonts.
    """

    def __init__(self, reportlab_doc: Any) -> None:
        self._doc = reportlab_doc
        self._cache: dict[tuple[str, str], tuple[Run, ...]] = {}
        self._sealed: dict[str, dict[str, tuple[str, int]]] | None = None

    def seal(self, texts: dict[str, str]) -> None:
        """Assign a glyph to every character of ``texts[font]`` now and remember it; from then
        on :meth:`encode` takes only these characters, and works after the save too."""
        sealed: dict[str, dict[str, tuple[str, int]]] = {}
        for font_name, text in texts.items():
            chars: dict[str, tuple[str, int]] = {}
            for char in sorted(set(text)):
                runs = self._encode(char, font_name)
                if len(runs) == 1 and len(runs[0].code) == 1:
                    chars[char] = (runs[0].resource, runs[0].code[0])
            sealed[font_name] = chars
        self._sealed = sealed
        self._cache.clear()

    def _encode(self, text: str, font_name: str) -> tuple[Run, ...]:
        font = pdfmetrics.getFont(font_name)
        return tuple(Run("/" + font.getSubsetInternalName(subset, self._doc).lstrip("/"),
                         bytes(code))
                     for subset, code in font.splitString(text, self._doc))

    def _encode_sealed(self, text: str, font_name: str) -> tuple[Run, ...]:
        assert self._sealed is not None
        table = self._sealed.get(font_name, {})
        runs: list[Run] = []
        resource, codes = "", bytearray()
        for char in text:
            try:
                name, code = table[char]
            except KeyError:
                raise ValueError(f"{char!r} was not sealed for {font_name}") from None
            if name != resource and codes:
                runs.append(Run(resource, bytes(codes)))
                codes = bytearray()
            resource = name
            codes.append(code)
        if codes:
            runs.append(Run(resource, bytes(codes)))
        return tuple(runs)

    def encode(self, text: str, font_name: str) -> tuple[Run, ...]:
        key = (text, font_name)
        runs = self._cache.get(key)
        if runs is None:
            runs = (self._encode(text, font_name) if self._sealed is None
                    else self._encode_sealed(text, font_name))
            self._cache[key] = runs
        return runs
