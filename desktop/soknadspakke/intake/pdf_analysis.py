"""The analysis of a PDF: open it (with a password), repair it when damaged, read its facts.

Also the reading of the PDFs this program makes from other formats (:func:`generated_facts`)
and the findings about pages without text, which both kinds share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.i18n import Msg, T
from soknadspakke.core.tasks import check_cancel
from soknadspakke.intake import messages, pdfread
from soknadspakke.intake.content import Content
from soknadspakke.intake.job import Job
from soknadspakke.intake.model import Kind, PdfSource
from soknadspakke.intake.sniff import Sniffed


def apply_facts(content: Content, facts: pdfread.PdfFacts) -> None:
    """Put what was read from a PDF into ``content``."""
    content.page_info = list(facts.page_info)
    content.texts = list(facts.texts)
    content.has_forms = facts.has_forms
    content.has_outline = facts.has_outline
    content.signature_hint = facts.signature_hint
    content.has_text = bool(facts.pages_with_text())


def text_findings(content: Content, name: str, damaged: Sequence[int] = ()) -> None:
    """``scanned_no_text`` / ``pages_without_text`` for PDFs and converted documents; pages
    in ``damaged`` (reported as such) are not taken for scans."""
    if content.pages == 0 or len(damaged) >= content.pages:
        return
    with_text = {i + 1 for i, t in enumerate(content.texts)
                 if len(t.strip()) >= pdfread.MIN_PAGE_TEXT} | set(damaged)
    if not with_text:
        content.findings.append(messages.scanned_no_text(name))
        return
    missing = [p for p in range(1, content.pages + 1) if p not in with_text]
    if missing:
        content.findings.append(messages.pages_without_text(name, missing, content.pages))


def generated_facts(pdf: bytes, job: Job, *, with_text: bool = True) -> pdfread.PdfFacts:
    """Facts of a PDF this program made (converted); raises when it cannot be read."""
    with pdfread.PypdfLog():
        reader = pdfread.open_reader(pdf)
        return pdfread.read_facts(reader, with_text=with_text, cancel=job.cancel,
                                  progress=job.report.page)


_REASON_TRUNCATED = T("the file is cut off: it ends before the PDF does, as after an "
                      "interrupted download or copy")
_REASON_XREF = T("its cross-reference table, the index of its contents, is broken")
_REASON_PAGES = T("its page tree is broken, so the pages cannot be found")
_REASON_OTHER = T("its internal structure is broken")


def _damage_reason(exc: BaseException | None, log: Sequence[str], data: bytes) -> Msg:
    text = " ".join([str(exc) if exc is not None else "", *log]).lower()
    if b"%%EOF" not in data[-2048:] or "stream has ended" in text or "eof marker" in text:
        return _REASON_TRUNCATED
    if "/pages" in text or "page tree" in text or "kids" in text:
        return _REASON_PAGES
    if "xref" in text or "startxref" in text or "trailer" in text:
        return _REASON_XREF
    return _REASON_OTHER


def _repair(data: bytes, job: Job) -> tuple[pdfread.Repair, pdfread.PdfFacts] | None:
    """A copy rebuilt by qpdf and its facts, or None when that does not give readable pages."""
    repaired = pdfread.repair(data)
    if repaired is None:
        return None
    check_cancel(job.cancel)
    try:
        facts = generated_facts(repaired.data, job)
    except Cancelled:
        raise
    except Exception:  # qpdf's copy is no better for pypdf
        return None
    return (repaired, facts) if facts.pages else None


class _Opened:
    """What opening a PDF gave: the reader (or None), and the error that stopped it."""

    def __init__(self) -> None:
        self.reader: Any = None
        self.error: Exception | None = None


def _decrypt(opened: _Opened, content: Content, job: Job) -> bool:
    """Open an encrypted PDF with no password or the user's; False when it stays shut (the
    finding that says why is added)."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    name, reader = job.name, opened.reader
    content.cacheable = False  # neither decrypted text nor the result is cached
    try:
        owner_only = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        unlocked = owner_only or (job.password is not None and reader.decrypt(
            job.password) != PasswordType.NOT_DECRYPTED)
    except (DependencyError, NotImplementedError) as exc:
        content.findings.append(messages.pdf_encryption_unsupported(name, exc))
        return False
    except Cancelled:
        raise
    except Exception as exc:
        opened.error, owner_only, unlocked = exc, False, True
    if not unlocked:
        content.needs_password = True
        content.findings.append(messages.password_required(name) if job.password is None
                                else messages.wrong_password(name))
        return False
    if opened.error is None:
        content.findings.append(messages.pdf_restricted(name) if owner_only
                                else messages.pdf_encrypted(name))
    return True


