"""Embedded files (the originals and ``manifest.json``) and the package's metadata (Info + XMP)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any, cast

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from soknadspakke.core.i18n import translate
from soknadspakke.pdf.inputs import read_original
from soknadspakke.pdf.model import PackageMetadata, PackageSpec

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _guess_type(name: str) -> str:
    import mimetypes  # only for embedded originals; reads the system's type tables

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


@dataclass(frozen=True)
class Attachment:
    """A file to embed: its name in the package, bytes, and a description."""

    name: str
    data: bytes
    description: str
    relationship: str = "/Source"
    mime: str | None = None
    packed: bytes | None = None
    """``data`` Flate-compressed, when that pays (see :func:`pack`)."""


def pack(item: Attachment) -> Attachment:
    """``item`` with :attr:`Attachment.packed` filled in when compression pays. zlib releases
    the GIL, so this can run on a worker thread while pages are copied."""
    if item.packed is None and _worth_compressing(item.data):
        return replace(item, packed=zlib.compress(item.data, 1))
    return item


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``stem (2).ext`` … when ``taken`` already holds it (case-insensitive)."""
    clean = PurePath(name.replace("\\", "/")).name or "file"
    candidate, n = clean, 1
    path = PurePath(clean)
    while candidate.lower() in taken:
        n += 1
        candidate = f"{path.stem} ({n}){path.suffix}"
    taken.add(candidate.lower())
    return candidate


SAMPLE = 64 * 1024


def _worth_compressing(data: bytes) -> bool:
    """Whether Flate would shrink ``data`` by a tenth (judged on a sample: zip-based office
    files, images and archives are already compressed)."""
    if len(data) < 256:
        return False
    sample = data[:SAMPLE]
    return len(zlib.compress(sample, 1)) < 0.9 * len(sample)


def _stream(item: Attachment) -> StreamObject:
    item = pack(item)
    stream = StreamObject()
    if item.packed is not None:
        stream.set_data(item.packed)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    else:
        stream.set_data(item.data)
    return stream


def embed_files(writer: PdfWriter, attachments: Sequence[Attachment], when: dt.datetime) -> None:
    """Embed ``attachments`` byte for byte (in the EmbeddedFiles name tree and the catalog's
    ``/AF`` list), each with its size, MD5 checksum, MIME type and description."""
    if not attachments:
        return
    entries: list[tuple[str, IndirectObject]] = []
    for item in attachments:
        stream = _stream(item)
        mime = item.mime or _guess_type(item.name)
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        stream[NameObject("/Subtype")] = NameObject("/" + mime)
        stream[NameObject("/Params")] = DictionaryObject({
            NameObject("/Size"): NumberObject(len(item.data)),
            NameObject("/CheckSum"): ByteStringObject(hashlib.md5(item.data).digest()),
            NameObject("/ModDate"): TextStringObject(pdf_date(when)),
        })
        stream_ref = writer._add_object(stream)
        ascii_name = item.name.encode("ascii", "replace").decode("ascii")
        spec = DictionaryObject({
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(ascii_name),
            NameObject("/UF"): TextStringObject(item.name),
            NameObject("/Desc"): TextStringObject(item.description),
            NameObject("/AFRelationship"): NameObject(item.relationship),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): stream_ref,
                                                 NameObject("/UF"): stream_ref}),
        })
        entries.append((item.name, writer._add_object(spec)))
    entries.sort(key=lambda e: e[0])
    names = ArrayObject()
    for name, ref in entries:
        names.extend([TextStringObject(name), ref])
    root = writer.root_object
    name_tree = DictionaryObject({NameObject("/EmbeddedFiles"): writer._add_object(
        DictionaryObject({NameObject("/Names"): names}))})
    root[NameObject("/Names")] = writer._add_object(name_tree)
    root[NameObject("/AF")] = ArrayObject(ref for _, ref in entries)


def manifest_json(extra: Mapping[str, Any], own: Mapping[str, Any]) -> bytes:
    """The manifest: the caller's extra entries, then the assembler's own (which win)."""
    data = {"manifest_version": MANIFEST_VERSION, **dict(extra), **dict(own)}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def escape(text: str) -> str:
    """``text`` for XML character data and attribute values."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def xmp_packet(*, title: str, author: str, subject: str, creator: str, producer: str,
               keywords: str, lang: str, when: dt.datetime) -> bytes:
    """A small XMP packet repeating the Info dictionary (viewers prefer XMP when present)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    language = "nb-NO" if lang == "nb" else "en"

    def alt(value: str) -> str:
        return (f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
                f'<rdf:li xml:lang="{language}">{escape(value)}</rdf:li></rdf:Alt>')

    xml = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<dc:title>{alt(title)}</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:description>{alt(subject)}</dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>"
        "<dc:format>application/pdf</dc:format>"
        f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>"
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>"
        f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return xml.encode("utf-8")


def set_metadata(writer: PdfWriter, meta: PackageMetadata, *, producer: str, lang: str,
                 when: dt.datetime) -> None:
    """Info dictionary, XMP packet and catalog ``/Lang``."""
    title, author, subject, creator, keywords = (meta.title, meta.author, meta.subject,
                                                 meta.creator, meta.keywords)
    writer.add_metadata({
        "/Title": title, "/Author": author, "/Subject": subject, "/Creator": creator,
        "/Producer": producer, "/Keywords": keywords,
        "/CreationDate": pdf_date(when), "/ModDate": pdf_date(when),
    })
    packet = xmp_packet(title=title, author=author, subject=subject, creator=creator,
                        producer=producer, keywords=keywords, lang=lang, when=when)
    writer.xmp_metadata = packet
    metadata = cast(DictionaryObject, writer.root_object["/Metadata"].get_object())
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Lang")] = TextStringObject("nb-NO" if lang == "nb" else "en")


def embedded_originals(spec: PackageSpec, lang: str) -> tuple[list[Attachment], dict[int, str]]:
    """The originals to embed, read, checked against their sha256 and compressed."""
    taken = {MANIFEST_NAME}
    attachments: list[Attachment] = []
    names: dict[int, str] = {}
    for i, doc in enumerate(spec.documents):
        if doc.original_path is None:
            continue
        path = Path(doc.original_path)
        data = read_original(path, doc.original_sha256 or doc.sha256, doc.file_name)
        name = unique_name(doc.original_name or doc.file_name or path.name, taken)
        names[i] = name
        attachments.append(pack(Attachment(name, data, translate(
            "Original file of “{title}” ({type})", lang).format(title=doc.title,
                                                                   type=doc.type_label))))
    return attachments, names
