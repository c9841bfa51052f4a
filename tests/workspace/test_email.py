"""The ``.eml`` draft parsed back with Python's ``email`` package; splitting, compressing, zip."""

from __future__ import annotations

import email
import io
import re
import shutil
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from soknadspakke.cli import main
from soknadspakke.core.errors import Cancelled
from soknadspakke.core.project_file import load_project
from soknadspakke.pdf.compress import compress_package
from soknadspakke.rules.loader import default_pack
from soknadspakke.workspace.email_draft import encoded_size, split_drafts
from soknadspakke.workspace.locate import package_path, safe_file_name

from .factory import REPO, write_application

EXAMPLE = REPO / "resources" / "examples" / "ny-soknad"
SAFE = re.compile(r"[A-Za-z0-9_-]+(\.[a-z0-9]+)?")


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def attachments(message: EmailMessage) -> dict[str, bytes]:
    found = {}
    for part in message.iter_attachments():
        name = part.get_filename()
        assert name is not None
        content = part.get_content()
        assert isinstance(content, bytes)
        found[name] = content
    return found


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "ny-soknad")
    return tmp_path / "ny-soknad" / "ny-soknad.soknad"


def test_draft_headers_body_and_attachments_read_back_byte_identical(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "utkast.eml"
    assert main(["email", str(example), "-o", str(draft), "--lang", "nb"]) == 0
    assert "Bygde pakken først" in capsys.readouterr().err  # no package yet: built first
    raw = draft.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = parse(draft)
    assert message["To"] == "mikrodata@ssb.no"
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == ("Søknad om lån av mikrodata: Utdanningsløp og "
                                  "arbeidsmarkedstilknytning blant unge voksne (Ny søknad)")
    body_part = message.get_body(("plain",))
    assert body_part is not None
    body = body_part.get_content().replace("\r\n", "\n")  # sent with CRLF line ends
    assert body.startswith("Hei,\n")
    assert "ny-soknad-soknadspakke.pdf, 19 sider" in body
    for n in range(1, 10):
        assert f"\n  {n}. " in body
    assert "Tilrådning fra personvernombudet (s. 14)" in body
    assert "03-variabelliste-befolkning.xlsx" in body
    assert body.rstrip().endswith("kari.nordmann@eksempel.no")
    files = attachments(message)
    package = package_path(example, "nb")
    assert files == {
        "ny-soknad-soknadspakke.pdf": package.read_bytes(),
        "03-variabelliste-befolkning.xlsx":
            (example.parent / "vedlegg" / "03-variabelliste-befolkning.xlsx").read_bytes(),
    }
    assert all(SAFE.fullmatch(name) for name in files)
    types = [p.get_content_type() for p in message.iter_attachments()]
    assert types == ["application/pdf",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    # A second run uses the package that is there (it is newer than every file).
    before = package.stat().st_mtime_ns
    assert main(["email", str(example), "-o", str(draft), "--lang", "nb"]) == 0
    assert package.stat().st_mtime_ns == before
    assert "Bygde pakken" not in capsys.readouterr().err


def test_a_not_ready_application_gets_no_draft(tmp_path: Path) -> None:
    project = write_application(tmp_path / "a", title="Uten DPIA",
                                docs=[("vedlegg/soknadsskjema.pdf", ["application_form_new"])])
    assert main(["email", str(project)]) == 1
    assert list(tmp_path.rglob("*.eml")) == []
    assert list(tmp_path.rglob("*-application-package.pdf")) == []


def small_limit_pack(tmp_path: Path, megabytes: float) -> Path:
    text = (REPO / "resources" / "rules" / "ssb-mikrodata.toml").read_text(encoding="utf-8")
    text = text.replace("max_encoded_mb = 20", f"max_encoded_mb = {megabytes}")
    path = tmp_path / "small-limit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_over_the_limit_nothing_is_written_and_both_ways_are_offered(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = small_limit_pack(tmp_path, 0.4)
    draft = tmp_path / "d.eml"
    assert main(["email", str(example), "-o", str(draft), "--rules", str(rules)]) == 1
    err = capsys.readouterr().err
    assert "over the limit of 0.4 MB" in err and "--compress" in err and "--split" in err
    assert not draft.exists()


def test_split_sends_every_document_whole_with_the_index_in_the_first(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = small_limit_pack(tmp_path, 0.4)
    draft = tmp_path / "d.eml"
    assert main(["email", str(example), "-o", str(draft), "--rules", str(rules),
                 "--split"]) == 0
    paths = sorted(tmp_path.glob("d-*.eml"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(paths) >= 2 and not draft.exists()
    messages = [parse(p) for p in paths]
    limit = int(0.4 * 1024 * 1024)
    package = PdfReader(package_path(example, "en"))
    pages_seen = 0
    for number, (path, message) in enumerate(zip(paths, messages, strict=True), start=1):
        assert len(path.read_bytes()) <= limit
        assert message["Subject"].endswith(f"(e-mail {number} of {len(paths)})")
        body_part = message.get_body(("plain",))
        assert body_part is not None
        body = body_part.get_content().replace("\r\n", "\n")
        assert f"This is e-mail {number} of {len(paths)}." in body
        pdfs = {n: d for n, d in attachments(message).items() if n.endswith(".pdf")}
        if not pdfs:  # the spreadsheets did not fit beside the last part: an e-mail of their own
            assert number == len(paths) > 1
            assert list(attachments(message)) == ["03-variabelliste-befolkning.xlsx"]
            assert "This e-mail holds" not in body and "original spreadsheets" in body
            continue
        assert list(pdfs) == [f"ny-soknad-application-package_part{number}.pdf"]
        part = PdfReader(io.BytesIO(next(iter(pdfs.values()))))
        # the pages are the package's own pages, in order
        for offset, page in enumerate(part.pages):
            original = package.pages[pages_seen + offset]
            assert page.extract_text() == original.extract_text()
        pages_seen += len(part.pages)
        titles = [o.title for o in part.outline]  # type: ignore[union-attr]
        if number == 1:
            assert titles[0] == "Cover sheet and index"
            assert "E-mail 2: ny-soknad-application-package_part2.pdf" in body
        else:
            assert "This e-mail holds" in body
            for title in titles:
                assert title is not None
                assert title.split(". ", 1)[1] in body
    assert pages_seen == len(package.pages)
    assert "03-variabelliste-befolkning.xlsx" in attachments(messages[-1])
    first_body = messages[0].get_body(("plain",))
    assert first_body is not None
    index = first_body.get_content().replace("\r\n", "\n")
    for number in range(1, len(paths) + 1):
        assert f"  E-mail {number}: " in index


def test_split_refuses_a_document_larger_than_the_limit(example: Path) -> None:
    from soknadspakke.core.errors import SoknadError

    assert main(["build", str(example), "--quiet"]) == 0
    project = load_project(example)
    with pytest.raises(SoknadError, match="alone is over the e-mail limit"):
        split_drafts(project, default_pack(), package_path(example, "en"), lang="en",
                     limit=150_000)


def with_a_scan(folder: Path) -> Path:
    """A ready application with a 300 dpi A4 "scan" of noise (which does not compress)."""
    import hashlib
    import json
    import os

    project = write_application(folder, title="Skannet")
    scan = folder / "vedlegg" / "vedtak.jpg"
    Image.frombytes("L", (2480, 3508), os.urandom(2480 * 3508)).save(scan, quality=90,
                                                                      dpi=(300, 300))
    data = json.loads(project.read_text(encoding="utf-8"))
    data["documents"].append({"path": "vedlegg/vedtak.jpg", "types": ["other"],
                              "sha256": hashlib.sha256(scan.read_bytes()).hexdigest()})
    project.write_text(json.dumps(data), encoding="utf-8")
    return project


def test_compressed_package_downsamples_the_scan_and_keeps_every_page(
        tmp_path: Path) -> None:
    project = with_a_scan(tmp_path / "scan")
    assert main(["build", str(project), "--quiet"]) == 0
    package = package_path(project, "en")
    result = compress_package(package, tmp_path / "small.pdf", dpi=100)
    assert result.images_downsampled == 1 and result.originals_left_out == 1
    assert result.size_after < result.size_before / 3
    before, after = PdfReader(package), PdfReader(result.path)
    assert len(after.pages) == len(before.pages)
    assert [p.extract_text() for p in after.pages] == [p.extract_text() for p in before.pages]
    images = [img for page in after.pages for img in page.images]
    assert len(images) == 1
    width, height = images[0].image.size  # type: ignore[union-attr]
    assert 700 <= width <= 900 and 1000 <= height <= 1250  # ~100 dpi on A4
    assert set(after.attachments) == {"manifest.json", "variabelliste.xlsx"}


def test_compressing_reports_progress_and_stops_writing_nothing(tmp_path: Path) -> None:
    project = with_a_scan(tmp_path / "scan")
    assert main(["build", str(project), "--quiet"]) == 0
    package = package_path(project, "en")
    heard: list[tuple[int, int]] = []
    compress_package(package, tmp_path / "small.pdf", dpi=100,
                     progress=lambda done, total, _message: heard.append((done, total)))
    assert heard == [(0, 1)]  # one scanned image
    with pytest.raises(Cancelled):
        compress_package(package, tmp_path / "stopped.pdf", dpi=100, cancel=lambda: True)
    assert not (tmp_path / "stopped.pdf").exists()


def test_safe_attachment_names() -> None:
    assert safe_file_name("Tilrådning fra personvernombud (2).PDF") == \
        "Tilraadning_fra_personvernombud_2.pdf"
    assert safe_file_name("Søknad – ærlig økonomi.xlsx", index=3) == \
        "03_Soknad_aerlig_okonomi.xlsx"
    assert safe_file_name("../../etc/passwd") == "etc_passwd"
    assert safe_file_name("....") == "vedlegg"
    assert safe_file_name("über café.docx") == "uber_cafe.docx"
    assert safe_file_name("a" * 200 + ".pdf") == "a" * 60 + ".pdf"
    for name in ("Tilrådning fra personvernombud (2).PDF", "x y.z.tar", "日本語.pdf", "é"):
        assert SAFE.fullmatch(safe_file_name(name)), name


def test_originals_zip_beside_the_package(example: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(example), "--originals", "--lang", "nb"]) == 0
    zipped = example.parent / "ny-soknad-originaler.zip"
    with zipfile.ZipFile(zipped) as archive:
        names = archive.namelist()
        assert names[0] == "01_01-soknadsskjema.pdf"
        assert len(names) == 9 and all(SAFE.fullmatch(n) for n in names)
        assert [n[:3] for n in names] == [f"{i:02d}_" for i in range(1, 10)]
        project = load_project(example)
        by_name = {d.file_name: project.resolve(d).read_bytes() for d in project.documents}
        for name in names:
            assert archive.read(name) == by_name[name[3:]]
    assert "originaler" in capsys.readouterr().err


def test_encoded_size_counts_base64(example: Path, tmp_path: Path) -> None:
    assert main(["email", str(example), "-o", str(tmp_path / "d.eml")]) == 0
    message = parse(tmp_path / "d.eml")
    raw_total = sum(len(d) for d in attachments(message).values())
    assert encoded_size(message) == len((tmp_path / "d.eml").read_bytes())
    assert 1.33 * raw_total < encoded_size(message) < 1.45 * raw_total + 10_000


def test_a_draft_package_is_never_sent(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    project = write_application(tmp_path / "a", title="Utkast",
                                docs=[("vedlegg/soknadsskjema.pdf", ["application_form_new"])])
    assert main(["build", str(project), "--draft", "--quiet"]) == 0
    draft_package = package_path(project, "en")
    assert main(["email", str(project), "--package", str(draft_package)]) == 1
    assert "is a draft package" in capsys.readouterr().err
    assert main(["email", str(project)]) == 1  # the draft beside it is not used: not ready
    assert list(tmp_path.rglob("*.eml")) == []


def test_a_title_with_line_breaks_stays_one_header_line(tmp_path: Path) -> None:
    import json

    project = write_application(tmp_path / "a", title="Arbeid\nBcc: x@example.org\r\nog helse")
    draft = tmp_path / "d.eml"
    assert main(["email", str(project), "-o", str(draft)]) == 0
    message = parse(draft)
    assert message["Bcc"] is None
    assert message["Subject"] == ("Application to borrow microdata: Arbeid Bcc: x@example.org "
                                  "og helse (New application)")
    assert json.loads(project.read_text(encoding="utf-8"))["project"]["title"].count("\n") == 2


def test_email_with_compress_attaches_the_smaller_copy(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    project = with_a_scan(tmp_path / "scan")
    rules = small_limit_pack(tmp_path, 3)
    draft = tmp_path / "d.eml"
    assert main(["email", str(project), "-o", str(draft), "--rules", str(rules)]) == 1
    assert "over the limit of 3.0 MB" in capsys.readouterr().err
    assert main(["email", str(project), "-o", str(draft), "--rules", str(rules),
                 "--compress"]) == 0
    err = capsys.readouterr().err
    assert "Compressed package:" in err and "1 scanned images at 150 dpi" in err
    compressed = project.parent / "scan-application-package-compressed.pdf"
    files = attachments(parse(draft))
    assert files["scan-application-package-compressed.pdf"] == compressed.read_bytes()
    assert len(draft.read_bytes()) <= 3 * 1024 * 1024
    assert len(PdfReader(compressed).pages) == len(
        PdfReader(package_path(project, "en")).pages)
