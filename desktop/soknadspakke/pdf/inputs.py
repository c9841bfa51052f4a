"""The package's input files: read, proved against the sha256 validation saw and opened (the
next document is read on a thread while one is copied); for a draft, the documents that cannot
be used."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pypdf import PasswordType, PdfReader

from soknadspakke.core.errors import InputFileError
from soknadspakke.core.i18n import _
from soknadspakke.core.tasks import CancelFn, check_cancel
from soknadspakke.pdf.model import PackageDocument, PackageSpec
from soknadspakke.pdf.stamping import plan_page


def _open(path: Path, password: str | None, file_name: str, data: bytes) -> PdfReader:
    shown = file_name or path.name
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:
        raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
            name=shown, reason=exc), path=path) from None
    try:
        if reader.is_encrypted and reader.decrypt(password or "") == PasswordType.NOT_DECRYPTED:
            message = (_("the password does not open the PDF ({name})") if password
                       else _("the PDF is encrypted and no password was given ({name})"))
            raise InputFileError(message.format(name=shown), path=path)
        count = len(reader.pages)
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
            name=shown, reason=exc), path=path) from None
    if count == 0:
        raise InputFileError(_("the PDF has no pages ({name})").format(name=shown), path=path)
    return reader


def read_original(path: Path, sha256: str, file_name: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(_("the original file cannot be read ({name}): {reason}").format(
            name=file_name or path.name, reason=exc.strerror or exc), path=path) from None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256.lower():
        raise InputFileError(_("the original file has changed since it was added ({name}); "
                               "add it again").format(name=file_name or path.name), path=path)
    return data


def unreadable_documents(spec: PackageSpec, cancel: CancelFn | None) -> list[tuple[int, str]]:
    """For a draft: the inputs that cannot be opened and planned, with the reason; a draft
    leaves them out. Each is opened and let go again (the package is streamed one document
    at a time); a final package instead stops at the first document it cannot read."""
    left_out: list[tuple[int, str]] = []
    for index, doc in enumerate(spec.documents):
        check_cancel(cancel)
        try:
            reader = _open(Path(doc.pdf_path), doc.password, doc.file_name,
                           read_input(doc, check=False))
            try:
                for page in reader.pages:
                    plan_page(page, spec.draft)
            except Exception as exc:
                raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
                    name=doc.file_name, reason=exc), path=doc.pdf_path) from exc
            finally:
                del reader
        except InputFileError as exc:
            left_out.append((index, str(exc)))
    if left_out and len(left_out) == len(spec.documents):
        raise InputFileError(_("no document of the package can be read: {reason}").format(
            reason=left_out[0][1]))
    return left_out


def read_input(doc: PackageDocument, *, check: bool = True) -> bytes:
    """The bytes of a document's PDF, proved against :attr:`PackageDocument.pdf_sha256`."""
    path = Path(doc.pdf_path)
    shown = doc.file_name or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(_("the file was not found ({name})").format(name=shown),
                             path=path) from None
    except OSError as exc:
        raise InputFileError(_("the file cannot be read ({name}): {reason}").format(
            name=shown, reason=exc.strerror or exc), path=path) from None
    if check and doc.pdf_sha256 and hashlib.sha256(data).hexdigest() != doc.pdf_sha256.lower():
        raise InputFileError(_("the file has changed since it was checked ({name}); check "
                               "the application again").format(name=shown), path=path)
    return data


class Prefetch:
    """Reads (and hashes) the next document's bytes on a thread while one is copied; at most
    two documents are in memory at once."""

    def __init__(self, docs: Sequence[PackageDocument]) -> None:
        self.docs = docs
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soknadspakke-read")
        self.pending: dict[int, Future[bytes]] = {}

    def __enter__(self) -> Prefetch:
        self._submit(0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pending.clear()

    def _submit(self, index: int) -> None:
        if index < len(self.docs) and index not in self.pending:
            self.pending[index] = self.pool.submit(read_input, self.docs[index])

    def reader(self, index: int) -> PdfReader:
        self._submit(index)
        data = self.pending[index].result()
        self._submit(index + 1)
        doc = self.docs[index]
        return _open(Path(doc.pdf_path), doc.password, doc.file_name, data)

    def done(self, index: int) -> None:
        self.pending.pop(index, None)


def count_pages(doc: PackageDocument, cancel: CancelFn | None) -> int:
    """The page count of a document the caller did not count (opened and closed again)."""
    check_cancel(cancel)
    reader = _open(Path(doc.pdf_path), doc.password, doc.file_name,
                   read_input(doc, check=False))
    return len(reader.pages)
