"""Small readers of PDF objects that may be indirect or malformed: resolved, as a number, a
flag or a rectangle; and adding an object to the writer."""

from __future__ import annotations

from typing import Any

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, IndirectObject, PdfObject


def resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def as_number(value: Any, default: float = 0.0) -> float:
    try:
        return float(resolve(value))
    except (TypeError, ValueError):
        return default


def as_flag(value: Any) -> bool:
    """A PDF boolean as a Python one (pypdf's BooleanObject is always truthy)."""
    value = resolve(value)
    return bool(getattr(value, "value", value))


def as_rect(value: Any) -> tuple[float, float, float, float] | None:
    value = resolve(value)
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    x0, y0, x1, y1 = (as_number(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def add_object(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    return writer._add_object(obj)
