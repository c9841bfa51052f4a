"""The use case: build one application package PDF from a project.

``build_package(project, pack, out, …)`` validates the application (rules, files, intake
findings), refuses when it is not ready unless ``draft``, prepares every document through intake
(cached by sha256: text extraction and conversion are never repeated by a build), orders them as
the guidance does, and assembles cover sheet, index, documents, bookmarks, page numbers and
embedded originals into ``out`` atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from soknadspakke import __version__
from soknadspakke.core.errors import InputFileError, SoknadError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T, Text, _, join_texts, translate
from soknadspakke.core.paths import check_output
from soknadspakke.core.project import Document, Project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import IntakeCache
from soknadspakke.pdf import (
    AssemblyResult,
    CoverSheet,
    PackageDocument,
    PackageMetadata,
    PackageSpec,
    assemble_package,
)
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation import IntakeFindings, Report, fact_label, validate_project


class NotReadyError(SoknadError):
    """The application is not ready and a final (non-draft) package was asked for."""

    def __init__(self, report: Report) -> None:
        self.report = report
        errors = sum(1 for f in report.findings if f.is_error)
        super().__init__(_("the application is not ready ({errors} errors); fix them, or "
                           "build a draft").format(errors=errors))


@dataclass(frozen=True)
class BuildResult:
    path: Path
    pages: int
    report: Report
    assembly: AssemblyResult
    documents: tuple[Document, ...]
    skipped: tuple[str, ...] = ()


def package_order(project: Project, pack: RulePack) -> list[Document]:
    """Documents in guidance order (by their first known type), then the user's order."""
    def key(item: tuple[int, Document]) -> tuple[tuple[int, int], int]:
        index, doc = item
        orders = [pack.type_order(t) for t in doc.types if pack.has_document_type(t)]
        return (min(orders) if orders else pack.type_order("other"), index)

    return [doc for _i, doc in sorted(enumerate(project.documents), key=key)]


def _cover(project: Project, pack: RulePack, report: Report, lang: str, today: date
           ) -> CoverSheet:
    def tr(msgid: str, **params: object) -> str:
        return T(msgid, **params).render(lang)

    info = project.info
    facts = report.evaluation.facts
    rows: list[tuple[str, str]] = [
        (tr("Project title"), info.title or "—"),
        (tr("Project leader"), info.project_leader or "—"),
        (tr("Institution"), info.institution or "—"),
        (tr("Organisation number"), info.org_number or "—"),
    ]
    app_type = facts.get("application_type")
    if isinstance(app_type, str):
        label = pack.question("application_type").choice_label(app_type).render(lang)
        rows.append((tr("Application"), label))
    if app_type == "change":
        rows.append((tr("SSB's reference"), info.ssb_reference or "—"))
        changes = facts.get("change_types")
        if isinstance(changes, list) and changes:
            question = pack.question("change_types")
            rows.append((tr("Changes"), ", ".join(
                question.choice_label(c).render(lang) for c in changes)))
        if facts.get("risk_class"):
            rows.append((tr("Privacy risk"), fact_label(pack, "risk_class",
                                                        facts["risk_class"], lang)))
    if facts.get("era"):
        rows.append((tr("Legal basis"), fact_label(pack, "era", facts["era"], lang)))
    if info.period_start or info.period_end:
        rows.append((tr("Project period"), tr(
            "{start} to {end}", start=info.period_start.isoformat() if info.period_start else "?",
            end=info.period_end.isoformat() if info.period_end else "?")))
    rows.append((tr("Contact"), info.contact_email or "—"))
    rows.append((tr("Date"), today.isoformat()))
    rows.append((tr("Rule pack"), f"{pack.name.render(lang)} {pack.version}"))
    rows.append((tr("Made with"), f"Søknadspakke {__version__}"))
    counts = report.counts()
    if report.ready:
        verdict = tr("Ready to send (errors: 0, warnings: {warnings}, notes: {notes})",
                     warnings=counts[Severity.WARNING], notes=counts[Severity.INFO])
    else:
        verdict = tr("DRAFT – not ready (errors: {errors}, warnings: {warnings})",
                     errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING])
    words = {Severity.ERROR: tr("Error"), Severity.WARNING: tr("Warning"),
             Severity.INFO: tr("Note")}
    findings = tuple((words[f.severity], f.message.render(lang)) for f in report.findings
                     if f.severity is not Severity.INFO)
    return CoverSheet(heading=tr("Application to borrow microdata from Statistics Norway (SSB)"),
                      rows=tuple(rows), verdict=verdict, ready=report.ready, findings=findings)


