"""A report as text: the readable checklist, and the labels and rows that say what changed since
the earlier application (used by the text report and the cover sheet)."""

from __future__ import annotations

import textwrap
from typing import Any

from soknadspakke.core.changes import ChangeSummary, DocumentChangeKind
from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import T, render, tr, translate
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation.report import Report

_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def _wrap(text: str, indent: str, width: int = 92) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False) or [indent]


def format_report_text(report: Report, lang: str, *, title: str = "",
                       with_guidance: bool = True) -> str:
    """A readable checklist: the verdict, then what is wrong, what to check, what is fine."""
    counts = report.counts()
    lines: list[str] = []
    heading = (tr("Check of “{title}”", lang, title=title) if title
               else tr("Check of the application", lang))
    lines.append(heading)
    lines.append(tr("Rule pack: {name} (version {version})", lang, name=report.pack.name,
                    version=report.pack.version))
    verdict = tr("READY to send", lang) if report.ready else tr("NOT READY", lang)
    lines.append(tr("Result: {verdict} (errors: {errors}, warnings: {warnings}, notes: {info})",
                    lang,
                    verdict=verdict, errors=counts[Severity.ERROR],
                    warnings=counts[Severity.WARNING], info=counts[Severity.INFO]))
    sections = ((Severity.ERROR, tr("Errors (must be fixed):", lang)),
                (Severity.WARNING, tr("Warnings (check these):", lang)),
                (Severity.INFO, tr("Notes:", lang)))
    for severity, header in sections:
        items = [f for f in report.findings if f.severity is severity]
        if not items:
            continue
        lines += ["", header]
        for finding in items:
            lines += _finding_lines(finding, lang, with_guidance)
    if report.changes is not None:
        lines += ["", tr("Compared with the earlier application:", lang)]
        for label, value in describe_changes(report.changes, report.pack, lang):
            lines += _wrap(f"{label}: {value}", "    ")
    if report.evaluation.satisfied:
        lines += ["", tr("In order:", lang)]
        for item in report.evaluation.satisfied:
            files = ", ".join(item.files)
            line = f"[{item.rule}] {item.message.render(lang)}" + (f" ({files})" if files else "")
            wrapped = _wrap(line, "    ")
            wrapped[0] = "  ✓ " + wrapped[0][4:]
            lines += wrapped
    return "\n".join(lines) + "\n"


def _finding_lines(finding: Finding, lang: str, with_guidance: bool) -> list[str]:
    """One finding in the checklist: its message, then its evidence, suggestion, verification
    and (with ``with_guidance``) the guidance it quotes."""
    lines: list[str] = []
    label = f"[{finding.rule}] " if finding.rule else ""
    first = _wrap(f"{label}{finding.message.render(lang)}", "    ")
    first[0] = f"  {_MARK[finding.severity]} " + first[0][4:]
    lines += first
    for evidence in finding.evidence:
        if evidence.text:
            lines += _wrap(tr("Found in {file}, page {page}: “{text}”", lang,
                              file=evidence.file, page=evidence.page or "?",
                              text=evidence.text), "      ")
    if finding.suggestion is not None:
        lines += _wrap(tr("Suggestion: set {field} of {file} to {value}", lang,
                          field=finding.suggestion.field, file=finding.suggestion.file,
                          value=finding.suggestion.value), "      ")
    if finding.id is not None:
        lines += _wrap(tr("Checked by you ({id})", lang, id=finding.id) if finding.verified
                       else tr("Checked it? soknadspakke verify PROJECT {id}", lang,
                               id=finding.id), "      ")
    if with_guidance:
        for sid, text in finding.guidance.items():
            quote = tr("{source} says: “{text}”", lang, source=sid, text=text.render(lang))
            lines += _wrap(quote, "      ")
    return lines


def fact_label(pack: RulePack, key: str, value: Any, lang: str) -> str:
    """A derived fact's value as text (``era`` → "fra 20.7.2018 eller senere (GDPR)")."""
    for derived in pack.derived:
        if derived.id == key and value in derived.values_labels:
            return derived.values_labels[value].render(lang)
    return render(value, lang) if value is not None else translate("—", lang)


def answer_text(pack: RulePack, key: str, value: Any, lang: str) -> str:
    """A stored answer as the user chose it (choice labels, ja/nei, dates)."""
    if value is None or value in ([], ""):
        return translate("—", lang)
    try:
        question = pack.question(key)
    except KeyError:
        question = None
    if isinstance(value, bool):
        return T("yes").render(lang) if value else T("no").render(lang)
    if question is not None and question.choices:
        items = value if isinstance(value, list) else [value]
        return ", ".join(question.choice_label(str(v)).render(lang) for v in items)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


_FACT_LABELS = {"title": T("Project title"), "project_leader": T("Project leader"),
                "institution": T("Institution"), "org_number": T("Organisation number"),
                "ssb_reference": T("SSB's reference"), "contact_email": T("Contact"),
                "period_start": T("Project start"), "period_end": T("Project end")}


def describe_changes(changes: ChangeSummary, pack: RulePack, lang: str
                     ) -> list[tuple[str, str]]:
    """``(label, text)`` rows saying what changed since the earlier application.

    Used by the text report and the cover sheet: documents new, replaced and unchanged (and
    the earlier ones not enclosed again), then each project fact and answer that changed.
    """
    def names(kind: DocumentChangeKind) -> str:
        items = changes.of_kind(kind)
        if kind is DocumentChangeKind.REPLACED:
            return "; ".join(tr("{new} (replaces {old})", lang, new=d.path, old=d.previous_path)
                             for d in items)
        return "; ".join((d.path or d.previous_path or d.title) for d in items)

    rows: list[tuple[str, str]] = []
    if changes.previous_title or changes.previous_file:
        rows.append((tr("Earlier application", lang),
                     changes.previous_title or changes.previous_file))
    kinds = ((DocumentChangeKind.NEW, tr("New documents", lang)),
             (DocumentChangeKind.REPLACED, tr("Replaced documents", lang)),
             (DocumentChangeKind.UNCHANGED, tr("Unchanged documents", lang)),
             (DocumentChangeKind.NOT_ENCLOSED, tr("Not enclosed again", lang)))
    for kind, label in kinds:
        if changes.of_kind(kind):
            rows.append((label, names(kind)))
    for fact in changes.facts:
        label = _FACT_LABELS[fact.key].render(lang) if fact.key in _FACT_LABELS else fact.key
        rows.append((tr("Changed: {what}", lang, what=label), tr(
            "{before} → {after}", lang, before=fact.before or "—", after=fact.after or "—")))
    for answer in changes.answers:
        try:
            label = pack.question(answer.key).label.render(lang)
        except KeyError:
            label = answer.key
        rows.append((tr("Changed answer", lang), tr(
            "{question}: {before} → {after}", lang, question=label,
            before=answer_text(pack, answer.key, answer.before, lang),
            after=answer_text(pack, answer.key, answer.after, lang))))
    if len(rows) <= 1:
        rows.append((tr("Differences", lang), tr("none found", lang)))
    return rows
