"""Peak memory and time of intake on hostile files (decompression bombs included) and on the
real-world corpus, against bare library reads of the same files.

    python benchmarks/hostile_bench.py [--only NAME …] [--no-reference] [--no-corpus]

The hostile files are generated at run time in a temporary folder (nothing big is kept in the
repository): an XLSX of 20 million rows (≈1 GB of XML in a few MB), one of 600,000 rows that
is within the size bounds, a DOCX whose document.xml inflates to 2 GiB, a DOCX of 50,000 parts,
PNGs of 90, 169 and 49 megapixels (the last with and without an alpha channel) and
one of 33 megapixels with an alpha channel, a PDF whose content stream inflates to 1 GB, CSVs
of 30 and 150 MB.

Every intake runs in its own process (no cache), so its peak resident memory (``ru_maxrss``,
children such as LibreOffice counted separately) is its own. The reference is the bare library
doing the obvious thing with the same file (openpyxl reading every row, zipfile reading
document.xml, Pillow decoding the image, pypdf extracting the text), in the same limits: each
process may use at most ``--memory-limit`` MB of address space and ``--timeout`` seconds, so a
bomb cannot take the machine down; hitting a limit is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MB = 1024 * 1024

# --- the hostile files ----------------------------------------------------------------------

_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>')
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_XLSX_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Variabler" sheetId="1" r:id="rId1"/></sheets>'
    '</workbook>')
_XLSX_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')


def _stream_part(archive: zipfile.ZipFile, name: str, head: bytes, unit: bytes, count: int, *,
                 tail: bytes) -> None:
    with archive.open(name, "w", force_zip64=True) as part:
        part.write(head)
        block = unit * 10_000
        for _ in range(count // 10_000):
            part.write(block)
        part.write(unit * (count % 10_000))
        part.write(tail)


def xlsx_rows(path: Path, rows: int) -> None:
    """A workbook with one sheet of ``rows`` rows (header, then "x | VARIABEL" rows)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _XLSX_TYPES)
        archive.writestr("_rels/.rels", _XLSX_RELS)
        archive.writestr("xl/workbook.xml", _XLSX_WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _XLSX_WB_RELS)
        cell = '<c t="inlineStr"><is><t>{}</t></is></c>'
        head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>'
                + cell.format("Velg") + cell.format("Variabel") + "</row>").encode()
        unit = ("<row>" + cell.format("x") + cell.format("BEFOLKNING_KJOENN") + "</row>").encode()
        _stream_part(archive, "xl/worksheets/sheet1.xml", head, unit, rows,
                     tail=b"</sheetData></worksheet>")


def docx_inflating(path: Path, unpacked: int) -> None:
    """A DOCX whose document.xml inflates to about ``unpacked`` bytes."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = _XLSX_RELS.replace("xl/workbook.xml", "word/document.xml")
    unit = b"<w:p><w:r><w:t>" + b"a" * 200 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        _stream_part(archive, "word/document.xml",
                     b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.'
                     b'org/wordprocessingml/2006/main"><w:body>', unit, unpacked // len(unit),
                     tail=b"</w:body></w:document>")


def docx_many_parts(path: Path, parts: int) -> None:
    docx_inflating(path, 10_000)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        for n in range(parts):
            archive.writestr(f"word/media/p{n}.bin", b"")


def png_pixels(path: Path, width: int, height: int, *, alpha: bool = False) -> None:
    """A white RGB (or RGBA) PNG written row by row (the picture is never in memory)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((4 if alpha else 3) * width)
    body = bytearray()
    for _ in range(height):
        body += compressor.compress(row)
    body += compressor.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                  6 if alpha else 2, 0, 0, 0))
                     + chunk(b"IDAT", bytes(body)) + chunk(b"IEND", b""))


def pdf_content_bomb(path: Path, unpacked: int) -> None:
    """One page whose content stream inflates to ``unpacked`` bytes of a repeated text."""
    compressor = zlib.compressobj(9)
    unit = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" * 1000
    stream = bytearray()
    for _ in range(unpacked // len(unit)):
        stream += compressor.compress(unit)
    stream += compressor.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + bytes(stream)
               + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o
                                                         for o in offsets)
    out += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))


