"""Hostile and broken input at the command line (issue 8): nothing from outside the project
gets in, nothing of the user's is lost, and never a traceback."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from .conftest import Cli, make_document, write_project


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def _link_outside(tmp_path: Path) -> tuple[Path, Path]:
    """A ready project whose DPIA is a link to a PDF outside the project's folder."""
    project = write_project(tmp_path / "p")
    outside = tmp_path / "elsewhere" / "secret.pdf"
    content = make_document(outside, "SECRET OUTSIDE TEXT")
    link = tmp_path / "p" / "vedlegg" / "dpia.pdf"
    link.unlink()
    link.symlink_to(outside)
    data = json.loads(project.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        if doc["path"] == "vedlegg/dpia.pdf":
            doc["sha256"] = hashlib.sha256(content).hexdigest()
    project.write_text(json.dumps(data), encoding="utf-8")
    return project, outside


def test_a_link_to_outside_the_project_is_refused_by_validate(cli: Cli, tmp_path: Path
                                                               ) -> None:
    project, outside = _link_outside(tmp_path)
    result = cli("validate", project, "--format", "json", "--lang", "en")
    no_traceback(result)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ready"] is False
    found = [f for f in report["findings"] if f["code"] == "document_outside_project"]
    assert len(found) == 1 and found[0]["severity"] == "error"
    assert found[0]["files"] == ["vedlegg/dpia.pdf"]
    assert str(outside) in found[0]["message"]


def test_a_link_to_outside_never_reaches_the_package(cli: Cli, tmp_path: Path) -> None:
    project, _outside = _link_outside(tmp_path)
    refused = cli("build", project, "-o", "final.pdf", "--lang", "en")
    no_traceback(refused)
    assert refused.returncode == 1
    assert not (tmp_path / "final.pdf").exists()
    draft = cli("build", project, "-o", "draft.pdf", "--draft", "--lang", "en")
    no_traceback(draft)
    assert draft.returncode == 0, draft.stderr
    assert "vedlegg/dpia.pdf" in draft.stderr  # named as left out
    reader = PdfReader(tmp_path / "draft.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "SECRET OUTSIDE TEXT" not in text
    assert "Document 3" not in text  # the DPIA's own text would be on its page
    names = list(reader.attachments)
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert "dpia.pdf" not in {d["file_name"] for d in manifest["documents"]}
    assert "secret.pdf" not in names


def test_a_linked_folder_leading_outside_is_refused(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    real = tmp_path / "other-folder"
    (tmp_path / "p" / "vedlegg").rename(real)
    (tmp_path / "p" / "vedlegg").symlink_to(real, target_is_directory=True)
    result = cli("validate", project, "--format", "json")
    no_traceback(result)
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes.count("document_outside_project") == 5


def test_add_of_a_link_to_outside_gives_a_clear_message(cli: Cli, tmp_path: Path) -> None:
    project, outside = _link_outside(tmp_path)
    before = project.read_bytes()
    result = cli("add", project, tmp_path / "p" / "vedlegg" / "dpia.pdf", "--as", "dpia",
                 "--lang", "en")
    no_traceback(result)
    assert result.returncode == 2
    assert "outside the project's folder" in result.stderr
    assert str(outside) in result.stderr
    assert project.read_bytes() == before
    # The file itself (outside the folder) can be attached: it is copied in.
    copied = cli("add", project, outside, "--as", "dpia")
    no_traceback(copied)
    assert copied.returncode == 0, copied.stderr
    assert (tmp_path / "p" / "vedlegg" / "secret.pdf").is_file()
    assert not (tmp_path / "p" / "vedlegg" / "secret.pdf").is_symlink()


def test_build_never_writes_over_the_project_file_or_its_documents(cli: Cli, tmp_path: Path
                                                                   ) -> None:
    project = write_project(tmp_path / "p")
    folder = tmp_path / "p"
    (tmp_path / "link.soknad").symlink_to(project)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    targets = [project, folder / ".." / "p" / project.name, tmp_path / "link.soknad",
               folder / "vedlegg" / "dpia.pdf", folder / "vedlegg" / "variabelliste.xlsx"]
    for target in targets:
        for draft in ([], ["--draft"]):
            result = cli("build", project, "-o", target, "--lang", "en", *draft)
            no_traceback(result)
            assert result.returncode == 2, (target, result.stderr)
            assert "would overwrite" in result.stderr
            assert str(target) in result.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert not list(folder.rglob("*.part"))


# --- write failures (defect 4) -------------------------------------------------------------

def run_in_process(capsys: pytest.CaptureFixture[str], *args: str | Path
                   ) -> tuple[int, str, str]:
    """The CLI in this process (so that a test can simulate a failing disk)."""
    from soknadspakke.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def test_a_full_disk_gives_a_clear_message_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from soknadspakke.pdf.stream import PackageStream

    project = write_project(tmp_path / "p")
    out = tmp_path / "out" / "pakke.pdf"
    out.parent.mkdir()

    def full_disk(self: PackageStream) -> Any:  # the package is streamed to the file
        self.handle.write(b"x" * 100_000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(PackageStream, "finish", full_disk)
    code, _out, err = run_in_process(capsys, "build", project, "-o", out, "--lang", "en")
    assert code == 2
    assert str(out) in err and "No space left on device" in err
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_read_only_folder_gives_a_clear_message(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    if os.geteuid() == 0:  # root writes anywhere, except in /sys
        out = Path("/sys/soknadspakke-test.pdf")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        out = locked / "pakke.pdf"
    result = cli("build", project, "-o", out, "--lang", "en")
    no_traceback(result)
    assert result.returncode == 2
    assert str(out) in result.stderr and "cannot be written" in result.stderr
    assert not out.exists()


def test_output_naming_an_existing_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    (tmp_path / "pakker").mkdir()
    result = cli("build", project, "-o", tmp_path / "pakker", "--lang", "en")
    no_traceback(result)
    assert result.returncode == 2
    assert "is a folder" in result.stderr and str(tmp_path / "pakker") in result.stderr
    assert list((tmp_path / "pakker").iterdir()) == []


def test_names_too_long_for_the_file_system(cli: Cli, tmp_path: Path) -> None:
    long_name = "a" * 300 + ".pdf"
    project = write_project(tmp_path / "p", extra_docs=[
        {"path": f"vedlegg/{long_name}", "types": ["other"]}])
    result = cli("validate", project, "--format", "json", "--lang", "en")
    no_traceback(result)
    assert result.returncode == 1
    found = [f for f in json.loads(result.stdout)["findings"]
             if any(long_name in name for name in f["files"])]
    assert found and found[0]["code"] == "document_unreadable"
    assert "File name too long" in found[0]["message"]

    ready = write_project(tmp_path / "q")
    out = tmp_path / long_name
    built = cli("build", ready, "-o", out, "--lang", "en")
    no_traceback(built)
    assert built.returncode == 2
    assert long_name in built.stderr and "File name too long" in built.stderr
    assert leftovers(tmp_path) == []


def test_a_file_name_that_is_not_utf8_and_a_lone_surrogate(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    latin1 = os.fsdecode(b"vedlegg/variabelliste-s\xf8knad.xlsx")
    (tmp_path / "p" / "vedlegg" / "variabelliste.xlsx").rename(tmp_path / "p" / latin1)
    data = json.loads(project.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        if doc["path"].endswith("variabelliste.xlsx"):
            doc["path"] = latin1
    data["project"]["title"] = "Arbeid \ud800 og helse"
    project.write_text(json.dumps(data), encoding="utf-8")  # ASCII escapes keep them
    out = tmp_path / "pakke.pdf"
    result = cli("build", project, "-o", out, "--lang", "en")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert "variabelliste-søknad.xlsx" in reader.attachments
    assert reader.metadata is not None and reader.metadata.title == "Arbeid \ufffd og helse"
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert "variabelliste-søknad.xlsx" in {d["file_name"] for d in manifest["documents"]}


# --- leftovers of killed runs (defect 6) ---------------------------------------------------

def _old(path: Path) -> Path:
    from soknadspakke.core.atomic import STALE_AGE

    path.write_bytes(b"%PDF-1.7 cut off by kill -9" * 1000)
    when = path.stat().st_mtime - STALE_AGE - 60
    os.utime(path, (when, when))
    return path


def test_add_onto_a_full_disk_leaves_no_partial_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    project = write_project(tmp_path / "p")
    source = tmp_path / "elsewhere" / "notat.pdf"
    make_document(source, "Et notat")

    def full_disk(src: Any, dst: Any, length: int = 0) -> None:
        dst.write(src.read(100))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", full_disk)
    before = project.read_bytes()
    code, _out, err = run_in_process(capsys, "add", project, source, "--as", "other",
                                     "--lang", "en")
    assert code == 2
    assert "No space left on device" in err and "notat.pdf" in err
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "p" / "vedlegg" / "notat.pdf").exists()
    assert project.read_bytes() == before


def test_leftovers_of_killed_runs_are_removed_and_nothing_else(cli: Cli, tmp_path: Path
                                                                ) -> None:
    project = write_project(tmp_path / "p")
    killed_build = _old(tmp_path / ".pakke.pdf.x7_k2mqa.part")
    killed_add = _old(tmp_path / "p" / "vedlegg" / ".notat.pdf.part")
    killed_save = _old(tmp_path / "p" / f".{project.name}.q1w2e3r4.part")
    users_own = _old(tmp_path / "pakke.pdf.part")
    built = cli("build", project, "-o", tmp_path / "pakke.pdf")
    assert built.returncode == 0, built.stderr
    assert not killed_build.exists() and users_own.exists()
    source = tmp_path / "notat.pdf"
    make_document(source, "Et notat")
    added = cli("add", project, source, "--as", "other")
    assert added.returncode == 0, added.stderr
    assert not killed_add.exists() and not killed_save.exists()
    assert leftovers(tmp_path) == [users_own]


# --- pages without a MediaBox (defect 3) ---------------------------------------------------

def _without_mediabox(path: Path, text: str) -> bytes:
    """Two pages, neither with a MediaBox (none inherited); the first has a CropBox."""
    import pikepdf

    make_document(path, text)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        first = pdf.pages[0].obj
        first["/CropBox"] = pikepdf.Array([0, 0, 300, 400])
        for page in pdf.pages:
            del page.obj["/MediaBox"]
        pdf.save(path)
    return path.read_bytes()


def test_pages_without_a_mediabox_are_accepted_warned_about_and_built(cli: Cli,
                                                                      tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    content = _without_mediabox(tmp_path / "p" / "vedlegg" / "dpia.pdf", "Uten MediaBox")
    data = json.loads(project.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        if doc["path"] == "vedlegg/dpia.pdf":
            doc["sha256"] = hashlib.sha256(content).hexdigest()
    project.write_text(json.dumps(data), encoding="utf-8")
    checked = cli("validate", project, "--format", "json", "--lang", "en")
    no_traceback(checked)
    report = json.loads(checked.stdout)
    assert report["ready"] is True
    warned = [f for f in report["findings"] if f["code"] == "pdf_no_page_size"]
    assert len(warned) == 1 and warned[0]["severity"] == "warning"
    assert "pages 1, 2" in warned[0]["message"]

    out = tmp_path / "pakke.pdf"
    built = cli("build", project, "-o", out, "--lang", "en")
    no_traceback(built)
    assert built.returncode == 0, built.stderr
    reader = PdfReader(out)
    manifest = json.loads(reader.attachments["manifest.json"][0])
    entry = next(d for d in manifest["documents"] if d["file_name"] == "dpia.pdf")
    first, second = (reader.pages[n - 1] for n in (entry["first_page"], entry["last_page"]))
    assert "Uten MediaBox" in first.extract_text()
    assert float(first.cropbox.width) == pytest.approx(300, abs=1)
    assert float(second.mediabox.width) == pytest.approx(595.28, abs=1)
    assert float(second.mediabox.height) > 841  # A4, plus the footer strip
    assert "Page" in second.extract_text()  # the footer was stamped


# --- macros and library noise (defect 8) ---------------------------------------------------

def _macro_workbook(path: Path) -> bytes:
    """An XLSM as Excel writes it: a VBA project, its relationship and content types."""
    import io
    import zipfile

    make_document(path.with_suffix(".xlsx"), "Variabel med makro")
    plain = path.with_suffix(".xlsx").read_bytes()
    path.with_suffix(".xlsx").unlink()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'))
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA-MACRO-CODE Sub AutoOpen()")
    path.write_bytes(out.getvalue())
    return out.getvalue()


def test_a_macro_workbook_goes_into_the_package_without_its_macros(cli: Cli, tmp_path: Path
                                                                   ) -> None:
    import io
    import zipfile

    from openpyxl import load_workbook

    project = write_project(tmp_path / "p")
    content = _macro_workbook(tmp_path / "p" / "vedlegg" / "variabelliste.xlsm")
    data = json.loads(project.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        if doc["path"] == "vedlegg/variabelliste.xlsx":
            doc["path"] = "vedlegg/variabelliste.xlsm"
            doc["sha256"] = hashlib.sha256(content).hexdigest()
    project.write_text(json.dumps(data), encoding="utf-8")
    checked = cli("validate", project, "--format", "json", "--lang", "en")
    no_traceback(checked)
    macro = [f for f in json.loads(checked.stdout)["findings"] if f["code"] == "macro_file"]
    assert macro and "copy without them (variabelliste.xlsx)" in macro[0]["message"]

    out = tmp_path / "pakke.pdf"
    built = cli("build", project, "-o", out, "--lang", "en")
    no_traceback(built)
    assert built.returncode == 0, built.stderr
    reader = PdfReader(out)
    assert "variabelliste.xlsm" not in reader.attachments
    embedded = reader.attachments["variabelliste.xlsx"][0]
    assert b"VBA-MACRO-CODE" not in embedded
    with zipfile.ZipFile(io.BytesIO(embedded)) as archive:
        names = archive.namelist()
        assert not [n for n in names if "vba" in n.lower()]
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    assert b"macroEnabled" not in types and b"vbaProject" not in types
    assert b"vbaProject" not in rels
    sheet = load_workbook(io.BytesIO(embedded)).active
    assert sheet is not None and sheet["C2"].value == "Variabel med makro"
    assert (tmp_path / "p" / "vedlegg" / "variabelliste.xlsm").read_bytes() == content


def test_library_log_lines_stay_off_the_terminal(cli: Cli, tmp_path: Path) -> None:
    import io

    from PIL import Image

    picture = tmp_path / "gjennomsiktig.png"
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 40), (200, 0, 0, 100)).save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    inspected = cli("inspect", picture, "--lang", "en")
    assert inspected.returncode == 0, inspected.stderr
    assert "alpha channel" not in inspected.stderr + inspected.stdout

    project = write_project(tmp_path / "p")
    dpia = tmp_path / "p" / "vedlegg" / "dpia.pdf"
    data = dpia.read_bytes()
    # One more cross-reference entry, pointing at offset 0: pypdf logs "Ignoring wrong
    # pointing object" and reads the file well.
    table = re.search(rb"xref\n0 (\d+)\n", data)
    assert table is not None
    count = int(table.group(1))
    end = table.end() + 20 * count
    shifted = (data[:table.start()] + b"xref\n0 %d\n" % (count + 1) + data[table.end():end]
               + b"0000000000 00000 n \n" + data[end:])
    shifted = re.sub(rb"/Size (\d+)", lambda m: b"/Size %d" % (int(m.group(1)) + 1), shifted)
    dpia.write_bytes(shifted)
    doc_sha = hashlib.sha256(shifted).hexdigest()
    meta = json.loads(project.read_text(encoding="utf-8"))
    for doc in meta["documents"]:
        if doc["path"] == "vedlegg/dpia.pdf":
            doc["sha256"] = doc_sha
    project.write_text(json.dumps(meta), encoding="utf-8")
    built = cli("build", project, "-o", tmp_path / "pakke.pdf", "--lang", "en")
    assert built.returncode == 0, built.stderr
    assert "wrong pointing object" not in built.stderr.lower()
    assert built.stderr.splitlines()[0].startswith("Wrote ")
    log = Path(os.environ["SOKNADSPAKKE_CACHE"]) / "soknadspakke.log"
    assert "wrong pointing object" in log.read_text(encoding="utf-8").lower()


def test_one_unreadable_document_does_not_stop_a_draft(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A document that intake read but the build cannot open (here: it breaks in between) is
    left out of a draft, named; a final package stops with a message naming it."""
    from soknadspakke.core.errors import InputFileError
    from soknadspakke.pdf import inputs as assemble

    draft = write_project(tmp_path / "d", docs=[("vedlegg/protokoll.pdf", ["research_protocol"]),
                                                ("vedlegg/dpia.pdf", ["dpia"])])
    real_open = assemble._open

    def breaking(path: Path, password: str | None, file_name: str, *data: Any) -> Any:
        if file_name == "dpia.pdf":
            raise InputFileError("not a readable PDF (dpia.pdf): cut off", path=path)
        return real_open(path, password, file_name, *data)

    monkeypatch.setattr(assemble, "_open", breaking)
    out = tmp_path / "utkast.pdf"
    code, _out, err = run_in_process(capsys, "build", draft, "-o", out, "--draft",
                                     "--lang", "en")
    assert code == 0, err
    assert "left out (cannot be used): vedlegg/dpia.pdf" in err
    reader = PdfReader(out)
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert [d["file_name"] for d in manifest["documents"]] == ["protokoll.pdf"]
    assert "Document 0" in "".join(page.extract_text() for page in reader.pages)

    # A ready application's final package stops at the unreadable document, naming it.
    ready = write_project(tmp_path / "r")
    final = tmp_path / "endelig.pdf"
    code, _out, err = run_in_process(capsys, "build", ready, "-o", final, "--lang", "en")
    assert code == 2 and "dpia.pdf" in err and not final.exists()
