"""Bookmarks: one top-level entry per document, the document's own outline nested under it.

The outline is written directly as a tree of dictionaries with explicit ``/Dest`` arrays (no
actions): faster than adding items one at a time, and nothing in it can run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from soknadspakke.pdf.annotations import DocumentPages, make_destination

log = logging.getLogger(__name__)


@dataclass
class OutlineNode:
    """One bookmark: a title, where it points, and its children."""

    title: str
    dest: ArrayObject
    is_open: bool = False
    color: tuple[float, float, float] | None = None
    flags: int = 0
    children: list[OutlineNode] = field(default_factory=list)

    def visible_descendants(self) -> int:
        """How many descendants show when this item is open."""
        return sum(1 + (c.visible_descendants() if c.is_open else 0) for c in self.children)


MAX_ENTRIES = 20_000
MAX_DEPTH = 64


def _title(value: Any) -> str:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    return str(value) if value is not None else ""


def _target(item: DictionaryObject, doc: DocumentPages) -> ArrayObject:
    dest: ArrayObject | None = None
    if "/Dest" in item:
        dest = doc.destination(item["/Dest"])
    else:
        action = item.get("/A")
        action = action.get_object() if isinstance(action, IndirectObject) else action
        if isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
            dest = doc.destination(action.get("/D"))
    return dest if dest is not None else make_destination(doc.new_pages[0])


def _get(item: DictionaryObject, key: str) -> Any:
    value = item.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _style(node: OutlineNode, item: DictionaryObject) -> None:
    count = _get(item, "/Count")
    node.is_open = isinstance(count, int) and count > 0
    colour = _get(item, "/C")
    if isinstance(colour, list) and len(colour) == 3:
        try:
            node.color = (float(colour[0]), float(colour[1]), float(colour[2]))
        except (TypeError, ValueError):
            node.color = None
    flags = _get(item, "/F")
    if isinstance(flags, int):
        node.flags = int(flags) & 3


def document_outline(doc: DocumentPages) -> list[OutlineNode]:
    """``doc``'s own outline, each entry pointing at the same page and view in the package.

    Entries whose target is not a page of the document (other files, web pages, scripts) point
    at the document's first page. Cycles and absurd sizes in a broken outline are cut off.
    """
    try:
        root = doc.reader.root_object.get("/Outlines")
        root = root.get_object() if root is not None else None
    except Exception:  # an unreadable outline costs the document's bookmarks, not the package
        log.warning("outline unreadable", exc_info=True)
        return []
    if not isinstance(root, DictionaryObject):
        return []
    try:
        return _walk(doc, root.raw_get("/First") if "/First" in root else None, 0, set())
    except Exception:
        log.warning("outline unreadable", exc_info=True)
        return []


def _walk(doc: DocumentPages, first: Any, depth: int, seen: set[int]) -> list[OutlineNode]:
    # A plain function, not a closure: a recursive closure is a reference cycle that would
    # keep the document's reader alive until the next garbage collection.
    nodes: list[OutlineNode] = []
    item = first.get_object() if first is not None else None
    while isinstance(item, DictionaryObject) and id(item) not in seen:
        if len(seen) >= MAX_ENTRIES:
            break
        seen.add(id(item))
        node = OutlineNode(_title(item.get("/Title")), _target(item, doc))
        _style(node, item)
        if "/First" in item and depth < MAX_DEPTH:
            node.children = _walk(doc, item.raw_get("/First"), depth + 1, seen)
        nodes.append(node)
        following = item.raw_get("/Next") if "/Next" in item else None
        item = following.get_object() if following is not None else None
    return nodes


def write_outline(writer: PdfWriter, nodes: Sequence[OutlineNode]) -> None:
    """Make ``nodes`` the package's outline."""
    root = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    root_ref = writer._add_object(root)

    def emit(parent_ref: IndirectObject, parent: DictionaryObject,
             children: Sequence[OutlineNode]) -> None:
        refs: list[IndirectObject] = []
        items: list[DictionaryObject] = []
        for child in children:
            item = DictionaryObject({
                NameObject("/Title"): TextStringObject(child.title),
                NameObject("/Parent"): parent_ref,
                NameObject("/Dest"): child.dest,
            })
            if child.color is not None:
                item[NameObject("/C")] = ArrayObject(FloatObject(c) for c in child.color)
            if child.flags:
                item[NameObject("/F")] = NumberObject(child.flags)
            ref = writer._add_object(item)
            if child.children:
                count = child.visible_descendants()
                item[NameObject("/Count")] = NumberObject(count if child.is_open else -count)
                emit(ref, item, child.children)
            refs.append(ref)
            items.append(item)
        for i, item in enumerate(items):
            if i > 0:
                item[NameObject("/Prev")] = refs[i - 1]
            if i + 1 < len(items):
                item[NameObject("/Next")] = refs[i + 1]
        if refs:
            parent[NameObject("/First")] = refs[0]
            parent[NameObject("/Last")] = refs[-1]

    emit(root_ref, root, nodes)
    top = OutlineNode("", ArrayObject(), True, children=list(nodes))
    root[NameObject("/Count")] = NumberObject(top.visible_descendants())
    writer.root_object[NameObject("/Outlines")] = root_ref
