"""The suggestion test set (``tests/intake/data/suggestion_set.toml``) as real files, and top-1
accuracy of intake's type suggestions over it, with neutral and with telling file names."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from soknadspakke.intake import IntakeCache, inspect_file
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation import type_keywords

REPO = Path(__file__).resolve().parents[2]
SET = REPO / "tests" / "intake" / "data" / "suggestion_set.toml"
_FONT, _BOLD = "SetDejaVu", "SetDejaVuBold"


@dataclass(frozen=True)
class Attachment:
    type: str
    lang: str
    name: str
    plain: str
    title: str
    heading: str
    body: str
    #: "tuning" (the keywords were improved while looking at these) or "holdout" (never).
    set: str = "tuning"


def load_set() -> list[Attachment]:
    data = tomllib.loads(SET.read_text(encoding="utf-8"))
    return [Attachment(**entry) for entry in data["doc"]]


def _register() -> None:
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        fonts = REPO / "resources" / "fonts"
        pdfmetrics.registerFont(TTFont(_FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


def write(attachment: Attachment, path: Path) -> Path:
    """The attachment as a file: a text file for ``.txt`` names, else a PDF with the title
    and heading in large bold type over the body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".txt":
        path.write_text("\n".join([attachment.title, attachment.heading, attachment.body]),
                        encoding="utf-8")
        return path
    _register()
    canvas = Canvas(str(path), invariant=1)
    y = 780.0
    for text, font, size in ((attachment.title, _BOLD, 16), (attachment.heading, _BOLD, 12)):
        canvas.setFont(font, size)
        canvas.drawString(60, y, text)
        y -= size * 1.6
    body = canvas.beginText(60, y - 6)
    body.setFont(_FONT, 10)
    for line in attachment.body.splitlines():
        body.textLine(line)
    canvas.drawText(body)
    canvas.showPage()
    canvas.save()
    return path


def top_one(pack: RulePack, attachments: Sequence[Attachment], folder: Path, *,
            telling: bool) -> list[tuple[Attachment, str]]:
    """Each attachment with intake's first suggestion ("other" when none)."""
    keywords = type_keywords(pack)
    cache = IntakeCache(folder / "cache")
    result = []
    for n, attachment in enumerate(attachments):
        name = attachment.name if telling else attachment.plain
        path = write(attachment, folder / ("named" if telling else "plain") / f"{n:02d}" / name)
        suggestions = inspect_file(path, keywords=keywords, cache=cache).suggested_types
        result.append((attachment, suggestions[0].type_id if suggestions else "other"))
    return result


def accuracy(results: Sequence[tuple[Attachment, str]]) -> float:
    return sum(1 for a, got in results if got == a.type) / len(results)