def big_csv(path: Path, size: int) -> None:
    line = b"x;BEFOLKNING_KJOENN;Kjonn;2020\n"
    with path.open("wb") as handle:
        handle.write(b"Velg;Variabel;Beskrivelse;Aar\n")
        for _ in range(size // len(line) // 10_000):
            handle.write(line * 10_000)


HOSTILE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "xlsx-20m-rows": ("rader.xlsx", lambda p: xlsx_rows(p, 20_000_000)),
    "xlsx-600k-rows": ("mange-rader.xlsx", lambda p: xlsx_rows(p, 600_000)),
    "docx-2gib": ("bombe.docx", lambda p: docx_inflating(p, 2 * 1024 * MB)),
    "docx-50k-parts": ("deler.docx", lambda p: docx_many_parts(p, 50_000)),
    "png-90mp": ("stor.png", lambda p: png_pixels(p, 9500, 9500)),
    "png-169mp": ("enorm.png", lambda p: png_pixels(p, 13000, 13000)),
    "png-49mp-alpha": ("gjennomsiktig.png", lambda p: png_pixels(p, 7000, 7000, alpha=True)),
    "png-33mp-alpha": ("transparent.png", lambda p: png_pixels(p, 5780, 5780, alpha=True)),
    "png-49mp": ("skann.png", lambda p: png_pixels(p, 7000, 7000)),
    "pdf-1gb-content": ("innhold.pdf", lambda p: pdf_content_bomb(p, 1024 * MB)),
    "csv-30mb": ("liste.csv", lambda p: big_csv(p, 30 * MB)),
    "csv-150mb": ("stor-liste.csv", lambda p: big_csv(p, 150 * MB)),
}

# --- measuring ------------------------------------------------------------------------------

_INTAKE = """
import sys, json
sys.path.insert(0, {desktop!r})
from pathlib import Path
from soknadspakke.intake import inspect_file
result = inspect_file(Path({path!r}))
print(json.dumps({{"findings": [f.code for f in result.findings], "usable": result.usable,
                  "pages": result.pages}}))
"""

_REFERENCE = {
    ".xlsx": "import openpyxl\nwb = openpyxl.load_workbook({path!r}, read_only=True)\n"
             "n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))\n"
             "print(n, 'rows')",
    ".docx": "import zipfile\nz = zipfile.ZipFile({path!r})\n"
             "print(sum(len(z.read(n)) for n in z.namelist()), 'bytes')",
    ".png": "from PIL import Image\nImage.MAX_IMAGE_PIXELS = None\n"
            "im = Image.open({path!r}); im.load(); print(im.size)",
    ".pdf": "from pypdf import PdfReader\nprint(sum(len(p.extract_text()) for p in "
            "PdfReader({path!r}).pages), 'chars')",
    ".csv": "import csv\nrows = list(csv.reader(open({path!r}, newline=''), delimiter=';'))\n"
            "print(len(rows), 'rows')",
}

_WRAPPER = """
import json, resource, subprocess, sys, time
limit = {limit}
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.perf_counter()
try:
    code = {code!r}
    exec(compile(code, "<measured>", "exec"))
    status = "ok"
except MemoryError:
    status = "memory limit"
except BaseException as exc:
    status = type(exc).__name__ + ": " + str(exc)[:80]
elapsed = time.perf_counter() - start
print("@@" + json.dumps({{"self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                         "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                         "seconds": elapsed, "status": status}}), flush=True)
"""


def measure(code: str, *, memory_limit_mb: int, timeout: float) -> dict[str, object]:
    """Run ``code`` in a fresh Python process; its peak memory (self, children) and time."""
    wrapper = _WRAPPER.format(limit=memory_limit_mb * MB, code=code)
    env = dict(os.environ, SOKNADSPAKKE_CACHE=tempfile.mkdtemp(prefix="hostile-cache-"))
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True,
                              timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"status": f"time limit ({timeout:.0f} s)", "seconds": time.perf_counter() - start,
                "self_kb": 0, "children_kb": 0}
    lines = [line for line in done.stdout.splitlines() if line.startswith("@@")]
    if not lines:
        return {"status": f"exit {done.returncode}: {done.stderr.strip()[-80:]}",
                "seconds": time.perf_counter() - start, "self_kb": 0, "children_kb": 0}
    result: dict[str, object] = json.loads(lines[-1][2:])
    result["output"] = "\n".join(line for line in done.stdout.splitlines()
                                 if not line.startswith("@@"))[-200:]
    return result


