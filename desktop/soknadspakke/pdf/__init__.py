"""PDF assembly: cover sheet, index, merge, outline, stamps, links, embedded originals.

The one entry point is :func:`assemble_package`; see :mod:`soknadspakke.pdf.assemble` for what
it does and :mod:`soknadspakke.pdf.annotations` for what of the inputs reaches the package.
"""

from soknadspakke.pdf.assemble import assemble_package
from soknadspakke.pdf.model import (
    AssemblyResult,
    CoverSheet,
    DocumentPlacement,
    PackageDocument,
    PackageMetadata,
    PackageSpec,
    RequirementRow,
)

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
