"""The use case: build one application package PDF from a project.

``build_package(project, pack, out, …)`` validates the application (rules, files, intake
findings), refuses when it is not ready unless ``draft``, prepares every document through intake
(cached by sha256: text extraction and conversion are never repeated by a build), orders them as
the guidance does, and assembles cover sheet, index, documents, bookmarks, page numbers and
embedded originals into ``out`` atomically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from soknadspakke import __version__
from soknadspakke.core import fingerprints
from soknadspakke.core.errors import InputFileError, SoknadError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T, Text, _, join_texts, tr, translate
from soknadspakke.core.paths import check_output
from soknadspakke.core.project import INFO_FIELDS, Document, Project
from soknadspakke.core.tasks import CancelFn, Monotone, ProgressFn, check_cancel, sub_progress
from soknadspakke.intake import IntakeCache
from soknadspakke.pdf import (
    AssemblyResult,
    CoverSheet,
    PackageDocument,
    PackageMetadata,
    PackageSpec,
    RequirementRow,
)
from soknadspakke.rules.expr import NeedsAnswer, evaluate_with
from soknadspakke.rules.schema import QuestionKind, RulePack
from soknadspakke.validation import (
    AskPassword,
    IntakeFindings,
    Report,
    describe_changes,
    fact_label,
    validate_project,
)


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


#: The package's file name after the project file's stem, per language.
PACKAGE_SUFFIX = {"nb": "soknadspakke", "en": "application-package"}


def package_file(project_file: Path, lang: str, out_dir: Path | None = None) -> Path:
    """Where the package of ``project_file`` is written (beside it unless ``out_dir``)."""
    suffix = PACKAGE_SUFFIX.get(lang, PACKAGE_SUFFIX["en"])
    folder = out_dir if out_dir is not None else project_file.parent
    return folder / f"{project_file.stem}-{suffix}.pdf"


def default_output(project: Project, lang: str) -> Path:
    """Where a package goes unless the user says otherwise: beside the project file."""
    return package_file(project.path or project.base_dir / "soknad.soknad", lang)


def package_order(project: Project, pack: RulePack) -> list[Document]:
    """Documents in guidance order (by their first known type), then the user's order."""
    def key(item: tuple[int, Document]) -> tuple[tuple[int, int], int]:
        index, doc = item
        orders = [pack.type_order(t) for t in pack.known_types(doc.types)]
        return (min(orders) if orders else pack.type_order(""), index)

    return [doc for _i, doc in sorted(enumerate(project.documents), key=key)]


def _value_text(project: Project, pack: RulePack, report: Report, name: str, lang: str
                ) -> str:
    """A cover row's value as text: an answer, a derived fact or a project fact."""
    facts = report.evaluation.facts
    if name in INFO_FIELDS and not any(q.id == name for q in pack.questions):
        value = getattr(project.info, name)
        return value.isoformat() if isinstance(value, date) else str(value or "")
    value = facts.get(name)
    if value is None or value in ([], ""):
        return ""
    if any(d.id == name for d in pack.derived):
        return fact_label(pack, name, value, lang)
    question = pack.question(name)
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        values = value if isinstance(value, list) else [value]
        return ", ".join(question.choice_label(v).render(lang) if isinstance(v, str) else str(v)
                         for v in values)
    if isinstance(value, bool):
        return (T("yes") if value else T("no")).render(lang)
    return value.isoformat() if isinstance(value, date) else str(value)


