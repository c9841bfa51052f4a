"""The findings of intake: one builder per finding code, each named after its code.

A builder takes the file name first and returns the whole :class:`Finding` (severity, code,
message, ``files=(name,)``, page). The codes and their meaning are documented in
:mod:`soknadspakke.intake` (a test keeps that list equal to :data:`CODES`). Every intake module
makes its findings here; the wording of a message changes here and nowhere else. The builders
live in one module per subject (:mod:`.file`, :mod:`.pdf`, :mod:`.text`, :mod:`.conversion`)
and are all importable from this package.
"""

from soknadspakke.intake.messages.conversion import (
    conversion_failed,
    hidden_sheets,
    image_too_large,
    macro_file,
    no_converter,
    no_ticked_variables,
    office_encrypted,
    spreadsheet_truncated,
    tracked_changes,
    unpacked_too_large,
)
from soknadspakke.intake.messages.file import (
    empty_file,
    extension_mismatch,
    file_changed_while_reading,
    file_damaged,
    file_too_large,
    file_unreadable,
    file_vanished,
    intake_failed,
    long_path,
    not_a_file,
    unsupported_type,
)
from soknadspakke.intake.messages.pdf import (
    password_required,
    pdf_attachments,
    pdf_content_damaged,
    pdf_content_too_large,
    pdf_damaged,
    pdf_encrypted,
    pdf_encryption_unsupported,
    pdf_no_page_size,
    pdf_no_pages,
    pdf_repaired,
    pdf_restricted,
    pdf_xfa_form,
    wrong_password,
)
from soknadspakke.intake.messages.registry import (
    BUILDERS,
    MAX_PAGES_NAMED,
    format_label,
    page_list,
)
from soknadspakke.intake.messages.text import (
    draft_marker,
    pages_without_text,
    personal_id_number,
    scanned_no_text,
    test_id_number,
)

#: Every finding code intake can give.
CODES: frozenset[str] = frozenset(BUILDERS)

__all__ = [
    "BUILDERS",
    "CODES",
    "MAX_PAGES_NAMED",
    "conversion_failed",
    "draft_marker",
    "empty_file",
    "extension_mismatch",
    "file_changed_while_reading",
    "file_damaged",
    "file_too_large",
    "file_unreadable",
    "file_vanished",
    "format_label",
    "hidden_sheets",
    "image_too_large",
    "intake_failed",
    "long_path",
    "macro_file",
    "no_converter",
    "no_ticked_variables",
    "not_a_file",
    "office_encrypted",
    "page_list",
    "pages_without_text",
    "password_required",
    "pdf_attachments",
    "pdf_content_damaged",
    "pdf_content_too_large",
    "pdf_damaged",
    "pdf_encrypted",
    "pdf_encryption_unsupported",
    "pdf_no_page_size",
    "pdf_no_pages",
    "pdf_repaired",
    "pdf_restricted",
    "pdf_xfa_form",
    "personal_id_number",
    "scanned_no_text",
    "spreadsheet_truncated",
    "test_id_number",
    "tracked_changes",
    "unpacked_too_large",
    "unsupported_type",
    "wrong_password",
]
