"""Start-up imports only what the command needs: pypdf's crypto provider is loaded when an
encrypted PDF is met, not before (issue 10); encrypted PDFs still open, with AES and RC4."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from .conftest import REPO, Cli, make_document, write_project


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True, timeout=60).stdout.strip()


def test_a_build_process_starts_without_the_crypto_provider() -> None:
    out = _python("import sys, soknadspakke.cli, soknadspakke.build, pypdf\n"
                  "print('cryptography' in sys.modules, pypdf.crypt_provider[0])")
    assert out == "False local_crypt_fallback"


def test_the_crypto_provider_comes_with_the_first_encrypted_pdf() -> None:
    out = _python(
        "import io, sys, soknadspakke.cli\n"
        "from pypdf import PdfReader, PdfWriter\n"
        "writer = PdfWriter(); writer.add_blank_page(100, 100)\n"
        "writer.encrypt('pw', algorithm='AES-256'); data = io.BytesIO(); writer.write(data)\n"
        "reader = PdfReader(io.BytesIO(data.getvalue()))\n"
        "print(reader.decrypt('pw').name != 'NOT_DECRYPTED', 'cryptography' in sys.modules,"
        " len(reader.pages))")
    assert out == "True True 1"


@pytest.mark.parametrize("algorithm", ["AES-256", "AES-128", "RC4-128"])
def test_build_with_an_encrypted_pdf(cli: Cli, tmp_path: Path, algorithm: str) -> None:
    folder = tmp_path / "p"
    write_project(folder)
    plain = tmp_path / "plain.pdf"
    make_document(plain, "HEMMELIG INNHOLD")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="sesam", owner_password="eier", algorithm=algorithm)
    target = folder / "vedlegg" / "hemmelig.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    data = json.loads((folder / "soknad.soknad").read_text(encoding="utf-8"))
    data["documents"].append({"path": "vedlegg/hemmelig.pdf", "types": ["other"],
                              "sha256": hashlib.sha256(target.read_bytes()).hexdigest()})
    (folder / "soknad.soknad").write_text(json.dumps(data), encoding="utf-8")
    refused = cli("validate", folder / "soknad.soknad", "--format", "json")
    assert refused.returncode == 1
    assert "password_required" in refused.stdout
    built = cli("build", folder / "soknad.soknad", "-o", "x.pdf", "--password",
                "hemmelig.pdf=sesam", "--quiet")
    assert built.returncode == 0, built.stdout + built.stderr
    package = PdfReader(tmp_path / "x.pdf")
    assert any("HEMMELIG INNHOLD" in page.extract_text() for page in package.pages)