def _cover(project: Project, pack: RulePack, report: Report, lang: str, today: date
           ) -> CoverSheet:
    info = project.info
    rows: list[tuple[str, str]] = [
        (tr("Project title", lang), info.title or "—"),
        (tr("Project leader", lang), info.project_leader or "—"),
        (tr("Institution", lang), info.institution or "—"),
        (tr("Organisation number", lang), info.org_number or "—"),
    ]
    facts = report.evaluation.facts
    for row in pack.cover.rows:
        try:
            shown = row.when is None or evaluate_with(row.when, facts)
        except NeedsAnswer:
            shown = False
        text = _value_text(project, pack, report, row.value, lang)
        if shown and (text or row.when is not None):
            rows.append((row.label.render(lang), text or "—"))
    if report.changes is not None:
        rows += describe_changes(report.changes, pack, lang)
    if info.period_start or info.period_end:
        rows.append((tr("Project period", lang), tr(
            "{start} to {end}", lang,
            start=info.period_start.isoformat() if info.period_start else "?",
            end=info.period_end.isoformat() if info.period_end else "?")))
    rows.append((tr("Contact", lang), info.contact_email or "—"))
    rows.append((tr("Date", lang), today.isoformat()))
    rows.append((tr("Rule pack", lang), f"{pack.name.render(lang)} {pack.version}"))
    rows.append((tr("Made with", lang), f"Søknadspakke {__version__}"))
    counts = report.counts()
    if report.ready:
        verdict = tr("Ready to send (errors: 0, warnings: {warnings}, notes: {notes})", lang,
                     warnings=counts[Severity.WARNING], notes=counts[Severity.INFO])
    else:
        verdict = tr("DRAFT – not ready (errors: {errors}, warnings: {warnings})", lang,
                     errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING])
    words = {Severity.ERROR: tr("Error", lang), Severity.WARNING: tr("Warning", lang),
             Severity.INFO: tr("Note", lang)}
    findings = tuple((tr("Checked by the applicant", lang) if f.verified else words[f.severity],
                      f.message.render(lang)) for f in report.findings
                     if f.severity is not Severity.INFO)
    return CoverSheet(heading=_heading(pack, lang), rows=tuple(rows), verdict=verdict,
                      ready=report.ready, findings=findings)


def _heading(pack: RulePack, lang: str) -> str:
    """The cover's heading: the pack's, or the pack's name."""
    return (pack.cover.heading or pack.name).render(lang)


def _prove(path: Path, sha256: str | None, shown: str) -> None:
    """Hash a file whose bytes the package neither copies nor embeds, but whose sha256 it
    shows; stop when it differs from what validation saw."""
    try:
        actual = fingerprints.SHARED.sha256(path, trust_stat=False)
    except OSError as exc:
        raise InputFileError(_("the file cannot be read ({name}): {reason}").format(
            name=shown, reason=exc.strerror or exc), path=path) from None
    if actual != sha256:
        raise InputFileError(_("the file has changed since it was checked ({name}); check "
                               "the application again").format(name=shown), path=path)


def requirement_rows(report: Report, included: Sequence[Document], lang: str
                     ) -> tuple[RequirementRow, ...]:
    """The compliance matrix: every document requirement that applies, with the package's
    documents that meet it (indexes into ``included``) or what is wrong."""
    position = {doc.path: i for i, doc in enumerate(included)}
    rows = []
    for outcome in report.evaluation.requirements:
        status = remark = ""
        if not outcome.met:
            if outcome.files:
                status = tr("Not met: see the remarks on the cover", lang)
            elif outcome.severity is Severity.ERROR:
                status = tr("Missing", lang)
            elif outcome.severity is Severity.WARNING:
                remark = tr("Recommended, not attached", lang)
            else:
                remark = tr("Optional, not attached", lang)
        elif outcome.accepted:
            remark = tr("Accepted with a remark (see the cover)", lang)
        meets = tuple(position[f] for f in outcome.files if f in position)
        rows.append(RequirementRow(outcome.rule, outcome.documents.render(lang),
                                   ", ".join(outcome.source), meets, outcome.met, status,
                                   remark))
    return tuple(rows)


