"""The embedded DejaVu fonts, text measuring and line wrapping for the pages the assembler draws.

All text the assembler draws uses DejaVu (Sans, Sans Bold, Sans Mono) from ``resources/fonts``,
embedded as subsets by reportlab, so Norwegian letters and most names in other scripts render in
every viewer. Glyphs DejaVu lacks show as empty boxes rather than failing the build.
"""

from __future__ import annotations

import contextlib
import marshal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from soknadspakke.core.atomic import write_bytes_atomic
from soknadspakke.core.resources import resource_path

SANS = "SoknadSans"
BOLD = "SoknadSans-Bold"
MONO = "SoknadSansMono"
_FILES = {SANS: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}
_lock = threading.RLock()


#: Where parsed fonts are kept between runs (see :func:`keep_parsed_fonts`); None: nowhere.
_parsed_dir: Path | None = None
_NAME_KEYS = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_PLAIN = (dict, list, tuple, str, bytes, int, float, bool, type(None))


def keep_parsed_fonts(folder: Path | None) -> None:
    """Keep the fonts, once parsed, in ``folder`` (the command line uses its cache folder):
    parsing DejaVu's three files costs about 0.1 s, reading them back a few milliseconds."""
    global _parsed_dir  # noqa: PLW0603 - a process-wide setting, like the registry itself
    _parsed_dir = folder


def _parsed_file(path: Path) -> Path | None:
    if _parsed_dir is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return _parsed_dir / "fonts-v1" / (f"{path.stem}-{st.st_size}-{st.st_mtime_ns}"
                                       f"-rl{reportlab.Version}.marshal")


def _plain(data: dict[Any, Any]) -> bool:
    """The face's attributes are plain data (marshal never runs what it reads, and nothing
    read here is ever called: the one function a face holds is made here)."""
    return all(isinstance(k, str) and isinstance(v, _PLAIN) for k, v in data.items())


def _face_from(file: Path) -> TTFontFace | None:
    try:
        data = marshal.loads(file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or not _plain(data) or "unitsPerEm" not in data:
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(data)
    for key in _NAME_KEYS:
        if isinstance(data.get(key), bytes):
            face.__dict__[key] = TTFNameBytes(data[key])
    units = data["unitsPerEm"]
    if not isinstance(units, int) or units <= 0:
        return None
    multiplier = 1000 / units
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x: x * multiplier)
    return face


def _load(name: str, path: Path) -> TTFont:
    """``TTFont(name, path)``, parsed from the file once and read back from then on."""
    file = _parsed_file(path)
    face = _face_from(file) if file is not None and file.is_file() else None
    font = TTFont(name, str(path)) if face is None else _font_with(name, path, face)
    if face is None and file is not None:
        state = {k: v for k, v in font.face.__dict__.items() if k != "_pdfScale"}
        with contextlib.suppress(OSError, ValueError):
            write_bytes_atomic(file, marshal.dumps(state))
    return font


def _font_with(name: str, path: Path, face: TTFontFace) -> TTFont:
    """A :class:`TTFont` around an already parsed face (what ``TTFont.__init__`` does, but
    the face is not parsed again)."""
    real_face = TTFontFace.__init__

    def keep(self: TTFontFace, *args: Any, **kwargs: Any) -> None:
        self.__dict__.update(face.__dict__)

    with _lock:
        TTFontFace.__init__ = keep
        try:
            return TTFont(name, str(path))
        finally:
            TTFontFace.__init__ = real_face


def register_fonts() -> None:
    """Register the three fonts with reportlab (once per process; thread-safe)."""
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, file_name in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(_load(name, resource_path("fonts", file_name)))


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