def _mb(kb: object) -> str:
    return f"{int(str(kb)) / 1024:.0f}" if kb else "–"


def _row(name: str, size: int, ours: dict[str, object], ref: dict[str, object] | None) -> str:
    what = ours.get("output", "")
    try:
        found = ",".join(json.loads(str(what)).get("findings", [])) if what else ""
    except ValueError:
        found = str(what)[:40]
    ours_text = (f"{_mb(ours['self_kb'])} MB (+{_mb(ours['children_kb'])} MB children), "
                 f"{float(str(ours['seconds'])):.1f} s, {ours['status']}")
    ref_text = "" if ref is None else (
        f" | reference: {_mb(ref['self_kb'])} MB, {float(str(ref['seconds'])):.1f} s, "
        f"{ref['status']}")
    return f"{name:18} {size / MB:8.1f} MB | intake: {ours_text} [{found}]{ref_text}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="hostile files to run")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--memory-limit", type=int, default=2500, help="MB per process")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per process")
    args = parser.parse_args()
    desktop = str(ROOT / "desktop")
    peaks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        print(f"Hostile set (limits per process: {args.memory_limit} MB address space, "
              f"{args.timeout:.0f} s)")
        for key, (file_name, make) in HOSTILE.items():
            if args.only and key not in args.only:
                continue
            path = folder / file_name
            started = time.perf_counter()
            make(path)
            made = time.perf_counter() - started
            ours = measure(_INTAKE.format(desktop=desktop, path=str(path)),
                           memory_limit_mb=args.memory_limit, timeout=args.timeout)
            ref = None
            if not args.no_reference and path.suffix in _REFERENCE:
                ref = measure(_REFERENCE[path.suffix].format(path=str(path)),
                              memory_limit_mb=args.memory_limit, timeout=args.timeout)
            print(_row(key, path.stat().st_size, ours, ref) + f" (made in {made:.0f} s)",
                  flush=True)
            peaks.append((int(str(ours["self_kb"])) + int(str(ours["children_kb"]))) / 1024)
            path.unlink()
    if peaks:
        print(f"Hostile set: highest intake peak {max(peaks):.0f} MB (self + children)")
    if args.no_corpus:
        return 0
    files = sorted(CORPUS.rglob("*.pdf")) if CORPUS.is_dir() else []
    if not files:
        print(f"Corpus: {CORPUS} is absent; skipped")
        return 0
    ours_mb: list[float] = []
    ref_mb: list[float] = []
    for path in files:
        ours = measure(_INTAKE.format(desktop=desktop, path=str(path)),
                       memory_limit_mb=args.memory_limit, timeout=args.timeout)
        ours_mb.append(int(str(ours["self_kb"])) / 1024)
        ref = measure(f"import subprocess\nsubprocess.run(['pdftotext', {str(path)!r}, "
                      f"'/dev/null'], capture_output=True)", memory_limit_mb=args.memory_limit,
                      timeout=args.timeout)
        ref_mb.append(int(str(ref["children_kb"])) / 1024)
    print(f"Corpus ({len(files)} PDFs): intake peak median {statistics.median(ours_mb):.0f} MB, "
          f"max {max(ours_mb):.0f} MB ({files[ours_mb.index(max(ours_mb))].name}); "
          f"pdftotext peak median {statistics.median(ref_mb):.0f} MB, max {max(ref_mb):.0f} MB")
    print("  (intake includes the Python interpreter and its libraries: "
          f"{_baseline(desktop):.0f} MB for importing them alone)")
    return 0


def _baseline(desktop: str) -> float:
    result = measure(f"import sys\nsys.path.insert(0, {desktop!r})\n"
                     "import soknadspakke.intake, pypdf, pikepdf, PIL.Image, openpyxl",
                     memory_limit_mb=2500, timeout=60)
    return int(str(result["self_kb"])) / 1024


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    raise SystemExit(main())
