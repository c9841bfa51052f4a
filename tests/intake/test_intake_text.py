"""Text files (microdata.no scripts): rendered in a monospaced font."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest

from soknadspakke.intake import inspect_file, page_texts

from .conftest import codes, write

SCRIPT = """require no.ssb.fdb:30 as db
create-dataset demografi
import db/BEFOLKNING_KJOENN as kjønn
import db/BEFOLKNING_FOEDSELS_AAR_MND as fødselsår
\ttabulate kjønn
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_script_is_rendered_monospaced(inbox: Path, encoding: str) -> None:
    result = inspect_file(write(inbox / "skript.txt", SCRIPT.encode(encoding)))
    assert (result.kind, result.format, result.usable) == ("text", "txt", True)
    assert result.embed_original and result.pages == 1 and result.has_text
    text = page_texts(result)[0]
    assert "import db/BEFOLKNING_KJOENN as kjønn" in text
    assert result.pdf_path is not None
    resources: Any = pypdf.PdfReader(result.pdf_path).pages[0]["/Resources"]
    fonts = resources["/Font"]
    assert any("DejaVuSansMono" in str(f.get_object()["/BaseFont"]) for f in fonts.values())


def test_long_script_wraps_and_paginates(inbox: Path) -> None:
    long_line = "summarize " + " ".join(f"variabel_{n}" for n in range(60))
    lines = [f"// linje {n}" for n in range(150)] + [long_line]
    result = inspect_file(write(inbox / "langt.do", "\n".join(lines).encode()))
    assert result.pages >= 3 and result.usable
    texts = page_texts(result)
    assert "variabel_59" in texts[-1]  # the wrapped tail of the long line is kept


def test_blank_text_file_is_empty(inbox: Path) -> None:
    result = inspect_file(write(inbox / "tom.txt", b"  \n\n\t \n"))
    assert codes(result) == ["empty_file"] and not result.usable
