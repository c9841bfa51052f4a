"""A document's pages as the package will show them, for a preview.

Viewers that draw no form-field values (QtPdf among them) would show a filled form empty. The
package flattens forms (see :mod:`soknadspakke.pdf.annotations`); :func:`flattened_copy` does
the same to one document alone, so the window can preview what the case handler will see. Links
and comments are kept, active content is dropped, exactly as in the package; no footer, cover
or index is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from soknadspakke.core.atomic import atomic_writer
from soknadspakke.core.errors import Cancelled, InputFileError
from soknadspakke.core.i18n import _
from soknadspakke.core.tasks import CancelFn, check_cancel
from soknadspakke.pdf.annotations import DocumentPages, copy_annotations
from soknadspakke.pdf.forms import regenerate_appearances

_EXCLUDED: list[str | int] = [1, "/Annots", 1, "/AA", 1, "/B"]
_RESOURCES = NameObject("/Resources")
_XOBJECT = NameObject("/XObject")
_CONTENTS = NameObject("/Contents")


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = StreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _draw(writer: PdfWriter, page: Any, commands: list[tuple[IndirectObject, Any]]) -> None:
    """Draw flattened field appearances over ``page``'s content, which is left as it is."""
    resources = page.get(_RESOURCES)
    resources = DictionaryObject(resources.get_object() if resources is not None else {})
    xobjects = resources.get(_XOBJECT)
    xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    drawn = [b"\nQ\n"]
    for ref, drawing in commands:
        n = 1
        while NameObject(f"/SpkField{n}") in xobjects:
            n += 1
        xobjects[NameObject(f"/SpkField{n}")] = ref
        drawn.append(drawing.command(f"SpkField{n}"))
    resources[_XOBJECT] = xobjects
    page[_RESOURCES] = resources
    contents = page.raw_get(_CONTENTS) if _CONTENTS in page else None
    parts: list[Any] = []
    if isinstance(contents, IndirectObject):
        target = contents.get_object()
        parts = list(target) if isinstance(target, ArrayObject) else [contents]
    elif isinstance(contents, ArrayObject):
        parts = list(contents)
    page[_CONTENTS] = ArrayObject([_stream(writer, b"q\n"), *parts,
                                   _stream(writer, b"".join(drawn))])


def flattened_copy(pdf_path: Path, out: Path, *, password: str | None = None,
                   cancel: CancelFn | None = None) -> Path:
    """Write ``pdf_path`` with its form fields drawn into the pages to ``out`` (atomically).

    Raises :class:`~soknadspakke.core.errors.InputFileError` naming the file when it cannot be
    read or opened.
    """
    try:
        reader = PdfReader(pdf_path)
        if reader.is_encrypted and reader.decrypt(password or "") == PasswordType.NOT_DECRYPTED:
            raise InputFileError(_("the password does not open the PDF ({name})").format(
                name=pdf_path.name), path=pdf_path)
        writer = PdfWriter()
        doc = DocumentPages(reader)
        for page in reader.pages:
            check_cancel(cancel)
            doc.new_pages.append(writer.add_page(page, cast(Any, _EXCLUDED)))
        doc.appearance_overrides = regenerate_appearances(reader)
        for i, new_page in enumerate(doc.new_pages):
            annots = copy_annotations(writer, doc, i, None)
            if annots.annots:
                new_page[NameObject("/Annots")] = ArrayObject(annots.annots)
            if annots.drawings:
                _draw(writer, new_page, [(d.xobject, d) for d in annots.drawings])
        with atomic_writer(out) as handle:
            writer.write(handle)
    except (InputFileError, Cancelled):
        raise
    except OSError as exc:
        raise InputFileError(_("the file cannot be read ({name}): {reason}").format(
            name=pdf_path.name, reason=exc.strerror or exc), path=pdf_path) from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
            name=pdf_path.name, reason=exc), path=pdf_path) from None
    return out
