"""Writing a package PDF while it is assembled, so that memory stays flat in its size.

pypdf's :class:`~pypdf.PdfWriter` keeps every object until one final ``write``. Here the
writer's objects are written to the output as soon as they are complete (after each input
document) and dropped from memory; only objects that still change (the catalog, the page tree,
the document information, the cover and index pages, which get their links last) wait for
:meth:`PackageStream.finish`, which writes them, the cross-reference table and the trailer.

Objects keep the numbers pypdf gave them, so references between them stay valid whatever order
they are written in; a reference to an object already written is never resolved again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

#: Names written so far, as bytes (a package repeats a few hundred names a hundred thousand
#: times; pypdf escapes each one character by character every time it writes it).
_NAMES: dict[str, bytes] = {}
_MAX_NAMES = 50_000
_escape_name = NameObject.renumber


def _write_name(self: NameObject, stream: Any) -> None:
    """pypdf's ``NameObject.write_to_stream``, remembering each name's escaped form."""
    data = _NAMES.get(self)
    if data is None:
        data = _escape_name(self)
        if len(_NAMES) < _MAX_NAMES and len(self) <= 127:
            _NAMES[str(self)] = data
    stream.write(data)


NameObject.write_to_stream = _write_name  # type: ignore[method-assign]

_PARENT = NameObject("/Parent")
_KIDS = NameObject("/Kids")
_COUNT = NameObject("/Count")
#: Page keys never cloned with a page (pypdf's own list for ``add_page``).
_ALWAYS_EXCLUDED: list[str | int] = [1, "/Parent", 1, "/StructParents"]


class PackageStream:
    """The output file of ``writer``: objects written as they are completed."""

    def __init__(self, writer: PdfWriter, handle: BinaryIO) -> None:
        self.writer = writer
        self.handle = handle
        self.positions: list[int] = []
        self._kept: set[int] = set()
        self._written = 0  # objects before this index were flushed or kept
        pages = writer._pages
        self._pages_ref = pages
        self._pages = cast(DictionaryObject, pages.get_object())
        self._kids = cast(ArrayObject, self._pages[_KIDS])
        # The version is known at the end (the highest of the inputs'); the header has room.
        self._version = _version(writer.pdf_header)
        handle.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.keep(writer.root_object.indirect_reference, pages)
        info = writer._info_obj
        if info is not None:
            self.keep(getattr(info, "indirect_reference", None) or info)

    def keep(self, *refs: Any) -> None:
        """Objects that will still change: written only by :meth:`finish`."""
        for ref in refs:
            if isinstance(ref, IndirectObject):
                self._kept.add(ref.idnum)

    def append_page(self, page: Any, excluded_keys: list[str | int]) -> DictionaryObject:
        """A copy of the input page ``page`` as the package's next page (pypdf's ``add_page``
        without the bookkeeping that keeps every page, and its reader, alive)."""
        writer = self.writer
        source = getattr(page, "indirect_reference", None)
        if source is not None:  # a page cloned before (as a link target) is cloned afresh
            writer._id_translated.get(id(source.pdf), {}).pop(source.idnum, None)
        new = cast(DictionaryObject,
                   page.clone(writer, False, [*excluded_keys, *_ALWAYS_EXCLUDED]).get_object())
        new[_PARENT] = self._pages_ref
        self._kids.append(new.indirect_reference)
        self._pages[_COUNT] = NumberObject(int(cast(int, self._pages[_COUNT])) + 1)
        return new

    def begin(self, reader: PdfReader) -> None:
        """``reader``'s pages come next: the package's version is at least its version."""
        self._version = max(self._version, _version(reader.pdf_header))

    def release(self, reader: PdfReader) -> None:
        """Forget everything about ``reader`` (its pages are all copied), so it can be freed."""
        self.writer._id_translated.pop(id(reader), None)
        # The reader's parsed objects (its trailer, catalog, pages, cache) refer back to it.
        # Dropping everything it holds breaks those cycles, so it and its bytes are freed at
        # once, even while the cyclic garbage collector is paused. It is unusable afterwards.
        vars(reader).clear()

    def flush(self) -> None:
        """Write every object made since the last flush, except the kept ones, and drop it."""
        objects = self.writer._objects
        positions = self.positions
        positions.extend([-1] * (len(objects) - len(positions)))
        write = self.handle.write
        tell = self.handle.tell
        for index in range(self._written, len(objects)):
            obj = objects[index]
            if obj is None or index + 1 in self._kept:
                continue
            positions[index] = tell()
            write(b"%d 0 obj\n" % (index + 1))
            obj.write_to_stream(self.handle)
            write(b"\nendobj\n")
            objects[index] = None
        self._written = len(objects)

    def finish(self) -> None:
        """Write the kept objects, the cross-reference table and the trailer."""
        self.flush()
        objects = self.writer._objects
        for idnum in sorted(self._kept):
            obj = objects[idnum - 1]
            if obj is None:
                continue
            self.positions[idnum - 1] = self.handle.tell()
            self.handle.write(b"%d 0 obj\n" % idnum)
            obj.write_to_stream(self.handle)
            self.handle.write(b"\nendobj\n")
        end = self.handle.tell()
        self.handle.seek(0)
        self.handle.write(b"%%PDF-%d.%d" % self._version)
        self.handle.seek(end)
        free = [i + 1 for i, p in enumerate(self.positions) if p < 0]
        xref = self.writer._write_xref_table(self.handle, self.positions, [*free, 0])
        self.writer._write_trailer(self.handle, xref)


def _version(header: str | bytes) -> tuple[int, int]:
    """``(1, 7)`` from ``"%PDF-1.7"``; PDF 1.3 for anything unreadable."""
    text = header.decode("latin-1") if isinstance(header, bytes) else str(header)
    try:
        major, minor = text.strip()[5:8].split(".")
        version = int(major), int(minor)
    except ValueError:
        return 1, 3
    return version if (1, 0) <= version <= (2, 9) else (1, 3)


def kept_refs(pages: Iterable[Any]) -> list[Any]:
    """The page objects of ``pages`` and their annotation arrays (to keep them open)."""
    refs: list[Any] = []
    for page in pages:
        refs.append(page.indirect_reference)
        annots = page.raw_get("/Annots") if "/Annots" in page else None
        if isinstance(annots, IndirectObject):
            refs.append(annots)
    return refs
