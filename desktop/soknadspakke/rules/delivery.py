"""How the pack wants the package delivered: the rows and heading of its cover sheet (``[cover]``)
and the e-mail it is handed in with (``[submission]``)."""

from __future__ import annotations

from dataclasses import dataclass

from soknadspakke.core.i18n import LocalText
from soknadspakke.rules.expr import Expr


@dataclass(frozen=True)
class CoverRow:
    """A row of the cover sheet that shows an answer, a derived fact or a project fact.

    ``value`` names a question, a derived fact or a project-fact key; the row is left out when
    the value is empty or ``when`` does not hold.
    """

    label: LocalText
    value: str
    when: Expr | None = None


@dataclass(frozen=True)
class Cover:
    """What the pack puts on the package's cover sheet (``[cover]``)."""

    heading: LocalText | None = None
    rows: tuple[CoverRow, ...] = ()
    #: The type a document without a known type is filed under (``None``: no type).
    fallback_type: str | None = None


@dataclass(frozen=True)
class Submission:
    """How an application is handed in: the e-mail draft's address, subject and size limit.

    ``subject`` may use ``{title}``, ``{application_type}`` (the choice's label) and
    ``{reference}`` (SSB's reference, empty for a new application).
    """

    email: str
    subject: LocalText
    #: The largest e-mail (after base64 encoding of its attachments) to offer as one draft.
    max_encoded_mb: float = 20
    #: Scanned pages are downsampled to this resolution in a compressed build.
    compress_dpi: int = 150
    source: tuple[str, ...] = ()