def analyse_pdf(data: bytes, sniffed: Sniffed, job: Job) -> Content:
    """A PDF: used as it is, or as a copy repaired by qpdf when it is damaged."""
    name = job.name
    content = Content(Kind.PDF, "pdf")
    opened = _Opened()
    facts: pdfread.PdfFacts | None = None
    with pdfread.PypdfLog() as log:
        try:
            opened.reader = pdfread.open_reader(data)
            content.encrypted = bool(opened.reader.is_encrypted)
        except Cancelled:
            raise
        except Exception as exc:  # pypdf raises many unrelated types for bad input
            opened.error = exc
        if opened.reader is not None and content.encrypted \
                and not _decrypt(opened, content, job):
            return content
        damage: list[str] = []
        if opened.reader is not None and opened.error is None:
            try:
                len(opened.reader.pages)  # walk the page tree before any text is read
                damage = log.damage()  # only what opening reported: text warnings are no damage
                facts = pdfread.read_facts(opened.reader, cancel=job.cancel,
                                           progress=job.report.page)
            except Cancelled:
                raise
            except Exception as exc:
                opened.error = exc
                facts = None
        if facts is None:
            damage = log.damage()
    reason = _damage_reason(opened.error, damage, data)
    readable = facts is not None and facts.pages > 0
    if readable and not damage:
        content.pdf = PdfSource.ORIGINAL
    elif (repaired := None if content.encrypted else _repair(data, job)) is not None:
        fixed, facts = repaired
        content.pdf_file = job.store_pdf(fixed.data)
        content.pdf = PdfSource.CACHE
        content.findings.append(messages.pdf_repaired(
            name, reason, declared=max(pdfread.declared_pages(data), fixed.pages),
            recovered=fixed.pages_with_content, copy=True))
    elif readable and facts is not None:
        content.pdf = PdfSource.ORIGINAL  # damaged, but pypdf read it and qpdf did no better
        content.findings.append(messages.pdf_repaired(
            name, reason, declared=pdfread.declared_pages(data), recovered=facts.pages,
            copy=False))
    if facts is None:
        content.findings.append(messages.pdf_damaged(name, reason))
        return content
    _page_findings(content, facts, name)
    return content


def _page_findings(content: Content, facts: pdfread.PdfFacts, name: str) -> None:
    """The facts of a readable PDF and what they say about its pages."""
    apply_facts(content, facts)
    if content.pages == 0:
        content.pdf, content.pdf_file = None, None
        content.findings.append(messages.pdf_no_pages(name))
        return
    if facts.xfa:
        content.findings.append(messages.pdf_xfa_form(name))
    if facts.damaged_content:
        content.findings.append(messages.pdf_content_damaged(
            name, facts.damaged_content, content.pages))
    if facts.oversized_content:
        content.findings.append(messages.pdf_content_too_large(
            name, facts.oversized_content, content.pages))
    if facts.no_page_size:
        content.findings.append(messages.pdf_no_page_size(
            name, facts.no_page_size, content.pages))
    if facts.attachments:
        content.findings.append(messages.pdf_attachments(name, facts.attachments))
    text_findings(content, name, [*facts.damaged_content, *facts.oversized_content])