def build_package(project: Project, pack: RulePack, out: Path, *, lang: str,
                  draft: bool = False, options: Mapping[str, str] | None = None,
                  passwords: Mapping[str, str] | None = None, keep_form_fields: bool = False,
                  cache: IntakeCache | None = None, today: date | None = None,
                  progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                  pause_gc: bool = False, ask_password: AskPassword | None = None
                  ) -> BuildResult:
    """Validate and build the package; raises :class:`NotReadyError` unless ready or draft.

    ``pause_gc`` pauses Python's cyclic garbage collector while the package's objects are
    built (faster); only for a process that does nothing else meanwhile (the CLI), because
    the collection that follows holds every thread of the process. ``ask_password`` is asked
    for an encrypted PDF that no entry of ``passwords`` opens, when validation meets it.
    """
    today = today or date.today()
    check_output(Path(out), project.path, (project.resolve(d) for d in project.documents))
    intake = IntakeFindings(passwords or {}, cache, ask_password=ask_password)
    # One scale for the whole build: validation is the first part, assembly the rest.
    steps = 2 * len(project.documents) + 1
    report_progress = Monotone(progress) if progress is not None else None
    # Validation trusts files whose stat is unchanged since they were hashed; the assembler
    # then hashes the bytes it copies or embeds, so every sha256 the package shows is proved.
    report = validate_project(project, pack, options=options, today=today, file_findings=intake,
                              progress=sub_progress(report_progress, 0, steps // 2, steps),
                              cancel=cancel)
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
        original = project.resolve(doc)
        checked = report.files.get(doc.path)
        expected = checked.sha256 if checked is not None else None
        if expected != result.sha256:  # pragma: no cover - changed between two looks
            raise InputFileError(_("the file has changed since it was checked ({name}); "
                                   "check the application again").format(name=doc.path),
                                 path=original)
        copied = result.pdf_path == original
        if not copied and not result.embed_original:
            _prove(original, expected, doc.path)  # e.g. a PDF repaired by intake
        known = pack.known_types(doc.types)
        type_label: Text = join_texts([pack.type_name(t) for t in known], T(" + ")) if known \
            else T("(no type)")
        documents.append(PackageDocument(
            pdf_path=result.pdf_path, password=intake.password_for(doc) if result.encrypted
            else None, type_ids=tuple(known), type_label=type_label.render(lang),
            short_label=pack.document_type(known[0]).short.render(lang) if known else "",
            title=doc.display_title, file_name=doc.file_name, sha256=result.sha256,
            original_path=(result.embed_path or original) if result.embed_original else None,
            original_name=result.embed_name or None,
            original_sha256=result.embed_sha256 or None,
            pages=result.pages, pdf_sha256=expected if copied else None))
        included.append(doc)
    if not documents:
        raise SoknadError(translate("the application has no document that can go into a "
                                    "package", lang))
    spec = PackageSpec(
        lang=lang, cover=replace(_cover(project, pack, report, lang, today),
                                 requirements=requirement_rows(report, included, lang)),
        documents=tuple(documents),
        metadata=PackageMetadata(
            title=project.info.title or translate("Application package", lang),
            author=project.info.project_leader, subject=_heading(pack, lang),
            creator=f"Søknadspakke {__version__}", keywords=project.info.ssb_reference),
        draft=draft and not report.ready, keep_form_fields=keep_form_fields,
        manifest_extra={"rule_pack": {"id": pack.id, "version": pack.version},
                        "program": {"name": "soknadspakke", "version": __version__},
                        "ready": report.ready, "created": today.isoformat(),
                        "application_type": pack.application_type(report.evaluation.facts)})

    from soknadspakke.pdf.assemble import assemble_package  # pypdf, reportlab: when used

    assembly = assemble_package(
        spec, out, progress=sub_progress(report_progress, steps // 2, steps - steps // 2, steps),
        cancel=cancel, pause_gc=pause_gc)
    left_out = [included[index].path for index, _reason in assembly.left_out]  # drafts only
    return BuildResult(assembly.path, assembly.pages, report, assembly,
                       tuple(d for d in included if d.path not in left_out),
                       (*skipped, *left_out))