def build_package(project: Project, pack: RulePack, out: Path, *, lang: str,
                  draft: bool = False, options: Mapping[str, str] | None = None,
                  passwords: Mapping[str, str] | None = None, keep_form_fields: bool = False,
                  cache: IntakeCache | None = None, today: date | None = None,
                  progress: ProgressFn | None = None, cancel: CancelFn | None = None
                  ) -> BuildResult:
    """Validate and build the package; raises :class:`NotReadyError` unless ready or draft."""
    today = today or date.today()
    check_output(Path(out), project.path, (project.resolve(d) for d in project.documents))
    intake = IntakeFindings(passwords or {}, cache)
    total_docs = len(project.documents)

    def validation_progress(done: int, total: int, message: str) -> None:
        if progress:
            progress(done, 2 * total_docs + 1, message)

    report = validate_project(project, pack, options=options, today=today, file_findings=intake,
                              progress=validation_progress, cancel=cancel)
    if not report.ready and not draft:
        raise NotReadyError(report)
    check_cancel(cancel)
    documents: list[PackageDocument] = []
    included: list[Document] = []
    skipped: list[str] = []
    for doc in package_order(project, pack):
        result = intake.results.get(doc.path)
        if result is None or not result.usable or result.pdf_path is None:
            if not draft:  # pragma: no cover - validation reported it as an error already
                raise InputFileError("the file cannot go into a package", path=doc.path)
            skipped.append(doc.path)
            continue
        known = [t for t in doc.types if pack.has_document_type(t)] or ["other"]
        type_label: Text = join_texts([pack.type_name(t) for t in known], T(" + "))
        documents.append(PackageDocument(
            pdf_path=result.pdf_path, password=intake.password_for(doc) if result.encrypted
            else None, type_ids=tuple(known), type_label=type_label.render(lang),
            short_label=pack.document_type(known[0]).short.render(lang),
            title=doc.display_title, file_name=doc.file_name, sha256=result.sha256,
            original_path=(result.embed_path or project.resolve(doc)) if result.embed_original
            else None, original_name=result.embed_name or None,
            original_sha256=result.embed_sha256 or None))
        included.append(doc)
    if not documents:
        raise SoknadError(translate("the application has no document that can go into a "
                                    "package", lang))
    spec = PackageSpec(
        lang=lang, cover=_cover(project, pack, report, lang, today),
        documents=tuple(documents),
        metadata=PackageMetadata(
            title=project.info.title or translate("Application package", lang),
            author=project.info.project_leader, subject=T(
                "Application to borrow microdata from Statistics Norway (SSB)").render(lang),
            creator=f"Søknadspakke {__version__}", keywords=project.info.ssb_reference),
        draft=draft and not report.ready, keep_form_fields=keep_form_fields,
        manifest_extra={"rule_pack": {"id": pack.id, "version": pack.version},
                        "program": {"name": "soknadspakke", "version": __version__},
                        "ready": report.ready, "created": today.isoformat(),
                        "application_type": report.evaluation.facts.get("application_type")})

    def assembly_progress(done: int, total: int, message: str) -> None:
        if progress:
            progress(total_docs + 1 + done * total_docs // max(total, 1),
                     2 * total_docs + 1, message)

    assembly = assemble_package(spec, out, progress=assembly_progress, cancel=cancel)
    return BuildResult(assembly.path, assembly.pages, report, assembly, tuple(included),
                       tuple(skipped))
