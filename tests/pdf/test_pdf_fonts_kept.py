"""The fonts are parsed once and read back afterwards (issue 10): the same PDF either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DRAW = """
import io, sys
from pathlib import Path
from reportlab.pdfgen.canvas import Canvas
from soknadspakke.pdf import fonts
if sys.argv[1] != "-":
    fonts.keep_parsed_fonts(Path(sys.argv[1]))
fonts.register_fonts()
buffer = io.BytesIO()
canvas = Canvas(buffer, invariant=1)
for n, name in enumerate((fonts.SANS, fonts.BOLD, fonts.MONO)):
    canvas.setFont(name, 12)
    canvas.drawString(72, 700 - 20 * n, "Søknad – Ærlige øyeblikk, Σταυρίδης, Ž ő ﬁ …")
canvas.showPage()
canvas.save()
sys.stdout.buffer.write(buffer.getvalue())
print(round(fonts.width("Søknad om lån", fonts.SANS, 10), 6), file=sys.stderr)
"""


def _draw(folder: str) -> tuple[bytes, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    done = subprocess.run([sys.executable, "-c", DRAW, folder], env=env, capture_output=True,
                          check=True, timeout=60)
    return done.stdout, done.stderr.decode()


def test_parsed_fonts_give_the_same_pdf(tmp_path: Path) -> None:
    plain = _draw("-")
    first = _draw(str(tmp_path))
    kept = sorted((tmp_path / "fonts-v1").glob("*.marshal"))
    assert len(kept) == 3
    second = _draw(str(tmp_path))
    assert plain == first == second
    assert b"DejaVuSans" in second[0]


def test_a_damaged_parsed_font_is_parsed_again(tmp_path: Path) -> None:
    _draw(str(tmp_path))
    for file in (tmp_path / "fonts-v1").glob("*.marshal"):
        file.write_bytes(b"not marshal data")
    assert _draw(str(tmp_path)) == _draw("-")
