"""PDF assembly: cover sheet, index, merge, outline, stamps, links, embedded originals.

The one entry point is :func:`assemble_package`; see :mod:`soknadspakke.pdf.assemble` for what
it does and :mod:`soknadspakke.pdf.annotations` for what of the inputs reaches the package.

The assembler (pypdf, reportlab) is imported when it is first used: the package's data model is
all that modules which only name packages need (the window's workspace list, for one), and the
window starts 0.2 s sooner without pypdf and reportlab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from soknadspakke.pdf.model import (
    AssemblyResult,
    CoverSheet,
    DocumentPlacement,
    PackageDocument,
    PackageMetadata,
    PackageSpec,
    RequirementRow,
)

if TYPE_CHECKING:
    from soknadspakke.pdf.assemble import assemble_package


def __getattr__(name: str) -> Any:
    if name == "assemble_package":
        from soknadspakke.pdf.assemble import assemble_package

        return assemble_package
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AssemblyResult",
    "CoverSheet",
    "DocumentPlacement",
    "PackageDocument",
    "PackageMetadata",
    "PackageSpec",
    "RequirementRow",
    "assemble_package",
]
