"""Intake: inspect, check and normalize one input file (no Qt).

:func:`inspect_file` recognises a file's type by content, records size, SHA-256, pages, page
sizes and rotation, normalizes it to PDF, extracts the text of each page, suggests a document
type (:func:`suggest_types`, from the rule pack's keywords) and scans the text for Norwegian
identity numbers. Results are cached by content hash (:class:`IntakeCache`). Bad input never
raises: it gives a finding that names the file and says what the user can do.

Finding codes (``Finding.code``; severity in brackets; all with ``files=(file name,)``):

File and path
    ``file_vanished`` [error] the file disappeared (moved, renamed, deleted) before or while
    it was read. ``file_unreadable`` [error] the OS refused to read it (permission, lock,
    disconnected drive). ``not_a_file`` [error] a folder or special file.
    ``empty_file`` [error] 0 bytes, or a text file with no text. ``file_too_large`` [error]
    over the size limit (default 200 MB; text 8 MB, CSV 32 MB), or too large for the memory
    available.
    ``file_changed_while_reading`` [error] size, modification time or hash changed while it
    was read. ``long_path`` [info] the path is longer than 260 characters (it was read).
    ``extension_mismatch`` [info] the name promises another format than the content (a JPEG
    named ``.pdf``); the content decides. ``unsupported_type`` [error] not a format that can go
    into a package (EXE, ZIP, XLS, ODS, PPTX, HEIC, unknown …). ``file_damaged`` [error] an
    image, XLSX or CSV that cannot be decoded. ``intake_failed`` [error] an unexpected error
    (a bug); reported rather than raised.

PDF
    ``pdf_damaged`` [error] cannot be read; says what is wrong (cut off, broken
    cross-reference table, broken page tree, other). ``pdf_repaired`` [warning] damaged, but a
    copy repaired by qpdf is used; says whether all pages or only some were recovered, and
    how many of the pages the file declares are lost.
    ``pdf_content_damaged`` [warning] pages whose content streams cannot be decoded or parsed.
    ``pdf_content_too_large`` [warning] pages whose content unpacks to more than 75 MB.
    ``pdf_no_pages`` [error]. ``password_required`` [error] a user password is needed
    (``needs_password``). ``wrong_password`` [error] the password given does not open it.
    ``pdf_encryption_unsupported`` [error] an encryption pypdf cannot open.
    ``pdf_encrypted`` [info] opened with the user's password, which is not stored.
    ``pdf_restricted`` [info] only an owner password restricts it; accepted as it is.
    ``pdf_xfa_form`` [warning] an XFA form whose content may not show.
    ``pdf_attachments`` [info] the PDF carries embedded files (not checked).
    ``pdf_no_page_size`` [warning] pages without a MediaBox; the package shows them at their
    CropBox or as A4.

Content
    ``scanned_no_text`` [warning] no page has text (a scan, or an image file): content checks
    are impossible. ``pages_without_text`` [info] some pages have no text.
    ``personal_id_number`` [warning] fødselsnummer or D-numbers on a page (``page`` set; one
    finding per page, with the count). ``test_id_number`` [info] H-numbers or synthetic test
    numbers on a page. ``draft_marker`` [warning] the text says UTKAST or DRAFT (in capitals)
    or holds an unfilled placeholder such as "[sett inn]", "[dato]", or a bare "XX", "XXXX" or
    "NN" in capitals; names the pages. (``signature_hint``: a signature field, or an image
    where a signature would be; the rule pack's signature check reads it.)

Conversion
    ``no_converter`` [error] LibreOffice is not installed; says how to export to PDF by hand.
    (:func:`office_conversion_notice` says the same once, for the whole program.)
    ``conversion_failed`` [error] LibreOffice (or the table renderer) failed or timed out.
    ``office_encrypted`` [error] a password-protected Word file. ``tracked_changes`` [warning]
    a DOCX with tracked changes or comments. ``macro_file`` [warning] DOCM/XLSM: the package
    embeds a macro-free copy instead (an error when the macros cannot be removed).
    ``image_too_large`` [error] more pixels or frames than :mod:`.limits` allows (checked
    from the header, before anything is decoded).
    ``unpacked_too_large`` [error] a DOCX/XLSX/ODT container whose parts unpack to more than
    :mod:`.limits` allows (a decompression bomb, or damage); it is not opened.

Variable lists
    ``hidden_sheets`` [warning] the workbook has hidden sheets (named).
    ``no_ticked_variables`` [warning] no ticked row in any sheet.
    ``spreadsheet_truncated`` [info] a sheet has more rows than the PDF shows (5000);
    [warning] a sheet too long to be read whole (only its first rows were read).
"""

from soknadspakke.intake.cache import IntakeCache, default_cache_dir
from soknadspakke.intake.convert import office_conversion_notice
from soknadspakke.intake.flow import (
    DEFAULT_SIZE_LIMIT,
    inspect_file,
    page_texts,
    with_suggestions,
)
from soknadspakke.intake.model import (
    IntakeResult,
    Kind,
    PageInfo,
    PdfSource,
    Suggestion,
    TypeKeywords,
)
from soknadspakke.intake.report import format_text
from soknadspakke.intake.suggest import suggest_types

__all__ = [
    "DEFAULT_SIZE_LIMIT",
    "IntakeCache",
    "IntakeResult",
    "Kind",
    "PageInfo",
    "PdfSource",
    "Suggestion",
    "TypeKeywords",
    "default_cache_dir",
    "format_text",
    "inspect_file",
    "office_conversion_notice",
    "page_texts",
    "suggest_types",
    "with_suggestions",
]
