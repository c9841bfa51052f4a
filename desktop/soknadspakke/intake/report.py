"""A readable text report of one intake result (for the CLI)."""

from __future__ import annotations

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T, translate
from soknadspakke.intake.messages import format_label
from soknadspakke.intake.model import IntakeResult, Kind

_KIND_LABELS = {
    Kind.PDF: T("PDF document"),
    Kind.IMAGE: T("image"),
    Kind.OFFICE: T("word-processor document"),
    Kind.SPREADSHEET: T("spreadsheet"),
    Kind.TEXT: T("plain text"),
    Kind.UNSUPPORTED: T("unsupported file type"),
    Kind.UNKNOWN: T("not read"),
}
_SEVERITY_LABELS = {Severity.ERROR: T("error"), Severity.WARNING: T("warning"),
                    Severity.INFO: T("info")}


def human_size(size: int) -> str:
    """``1536`` → ``"1.5 KB"`` (1024-based units, one decimal from KB up)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


def format_text(result: IntakeResult, lang: str) -> str:
    """Several lines describing ``result`` in ``lang``: what it is, flags, suggestions,
    findings (worst first)."""
    def yes_no(flag: bool) -> str:
        return translate("yes", lang) if flag else translate("no", lang)

    kind = _KIND_LABELS.get(result.kind)
    what = kind.render(lang) if kind is not None else result.kind
    if result.format:
        what += f" ({format_label(result.format)})"
    lines = [result.file_name]
    lines.append("  " + T("Type: {kind}, {size}, {pages} page(s)", kind=what,
                          size=human_size(result.size), pages=result.pages).render(lang))
    if result.sha256:
        lines.append(f"  SHA-256: {result.sha256}")
    lines.append("  " + T("Text: {text} · Form fields: {forms} · Bookmarks: {outline} · "
                          "Encrypted: {encrypted}", text=yes_no(result.has_text),
                          forms=yes_no(result.has_forms), outline=yes_no(result.has_outline),
                          encrypted=yes_no(result.encrypted)).render(lang))
    if result.pdf_path is not None and result.pdf_path != result.path:
        lines.append("  " + T("PDF used in the package: {path}",
                              path=str(result.pdf_path)).render(lang))
    if result.suggested_types:
        suggestions = ", ".join(f"{s.type_id} ({round(s.confidence * 100)} %)"
                                for s in result.suggested_types)
        lines.append("  " + T("Suggested type: {types}", types=suggestions).render(lang))
    status = T("usable") if result.usable else T("not usable")
    lines.append("  " + T("Status: {status}", status=status).render(lang))
    for finding in result.findings:
        label = _SEVERITY_LABELS[finding.severity].render(lang)
        lines.append(f"  [{label}] {finding.code}: {finding.message.render(lang)}")
    return "\n".join(lines)
