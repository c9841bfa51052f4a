"""Fuzzing (issue 8): mutated PDFs, Office files and project files never make ``inspect``,
``validate`` or ``build`` raise, hang or touch an input.

A seeded generator mutates valid inputs (bit flips, cut-offs, deleted, repeated and inserted
byte runs, changed numbers; for ZIP containers also their XML parts; for project files their
JSON values). Every run of the program happens in this process through the CLI's ``main``
(so an exception that escapes is a failure, as is a traceback on stderr) and in a thread that
must finish within a bound. The default run takes a few seconds; with SOKNADSPAKKE_SLOW_TESTS=1
the ``slow`` variant runs ten times as many cases, LibreOffice included.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import random
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from soknadspakke.cli import main
from soknadspakke.intake import convert

from .conftest import write_project

#: Seconds one command may take on one mutated input before it counts as a hang.
BOUND = 120.0


# --- valid seeds ----------------------------------------------------------------------------

def seed_pdfs() -> list[bytes]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    made = []
    for variant in range(3):
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=variant % 2)
        for page in range(1 + variant):
            pdf.drawString(72, 760, f"Forskningsprotokoll side {page + 1}")
            pdf.drawString(72, 740, "Deltakere: 31129956715 og en tekst med æøå")
            pdf.bookmarkPage(f"p{page}")
            pdf.addOutlineEntry(f"Kapittel {page + 1}", f"p{page}")
            if variant == 2 and page == 0:
                pdf.acroForm.textfield(name="navn", value="Kari", x=72, y=600)
                pdf.linkURL("https://www.ssb.no", (72, 700, 200, 720))
            pdf.showPage()
        pdf.save()
        made.append(buffer.getvalue())
    return made


def seed_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Variabler"
    sheet.append(["Bestilles (x)", "Variabelnavn", "Beskrivelse"])
    for n in range(30):
        sheet.append(["x" if n % 3 == 0 else "", f"VAR_{n}", f"Beskrivelse {n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seed_docx() -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
    body = "".join(f"<w:p><w:r><w:t>Avsnitt {n} av protokollen</w:t></w:r></w:p>"
                   for n in range(20))
    document = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                f'openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body>'
                "</w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


# --- mutations ------------------------------------------------------------------------------

def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            break
        kind = rng.randrange(7)
        at = rng.randrange(len(out))
        if kind == 0:  # flip bits
            out[at] ^= 1 << rng.randrange(8)
        elif kind == 1:  # cut off
            del out[max(1, at):]
        elif kind == 2:  # delete a run
            del out[at:at + rng.randint(1, 400)]
        elif kind == 3:  # repeat a run
            run = out[at:at + rng.randint(1, 400)]
            out[at:at] = run * rng.randint(1, 5)
        elif kind == 4:  # insert noise
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 5:  # change a number (a length, an offset, an object number, a count)
            digits = [i for i in range(len(out)) if 48 <= out[i] <= 57]
            if digits:
                i = rng.choice(digits)
                out[i] = rng.choice(b"0123456789")
        else:  # overwrite with a PDF keyword
            word = rng.choice([b"endobj", b"stream", b"/Kids [", b"<<", b">>", b"trailer",
                               b"%%EOF", b"/Count 999999999", b"R R R", b"/Length -1"])
            out[at:at + len(word)] = word
    return bytes(out)


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """Mutate one XML part of a ZIP container (and sometimes the container's bytes too)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        items = [(item, source.read(item.filename)) for item in source.infolist()]
    victim = rng.randrange(len(items))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for index, (item, content) in enumerate(items):
            if rng.random() < 0.1:
                continue  # a part goes missing
            target.writestr(item, mutate_bytes(content, rng) if index == victim else content)
    result = out.getvalue()
    return mutate_bytes(result, rng) if rng.random() < 0.3 else result


_WEIRD: list[Any] = [None, True, 0, -1, 1e308, 10**30, "", "\ud800", "../../etc/passwd",
                     "/etc/passwd", "C:\\Windows", "a" * 300, [], {}, [[[]]], {"x": {"y": []}},
                     "2025-02-30", "vedlegg/../../ut.pdf", "\x00", "ﬁ" * 50]


def mutate_json(value: Any, rng: random.Random, depth: int = 0) -> Any:
    if isinstance(value, dict) and value:
        value = dict(value)
        key = rng.choice(list(value))
        action = rng.randrange(4)
        if action == 0:
            del value[key]
        elif action == 1:
            value[key] = rng.choice(_WEIRD)
        elif action == 2 and depth < 4:
            value[key] = mutate_json(value[key], rng, depth + 1)
        else:
            value[rng.choice(["extra", "documents", "answers", "format", "project"])] = \
                copy.deepcopy(rng.choice(_WEIRD))
        return value
    if isinstance(value, list) and value:
        value = list(value)
        index = rng.randrange(len(value))
        if rng.random() < 0.5 and depth < 4:
            value[index] = mutate_json(value[index], rng, depth + 1)
        else:
            value.insert(index, copy.deepcopy(rng.choice(_WEIRD)))
        return value
    return copy.deepcopy(rng.choice(_WEIRD))


# --- running the program --------------------------------------------------------------------

def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> int:
    """The CLI in this process, in a thread that must finish within :data:`BOUND`."""
    outcome: list[int | BaseException] = []

    def work() -> None:
        try:
            outcome.append(main([str(a) for a in args]))
        except BaseException as exc:  # reported below as the failure it is
            outcome.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(BOUND)
    assert not worker.is_alive(), f"{args[0]} did not finish within {BOUND:.0f} s: {args}"
    _out, err = capsys.readouterr()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise AssertionError(f"{args[0]} raised {type(result).__name__}: {result}") from result
    assert "Traceback" not in err
    assert result in (0, 1, 2), (result, err)
    return result


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default run does not start LibreOffice (seconds per file); intake says so."""
    monkeypatch.setattr(convert, "find_soffice", lambda: None)


def _fuzz(tmp_path: Path, capsys: pytest.CaptureFixture[str], *, seed: int, files: int,
          projects: int, builds: int) -> None:
    rng = random.Random(seed)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seeds: list[tuple[str, bytes, Callable[[bytes, random.Random], bytes]]] = [
        *((f"dok{n}.pdf", pdf, mutate_bytes) for n, pdf in enumerate(seed_pdfs())),
        ("liste.xlsx", seed_xlsx(), mutate_zip), ("liste-b.xlsx", seed_xlsx(), mutate_bytes),
        ("notat.docx", seed_docx(), mutate_zip), ("notat-b.docx", seed_docx(), mutate_bytes),
    ]
    mutated: list[Path] = []
    for n in range(files):
        name, data, mutate = seeds[n % len(seeds)]
        path = inbox / f"{n:03d}-{name}"
        path.write_bytes(mutate(data, rng))
        mutated.append(path)
    before = tree(inbox)
    for path in mutated:
        run_cli(capsys, "inspect", path, "--format", "json", "--lang", "en")
    assert tree(inbox) == before, "inspect changed an input"

    base = tmp_path / "base"
    project = write_project(base)
    original = json.loads(project.read_text(encoding="utf-8"))
    for n in range(projects):
        folder = tmp_path / f"p{n}"
        target = write_project(folder)
        # Mutated documents into the project, then a mutated project file (JSON or bytes).
        for doc in original["documents"][: rng.randint(0, 3)]:
            source = rng.choice(mutated)
            if source.suffix == Path(doc["path"]).suffix:
                (folder / doc["path"]).write_bytes(source.read_bytes())
        data = mutate_json(original, rng) if rng.random() < 0.8 else original
        text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
        raw = text.encode("utf-8", "surrogatepass")
        target.write_bytes(mutate_bytes(raw, rng) if rng.random() < 0.3 else raw)
        snapshot = tree(folder)
        run_cli(capsys, "validate", target, "--format", "json", "--lang", "en")
        if n < builds:
            out = tmp_path / f"pakke-{n}.pdf"
            code = run_cli(capsys, "build", target, "-o", out, "--draft", "--lang", "en")
            if code == 0:
                assert len(PdfReader(out).pages) >= 1
            else:
                assert not out.exists()
        assert tree(folder) == snapshot, "validate or build changed the project's files"
        assert not list(tmp_path.rglob("*.part"))


def test_fuzz_inspect_validate_build(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     no_libreoffice: None) -> None:
    _fuzz(tmp_path, capsys, seed=8, files=14, projects=10, builds=3)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("SOKNADSPAKKE_SLOW_TESTS"),
                    reason="about ten minutes; set SOKNADSPAKKE_SLOW_TESTS=1")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzz_many_more(tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int) -> None:
    _fuzz(tmp_path, capsys, seed=seed, files=140, projects=100, builds=30)
